//! Old-style → new-style tone placement ("hoà" → "hòa", "uỷ" → "ủy").
//!
//! Both styles are correct Vietnamese and both occur in official documents, often in the
//! same agency's name ("Uỷ ban" and "Ủy ban"). Canonical names and comparisons need one
//! spelling; the new style is the one in current government typing guidance.

use unicode_normalization::UnicodeNormalization;

use crate::letter::{Letter, Tone};

/// Rewrites each word whose syllable is open and ends in the vowel cluster oa, oe or uy
/// with the tone on the second vowel, so that the tone sits on the first vowel.
/// Closed syllables ("hoàng", "thuyền", "toán") already agree in both styles, and after
/// q the u belongs to the onset ("quý", "quà"), so those are left alone, as is anything
/// that is not a word: the rest of the text comes back byte for byte.
pub fn new_style_tones(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find(is_word_char) {
        out.push_str(&rest[..start]);
        let word_and_rest = &rest[start..];
        let end = word_and_rest.find(|c: char| !is_word_char(c)).unwrap_or(word_and_rest.len());
        push_word(&word_and_rest[..end], &mut out);
        rest = &word_and_rest[end..];
    }
    out.push_str(rest);
    out
}

fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || ('\u{300}'..='\u{36F}').contains(&c)
}

fn push_word(word: &str, out: &mut String) {
    // Decomposed input (tone as a separate code point) is composed first; a word that
    // needs no change is copied unchanged, composed or not.
    let composed;
    let w = if word.chars().any(|c| ('\u{300}'..='\u{36F}').contains(&c)) {
        composed = word.nfc().collect::<String>();
        composed.as_str()
    } else {
        word
    };
    match retoned(w) {
        Some(new) => out.push_str(&new),
        None => out.push_str(word),
    }
}

/// The new-style spelling of `word`, or `None` when it is already new style or is not
/// an open oa/oe/uy syllable.
fn retoned(word: &str) -> Option<String> {
    // The tone to move sits on the last letter, which is then not ASCII: most words end
    // in an ASCII letter and need no closer look.
    if word.chars().next_back().is_none_or(|c| c.is_ascii()) {
        return None;
    }
    let mut letters = Vec::with_capacity(8);
    for c in word.chars() {
        letters.push(Letter::parse(c)?);
    }
    let n = letters.len();
    if n < 2 {
        return None;
    }
    let (first, second) = (letters[n - 2], letters[n - 1]);
    let onset = &letters[..n - 2];
    if onset.iter().any(Letter::is_vowel) {
        return None;
    }
    // "qu" is an onset: the cluster of "quý" is just "y".
    if onset.last().is_some_and(|l| l.base == b'q') {
        return None;
    }
    let cluster = (first.toneless_lower(), second.toneless_lower());
    if !matches!(cluster, ('o', 'a') | ('o', 'e') | ('u', 'y')) {
        return None;
    }
    if first.tone != Tone::None || second.tone == Tone::None {
        return None;
    }
    letters[n - 2].tone = second.tone;
    letters[n - 1].tone = Tone::None;
    Some(letters.iter().map(|l| l.to_char()).collect())
}

#[cfg(test)]
mod tests {
    use super::new_style_tones as n;

    #[test]
    fn moves_the_tone_in_open_oa_oe_uy() {
        for (old, new) in [
            ("hoà", "hòa"),
            ("Hoà", "Hòa"),
            ("HOÀ", "HÒA"),
            ("uỷ", "ủy"),
            ("Uỷ", "Ủy"),
            ("thuỷ", "thủy"),
            ("khoẻ", "khỏe"),
            ("toà", "tòa"),
            ("loá", "lóa"),
            ("hoạ", "họa"),
            ("tuỳ", "tùy"),
            ("luỹ", "lũy"),
            ("Thuỵ", "Thụy"),
            ("xoè", "xòe"),
        ] {
            assert_eq!(n(old), new, "{old}");
        }
    }

    #[test]
    fn leaves_closed_syllables_qu_gi_and_new_style_alone() {
        for w in ["hoàng", "thuyền", "toán", "quý", "quà", "quỳ", "già", "hòa", "ủy", "khuya", "ngoài", "hoa", "uy"] {
            assert_eq!(n(w), w);
        }
    }

    #[test]
    fn rewrites_words_in_running_text_only() {
        assert_eq!(
            n("Uỷ ban nhân dân tỉnh Khánh Hoà, 12/3 — “hoà giải”"),
            "Ủy ban nhân dân tỉnh Khánh Hòa, 12/3 — “hòa giải”"
        );
        assert_eq!(n("  \t\r\n x1 "), "  \t\r\n x1 ");
    }

    #[test]
    fn composes_decomposed_words() {
        assert_eq!(n("hoa\u{300} bi\u{300}nh"), "hòa bi\u{300}nh");
    }
}
