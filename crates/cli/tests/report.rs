//! `nhiemvu report` and `nhiemvu urge` end to end: the files the commands write read back
//! through `nhiemvu parse` as the documents they claim to be, and usage errors exit as
//! PRODUCT.md says (2 for an unreadable period, 1 for an agency the directory does not know).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

struct Dir(PathBuf);

impl Drop for Dir {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.0).ok();
    }
}

fn nhiemvu(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nhiemvu"))
        .args(args)
        .args(["--database", db])
        .env_remove("DATABASE_URL")
        .output()
        .unwrap()
}

fn parse(path: &Path) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_nhiemvu"))
        .args(["parse", "--json"])
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn warnings(doc: &Value) -> Vec<String> {
    doc["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn report_and_urge_commands_write_documents_that_read_back() {
    let dir = Dir(std::env::temp_dir().join(format!("nhiemvu-cli-report-{}", std::process::id())));
    std::fs::create_dir_all(&dir.0).unwrap();
    let db = format!("sqlite://{}", dir.0.join("r.db").display());
    let model = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/2395-UBND-KTTH.txt"
    );
    let out = nhiemvu(&db, &["import", model, "--commit"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let file = |name: &str| dir.0.join(name);
    let path = |name: &str| file(name).to_str().unwrap().to_owned();

    // A numbered report.
    let out = nhiemvu(
        &db,
        &[
            "report",
            "--period",
            "2022-Q4",
            "--document",
            "2395/UBND-KTTH",
            "--number",
            "15",
            "--date",
            "2023-01-05",
            "-o",
            &path("bc.docx"),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc = parse(&file("bc.docx"));
    assert_eq!(doc["kind"], "bao_cao");
    assert_eq!(doc["issuer"]["name"], "Ủy ban nhân dân tỉnh Quảng Ngãi");
    assert_eq!(doc["code"], "15/BC-UBND");
    assert_eq!(doc["date"], "2023-01-05");

    // A draft: number and date null, with the parser's warnings.
    let out = nhiemvu(
        &db,
        &["report", "--period", "2022-12", "-o", &path("draft.docx")],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc = parse(&file("draft.docx"));
    assert_eq!(doc["kind"], "bao_cao");
    assert!(doc["number"].is_null() && doc["date"].is_null(), "{doc}");
    let codes = warnings(&doc);
    assert!(
        codes.contains(&"number_blank".into()) && codes.contains(&"date_blank".into()),
        "{codes:?}"
    );

    // XLSX and HTML.
    for (format, name, magic) in [
        ("xlsx", "bc.xlsx", &b"PK"[..]),
        ("html", "bc.html", &b"<!DOCTYPE html>"[..]),
    ] {
        let out = nhiemvu(
            &db,
            &[
                "report",
                "--period",
                "2022",
                "--format",
                format,
                "-o",
                &path(name),
            ],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            std::fs::read(file(name)).unwrap().starts_with(magic),
            "{name}"
        );
    }

    // Urging letters: task 2.3 (due 31 December 2022, in fact 3 January 2023) is overdue on
    // 4 January 2023.
    let out = nhiemvu(
        &db,
        &[
            "urge",
            "--as-of",
            "2023-01-04",
            "--agency",
            "Sở Văn hóa, Thể thao và Du lịch",
            "-o",
            &path("dd.docx"),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc = parse(&file("dd.docx"));
    assert_eq!(doc["kind"], "cong_van");
    assert_eq!(doc["issuer"]["name"], "Ủy ban nhân dân tỉnh Quảng Ngãi");
    assert_eq!(doc["recipients"][0], "Sở Văn hóa, Thể thao và Du lịch");
    let out = nhiemvu(
        &db,
        &["urge", "--as-of", "2023-01-04", "-o", &path("letters")],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        file("letters")
            .join("don-doc-so-van-hoa-the-thao-va-du-lich.docx")
            .exists()
    );

    // Usage errors and refusals.
    let out = nhiemvu(
        &db,
        &["report", "--period", "2022-Q5", "-o", &path("x.docx")],
    );
    assert_eq!(out.status.code(), Some(2));
    let out = nhiemvu(
        &db,
        &[
            "report",
            "--period",
            "2022",
            "--agency",
            "Sở Không Có",
            "-o",
            &path("x.docx"),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Sở Không Có"));
    assert!(!file("x.docx").exists());
}
