//! The commit of last resort: when the output folder cannot be renamed (it is a mount
//! point, such as a Docker volume or a bind mount, and `rename` says "busy"), its
//! contents are made equal to the staging folder's instead.
//!
//! It runs only after the build fully succeeded, so a failed build still changes
//! nothing. Each file is copied beside its place and renamed over it, so a reader (or a
//! kill) never sees a half-written file; unchanged files are left alone (their times
//! stay); files the new build no longer has are removed last. The folder is Lantern's
//! own (the guard checked its marker), so removing what is not in the new build removes
//! only what an earlier build wrote.

use super::{copy_new, same_contents, unlink};
use std::io;
use std::path::Path;

/// Whether a failed rename of the output folder means "use [`sync_into`]".
pub fn cannot_rename(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ResourceBusy | io::ErrorKind::CrossesDevices
    )
}

/// Makes `target` hold exactly the files of `staging`, then removes `staging`.
pub fn sync_into(staging: &Path, target: &Path) -> io::Result<()> {
    place_new_files(staging, target)?;
    remove_missing(staging, target)?;
    super::remove_tree(staging);
    Ok(())
}

fn place_new_files(staging: &Path, target: &Path) -> io::Result<()> {
    for entry in walkdir::WalkDir::new(staging)
        .min_depth(1)
        .sort_by_file_name()
    {
        let entry = entry.map_err(io::Error::other)?;
        let rel = entry
            .path()
            .strip_prefix(staging)
            .map_err(io::Error::other)?;
        let dest = target.join(rel);
        let dest_meta = std::fs::symlink_metadata(&dest).ok();
        if entry.file_type().is_dir() {
            if dest_meta.is_some_and(|m| !m.is_dir()) {
                unlink(&dest)?;
            }
            std::fs::create_dir_all(&dest)?;
            continue;
        }
        if same_contents(entry.path(), &dest) {
            continue;
        }
        if dest_meta.is_some_and(|m| m.is_dir()) {
            std::fs::remove_dir_all(&dest)?;
        }
        let name = rel.file_name().map(|n| n.to_string_lossy().into_owned());
        let tmp = dest.with_file_name(format!(".{}.lantern-tmp", name.unwrap_or_default()));
        copy_new(entry.path(), &tmp)?;
        std::fs::rename(&tmp, &dest)?;
    }
    Ok(())
}

fn remove_missing(staging: &Path, target: &Path) -> io::Result<()> {
    for entry in walkdir::WalkDir::new(target)
        .min_depth(1)
        .contents_first(true)
    {
        let entry = entry.map_err(io::Error::other)?;
        let rel = entry
            .path()
            .strip_prefix(target)
            .map_err(io::Error::other)?;
        if std::fs::symlink_metadata(staging.join(rel)).is_ok() {
            continue;
        }
        if entry.file_type().is_dir() {
            std::fs::remove_dir_all(entry.path())?;
        } else {
            unlink(entry.path())?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn makes_the_target_equal_to_staging_and_keeps_unchanged_files() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let (staging, target) = (tmp.path().join("staging"), tmp.path().join("site"));
        for (dir, files) in [
            (
                &target,
                &[("same.html", "same"), ("old.html", "old"), ("x/a", "a")][..],
            ),
            (
                &staging,
                &[
                    ("same.html", "same"),
                    ("new.html", "new"),
                    ("x", "file now"),
                ][..],
            ),
        ] {
            for (name, text) in files {
                let path = dir.join(name);
                std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
                std::fs::write(path, text).expect("write");
            }
        }
        let same_before = std::fs::metadata(target.join("same.html"))
            .and_then(|m| m.modified())
            .expect("mtime");
        sync_into(&staging, &target).expect("sync");
        let read = |n: &str| std::fs::read_to_string(target.join(n)).ok();
        assert_eq!(read("same.html").as_deref(), Some("same"));
        assert_eq!(read("new.html").as_deref(), Some("new"));
        assert_eq!(read("x").as_deref(), Some("file now"));
        assert_eq!(read("old.html"), None);
        let same_after = std::fs::metadata(target.join("same.html"))
            .and_then(|m| m.modified())
            .expect("mtime");
        assert_eq!(
            same_before, same_after,
            "an unchanged file is not rewritten"
        );
        assert!(!staging.exists());
        let names: Vec<_> = std::fs::read_dir(&target)
            .expect("ls")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names.iter().all(|n| !n.contains("lantern-tmp")),
            "{names:?}"
        );
    }
}
