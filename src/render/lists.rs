//! Taxonomy pages (the list of terms, and one page per term, paginated when configured)
//! and the 404 page of each language.

use super::paginate::pagers;
use super::{OutputFile, Views, base_path, context};
use crate::diagnostics::Diagnostic;
use crate::model::Site;
use crate::model::taxonomy::Taxonomy;
use crate::templates::Templates;
use rayon::prelude::*;
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
    let base = base_path(&site.config.base_url);
    TaxonomyView {
        name: t.name.clone(),
        lang: t.lang.clone(),
        path: format!("{base}{}", &t.url_path[1..]),
        permalink: site.url(&t.url_path),
        terms: t
            .terms
            .iter()
            .map(|term| TermView {
                name: term.name.clone(),
                slug: term.slug.clone(),
                path: format!("{base}{}", &term.url_path[1..]),
                permalink: site.url(&term.url_path),
                count: term.pages.len(),
            })
            .collect(),
    }
}

/// `/topics/` and `/topics/<term>/` (and their list pages) for every language.
pub fn render_taxonomies(
    site: &Site,
    templates: &Templates,
    views: &Views,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let jobs: Vec<(usize, Option<usize>)> = site
        .taxonomies
        .iter()
        .enumerate()
        .flat_map(|(t, tax)| {
            std::iter::once((t, None)).chain((0..tax.terms.len()).map(move |k| (t, Some(k))))
        })
        .collect();
    let results: Vec<Vec<Result<OutputFile, Diagnostic>>> = jobs
        .into_par_iter()
        .map(|(t, term)| {
            let tax = &site.taxonomies[t];
            let view = taxonomy_view(site, tax);
            let origin = format!("the `{}` taxonomy ({})", tax.name, tax.lang);
            let render = |name: &str, ctx: &tera::Context, path: String| {
                templates.render(name, ctx).map(|html| OutputFile {
                    path,
                    bytes: html.into_bytes(),
                    origin: origin.clone(),
                })
            };
            match term {
                None => {
                    let mut ctx = context(&tax.lang, &tax.url_path);
                    ctx.insert("taxonomy", &view);
                    vec![render(
                        "taxonomy_list.html",
                        &ctx,
                        format!("{}index.html", &tax.url_path[1..]),
                    )]
                }
                Some(k) => {
                    let term = &tax.terms[k];
                    let per_page = tax.paginate_by.filter(|n| *n > 0).unwrap_or(usize::MAX);
                    pagers(site, &term.url_path, &term.pages, per_page, &views.lite)
                        .into_iter()
                        .map(|p| {
                            let mut ctx = context(&tax.lang, &p.current_path);
                            ctx.insert("taxonomy", &view);
                            let mut term_value = tera::Value::from_serializable(&view.terms[k]);
                            term_value = super::pages::with_field(&term_value, "pages", p.pages);
                            ctx.insert_value("term", term_value);
                            if tax.paginate_by.is_some() {
                                ctx.insert_value("paginator", p.paginator);
                            }
                            render("taxonomy_term.html", &ctx, p.out_file)
                        })
                        .collect()
                }
            }
        })
        .collect();
    split(results.into_iter().flatten())
}

/// `404.html` for the default language at the root, `ko/404.html` for the others (hosts
/// such as Netlify and Cloudflare Pages serve the nearest one).
pub fn render_not_found(site: &Site, templates: &Templates) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let results = site.config.language_codes().into_iter().map(|lang| {
        let prefix = site.config.url_prefix(&lang);
        let dir = if prefix.is_empty() {
            String::new()
        } else {
            format!("{prefix}/")
        };
        let ctx = context(&lang, &format!("/{dir}404.html"));
        templates.render("404.html", &ctx).map(|html| OutputFile {
            path: format!("{dir}404.html"),
            bytes: html.into_bytes(),
            origin: format!("the {lang} 404 page"),
        })
    });
    split(results)
}

fn split(
    results: impl Iterator<Item = Result<OutputFile, Diagnostic>>,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(d) => problems.push(d),
        }
    }
    (files, problems)
}
