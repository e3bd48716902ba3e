//! PDF text layer. A PDF itself is parsed by poppler (`pdfinfo`, `pdftotext -layout`), a C
//! program run as a subprocess with a timeout and an output cap (`ingest/src/tools.rs`): its
//! failures become errors, not crashes of ours, and it is not ours to fuzz. What is ours is
//! the handling of its output in `ingest/src/pdf.rs`, which this target replays on arbitrary
//! "pdftotext output" through the same public functions: lossy UTF-8, pages split at form
//! feeds, legacy-font mojibake detection over the whole layer and decoding page by page, the
//! "reads as Vietnamese" score that decides whether a page needs OCR, and the `TextBuilder`
//! that normalises each page under the text limit. (The few lines of glue in `pdf.rs` are
//! private; this replays them step for step.)
use ingest::{Format, Location, TextBuilder};
use vn_text::legacy;

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let (pages, layer) = match data.split_first() {
            // The page count pdfinfo reported.
            Some((n, rest)) => (*n as usize % 16 + 1, rest),
            None => return,
        };
        let layer = String::from_utf8_lossy(layer);
        let mut page_texts: Vec<String> = layer.split('\u{000C}').map(str::to_owned).collect();
        page_texts.resize(pages, String::new());
        page_texts.truncate(pages);
        let whole: String = page_texts.concat();
        if let Some(enc) = legacy::detect_mojibake(&whole) {
            for page in &mut page_texts {
                *page = legacy::decode_mojibake(page, enc);
            }
        }
        let mut builder = TextBuilder::new(64 * 1024);
        for (i, page_text) in page_texts.iter().enumerate() {
            let letters = page_text.chars().filter(|c| c.is_alphabetic()).count();
            let score = vn_text::looks_vietnamese(page_text);
            assert!(
                (0.0..=1.0).contains(&score),
                "looks_vietnamese gave {score}"
            );
            if letters < 120 || score < 0.65 {
                // This page would go to OCR (or be skipped with OCR off).
                continue;
            }
            builder.mark(Location::Page(i as u32 + 1));
            if builder.push(page_text).is_err() || builder.end_line().is_err() {
                return;
            }
        }
        let out = builder.finish(Format::Pdf);
        for anchor in &out.source_map {
            assert!(
                out.text.is_char_boundary(anchor.offset),
                "anchor inside a character or past the end"
            );
        }
    });
}
