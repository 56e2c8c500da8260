//! Stage 3, render: Markdown bodies to HTML (3a), then every item through its Tera
//! template (3b). Both run in parallel over items; both collect every problem.

mod sitemap;
mod views;

pub use sitemap::{SITEMAP_LIMIT, redirect_page, render_site_files};

pub use views::{ItemView, build_views};

use crate::diagnostics::{Diagnostic, Location};
use crate::i18n::I18n;
use crate::load::DocKind;
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

/// The template an item uses: its own `template`, else the kind's default.
pub fn template_for(site: &Site, item: usize) -> String {
    let doc = site.doc(item);
    if let Some(t) = &doc.front.template {
        return t.clone();
    }
    match site.items[item].kind {
        DocKind::Page => "page.html".into(),
        DocKind::Section if doc.key == "_index.md" => "index.html".into(),
        DocKind::Section => "section.html".into(),
    }
}

/// One output file: where it goes and what is in it.
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Renders every item through its template.
pub fn render_pages(
    site: &Site,
    templates: &Templates,
    views: &[tera::Value],
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let config_value = tera::Value::from_serializable(&site.config);
    let results: Vec<Result<OutputFile, Diagnostic>> = (0..site.items.len())
        .into_par_iter()
        .map(|i| {
            let item = &site.items[i];
            let name = template_for(site, i);
            let doc = site.doc(i);
            if !templates.has(&name) {
                return Err(Diagnostic::new(format!("template `{name}` does not exist"))
                    .at(doc.key_location("template"))
                    .with_help(format!(
                        "templates looked for in: {}",
                        templates.search_path()
                    )));
            }
            let mut ctx = tera::Context::new();
            ctx.insert_value("config", config_value.clone());
            let key = if item.kind == DocKind::Page {
                "page"
            } else {
                "section"
            };
            ctx.insert_value(key, views[i].clone());
            ctx.insert("lang", &item.lang);
            ctx.insert("current_path", &item.url_path);
            templates
                .render(&name, &ctx)
                .map(|html| OutputFile {
                    path: item.out_file.clone(),
                    bytes: html.into_bytes(),
                })
                .map_err(|d| d.with_help(format!("while rendering {}", doc.path.display())))
        })
        .collect();
    let mut files = Vec::with_capacity(results.len());
    let mut problems = Vec::new();
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(d) => problems.push(d),
        }
    }
    (files, problems)
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
