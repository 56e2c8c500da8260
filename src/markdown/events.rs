//! The event pass over pulldown-cmark's output: heading ids, callouts, footnotes at the end,
//! `@/` links, the summary marker and word counts, in one walk.

use super::directives::{self, CLOSE_MARK, Directive, OPEN_MARK};
use super::{
    AnchorCheck, BodyProblem, Options, Rendered, TocEntry, Unresolved, count_text, escape_html,
};
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
    let scanned = directives::scan(body);
    let mut pass = Pass::new(opts, body);
    pass.result
        .problems
        .extend(scanned.problems.iter().cloned());
    pass.directives = &scanned.directives;
    let events =
        Parser::new_ext(&scanned.text, parser_options(opts.smart_punctuation)).into_offset_iter();
    for (event, range) in events {
        // The HtmlBlock start and end around a marker write nothing; they pass through.
        match marker(&event) {
            Some(Mark::Open(k)) => pass.open_component(k),
            Some(Mark::Close(k)) => pass.close_component(k),
            None => {
                let range = scanned.original(range.start)..scanned.original(range.end);
                pass.event(event, range);
            }
        }
    }
    pass.finish()
}

enum Mark {
    Open(usize),
    Close(usize),
}

/// A directive marker left by [`directives::scan`].
fn marker(e: &Event) -> Option<Mark> {
    let Event::Html(html) = e else { return None };
    let html = html.trim_end();
    let number = |rest: &str| rest.strip_suffix("-->").and_then(|n| n.parse().ok());
    if let Some(rest) = html.strip_prefix(OPEN_MARK) {
        return number(rest).map(Mark::Open);
    }
    html.strip_prefix(CLOSE_MARK)
        .and_then(number)
        .map(Mark::Close)
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
    /// The body as written (raw HTML is checked there, at its original offsets).
    src: &'o str,
    directives: &'o [Directive],
    /// Open components, innermost last: directive index and the events of its body.
    components: Vec<(usize, Vec<Event<'a>>)>,
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
    /// Per wanted id, the next suffix worth trying: suffixes below it are taken.
    next_suffix: HashMap<String, usize>,
    flat_toc: Vec<(u8, String, String)>,
    in_code_block: bool,
    table: Table,
    /// The image whose alt text is being read: its source range, and whether it has any.
    image_alt: Option<(std::ops::Range<usize>, bool)>,
    result: Rendered,
}

/// The table being written: cells get their alignment as a class, never as `style=""`
/// (a strict Content-Security-Policy blocks inline styles).
#[derive(Default)]
struct Table {
    alignments: Vec<pulldown_cmark::Alignment>,
    in_head: bool,
    body_open: bool,
    column: usize,
}

impl<'o, 'a> Pass<'o, 'a> {
    fn new(opts: &'o Options<'o>, src: &'o str) -> Self {
        Pass {
            opts,
            src,
            directives: &[],
            components: Vec::new(),
            out: Vec::new(),
            summary_at: None,
            heading: None,
            term: None,
            footnote_def: None,
            footnotes: HashMap::new(),
            definitions: HashMap::new(),
            ids: HashSet::new(),
            next_suffix: HashMap::new(),
            flat_toc: Vec::new(),
            in_code_block: false,
            table: Table::default(),
            image_alt: None,
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
        } else if let Some((_, events)) = self.components.last_mut() {
            events.push(e);
        } else {
            self.out.push(e);
        }
    }

    fn open_component(&mut self, k: usize) {
        self.components.push((k, Vec::new()));
    }

    /// Renders the body of the innermost component and hands it to the component
    /// callback; what comes back is emitted as HTML (the body alone if it failed).
    fn close_component(&mut self, k: usize) {
        // Markers nest as the directives do; anything else came from raw HTML.
        if self.components.last().map(|(open, _)| *open) != Some(k) {
            return;
        }
        let Some((_, events)) = self.components.pop() else {
            return;
        };
        let mut body = String::new();
        pulldown_cmark::html::push_html(&mut body, events.into_iter());
        let Some(d) = self.directives.get(k) else {
            return;
        };
        let result = match self.opts.component {
            Some(render) => render(d, &body),
            None => Err(vec![super::ComponentProblem {
                arg: None,
                message: "components are not available here".into(),
            }]),
        };
        match result {
            Ok(html) => {
                // A component's images (`figure`) are published like Markdown images.
                self.result
                    .images
                    .extend(img_sources(&html).map(str::to_string));
                self.emit(Event::Html(html.into()))
            }
            Err(problems) => {
                for p in problems {
                    let (offset, len) = match p.arg.and_then(|a| d.args.get(a)) {
                        Some(a) => (a.offset, a.len),
                        None => (d.offset, d.len),
                    };
                    self.result.problems.push(BodyProblem {
                        offset,
                        len,
                        message: p.message,
                    });
                }
                self.emit(Event::Html(body.into()));
            }
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

    /// Makes `wanted` unique on the page: `x`, then `x-1`, `x-2`, skipping ids already
    /// taken (a heading literally called "x 1" takes `x-1`).
    ///
    /// Linear over a page: `next_suffix` remembers where the search for each wanted id
    /// stopped, and ids are never freed, so no suffix is tried twice for one base (the
    /// same result as trying from 1 every time, without the quadratic cost of 16,000
    /// headings called "Step").
    fn unique_id(&mut self, wanted: &str) -> String {
        let base = if wanted.is_empty() { "section" } else { wanted };
        if self.ids.insert(base.to_string()) {
            return base.to_string();
        }
        let next = self.next_suffix.entry(base.to_string()).or_insert(1);
        loop {
            let id = format!("{base}-{next}");
            *next += 1;
            if self.ids.insert(id.clone()) {
                return id;
            }
        }
    }

    fn event(&mut self, event: Event<'a>, range: std::ops::Range<usize>) {
        self.watch_alt_text(&event, &range);
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
                self.result.images.push(dest_url.to_string());
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
                    && self.components.is_empty()
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
            Event::Start(Tag::Table(alignments)) => {
                self.table = Table {
                    alignments,
                    ..Table::default()
                };
                self.emit(Event::Html("<table>".into()));
            }
            Event::End(TagEnd::Table) => {
                let close = if self.table.body_open {
                    "</tbody></table>\n"
                } else {
                    "</table>\n"
                };
                self.emit(Event::Html(close.into()));
            }
            Event::Start(Tag::TableHead) => {
                self.table.in_head = true;
                self.table.column = 0;
                self.emit(Event::Html("<thead><tr>".into()));
            }
            Event::End(TagEnd::TableHead) => {
                self.table.in_head = false;
                self.emit(Event::Html("</tr></thead>\n".into()));
            }
            Event::Start(Tag::TableRow) => {
                self.table.column = 0;
                let open = if self.table.body_open {
                    "<tr>"
                } else {
                    "<tbody>\n<tr>"
                };
                self.table.body_open = true;
                self.emit(Event::Html(open.into()));
            }
            Event::End(TagEnd::TableRow) => self.emit(Event::Html("</tr>\n".into())),
            Event::Start(Tag::TableCell) => {
                let html = self.table_cell_open();
                self.emit(Event::Html(html.into()));
            }
            Event::End(TagEnd::TableCell) => {
                self.table.column += 1;
                let tag = if self.table.in_head { "</th>" } else { "</td>" };
                self.emit(Event::Html(tag.into()));
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
            Event::Html(_) | Event::InlineHtml(_) => {
                if let Some(raw) = self.src.get(range.clone()) {
                    super::rawhtml::check(raw, range.start, &mut self.result.problems);
                }
                self.emit(event);
            }
            other => self.emit(other),
        }
    }

    fn table_cell_open(&self) -> String {
        use pulldown_cmark::Alignment;
        let tag = if self.table.in_head { "th" } else { "td" };
        let class = match self.table.alignments.get(self.table.column) {
            Some(Alignment::Left) => " class=\"align-left\"",
            Some(Alignment::Center) => " class=\"align-center\"",
            Some(Alignment::Right) => " class=\"align-right\"",
            _ => "",
        };
        format!("<{tag}{class}>")
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

    /// Notes images written without alt text (`![](pic.png)`): the text events between
    /// an image's start and end are its alt text.
    fn watch_alt_text(&mut self, event: &Event<'a>, range: &std::ops::Range<usize>) {
        match event {
            Event::Start(Tag::Image { .. }) => self.image_alt = Some((range.clone(), false)),
            Event::Text(t) | Event::Code(t) if !t.trim().is_empty() => {
                if let Some((_, seen)) = &mut self.image_alt {
                    *seen = true;
                }
            }
            Event::End(TagEnd::Image) => {
                if let Some((r, false)) = self.image_alt.take() {
                    self.result.unlabelled_images.push((r.start, r.len()));
                }
            }
            _ => {}
        }
    }

    /// Rewrites an `@/path.md#anchor` destination to the target's URL, a root-relative
    /// one (`/guides/`) to the same path under the site's base path, and a relative one
    /// (`diagram.svg`, next to a bundle's page) to a root path under the page's folder:
    /// the body is also shown on other pages (lists, booklets, feeds), where a relative
    /// path would point elsewhere. The emit stage makes root paths relative again.
    fn resolve(&mut self, dest: CowStr<'a>, range: std::ops::Range<usize>) -> CowStr<'a> {
        let Some(rest) = dest.strip_prefix("@/") else {
            return match dest.strip_prefix('/') {
                Some(rest) if !rest.starts_with('/') && self.opts.base_path != "/" => {
                    format!("{}{rest}", self.opts.base_path).into()
                }
                None if !self.opts.page_dir.is_empty() && is_page_relative(&dest) => {
                    format!("{}{}", self.opts.page_dir, dest).into()
                }
                _ => dest,
            };
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
            Err(Unresolved::Reported) => dest,
            Err(Unresolved::Problem(message)) => {
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
        // A component left open (only raw HTML imitating a marker can do that) keeps its
        // body on the page.
        while let Some((_, events)) = self.components.pop() {
            for e in events {
                self.emit(e);
            }
        }
        let mut html = String::with_capacity(self.out.len() * 16);
        let mut events = self.out.into_iter();
        if let Some(at) = self.summary_at {
            pulldown_cmark::html::push_html(&mut html, events.by_ref().take(at));
            self.result.summary = Some(html.clone());
        }
        pulldown_cmark::html::push_html(&mut html, events);
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
        self.result.html = html;
        self.result.toc = build_toc(&self.flat_toc);
        self.result
    }
}

/// A URL relative to the page it is written on: no scheme (`https:`, `mailto:`), not
/// root-relative, not a fragment or query of the page itself.
fn is_page_relative(url: &str) -> bool {
    let scheme = url
        .find(':')
        .is_some_and(|i| !url[..i].contains(['/', '?', '#']));
    !scheme && !url.is_empty() && !url.starts_with(['/', '#', '?'])
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

/// The `src` of every `<img>` in HTML a template wrote (`<img src="…"`).
fn img_sources(html: &str) -> impl Iterator<Item = &str> {
    html.split("<img ").skip(1).filter_map(|tag| {
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        let start = tag.find("src=\"")? + "src=\"".len();
        let len = tag[start..].find('"')?;
        Some(&tag[start..start + len])
    })
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
            _ => Err(Unresolved::Problem(format!("no page `@/{p}`"))),
        };
        render(
            body,
            &Options {
                alert_titles: &titles,
                resolve: &resolve,
                base_path: "/",
                page_dir: "",
                smart_punctuation: true,
                component: None,
            },
        )
    }

    #[test]
    fn smart_punctuation_only_where_it_works() {
        let titles = default_alert_titles("ko");
        let resolve = |_: &str| Err(Unresolved::Reported);
        let opts = Options {
            alert_titles: &titles,
            resolve: &resolve,
            base_path: "/",
            page_dir: "",
            smart_punctuation: false,
            component: None,
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

    /// Every `id="…"` of the page, in order.
    fn ids(html: &str) -> Vec<String> {
        html.split(" id=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .map(str::to_string)
            .collect()
    }

    /// The ids of the quadratic-time version, kept: a literal heading that looks like a
    /// generated id takes it, and the generated ones go around it.
    #[test]
    fn heading_ids_dedupe_around_literal_suffixes() {
        let r = md("# a\n\n# a\n\n# a-1\n\n# a\n\n# a-3\n\n# a\n\n# a\n\n# b {#a-5}\n\n# a\n");
        assert_eq!(
            ids(&r.html),
            [
                "a", "a-1", "a-1-1", "a-2", "a-3", "a-4", "a-5", "a-5-1", "a-6"
            ]
        );
        let r = md("# a-1\n\n# a\n\n# a\n\n#\n\n#\n");
        assert_eq!(ids(&r.html), ["a-1", "a", "a-2", "section", "section-1"]);
    }

    /// 20,000 headings with the same text: unique ids, `step` to `step-19999`. (Quadratic
    /// deduplication took minutes here; this runs in well under a second.)
    #[test]
    fn twenty_thousand_same_headings_get_unique_ids() {
        let n = 20_000;
        let r = md(&"## Step\n\n".repeat(n));
        let got = ids(&r.html);
        assert_eq!(got.len(), n);
        assert_eq!(got[0], "step");
        assert_eq!(got[n - 1], format!("step-{}", n - 1));
        let unique: HashSet<&String> = got.iter().collect();
        assert_eq!(unique.len(), n);
        let terms = md(&"Term\n: Definition\n\n".repeat(n));
        let got = ids(&terms.html);
        assert_eq!(got.len(), n);
        assert_eq!(got[n - 1], format!("term-{}", n - 1));
        assert_eq!(got.iter().collect::<HashSet<_>>().len(), n);
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
