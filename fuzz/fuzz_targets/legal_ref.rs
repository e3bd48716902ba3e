//! The citation finder (`legal_ref::find`): anchors, the hand parsers of full, by-name and
//! short forms, resolution, and `annotate`. Invariants the crate states: every span is a
//! slice of the input that reads as the citation's text, and the exhaustive scan (the
//! oracle) finds the same as the prefiltered one (checked on inputs up to 4 KiB, since the
//! exhaustive scan tries every anchor at every position).
use legal_ref::Scan;

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let text = match std::str::from_utf8(data) {
            Ok(s) => s,
            Err(_) => return,
        };
        let found = legal_ref::find(text);
        for c in &found {
            assert_eq!(
                text.get(c.span.clone()),
                Some(c.text.as_str()),
                "span does not hold the citation's text"
            );
            let _ = legal_ref::code_key(&c.code);
        }
        let _ = legal_ref::annotate(text, &found);
        if text.len() <= 4096 {
            assert_eq!(
                legal_ref::find_with(text, Scan::Exhaustive),
                found,
                "the two scans disagree"
            );
        }
    });
}
