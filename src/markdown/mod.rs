//! Stage 3a, Markdown: one page body becomes HTML plus what templates and checks need
//! (table of contents, anchors, summary, word count, internal links to verify).
//!
//! The renderer is pure: it gets the page's language, callout titles and a link resolver,
//! and touches no shared state, so pages render in parallel.

pub mod directives;
mod events;
mod rawhtml;
mod words;

pub use directives::{Arg, Directive};
pub use events::render;
pub use words::{Counts, count_text};

use serde::Serialize;

/// The words Markdown output needs in the page's language: callout titles (note, tip,
/// important, warning, caution), then the accessible names of a done and an open
/// task-list checkbox.
pub type AlertTitles = [String; 7];

/// Built-in words; themes and sites may override them through i18n files.
pub fn default_alert_titles(lang: &str) -> AlertTitles {
    let t: [&str; 7] = match lang {
        "ko" => ["참고", "도움말", "중요", "경고", "주의", "완료", "할 일"],
        _ => [
            "Note",
            "Tip",
            "Important",
            "Warning",
            "Caution",
            "Done",
            "To do",
        ],
    };
    t.map(String::from)
}

/// What an `@/` link resolves to: the URL to write, and which document it names (for the
/// anchor check that runs once every page is rendered).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub url: String,
    pub target: usize,
}

/// Why an `@/` link was left as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unresolved {
    /// A problem to report at the link.
    Problem(String),
    /// Reported elsewhere already (the target failed to load): nothing to add.
    Reported,
}

/// The inputs of one render.
pub struct Options<'a> {
    pub alert_titles: &'a AlertTitles,
    /// Resolves the path after `@/` (without `#anchor`) or says why it cannot.
    pub resolve: &'a (dyn Fn(&str) -> Result<Resolved, Unresolved> + Sync),
    /// The site's base path (`/repo/`): links written root-relative in Markdown
    /// (`/guides/`) are under it, as resolved `@/` links already are.
    pub base_path: &'a str,
    /// The root path of the page's own folder (`/repo/guides/x/`), which relative links
    /// are under; empty leaves relative links as written.
    pub page_dir: &'a str,
    /// Curly quotes and dashes; see [`smart_punctuation_for`].
    pub smart_punctuation: bool,
    /// Renders a component directive (see [`directives`]); `None` where components are
    /// not available (the `markdown` filter): a directive is then an error.
    pub component: Option<&'a ComponentFn<'a>>,
}

/// Renders one component: its directive and its body's HTML. Problems name the argument
/// they are about (an index into `Directive::args`), or none for the directive itself;
/// an empty list means the problem was reported elsewhere (templates failed to compile).
pub type ComponentFn<'a> =
    dyn Fn(&Directive, &str) -> Result<String, Vec<ComponentProblem>> + Sync + 'a;

/// A problem with one component directive.
#[derive(Debug, Clone, PartialEq)]
pub struct ComponentProblem {
    pub arg: Option<usize>,
    pub message: String,
}

/// Whether smart punctuation suits text in `lang` (not for Korean, Chinese, Japanese).
pub fn smart_punctuation_for(lang: &str) -> bool {
    !matches!(lang.split('-').next(), Some("ko" | "ja" | "zh"))
}

/// A heading in the table of contents.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// An `@/page.md#anchor` link whose anchor must exist on the target page.
#[derive(Debug, Clone, PartialEq)]
pub struct AnchorCheck {
    pub target: usize,
    pub anchor: String,
    /// Byte range in the Markdown body, for the error message.
    pub offset: usize,
    pub len: usize,
}

/// A problem inside the body: byte range in the body and message.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyProblem {
    pub offset: usize,
    pub len: usize,
    pub message: String,
}

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    /// HTML above `<!-- more -->`, when the page has that marker: always a prefix of
    /// `html` (cut from it, so whatever is done to the body was done to the summary).
    pub summary: Option<String>,
    pub toc: Vec<TocEntry>,
    /// Every id a link may point at: headings and footnotes.
    pub anchors: Vec<String>,
    pub counts: Counts,
    pub anchor_checks: Vec<AnchorCheck>,
    /// Every `@/` link that resolved: the path after `@/` (without `#anchor`) and the
    /// URL written for it. A fallback page reuses this render and swaps these URLs.
    pub links: Vec<(String, String)>,
    /// Every image source, as written in the HTML (for outputs that publish images).
    pub images: Vec<String>,
    /// Images written without alt text: byte offset and length in the body.
    pub unlabelled_images: Vec<(usize, usize)>,
    pub problems: Vec<BodyProblem>,
}

/// Escapes text for HTML content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}
