//! Translations: outdated or missing, exactly as `lantern translations` reports them.

use super::{Context, Finding};
use crate::translations::{Status, report};

pub fn check(cx: &Context) -> Vec<Finding> {
    let site = &cx.built.site;
    let report = report(&site.config, &site.docs);
    let mut findings = Vec::new();
    for (lang, entries) in &report.languages {
        for entry in entries {
            let finding = match entry.status {
                Status::Outdated => Finding::new(
                    "translation-outdated",
                    &entry.path,
                    format!("the {lang} translation is older than {}", entry.source),
                )
                .suggest(format!(
                    "update it, then run `lantern translations --mark-current {}`",
                    entry.path
                )),
                Status::Missing => Finding::new(
                    "translation-missing",
                    &entry.source,
                    format!("no {lang} translation (expected {})", entry.path),
                )
                .suggest("translate the page, or silence this rule for it"),
                Status::UpToDate | Status::Untracked => continue,
            };
            findings.push(finding);
        }
    }
    findings
}
