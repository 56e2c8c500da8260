//! `sitemap.xml` (split into a sitemap index above 30,000 URLs, the protocol's limit is
//! 50,000), `robots.txt` and the language redirect at `/`, each from an overridable
//! template.

use super::fingerprint::combine;
use super::{Fingerprints, Job};
use crate::load::hash_of;
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

/// Whether item `i` belongs in the sitemap. Canonical pages only: fallbacks point
/// search engines at their source, and pages with `extra.noindex` stay out.
fn listed(site: &Site, i: usize) -> bool {
    !site.items[i].fallback
        && site
            .doc(i)
            .front
            .extra
            .get("noindex")
            .and_then(|v| v.as_bool())
            != Some(true)
}

fn entries(site: &Site) -> Vec<Entry> {
    let default = &site.config.default_language;
    (0..site.items.len())
        .filter(|&i| listed(site, i))
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

/// The sitemap files, robots.txt, and `/index.html` when the default language has a URL
/// prefix (a plain redirect: works without JavaScript).
pub fn site_file_jobs<'a>(
    site: &'a Site,
    templates: &'a Templates,
    fps: &'a Fingerprints,
) -> Vec<Job<'a>> {
    // URLs come from the routes (in `env`), dates and `noindex` from front matter: a
    // body edit leaves the sitemap alone.
    let fingerprint = |name: &str| combine([fps.env, fps.fronts, hash_of(&[name.as_bytes()])]);
    let mut jobs = Vec::new();
    let count = (0..site.items.len()).filter(|&i| listed(site, i)).count();
    let chunks = count.div_ceil(SITEMAP_LIMIT).max(1);
    // Built once, by the first sitemap job that runs.
    let entries = std::sync::Arc::new(std::sync::OnceLock::new());
    let render_xml = |name: &'static str, ctx: tera::Context| {
        move || templates.render(name, &ctx).map(String::into_bytes)
    };
    let sitemap = |n: usize, current_path: String| {
        let entries = entries.clone();
        move || {
            let all: &Vec<Entry> = entries.get_or_init(|| self::entries(site));
            let chunk = all.chunks(SITEMAP_LIMIT).nth(n).unwrap_or(&[]);
            let mut ctx = super::context(&site.config.default_language, &current_path);
            ctx.insert("entries", chunk);
            templates
                .render("sitemap.xml", &ctx)
                .map(String::into_bytes)
        }
    };
    if chunks == 1 {
        jobs.push(job(
            "sitemap.xml",
            fingerprint("sitemap.xml"),
            Box::new(sitemap(0, "/sitemap.xml".into())),
        ));
    } else {
        let mut names = Vec::new();
        for n in 0..chunks {
            let name = format!("sitemap-{}.xml", n + 1);
            jobs.push(job(
                &name,
                fingerprint(&name),
                Box::new(sitemap(n, format!("/{name}"))),
            ));
            names.push(site.url(&name));
        }
        let mut ctx = super::context(&site.config.default_language, "/sitemap.xml");
        ctx.insert("sitemaps", &names);
        jobs.push(job(
            "sitemap.xml",
            fingerprint("sitemap.xml"),
            Box::new(render_xml("sitemap_index.xml", ctx)),
        ));
    }
    let ctx = super::context(&site.config.default_language, "/robots.txt");
    let robots_fp = combine([fps.env, hash_of(&[b"robots.txt"])]);
    jobs.push(job(
        "robots.txt",
        robots_fp,
        Box::new(render_xml("robots.txt", ctx)),
    ));
    let prefix = site.config.url_prefix(&site.config.default_language);
    if !prefix.is_empty() {
        let page = redirect_page(site, &format!("/{prefix}/"), "index.html").into_bytes();
        jobs.push(job(
            "index.html",
            fingerprint("index.html"),
            Box::new(move || Ok(page)),
        ));
    }
    jobs
}

fn job<'a>(
    path: &str,
    fingerprint: u64,
    render: Box<dyn FnOnce() -> Result<Vec<u8>, crate::diagnostics::Diagnostic> + Send + 'a>,
) -> Job<'a> {
    Job {
        verbatim: false,
        newest: None,
        path: path.to_string(),
        origin: format!("the generated {path}"),
        fingerprint,
        deps_key: Some(format!("/{path}")),
        render,
    }
}

/// A page that sends the reader on to `to`, without JavaScript.
/// A page at `out_file` that sends readers to the site path `to`: relative (so it works
/// wherever the site is), with the absolute address as its canonical link.
pub fn redirect_page(site: &Site, to: &str, out_file: &str) -> String {
    let lang = &site.config.default_language;
    let canonical = crate::markdown::escape_html(&site.urls.absolute(to));
    let here = crate::markdown::escape_html(&site.urls.relative_to(to, out_file));
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>Redirect</title>\n<meta http-equiv=\"refresh\" content=\"0; url={here}\">\n<link rel=\"canonical\" href=\"{canonical}\">\n<meta name=\"robots\" content=\"noindex\">\n</head>\n<body>\n<p><a href=\"{here}\">{canonical}</a></p>\n</body>\n</html>\n"
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
