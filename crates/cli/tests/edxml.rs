//! `nhiemvu import` of edXML packages and `nhiemvu export --edxml`, run as the real binary on
//! a fresh SQLite file (and a fresh PostgreSQL schema when `NHIEMVU_TEST_POSTGRES` is set).
//! Corpus packages are read from `../shared/corpus/edxml` (those tests say they are skipped
//! when it is absent); the other packages are built here with the `edxml` crate.
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

const MODEL: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/2395-UBND-KTTH.txt"
);
#[path = "common/scratch.rs"]
mod scratch;
use scratch::{Backend, Scratch, run, text};

macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[test] fn $name() { crate::run(crate::Backend::Sqlite, crate::$name) })*
        }
        mod postgres {
            $(#[test] fn $name() { crate::run(crate::Backend::Postgres, crate::$name) })*
        }
    };
}

on_both_backends! {
    corpus_package_imports_and_exports_back_unchanged,
    status_messages_are_reported_and_revocations_refused,
    header_metadata_wins_over_the_text_with_warnings,
    a_plain_document_exports_as_a_package_that_imports_the_same,
    hostile_and_broken_packages_are_refused_with_their_reason,
}

fn corpus(file: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/edxml");
    if dir.is_dir() {
        Some(dir.join(file))
    } else {
        println!(
            "skipped: corpus not found at {} (../shared/corpus beside the project)",
            dir.display()
        );
        None
    }
}

fn code(out: &Output) -> Option<i32> {
    out.status.code()
}

fn json_lines(out: &Output) -> Vec<Value> {
    text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn read_package(path: &Path) -> edxml::Package {
    let bytes = std::fs::read(path).unwrap();
    match edxml::read(bytes.as_slice(), &edxml::Limits::default())
        .unwrap()
        .message
    {
        edxml::Message::Package(p) => p,
        edxml::Message::Status(s) => panic!("a status message: {s:?}"),
    }
}

/// The stored documents, each as column → value, from a backup of the store.
fn stored_documents(s: &Scratch) -> Vec<serde_json::Map<String, Value>> {
    let backup = s.path(&format!("backup-{}.jsonl", std::process::id()));
    let _ = std::fs::remove_file(&backup);
    let out = s.run(&["backup", backup.to_str().unwrap()]);
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    let mut columns: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    for line in std::fs::read_to_string(&backup).unwrap().lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        if let Some(table) = v.get("table") {
            columns = (table == "document").then(|| {
                v["columns"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c.as_str().unwrap().to_owned())
                    .collect()
            });
        } else if let (Some(cols), Some(values)) = (&columns, v.as_array()) {
            rows.push(cols.iter().cloned().zip(values.iter().cloned()).collect());
        }
    }
    rows
}

