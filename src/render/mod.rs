//! Stage 3, render: Markdown bodies to HTML (3a), then every output through its Tera
//! template (3b). Both run in parallel; both collect every problem.
//!
//! Every output is a [`Job`] with a fingerprint of its inputs ([`fingerprint`]). A
//! [`RenderCache`] remembers the previous build's Markdown, views and output bytes: a cold
//! `build` starts with an empty cache, `serve` keeps one, so both run the same code and an
//! edit re-renders only the outputs whose inputs changed.

mod feeds;
pub mod fingerprint;
mod lists;
mod pages;
mod paginate;
mod redirects;
mod sitemap;
mod views;

pub use fingerprint::Fingerprints;
use fingerprint::combine;
pub use pages::template_for;
pub use sitemap::{SITEMAP_LIMIT, redirect_page};
pub use views::{ItemView, Views, build_views};

use crate::diagnostics::{Diagnostic, Location};
use crate::i18n::I18n;
use crate::markdown::{self, Rendered, Resolved};
use crate::model::Site;
use crate::templates::Templates;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// What one build leaves for the next.
#[derive(Default)]
pub struct RenderCache {
    markdown: HashMap<u64, Arc<Rendered>>,
    pub(crate) views: views::ViewCache,
    /// Output path -> (fingerprint, bytes).
    outputs: HashMap<String, (u64, Arc<Vec<u8>>)>,
    /// Output path -> the items (key, language) its template fetched with `get_page` or
    /// `get_section`, recorded when it was last rendered.
    pub(crate) deps: HashMap<String, Vec<(String, String)>>,
}

/// One output to produce: where, from what (for messages), with which inputs, and how.
pub struct Job<'a> {
    pub path: String,
    pub origin: String,
    pub fingerprint: u64,
    /// For renders that may call `get_page`/`get_section`: the `current_path` their
    /// dependencies are recorded under. Their fingerprints also cover those items.
    pub deps_key: Option<String>,
    pub render: Box<dyn FnOnce() -> Result<Vec<u8>, Diagnostic> + Send + 'a>,
}

/// One output file: where it goes, what is in it, and what made it (for messages).
#[derive(Clone)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Arc<Vec<u8>>,
    pub origin: String,
}

/// Renders every item's Markdown (reusing cached results) and checks every
/// `@/…#anchor`.
pub fn render_markdown(
    site: &Site,
    i18n: &I18n,
    fps: &Fingerprints,
    cache: &mut RenderCache,
) -> (Vec<Arc<Rendered>>, Vec<Diagnostic>) {
    let rendered: Vec<Arc<Rendered>> = (0..site.items.len())
        .into_par_iter()
        .map(|i| match cache.markdown.get(&fps.markdown[i]) {
            Some(r) => r.clone(),
            None => Arc::new(render_one(site, i18n, i)),
        })
        .collect();
    cache.markdown = fps
        .markdown
        .iter()
        .copied()
        .zip(rendered.iter().cloned())
        .collect();
    let problems = check_links(site, &rendered);
    (rendered, problems)
}

fn render_one(site: &Site, i18n: &I18n, i: usize) -> Rendered {
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
}

fn check_links(site: &Site, rendered: &[Arc<Rendered>]) -> Vec<Diagnostic> {
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
    problems
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

/// A fresh context for one render: `lang`, `current_path` and `paginator` (none unless
/// the page is one of several list pages). `config` and `data` are global to the engine.
pub fn context(lang: &str, current_path: &str) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("lang", lang);
    ctx.insert("current_path", current_path);
    ctx.insert_value("paginator", tera::Value::none());
    ctx
}

/// What rendering produced.
pub struct RenderOutput {
    pub files: Vec<OutputFile>,
    pub problems: Vec<Diagnostic>,
    /// Paths rendered afresh (not taken from the cache).
    pub rendered: Vec<String>,
}

/// Renders every kind of output: items (with their list pages), taxonomies, feeds,
/// 404 pages, sitemap, robots.txt, redirects and host headers. Outputs whose fingerprint
/// is unchanged since the last build with this cache are reused. (Pages need no
/// minifying: their templates were minified once when loaded.)
pub fn render_all(
    site: &Site,
    templates: &Templates,
    views: &Views,
    fps: &Fingerprints,
    cache: &mut RenderCache,
) -> RenderOutput {
    let mut jobs = pages::item_jobs(site, templates, views, fps);
    jobs.extend(lists::taxonomy_jobs(site, templates, views, fps));
    jobs.extend(lists::not_found_jobs(site, templates, fps));
    jobs.extend(feeds::feed_jobs(site, templates, views, fps));
    jobs.extend(sitemap::site_file_jobs(site, templates, fps));
    jobs.extend(redirects::redirect_jobs(site, fps));
    let mut problems = check_unique_paths(&jobs);
    let old = std::mem::take(&mut cache.outputs);
    let deps = &cache.deps;
    type Outcome = (
        String,
        String,
        u64,
        Option<String>,
        Result<(Arc<Vec<u8>>, bool), Diagnostic>,
    );
    let results: Vec<Outcome> = jobs
        .into_par_iter()
        .map(|job| {
            let expected = combine([
                job.fingerprint,
                deps_fingerprint(site, fps, deps, job.deps_key.as_deref()),
            ]);
            let result = match old.get(&job.path) {
                Some((fp, bytes)) if *fp == expected => Ok((bytes.clone(), false)),
                _ => (job.render)().map(|bytes| (Arc::new(bytes), true)),
            };
            (job.path, job.origin, job.fingerprint, job.deps_key, result)
        })
        .collect();
    // A fresh render recorded what it fetched: store its fingerprint with those items, so
    // the next build compares like with like.
    let recorded = templates.take_deps();
    let mut files = Vec::with_capacity(results.len());
    let mut rendered = Vec::new();
    for (path, origin, fp, deps_key, result) in results {
        match result {
            Ok((bytes, fresh)) => {
                if fresh {
                    rendered.push(path.clone());
                    if let Some(key) = &deps_key {
                        cache
                            .deps
                            .insert(key.clone(), recorded.get(key).cloned().unwrap_or_default());
                    }
                }
                let stored = combine([
                    fp,
                    deps_fingerprint(site, fps, &cache.deps, deps_key.as_deref()),
                ]);
                cache.outputs.insert(path.clone(), (stored, bytes.clone()));
                files.push(OutputFile {
                    path,
                    bytes,
                    origin,
                });
            }
            Err(d) => problems.push(d),
        }
    }
    RenderOutput {
        files,
        problems,
        rendered,
    }
}

/// Fingerprint of what a render at `key` fetched with `get_page`/`get_section` when it
/// was last rendered (an item that no longer exists changes it).
fn deps_fingerprint(
    site: &Site,
    fps: &Fingerprints,
    deps: &HashMap<String, Vec<(String, String)>>,
    key: Option<&str>,
) -> u64 {
    let Some(list) = key.and_then(|k| deps.get(k)) else {
        return 0;
    };
    combine(
        list.iter()
            .map(|key| site.by_key.get(key).map_or(u64::MAX, |&i| fps.view[i])),
    )
}

/// Generated files must not overwrite each other (a page at `/topics/` and the topics
/// taxonomy, an alias onto a real page).
fn check_unique_paths(jobs: &[Job]) -> Vec<Diagnostic> {
    let mut seen: HashMap<&str, &str> = HashMap::new();
    let mut problems = Vec::new();
    for j in jobs {
        if let Some(first) = seen.insert(&j.path, &j.origin) {
            problems.push(
                Diagnostic::new(format!(
                    "{first} and {} would both be written to {}",
                    j.origin, j.path
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
