//! `lantern.toml`: any text is either a configuration that keeps the promises the rest of
//! the build relies on, or errors that point at real lines.

#![no_main]

use lantern::config::{Config, is_language_code};
use lantern_fuzz::check_diagnostic;
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeSet;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Config::parse(Path::new("lantern.toml"), text) {
        Ok(config) => check_config(&config),
        Err(problems) => {
            assert!(!problems.is_empty(), "an error with no problem in it");
            for d in &problems {
                check_diagnostic(d, text);
            }
        }
    }
});

fn check_config(config: &Config) {
    assert!(config.base_url.ends_with('/'));
    assert!(
        config.base_url.starts_with("http://")
            || config.base_url.starts_with("https://")
            || config.base_url.starts_with('/')
    );
    assert!(config.is_language(&config.default_language));
    let codes = config.language_codes();
    assert_eq!(codes[0], config.default_language);
    let mut prefixes = BTreeSet::new();
    for code in &codes {
        assert!(
            is_language_code(code),
            "`{code}` accepted as a language code"
        );
        let prefix = config.url_prefix(code);
        assert!(
            prefixes.insert(prefix.clone()),
            "two languages share the URL prefix `/{prefix}`: {:?}",
            config.languages
        );
    }
    let mut names = BTreeSet::new();
    for t in &config.taxonomies {
        assert!(!t.name.is_empty() && !t.name.contains(['/', '\\', '.']));
        assert!(names.insert(&t.name), "taxonomy `{}` twice", t.name);
    }
}
