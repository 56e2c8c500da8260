//! Template functions and filters, through a real build of a small site whose own
//! `templates/` use each of them.

use lantern::build::{BuildOptions, build};
use std::path::Path;

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "lantern.toml",
        "title = \"T\"\nbase_url = \"https://example.org/sub/\"\nminify = false\n[languages.ko]\nname = \"한국어\"\n",
    );
    write(root, "content/_index.md", "+++\ntitle = \"Home\"\n+++\n");
    write(
        root,
        "content/guides/_index.md",
        "+++\ntitle = \"Guides\"\n+++\n",
    );
    write(
        root,
        "content/guides/a.md",
        "+++\ntitle = \"Page A\"\ndate = 2026-03-05\n+++\n## Part one\n",
    );
    write(
        root,
        "content/guides/a.ko.md",
        "+++\ntitle = \"가 페이지\"\ndate = 2026-03-05\n+++\n",
    );
    write(root, "data/lines.toml", "[[line]]\nname = \"1342\"\n");
    write(root, "data/lines.json", "{\"name\": \"json-ok\"}");
    write(root, "data/lines.csv", "country,phone\nKR,1342\n");
    write(root, "data/lines.yaml", "name: yaml-ok\n");
    write(root, "i18n/en.toml", "hello = \"Hello\"\n");
    write(root, "i18n/ko.toml", "hello = \"안녕하세요\"\n");
    write(
        root,
        "templates/page.html",
        r#"{% set p = get_page(path="@/guides/a.md") %}page={{ p.title }}
{% set s = get_section(path="guides/_index.md") %}section={{ s.pages | length }}
url={{ get_url(path="@/guides/a.md#part-one") }}
static={{ get_url(path="style.css") }}
absolute={{ get_url(path="style.css", absolute=true) }}
{% set t = load_data(path="data/lines.toml") %}toml={{ t.line[0].name }}
{% set j = load_data(path="data/lines.json") %}json={{ j.name }}
{% set c = load_data(path="data/lines.csv") %}csv={{ c[0].phone }}
{% set y = load_data(path="data/lines.yaml") %}yaml={{ y.name }}
trans={{ trans(key="hello") }}
date={{ page.date | date }}
iso={{ page.date | date(format="%Y/%m/%d") }}
md={{ "*hi*" | markdown }}
slug={{ "Dead Drops 던지기" | slugify }}
"#,
    );
    dir
}

fn build_site(root: &Path) -> Result<tempfile::TempDir, String> {
    let out = tempfile::tempdir().expect("tempdir");
    let opts = BuildOptions {
        root: root.to_path_buf(),
        output: Some(out.path().join("site")),
        ..Default::default()
    };
    build(&opts).map(|_| out).map_err(|e| e.to_string())
}

#[test]
fn every_function_and_filter_works() {
    let dir = site();
    let out = build_site(dir.path()).expect("builds");
    let en = std::fs::read_to_string(out.path().join("site/guides/a/index.html")).expect("page");
    for expected in [
        "page=Page A",
        "section=1",
        // Root paths (made relative only inside HTML attributes), or absolute on request.
        "url=/sub/guides/a/#part-one",
        "static=/sub/style.css",
        "absolute=https://example.org/sub/style.css",
        "toml=1342",
        "json=json-ok",
        "csv=1342",
        "yaml=yaml-ok",
        "trans=Hello",
        "date=5 March 2026",
        "iso=2026/03/05",
        "md=<p><em>hi</em></p>",
        "slug=dead-drops-던지기",
    ] {
        assert!(en.contains(expected), "missing {expected:?} in\n{en}");
    }
    let ko = std::fs::read_to_string(out.path().join("site/ko/guides/a/index.html")).expect("page");
    assert!(
        ko.contains("page=가 페이지"),
        "get_page prefers the page's language:\n{ko}"
    );
    assert!(ko.contains("trans=안녕하세요"), "{ko}");
    assert!(ko.contains("date=2026년 3월 5일"), "{ko}");
    assert!(ko.contains("url=/sub/ko/guides/a/#part-one"), "{ko}");
}

#[test]
fn load_data_refuses_paths_outside_the_site() {
    let dir = site();
    write(
        dir.path(),
        "templates/page.html",
        "{{ load_data(path=\"../secret.toml\") }}",
    );
    let err = build_site(dir.path()).expect_err("must fail");
    assert!(
        err.contains("must be a path inside the site folder"),
        "{err}"
    );
    assert!(err.contains("templates/page.html:1:"), "{err}");
}

#[test]
fn there_is_no_now_function() {
    let dir = site();
    write(dir.path(), "templates/page.html", "{{ now() }}");
    let err = build_site(dir.path()).expect_err("must fail");
    assert!(err.contains("templates/page.html:1:"), "{err}");
    assert!(err.to_lowercase().contains("now"), "{err}");
}

#[test]
fn unknown_translation_key_names_the_template_line() {
    let dir = site();
    write(
        dir.path(),
        "templates/page.html",
        "line one\n{{ trans(key=\"nope\") }}",
    );
    let err = build_site(dir.path()).expect_err("must fail");
    assert!(err.contains("unknown translation key `nope`"), "{err}");
    assert!(err.contains("templates/page.html:2:"), "{err}");
}
