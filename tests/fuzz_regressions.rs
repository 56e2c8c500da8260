//! Inputs the fuzz targets in `fuzz/` found, kept as plain tests so they run on stable
//! without cargo-fuzz. Each names the target that found it.

use lantern::config::Config;
use lantern::markdown::{self, Options, Rendered, Resolved};
use std::collections::HashSet;
use std::path::Path;

fn render(body: &str) -> Rendered {
    let titles = markdown::default_alert_titles("en");
    let resolve = |p: &str| {
        Ok(Resolved {
            url: format!("/{p}/"),
            target: 0,
        })
    };
    markdown::render(
        body,
        &Options {
            alert_titles: &titles,
            resolve: &resolve,
            base_path: "/",
            page_dir: "",
            smart_punctuation: true,
            component: None,
        },
    )
}

/// Every `id="…"` written inside a tag (the bodies below have no raw HTML).
fn ids(html: &str) -> Vec<&str> {
    html.split('<')
        .filter_map(|rest| rest.split('>').next())
        .flat_map(|tag| tag.split(" id=\"").skip(1))
        .map(|value| value.split('"').next().unwrap_or(""))
        .collect()
}

fn assert_unique_ids(r: &Rendered) {
    let mut seen = HashSet::new();
    for id in ids(&r.html) {
        assert!(seen.insert(id), "id `{id}` twice:\n{}", r.html);
    }
}

/// Target `markdown`: a definition above its first reference lost its text.
#[test]
fn footnote_defined_before_its_reference_keeps_its_text() {
    let r = render("[^a]: The source, 2025.\n\nA claim[^a].\n");
    assert!(
        r.html
            .contains("<li id=\"fn-a\"><p>The source, 2025. <a href=\"#ref-fn-a\""),
        "{}",
        r.html
    );
}

/// Target `markdown`: a heading inside a footnote nobody cites was listed as an anchor,
/// so `@/page.md#head` passed the anchor check while the page had no such id.
#[test]
fn headings_in_unused_footnotes_are_not_anchors() {
    let unused = render("[^a]:# Head\n\nText.\n");
    assert!(unused.anchors.is_empty(), "{:?}", unused.anchors);
    assert!(!unused.html.contains("id=\"head\""), "{}", unused.html);

    let cited = render("Text[^a].\n\n[^a]:# Head\n");
    assert!(
        cited.anchors.contains(&"head".to_string()),
        "{:?}",
        cited.anchors
    );
    assert!(cited.html.contains("<h1 id=\"head\">"), "{}", cited.html);
    assert_unique_ids(&cited);
}

/// Target `markdown`: the ids of footnote references were not reserved, so a heading
/// called "ref-fn-a" and the reference to `[^a]` shared one id.
#[test]
fn footnote_reference_ids_never_repeat_a_heading_id() {
    let r = render("# ref-fn-a\n\nA claim[^a] and again[^a].\n\n[^a]: Note.\n");
    assert_unique_ids(&r);
    let back = r.html.split("class=\"footnote-back\"").next().unwrap_or("");
    let target = back.rsplit("href=\"#").next().unwrap_or("");
    let target = target.split('"').next().unwrap_or("");
    assert!(
        r.html.contains(&format!(
            "<sup class=\"footnote-ref\"><a href=\"#fn-a\" id=\"{target}\">1</a>"
        )),
        "the back link goes to `{target}`, which is not the first reference:\n{}",
        r.html
    );
}

/// Target `markdown`: `{id=b}` was written as a second id attribute beside the generated
/// one, and could repeat another heading's id.
#[test]
fn heading_id_attribute_is_the_heading_id() {
    let r = render("# A {id=b}\n\n# b\n");
    assert!(r.html.contains("<h1 id=\"b\">A</h1>"), "{}", r.html);
    assert!(r.html.contains("<h1 id=\"b-1\">b</h1>"), "{}", r.html);
    assert_unique_ids(&r);
}

/// Target `markdown`: table alignment reached the summary as `style=""`, which the
/// Content-Security-Policy blocks.
#[test]
fn summary_table_alignment_is_a_class() {
    let r = render("| a |\n|:-:|\n| b |\n\n<!-- more -->\n\nRest.\n");
    let summary = r.summary.expect("summary");
    assert!(
        summary.contains("<th class=\"align-center\">a</th>"),
        "{summary}"
    );
    assert!(!summary.contains("style="), "{summary}");
    assert!(!r.html.contains("style="), "{}", r.html);
}

/// Target `markdown`: the alignment rewrite also changed text in code samples.
#[test]
fn code_that_mentions_text_align_is_left_as_written() {
    let r = render("    <td style=\"text-align: left\">\n");
    assert!(
        r.html.contains("&lt;td style=\"text-align: left\"&gt;"),
        "{}",
        r.html
    );
    let r = render("`x style=\"text-align: right\" y`\n");
    assert!(
        r.html.contains("x style=\"text-align: right\" y"),
        "{}",
        r.html
    );
}

/// Target `config`: the default language was added after the URL prefix check, so a
/// language with `url_prefix = "/"` took the default's place unreported.
#[test]
fn unlisted_default_language_keeps_its_url_prefix() {
    let text =
        "title = \"T\"\nbase_url = \"/\"\n[languages.ko]\nname = \"K\"\nurl_prefix = \"/\"\n";
    let errs = Config::parse(Path::new("lantern.toml"), text).expect_err("en and ko share /");
    let all: String = errs.iter().map(|e| e.to_string()).collect();
    assert!(
        all.contains("languages `en` and `ko` both use the URL prefix `/`"),
        "{all}"
    );
}
