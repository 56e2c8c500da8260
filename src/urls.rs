//! The one place that turns a site path (`/guides/telegram/`, as the model routes it)
//! into the URL written in an output.
//!
//! Everything inside Lantern speaks *site paths*: they start with `/` and know nothing of
//! where the site is hosted. Renders write links as *root paths*: the site path under the
//! site's base path (`/repo/guides/telegram/` for `https://org.github.io/repo/`). The
//! emit stage then makes every root path in an HTML output relative to that output
//! ([`Urls::relativize_html`]), so one `site/` works at its address, at any other host or
//! sub-path, and opened from disk. Absolute URLs are written only where a standard asks
//! for them: canonical and alternate links, `og:url`, sitemaps, feeds, `_redirects` and
//! robots.txt ([`Urls::absolute`], [`Urls::absolutize_html`]).

use serde::{Deserialize, Serialize};

/// How internal links and assets are written in HTML outputs (`urls` in lantern.toml).
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum UrlStyle {
    /// Relative to the page, folders spelled `…/index.html`: works on any host, at any
    /// sub-path and from `file://` (a USB stick, a folder opened from disk).
    #[default]
    Portable,
    /// Relative to the page, folders as `…/`: any web host, not `file://`.
    Relative,
    /// Root paths under the base path (`/repo/guides/`): only at the configured
    /// address's path.
    Absolute,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Urls {
    /// `https://org.github.io/repo/` (always ends with `/`).
    base_url: String,
    /// `/repo/` (always starts and ends with `/`).
    base_path: String,
    style: UrlStyle,
}

/// What a browser's `location.pathname` shows (non-ASCII and a few ASCII characters
/// percent-encoded, as the URL standard's path set says).
pub const PATH_SET: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// A file's output path as a URL path: the path set plus `%`, so a file named `50%.png`
/// is asked for by its own name.
pub fn encode_path(path: &str) -> String {
    const FILE_SET: &percent_encoding::AsciiSet = &PATH_SET.add(b'%');
    percent_encoding::utf8_percent_encode(path, FILE_SET).to_string()
}

/// Attributes whose values are URLs.
const URL_ATTRIBUTES: &[&str] = &["href", "src", "srcset", "action", "poster", "data"];

impl Urls {
    pub fn new(base_url: &str, style: UrlStyle) -> Urls {
        let mut base_url = base_url.to_string();
        if !base_url.ends_with('/') {
            base_url.push('/');
        }
        Urls {
            base_path: base_path_of(&base_url),
            base_url,
            style,
        }
    }

    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// A site path as a root path: `/guides/` -> `/repo/guides/`. Anything that is not a
    /// site path (`https://…`, `mailto:`, `#top`) is returned as it is.
    pub fn root(&self, site_path: &str) -> String {
        match site_path.strip_prefix('/') {
            Some(rest) if !rest.starts_with('/') => format!("{}{rest}", self.base_path),
            _ => site_path.to_string(),
        }
    }

    /// A site path as an absolute URL: `/guides/` -> `https://org.github.io/repo/guides/`.
    pub fn absolute(&self, site_path: &str) -> String {
        format!("{}{}", self.base_url, site_path.trim_start_matches('/'))
    }

    /// A site path as written in the output at `out_file`, in this site's style.
    pub fn relative_to(&self, site_path: &str, out_file: &str) -> String {
        let root = self.root(site_path);
        self.relative(&root, dir_of(out_file)).unwrap_or(root)
    }

    /// Rewrites the root paths in the URL attributes of an HTML output at `out_file`
    /// (`guides/x/index.html`) to paths relative to it (nothing, for the absolute style).
    /// Works on bytes: every byte it looks for is ASCII, and the output need not be
    /// validated as UTF-8 first.
    pub fn relativize_html(&self, html: Vec<u8>, out_file: &str) -> Vec<u8> {
        if self.style == UrlStyle::Absolute {
            return html;
        }
        let from_dir = dir_of(out_file);
        let splices = url_splices(&html, |url| self.relative(url, from_dir));
        if splices.is_empty() {
            return html;
        }
        let mut out = Vec::with_capacity(html.len() + html.len() / 16);
        let mut copied = 0;
        for (start, end, new) in splices {
            out.extend_from_slice(html.get(copied..start).unwrap_or_default());
            out.extend_from_slice(new.as_bytes());
            copied = end;
        }
        out.extend_from_slice(html.get(copied..).unwrap_or_default());
        out
    }

    /// Rewrites root paths in URL attributes to absolute URLs (HTML carried in feeds,
    /// which readers show away from the site).
    pub fn absolutize_html(&self, html: &str) -> String {
        let splices = url_splices(html.as_bytes(), |url| {
            let rest = url.strip_prefix(self.base_path.as_str())?;
            Some(format!("{}{rest}", self.base_url))
        });
        let mut out = String::with_capacity(html.len() + splices.len() * self.base_url.len());
        let mut copied = 0;
        for (start, end, new) in splices {
            out.push_str(html.get(copied..start).unwrap_or_default());
            out.push_str(&new);
            copied = end;
        }
        out.push_str(html.get(copied..).unwrap_or_default());
        out
    }

    /// `url` relative to the folder `from_dir` (site-relative, `""` or ending in `/`),
    /// when it is a root path of this site.
    fn relative(&self, url: &str, from_dir: &str) -> Option<String> {
        if url.starts_with("//") || self.style == UrlStyle::Absolute {
            return None;
        }
        let rest = url.strip_prefix(self.base_path.as_str())?;
        let split = rest.find(['#', '?']).unwrap_or(rest.len());
        let (path, suffix) = rest.split_at(split);
        let mut relative = relative_path(from_dir, path);
        if self.style == UrlStyle::Portable && (relative.is_empty() || relative.ends_with('/')) {
            relative.push_str("index.html");
        } else if relative.is_empty() {
            relative.push_str("./");
        }
        relative.push_str(suffix);
        Some(relative)
    }
}

/// The folder of an output file: `guides/x/index.html` -> `guides/x/`.
fn dir_of(out_file: &str) -> &str {
    out_file.rfind('/').map_or("", |i| &out_file[..=i])
}

/// `https://org.github.io/repo/` -> `/repo/`; a base URL that is itself a path is kept.
fn base_path_of(base_url: &str) -> String {
    let path = match base_url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None if base_url.starts_with('/') => base_url,
        None => "/",
    };
    if path.ends_with('/') {
        path.to_string()
    } else {
        format!("{path}/")
    }
}

