//! The legacy 8-bit Vietnamese encodings still found in old files and in the text layer
//! of PDFs set in legacy fonts: TCVN3 (ABC), VNI-Windows and Windows-1258.
//!
//! Decoding never fails: bytes an encoding does not assign become U+FFFD. Detection
//! decodes with every encoding and keeps the one whose words are Vietnamese syllables
//! ([`detect`]); the same works on "mojibake", text that a tool has already decoded as
//! Latin-1/Windows-1252 ([`detect_mojibake`], [`decode_mojibake`]).

mod cp1258;
mod tcvn3;
mod vni;

use std::fmt;
use std::str::FromStr;

use unicode_normalization::UnicodeNormalization;

use crate::syllable::Tally;

/// A legacy Vietnamese encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// TCVN3 / ABC (TCVN 5712:1993 VN3), the encoding of the `.VnTime` fonts.
    Tcvn3,
    /// VNI-Windows, the encoding of the `VNI-Times` fonts.
    Vni,
    /// Windows-1258, Microsoft's Vietnamese code page.
    Windows1258,
}

impl Encoding {
    /// Every supported encoding, in the order detection prefers them on a tie.
    pub const ALL: [Encoding; 3] = [Encoding::Windows1258, Encoding::Vni, Encoding::Tcvn3];

    /// The usual name of the encoding.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Tcvn3 => "TCVN3",
            Encoding::Vni => "VNI-Windows",
            Encoding::Windows1258 => "windows-1258",
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The name given to [`Encoding::from_str`] is not a supported encoding.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("bảng mã không được hỗ trợ: {0:?} (hỗ trợ: tcvn3, vni, windows-1258)")]
pub struct UnknownEncoding(pub String);

impl FromStr for Encoding {
    type Err = UnknownEncoding;

    /// Accepts the names people use, case-insensitively: `tcvn3`, `tcvn`, `abc`, `vn3`,
    /// `vni`, `vni-windows`, `windows-1258`, `cp1258`, `1258`…
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key: String = s
            .trim()
            .chars()
            .filter(|c| !matches!(c, '-' | '_' | ' ' | '.'))
            .flat_map(char::to_lowercase)
            .collect();
        match key.as_str() {
            "tcvn3" | "tcvn" | "abc" | "vn3" | "tcvn57123" | "tcvn5712" | "vntime" => Ok(Encoding::Tcvn3),
            "vni" | "vniwindows" | "vniwin" | "vnitimes" => Ok(Encoding::Vni),
            "windows1258" | "cp1258" | "win1258" | "1258" | "mswindows1258" => Ok(Encoding::Windows1258),
            _ => Err(UnknownEncoding(s.to_owned())),
        }
    }
}

/// A character that the target encoding cannot represent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// `ch`, at byte `offset` of the input, has no code in `encoding`.
    #[error("ký tự {ch:?} (vị trí {offset}) không có trong bảng mã {encoding}")]
    Unrepresentable {
        /// The character.
        ch: char,
        /// Its byte offset in the input string.
        offset: usize,
        /// The target encoding.
        encoding: Encoding,
    },
}

/// Windows-1252 for 0x80–0x9F, which the TCVN3 and VNI fonts inherit; unassigned bytes
/// are U+FFFD.
const CP1252_C1: [char; 32] = [
    '€', '\u{FFFD}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{FFFD}', 'Ž', '\u{FFFD}',
    '\u{FFFD}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{FFFD}', 'ž', 'Ÿ',
];

/// Decodes `bytes` from `enc` into NFC text. Never fails: unassigned bytes become U+FFFD.
///
/// TCVN3 has no codes for toned capitals (documents drew them with the lower-case codes
/// in a capitals font such as `.VnTimeH`), so the bytes cannot say which toned letters
/// were capitals: they come out in lower case. The untoned capitals Ă Â Ê Ô Ơ Ư Đ and
/// ASCII capitals are kept.
pub fn decode(bytes: &[u8], enc: Encoding) -> String {
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 2);
    decode_into(bytes, enc, &mut out);
    if out.is_ascii() { out } else { out.nfc().collect() }
}

fn decode_into(bytes: &[u8], enc: Encoding, out: &mut String) {
    match enc {
        Encoding::Tcvn3 => out.extend(bytes.iter().map(|&b| tcvn3::decode_byte(b))),
        Encoding::Windows1258 => out.extend(bytes.iter().map(|&b| cp1258::decode_byte(b))),
        Encoding::Vni => vni::decode(bytes, out),
    }
}

