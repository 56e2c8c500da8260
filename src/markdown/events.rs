//! The event pass over pulldown-cmark's output: heading ids, callouts, footnotes at the end,
//! `@/` links, the summary marker and word counts, in one walk.

use super::{AnchorCheck, BodyProblem, Options, Rendered, TocEntry, count_text, escape_html};
use crate::slug::slugify;
use pulldown_cmark::{
    BlockQuoteKind, CowStr, Event, HeadingLevel, Options as Md, Parser, Tag, TagEnd,
};
use std::collections::{HashMap, HashSet};

const SUMMARY_MARKER: &str = "<!-- more -->";

/// Smart punctuation is left off for Korean, Chinese and Japanese: pulldown-cmark pairs
/// quotes by Latin word boundaries, so `'던지기'라고` came out with two closing quotes.
fn parser_options(smart_punctuation: bool) -> Md {
    let smart = if smart_punctuation {
        Md::ENABLE_SMART_PUNCTUATION
    } else {
        Md::empty()
    };
    smart
        | Md::ENABLE_TABLES
        | Md::ENABLE_FOOTNOTES
        | Md::ENABLE_STRIKETHROUGH
        | Md::ENABLE_TASKLISTS
        | Md::ENABLE_HEADING_ATTRIBUTES
        | Md::ENABLE_DEFINITION_LIST
        | Md::ENABLE_GFM
}

/// Renders a Markdown body. Never fails: problems (broken links) are returned in
/// [`Rendered::problems`] so the build can report all of them.
pub fn render(body: &str, opts: &Options) -> Rendered {
    let mut pass = Pass::new(opts);
    for (event, range) in
        Parser::new_ext(body, parser_options(opts.smart_punctuation)).into_offset_iter()
    {
        pass.event(event, range);
    }
    pass.finish()
}

struct OpenHeading<'a> {
    level: HeadingLevel,
    id: Option<String>,
    classes: Vec<CowStr<'a>>,
    attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    text: String,
    events: Vec<Event<'a>>,
}

struct Footnote {
    id: String,
    number: usize,
    refs: usize,
    /// The id of the first reference, where the back link goes.
    first_ref: String,
}

/// A footnote definition as read: its events and the anchors (headings, terms) inside it,
/// which exist on the page only if something refers to the footnote.
struct Definition<'a> {
    events: Vec<Event<'a>>,
    anchors: Vec<String>,
}

