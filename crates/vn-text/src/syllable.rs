//! Recognising Vietnamese syllables, the evidence behind encoding detection and
//! [`crate::looks_vietnamese`]. Vietnamese writes one syllable per word with a small,
//! closed set of onsets, vowel clusters and codas, so "is this word a syllable" is a
//! strong signal that a decoding (or a PDF text layer) is right.

use crate::letter::{Letter, Tone};

/// Onsets, longest first so that the greedy match takes "ngh" before "ng".
const ONSETS: [&str; 27] = [
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "đ",
    "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x",
];

/// Codas, longest first.
const CODAS: [&str; 8] = ["ch", "ng", "nh", "c", "m", "n", "p", "t"];

/// Vowel clusters (tone removed) that may end a syllable.
const OPEN_NUCLEI: [&str; 46] = [
    "a", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "ai", "ao", "au", "ay", "âu", "ây",
    "eo", "êu", "ia", "iu", "oa", "oe", "oi", "ôi", "ơi", "ua", "ui", "uy", "ưa", "ưi", "ưu",
    "uê", "uơ", "ya", "oai", "oay", "oao", "oeo", "uây", "uôi", "uya", "ươi", "ươu", "iêu",
    "yêu", "uyu",
];

/// Vowel clusters (tone removed) that may stand before a coda.
const CLOSED_NUCLEI: [&str; 24] = [
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "iê", "yê", "uô", "ươ", "oa",
    "oă", "oe", "uâ", "uê", "uy", "uyê", "oo",
];

/// Whether `word` (NFC, any case, letters only) is a well-formed Vietnamese syllable:
/// onset + vowel cluster + coda from the closed sets above, at most one tone, and only
/// the sắc or nặng tone after a stop coda (p, t, c, ch), which the language forbids
/// otherwise. The check is deliberately about form, not a dictionary.
pub(crate) fn is_syllable(word: &str) -> bool {
    let mut letters = [' '; 12];
    let mut n = 0;
    let mut tone = Tone::None;
    for c in word.chars() {
        let Some(l) = Letter::parse(c) else { return false };
        if n == letters.len() || matches!(l.base, b'f' | b'j' | b'w' | b'z') {
            return false;
        }
        if l.tone != Tone::None {
            if tone != Tone::None {
                return false;
            }
            tone = l.tone;
        }
        letters[n] = l.toneless_lower();
        n += 1;
    }
    let letters = &letters[..n];
    if letters.is_empty() {
        return false;
    }
    let mut buf = [0u8; 48];
    let plain = encode_chars(letters, &mut buf);

    for onset in ONSETS.iter().copied().chain(std::iter::once("")) {
        let Some(rest) = plain.strip_prefix(onset) else { continue };
        // "gi" and "qu" only act as onsets when a vowel follows ("gì" is g + ì).
        if rest.is_empty() {
            continue;
        }
        if check_rhyme(rest, tone) {
            return true;
        }
    }
    false
}

fn encode_chars<'a>(letters: &[char], buf: &'a mut [u8; 48]) -> &'a str {
    let mut len = 0;
    for &c in letters {
        len += c.encode_utf8(&mut buf[len..]).len();
    }
    std::str::from_utf8(&buf[..len]).unwrap_or("")
}

fn check_rhyme(rhyme: &str, tone: Tone) -> bool {
    if OPEN_NUCLEI.contains(&rhyme) {
        return true;
    }
    for coda in CODAS {
        let Some(nucleus) = rhyme.strip_suffix(coda) else { continue };
        if nucleus.is_empty() || !CLOSED_NUCLEI.contains(&nucleus) {
            continue;
        }
        let stop = matches!(coda, "c" | "ch" | "p" | "t");
        if !stop || matches!(tone, Tone::Acute | Tone::Dot) {
            return true;
        }
    }
    false
}

/// Whether `c` separates words for scoring: white space, ASCII punctuation and digits,
/// general punctuation and guillemets. Other symbols stay inside the word on purpose,
/// so that a wrong decoding (`c«ng`, `H\u{FFFD}`) yields an invalid word rather than
/// a shorter valid one.
pub(crate) fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || (c.is_ascii() && !c.is_ascii_alphabetic())
        || ('\u{2000}'..='\u{206F}').contains(&c)
        || matches!(c, '«' | '»' | '\u{A0}')
}

/// Word statistics over a text, for detection and [`crate::looks_vietnamese`].
#[derive(Default, Debug, Clone, Copy)]
pub(crate) struct Tally {
    /// Words with a non-ASCII character that are valid syllables.
    pub marked_valid: usize,
    /// Words with a non-ASCII character that are not.
    pub marked_invalid: usize,
    /// All scored words that are valid syllables.
    pub valid: usize,
    /// All scored words.
    pub words: usize,
}

impl Tally {
    pub(crate) fn of(text: &str) -> Tally {
        let mut t = Tally::default();
        for word in text.split(is_separator).filter(|w| !w.is_empty()) {
            let ascii = word.is_ascii();
            // Upper-case ASCII tokens are abbreviations (UBND, QĐ-CP's "CP"), neither
            // evidence for nor against Vietnamese.
            if ascii && word.len() > 1 && word.bytes().all(|b| b.is_ascii_uppercase()) && !is_syllable(word) {
                continue;
            }
            let valid = is_syllable(word);
            t.words += 1;
            t.valid += usize::from(valid);
            if !ascii {
                if valid {
                    t.marked_valid += 1;
                } else {
                    t.marked_invalid += 1;
                }
            }
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_real_syllables() {
        for w in [
            "cộng", "hòa", "hoà", "xã", "hội", "chủ", "nghĩa", "Việt", "Nam", "độc", "lập", "tự",
            "do", "hạnh", "phúc", "UBND", "quyết", "định", "giữa", "gì", "người", "được",
            "khuya", "thuyền", "uỷ", "ủy", "Quảng", "Ngãi", "tỉnh", "năm", "nghiệp", "hoạch",
            "quân", "xoong", "khỏe", "oanh", "giấy",
        ] {
            if w == "UBND" {
                assert!(!is_syllable(w));
            } else {
                assert!(is_syllable(w), "{w}");
            }
        }
    }

    #[test]
    fn rejects_mojibake_and_foreign_words() {
        // ("céng", TCVN3 "cộng" read as Latin-1, is well-formed: only whole texts decide.)
        for w in ["hoµ", "c«ng", "Vieät", "thµnh", "KRҥFK", "QăP", "hàt", "the\u{FFFD}", "bẻp", "world", "façade"] {
            assert!(!is_syllable(w), "{w} accepted");
        }
    }
}
