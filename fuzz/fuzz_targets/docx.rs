//! DOCX → text (`ingest::read_bytes` on a zip): the bounded zip reader, the WordprocessingML
//! walk (paragraphs, automatic numbering, tables, notes, text boxes) and the source map.
//! Only inputs that start like a zip are read (anything else goes to another reader); the
//! expansion limit is lowered to 16 MiB so that one input stays well under a second
//! (the limit itself is what is being exercised, not its default value).
use ingest::{Limits, Options};

fn main() {
    afl::fuzz!(|data: &[u8]| {
        if !data.starts_with(b"PK\x03\x04") {
            return;
        }
        let limits = Limits {
            max_expanded_bytes: 16 << 20,
            ..Limits::default()
        };
        let options = Options {
            limits,
            ..Options::default()
        };
        if let Ok(out) = ingest::read_bytes(data, "fuzz.docx", &options) {
            for anchor in &out.source_map {
                assert!(
                    out.text.is_char_boundary(anchor.offset),
                    "anchor inside a character or past the end"
                );
            }
        }
    });
}
