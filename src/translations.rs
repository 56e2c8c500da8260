//! Translation freshness: which translations are up to date, outdated, missing or
//! untracked, and `--mark-current`.
//!
//! A translation records the source version it was made from as `translation_of`, a
//! digest of the source's title and body. Whitespace is folded before hashing, so
//! re-wrapping a paragraph does not make every translation "outdated".

use crate::config::Config;
use crate::load::Document;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

/// A short digest (12 hex digits of 64-bit FNV-1a) of a source's title and body with
/// every run of whitespace folded to one space. Stable across platforms and versions.
pub fn digest(title: &str, body: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |b: u8| {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    };
    for (i, word) in title
        .split_whitespace()
        .chain(std::iter::once("\u{0}"))
        .chain(body.split_whitespace())
        .enumerate()
    {
        if i > 0 {
            feed(b' ');
        }
        word.bytes().for_each(&mut feed);
    }
    format!("{hash:016x}")[..12].to_string()
}

/// The digest of a document as a translation source.
pub fn digest_of(doc: &Document) -> String {
    digest(doc.front.title.as_deref().unwrap_or(""), doc.body())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    UpToDate,
    Outdated,
    Missing,
    Untracked,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::UpToDate => "up to date",
            Status::Outdated => "outdated",
            Status::Missing => "missing",
            Status::Untracked => "untracked",
        }
    }
}

/// The state of one translation (or its absence).
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub status: Status,
    /// The translation file, or where it would go when missing.
    pub path: String,
    pub source: String,
    /// `translation_of` as written, if any.
    pub recorded: Option<String>,
    /// The source's digest now.
    pub current: String,
}

/// Per language (other than the default), every source's translation state.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    pub languages: BTreeMap<String, Vec<Entry>>,
}

/// Compares every translation with its source.
pub fn report(config: &Config, docs: &[Arc<Document>]) -> Report {
    let default = &config.default_language;
    let sources: HashMap<&str, &Document> = docs
        .iter()
        .filter(|d| &d.lang == default)
        .map(|d| (d.key.as_str(), d.as_ref()))
        .collect();
    let mut translations: HashMap<(&str, &str), &Document> = HashMap::new();
    for d in docs.iter().filter(|d| &d.lang != default) {
        translations.insert((d.key.as_str(), d.lang.as_str()), d);
    }
    let mut report = Report::default();
    for lang in config.language_codes().iter().skip(1) {
        let mut entries: Vec<Entry> = Vec::new();
        let mut keys: Vec<&&str> = sources.keys().collect();
        keys.sort();
        for key in keys {
            let source = sources[*key];
            let current = digest_of(source);
            let (status, path, recorded) = match translations.get(&(*key, lang.as_str())) {
                None => (Status::Missing, translated_path(&source.path, lang), None),
                Some(t) => {
                    let recorded = t.front.translation_of.clone();
                    let status = match &recorded {
                        None => Status::Untracked,
                        Some(r) if *r == current => Status::UpToDate,
                        Some(_) => Status::Outdated,
                    };
                    (status, t.path.display().to_string(), recorded)
                }
            };
            entries.push(Entry {
                status,
                path,
                source: source.path.display().to_string(),
                recorded,
                current,
            });
        }
        entries.sort_by(|a, b| a.status.cmp(&b.status).then_with(|| a.path.cmp(&b.path)));
        report.languages.insert(lang.clone(), entries);
    }
    report
}

/// `content/a.md` -> `content/a.ko.md`.
fn translated_path(source: &Path, lang: &str) -> String {
    crate::load::ContentPath::file_for(&source.display().to_string(), lang)
}

impl Report {
    pub fn count(&self, status: Status) -> usize {
        self.languages
            .values()
            .flatten()
            .filter(|e| e.status == status)
            .count()
    }

    fn counts_line(entries: &[&Entry]) -> String {
        let n = |s: Status| entries.iter().filter(|e| e.status == s).count();
        format!(
            "{} up to date, {} outdated, {} missing, {} untracked",
            n(Status::UpToDate),
            n(Status::Outdated),
            n(Status::Missing),
            n(Status::Untracked)
        )
    }

