//! Stage 3, render: Markdown bodies to HTML (3a, [`Bodies`]), then every output through
//! its Tera template (3b). Both run in parallel; both collect every problem.
//!
//! Every output is a [`Job`] with a fingerprint of its inputs ([`fingerprint`]); making a
//! job is cheap (no template value is built until it runs). A job whose fingerprint
//! equals the previous build's is not run: the [`Sink`] reuses what that build produced
//! (bytes in memory for `serve`, the file on disk for `build`). So a cold build, a
//! `serve` edit and a `build` with nothing changed all run the same code, and each
//! renders only what its inputs can have changed.

mod bodies;
pub mod components;
mod feeds;
pub mod fingerprint;
pub mod functions;
mod links;
mod lists;
pub mod outputs;
mod pages;
mod paginate;
mod redirects;
mod sitemap;
mod statements;
mod views;

pub use bodies::{Bodies, Body};
pub use components::Components;
pub use fingerprint::Fingerprints;
use fingerprint::combine;
pub use functions::Env;
pub use pages::template_for;
pub use sitemap::{SITEMAP_LIMIT, redirect_page};
pub use statements::{home_path, language_links};
pub use views::{ItemView, Views};

use crate::dates::Date;
use crate::diagnostics::Diagnostic;
use crate::model::Site;
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// What one build's outputs were made from, for the next build to compare with.
#[derive(Default, Clone, Debug, PartialEq)]
pub struct OutputRecord {
    /// Output path -> fingerprint of its inputs (including what it fetched).
    pub fingerprints: HashMap<String, u64>,
    /// Render key (`current_path`) -> the items (key, language) its template fetched with
    /// `get_page` or `get_section` when it was last rendered.
    pub deps: HashMap<String, Vec<(String, String)>>,
}

/// Where finished outputs go: memory (`serve`) or a staging folder (`build`).
pub trait Sink: Sync {
    /// What the sink keeps of one output.
    type Kept: Send;
    /// The previous build's output at `path`, when it is still there as it was; `None`
    /// makes the job render.
    fn reuse(&self, path: &str) -> Option<Self::Kept>;
    /// A freshly rendered output.
    fn store(&self, path: &str, bytes: Vec<u8>) -> Result<Self::Kept, Diagnostic>;
}

/// One output to produce: where, from what (for messages), with which inputs, and how.
pub struct Job<'a> {
    pub path: String,
    pub origin: String,
    pub fingerprint: u64,
    /// For renders that may call `get_page`/`get_section`: the `current_path` their
    /// dependencies are recorded under. Their fingerprints also cover those items.
    pub deps_key: Option<String>,
    /// The date of the newest page the output shows, if any: jobs run newest first, so
    /// the list pages and the page of one item run close together and what they share
    /// (its body and list form) is dropped soon after it is made.
    pub newest: Option<Date>,
    /// Bytes published as they are (static files): no emit-stage URL pass.
    pub verbatim: bool,
    pub render: Box<dyn FnOnce() -> Result<Vec<u8>, Diagnostic> + Send + 'a>,
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
pub struct RenderOutput<K> {
    /// Every output, in job order: (path, what the sink kept).
    pub files: Vec<(String, K)>,
    pub problems: Vec<Diagnostic>,
    /// Paths rendered afresh (not reused).
    pub rendered: Vec<String>,
    /// What the next build compares with.
    pub record: OutputRecord,
}

