//! What templates see of a page or section. Built once per item; sections embed the
//! "list" form of their pages (no body), so list pages never copy every page's content.

use super::Fingerprints;
use super::bodies::{Bodies, Body};
use crate::dates::format_long;
use crate::load::DocKind;
use crate::load::frontmatter::SourceRef;
use crate::markdown::TocEntry;
use crate::model::Site;
use crate::sources::Bibliography;
use serde::Serialize;
use std::collections::BTreeMap;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone, Serialize)]
pub struct ItemView {
    pub kind: &'static str,
    pub title: String,
    pub description: Option<String>,
    /// The body as HTML (empty in list form; see [`Views::full`]).
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
    /// This page in every language tree, fallbacks included: what the language switcher
    /// offers (`translations` lists real translations only, for `hreflang`).
    pub languages: Vec<TranslationLink>,
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

/// Every item's template value, built on first use: the list form (no body, no table of
/// contents: what lists, feeds of summaries and `section.pages` carry) is kept, the full
/// form is assembled from it per use, so a build holds each body once, in [`Bodies`].
///
/// In a one-shot build, jobs announce their uses when they are made
/// ([`Views::will_use_lite`], [`Views::will_use_full`]) and end them when they ran; a
/// list form no job still needs is dropped (a fallback page's, after the one list page
/// it is on), so memory follows the pages in flight more than the size of the site.
pub struct Views {
    site: Arc<Site>,
    fps: Arc<Fingerprints>,
    /// Resolves the source ids pages cite (its digest is in `fps.config`).
    bibliography: Arc<Bibliography>,
    bodies: Bodies,
    lite: Vec<Mutex<Option<tera::Value>>>,
    /// Planned uses of each list form not yet made (one-shot builds only).
    uses: Option<Vec<AtomicUsize>>,
    /// The previous build's list forms, by `fps.item` (empty for a one-shot build).
    previous: HashMap<u64, tera::Value>,
}

impl Views {
    /// `release_after_use` as for [`Bodies::new`].
    pub fn new(
        site: Arc<Site>,
        fps: Arc<Fingerprints>,
        bibliography: Arc<Bibliography>,
        bodies: Bodies,
        previous: HashMap<u64, tera::Value>,
        release_after_use: bool,
    ) -> Views {
        let n = site.items.len();
        Views {
            site,
            fps,
            bibliography,
            bodies,
            lite: (0..n).map(|_| Mutex::new(None)).collect(),
            uses: release_after_use.then(|| (0..n).map(|_| AtomicUsize::new(0)).collect()),
            previous,
        }
    }

    pub fn bodies(&self) -> &Bodies {
        &self.bodies
    }

    /// Whether values are dropped after their last planned use (a one-shot build).
    pub fn releases_after_use(&self) -> bool {
        self.uses.is_some()
    }

    /// Item `i` in list form.
    pub fn lite(&self, i: usize) -> tera::Value {
        let Ok(mut slot) = self.lite[i].lock() else {
            return self.build_lite(i);
        };
        slot.get_or_insert_with(|| self.build_lite(i)).clone()
    }

    fn build_lite(&self, i: usize) -> tera::Value {
        match self.previous.get(&self.fps.item[i]) {
            Some(v) => v.clone(),
            None => tera::Value::from_serializable(&view(
                &self.site,
                &self.bibliography,
                self.bodies.get(i),
                i,
            )),
        }
    }

