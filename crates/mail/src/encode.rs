//! The encodings mail needs, written out rather than pulled in: base64 (RFC 4648), RFC 2047
//! encoded words for non-ASCII header text, and the RFC 5322 date. Decoders are here for the
//! test server and for AUTH.

use std::time::{SystemTime, UNIX_EPOCH};

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding, on one line.
pub(crate) fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = (b(0) << 16) | (b(1) << 8) | b(2);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes base64, skipping line breaks and spaces; `None` when it is not base64.
pub(crate) fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let digits: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if !digits.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::with_capacity(digits.len() / 4 * 3);
    let last = digits.len() / 4;
    for (i, quad) in digits.chunks(4).enumerate() {
        let pad = quad.iter().rev().take_while(|&&c| c == b'=').count();
        if pad > 2 || (pad > 0 && i + 1 != last) {
            return None;
        }
        let mut n = 0u32;
        for &c in &quad[..4 - pad] {
            let v = ALPHABET.iter().position(|&a| a == c)?;
            n = (n << 6) | v as u32;
        }
        n <<= 6 * pad as u32;
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    Some(out)
}

/// Base64 in lines of 76 characters, each ended by CRLF (RFC 2045 §6.8).
pub(crate) fn base64_lines(bytes: &[u8]) -> String {
    let encoded = base64(bytes);
    let mut out = String::with_capacity(encoded.len() + encoded.len() / 76 * 2 + 2);
    for line in encoded.as_bytes().chunks(76) {
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push_str("\r\n");
    }
    out
}

/// Text bytes per encoded word: 39 bytes are 52 base64 characters, 64 with `=?UTF-8?B?` and
/// `?=`, so `Subject: ` and one word stay under 76 columns (RFC 2047 allows 75 per word).
const WORD_BYTES: usize = 39;

/// `text` as RFC 2047 encoded words separated by CRLF SP (a folded header line); each word
/// holds whole characters, as RFC 2047 §5 requires, and decoders drop the folding between
/// adjacent words. Empty text gives an empty value.
pub(crate) fn encoded_words(text: &str) -> String {
    let mut words = Vec::new();
    let mut start = 0;
    let mut end = 0;
    for (i, c) in text.char_indices() {
        if i + c.len_utf8() - start > WORD_BYTES {
            words.push(&text[start..end]);
            start = i;
        }
        end = i + c.len_utf8();
    }
    if start < text.len() {
        words.push(&text[start..]);
    }
    words
        .iter()
        .map(|w| format!("=?UTF-8?B?{}?=", base64(w.as_bytes())))
        .collect::<Vec<_>>()
        .join("\r\n ")
}

