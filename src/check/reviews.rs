//! Reviews: a page past its review date is an error, one due within
//! `review_warn_days` a warning. The due date comes from the model
//! (`Site::next_review`), the same date templates show.

use super::{Context, Finding};
use crate::diagnostics::find_key;

pub fn check(cx: &Context) -> Vec<Finding> {
    let site = &cx.built.site;
    let warn_until = cx
        .today
        .checked_add(jiff::Span::new().days(cx.config.review_warn_days))
        .unwrap_or(cx.today);
    let mut findings = Vec::new();
    for (i, item) in site.items.iter().enumerate() {
        if item.fallback {
            continue;
        }
        let Some(due) = site.next_review(i) else {
            continue;
        };
        let doc = site.doc(i);
        let rule = if due < cx.today {
            "review-overdue"
        } else if due <= warn_until {
            "review-due"
        } else {
            continue;
        };
        let at = find_key(&doc.text[..doc.body_start], "reviewed").unwrap_or(0);
        let mut finding = Finding::new(
            rule,
            doc.path.display().to_string(),
            if rule == "review-overdue" {
                format!("review was due on {due}")
            } else {
                format!("review is due on {due}")
            },
        )
        .at_offset(doc, at)
        .suggest("check the page against its sources, then set `reviewed` to the day you did");
        finding.due = Some(due);
        findings.push(finding);
    }
    findings
}

/// Every page with a review date, soonest due first: the end of `--format text`.
pub fn by_due_date(cx: &Context) -> Vec<(jiff::civil::Date, String)> {
    let site = &cx.built.site;
    let mut due: Vec<(jiff::civil::Date, String)> = (0..site.items.len())
        .filter(|i| !site.items[*i].fallback)
        .filter_map(|i| Some((site.next_review(i)?, site.doc(i).path.display().to_string())))
        .collect();
    due.sort();
    due.dedup();
    due
}
