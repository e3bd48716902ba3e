//! Throughput of `normalize` and `fold` over a real directive repeated to about 10 MB.
//! Run with `cargo bench -p vn-text --bench fold`; prints a table in MB/s (best of 5).

use std::hint::black_box;
use std::time::Instant;

use unicode_normalization::UnicodeNormalization;

const FIXTURE: &str = "/work/shared/fixtures/2395-UBND-KTTH.txt";
const TARGET_BYTES: usize = 10 * 1024 * 1024;
const ROUNDS: usize = 5;

fn measure(name: &str, input: &str, mut f: impl FnMut(&str) -> usize) {
    let mut best = f64::MAX;
    for _ in 0..ROUNDS {
        let start = Instant::now();
        black_box(f(black_box(input)));
        best = best.min(start.elapsed().as_secs_f64());
    }
    let mb = input.len() as f64 / 1e6;
    println!("{name:<26} {mb:>8.1} {:>10.0}", mb / best);
}

fn main() {
    let doc = match std::fs::read_to_string(FIXTURE) {
        Ok(d) if !d.is_empty() => d,
        _ => {
            eprintln!("skipped: cannot read {FIXTURE}");
            return;
        }
    };
    let text = doc.repeat(TARGET_BYTES.div_ceil(doc.len()));
    let nfd: String = text.nfd().collect();

    println!("{:<26} {:>8} {:>10}", "function", "MB", "MB/s");
    measure("normalize (NFC input)", &text, |s| vn_text::normalize(s).len());
    measure("normalize (NFD input)", &nfd, |s| vn_text::normalize(s).len());
    measure("fold (NFC input)", &text, |s| vn_text::fold(s).len());
    measure("fold (NFD input)", &nfd, |s| vn_text::fold(s).len());
    let mut buf = String::new();
    measure("fold_into (reused buffer)", &text, |s| {
        buf.clear();
        vn_text::fold_into(s, &mut buf);
        buf.len()
    });
}