fn corpus_package_imports_and_exports_back_unchanged(s: &Scratch) {
    let Some(file) = corpus("uploads_1da394ba-2117-4354-a23f-6ec3e47ba81b.edxml") else {
        return;
    };
    let out = s.run(&["import", file.to_str().unwrap(), "--commit"]);
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("đã nhập văn bản"),
        "{}",
        text(&out.stdout)
    );

    let docs = stored_documents(s);
    assert_eq!(docs.len(), 1);
    let d = &docs[0];
    assert_eq!(d["format"], "edxml");
    assert_eq!(d["code"], "20251020104803/GW-AUTO");
    assert_eq!(d["issued_on"], "2025-10-20");
    assert_eq!(d["issuer"], "Đơn vị test vxp 3");
    assert_eq!(d["subject"], "Local Aggregate Test");
    assert_eq!(d["kind"], "cong_van");
    // The text is the main attachment's, unwrapped from the SDK's zip.
    assert!(
        d["text"].as_str().unwrap().contains("LOCAL AGG A"),
        "{}",
        d["text"]
    );

    let exported = s.path("out.edxml");
    let out = s.run(&[
        "export",
        "20251020104803/GW-AUTO",
        "--edxml",
        "-o",
        exported.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    let original = read_package(&file);
    let back = read_package(&exported);
    assert_eq!(back, original, "same metadata and attachments");
    assert_eq!(back.attachments.len(), 3);
    // Laid out as the SDK lays it out: the very same bytes.
    assert_eq!(
        std::fs::read(&exported).unwrap(),
        std::fs::read(&file).unwrap()
    );

    let again = s.run(&["import", exported.to_str().unwrap(), "--commit", "--json"]);
    assert_eq!(code(&again), Some(0), "{}", text(&again.stderr));
    assert_eq!(json_lines(&again)[0]["outcome"], "already_imported");
}

fn status_messages_are_reported_and_revocations_refused(s: &Scratch) {
    let (Some(status), Some(revocation), Some(new)) = (
        corpus("resources_status_finish_06.edxml"),
        corpus("resources_edoc_revocation.edxml"),
        corpus("uploads_bb5d2f68-bbce-49da-aa9a-2197cabec3bf.edxml"),
    ) else {
        return;
    };
    let out = s.run(&[
        "import",
        status.to_str().unwrap(),
        revocation.to_str().unwrap(),
        new.to_str().unwrap(),
        "--commit",
        "--json",
    ]);
    assert_eq!(code(&out), Some(1), "the revocation is refused");
    let lines = json_lines(&out);
    let outcomes: Vec<&str> = lines
        .iter()
        .map(|l| l["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["status", "refused", "imported"]);
    let message = lines[0]["message"].as_str().unwrap();
    assert!(
        message.contains("thông điệp trạng thái 06 (Đã hoàn thành)")
            && message.contains("7816/VPCP-TTĐT")
            && message.contains("không nhập"),
        "{message}"
    );
    assert!(
        lines[1]["reason"]
            .as_str()
            .unwrap()
            .contains("thu hồi văn bản số 7816/VPCP-TTĐT"),
        "{}",
        lines[1]
    );
    let err = text(&out.stderr);
    assert!(err.contains("thông điệp trạng thái 1"), "{err}");
    assert_eq!(
        stored_documents(s).len(),
        1,
        "only the new document is stored"
    );

    // A status message built here, under a name that does not say edXML: found by content.
    let about = edxml::ResponseFor {
        code: Some("20251017160104/GW-AUTO".to_owned()),
        ..edxml::ResponseFor::default()
    };
    let message = edxml::Message::Status(edxml::Status::new(
        edxml::Organ {
            organ_name: Some("Sở Tài chính".to_owned()),
            ..edxml::Organ::default()
        },
        about,
        edxml::StatusCode::Accepted,
        "2025/10/18 08:00:00".to_owned(),
    ));
    let path = s.path("trang-thai.xml");
    std::fs::write(&path, edxml::to_vec(&message)).unwrap();
    let out = s.run(&["import", path.to_str().unwrap(), "--commit"]);
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("thông điệp trạng thái 03 (Đã tiếp nhận) của Sở Tài chính"),
        "{}",
        text(&out.stdout)
    );
}

/// A header for the model directive, with the number and date given.
fn header(number: &str, date: (i32, u32, u32)) -> edxml::Header {
    edxml::Header {
        from: edxml::Organ {
            organ_id: Some("000.00.00.H51".to_owned()),
            organ_name: Some("Ủy ban nhân dân tỉnh Quảng Ngãi".to_owned()),
            ..edxml::Organ::default()
        },
        document_id: Some(format!("000.00.00.H51,2022/05/20,{number}/UBND-KTTH")),
        code: edxml::Code {
            number: Some(number.to_owned()),
            notation: Some("UBND-KTTH".to_owned()),
        },
        place: Some("Quảng Ngãi".to_owned()),
        promulgation_date: Some(vn_calendar::Date::from_ymd(date.0, date.1, date.2).unwrap()),
        document_type: edxml::DocumentType {
            type_code: Some("1".to_owned()),
            detail: None,
            name: Some("Công văn".to_owned()),
        },
        subject: Some("V/v triển khai thực hiện Nghị quyết số 57/NQ-CP".to_owned()),
        ..edxml::Header::default()
    }
}

/// The bytes zipped into a one-file archive, as the exchange SDK sends every attachment.
fn sdk_zip(name: &str, bytes: &[u8]) -> Vec<u8> {
    let mut cursor = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut cursor);
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(bytes).unwrap();
        zip.finish().unwrap();
    }
    cursor.into_inner()
}

