//! Redirect pages (front matter `aliases`, `/page/1/` of paginated lists), the
//! `_redirects` file that lists them for Netlify and Cloudflare Pages, and `_headers`.

use super::paginate::pager_path;
use super::{OutputFile, base_path, redirect_page};
use crate::load::DocKind;
use crate::model::Site;

/// Every redirect of the site: (from, to), both site-relative without the base path.
fn redirects(site: &Site) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for (i, item) in site.items.iter().enumerate() {
        let doc = site.doc(i);
        if !item.fallback {
            for alias in &doc.front.aliases {
                out.push((
                    alias_path(alias),
                    item.url_path.clone(),
                    format!("an alias in {}", doc.path.display()),
                ));
            }
        }
        if item.kind == DocKind::Section && doc.front.paginate_by.is_some_and(|n| n > 0) {
            out.push((
                format!("{}page/1/", item.url_path),
                item.url_path.clone(),
                doc.path.display().to_string(),
            ));
        }
    }
    for tax in site
        .taxonomies
        .iter()
        .filter(|t| t.paginate_by.is_some_and(|n| n > 0))
    {
        for term in &tax.terms {
            out.push((
                pager_path(&term.url_path, 1) + "page/1/",
                term.url_path.clone(),
                format!("the `{}` taxonomy", tax.name),
            ));
        }
    }
    out
}

/// `old/page` and `/old/page/` both mean `/old/page/`; `old.html` stays a file.
fn alias_path(alias: &str) -> String {
    let trimmed = alias.trim().trim_start_matches('/');
    let last = trimmed.rsplit('/').next().unwrap_or("");
    if trimmed.is_empty() || trimmed.ends_with('/') || last.contains('.') {
        format!("/{trimmed}")
    } else {
        format!("/{trimmed}/")
    }
}

/// Redirect pages and the `_redirects` file.
pub fn render_redirects(site: &Site) -> Vec<OutputFile> {
    let base = base_path(&site.config.base_url);
    let mut files = Vec::new();
    let mut lines = String::new();
    for (from, to, origin) in redirects(site) {
        let target = format!("{base}{}", &to[1..]);
        let out = if from.ends_with('/') {
            format!("{}index.html", &from[1..])
        } else {
            from[1..].to_string()
        };
        files.push(OutputFile {
            path: out,
            bytes: redirect_page(&site.url(&to), &site.config.default_language).into_bytes(),
            origin,
        });
        lines.push_str(&format!("{base}{} {target} 301\n", &from[1..]));
    }
    files.push(OutputFile {
        path: "_redirects".into(),
        bytes: lines.into_bytes(),
        origin: "the redirects list".into(),
    });
    files
}

/// Security and privacy headers for Netlify and Cloudflare Pages.
pub fn headers_file(site: &Site) -> OutputFile {
    let text = format!(
        "/*\n  Content-Security-Policy: {}\n  Referrer-Policy: no-referrer\n  X-Content-Type-Options: nosniff\n  X-Frame-Options: DENY\n  Permissions-Policy: camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()\n  Cross-Origin-Opener-Policy: same-origin\n",
        site.config.content_security_policy
    );
    OutputFile {
        path: "_headers".into(),
        bytes: text.into_bytes(),
        origin: "the headers file".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::alias_path;

    #[test]
    fn alias_forms() {
        assert_eq!(alias_path("old/page"), "/old/page/");
        assert_eq!(alias_path("/old/page/"), "/old/page/");
        assert_eq!(alias_path("old.html"), "/old.html");
    }
}
