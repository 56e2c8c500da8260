//! The inverted index of one language: which pages hold which terms, with a BM25 score
//! per (term, page) computed here, so the browser only adds numbers.
//!
//! What is indexed: every page and section of the language's own tree (not fallback
//! copies of another language's text, not drafts, not pages with `extra.noindex`). A
//! term's frequency is weighted by where it stands: title ×4, headings ×2, body ×1.

use super::shards::MAX_POSTINGS;
use super::tokenize::{self, Word};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use rustc_hash::FxHashMap;
use std::collections::HashMap;
use std::sync::Arc;

/// BM25 parameters (the usual ones).
const K1: f64 = 1.2;
const B: f64 = 0.75;
const TITLE_WEIGHT: u32 = 4;
const HEADING_WEIGHT: u32 = 2;
/// Characters of a page's text kept for its excerpt.
pub const EXCERPT_CHARS: usize = 280;

/// One page as the index shows it in results.
#[derive(Debug, Clone, Default, PartialEq)]
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
/// Borrowed from the loaded documents: a language's sources are not copied.
#[derive(Debug, Clone, Default)]
pub struct Source<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub section: &'a str,
    pub description: Option<&'a str>,
    /// The Markdown body.
    pub markdown: &'a str,
}

/// The terms and stems an [`Analyser`] numbered, shared by the pages it analysed: a
/// page's counts are pairs of numbers, not strings (a third of the memory, and an index
/// built from them looks each distinct term up once, not once per page).
#[derive(Debug, Default)]
pub struct Vocabulary {
    pub terms: Vec<Arc<str>>,
    /// (surface word, Snowball stem), where they differ.
    pub stems: Vec<(Arc<str>, Arc<str>)>,
}

/// A page's weighted term frequencies and length: what the index needs of it, and all
/// that a rebuild must redo when the page changes.
#[derive(Debug, Clone, Default)]
pub struct Analysed {
    pub doc: IndexDoc,
    pub vocabulary: Arc<Vocabulary>,
    /// Each of the page's terms once (a number in `vocabulary.terms`), with its weighted
    /// frequency.
    pub tf: Vec<(u32, u32)>,
    pub len: u32,
    /// The page's words whose stem the browser needs (numbers in `vocabulary.stems`).
    pub stems: Vec<u32>,
}

/// The finished index of one language.
#[derive(Debug, Clone, Default)]
pub struct Index {
    pub docs: Vec<IndexDoc>,
    /// Term -> (doc, score × 100), best first, at most [`MAX_POSTINGS`] per term.
    pub postings: FxHashMap<Arc<str>, Vec<(u32, u32)>>,
    /// Surface word -> stem, for the browser's English query words.
    pub stems: FxHashMap<Arc<str>, Arc<str>>,
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

/// What one distinct word turns into, worked out the first time an [`Analyser`] meets it.
struct Known {
    /// Its terms (forms, then bigrams), as the analyser's term numbers.
    terms: Box<[u32]>,
    /// Its (word, stem) pair's number, when the browser needs the word's stem.
    stem: Option<u32>,
    /// The last page that used it, so a page lists each stem once.
    last_page: u32,
}

/// Tokenises pages one after another. Words repeat far more than they vary, so each
/// distinct word is stemmed and cut into bigrams once, and a page's frequencies are
/// counted in a dense table by term number instead of a map of strings.
#[derive(Default)]
pub struct Analyser {
    words: FxHashMap<Box<str>, Known>,
    numbers: FxHashMap<Arc<str>, u32>,
    vocabulary: Vocabulary,
    /// Per term number, its weighted count on the current page (zero elsewhere).
    counts: Vec<u32>,
    /// The term numbers counted on the current page.
    touched: Vec<u32>,
    page: u32,
}

/// One page's counts, before its analyser's vocabulary is final.
struct Counted {
    doc: IndexDoc,
    tf: Vec<(u32, u32)>,
    len: u32,
    stems: Vec<u32>,
}

impl Analyser {
    /// Analyses pages in order, all sharing one vocabulary.
    pub fn analyse_all<'s>(sources: impl IntoIterator<Item = &'s Source<'s>>) -> Vec<Analysed> {
        let mut analyser = Analyser::default();
        let counted: Vec<Counted> = sources
            .into_iter()
            .map(|s| analyser.count_page(s))
            .collect();
        let vocabulary = Arc::new(analyser.vocabulary);
        counted
            .into_iter()
            .map(|c| Analysed {
                doc: c.doc,
                vocabulary: vocabulary.clone(),
                tf: c.tf,
                len: c.len,
                stems: c.stems,
            })
            .collect()
    }

