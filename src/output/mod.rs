//! Stage 4, emit: files into a staging folder beside the output, then one swap.
//! [`DiskSink`] feeds it while rendering; [`manifest`] remembers what was written.
//!
//! Invariant: the output folder is only ever replaced whole. A build that fails (or
//! panics, or is interrupted) leaves the previous output exactly as it was; the staging
//! folder is removed on drop. Files whose bytes did not change are hard-linked from the
//! previous output, so their modification times stay put and deploy tools upload nothing.

mod disk;
pub mod manifest;

pub use disk::{DiskSink, Finished};

use crate::diagnostics::Diagnostic;
use manifest::Stamp;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    /// Whether there was a previous output to reuse files from.
    had_target: bool,
    committed: bool,
}

impl Staging {
    /// Creates an empty staging folder next to `target` (same file system, so the final
    /// rename is atomic on POSIX).
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
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir_all(&dir)?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            had_target: target.is_dir(),
            committed: false,
        })
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
            if unchanged && std::fs::hard_link(&old, &dest).is_ok() {
                let stamp = Stamp::of_path(&dest)
                    .ok_or_else(|| io_err(io::Error::other("the file vanished")))?;
                return Ok((false, stamp));
            }
        }
        let mut file = std::fs::File::create(&dest).map_err(io_err)?;
        file.write_all(bytes).map_err(io_err)?;
        let stamp = file.metadata().map(|m| Stamp::of(&m)).map_err(io_err)?;
        Ok((true, stamp))
    }

    /// Hard-links the previous output's file at `rel` into staging (copies it if the
    /// file system refuses the link).
    pub fn link_previous(&self, rel: &str) -> Result<(), Diagnostic> {
        let dest = self.path_for(rel)?;
        let old = self.target.join(rel);
        if std::fs::hard_link(&old, &dest).is_ok() {
            return Ok(());
        }
        std::fs::copy(&old, &dest)
            .map(drop)
            .map_err(|e| Diagnostic::new(format!("cannot copy {}: {e}", old.display())))
    }

    /// Copies a file (a static file, a bundle image), reusing the previous copy when it is
    /// at least as new as the source and the same size.
    pub fn copy(&self, src: &Path, rel: &str) -> Result<bool, Diagnostic> {
        let dest = self.path_for(rel)?;
        let old = self.target.join(rel);
        if let (Ok(s), Ok(o)) = (std::fs::metadata(src), std::fs::metadata(&old)) {
            let fresh = matches!((s.modified(), o.modified()), (Ok(sm), Ok(om)) if om >= sm);
            if fresh && s.len() == o.len() && std::fs::hard_link(&old, &dest).is_ok() {
                return Ok(false);
            }
        }
        std::fs::copy(src, &dest).map_err(|e| {
            Diagnostic::in_file(src, format!("cannot copy to {}: {e}", dest.display()))
        })?;
        Ok(true)
    }

    /// Replaces the output folder with the staging folder.
    pub fn commit(mut self) -> io::Result<()> {
        let old = self.dir.with_file_name(format!(
            "{}.old",
            self.dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        ));
        if self.target.exists() {
            std::fs::rename(&self.target, &old)?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            // Put the previous output back before reporting.
            let _ = std::fs::rename(&old, &self.target);
            return Err(e);
        }
        self.committed = true;
        let _ = std::fs::remove_dir_all(&old);
        Ok(())
    }

    /// Joins `rel` below the staging folder, creating parents; refuses anything that could
    /// leave it (the model never produces such paths; this is the last line of defence).
    fn path_for(&self, rel: &str) -> Result<PathBuf, Diagnostic> {
        let rel_path = Path::new(rel);
        if rel.is_empty()
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
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
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
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).expect("ls").collect();
        assert_eq!(leftovers.len(), 1, "staging folder removed");
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
}
