//! The search tokenizer: the same rules here and in `themes/lantern/static/search.js`,
//! checked by one corpus (`tests/search_tokens.json`) in Rust and in Node.
//!
//! A text is NFC-normalised and lowercased, then cut into *words*: runs of letters and
//! digits, with a boundary wherever Hangul syllables meet other letters
//! (`telegram에서` is `telegram` + `에서`). This is the one rule the browser can repeat
//! exactly with a regular expression; Unicode word segmentation (UAX #29) gives the same
//! words for English and Korean prose but differs between implementations elsewhere
//! (ICU splits Thai and Chinese by dictionary), so it is not used.
//!
//! - Other words: a synonym's key when it has one, else the English Snowball stem.
//!   The browser does not stem; the index ships a table of the stems of its vocabulary.
//! - Hangul words (어절): the whole word, the word without one trailing particle or
//!   ending (the longest that leaves at least two syllables), each mapped through the
//!   synonyms, and the syllable bigrams of the whole word, so compounds match their
//!   parts (`마약류관리법` holds `마약`, `약류`).

use std::collections::HashMap;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

/// Trailing particles and endings, longest first (the browser's list is the same).
pub const ENDINGS: &[&str] = &[
    "에서부터",
    "이라는",
    "에서는",
    "에서도",
    "에게서",
    "으로는",
    "으로도",
    "하세요",
    "합니다",
    "입니다",
    "까지는",
    "에게는",
    "에서",
    "에게",
    "한테",
    "으로",
    "까지",
    "부터",
    "처럼",
    "보다",
    "이나",
    "이란",
    "라는",
    "에는",
    "에도",
    "와는",
    "과는",
    "하는",
    "하고",
    "하기",
    "해야",
    "했다",
    "하면",
    "된다",
    "되는",
    "이다",
    "은",
    "는",
    "이",
    "가",
    "을",
    "를",
    "에",
    "로",
    "와",
    "과",
    "의",
    "도",
    "만",
    "나",
];

/// One word of a text, as the index and the query see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// The word's own terms: its stem or synonym key; for Hangul, the whole word and
    /// (when different) the word without its particle.
    pub forms: Vec<String>,
    /// Syllable bigrams (Hangul words of three or more syllables).
    pub grams: Vec<String>,
}

impl Word {
    /// Every term of the word, forms first, each once.
    pub fn terms(&self) -> impl Iterator<Item = &String> {
        self.forms
            .iter()
            .chain(self.grams.iter().filter(|g| !self.forms.contains(g)))
    }
}

/// Spelling -> synonym key, from `synonyms.toml` (keys map to themselves).
pub fn synonyms() -> &'static HashMap<String, String> {
    static MAP: OnceLock<HashMap<String, String>> = OnceLock::new();
    MAP.get_or_init(|| {
        let table: HashMap<String, Vec<String>> =
            toml::from_str(include_str!("synonyms.toml")).unwrap_or_default();
        let mut map = HashMap::new();
        for (key, spellings) in table {
            for s in spellings {
                map.insert(s, key.clone());
            }
            map.insert(key.clone(), key);
        }
        map
    })
}

/// The English Snowball stem of a lowercase word.
pub fn stem(word: &str) -> String {
    static STEMMER: OnceLock<rust_stemmers::Stemmer> = OnceLock::new();
    STEMMER
        .get_or_init(|| rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English))
        .stem(word)
        .into_owned()
}

