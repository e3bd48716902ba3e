//! Throughput of `find_all` over the model directive repeated to about 10 MB.
//! Run with `cargo bench -p gazetteer --bench find`; prints a table in MB/s (best of 5).
//! "per paragraph" is how the extractor calls it: one call per non-empty line. `vn_text::fold` is
//! the floor: `find_all` folds once and scans once, so it cannot beat it.

use std::hint::black_box;
use std::time::Instant;

use gazetteer::Gazetteer;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/2395-UBND-KTTH.txt");
const TARGET_BYTES: usize = 10 * 1024 * 1024;
const ROUNDS: usize = 5;

fn measure(name: &str, bytes: usize, mut f: impl FnMut() -> usize) {
    let mut best = f64::MAX;
    let mut found = 0;
    for _ in 0..ROUNDS {
        let start = Instant::now();
        found = black_box(f());
        best = best.min(start.elapsed().as_secs_f64());
    }
    let mb = bytes as f64 / 1e6;
    println!("{name:<28} {mb:>8.1} {:>10.0} {found:>10}", mb / best);
}

fn main() {
    let doc = match std::fs::read_to_string(FIXTURE) {
        Ok(d) if !d.is_empty() => d,
        _ => {
            eprintln!("skipped: cannot read {FIXTURE}");
            return;
        }
    };
    let g = Gazetteer::embedded();
    let text = doc.repeat(TARGET_BYTES.div_ceil(doc.len()));
    let paragraphs: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    println!("{:<28} {:>8} {:>10} {:>10}", "function", "MB", "MB/s", "found");
    measure("vn_text::fold (reference)", text.len(), || vn_text::fold(black_box(&text)).len());
    measure("find_all (whole text)", text.len(), || g.find_all(black_box(&text)).len());
    measure("find_all (per paragraph)", text.len(), || {
        paragraphs.iter().map(|p| g.find_all(black_box(p)).len()).sum()
    });
}
