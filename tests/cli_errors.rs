//! `lantern build` on bad input: every problem is reported with its file (and line and
//! column where there is one), the exit code is 1, nothing panics, and the previous
//! `site/` is left exactly as it was.
//!
//! Each test first builds a valid version of the site, snapshots `site/`, breaks one
//! input, rebuilds and checks the message and the untouched output.

mod common;

use assert_cmd::Command;
use common::{Site, assert_points_at};

/// Builds the minimal valid site once and returns it with its output snapshot.
fn built_site() -> (Site, common::Snapshot) {
    let site = Site::minimal();
    let before = site.build_ok();
    (site, before)
}

#[test]
fn malformed_toml_front_matter() {
    let (site, before) = built_site();
    site.write("content/a.md", "+++\ntitle = \"unterminated\n+++\nBody\n");
    let err = site.build_fails(1);
    assert_points_at(&err, "content/a.md", 2, 22, "title = \"unterminated");
    site.assert_untouched(&before);
}

#[test]
fn malformed_yaml_front_matter() {
    let site = Site::minimal();
    site.write("content/a.md", "---\ntitle: A\n---\nBody\n");
    let before = site.build_ok();
    site.write("content/a.md", "---\ntitle: [unclosed\n---\nBody\n");
    let err = site.build_fails(1);
    assert_points_at(&err, "content/a.md", 2, 8, "title: [unclosed");
    site.assert_untouched(&before);
}

#[test]
fn front_matter_never_closed() {
    let (site, before) = built_site();
    site.write("content/a.md", "+++\ntitle = \"A\"\nBody\n");
    let err = site.build_fails(1);
    assert_points_at(&err, "content/a.md", 1, 1, "+++");
    assert!(err.contains("never closed"), "{err}");
    site.assert_untouched(&before);
}

#[test]
fn invalid_utf8_file() {
    let (site, before) = built_site();
    site.write("content/a.md", b"+++\ntitle = \"x\"\n+++\n\xff\xfe bad\n");
    let err = site.build_fails(1);
    assert_points_at(&err, "content/a.md", 4, 1, " bad");
    assert!(err.contains("UTF-8"), "{err}");
    site.assert_untouched(&before);
}

#[test]
fn unknown_front_matter_key() {
    let (site, before) = built_site();
    site.write(
        "content/a.md",
        "+++\ntitle = \"A\"\ntitel = \"x\"\n+++\nBody\n",
    );
    let err = site.build_fails(1);
    assert!(err.contains("unknown field `titel`"), "{err}");
    assert_points_at(&err, "content/a.md", 3, 1, "titel = \"x\"");
    site.assert_untouched(&before);
}

#[test]
fn date_of_wrong_type() {
    let (site, before) = built_site();
    site.write(
        "content/a.md",
        "+++\ntitle = \"A\"\ndate = \"yesterday\"\n+++\nBody\n",
    );
    let err = site.build_fails(1);
    assert!(err.contains("invalid date"), "{err}");
    assert!(err.contains("yesterday"), "{err}");
    assert_points_at(&err, "content/a.md", 3, 8, "date = \"yesterday\"");
    site.assert_untouched(&before);
}

#[test]
fn number_of_wrong_type_says_so_in_words() {
    let (site, before) = built_site();
    site.write(
        "content/a.md",
        "+++\ntitle = \"A\"\nweight = \"fifty\"\n+++\nBody\n",
    );
    let err = site.build_fails(1);
    assert!(err.contains("expected a whole number"), "{err}");
    assert!(!err.contains("i64"), "{err}");
    assert_points_at(&err, "content/a.md", 3, 10, "weight = \"fifty\"");
    site.assert_untouched(&before);
}

#[test]
fn every_front_matter_problem_of_a_file_is_reported_at_once() {
    let (site, before) = built_site();
    site.write(
        "content/a.md",
        "+++\ntitle = \"A\"\nweight = \"fifty\"\ndraft = \"yes\"\ntitel = \"x\"\n+++\nBody\n",
    );
    let err = site.build_fails(3);
    assert_points_at(&err, "content/a.md", 3, 10, "weight = \"fifty\"");
    assert_points_at(&err, "content/a.md", 4, 9, "draft = \"yes\"");
    assert_points_at(&err, "content/a.md", 5, 1, "titel = \"x\"");
    assert!(err.contains("expected a whole number"), "{err}");
    assert!(err.contains("unknown field `titel`"), "{err}");
    site.assert_untouched(&before);
}

