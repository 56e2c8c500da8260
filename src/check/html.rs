//! Rules over each built HTML file: accessibility (alt text, headings, link text,
//! tables), privacy and safety (nothing loaded from another host, nothing inline that
//! the site's CSP blocks) and page weight. One scan per file, files in parallel.

use super::links::{resolve, srcset_urls};
use super::scan::{Tag, Token, tokens};
use super::{Context, Finding};
use rayon::prelude::*;

/// Link text that says nothing out of context (compared lower-cased, trimmed).
const VAGUE_LINK_TEXT: &[&str] = &[
    "click here",
    "click",
    "here",
    "this link",
    "link",
    "this page",
    "read this",
    "여기",
    "여기를 누르세요",
    "여기를 클릭하세요",
    "여기를 클릭",
    "클릭",
    "이곳",
    "이곳을 누르세요",
];

/// The HTML and CSS rules, and the internal links each HTML output names that match no
/// output (for [`super::links`]): one scan per file, files in parallel.
pub fn check(cx: &Context) -> (Vec<Finding>, Vec<super::links::Broken>) {
    let csp = Csp::parse(&cx.built.site.config.content_security_policy);
    let own_host = host_of(&cx.built.site.config.base_url).map(str::to_ascii_lowercase);
    let per_file: Vec<(Vec<Finding>, Vec<super::links::Broken>)> = cx
        .built
        .files
        .par_iter()
        .map(|f| {
            let mut findings = Vec::new();
            let mut broken = Vec::new();
            if f.path.ends_with(".html") {
                let html = crate::check::text_of(&f.bytes);
                let tokens = tokens(&html);
                broken = super::links::broken_in(cx, &f.path, &tokens);
                let page = PageScan::new(cx, &f.path, &csp, own_host.as_deref());
                findings = page.run(&tokens, f.bytes.len());
            } else if f.path.ends_with(".css") {
                let css = crate::check::text_of(&f.bytes);
                for url in css_urls(&css) {
                    if is_other_host(&url, own_host.as_deref()) {
                        findings.push(third_party(cx, &f.path, &url, "a CSS url()"));
                    }
                }
            }
            (findings, broken)
        })
        .collect();
    let mut findings = Vec::new();
    let mut broken = Vec::new();
    for (f, b) in per_file {
        findings.extend(f);
        broken.extend(b);
    }
    (findings, broken)
}

/// What the site's Content-Security-Policy allows inline.
struct Csp {
    inline_scripts: bool,
    inline_styles: bool,
}

impl Csp {
    fn parse(policy: &str) -> Csp {
        let directive = |name: &str| {
            policy
                .split(';')
                .map(str::trim)
                .find(|d| d.split_whitespace().next() == Some(name))
                .map(|d| d.to_ascii_lowercase())
        };
        // Inline is allowed by 'unsafe-inline' only when no hash or nonce is listed.
        let allows = |d: Option<String>| match d {
            None => true,
            Some(d) => {
                d.contains("'unsafe-inline'") && !d.contains("'nonce-") && !d.contains("'sha")
            }
        };
        let script = directive("script-src").or_else(|| directive("default-src"));
        let style = directive("style-src").or_else(|| directive("default-src"));
        Csp {
            inline_scripts: allows(script),
            inline_styles: allows(style),
        }
    }
}

/// The state of one HTML file's scan.
struct PageScan<'c, 'a> {
    cx: &'c Context<'a>,
    out: &'c str,
    file: String,
    csp: &'c Csp,
    own_host: Option<&'c str>,
    findings: Vec<Finding>,
}

/// An open `<a>`: its accessible name so far.
struct OpenLink {
    name: String,
    labelled: bool,
}

impl<'c, 'a> PageScan<'c, 'a> {
    fn new(cx: &'c Context<'a>, out: &'c str, csp: &'c Csp, own_host: Option<&'c str>) -> Self {
        PageScan {
            cx,
            out,
            file: cx.file_of_output(out),
            csp,
            own_host,
            findings: Vec::new(),
        }
    }

    fn push(&mut self, rule: &'static str, message: String, suggestion: &str) {
        self.findings.push(
            Finding::new(rule, &self.file, format!("{message} (in {})", self.out))
                .suggest(suggestion),
        );
    }

