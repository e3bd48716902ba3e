//! TCVN3 (ABC, TCVN 5712:1993 VN3): the 8-bit font encoding behind `.VnTime`.
//!
//! Table cross-checked against two independent converters (the xvnkb keyboard's TCVN
//! table and a C# TCVN3→Unicode converter); both agree on every letter below.
//!
//! VN3 has no toned capitals: documents set capitals in the companion caps fonts
//! (`.VnTimeH`), which draw the lower-case codes as capitals. The bytes therefore do not
//! say whether a toned letter was a capital, and `legacy::decode` returns it in lower case;
//! `legacy::encode` writes a toned capital with its lower-case code, exactly as such a
//! document stores it. The seven untoned capitals Ă Â Ê Ô Ơ Ư Đ do have codes.

use super::{CP1252_C1, EncodeError, Encoding};
use crate::letter::{Letter, Tone};

/// Bytes 0xA0–0xFF. Bytes VN3 leaves unassigned are U+FFFD above 0xC0 (there the
/// Latin-1 letters À Á Ã Ù… would pass for Vietnamese and mislead detection) and the
/// Latin-1 symbol below it; 0x80–0x9F are the Windows-1252 punctuation that Windows
/// programs wrote with these fonts (curly quotes, dashes).
const HIGH: [char; 96] = [
    /* A0 */ '\u{A0}', 'Ă', 'Â', 'Ê', 'Ô', 'Ơ', 'Ư', 'Đ', 'ă', 'â', 'ê', 'ô', 'ơ', 'ư', 'đ', '¯',
    /* B0 */ '°', '±', '²', '³', '´', 'à', 'ả', 'ã', 'á', 'ạ', 'º', 'ằ', 'ẳ', 'ẵ', 'ắ', '¿',
    /* C0 */ '\u{FFFD}', '\u{FFFD}', '\u{FFFD}', '\u{FFFD}', '\u{FFFD}', '\u{FFFD}', 'ặ', 'ầ', 'ẩ', 'ẫ', 'ấ', 'ậ', 'è', '\u{FFFD}', 'ẻ', 'ẽ',
    /* D0 */ 'é', 'ẹ', 'ề', 'ể', 'ễ', 'ế', 'ệ', 'ì', 'ỉ', '\u{FFFD}', '\u{FFFD}', '\u{FFFD}', 'ĩ', 'í', 'ị', 'ò',
    /* E0 */ '\u{FFFD}', 'ỏ', 'õ', 'ó', 'ọ', 'ồ', 'ổ', 'ỗ', 'ố', 'ộ', 'ờ', 'ở', 'ỡ', 'ớ', 'ợ', 'ù',
    /* F0 */ '\u{FFFD}', 'ủ', 'ũ', 'ú', 'ụ', 'ừ', 'ử', 'ữ', 'ứ', 'ự', 'ỳ', 'ỷ', 'ỹ', 'ý', 'ỵ', '\u{FFFD}',
];

pub(super) fn decode_byte(b: u8) -> char {
    match b {
        0..=0x7F => b as char,
        0x80..=0x9F => CP1252_C1[usize::from(b - 0x80)],
        _ => HIGH[usize::from(b - 0xA0)],
    }
}

fn byte_of(c: char) -> Option<u8> {
    if c.is_ascii() {
        return Some(c as u8);
    }
    if c == '\u{FFFD}' {
        return None;
    }
    (0x80..=0xFFu8).find(|&b| decode_byte(b) == c)
}

pub(super) fn encode(s: &str, out: &mut Vec<u8>) -> Result<(), EncodeError> {
    for (offset, c) in s.char_indices() {
        let byte = byte_of(c).or_else(|| {
            let letter = Letter::parse(c).filter(|l| l.upper && l.tone != Tone::None)?;
            byte_of(Letter { upper: false, ..letter }.to_char())
        });
        match byte {
            Some(b) => out.push(b),
            None => return Err(EncodeError::Unrepresentable { ch: c, offset, encoding: Encoding::Tcvn3 }),
        }
    }
    Ok(())
}
