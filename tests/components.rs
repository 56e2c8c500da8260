//! Markdown components (`::: name key=value`): each built-in renders in English and
//! Korean (snapshots); mistakes and forbidden raw HTML fail the build at their line and
//! column; editing a component re-renders exactly the pages that use it.

mod common;

use common::{Site, assert_points_at};
use lantern::build::{BuildOptions, Builder};
use std::collections::HashSet;

const CONFIG: &str = "title = \"T\"\nbase_url = \"https://example.org/\"\ndefault_language = \"en\"\n\n[languages.en]\nname = \"English\"\n\n[languages.ko]\nname = \"한국어\"\n";

/// Every built-in component, once each.
const USES: &str = "\
::: callout kind=tip title=\"Before you start\"
Read **this** first.
:::

::: callout kind=warning
Be careful.
:::

::: helpline country=kr phone=1342
Free and confidential.
:::

::: talk-to-someone page=\"@/help.md\"
:::

::: figure src=\"/images/map.png\" alt=\"A map\" caption=\"Where to go\" credit=\"Lantern\"
:::

::: term name=\"Dead drop\"
Drugs hidden in a public place.
:::
";

fn bilingual() -> Site {
    let site = Site::empty();
    site.write("lantern.toml", CONFIG);
    let helplines = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/helplines.toml"),
    )
    .expect("helplines");
    site.write("data/helplines.toml", helplines);
    for lang in ["", ".ko"] {
        site.write(
            &format!("content/_index{lang}.md"),
            "+++\ntitle = \"Home\"\n+++\n",
        );
        site.write(
            &format!("content/help{lang}.md"),
            "+++\ntitle = \"Help\"\n+++\nCall.\n",
        );
        site.write(
            &format!("content/glossary{lang}.md"),
            "+++\ntitle = \"Glossary\"\n+++\nDead drop\n: Hidden drugs.\n",
        );
        site.write(
            &format!("content/uses{lang}.md"),
            format!("+++\ntitle = \"Uses\"\n+++\n{USES}"),
        );
    }
    site
}

/// A page's body: from `<div class="body">` to the share button.
fn main_of(site: &Site, path: &str) -> String {
    let html = std::fs::read_to_string(site.path(path)).expect("page");
    let start = html.find("<div class=\"body\">").expect("body");
    let end = html.find("<p class=\"share-wrap\"").expect("share");
    html[start..end].to_string()
}

#[test]
fn built_in_components_render_in_both_languages() {
    let site = bilingual();
    site.build_ok();
    let en = main_of(&site, "site/uses/index.html");
    let ko = main_of(&site, "site/ko/uses/index.html");
    for html in [&en, &ko] {
        assert!(!html.contains("style="), "{html}");
        assert!(!html.contains(":::"), "{html}");
    }
    assert!(ko.contains("경고"), "{ko}");
    insta::assert_snapshot!("components_en", en);
    insta::assert_snapshot!("components_ko", ko);
}

fn page(body: &str) -> String {
    format!("+++\ntitle = \"A\"\n+++\n{body}")
}

#[test]
fn unknown_component_is_an_error_at_its_name() {
    let site = Site::minimal();
    site.write(
        "content/a.md",
        page("Text\n\n::: helpdesk x=1\nBody\n:::\n"),
    );
    let err = site.build_fails(1);
    assert_points_at(&err, "content/a.md", 6, 5, "::: helpdesk x=1");
    assert!(err.contains("unknown component `helpdesk`"), "{err}");
}

#[test]
fn unknown_and_missing_arguments_are_all_reported() {
    let site = Site::minimal();
    site.write(
        "content/a.md",
        page("::: figure src=\"/a.png\" colour=red\n:::\n\n::: callout kind=tip\nok\n:::\n"),
    );
    let err = site.build_fails(2);
    assert!(err.contains("content/a.md:4:25"), "{err}");
    assert!(err.contains("`figure` has no argument `colour`"), "{err}");
    assert!(err.contains("`figure` needs the argument `alt`"), "{err}");
    assert_points_at(&err, "content/a.md", 4, 5, "::: figure");
}

