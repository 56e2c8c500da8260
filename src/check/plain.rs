//! Plain language: how long sentences are (English words, Korean 어절, i.e. spaced
//! words), the share of long ones per page, and for English pages a Flesch-Kincaid
//! grade. The grade is an estimate: syllables are counted by a vowel-group heuristic.
//! A Korean page is never scored with an English formula; only its 어절 are counted.

use super::text::Block;
use super::{Context, Finding};
use crate::load::Document;

/// Fewer words than this and the grade says nothing.
const MIN_WORDS_FOR_GRADE: usize = 100;
/// Fewer sentences than this and a share says nothing.
const MIN_SENTENCES_FOR_SHARE: usize = 5;

/// One sentence: where it starts in the document and its words.
struct Sentence<'b> {
    offset: usize,
    words: Vec<&'b str>,
}

/// The plain-language rules on one page's text blocks.
pub fn check_doc(cx: &Context, doc: &Document, blocks: &[Block]) -> Vec<Finding> {
    let korean = doc.lang.starts_with("ko");
    let english = doc.lang == "en" || doc.lang.starts_with("en-");
    let sentences = sentences(blocks);
    let mut findings = Vec::new();
    let max = if korean {
        cx.config.max_sentence_words_ko
    } else {
        cx.config.max_sentence_words_en
    };
    let long: Vec<&Sentence> = sentences.iter().filter(|s| s.words.len() > max).collect();
    let share = long.len() as f64 / sentences.len().max(1) as f64;
    if sentences.len() >= MIN_SENTENCES_FOR_SHARE
        && share > cx.config.max_long_sentence_share
        && let Some(longest) = long.iter().max_by_key(|s| s.words.len())
    {
        {
            let unit = if korean { "어절" } else { "words" };
            findings.push(
                Finding::new(
                    "sentence-long",
                    doc.path.display().to_string(),
                    format!(
                        "{} of {} sentences are longer than {max} {unit} ({:.0}%, the site allows {:.0}%); the longest, here, has {}",
                        long.len(),
                        sentences.len(),
                        share * 100.0,
                        cx.config.max_long_sentence_share * 100.0,
                        longest.words.len()
                    ),
                )
                .at_offset(doc, longest.offset)
                .suggest("split long sentences: one idea per sentence"),
            );
        }
    }
    if english && let Some(grade) = grade(&sentences).filter(|g| *g > cx.config.max_grade) {
        {
            findings.push(
                Finding::new(
                    "reading-grade",
                    doc.path.display().to_string(),
                    format!("estimated reading grade {grade:.1} (Flesch-Kincaid), above the site's {:.1}", cx.config.max_grade),
                )
                .suggest("use shorter sentences and shorter words"),
            );
        }
    }
    findings
}

/// The page's sentences (headings left out: they are not sentences).
fn sentences(blocks: &[Block]) -> Vec<Sentence<'_>> {
    let mut out = Vec::new();
    for block in blocks.iter().filter(|b| !b.heading) {
        for (start, text) in split_sentences(&block.text) {
            let words: Vec<&str> = text
                .split_whitespace()
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .collect();
            if !words.is_empty() {
                out.push(Sentence {
                    offset: block.source_offset(start),
                    words,
                });
            }
        }
    }
    out
}

/// Splits on `.`, `?`, `!` (and their full-width forms) followed by a space or the end,
/// which also ends Korean sentences (`…다.`, `…요?`). A full stop between digits or
/// letters (`3.5`, `e.g.x`) does not end a sentence.
pub fn split_sentences(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !matches!(c, '.' | '?' | '!' | '。' | '？' | '！') {
            continue;
        }
        let next = chars.peek().map(|(_, n)| *n);
        let ends = match next {
            None => true,
            Some(n) => n.is_whitespace() || matches!(n, '"' | '\'' | ')' | '”' | '’'),
        };
        if ends {
            let end = i + c.len_utf8();
            out.push((start, &text[start..end]));
            start = end;
        }
    }
    if start < text.len() && !text[start..].trim().is_empty() {
        out.push((start, &text[start..]));
    }
    out.into_iter()
        .map(|(s, t)| {
            let trimmed = t.trim_start();
            (s + (t.len() - trimmed.len()), trimmed)
        })
        .collect()
}

/// Flesch-Kincaid grade level, or `None` for too little text.
fn grade(sentences: &[Sentence<'_>]) -> Option<f64> {
    let words: usize = sentences.iter().map(|s| s.words.len()).sum();
    if words < MIN_WORDS_FOR_GRADE {
        return None;
    }
    let syllables: usize = sentences
        .iter()
        .flat_map(|s| &s.words)
        .map(|w| syllables(w))
        .sum();
    let w = words as f64;
    Some(0.39 * (w / sentences.len() as f64) + 11.8 * (syllables as f64 / w) - 15.59)
}

/// Vowel groups, less a silent final `e`; at least one per word. An estimate.
pub fn syllables(word: &str) -> usize {
    let is_vowel = |b: u8| matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y');
    let mut count = 0;
    let mut prev = false;
    // The word's ASCII letters, lower-cased, as the estimate reads them.
    let letters = word
        .bytes()
        .filter(u8::is_ascii_alphabetic)
        .map(|b| b.to_ascii_lowercase());
    let (mut last, mut before_last) = (None, None);
    for b in letters {
        let v = is_vowel(b);
        if v && !prev {
            count += 1;
        }
        prev = v;
        before_last = last;
        last = Some(b);
    }
    if last.is_none() {
        return 1;
    }
    if last == Some(b'e') && before_last != Some(b'l') && count > 1 {
        count -= 1;
    }
    count.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_english_and_korean_sentences() {
        let en: Vec<&str> = split_sentences("It costs 3.5 dollars. Is it safe? No!")
            .into_iter()
            .map(|(_, s)| s)
            .collect();
        assert_eq!(en, ["It costs 3.5 dollars.", "Is it safe?", "No!"]);
        let ko: Vec<&str> = split_sentences("마약은 위험해요. 도움을 받을 수 있습니다. 괜찮아요?")
            .into_iter()
            .map(|(_, s)| s)
            .collect();
        assert_eq!(
            ko,
            ["마약은 위험해요.", "도움을 받을 수 있습니다.", "괜찮아요?"]
        );
    }

    #[test]
    fn counts_syllables_roughly() {
        assert_eq!(syllables("cat"), 1);
        assert_eq!(syllables("make"), 1);
        assert_eq!(syllables("table"), 2);
        assert_eq!(syllables("information"), 4);
    }
}
