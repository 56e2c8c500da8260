//! What each output depends on, as 64-bit fingerprints. A render job whose fingerprint
//! equals the previous build's reuses that build's bytes; this is how `serve` re-renders
//! only what an edit can change while running the same code as `build`.
//!
//! Conservative by construction: `routes` covers every URL, language, fallback and
//! taxonomy term of the site, so an edit that changes routing re-renders everything;
//! `env` covers configuration, UI strings, templates and data, so a theme edit does too.

use crate::load::hash_of;
use crate::model::Site;
use rayon::prelude::*;
use std::hash::{Hash, Hasher};

#[derive(Debug, Clone, Default)]
pub struct Fingerprints {
    /// Configuration and UI strings: what Markdown rendering reads besides the page.
    pub config: u64,
    /// `config` plus templates and data: what every template render reads.
    pub env: u64,
    /// Every route and taxonomy term of the site.
    pub routes: u64,
    /// Per item: the inputs of its Markdown render.
    pub markdown: Vec<u64>,
    /// Per item: the inputs of its list-form view.
    pub item: Vec<u64>,
    /// Per item: the inputs of its full view (sections add their pages' `item`).
    pub view: Vec<u64>,
    /// Every document's front matter: dates, titles and flags, without bodies.
    pub fronts: u64,
}

/// Hashes any number of hashable values into one fingerprint.
pub fn combine(parts: impl IntoIterator<Item = u64>) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    for p in parts {
        h.write_u64(p);
    }
    h.finish()
}

fn hash_str(s: &str) -> u64 {
    hash_of(&[s.as_bytes()])
}

impl Fingerprints {
    /// `config` and `env` are computed by the caller from the raw inputs (config text,
    /// UI strings, template sources, data). `components` gives the digest of the
    /// components a Markdown body uses (see [`super::Components::digest_for`]).
    pub fn compute(
        site: &Site,
        config: u64,
        env_inputs: u64,
        components: &(dyn Fn(&str) -> u64 + Sync),
    ) -> Fingerprints {
        let routes = *site.routes_digest.get_or_init(|| routes_fingerprint(site));
        let env = combine([config, env_inputs, routes]);
        let n = site.items.len();
        let lang_hashes: std::collections::HashMap<&str, u64> = site
            .items
            .iter()
            .map(|it| (it.lang.as_str(), hash_str(&it.lang)))
            .collect();
        let markdown: Vec<u64> = (0..n)
            .into_par_iter()
            .map(|i| {
                let lang = lang_hashes[site.items[i].lang.as_str()];
                let used = components(site.doc(i).body());
                combine([site.doc(i).hash, lang, routes, config, used])
            })
            .collect();
        // The default-language version of each key: what translations compare against.
        let default = &site.config.default_language;
        let sources: std::collections::HashMap<&str, u64> = site
            .items
            .iter()
            .enumerate()
            .filter(|(_, it)| &it.lang == default)
            .map(|(i, _)| (site.doc(i).key.as_str(), site.doc(i).hash))
            .collect();
        let item: Vec<u64> = (0..n)
            .into_par_iter()
            .map(|i| {
                let it = &site.items[i];
                let mut h = std::hash::DefaultHasher::new();
                h.write_u64(markdown[i]);
                h.write_u8(u8::from(it.fallback));
                it.url_path.hash(&mut h);
                h.write_u64(sources.get(site.doc(i).key.as_str()).copied().unwrap_or(0));
                let mut parent = it.parent;
                while let Some(p) = parent {
                    h.write_u64(site.doc(p).hash);
                    parent = site.items[p].parent;
                }
                h.finish()
            })
            .collect();
        let view: Vec<u64> = (0..n)
            .into_par_iter()
            .map(|i| {
                let it = &site.items[i];
                if it.pages.is_empty() && it.subsections.is_empty() {
                    return item[i];
                }
                combine(
                    std::iter::once(item[i])
                        .chain(it.pages.iter().chain(&it.subsections).map(|&p| item[p])),
                )
            })
            .collect();
        let fronts = combine(site.docs.iter().map(|d| d.front_hash));
        Fingerprints {
            config,
            env,
            routes,
            markdown,
            item,
            view,
            fronts,
        }
    }
}

fn routes_fingerprint(site: &Site) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    for (i, item) in site.items.iter().enumerate() {
        site.doc(i).key.hash(&mut h);
        item.lang.hash(&mut h);
        item.url_path.hash(&mut h);
        item.fallback.hash(&mut h);
        item.pages.hash(&mut h);
        item.subsections.hash(&mut h);
        item.parent.hash(&mut h);
    }
    let mut unreadable: Vec<&String> = site.unreadable.iter().collect();
    unreadable.sort();
    unreadable.hash(&mut h);
    for t in &site.taxonomies {
        t.name.hash(&mut h);
        t.lang.hash(&mut h);
        for term in &t.terms {
            term.name.hash(&mut h);
            term.url_path.hash(&mut h);
            term.pages.hash(&mut h);
        }
    }
    h.finish()
}