    /// Announces a use of item `i`'s list form.
    pub fn will_use_lite(&self, i: usize) {
        if let Some(uses) = &self.uses {
            uses[i].fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Ends a use announced with [`Views::will_use_lite`]; the last one drops the value.
    pub fn used_lite(&self, i: usize) {
        let Some(uses) = &self.uses else { return };
        if uses[i].fetch_sub(1, Ordering::AcqRel) == 1
            && let Ok(mut slot) = self.lite[i].lock()
        {
            *slot = None;
        }
    }

    /// Announces a use of [`Views::full`] of item `i`.
    pub fn will_use_full(&self, i: usize) {
        self.bodies.will_use(i);
        self.will_use_lite(i);
        for &p in self.listed(i) {
            self.will_use_lite(p);
        }
    }

    /// Ends a use announced with [`Views::will_use_full`].
    pub fn used_full(&self, i: usize) {
        self.bodies.used(i);
        self.used_lite(i);
        for &p in self.listed(i) {
            self.used_lite(p);
        }
    }

    /// What the full form of item `i` lists: a section that is not paginated lists its
    /// pages and subsections.
    fn listed(&self, i: usize) -> impl Iterator<Item = &usize> {
        let (pages, subsections) = self.children(i);
        pages.iter().chain(subsections)
    }

    /// The pages and subsections a full view lists: a section's own, unless it is
    /// paginated (its list pages carry them instead); none for a page.
    fn children(&self, i: usize) -> (&[usize], &[usize]) {
        let item = &self.site.items[i];
        let paginated = self.site.doc(i).front.paginate_by.is_some_and(|n| n > 0);
        if item.kind == DocKind::Section && !paginated {
            (&item.pages, &item.subsections)
        } else {
            (&[], &[])
        }
    }

    /// Item `i` in full: with its body and table of contents, and for a section that is
    /// not paginated, its pages and subsections in list form.
    pub fn full(&self, i: usize) -> tera::Value {
        let body = self.bodies.get(i);
        let mut fields: Vec<(&str, tera::Value)> = vec![
            ("content", tera::Value::from(self.bodies.html(i).as_ref())),
            ("toc", tera::Value::from_serializable(&body.rendered.toc)),
        ];
        let item = &self.site.items[i];
        if item.kind == DocKind::Section {
            let (pages, subsections) = self.children(i);
            let list = |ids: &[usize]| {
                tera::Value::from(ids.iter().map(|&p| self.lite(p)).collect::<Vec<_>>())
            };
            fields.push(("pages", list(pages)));
            fields.push(("subsections", list(subsections)));
        }
        with_fields(&self.lite(i), fields)
    }

    /// The form a feed entry shows: the list form with the body, every link in its HTML
    /// absolute (feed readers show it away from the site).
    pub fn feed_entry(&self, i: usize) -> tera::Value {
        let urls = &self.site.urls;
        let mut fields = vec![(
            "content",
            tera::Value::from(urls.absolutize_html(&self.bodies.html(i))),
        )];
        if let Some(summary) = self.bodies.get(i).summary() {
            fields.push(("summary", tera::Value::from(urls.absolutize_html(&summary))));
        }
        with_fields(&self.lite(i), fields)
    }

    /// The list forms built so far, by fingerprint: the next build's `previous`.
    pub fn to_cache(&self) -> HashMap<u64, tera::Value> {
        self.lite
            .iter()
            .zip(&self.fps.item)
            .filter_map(|(slot, fp)| {
                let v = slot.lock().ok()?.clone()?;
                Some((*fp, v))
            })
            .collect()
    }
}

/// A copy of a map value with some fields replaced, in place (cheap: tera values share
/// their data).
pub fn with_fields(value: &tera::Value, fields: Vec<(&str, tera::Value)>) -> tera::Value {
    let mut map = value.clone().into_map().unwrap_or_default();
    for (name, field) in fields {
        map.insert(name.to_string().into(), field);
    }
    tera::Value::from(map)
}

fn view(site: &Site, bibliography: &Bibliography, body: &Body, i: usize) -> ItemView {
    let r = &body.rendered;
    let href = |i: usize| site.urls.root(&site.items[i].url_path);
    let item = &site.items[i];
    let doc = site.doc(i);
    let f = &doc.front;
    let interval = site.review_interval(i);
    let next_review = site.next_review(i);
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
        content: String::new(),
        summary: body.summary(),
        toc: Vec::new(),
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
        sources: bibliography.resolve(&f.sources),
        content_warning: f.content_warning.clone(),
        audience: f.audience.clone(),
        relative_path: doc.rel.clone(),
        translations: site.translations(i).into_iter().map(link).collect(),
        languages: site.in_every_language(i).into_iter().map(link).collect(),
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
                path: site.urls.root(&term.url_path),
            })
            .collect();
        out.insert(name.clone(), links);
    }
    out
}
