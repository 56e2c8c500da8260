//! The search index as an [`Output`](crate::render::outputs::Output): per language, the
//! search page (`search/`, below the language's home), the manifest, the term shards and
//! the page shards, written beside the page.
//!
//! Every file of a language shares one fingerprint: the keys of the pages it indexes
//! (each page's document digest, URL and section title: exactly what its analysis
//! reads), so an edit of any indexed page re-writes that language's index and nothing
//! else. The index itself is built once, by the first of
//! those jobs to run (the others wait for it), and dropped when the last one is done.
//! Building it uses plain threads, not rayon: a rayon job waiting on the lock could
//! otherwise be stolen by the very thread that holds it.
//!
//! Pages are analysed (tokenised, stemmed, counted) once per content: [`Analyses`] keeps
//! each page's analysis by that key from one `serve` run to the next, so an edit
//! re-analyses the pages it changed and only merges and scores the rest again.

use super::index::{self, Analysed, Analyser, Index, Source};
use super::shards;
use crate::diagnostics::Diagnostic;
use crate::model::Site;
use crate::render::fingerprint::combine;
use crate::render::outputs::Cx;
use crate::render::{Job, context};
use crate::urls::UrlStyle;
use rustc_hash::FxHashMap;
use std::sync::{Arc, Mutex};

/// Page analyses by fingerprint: the previous run's, and this run's as they are made.
#[derive(Default)]
pub struct Analyses {
    old: FxHashMap<u64, Arc<Analysed>>,
    new: Mutex<FxHashMap<u64, Arc<Analysed>>>,
    /// The keys of every page this run indexes, whether or not its index is rebuilt.
    live: Mutex<Vec<u64>>,
    /// Pages analysed this run (not reused).
    made: std::sync::atomic::AtomicUsize,
    /// Whether this run's analyses are kept for the next (serve); a one-shot build
    /// drops each with its index.
    keep: bool,
}

impl Analyses {
    /// `old` is what the previous run kept ([`Analyses::into_cache`]).
    pub fn new(old: FxHashMap<u64, Arc<Analysed>>, keep: bool) -> Analyses {
        Analyses {
            old,
            new: Mutex::default(),
            live: Mutex::default(),
            made: Default::default(),
            keep,
        }
    }

    /// Notes the keys of pages this run indexes (a language whose index is unchanged is
    /// not rebuilt, and its analyses must still reach the next run).
    fn note_live(&self, keys: &[u64]) {
        if self.keep
            && let Ok(mut live) = self.live.lock()
        {
            live.extend_from_slice(keys);
        }
    }

    /// How many pages this run analysed rather than reused.
    pub fn made(&self) -> usize {
        self.made.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// What this run analysed or reused, and the previous run's analyses of pages it
    /// still indexes, for the next run. Analyses of changed or removed pages are dropped.
    pub fn into_cache(mut self) -> FxHashMap<u64, Arc<Analysed>> {
        let mut cache = self.new.into_inner().unwrap_or_default();
        for key in self.live.into_inner().unwrap_or_default() {
            if let Some(a) = self.old.remove(&key) {
                cache.entry(key).or_insert(a);
            }
        }
        cache
    }

    /// The analysis of each source (by `keys[i]`): the previous run's where it has one,
    /// the rest made on plain threads.
    fn analyse_all(&self, sources: &[Source<'_>], keys: &[u64]) -> Vec<Arc<Analysed>> {
        let mut out: Vec<Option<Arc<Analysed>>> =
            keys.iter().map(|k| self.old.get(k).cloned()).collect();
        let missing: Vec<usize> = (0..sources.len()).filter(|&i| out[i].is_none()).collect();
        let made = analyse_on_threads(&missing.iter().map(|&i| &sources[i]).collect::<Vec<_>>());
        self.made
            .fetch_add(made.len(), std::sync::atomic::Ordering::Relaxed);
        for (i, a) in missing.into_iter().zip(made) {
            out[i] = Some(Arc::new(a));
        }
        let out: Vec<Arc<Analysed>> = out.into_iter().flatten().collect();
        if self.keep
            && let Ok(mut new) = self.new.lock()
        {
            new.extend(keys.iter().copied().zip(out.iter().cloned()));
        }
        out
    }
}

/// The items a language's index holds.
pub fn indexed_items(site: &Site, lang: &str) -> Vec<usize> {
    (0..site.items.len())
        .filter(|&i| {
            let item = &site.items[i];
            let front = &site.doc(i).front;
            let noindex = front
                .extra
                .get("noindex")
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(false);
            item.lang == lang && !item.fallback && !front.draft && !noindex
        })
        .collect()
}

/// What item `i` gives the index.
pub fn source(site: &Site, i: usize) -> Source<'_> {
    let doc = site.doc(i);
    let item = &site.items[i];
    let section = item
        .parent
        .filter(|&p| site.items[p].parent.is_some())
        .and_then(|p| site.doc(p).front.title.as_deref())
        .unwrap_or_default();
    Source {
        title: doc.front.title.as_deref().unwrap_or_default(),
        url: &item.url_path,
        section,
        description: doc.front.description.as_deref(),
        markdown: doc.text.get(doc.body_start..).unwrap_or_default(),
    }
}

/// Analyses the pages on up to `available_parallelism` plain threads, in order.
fn analyse_on_threads(sources: &[&Source<'_>]) -> Vec<Analysed> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = sources.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = sources
            .chunks(chunk)
            .map(|c| s.spawn(move || Analyser::analyse_all(c.iter().copied())))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

/// The index of `sources`, analysed from scratch (tests, tools).
pub fn build_index(sources: &[Source<'_>]) -> Index {
    let analysed: Vec<Arc<Analysed>> = analyse_on_threads(&sources.iter().collect::<Vec<_>>())
        .into_iter()
        .map(Arc::new)
        .collect();
    index::build(&analysed)
}

/// One language's index files, all made by the first job that runs (one pass over the
/// index), each handed to its job, and dropped with the last.
struct Shared<'a> {
    site: &'a Site,
    analyses: &'a Analyses,
    items: Vec<usize>,
    /// Per item, the fingerprint of what its analysis reads.
    keys: Vec<u64>,
    term_shards: u32,
    suffix: &'static str,
    /// `m.js`, then `t<n>.js`, then `d<n>.js`; `None` until built.
    files: Mutex<Option<Vec<Vec<u8>>>>,
}

impl Shared<'_> {
    fn make(&self) -> Vec<Vec<u8>> {
        let sources: Vec<Source> = self.items.iter().map(|&i| source(self.site, i)).collect();
        let analysed = self.analyses.analyse_all(&sources, &self.keys);
        let index = index::build(&analysed);
        let mut files = vec![shards::manifest(&index, self.term_shards)];
        files.extend(shards::term_shards(&index, self.term_shards));
        files.extend(
            (0..shards::doc_shard_count(index.docs.len()))
                .map(|n| shards::doc_shard(&index, n, self.suffix)),
        );
        files
    }

    /// File `n` of the language's index.
    fn take(&self, n: usize) -> Result<Vec<u8>, Diagnostic> {
        let mut slot = self
            .files
            .lock()
            .map_err(|_| Diagnostic::new("the search index build failed"))?;
        let files = slot.get_or_insert_with(|| self.make());
        files
            .get_mut(n)
            .map(std::mem::take)
            .ok_or_else(|| Diagnostic::new("the search index has fewer files than planned"))
    }
}

/// The search page and index files of every language.
pub fn search_jobs<'a>(cx: &Cx<'a>) -> Vec<Job<'a>> {
    let site = cx.site;
    if !site.config.search.enabled {
        return Vec::new();
    }
    let taken: std::collections::HashSet<&str> =
        site.items.iter().map(|i| i.out_file.as_str()).collect();
    let suffix = if site.config.urls == UrlStyle::Portable {
        "index.html"
    } else {
        ""
    };
    let mut jobs = Vec::new();
    for lang in site.config.language_codes() {
        let home = crate::render::home_path(site, &lang);
        let dir = format!("{home}search/");
        let page = format!("{}index.html", &dir[1..]);
        if !taken.contains(page.as_str()) {
            jobs.push(page_job(cx, &lang, &dir, page));
        }
        jobs.extend(index_jobs(cx, &lang, &dir, suffix));
    }
    jobs
}

