//! Splitting a content file into front matter and body, and parsing the front matter.
//!
//! TOML sits between `+++` lines, YAML between `---` lines. Errors point into the original
//! file (not into the extracted block), so line numbers match what the editor sees.

use crate::dates::{Date, Interval};
use crate::diagnostics::{Diagnostic, Location, from_toml_error};
use serde::de::IntoDeserializer;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// Everything an editor may set at the top of a page or section.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    #[serde(default)]
    pub draft: bool,
    pub slug: Option<String>,
    pub weight: Option<i64>,
    pub template: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub taxonomies: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// When a person last checked the page against its sources.
    pub reviewed: Option<Date>,
    pub review_interval: Option<Interval>,
    #[serde(default)]
    pub sources: Vec<crate::sources::SourceEntry>,
    pub content_warning: Option<String>,
    #[serde(default)]
    pub audience: Vec<String>,
    /// For translations: the digest of the source text this translation was made from.
    pub translation_of: Option<String>,
    /// For sections: how to order their pages.
    pub sort_by: Option<SortBy>,
    /// For sections: pages per list page (none: one page).
    pub paginate_by: Option<usize>,
}

/// A source an explainer relies on, shown to readers: written inline in front matter or
/// resolved from an id in `data/sources.toml` (see [`crate::sources`]).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SourceRef {
    pub title: String,
    #[serde(default)]
    pub author: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub publisher: Option<String>,
    /// As precise as the source itself: "2025", "2023-05" or "2023-05-07".
    #[serde(default)]
    pub date: Option<String>,
    /// The language the source is written in, e.g. "ko".
    #[serde(default)]
    pub language: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    Date,
    Updated,
    Title,
    Weight,
}

/// The two parts of a content file.
#[derive(Debug)]
pub struct Split<'a> {
    pub front: FrontMatter,
    pub front_text: &'a str,
    /// Byte offset of the front matter text inside the file.
    pub front_start: usize,
    /// Byte offset where the Markdown body starts.
    pub body_start: usize,
}

/// Splits and parses; every error points at a line of `text`, which is the whole file.
pub fn parse<'a>(path: &Path, text: &'a str) -> Result<Split<'a>, Vec<Diagnostic>> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[start..];
    if rest.trim().is_empty() {
        return Err(vec![
            Diagnostic::in_file(path, "the file is empty").with_help(
                "a page starts with front matter, at least:\n+++\ntitle = \"My page\"\n+++",
            ),
        ]);
    }
    let first_line = rest.lines().next().unwrap_or("").trim_end();
    let (fence, yaml) = match first_line {
        "+++" => ("+++", false),
        "---" => ("---", true),
        _ => {
            return Err(vec![Diagnostic::new("the file does not start with front matter")
                .at(Location::from_line_col(path, text, 1, 1, first_line.chars().count()))
                .with_help("start the file with a `+++` line, then `title = \"…\"`, then another `+++` line")]);
        }
    };
    let front_start = start + rest.find('\n').map_or(rest.len(), |i| i + 1);
    let Some((front_end, body_start)) = find_closing_fence(text, front_start, fence) else {
        return Err(vec![
            Diagnostic::new(format!(
                "front matter opened with `{fence}` is never closed"
            ))
            .at(Location::from_line_col(path, text, 1, 1, 3))
            .with_help(format!(
                "add a line with only `{fence}` after the last front matter line"
            )),
        ]);
    };
    let front_text = &text[front_start..front_end];
    let front = if yaml {
        parse_yaml(path, text, front_start, front_text).map_err(|d| vec![d])?
    } else {
        parse_toml(path, text, front_start, front_text)?
    };
    Ok(Split {
        front,
        front_text,
        front_start,
        body_start,
    })
}

/// TOML front matter. When it does not fit [`FrontMatter`], every key is tried on its own,
/// so an editor sees every wrong key of the file at once, not only the first.
fn parse_toml(
    path: &Path,
    text: &str,
    base: usize,
    front: &str,
) -> Result<FrontMatter, Vec<Diagnostic>> {
    let first = match toml::from_str::<FrontMatter>(front) {
        Ok(parsed) => return Ok(parsed),
        Err(e) => e,
    };
    // A syntax error: the text has no keys to try one by one.
    let Ok(table) = toml::de::DeTable::parse(front) else {
        return Err(vec![from_toml_error(path, text, base, &first)]);
    };
    let whole = table.span();
    let mut problems = Vec::new();
    for (key, value) in table.into_inner() {
        let name = key.get_ref().to_string();
        let key_span = key.span();
        let mut alone = toml::de::DeTable::new();
        alone.insert(key, value);
        let alone = toml::Spanned::new(whole.clone(), alone);
        if let Err(e) = FrontMatter::deserialize(alone.into_deserializer()) {
            let message = crate::diagnostics::plain_types(&format!("`{name}`: {}", e.message()));
            let span = e.span().unwrap_or(key_span);
            problems.push(Diagnostic::at_offset(
                path,
                text,
                base + span.start,
                span.len(),
                message,
            ));
        }
    }
    if problems.is_empty() {
        problems.push(from_toml_error(path, text, base, &first));
    }
    Err(problems)
}

