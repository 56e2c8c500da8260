//! The one parser of content file names: `guides/telegram.ko.md` is the Korean version of
//! the page whose translation key is `guides/telegram.md`.
//!
//! Loading (which document is which language), routing (slugs from file names, links
//! such as `@/guides/telegram.ko.md`) and the unknown-suffix hint all read names through
//! [`ContentPath`], so they can never disagree on what a suffix means.
//!
//! Invariant: only a language of the site is a suffix. `notes.old.md` and `a.fr.md` on a
//! site without `fr` are pages of the default language with their own keys; the suffix is
//! still kept as [`ContentPath::other_suffix`] so a hint can say "`fr` is not a language
//! of this site".

use crate::config::{Config, is_language_code};

/// A path below `content/` ending in `.md`, split into folder, base name and language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentPath<'a> {
    /// The folder, without a trailing slash: `guides` (empty at the top).
    pub dir: &'a str,
    /// The file name without `.md` and without a language suffix: `telegram`.
    pub base: &'a str,
    /// The language suffix when it is a language of the site: `ko`.
    pub language: Option<&'a str>,
    /// A dotted suffix that looks like a language tag but is not one of the site's.
    pub other_suffix: Option<&'a str>,
}

impl<'a> ContentPath<'a> {
    /// Splits `rel` (forward slashes, relative to `content/`); `None` unless it ends in `.md`.
    pub fn parse(rel: &'a str, config: &Config) -> Option<Self> {
        Self::parse_with(rel, |code| config.is_language(code))
    }

    /// As [`ContentPath::parse`], with the site's languages given as a predicate.
    pub fn parse_with(rel: &'a str, is_site_language: impl Fn(&str) -> bool) -> Option<Self> {
        let stem = rel.strip_suffix(".md")?;
        let (dir, file) = stem.rsplit_once('/').unwrap_or(("", stem));
        let mut path = ContentPath {
            dir,
            base: file,
            language: None,
            other_suffix: None,
        };
        if let Some((base, code)) = file.rsplit_once('.') {
            if is_language_code(code) && is_site_language(code) {
                path.base = base;
                path.language = Some(code);
            } else if is_language_code(code) {
                path.other_suffix = Some(code);
            }
        }
        Some(path)
    }

    /// What translations share: `guides/telegram.md`.
    pub fn key(&self) -> String {
        self.sibling(self.base)
    }

    /// The key of the file with the other-language suffix removed: `a.fr.md` -> `a.md`.
    pub fn key_without_other_suffix(&self) -> Option<String> {
        let code = self.other_suffix?;
        let base = self.base.strip_suffix(code)?.strip_suffix('.')?;
        Some(self.sibling(base))
    }

    /// The language of the file: its suffix, or else the site's default.
    pub fn language_or<'b>(&self, default: &'b str) -> &'b str
    where
        'a: 'b,
    {
        self.language.unwrap_or(default)
    }

    /// `_index.md`: a section's own page.
    pub fn is_section(&self) -> bool {
        self.base == "_index"
    }

    /// `index.md`: a page bundle, whose folder holds the page and its files.
    pub fn is_bundle(&self) -> bool {
        self.base == "index"
    }

    /// The key of the bundle a link may mean: `guides/telegram.md` -> `guides/telegram/index.md`.
    pub fn bundle_key(&self) -> String {
        if self.dir.is_empty() {
            format!("{}/index.md", self.base)
        } else {
            format!("{}/{}/index.md", self.dir, self.base)
        }
    }

    /// The inverse of [`ContentPath::key`]: the file that holds `key` in language `lang`
    /// (`a.md`, `ko` -> `a.ko.md`). Works on any path ending in `.md`.
    pub fn file_for(key: &str, lang: &str) -> String {
        match key.strip_suffix(".md") {
            Some(stem) => format!("{stem}.{lang}.md"),
            None => key.to_string(),
        }
    }

    fn sibling(&self, base: &str) -> String {
        if self.dir.is_empty() {
            format!("{base}.md")
        } else {
            format!("{}/{base}.md", self.dir)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(rel: &str) -> Option<ContentPath<'_>> {
        ContentPath::parse_with(rel, |c| c == "ko" || c == "en")
    }

    #[test]
    fn a_site_language_suffix_is_the_language() {
        let p = parse("guides/telegram.ko.md").expect("md");
        assert_eq!(
            (p.dir, p.base, p.language),
            ("guides", "telegram", Some("ko"))
        );
        assert_eq!(p.key(), "guides/telegram.md");
        assert_eq!(p.language_or("en"), "ko");
        assert_eq!(p.bundle_key(), "guides/telegram/index.md");
        assert_eq!(
            ContentPath::file_for(&p.key(), "ko"),
            "guides/telegram.ko.md"
        );
    }

    #[test]
    fn other_suffixes_stay_in_the_name() {
        let p = parse("notes.old.md").expect("md");
        // `old` could be a language tag (three letters), so it is kept for the hint.
        assert_eq!(
            (p.base, p.language, p.other_suffix),
            ("notes.old", None, Some("old"))
        );
        assert_eq!(p.key(), "notes.old.md");
        let fr = parse("a.fr.md").expect("md");
        assert_eq!(
            (fr.base, fr.language, fr.other_suffix),
            ("a.fr", None, Some("fr"))
        );
        assert_eq!(fr.key(), "a.fr.md");
        assert_eq!(fr.key_without_other_suffix().as_deref(), Some("a.md"));
        assert_eq!(fr.language_or("en"), "en");
    }

    #[test]
    fn sections_bundles_and_non_markdown() {
        assert!(parse("_index.ko.md").is_some_and(|p| p.is_section() && p.key() == "_index.md"));
        assert!(parse("a/index.md").is_some_and(|p| p.is_bundle() && p.key() == "a/index.md"));
        assert_eq!(parse("a/photo.jpg"), None);
        assert_eq!(parse("a.ko.md/x.txt"), None);
        let plain = parse("guides/v1.2.md").expect("md");
        assert_eq!((plain.base, plain.other_suffix), ("v1.2", None));
    }
}
