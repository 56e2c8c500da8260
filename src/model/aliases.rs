//! Front matter `aliases`: old URLs that redirect to a page. Each becomes a folder in the
//! output and a line of `_redirects`, so an alias must be a plain path on this site:
//! a space or line break would add a rule to `_redirects`, a scheme or `//host` would
//! redirect readers to another site, and `..` would write outside the output folder.

use crate::diagnostics::{Diagnostic, Location};
use crate::load::Document;
use std::sync::Arc;

/// Every alias of every document that is not a safe URL path, each at its line.
pub fn check(docs: &[Arc<Document>]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for doc in docs {
        for alias in &doc.front.aliases {
            if let Err(why) = check_alias(alias) {
                problems.push(
                    Diagnostic::new(format!("alias `{}` {why}", alias.escape_debug()))
                        .at(alias_location(doc, alias))
                        .with_help("an alias is a path on this site, such as `/old/page/`"),
                );
            }
        }
    }
    problems
}

/// Why `alias` is not a safe path on this site (the reason completes "alias `…` …").
pub fn check_alias(alias: &str) -> Result<(), &'static str> {
    if alias.is_empty() {
        return Err("is empty");
    }
    if alias.chars().any(char::is_whitespace) {
        return Err("contains a space or a line break");
    }
    if alias.chars().any(char::is_control) {
        return Err("contains a control character");
    }
    if alias.starts_with("//") || alias.contains(':') {
        return Err("is a URL or names a host; it must be a path on this site");
    }
    if alias.contains('\\') {
        return Err("contains a backslash");
    }
    if alias.contains(['?', '#', '*', '"', '<', '>']) {
        return Err("contains `?`, `#`, `*`, `\"`, `<` or `>`");
    }
    let dot_segment = alias.split('/').any(|segment| {
        let decoded = percent_encoding::percent_decode_str(segment).decode_utf8_lossy();
        decoded == "." || decoded == ".."
    });
    if dot_segment {
        return Err("contains a `.` or `..` segment");
    }
    Ok(())
}

/// The alias's own line: its text (up to any escaped character) searched after the
/// `aliases` key, else the key's line.
fn alias_location(doc: &Document, alias: &str) -> Location {
    let front = &doc.text[..doc.body_start];
    let key = doc.key_location("aliases");
    let from = crate::diagnostics::find_key(front, "aliases").unwrap_or(0);
    let literal: String = alias.chars().take_while(|c| !c.is_control()).collect();
    if literal.is_empty() {
        return key;
    }
    match front[from..].find(&literal) {
        Some(i) => Location::from_offset(&doc.path, &doc.text, from + i, literal.len()),
        None => key,
    }
}

#[cfg(test)]
mod tests {
    use super::check_alias;

    #[test]
    fn plain_paths_pass() {
        for ok in [
            "/old/page/",
            "old/page",
            "old.html",
            "/텔레그램/",
            "/a%20b/",
        ] {
            assert_eq!(check_alias(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn unsafe_aliases_are_refused() {
        for bad in [
            "",
            "old page",
            "x 301\n/* https://evil.example/ 200",
            "/tab\there",
            "/bell\u{7}",
            "https://evil.example/",
            "//evil.example/x",
            "javascript:alert(1)",
            "/../../etc",
            "/a/./b",
            "/a/%2e%2e/b",
            "a\\b",
            "/x?y=1",
            "/*",
        ] {
            assert!(check_alias(bad).is_err(), "{bad:?} passed");
        }
    }
}
