//! `nhiemvu parse` as scripts use it: JSON Lines, exit status, one error line per bad file.

use std::path::{Path, PathBuf};
use std::process::Command;

fn nhiemvu() -> Command {
    Command::new(env!("CARGO_BIN_EXE_nhiemvu"))
}

fn model_case() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/2395-UBND-KTTH.txt")
}

fn scratch(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("nhiemvu-cli-parse-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn json_has_every_field_of_the_contract() {
    let out = nhiemvu()
        .args(["parse", "--json"])
        .arg(model_case())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1, "one JSON object per line");
    let doc: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(doc["schema"], "nhiemvu.document/1");
    assert_eq!(doc["source"]["file"], "2395-UBND-KTTH.txt");
    assert_eq!(doc["source"]["format"], "text");
    assert_eq!(doc["source"]["sha256"].as_str().unwrap().len(), 64);
    for field in [
        "kind",
        "issuer",
        "number",
        "symbol",
        "code",
        "place",
        "date",
        "subject",
        "recipients",
        "copies_to",
        "signer",
        "references",
        "outline",
        "tasks",
        "monitor",
        "warnings",
    ] {
        assert!(doc.get(field).is_some(), "field {field} present");
    }
}

#[test]
fn several_files_give_json_lines_and_a_bad_one_gives_status_2() {
    let empty = scratch("empty.txt", b"");
    let out = nhiemvu()
        .args(["parse", "--json"])
        .arg(model_case())
        .arg(&empty)
        .arg(model_case())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().lines().count(),
        2,
        "the good files are still printed"
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "one error line: {stderr}");
    assert!(
        stderr.contains("empty.txt") && stderr.contains("tệp rỗng"),
        "{stderr}"
    );
}

#[test]
fn text_prints_the_normalised_text() {
    let decomposed = "Ủy ban nhân dân".replace('Ủ', "U\u{0309}");
    let path = scratch("decomposed.txt", decomposed.as_bytes());
    let out = nhiemvu()
        .args(["parse", "--text"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "Ủy ban nhân dân\n");
}

#[test]
fn bad_inputs_exit_2_with_one_line_each() {
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.txt", Vec::new(), "rỗng"),
        (
            "binary.txt",
            (0..2048u32)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
                .collect(),
            "không phải văn bản",
        ),
        (
            "truncated.docx",
            b"PK\x03\x04\x14\x00\x00\x00".to_vec(),
            "DOCX",
        ),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj\n<<".to_vec(), "PDF"),
    ];
    for (name, bytes, expected) in cases {
        let path = scratch(name, &bytes);
        let out = nhiemvu().arg("parse").arg(&path).output().unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{name}: one line: {stderr}");
        assert!(stderr.contains(expected), "{name}: {stderr}");
    }
}

#[test]
fn usage_errors_exit_2() {
    let out = nhiemvu().args(["parse"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = nhiemvu()
        .args(["parse", "--ocr", "sometimes"])
        .arg(model_case())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
