//! Parse throughput: the model case one document at a time, and every corpus text rendering
//! (when `../shared/corpus` is present) as a stream, in MB/s of input text.
//!
//! `cargo bench -p doc-parse`

use std::path::Path;
use std::time::{Duration, Instant};

fn source() -> doc_parse::SourceInfo {
    doc_parse::SourceInfo { file: "bench.txt".to_owned(), format: "text".to_owned(), sha256: String::new() }
}

/// Runs `f` repeatedly for about a second and returns the time of one run.
fn time(mut f: impl FnMut()) -> Duration {
    f();
    let mut runs = 0u32;
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(1) {
        f();
        runs += 1;
    }
    started.elapsed() / runs
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let model = vn_text::normalize(&std::fs::read_to_string(root.join("../../examples/2395-UBND-KTTH.txt")).unwrap());
    let one = time(|| {
        std::hint::black_box(doc_parse::parse(&model, source()));
    });
    println!("{:<44} {:>10} {:>12}", "input", "per run", "throughput");
    let mbps = |bytes: usize, d: Duration| bytes as f64 / d.as_secs_f64() / 1e6;
    println!("{:<44} {:>8.1}µs {:>8.1} MB/s", "model case 2395/UBND-KTTH (12 KB)", one.as_secs_f64() * 1e6, mbps(model.len(), one));

    let docs = root.join("../../../shared/corpus/docs");
    let Ok(entries) = std::fs::read_dir(&docs) else {
        println!("corpus not found at {}: corpus figure skipped", docs.display());
        return;
    };
    let texts: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| vn_text::normalize(&std::fs::read_to_string(e.path()).unwrap()))
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let all = time(|| {
        for t in &texts {
            std::hint::black_box(doc_parse::parse(t, source()));
        }
    });
    let label = format!("corpus texts ({} files, {} KB)", texts.len(), bytes / 1024);
    println!("{label:<44} {:>8.1}ms {:>8.1} MB/s", all.as_secs_f64() * 1e3, mbps(bytes, all));
}
