//! The bibliography: one record per source in `data/sources.toml`, cited from front
//! matter by id (`sources = ["spo-drug-crime-white-paper-2023"]`), so a source has one
//! title, publisher and date however many pages cite it. Inline tables
//! (`[[sources]] title = "…"`) keep working for small sites; both kinds may be mixed.
//!
//! Templates see resolved [`SourceRef`]s whichever way a page cites, so a theme never
//! needs to know about ids. An id that is not in the bibliography is an error at its
//! line and column in the content file, and every unknown id is reported at once.

use crate::diagnostics::find_key;
use crate::diagnostics::{Diagnostic, Location, from_toml_error};
use crate::load::Document;
use crate::load::frontmatter::SourceRef;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::Path;
use std::sync::Arc;

/// Where the bibliography lives, relative to the site root.
pub const FILE: &str = "data/sources.toml";

/// One entry of a page's `sources`: an id in the bibliography, or a source written out.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum SourceEntry {
    Id(String),
    Inline(SourceRef),
}

/// Hand-written so an inline table keeps the exact errors of [`SourceRef`] (unknown key,
/// missing title, at their lines) instead of serde's "did not match any variant".
impl<'de> Deserialize<'de> for SourceEntry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntryVisitor;
        impl<'de> Visitor<'de> for EntryVisitor {
            type Value = SourceEntry;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a source id from data/sources.toml, or a table with at least `title`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<SourceEntry, E> {
                Ok(SourceEntry::Id(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<SourceEntry, A::Error> {
                SourceRef::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(SourceEntry::Inline)
            }
        }
        deserializer.deserialize_any(EntryVisitor)
    }
}

/// One record of `data/sources.toml`, as written. Unknown keys are errors.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Record {
    title: String,
    #[serde(default)]
    author: Option<String>,
    publisher: String,
    date: toml::Spanned<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    language: Option<String>,
}

/// Every source of the site, by id.
#[derive(Debug, Default)]
pub struct Bibliography {
    records: HashMap<String, SourceRef>,
    /// Digest of the file's text: part of every page's fingerprint.
    digest: u64,
}

impl Bibliography {
    /// Reads `root/data/sources.toml`; a site without one has an empty bibliography.
    /// A symbolic link or anything but a regular file is refused, so the build never
    /// reads outside the site through it.
    pub fn load(root: &Path) -> Result<Bibliography, Vec<Diagnostic>> {
        let path = root.join(FILE);
        let shown = crate::diagnostics::display_base(root).join(FILE);
        match std::fs::symlink_metadata(&path) {
            Err(_) => return Ok(Bibliography::default()),
            Ok(meta) if !meta.file_type().is_file() => {
                return Err(vec![Diagnostic::in_file(
                    &shown,
                    "the bibliography must be a regular file, not a link or a folder",
                )]);
            }
            Ok(_) => {}
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| vec![Diagnostic::in_file(&shown, format!("cannot read: {e}"))])?;
        Bibliography::parse(&shown, &text)
    }

    /// Parses the bibliography's text; `shown` is the path printed in errors.
    pub fn parse(shown: &Path, text: &str) -> Result<Bibliography, Vec<Diagnostic>> {
        let raw: BTreeMap<String, Record> =
            toml::from_str(text).map_err(|e| vec![from_toml_error(shown, text, 0, &e)])?;
        let mut problems = Vec::new();
        let mut records = HashMap::with_capacity(raw.len());
        for (id, record) in raw {
            let span = record.date.span();
            if !is_source_date(record.date.get_ref()) {
                problems.push(
                    Diagnostic::at_offset(
                        shown,
                        text,
                        span.start,
                        span.len(),
                        format!("invalid date `{}` for source `{id}`", record.date.get_ref()),
                    )
                    .with_help(
                        "write \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\", as precise as the source",
                    ),
                );
            }
            records.insert(id, record.into_source());
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Bibliography {
            records,
            digest: crate::load::hash_of(&[text.as_bytes()]),
        })
    }

    /// Changes whenever the bibliography's text does.
    pub fn digest(&self) -> u64 {
        self.digest
    }

    /// A page's sources as templates see them, in the page's order. Unknown ids were
    /// reported by [`Bibliography::check`] and are left out.
    pub fn resolve(&self, entries: &[SourceEntry]) -> Vec<SourceRef> {
        entries
            .iter()
            .filter_map(|entry| match entry {
                SourceEntry::Id(id) => self.records.get(id).cloned(),
                SourceEntry::Inline(source) => Some(source.clone()),
            })
            .collect()
    }

    /// Every id cited by `docs` that the bibliography lacks, each at its place in its file.
    pub fn check(&self, docs: &[Arc<Document>]) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        for doc in docs {
            let front = &doc.text[..doc.body_start];
            // Ids are found in order after the `sources` key, so a repeated id points at
            // its own occurrence each time.
            let mut from = find_key(front, "sources").unwrap_or(0);
            for entry in &doc.front.sources {
                let SourceEntry::Id(id) = entry else { continue };
                let found = find_id(front, id, from);
                if let Some(offset) = found {
                    from = offset + id.len();
                }
                if self.records.contains_key(id) {
                    continue;
                }
                let location = match found {
                    Some(offset) => Location::from_offset(&doc.path, &doc.text, offset, id.len()),
                    None => doc.key_location("sources"),
                };
                problems.push(
                    Diagnostic::new(format!("unknown source `{id}`: it is not in {FILE}"))
                        .at(location)
                        .with_help(self.suggestion(id)),
                );
            }
        }
        problems
    }

    /// "did you mean …" with up to three close ids, or how to add the source.
    fn suggestion(&self, id: &str) -> String {
        let mut close: Vec<(f64, &str)> = self
            .records
            .keys()
            .map(|known| {
                (
                    strsim::normalized_damerau_levenshtein(id, known),
                    known.as_str(),
                )
            })
            .filter(|(score, _)| *score >= 0.6)
            .collect();
        close.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        if close.is_empty() {
            return format!(
                "add `[{id}]` with `title`, `publisher` and `date` to {FILE}, or check the spelling"
            );
        }
        let names: Vec<String> = close
            .iter()
            .take(3)
            .map(|(_, n)| format!("`{n}`"))
            .collect();
        format!("did you mean {}?", names.join(" or "))
    }
}

