//! The seam every kind of output plugs into.
//!
//! A kind of output (pages, taxonomy pages, feeds, the sitemap, redirects, static files,
//! and later the search index or resized images) is one value implementing [`Output`].
//! [`render_all`](super::render_all) asks each for its jobs, checks that no two jobs
//! write the same path, and runs them all through one [`Sink`](super::Sink), so every
//! output gets fingerprints, incremental reuse, the emit-stage URL pass and collision
//! checks for free. Adding a kind of output means adding a value to [`OUTPUTS`].
//!
//! ## The contract (as ripgrep documents its `Sink`)
//!
//! - [`Output::jobs`] runs once per build, after the model and before any job runs, on
//!   the build's thread. It must be cheap: it decides *what* is written and from which
//!   inputs (a fingerprint per job), not the bytes. Anything expensive goes in the job's
//!   closure, which runs later, in parallel, only when the job's fingerprint differs from
//!   the previous build's (or the sink no longer has the old output).
//! - A job's fingerprint must cover everything its bytes are made from. A fingerprint
//!   that misses an input is a stale-output bug; one that covers too much only costs a
//!   re-render.
//! - Errors travel as values: a job whose inputs are wrong is still returned, with a
//!   closure that returns the `Diagnostic`, so one build reports every problem. Neither
//!   method panics on user input.
//! - [`Output::discovered`] runs once after every first-phase job has run, with what
//!   the renders found that needs an output of its own: images a Markdown body
//!   references, and copies templates asked for with `resize_image` (this build's
//!   renders and, for renders reused from the last build, what they asked for then).
//!   Its jobs run through the same sink, and their paths are checked against the first
//!   phase's. The default makes none.

use super::{Fingerprints, Job, Views};
use crate::model::Site;
use crate::templates::Templates;
use std::sync::Arc;

/// What an output's jobs may read: the finished, immutable site and the build's shared
/// render state.
pub struct Cx<'a> {
    pub site: &'a Site,
    pub templates: &'a Templates,
    /// What template functions read and record (dependencies, `load_data` reads).
    pub env: &'a super::Env,
    pub views: &'a Views,
    pub fps: &'a Fingerprints,
    /// Static files and page-bundle assets, read once per build.
    pub statics: &'a [StaticFile],
    /// The publishable images among them, probed.
    pub images: &'a crate::images::Index,
    /// Search analyses of pages, kept between `serve` runs.
    pub search: &'a crate::search::output::Analyses,
}

/// Something the first phase's renders found that another output may publish.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Discovered {
    /// An image a Markdown body references (its site path, as written after resolving).
    Image { from_item: usize, src: String },
    /// A copy a template asked for with `resize_image`.
    Resize(crate::images::resize::Resize),
}

/// One kind of output. See the module documentation for when each method runs.
pub trait Output: Sync {
    /// For messages and timings.
    fn name(&self) -> &'static str;
    /// Every job of this kind for this build.
    fn jobs<'a>(&self, cx: &Cx<'a>) -> Vec<Job<'a>>;
    /// Whether this output takes part in the second phase. Only then are the first
    /// phase's discoveries gathered (which needs every body rendered).
    fn wants_discoveries(&self) -> bool {
        false
    }
    /// Jobs for what the first phase discovered (none by default).
    fn discovered<'a>(&self, _cx: &Cx<'a>, _found: &[Discovered]) -> Vec<Job<'a>> {
        Vec::new()
    }
}

/// Every kind of output a build writes, in the order their jobs are made.
pub const OUTPUTS: &[&dyn Output] = &[
    &Pages,
    &Taxonomies,
    &NotFoundPages,
    &Statements,
    &Booklets,
    &Feeds,
    &SiteFiles,
    &Redirects,
    &Search,
    &StaticFiles,
    &crate::images::output::Images,
];

/// The search page and index of every language (`crate::search`).
struct Search;
impl Output for Search {
    fn name(&self) -> &'static str {
        "search"
    }
    fn jobs<'a>(&self, cx: &Cx<'a>) -> Vec<Job<'a>> {
        crate::search::output::search_jobs(cx)
    }
}

