//! Problems found in a user's site, reported the way a compiler reports them.
//!
//! Every stage collects [`Diagnostic`]s instead of stopping at the first problem, so an
//! editor sees every broken front matter block, link and template of one build at once.
//! A diagnostic owns the offending source line so it can print a caret without going back
//! to the file system.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a problem is: an error stops the build, a warning is shown and the build
/// goes on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    #[default]
    Error,
    Warning,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem, pointing at a place in a file when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    /// Boxed: most results carry no diagnostic, and a small `Err` keeps them cheap.
    pub location: Option<Box<Location>>,
    /// Extra advice printed after the snippet ("did you mean …").
    pub help: Option<String>,
}

/// A place in a file: 1-based line and column (columns count characters, not bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    /// The text of the line, for the snippet; empty when unknown.
    pub source_line: String,
    /// How many characters the caret underlines (at least one).
    pub width: usize,
}

impl Diagnostic {
    /// A problem that belongs to no particular line (a missing folder, say).
    pub fn new(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            location: None,
            help: None,
        }
    }

    /// A problem in `file`, with no line known.
    pub fn in_file(file: &Path, message: impl Into<String>) -> Self {
        Diagnostic::new(message).at(Location {
            file: file.to_path_buf(),
            line: 0,
            column: 0,
            source_line: String::new(),
            width: 1,
        })
    }

    /// A problem at byte `offset` of `text`, which is the whole content of `file`.
    pub fn at_offset(
        file: &Path,
        text: &str,
        offset: usize,
        len: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic::new(message).at(Location::from_offset(file, text, offset, len))
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(Box::new(location));
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The same problem as a warning: shown, but the build goes on.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }
}

impl Location {
    /// Works out line and column of byte `offset` in `text` (clamped to the text, and to a
    /// character boundary, so a bad offset from a parser can never panic here).
    pub fn from_offset(file: &Path, text: &str, offset: usize, len: usize) -> Location {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let line = text[..offset].matches('\n').count() + 1;
        let column = text[line_start..offset].chars().count() + 1;
        let source_line = text[line_start..line_end]
            .trim_end_matches('\r')
            .to_string();
        let mut end = (offset + len.max(1)).min(line_end);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let width = text[offset..end].chars().count().max(1);
        Location {
            file: file.to_path_buf(),
            line,
            column,
            source_line,
            width,
        }
    }

    /// A location at a 1-based `line` and `column` of `text`.
    pub fn from_line_col(
        file: &Path,
        text: &str,
        line: usize,
        column: usize,
        width: usize,
    ) -> Location {
        let source_line = text
            .lines()
            .nth(line.saturating_sub(1))
            .unwrap_or("")
            .trim_end_matches('\r')
            .to_string();
        Location {
            file: file.to_path_buf(),
            line,
            column: column.max(1),
            source_line,
            width: width.max(1),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}: {}", self.severity.label(), self.message)?;
        if let Some(loc) = &self.location {
            if loc.line == 0 {
                writeln!(f, " --> {}", loc.file.display())?;
            } else {
                let gutter = loc.line.to_string().len();
                let pad = " ".repeat(gutter);
                writeln!(
                    f,
                    "{pad}--> {}:{}:{}",
                    loc.file.display(),
                    loc.line,
                    loc.column
                )?;
                if !loc.source_line.is_empty() {
                    let snippet = Snippet::of(loc);
                    writeln!(f, "{pad} |")?;
                    writeln!(f, "{} | {}", loc.line, snippet.text)?;
                    writeln!(f, "{pad} | {}{}", snippet.lead, "^".repeat(snippet.carets))?;
                }
            }
        }
        if let Some(help) = &self.help {
            // Later lines of a multi-line help line up under the first.
            writeln!(f, "  = help: {}", help.replace('\n', "\n          "))?;
        }
        Ok(())
    }
}

/// The part of a source line shown under a message, and where the caret goes in it.
/// A Markdown paragraph is often one long line: it is shown as a window of
/// [`Snippet::WIDTH`] characters around the column, with `…` where it was cut, so the
/// caret always sits under the problem (in the terminal and in the browser overlay).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    /// Whitespace up to the caret (tabs kept, so the caret lines up).
    pub lead: String,
    pub carets: usize,
}

