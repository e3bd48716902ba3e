//! The search key: text folded ([`vn_text::fold`]) and cut into tokens, with a map from every key
//! byte back to the original text.
//!
//! Tokens are runs of letters and digits, and single punctuation characters; white space only
//! separates. The key writes one space before the first token, two spaces between tokens and one
//! after the last (`" so  tai  chinh "`), and a pattern is keyed the same way. A pattern found in
//! a key therefore starts and ends on token boundaries by construction ("Sở Y tế" cannot match
//! inside "Sở Y tếx"), two adjacent names can both match (each owns one of the two spaces between
//! them), and line breaks, doubled spaces and "KH & ĐT" versus "KH&ĐT" all key alike.

/// A folded, tokenised text and, for each byte of `key`, the byte offset in the source of the
/// character it came from.
pub(crate) struct Keyed {
    pub key: String,
    pub origin: Vec<u32>,
}

impl Keyed {
    /// Source byte range of the key range `start..end`, which must start and end on a token.
    pub fn source_range(&self, source: &str, start: usize, end: usize) -> std::ops::Range<usize> {
        let from = self.origin[start] as usize;
        let last = self.origin[end - 1] as usize;
        let len = source[last..].chars().next().map_or(0, char::len_utf8);
        from..last + len
    }
}

/// Keys `text`. Offsets are stored as `u32`: a paragraph, or a whole directive, is far below
/// 4 GiB, and the map is four bytes per key byte instead of eight.
pub(crate) fn build(text: &str) -> Keyed {
    let mut key = String::with_capacity(text.len() + text.len() / 4 + 2);
    let mut origin: Vec<u32> = Vec::with_capacity(key.capacity());
    let mut folded = String::new();
    let mut in_word = false;
    let mut started = false;
    key.push(' ');
    origin.push(0);
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let at = i as u32;
        if b.is_ascii() {
            i += 1;
            if b.is_ascii_alphanumeric() {
                if !in_word {
                    separate(&mut key, &mut origin, &mut started, at);
                    in_word = true;
                }
                // Copy the whole ASCII run at once: most of a Vietnamese text is short ASCII runs
                // between accented letters, and per-byte pushes dominated the cost.
                let run = bytes[i..].iter().position(|b| !b.is_ascii_alphanumeric()).map_or(bytes.len(), |n| i + n);
                key.extend(text[i - 1..run].chars().map(|c| c.to_ascii_lowercase()));
                origin.extend(at..run as u32);
                i = run;
            } else if b.is_ascii_whitespace() || b.is_ascii_control() {
                in_word = false;
            } else {
                in_word = false;
                separate(&mut key, &mut origin, &mut started, at);
                key.push(char::from(b));
                origin.push(at);
            }
            continue;
        }
        let Some(c) = text[i..].chars().next() else { break };
        let len = c.len_utf8();
        // A Vietnamese letter folds to one ASCII letter: no need for the general folding.
        if let Some(letter) = vn_text::fold_letter(c) {
            i += len;
            if !in_word {
                separate(&mut key, &mut origin, &mut started, at);
                in_word = true;
            }
            origin.push(at);
            key.push(char::from(letter));
            continue;
        }
        folded.clear();
        vn_text::fold_into(&text[i..i + len], &mut folded);
        i += len;
        if folded.is_empty() {
            // A combining mark or an invisible character: part of whatever it is attached to.
            continue;
        }
        // Vietnamese letters fold to ASCII letters; asking Unicode tables only for the rest
        // keeps this loop off the slow `is_alphanumeric` lookup.
        let letter = if folded.bytes().all(|b| b.is_ascii_alphanumeric()) { true } else { c.is_alphanumeric() };
        if letter {
            if !in_word {
                separate(&mut key, &mut origin, &mut started, at);
                in_word = true;
            }
            for _ in 0..folded.len() {
                origin.push(at);
            }
            key.push_str(&folded);
        } else if c.is_whitespace() {
            in_word = false;
        } else {
            in_word = false;
            separate(&mut key, &mut origin, &mut started, at);
            let p = match c {
                // Dashes and hyphens all key as "-", so "Sở Kế hoạch – Đầu tư" keys like "-".
                '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE63}' | '\u{FF0D}' => "-",
                '\u{FF06}' => "&",
                _ => folded.as_str(),
            };
            for _ in 0..p.len() {
                origin.push(at);
            }
            key.push_str(p);
        }
    }
    key.push(' ');
    origin.push(text.len() as u32);
    Keyed { key, origin }
}

fn separate(key: &mut String, origin: &mut Vec<u32>, started: &mut bool, at: u32) {
    if *started {
        key.push_str("  ");
        origin.push(at);
        origin.push(at);
    }
    *started = true;
}

/// Key ranges of the tokens of `key` (runs of non-space bytes).
pub(crate) fn tokens(key: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, b) in key.bytes().enumerate() {
        match (b == b' ', start) {
            (true, Some(s)) => {
                out.push(s..i);
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(s..key.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_spaces() {
        assert_eq!(build("Sở KH&ĐT").key, " so  kh  &  dt ");
        assert_eq!(build("Sở  KH & ĐT\n").key, " so  kh  &  dt ");
        assert_eq!(build("Kế hoạch – Đầu tư").key, " ke  hoach  -  dau  tu ");
        assert_eq!(build("").key, "  ");
    }

    #[test]
    fn origin_maps_back() {
        let text = "giao Sở Y tế chủ trì";
        let k = build(text);
        let at = k.key.find(" so  y  te ").unwrap();
        let r = k.source_range(text, at + 1, at + " so  y  te ".len() - 1);
        assert_eq!(&text[r], "Sở Y tế");
    }

    #[test]
    fn decomposed_input_keys_like_composed() {
        assert_eq!(build("Sở Tư pháp").key, build("So\u{31b} Tu\u{31b} pha\u{301}p").key);
    }
}