    /// The table printed by `lantern translations`.
    pub fn to_text(&self, config: &Config) -> String {
        let mut out = String::new();
        for (lang, entries) in &self.languages {
            let name = config
                .languages
                .get(lang)
                .map_or(lang.as_str(), |l| l.name.as_str());
            let refs: Vec<&Entry> = entries.iter().collect();
            out.push_str(&format!("{lang} ({name}): {}\n", Self::counts_line(&refs)));
            for e in entries {
                out.push_str(&format!("  {:<11} {}\n", e.status.label(), e.path));
            }
            out.push('\n');
        }
        let all: Vec<&Entry> = self.languages.values().flatten().collect();
        let langs = self.languages.len();
        out.push_str(&format!(
            "{langs} language{}: {}\n",
            if langs == 1 { "" } else { "s" },
            Self::counts_line(&all)
        ));
        out
    }

    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Summary {
            up_to_date: usize,
            outdated: usize,
            missing: usize,
            untracked: usize,
        }
        #[derive(Serialize)]
        struct Json<'a> {
            languages: &'a BTreeMap<String, Vec<Entry>>,
            summary: Summary,
        }
        let json = Json {
            languages: &self.languages,
            summary: Summary {
                up_to_date: self.count(Status::UpToDate),
                outdated: self.count(Status::Outdated),
                missing: self.count(Status::Missing),
                untracked: self.count(Status::Untracked),
            },
        };
        serde_json::to_string_pretty(&json).unwrap_or_default()
    }
}

/// Writes `translation_of = "<digest>"` into a translation's front matter, changing only
/// that one line (or adding it just before the closing fence).
pub fn mark_current(translation: &Document, source: &Document) -> Result<String, String> {
    if translation.kind != source.kind || translation.key != source.key {
        return Err("not a translation of that source".into());
    }
    Ok(set_front_matter_line(
        &translation.text,
        "translation_of",
        &digest_of(source),
    ))
}

/// Replaces or inserts `key = "value"` (TOML) / `key: "value"` (YAML) in the front
/// matter of `text`, leaving every other byte as it was.
pub fn set_front_matter_line(text: &str, key: &str, value: &str) -> String {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let yaml = text[bom..].starts_with("---");
    let fence = if yaml { "---" } else { "+++" };
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let line_text = if yaml {
        format!("{key}: \"{value}\"")
    } else {
        format!("{key} = \"{value}\"")
    };
    let mut out = String::with_capacity(text.len() + line_text.len() + 2);
    let mut in_front = false;
    let mut done = false;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let bare = line.trim_end_matches(['\n', '\r']);
        let ending = &line[bare.len()..];
        if i == 0 {
            in_front = true;
            out.push_str(line);
            continue;
        }
        if in_front && !done {
            let trimmed = bare.trim_start();
            let is_key = trimmed
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(if yaml { ':' } else { '=' }));
            if is_key {
                out.push_str(&line_text);
                out.push_str(ending);
                done = true;
                continue;
            }
            // TOML keys after a `[table]` header belong to that table, so a new top-level
            // key goes before the first header (or before the closing fence).
            let table_header = !yaml && trimmed.starts_with('[');
            if bare.trim_end() == fence || table_header {
                out.push_str(&line_text);
                out.push_str(newline);
                out.push_str(line);
                done = true;
                in_front = bare.trim_end() != fence;
                continue;
            }
        }
        out.push_str(line);
    }
    out
}

/// Finds the document at `path` (as given on the command line) and its source.
pub fn find_pair<'a>(
    docs: &'a [Arc<Document>],
    config: &Config,
    root: &Path,
    path: &Path,
) -> Result<(&'a Document, &'a Document), String> {
    let wanted = path.strip_prefix(root).unwrap_or(path);
    let wanted = wanted.strip_prefix("content").unwrap_or(wanted);
    // `content\guides\x.ko.md` as typed on Windows names the same file on every system.
    let wanted = wanted.to_string_lossy().replace('\\', "/");
    let wanted = wanted
        .trim_start_matches("./")
        .trim_start_matches("content/")
        .to_string();
    let translation = docs
        .iter()
        .find(|d| d.rel == wanted || d.path == path)
        .ok_or_else(|| format!("{} is not a content file of this site", path.display()))?;
    if translation.lang == config.default_language {
        return Err(format!(
            "{} is in the default language; give the translation's path (e.g. name.ko.md)",
            path.display()
        ));
    }
    let source = docs
        .iter()
        .find(|d| d.key == translation.key && d.lang == config.default_language)
        .ok_or_else(|| {
            format!(
                "{} has no {} source",
                path.display(),
                config.default_language
            )
        })?;
    Ok((translation, source))
}

