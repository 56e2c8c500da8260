//! `data/` files: the first byte picks the format (TOML, JSON, YAML, CSV), the rest is the
//! file. Any text parses or gives an error that points at a real line.

#![no_main]

use lantern::data;
use lantern_fuzz::check_diagnostic;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

const FORMATS: [&str; 4] = ["toml", "json", "yaml", "csv"];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let ext = FORMATS[usize::from(pick) % FORMATS.len()];
    let shown = Path::new("data").join(format!("file.{ext}"));
    match data::parse(&shown, text, ext) {
        Ok(value) => {
            if ext == "csv" {
                assert!(value.is_array(), "CSV gives a list of rows");
            }
        }
        Err(d) => check_diagnostic(&d, text),
    }
});
