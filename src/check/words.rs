//! Words: per-language lists of stigmatising terms (each with a suggested replacement)
//! and of operational terms an awareness site does not publish (seller search tags,
//! market names the site chose not to name). Lantern ships defaults for English and
//! Korean; `data/check-words.toml` extends them and may `allow` a default term.
//!
//! English terms match whole words, case-insensitively; Korean terms match anywhere,
//! because particles attach to the word (`중독자가`, `중독자를`).

use super::text::Block;
use super::{Context, Finding};
use crate::diagnostics::{BuildError, Diagnostic, from_toml_error};
use crate::load::Document;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Where a site adds its own terms, relative to the site root.
pub const FILE: &str = "data/check-words.toml";

const DEFAULTS: &str = r#"
[en]
stigmatising = [
  { term = "addict", suggestion = "person who uses drugs, or person with a substance use disorder" },
  { term = "addicts", suggestion = "people who use drugs" },
  { term = "junkie", suggestion = "person who uses drugs" },
  { term = "junkies", suggestion = "people who use drugs" },
  { term = "drug abuser", suggestion = "person who uses drugs" },
  { term = "drug abusers", suggestion = "people who use drugs" },
  { term = "substance abuse", suggestion = "substance use" },
  { term = "get clean", suggestion = "stop using drugs, or start recovery" },
  { term = "got clean", suggestion = "stopped using drugs" },
  { term = "stay clean", suggestion = "stay in recovery, or keep not using drugs" },
  { term = "staying clean", suggestion = "staying in recovery" },
  { term = "clean and sober", suggestion = "in recovery" },
  { term = "dirty urine", suggestion = "a positive drug test" },
]
operational = []

[ko]
stigmatising = [
  { term = "중독자", suggestion = "중독 문제를 겪는 사람" },
  { term = "마약쟁이", suggestion = "약물을 사용하는 사람" },
  { term = "약쟁이", suggestion = "약물을 사용하는 사람" },
  { term = "뽕쟁이", suggestion = "약물을 사용하는 사람" },
]
operational = []
"#;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Lists {
    #[serde(default)]
    stigmatising: Vec<Stigma>,
    #[serde(default)]
    operational: Vec<String>,
    /// Default terms this site does not want reported.
    #[serde(default)]
    allow: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Stigma {
    term: String,
    suggestion: String,
}

/// One term to look for.
pub struct Term {
    needle: String,
    /// The needle's searcher, built once (a page holds hundreds of blocks).
    finder: memchr::memmem::Finder<'static>,
    rule: &'static str,
    suggestion: String,
}

type AllLists = BTreeMap<String, Lists>;

fn parse(shown: &std::path::Path, text: &str) -> Result<AllLists, Vec<Diagnostic>> {
    toml::from_str(text).map_err(|e| vec![from_toml_error(shown, text, 0, &e)])
}

/// Per language, every term: the defaults, then the site's file.
fn terms(root: &std::path::Path) -> Result<BTreeMap<String, Vec<Term>>, BuildError> {
    let mut lists =
        parse(std::path::Path::new("(built-in word lists)"), DEFAULTS).map_err(BuildError)?;
    let path = root.join(FILE);
    if path.is_file() {
        let shown = crate::diagnostics::display_base(root).join(FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            BuildError(vec![Diagnostic::in_file(
                &shown,
                format!("cannot read: {e}"),
            )])
        })?;
        for (lang, site) in parse(&shown, &text).map_err(BuildError)? {
            let list = lists.entry(lang).or_default();
            list.stigmatising.retain(|s| !site.allow.contains(&s.term));
            list.operational.retain(|t| !site.allow.contains(t));
            list.stigmatising.extend(site.stigmatising);
            list.operational.extend(site.operational);
        }
    }
    Ok(lists
        .into_iter()
        .map(|(lang, list)| {
            let mut terms: Vec<Term> = list
                .stigmatising
                .into_iter()
                .map(|s| Term {
                    finder: finder(&s.term),
                    needle: s.term.to_lowercase(),
                    rule: "word-stigma",
                    suggestion: format!("write \"{}\"", s.suggestion),
                })
                .collect();
            terms.extend(list.operational.into_iter().map(|t| Term {
                finder: finder(&t),
                needle: t.to_lowercase(),
                rule: "word-operational",
                suggestion: "leave it out: the site has chosen not to publish this term".into(),
            }));
            (lang, terms)
        })
        .collect())
}

fn finder(term: &str) -> memchr::memmem::Finder<'static> {
    memchr::memmem::Finder::new(term.to_lowercase().as_bytes()).into_owned()
}

/// The word lists of every language (defaults, then the site's `data/words.toml`).
pub struct Terms(BTreeMap<String, Vec<Term>>);

pub fn lists(cx: &Context) -> Result<Terms, BuildError> {
    terms(cx.root).map(Terms)
}

/// The word rules on one page's text blocks.
pub fn check_doc(lists: &Terms, doc: &Document, blocks: &[Block]) -> Vec<Finding> {
    let Some(list) = lists.0.get(&doc.lang) else {
        return Vec::new();
    };
    let whole_words = !doc.lang.starts_with("ko");
    let mut findings = Vec::new();
    for block in blocks {
        let lower = block.text.to_ascii_lowercase();
        for term in list {
            for at in find_term(&lower, &term.finder, whole_words) {
                let written = &block.text[at..at + term.needle.len()];
                let what = if term.rule == "word-stigma" {
                    "stigmatising"
                } else {
                    "not published on this site"
                };
                findings.push(
                    Finding::new(
                        term.rule,
                        doc.path.display().to_string(),
                        format!("\"{written}\" is {what}"),
                    )
                    .at_offset(doc, block.source_offset(at))
                    .suggest(term.suggestion.clone()),
                );
            }
        }
    }
    findings
}

/// Byte offsets of the finder's needle in `haystack` (both lower-cased), as a whole
/// word if asked.
fn find_term(haystack: &str, needle: &memchr::memmem::Finder, whole_words: bool) -> Vec<usize> {
    let mut found = Vec::new();
    if needle.needle().is_empty() {
        return found;
    }
    let mut from = 0;
    while let Some(i) = needle.find(&haystack.as_bytes()[from..]) {
        let at = from + i;
        let end = at + needle.needle().len();
        let before = haystack[..at].chars().next_back();
        let after = haystack[end..].chars().next();
        let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric() && c != '-');
        if (!whole_words || (boundary(before) && boundary(after))) && !is_quoted(before, after) {
            found.push(at);
        }
        from = end;
    }
    found
}

/// A term between quotation marks is mentioned, not used (a page explaining which words
/// shame people names them).
fn is_quoted(before: Option<char>, after: Option<char>) -> bool {
    matches!(
        (before, after),
        (Some('"'), Some('"'))
            | (Some('\''), Some('\''))
            | (Some('“'), Some('”'))
            | (Some('‘'), Some('’'))
            | (Some('「'), Some('」'))
            | (Some('『'), Some('』'))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_matches_whole_words_only() {
        let f = |s: &str| finder(s);
        assert_eq!(
            find_term("an addict, not addiction", &f("addict"), true),
            [3]
        );
        assert_eq!(find_term("중독자가 아니라", &f("중독자"), false), [0]);
        assert_eq!(
            find_term("words such as \"addict\" shame", &f("addict"), true),
            Vec::<usize>::new()
        );
        assert_eq!(
            find_term("'약쟁이', '중독자'", &f("중독자"), false),
            Vec::<usize>::new()
        );
    }

    #[test]
    fn defaults_parse() {
        assert!(parse(std::path::Path::new("x"), DEFAULTS).is_ok());
    }
}