/// The path from folder `from` to `to` (both relative to the site root, folders ending
/// in `/`): `("guides/a/", "guides/b/")` -> `"../b/"`. Runs once per link of every
/// output, so it works on the strings as they are, without splitting them.
fn relative_path(from: &str, to: &str) -> String {
    // Bytes up to the last `/` the two share: the folders they have in common.
    let mut common = 0;
    for (i, (a, b)) in from.bytes().zip(to.bytes()).enumerate() {
        if a != b {
            break;
        }
        if a == b'/' {
            common = i + 1;
        }
    }
    let ups = from
        .get(common..)
        .unwrap_or_default()
        .split('/')
        .filter(|s| !s.is_empty())
        .count();
    let rest = to.get(common..).unwrap_or_default();
    let mut out = String::with_capacity(ups * 3 + rest.len());
    for _ in 0..ups {
        out.push_str("../");
    }
    out.push_str(rest);
    out
}

/// Calls `rewrite` on the value of every URL attribute (quoted or not) in `html`, and
/// lists what to put in place of each value it rewrites: (start, end, new text), in
/// order (`None` from `rewrite` keeps the value). `srcset` values are rewritten per
/// candidate.
///
/// Only ASCII bytes (`=`, quotes, whitespace, `>`, attribute names) are looked for, so
/// every start and end falls between characters: the text around them can be copied as
/// it is, bytes or `str`, and a value is handed to `rewrite` only when it is UTF-8.
fn url_splices(
    html: &[u8],
    rewrite: impl Fn(&str) -> Option<String>,
) -> Vec<(usize, usize, String)> {
    let mut splices = Vec::new();
    let mut i = 0;
    while let Some(p) = memchr::memchr(b'=', &html[i..]) {
        let at = i + p;
        i = at + 1;
        let Some(name) = attribute_name_before(html, at) else {
            continue;
        };
        if !URL_ATTRIBUTES
            .iter()
            .any(|a| a.as_bytes().eq_ignore_ascii_case(name))
        {
            continue;
        }
        let (start, end) = value_span(html, at + 1);
        i = end;
        let Ok(value) = std::str::from_utf8(&html[start..end]) else {
            continue;
        };
        let new = if name.eq_ignore_ascii_case(b"srcset") {
            rewrite_srcset(value, &rewrite)
        } else {
            rewrite(value)
        };
        if let Some(new) = new {
            splices.push((start, end, new));
        }
    }
    splices
}