/// Decodes a header value: unfolds it and replaces RFC 2047 words (`B` or `Q`, UTF-8 or
/// US-ASCII) by their text, dropping the white space between adjacent words. Anything else is
/// kept as written.
pub(crate) fn decode_header(raw: &str) -> String {
    let unfolded = raw.replace("\r\n", "").replace('\n', "");
    let mut out = String::new();
    let mut rest = unfolded.as_str();
    let mut pending_space = String::new();
    let mut after_word = false;
    while !rest.is_empty() {
        if let Some((text, used)) = rest.strip_prefix("=?").and_then(decode_word) {
            if !after_word {
                out.push_str(&pending_space);
            }
            pending_space.clear();
            out.push_str(&text);
            rest = &rest[2 + used..];
            after_word = true;
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        rest = &rest[c.len_utf8()..];
        if c == ' ' || c == '\t' {
            pending_space.push(c);
        } else {
            out.push_str(&pending_space);
            pending_space.clear();
            out.push(c);
            after_word = false;
        }
    }
    out.push_str(&pending_space);
    out
}

/// One encoded word after its `=?`: its text and the bytes it took, up to and with `?=`.
fn decode_word(s: &str) -> Option<(String, usize)> {
    let mut parts = s.splitn(3, '?');
    let charset = parts.next()?;
    let encoding = parts.next()?;
    let rest = parts.next()?;
    let end = rest.find("?=")?;
    let payload = &rest[..end];
    if payload.contains(' ')
        || !matches!(charset.to_ascii_uppercase().as_str(), "UTF-8" | "US-ASCII")
    {
        return None;
    }
    let bytes = match encoding {
        "B" | "b" => base64_decode(payload)?,
        "Q" | "q" => {
            let mut out = Vec::new();
            let b = payload.as_bytes();
            let mut i = 0;
            while i < b.len() {
                match b[i] {
                    b'_' => out.push(b' '),
                    b'=' => {
                        let hex = payload.get(i + 1..i + 3)?;
                        out.push(u8::from_str_radix(hex, 16).ok()?);
                        i += 2;
                    }
                    c => out.push(c),
                }
                i += 1;
            }
            out
        }
        _ => return None,
    };
    let used = charset.len() + encoding.len() + 2 + end + 2;
    Some((String::from_utf8(bytes).ok()?, used))
}

/// Asia/Ho_Chi_Minh, UTC+7 without daylight saving: dates are written as the officials who
/// read them live them.
const OFFSET_SECONDS: i64 = 7 * 3600;

/// The RFC 5322 date of `t` in UTC+7: `Tue, 03 Jan 2023 08:00:00 +0700`. A time before 1970
/// (a broken clock) is written as the epoch.
pub(crate) fn rfc5322_date(t: SystemTime) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let secs = t
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX / 2))
        .unwrap_or(0)
        + OFFSET_SECONDS;
    let days = secs.div_euclid(86_400);
    let rest = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{}, {d:02} {} {y:04} {:02}:{:02}:{:02} +0700",
        DAYS[days.rem_euclid(7) as usize],
        MONTHS[(m - 1) as usize],
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

/// Year, month, day of a day count since 1970-01-01 (H. Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn base64_matches_rfc_4648_vectors_and_round_trips() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded);
            assert_eq!(base64_decode(encoded).unwrap(), plain.as_bytes());
        }
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(base64_decode(&base64_lines(&all)).unwrap(), all);
        assert!(base64_lines(&all).lines().all(|l| l.len() <= 76));
        assert_eq!(base64_decode("Zg="), None);
        assert_eq!(base64_decode("Zg==Zg=="), None);
        assert_eq!(base64_decode("Z.=="), None);
    }

    #[test]
    fn encoded_words_keep_characters_whole_and_lines_short() {
        let subject = "Nhắc hạn: nhiệm vụ 2.3 đến hạn ngày 03/01/2023 — Ủy ban nhân dân tỉnh Quảng Ngãi đề nghị các sở, ban, ngành khẩn trương thực hiện";
        let words = encoded_words(subject);
        let header = format!("Subject: {words}");
        for line in header.split("\r\n") {
            assert!(line.len() < 76, "{line}");
        }
        for word in words.split("\r\n ") {
            let inner = &word[10..word.len() - 2];
            assert!(String::from_utf8(base64_decode(inner).unwrap()).is_ok());
        }
        assert_eq!(decode_header(&words), subject);
        assert_eq!(encoded_words(""), "");
        assert_eq!(
            decode_header("=?utf-8?q?Nh=E1=BA=AFc_h=E1=BA=A1n?= x"),
            "Nhắc hạn x"
        );
        assert_eq!(decode_header("plain  text"), "plain  text");
        assert_eq!(decode_header("a =?UTF-8?B?Yg==?= c"), "a b c");
    }

    #[test]
    fn dates_are_rfc_5322_in_vietnam() {
        let t = UNIX_EPOCH + Duration::from_secs(1_672_707_600); // 2023-01-03T01:00:00Z
        assert_eq!(rfc5322_date(t), "Tue, 03 Jan 2023 08:00:00 +0700");
        assert_eq!(rfc5322_date(UNIX_EPOCH), "Thu, 01 Jan 1970 07:00:00 +0700");
        let leap = UNIX_EPOCH + Duration::from_secs(1_709_164_800); // 2024-02-29T00:00:00Z
        assert_eq!(rfc5322_date(leap), "Thu, 29 Feb 2024 07:00:00 +0700");
    }
}
