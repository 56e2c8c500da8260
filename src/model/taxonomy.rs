//! Taxonomies per language tree: every term used by the pages written in a language.
//!
//! Terms are grouped by their slug (case-folded, NFC), so `Telegram` and `telegram` are one
//! term; the name shown is the first spelling met in path order, which is deterministic.

use super::{Item, Site};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::load::{DocKind, Document};
use crate::slug::slugify;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct Taxonomy {
    pub name: String,
    pub lang: String,
    /// `/ko/topics/`.
    pub url_path: String,
    pub paginate_by: Option<usize>,
    pub feed: bool,
    /// Sorted by slug.
    pub terms: Vec<Term>,
}

#[derive(Debug, Clone)]
pub struct Term {
    pub name: String,
    pub slug: String,
    /// `/ko/topics/텔레그램/`.
    pub url_path: String,
    /// Items, newest first (then by path).
    pub pages: Vec<usize>,
}

/// Front matter may only use taxonomies declared in `lantern.toml`.
pub fn check_declared(config: &Config, docs: &[Arc<Document>]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut sluggable: HashMap<&str, bool> = HashMap::new();
    for doc in docs {
        for (name, terms) in &doc.front.taxonomies {
            if !config.taxonomies.iter().any(|t| &t.name == name) {
                let declared: Vec<&str> =
                    config.taxonomies.iter().map(|t| t.name.as_str()).collect();
                problems.push(
                    Diagnostic::new(format!("taxonomy `{name}` is not declared in lantern.toml"))
                        .at(doc.key_location(name))
                        .with_help(if declared.is_empty() {
                            format!("add `taxonomies = [{{ name = \"{name}\" }}]` to lantern.toml")
                        } else {
                            format!("declared taxonomies: {}", declared.join(", "))
                        }),
                );
            }
            for term in terms {
                let ok = *sluggable
                    .entry(term.as_str())
                    .or_insert_with(|| !slugify(term).is_empty());
                if !ok {
                    problems.push(
                        Diagnostic::new(format!(
                            "the {name} term `{term}` has no letters or digits"
                        ))
                        .at(doc.key_location(name)),
                    );
                }
            }
        }
    }
    problems
}

/// Collects the terms of every language tree. Fallback items are left out: their terms
/// are in another language.
pub fn collect(site: &Site) -> Vec<Taxonomy> {
    let mut out = Vec::new();
    for lang in site.config.language_codes() {
        let prefix = site.config.url_prefix(&lang);
        let base = if prefix.is_empty() {
            "/".to_string()
        } else {
            format!("/{prefix}/")
        };
        for tc in &site.config.taxonomies {
            let url_path = format!("{base}{}/", slugify(&tc.name));
            let mut terms: BTreeMap<String, Term> = BTreeMap::new();
            // Slugs by name as written: a site has few names and many pages using them.
            let mut slugs: HashMap<&str, String> = HashMap::new();
            for (i, item) in site.items.iter().enumerate() {
                if item.lang != lang || item.fallback || item.kind != DocKind::Page {
                    continue;
                }
                let Some(names) = site.doc(i).front.taxonomies.get(&tc.name) else {
                    continue;
                };
                for name in names {
                    let slug = slugs
                        .entry(name.as_str())
                        .or_insert_with(|| slugify(name))
                        .clone();
                    let term = terms.entry(slug.clone()).or_insert_with(|| Term {
                        name: normalise_name(name),
                        url_path: format!("{url_path}{slug}/"),
                        slug,
                        pages: Vec::new(),
                    });
                    // Items come in order, so a repeated name can only repeat the last.
                    if term.pages.last() != Some(&i) {
                        term.pages.push(i);
                    }
                }
            }
            let mut terms: Vec<Term> = terms.into_values().collect();
            for t in &mut terms {
                sort_newest_first(&mut t.pages, &site.items, &site.docs);
            }
            out.push(Taxonomy {
                name: tc.name.clone(),
                lang: lang.clone(),
                url_path,
                paginate_by: tc.paginate_by,
                feed: tc.feed,
                terms,
            });
        }
    }
    out
}

/// Trims, folds inner whitespace and composes to NFC.
fn normalise_name(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .nfc()
        .collect()
}

/// Newest first; undated last; ties by source path.
pub fn sort_newest_first(pages: &mut [usize], items: &[Item], docs: &[Arc<Document>]) {
    pages.sort_by(|&a, &b| newest_first(a, b, items, docs));
}

/// The `limit` newest of `pages`, newest first (as [`sort_newest_first`] then
/// truncating, without sorting all of them: a site-wide feed picks 20 of 10,000).
pub fn keep_newest(pages: &mut Vec<usize>, limit: usize, items: &[Item], docs: &[Arc<Document>]) {
    if limit == 0 {
        pages.clear();
        return;
    }
    if pages.len() > limit {
        pages.select_nth_unstable_by(limit - 1, |&a, &b| newest_first(a, b, items, docs));
        pages.truncate(limit);
    }
    sort_newest_first(pages, items, docs);
}

fn newest_first(a: usize, b: usize, items: &[Item], docs: &[Arc<Document>]) -> std::cmp::Ordering {
    let (da, db) = (&docs[items[a].doc], &docs[items[b].doc]);
    db.front
        .date
        .cmp(&da.front.date)
        .then_with(|| da.rel.cmp(&db.rel))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_normalised() {
        assert_eq!(normalise_name("  dark   web "), "dark web");
        assert_eq!(normalise_name("\u{1110}\u{1166}"), "테");
    }
}