    fn run(mut self, tokens: &[Token], size: usize) -> Vec<Finding> {
        let mut h1s = 0;
        let mut last_heading = 0u8;
        let mut link: Option<OpenLink> = None;
        let mut table_has_th: Vec<bool> = Vec::new();
        let mut assets = 0u64;
        let mut in_script = None::<bool>;
        for token in tokens {
            match token {
                Token::Start(tag) => {
                    if let Some(level) = heading_level(tag.name) {
                        if level == 1 {
                            h1s += 1;
                        }
                        if last_heading > 0 && level > last_heading + 1 {
                            self.push(
                                "heading-skip",
                                format!("h{level} follows h{last_heading}"),
                                "use the next heading level down, without skipping",
                            );
                        }
                        last_heading = level;
                    }
                    if tag.is("a") && tag.attr("href").is_some() {
                        let label = tag.attr("aria-label").or(tag.attr("title")).unwrap_or("");
                        link = Some(OpenLink {
                            name: label.to_string(),
                            labelled: !label.trim().is_empty(),
                        });
                    }
                    if tag.is("img") {
                        self.image(tag);
                        if let (Some(l), Some(alt)) = (link.as_mut(), tag.attr("alt")) {
                            l.name.push_str(alt);
                        }
                    }
                    if tag.is("table") {
                        table_has_th.push(false);
                    }
                    if let Some(t) = table_has_th.last_mut().filter(|_| tag.is("th")) {
                        *t = true;
                    }
                    if tag.is("script") {
                        in_script = Some(tag.attr("src").is_none() && is_js_type(tag.attr("type")));
                    }
                    if tag.is("style") {
                        in_script = Some(false);
                    }
                    self.resources(tag);
                    self.inline(tag);
                    assets += self.asset_size(tag);
                }
                Token::Text(text) => {
                    if let Some(l) = link.as_mut().filter(|l| !l.labelled) {
                        l.name.push_str(&super::scan::decode_entities(text));
                    }
                }
                Token::Raw(raw) => self.raw(raw, in_script.take()),
                Token::End(name) => {
                    if name.eq_ignore_ascii_case("a")
                        && let Some(l) = link.take()
                    {
                        self.link_name(&l.name);
                    }
                    if name.eq_ignore_ascii_case("table") && table_has_th.pop() == Some(false) {
                        self.push("table-header", "a table has no header cells".into(), "make the first row (or column) `<th>` cells: in Markdown, the row above `|---|`");
                    }
                }
            }
        }
        if h1s > 1 {
            self.push(
                "h1-multiple",
                format!("{h1s} h1 headings"),
                "keep one h1 (the page title); use `##` for sections in Markdown",
            );
        }
        let total = size as u64 + assets;
        let budget = self.cx.config.page_budget_kb * 1024;
        if total > budget {
            self.push(
                "page-weight",
                format!(
                    "HTML + CSS + JS is {} KiB, over the {} KiB budget",
                    total.div_ceil(1024),
                    self.cx.config.page_budget_kb
                ),
                "split the page, or move large images to linked pages",
            );
        }
        self.findings
    }

    fn image(&mut self, tag: &Tag) {
        let src = tag.attr("src").unwrap_or("");
        let decorative =
            tag.attr("role") == Some("presentation") || tag.attr("aria-hidden") == Some("true");
        match tag.attr("alt") {
            Some(alt) if alt.trim().is_empty() && decorative => {}
            None => self.push(
                "img-alt",
                format!("image `{src}` has no alt text"),
                "describe the image in `![…](…)`, or write alt=\"\" only if it is decoration",
            ),
            Some(alt) if alt.trim().is_empty() => self.push(
                "img-alt",
                format!("image `{src}` has empty alt text"),
                "describe the image in `![…](…)`",
            ),
            Some(alt) if looks_like_file_name(alt) => self.push(
                "img-alt",
                format!("image `{src}` has a file name as alt text: `{alt}`"),
                "describe what the image shows",
            ),
            Some(_) => {}
        }
    }

