//! Shared helpers for the command-line integration tests: a throwaway site folder that
//! builds with the real `lantern` binary, and a snapshot of its output folder.

// Each test crate that includes this module uses only some of the helpers.
#![allow(dead_code)]

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// A build that takes longer than this is treated as a hang.
pub const BUILD_TIMEOUT: Duration = Duration::from_secs(60);

pub const CONFIG: &str = "title = \"T\"\nbase_url = \"https://example.org/\"\n";
pub const INDEX: &str = "+++\ntitle = \"Home\"\n+++\n";
pub const PAGE_A: &str = "+++\ntitle = \"A\"\n+++\nBody\n";

/// A site in its own temporary folder (deleted on drop). The site root is a subfolder of
/// the temporary folder, so tests can also check that nothing lands beside the root.
pub struct Site {
    tmp: tempfile::TempDir,
    pub root: PathBuf,
}

/// Every file below `site/`: path relative to `site/` -> (bytes, modification time).
pub type Snapshot = BTreeMap<PathBuf, (Vec<u8>, SystemTime)>;

/// The captured result of one `lantern build`.
pub struct Output {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Site {
    /// An empty site root (no files at all).
    pub fn empty() -> Site {
        let tmp = tempfile::tempdir().expect("create temp dir");
        let root = tmp.path().join("root");
        std::fs::create_dir(&root).expect("create site root");
        Site { tmp, root }
    }

    /// The minimal valid site: lantern.toml, content/_index.md and content/a.md.
    pub fn minimal() -> Site {
        let site = Site::empty();
        site.write("lantern.toml", CONFIG);
        site.write("content/_index.md", INDEX);
        site.write("content/a.md", PAGE_A);
        site
    }

    /// The temporary folder that holds the site root.
    pub fn outside(&self) -> &Path {
        self.tmp.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Writes a file below the root, creating parent folders.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Site {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create parent folders");
        }
        std::fs::write(&path, contents).unwrap_or_else(|e| panic!("write {rel}: {e}"));
        self
    }