impl Snippet {
    pub const WIDTH: usize = 100;
    /// Characters kept before the column when the line is cut.
    const BEFORE: usize = 40;

    pub fn of(loc: &Location) -> Snippet {
        let chars: Vec<char> = loc.source_line.chars().collect();
        let col = loc.column.saturating_sub(1).min(chars.len());
        let start = if chars.len() <= Self::WIDTH {
            0
        } else {
            col.saturating_sub(Self::BEFORE)
                .min(chars.len().saturating_sub(Self::WIDTH))
        };
        let end = (start + Self::WIDTH).min(chars.len());
        let mut text = String::new();
        let mut lead = String::new();
        if start > 0 {
            text.push('…');
            lead.push(' ');
        }
        text.extend(&chars[start..end]);
        if end < chars.len() {
            text.push('…');
        }
        lead.extend(
            chars[start..col]
                .iter()
                .map(|&c| if c == '\t' { '\t' } else { ' ' }),
        );
        let carets = loc.width.clamp(1, (end.max(col + 1) - col).max(1));
        Snippet { text, lead, carets }
    }
}

/// Everything that went wrong in one build, in a stable order.
#[derive(Debug, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(ds);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Sorts by file, then position, and drops exact repeats (one template bug seen by
    /// many pages is reported once).
    pub fn normalise(&mut self) {
        self.0.sort_by(|a, b| {
            let key = |d: &Diagnostic| {
                d.location
                    .as_ref()
                    .map(|l| (l.file.clone(), l.line, l.column))
            };
            key(a).cmp(&key(b)).then_with(|| a.message.cmp(&b.message))
        });
        self.0.dedup();
    }

    /// Turns a non-empty collection into an error.
    pub fn into_result(mut self) -> Result<(), BuildError> {
        if self.is_empty() {
            Ok(())
        } else {
            self.normalise();
            Err(BuildError(self.0))
        }
    }
}

/// A build that failed, with every problem it found.
#[derive(Debug)]
pub struct BuildError(pub Vec<Diagnostic>);

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        let n = self.0.len();
        write!(
            f,
            "build failed: {n} problem{}",
            if n == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for BuildError {}

impl From<Diagnostic> for BuildError {
    fn from(d: Diagnostic) -> Self {
        BuildError(vec![d])
    }
}

impl From<Diagnostics> for BuildError {
    fn from(mut ds: Diagnostics) -> Self {
        ds.normalise();
        BuildError(ds.0)
    }
}

/// Converts a `toml` parse error into a diagnostic. `text` is the TOML that was parsed and
/// `base` is where it starts inside `file_text` (front matter sits below a `+++` line).
pub fn from_toml_error(
    file: &Path,
    file_text: &str,
    base: usize,
    err: &toml::de::Error,
) -> Diagnostic {
    let message = plain_types(err.message().trim());
    match err.span() {
        Some(span) => {
            Diagnostic::at_offset(file, file_text, base + span.start, span.len(), message)
        }
        None => Diagnostic::in_file(file, message),
    }
}

/// Serde names Rust types in its messages (`expected i64`); an editor needs words
/// (`expected a whole number`).
pub fn plain_types(message: &str) -> String {
    const WORDS: &[(&str, &str)] = &[
        ("i8", "a whole number"),
        ("i16", "a whole number"),
        ("i32", "a whole number"),
        ("i64", "a whole number"),
        ("u8", "a whole number, 0 or more"),
        ("u16", "a whole number, 0 or more"),
        ("u32", "a whole number, 0 or more"),
        ("u64", "a whole number, 0 or more"),
        ("usize", "a whole number, 0 or more"),
        ("f32", "a number"),
        ("f64", "a number"),
        ("a boolean", "true or false"),
        ("a sequence", "a list in [brackets]"),
        ("a map", "a table"),
    ];
    let mut out = message.to_string();
    for (rust, words) in WORDS {
        for lead in ["expected ", "expected one of "] {
            for end in ["", ",", " ", "\n"] {
                let from = format!("{lead}{rust}{end}");
                if out.contains(&from) {
                    out = out.replace(&from, &format!("{lead}{words}{end}"));
                }
            }
        }
        if out.ends_with(&format!("expected {rust}")) {
            let cut = out.len() - rust.len();
            out = format!("{}{words}", &out[..cut]);
        }
    }
    out
}

/// `root` as it should appear in messages: `./site` becomes `site`.
pub fn display_base(root: &Path) -> PathBuf {
    root.strip_prefix(".")
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| root.to_path_buf())
}

