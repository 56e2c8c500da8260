//! `lantern.toml`: the site's settings, read once per build.
//!
//! Unknown keys are errors (serde's `deny_unknown_fields`), because a typo such as
//! `minfy = false` that passes silently costs an editor an afternoon.

use crate::dates::Interval;
use crate::diagnostics::{Diagnostic, find_key, from_toml_error};
use crate::load::input::{Boundary, InputError};
use crate::settings::{Helplines, Menus, Organisation, Overrides, QuickExit, Statements};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const CONFIG_FILE: &str = "lantern.toml";

/// The folders a site is made of, below its root: what `serve` watches and what no
/// output folder may be, hold or lie in.
pub const SITE_DIRS: [&str; 7] = [
    "content",
    "templates",
    "themes",
    "static",
    "data",
    "i18n",
    "archetypes",
];

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Where the site will live, e.g. `https://example.org/` or `https://org.github.io/repo/`.
    pub base_url: String,
    #[serde(default = "default_language")]
    pub default_language: String,
    /// Per-language settings; the default language may be listed too (for its name).
    #[serde(default)]
    pub languages: BTreeMap<String, LanguageConfig>,
    /// A folder under `themes/`; `None` uses the theme built into Lantern.
    #[serde(default)]
    pub theme: Option<String>,
    #[serde(default = "default_output_dir")]
    pub output_dir: String,
    #[serde(default = "yes")]
    pub minify: bool,
    #[serde(default)]
    pub taxonomies: Vec<TaxonomyConfig>,
    /// How often pages must be reviewed unless a page says otherwise.
    #[serde(default = "default_review_interval")]
    pub review_interval: Interval,
    /// Atom feeds for the site, each section and each term with `feed = true`.
    #[serde(default = "yes")]
    pub feeds: bool,
    /// Also write RSS 2.0 (`rss.xml`) beside each Atom feed.
    #[serde(default)]
    pub rss: bool,
    /// Entries per feed (newest first).
    #[serde(default = "default_feed_limit")]
    pub feed_limit: usize,
    /// What a feed entry carries: the page's `summary` or its `full` text.
    #[serde(default)]
    pub feed_content: FeedContent,
    /// Sent as a `Content-Security-Policy` header (`_headers`) and `<meta>` tag. The
    /// built-in theme works under the default, which allows nothing from other hosts.
    #[serde(default = "default_csp")]
    pub content_security_policy: String,
    /// How internal links and assets are written: `portable` (relative, folders as
    /// `index.html`: any host, any sub-path, `file://`), `relative` (folders as `…/`) or
    /// `absolute` (root paths under the base URL's path).
    #[serde(default)]
    pub urls: crate::urls::UrlStyle,
    /// Folders outside the site that symbolic links may point into on purpose (a shared
    /// image library). Relative paths are relative to the site folder; [`Config::load`]
    /// makes them canonical. Not shown to templates.
    #[serde(default, skip_serializing)]
    pub allow_outside: Vec<PathBuf>,
    /// Free-form settings for themes.
    #[serde(default)]
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// Who runs the site: name, logo, contact details (see `settings`).
    #[serde(default)]
    pub organisation: Organisation,
    /// Menus by name (`main`, `footer`): `@/` paths with weights.
    #[serde(default)]
    pub menus: Menus,
    /// The "Exit this page" link.
    #[serde(default)]
    pub quick_exit: QuickExit,
    /// Which help lines of `data/helplines.toml` to list.
    #[serde(default)]
    pub helplines: Helplines,
    /// Facts for the generated accessibility and privacy statements.
    #[serde(default)]
    pub statements: Statements,
    /// `lantern check`: rule levels and thresholds.
    #[serde(default)]
    pub check: crate::check::CheckConfig,
    /// Site search (`[search]`): an index per language and a search page.
    #[serde(default)]
    pub search: SearchConfig,
    /// Resized copies of published images (see `images`).
    #[serde(default)]
    pub images: crate::images::ImageConfig,
}

