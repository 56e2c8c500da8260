//! Markdown bodies: rendering never panics, every byte range it reports lies inside the
//! body on character boundaries, and every id it writes is unique on the page.

#![no_main]

use lantern::markdown::{self, Options, Rendered, Resolved, TocEntry, Unresolved};
use lantern_fuzz::check_range;
use libfuzzer_sys::fuzz_target;
use std::collections::HashSet;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let Ok(body) = std::str::from_utf8(rest) else {
        return;
    };
    let titles = markdown::default_alert_titles(if flags & 2 == 0 { "en" } else { "ko" });
    let rendered = markdown::render(
        body,
        &Options {
            alert_titles: &titles,
            resolve: &resolve,
            base_path: "/",
            page_dir: if flags & 4 == 0 { "" } else { "/guides/x/" },
            smart_punctuation: flags & 1 == 0,
            component: None,
        },
    );
    check_ranges(body, &rendered);
    check_ids(body, &rendered);
});

/// Some `@/` links resolve, some are missing, some name a page that failed to load.
fn resolve(path: &str) -> Result<Resolved, Unresolved> {
    match path.len() % 3 {
        0 => Ok(Resolved {
            url: format!("/{path}/"),
            target: path.len(),
        }),
        1 => Err(Unresolved::Problem(format!("no page {path}"))),
        _ => Err(Unresolved::Reported),
    }
}

fn check_ranges(body: &str, r: &Rendered) {
    for p in &r.problems {
        check_range(body, p.offset, p.len, "problem");
    }
    for a in &r.anchor_checks {
        check_range(body, a.offset, a.len, "anchor check");
    }
    if r.summary.is_some() {
        assert!(
            body.contains("<!-- more -->"),
            "a summary without the marker"
        );
    }
}

fn check_ids(body: &str, r: &Rendered) {
    let mut anchors = HashSet::new();
    for a in &r.anchors {
        assert!(
            anchors.insert(a.as_str()),
            "anchor `{a}` twice: {:?}",
            r.anchors
        );
    }
    let mut toc_ids = Vec::new();
    collect_toc_ids(&r.toc, &mut toc_ids);
    for id in &toc_ids {
        assert!(anchors.contains(*id), "toc id `{id}` is not an anchor");
    }
    // Without raw HTML in the body, every tag in the output was written by the renderer.
    if body.contains('<') {
        return;
    }
    let mut html_ids = HashSet::new();
    for (_, id) in attributes(&r.html, "id") {
        assert!(
            html_ids.insert(id),
            "id `{id}` twice in the page:\n{}",
            r.html
        );
    }
    for a in &anchors {
        let written = markdown::escape_html(a);
        assert!(
            html_ids.contains(written.as_str()),
            "anchor `{a}` is not an id in the page:\n{}",
            r.html
        );
    }
    // Table alignment is the renderer's own styling (headings may carry any attribute the
    // editor writes, `{style=…}` included).
    for html in std::iter::once(&r.html).chain(&r.summary) {
        let styles: Vec<&str> = attributes(html, "style")
            .filter(|(tag, _)| tag.starts_with("th ") || tag.starts_with("td "))
            .map(|(_, value)| value)
            .collect();
        assert!(
            styles.is_empty(),
            "inline style (blocked by the CSP): {styles:?}\n{html}"
        );
    }
}

fn collect_toc_ids<'t>(entries: &'t [TocEntry], out: &mut Vec<&'t str>) {
    for e in entries {
        out.push(&e.id);
        collect_toc_ids(&e.children, out);
    }
}

/// (tag, value) for each attribute `name` in the tags of `html`. Text between tags is
/// skipped: Markdown text keeps its `"`, so ` id="` may appear there.
fn attributes<'h>(html: &'h str, name: &str) -> impl Iterator<Item = (&'h str, &'h str)> {
    let needle = format!(" {name}=\"");
    html.split('<')
        .skip(1)
        .filter_map(|rest| rest.split('>').next())
        .flat_map(move |tag| {
            tag.split(needle.as_str())
                .skip(1)
                .map(|value| (tag, value.split('"').next().unwrap_or("")))
                .collect::<Vec<_>>()
        })
}