/// Byte offset of the first line in `text` that assigns or opens `key`, for pointing at it.
pub fn find_key(text: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let rest = trimmed.trim_start_matches('[').trim_start_matches('"');
        if let Some(after) = rest.strip_prefix(key) {
            let after = after.trim_start_matches('"').trim_start();
            if after.starts_with('=')
                || after.starts_with(':')
                || after.starts_with(']')
                || after.starts_with('.')
            {
                return Some(offset + indent + (trimmed.len() - rest.len()));
            }
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_type_names_become_words() {
        assert_eq!(
            plain_types("invalid type: string \"fifty\", expected i64"),
            "invalid type: string \"fifty\", expected a whole number"
        );
        assert_eq!(
            plain_types("invalid type: integer `3`, expected a sequence"),
            "invalid type: integer `3`, expected a list in [brackets]"
        );
        assert_eq!(
            plain_types("unknown field `titel`"),
            "unknown field `titel`"
        );
    }

    #[test]
    fn offset_gives_line_column_and_caret() {
        let text = "a = 1\ntitel = \"x\"\n";
        let d = Diagnostic::at_offset(Path::new("c.md"), text, 6, 5, "unknown key `titel`");
        let out = d.to_string();
        assert!(out.contains("--> c.md:2:1"), "{out}");
        assert!(out.contains("2 | titel = \"x\""), "{out}");
        assert!(out.contains("  | ^^^^^"), "{out}");
    }

    #[test]
    fn long_lines_show_a_window_with_the_caret_under_the_problem() {
        let line = format!(
            "{}[broken](@/nope.md){}",
            "word ".repeat(60),
            " tail".repeat(40)
        );
        let col = "word ".repeat(60).chars().count() + 1;
        let d = Diagnostic::at_offset(Path::new("p.md"), &line, col - 1, 19, "broken link");
        let out = d.to_string();
        let shown = out
            .lines()
            .find(|l| l.starts_with("1 | "))
            .expect("source line");
        let caret = out.lines().find(|l| l.contains('^')).expect("caret line");
        let under: String = shown
            .chars()
            .skip(caret.find('^').expect("caret"))
            .take(19)
            .collect();
        assert_eq!(under, "[broken](@/nope.md)", "{out}");
        assert!(shown.starts_with("1 | …") && shown.ends_with('…'), "{out}");
        assert!(shown.chars().count() <= Snippet::WIDTH + 6, "{out}");
    }

    #[test]
    fn warnings_say_so() {
        let d = Diagnostic::new("translation without a source").warning();
        assert!(d.to_string().starts_with("warning: "), "{d}");
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "제목 = 1";
        let loc = Location::from_offset(Path::new("k.md"), text, "제목 ".len(), 1);
        assert_eq!(loc.column, 4);
    }

    #[test]
    fn offsets_past_the_end_or_inside_a_character_do_not_panic() {
        let text = "한";
        let loc = Location::from_offset(Path::new("k.md"), text, 1, 50);
        assert_eq!((loc.line, loc.column), (1, 1));
        let loc = Location::from_offset(Path::new("k.md"), text, 99, 1);
        assert_eq!(loc.line, 1);
    }

    #[test]
    fn normalise_sorts_and_dedups() {
        let mut ds = Diagnostics::default();
        let b = Diagnostic::in_file(Path::new("b.md"), "x");
        let a = Diagnostic::in_file(Path::new("a.md"), "y");
        ds.push(b.clone());
        ds.push(a.clone());
        ds.push(b.clone());
        ds.normalise();
        assert_eq!(ds.0, vec![a, b]);
    }
}
