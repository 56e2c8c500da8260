//! `lantern check`: rules over one in-memory build (`build::inspect_in_memory`), never a
//! second build path. Each rule has an id, a default [`Level`] that `[check.severity]` in
//! `lantern.toml` can change, and a finding that names the file, line and column where
//! there is one, with a suggestion.
//!
//! A page silences rules for itself with front matter `extra.check.ignore = ["rule-id"]`;
//! findings in built HTML are traced back to the page that produced the file, so that
//! works for every rule.
//!
//! Rule groups, one file each: [`links`], [`sources`], [`reviews`], [`translations`],
//! [`html`] (accessibility, privacy, page weight over the built HTML), [`words`] (term
//! lists), [`plain`] (sentence length, grade estimate), [`images`] (EXIF GPS), and,
//! only with `--external`, [`external`] (links to other hosts, asked over the network).

pub mod config;
pub mod external;
pub mod html;
pub mod images;
pub mod links;
pub mod output;
pub mod plain;
pub mod reviews;
pub mod scan;
pub mod sources;
pub mod text;
pub mod translations;
pub mod words;

pub use config::{CheckConfig, Level};

use crate::build::{BuildOptions, Built};
use crate::diagnostics::BuildError;
use crate::load::Document;
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One problem a rule found.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Level,
    /// The content file (or, when no page produced it, the output file) concerned.
    pub file: String,
    pub line: Option<usize>,
    pub col: Option<usize>,
    pub message: String,
    pub suggestion: Option<String>,
    /// When a rule has an order of its own (the review due date), for the summary.
    #[serde(skip)]
    pub due: Option<jiff::civil::Date>,
}

impl Finding {
    /// A finding at the rule's default level; the runner applies the site's levels.
    pub fn new(rule: &'static str, file: impl Into<String>, message: impl Into<String>) -> Self {
        Finding {
            rule,
            severity: default_level(rule),
            file: file.into(),
            line: None,
            col: None,
            message: message.into(),
            suggestion: None,
            due: None,
        }
    }

    pub fn at(mut self, line: usize, col: usize) -> Self {
        self.line = Some(line);
        self.col = Some(col);
        self
    }

    /// Places the finding at a byte offset of a document's text.
    pub fn at_offset(self, doc: &Document, offset: usize) -> Self {
        let (line, col) = line_col(&doc.text, offset);
        self.at(line, col)
    }

    pub fn suggest(mut self, suggestion: impl Into<String>) -> Self {
        self.suggestion = Some(suggestion.into());
        self
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Every rule: id, default level, what it checks (for `README.md` and `--list`).
pub const RULES: &[(&str, Level, &str)] = &[
    (
        "link-broken",
        Level::Error,
        "an internal URL in the built HTML that matches no output",
    ),
    ("link-draft", Level::Error, "a link to a page marked draft"),
    (
        "link-external",
        Level::Error,
        "a link to another host that answers with an error or not at all (--external)",
    ),
    (
        "link-redirect",
        Level::Warning,
        "a link to another host that redirects elsewhere (--external)",
    ),
    (
        "sources-missing",
        Level::Error,
        "a page in a guide section that cites no source",
    ),
    (
        "source-incomplete",
        Level::Warning,
        "a source without a title, publisher or date",
    ),
    ("source-no-url", Level::Warning, "a source without a URL"),
    (
        "source-conflict",
        Level::Warning,
        "one URL cited with different titles or dates",
    ),
    (
        "review-overdue",
        Level::Error,
        "a page whose review date has passed",
    ),
    (
        "review-due",
        Level::Warning,
        "a page due for review within `review_warn_days`",
    ),
    (
        "translation-outdated",
        Level::Warning,
        "a translation whose source changed",
    ),
    (
        "translation-missing",
        Level::Warning,
        "a page with no translation in a language",
    ),
    (
        "img-alt",
        Level::Error,
        "an image without alt text, or whose alt is a file name",
    ),
    (
        "heading-skip",
        Level::Warning,
        "a heading level skipped (h2 then h4)",
    ),
    ("h1-multiple", Level::Error, "more than one h1 on a page"),
    (
        "link-empty",
        Level::Error,
        "a link with no text and no accessible name",
    ),
    (
        "link-text",
        Level::Warning,
        "link text such as \"click here\" that says nothing",
    ),
    (
        "table-header",
        Level::Warning,
        "a table without header cells",
    ),
    (
        "third-party",
        Level::Error,
        "a resource loaded from another host",
    ),
    (
        "csp-inline",
        Level::Error,
        "an inline script or style the site's CSP blocks",
    ),
    (
        "image-gps",
        Level::Error,
        "an image that carries EXIF GPS positions",
    ),
    (
        "word-stigma",
        Level::Warning,
        "a stigmatising term, with a replacement",
    ),
    (
        "word-operational",
        Level::Error,
        "an operational term the site does not publish",
    ),
    (
        "sentence-long",
        Level::Warning,
        "a page with too large a share of long sentences",
    ),
    (
        "reading-grade",
        Level::Warning,
        "an English page above the grade threshold (estimate)",
    ),
    (
        "page-weight",
        Level::Warning,
        "HTML + CSS + JS of a page over the budget",
    ),
];

fn default_level(rule: &str) -> Level {
    RULES
        .iter()
        .find(|(id, _, _)| *id == rule)
        .map_or(Level::Error, |(_, level, _)| *level)
}

/// What to run.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    pub root: PathBuf,
    /// The day reviews are measured against (today unless a test fixes it).
    pub today: Option<jiff::civil::Date>,
    /// Also ask every link to another host over the network.
    pub external: bool,
}

/// Everything the rules see: the build, the site's check settings and lookups built
/// once.
pub struct Context<'a> {
    pub built: &'a Built,
    pub config: &'a CheckConfig,
    pub root: &'a Path,
    pub today: jiff::civil::Date,
    /// Output path -> the document whose page it is.
    pub page_of: HashMap<&'a str, &'a Document>,
    /// Every file the build produced: output path -> size in bytes.
    pub outputs: HashMap<&'a str, u64>,
    /// The output folder's name as shown (`site`).
    pub output_name: String,
}