/// The `lantern translations` command, printing to stdout.
pub mod cli {
    use super::*;
    use crate::diagnostics::BuildError;

    fn load(root: &Path) -> Result<(Config, Vec<Arc<Document>>), BuildError> {
        let config = Config::load(root).map_err(BuildError)?;
        let loaded = crate::load::load(root, &config).map_err(BuildError)?;
        if !loaded.problems.is_empty() {
            return Err(BuildError(loaded.problems));
        }
        Ok((config, loaded.docs))
    }

    /// Prints the report; `Ok(false)` when a state in `fail_on` occurs.
    pub fn show(root: &Path, json: bool, fail_on: &[Status]) -> Result<bool, BuildError> {
        let (config, docs) = load(root)?;
        let report = report(&config, &docs);
        if json {
            println!("{}", report.to_json());
        } else {
            print!("{}", report.to_text(&config));
        }
        Ok(fail_on.iter().all(|s| report.count(*s) == 0))
    }

    /// Writes the current source digest into one translation.
    pub fn mark(root: &Path, path: &Path) -> Result<bool, BuildError> {
        let (config, docs) = load(root)?;
        let fail = |m: String| BuildError(vec![crate::diagnostics::Diagnostic::new(m)]);
        let (translation, source) = find_pair(&docs, &config, root, path).map_err(fail)?;
        mark_current(translation, source).map_err(fail)?;
        let file = root.join("content").join(&translation.rel);
        // Edit the file as saved, not as loaded (loading turns CRLF into LF), so a
        // Windows file keeps its line endings and only the one line changes.
        let saved = std::fs::read_to_string(&file)
            .map_err(|e| fail(format!("cannot read {}: {e}", file.display())))?;
        let text = set_front_matter_line(&saved, "translation_of", &digest_of(source));
        let tmp = file.with_extension("md.lantern-tmp");
        std::fs::write(&tmp, &text)
            .and_then(|_| std::fs::rename(&tmp, &file))
            .map_err(|e| fail(format!("cannot write {}: {e}", file.display())))?;
        println!(
            "{}: translation_of = \"{}\"",
            translation.path.display(),
            digest_of(source)
        );
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_ignores_whitespace_only_edits() {
        let a = digest("Title", "One two\nthree.\n\nFour.");
        let b = digest("Title ", "One  two three.\n\n\n  Four.\n");
        assert_eq!(a, b);
        assert_ne!(a, digest("Title", "One two three. Five."));
        assert_ne!(a, digest("Other", "One two\nthree.\n\nFour."));
        assert_eq!(a.len(), 12);
    }

    #[test]
    fn mark_current_replaces_only_that_line() {
        let text = "+++\ntitle = \"가\"\ntranslation_of = \"old\"\nweight = 1\n+++\nBody\n";
        let out = set_front_matter_line(text, "translation_of", "abc");
        assert_eq!(
            out,
            "+++\ntitle = \"가\"\ntranslation_of = \"abc\"\nweight = 1\n+++\nBody\n"
        );
    }

    #[test]
    fn toml_key_goes_above_the_first_table() {
        let text = "+++\ntitle = \"가\"\n[taxonomies]\ntopics = [\"x\"]\n+++\nBody\n";
        let out = set_front_matter_line(text, "translation_of", "abc");
        assert_eq!(
            out,
            "+++\ntitle = \"가\"\ntranslation_of = \"abc\"\n[taxonomies]\ntopics = [\"x\"]\n+++\nBody\n"
        );
    }

    #[test]
    fn mark_current_inserts_before_the_fence_and_keeps_crlf() {
        let text = "---\r\ntitle: x\r\n---\r\nBody +++\r\n";
        let out = set_front_matter_line(text, "translation_of", "abc");
        assert_eq!(
            out,
            "---\r\ntitle: x\r\ntranslation_of: \"abc\"\r\n---\r\nBody +++\r\n"
        );
    }
}