#[test]
fn a_broken_link_in_a_long_paragraph_has_its_caret_under_it() {
    let (site, before) = built_site();
    let lead = "This paragraph is one long line, as Markdown paragraphs usually are. ".repeat(5);
    site.write(
        "content/a.md",
        format!(
            "+++\ntitle = \"A\"\n+++\n{lead}[the missing page](@/nope.md) and more text after it.\n"
        ),
    );
    let err = site.build_fails(1);
    let shown = err
        .lines()
        .find(|l| l.starts_with("4 | "))
        .expect("source line");
    let caret = err
        .lines()
        .find(|l| l.trim_start().starts_with("| ") && l.contains('^'))
        .expect("caret");
    let at = caret.find('^').expect("caret");
    let under: String = shown.chars().skip(at).take(18).collect();
    assert_eq!(under, "[the missing page]", "{err}");
    site.assert_untouched(&before);
}

#[test]
fn missing_referenced_template() {
    let (site, before) = built_site();
    site.write(
        "content/a.md",
        "+++\ntitle = \"A\"\ntemplate = \"nope.html\"\n+++\nBody\n",
    );
    let err = site.build_fails(1);
    assert!(err.contains("nope.html"), "{err}");
    assert_points_at(&err, "content/a.md", 3, 1, "template = \"nope.html\"");
    site.assert_untouched(&before);
}

#[test]
fn tera_syntax_error_in_site_template() {
    let (site, before) = built_site();
    site.write(
        "templates/page.html",
        "<html>\n{% if %}x{% endif %}\n</html>\n",
    );
    let err = site.build_fails(1);
    assert_points_at(&err, "templates/page.html", 2, 7, "{% if %}");
    site.assert_untouched(&before);
}

#[test]
fn broken_internal_link() {
    let site = Site::minimal();
    site.write(
        "content/b.md",
        "+++\ntitle = \"B\"\n+++\nBody\n\nSee [x](@/a.md) here.\n",
    );
    let before = site.build_ok();
    site.write(
        "content/b.md",
        "+++\ntitle = \"B\"\n+++\nBody\n\nSee [x](@/missing.md) here.\n",
    );
    let err = site.build_fails(1);
    assert!(err.contains("@/missing.md"), "{err}");
    assert_points_at(&err, "content/b.md", 6, 5, "See [x](@/missing.md) here.");
    site.assert_untouched(&before);
}

#[test]
fn broken_anchor() {
    let site = Site::minimal();
    let page = |anchor: &str| {
        format!("+++\ntitle = \"B\"\n+++\n## Some heading\n\nSee [x](@/a.md{anchor}).\n")
    };
    site.write(
        "content/a.md",
        "+++\ntitle = \"A\"\n+++\n## Some heading\n\nText.\n",
    );
    site.write("content/b.md", page("#some-heading"));
    let before = site.build_ok();
    site.write("content/b.md", page("#no-such-heading"));
    let err = site.build_fails(1);
    assert!(err.contains("no-such-heading"), "{err}");
    assert_points_at(&err, "content/b.md", 6, 5, "@/a.md#no-such-heading");
    site.assert_untouched(&before);
}

#[test]
fn duplicate_output_path() {
    let site = Site::minimal();
    site.write("content/b.md", "+++\ntitle = \"B\"\n+++\nBody\n");
    let before = site.build_ok();
    site.write(
        "content/b.md",
        "+++\ntitle = \"B\"\nslug = \"a\"\n+++\nBody\n",
    );
    let err = site.build_fails(1);
    assert!(err.contains("content/a.md"), "{err}");
    assert!(err.contains("content/b.md"), "{err}");
    site.assert_untouched(&before);
}

#[test]
fn slug_leaving_the_site() {
    let (site, before) = built_site();
    site.write(
        "content/a.md",
        "+++\ntitle = \"A\"\nslug = \"../evil\"\n+++\nBody\n",
    );
    let err = site.build_fails(1);
    assert_points_at(&err, "content/a.md", 3, 1, "slug = \"../evil\"");
    for dir in [site.root.as_path(), site.outside()] {
        for entry in std::fs::read_dir(dir).expect("list folder") {
            let name = entry.expect("entry").file_name();
            assert!(
                !name.to_string_lossy().starts_with("evil"),
                "{} was written outside site/",
                dir.join(name).display()
            );
        }
    }
    site.assert_untouched(&before);
}

#[test]
fn content_folder_missing() {
    let (site, before) = built_site();
    std::fs::remove_dir_all(site.path("content")).expect("remove content/");
    let err = site.build_fails(1);
    assert!(err.contains("content"), "{err}");
    assert!(err.contains("does not exist"), "{err}");
    site.assert_untouched(&before);
}

