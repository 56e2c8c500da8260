//! Problems found in a user's site, reported the way a compiler reports them.
//!
//! Every stage collects [`Diagnostic`]s instead of stopping at the first problem, so an
//! editor sees every broken front matter block, link and template of one build at once.
//! A diagnostic owns the offending source line so it can print a caret without going back
//! to the file system.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem, pointing at a place in a file when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub message: String,
    pub location: Option<Location>,
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
        self.location = Some(location);
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
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
        writeln!(f, "error: {}", self.message)?;
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
                    let shown: String = loc.source_line.chars().take(200).collect();
                    let lead: String = shown
                        .chars()
                        .take(loc.column - 1)
                        .map(|c| if c == '\t' { '\t' } else { ' ' })
                        .collect();
                    writeln!(f, "{pad} |")?;
                    writeln!(f, "{} | {shown}", loc.line)?;
                    writeln!(f, "{pad} | {lead}{}", "^".repeat(loc.width.min(80)))?;
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
    let message = err.message().trim().to_string();
    match err.span() {
        Some(span) => {
            Diagnostic::at_offset(file, file_text, base + span.start, span.len(), message)
        }
        None => Diagnostic::in_file(file, message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
