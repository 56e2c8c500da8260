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
mod run;
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
    /// Render key -> the `resize_image` copies its template asked for when it was last
    /// rendered (what a reused render still needs published).
    pub resizes: HashMap<String, Vec<crate::images::resize::Resize>>,
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
/// 404 pages, sitemap, robots.txt, redirects and host headers, then (the second phase)
/// the images: what the first phase's bodies and templates asked for, with every
/// published image. Outputs whose fingerprint equals `previous` are reused when the sink
/// still has them. (Pages need no minifying: their templates were minified once.)
pub fn render_all<S: Sink>(
    cx: &outputs::Cx,
    previous: &OutputRecord,
    sink: &S,
) -> RenderOutput<S::Kept> {
    let mut jobs: Vec<Job> = outputs::OUTPUTS.iter().flat_map(|o| o.jobs(cx)).collect();
    // Newest first, undated last (stable, so each kind keeps its order among equals):
    // what lets a one-shot build drop values early. `serve` keeps them all anyway.
    if cx.views.releases_after_use() {
        jobs.sort_by_key(|j| std::cmp::Reverse(j.newest));
    }
    let mut run = run::Run::new(cx, previous, sink);
    run.run(jobs);
    if outputs::OUTPUTS.iter().any(|o| o.wants_discoveries()) {
        let found = run.discoveries();
        let second: Vec<Job> = outputs::OUTPUTS
            .iter()
            .flat_map(|o| o.discovered(cx, &found))
            .collect();
        run.run(second);
    }
    run.finish()
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
