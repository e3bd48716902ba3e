//! Checks against real documents in the shared corpus (read in place, never copied
//! into the repository). Each test skips with a message when the files are absent.

use std::path::Path;
use std::process::Command;

use vn_text::legacy::{self, Encoding};
use vn_text::{fold, looks_vietnamese, normalize};

const FIXTURE: &str = "/work/shared/fixtures/2395-UBND-KTTH.txt";
const CORPUS: &str = "/work/shared/corpus";

fn read(path: &str) -> Option<String> {
    match std::fs::read_to_string(path) {
        Ok(s) => Some(s),
        Err(e) => {
            eprintln!("skipped: cannot read {path}: {e}");
            None
        }
    }
}

fn corpus_texts() -> Vec<(String, String)> {
    let dir = Path::new(CORPUS).join("docs");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipped: no corpus at {}", dir.display());
        return Vec::new();
    };
    let mut out: Vec<(String, String)> = entries
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "txt"))
        .filter_map(|e| Some((e.file_name().to_string_lossy().into_owned(), std::fs::read_to_string(e.path()).ok()?)))
        .collect();
    out.sort();
    out
}

#[test]
fn real_utf8_documents_are_never_taken_for_legacy_encodings() {
    let mut texts = corpus_texts();
    texts.extend(read(FIXTURE).map(|t| ("fixture".to_owned(), t)));
    let mut scores = Vec::new();
    for (name, text) in &texts {
        scores.push((looks_vietnamese(text), name.as_str()));
        assert_eq!(legacy::detect(text.as_bytes()), None, "{name}");
        assert_eq!(legacy::detect_mojibake(text), None, "{name}");
    }
    scores.sort_by(|a, b| a.0.total_cmp(&b.0));
    eprintln!("lowest looks_vietnamese scores: {:.2?}", &scores[..scores.len().min(5)]);
}

#[test]
fn real_documents_round_trip_through_every_encoding() {
    let Some(text) = read(FIXTURE) else { return };
    let text = normalize(&text);
    assert!(looks_vietnamese(&text) > 0.85, "{}", looks_vietnamese(&text));
    for enc in [Encoding::Vni, Encoding::Windows1258] {
        let Ok(bytes) = legacy::encode(&text, enc) else { continue };
        assert_eq!(legacy::decode(&bytes, enc), text, "{enc}");
        assert_eq!(legacy::detect(&bytes), Some(enc), "{enc}");
    }
    let tcvn3 = legacy::encode(&text, Encoding::Tcvn3);
    if let Ok(bytes) = tcvn3 {
        let decoded = legacy::decode(&bytes, Encoding::Tcvn3);
        assert_eq!(fold(&decoded), fold(&text));
        assert_eq!(legacy::detect(&bytes), Some(Encoding::Tcvn3));
    }
}

/// The five corpus PDFs whose text layer is not usable as it is. Their pdftotext output
/// is examined; none of them turns out to be TCVN3, VNI or Windows-1258 (see the report
/// in each assertion), so detection must say `None` and the text layer must score low
/// enough to be sent to OCR.
#[test]
fn broken_pdf_text_layers() {
    for id in ["087", "091", "092", "093", "095"] {
        let pdf = format!("{CORPUS}/originals/{id}.pdf");
        if !Path::new(&pdf).exists() {
            eprintln!("skipped: {pdf} absent");
            continue;
        }
        let output = match Command::new("pdftotext").args(["-layout", &pdf, "-"]).output() {
            Ok(o) => o,
            Err(e) => {
                eprintln!("skipped: pdftotext unavailable: {e}");
                return;
            }
        };
        let text = String::from_utf8_lossy(&output.stdout);
        let score = looks_vietnamese(&text);
        let detected = legacy::detect_mojibake(&text);
        let best = Encoding::ALL.map(|enc| looks_vietnamese(&legacy::decode_mojibake(&text, enc)));
        eprintln!("{id}: looks_vietnamese {score:.2}, detect_mojibake {detected:?}, decoded scores {best:.2?}");
        assert_eq!(detected, None, "{id}");
        assert!(score < 0.8, "{id}: {score}");
    }
}
