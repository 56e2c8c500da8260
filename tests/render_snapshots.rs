//! Snapshot tests of rendered HTML for `tests/fixtures/features`, a site that uses every
//! Markdown feature Lantern supports. Review changes with `cargo insta review` or by
//! reading the `.snap.new` files next to the snapshots.

use lantern::build::{BuildOptions, build};
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/features")
}

/// Builds the fixture into a fresh folder and returns it.
fn built(drafts: bool) -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("tempdir");
    let opts = BuildOptions {
        root: fixture(),
        drafts,
        base_url: None,
        output: Some(out.path().join("site")),
    };
    build(&opts).unwrap_or_else(|e| panic!("fixture must build:\n{e}"));
    out
}

fn read(out: &tempfile::TempDir, rel: &str) -> String {
    std::fs::read_to_string(out.path().join("site").join(rel))
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The part of a page that comes from Markdown and front matter.
fn article(html: &str) -> &str {
    let start = html.find("<article").expect("article start");
    let end = html.find("</article>").expect("article end") + "</article>".len();
    &html[start..end]
}

#[test]
fn every_markdown_feature() {
    let out = built(false);
    insta::assert_snapshot!(
        "everything_en",
        article(&read(&out, "guides/everything/index.html"))
    );
}

#[test]
fn korean_translation_with_yaml_front_matter() {
    let out = built(false);
    insta::assert_snapshot!(
        "everything_ko",
        article(&read(&out, "ko/guides/everything/index.html"))
    );
}

#[test]
fn whole_page_with_head_and_language_links() {
    let out = built(false);
    insta::assert_snapshot!(
        "everything_en_full",
        read(&out, "guides/everything/index.html")
    );
}

#[test]
fn section_lists_pages_in_weight_order() {
    let out = built(false);
    let html = read(&out, "guides/index.html");
    let main = &html[html.find("<main").expect("main")..html.find("</main>").expect("main end")];
    insta::assert_snapshot!("guides_section", main);
}

#[test]
fn bundle_assets_sit_beside_every_language_version() {
    let out = built(false);
    for rel in [
        "guides/bundle/diagram.svg",
        "ko/guides/bundle/diagram.svg",
        "extra.css",
        "style.css",
    ] {
        assert!(out.path().join("site").join(rel).is_file(), "{rel} missing");
    }
    assert!(read(&out, "guides/bundle/index.html").contains("src=\"diagram.svg\""));
}

#[test]
fn drafts_only_with_the_flag() {
    let without = built(false);
    assert!(!without.path().join("site/guides/draft/index.html").exists());
    let with = built(true);
    assert!(read(&with, "guides/draft/index.html").contains("Not ready"));
}
