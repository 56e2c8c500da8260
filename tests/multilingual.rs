//! Multilingual sites: fallbacks, notices, hreflang, the switcher, sitemap alternates,
//! the default-language prefix, and `lantern translations`.

mod common;
use common::{build_in, copy_dir, read_output as read};

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn built(root: &Path) -> tempfile::TempDir {
    common::built_into_temp(root, None)
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/multilingual")
}

fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let s = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in\n{html}"));
    let e = html[s..]
        .find(end)
        .map(|e| s + e + end.len())
        .unwrap_or_else(|| panic!("no {end}"));
    &html[s..e]
}

#[test]
fn missing_translation_falls_back_with_a_notice_in_the_readers_language() {
    let out = built(&fixture());
    let html = read(&out, "ko/guides/missing/index.html");
    assert!(html.contains("<html lang=\"ko\">"), "{html}");
    assert!(
        html.contains("<link rel=\"canonical\" href=\"https://example.org/guides/missing/\">"),
        "canonical points at the source:\n{html}"
    );
    insta::assert_snapshot!("fallback_main", between(&html, "<main", "</main>"));
}

#[test]
fn section_without_korean_index_falls_back_too() {
    let out = built(&fixture());
    let html = read(&out, "ko/guides/index.html");
    assert!(
        html.contains("이 페이지는 아직 한국어로 번역되지 않았습니다. 영어 원문을 보여 드립니다."),
        "{html}"
    );
    assert!(html.contains("<div lang=\"en\">"), "{html}");
    // The Korean section lists the Korean pages, real or fallback, under /ko/.
    assert!(html.contains("href=\"번역된-안내/index.html\""), "{html}");
    assert!(html.contains("href=\"missing/index.html\""), "{html}");
}

#[test]
fn outdated_translation_tells_readers_and_links_the_original() {
    let out = built(&fixture());
    let html = read(&out, "ko/guides/outdated/index.html");
    insta::assert_snapshot!(
        "outdated_notice",
        between(&html, "<p class=\"notice\"", "</p>")
    );
    let fresh = read(&out, "ko/guides/번역된-안내/index.html");
    assert!(
        !fresh.contains("class=\"notice\""),
        "an up-to-date translation has no notice"
    );
    let untracked = read(&out, "ko/guides/untracked/index.html");
    assert!(
        !untracked.contains("class=\"notice\""),
        "an untracked translation is not called outdated"
    );
}

#[test]
fn hreflang_alternates_and_switcher_list_only_real_translations() {
    let out = built(&fixture());
    let html = read(&out, "guides/translated/index.html");
    insta::assert_snapshot!(
        "translated_head_links",
        between(
            &html,
            "<link rel=\"canonical\"",
            "x-default\" href=\"https://example.org/guides/translated/\">"
        )
    );
    insta::assert_snapshot!(
        "translated_switcher",
        between(&html, "<nav class=\"langs\"", "</nav>")
    );
    let missing = read(&out, "guides/missing/index.html");
    assert!(
        !missing.contains("<link rel=\"alternate\" hreflang=\"ko\""),
        "no Korean alternate for a page without a translation"
    );
    // The switcher is on every page: the untranslated page offers its Korean-tree
    // fallback (Korean menus and help lines), and the fallback offers the original.
    assert_eq!(
        between(&missing, "<nav class=\"langs\"", "</nav>"),
        "<nav class=\"langs\" aria-label=\"Languages\"><ul><li><span aria-current=\"true\" lang=\"en\">English</span></li><li><a href=\"../../ko/guides/missing/index.html\" hreflang=\"ko\" lang=\"ko\">한국어</a></li></ul></nav>"
    );
    let fallback = read(&out, "ko/guides/missing/index.html");
    assert_eq!(
        between(&fallback, "<nav class=\"langs\"", "</nav>"),
        "<nav class=\"langs\" aria-label=\"언어\"><ul><li><a href=\"../../../guides/missing/index.html\" hreflang=\"en\" lang=\"en\">English</a></li><li><span aria-current=\"true\" lang=\"ko\">한국어</span></li></ul></nav>"
    );
}

#[test]
fn sitemap_has_alternates_and_no_fallbacks() {
    let out = built(&fixture());
    let xml = read(&out, "sitemap.xml");
    assert!(
        !xml.contains("/ko/guides/missing/"),
        "fallbacks are not canonical"
    );
    insta::assert_snapshot!("sitemap", xml);
}

