//! Reads every original of the shared corpus the way the product does (OCR included) and
//! prints, per format, how many files were read as expected, and for scans the character
//! error rate of our OCR against the reference text (itself tesseract output, so this
//! measures agreement), with timings.
//!
//! `cargo run --release -p ingest --example eval-corpus -- ../shared/corpus`

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use ingest::quality::{character_error_rate, collapse, reference_body_line, reference_issuer_line};
use ingest::{Format, Options};

fn main() {
    let corpus = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "../shared/corpus".to_owned()));
    let Ok(entries) = std::fs::read_dir(corpus.join("originals")) else {
        eprintln!("corpus not found at {}", corpus.display());
        std::process::exit(2);
    };
    let mut originals: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    originals.sort();
    let mut per_format: BTreeMap<&str, (usize, usize, f64)> = BTreeMap::new();
    let mut ocr_errors: Vec<f64> = Vec::new();
    let mut ocr_chars = 0usize;
    let mut ocr_edits = 0.0;
    println!("{:<5} {:<8} {:>8} {:>9}  result", "id", "format", "seconds", "CER");
    for path in originals {
        let id = path.file_stem().unwrap().to_string_lossy().into_owned();
        let reference = std::fs::read_to_string(corpus.join("docs").join(format!("{id}.txt"))).map(|r| vn_text::normalize(&r));
        let started = Instant::now();
        let result = ingest::read_file(&path, &Options::default());
        let seconds = started.elapsed().as_secs_f64();
        let (format, verdict, cer) = match (&result, &reference) {
            (Ok(e), Ok(reference)) if e.format == Format::PdfOcr => {
                let cer = character_error_rate(reference, &e.text);
                ocr_errors.push(cer);
                let len = collapse(reference).chars().count();
                ocr_chars += len;
                ocr_edits += cer * len as f64;
                ("pdf-ocr", true, Some(cer))
            }
            (Ok(e), Ok(reference)) => {
                let got = collapse(&e.text);
                let ok = reference_issuer_line(reference).is_some_and(|l| got.contains(&l))
                    && reference_body_line(reference).is_some_and(|l| got.contains(&l));
                (e.format.as_str(), ok, None)
            }
            (Err(e), _) => {
                println!("{id:<5} {:<8} {seconds:>8.1} {:>9}  lỗi: {e}", "?", "");
                per_format.entry("lỗi").or_default().1 += 1;
                continue;
            }
            (Ok(_), Err(_)) => ("?", false, None),
        };
        let entry = per_format.entry(format).or_default();
        entry.0 += usize::from(verdict);
        entry.1 += 1;
        entry.2 += seconds;
        let cer_text = cer.map_or(String::new(), |c| format!("{:.1}%", c * 100.0));
        println!("{id:<5} {format:<8} {seconds:>8.1} {cer_text:>9}  {}", if verdict { "ok" } else { "KHÁC" });
    }
    println!();
    println!("{:<8} {:>10} {:>10}", "format", "as expected", "seconds");
    for (format, (ok, total, secs)) in &per_format {
        println!("{format:<8} {:>10} {secs:>10.1}", format!("{ok}/{total}"));
    }
    if !ocr_errors.is_empty() {
        ocr_errors.sort_by(f64::total_cmp);
        let median = ocr_errors[ocr_errors.len() / 2];
        println!(
            "OCR: {} files, character error rate against the reference: overall {:.2}%, median {:.2}%, worst {:.2}%",
            ocr_errors.len(),
            100.0 * ocr_edits / ocr_chars.max(1) as f64,
            median * 100.0,
            ocr_errors.last().unwrap() * 100.0
        );
    }
}
