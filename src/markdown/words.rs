//! Word counts and reading time that treat Korean (and other CJK scripts) fairly.
//!
//! Counting space-separated chunks makes a Korean page look a third as long as it is,
//! because one chunk (어절) carries a word plus its particles. We count CJK text by
//! characters, as word processors do, and read it at a characters-per-minute rate.

use serde::Serialize;

/// Words of space-separated scripts per minute, for young readers.
const WORDS_PER_MINUTE: usize = 200;
/// Hangul syllables / CJK characters per minute.
const CJK_CHARS_PER_MINUTE: usize = 500;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Words of space-separated scripts (English, Spanish, …).
    pub words: usize,
    /// Characters of Hangul, Han, Hiragana and Katakana.
    pub cjk_chars: usize,
}

impl Counts {
    /// Word count shown to readers: words plus CJK characters.
    pub fn word_count(&self) -> usize {
        self.words + self.cjk_chars
    }

    /// Whole minutes, at least one.
    pub fn reading_minutes(&self) -> usize {
        let seconds =
            self.words * 60 / WORDS_PER_MINUTE + self.cjk_chars * 60 / CJK_CHARS_PER_MINUTE;
        seconds.div_ceil(60).max(1)
    }

    pub fn add(&mut self, other: Counts) {
        self.words += other.words;
        self.cjk_chars += other.cjk_chars;
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{AC00}'..='\u{D7A3}'   // Hangul syllables
        | '\u{1100}'..='\u{11FF}' // Hangul jamo
        | '\u{3130}'..='\u{318F}' // Hangul compatibility jamo
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{3400}'..='\u{4DBF}'
        | '\u{3040}'..='\u{30FF}' // Hiragana, Katakana
    )
}

/// Counts one run of text.
pub fn count_text(text: &str) -> Counts {
    if text.is_ascii() {
        return count_ascii(text.as_bytes());
    }
    let mut counts = Counts::default();
    for token in text.split_whitespace() {
        let mut has_other_letters = false;
        for c in token.chars() {
            if is_cjk(c) {
                counts.cjk_chars += 1;
            } else if c.is_alphanumeric() {
                has_other_letters = true;
            }
        }
        if has_other_letters {
            counts.words += 1;
        }
    }
    counts
}

/// [`count_text`] for ASCII text (most English runs): bytes, not chars, and no CJK.
fn count_ascii(bytes: &[u8]) -> Counts {
    let mut words = 0;
    let mut in_word = false;
    let mut word_has_letters = false;
    for &b in bytes {
        // The ASCII characters `char::is_whitespace` accepts.
        if matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C) {
            words += usize::from(in_word && word_has_letters);
            in_word = false;
            word_has_letters = false;
        } else {
            in_word = true;
            word_has_letters |= b.is_ascii_alphanumeric();
        }
    }
    words += usize::from(in_word && word_has_letters);
    Counts {
        words,
        cjk_chars: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_path_agrees_with_the_general_one() {
        for text in [
            "",
            "  ",
            "one",
            " two  words ",
            "a - b -- c",
            "tabs\tand\nnew\x0blines\x0c!",
            "x2 ... 42 ?!",
        ] {
            let general = {
                let mut c = Counts::default();
                for token in text.split_whitespace() {
                    if token.chars().any(char::is_alphanumeric) {
                        c.words += 1;
                    }
                }
                c
            };
            assert_eq!(count_ascii(text.as_bytes()), general, "{text:?}");
        }
    }

    #[test]
    fn english_counts_words() {
        let c = count_text("Dead drops are hidden in plain sight — never pick one up.");
        assert_eq!(
            c,
            Counts {
                words: 11,
                cjk_chars: 0
            },
            "the dash is not a word"
        );
    }

    #[test]
    fn korean_counts_characters_not_chunks() {
        let c = count_text("텔레그램에서 마약을 파는 글");
        assert_eq!(c.words, 0);
        assert_eq!(c.cjk_chars, 12);
        assert_eq!(c.word_count(), 12);
    }

    #[test]
    fn mixed_tokens_count_both() {
        let c = count_text("SNS에서 본 글");
        assert_eq!(
            c,
            Counts {
                words: 1,
                cjk_chars: 4
            }
        );
    }

    #[test]
    fn reading_time_is_at_least_a_minute_and_grows() {
        assert_eq!(Counts::default().reading_minutes(), 1);
        assert_eq!(
            Counts {
                words: 1000,
                cjk_chars: 0
            }
            .reading_minutes(),
            5
        );
        assert_eq!(
            Counts {
                words: 0,
                cjk_chars: 2500
            }
            .reading_minutes(),
            5
        );
    }
}
