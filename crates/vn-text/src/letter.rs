//! The Vietnamese letter model shared by tone placement, syllable checking and the
//! legacy encoders: a letter is an ASCII base, an optional shape mark (the marks that
//! make a different letter: ă â ê ô ơ ư đ) and an optional tone.
//!
//! Working on this model instead of 134 hand-written table entries per encoding keeps
//! every encoder consistent with Unicode by construction.

use unicode_normalization::char::{compose, decompose_canonical};

/// The mark that turns a base letter into another letter of the alphabet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    None,
    /// â ê ô
    Circumflex,
    /// ă
    Breve,
    /// ơ ư
    Horn,
    /// đ
    Stroke,
}

/// The five marked tones; `None` is the level tone (thanh ngang).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tone {
    None,
    Grave,
    Acute,
    Hook,
    Tilde,
    Dot,
}

impl Tone {
    #[cfg(test)]
    pub(crate) const ALL: [Tone; 6] =
        [Tone::None, Tone::Grave, Tone::Acute, Tone::Hook, Tone::Tilde, Tone::Dot];

    pub(crate) fn combining(self) -> Option<char> {
        match self {
            Tone::None => None,
            Tone::Grave => Some('\u{300}'),
            Tone::Acute => Some('\u{301}'),
            Tone::Hook => Some('\u{309}'),
            Tone::Tilde => Some('\u{303}'),
            Tone::Dot => Some('\u{323}'),
        }
    }

    pub(crate) fn from_combining(c: char) -> Option<Tone> {
        Some(match c {
            '\u{300}' => Tone::Grave,
            '\u{301}' => Tone::Acute,
            '\u{309}' => Tone::Hook,
            '\u{303}' => Tone::Tilde,
            '\u{323}' => Tone::Dot,
            _ => return None,
        })
    }
}

/// One letter of the Vietnamese alphabet, with its case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Letter {
    /// Lower-case ASCII base: `a` for ấ, `d` for đ.
    pub base: u8,
    pub shape: Shape,
    pub tone: Tone,
    pub upper: bool,
}

impl Letter {
    /// Parses one precomposed character; `None` if it is not a letter of the
    /// Vietnamese alphabet (f, j, w, z count as letters: they occur in names and loans).
    pub(crate) fn parse(c: char) -> Option<Letter> {
        if c.is_ascii_alphabetic() {
            return Some(Letter {
                base: c.to_ascii_lowercase() as u8,
                shape: Shape::None,
                tone: Tone::None,
                upper: c.is_ascii_uppercase(),
            });
        }
        match c {
            'đ' => return Some(Letter { base: b'd', shape: Shape::Stroke, tone: Tone::None, upper: false }),
            'Đ' => return Some(Letter { base: b'd', shape: Shape::Stroke, tone: Tone::None, upper: true }),
            _ => {}
        }
        // Only the two Unicode blocks that hold Vietnamese letters can decompose into one.
        let cp = c as u32;
        if !(0xC0..=0x1B0).contains(&cp) && !(0x1EA0..=0x1EF9).contains(&cp) {
            return None;
        }
        let mut base = None;
        let mut shape = Shape::None;
        let mut tone = Tone::None;
        let mut ok = true;
        decompose_canonical(c, |d| {
            if base.is_none() {
                base = d.is_ascii_alphabetic().then_some(d);
                ok &= base.is_some();
            } else if let Some(t) = Tone::from_combining(d) {
                ok &= tone == Tone::None;
                tone = t;
            } else {
                let s = match d {
                    '\u{302}' => Shape::Circumflex,
                    '\u{306}' => Shape::Breve,
                    '\u{31B}' => Shape::Horn,
                    _ => {
                        ok = false;
                        Shape::None
                    }
                };
                ok &= shape == Shape::None;
                shape = s;
            }
        });
        let base = base.filter(|_| ok)?;
        let letter = Letter {
            base: base.to_ascii_lowercase() as u8,
            shape,
            tone,
            upper: base.is_ascii_uppercase(),
        };
        letter.is_vietnamese().then_some(letter)
    }

