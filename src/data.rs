//! `data/`: TOML, JSON, CSV and YAML files loaded once per build and handed to every
//! template as `data` (`data/helplines.toml` is `data.helplines`; a file in a subfolder
//! `data/kr/lines.toml` is `data.kr.lines`). Errors name the file, line and column.

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Location, from_toml_error};
use crate::load::input::{self, Boundary};
use serde_json::{Map, Value};
use std::path::Path;

/// Parses one data file's text by its extension.
pub fn parse(shown: &Path, text: &str, ext: &str) -> Result<Value, Diagnostic> {
    match ext {
        "toml" => toml::from_str(text).map_err(|e| from_toml_error(shown, text, 0, &e)),
        "json" => serde_json::from_str(text).map_err(|e| {
            Diagnostic::new(strip_position(&e.to_string())).at(Location::from_line_col(
                shown,
                text,
                e.line(),
                e.column(),
                1,
            ))
        }),
        "yaml" | "yml" => serde_saphyr::from_str(text).map_err(|e| {
            let loc = e.location();
            let message = e
                .to_string()
                .lines()
                .next()
                .unwrap_or("invalid YAML")
                .to_string();
            match loc {
                Some(l) => Diagnostic::new(message).at(Location::from_line_col(
                    shown,
                    text,
                    usize::try_from(l.line()).unwrap_or(1),
                    usize::try_from(l.column()).unwrap_or(1),
                    1,
                )),
                None => Diagnostic::in_file(shown, message),
            }
        }),
        "csv" => csv_rows(text).map_err(|e| {
            let line = e
                .position()
                .map_or(1, |p| usize::try_from(p.line()).unwrap_or(1));
            Diagnostic::new(format!("invalid CSV: {e}"))
                .at(Location::from_line_col(shown, text, line, 1, 1))
        }),
        _ => Err(Diagnostic::in_file(
            shown,
            "not a data file (.toml, .json, .csv, .yaml)",
        )),
    }
}

/// serde_json ends messages with "at line X column Y"; we print our own position.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// Loads every data file below `root/data`; all errors are reported together. Files are
/// read like every input (see [`crate::load::input`]): regular files inside the site,
/// at most 10 MB each.
pub fn load(root: &Path, config: &Config) -> Result<Value, Vec<Diagnostic>> {
    let dir = root.join("data");
    let shown_base = crate::diagnostics::display_base(root).join("data");
    let boundary = Boundary::new(root, &config.allow_outside);
    let (found, mut problems) = input::walk_files(&dir, &shown_base, &boundary, false);
    let mut all = Map::new();
    for f in found {
        let rel = Path::new(&f.rel);
        let shown = shown_base.join(rel);
        let Some(ext) = rel.extension().and_then(|e| e.to_str()) else {
            continue;
        };
        if !matches!(ext, "toml" | "json" | "csv" | "yaml" | "yml") {
            continue;
        }
        let text = match input::read_text(&f.path) {
            Ok(t) => t,
            Err(e) => {
                problems.push(e.diagnostic(&shown));
                continue;
            }
        };
        match parse(&shown, &text, ext) {
            Ok(value) => insert(&mut all, rel, value),
            Err(d) => problems.push(d),
        }
    }
    if problems.is_empty() {
        Ok(Value::Object(all))
    } else {
        Err(problems)
    }
}

/// `kr/lines.toml` goes to `all["kr"]["lines"]`.
fn insert(all: &mut Map<String, Value>, rel: &Path, value: Value) {
    let parts: Vec<String> = rel
        .with_extension("")
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let mut map = all;
    for dir in &parts[..parts.len().saturating_sub(1)] {
        let entry = map
            .entry(dir.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        let Value::Object(next) = entry else { return };
        map = next;
    }
    if let Some(last) = parts.last() {
        map.insert(last.clone(), value);
    }
}

/// CSV as a list of rows keyed by the header line.
pub fn csv_rows(text: &str) -> Result<serde_json::Value, csv::Error> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers()?.clone();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record?;
        let row: serde_json::Map<String, serde_json::Value> = headers
            .iter()
            .zip(record.iter())
            .map(|(h, v)| (h.to_string(), serde_json::Value::from(v)))
            .collect();
        rows.push(serde_json::Value::Object(row));
    }
    Ok(serde_json::Value::Array(rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_point_at_line_and_column() {
        let p = Path::new("data/x.json");
        let err = parse(p, "{\n  \"a\": 1,\n  oops\n}", "json").expect_err("invalid");
        assert!(err.to_string().contains("data/x.json:3:"), "{err}");
        let err = parse(Path::new("data/x.toml"), "a = 1\nb = \n", "toml").expect_err("invalid");
        assert!(err.to_string().contains("data/x.toml:2:"), "{err}");
    }

    #[test]
    fn nested_folders_nest_keys() {
        let mut all = Map::new();
        insert(&mut all, Path::new("kr/lines.toml"), Value::from(1));
        insert(&mut all, Path::new("top.json"), Value::from(2));
        assert_eq!(all["kr"]["lines"], 1);
        assert_eq!(all["top"], 2);
    }
}