impl<'a> Context<'a> {
    fn new(
        built: &'a Built,
        config: &'a CheckConfig,
        root: &'a Path,
        today: jiff::civil::Date,
    ) -> Self {
        let site = &built.site;
        let page_of = site
            .items
            .iter()
            .map(|it| (it.out_file.as_str(), site.docs[it.doc].as_ref()))
            .collect();
        let outputs = built
            .files
            .iter()
            .map(|f| (f.path.as_str(), f.bytes.len() as u64))
            .collect();
        Context {
            built,
            config,
            root,
            today,
            page_of,
            outputs,
            output_name: site.config.output_dir.clone(),
        }
    }

    /// The file a finding in an output file is reported against: the page's source when
    /// a page produced it, else the output file itself.
    pub fn file_of_output(&self, out: &str) -> String {
        match self.page_of.get(out) {
            Some(doc) => doc.path.display().to_string(),
            None => format!("{}/{out}", self.output_name),
        }
    }

    /// Documents that are published in their own language (not drafts).
    pub fn docs(&self) -> impl Iterator<Item = &'a Document> + 'a {
        self.built.site.docs.iter().map(|d| d.as_ref())
    }
}

/// The result of a check run.
pub struct Report {
    pub findings: Vec<Finding>,
    /// Every reviewed page by its next review date, soonest first.
    pub reviews: Vec<(jiff::civil::Date, String)>,
    pub build_warnings: Vec<crate::diagnostics::Diagnostic>,
}

/// An output's text: checked as UTF-8 at memory speed (Lantern writes UTF-8), and only
/// a file that is not gets the slower lossy reading.
pub fn text_of(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.into(),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// Builds the site in memory and runs every rule.
pub fn run(opts: &CheckOptions) -> Result<Report, BuildError> {
    let built = crate::build::inspect_in_memory(&BuildOptions {
        root: opts.root.clone(),
        ..BuildOptions::default()
    })?;
    let config = CheckConfig::for_site(&built.site.config, &opts.root)?;
    let today = opts.today.unwrap_or_else(|| jiff::Zoned::now().date());
    let cx = Context::new(&built, &config, &opts.root, today);
    let mut findings = run_rules(&cx)?;
    if opts.external {
        findings.extend(external::check(&cx));
    }
    let findings = apply_levels(findings, &cx);
    Ok(Report {
        findings,
        reviews: reviews::by_due_date(&cx),
        build_warnings: built.report.warnings.clone(),
    })
}

fn run_rules(cx: &Context) -> Result<Vec<Finding>, BuildError> {
    let mut findings = Vec::new();
    let (html_findings, broken) = html::check(cx);
    findings.extend(links::check(cx, broken));
    findings.extend(sources::check(cx)?);
    findings.extend(reviews::check(cx));
    findings.extend(translations::check(cx));
    findings.extend(html_findings);
    findings.extend(images::check(cx));
    findings.extend(text_rules(cx)?);
    Ok(findings)
}

/// The rules over each page's Markdown text (words, plain language): its blocks are
/// made once per page for both.
fn text_rules(cx: &Context) -> Result<Vec<Finding>, BuildError> {
    use rayon::prelude::*;
    let lists = words::lists(cx)?;
    let docs: Vec<&Document> = cx.docs().collect();
    Ok(docs
        .par_iter()
        .flat_map_iter(|doc| {
            let blocks = text::blocks(doc);
            let mut findings = words::check_doc(&lists, doc, &blocks);
            findings.extend(plain::check_doc(cx, doc, &blocks));
            findings
        })
        .collect())
}

/// Applies `[check.severity]` and every page's `extra.check.ignore`, then sorts.
fn apply_levels(findings: Vec<Finding>, cx: &Context) -> Vec<Finding> {
    let ignored: HashMap<String, Vec<String>> = cx
        .docs()
        .map(|d| (d.path.display().to_string(), ignored_rules(d)))
        .filter(|(_, rules)| !rules.is_empty())
        .collect();
    let mut kept: Vec<Finding> = findings
        .into_iter()
        .filter(|f| {
            !ignored
                .get(&f.file)
                .is_some_and(|rules| rules.iter().any(|r| r == f.rule))
        })
        .filter_map(|mut f| {
            let level = cx
                .config
                .severity
                .get(f.rule)
                .copied()
                .unwrap_or(f.severity);
            (level != Level::Off).then(|| {
                f.severity = level;
                f
            })
        })
        .collect();
    kept.sort_by(|a, b| (&a.file, a.line, a.col, a.rule).cmp(&(&b.file, b.line, b.col, b.rule)));
    kept.dedup();
    kept
}

/// `extra.check.ignore = ["rule-id", …]` of a page.
pub fn ignored_rules(doc: &Document) -> Vec<String> {
    doc.front
        .extra
        .get("check")
        .and_then(|c| c.get("ignore"))
        .and_then(|v| v.as_array())
        .map(|ids| {
            ids.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}
