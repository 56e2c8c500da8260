//! `lantern build` run again on the same output folder, in a new process each time: it
//! must write only what changed (the manifest beside the output says what the last build
//! wrote), never trust an output file someone changed, and always end with what a fresh
//! build writes.

mod common;

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lists")
}

/// A copy of the fixture in a temporary folder, built once.
fn built_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    common::copy_dir(&fixture(), dir.path());
    build(dir.path());
    dir
}

/// Runs `lantern build --timings` and returns the "files written" count.
fn build(dir: &Path) -> usize {
    let out = Command::cargo_bin("lantern")
        .expect("binary")
        .current_dir(dir)
        .args(["build", "--root", ".", "--timings"])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix("files written: "))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no files written line in:\n{stdout}"))
}

/// Every output file: its bytes and modification time.
fn snapshot(site: &Path) -> BTreeMap<String, (Vec<u8>, SystemTime)> {
    walkdir::WalkDir::new(site)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(site).expect("inside");
            let meta = e.metadata().expect("meta");
            (
                rel.to_string_lossy().into_owned(),
                (
                    std::fs::read(e.path()).expect("read"),
                    meta.modified().expect("mtime"),
                ),
            )
        })
        .collect()
}

fn bytes_only(s: &BTreeMap<String, (Vec<u8>, SystemTime)>) -> BTreeMap<String, Vec<u8>> {
    s.iter().map(|(k, (b, _))| (k.clone(), b.clone())).collect()
}

/// What a fresh build of the same sources writes.
fn fresh_build_of(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let out = common::built_into_temp(dir, None);
    bytes_only(&snapshot(&out.path().join("site")))
}

#[test]
fn unchanged_rebuild_leaves_the_output_folder_alone() {
    let dir = built_site();
    let site = dir.path().join("site");
    let before = snapshot(&site);
    let inode = std::fs::metadata(&site).expect("site").ino();
    std::thread::sleep(std::time::Duration::from_millis(20));
    assert_eq!(build(dir.path()), 0);
    assert_eq!(snapshot(&site), before, "same files, bytes and times");
    assert_eq!(
        std::fs::metadata(&site).expect("site").ino(),
        inode,
        "the folder was not swapped for a copy"
    );
    assert!(dir.path().join(".site.lantern-manifest").is_file());
}

#[test]
fn one_edit_rewrites_only_the_outputs_that_show_it() {
    let dir = built_site();
    let site = dir.path().join("site");
    let before = snapshot(&site);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let page = dir.path().join("content/news/item-3.md");
    let text = std::fs::read_to_string(&page).expect("page");
    std::fs::write(&page, format!("{text}\nA new closing sentence.\n")).expect("edit");
    let written = build(dir.path());
    let after = snapshot(&site);
    assert_eq!(bytes_only(&after), fresh_build_of(dir.path()));
    let changed: Vec<&String> = after
        .iter()
        .filter(|(path, (_, mtime))| before.get(*path).map(|(_, t)| t) != Some(mtime))
        .map(|(path, _)| path)
        .collect();
    assert!(
        changed.contains(&&"news/item-3/index.html".to_string()),
        "{changed:?}"
    );
    assert!(
        !changed.contains(&&"news/item-1/index.html".to_string()),
        "an unrelated page kept its time: {changed:?}"
    );
    assert_eq!(changed.len(), written, "{changed:?}");
    assert!(written < before.len() / 2, "{written} of {}", before.len());
}

#[test]
fn a_hand_edited_or_deleted_output_file_is_restored() {
    let dir = built_site();
    let site = dir.path().join("site");
    let expected = fresh_build_of(dir.path());
    std::fs::write(site.join("news/item-2/index.html"), "edited by hand").expect("edit");
    std::fs::remove_file(site.join("news/item-4/index.html")).expect("delete");
    assert_eq!(build(dir.path()), 2);
    assert_eq!(bytes_only(&snapshot(&site)), expected);
}

#[test]
fn a_damaged_manifest_means_rendering_everything() {
    let dir = built_site();
    let site = dir.path().join("site");
    let manifest = dir.path().join(".site.lantern-manifest");
    std::fs::write(&manifest, "lantern-manifest 1\nfile\tbroken\n").expect("damage");
    let page = dir.path().join("content/news/item-5.md");
    let text = std::fs::read_to_string(&page).expect("page");
    std::fs::write(&page, text.replace("+++\n\n", "+++\n\nEdited. ")).expect("edit");
    build(dir.path());
    assert_eq!(bytes_only(&snapshot(&site)), fresh_build_of(dir.path()));
    let text = std::fs::read_to_string(&manifest).expect("rewritten");
    assert!(text.starts_with("lantern-manifest 1\ntool\t"), "{text}");
}

#[test]
fn a_failed_rebuild_changes_nothing() {
    let dir = built_site();
    let site = dir.path().join("site");
    let before = snapshot(&site);
    let manifest = dir.path().join(".site.lantern-manifest");
    let manifest_before = std::fs::read(&manifest).expect("manifest");
    std::fs::write(
        dir.path().join("content/news/item-2.md"),
        "+++\ntitle = \"Broken\"\n+++\n\nSee [nowhere](@/news/missing.md).\n",
    )
    .expect("edit");
    let out = Command::cargo_bin("lantern")
        .expect("binary")
        .current_dir(dir.path())
        .args(["build", "--root", "."])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("news/missing.md"));
    assert_eq!(snapshot(&site), before);
    assert_eq!(std::fs::read(&manifest).expect("manifest"), manifest_before);
}

#[test]
fn a_file_read_with_load_data_is_watched_across_builds() {
    let dir = built_site();
    let write = |rel: &str, text: &str| {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    };
    // Outside `data/`, so only the template's `load_data` call reads it.
    write("extra/facts.toml", "fact = \"one\"\n");
    write(
        "templates/404.html",
        "{% set f = load_data(path=\"extra/facts.toml\") %}<p>fact={{ f.fact }}</p>\n",
    );
    build(dir.path());
    let page = dir.path().join("site/404.html");
    assert!(
        std::fs::read_to_string(&page)
            .expect("404")
            .contains("fact=one")
    );
    write("extra/facts.toml", "fact = \"two\"\n");
    assert!(build(dir.path()) > 0);
    assert!(
        std::fs::read_to_string(&page)
            .expect("404")
            .contains("fact=two"),
        "the page shows the file as it is now"
    );
    assert_eq!(build(dir.path()), 0, "and then nothing is left to do");
}
