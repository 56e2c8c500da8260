//! The link check: every `@/` link resolved while rendering Markdown, and every
//! `#anchor` it names, checked against what the target's render kept. It runs after
//! rendering, on data the renders returned, so it needs no second parse; `lantern check`
//! runs it through the same build.

use crate::diagnostics::{Diagnostic, Location};
use crate::markdown::Rendered;
use crate::model::Site;
use std::collections::HashSet;

/// Every `@/` link and `#anchor` of every body: `rendered[i]` is item `i`'s render.
pub fn check(site: &Site, rendered: &[&Rendered]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (i, r) in rendered.iter().enumerate() {
        // A fallback shows the same text as its source: report its problems once.
        if site.items[i].fallback {
            continue;
        }
        let doc = site.doc(i);
        for p in &r.problems {
            problems.push(Diagnostic::new(p.message.clone()).at(Location::from_offset(
                &doc.path,
                &doc.text,
                doc.body_start + p.offset,
                p.len,
            )));
        }
        for check in &r.anchor_checks {
            let anchors = &rendered[check.target].anchors;
            if anchors.contains(&check.anchor) {
                continue;
            }
            let target = site.doc(check.target);
            let mut known: Vec<&str> = anchors
                .iter()
                .map(String::as_str)
                .collect::<HashSet<_>>()
                .into_iter()
                .collect();
            known.sort_unstable();
            problems.push(
                Diagnostic::new(format!(
                    "`#{}` is not an anchor on {}",
                    check.anchor,
                    target.path.display()
                ))
                .at(Location::from_offset(
                    &doc.path,
                    &doc.text,
                    doc.body_start + check.offset,
                    check.len,
                ))
                .with_help(if known.is_empty() {
                    "that page has no headings to link to".to_string()
                } else {
                    format!("anchors there: {}", known.join(", "))
                }),
            );
        }
    }
    problems
}
