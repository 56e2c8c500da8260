//! Slugs that keep every script's letters.
//!
//! `텔레그램 비밀 대화` becomes `텔레그램-비밀-대화`, not a broken romanisation: Korean
//! readers see their own words in the address bar, and browsers handle the encoding.

use unicode_normalization::UnicodeNormalization;

/// Lowercases, normalises to NFC (macOS hands out decomposed Hangul in file names), keeps
/// letters and digits of any script, and turns every run of anything else into one `-`.
pub fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_dash = false;
    for c in s.nfc().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '_' {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(c);
        } else if c == '\'' || c == '\u{2019}' {
            // "don't" -> "dont": an apostrophe does not split a word.
        } else {
            pending_dash = true;
        }
    }
    out
}

/// Checks a slug an editor wrote by hand. It becomes a folder name, so anything that could
/// escape the output folder or break on some file system is refused.
pub fn check_slug(slug: &str) -> Result<(), String> {
    if slug.is_empty() {
        return Err("the slug is empty".into());
    }
    if slug == "." || slug.contains("..") {
        return Err(format!(
            "the slug `{slug}` contains `..`, which could point outside the site"
        ));
    }
    if let Some(c) = slug.chars().find(|c| {
        matches!(
            c,
            '/' | '\\' | '<' | '>' | ':' | '"' | '|' | '?' | '*' | '#' | '%'
        ) || c.is_control()
            || c.is_whitespace()
    }) {
        return Err(format!(
            "the slug `{slug}` contains `{}`, which is not safe in a path",
            c.escape_default()
        ));
    }
    if slug.starts_with('.') {
        return Err(format!(
            "the slug `{slug}` starts with `.`, which hides the page on most servers"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_hangul_and_lowercases_latin() {
        assert_eq!(slugify("텔레그램 비밀 대화"), "텔레그램-비밀-대화");
        assert_eq!(
            slugify("Dead Drops: How They Work"),
            "dead-drops-how-they-work"
        );
        assert_eq!(slugify("  --Don't  panic!-- "), "dont-panic");
        assert_eq!(slugify("Crypto & 암호화폐"), "crypto-암호화폐");
    }

    #[test]
    fn decomposed_hangul_is_composed() {
        let nfd = "\u{1110}\u{1166}"; // 테 as jamo
        assert_eq!(slugify(nfd), "테");
    }

    #[test]
    fn unsafe_slugs_are_refused() {
        for bad in [
            "../etc", "a/b", "a\\b", "..", ".hidden", "a b", "a?b", "", "a\u{0}b", "100%",
        ] {
            assert!(check_slug(bad).is_err(), "{bad:?}");
        }
        for good in ["telegram", "텔레그램-비밀-대화", "v1.2", "a_b"] {
            assert!(check_slug(good).is_ok(), "{good:?}");
        }
    }
}