/// Finds the line that is exactly `fence`, returning (end of front matter, start of body).
fn find_closing_fence(text: &str, from: usize, fence: &str) -> Option<(usize, usize)> {
    let mut offset = from;
    for line in text[from..].split_inclusive('\n') {
        if line.trim_end() == fence {
            return Some((offset, offset + line.len()));
        }
        offset += line.len();
    }
    None
}

fn parse_yaml(path: &Path, text: &str, base: usize, yaml: &str) -> Result<FrontMatter, Diagnostic> {
    if yaml.trim().is_empty() {
        return Ok(FrontMatter::default());
    }
    serde_saphyr::from_str::<FrontMatter>(yaml).map_err(|e| {
        let message = yaml_message(&e);
        match e.location() {
            Some(loc) => {
                let base_line = text[..base].matches('\n').count();
                let line = base_line + usize::try_from(loc.line()).unwrap_or(1);
                let column = usize::try_from(loc.column()).unwrap_or(1);
                Diagnostic::new(message).at(Location::from_line_col(path, text, line, column, 1))
            }
            None => Diagnostic::in_file(path, message),
        }
    })
}

/// serde-saphyr appends its own "at line X column Y" to messages; we print our own.
fn yaml_message(e: &serde_saphyr::Error) -> String {
    let full = e.to_string();
    let first = full.lines().next().unwrap_or(&full);
    let message = match first.rfind(" at line ") {
        Some(i) => first[..i].to_string(),
        None => first.to_string(),
    }
    .trim_start_matches("error: ")
    .to_string();
    crate::diagnostics::plain_types(&strip_position_prefix(&message))
}

/// `line 1 column 8: expected …` -> `expected …` (the position is printed separately,
/// counted from the top of the file rather than of the front matter block).
fn strip_position_prefix(message: &str) -> String {
    let Some(rest) = message.strip_prefix("line ") else {
        return message.to_string();
    };
    match rest.split_once(": ") {
        Some((position, text)) if position.contains("column") => text.to_string(),
        _ => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<Split<'_>, String> {
        parse(Path::new("x.md"), text).map_err(|d| {
            d.iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        })
    }

    #[test]
    fn toml_front_matter_and_body() {
        let s = p("+++\ntitle = \"Hi\"\ndate = 2026-01-02\n+++\nBody\n").expect("valid");
        assert_eq!(s.front.title.as_deref(), Some("Hi"));
        assert_eq!(s.front.date.map(|d| d.to_iso()), Some("2026-01-02".into()));
        assert_eq!(
            &"+++\ntitle = \"Hi\"\ndate = 2026-01-02\n+++\nBody\n"[s.body_start..],
            "Body\n"
        );
    }

    #[test]
    fn yaml_front_matter() {
        let s =
            p("---\ntitle: \"Hi: there\"\naudience: [parents]\nreviewed: 2026-01-02\n---\nBody")
                .expect("valid");
        assert_eq!(s.front.title.as_deref(), Some("Hi: there"));
        assert_eq!(s.front.audience, vec!["parents".to_string()]);
        assert!(s.front.reviewed.is_some());
    }

    #[test]
    fn unknown_key_points_at_its_line() {
        let err = p("+++\ntitle = \"Hi\"\ntitel = \"x\"\n+++\n").expect_err("invalid");
        assert!(err.contains("x.md:3:1"), "{err}");
        assert!(err.contains("titel"), "{err}");
    }

    #[test]
    fn yaml_unknown_key_points_at_its_line() {
        let err = p("---\ntitle: Hi\nsummary: x\n---\n").expect_err("invalid");
        assert!(err.contains("x.md:3:"), "{err}");
        assert!(err.contains("summary"), "{err}");
    }

    #[test]
    fn wrong_date_points_at_value() {
        let err = p("+++\ntitle = \"Hi\"\ndate = \"yesterday\"\n+++\n").expect_err("invalid");
        assert!(err.contains("x.md:3:8"), "{err}");
        assert!(err.contains("invalid date `yesterday`"), "{err}");
    }

    #[test]
    fn unclosed_and_missing_front_matter() {
        assert!(
            p("+++\ntitle = \"x\"\nbody")
                .expect_err("invalid")
                .contains("never closed")
        );
        assert!(
            p("# Just markdown")
                .expect_err("invalid")
                .contains("does not start with front matter")
        );
        assert!(p("").expect_err("invalid").contains("empty"));
        assert!(p("\u{feff}+++\ntitle = \"x\"\n+++\n").is_ok());
    }
}
