//! Stage 3a, Markdown bodies, rendered on first use and at most once per build.
//!
//! Bodies are rendered by the jobs that need them, so Markdown and templates overlap
//! on both cores, and in a one-shot build each page's HTML is dropped once the outputs
//! that show it are written. Every `@/` link and anchor is checked after rendering
//! ([`super::links`]), from what each render kept (anchors, links, problems). A rebuild whose Markdown inputs are
//! all unchanged since the last good build skips that check (it would find what it
//! found then: nothing), and then only the outputs that are re-rendered ask for bodies.

use crate::diagnostics::Diagnostic;
use crate::i18n::I18n;
use crate::markdown::{self, Rendered, Resolved, Unresolved};
use crate::model::{LinkError, Site};
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

pub struct Bodies {
    site: Arc<Site>,
    i18n: Arc<I18n>,
    /// Per item: the fingerprint of its Markdown inputs.
    fingerprints: Vec<u64>,
    /// The build's images, for `<picture>` markup.
    images: Arc<crate::images::Index>,
    slots: Vec<OnceLock<Body>>,
    /// The previous build's bodies, by fingerprint (empty for a one-shot build).
    previous: HashMap<u64, Body>,
    /// For a one-shot build: per item, the planned uses of its HTML not yet made. At
    /// zero the HTML is dropped, so a build holds the HTML of the pages in flight (and
    /// of feed entries), not of the whole site.
    uses: Option<Vec<AtomicUsize>>,
    components: Arc<super::Components>,
}

/// One item's body: its render, whose HTML is kept apart so it can be dropped after its
/// last planned use; for a fallback page, its source's render (shared, not copied) and
/// the link URLs to swap in it.
#[derive(Clone)]
pub struct Body {
    /// Everything but the HTML (`rendered.html` is empty).
    pub rendered: Arc<Rendered>,
    /// The item whose Markdown this is: itself, or a fallback's source.
    source: usize,
    html: Arc<Mutex<Option<Arc<str>>>>,
    swaps: Arc<Vec<(String, String)>>,
}

impl Body {
    /// The summary HTML, with this item's link URLs.
    pub fn summary(&self) -> Option<String> {
        let summary = self.rendered.summary.as_deref()?;
        Some(if self.swaps.is_empty() {
            summary.to_string()
        } else {
            swap_attribute_values(summary, &self.swaps)
        })
    }
}

impl Bodies {
    /// `release_after_use`: drop each HTML after its last planned use (a one-shot
    /// build); otherwise keep everything (a `serve` build reuses it next time).
    pub fn new(
        site: Arc<Site>,
        i18n: Arc<I18n>,
        fingerprints: Vec<u64>,
        images: Arc<crate::images::Index>,
        previous: HashMap<u64, Body>,
        release_after_use: bool,
    ) -> Bodies {
        let n = site.items.len();
        Bodies {
            site,
            i18n,
            fingerprints,
            images,
            slots: (0..n).map(|_| OnceLock::new()).collect(),
            previous,
            uses: release_after_use.then(|| (0..n).map(|_| AtomicUsize::new(0)).collect()),
            components: Arc::new(super::Components::none()),
        }
    }

    /// The components Markdown bodies may use.
    pub fn with_components(mut self, components: Arc<super::Components>) -> Bodies {
        self.components = components;
        self
    }

    /// Item `i`'s body (rendered on first use).
    pub fn get(&self, i: usize) -> &Body {
        self.slots[i].get_or_init(|| {
            if let Some(b) = self.previous.get(&self.fingerprints[i]) {
                return b.clone();
            }
            match self.source_of_fallback(i) {
                Some(s) => {
                    let source = self.get(s);
                    Body {
                        rendered: source.rendered.clone(),
                        source: s,
                        html: source.html.clone(),
                        swaps: Arc::new(link_swaps(&self.site, &source.rendered, i)),
                    }
                }
                None => {
                    let mut rendered =
                        render_one(&self.site, &self.i18n, &self.components, &self.images, i);
                    let html: Arc<str> = Arc::from(std::mem::take(&mut rendered.html));
                    Body {
                        rendered: Arc::new(rendered),
                        source: i,
                        html: Arc::new(Mutex::new(Some(html))),
                        swaps: Arc::default(),
                    }
                }
            }
        })
    }