    /// Runs `lantern build --root .` from the site root, so messages show paths like
    /// `content/a.md`.
    pub fn build(&self) -> Output {
        let out = Command::cargo_bin("lantern")
            .expect("lantern binary")
            .current_dir(&self.root)
            .args(["build", "--root", "."])
            .timeout(BUILD_TIMEOUT)
            .output()
            .expect("run lantern");
        Output {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Builds, expects success, then backdates every output file (so a later rewrite
    /// cannot keep the same modification time by luck) and returns a snapshot of `site/`.
    pub fn build_ok(&self) -> Snapshot {
        let out = self.build();
        assert_eq!(
            out.code,
            Some(0),
            "the valid site should build\nstdout:\n{}\nstderr:\n{}",
            out.stdout,
            out.stderr
        );
        assert!(out.stdout.contains("Built "), "stdout:\n{}", out.stdout);
        let past = SystemTime::now() - Duration::from_secs(3600);
        for rel in self.snapshot().keys() {
            let file = std::fs::File::options()
                .write(true)
                .open(self.path("site").join(rel))
                .expect("open output file");
            file.set_modified(past).expect("backdate output file");
        }
        let snap = self.snapshot();
        assert!(
            snap.contains_key(Path::new("index.html")),
            "site/index.html written"
        );
        snap
    }

    /// Builds, expects exit code 1, no panic and a `build failed: N problem(s)` summary;
    /// returns stderr.
    pub fn build_fails(&self, problems: usize) -> String {
        let out = self.build();
        let err = out.stderr;
        assert!(!err.contains("panicked"), "lantern panicked:\n{err}");
        assert_eq!(
            out.code,
            Some(1),
            "expected exit code 1\nstdout:\n{}\nstderr:\n{err}",
            out.stdout
        );
        assert!(
            !out.stdout.contains("Built "),
            "a failed build reports success:\n{}",
            out.stdout
        );
        let summary = format!(
            "build failed: {problems} problem{}",
            if problems == 1 { "" } else { "s" }
        );
        assert!(
            err.lines().any(|l| l.trim() == summary),
            "expected the line `{summary}` in stderr:\n{err}"
        );
        err
    }

    /// Every file below `site/` with its bytes and modification time.
    pub fn snapshot(&self) -> Snapshot {
        let mut snap = Snapshot::new();
        let base = self.path("site");
        let mut stack = vec![base.clone()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("read output folder") {
                let path = entry.expect("read output entry").path();
                let meta = std::fs::symlink_metadata(&path).expect("stat output entry");
                if meta.is_dir() {
                    stack.push(path);
                    continue;
                }
                let rel = path.strip_prefix(&base).expect("below site/").to_path_buf();
                let bytes = std::fs::read(&path).expect("read output file");
                snap.insert(rel, (bytes, meta.modified().expect("mtime")));
            }
        }
        snap
    }

    /// The previous output is exactly as it was and no staging folder is left behind.
    pub fn assert_untouched(&self, before: &Snapshot) {
        assert!(self.path("site").is_dir(), "site/ was removed");
        let after = self.snapshot();
        let before_names: Vec<_> = before.keys().collect();
        let after_names: Vec<_> = after.keys().collect();
        assert_eq!(
            before_names, after_names,
            "the set of files in site/ changed"
        );
        for (rel, (bytes, mtime)) in before {
            let (new_bytes, new_mtime) = &after[rel];
            assert!(bytes == new_bytes, "site/{} changed bytes", rel.display());
            assert_eq!(
                mtime,
                new_mtime,
                "site/{} changed modification time",
                rel.display()
            );
        }
        let leftovers: Vec<String> = std::fs::read_dir(&self.root)
            .expect("read site root")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".site.staging"))
            .collect();
        assert!(leftovers.is_empty(), "staging folder left: {leftovers:?}");
    }
}

/// Asserts that `stderr` points at `file:line:col`, shows the source line (containing
/// `source`) after its line number, and has a caret line whose first `^` is under `col`.
pub fn assert_points_at(stderr: &str, file: &str, line: usize, col: usize, source: &str) {
    let location = format!("{file}:{line}:{col}");
    assert!(
        stderr.contains(&location),
        "expected `{location}` in stderr:\n{stderr}"
    );
    let lines: Vec<&str> = stderr.lines().collect();
    let gutter = format!("{line} |");
    let Some(at) = lines
        .iter()
        .position(|l| l.trim_start().starts_with(&gutter) && l.contains(source))
    else {
        panic!("expected the source line `{gutter} {source}` in stderr:\n{stderr}");
    };
    let caret_ok = lines.get(at + 1).is_some_and(|l| {
        l.split_once('|').is_some_and(|(pad, rest)| {
            pad.trim().is_empty()
                && rest.strip_prefix(' ').is_some_and(|r| {
                    r.chars().take_while(|c| *c == ' ').count() == col - 1
                        && r.trim_start().starts_with('^')
                })
        })
    });
    assert!(
        caret_ok,
        "expected a `^` under column {col} after `{gutter}` in stderr:\n{stderr}"
    );
}

/// Copies a fixture folder (a site) into `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let dest = to.join(entry.path().strip_prefix(from).expect("inside"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

/// Builds the site at `root` into a fresh temporary folder (output in `site/` below it),
/// optionally under another base URL; panics with the diagnostics if the build fails.
pub fn built_into_temp(root: &Path, base_url: Option<&str>) -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("tempdir");
    let opts = lantern::build::BuildOptions {
        root: root.to_path_buf(),
        output: Some(out.path().join("site")),
        base_url: base_url.map(String::from),
        ..Default::default()
    };
    lantern::build::build(&opts).unwrap_or_else(|e| panic!("must build:\n{e}"));
    out
}

/// A file of a build made by [`built_into_temp`].
pub fn read_output(out: &tempfile::TempDir, rel: &str) -> String {
    std::fs::read_to_string(out.path().join("site").join(rel))
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Runs `lantern build --root .` in `dir` and returns what it printed and its status.
pub fn build_in(dir: &Path) -> std::process::Output {
    Command::cargo_bin("lantern")
        .expect("binary")
        .current_dir(dir)
        .args(["build", "--root", "."])
        .output()
        .expect("runs")
}

/// Every path below `dir`, relative and sorted (folders too): to see that nothing was
/// written.
pub fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .flatten()
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .expect("below")
                .display()
                .to_string()
        })
        .collect();
    names.sort();
    names
}