    /// Tokenises one page (the expensive part; pages are independent).
    fn count_page(&mut self, src: &Source) -> Counted {
        self.page += 1;
        let (headings, body) = plain_text(src.markdown);
        let desc = src.description.unwrap_or_default();
        let mut len = 0;
        let mut stems = Vec::new();
        let texts = [
            (src.title, TITLE_WEIGHT),
            (&headings, HEADING_WEIGHT),
            (desc, 1),
            (&body, 1),
        ];
        for (text, weight) in texts {
            tokenize::for_each_word(&tokenize::normalise(text), |w| {
                len += weight;
                self.count(w, weight, &mut stems);
            });
        }
        let tf = self
            .touched
            .drain(..)
            .map(|n| (n, std::mem::take(&mut self.counts[n as usize])))
            .collect();
        let excerpt_from = if desc.trim().is_empty() { &body } else { desc };
        Counted {
            doc: IndexDoc {
                title: src.title.to_string(),
                url: src.url.to_string(),
                section: src.section.to_string(),
                excerpt: excerpt(excerpt_from),
            },
            tf,
            len,
            stems,
        }
    }

    fn count(&mut self, word: &str, weight: u32, stems: &mut Vec<u32>) {
        let known = match self.words.get_mut(word) {
            Some(known) => known,
            None => {
                let known = self.learn(word);
                self.words.entry(word.into()).or_insert(known)
            }
        };
        if known.last_page != self.page {
            known.last_page = self.page;
            stems.extend(known.stem);
        }
        for &n in &known.terms {
            let count = &mut self.counts[n as usize];
            if *count == 0 {
                self.touched.push(n);
            }
            *count += weight;
        }
    }

    fn learn(&mut self, word: &str) -> Known {
        let analysed = tokenize::analyse_word(word, &tokenize::stem);
        let terms = analysed.terms().map(|t| self.number(t)).collect();
        let stem = analysed
            .forms
            .first()
            .filter(|f| tokenize::is_stemmed(word) && f.as_str() != word);
        let stem = stem.map(|s| {
            let stems = &mut self.vocabulary.stems;
            stems.push((Arc::from(word), Arc::from(s.as_str())));
            u32::try_from(stems.len() - 1).unwrap_or(u32::MAX)
        });
        Known {
            terms,
            stem,
            last_page: 0,
        }
    }

    fn number(&mut self, term: &str) -> u32 {
        if let Some(&n) = self.numbers.get(term) {
            return n;
        }
        let terms = &mut self.vocabulary.terms;
        let n = u32::try_from(terms.len()).unwrap_or(u32::MAX);
        let term: Arc<str> = Arc::from(term);
        self.numbers.insert(term.clone(), n);
        terms.push(term);
        self.counts.push(0);
        n
    }
}

/// Tokenises one page on its own (tests, small indexes).
pub fn analyse(src: &Source) -> Analysed {
    Analyser::analyse_all([src]).pop().unwrap_or_default()
}

/// The first [`EXCERPT_CHARS`] characters, whitespace collapsed, cut at a space. Only
/// the start of the text is looked at.
fn excerpt(text: &str) -> String {
    let mut collapsed = String::new();
    let mut chars = 0;
    for word in text.split_whitespace() {
        if chars > EXCERPT_CHARS {
            break;
        }
        if !collapsed.is_empty() {
            collapsed.push(' ');
            chars += 1;
        }
        collapsed.push_str(word);
        chars += word.chars().count();
    }
    if chars <= EXCERPT_CHARS {
        return collapsed;
    }
    let cut: String = collapsed.chars().take(EXCERPT_CHARS).collect();
    match cut.rfind(' ') {
        Some(i) if i > cut.len() / 2 => format!("{}…", &cut[..i]),
        _ => format!("{cut}…"),
    }
}