struct Pages;
impl Output for Pages {
    fn name(&self) -> &'static str {
        "pages"
    }
    fn jobs<'a>(&self, cx: &Cx<'a>) -> Vec<Job<'a>> {
        super::pages::item_jobs(cx.site, cx.templates, cx.views, cx.fps)
    }
}

struct Taxonomies;
impl Output for Taxonomies {
    fn name(&self) -> &'static str {
        "taxonomies"
    }
    fn jobs<'a>(&self, cx: &Cx<'a>) -> Vec<Job<'a>> {
        super::lists::taxonomy_jobs(cx.site, cx.templates, cx.views, cx.fps)
    }
}

struct NotFoundPages;
impl Output for NotFoundPages {
    fn name(&self) -> &'static str {
        "404 pages"
    }
    fn jobs<'a>(&self, cx: &Cx<'a>) -> Vec<Job<'a>> {
        super::lists::not_found_jobs(cx.site, cx.templates, cx.fps)
    }
}

/// The accessibility and privacy statements (unless the site has its own page there).
struct Statements;
impl Output for Statements {
    fn name(&self) -> &'static str {
        "statements"
    }
    fn jobs<'a>(&self, cx: &Cx<'a>) -> Vec<Job<'a>> {
        super::statements::statement_jobs(cx.site, cx.templates, cx.fps)
    }
}

/// Each section as one printable booklet.
struct Booklets;
impl Output for Booklets {
    fn name(&self) -> &'static str {
        "booklets"
    }
    fn jobs<'a>(&self, cx: &Cx<'a>) -> Vec<Job<'a>> {
        super::statements::booklet_jobs(cx.site, cx.templates, cx.views, cx.fps)
    }
}

struct Feeds;
impl Output for Feeds {
    fn name(&self) -> &'static str {
        "feeds"
    }
    fn jobs<'a>(&self, cx: &Cx<'a>) -> Vec<Job<'a>> {
        super::feeds::feed_jobs(cx.site, cx.templates, cx.views, cx.fps)
    }
}

struct SiteFiles;
impl Output for SiteFiles {
    fn name(&self) -> &'static str {
        "sitemap and robots.txt"
    }
    fn jobs<'a>(&self, cx: &Cx<'a>) -> Vec<Job<'a>> {
        super::sitemap::site_file_jobs(cx.site, cx.templates, cx.fps)
    }
}

struct Redirects;
impl Output for Redirects {
    fn name(&self) -> &'static str {
        "redirects"
    }
    fn jobs<'a>(&self, cx: &Cx<'a>) -> Vec<Job<'a>> {
        super::redirects::redirect_jobs(cx.site, cx.fps)
    }
}

/// A file published as it is: a theme or site static file, or a page-bundle asset.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Output path (`style.css`, `guides/x/pic.png`).
    pub path: String,
    /// Where it comes from, for messages.
    pub origin: String,
    pub source: StaticSource,
    /// Digest of its bytes: a replaced file is republished whatever its size and time.
    pub digest: u64,
}

#[derive(Debug, Clone)]
pub enum StaticSource {
    /// Already read (theme files, which are small; the built-in theme is in the binary).
    Bytes(Arc<Vec<u8>>),
    /// Read when its job runs (page-bundle assets, which may be large photos).
    Disk(std::path::PathBuf),
}

impl StaticFile {
    pub(crate) fn bytes(&self) -> Result<Vec<u8>, crate::diagnostics::Diagnostic> {
        match &self.source {
            StaticSource::Bytes(b) => Ok(b.to_vec()),
            StaticSource::Disk(p) => std::fs::read(p).map_err(|e| {
                crate::diagnostics::Diagnostic::in_file(p, format!("cannot read: {e}"))
            }),
        }
    }
}

struct StaticFiles;
impl Output for StaticFiles {
    fn name(&self) -> &'static str {
        "static files"
    }
    fn jobs<'a>(&self, cx: &Cx<'a>) -> Vec<Job<'a>> {
        // Images are re-encoded by the image output's second phase instead.
        cx.statics
            .iter()
            .filter(|f| !crate::images::output::is_published_here(&f.path))
            .map(|f| Job {
                path: f.path.clone(),
                origin: f.origin.clone(),
                fingerprint: f.digest,
                deps_key: None,
                newest: None,
                verbatim: true,
                render: Box::new(move || f.bytes()),
            })
            .collect()
    }
}
