//! How findings are printed: `text` (grouped by file, a count per rule, then the pages
//! in order of review due date), `json` (for tools) and `github` (workflow annotations).

use super::{Finding, Level};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Text for people: findings grouped by file, then counts, then reviews by due date.
pub fn text(findings: &[Finding], reviews: &[(jiff::civil::Date, String)]) -> String {
    let mut out = String::new();
    let mut by_file: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        by_file.entry(&f.file).or_default().push(f);
    }
    for (file, list) in &by_file {
        let _ = writeln!(out, "{file}");
        for f in list {
            let at = match (f.line, f.col) {
                (Some(l), Some(c)) => format!("{l}:{c}"),
                _ => "-".into(),
            };
            let _ = writeln!(
                out,
                "  {at:<8} {:<7} {:<20} {}",
                f.severity.label(),
                f.rule,
                f.message
            );
            if let Some(s) = &f.suggestion {
                let _ = writeln!(out, "  {:<8} {:<7} {:<20} help: {s}", "", "", "");
            }
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{}", summary(findings));
    for (rule, count) in counts(findings) {
        let _ = writeln!(out, "  {rule:<22} {count}");
    }
    if !reviews.is_empty() {
        let _ = writeln!(out, "\nReviews by due date:");
        for (due, file) in reviews {
            let _ = writeln!(out, "  {due}  {file}");
        }
    }
    out
}

fn summary(findings: &[Finding]) -> String {
    let errors = findings
        .iter()
        .filter(|f| f.severity == Level::Error)
        .count();
    let warnings = findings
        .iter()
        .filter(|f| f.severity == Level::Warning)
        .count();
    format!(
        "{errors} error{}, {warnings} warning{}",
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" }
    )
}

/// Rule id -> number of findings, in id order.
pub fn counts(findings: &[Finding]) -> BTreeMap<&'static str, usize> {
    let mut counts = BTreeMap::new();
    for f in findings {
        *counts.entry(f.rule).or_insert(0) += 1;
    }
    counts
}

pub fn json(findings: &[Finding]) -> String {
    let value = serde_json::json!({
        "findings": findings,
        "counts": counts(findings),
        "errors": findings.iter().filter(|f| f.severity == Level::Error).count(),
        "warnings": findings.iter().filter(|f| f.severity == Level::Warning).count(),
    });
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

/// `::error file=…,line=…,col=…,title=rule::message`, one line per finding.
pub fn github(findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let mut props = vec![format!("file={}", escape_property(&f.file))];
        if let (Some(l), Some(c)) = (f.line, f.col) {
            props.push(format!("line={l}"));
            props.push(format!("col={c}"));
        }
        props.push(format!("title={}", f.rule));
        let mut message = f.message.clone();
        if let Some(s) = &f.suggestion {
            message.push_str(&format!("\n{s}"));
        }
        let level = if f.severity == Level::Error {
            "error"
        } else {
            "warning"
        };
        let _ = writeln!(
            out,
            "::{level} {}::{}",
            props.join(","),
            escape_data(&message)
        );
    }
    let _ = writeln!(out, "{}", summary(findings));
    out
}

/// Workflow commands escape `%`, CR and LF in data, and also `:` and `,` in properties.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}