impl Record {
    fn into_source(self) -> SourceRef {
        SourceRef {
            title: self.title,
            author: self.author,
            publisher: Some(self.publisher),
            date: Some(self.date.into_inner()),
            url: self.url,
            language: self.language,
        }
    }
}

/// "2025", "2025-03" or a real calendar date "2025-03-05".
fn is_source_date(text: &str) -> bool {
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    match text.split('-').collect::<Vec<_>>().as_slice() {
        [year] => digits(year, 4),
        [year, month] => {
            digits(year, 4) && digits(month, 2) && matches!(month.parse::<u8>(), Ok(1..=12))
        }
        [_, _, _] => jiff::civil::Date::strptime("%Y-%m-%d", text).is_ok() && text.len() == 10,
        _ => false,
    }
}

/// The byte offset of `id` written as a whole value (quoted, or bare in YAML) at or
/// after `from` in the front matter text.
fn find_id(front: &str, id: &str, from: usize) -> Option<usize> {
    let boundary = |c: Option<char>| {
        c.is_none_or(|c| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | '['))
    };
    let mut start = from.min(front.len());
    while let Some(pos) = front.get(start..)?.find(id) {
        let at = start + pos;
        let before = front[..at].chars().next_back();
        let after = front[at + id.len()..].chars().next();
        let after_ok =
            after.is_none_or(|c| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | ']'));
        if boundary(before) && after_ok {
            return Some(at);
        }
        start = at + id.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"[unodc-world-drug-report-2025]
title = "World Drug Report 2025"
publisher = "United Nations Office on Drugs and Crime"
date = "2025-06-26"
url = "https://www.unodc.org/"
language = "en"
"#;

    #[test]
    fn records_resolve_by_id_and_inline_tables_pass_through() {
        let bib = Bibliography::parse(Path::new("data/sources.toml"), SAMPLE).expect("valid");
        let inline = SourceRef {
            title: "A leaflet".into(),
            author: None,
            publisher: None,
            date: None,
            url: None,
            language: None,
        };
        let resolved = bib.resolve(&[
            SourceEntry::Id("unodc-world-drug-report-2025".into()),
            SourceEntry::Inline(inline.clone()),
        ]);
        assert_eq!(resolved.len(), 2);
        assert_eq!(resolved[0].title, "World Drug Report 2025");
        assert_eq!(resolved[0].date.as_deref(), Some("2025-06-26"));
        assert_eq!(resolved[1], inline);
    }

    #[test]
    fn unknown_keys_and_missing_fields_point_at_their_lines() {
        let shown = Path::new("data/sources.toml");
        let err = Bibliography::parse(shown, &format!("{SAMPLE}titel = \"x\"\n"))
            .expect_err("unknown key");
        assert!(
            err[0].to_string().contains("data/sources.toml:7:1"),
            "{}",
            err[0]
        );
        let err = Bibliography::parse(shown, "[a]\ntitle = \"x\"\ndate = \"2025\"\n")
            .expect_err("no publisher");
        assert!(err[0].to_string().contains("publisher"), "{}", err[0]);
        assert!(
            err[0].to_string().contains("data/sources.toml:1:"),
            "{}",
            err[0]
        );
    }

    #[test]
    fn dates_must_be_as_precise_as_the_source_and_real() {
        for good in ["2025", "2025-03", "2024-02-29"] {
            assert!(is_source_date(good), "{good}");
        }
        for bad in ["25", "2025-13", "2025-02-30", "March 2025", "2025-3-5", ""] {
            assert!(!is_source_date(bad), "{bad}");
        }
        let text = "[a]\ntitle = \"x\"\npublisher = \"p\"\ndate = \"May 2024\"\n";
        let err = Bibliography::parse(Path::new("s.toml"), text).expect_err("bad date");
        assert!(err[0].to_string().contains("s.toml:4:8"), "{}", err[0]);
    }

    #[test]
    fn ids_are_found_as_whole_values_only() {
        let front = "+++\ntitle = \"a-b\"\nsources = [\"a-b-c\", \"a-b\"]\n+++\n";
        let from = find_key(front, "sources").expect("key");
        let at = find_id(front, "a-b", from).expect("found");
        assert_eq!(&front[at - 1..at + 4], "\"a-b\"");
        let yaml = "---\nsources:\n  - a-b\n---\n";
        assert_eq!(
            find_id(yaml, "a-b", 4),
            Some(yaml.find("a-b").expect("in text"))
        );
    }

    #[test]
    fn close_ids_are_suggested() {
        let bib = Bibliography::parse(Path::new("s.toml"), SAMPLE).expect("valid");
        assert!(
            bib.suggestion("unodc-world-drug-report-2052")
                .contains("did you mean")
        );
        assert!(bib.suggestion("zzz").contains("add `[zzz]`"));
    }
}
