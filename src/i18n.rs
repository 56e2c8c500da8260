//! UI strings per language: `themes/<theme>/i18n/<lang>.toml`, overridden key by key by the
//! site's `i18n/<lang>.toml`. A missing key falls back to the default language; a key
//! missing there too is a template error (reported by the `trans` function).

use crate::config::Config;
use crate::diagnostics::{Diagnostic, from_toml_error};
use crate::markdown::{AlertTitles, default_alert_titles};
use std::collections::HashMap;
use std::path::Path;

#[derive(Debug, Clone, Default)]
pub struct I18n {
    tables: HashMap<String, HashMap<String, String>>,
    default_language: String,
}

impl I18n {
    pub fn load(root: &Path, config: &Config) -> Result<I18n, Vec<Diagnostic>> {
        let mut i18n = I18n {
            tables: HashMap::new(),
            default_language: config.default_language.clone(),
        };
        let mut problems = Vec::new();
        let files = crate::theme::layered_files(
            root,
            config,
            "i18n",
            "i18n",
            crate::load::input::MAX_TEXT_BYTES,
        )?;
        for file in files {
            let Some(lang) = file.name.strip_suffix(".toml") else {
                continue;
            };
            let text = String::from_utf8_lossy(&file.bytes);
            let table: toml::Table = match toml::from_str(&text) {
                Ok(t) => t,
                Err(e) => {
                    problems.push(from_toml_error(&file.shown, &text, 0, &e));
                    continue;
                }
            };
            let entries = i18n.tables.entry(lang.to_string()).or_default();
            for (key, value) in table {
                match value {
                    toml::Value::String(s) => {
                        entries.insert(key, s);
                    }
                    _ => problems.push(Diagnostic::in_file(
                        &file.shown,
                        format!("`{key}` must be a string"),
                    )),
                }
            }
        }
        if problems.is_empty() {
            Ok(i18n)
        } else {
            Err(problems)
        }
    }

    /// A digest of every string, for build fingerprints.
    pub fn fingerprint(&self) -> u64 {
        let mut entries: Vec<(&String, &String, &String)> = self
            .tables
            .iter()
            .flat_map(|(l, t)| t.iter().map(move |(k, v)| (l, k, v)))
            .collect();
        entries.sort();
        let parts: Vec<&[u8]> = entries
            .iter()
            .flat_map(|(l, k, v)| [l.as_bytes(), k.as_bytes(), v.as_bytes()])
            .collect();
        crate::load::hash_of(&parts)
    }

    /// The string for `key` in `lang`, else in the default language.
    pub fn get(&self, lang: &str, key: &str) -> Option<&str> {
        self.tables
            .get(lang)
            .and_then(|t| t.get(key))
            .or_else(|| {
                self.tables
                    .get(&self.default_language)
                    .and_then(|t| t.get(key))
            })
            .map(String::as_str)
    }

    /// Callout titles for Markdown alerts, from `callout_note` … `callout_caution`.
    pub fn alert_titles(&self, lang: &str) -> AlertTitles {
        let mut titles = default_alert_titles(lang);
        for (i, key) in [
            "callout_note",
            "callout_tip",
            "callout_important",
            "callout_warning",
            "callout_caution",
            "task_done",
            "task_open",
        ]
        .iter()
        .enumerate()
        {
            if let Some(t) = self.tables.get(lang).and_then(|t| t.get(*key)) {
                titles[i] = t.clone();
            }
        }
        titles
    }
}
