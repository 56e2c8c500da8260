//! Pages and sections through their templates; a section with `paginate_by` becomes
//! several list pages.

use super::fingerprint::combine;
use super::paginate::{Pager, pagers};
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
            (DocKind::Section, Some(n)) => {
                for (
                    k,
                    Pager {
                        out_file,
                        current_path,
                        paginator,
                        pages,
                    },
                ) in pagers(site, &item.url_path, &item.pages, n, &views.lite)
                    .into_iter()
                    .enumerate()
                {
                    let fingerprint = combine([fps.env, fps.view[i], k as u64]);
                    let deps_key = Some(current_path.clone());
                    let render = render.clone();
                    let origin = origin.clone();
                    jobs.push(Job {
                        path: out_file,
                        origin: origin.clone(),
                        fingerprint,
                        deps_key,
                        render: Box::new(move || {
                            let mut ctx = context(&item.lang, &current_path);
                            ctx.insert_value(key, with_field(&views.full[i], "pages", pages));
                            ctx.insert_value("paginator", paginator);
                            render(ctx, origin)
                        }),
                    });
                }
            }
            _ => {
                let fingerprint = combine([fps.env, fps.view[i]]);
                let origin2 = origin.clone();
                jobs.push(Job {
                    path: item.out_file.clone(),
                    origin,
                    fingerprint,
                    deps_key: Some(item.url_path.clone()),
                    render: Box::new(move || {
                        let mut ctx = context(&item.lang, &item.url_path);
                        ctx.insert_value(key, views.full[i].clone());
                        render(ctx, origin2)
                    }),
                });
            }
        }
    }
    jobs
}

/// A copy of a map value with one field replaced (cheap: tera values share their data).
pub fn with_field(value: &tera::Value, name: &str, field: tera::Value) -> tera::Value {
    let mut map: std::collections::BTreeMap<String, tera::Value> = value
        .as_map()
        .map(|m| m.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
        .unwrap_or_default();
    map.insert(name.to_string(), field);
    tera::Value::from(map)
}
