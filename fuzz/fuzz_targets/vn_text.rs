//! Text decoding (`vn-text`): legacy-encoding detection and decoding of any bytes, and the
//! normalisation, folding and scoring every piece of text goes through. Besides "no panic",
//! the cheap invariants the crate's property tests state: normalisation and folding are
//! idempotent, folding ignores normalisation, and valid UTF-8 is never taken for a legacy
//! encoding.
use vn_text::legacy::{self, Encoding};

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let detected = legacy::detect(data);
        for enc in Encoding::ALL {
            let decoded = legacy::decode(data, enc);
            // What the text reader does next with a decoded file.
            let _ = vn_text::normalize(&decoded);
            let _ = legacy::encode(&decoded, enc);
        }
        let s = match std::str::from_utf8(data) {
            Ok(s) => s,
            Err(_) => return,
        };
        assert_eq!(detected, None, "valid UTF-8 detected as a legacy encoding");
        let once = vn_text::normalize(s);
        assert_eq!(
            vn_text::normalize(&once),
            once,
            "normalize is not idempotent"
        );
        let folded = vn_text::fold(s);
        assert_eq!(vn_text::fold(&folded), folded, "fold is not idempotent");
        assert_eq!(
            vn_text::fold(&once),
            folded,
            "fold depends on normalisation"
        );
        let _ = vn_text::canonical(s);
        let _ = vn_text::new_style_tones(s);
        let score = vn_text::looks_vietnamese(s);
        assert!(
            (0.0..=1.0).contains(&score),
            "looks_vietnamese gave {score}"
        );
        // Mojibake: a legacy-font PDF layer read as Latin-1.
        if let Some(enc) = legacy::detect_mojibake(s) {
            let _ = vn_text::normalize(&legacy::decode_mojibake(s, enc));
        }
        for enc in Encoding::ALL {
            let _ = legacy::decode_mojibake(s, enc);
        }
    });
}
