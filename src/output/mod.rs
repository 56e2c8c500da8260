//! Stage 4, emit: files into a staging folder beside the output, then one swap.
//! [`DiskSink`] feeds it while rendering; [`manifest`] remembers what was written.
//!
//! Invariants:
//! - The output folder is only ever replaced whole. A build that fails (or panics, or is
//!   interrupted) leaves the previous output exactly as it was; the staging folder is
//!   removed on drop, and leftovers of a killed build are removed by the next one.
//! - Only a folder Lantern wrote is replaced ([`guard`]), and one build at a time writes
//!   to it (a lock file beside it).
//! - Files whose bytes did not change are hard-linked from the previous output, so their
//!   modification times stay put and deploy tools upload nothing. Because a linked file
//!   shares its inode with the live output, nothing is ever written *into* an existing
//!   file: every write creates a new file ([`write_new`]). Static files and assets are
//!   render jobs like any other (fingerprinted by their bytes, see `render::outputs`).
//! - When the output folder cannot be renamed (a bind mount, a Docker volume), its
//!   contents are synced instead ([`sync`]), one whole file at a time, only after the
//!   build has fully succeeded.

mod disk;
pub mod guard;
pub mod manifest;
mod sync;

pub use disk::{DiskSink, Finished};
pub use guard::check_output_dir;

use crate::diagnostics::Diagnostic;
use manifest::Stamp;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Component, Path, PathBuf};

pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    /// Whether there was a previous output to reuse files from.
    had_target: bool,
    committed: bool,
    /// Held for the life of the build: a second build of the same output waits for it.
    _lock: File,
}

impl Staging {
    /// Creates an empty staging folder next to `target` (same file system, so the final
    /// rename is atomic on POSIX), after taking the output's lock and removing what
    /// killed builds left behind.
    pub fn new(target: &Path) -> io::Result<Staging> {
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "site".into());
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(parent.join(format!(".{name}.lantern-lock")))?;
        lock.lock()?;
        // With the lock held no other build can own a staging folder of this output.
        remove_stale_staging(parent, &name);
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let staging = Staging {
            dir,
            target: target.to_path_buf(),
            had_target: target.is_dir(),
            committed: false,
            _lock: lock,
        };
        staging
            .write(guard::MARKER, guard::MARKER_TEXT.as_bytes())
            .map_err(|d| io::Error::other(d.message))?;
        Ok(staging)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes one file unless the previous output has the same bytes (then links it).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<bool, Diagnostic> {
        self.write_stamped(rel, bytes).map(|(changed, _)| changed)
    }

    /// [`Staging::write`], also returning the file's size and modification time.
    pub fn write_stamped(&self, rel: &str, bytes: &[u8]) -> Result<(bool, Stamp), Diagnostic> {
        let dest = self.path_for(rel)?;
        let io_err =
            |e: io::Error| Diagnostic::new(format!("cannot write {}: {e}", dest.display()));
        if self.had_target {
            let old = self.target.join(rel);
            let unchanged = std::fs::metadata(&old).is_ok_and(|m| m.len() == bytes.len() as u64)
                && std::fs::read(&old).is_ok_and(|old_bytes| old_bytes == bytes);
            if unchanged && link_new(&old, &dest).is_ok() {
                let stamp = Stamp::of_path(&dest)
                    .ok_or_else(|| io_err(io::Error::other("the file vanished")))?;
                return Ok((false, stamp));
            }
        }
        let file = write_new(&dest, bytes).map_err(io_err)?;
        let stamp = file.metadata().map(|m| Stamp::of(&m)).map_err(io_err)?;
        Ok((true, stamp))
    }

    /// Hard-links the previous output's file at `rel` into staging (copies it if the
    /// file system refuses the link).
    pub fn link_previous(&self, rel: &str) -> Result<(), Diagnostic> {
        let dest = self.path_for(rel)?;
        let old = self.target.join(rel);
        if link_new(&old, &dest).is_ok() {
            return Ok(());
        }
        copy_new(&old, &dest)
            .map_err(|e| Diagnostic::new(format!("cannot copy {}: {e}", old.display())))
    }