#[test]
fn empty_markdown_file() {
    let (site, before) = built_site();
    site.write("content/a.md", "");
    let err = site.build_fails(1);
    assert!(err.contains("content/a.md"), "{err}");
    assert!(err.contains("empty"), "{err}");
    site.assert_untouched(&before);
}

#[test]
fn huge_markdown_file_is_refused() {
    let (site, before) = built_site();
    let line = "All work and no play makes a very long Markdown file indeed.\n";
    let mut text = String::from("+++\ntitle = \"Big\"\n+++\n");
    text.push_str(&line.repeat(20 * 1024 * 1024 / line.len() + 1));
    site.write("content/big.md", &text);
    let err = site.build_fails(1);
    assert!(err.contains("content/big.md"), "{err}");
    assert!(err.contains("MB"), "no size in the message:\n{err}");
    assert!(err.contains("limit"), "no limit in the message:\n{err}");
    site.assert_untouched(&before);
}

#[test]
fn symlink_loop_in_content() {
    let (site, before) = built_site();
    let content = site.path("content");
    std::os::unix::fs::symlink(&content, content.join("loop")).expect("create symlink");
    let err = site.build_fails(1);
    assert!(err.contains("content/loop"), "{err}");
    site.assert_untouched(&before);
}

#[test]
fn several_problems_reported_together() {
    let site = Site::minimal();
    site.write(
        "content/b.md",
        "+++\ntitle = \"B\"\n+++\nSee [x](@/a.md).\n",
    );
    site.write("content/c.md", "+++\ntitle = \"C\"\n+++\nBody\n");
    let before = site.build_ok();
    site.write(
        "content/a.md",
        "+++\ntitle = \"A\"\ntitel = \"x\"\n+++\nBody\n",
    );
    site.write(
        "content/b.md",
        "+++\ntitle = \"B\"\n+++\nSee [x](@/missing.md).\n",
    );
    site.write(
        "content/c.md",
        "+++\ntitle = \"C\"\ndate = \"yesterday\"\n+++\nBody\n",
    );
    let err = site.build_fails(3);
    assert_points_at(&err, "content/a.md", 3, 1, "titel = \"x\"");
    assert_points_at(&err, "content/b.md", 4, 5, "See [x](@/missing.md).");
    assert_points_at(&err, "content/c.md", 3, 8, "date = \"yesterday\"");
    site.assert_untouched(&before);
}

#[test]
fn unknown_key_in_config() {
    let (site, before) = built_site();
    site.write("lantern.toml", format!("{}minfy = false\n", common::CONFIG));
    let err = site.build_fails(1);
    assert!(err.contains("minfy"), "{err}");
    assert_points_at(&err, "lantern.toml", 3, 1, "minfy = false");
    site.assert_untouched(&before);
}

#[test]
fn init_then_build_uses_built_in_theme() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("x");
    let lantern = || {
        let mut cmd = Command::cargo_bin("lantern").expect("lantern binary");
        cmd.timeout(common::BUILD_TIMEOUT);
        cmd
    };
    lantern().arg("init").arg(&dir).assert().code(0);
    let out = lantern()
        .arg("build")
        .arg("--root")
        .arg(&dir)
        .output()
        .expect("run lantern");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr:\n{stderr}");
    assert!(
        stdout.lines().any(|l| l.starts_with("Built ")),
        "stdout:\n{stdout}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(dir.join("site/index.html").is_file());
    assert!(!dir.join("themes").exists(), "init should not copy a theme");
}

/// A character other than ASCII right before `=` in a page's text ("Café=1", "한=2")
/// made the emit-stage URL pass slice inside the character: a panic, exit 101.
#[test]
fn text_with_an_equals_sign_after_an_accented_letter_builds() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path();
    std::fs::create_dir_all(root.join("content")).expect("mkdir");
    std::fs::write(
        root.join("lantern.toml"),
        "title = \"T\"\nbase_url = \"https://example.org/\"\n",
    )
    .expect("write");
    std::fs::write(
        root.join("content/a.md"),
        "+++\ntitle = \"A\"\n+++\nCafé=1, 한=2 and [home](/)\n",
    )
    .expect("write");
    Command::cargo_bin("lantern")
        .expect("binary")
        .args(["build", "--root"])
        .arg(root)
        .assert()
        .success();
    let html = std::fs::read_to_string(root.join("site/a/index.html")).expect("page");
    assert!(html.contains("Café=1, 한=2"), "{html}");
}