#[test]
fn default_language_with_a_prefix_redirects_the_root() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture(), dir.path());
    let config = dir.path().join("lantern.toml");
    let text = std::fs::read_to_string(&config).expect("config");
    std::fs::write(
        &config,
        text.replace(
            "name = \"English\"",
            "name = \"English\"\nurl_prefix = \"en\"",
        ),
    )
    .expect("write");
    let out = built(dir.path());
    let root = read(&out, "index.html");
    assert!(
        root.contains("<meta http-equiv=\"refresh\" content=\"0; url=en/index.html\">"),
        "{root}"
    );
    assert!(
        root.contains("<a href=\"en/index.html\">"),
        "works without meta refresh too:\n{root}"
    );
    assert!(read(&out, "en/guides/translated/index.html").contains("hreflang=\"ko\""));
}

fn lantern(root: &Path) -> Command {
    let mut cmd = Command::cargo_bin("lantern").expect("binary");
    cmd.current_dir(root).args(["translations", "--root", "."]);
    cmd
}

#[test]
fn translations_report_as_text() {
    let output = lantern(&fixture()).output().expect("runs");
    assert!(output.status.success());
    insta::assert_snapshot!("translations_text", String::from_utf8_lossy(&output.stdout));
}

#[test]
fn translations_report_as_json() {
    let output = lantern(&fixture())
        .args(["--format", "json"])
        .output()
        .expect("runs");
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    assert_eq!(json["summary"]["up_to_date"], 2);
    assert_eq!(json["summary"]["outdated"], 1);
    assert_eq!(json["summary"]["missing"], 2);
    assert_eq!(json["summary"]["untracked"], 1);
    let ko = json["languages"]["ko"].as_array().expect("ko entries");
    let outdated = ko
        .iter()
        .find(|e| e["status"] == "outdated")
        .expect("outdated entry");
    assert_eq!(outdated["path"], "content/guides/outdated.ko.md");
    assert_eq!(outdated["recorded"], "000000000000");
}

#[test]
fn fail_on_outdated_sets_the_exit_code() {
    lantern(&fixture())
        .args(["--fail-on", "outdated"])
        .assert()
        .code(1);
    lantern(&fixture())
        .args(["--fail-on", "missing,untracked"])
        .assert()
        .code(1);
    lantern(&fixture()).assert().code(0);
}

#[test]
fn mark_current_changes_exactly_one_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture(), dir.path());
    let file = dir.path().join("content/guides/outdated.ko.md");
    let before = std::fs::read_to_string(&file).expect("read");
    lantern(dir.path())
        .args(["--mark-current", "content/guides/outdated.ko.md"])
        .assert()
        .success();
    let after = std::fs::read_to_string(&file).expect("read");
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(before.lines().count(), after.lines().count());
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(
        changed[0].1.starts_with("translation_of = \""),
        "{changed:?}"
    );
    let json = lantern(dir.path())
        .args(["--format", "json"])
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(json["summary"]["outdated"], 0);
    assert_eq!(json["summary"]["up_to_date"], 3);
}

#[test]
fn whitespace_only_source_edits_keep_translations_current() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture(), dir.path());
    let src = dir.path().join("content/guides/translated.md");
    let text = std::fs::read_to_string(&src).expect("read");
    std::fs::write(
        &src,
        text.replace(
            "Text of the translated guide.",
            "Text  of the\ntranslated guide.\n\n",
        ),
    )
    .expect("write");
    let json = lantern(dir.path())
        .args(["--format", "json"])
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(json["summary"]["up_to_date"], 2);
}

#[test]
fn translation_without_source_is_a_named_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture(), dir.path());
    std::fs::write(
        dir.path().join("content/guides/only-korean.ko.md"),
        "+++\ntitle = \"한국어만\"\n+++\n",
    )
    .expect("write");
    let out = build_in(dir.path());
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: this translation has no en source"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/guides/only-korean.ko.md"),
        "{stderr}"
    );
}

/// Only configured languages are suffixes: `translated.fr.md` is a page of its own (a
/// warning says it is no translation), and shared URL prefixes are errors.
#[test]
fn unknown_language_suffix_warns_and_shared_prefixes_are_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture(), dir.path());
    std::fs::write(
        dir.path().join("content/guides/translated.fr.md"),
        "+++\ntitle = \"x\"\n+++\n",
    )
    .expect("write");
    let out = build_in(dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("content/guides/translated.fr.md"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`fr` in the file name is not a language of this site"),
        "{stderr}"
    );
    assert!(
        dir.path()
            .join("site/guides/translated-fr/index.html")
            .is_file()
    );

    let config = dir.path().join("lantern.toml");
    let text = std::fs::read_to_string(&config).expect("config");
    std::fs::write(
        &config,
        text.replace(
            "title = \"다국어 시험 사이트\"",
            "title = \"다국어 시험 사이트\"\nurl_prefix = \"\"",
        ),
    )
    .expect("write");
    let out = build_in(dir.path());
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("both use the URL prefix `/`"), "{stderr}");
    assert!(stderr.contains("lantern.toml"), "{stderr}");
}