pub fn is_hangul(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// The text as words are cut from it: NFC, then lowercase. Both are skipped where they
/// cannot change anything (ASCII text; text that passes the NFC quick check).
pub fn normalise(text: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::{IsNormalized, is_nfc_quick};
    // ASCII and precomposed Hangul syllables are NFC, compose with nothing before
    // them, and only ASCII letters have a lowercase (English and Korean prose).
    if text.is_ascii() || text.chars().all(|c| c.is_ascii() || is_hangul(c)) {
        if text.bytes().any(|b| b.is_ascii_uppercase()) {
            return text.to_ascii_lowercase().into();
        }
        return text.into();
    }
    if is_nfc_quick(text.chars()) == IsNormalized::Yes {
        return text.to_lowercase().into();
    }
    text.nfc().collect::<String>().to_lowercase().into()
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else if is_hangul(c) {
        true
    } else {
        c.is_alphabetic() || c.is_numeric()
    }
}

/// Calls `each` on every run of letters and digits of a [`normalise`]d text, cut where
/// Hangul meets other letters. ASCII bytes are read as bytes; only other characters are
/// decoded.
pub fn for_each_word(text: &str, mut each: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let mut start: Option<usize> = None;
    let mut cur_hangul = false;
    let mut i = 0;
    while i < bytes.len() {
        let (word, hangul, len) = match bytes[i] {
            b if b.is_ascii() => (b.is_ascii_alphanumeric(), false, 1),
            _ => match text.get(i..).and_then(|rest| rest.chars().next()) {
                Some(c) => (is_word_char(c), is_hangul(c), c.len_utf8()),
                None => (false, false, 1),
            },
        };
        if !word {
            if let Some(s) = start.take() {
                each(&text[s..i]);
            }
        } else {
            match start {
                Some(s) if hangul != cur_hangul => {
                    each(&text[s..i]);
                    start = Some(i);
                }
                Some(_) => {}
                None => start = Some(i),
            }
            cur_hangul = hangul;
        }
        i += len;
    }
    if let Some(s) = start {
        each(&text[s..]);
    }
}

/// Runs of letters and digits, cut where Hangul meets other letters.
pub fn raw_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    for_each_word(&normalise(text), |w| words.push(w.to_string()));
    words
}

/// A Hangul word without its longest trailing ending that leaves two syllables.
pub fn strip_ending(word: &str) -> Option<&str> {
    let len = word.chars().count();
    ENDINGS.iter().find_map(|e| {
        let rest = word.strip_suffix(e)?;
        (len - e.chars().count() >= 2).then_some(rest)
    })
}

fn synonym(word: &str) -> Option<String> {
    synonyms().get(word).cloned()
}

/// One raw word's forms and bigrams.
/// Whether a raw word's form is its Snowball stem: not Hangul, and not a spelling the
/// synonyms map (those take the synonym's key), as [`analyse_word`] decides. The stem
/// table the browser gets lists exactly these words (where the stem differs).
pub fn is_stemmed(word: &str) -> bool {
    !word.starts_with(is_hangul) && !synonyms().contains_key(word)
}

pub fn analyse_word(word: &str, stem_of: &dyn Fn(&str) -> String) -> Word {
    if !word.chars().next().is_some_and(is_hangul) {
        let form = synonym(word).unwrap_or_else(|| stem_of(word));
        return Word {
            forms: vec![form],
            grams: Vec::new(),
        };
    }
    let mut forms = vec![synonym(word).unwrap_or_else(|| word.to_string())];
    if let Some(stripped) = strip_ending(word) {
        let s = synonym(stripped).unwrap_or_else(|| stripped.to_string());
        if !forms.contains(&s) {
            forms.push(s);
        }
    }
    let chars: Vec<char> = word.chars().collect();
    let mut grams: Vec<String> = Vec::new();
    if chars.len() >= 3 {
        for pair in chars.windows(2) {
            let g: String = pair.iter().collect();
            if !grams.contains(&g) {
                grams.push(g);
            }
        }
    }
    Word { forms, grams }
}

/// Every word of a text, stemmed with Snowball.
pub fn analyse(text: &str) -> Vec<Word> {
    raw_words(text)
        .iter()
        .map(|w| analyse_word(w, &stem))
        .collect()
}

/// The flat token list of a text (what `tests/search_tokens.json` records).
pub fn tokens(text: &str) -> Vec<String> {
    analyse(text)
        .iter()
        .flat_map(|w| w.terms().cloned().collect::<Vec<_>>())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn particles_bigrams_and_synonyms() {
        assert_eq!(
            tokens("재판소에서"),
            ["재판소에서", "재판소", "재판", "판소", "소에", "에서"]
        );
        assert_eq!(tokens("Telegram에서"), ["telegram", "에서"]);
        assert_eq!(
            tokens("텔레그램으로"),
            [
                "텔레그램으로",
                "telegram",
                "텔레",
                "레그",
                "그램",
                "램으",
                "으로"
            ]
        );
        assert_eq!(tokens("Reporting posts"), ["report", "post"]);
        assert_eq!(strip_ending("법은"), None);
    }
}
