//! `nhiemvu import` of XLSX task sheets, run as external scripts run it (PRODUCT.md, command-line
//! conventions): each test runs the real binary once on a fresh SQLite file and once on a fresh
//! PostgreSQL schema when `NHIEMVU_TEST_POSTGRES` holds a server URL (as the store's conformance
//! suite does); without the variable the PostgreSQL half says it is skipped.
use std::io::Write;
use std::process::Output;

use serde_json::Value;

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
    a_sheet_with_titles_goes_through_review_and_commits_once,
    an_unknown_layout_needs_a_column_mapping,
    bad_workbooks_exit_2,
}

fn code(out: &Output) -> Option<i32> {
    out.status.code()
}

/// A cell: a number, or an inline string.
enum Cell<'a> {
    Num(f64),
    /// A date serial under a date format.
    Date(f64),
    Text(&'a str),
}

/// A one-sheet workbook; `merge` is a merged range such as "C3:C4".
fn xlsx(rows: &[Vec<Cell>], merge: Option<&str>) -> Vec<u8> {
    const NS: &str = r#"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;
    let mut data = String::new();
    for (r, row) in rows.iter().enumerate() {
        data.push_str(&format!(r#"<row r="{}">"#, r + 1));
        for (c, cell) in row.iter().enumerate() {
            let at = format!("{}{}", (b'A' + c as u8) as char, r + 1);
            data.push_str(&match cell {
                Cell::Num(n) => format!(r#"<c r="{at}"><v>{n}</v></c>"#),
                Cell::Date(n) => format!(r#"<c r="{at}" s="1"><v>{n}</v></c>"#),
                Cell::Text("") => String::new(),
                Cell::Text(t) => format!(r#"<c r="{at}" t="inlineStr"><is><t>{t}</t></is></c>"#),
            });
        }
        data.push_str("</row>");
    }
    let merge = merge
        .map(|m| format!(r#"<mergeCells count="1"><mergeCell ref="{m}"/></mergeCells>"#))
        .unwrap_or_default();
    let parts = [
        ("xl/workbook.xml".to_owned(), format!(r#"<workbook {NS}><sheets><sheet name="Danh mục" sheetId="1" r:id="rId1"/></sheets></workbook>"#)),
        ("xl/_rels/workbook.xml.rels".to_owned(), r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>"#.to_owned()),
        ("xl/styles.xml".to_owned(), format!(r#"<styleSheet {NS}><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>"#)),
        ("xl/worksheets/sheet1.xml".to_owned(), format!(r#"<worksheet {NS}><sheetData>{data}</sheetData>{merge}</worksheet>"#)),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, content) in parts {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// The task sheet of the brief: titles, a date serial, a text deadline, two leads in one cell.
fn titled_sheet() -> Vec<u8> {
    use Cell::*;
    xlsx(
        &[
            vec![Text("DANH MỤC NHIỆM VỤ NĂM 2026")],
            vec![
                Text("TT"),
                Text("Nội dung nhiệm vụ"),
                Text("Cơ quan chủ trì"),
                Text("Phối hợp"),
                Text("Thời hạn hoàn thành"),
                Text("Văn bản giao"),
            ],
            vec![
                Text("(1)"),
                Text("(2)"),
                Text("(3)"),
                Text("(4)"),
                Text("(5)"),
                Text("(6)"),
            ],
            vec![Text("I"), Text("Lĩnh vực kinh tế")],
            vec![
                Num(1.0),
                Text("Rà soát quy hoạch chung đô thị"),
                Text("Sở Tài chính, Sở Xây dựng"),
                Text("Các sở, ngành liên quan"),
                Date(46112.0),
                Text("Công văn số 2395/UBND-KTTH ngày 20/5/2022"),
            ],
            vec![
                Num(2.0),
                Text("Báo cáo kết quả thực hiện"),
                Text("Sở Y tế"),
                Text("Công ty TNHH Minh Phát"),
                Text("Quý II/2026"),
                Text(""),
            ],
            vec![Text("II"), Text("Lĩnh vực xã hội")],
            vec![
                Num(1.0),
                Text("Tổng kết năm học"),
                Text("Sở Giáo dục và Đào tạo"),
                Text(""),
                Text(""),
            ],
        ],
        None,
    )
}

fn task<'a>(review: &'a Value, id: &str) -> &'a Value {
    review["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .unwrap_or_else(|| panic!("task {id} in {review:#}"))
}

fn a_sheet_with_titles_goes_through_review_and_commits_once(s: &Scratch) {
    let sheet = s.path("danh-muc.xlsx");
    std::fs::write(&sheet, titled_sheet()).unwrap();
    let review_path = s.path("review.json");
    let out = s.run(&[
        "import",
        sheet.to_str().unwrap(),
        "--review",
        review_path.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    let review: Value =
        serde_json::from_str(&std::fs::read_to_string(&review_path).unwrap()).unwrap();
    assert_eq!(review["format"], "nhiemvu.review/1");
    assert_eq!(
        review["sheet"],
        serde_json::json!({"name": "Danh mục", "header_row": 2, "first_row": 3, "columns": {
            "A": "tt", "B": "noi_dung", "C": "chu_tri", "D": "phoi_hop", "E": "thoi_han", "F": "van_ban_giao"}})
    );
    assert_eq!(review["document"]["kind"], "khac");
    assert_eq!(review["document"]["subject"], "danh-muc.xlsx");
    let ids: Vec<&str> = review["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["I.1", "I.2", "II.1"],
        "headings and the index row are not tasks"
    );
    let first = task(&review, "I.1");
    assert_eq!(first["text"], "Rà soát quy hoạch chung đô thị");
    assert_eq!(
        first["lead"],
        serde_json::json!([{"name": "Sở Tài chính", "kind": "agency"}, {"name": "Sở Xây dựng", "kind": "agency"}])
    );
    assert_eq!(
        first["support"],
        serde_json::json!([]),
        "a catch-all is nobody"
    );
    assert_eq!(first["deadline"]["kind"], "date");
    assert_eq!(first["deadline"]["date"], "2026-03-31");
    assert_eq!(first["references"], serde_json::json!(["2395/UBND-KTTH"]));
    let second = task(&review, "I.2");
    assert_eq!(second["deadline"]["kind"], "period", "{second:#}");
    assert_eq!(second["deadline"]["date"], "2026-06-30");
    assert_eq!(second["deadline"]["text"], "Quý II/2026");
    assert_eq!(
        second["support"],
        serde_json::json!([{"name": "Công ty TNHH Minh Phát", "kind": "unknown"}])
    );
    assert_eq!(task(&review, "II.1")["deadline"]["kind"], "none");

    let out = s.run(&[
        "import",
        "--review",
        review_path.to_str().unwrap(),
        "--commit",
        "--json",
    ]);
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    let line: Value = serde_json::from_str(text(&out.stdout).trim()).unwrap();
    assert_eq!(line["outcome"], "imported");
    assert_eq!(line["tasks"], 3);
    assert_eq!(s.tasks(&[]).len(), 3);
    assert_eq!(s.tasks(&["--agency", "Sở Xây dựng"]).len(), 1);

    // The same sheet again, directly: idempotent on its SHA-256.
    let again = s.run(&["import", sheet.to_str().unwrap(), "--commit", "--json"]);
    assert_eq!(code(&again), Some(0), "{}", text(&again.stderr));
    let line: Value = serde_json::from_str(text(&again.stdout).trim()).unwrap();
    assert_eq!(line["outcome"], "already_imported");
}

fn an_unknown_layout_needs_a_column_mapping(s: &Scratch) {
    use Cell::*;
    let sheet = s.path("bang.xlsx");
    std::fs::write(
        &sheet,
        xlsx(
            &[
                vec![Text("Việc"), Text("Ai làm"), Text("Khi nào"), Text("Số")],
                vec![
                    Text("Kiểm tra an toàn thực phẩm"),
                    Text("Sở Y tế"),
                    Text("31/12/2026"),
                    Num(7.0),
                ],
                vec![
                    Text("Cập nhật cơ sở dữ liệu đất đai"),
                    Text("Sở Nông nghiệp và Môi trường"),
                    Text(""),
                    Num(8.0),
                ],
            ],
            Some("B2:B3"),
        ),
    )
    .unwrap();
    let review_path = s.path("review.json");
    let out = s.run(&[
        "import",
        sheet.to_str().unwrap(),
        "--review",
        review_path.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("không nhận ra hàng tiêu đề") && err.contains("--columns"),
        "{err}"
    );
    assert!(!review_path.exists());

    let mapping = s.path("cot.json");
    std::fs::write(
        &mapping,
        r#"{"A": "noi_dung", "B": "chủ trì", "C": "thoi_han", "D": "tt"}"#,
    )
    .unwrap();
    let out = s.run(&[
        "import",
        sheet.to_str().unwrap(),
        "--review",
        review_path.to_str().unwrap(),
        "--columns",
        mapping.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    let review: Value =
        serde_json::from_str(&std::fs::read_to_string(&review_path).unwrap()).unwrap();
    assert_eq!(
        review["sheet"],
        serde_json::json!({"name": "Danh mục", "header_row": 1, "first_row": 2, "columns": {
            "A": "noi_dung", "B": "chu_tri", "C": "thoi_han", "D": "tt"}})
    );
    assert_eq!(task(&review, "7")["deadline"]["date"], "2026-12-31");
    assert_eq!(task(&review, "7")["lead"][0]["name"], "Sở Y tế");
    assert_eq!(
        task(&review, "8")["lead"],
        serde_json::json!([]),
        "merged cells are left empty"
    );

    let bad = s.path("sai.json");
    std::fs::write(&bad, r#"{"A": "noi_dung", "B": "ai_lam"}"#).unwrap();
    let out = s.run(&[
        "import",
        sheet.to_str().unwrap(),
        "--commit",
        "--columns",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), Some(2));
    assert!(
        text(&out.stderr).contains("không phải trường"),
        "{}",
        text(&out.stderr)
    );

    let out = s.run(&[
        "import",
        sheet.to_str().unwrap(),
        "--commit",
        "--columns",
        mapping.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("với 2 nhiệm vụ"),
        "{}",
        text(&out.stdout)
    );
}

fn bad_workbooks_exit_2(s: &Scratch) {
    let not_zip = s.path("khong-phai.xlsx");
    std::fs::write(&not_zip, "TT;Nội dung;Chủ trì\n1;Việc;Sở Y tế\n").unwrap();
    let out = s.run(&["import", not_zip.to_str().unwrap(), "--commit"]);
    assert_eq!(code(&out), Some(2));
    assert!(
        text(&out.stderr).contains("tệp XLSX bị hỏng"),
        "{}",
        text(&out.stderr)
    );

    // 210 MB of one repeated byte inflates past the 200 MB limit from a few hundred KB.
    let bomb = s.path("bom.xlsx");
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("xl/workbook.xml", zip::write::SimpleFileOptions::default())
        .unwrap();
    let chunk = vec![b' '; 1024 * 1024];
    for _ in 0..210 {
        zip.write_all(&chunk).unwrap();
    }
    std::fs::write(&bomb, zip.finish().unwrap().into_inner()).unwrap();
    let out = s.run(&["import", bomb.to_str().unwrap(), "--commit"]);
    assert_eq!(code(&out), Some(2));
    assert!(
        text(&out.stderr).contains("giải nén vượt giới hạn"),
        "{}",
        text(&out.stderr)
    );

    assert!(s.tasks(&[]).is_empty(), "nothing written");
}