fn header_metadata_wins_over_the_text_with_warnings(s: &Scratch) {
    let model = std::fs::read(MODEL).unwrap();
    // The header says 2396 of 21 May; the attached text says 2395 of 20 May.
    let package = edxml::Package::new_document(
        header("2396", (2022, 5, 21)),
        edxml::Attachment::new(
            "2395-UBND-KTTH.txt",
            "application/zip",
            sdk_zip("6f1c0d3e-2395.txt", &model),
        ),
    );
    let path = s.path("cong-van.edxml");
    std::fs::write(
        &path,
        edxml::to_vec(&edxml::Message::Package(package.clone())),
    )
    .unwrap();
    let out = s.run(&["import", path.to_str().unwrap(), "--commit"]);
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("với 23 nhiệm vụ"),
        "{}",
        text(&out.stdout)
    );
    let err = text(&out.stderr);
    assert!(
        err.contains(
            "cảnh báo: số, ký hiệu trong gói edXML là 2396/UBND-KTTH nhưng văn bản đính kèm ghi 2395/UBND-KTTH"
        ),
        "{err}"
    );
    assert!(
        err.contains("cảnh báo: ngày ban hành trong gói edXML là 2022-05-21 nhưng văn bản đính kèm ghi 2022-05-20"),
        "{err}"
    );

    let docs = stored_documents(s);
    let d = &docs[0];
    assert_eq!(d["code"], "2396/UBND-KTTH");
    assert_eq!(d["issued_on"], "2022-05-21");
    assert_eq!(d["issuer"], "Ủy ban nhân dân tỉnh Quảng Ngãi");
    assert_eq!(d["subject"], "triển khai thực hiện Nghị quyết số 57/NQ-CP");
    let parse: Value = serde_json::from_str(d["parse_result"].as_str().unwrap()).unwrap();
    let warnings: Vec<&str> = parse["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap())
        .collect();
    assert!(warnings.contains(&"edxml_code_mismatch") && warnings.contains(&"edxml_date_mismatch"));
    assert_eq!(parse["source"]["format"], "edxml");
    assert_eq!(s.tasks(&["--document", "2396/UBND-KTTH"]).len(), 23);

    // Out again exactly as it came in.
    let exported = s.path("out.edxml");
    let out = s.run(&[
        "export",
        "2396/UBND-KTTH",
        "--edxml",
        "-o",
        exported.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    assert_eq!(read_package(&exported), package);
}

fn a_plain_document_exports_as_a_package_that_imports_the_same(s: &Scratch) {
    let out = s.run(&["import", MODEL, "--commit"]);
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    let exported = s.path("2395.edxml");
    let out = s.run(&[
        "export",
        "2395/UBND-KTTH",
        "--edxml",
        "--organ-id",
        "000.00.00.H51",
        "-o",
        exported.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    let package = read_package(&exported);
    let h = &package.header;
    assert_eq!(h.code.joined().as_deref(), Some("2395/UBND-KTTH"));
    assert_eq!(h.promulgation_date.unwrap().to_string(), "2022-05-20");
    assert_eq!(h.document_type.name.as_deref(), Some("Công văn"));
    assert_eq!(h.from.organ_id.as_deref(), Some("000.00.00.H51"));
    assert_eq!(
        h.document_id.as_deref(),
        Some("000.00.00.H51,2022/05/20,2395/UBND-KTTH")
    );
    assert_eq!(package.business_kind(), edxml::BusinessKind::New);
    assert_eq!(package.attachments.len(), 1);
    assert_eq!(package.attachments[0].data, std::fs::read(MODEL).unwrap());
    assert_eq!(
        package.attachments[0].name.as_deref(),
        Some("2395-UBND-KTTH.txt")
    );

    // Into a second store: the same metadata and tasks, no warnings (header and text agree).
    let Some(other) = Scratch::new(Backend::Sqlite) else {
        return;
    };
    let out = other.run(&["import", exported.to_str().unwrap(), "--commit"]);
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    assert!(
        !text(&out.stderr).contains("cảnh báo"),
        "{}",
        text(&out.stderr)
    );
    let first = &stored_documents(s)[0];
    let second = &stored_documents(&other)[0];
    for column in [
        "code",
        "number",
        "symbol",
        "year",
        "issuer",
        "place",
        "issued_on",
        "subject",
        "kind",
        "text",
    ] {
        assert_eq!(first[column], second[column], "{column}");
    }
    assert_eq!(second["format"], "edxml");
    assert_eq!(other.tasks(&[]).len(), 23);
    // And out of the second store as it went in.
    let again = other.path("again.edxml");
    let out = other.run(&[
        "export",
        "2395/UBND-KTTH",
        "--edxml",
        "-o",
        again.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read(&again).unwrap(),
        std::fs::read(&exported).unwrap()
    );

    // Usage and absent documents.
    assert_eq!(
        code(&s.run(&["export", "2395/UBND-KTTH"])),
        Some(2),
        "no format"
    );
    assert_eq!(
        code(&s.run(&["export", "9999/UBND-KTTH", "--edxml"])),
        Some(1)
    );
    assert_eq!(
        code(&s.run(&["export", "không phải số", "--edxml"])),
        Some(2)
    );
}

fn hostile_and_broken_packages_are_refused_with_their_reason(s: &Scratch) {
    let ns = edxml::NAMESPACE;
    let laughs = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE edXML [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><edXML xmlns=\"{ns}\">&b;</edXML>"
    );
    let cases: [(&str, String, &str); 3] = [
        ("laughs.edxml", laughs, "DOCTYPE"),
        (
            "deep.edxml",
            format!(
                "<edXML xmlns=\"{ns}\">{}{}</edXML>",
                "<a>".repeat(10_000),
                "</a>".repeat(10_000)
            ),
            "lồng nhau quá 64 tầng",
        ),
        (
            // Named as text: recognised as a package by its content, and refused as one.
            "base64.txt",
            format!(
                "<edXML xmlns=\"{ns}\"><edXMLEnvelope><edXMLHeader><MessageHeader/></edXMLHeader></edXMLEnvelope>\
                 <AttachmentEncoded><Attachment><AttachmentName>a.pdf</AttachmentName>\
                 <ContentTransferEncoded>QUJD*</ContentTransferEncoded></Attachment></AttachmentEncoded></edXML>"
            ),
            "nội dung base64 của tệp đính kèm a.pdf không hợp lệ ở ký tự thứ 5",
        ),
    ];
    for (name, content, reason) in cases {
        let path = s.path(name);
        std::fs::write(&path, content).unwrap();
        let out = s.run(&["import", path.to_str().unwrap(), "--commit"]);
        assert_eq!(code(&out), Some(2), "{name}: {}", text(&out.stderr));
        let err = text(&out.stderr);
        assert!(err.contains(reason), "{name}: {err}");
        assert_eq!(err.lines().count(), 1, "{name}: {err}");
    }
    // A package whose main attachment is no document the pipeline reads.
    let package = edxml::Package::new_document(
        header("2397", (2022, 5, 20)),
        edxml::Attachment::new(
            "rac.bin",
            "application/octet-stream",
            vec![0, 159, 146, 150, 0, 1, 2],
        ),
    );
    let path = s.path("rac.edxml");
    std::fs::write(&path, edxml::to_vec(&edxml::Message::Package(package))).unwrap();
    let out = s.run(&["import", path.to_str().unwrap(), "--commit"]);
    assert_eq!(code(&out), Some(2));
    assert!(
        text(&out.stderr).contains("tệp đính kèm chính rac.bin của gói edXML"),
        "{}",
        text(&out.stderr)
    );
    assert!(stored_documents(s).is_empty());
}
