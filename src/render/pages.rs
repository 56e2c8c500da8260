//! Pages and sections through their templates; a section with `paginate_by` becomes
//! several list pages.

use super::paginate::{Pager, pagers};
use super::{OutputFile, Views, context};
use crate::diagnostics::Diagnostic;
use crate::load::DocKind;
use crate::model::Site;
use crate::templates::Templates;
use rayon::prelude::*;

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

/// Renders every item in parallel.
pub fn render_items(
    site: &Site,
    templates: &Templates,
    views: &Views,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let results: Vec<Vec<Result<OutputFile, Diagnostic>>> = (0..site.items.len())
        .into_par_iter()
        .map(|i| render_item(site, templates, views, i))
        .collect();
    let mut files = Vec::with_capacity(results.len());
    let mut problems = Vec::new();
    for r in results.into_iter().flatten() {
        match r {
            Ok(f) => files.push(f),
            Err(d) => problems.push(d),
        }
    }
    (files, problems)
}

fn render_item(
    site: &Site,
    templates: &Templates,
    views: &Views,
    i: usize,
) -> Vec<Result<OutputFile, Diagnostic>> {
    let item = &site.items[i];
    let doc = site.doc(i);
    let name = template_for(site, i);
    if !templates.has(&name) {
        return vec![Err(Diagnostic::new(format!(
            "template `{name}` does not exist"
        ))
        .at(doc.key_location("template"))
        .with_help(format!(
            "templates looked for in: {}",
            templates.search_path()
        )))];
    }
    let origin = doc.path.display().to_string();
    let render = |ctx: &tera::Context, path: String| {
        templates
            .render(&name, ctx)
            .map(|html| OutputFile {
                path,
                bytes: html.into_bytes(),
                origin: origin.clone(),
            })
            .map_err(|d| d.with_help(format!("while rendering {origin}")))
    };
    let key = if item.kind == DocKind::Page {
        "page"
    } else {
        "section"
    };
    let per_page = doc.front.paginate_by.filter(|n| *n > 0);
    match (item.kind, per_page) {
        (DocKind::Section, Some(n)) => pagers(site, &item.url_path, &item.pages, n, &views.lite)
            .into_iter()
            .map(
                |Pager {
                     out_file,
                     current_path,
                     paginator,
                     pages,
                 }| {
                    let mut ctx = context(&item.lang, &current_path);
                    ctx.insert_value(key, with_field(&views.full[i], "pages", pages));
                    ctx.insert_value("paginator", paginator);
                    render(&ctx, out_file)
                },
            )
            .collect(),
        _ => {
            let mut ctx = context(&item.lang, &item.url_path);
            ctx.insert_value(key, views.full[i].clone());
            vec![render(&ctx, item.out_file.clone())]
        }
    }
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
