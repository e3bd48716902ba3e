//! Snapshots of the full contract JSON: the model case, and ten varied corpus documents
//! (signed PDF, drafts from DOCX and DOC, OCR scans, a ministry letter, decisions with
//! articles). A change in any extracted field shows up as a reviewed snapshot diff.

use std::path::{Path, PathBuf};

fn parse(path: &Path) -> doc_parse::Document {
    let raw = std::fs::read_to_string(path).unwrap();
    let source = doc_parse::SourceInfo {
        file: path.file_name().unwrap().to_string_lossy().into_owned(),
        format: "text".to_owned(),
        sha256: String::new(),
    };
    doc_parse::parse(&vn_text::normalize(&raw), source).document
}

#[test]
fn model_case() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/2395-UBND-KTTH.txt");
    insta::assert_json_snapshot!("2395-UBND-KTTH", parse(&path));
}

#[test]
fn corpus_documents() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/docs");
    if !docs.is_dir() {
        eprintln!("skipped: corpus not found at {}", docs.display());
        return;
    }
    // 002 signed PDF (TB kết luận) · 006 OCR chỉ thị · 023 DOC draft · 031 ministry letter ·
    // 039 TL./KT. stack · 043 QĐ with articles · 049 DOCX QĐ (TM./KT.) · 054 Cục letter ·
    // 066 QĐ draft with a member list · 085 OCR with the number in an appendix header.
    for id in ["002", "006", "023", "031", "039", "043", "049", "054", "066", "085"] {
        let path: PathBuf = docs.join(format!("{id}.txt"));
        insta::assert_json_snapshot!(format!("corpus-{id}"), parse(&path));
    }
}