    /// Whether this base/shape pair exists in the Vietnamese alphabet (rules out è-like
    /// letters of other languages that happen to decompose the same way, such as ñ or ŏ).
    pub(crate) fn is_vietnamese(&self) -> bool {
        let shape_ok = match self.shape {
            Shape::None => true,
            Shape::Circumflex => matches!(self.base, b'a' | b'e' | b'o'),
            Shape::Breve => self.base == b'a',
            Shape::Horn => matches!(self.base, b'o' | b'u'),
            Shape::Stroke => self.base == b'd',
        };
        let tone_ok = self.tone == Tone::None || self.is_vowel();
        shape_ok && tone_ok
    }

    pub(crate) fn is_vowel(&self) -> bool {
        matches!(self.base, b'a' | b'e' | b'i' | b'o' | b'u' | b'y') && self.shape != Shape::Stroke
    }

    /// The letter without its tone, as a lower-case char (`ấ` → `â`).
    pub(crate) fn toneless_lower(self) -> char {
        Letter { tone: Tone::None, upper: false, ..self }.to_char()
    }

    /// The precomposed (NFC) character. Marks are composed in canonical order (horn,
    /// then dot below, then the marks above), the only order Unicode composes ợ or ặ in.
    pub(crate) fn to_char(self) -> char {
        let base = if self.upper { self.base.to_ascii_uppercase() } else { self.base } as char;
        let add = |c: char, mark: char| compose(c, mark).unwrap_or(c);
        let mut c = match self.shape {
            Shape::Stroke => return if self.upper { 'Đ' } else { 'đ' },
            Shape::Horn => add(base, '\u{31B}'),
            _ => base,
        };
        if self.tone == Tone::Dot {
            c = add(c, '\u{323}');
        }
        c = match self.shape {
            Shape::Circumflex => add(c, '\u{302}'),
            Shape::Breve => add(c, '\u{306}'),
            _ => c,
        };
        match self.tone {
            Tone::Dot | Tone::None => c,
            t => t.combining().map_or(c, |m| add(c, m)),
        }
    }
}

/// Every vowel of the alphabet with every tone (12 × 6) and đ, in lower then upper
/// case: 146 letters, of which the 134 that are not plain ASCII are the "full Vietnamese
/// alphabet" the legacy encoders must round-trip.
#[cfg(test)]
pub(crate) fn alphabet() -> Vec<Letter> {
    const VOWELS: [(u8, Shape); 12] = [
        (b'a', Shape::None),
        (b'a', Shape::Breve),
        (b'a', Shape::Circumflex),
        (b'e', Shape::None),
        (b'e', Shape::Circumflex),
        (b'i', Shape::None),
        (b'o', Shape::None),
        (b'o', Shape::Circumflex),
        (b'o', Shape::Horn),
        (b'u', Shape::None),
        (b'u', Shape::Horn),
        (b'y', Shape::None),
    ];
    let mut out = Vec::with_capacity(146);
    for upper in [false, true] {
        for (base, shape) in VOWELS {
            for tone in Tone::ALL {
                out.push(Letter { base, shape, tone, upper });
            }
        }
        out.push(Letter { base: b'd', shape: Shape::Stroke, tone: Tone::None, upper });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_composes_every_letter() {
        let letters = alphabet();
        assert_eq!(letters.len(), 146);
        for l in letters {
            let c = l.to_char();
            assert_eq!(Letter::parse(c), Some(l), "{c}");
        }
    }

    #[test]
    fn rejects_letters_of_other_languages() {
        for c in ['ñ', 'ç', 'ŏ', 'ü', 'ø', 'ß', 'µ', '¸'] {
            assert_eq!(Letter::parse(c), None, "{c}");
        }
    }
}