fn page_job<'a>(cx: &Cx<'a>, lang: &str, dir: &str, path: String) -> Job<'a> {
    let (site, templates) = (cx.site, cx.templates);
    let (lang, dir) = (lang.to_string(), dir.to_string());
    Job {
        verbatim: false,
        newest: None,
        origin: format!("the {lang} search page"),
        fingerprint: combine([cx.fps.env, crate::load::hash_of(&[path.as_bytes()])]),
        deps_key: Some(dir.clone()),
        path,
        render: Box::new(move || {
            let mut ctx = context(&lang, &dir);
            let links = crate::render::language_links(site, |l| {
                format!("{}search/", crate::render::home_path(site, l))
            });
            ctx.insert("languages", &links);
            templates
                .render("search.html", &ctx)
                .map(String::into_bytes)
        }),
    }
}

fn index_jobs<'a>(cx: &Cx<'a>, lang: &str, dir: &str, suffix: &'static str) -> Vec<Job<'a>> {
    let site = cx.site;
    let items = indexed_items(site, lang);
    let bytes: usize = items.iter().map(|&i| site.doc(i).text.len()).sum();
    let term_shards = shards::term_shard_count(bytes);
    let doc_shards = shards::doc_shard_count(items.len());
    // Exactly what a page's analysis reads (its file's text, its URL, its section's
    // title), so an edit changes the key of the edited page only.
    let keys: Vec<u64> = items
        .iter()
        .map(|&i| {
            let src = source(site, i);
            let place = crate::load::hash_of(&[src.url.as_bytes(), src.section.as_bytes()]);
            combine([site.doc(i).hash, place])
        })
        .collect();
    cx.search.note_live(&keys);
    let fingerprint = combine(
        [
            cx.fps.config,
            crate::load::hash_of(&[b"search", lang.as_bytes(), &term_shards.to_le_bytes()]),
        ]
        .into_iter()
        .chain(keys.iter().copied()),
    );
    let mut names = vec!["m.js".to_string()];
    names.extend((0..term_shards).map(|n| format!("t{n}.js")));
    names.extend((0..doc_shards).map(|n| format!("d{n}.js")));
    let shared = Arc::new(Shared {
        site,
        analyses: cx.search,
        items,
        keys,
        term_shards,
        suffix,
        files: Mutex::new(None),
    });
    names
        .into_iter()
        .enumerate()
        .map(|(n, name)| {
            let shared = shared.clone();
            Job {
                verbatim: true,
                newest: None,
                path: format!("{}{name}", &dir[1..]),
                origin: format!("the {lang} search index"),
                fingerprint,
                deps_key: None,
                render: Box::new(move || shared.take(n)),
            }
        })
        .collect()
}