/// One term's (page, count or score) pairs.
type Postings = Vec<(u32, u32)>;

/// Every page's (page, weighted count) pairs by term: the index's term names, and per
/// name its list. Each vocabulary's numbers are mapped to the index's once, not once per
/// page.
fn merge(pages: &[Arc<Analysed>]) -> (Vec<&Arc<str>>, Vec<Postings>) {
    let mut numbers: FxHashMap<&str, u32> = FxHashMap::default();
    let mut names: Vec<&Arc<str>> = Vec::new();
    let mut tables: FxHashMap<*const Vocabulary, Vec<u32>> = FxHashMap::default();
    let mut postings: Vec<Postings> = Vec::new();
    for (d, p) in pages.iter().enumerate() {
        let table = tables.entry(Arc::as_ptr(&p.vocabulary)).or_insert_with(|| {
            p.vocabulary
                .terms
                .iter()
                .map(|t| {
                    *numbers.entry(t).or_insert_with(|| {
                        names.push(t);
                        postings.push(Vec::new());
                        u32::try_from(names.len() - 1).unwrap_or(u32::MAX)
                    })
                })
                .collect()
        });
        let d = u32::try_from(d).unwrap_or(u32::MAX);
        for &(t, tf) in &p.tf {
            if let Some(list) = table
                .get(t as usize)
                .and_then(|&g| postings.get_mut(g as usize))
            {
                list.push((d, tf));
            }
        }
    }
    (names, postings)
}

/// Best first, then by page.
fn by_score(a: &(u32, u32), b: &(u32, u32)) -> std::cmp::Ordering {
    b.1.cmp(&a.1).then(a.0.cmp(&b.0))
}

/// Scores every (term, page) pair with BM25 over the analysed pages, and keeps each
/// term's [`MAX_POSTINGS`] best pages: a common bigram on a 10,000-page site would
/// otherwise fill a shard on its own, and the browser would only show the best anyway.
pub fn build(pages: &[Arc<Analysed>]) -> Index {
    let n = pages.len().max(1) as f64;
    let avg = (pages.iter().map(|p| f64::from(p.len)).sum::<f64>() / n).max(1.0);
    let (names, mut postings) = merge(pages);
    let norms: Vec<f64> = pages
        .iter()
        .map(|p| K1 * (1.0 - B + B * f64::from(p.len) / avg))
        .collect();
    for list in &mut postings {
        let df = list.len() as f64;
        let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
        for (d, tf) in list.iter_mut() {
            let tf_ = f64::from(*tf);
            let score = idf * tf_ * (K1 + 1.0) / (tf_ + norms[*d as usize]);
            *tf = (score * 100.0).round().max(1.0) as u32;
        }
        if list.len() > MAX_POSTINGS {
            list.select_nth_unstable_by(MAX_POSTINGS - 1, by_score);
            list.truncate(MAX_POSTINGS);
        }
        list.sort_unstable_by(by_score);
    }
    let postings = names
        .into_iter()
        .cloned()
        .zip(postings)
        .filter(|(_, list)| !list.is_empty())
        .collect();
    let mut stems = FxHashMap::default();
    let mut docs = Vec::with_capacity(pages.len());
    for p in pages {
        for &s in &p.stems {
            if let Some((word, stem)) = p.vocabulary.stems.get(s as usize) {
                stems.insert(word.clone(), stem.clone());
            }
        }
        docs.push(p.doc.clone());
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
        if let Some(s) = index.stems.get(c.as_str()) {
            return s.to_string();
        }
        if index.postings.contains_key(c.as_str()) {
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
        for &(d, s) in index.postings.get(f.as_str()).into_iter().flatten() {
            let e = out.entry(d).or_insert(0.0);
            *e = e.max(f64::from(s));
        }
    }
    if word.grams.is_empty() {
        return out;
    }
    let mut sum: HashMap<u32, (usize, f64)> = HashMap::new();
    for g in &word.grams {
        for &(d, s) in index.postings.get(g.as_str()).into_iter().flatten() {
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