    fn link_name(&mut self, name: &str) {
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        let lowered = name.to_lowercase();
        let trimmed = lowered.trim_matches(|c: char| c.is_ascii_punctuation() || c == '…');
        if trimmed.is_empty() {
            self.push(
                "link-empty",
                "a link has no text".into(),
                "give the link words that say where it goes (or an aria-label)",
            );
        } else if VAGUE_LINK_TEXT.contains(&trimmed) {
            self.push(
                "link-text",
                format!("link text \"{name}\" does not say where it goes"),
                "use the target's title as link text",
            );
        }
    }

    /// Anything fetched from another host: `src`, `srcset`, `<link href>`, `<iframe>`,
    /// `url()` in a `style` attribute.
    fn resources(&mut self, tag: &Tag) {
        let mut urls: Vec<String> = ["src", "poster", "data"]
            .iter()
            .filter_map(|a| tag.attr(a))
            .map(str::to_string)
            .collect();
        if let Some(srcset) = tag.attr("srcset") {
            urls.extend(srcset_urls(srcset));
        }
        if tag.is("link") && fetches(tag.attr("rel").unwrap_or("")) {
            urls.extend(tag.attr("href").map(str::to_string));
        }
        if let Some(style) = tag.attr("style") {
            urls.extend(css_urls(style));
        }
        for url in urls {
            if is_other_host(&url, self.own_host) {
                let f = third_party(self.cx, self.out, &url, &format!("<{}>", tag.name));
                self.findings.push(f);
            }
        }
    }

    /// Inline script and style that the CSP would block.
    fn inline(&mut self, tag: &Tag) {
        if !self.csp.inline_scripts {
            let handler = tag
                .attrs
                .iter()
                .find(|(k, _)| k.len() > 2 && k[..2].eq_ignore_ascii_case("on"));
            if let Some((k, _)) = handler {
                self.push(
                    "csp-inline",
                    format!(
                        "`{k}` on <{}> is inline script, which the CSP blocks",
                        tag.name
                    ),
                    "move the script to a file under static/ and attach it there",
                );
            }
            if tag.attr("href").is_some_and(|h| {
                h.trim_start()
                    .to_ascii_lowercase()
                    .starts_with("javascript:")
            }) {
                self.push(
                    "csp-inline",
                    "a `javascript:` link is inline script, which the CSP blocks".into(),
                    "use a script file under static/",
                );
            }
        }
        if !self.csp.inline_styles && tag.attr("style").is_some() {
            self.push(
                "csp-inline",
                format!(
                    "a `style` attribute on <{}> is blocked by the CSP",
                    tag.name
                ),
                "use a class and the theme's style sheet",
            );
        }
    }

    fn raw(&mut self, raw: &str, script: Option<bool>) {
        let Some(is_script) = script else { return };
        if raw.trim().is_empty() {
            return;
        }
        if is_script && !self.csp.inline_scripts {
            self.push(
                "csp-inline",
                "an inline <script> is blocked by the CSP".into(),
                "move the script to a file under static/",
            );
        }
        if !is_script {
            if !self.csp.inline_styles {
                self.push(
                    "csp-inline",
                    "an inline <style> is blocked by the CSP".into(),
                    "move the rules to the theme's style sheet",
                );
            }
            for url in css_urls(raw) {
                if is_other_host(&url, self.own_host) {
                    let f = third_party(self.cx, self.out, &url, "<style>");
                    self.findings.push(f);
                }
            }
        }
    }

    /// Bytes of the style sheet or script a tag loads from this site.
    fn asset_size(&self, tag: &Tag) -> u64 {
        let url = if tag.is("link")
            && tag.attr("rel").is_some_and(|r| {
                r.split_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("stylesheet"))
            }) {
            tag.attr("href")
        } else if tag.is("script") {
            tag.attr("src")
        } else {
            None
        };
        let Some(target) = url.and_then(|u| resolve(self.cx, self.out, u)) else {
            return 0;
        };
        self.cx.outputs.get(target.as_str()).copied().unwrap_or(0)
    }
}

fn third_party(cx: &Context, out: &str, url: &str, what: &str) -> Finding {
    Finding::new(
        "third-party",
        cx.file_of_output(out),
        format!("{what} loads `{url}` from another host (in {out}), which tells that host who reads the page"),
    )
    .suggest("copy the file into static/ (or the page bundle) and link it from there")
}

