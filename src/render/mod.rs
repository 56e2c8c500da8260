//! Stage 3, render: Markdown bodies to HTML (3a), then every item through its Tera
//! template (3b). Both run in parallel over items; both collect every problem.

mod feeds;
mod lists;
mod pages;
mod paginate;
mod redirects;
mod sitemap;
mod views;

pub use pages::template_for;

pub use sitemap::{SITEMAP_LIMIT, redirect_page, render_site_files};

pub use views::{ItemView, Views, build_views};

use crate::diagnostics::{Diagnostic, Location};
use crate::i18n::I18n;
use crate::markdown::{self, Rendered, Resolved};
use crate::model::Site;
use crate::templates::Templates;
use rayon::prelude::*;
use std::collections::HashSet;

/// Renders every item's Markdown and checks every `@/…#anchor`.
pub fn render_markdown(site: &Site, i18n: &I18n) -> (Vec<Rendered>, Vec<Diagnostic>) {
    let rendered: Vec<Rendered> = (0..site.items.len())
        .into_par_iter()
        .map(|i| {
            let item = &site.items[i];
            let doc = site.doc(i);
            let titles = i18n.alert_titles(&doc.lang);
            let resolve = |path: &str| {
                site.resolve_link(&item.lang, path).map(|target| Resolved {
                    url: site.items[target].url_path.clone(),
                    target,
                })
            };
            let mut r = markdown::render(
                doc.body(),
                &markdown::Options {
                    alert_titles: &titles,
                    resolve: &resolve,
                    smart_punctuation: markdown::smart_punctuation_for(&doc.lang),
                },
            );
            r.html = absolutise_root_links(&r.html, &site.config.base_url);
            r
        })
        .collect();
    let mut problems = Vec::new();
    for (i, r) in rendered.iter().enumerate() {
        // A fallback shows the same text as its source: report its problems once.
        if site.items[i].fallback {
            continue;
        }
        let doc = site.doc(i);
        for p in &r.problems {
            problems.push(Diagnostic::new(p.message.clone()).at(Location::from_offset(
                &doc.path,
                &doc.text,
                doc.body_start + p.offset,
                p.len,
            )));
        }
        for check in &r.anchor_checks {
            let anchors: HashSet<&str> = rendered[check.target]
                .anchors
                .iter()
                .map(String::as_str)
                .collect();
            if !anchors.contains(check.anchor.as_str()) {
                let target = site.doc(check.target);
                let mut known: Vec<&str> = anchors.into_iter().collect();
                known.sort_unstable();
                problems.push(
                    Diagnostic::new(format!(
                        "`#{}` is not an anchor on {}",
                        check.anchor,
                        target.path.display()
                    ))
                    .at(Location::from_offset(
                        &doc.path,
                        &doc.text,
                        doc.body_start + check.offset,
                        check.len,
                    ))
                    .with_help(if known.is_empty() {
                        "that page has no headings to link to".to_string()
                    } else {
                        format!("anchors there: {}", known.join(", "))
                    }),
                );
            }
        }
    }
    (rendered, problems)
}

/// Links written as site-absolute (`/guides/`) by the resolver get the site's base path,
/// so a site served from `https://org.github.io/repo/` works.
fn absolutise_root_links(html: &str, base_url: &str) -> String {
    let base_path = base_path(base_url);
    if base_path == "/" {
        return html.to_string();
    }
    html.replace("href=\"/", &format!("href=\"{base_path}"))
        .replace("src=\"/", &format!("src=\"{base_path}"))
}

/// `https://org.github.io/repo/` -> `/repo/`.
pub fn base_path(base_url: &str) -> String {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    match after_scheme.find('/') {
        Some(i) if base_url.contains("://") => after_scheme[i..].to_string(),
        _ if base_url.starts_with('/') => base_url.to_string(),
        _ => "/".to_string(),
    }
}

/// One output file: where it goes, what is in it, and what made it (for messages).
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
    pub origin: String,
}

/// A fresh context for one render: `lang`, `current_path` and `paginator` (none unless
/// the page is one of several list pages). `config` and `data` are global to the engine.
pub fn context(lang: &str, current_path: &str) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("lang", lang);
    ctx.insert("current_path", current_path);
    ctx.insert_value("paginator", tera::Value::none());
    ctx
}

/// Renders every kind of output: items (with their list pages), taxonomies, feeds,
/// 404 pages, sitemap, robots.txt, redirects and host headers.
pub fn render_all(
    site: &Site,
    templates: &Templates,
    views: &Views,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let mut take = |(f, p): (Vec<OutputFile>, Vec<Diagnostic>)| {
        files.extend(f);
        problems.extend(p);
    };
    take(pages::render_items(site, templates, views));
    take(lists::render_taxonomies(site, templates, views));
    take(lists::render_not_found(site, templates));
    take(feeds::render_feeds(site, templates, views));
    take(render_site_files(site, templates));
    files.extend(redirects::render_redirects(site));
    files.push(redirects::headers_file(site));
    problems.extend(check_unique_paths(&files));
    (files, problems)
}

/// Generated files must not overwrite each other (a page at `/topics/` and the topics
/// taxonomy, an alias onto a real page).
fn check_unique_paths(files: &[OutputFile]) -> Vec<Diagnostic> {
    let mut seen: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    let mut problems = Vec::new();
    for f in files {
        if let Some(first) = seen.insert(&f.path, &f.origin) {
            problems.push(
                Diagnostic::new(format!(
                    "{first} and {} would both be written to {}",
                    f.origin, f.path
                ))
                .with_help("change a slug, an alias or a taxonomy name"),
            );
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths() {
        assert_eq!(base_path("https://example.org/"), "/");
        assert_eq!(base_path("https://org.github.io/repo/"), "/repo/");
        assert_eq!(base_path("/sub/"), "/sub/");
    }

    #[test]
    fn root_links_get_the_sub_path() {
        let html = absolutise_root_links(
            "<a href=\"/guides/\">x</a><img src=\"/a.png\">",
            "https://o.github.io/r/",
        );
        assert_eq!(html, "<a href=\"/r/guides/\">x</a><img src=\"/r/a.png\">");
    }
}
