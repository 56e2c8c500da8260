//! Links in the built HTML: every internal URL (from Markdown or templates, in any URL
//! style) must name an output, and none may lead to a draft. `@/` links and their
//! anchors were already checked by the build itself, which fails on them.

use super::scan::{Tag, Token};
use super::{Context, Finding};
use std::collections::HashSet;

/// Attributes that hold one URL.
const URL_ATTRS: &[&str] = &["href", "src", "poster", "action", "data"];

/// An internal URL that matches no output: (output it is in, URL as written, the output
/// path it resolves to).
pub type Broken = (String, String, String);

/// Findings for the broken links [`super::html::check`] collected in its scan.
pub fn check(cx: &Context, broken: Vec<Broken>) -> Vec<Finding> {
    if broken.is_empty() {
        return Vec::new();
    }
    let drafts = draft_outputs(cx);
    broken
        .into_iter()
        .map(|(out, url, target)| {
            let file = cx.file_of_output(&out);
            if drafts.contains(&target) {
                Finding::new(
                    "link-draft",
                    file,
                    format!("`{url}` in {out} links to a draft page"),
                )
                .suggest("publish the page (draft = false) or remove the link")
            } else {
                Finding::new(
                    "link-broken",
                    file,
                    format!("`{url}` in {out} matches no output file"),
                )
                .suggest("link to the page with `@/path/to/page.md` so the build checks it")
            }
        })
        .collect()
}

/// Every internal URL in the tokens of the HTML output `out` that names no output.
pub fn broken_in(cx: &Context, out: &str, tokens: &[Token]) -> Vec<Broken> {
    let mut broken = Vec::new();
    let mut seen = HashSet::new();
    for token in tokens {
        let Token::Start(tag) = token else { continue };
        for url in urls_of(tag) {
            let Some(target) = resolve(cx, out, &url) else {
                continue;
            };
            if !exists(cx, &target) && seen.insert(url.clone()) {
                broken.push((out.to_string(), url, target));
            }
        }
    }
    broken
}

/// The URLs a tag names: its URL attributes and every candidate of `srcset`.
pub fn urls_of(tag: &Tag) -> Vec<String> {
    let mut urls: Vec<String> = URL_ATTRS
        .iter()
        .filter_map(|a| tag.attr(a))
        .map(str::to_string)
        .collect();
    if let Some(srcset) = tag.attr("srcset") {
        urls.extend(srcset_urls(srcset));
    }
    urls
}

pub fn srcset_urls(srcset: &str) -> Vec<String> {
    srcset
        .split(',')
        .filter_map(|c| c.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

/// Whether an output answers for `target` (a folder answers with its `index.html`).
fn exists(cx: &Context, target: &str) -> bool {
    cx.outputs.contains_key(target)
        || cx
            .outputs
            .contains_key(format!("{target}/index.html").as_str())
}

/// The output path an internal URL names, or `None` for anything not on this site
/// (other hosts, `mailto:`, fragments of the same page).
pub fn resolve(cx: &Context, out: &str, url: &str) -> Option<String> {
    let url = url.trim();
    let path = url.split(['#', '?']).next().unwrap_or("");
    if path.is_empty() || path.starts_with("//") {
        return None;
    }
    let urls = &cx.built.site.urls;
    let base_url = &cx.built.site.config.base_url;
    let site_path = if let Some(rest) = path.strip_prefix(base_url.as_str()) {
        rest.to_string()
    } else if has_scheme(path) {
        return None;
    } else if let Some(rest) = path.strip_prefix('/') {
        let base = urls.base_path().trim_start_matches('/');
        rest.strip_prefix(base).unwrap_or(rest).to_string()
    } else {
        let dir = out.rfind('/').map_or("", |i| &out[..=i]);
        format!("{dir}{path}")
    };
    let decoded = percent_encoding::percent_decode_str(&site_path).decode_utf8_lossy();
    Some(normalise(&decoded))
}

fn has_scheme(url: &str) -> bool {
    match url.find(':') {
        Some(i) => {
            let scheme = &url[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

/// Removes `.` and `..` segments; a folder (`a/`, ``) becomes its `index.html`.
fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    if path.ends_with('/') || joined.is_empty() {
        if joined.is_empty() {
            "index.html".into()
        } else {
            format!("{joined}/index.html")
        }
    } else {
        joined
    }
}

/// The output paths draft pages would have: routed again with drafts, only when some
/// link is broken (drafts are not in the checked build).
fn draft_outputs(cx: &Context) -> HashSet<String> {
    let config = cx.built.site.config.clone();
    let Ok(loaded) = crate::load::load(cx.root, &config) else {
        return HashSet::new();
    };
    let Ok(site) = crate::model::Site::new(config, loaded, true) else {
        return HashSet::new();
    };
    site.items
        .iter()
        .filter(|it| !it.fallback && site.docs[it.doc].front.draft)
        .map(|it| it.out_file.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn normalises_dots_and_folders() {
        assert_eq!(normalise("guides/x/../y/"), "guides/y/index.html");
        assert_eq!(normalise("../../style.css"), "style.css");
        assert_eq!(normalise(""), "index.html");
    }
}
