//! Invariants shared by the fuzz targets: what every error Lantern reports must satisfy,
//! whatever the input.

use lantern::diagnostics::Diagnostic;

/// A diagnostic about `text` points at a line that exists (or at no line), its snippet is
/// that line, and printing it cannot panic.
pub fn check_diagnostic(d: &Diagnostic, text: &str) {
    let _ = d.to_string();
    let Some(loc) = &d.location else { return };
    assert!(loc.width >= 1, "caret width 0: {d:?}");
    if loc.line == 0 {
        return;
    }
    // YAML also ends a line at a lone `\r` (old Mac line endings); Lantern's snippets
    // split at `\n` only, so with lone `\r`s only the line number is checked.
    let lone_cr = text.matches('\r').count() - text.matches("\r\n").count();
    let last_line = text.matches('\n').count() + lone_cr + 1;
    assert!(
        loc.line <= last_line,
        "line {} past the end ({last_line}): {d:?}",
        loc.line
    );
    assert!(loc.column >= 1, "column 0: {d:?}");
    if !loc.source_line.is_empty() && lone_cr == 0 {
        let line = text.split('\n').nth(loc.line - 1).unwrap_or("");
        assert_eq!(
            loc.source_line.trim_end_matches('\r'),
            line.trim_end_matches('\r'),
            "snippet is not line {}",
            loc.line
        );
    }
}

/// `range` lies inside `text` and starts and ends on character boundaries.
pub fn check_range(text: &str, offset: usize, len: usize, what: &str) {
    let end = offset.checked_add(len).expect("range overflows");
    assert!(
        end <= text.len(),
        "{what} {offset}..{end} past the end ({})",
        text.len()
    );
    assert!(
        text.is_char_boundary(offset),
        "{what} starts inside a character: {offset}"
    );
    assert!(
        text.is_char_boundary(end),
        "{what} ends inside a character: {end}"
    );
}