/// Encodes `s` (any normalisation form for Windows-1258 and VNI; TCVN3 and VNI expect
/// precomposed letters, so pass NFC) into `enc`.
///
/// TCVN3 writes a toned capital with its lower-case code, as `.VnTimeH` documents do;
/// decoding such bytes therefore gives the lower-case letter back.
pub fn encode(s: &str, enc: Encoding) -> Result<Vec<u8>, EncodeError> {
    let mut out = Vec::with_capacity(s.len());
    match enc {
        Encoding::Tcvn3 => tcvn3::encode(s, &mut out)?,
        Encoding::Vni => vni::encode(s, &mut out)?,
        Encoding::Windows1258 => cp1258::encode(s, &mut out)?,
    }
    Ok(out)
}

/// Words needed before a decoding counts as Vietnamese: a name of two syllables is the
/// least that can be told apart from chance.
const MIN_VALID_WORDS: usize = 2;

/// How much better than its rivals a decoding must be, as the share of its words with
/// non-ASCII letters that are valid syllables. Real text scores above 0.9 in the right
/// encoding and below 0.3 in the wrong ones; 0.6 leaves room for names and typos.
const MIN_VALID_SHARE: f32 = 0.6;

fn margin(t: &Tally) -> i64 {
    t.marked_valid as i64 - t.marked_invalid as i64
}

fn acceptable(t: &Tally) -> bool {
    let marked = t.marked_valid + t.marked_invalid;
    t.marked_valid >= MIN_VALID_WORDS && t.marked_valid as f32 >= MIN_VALID_SHARE * marked as f32
}

/// The encoding whose decoding reads best, if it reads well enough and better than
/// `baseline` (the text as it already is, for mojibake).
fn best(decode: impl Fn(Encoding) -> String, baseline: Option<Tally>) -> Option<Encoding> {
    let mut best: Option<(Encoding, Tally)> = None;
    for enc in Encoding::ALL {
        let tally = Tally::of(&decode(enc));
        if best.as_ref().is_none_or(|(_, b)| margin(&tally) > margin(b)) {
            best = Some((enc, tally));
        }
    }
    let (enc, tally) = best?;
    let beats_baseline = baseline.is_none_or(|b| margin(&tally) > margin(&b));
    (acceptable(&tally) && beats_baseline).then_some(enc)
}

/// Guesses which legacy encoding `bytes` are in. `None` for valid UTF-8 (which includes
/// pure ASCII: there is nothing to decode) and for bytes that do not read as Vietnamese
/// in any of the three encodings.
pub fn detect(bytes: &[u8]) -> Option<Encoding> {
    if std::str::from_utf8(bytes).is_ok() {
        return None;
    }
    best(|enc| decode(bytes, enc), None)
}

/// The byte that a Latin-1 or Windows-1252 reader turned into `c`.
fn mojibake_byte(c: char) -> Option<u8> {
    match u8::try_from(u32::from(c)) {
        Ok(b) => Some(b),
        Err(_) if c == '\u{FFFD}' => None,
        Err(_) => CP1252_C1.iter().position(|&x| x == c).and_then(|i| u8::try_from(0x80 + i).ok()),
    }
}

/// Guesses which legacy encoding the bytes behind `s` were in, when `s` was produced by
/// reading them as Latin-1 or Windows-1252 (pdftotext on a PDF set in `.VnTime` or
/// `VNI-Times` fonts prints such text). `None` when `s` reads better as it is, or reads
/// as Vietnamese in none of the encodings.
pub fn detect_mojibake(s: &str) -> Option<Encoding> {
    if !s.chars().any(|c| mojibake_byte(c).is_some_and(|b| b >= 0x80)) {
        return None;
    }
    best(|enc| decode_mojibake(s, enc), Some(Tally::of(s)))
}

/// Undoes a Latin-1/Windows-1252 misreading of `enc` text: each character goes back to
/// its byte (both readings of 0x80–0x9F are accepted) and the bytes are decoded.
/// Characters that no byte produces, such as real Vietnamese letters from another font
/// in the same PDF, pass through unchanged. Output is NFC.
pub fn decode_mojibake(s: &str, enc: Encoding) -> String {
    let mut out = String::with_capacity(s.len());
    let mut run = Vec::new();
    for c in s.chars() {
        match mojibake_byte(c) {
            Some(b) => run.push(b),
            None => {
                decode_into(&run, enc, &mut out);
                run.clear();
                out.push(c);
            }
        }
    }
    decode_into(&run, enc, &mut out);
    if out.is_ascii() { out } else { out.nfc().collect() }
}

#[cfg(test)]
mod tests;
