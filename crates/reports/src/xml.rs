//! XML text escaping for the hand-written parts.

/// `s` escaped for XML text and attribute values. Characters XML 1.0 forbids (control
/// characters that slip in from OCR or pasted text) are dropped: Word refuses a whole file
/// over one of them.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

/// Appends `s` escaped to `out`.
pub fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_and_drops_forbidden_characters() {
        assert_eq!(
            super::escape("a<b & \"c\"\u{1}>"),
            "a&lt;b &amp; &quot;c&quot;&gt;"
        );
    }
}
