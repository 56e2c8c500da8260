//! The inverted index of one language: which pages hold which terms, with a BM25 score
//! per (term, page) computed here, so the browser only adds numbers.
//!
//! What is indexed: every page and section of the language's own tree (not fallback
//! copies of another language's text, not drafts, not pages with `extra.noindex`). A
//! term's frequency is weighted by where it stands: title ×4, headings ×2, body ×1.

use super::tokenize::{self, Word};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use std::collections::{BTreeMap, HashMap};

/// BM25 parameters (the usual ones).
const K1: f64 = 1.2;
const B: f64 = 0.75;
const TITLE_WEIGHT: u32 = 4;
const HEADING_WEIGHT: u32 = 2;
/// Characters of a page's text kept for its excerpt.
pub const EXCERPT_CHARS: usize = 280;

/// One page as the index shows it in results.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexDoc {
    pub title: String,
    /// Site path (`/guides/x/`).
    pub url: String,
    /// The title of the section the page is in (empty at the top).
    pub section: String,
    /// The description, else the start of the text: what the excerpt is cut from.
    pub excerpt: String,
}

/// What a page contributes before scoring: its display fields and its raw texts.
#[derive(Debug, Clone, Default)]
pub struct Source {
    pub title: String,
    pub url: String,
    pub section: String,
    pub description: Option<String>,
    /// The Markdown body.
    pub markdown: String,
}

/// A page's weighted term frequencies and length.
#[derive(Debug, Clone, Default)]
pub struct Analysed {
    pub doc: Option<IndexDoc>,
    pub tf: HashMap<String, u32>,
    pub len: u32,
    /// Surface word -> Snowball stem, where they differ.
    pub stems: HashMap<String, String>,
}

/// The finished index of one language.
#[derive(Debug, Clone, Default)]
pub struct Index {
    pub docs: Vec<IndexDoc>,
    /// Term -> (doc, score × 100), best first.
    pub postings: BTreeMap<String, Vec<(u32, u32)>>,
    /// Surface word -> stem, for the browser's English query words.
    pub stems: BTreeMap<String, String>,
}

/// The plain text of a Markdown body, as (headings, body) texts. HTML is left out.
pub fn plain_text(markdown: &str) -> (String, String) {
    let (mut headings, mut body) = (String::new(), String::new());
    let mut in_heading = false;
    for event in Parser::new(markdown) {
        let target = if in_heading { &mut headings } else { &mut body };
        match event {
            Event::Start(Tag::Heading { .. }) => in_heading = true,
            Event::End(TagEnd::Heading(_)) => {
                in_heading = false;
                headings.push('\n');
            }
            Event::Text(t) | Event::Code(t) => target.push_str(&t),
            Event::SoftBreak | Event::HardBreak => target.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => target.push(' '),
            _ => {}
        }
    }
    (headings, body)
}

fn add_words(words: &[Word], weight: u32, a: &mut Analysed) {
    for w in words {
        for t in w.terms() {
            *a.tf.entry(t.clone()).or_insert(0) += weight;
        }
        a.len += weight;
    }
}

fn note_stems(text: &str, a: &mut Analysed) {
    for w in tokenize::raw_words(text) {
        if w.starts_with(|c: char| ('\u{AC00}'..='\u{D7A3}').contains(&c)) {
            continue;
        }
        if tokenize::synonyms().contains_key(&w) || a.stems.contains_key(&w) {
            continue;
        }
        let s = tokenize::stem(&w);
        if s != w {
            a.stems.insert(w, s);
        }
    }
}

/// Tokenises one page (the expensive part; pages are independent).
pub fn analyse(src: &Source) -> Analysed {
    let (headings, body) = plain_text(&src.markdown);
    let mut a = Analysed::default();
    add_words(&tokenize::analyse(&src.title), TITLE_WEIGHT, &mut a);
    add_words(&tokenize::analyse(&headings), HEADING_WEIGHT, &mut a);
    let desc = src.description.clone().unwrap_or_default();
    add_words(&tokenize::analyse(&desc), 1, &mut a);
    add_words(&tokenize::analyse(&body), 1, &mut a);
    for text in [&src.title, &headings, &desc, &body] {
        note_stems(text, &mut a);
    }
    let excerpt_from = if desc.trim().is_empty() { &body } else { &desc };
    a.doc = Some(IndexDoc {
        title: src.title.clone(),
        url: src.url.clone(),
        section: src.section.clone(),
        excerpt: excerpt(excerpt_from),
    });
    a
}

/// The first [`EXCERPT_CHARS`] characters, whitespace collapsed, cut at a space.
fn excerpt(text: &str) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() <= EXCERPT_CHARS {
        return collapsed;
    }
    let cut: String = collapsed.chars().take(EXCERPT_CHARS).collect();
    match cut.rfind(' ') {
        Some(i) if i > cut.len() / 2 => format!("{}…", &cut[..i]),
        _ => format!("{cut}…"),
    }
}

