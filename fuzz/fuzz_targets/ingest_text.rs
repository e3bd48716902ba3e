//! The plain-text reader of `ingest` (`read_bytes` on anything that is not PDF, zip or OLE):
//! BOM handling, UTF-16, UTF-8, legacy-encoding detection or a forced encoding, the
//! binary-content check, and the `TextBuilder` that normalises and maps every line.
//! Inputs that would be sniffed as PDF or OLE are skipped (those go to external programs);
//! zip inputs have their own target (`docx`).
use ingest::{Encoding, Limits, Options};

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let head = &data[..data.len().min(1024)];
        if head.windows(5).any(|w| w == b"%PDF-")
            || data.starts_with(b"PK\x03\x04")
            || data.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
        {
            return;
        }
        // The first byte picks what the user asked for (`--encoding`), the rest is the file.
        let (choice, body) = match data.split_first() {
            Some((c, rest)) => (*c, rest),
            None => return,
        };
        let encoding = match choice % 5 {
            0 => Some(Encoding::Tcvn3),
            1 => Some(Encoding::Vni),
            2 => Some(Encoding::Windows1258),
            _ => None,
        };
        // A small text limit so that the refusal path is reached too.
        let limits = Limits {
            max_text_bytes: if choice & 0x80 != 0 {
                256
            } else {
                Limits::default().max_text_bytes
            },
            ..Limits::default()
        };
        let options = Options {
            limits,
            encoding,
            ..Options::default()
        };
        if let Ok(out) = ingest::read_bytes(body, "fuzz.txt", &options) {
            // The source map points into the text, in order.
            let mut last = 0;
            for anchor in &out.source_map {
                assert!(
                    anchor.offset >= last && anchor.offset <= out.text.len(),
                    "anchor out of order or range"
                );
                assert!(
                    out.text.is_char_boundary(anchor.offset),
                    "anchor inside a character"
                );
                last = anchor.offset;
            }
        }
    });
}
