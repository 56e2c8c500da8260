//! Taxonomy pages (the list of terms, and one page per term, paginated when configured)
//! and the 404 page of each language.

use super::fingerprint::combine;
use super::paginate::Pagination;
use super::statements::{home_path, language_links};
use super::views::with_fields;
use super::{Fingerprints, Job, Views, context};
use crate::model::Site;
use crate::model::taxonomy::Taxonomy;
use crate::templates::Templates;
use serde::Serialize;

#[derive(Serialize)]
struct TaxonomyView {
    name: String,
    lang: String,
    path: String,
    permalink: String,
    terms: Vec<TermView>,
}

#[derive(Serialize)]
struct TermView {
    name: String,
    slug: String,
    path: String,
    permalink: String,
    count: usize,
}

fn taxonomy_view(site: &Site, t: &Taxonomy) -> TaxonomyView {
    TaxonomyView {
        name: t.name.clone(),
        lang: t.lang.clone(),
        path: site.urls.root(&t.url_path),
        permalink: site.url(&t.url_path),
        terms: t
            .terms
            .iter()
            .map(|term| TermView {
                name: term.name.clone(),
                slug: term.slug.clone(),
                path: site.urls.root(&term.url_path),
                permalink: site.url(&term.url_path),
                count: term.pages.len(),
            })
            .collect(),
    }
}

/// The switcher of a taxonomy's pages: the same taxonomy in every language (terms differ
/// between languages), or that language's home page.
fn taxonomy_links(site: &Site, name: &str) -> Vec<super::statements::LanguageLink> {
    language_links(site, |lang| {
        site.taxonomies
            .iter()
            .find(|t| t.name == name && t.lang == lang)
            .map_or_else(|| home_path(site, lang), |t| t.url_path.clone())
    })
}

/// `/topics/` and `/topics/<term>/` (and their list pages) for every language.
pub fn taxonomy_jobs<'a>(
    site: &'a Site,
    templates: &'a Templates,
    views: &'a Views,
    fps: &'a Fingerprints,
) -> Vec<Job<'a>> {
    let mut jobs = Vec::new();
    for (t, tax) in site.taxonomies.iter().enumerate() {
        let view = std::sync::Arc::new(taxonomy_view(site, tax));
        let origin = format!("the `{}` taxonomy ({})", tax.name, tax.lang);
        let v = view.clone();
        jobs.push(Job {
            verbatim: false,
            newest: None,
            path: format!("{}index.html", &tax.url_path[1..]),
            origin: origin.clone(),
            fingerprint: combine([fps.env, t as u64]),
            deps_key: Some(tax.url_path.clone()),
            render: Box::new(move || {
                let mut ctx = context(&tax.lang, &tax.url_path);
                ctx.insert("languages", &taxonomy_links(site, &tax.name));
                ctx.insert("taxonomy", v.as_ref());
                templates
                    .render("taxonomy_list.html", &ctx)
                    .map(String::into_bytes)
            }),
        });
        for (k, term) in tax.terms.iter().enumerate() {
            let per_page = tax.paginate_by.filter(|n| *n > 0).unwrap_or(usize::MAX);
            let pagination = Pagination::new(&term.url_path, &term.pages, per_page);
            let count = pagination.count();
            for n in 1..=count {
                let fingerprint = combine(
                    [fps.env, t as u64, k as u64, n as u64, count as u64]
                        .into_iter()
                        .chain(pagination.chunk(n).iter().map(|&p| fps.item[p])),
                );
                let v = view.clone();
                for &p in pagination.chunk(n) {
                    views.will_use_lite(p);
                }
                jobs.push(Job {
                    verbatim: false,
                    newest: pagination
                        .chunk(n)
                        .first()
                        .and_then(|&p| site.doc(p).front.date),
                    path: pagination.out_file(n),
                    origin: origin.clone(),
                    fingerprint,
                    deps_key: Some(pagination.current_path(n)),
                    render: Box::new(move || {
                        let pager = pagination.pager(site, n, |p| views.lite(p));
                        for &p in pagination.chunk(n) {
                            views.used_lite(p);
                        }
                        let mut ctx = context(&tax.lang, &pager.current_path);
                        ctx.insert("languages", &taxonomy_links(site, &tax.name));
                        ctx.insert("taxonomy", v.as_ref());
                        let term_value = tera::Value::from_serializable(&v.terms[k]);
                        ctx.insert_value(
                            "term",
                            with_fields(&term_value, vec![("pages", pager.pages)]),
                        );
                        if tax.paginate_by.is_some() {
                            ctx.insert_value("paginator", pager.paginator);
                        }
                        templates
                            .render("taxonomy_term.html", &ctx)
                            .map(String::into_bytes)
                    }),
                });
            }
        }
    }
    jobs
}

/// `404.html` for the default language at the root, `ko/404.html` for the others (hosts
/// such as Netlify and Cloudflare Pages serve the nearest one).
pub fn not_found_jobs<'a>(
    site: &'a Site,
    templates: &'a Templates,
    fps: &'a Fingerprints,
) -> Vec<Job<'a>> {
    site.config
        .language_codes()
        .into_iter()
        .map(|lang| {
            let prefix = site.config.url_prefix(&lang);
            let dir = if prefix.is_empty() {
                String::new()
            } else {
                format!("{prefix}/")
            };
            let fingerprint = combine([fps.env, crate::load::hash_of(&[lang.as_bytes()])]);
            let path = format!("{dir}404.html");
            Job {
                verbatim: false,
                newest: None,
                path: path.clone(),
                origin: format!("the {lang} 404 page"),
                fingerprint,
                deps_key: Some(format!("/{path}")),
                render: Box::new(move || {
                    let mut ctx = context(&lang, &format!("/{path}"));
                    ctx.insert("languages", &language_links(site, |l| home_path(site, l)));
                    templates.render("404.html", &ctx).map(String::into_bytes)
                }),
            }
        })
        .collect()
}