/// Scores every (term, page) pair with BM25 over the analysed pages.
pub fn build(pages: Vec<Analysed>) -> Index {
    let n = pages.len().max(1) as f64;
    let avg = pages.iter().map(|p| p.len as f64).sum::<f64>() / n;
    let mut df: HashMap<&str, u32> = HashMap::new();
    for p in &pages {
        for t in p.tf.keys() {
            *df.entry(t.as_str()).or_insert(0) += 1;
        }
    }
    let mut postings: BTreeMap<String, Vec<(u32, u32)>> = BTreeMap::new();
    for (d, p) in pages.iter().enumerate() {
        let norm = K1 * (1.0 - B + B * p.len as f64 / avg.max(1.0));
        for (t, &tf) in &p.tf {
            let df = f64::from(df.get(t.as_str()).copied().unwrap_or(1));
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
            let tf = f64::from(tf);
            let score = idf * tf * (K1 + 1.0) / (tf + norm);
            let q = (score * 100.0).round().max(1.0) as u32;
            postings.entry(t.clone()).or_default().push((d as u32, q));
        }
    }
    for list in postings.values_mut() {
        list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    }
    let mut stems = BTreeMap::new();
    let mut docs = Vec::with_capacity(pages.len());
    for p in pages {
        stems.extend(p.stems);
        docs.extend(p.doc);
    }
    Index {
        docs,
        postings,
        stems,
    }
}

/// English endings the browser tries to take off a query word that is not in the
/// index's stem table (the table only knows the index's own words: "sentencing" is
/// found through "sentenc", the stem of "sentences").
pub const QUERY_SUFFIXES: &[&str] = &["ing", "ed", "es", "s", "ly"];

/// The word and its shorter candidates, in the order they are tried.
pub fn stem_candidates(word: &str) -> Vec<String> {
    let mut out = vec![word.to_string()];
    for suffix in QUERY_SUFFIXES {
        if let Some(rest) = word.strip_suffix(suffix)
            && rest.chars().count() >= 3
        {
            out.push(rest.to_string());
        }
    }
    out
}

/// A query word's index term: the stem table's entry for the first candidate that has
/// one, else the first candidate that is a term, else the word.
pub fn query_stem(index: &Index, word: &str) -> String {
    for c in stem_candidates(word) {
        if let Some(s) = index.stems.get(&c) {
            return s.clone();
        }
        if index.postings.contains_key(&c) {
            return c;
        }
    }
    word.to_string()
}

/// One query word's terms, as the browser looks them up.
fn query_words(index: &Index, query: &str) -> Vec<Word> {
    tokenize::raw_words(query)
        .iter()
        .map(|w| tokenize::analyse_word(w, &|x| query_stem(index, x)))
        .collect()
}

/// A word's score on each page: its best form, or (for a compound's part) the mean of
/// its bigrams when the page has all of them, at half weight.
fn word_scores(index: &Index, word: &Word) -> HashMap<u32, f64> {
    let mut out: HashMap<u32, f64> = HashMap::new();
    for f in &word.forms {
        for &(d, s) in index.postings.get(f).into_iter().flatten() {
            let e = out.entry(d).or_insert(0.0);
            *e = e.max(f64::from(s));
        }
    }
    if word.grams.is_empty() {
        return out;
    }
    let mut sum: HashMap<u32, (usize, f64)> = HashMap::new();
    for g in &word.grams {
        for &(d, s) in index.postings.get(g).into_iter().flatten() {
            let e = sum.entry(d).or_insert((0, 0.0));
            e.0 += 1;
            e.1 += f64::from(s);
        }
    }
    let n = word.grams.len();
    for (d, (hits, total)) in sum {
        if hits == n {
            let e = out.entry(d).or_insert(0.0);
            *e = e.max(total / n as f64 / 2.0);
        }
    }
    out
}

/// Searches like `search.js` does: pages holding every query word first, ranked by the
/// sum of the words' scores; if none holds them all, pages holding any. Returns doc ids.
pub fn search(index: &Index, query: &str) -> Vec<u32> {
    let per_word: Vec<HashMap<u32, f64>> = query_words(index, query)
        .iter()
        .map(|w| word_scores(index, w))
        .collect();
    let mut total: HashMap<u32, (usize, f64)> = HashMap::new();
    for scores in &per_word {
        for (&d, &s) in scores {
            let e = total.entry(d).or_insert((0, 0.0));
            e.0 += 1;
            e.1 += s;
        }
    }
    let all = per_word.len();
    let mut hits: Vec<(u32, (usize, f64))> = total.into_iter().collect();
    hits.sort_by(|a, b| {
        let full = |h: &(u32, (usize, f64))| h.1.0 == all;
        full(b)
            .cmp(&full(a))
            .then(b.1.1.total_cmp(&a.1.1))
            .then(a.0.cmp(&b.0))
    });
    hits.into_iter().map(|h| h.0).collect()
}
