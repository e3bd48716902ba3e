//! Finding throughput in MB/s of normalised text, with the Aho-Corasick prefilter and with
//! every anchor tried at every position, over all corpus texts (or the model case repeated
//! when `../shared/corpus` is absent).
//!
//! `cargo bench -p legal-ref`

use std::path::Path;
use std::time::{Duration, Instant};

use legal_ref::Scan;

/// Runs `f` repeatedly for about a second and returns the time of one run.
fn time(mut f: impl FnMut()) -> Duration {
    f();
    let mut runs = 0u32;
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(1) || runs == 0 {
        f();
        runs += 1;
    }
    started.elapsed() / runs
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = root.join("../../../shared/corpus/docs");
    let (label, texts): (&str, Vec<String>) = match std::fs::read_dir(&corpus) {
        Ok(dir) => {
            let mut paths: Vec<_> = dir.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|e| e == "txt")).collect();
            paths.sort();
            ("corpus", paths.iter().filter_map(|p| std::fs::read_to_string(p).ok()).map(|t| vn_text::normalize(&t)).collect())
        }
        Err(_) => {
            let model = std::fs::read_to_string(root.join("../../examples/2395-UBND-KTTH.txt")).expect("model case");
            ("model case ×50", vec![vn_text::normalize(&model); 50])
        }
    };
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut found = 0;
    println!("input: {label}, {} texts, {:.2} MB", texts.len(), bytes as f64 / 1e6);
    println!("{:<14} {:>12} {:>10} {:>10}", "scan", "time/pass", "MB/s", "citations");
    for (name, scan) in [("prefiltered", Scan::Prefiltered), ("exhaustive", Scan::Exhaustive)] {
        let t = time(|| {
            found = texts.iter().map(|t| std::hint::black_box(legal_ref::find_with(t, scan)).len()).sum();
        });
        let mbs = bytes as f64 / 1e6 / t.as_secs_f64();
        println!("{name:<14} {:>10.2}ms {mbs:>10.1} {found:>10}", t.as_secs_f64() * 1e3);
    }
}