/// `<link rel>` values that make the browser fetch the target.
fn fetches(rel: &str) -> bool {
    rel.split_whitespace().any(|r| {
        [
            "stylesheet",
            "icon",
            "preload",
            "prefetch",
            "preconnect",
            "dns-prefetch",
            "modulepreload",
            "manifest",
            "apple-touch-icon",
        ]
        .iter()
        .any(|f| r.eq_ignore_ascii_case(f))
    })
}

fn heading_level(name: &str) -> Option<u8> {
    let b = name.as_bytes();
    (b.len() == 2 && b[0].eq_ignore_ascii_case(&b'h') && (b'1'..=b'6').contains(&b[1]))
        .then(|| b[1] - b'0')
}

fn is_js_type(t: Option<&str>) -> bool {
    match t.map(|t| t.trim().to_ascii_lowercase()) {
        None => true,
        Some(t) => {
            t.is_empty() || t == "module" || t.contains("javascript") || t.contains("ecmascript")
        }
    }
}

/// `photo.jpg`, `IMG_2041.JPG`, `image.png`: alt text that only names a file.
fn looks_like_file_name(alt: &str) -> bool {
    let alt = alt.trim().to_ascii_lowercase();
    let exts = [
        ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".avif", ".heic", ".tif", ".tiff", ".bmp",
    ];
    !alt.contains(' ') && exts.iter().any(|e| alt.ends_with(e))
        || alt.starts_with("img_") && alt[4..].chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// The host of an absolute (`https://host/…`) or protocol-relative (`//host/…`) URL.
pub fn host_of(url: &str) -> Option<&str> {
    let rest = url.trim();
    let rest = match rest.find("://") {
        Some(i)
            if rest[..i]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) =>
        {
            &rest[i + 3..]
        }
        _ => rest.strip_prefix("//")?,
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let host = authority.rsplit('@').next().unwrap_or(authority);
    Some(host.split(':').next().unwrap_or(host))
}

fn is_other_host(url: &str, own: Option<&str>) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    if lower.starts_with("data:") || lower.starts_with("blob:") {
        return false;
    }
    match host_of(url) {
        Some(host) => own != Some(host.to_ascii_lowercase().as_str()),
        None => false,
    }
}

/// Every `url(…)` in CSS text, unquoted.
pub fn css_urls(css: &str) -> Vec<String> {
    let mut urls = Vec::new();
    let lower = css.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find("url(") {
        let start = from + i + 4;
        let Some(len) = css[start..].find(')') else {
            break;
        };
        let inner = css[start..start + len].trim().trim_matches(['"', '\'']);
        urls.push(inner.to_string());
        from = start + len;
    }
    // `@import "https://…"` loads too.
    let mut from = 0;
    while let Some(i) = lower[from..].find("@import") {
        let start = from + i + 7;
        let rest = css[start..].trim_start();
        if let Some(q) = rest.chars().next().filter(|c| *c == '"' || *c == '\'')
            && let Some(end) = rest[1..].find(q)
        {
            urls.push(rest[1..1 + end].to_string());
        }
        from = start;
    }
    urls
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_file_names() {
        assert_eq!(
            host_of("https://fonts.example.com/a.css"),
            Some("fonts.example.com")
        );
        assert_eq!(host_of("//cdn.example/x"), Some("cdn.example"));
        assert_eq!(host_of("/style.css"), None);
        assert!(looks_like_file_name("IMG_2041.JPG"));
        assert!(looks_like_file_name("photo.png"));
        assert!(!looks_like_file_name("A phone showing a sale post"));
        assert_eq!(
            css_urls("a{background:url('https://x.test/a.png')} @import \"https://y.test/b.css\";"),
            ["https://x.test/a.png", "https://y.test/b.css"]
        );
    }

    #[test]
    fn reads_what_the_csp_allows_inline() {
        let strict = Csp::parse(crate::config::DEFAULT_CSP);
        assert!(!strict.inline_scripts && !strict.inline_styles);
        let loose = Csp::parse("default-src 'self'; style-src 'self' 'unsafe-inline'");
        assert!(!loose.inline_scripts && loose.inline_styles);
    }
}