    /// Replaces the output folder with the staging folder: one rename, or, where the
    /// output folder cannot be renamed (a mount point), a sync of its contents.
    pub fn commit(mut self) -> io::Result<()> {
        let old = self.dir.with_file_name(format!(
            "{}.old",
            self.dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        ));
        if self.target.exists()
            && let Err(e) = std::fs::rename(&self.target, &old)
        {
            if !sync::cannot_rename(&e) {
                return Err(e);
            }
            sync::sync_into(&self.dir, &self.target)?;
            return Ok(());
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            // Put the previous output back before reporting.
            let _ = std::fs::rename(&old, &self.target);
            return Err(e);
        }
        self.committed = true;
        remove_tree(&old);
        Ok(())
    }

    /// Joins `rel` below the staging folder, creating parents; refuses anything that could
    /// leave it (the model never produces such paths; this is the last line of defence).
    fn path_for(&self, rel: &str) -> Result<PathBuf, Diagnostic> {
        let rel_path = Path::new(rel);
        if rel.is_empty()
            || rel.split('/').any(str::is_empty)
            || rel_path
                .components()
                .any(|c| !matches!(c, Component::Normal(_)))
        {
            return Err(Diagnostic::new(format!(
                "refusing to write outside the output folder: `{rel}`"
            )));
        }
        let dest = self.dir.join(rel_path);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Diagnostic::new(format!("cannot create {}: {e}", parent.display())))?;
        }
        Ok(dest)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            remove_tree(&self.dir);
        }
    }
}

/// Creates `dest` as a new file holding `bytes`. Whatever was at `dest` is unlinked
/// first, never truncated: it may be a hard link into the live output.
fn write_new(dest: &Path, bytes: &[u8]) -> io::Result<File> {
    let mut file = create_new(dest)?;
    file.write_all(bytes)?;
    Ok(file)
}

/// [`write_new`] with the bytes of `src`.
fn copy_new(src: &Path, dest: &Path) -> io::Result<()> {
    let mut from = File::open(src)?;
    let mut to = create_new(dest)?;
    io::copy(&mut from, &mut to).map(drop)
}

/// Hard-links `old` at `dest`, replacing whatever `dest` was (by unlinking it).
fn link_new(old: &Path, dest: &Path) -> io::Result<()> {
    unlink(dest)?;
    std::fs::hard_link(old, dest)
}

fn create_new(dest: &Path) -> io::Result<File> {
    unlink(dest)?;
    File::options().write(true).create_new(true).open(dest)
}

fn unlink(path: &Path) -> io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Whether two files hold the same bytes (compared in chunks, after their sizes).
fn same_contents(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    if !ma.is_file() || !mb.is_file() || ma.len() != mb.len() {
        return false;
    }
    let (Ok(mut fa), Ok(mut fb)) = (File::open(a), File::open(b)) else {
        return false;
    };
    let (mut ba, mut bb) = (vec![0u8; 64 * 1024], vec![0u8; 64 * 1024]);
    let mut left = ma.len();
    while left > 0 {
        let n = usize::try_from(left).map_or(ba.len(), |l| l.min(ba.len()));
        if fa.read_exact(&mut ba[..n]).is_err()
            || fb.read_exact(&mut bb[..n]).is_err()
            || ba[..n] != bb[..n]
        {
            return false;
        }
        left -= n as u64;
    }
    true
}

/// Removes the staging folders (and their `.old` twins) that builds of this output
/// left behind when they were killed. Only names this module makes are touched.
fn remove_stale_staging(parent: &Path, name: &str) {
    let prefix = format!(".{name}.staging-");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file_name.strip_prefix(&prefix) else {
            continue;
        };
        let pid = rest.strip_suffix(".old").unwrap_or(rest);
        if !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()) {
            remove_tree(&entry.path());
        }
    }
}

