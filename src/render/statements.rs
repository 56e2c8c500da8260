//! Pages the theme makes without a content file: the accessibility and privacy
//! statements of every language, and a printable booklet of every section below the home
//! page. A content page at the same place wins (`content/accessibility.md` replaces the
//! generated statement in every language), and a site can override their templates
//! (`accessibility.html`, `privacy.html`, `booklet.html`).

use super::fingerprint::combine;
use super::views::with_fields;
use super::{Fingerprints, Job, Views, context};
use crate::load::DocKind;
use crate::model::Site;
use crate::settings::{STATEMENTS, statement_path};
use crate::templates::Templates;
use serde::Serialize;
use std::collections::HashSet;

/// A link of the language switcher on a generated page.
#[derive(Serialize)]
pub struct LanguageLink {
    pub lang: String,
    /// The language's own name ("한국어").
    pub name: String,
    pub path: String,
}

/// The switcher's links: for every language, `url_path_in(lang)` (a site-relative path).
pub fn language_links(site: &Site, url_path_in: impl Fn(&str) -> String) -> Vec<LanguageLink> {
    let base = site.urls.base_path().to_string();
    site.config
        .language_codes()
        .into_iter()
        .map(|lang| {
            let path = url_path_in(&lang);
            LanguageLink {
                name: site
                    .config
                    .languages
                    .get(&lang)
                    .map_or_else(|| lang.clone(), |l| l.name.clone()),
                path: format!("{base}{}", path.trim_start_matches('/')),
                lang,
            }
        })
        .collect()
}

/// The home page of a language, site-relative.
pub fn home_path(site: &Site, lang: &str) -> String {
    site.roots
        .get(lang)
        .map_or_else(|| "/".to_string(), |&r| site.items[r].url_path.clone())
}

/// Output files of content items: a generated page never replaces one.
fn taken(site: &Site) -> HashSet<&str> {
    site.items.iter().map(|i| i.out_file.as_str()).collect()
}

/// `accessibility/` and `privacy/` below every language's home, unless content has them.
pub fn statement_jobs<'a>(
    site: &'a Site,
    templates: &'a Templates,
    fps: &'a Fingerprints,
) -> Vec<Job<'a>> {
    let taken = taken(site);
    let mut jobs = Vec::new();
    for lang in site.config.language_codes() {
        for (file, folder) in STATEMENTS {
            let url_path = statement_path(site, &lang, file, folder);
            let path = format!("{}index.html", &url_path[1..]);
            if taken.contains(path.as_str()) {
                continue;
            }
            let template = format!("{folder}.html");
            let fingerprint = combine([fps.env, crate::load::hash_of(&[path.as_bytes()])]);
            let lang = lang.clone();
            jobs.push(Job {
                verbatim: false,
                newest: None,
                path: path.clone(),
                origin: format!("the {lang} {folder} statement"),
                fingerprint,
                deps_key: Some(url_path.clone()),
                render: Box::new(move || {
                    let mut ctx = context(&lang, &url_path);
                    let links = language_links(site, |l| statement_path(site, l, file, folder));
                    ctx.insert("languages", &links);
                    templates.render(&template, &ctx).map(String::into_bytes)
                }),
            });
        }
    }
    jobs
}

/// `guides/print/`: every page of a section in full, to print as one booklet. Sections
/// below the home page that list pages and are not paginated.
pub fn booklet_jobs<'a>(
    site: &'a Site,
    templates: &'a Templates,
    views: &'a Views,
    fps: &'a Fingerprints,
) -> Vec<Job<'a>> {
    let taken = taken(site);
    let mut jobs = Vec::new();
    for (i, item) in site.items.iter().enumerate() {
        let paginated = site.doc(i).front.paginate_by.is_some_and(|n| n > 0);
        if item.kind != DocKind::Section
            || item.parent.is_none()
            || item.pages.is_empty()
            || paginated
        {
            continue;
        }
        let url_path = format!("{}print/", item.url_path);
        let path = format!("{}index.html", &url_path[1..]);
        if taken.contains(path.as_str()) {
            continue;
        }
        let fingerprint = combine(
            [fps.env, fps.view[i]]
                .into_iter()
                .chain(item.pages.iter().map(|&p| fps.view[p])),
        );
        views.will_use_full(i);
        for &p in &item.pages {
            views.will_use_full(p);
        }
        jobs.push(Job {
            verbatim: false,
            newest: None,
            path,
            origin: format!("the booklet of {}", site.doc(i).path.display()),
            fingerprint,
            deps_key: Some(url_path.clone()),
            render: Box::new(move || {
                let pages: Vec<tera::Value> = item
                    .pages
                    .iter()
                    .enumerate()
                    .map(|(n, &p)| booklet_page(views.full(p), n + 1))
                    .collect();
                let section =
                    with_fields(&views.full(i), vec![("pages", tera::Value::from(pages))]);
                views.used_full(i);
                for &p in &item.pages {
                    views.used_full(p);
                }
                let mut ctx = context(&item.lang, &url_path);
                let links = language_links(site, |lang| {
                    site.by_key
                        .get(&(site.doc(i).key.clone(), lang.to_string()))
                        .map_or_else(
                            || home_path(site, lang),
                            |&j| format!("{}print/", site.items[j].url_path),
                        )
                });
                ctx.insert("languages", &links);
                ctx.insert_value("section", section);
                templates
                    .render("booklet.html", &ctx)
                    .map(String::into_bytes)
            }),
        });
    }
    jobs
}

/// A page's full view with the ids and `#` links of its body prefixed (`p3-`), so that
/// headings and footnotes of different pages never share an id in one booklet.
fn booklet_page(page: tera::Value, n: usize) -> tera::Value {
    let content = page
        .get_from_path("content")
        .and_then(tera::Value::as_str)
        .unwrap_or_default();
    let prefixed = prefix_ids(content, &format!("p{n}-"));
    with_fields(&page, vec![("content", tera::Value::from(prefixed))])
}

/// `id="x"` -> `id="p1-x"` and `href="#x"` -> `href="#p1-x"` in HTML that Lantern wrote
/// (attribute values are always double-quoted there).
pub fn prefix_ids(html: &str, prefix: &str) -> String {
    html.replace(" id=\"", &format!(" id=\"{prefix}"))
        .replace(" href=\"#", &format!(" href=\"#{prefix}"))
}

#[cfg(test)]
mod tests {
    use super::prefix_ids;

    #[test]
    fn booklet_ids_are_prefixed_with_their_links() {
        let html = r##"<h2 id="what">What</h2><p><a href="#what">up</a> <a href="https://x.org/#a">x</a><sup class="footnote-ref"><a href="#fn-1" id="fnref-1">1</a></sup></p>"##;
        assert_eq!(
            prefix_ids(html, "p2-"),
            r##"<h2 id="p2-what">What</h2><p><a href="#p2-what">up</a> <a href="https://x.org/#a">x</a><sup class="footnote-ref"><a href="#p2-fn-1" id="p2-fnref-1">1</a></sup></p>"##
        );
    }
}
