//! Pages and sections through their templates; a section with `paginate_by` becomes
//! several list pages.

use super::fingerprint::combine;
use super::paginate::Pagination;
use super::views::with_fields;
use super::{Fingerprints, Job, Views, context};
use crate::diagnostics::Diagnostic;
use crate::load::DocKind;
use crate::model::Site;
use crate::templates::Templates;

/// The template an item uses: its own `template`, else the kind's default.
pub fn template_for(site: &Site, item: usize) -> String {
    let doc = site.doc(item);
    if let Some(t) = &doc.front.template {
        return t.clone();
    }
    match site.items[item].kind {
        DocKind::Page => "page.html".into(),
        DocKind::Section if doc.key == "_index.md" => "index.html".into(),
        DocKind::Section => "section.html".into(),
    }
}

/// One job per page, and one per list page of each section.
pub fn item_jobs<'a>(
    site: &'a Site,
    templates: &'a Templates,
    views: &'a Views,
    fps: &'a Fingerprints,
) -> Vec<Job<'a>> {
    let mut jobs = Vec::with_capacity(site.items.len());
    for i in 0..site.items.len() {
        let item = &site.items[i];
        let doc = site.doc(i);
        let name = template_for(site, i);
        let origin = doc.path.display().to_string();
        if !templates.has(&name) {
            let problem = Diagnostic::new(format!("template `{name}` does not exist"))
                .at(doc.key_location("template"))
                .with_help(format!(
                    "templates looked for in: {}",
                    templates.search_path()
                ));
            jobs.push(Job {
                verbatim: false,
                newest: None,
                path: item.out_file.clone(),
                origin,
                fingerprint: 0,
                deps_key: None,
                render: Box::new(move || Err(problem)),
            });
            continue;
        }
        let key = if item.kind == DocKind::Page {
            "page"
        } else {
            "section"
        };
        let render = move |ctx: tera::Context, origin: String| -> Result<Vec<u8>, Diagnostic> {
            templates
                .render(&name, &ctx)
                .map(String::into_bytes)
                .map_err(|d| d.with_help(format!("while rendering {origin}")))
        };
        match (item.kind, doc.front.paginate_by.filter(|n| *n > 0)) {
            (DocKind::Section, Some(per_page)) => {
                let pagination = Pagination::new(&item.url_path, &item.pages, per_page);
                let count = pagination.count();
                for n in 1..=count {
                    // A list page shows the section and its own slice of pages only.
                    let fingerprint = combine(
                        [fps.env, fps.item[i], n as u64, count as u64]
                            .into_iter()
                            .chain(pagination.chunk(n).iter().map(|&p| fps.item[p])),
                    );
                    let render = render.clone();
                    let origin2 = origin.clone();
                    let path = pagination.out_file(n);
                    views.will_use_full(i);
                    for &p in pagination.chunk(n) {
                        views.will_use_lite(p);
                    }
                    jobs.push(Job {
                        verbatim: false,
                        newest: pagination
                            .chunk(n)
                            .first()
                            .and_then(|&p| site.doc(p).front.date),
                        path,
                        origin: origin.clone(),
                        fingerprint,
                        deps_key: Some(pagination.current_path(n)),
                        render: Box::new(move || {
                            let pager = pagination.pager(site, n, |p| views.lite(p));
                            let mut ctx = context(&item.lang, &pager.current_path);
                            let value = with_fields(&views.full(i), vec![("pages", pager.pages)]);
                            views.used_full(i);
                            for &p in pagination.chunk(n) {
                                views.used_lite(p);
                            }
                            ctx.insert_value(key, value);
                            ctx.insert_value("paginator", pager.paginator);
                            render(ctx, origin2)
                        }),
                    });
                }
            }
            _ => {
                let fingerprint = combine([fps.env, fps.view[i]]);
                let origin2 = origin.clone();
                views.will_use_full(i);
                jobs.push(Job {
                    verbatim: false,
                    newest: doc.front.date,
                    path: item.out_file.clone(),
                    origin,
                    fingerprint,
                    deps_key: Some(item.url_path.clone()),
                    render: Box::new(move || {
                        let mut ctx = context(&item.lang, &item.url_path);
                        ctx.insert_value(key, views.full(i));
                        views.used_full(i);
                        render(ctx, origin2)
                    }),
                });
            }
        }
    }
    jobs
}
