//! Plain text: UTF-8 (with or without BOM), UTF-16 with BOM, or a legacy Vietnamese encoding
//! (TCVN3, VNI, Windows-1258) detected automatically or named by the caller.

use vn_text::legacy;

use crate::{Error, Extracted, Format, Location, Options, TextBuilder};

pub(crate) fn read(bytes: &[u8], options: &Options) -> Result<Extracted, Error> {
    let (decoded, encoding) = decode(bytes, options)?;
    if !looks_like_text(&decoded) {
        return Err(Error::NotText);
    }
    let mut builder = TextBuilder::new(options.limits.max_text_bytes);
    let mut paragraph = 0;
    let mut in_paragraph = false;
    for line in decoded.split_inclusive('\n') {
        let blank = line.trim().is_empty();
        if !blank && !in_paragraph {
            paragraph += 1;
            builder.mark(Location::Paragraph(paragraph));
        }
        in_paragraph = !blank;
        builder.push(line)?;
    }
    let mut out = builder.finish(Format::Text);
    out.legacy_encoding = encoding;
    if let Some(enc) = encoding {
        out.notes.push(format!("Đã chuyển mã từ bảng mã cũ {}", enc.name()));
    }
    Ok(out)
}

fn decode(bytes: &[u8], options: &Options) -> Result<(String, Option<legacy::Encoding>), Error> {
    if let Some(enc) = options.encoding {
        return Ok((legacy::decode(bytes, enc), Some(enc)));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest).map(|s| (s.to_owned(), None)).map_err(|_| Error::NotText);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, u16::from_le_bytes).map(|s| (s, None));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, u16::from_be_bytes).map(|s| (s, None));
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_owned(), None));
    }
    match legacy::detect(bytes) {
        Some(enc) => Ok((legacy::decode(bytes, enc), Some(enc))),
        None => Err(Error::NotText),
    }
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, Error> {
    if !bytes.len().is_multiple_of(2) {
        return Err(Error::NotText);
    }
    let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    char::decode_utf16(units).collect::<Result<String, _>>().map_err(|_| Error::NotText)
}

/// Valid UTF-8 can still be binary (an image renamed .txt that happens to decode): a NUL or
/// more than 1% control characters means it is not a document.
fn looks_like_text(s: &str) -> bool {
    let mut total = 0usize;
    let mut control = 0usize;
    for c in s.chars() {
        total += 1;
        if c == '\0' {
            return false;
        }
        if c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{000C}') {
            control += 1;
        }
    }
    control * 100 <= total
}
