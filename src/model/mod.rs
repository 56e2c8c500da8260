//! Stage 2, model: documents become a routed site. Every page and section gets its URL,
//! its output file, its parent section and its translations; missing translations get
//! fallback items; `@/` links are resolved against this model.
//!
//! Invariants: every item has a unique `out_file`; every item's `parent` is a section in
//! the same language tree; `docs` and `items` never change after [`Site::new`].

mod aliases;
mod routes;
mod sort;
pub mod taxonomy;

pub use routes::LinkTarget;
pub use sort::sort_pages;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::load::{DocKind, Document, Loaded};
use std::collections::HashMap;
use std::sync::Arc;

/// One output page: a document rendered into one language tree.
#[derive(Debug, Clone)]
pub struct Item {
    /// Index into [`Site::docs`] of the text shown.
    pub doc: usize,
    /// The language tree the page lives in (its URL prefix, its UI strings).
    pub lang: String,
    /// True when `lang` has no translation and the page shows the source text instead.
    pub fallback: bool,
    pub kind: DocKind,
    pub slug: String,
    /// Site-relative URL path, always starting and ending with `/`: `/ko/guides/telegram/`.
    pub url_path: String,
    /// Output file below the output folder: `ko/guides/telegram/index.html`.
    pub out_file: String,
    /// The section that lists this item (none for the root sections).
    pub parent: Option<usize>,
    /// For sections: pages and subsections directly below, pages sorted.
    pub pages: Vec<usize>,
    pub subsections: Vec<usize>,
}

/// A copy to make: source file to output path.
#[derive(Debug, Clone)]
pub struct AssetCopy {
    pub src: std::path::PathBuf,
    pub out_file: String,
}

#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    pub docs: Vec<Arc<Document>>,
    pub items: Vec<Item>,
    pub assets: Vec<AssetCopy>,
    /// (translation key, language tree) -> item.
    pub by_key: HashMap<(String, String), usize>,
    /// Language -> its root section item.
    pub roots: HashMap<String, usize>,
    /// Problems that do not stop the build (a translation without a source).
    pub warnings: Vec<Diagnostic>,
    /// Keys of content files that failed to load (already reported).
    pub unreadable: std::collections::HashSet<String>,
    /// Taxonomies of every language tree.
    pub taxonomies: Vec<taxonomy::Taxonomy>,
    /// Whether the last document is the home page made up for a site without
    /// `content/_index.md`.
    generated_root: bool,
    /// Digest of every route and term, computed once (see `render::fingerprint`): a site
    /// that takes new bodies keeps its routes.
    pub routes_digest: std::sync::OnceLock<u64>,
    /// Site paths into the URLs outputs write (see [`crate::urls`]).
    pub urls: crate::urls::Urls,
}

impl Site {
    /// Routes every document. `drafts` keeps draft pages.
    pub fn new(config: Config, loaded: Loaded, drafts: bool) -> Result<Site, Vec<Diagnostic>> {
        let mut docs: Vec<Arc<Document>> = loaded
            .docs
            .into_iter()
            .filter(|d| drafts || !d.front.draft)
            .collect();
        let generated_root = ensure_root_sections(&config, &mut docs);
        let mut problems = Vec::new();
        let mut warnings = Vec::new();
        let mut items = routes::route(&config, &docs, &mut problems, &mut warnings);
        routes::check_unique_outputs(&docs, &items, &mut problems);
        problems.extend(taxonomy::check_declared(&config, &docs));
        problems.extend(aliases::check(&docs));
        if !problems.is_empty() {
            return Err(problems);
        }
        let by_key: HashMap<(String, String), usize> = items
            .iter()
            .enumerate()
            .map(|(i, it)| ((docs[it.doc].key.clone(), it.lang.clone()), i))
            .collect();
        let roots = link_sections(&docs, &mut items, &by_key);
        for i in 0..items.len() {
            if items[i].kind == DocKind::Section {
                let mut pages = std::mem::take(&mut items[i].pages);
                let sort_by = docs[items[i].doc].front.sort_by;
                sort_pages(&mut pages, sort_by, &items, &docs);
                items[i].pages = pages;
            }
        }
        let assets = routes::route_assets(&loaded.assets, &docs, &items);
        let urls = crate::urls::Urls::new(&config.base_url, config.urls);
        Ok(Site {
            urls,
            config,
            docs,
            items,
            assets,
            by_key,
            roots,
            warnings,
            unreadable: loaded.unreadable.into_iter().collect(),
            taxonomies: Vec::new(),
            generated_root,
            routes_digest: std::sync::OnceLock::new(),
        }
        .with_taxonomies())
    }

