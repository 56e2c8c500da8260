//! What changes when a site is edited on Windows, tested here on any system: files saved
//! with CRLF line endings build exactly as with LF, errors in them point at the right
//! line and column, translations stay current, and paths typed with backslashes
//! (`guides\topic.md`, `content\guides\x.ko.md`) name the same files as with `/`.

mod common;

use assert_cmd::Command;
use common::{Site, assert_points_at, copy_dir};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A copy of a fixture site with every Markdown and TOML file rewritten with CRLF.
fn crlf_copy(name: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture(name), tmp.path());
    let mut converted = 0;
    for entry in walkdir::WalkDir::new(tmp.path()) {
        let path = entry.expect("walk").into_path();
        if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("md" | "toml")
        ) {
            let text = std::fs::read_to_string(&path).expect("read");
            std::fs::write(&path, text.replace("\r\n", "\n").replace('\n', "\r\n")).expect("write");
            converted += 1;
        }
    }
    assert!(converted > 3, "the fixture has Markdown and TOML files");
    tmp
}

/// Every output file: path below the output folder -> bytes.
fn outputs(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("inside").to_path_buf();
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect();
    files.sort();
    files
}

#[test]
fn crlf_site_builds_byte_for_byte_like_lf() {
    let lf = common::built_into_temp(&fixture("features"), None);
    let crlf_site = crlf_copy("features");
    let crlf = common::built_into_temp(crlf_site.path(), None);
    let (lf, crlf) = (
        outputs(&lf.path().join("site")),
        outputs(&crlf.path().join("site")),
    );
    assert!(lf.len() > 10);
    assert_eq!(
        lf.iter().map(|(p, _)| p).collect::<Vec<_>>(),
        crlf.iter().map(|(p, _)| p).collect::<Vec<_>>()
    );
    for ((path, a), (_, b)) in lf.iter().zip(&crlf) {
        assert!(
            a == b,
            "{} differs with CRLF sources:\n{}\n---\n{}",
            path.display(),
            String::from_utf8_lossy(a),
            String::from_utf8_lossy(b)
        );
    }
}

#[test]
fn crlf_errors_point_at_line_and_column_without_carriage_returns() {
    let site = Site::minimal();
    site.write(
        "content/a.md",
        "+++\r\ntitle = \"A\"\r\ntitel = \"typo\"\r\n+++\r\nBody\r\n",
    );
    site.write(
        "content/b.md",
        "---\r\ntitle: B\r\ndate: not-a-date\r\n---\r\nBody\r\n",
    );
    let err = site.build_fails(2);
    assert_points_at(&err, "content/a.md", 3, 1, "titel = \"typo\"");
    assert!(err.contains("content/b.md:3:"), "{err}");
    assert!(
        !err.contains('\r'),
        "a carriage return reached the message:\n{err:?}"
    );
}

#[test]
fn crlf_translations_of_lf_sources_stay_current() {
    let report = |root: &Path| {
        let out = Command::cargo_bin("lantern")
            .expect("binary")
            .args(["translations", "--format", "json", "--root"])
            .arg(root)
            .output()
            .expect("runs");
        String::from_utf8(out.stdout).expect("UTF-8")
    };
    let crlf = crlf_copy("multilingual");
    let lf_root = fixture("multilingual").display().to_string();
    let a = report(&fixture("multilingual")).replace(&lf_root, "ROOT");
    let b = report(crlf.path()).replace(&crlf.path().display().to_string(), "ROOT");
    assert!(a.contains("up_to_date"), "{a}");
    assert_eq!(a, b);
}

#[test]
fn new_page_path_with_backslashes_is_the_same_page() {
    let site = Site::minimal();
    Command::cargo_bin("lantern")
        .expect("binary")
        .current_dir(&site.root)
        .args(["new", "guides\\first-steps.md"])
        .assert()
        .success();
    assert!(site.path("content/guides/first-steps.md").is_file());
    Command::cargo_bin("lantern")
        .expect("binary")
        .current_dir(&site.root)
        .args(["new", "content\\guides\\second.md"])
        .assert()
        .success();
    assert!(site.path("content/guides/second.md").is_file());
    // `..` is still refused however it is written.
    Command::cargo_bin("lantern")
        .expect("binary")
        .current_dir(&site.root)
        .args(["new", "..\\outside.md"])
        .assert()
        .code(1);
    assert!(!site.outside().join("outside.md").exists());
}

#[test]
fn mark_current_accepts_a_windows_style_path() {
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture("multilingual"), tmp.path());
    let out = Command::cargo_bin("lantern")
        .expect("binary")
        .current_dir(tmp.path())
        .args([
            "translations",
            "--mark-current",
            "content\\guides\\outdated.ko.md",
        ])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let fixed =
        std::fs::read_to_string(tmp.path().join("content/guides/outdated.ko.md")).expect("read");
    let original = std::fs::read_to_string(fixture("multilingual/content/guides/outdated.ko.md"))
        .expect("read");
    assert_ne!(fixed, original, "the translation was marked current");
}

#[test]
fn mark_current_keeps_crlf_line_endings() {
    let site = crlf_copy("multilingual");
    let file = site.path().join("content/guides/outdated.ko.md");
    let before = std::fs::read_to_string(&file).expect("read");
    Command::cargo_bin("lantern")
        .expect("binary")
        .args(["translations", "--mark-current"])
        .arg(&file)
        .arg("--root")
        .arg(site.path())
        .assert()
        .success();
    let after = std::fs::read_to_string(&file).expect("read");
    assert_ne!(before, after);
    assert_eq!(
        after.matches('\n').count(),
        after.matches("\r\n").count(),
        "a line lost its CRLF:\n{after:?}"
    );
    let changed = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .count();
    assert_eq!(changed, 1, "only the translation_of line changes");
}