struct Pass<'o, 'a> {
    opts: &'o Options<'o>,
    out: Vec<Event<'a>>,
    summary_at: Option<usize>,
    heading: Option<OpenHeading<'a>>,
    /// The definition-list term being read (its text, its events).
    term: Option<(String, Vec<Event<'a>>)>,
    /// Label of the footnote definition being read, and what it holds so far.
    footnote_def: Option<(String, Definition<'a>)>,
    footnotes: HashMap<String, Footnote>,
    /// Every definition by label, wherever it sits relative to its references.
    definitions: HashMap<String, Definition<'a>>,
    ids: HashSet<String>,
    flat_toc: Vec<(u8, String, String)>,
    in_code_block: bool,
    result: Rendered,
}

impl<'o, 'a> Pass<'o, 'a> {
    fn new(opts: &'o Options<'o>) -> Self {
        Pass {
            opts,
            out: Vec::new(),
            summary_at: None,
            heading: None,
            term: None,
            footnote_def: None,
            footnotes: HashMap::new(),
            definitions: HashMap::new(),
            ids: HashSet::new(),
            flat_toc: Vec::new(),
            in_code_block: false,
            result: Rendered::default(),
        }
    }

    /// Where the next event goes: the open heading, the open footnote, or the page.
    fn emit(&mut self, e: Event<'a>) {
        if let Some(h) = &mut self.heading {
            h.events.push(e);
        } else if let Some((_, events)) = &mut self.term {
            events.push(e);
        } else if let Some((_, def)) = &mut self.footnote_def {
            def.events.push(e);
        } else {
            self.out.push(e);
        }
    }

    /// Records an id links may point at; inside a footnote definition it counts only once
    /// the footnote is shown.
    fn add_anchor(&mut self, id: String) {
        match &mut self.footnote_def {
            Some((_, def)) => def.anchors.push(id),
            None => self.result.anchors.push(id),
        }
    }

    /// Makes `wanted` unique on the page: `x`, then `x-1`, `x-2`.
    fn unique_id(&mut self, wanted: &str) -> String {
        let base = if wanted.is_empty() {
            "section".to_string()
        } else {
            wanted.to_string()
        };
        let mut id = base.clone();
        let mut n = 1;
        while self.ids.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.ids.insert(id.clone());
        id
    }

    fn event(&mut self, event: Event<'a>, range: std::ops::Range<usize>) {
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                self.heading = Some(OpenHeading {
                    level,
                    id: id.map(|i| i.to_string()),
                    classes,
                    attrs,
                    text: String::new(),
                    events: Vec::new(),
                });
            }
            Event::End(TagEnd::Heading(_)) => self.close_heading(),
            // A term of a definition list (a glossary) is a defining instance with an
            // anchor, so pages can link to `@/glossary.md#dead-drop`.
            Event::Start(Tag::DefinitionListTitle) => self.term = Some((String::new(), Vec::new())),
            Event::End(TagEnd::DefinitionListTitle) => {
                if let Some((text, events)) = self.term.take() {
                    let id = self.unique_id(&slugify(&text));
                    self.add_anchor(id.clone());
                    self.emit(Event::Html(
                        format!("<dt id=\"{}\"><dfn>", escape_html(&id)).into(),
                    ));
                    for e in events {
                        self.emit(e);
                    }
                    self.emit(Event::Html("</dfn></dt>\n".into()));
                }
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, index) = alert_class(kind);
                let title = escape_html(&self.opts.alert_titles[index]);
                self.emit(Event::Html(
                    format!("<div class=\"callout callout-{class}\" role=\"note\"><p class=\"callout-title\">{title}</p>").into(),
                ));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => self.emit(Event::Html("</div>".into())),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let def = Definition {
                    events: Vec::new(),
                    anchors: Vec::new(),
                };
                self.footnote_def = Some((label.to_string(), def));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some((label, def)) = self.footnote_def.take() {
                    self.definitions.entry(label).or_insert(def);
                }
            }
            Event::FootnoteReference(label) => {
                let html = self.footnote_reference(&label);
                self.emit(Event::InlineHtml(html.into()));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.resolve(dest_url, range);
                self.emit(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.resolve(dest_url, range);
                self.emit(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Html(ref html) | Event::InlineHtml(ref html)
                if html.trim() == SUMMARY_MARKER =>
            {
                if self.summary_at.is_none()
                    && self.heading.is_none()
                    && self.footnote_def.is_none()
                {
                    self.summary_at = Some(self.out.len());
                }
            }
            // A disabled checkbox still needs an accessible name (WCAG 4.1.2).
            Event::TaskListMarker(done) => {
                let label = escape_html(&self.opts.alert_titles[if done { 5 } else { 6 }]);
                let checked = if done { " checked" } else { "" };
                self.emit(Event::InlineHtml(
                    format!("<input type=\"checkbox\" disabled{checked} aria-label=\"{label}\"> ")
                        .into(),
                ));
            }
            Event::Start(Tag::CodeBlock(_)) => {
                self.in_code_block = true;
                self.emit(event);
            }
            Event::End(TagEnd::CodeBlock) => {
                self.in_code_block = false;
                self.emit(event);
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                if !self.in_code_block {
                    self.result.counts.add(count_text(t));
                }
                if let Some(h) = &mut self.heading {
                    h.text.push_str(t);
                } else if let Some((text, _)) = &mut self.term {
                    text.push_str(t);
                }
                self.emit(event);
            }
            other => self.emit(other),
        }
    }

    fn close_heading(&mut self) {
        let Some(h) = self.heading.take() else { return };
        // `{id=x}` is the same wish as `{#x}`; written once, it stays one id attribute.
        let id_attr = h.attrs.iter().find(|(k, _)| k.as_ref() == "id");
        let wanted = match (&h.id, id_attr) {
            (Some(id), _) => id.clone(),
            (None, Some((_, Some(v)))) => v.to_string(),
            _ => slugify(&h.text),
        };
        let id = self.unique_id(&wanted);
        let level = h.level as u8;
        let mut open = format!("<h{level} id=\"{}\"", escape_html(&id));
        if !h.classes.is_empty() {
            let classes: Vec<&str> = h.classes.iter().map(|c| c.as_ref()).collect();
            open.push_str(&format!(" class=\"{}\"", escape_html(&classes.join(" "))));
        }
        for (k, v) in h.attrs.iter().filter(|(k, _)| k.as_ref() != "id") {
            match v {
                Some(v) => open.push_str(&format!(" {}=\"{}\"", escape_html(k), escape_html(v))),
                None => open.push_str(&format!(" {}", escape_html(k))),
            }
        }
        open.push('>');
        self.emit(Event::Html(open.into()));
        for e in h.events {
            self.emit(e);
        }
        self.emit(Event::Html(format!("</h{level}>\n").into()));
        self.add_anchor(id.clone());
        if self.footnote_def.is_none() {
            self.flat_toc.push((level, id, h.text.trim().to_string()));
        }
    }

    fn footnote_reference(&mut self, label: &str) -> String {
        let next = self.footnotes.len() + 1;
        if !self.footnotes.contains_key(label) {
            let id = self.unique_id(&format!("fn-{}", slugify(label)));
            let first_ref = self.unique_id(&format!("ref-{id}"));
            self.footnotes.insert(
                label.to_string(),
                Footnote {
                    id,
                    number: next,
                    refs: 0,
                    first_ref,
                },
            );
        }
        let Some(f) = self.footnotes.get_mut(label) else {
            return String::new();
        };
        f.refs += 1;
        let (id, number, refs) = (f.id.clone(), f.number, f.refs);
        let ref_id = if refs == 1 {
            f.first_ref.clone()
        } else {
            self.unique_id(&format!("ref-{id}-{refs}"))
        };
        format!("<sup class=\"footnote-ref\"><a href=\"#{id}\" id=\"{ref_id}\">{number}</a></sup>")
    }

    /// Rewrites an `@/path.md#anchor` destination to the target's URL.
    fn resolve(&mut self, dest: CowStr<'a>, range: std::ops::Range<usize>) -> CowStr<'a> {
        let Some(rest) = dest.strip_prefix("@/") else {
            return dest;
        };
        let (path, anchor) = match rest.split_once('#') {
            Some((p, a)) => (p, Some(a)),
            None => (rest, None),
        };
        match (self.opts.resolve)(path) {
            Ok(resolved) => {
                self.result
                    .links
                    .push((path.to_string(), resolved.url.clone()));
                if let Some(anchor) = anchor {
                    self.result.anchor_checks.push(AnchorCheck {
                        target: resolved.target,
                        anchor: anchor.to_string(),
                        offset: range.start,
                        len: range.len(),
                    });
                    format!("{}#{anchor}", resolved.url).into()
                } else {
                    resolved.url.into()
                }
            }
            Err(message) if message.is_empty() => dest,
            Err(message) => {
                self.result.problems.push(BodyProblem {
                    offset: range.start,
                    len: range.len(),
                    message,
                });
                dest
            }
        }
    }

    fn finish(mut self) -> Rendered {
        let mut html = String::with_capacity(self.out.len() * 16);
        if let Some(at) = self.summary_at {
            let mut summary = String::new();
            pulldown_cmark::html::push_html(&mut summary, self.out[..at].iter().cloned());
            self.result.summary = Some(without_inline_styles(summary));
        }
        pulldown_cmark::html::push_html(&mut html, self.out.into_iter());
        // A definition nobody refers to is dropped, as GitHub does.
        let mut footnotes: Vec<(String, Footnote)> = self.footnotes.into_iter().collect();
        footnotes.sort_by_key(|(_, f)| f.number);
        if !footnotes.is_empty() {
            html.push_str("<section class=\"footnotes\"><ol>");
            for (label, f) in footnotes {
                let def = self.definitions.remove(&label);
                let (mut events, anchors) =
                    def.map_or_else(Default::default, |d| (d.events, d.anchors));
                self.result.anchors.push(f.id.clone());
                self.result.anchors.extend(anchors);
                html.push_str(&format!("<li id=\"{}\">", f.id));
                let back = format!(
                    " <a href=\"#{}\" class=\"footnote-back\" aria-label=\"{}\">↩</a>",
                    f.first_ref, f.number
                );
                // Put the back link inside the last paragraph, not on a line of its own.
                if matches!(events.last(), Some(Event::End(TagEnd::Paragraph))) {
                    events.insert(events.len() - 1, Event::InlineHtml(back.into()));
                    pulldown_cmark::html::push_html(&mut html, events.into_iter());
                } else {
                    pulldown_cmark::html::push_html(&mut html, events.into_iter());
                    html.push_str(&back);
                }
                html.push_str("</li>");
            }
            html.push_str("</ol></section>\n");
        }
        self.result.html = without_inline_styles(html);
        self.result.toc = build_toc(&self.flat_toc);
        self.result
    }
}

/// Table alignment becomes a class: a strict Content-Security-Policy blocks `style=""`.
/// Only cell tags are rewritten: text keeps its `"`, so a code sample may hold the same
/// words, but never a literal `<td` (its `<` is escaped).
fn without_inline_styles(html: String) -> String {
    if !html.contains(" style=\"text-align: ") {
        return html;
    }
    let cells = ["th", "td"].iter().flat_map(|c| {
        ["left", "center", "right"].map(|a| {
            (
                format!("<{c} style=\"text-align: {a}\""),
                format!("<{c} class=\"align-{a}\""),
            )
        })
    });
    cells.fold(html, |h, (from, to)| h.replace(&from, &to))
}

fn alert_class(kind: BlockQuoteKind) -> (&'static str, usize) {
    match kind {
        BlockQuoteKind::Note => ("note", 0),
        BlockQuoteKind::Tip => ("tip", 1),
        BlockQuoteKind::Important => ("important", 2),
        BlockQuoteKind::Warning => ("warning", 3),
        BlockQuoteKind::Caution => ("caution", 4),
    }
}

/// Nests a flat list of headings: each heading holds the deeper ones that follow it.
fn build_toc(flat: &[(u8, String, String)]) -> Vec<TocEntry> {
    fn take(flat: &[(u8, String, String)], i: &mut usize, parent_level: u8) -> Vec<TocEntry> {
        let mut entries = Vec::new();
        while *i < flat.len() && flat[*i].0 > parent_level {
            let (level, id, title) = &flat[*i];
            *i += 1;
            let children = take(flat, i, *level);
            entries.push(TocEntry {
                level: *level,
                id: id.clone(),
                title: title.clone(),
                children,
            });
        }
        entries
    }
    let mut i = 0;
    let mut all = Vec::new();
    while i < flat.len() {
        all.extend(take(flat, &mut i, 0));
    }
    all
}

#[cfg(test)]
mod tests {
    use super::super::{Resolved, default_alert_titles};
    use super::*;

    fn md(body: &str) -> Rendered {
        let titles = default_alert_titles("en");
        let resolve = |p: &str| match p {
            "guides/telegram.md" => Ok(Resolved {
                url: "/guides/telegram/".into(),
                target: 7,
            }),
            _ => Err(format!("no page `@/{p}`")),
        };
        render(
            body,
            &Options {
                alert_titles: &titles,
                resolve: &resolve,
                smart_punctuation: true,
            },
        )
    }

    #[test]
    fn smart_punctuation_only_where_it_works() {
        let titles = default_alert_titles("ko");
        let resolve = |_: &str| Err(String::new());
        let opts = Options {
            alert_titles: &titles,
            resolve: &resolve,
            smart_punctuation: false,
        };
        let ko = render("이것을 '던지기'라고 해요.", &opts);
        assert!(ko.html.contains("'던지기'"), "{}", ko.html);
        assert!(md("It's \"quoted\"").html.contains("It’s “quoted”"));
    }

    #[test]
    fn heading_ids_keep_unicode_and_dedupe() {
        let r = md("# 텔레그램 비밀 대화\n\n## Intro\n\n## Intro\n\n## Custom {#mine}\n");
        assert!(
            r.html.contains("<h1 id=\"텔레그램-비밀-대화\">"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<h2 id=\"intro\">") && r.html.contains("<h2 id=\"intro-1\">"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<h2 id=\"mine\">"), "{}", r.html);
        assert_eq!(r.toc.len(), 1);
        assert_eq!(r.toc[0].children.len(), 3);
    }

    #[test]
    fn alerts_become_titled_callouts() {
        let r = md("> [!WARNING]\n> Never pick up a package.\n");
        assert!(r.html.contains("<div class=\"callout callout-warning\" role=\"note\"><p class=\"callout-title\">Warning</p>"), "{}", r.html);
        assert!(!r.html.contains("blockquote"), "{}", r.html);
    }

    #[test]
    fn footnotes_are_prefixed_and_collected_at_the_end() {
        let r = md("Claim[^1] and again[^1].\n\n[^1]: UNODC, 2025.\n\nAfter.\n");
        assert!(
            r.html.contains("href=\"#fn-1\" id=\"ref-fn-1\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("id=\"ref-fn-1-2\""), "{}", r.html);
        let notes = r
            .html
            .find("<section class=\"footnotes\">")
            .expect("footnotes section");
        assert!(r.html.find("After.").expect("text") < notes);
        assert!(
            r.html
                .contains("<li id=\"fn-1\"><p>UNODC, 2025. <a href=\"#ref-fn-1\""),
            "{}",
            r.html
        );
        assert!(!r.html.contains("id=\"1\""));
    }

    #[test]
    fn internal_links_resolve_or_report() {
        let r = md("[a](@/guides/telegram.md#how) [b](@/nope.md)");
        assert!(
            r.html.contains("href=\"/guides/telegram/#how\""),
            "{}",
            r.html
        );
        assert_eq!(r.anchor_checks.len(), 1);
        assert_eq!(r.anchor_checks[0].anchor, "how");
        assert_eq!(r.problems.len(), 1);
        assert_eq!(r.problems[0].offset, "[a](@/guides/telegram.md#how) ".len());
    }

    #[test]
    fn table_alignment_uses_classes_not_styles() {
        let r = md("| a | b |\n|:--|--:|\n| 1 | 2 |\n");
        assert!(
            r.html.contains("<th class=\"align-left\">a</th>"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<td class=\"align-right\">2</td>"),
            "{}",
            r.html
        );
        assert!(!r.html.contains("style="), "{}", r.html);
    }

    #[test]
    fn definition_terms_are_defining_instances_with_anchors() {
        let r = md("Dead drop\n: A hidden package.\n");
        assert!(
            r.html
                .contains("<dt id=\"dead-drop\"><dfn>Dead drop</dfn></dt>"),
            "{}",
            r.html
        );
        assert!(r.anchors.contains(&"dead-drop".to_string()));
    }

    #[test]
    fn task_list_boxes_have_names() {
        let r = md("- [x] done\n- [ ] open\n");
        assert!(
            r.html
                .contains("<input type=\"checkbox\" disabled checked aria-label=\"Done\">"),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("<input type=\"checkbox\" disabled aria-label=\"To do\">"),
            "{}",
            r.html
        );
    }

    #[test]
    fn summary_marker_splits() {
        let r = md("First para.\n\n<!-- more -->\n\nRest.");
        assert_eq!(r.summary.as_deref(), Some("<p>First para.</p>\n"));
        assert!(r.html.contains("Rest."));
    }

    #[test]
    fn code_is_not_counted_as_reading() {
        let r = md("one two\n\n```\nlots of code words here\n```\n");
        assert_eq!(r.counts.words, 2);
    }
}