    fn with_taxonomies(mut self) -> Site {
        self.taxonomies = taxonomy::collect(&self);
        self
    }

    /// Takes the new versions of edited documents without routing again, when that is
    /// sure to give the same site: the same files, none failing to load, and every edited
    /// document with its front matter unchanged (routes, order and taxonomies read only
    /// file names and front matter). Returns false, changing nothing, otherwise.
    pub fn take_new_bodies(&mut self, loaded: &Loaded, drafts: bool) -> bool {
        if !loaded.problems.is_empty() || !loaded.unreadable.is_empty() {
            return false;
        }
        if !self.unreadable.is_empty()
            || loaded.assets.len() != self.assets.len()
            || loaded
                .assets
                .iter()
                .zip(&self.assets)
                .any(|(a, b)| a.src != b.src)
        {
            return false;
        }
        // The site's documents are the loaded ones in order, less excluded drafts, plus
        // the made-up home page at the end.
        let real = self.docs.len() - usize::from(self.generated_root);
        let mut swaps = Vec::new();
        let mut j = 0;
        for d in &loaded.docs {
            let Some(old) = self.docs[..real].get(j).filter(|o| o.path == d.path) else {
                if d.front.draft && !drafts {
                    continue;
                }
                return false;
            };
            j += 1;
            if Arc::ptr_eq(old, d) {
                continue;
            }
            if old.rel != d.rel || old.text[..old.body_start] != d.text[..d.body_start] {
                return false;
            }
            swaps.push((j - 1, d.clone()));
        }
        if j != real {
            return false;
        }
        for (j, d) in swaps {
            self.docs[j] = d;
        }
        true
    }

    pub fn doc(&self, item: usize) -> &Document {
        &self.docs[self.items[item].doc]
    }

    /// Whether an item can be a feed entry: a dated page in its own language (a fallback
    /// copy would repeat the other language's entry).
    pub fn is_feed_entry(&self, item: usize) -> bool {
        let it = &self.items[item];
        it.kind == DocKind::Page && !it.fallback && self.doc(item).front.date.is_some()
    }

    /// Whether `lang`'s home has a feed: feeds are on and some page of the language is
    /// an entry (a feed without entries is not written, so nothing may link to it).
    pub fn has_home_feed(&self, lang: &str) -> bool {
        self.config.feeds
            && (0..self.items.len()).any(|i| self.items[i].lang == lang && self.is_feed_entry(i))
    }

    /// The review interval that applies to an item: its own, else the site's.
    pub fn review_interval(&self, item: usize) -> crate::dates::Interval {
        self.doc(item)
            .front
            .review_interval
            .unwrap_or(self.config.review_interval)
    }

    /// When an item is next due for review (its `reviewed` date plus its interval);
    /// `None` for a page never reviewed. What templates show and `lantern check` checks.
    pub fn next_review(&self, item: usize) -> Option<jiff::civil::Date> {
        let reviewed = self.doc(item).front.reviewed?;
        Some(self.review_interval(item).after(reviewed.date()))
    }

    /// Absolute URL of an item.
    pub fn permalink(&self, item: usize) -> String {
        self.url(&self.items[item].url_path)
    }

    /// Absolute URL of a site-relative path (`/guides/` -> `https://example.org/guides/`).
    pub fn url(&self, path: &str) -> String {
        self.urls.absolute(path)
    }

    /// Items with the same key in other language trees that are real translations.
    pub fn translations(&self, item: usize) -> Vec<usize> {
        let key = &self.doc(item).key;
        self.config
            .language_codes()
            .into_iter()
            .filter_map(|lang| self.by_key.get(&(key.clone(), lang)).copied())
            .filter(|&i| !self.items[i].fallback)
            .collect()
    }