/// Renders every kind of output: items (with their list pages), taxonomies, feeds,
/// 404 pages, sitemap, robots.txt, redirects and host headers. Outputs whose fingerprint
/// equals `previous` are reused when the sink still has them. (Pages need no minifying:
/// their templates were minified once when loaded.)
pub fn render_all<S: Sink>(
    cx: &outputs::Cx,
    previous: &OutputRecord,
    sink: &S,
) -> RenderOutput<S::Kept> {
    let (site, views, fps) = (cx.site, cx.views, cx.fps);
    let mut jobs: Vec<Job> = outputs::OUTPUTS.iter().flat_map(|o| o.jobs(cx)).collect();
    if outputs::OUTPUTS.iter().any(|o| o.wants_discoveries()) {
        let found = views.bodies().discovered();
        jobs.extend(
            outputs::OUTPUTS
                .iter()
                .flat_map(|o| o.discovered(cx, &found)),
        );
    }
    let mut problems = check_unique_paths(&jobs);
    // Newest first, undated last (stable, so each kind keeps its order among equals):
    // what lets a one-shot build drop values early. `serve` keeps them all anyway.
    if views.releases_after_use() {
        jobs.sort_by_key(|j| std::cmp::Reverse(j.newest));
    }
    struct Done<K> {
        path: String,
        fingerprint: u64,
        deps_key: Option<String>,
        fresh: bool,
        result: Result<K, Diagnostic>,
    }
    let results: Vec<Done<S::Kept>> = jobs
        .into_par_iter()
        .map(|job| {
            let expected = combine([
                job.fingerprint,
                deps_fingerprint(site, fps, &previous.deps, job.deps_key.as_deref()),
            ]);
            let reused = (previous.fingerprints.get(&job.path) == Some(&expected))
                .then(|| sink.reuse(&job.path))
                .flatten();
            let fresh = reused.is_none();
            let result = match reused {
                Some(kept) => Ok(kept),
                None => (job.render)()
                    .map(|bytes| {
                        if job.verbatim {
                            bytes
                        } else {
                            site_relative(site, &job.path, bytes)
                        }
                    })
                    .and_then(|bytes| sink.store(&job.path, bytes)),
            };
            Done {
                path: job.path,
                fingerprint: job.fingerprint,
                deps_key: job.deps_key,
                fresh,
                result,
            }
        })
        .collect();
    // A fresh render recorded what it fetched: store its fingerprint with those items, so
    // the next build compares like with like.
    let fetched = cx.env.take_deps();
    let mut record = OutputRecord {
        fingerprints: HashMap::with_capacity(results.len()),
        deps: HashMap::new(),
    };
    let mut files = Vec::with_capacity(results.len());
    let mut rendered = Vec::new();
    for done in results {
        let kept = match done.result {
            Ok(kept) => kept,
            Err(d) => {
                problems.push(d);
                continue;
            }
        };
        if let Some(key) = &done.deps_key {
            let list = if done.fresh {
                fetched.get(key).cloned().unwrap_or_default()
            } else {
                previous.deps.get(key).cloned().unwrap_or_default()
            };
            if !list.is_empty() {
                record.deps.insert(key.clone(), list);
            }
        }
        let stored = combine([
            done.fingerprint,
            deps_fingerprint(site, fps, &record.deps, done.deps_key.as_deref()),
        ]);
        record.fingerprints.insert(done.path.clone(), stored);
        if done.fresh {
            rendered.push(done.path.clone());
        }
        files.push((done.path, kept));
    }
    RenderOutput {
        files,
        problems,
        rendered,
        record,
    }
}

/// The emit-stage URL pass: root paths in an HTML output become relative to it, so the
/// same output works at any host, sub-path or from disk. Not for 404 pages, which hosts
/// serve at any depth: their links stay root paths.
fn site_relative(site: &Site, path: &str, bytes: Vec<u8>) -> Vec<u8> {
    let is_html = path.ends_with(".html");
    let is_404 = path == "404.html" || path.ends_with("/404.html");
    if !is_html || is_404 {
        return bytes;
    }
    site.urls.relativize_html(bytes, path)
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
    let mut seen: HashMap<&str, &str> = HashMap::with_capacity(jobs.len());
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

/// Keeps outputs in memory, reusing the previous build's bytes (`serve`, tests).
#[derive(Default)]
pub struct MemorySink {
    pub previous: HashMap<String, Arc<Vec<u8>>>,
}

impl Sink for MemorySink {
    type Kept = Arc<Vec<u8>>;
    fn reuse(&self, path: &str) -> Option<Arc<Vec<u8>>> {
        self.previous.get(path).cloned()
    }
    fn store(&self, _path: &str, bytes: Vec<u8>) -> Result<Arc<Vec<u8>>, Diagnostic> {
        Ok(Arc::new(bytes))
    }
}