/// Removes a folder Lantern made, making read-only folders in it writable first (a
/// read-only output would otherwise leave its old copy behind).
fn remove_tree(dir: &Path) {
    if std::fs::remove_dir_all(dir).is_ok() || !dir.exists() {
        return;
    }
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if entry.file_type().is_dir()
            && let Ok(meta) = entry.metadata()
        {
            let mut perms = meta.permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perms.set_readonly(false);
            let _ = std::fs::set_permissions(entry.path(), perms);
        }
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// Minifies HTML and its CSS. JavaScript is left alone: minify-html 0.18 was seen deleting
/// a global that a later script used.
pub fn minify_html(bytes: &[u8]) -> Vec<u8> {
    let cfg = minify_html::Cfg {
        minify_css: true,
        minify_js: false,
        keep_closing_tags: true,
        keep_html_and_head_opening_tags: true,
        ..minify_html::Cfg::default()
    };
    minify_html::minify(bytes, &cfg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_build_leaves_previous_output() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let target = tmp.path().join("site");
        std::fs::create_dir_all(&target).expect("mkdir");
        std::fs::write(target.join("old.html"), "old").expect("write");
        {
            let s = Staging::new(&target).expect("staging");
            s.write("new.html", b"new").expect("write");
            // dropped without commit
        }
        assert!(target.join("old.html").exists());
        assert!(!target.join("new.html").exists());
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
            .expect("ls")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !n.ends_with(".lantern-lock"))
            .collect();
        assert_eq!(leftovers, ["site"], "staging folder removed");
    }

    #[test]
    fn commit_swaps_and_keeps_unchanged_mtimes() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let target = tmp.path().join("site");
        let s = Staging::new(&target).expect("staging");
        s.write("a/index.html", b"same").expect("write");
        s.commit().expect("commit");
        let before = std::fs::metadata(target.join("a/index.html"))
            .and_then(|m| m.modified())
            .expect("mtime");
        std::thread::sleep(std::time::Duration::from_millis(20));
        let s = Staging::new(&target).expect("staging");
        assert!(
            !s.write("a/index.html", b"same").expect("write"),
            "unchanged file is linked"
        );
        assert!(s.write("b.html", b"new").expect("write"));
        s.commit().expect("commit");
        let after = std::fs::metadata(target.join("a/index.html"))
            .and_then(|m| m.modified())
            .expect("mtime");
        assert_eq!(before, after);
        assert!(target.join("b.html").exists());
    }

    #[test]
    fn refuses_paths_that_leave_the_output() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let s = Staging::new(&tmp.path().join("site")).expect("staging");
        assert!(s.write("../evil.html", b"x").is_err());
        assert!(s.write("/etc/evil", b"x").is_err());
    }

    fn built_once(target: &Path, files: &[(&str, &[u8])]) {
        let s = Staging::new(target).expect("staging");
        for (rel, bytes) in files {
            s.write(rel, bytes).expect("write");
        }
        s.commit().expect("commit");
    }

    #[test]
    fn a_second_write_of_a_linked_path_never_touches_the_live_output() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let target = tmp.path().join("site");
        built_once(&target, &[("robots.txt", b"generated robots")]);
        let s = Staging::new(&target).expect("staging");
        assert!(!s.write("robots.txt", b"generated robots").expect("write"));
        // The same path again (a static file over a generated one): a new inode.
        s.write("robots.txt", b"").expect("write");
        assert_eq!(
            std::fs::read(target.join("robots.txt")).expect("read"),
            b"generated robots",
            "the live output keeps its bytes while the build runs"
        );
        drop(s);
        assert_eq!(
            std::fs::read(target.join("robots.txt")).expect("read"),
            b"generated robots",
            "and after it fails"
        );
    }

    #[test]
    fn stale_staging_of_killed_builds_is_removed() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let target = tmp.path().join("site");
        for stale in [".site.staging-4242", ".site.staging-4243.old"] {
            std::fs::create_dir_all(tmp.path().join(stale).join("guides")).expect("mkdir");
        }
        std::fs::create_dir_all(tmp.path().join(".site.staging-notes")).expect("mkdir");
        built_once(&target, &[("index.html", b"home")]);
        let mut left: Vec<_> = std::fs::read_dir(tmp.path())
            .expect("ls")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, [".site.lantern-lock", ".site.staging-notes", "site"]);
        assert!(target.join(guard::MARKER).is_file(), "the output is marked");
    }
}