    /// Item `i`'s HTML, with its own link URLs. Rendered again if it was dropped after
    /// its planned uses (an unplanned `get_page` of a page already written).
    pub fn html(&self, i: usize) -> Arc<str> {
        let body = self.get(i);
        let kept = body.html.lock().ok().and_then(|h| h.clone());
        let html = kept.unwrap_or_else(|| {
            let r = render_one(
                &self.site,
                &self.i18n,
                &self.components,
                &self.images,
                body.source,
            );
            Arc::from(r.html)
        });
        if body.swaps.is_empty() {
            html
        } else {
            Arc::from(swap_attribute_values(&html, &body.swaps))
        }
    }

    /// Announces a use of item `i`'s HTML that [`Bodies::used`] will end.
    pub fn will_use(&self, i: usize) {
        if let Some(uses) = &self.uses {
            let s = self.source_of_fallback(i).unwrap_or(i);
            uses[s].fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Ends a use announced with [`Bodies::will_use`]; the last one drops the HTML.
    pub fn used(&self, i: usize) {
        let Some(uses) = &self.uses else { return };
        let body = self.get(i);
        if uses[body.source].fetch_sub(1, Ordering::AcqRel) == 1
            && let Ok(mut html) = body.html.lock()
        {
            *html = None;
        }
    }

    /// For a fallback item, the item in its text's own language tree.
    fn source_of_fallback(&self, i: usize) -> Option<usize> {
        let item = &self.site.items[i];
        if !item.fallback {
            return None;
        }
        let doc = self.site.doc(i);
        let s = *self.site.by_key.get(&(doc.key.clone(), doc.lang.clone()))?;
        (s != i && !self.site.items[s].fallback).then_some(s)
    }

    /// Checks every `@/` link and `#anchor`, rendering any body not rendered yet.
    pub fn check_links(&self) -> Vec<Diagnostic> {
        (0..self.slots.len()).into_par_iter().for_each(|i| {
            self.get(i);
        });
        let rendered: Vec<&Rendered> = (0..self.slots.len())
            .map(|i| self.get(i).rendered.as_ref())
            .collect();
        super::links::check(&self.site, &rendered)
    }

    /// What every body references that another output may publish (the second phase
    /// of [`super::outputs`]): renders every body not rendered yet.
    pub fn discovered(&self) -> Vec<super::outputs::Discovered> {
        (0..self.slots.len())
            .flat_map(|i| {
                self.get(i).rendered.images.iter().map(move |src| {
                    super::outputs::Discovered::Image {
                        from_item: i,
                        src: src.clone(),
                    }
                })
            })
            .collect()
    }

    /// A warning per image written without alt text (`![](…)`), at its place in the
    /// content file; renders every body not rendered yet. `lantern check` makes the same
    /// finding an error (`img-alt`).
    pub fn unlabelled_images(&self) -> Vec<Diagnostic> {
        (0..self.slots.len())
            .filter(|&i| !self.site.items[i].fallback)
            .flat_map(|i| {
                let doc = self.site.doc(i);
                self.get(i)
                    .rendered
                    .unlabelled_images
                    .iter()
                    .map(move |&(offset, len)| {
                        Diagnostic::new("image has no alt text")
                            .at(crate::diagnostics::Location::from_offset(
                                &doc.path,
                                &doc.text,
                                doc.body_start + offset,
                                len,
                            ))
                            .with_help(format!(
                                "describe what it shows: `![A map of the city centre](…)`; for pure decoration write `![{}](…)`",
                                crate::images::html::DECORATIVE
                            ))
                            .warning()
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// The bodies rendered so far, by fingerprint: the next build's `previous`.
    pub fn to_cache(&self) -> HashMap<u64, Body> {
        self.slots
            .iter()
            .zip(&self.fingerprints)
            .filter_map(|(slot, fp)| slot.get().map(|r| (*fp, r.clone())))
            .collect()
    }
}

fn render_one(
    site: &Site,
    i18n: &I18n,
    components: &super::Components,
    images: &crate::images::Index,
    i: usize,
) -> Rendered {
    let item = &site.items[i];
    let doc = site.doc(i);
    let titles = i18n.alert_titles(&doc.lang);
    let page_dir = site.urls.root(&item.url_path);
    let resolve = |path: &str| match site.resolve_link(&item.lang, path) {
        Ok(target) => Ok(Resolved {
            url: site.urls.root(&site.items[target].url_path),
            target,
        }),
        Err(LinkError::TargetFailedToLoad) => Err(Unresolved::Reported),
        Err(LinkError::Missing(why)) => Err(Unresolved::Problem(why)),
    };
    let component = |d: &markdown::Directive, body: &str| components.render(d, body, &doc.lang);
    let mut r = markdown::render(
        doc.body(),
        &markdown::Options {
            alert_titles: &titles,
            resolve: &resolve,
            base_path: site.urls.base_path(),
            page_dir: &page_dir,
            smart_punctuation: markdown::smart_punctuation_for(&doc.lang),
            component: Some(&component),
        },
    );
    if !r.images.is_empty() {
        let base = site.urls.base_path();
        r.html = crate::images::html::rewrite(&r.html, images, base);
        r.summary = r
            .summary
            .map(|s| crate::images::html::rewrite(&s, images, base));
    }
    r.html.shrink_to_fit();
    if let Some(s) = &mut r.summary {
        s.shrink_to_fit();
    }
    r
}

/// A fallback's body is its source's render with the `@/` links pointing into the
/// fallback's language tree: the same Markdown, the same callout titles and punctuation
/// (both follow the text's language), so only link URLs can differ. Swapping them costs
/// one pass over the HTML instead of a second parse, and a third of all Markdown work on
/// a site where two languages share most pages. These are the swaps: (old, new) URLs as
/// they appear in attribute values.
fn link_swaps(site: &Site, source: &Rendered, i: usize) -> Vec<(String, String)> {
    let lang = &site.items[i].lang;
    let mut swaps: Vec<(String, String)> = Vec::new();
    for (path, url) in &source.links {
        let Ok(t) = site.resolve_link(lang, path) else {
            continue;
        };
        let new = site.urls.root(&site.items[t].url_path);
        if &new != url {
            let pair = (attribute_form(url), attribute_form(&new));
            if !swaps.contains(&pair) {
                swaps.push(pair);
            }
        }
    }
    swaps
}

/// Replaces attribute values (`="…"`) equal to an `old` URL, or to it followed by
/// `#anchor`, with the matching `new` one; one pass over the HTML.
fn swap_attribute_values(html: &str, swaps: &[(String, String)]) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    let finder = memchr::memmem::Finder::new("=\"");
    while let Some(at) = finder.find(rest.as_bytes()) {
        let (head, tail) = rest.split_at(at + 2);
        out.push_str(head);
        let end = tail.find('"').unwrap_or(tail.len());
        let value = &tail[..end];
        let swapped = swaps.iter().find_map(|(old, new)| {
            let after = value.strip_prefix(old.as_str())?;
            (after.is_empty() || after.starts_with('#')).then_some((new, after))
        });
        match swapped {
            Some((new, after)) => {
                out.push_str(new);
                out.push_str(after);
            }
            None => out.push_str(value),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// A URL as the HTML writer puts it in an attribute: escaped.
fn attribute_form(url: &str) -> String {
    let mut out = String::new();
    match pulldown_cmark_escape::escape_href(&mut out, url) {
        Ok(()) => out,
        Err(_) => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::swap_attribute_values;

    #[test]
    fn swaps_whole_attribute_values_only() {
        let swaps = vec![("/a/".to_string(), "/ko/a/".to_string())];
        let html = r#"<a href="/a/">x</a> <a href="/a/#h">y</a> <a href="/a/b/">z</a> "/a/" <img src="/a/">"#;
        assert_eq!(
            swap_attribute_values(html, &swaps),
            r#"<a href="/ko/a/">x</a> <a href="/ko/a/#h">y</a> <a href="/a/b/">z</a> "/a/" <img src="/ko/a/">"#
        );
        assert_eq!(
            swap_attribute_values("no attributes", &swaps),
            "no attributes"
        );
        assert_eq!(
            swap_attribute_values("broken =\"/a/", &swaps),
            "broken =\"/ko/a/"
        );
    }
}
