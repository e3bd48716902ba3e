//! Windows-1258, Microsoft's Vietnamese code page. It has the shaped vowels (â ă ê ô ơ
//! ư đ) and some toned Latin-1 letters precomposed, and writes every other tone as one
//! of five combining-mark bytes after the letter. Table generated from Python's
//! `cp1258` codec; its five unassigned bytes decode to U+FFFD.

use unicode_normalization::char::{compose, decompose_canonical};

use super::{EncodeError, Encoding};

/// Bytes 0x80–0xFF. 0xCC 0xD2 0xDE 0xEC 0xF2 are the tone marks.
const HIGH: [char; 128] = [
    /* 80 */ '€', '\u{FFFD}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', '\u{FFFD}', '‹', 'Œ', '\u{FFFD}', '\u{FFFD}', '\u{FFFD}',
    /* 90 */ '\u{FFFD}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', '\u{FFFD}', '›', 'œ', '\u{FFFD}', '\u{FFFD}', 'Ÿ',
    /* A0 */ '\u{A0}', '¡', '¢', '£', '¤', '¥', '¦', '§', '¨', '©', 'ª', '«', '¬', '\u{AD}', '®', '¯',
    /* B0 */ '°', '±', '²', '³', '´', 'µ', '¶', '·', '¸', '¹', 'º', '»', '¼', '½', '¾', '¿',
    /* C0 */ 'À', 'Á', 'Â', 'Ă', 'Ä', 'Å', 'Æ', 'Ç', 'È', 'É', 'Ê', 'Ë', '\u{300}', 'Í', 'Î', 'Ï',
    /* D0 */ 'Đ', 'Ñ', '\u{309}', 'Ó', 'Ô', 'Ơ', 'Ö', '×', 'Ø', 'Ù', 'Ú', 'Û', 'Ü', 'Ư', '\u{303}', 'ß',
    /* E0 */ 'à', 'á', 'â', 'ă', 'ä', 'å', 'æ', 'ç', 'è', 'é', 'ê', 'ë', '\u{301}', 'í', 'î', 'ï',
    /* F0 */ 'đ', 'ñ', '\u{323}', 'ó', 'ô', 'ơ', 'ö', '÷', 'ø', 'ù', 'ú', 'û', 'ü', 'ư', '₫', 'ÿ',
];

pub(super) fn decode_byte(b: u8) -> char {
    if b.is_ascii() { b as char } else { HIGH[usize::from(b - 0x80)] }
}

fn byte_of(c: char) -> Option<u8> {
    if c.is_ascii() {
        return Some(c as u8);
    }
    if c == '\u{FFFD}' {
        return None;
    }
    HIGH.iter().position(|&h| h == c).and_then(|i| u8::try_from(0x80 + i).ok())
}

fn is_tone_mark(c: char) -> bool {
    matches!(c, '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}')
}

/// Precomposed where the code page has the character, otherwise the letter without its
/// tone followed by the tone byte, which is what Windows itself writes.
pub(super) fn encode(s: &str, out: &mut Vec<u8>) -> Result<(), EncodeError> {
    for (offset, c) in s.char_indices() {
        if let Some(b) = byte_of(c) {
            out.push(b);
            continue;
        }
        let mut base: Option<char> = None;
        let mut tones = [None; 2];
        let mut ok = true;
        decompose_canonical(c, |d| match base {
            None => base = Some(d),
            Some(_) if is_tone_mark(d) => match tones.iter_mut().find(|t| t.is_none()) {
                Some(slot) => *slot = Some(d),
                None => ok = false,
            },
            Some(b) => match compose(b, d) {
                Some(shaped) => base = Some(shaped),
                None => ok = false,
            },
        });
        let start = out.len();
        let encoded = ok
            && base.and_then(byte_of).map(|b| out.push(b)).is_some()
            && tones.iter().flatten().all(|&t| byte_of(t).map(|b| out.push(b)).is_some());
        if !encoded || tones.iter().all(Option::is_none) {
            out.truncate(start);
            return Err(EncodeError::Unrepresentable { ch: c, offset, encoding: Encoding::Windows1258 });
        }
    }
    Ok(())
}
