//! Bulk import (PRODUCT.md target: 10,000 text documents into SQLite in under a minute on two
//! cores). Generates distinct directives from the model case into a temporary folder and runs
//! the release binary on it exactly as an official would (`nhiemvu import FOLDER --commit`), so
//! the figure includes start-up, directory listing, reading, parsing and one transaction per
//! document. `NHIEMVU_BENCH_DOCS` changes the count.
//!
//! `cargo bench -p nhiemvu --bench import`
use std::process::{Command, Stdio};
use std::time::Instant;

#[path = "../tests/common/corpus.rs"]
mod corpus;

fn main() {
    let n: usize = std::env::var("NHIEMVU_BENCH_DOCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let dir = std::env::temp_dir().join(format!("nhiemvu_bench_import_{}", std::process::id()));
    let input = dir.join("in");
    corpus::write(&input, n);
    let db = dir.join("bench.db");
    let started = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_nhiemvu"))
        .arg("import")
        .arg(&input)
        .arg("--commit")
        .arg("--database")
        .arg(format!("sqlite://{}", db.display()))
        .env_remove("DATABASE_URL")
        // One line per file on stdout would measure the terminal; the progress line and the
        // summary go to stderr and stay visible.
        .stdout(Stdio::null())
        .status()
        .expect("run nhiemvu");
    let elapsed = started.elapsed().as_secs_f64();
    let size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
    std::fs::remove_dir_all(&dir).ok();
    assert!(status.success(), "nhiemvu import failed: {status}");
    println!(
        "{:<34} {:>10} {:>12} {:>14}",
        "bulk import (SQLite)", "documents", "seconds", "documents/s"
    );
    println!(
        "{:<34} {n:>10} {elapsed:>12.2} {:>14.0}",
        "nhiemvu import FOLDER --commit",
        n as f64 / elapsed
    );
    println!(
        "database file: {:.1} MB; target: 10,000 documents in under 60 s",
        size as f64 / 1e6
    );
}