/// The attribute name right before the `=` at `eq`, when it is one (preceded by
/// whitespace inside a tag, as HTML writers and minifiers put it).
fn attribute_name_before(html: &[u8], eq: usize) -> Option<&[u8]> {
    let head = &html[..eq];
    let start = head
        .iter()
        .rposition(|&c| !(c.is_ascii_alphanumeric() || c == b'-'))
        .map_or(0, |i| i + 1);
    let name = &head[start..];
    let before = *head[..start].last()?;
    (!name.is_empty() && before.is_ascii_whitespace()).then_some(name)
}

/// The byte range of an attribute value starting at `from`: inside quotes, or up to
/// whitespace or `>` when unquoted.
fn value_span(bytes: &[u8], from: usize) -> (usize, usize) {
    match bytes.get(from) {
        Some(&q @ (b'"' | b'\'')) => {
            let end = memchr::memchr(q, &bytes[from + 1..]).map_or(bytes.len(), |p| p + from + 1);
            (from + 1, end)
        }
        _ => {
            let end = bytes
                .get(from..)
                .unwrap_or_default()
                .iter()
                .position(|b| b.is_ascii_whitespace() || *b == b'>')
                .map_or(bytes.len(), |p| p + from);
            (from.min(end), end)
        }
    }
}

fn rewrite_srcset(value: &str, rewrite: &impl Fn(&str) -> Option<String>) -> Option<String> {
    let mut changed = false;
    let parts: Vec<String> = value
        .split(',')
        .map(|candidate| {
            let trimmed = candidate.trim_start();
            let lead = &candidate[..candidate.len() - trimmed.len()];
            let (url, descriptor) = trimmed.split_at(trimmed.find(' ').unwrap_or(trimmed.len()));
            match rewrite(url) {
                Some(new) => {
                    changed = true;
                    format!("{lead}{new}{descriptor}")
                }
                None => candidate.to_string(),
            }
        })
        .collect();
    changed.then(|| parts.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(style: UrlStyle) -> Urls {
        Urls::new("https://org.github.io/repo/", style)
    }

    #[test]
    fn base_paths() {
        assert_eq!(
            Urls::new("https://example.org/", UrlStyle::Portable).base_path(),
            "/"
        );
        assert_eq!(sub(UrlStyle::Portable).base_path(), "/repo/");
        assert_eq!(Urls::new("/sub", UrlStyle::Portable).base_path(), "/sub/");
        assert_eq!(sub(UrlStyle::Portable).root("/guides/"), "/repo/guides/");
        assert_eq!(sub(UrlStyle::Portable).root("//cdn/x"), "//cdn/x");
        assert_eq!(
            sub(UrlStyle::Portable).absolute("/guides/"),
            "https://org.github.io/repo/guides/"
        );
    }

    #[test]
    fn relative_paths() {
        assert_eq!(relative_path("guides/a/", "guides/b/"), "../b/");
        assert_eq!(relative_path("guides/a/", ""), "../../");
        assert_eq!(relative_path("", "style.css"), "style.css");
        assert_eq!(relative_path("guides/a/", "guides/a/"), "");
        assert_eq!(relative_path("guides/a/", "guides/a/pic.png"), "pic.png");
        assert_eq!(relative_path("ko/", "style.css"), "../style.css");
    }

    /// The first implementation, by segments: the fast one must agree with it.
    fn relative_path_by_segments(from: &str, to: &str) -> String {
        let from_parts: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
        let to_parts: Vec<&str> = to.split('/').collect();
        let to_dirs = &to_parts[..to_parts.len().saturating_sub(1)];
        let common = from_parts
            .iter()
            .zip(to_dirs)
            .take_while(|(a, b)| a == b)
            .count();
        let mut out = "../".repeat(from_parts.len() - common);
        for part in &to_parts[common..] {
            out.push_str(part);
            out.push('/');
        }
        out.pop();
        out
    }

    #[test]
    fn relative_paths_agree_with_the_segment_rule() {
        let dirs = [
            "", "a/", "ab/", "a/b/", "a/bc/", "ab/c/", "a/b/c/", "ko/a/", "한/a/",
        ];
        let files = ["", "x.css", "b", "a", "index.html"];
        for from in dirs {
            for dir in dirs {
                for file in files {
                    let to = format!("{dir}{file}");
                    assert_eq!(
                        relative_path(from, &to),
                        relative_path_by_segments(from, &to),
                        "from {from:?} to {to:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn relativizes_only_this_sites_root_paths() {
        let html = r#"<a href="/repo/guides/b/#x">b</a><link href=/repo/style.css rel=stylesheet><a href="https://org.github.io/repo/">abs</a><a href="/other/">o</a><img srcset="/repo/a.png 1x, /repo/b.png 2x" src='/repo/a.png'><p>href="/repo/" in text</p>"#;
        let rel = |style: UrlStyle, html: &str, at: &str| {
            String::from_utf8(sub(style).relativize_html(html.as_bytes().to_vec(), at))
                .expect("utf-8")
        };
        let out = rel(UrlStyle::Portable, html, "guides/a/index.html");
        assert_eq!(
            out,
            r#"<a href="../b/index.html#x">b</a><link href=../../style.css rel=stylesheet><a href="https://org.github.io/repo/">abs</a><a href="/other/">o</a><img srcset="../../a.png 1x, ../../b.png 2x" src='../../a.png'><p>href="/repo/" in text</p>"#
        );
        let pretty = rel(
            UrlStyle::Relative,
            r#"<a href="/repo/">h</a>"#,
            "index.html",
        );
        assert_eq!(pretty, r#"<a href="./">h</a>"#);
        let same = rel(UrlStyle::Absolute, html, "guides/a/index.html");
        assert_eq!(same, html);
    }

    #[test]
    fn text_with_an_equals_sign_after_any_character_is_copied_whole() {
        // `é=` and `한=` once sliced a string inside a character (a panic).
        for text in [
            "Café=1",
            "한=2",
            "é=\"/repo/\"",
            "<p>x =é</p>",
            "=",
            "a=",
            "é",
        ] {
            let html = format!("<p>{text}</p><a href=\"/repo/b/\">b</a>");
            let out =
                sub(UrlStyle::Portable).relativize_html(html.clone().into_bytes(), "a/index.html");
            let out = String::from_utf8(out).expect("utf-8");
            assert_eq!(
                out,
                html.replace("\"/repo/b/\"", "\"../b/index.html\""),
                "{text}"
            );
            assert_eq!(
                sub(UrlStyle::Portable).absolutize_html(&html),
                html.replace("/repo/b/", "https://org.github.io/repo/b/")
            );
        }
    }

    #[test]
    fn absolutizes_for_feeds() {
        let out = sub(UrlStyle::Portable)
            .absolutize_html(r##"<a href="/repo/guides/">g</a> <a href="#n">n</a>"##);
        assert_eq!(
            out,
            r##"<a href="https://org.github.io/repo/guides/">g</a> <a href="#n">n</a>"##
        );
    }
}
