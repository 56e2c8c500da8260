//! `sitemap.xml` (split into a sitemap index above 30,000 URLs, the protocol's limit is
//! 50,000), `robots.txt` and the language redirect at `/`, each from an overridable
//! template.

use super::{OutputFile, base_path};
use crate::diagnostics::Diagnostic;
use crate::model::Site;
use crate::templates::Templates;
use serde::Serialize;

/// URLs per sitemap file before splitting.
pub const SITEMAP_LIMIT: usize = 30_000;

#[derive(Serialize)]
struct Entry {
    permalink: String,
    lastmod: Option<String>,
    alternates: Vec<Alternate>,
}

#[derive(Serialize)]
struct Alternate {
    lang: String,
    permalink: String,
}

/// Canonical pages only: fallbacks point search engines at their source, and pages with
/// `extra.noindex` stay out.
fn entries(site: &Site) -> Vec<Entry> {
    let default = &site.config.default_language;
    (0..site.items.len())
        .filter(|&i| !site.items[i].fallback)
        .filter(|&i| {
            site.doc(i)
                .front
                .extra
                .get("noindex")
                .and_then(|v| v.as_bool())
                != Some(true)
        })
        .map(|i| {
            let f = &site.doc(i).front;
            let translations = site.translations(i);
            let mut alternates: Vec<Alternate> = Vec::new();
            if translations.len() > 1 {
                for &t in &translations {
                    alternates.push(Alternate {
                        lang: site.items[t].lang.clone(),
                        permalink: encode_url(&site.permalink(t)),
                    });
                }
                if let Some(&d) = site.by_key.get(&(site.doc(i).key.clone(), default.clone())) {
                    alternates.push(Alternate {
                        lang: "x-default".into(),
                        permalink: encode_url(&site.permalink(d)),
                    });
                }
            }
            Entry {
                permalink: encode_url(&site.permalink(i)),
                lastmod: f.updated.or(f.date).map(|d| d.date().to_string()),
                alternates,
            }
        })
        .collect()
}

/// Renders the sitemap files, robots.txt, and `/index.html` when the default language
/// has a URL prefix (a plain redirect: works without JavaScript).
pub fn render_site_files(site: &Site, templates: &Templates) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let mut render =
        |name: &str, path: String, ctx: tera::Context| match templates.render(name, &ctx) {
            Ok(text) => files.push(OutputFile {
                origin: format!("the {path} file"),
                path,
                bytes: text.into_bytes(),
            }),
            Err(d) => problems.push(d),
        };
    let entries = entries(site);
    let chunks: Vec<&[Entry]> = entries.chunks(SITEMAP_LIMIT).collect();
    if chunks.len() <= 1 {
        let mut ctx = tera::Context::new();
        ctx.insert("entries", &entries);
        render("sitemap.xml", "sitemap.xml".into(), ctx);
    } else {
        let mut names = Vec::new();
        for (n, chunk) in chunks.iter().enumerate() {
            let name = format!("sitemap-{}.xml", n + 1);
            let mut ctx = tera::Context::new();
            ctx.insert("entries", chunk);
            render("sitemap.xml", name.clone(), ctx);
            names.push(site.url(&name));
        }
        let mut ctx = tera::Context::new();
        ctx.insert("sitemaps", &names);
        render("sitemap_index.xml", "sitemap.xml".into(), ctx);
    }
    let mut ctx = tera::Context::new();
    ctx.insert("lang", &site.config.default_language);
    render("robots.txt", "robots.txt".into(), ctx);
    let prefix = site.config.url_prefix(&site.config.default_language);
    if !prefix.is_empty() {
        let to = format!("{}{prefix}/", base_path(&site.config.base_url));
        files.push(OutputFile {
            path: "index.html".into(),
            bytes: redirect_page(&to, &site.config.default_language).into_bytes(),
            origin: "the language redirect at /".into(),
        });
    }
    (files, problems)
}

/// A page that sends the reader on to `to`, without JavaScript.
pub fn redirect_page(to: &str, lang: &str) -> String {
    let to = crate::markdown::escape_html(to);
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>Redirect</title>\n<meta http-equiv=\"refresh\" content=\"0; url={to}\">\n<link rel=\"canonical\" href=\"{to}\">\n<meta name=\"robots\" content=\"noindex\">\n</head>\n<body>\n<p><a href=\"{to}\">{to}</a></p>\n</body>\n</html>\n"
    )
}

/// Percent-encodes non-ASCII bytes: sitemaps must carry URL-escaped addresses, and
/// Korean slugs are UTF-8.
pub fn encode_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for b in url.bytes() {
        if b.is_ascii() && b != b' ' {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn encodes_hangul_only() {
        assert_eq!(
            super::encode_url("https://e.org/ko/가/"),
            "https://e.org/ko/%EA%B0%80/"
        );
    }
}
