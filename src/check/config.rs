//! `[check]` in `lantern.toml`: rule levels and thresholds, every key with a default.

use crate::diagnostics::{BuildError, Diagnostic};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// How a finding counts: `error` fails the gate, `warning` fails it only with
/// `--fail-on warning`, `off` silences the rule site-wide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Off,
    Warning,
    Error,
}

impl Level {
    pub fn label(self) -> &'static str {
        match self {
            Level::Off => "off",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct CheckConfig {
    /// Rule id -> level, overriding the rule's default.
    pub severity: BTreeMap<String, Level>,
    /// Sections (folders below `content/`) whose pages must cite sources.
    pub guide_sections: Vec<String>,
    /// A review due within this many days is a warning.
    pub review_warn_days: i64,
    /// A sentence longer than this is long: English words, Korean 어절 (spaced words).
    pub max_sentence_words_en: usize,
    pub max_sentence_words_ko: usize,
    /// A page whose share of long sentences is above this (0.0 to 1.0) is reported.
    pub max_long_sentence_share: f64,
    /// Flesch-Kincaid grade above which an English page is reported (an estimate).
    pub max_grade: f64,
    /// HTML + CSS + JS per page, in KiB.
    pub page_budget_kb: u64,
    /// How `--external` asks other hosts.
    pub external: super::external::ExternalConfig,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            severity: BTreeMap::new(),
            guide_sections: vec!["guides".into()],
            review_warn_days: 30,
            max_sentence_words_en: 25,
            max_sentence_words_ko: 15,
            max_long_sentence_share: 0.2,
            max_grade: 9.0,
            page_budget_kb: 40,
            external: super::external::ExternalConfig::default(),
        }
    }
}

impl CheckConfig {
    /// The site's settings, with every rule id in `[check.severity]` checked.
    pub fn for_site(
        config: &crate::config::Config,
        root: &Path,
    ) -> Result<CheckConfig, BuildError> {
        let check = config.check.clone();
        let shown = crate::diagnostics::display_base(root).join(crate::config::CONFIG_FILE);
        let unknown: Vec<Diagnostic> = check
            .severity
            .keys()
            .filter(|id| !super::RULES.iter().any(|(rule, _, _)| rule == id))
            .map(|id| {
                Diagnostic::in_file(&shown, format!("[check.severity] names no rule `{id}`"))
                    .with_help("`lantern check --list` shows every rule id")
            })
            .collect();
        if unknown.is_empty() {
            Ok(check)
        } else {
            Err(BuildError(unknown))
        }
    }
}
