//! VNI-Windows: the 8-bit encoding of the VNI fonts (`VNI-Times`). A shaped or toned
//! vowel is written as the ASCII vowel followed by one modifier byte that carries both
//! the shape (circumflex or breve) and the tone; ơ ư đ, the toned i's and ỵ have bytes of
//! their own. Upper-case letters use the modifier bytes 0x20 lower, so the two cases
//! round-trip.
//!
//! Table cross-checked against the xvnkb keyboard's VNI table and the VBKey converter's
//! VNI-Windows table; both agree on every letter.

use super::{CP1252_C1, EncodeError, Encoding};
use crate::letter::{Letter, Shape, Tone};

/// Modifier bytes in their lower-case form, with the shape and tone each adds.
const MODIFIERS: [(u8, Shape, Tone); 17] = [
    (0xE2, Shape::Circumflex, Tone::None),
    (0xE1, Shape::Circumflex, Tone::Acute),
    (0xE0, Shape::Circumflex, Tone::Grave),
    (0xE5, Shape::Circumflex, Tone::Hook),
    (0xE3, Shape::Circumflex, Tone::Tilde),
    (0xE4, Shape::Circumflex, Tone::Dot),
    (0xEA, Shape::Breve, Tone::None),
    (0xE9, Shape::Breve, Tone::Acute),
    (0xE8, Shape::Breve, Tone::Grave),
    (0xFA, Shape::Breve, Tone::Hook),
    (0xFC, Shape::Breve, Tone::Tilde),
    (0xEB, Shape::Breve, Tone::Dot),
    (0xF9, Shape::None, Tone::Acute),
    (0xF8, Shape::None, Tone::Grave),
    (0xFB, Shape::None, Tone::Hook),
    (0xF5, Shape::None, Tone::Tilde),
    (0xEF, Shape::None, Tone::Dot),
];

/// Letters with a byte of their own, in their lower-case form.
const LETTERS: [(u8, u8, Shape, Tone); 9] = [
    (0xF1, b'd', Shape::Stroke, Tone::None),
    (0xF4, b'o', Shape::Horn, Tone::None),
    (0xF6, b'u', Shape::Horn, Tone::None),
    (0xED, b'i', Shape::None, Tone::Acute),
    (0xEC, b'i', Shape::None, Tone::Grave),
    (0xE6, b'i', Shape::None, Tone::Hook),
    (0xF3, b'i', Shape::None, Tone::Tilde),
    (0xF2, b'i', Shape::None, Tone::Dot),
    (0xEE, b'y', Shape::None, Tone::Dot),
];

/// Lower-case form of a byte in 0xC0–0xFF and whether it was upper case.
fn fold_case(b: u8) -> (u8, bool) {
    if (0xC0..0xE0).contains(&b) { (b + 0x20, true) } else { (b, false) }
}

fn modifier(b: u8) -> Option<(Shape, Tone)> {
    if b < 0xC0 {
        return None;
    }
    let (lower, _) = fold_case(b);
    MODIFIERS.iter().find(|m| m.0 == lower).map(|m| (m.1, m.2))
}

fn own_letter(b: u8) -> Option<Letter> {
    if b < 0xC0 {
        return None;
    }
    let (lower, upper) = fold_case(b);
    LETTERS
        .iter()
        .find(|l| l.0 == lower)
        .map(|&(_, base, shape, tone)| Letter { base, shape, tone, upper })
}

/// `letter` with the modifier applied, if VNI writes that combination.
fn apply(letter: Letter, shape: Shape, tone: Tone) -> Option<Letter> {
    if letter.tone != Tone::None {
        return None;
    }
    let fits = match shape {
        Shape::Circumflex => letter.shape == Shape::None && matches!(letter.base, b'a' | b'e' | b'o'),
        Shape::Breve => letter.shape == Shape::None && letter.base == b'a',
        _ => matches!(letter.base, b'a' | b'e' | b'o' | b'u' | b'y')
            && matches!(letter.shape, Shape::None | Shape::Horn),
    };
    let shape = if shape == Shape::None { letter.shape } else { shape };
    fits.then_some(Letter { shape, tone, ..letter })
}

/// Decodes into `out`. A modifier byte with no vowel before it to modify cannot come
/// from VNI text and decodes to U+FFFD, as do bytes above 0xC0 that VNI does not use;
/// 0x80–0xBF decode as Windows-1252.
pub(super) fn decode(bytes: &[u8], out: &mut String) {
    let mut pending: Option<Letter> = None;
    for &b in bytes {
        if let Some((shape, tone)) = modifier(b) {
            match pending.take().map(|l| (l, apply(l, shape, tone))) {
                Some((_, Some(modified))) => out.push(modified.to_char()),
                Some((l, None)) => {
                    out.push(l.to_char());
                    out.push('\u{FFFD}');
                }
                None => out.push('\u{FFFD}'),
            }
            continue;
        }
        if let Some(l) = pending.take() {
            out.push(l.to_char());
        }
        let letter = if b.is_ascii_alphabetic() { Letter::parse(b as char) } else { own_letter(b) };
        match letter {
            Some(l) if matches!(l.base, b'a' | b'e' | b'o' | b'u' | b'y') && l.tone == Tone::None => {
                pending = Some(l);
            }
            Some(l) => out.push(l.to_char()),
            None => out.push(match b {
                0..=0x7F => b as char,
                0x80..=0x9F => CP1252_C1[usize::from(b - 0x80)],
                0xA0..=0xBF => char::from(b),
                _ => '\u{FFFD}',
            }),
        }
    }
    if let Some(l) = pending {
        out.push(l.to_char());
    }
}

fn case(b: u8, upper: bool) -> u8 {
    if upper && b >= 0xE0 { b - 0x20 } else { b }
}

pub(super) fn encode(s: &str, out: &mut Vec<u8>) -> Result<(), EncodeError> {
    for (offset, c) in s.char_indices() {
        if c.is_ascii() {
            out.push(c as u8);
            continue;
        }
        if let Some(l) = Letter::parse(c) {
            let lower = Letter { upper: false, ..l };
            if let Some(own) = LETTERS.iter().find(|e| (e.1, e.2, e.3) == (lower.base, lower.shape, lower.tone)) {
                out.push(case(own.0, l.upper));
                continue;
            }
            let (base, rest_shape) = match l.shape {
                Shape::Horn => {
                    let own = if l.base == b'o' { 0xF4 } else { 0xF6 };
                    (case(own, l.upper), Shape::None)
                }
                s => (if l.upper { l.base.to_ascii_uppercase() } else { l.base }, s),
            };
            out.push(base);
            if let Some(m) = MODIFIERS.iter().find(|m| (m.1, m.2) == (rest_shape, l.tone)) {
                out.push(case(m.0, l.upper));
            }
            continue;
        }
        let cp = c as u32;
        match CP1252_C1.iter().position(|&x| x == c) {
            Some(i) if c != '\u{FFFD}' => out.push(0x80 + i as u8),
            _ if (0xA0..=0xBF).contains(&cp) => out.push(cp as u8),
            _ => return Err(EncodeError::Unrepresentable { ch: c, offset, encoding: Encoding::Vni }),
        }
    }
    Ok(())
}
