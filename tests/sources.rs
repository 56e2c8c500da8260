//! The bibliography (`data/sources.toml`) through the real binary: ids resolved into
//! pages, inline tables kept, unknown ids and malformed records reported at their lines,
//! and an edit of the bibliography picked up by the next build.

mod common;

use common::{Site, assert_points_at};

const BIBLIOGRAPHY: &str = r#"[spo-white-paper-2023]
title = "2023 Drug Crime White Paper"
author = "Drug and Organised Crime Department"
publisher = "Supreme Prosecutors' Office"
date = "2024-06-26"
url = "https://www.spo.go.kr/"
language = "ko"

[unodc-world-drug-report-2025]
title = "World Drug Report 2025"
publisher = "United Nations Office on Drugs and Crime"
date = "2025-06"
"#;

const CITING_PAGE: &str = r#"+++
title = "A"
sources = [
  "spo-white-paper-2023",
  { title = "A leaflet written out", publisher = "A clinic", date = "2026" },
]
+++
Body
"#;

fn page(site: &Site, rel: &str) -> String {
    std::fs::read_to_string(site.path("site").join(rel))
        .unwrap_or_else(|e| panic!("read site/{rel}: {e}"))
}

fn site_with_bibliography() -> Site {
    let site = Site::minimal();
    site.write("data/sources.toml", BIBLIOGRAPHY);
    site.write("content/a.md", CITING_PAGE);
    site
}

#[test]
fn ids_resolve_into_the_page_beside_inline_tables() {
    let site = site_with_bibliography();
    site.build_ok();
    let html = page(&site, "a/index.html");
    assert!(html.contains("2023 Drug Crime White Paper"), "{html}");
    assert!(
        html.contains("Drug and Organised Crime Department"),
        "{html}"
    );
    assert!(html.contains("Supreme Prosecutors&#39;") || html.contains("Supreme Prosecutors'"));
    assert!(html.contains("https://www.spo.go.kr/"), "{html}");
    assert!(html.contains("2024-06-26"), "{html}");
    assert!(html.contains("A leaflet written out"), "{html}");
    assert!(
        html.find("2023 Drug Crime White Paper") < html.find("A leaflet written out"),
        "sources keep the page's order"
    );
    assert!(
        !html.contains("World Drug Report"),
        "an uncited record is not shown"
    );
}

#[test]
fn array_of_tables_and_yaml_lists_still_work() {
    let site = site_with_bibliography();
    site.write(
        "content/b.md",
        "+++\ntitle = \"B\"\n[[sources]]\ntitle = \"Old style table\"\npublisher = \"P\"\n+++\nBody\n",
    );
    site.write(
        "content/c.md",
        "---\ntitle: C\nsources:\n  - unodc-world-drug-report-2025\n  - title: Inline in YAML\n---\nBody\n",
    );
    site.build_ok();
    assert!(page(&site, "b/index.html").contains("Old style table"));
    let c = page(&site, "c/index.html");
    assert!(c.contains("World Drug Report 2025"), "{c}");
    assert!(c.contains("Inline in YAML"), "{c}");
}

#[test]
fn unknown_ids_are_all_reported_at_their_line_and_column() {
    let site = site_with_bibliography();
    site.build_ok();
    let before = site.snapshot();
    site.write(
        "content/a.md",
        "+++\ntitle = \"A\"\nsources = [\"spo-white-paper-2023\", \"spo-white-paper-2032\"]\n+++\nBody\n",
    );
    site.write(
        "content/b.md",
        "---\ntitle: B\nsources:\n  - title: Fine inline\n  - no-such-source\n---\nBody\n",
    );
    let err = site.build_fails(2);
    assert!(
        err.contains("unknown source `spo-white-paper-2032`"),
        "{err}"
    );
    assert_points_at(
        &err,
        "content/a.md",
        3,
        37,
        "sources = [\"spo-white-paper-2023\", \"spo-white-paper-2032\"]",
    );
    assert!(
        err.contains("did you mean `spo-white-paper-2023`?"),
        "{err}"
    );
    assert!(err.contains("unknown source `no-such-source`"), "{err}");
    assert_points_at(&err, "content/b.md", 5, 5, "  - no-such-source");
    site.assert_untouched(&before);
}

#[test]
fn malformed_bibliography_points_at_its_line() {
    let site = site_with_bibliography();
    site.write(
        "data/sources.toml",
        format!("{BIBLIOGRAPHY}\n[who-2024]\ntitle = \"x\"\npublisher = \"WHO\"\ndate = \"2024\"\nedition = \"2\"\n"),
    );
    let err = site.build_fails(1);
    assert!(err.contains("edition"), "{err}");
    assert_points_at(&err, "data/sources.toml", 18, 1, "edition = \"2\"");

    site.write(
        "data/sources.toml",
        "[a]\ntitle = \"x\"\npublisher = \"p\"\ndate = \"spring 2024\"\n",
    );
    site.write(
        "content/a.md",
        "+++\ntitle = \"A\"\nsources = [\"a\"]\n+++\nBody\n",
    );
    let err = site.build_fails(1);
    assert!(err.contains("invalid date `spring 2024`"), "{err}");
    assert_points_at(&err, "data/sources.toml", 4, 8, "date = \"spring 2024\"");
}

#[test]
fn editing_the_bibliography_changes_the_page_on_the_next_build() {
    let site = site_with_bibliography();
    site.build_ok();
    assert!(page(&site, "a/index.html").contains("2023 Drug Crime White Paper"));
    site.write(
        "data/sources.toml",
        BIBLIOGRAPHY.replace(
            "2023 Drug Crime White Paper",
            "Drug Crime White Paper, 2023 edition",
        ),
    );
    site.build_ok();
    let html = page(&site, "a/index.html");
    assert!(
        html.contains("Drug Crime White Paper, 2023 edition"),
        "{html}"
    );
    assert!(!html.contains("2023 Drug Crime White Paper"), "{html}");
}