#[test]
fn a_site_component_overrides_and_checks_types() {
    let site = Site::minimal();
    site.write(
        "templates/components/box.html",
        "{#\n[args]\nn = { type = \"int\", required = true }\n#}\n<div class=\"box\">{{ n + 1 }}{{ body }}</div>",
    );
    site.write("content/a.md", page("::: box n=41\nHi\n:::\n"));
    site.build_ok();
    let html = std::fs::read_to_string(site.path("site/a/index.html")).expect("page");
    assert!(html.contains(">42<p>Hi</p>"), "{html}");
    site.write("content/a.md", page("::: box n=many\nHi\n:::\n"));
    let err = site.build_fails(1);
    assert_points_at(&err, "content/a.md", 4, 9, "::: box n=many");
    assert!(err.contains("expects a whole number"), "{err}");
}

#[test]
fn raw_script_is_an_error_at_its_column() {
    let site = Site::minimal();
    site.write(
        "content/a.md",
        page("Text <b>ok</b>\n\n<script>alert(1)</script>\n"),
    );
    let err = site.build_fails(1);
    assert_points_at(&err, "content/a.md", 6, 1, "<script>alert(1)</script>");
    assert!(err.contains("`<script>`"), "{err}");
}

#[test]
fn inline_event_handlers_and_style_attributes_are_errors() {
    let site = Site::minimal();
    site.write(
        "content/a.md",
        page("A <img src=\"x.png\" alt=\"\" onerror=\"go()\"> b\n\n<p style=\"color:red\">c</p>\n"),
    );
    let err = site.build_fails(2);
    assert_points_at(&err, "content/a.md", 4, 27, "onerror");
    assert_points_at(&err, "content/a.md", 6, 4, "<p style");
    assert!(err.contains("event handler (`onerror=`)"), "{err}");
    assert!(err.contains("`style=` attribute"), "{err}");
}

#[test]
fn editing_a_component_re_renders_exactly_its_users() {
    let site = Site::minimal();
    site.write(
        "templates/components/box.html",
        "<div class=\"box\">{{ body }}</div>",
    );
    site.write("content/b.md", page("::: box\nB\n:::\n"));
    site.write("content/c.md", "+++\ntitle = \"C\"\n+++\nNo component.\n");
    let mut builder = Builder::new(BuildOptions {
        root: site.root.clone(),
        ..Default::default()
    });
    builder.run(&HashSet::new()).expect("first build");
    let box_file = site.path("templates/components/box.html");
    site.write(
        "templates/components/box.html",
        "<div class=\"box edited\">{{ body }}</div>",
    );
    let built = builder
        .run(&HashSet::from([box_file]))
        .expect("second build");
    let mut html: Vec<&str> = built
        .rendered
        .iter()
        .map(String::as_str)
        .filter(|p| p.ends_with(".html"))
        .collect();
    html.sort_unstable();
    // The page that uses it, and the list page that shows its summary.
    assert_eq!(html, ["b/index.html", "index.html"]);
    let b = built
        .files
        .iter()
        .find(|f| f.path == "b/index.html")
        .expect("b");
    assert!(String::from_utf8_lossy(&b.bytes).contains("box edited"));
}

#[test]
fn a_second_build_re_renders_only_users_of_an_edited_component() {
    let site = Site::minimal();
    site.write("templates/components/box.html", "<div>{{ body }}</div>");
    site.write("content/b.md", page("::: box\nB\n:::\n"));
    site.build_ok();
    let before = site.snapshot();
    std::thread::sleep(std::time::Duration::from_millis(20));
    site.write(
        "templates/components/box.html",
        "<div class=\"x\">{{ body }}</div>",
    );
    assert_eq!(site.build().code, Some(0));
    let after = site.snapshot();
    let changed: Vec<String> = after
        .iter()
        .filter(|(p, (bytes, time))| before.get(*p).is_none_or(|(b, t)| b != bytes || t != time))
        .map(|(p, _)| p.display().to_string())
        .filter(|p| p.ends_with(".html"))
        .collect();
    assert!(changed.contains(&"b/index.html".to_string()), "{changed:?}");
    assert!(
        !changed.contains(&"a/index.html".to_string()),
        "{changed:?}"
    );
}
