//! What templates see of a page or section. Built once per item; sections embed the
//! "list" form of their pages (no body), so list pages never copy every page's content.

use super::Fingerprints;
use super::base_path;
use crate::dates::format_long;
use crate::load::DocKind;
use crate::load::frontmatter::SourceRef;
use crate::markdown::{Rendered, TocEntry};
use crate::model::Site;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Debug, Clone, Serialize)]
pub struct ItemView {
    pub kind: &'static str,
    pub title: String,
    pub description: Option<String>,
    /// The body as HTML (empty in list form).
    pub content: String,
    pub summary: Option<String>,
    pub toc: Vec<TocEntry>,
    pub word_count: usize,
    pub reading_time: usize,
    pub permalink: String,
    /// Link target including the site's sub-path: `/repo/ko/guides/telegram/`.
    pub path: String,
    pub slug: String,
    /// The language tree the page is in.
    pub lang: String,
    /// The language of the text (differs from `lang` on a fallback).
    pub content_lang: String,
    pub fallback: bool,
    /// Own names of `lang` and `content_lang` ("한국어", "English").
    pub lang_name: String,
    pub content_lang_name: String,
    /// Where search engines should look: the source, for a fallback.
    pub canonical: String,
    /// The default-language version, for `hreflang="x-default"`.
    pub x_default: Option<String>,
    /// A translation whose source changed after it was made (`translation_of` differs).
    pub outdated: bool,
    /// The source-language version, on fallbacks and outdated translations.
    pub original: Option<TranslationLink>,
    pub date: Option<String>,
    pub updated: Option<String>,
    /// For feeds: `date` in RFC 3339, the newer of `updated` and `date` in RFC 3339, and
    /// `date` in RFC 2822 (RSS).
    pub date_rfc3339: Option<String>,
    pub updated_rfc3339: Option<String>,
    pub date_rfc2822: Option<String>,
    /// Taxonomy terms with their links: `terms.topics[0].name`, `.path`.
    pub terms: BTreeMap<String, Vec<TermLink>>,
    pub reviewed: Option<String>,
    pub reviewed_long: Option<String>,
    pub next_review: Option<String>,
    pub next_review_long: Option<String>,
    pub review_interval: String,
    pub draft: bool,
    pub weight: Option<i64>,
    pub extra: serde_json::Map<String, serde_json::Value>,
    pub taxonomies: BTreeMap<String, Vec<String>>,
    pub sources: Vec<SourceRef>,
    pub content_warning: Option<String>,
    pub audience: Vec<String>,
    pub relative_path: String,
    pub translations: Vec<TranslationLink>,
    pub ancestors: Vec<Crumb>,
    pub pages: Vec<tera::Value>,
    pub subsections: Vec<tera::Value>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TranslationLink {
    pub lang: String,
    /// The language's own name ("한국어").
    pub name: String,
    pub permalink: String,
    pub path: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TermLink {
    pub name: String,
    pub path: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Crumb {
    pub title: String,
    pub path: String,
}

/// Every item's template value in two forms.
pub struct Views {
    /// Pages with their body; sections with the list form of their pages (empty for a
    /// paginated section: its pages come per list page, through `paginator`).
    pub full: Vec<tera::Value>,
    /// Without body or table of contents: what lists, feeds of summaries and
    /// `section.pages` carry.
    pub lite: Vec<tera::Value>,
}

/// Views of the previous build, by fingerprint.
#[derive(Default)]
pub struct ViewCache {
    full: HashMap<u64, tera::Value>,
    lite: HashMap<u64, tera::Value>,
}

/// Builds every item's template value (reusing cached ones): pages in full, sections
/// with their list.
pub fn build_views(
    site: &Site,
    rendered: &[Arc<Rendered>],
    fps: &Fingerprints,
    cache: &mut ViewCache,
) -> Views {
    let base = base_path(&site.config.base_url);
    let href = |i: usize| format!("{base}{}", &site.items[i].url_path[1..]);
    let n = site.items.len();
    let lite: Vec<tera::Value> = (0..n)
        .into_par_iter()
        .map(|i| match cache.lite.get(&fps.item[i]) {
            Some(v) => v.clone(),
            None => {
                let mut v = view(site, &rendered[i], i, &href);
                v.content = String::new();
                v.toc = Vec::new();
                tera::Value::from_serializable(&v)
            }
        })
        .collect();
    let full: Vec<tera::Value> = (0..n)
        .into_par_iter()
        .map(|i| {
            if let Some(v) = cache.full.get(&fps.view[i]) {
                return v.clone();
            }
            let item = &site.items[i];
            let mut v = view(site, &rendered[i], i, &href);
            let paginated = site.doc(i).front.paginate_by.is_some_and(|n| n > 0);
            if item.kind == DocKind::Section && !paginated {
                v.pages = item.pages.iter().map(|&p| lite[p].clone()).collect();
                v.subsections = item.subsections.iter().map(|&s| lite[s].clone()).collect();
            }
            tera::Value::from_serializable(&v)
        })
        .collect();
    cache.lite = fps.item.iter().copied().zip(lite.iter().cloned()).collect();
    cache.full = fps.view.iter().copied().zip(full.iter().cloned()).collect();
    Views { full, lite }
}

fn view(site: &Site, r: &Rendered, i: usize, href: &dyn Fn(usize) -> String) -> ItemView {
    let item = &site.items[i];
    let doc = site.doc(i);
    let f = &doc.front;
    let interval = f.review_interval.unwrap_or(site.config.review_interval);
    let next_review = f.reviewed.map(|d| interval.after(d.date()));
    let lang = item.lang.as_str();
    let default = &site.config.default_language;
    let source = site
        .by_key
        .get(&(doc.key.clone(), default.clone()))
        .copied();
    let link = |t: usize| TranslationLink {
        lang: site.items[t].lang.clone(),
        name: lang_name(site, &site.items[t].lang),
        permalink: site.permalink(t),
        path: href(t),
    };
    let outdated = !item.fallback
        && doc.lang != *default
        && match (&f.translation_of, source) {
            (Some(recorded), Some(s)) => *recorded != crate::translations::digest_of(site.doc(s)),
            _ => false,
        };
    ItemView {
        kind: if item.kind == DocKind::Page {
            "page"
        } else {
            "section"
        },
        title: f.title.clone().unwrap_or_else(|| item.slug.clone()),
        description: f.description.clone(),
        content: r.html.clone(),
        summary: r.summary.clone(),
        toc: r.toc.clone(),
        word_count: r.counts.word_count(),
        reading_time: r.counts.reading_minutes(),
        permalink: site.permalink(i),
        path: href(i),
        slug: item.slug.clone(),
        lang: item.lang.clone(),
        content_lang: doc.lang.clone(),
        fallback: item.fallback,
        lang_name: lang_name(site, &item.lang),
        content_lang_name: lang_name(site, &doc.lang),
        canonical: match source {
            Some(s) if item.fallback => site.permalink(s),
            _ => site.permalink(i),
        },
        x_default: source.map(|s| site.permalink(s)),
        outdated,
        original: source.filter(|_| item.fallback || outdated).map(link),
        date: f.date.map(|d| d.to_iso()),
        updated: f.updated.map(|d| d.to_iso()),
        date_rfc3339: f.date.map(|d| d.to_rfc3339()),
        updated_rfc3339: f.updated.max(f.date).map(|d| d.to_rfc3339()),
        date_rfc2822: f
            .date
            .map(|d| d.0.strftime("%a, %d %b %Y %H:%M:%S +0000").to_string()),
        terms: terms_of(site, i),
        reviewed: f.reviewed.map(|d| d.to_iso()),
        reviewed_long: f.reviewed.map(|d| format_long(d.date(), lang)),
        next_review: next_review.map(|d| d.to_string()),
        next_review_long: next_review.map(|d| format_long(d, lang)),
        review_interval: interval.to_string(),
        draft: f.draft,
        weight: f.weight,
        extra: f.extra.clone(),
        taxonomies: f.taxonomies.clone(),
        sources: f.sources.clone(),
        content_warning: f.content_warning.clone(),
        audience: f.audience.clone(),
        relative_path: doc.rel.clone(),
        translations: site.translations(i).into_iter().map(link).collect(),
        ancestors: site
            .ancestors(i)
            .into_iter()
            .map(|a| Crumb {
                title: site.doc(a).front.title.clone().unwrap_or_default(),
                path: href(a),
            })
            .collect(),
        pages: Vec::new(),
        subsections: Vec::new(),
    }
}

/// A language's own name from the configuration ("한국어"), or its code.
fn lang_name(site: &Site, code: &str) -> String {
    site.config
        .languages
        .get(code)
        .map_or_else(|| code.to_string(), |l| l.name.clone())
}

/// Links to the term pages of an item's taxonomy terms, in its language tree.
fn terms_of(site: &Site, i: usize) -> BTreeMap<String, Vec<TermLink>> {
    let base = base_path(&site.config.base_url);
    let item = &site.items[i];
    let mut out = BTreeMap::new();
    if item.fallback {
        return out;
    }
    for (name, terms) in &site.doc(i).front.taxonomies {
        let Some(tax) = site
            .taxonomies
            .iter()
            .find(|t| &t.name == name && t.lang == item.lang)
        else {
            continue;
        };
        let links = terms
            .iter()
            .filter_map(|t| {
                let slug = crate::slug::slugify(t);
                tax.terms.iter().find(|term| term.slug == slug)
            })
            .map(|term| TermLink {
                name: term.name.clone(),
                path: format!("{base}{}", &term.url_path[1..]),
            })
            .collect();
        out.insert(name.clone(), links);
    }
    out
}
