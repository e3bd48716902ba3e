//! Reads every original of the shared corpus (`../shared/corpus`, skipped when absent).
//!
//! Files with a text layer must yield the issuer line and the first body sentence of the
//! reference rendering `docs/NNN.txt`; scans must be recognised as scans (not as empty text);
//! three single-page scans go through OCR and are compared with the reference.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ingest::quality::{collapse, reference_body_line, reference_issuer_line};
use ingest::{Error, OcrMode, Options};

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if dir.join("originals").is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: corpus not found at {} (../shared/corpus beside the project)", dir.display());
        None
    }
}

/// Ids whose reference text is OCR output (the original is a scan or has a broken text layer).
fn ocr_ids(corpus: &Path) -> Vec<String> {
    let manifest = std::fs::read_to_string(corpus.join("MANIFEST.tsv")).expect("MANIFEST.tsv");
    manifest
        .lines()
        .skip(1)
        .filter(|l| l.contains("text via OCR"))
        .filter_map(|l| l.split('\t').next().map(str::to_owned))
        .collect()
}

#[test]
fn every_original_is_read_and_text_layers_match_the_reference() {
    let Some(corpus) = corpus() else { return };
    let scans = ocr_ids(&corpus);
    let options = Options { ocr: OcrMode::Never, ..Options::default() };
    let mut passes: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut originals: Vec<PathBuf> =
        std::fs::read_dir(corpus.join("originals")).unwrap().map(|e| e.unwrap().path()).collect();
    originals.sort();
    assert_eq!(originals.len(), 75, "the corpus has 75 originals");
    for path in originals {
        let id = path.file_stem().unwrap().to_string_lossy().into_owned();
        let ext = path.extension().unwrap().to_string_lossy().into_owned();
        let format: &'static str = match ext.as_str() {
            "pdf" if scans.contains(&id) => "pdf (scan)",
            "pdf" => "pdf",
            "docx" => "docx",
            "doc" => "doc",
            other => panic!("unexpected file type {other}"),
        };
        let entry = passes.entry(format).or_default();
        entry.1 += 1;
        let result = ingest::read_file(&path, &options);
        if format == "pdf (scan)" {
            match result {
                Err(Error::ScanWithoutOcr) => entry.0 += 1,
                Ok(e) => failures.push(format!("{id}: scan not recognised ({} bytes of text)", e.text.len())),
                Err(e) => failures.push(format!("{id}: {e}")),
            }
            continue;
        }
        let extracted = match result {
            Ok(e) => e,
            Err(e) => {
                failures.push(format!("{id}: {e}"));
                continue;
            }
        };
        let reference = std::fs::read_to_string(corpus.join("docs").join(format!("{id}.txt"))).unwrap();
        let reference = vn_text::normalize(&reference);
        let got = collapse(&extracted.text);
        let issuer = reference_issuer_line(&reference).expect("reference has an issuer line");
        let body = reference_body_line(&reference).expect("reference has a body line");
        let mut ok = true;
        if !got.contains(&issuer) {
            failures.push(format!("{id}: issuer line «{issuer}» missing"));
            ok = false;
        }
        if !got.contains(&body) {
            failures.push(format!("{id}: body line «{body}» missing"));
            ok = false;
        }
        if ok {
            entry.0 += 1;
        }
    }
    for (format, (pass, total)) in &passes {
        println!("{format:12} {pass}/{total} read as expected");
    }
    assert!(failures.is_empty(), "failures:\n{}", failures.join("\n"));
}

#[test]
fn ocr_of_three_single_page_scans_agrees_with_the_reference() {
    let Some(corpus) = corpus() else { return };
    for id in ["020", "087", "092"] {
        let path = corpus.join("originals").join(format!("{id}.pdf"));
        let extracted = ingest::read_file(&path, &Options::default()).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(extracted.format, ingest::Format::PdfOcr, "{id} is a scan");
        let reference = std::fs::read_to_string(corpus.join("docs").join(format!("{id}.txt"))).unwrap();
        let cer = ingest::quality::character_error_rate(&vn_text::normalize(&reference), &extracted.text);
        println!("{id}: character error rate against the reference {:.1}%", cer * 100.0);
        assert!(cer < 0.10, "{id}: OCR disagrees with the reference ({:.1}%)", cer * 100.0);
    }
}