/// `[search]`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    /// Write the search index and pages (on by default).
    #[serde(default = "yes")]
    pub enabled: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { enabled: true }
    }
}

#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum FeedContent {
    #[default]
    Summary,
    Full,
}

/// Nothing from other hosts, no inline script or style, no framing.
pub const DEFAULT_CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

fn default_csp() -> String {
    DEFAULT_CSP.to_string()
}
fn default_feed_limit() -> usize {
    20
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageConfig {
    /// The language's own name: "한국어", "English".
    pub name: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// URL prefix; defaults to the language code (none for the default language).
    #[serde(default)]
    pub url_prefix: Option<String>,
    /// Fields that replace `[organisation]`'s in this language.
    #[serde(default)]
    pub organisation: Option<Organisation>,
    /// Menus that replace the site's menus of the same name in this language.
    #[serde(default)]
    pub menus: Option<Menus>,
    /// The quick exit in this language (its address above all).
    #[serde(default)]
    pub quick_exit: Option<QuickExit>,
    /// Which help lines this language lists.
    #[serde(default)]
    pub helplines: Option<Helplines>,
}

impl LanguageConfig {
    /// A language named by its code, with nothing else set.
    pub fn named(name: &str) -> LanguageConfig {
        LanguageConfig {
            name: name.to_string(),
            title: None,
            description: None,
            url_prefix: None,
            organisation: None,
            menus: None,
            quick_exit: None,
            helplines: None,
        }
    }

    /// What this language overrides of the theme's settings.
    pub fn overrides(&self) -> Overrides<'_> {
        Overrides {
            organisation: self.organisation.as_ref(),
            menus: self.menus.as_ref(),
            quick_exit: self.quick_exit.as_ref(),
            helplines: self.helplines.as_ref(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TaxonomyConfig {
    pub name: String,
    #[serde(default)]
    pub paginate_by: Option<usize>,
    #[serde(default)]
    pub feed: bool,
}

fn default_language() -> String {
    "en".into()
}
fn default_output_dir() -> String {
    "site".into()
}
fn yes() -> bool {
    true
}
fn default_review_interval() -> Interval {
    Interval {
        amount: 12,
        unit: crate::dates::IntervalUnit::Months,
    }
}

impl Config {
    /// Reads `lantern.toml` from the site root.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = crate::diagnostics::display_base(root).join(CONFIG_FILE);
        let text = Config::read_text(root).map_err(|e| {
            let d = match e {
                InputError::Io(e) => {
                    Diagnostic::in_file(&path, format!("cannot read the site configuration: {e}"))
                        .with_help(
                            "run `lantern init DIR` to create a new site, or pass `--root DIR`",
                        )
                }
                other => other.diagnostic(&path),
            };
            vec![d]
        })?;
        let mut config = Config::parse(&path, &text)?;
        config.resolve_allow_outside(root, &path, &text)?;
        Ok(config)
    }

    /// The text of `root/lantern.toml`, read like every other input (a regular file
    /// inside the site folder, at most [`MAX_TEXT_BYTES`]).
    ///
    /// [`MAX_TEXT_BYTES`]: crate::load::input::MAX_TEXT_BYTES
    pub fn read_text(root: &Path) -> Result<String, InputError> {
        Boundary::new(root, &[]).read_text(&root.join(CONFIG_FILE))
    }

    /// Makes every `allow_outside` folder canonical (relative ones are relative to the
    /// site folder), so a later check compares real paths. A folder that does not exist
    /// is an error at the `allow_outside` line.
    fn resolve_allow_outside(
        &mut self,
        root: &Path,
        path: &Path,
        text: &str,
    ) -> Result<(), Vec<Diagnostic>> {
        let mut problems = Vec::new();
        for dir in &mut self.allow_outside {
            match std::fs::canonicalize(root.join(&*dir)) {
                Ok(real) if real.is_dir() => *dir = real,
                result => {
                    let why = result.map_or_else(|e| e.to_string(), |_| "not a folder".into());
                    let message = format!("allow_outside: cannot use `{}`: {why}", dir.display());
                    problems.push(match find_key(text, "allow_outside") {
                        Some(at) => Diagnostic::at_offset(path, text, at, 13, message),
                        None => Diagnostic::in_file(path, message),
                    });
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// Parses and checks configuration text; `path` is only used in messages.
    pub fn parse(path: &Path, text: &str) -> Result<Config, Vec<Diagnostic>> {
        let mut config: Config =
            toml::from_str(text).map_err(|e| vec![from_toml_error(path, text, 0, &e)])?;
        // Listed before the checks, so a language that claims the default's URL prefix
        // (`url_prefix = "/"`) is caught even when the default is not under [languages].
        let default = config.default_language.clone();
        config
            .languages
            .entry(default.clone())
            .or_insert_with(|| LanguageConfig::named(&default));
        let problems = config.check(path, text);
        if !problems.is_empty() {
            return Err(problems);
        }
        if !config.base_url.ends_with('/') {
            config.base_url.push('/');
        }
        Ok(config)
    }

    fn check(&self, path: &Path, text: &str) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        let at_key = |key: &str, message: String| match find_key(text, key) {
            Some(offset) => Diagnostic::at_offset(path, text, offset, key.len(), message),
            None => Diagnostic::in_file(path, message),
        };
        if let Err(why) = check_base_url(&self.base_url) {
            problems.push(at_key(
                "base_url",
                format!("base_url `{}` {why}", self.base_url.escape_debug()),
            ));
        }
        // The default language is among `languages` by now.
        for code in self.languages.keys() {
            if !is_language_code(code) {
                problems.push(at_key(
                    code,
                    format!("`{code}` is not a language code (expected a BCP 47 tag such as `en`, `ko` or `pt-BR`)"),
                ));
            }
        }
        let mut prefixes: BTreeMap<String, &str> = BTreeMap::new();
        for (code, lang) in &self.languages {
            let prefix = self.prefix_of(code, lang);
            if let Some(other) = prefixes.insert(prefix.clone(), code) {
                problems.push(at_key(
                    code,
                    format!("languages `{other}` and `{code}` both use the URL prefix `/{prefix}`"),
                ));
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for t in &self.taxonomies {
            let no_slug = crate::slug::slugify(&t.name).is_empty();
            if !seen.insert(&t.name) || no_slug || t.name.contains(['/', '\\', '.']) {
                problems.push(at_key(
                    &t.name,
                    format!(
                        "taxonomy name `{}` is empty, repeated or not a plain word",
                        t.name
                    ),
                ));
            }
        }
        problems
    }

    fn prefix_of(&self, code: &str, lang: &LanguageConfig) -> String {
        match &lang.url_prefix {
            Some(p) => p.trim_matches('/').to_string(),
            None if code == self.default_language => String::new(),
            None => code.to_string(),
        }
    }

    /// The URL prefix of a configured language, without slashes ("" for none).
    pub fn url_prefix(&self, code: &str) -> String {
        self.languages
            .get(code)
            .map(|l| self.prefix_of(code, l))
            .unwrap_or_else(|| code.to_string())
    }

    pub fn is_language(&self, code: &str) -> bool {
        self.languages.contains_key(code)
    }

    /// Language codes: the default first, then the rest in order.
    pub fn language_codes(&self) -> Vec<String> {
        let mut codes = vec![self.default_language.clone()];
        codes.extend(
            self.languages
                .keys()
                .filter(|c| **c != self.default_language)
                .cloned(),
        );
        codes
    }
}

/// Checks that a base URL is an `http(s)://host/…` URL or a path starting with `/`,
/// with nothing that could break out of an attribute or a Markdown link when it is
/// written into a page. The error completes "base_url `…` …".
pub fn check_base_url(url: &str) -> Result<(), String> {
    if let Some(c) = url
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || "\"'<>`\\".contains(*c))
    {
        return Err(format!(
            "must not contain {}",
            match c {
                c if c.is_whitespace() => "spaces or line breaks".to_string(),
                c if c.is_control() => "control characters".to_string(),
                c => format!("`{c}`"),
            }
        ));
    }
    if url.contains(['?', '#']) {
        return Err("must not have a query (`?`) or a fragment (`#`)".into());
    }
    let rest = match url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    {
        Some(rest) => rest,
        None if url.starts_with('/') && !url.starts_with("//") => return Ok(()),
        None => return Err("must start with https://, http:// or /".into()),
    };
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() {
        return Err("has no host name".into());
    }
    let host_ok = host
        .chars()
        .all(|c| c.is_alphanumeric() || "-.:[]".contains(c));
    if host_ok {
        Ok(())
    } else {
        Err(format!("does not have a valid host name (`{host}`)"))
    }
}

/// Whether `s` looks like a BCP 47 language tag (`en`, `ko`, `pt-BR`, `zh-Hant`).
pub fn is_language_code(s: &str) -> bool {
    let mut parts = s.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        Config::parse(Path::new("lantern.toml"), text)
    }

    #[test]
    fn minimal_config_gets_defaults() {
        let c = parse("title = \"T\"\nbase_url = \"https://example.org\"").expect("valid");
        assert_eq!(c.output_dir, "site");
        assert!(c.minify);
        assert_eq!(c.base_url, "https://example.org/");
        assert_eq!(c.language_codes(), vec!["en".to_string()]);
        assert_eq!(c.review_interval.to_string(), "12 months");
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let errs = parse("title = \"T\"\nbase_url = \"/\"\nminfy = false\n").expect_err("invalid");
        let out = errs[0].to_string();
        assert!(out.contains("minfy"), "{out}");
        assert!(out.contains("lantern.toml:3:1"), "{out}");
    }

    #[test]
    fn duplicate_prefixes_and_bad_codes_are_reported_together() {
        let text = "title = \"T\"\nbase_url = \"/\"\n[languages.ko]\nname = \"한국어\"\nurl_prefix = \"k\"\n[languages.kr]\nname = \"x\"\nurl_prefix = \"k\"\n[languages.Korean]\nname = \"y\"\n";
        let errs = parse(text).expect_err("invalid");
        let all: String = errs.iter().map(|e| e.to_string()).collect();
        assert!(all.contains("both use the URL prefix `/k`"), "{all}");
        assert!(all.contains("`Korean` is not a language code"), "{all}");
    }

    #[test]
    fn base_urls_are_checked_as_urls() {
        for ok in [
            "https://example.org/",
            "http://localhost:1111",
            "https://org.github.io/repo/",
            "https://[::1]:8080/",
            "/",
            "/sub/path/",
        ] {
            assert_eq!(check_base_url(ok), Ok(()), "{ok}");
        }
        for bad in [
            "https://example.org/\" onmouseover=\"x",
            "https://exa mple.org/",
            "https://example.org/\n",
            "https://example.org/<x>",
            "https://example.org/'",
            "https:///path/",
            "https://user@example.org/",
            "https://example.org/?a=1",
            "//example.org/",
            "ftp://example.org/",
            "example.org",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad:?} passed");
        }
        let errs = parse("title = \"T\"\nbase_url = \"https://x.org/\\\"\"\n").expect_err("quote");
        let out = errs[0].to_string();
        assert!(out.contains("lantern.toml:2:1"), "{out}");
    }

    #[test]
    fn language_codes() {
        assert!(is_language_code("ko"));
        assert!(is_language_code("pt-BR"));
        assert!(!is_language_code("KO"));
        assert!(!is_language_code("x"));
        assert!(!is_language_code("en_US"));
    }
}
