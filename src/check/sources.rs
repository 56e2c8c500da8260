//! Sources: every page of a guide section cites some; every source says what it is
//! (title, publisher, date) and where to read it (URL); one URL is one source everywhere.

use super::{Context, Finding};
use crate::diagnostics::BuildError;
use crate::diagnostics::find_key;
use crate::load::{DocKind, Document};
use crate::sources::Bibliography;
use std::collections::{BTreeMap, HashSet};

pub fn check(cx: &Context) -> Result<Vec<Finding>, BuildError> {
    let bibliography = Bibliography::load(cx.root).map_err(BuildError)?;
    let mut findings = Vec::new();
    // URL -> (title, date, page) of its first citation.
    let mut by_url: BTreeMap<String, (String, Option<String>, String)> = BTreeMap::new();
    let default = &cx.built.site.config.default_language;
    let cited: HashSet<&str> = cx
        .docs()
        .filter(|d| &d.lang == default && !d.front.sources.is_empty())
        .map(|d| d.key.as_str())
        .collect();
    for doc in cx.docs() {
        // A translation may rely on its source's citations (it says the same thing).
        let cites = !doc.front.sources.is_empty() || cited.contains(doc.key.as_str());
        if in_guide_section(cx, doc) && doc.kind == DocKind::Page && !cites {
            findings.push(
                Finding::new(
                    "sources-missing",
                    doc.path.display().to_string(),
                    "this guide page cites no sources",
                )
                .at(1, 1)
                .suggest(
                    "add `sources = [\"id\"]` (ids from data/sources.toml) to the front matter",
                ),
            );
        }
        let at = find_key(&doc.text[..doc.body_start], "sources").unwrap_or(0);
        for source in bibliography.resolve(&doc.front.sources) {
            let file = doc.path.display().to_string();
            let missing: Vec<&str> = [
                ("title", source.title.trim().is_empty()),
                (
                    "publisher",
                    source
                        .publisher
                        .as_deref()
                        .is_none_or(|p| p.trim().is_empty()),
                ),
                (
                    "date",
                    source.date.as_deref().is_none_or(|d| d.trim().is_empty()),
                ),
            ]
            .into_iter()
            .filter_map(|(k, missing)| missing.then_some(k))
            .collect();
            if !missing.is_empty() {
                findings.push(
                    Finding::new(
                        "source-incomplete",
                        &file,
                        format!("source \"{}\" has no {}", source.title, missing.join(", ")),
                    )
                    .at_offset(doc, at)
                    .suggest("give every source a title, a publisher and a date"),
                );
            }
            let Some(url) = source.url.clone() else {
                findings.push(
                    Finding::new(
                        "source-no-url",
                        &file,
                        format!("source \"{}\" has no URL", source.title),
                    )
                    .at_offset(doc, at)
                    .suggest("add `url` where the source can be read online"),
                );
                continue;
            };
            match by_url.get(&url) {
                None => {
                    by_url.insert(url, (source.title.clone(), source.date.clone(), file));
                }
                Some((title, date, first)) if *title != source.title || *date != source.date => {
                    findings.push(
                        Finding::new(
                            "source-conflict",
                            &file,
                            format!("{url} is cited here as \"{}\" ({}) but in {first} as \"{title}\" ({})",
                                source.title,
                                source.date.as_deref().unwrap_or("no date"),
                                date.as_deref().unwrap_or("no date")),
                        )
                        .at_offset(doc, at)
                        .suggest("cite the source by one id from data/sources.toml on every page"),
                    );
                }
                Some(_) => {}
            }
        }
    }
    Ok(findings)
}

fn in_guide_section(cx: &Context, doc: &Document) -> bool {
    cx.config
        .guide_sections
        .iter()
        .any(|s| doc.rel.starts_with(&format!("{}/", s.trim_matches('/'))))
}