    /// The item with the same key in every language tree (fallbacks included), in
    /// language order.
    pub fn in_every_language(&self, item: usize) -> Vec<usize> {
        let key = &self.doc(item).key;
        self.config
            .language_codes()
            .into_iter()
            .filter_map(|lang| self.by_key.get(&(key.clone(), lang)).copied())
            .collect()
    }

    /// Chain of sections from the root down to (not including) `item`.
    pub fn ancestors(&self, item: usize) -> Vec<usize> {
        let mut chain = Vec::new();
        let mut cur = self.items[item].parent;
        while let Some(p) = cur {
            chain.push(p);
            cur = self.items[p].parent;
        }
        chain.reverse();
        chain
    }

    /// Resolves the text after `@/` for a page in language tree `lang`.
    pub fn resolve_link(&self, lang: &str, path: &str) -> Result<usize, LinkError> {
        routes::resolve(self, lang, path)
    }
}

/// Why an `@/` link does not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    /// Nothing to link to: the message says what is wrong with the path.
    Missing(String),
    /// The target exists but failed to load: its own error is reported already, so the
    /// link is not reported again.
    TargetFailedToLoad,
}

impl std::fmt::Display for LinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LinkError::Missing(why) => f.write_str(why),
            LinkError::TargetFailedToLoad => f.write_str("links to a file that failed to load"),
        }
    }
}

/// A site without `content/_index.md` still has a home page, titled after the site.
fn ensure_root_sections(config: &Config, docs: &mut Vec<Arc<Document>>) -> bool {
    if docs
        .iter()
        .any(|d| d.key == "_index.md" && d.lang == config.default_language)
    {
        return false;
    }
    let front = crate::load::frontmatter::FrontMatter {
        title: Some(config.title.clone()),
        ..Default::default()
    };
    docs.push(Arc::new(Document {
        path: "content/_index.md".into(),
        rel: "_index.md".into(),
        key: "_index.md".into(),
        lang: config.default_language.clone(),
        kind: DocKind::Section,
        bundle: false,
        text: String::new(),
        front,
        body_start: 0,
        hash: crate::load::hash_of(&[config.title.as_bytes()]),
        front_hash: crate::load::hash_of(&[config.title.as_bytes()]),
    }));
    true
}

/// Attaches every item to the nearest section above it in its language tree.
fn link_sections(
    docs: &[Arc<Document>],
    items: &mut [Item],
    by_key: &HashMap<(String, String), usize>,
) -> HashMap<String, usize> {
    let mut roots = HashMap::new();
    for i in 0..items.len() {
        let doc = &docs[items[i].doc];
        let lang = items[i].lang.clone();
        if doc.key == "_index.md" {
            roots.insert(lang, i);
            continue;
        }
        let mut dir = section_dir_of(doc);
        let parent = loop {
            let key = if dir.is_empty() {
                "_index.md".to_string()
            } else {
                format!("{dir}/_index.md")
            };
            if let Some(&p) = by_key.get(&(key, lang.clone())) {
                break Some(p);
            }
            if dir.is_empty() {
                break None;
            }
            dir = dir
                .rsplit_once('/')
                .map_or(String::new(), |(d, _)| d.to_string());
        };
        items[i].parent = parent;
        if let Some(p) = parent {
            match items[i].kind {
                DocKind::Page => items[p].pages.push(i),
                DocKind::Section => items[p].subsections.push(i),
            }
        }
    }
    roots
}

/// The folder whose section lists `doc`: a section lists pages in its own folder; a
/// section's parent is the folder above; a bundle's parent is the folder above the bundle.
fn section_dir_of(doc: &Document) -> String {
    let dir = doc.dir();
    let up = |d: &str| {
        d.rsplit_once('/')
            .map_or(String::new(), |(p, _)| p.to_string())
    };
    if doc.kind == DocKind::Section || doc.bundle {
        up(dir)
    } else {
        dir.to_string()
    }
}

/// Items of a build in the order they are written; used by tests and summaries.
pub fn count_kinds(site: &Site) -> (usize, usize) {
    let pages = site
        .items
        .iter()
        .filter(|i| i.kind == DocKind::Page)
        .count();
    (pages, site.items.len() - pages)
}
