//! Which folder a build may replace. A build deletes its output folder's previous
//! contents, so the output must never be a folder the site is made from, nor a folder of
//! someone else's files: Lantern deletes only what it wrote itself.
//!
//! A folder Lantern wrote carries [`MARKER`] (or, from builds before the marker existed,
//! has a manifest beside it). An empty or missing folder may be written too.

use super::manifest;
use crate::diagnostics::Diagnostic;
use std::path::{Component, Path, PathBuf};

/// The file every build leaves at the top of its output: the proof that the folder is
/// Lantern's to replace. Published with the site (it says only that).
pub const MARKER: &str = ".lantern-output";
pub const MARKER_TEXT: &str =
    "This folder was written by Lantern. Each build replaces it whole: do not keep files here.\n";

/// Refuses an output folder that a build must not replace, saying why.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let out = resolve(output);
    let root = resolve(root);
    let refuse = |why: String| {
        Err(Diagnostic::new(format!(
            "refusing to write the site to {}: {why}",
            output.display()
        ))
        .with_help("choose another output folder with -o/--output or `output_dir` in lantern.toml"))
    };
    if root.starts_with(&out) {
        let what = if root == out { "is" } else { "contains" };
        return refuse(format!(
            "it {what} the site's root folder {}, which holds lantern.toml and the sources, and a build replaces its output folder whole",
            root.display()
        ));
    }
    // The site's folders, and its history.
    for name in crate::config::SITE_DIRS.iter().chain(&[".git"]) {
        let source = root.join(name);
        let relation = if out == source {
            "is"
        } else if source.starts_with(&out) {
            "contains"
        } else if out.starts_with(&source) {
            "lies inside"
        } else {
            continue;
        };
        return refuse(format!(
            "it {relation} the source folder {}, and a build replaces its output folder whole",
            source.display()
        ));
    }
    if out.exists() && !out.is_dir() {
        return refuse("it is a file, not a folder".into());
    }
    if !written_by_lantern(&out) {
        return refuse(format!(
            "the folder is not empty and no Lantern build wrote it (it has no {MARKER} file); \
             Lantern only replaces folders it wrote, so move its files away or empty it first"
        ));
    }
    Ok(())
}

/// Missing, empty, marked, or with a manifest beside it (written by an older Lantern).
fn written_by_lantern(dir: &Path) -> bool {
    let empty = std::fs::read_dir(dir).map_or(true, |mut entries| entries.next().is_none());
    empty || dir.join(MARKER).is_file() || manifest::path_for(dir).is_file()
}

/// An absolute path with symlinks of its existing part resolved and `.`/`..` of the rest
/// applied, so two spellings of one folder compare equal.
pub fn resolve(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for c in absolute.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => {
                out.push(other);
                // Symlinks resolve before a later `..` applies, as the kernel does it.
                if let Ok(real) = out.canonicalize() {
                    out = real;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let tmp = tempfile::tempdir().expect("tempdir");
        for d in ["content", "templates", "static"] {
            std::fs::create_dir_all(tmp.path().join(d)).expect("mkdir");
        }
        std::fs::write(tmp.path().join("lantern.toml"), "").expect("write");
        tmp
    }

    #[test]
    fn refuses_sources_and_their_parents_and_children() {
        let tmp = site();
        let root = tmp.path();
        for bad in [
            root.to_path_buf(),
            root.join("content"),
            root.join("content/sub"),
            root.join("templates"),
            root.join("static/../content"),
            root.join("data"),
            root.parent().expect("parent").to_path_buf(),
        ] {
            let err = check_output_dir(root, &bad).expect_err(&bad.display().to_string());
            assert!(err.message.contains("refusing"), "{}", err.message);
        }
        assert!(check_output_dir(root, &root.join("site")).is_ok());
        assert!(check_output_dir(root, &root.join("public/www")).is_ok());
    }

    #[test]
    fn refuses_a_foreign_folder_but_not_its_own() {
        let tmp = site();
        let out = tmp.path().join("out");
        std::fs::create_dir_all(&out).expect("mkdir");
        assert!(check_output_dir(tmp.path(), &out).is_ok(), "empty is fine");
        std::fs::write(out.join("thesis.docx"), "mine").expect("write");
        let err = check_output_dir(tmp.path(), &out).expect_err("foreign");
        assert!(err.message.contains("no Lantern build wrote it"));
        std::fs::write(out.join(MARKER), MARKER_TEXT).expect("write");
        assert!(check_output_dir(tmp.path(), &out).is_ok());
    }

    #[test]
    fn resolves_missing_tails() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let real = tmp.path().canonicalize().expect("canon");
        assert_eq!(resolve(&tmp.path().join("a/../b/./c")), real.join("b/c"));
    }
}
