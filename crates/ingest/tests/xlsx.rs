//! XLSX reader: workbooks built here with the zip writer, and hostile packages.

use std::io::Write;

use ingest::{Error, Limits, read_named_sheet, read_sheet};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

const NS: &str = r#"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

fn package(parts: &[(&str, &str)], method: CompressionMethod) -> Vec<u8> {
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(method);
    for (name, content) in parts {
        zip.start_file(*name, options).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A workbook with two sheets ("Nhiệm vụ" with `data`, "Khác" with one cell), the given
/// shared strings, and styles where format 1 is a built-in date and format 2 a custom one.
fn workbook(data: &str, shared: &[&str], method: CompressionMethod) -> Vec<u8> {
    let sst: String = shared.iter().map(|s| format!("<si><t>{s}</t></si>")).collect();
    let sst = format!(r#"<?xml version="1.0" encoding="UTF-8"?><sst {NS} count="{n}" uniqueCount="{n}">{sst}</sst>"#, n = shared.len());
    let book = format!(
        r#"<?xml version="1.0"?><workbook {NS}><sheets><sheet name="Nhiệm vụ" sheetId="1" r:id="rId1"/><sheet name="Khác" sheetId="2" r:id="rId2"/></sheets></workbook>"#
    );
    let rels = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet1.xml"/></Relationships>"#;
    let styles = format!(
        r#"<?xml version="1.0"?><styleSheet {NS}><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy;@"/></numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164"/></cellXfs></styleSheet>"#
    );
    let sheet1 = format!(r#"<?xml version="1.0"?><worksheet {NS}><sheetData>{data}</sheetData></worksheet>"#);
    let sheet2 = format!(r#"<worksheet {NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>khác</t></is></c></row></sheetData></worksheet>"#);
    package(
        &[
            ("[Content_Types].xml", "<Types/>"),
            ("xl/workbook.xml", &book),
            ("xl/_rels/workbook.xml.rels", rels),
            ("xl/styles.xml", &styles),
            ("xl/sharedStrings.xml", &sst),
            ("xl/worksheets/sheet1.xml", &sheet1),
            ("xl/worksheets/sheet2.xml", &sheet2),
        ],
        method,
    )
}

const SHARED: &[&str] = &["TT", "Nội dung", "Chủ trì", "Sở Tài chính, Sở Xây dựng", "Quý II/2026"];

fn sample() -> String {
    [
        r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>"#,
        // Cells without `r` follow the previous one; a rich-text inline string; a date serial
        // under a built-in date format and one under a custom format; a plain number.
        r#"<row r="3"><c><v>1</v></c><c t="inlineStr"><is><r><t xml:space="preserve">Rà soát </t></r><r><rPr><b/></rPr><t>quy hoạch</t></r><rPh><t>x</t></rPh></is></c><c t="s"><v>3</v></c><c s="1"><v>46112</v></c><c s="2"><v>46203.5</v></c><c><v>2.5</v></c></row>"#,
        r#"<row r="4"><c r="A4"><v>2</v></c><c r="B4" t="str"><f>X</f><v>Báo cáo &amp; đề xuất</v></c><c r="D4" t="s"><v>4</v></c><c r="F4" t="b"><v>1</v></c></row>"#,
        r#"<row r="5"><c r="A5"><v>3</v></c><c r="B5" t="inlineStr"><is><t>Gộp</t></is></c><c r="C5" t="inlineStr"><is><t>che</t></is></c></row>"#,
    ]
    .concat()
}

/// A workbook of one sheet "S" whose part is `sheet` as given.
fn one_sheet(sheet: &str) -> Vec<u8> {
    let book = format!(r#"<workbook {NS}><sheets><sheet name="S" sheetId="1" r:id="a"/></sheets></workbook>"#);
    let rels = r#"<Relationships><Relationship Id="a" Target="worksheets/s.xml"/></Relationships>"#;
    package(
        &[("xl/workbook.xml", &book), ("xl/_rels/workbook.xml.rels", rels), ("xl/worksheets/s.xml", sheet)],
        CompressionMethod::Stored,
    )
}

#[test]
fn cells_read_as_excel_shows_them() {
    let bytes = workbook(&sample(), SHARED, CompressionMethod::Deflated);
    assert!(ingest::looks_like_workbook(&bytes));
    let sheet = read_sheet(&bytes, &Limits::default()).unwrap();
    assert_eq!(sheet.name, "Nhiệm vụ");
    assert_eq!(sheet.rows[0], ["TT", "Nội dung", "Chủ trì"]);
    assert!(sheet.rows[1].is_empty(), "a row the file leaves out");
    assert_eq!(
        sheet.rows[2],
        ["1", "Rà soát quy hoạch", "Sở Tài chính, Sở Xây dựng", "2026-03-31", "2026-06-30", "2.5"]
    );
    assert_eq!(sheet.rows[3], ["2", "Báo cáo & đề xuất", "", "Quý II/2026", "", "TRUE"]);
    assert_eq!(sheet.rows.len(), 5);
}

#[test]
fn a_named_sheet_and_a_missing_one() {
    let bytes = workbook(&sample(), SHARED, CompressionMethod::Stored);
    assert_eq!(read_named_sheet(&bytes, "Khác", &Limits::default()).unwrap().rows, [["khác"]]);
    match read_named_sheet(&bytes, "Không có", &Limits::default()) {
        Err(Error::BadXlsx(reason)) => assert!(reason.contains("Nhiệm vụ, Khác"), "{reason}"),
        other => panic!("expected BadXlsx, got {other:?}"),
    }
}

#[test]
fn merged_cells_keep_only_their_first_cell() {
    let data = format!(
        r#"<?xml version="1.0"?><worksheet {NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Sở Y tế</t></is></c><c r="B1" t="inlineStr"><is><t>thừa</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>thừa</t></is></c><c r="C2" t="inlineStr"><is><t>giữ</t></is></c></row></sheetData><mergeCells count="1"><mergeCell ref="A1:B2"/></mergeCells></worksheet>"#
    );
    let sheet = read_sheet(&one_sheet(&data), &Limits::default()).unwrap();
    assert_eq!(sheet.rows, vec![vec!["Sở Y tế".to_owned()], vec![String::new(), String::new(), "giữ".to_owned()]]);
}

#[test]
fn not_a_workbook() {
    let docx = package(&[("word/document.xml", "<w:document/>")], CompressionMethod::Stored);
    assert!(!ingest::looks_like_workbook(&docx));
    match read_sheet(&docx, &Limits::default()) {
        Err(Error::BadXlsx(reason)) => assert!(reason.contains("xl/workbook.xml"), "{reason}"),
        other => panic!("expected BadXlsx, got {other:?}"),
    }
    assert!(matches!(read_sheet(b"TT;Noi dung", &Limits::default()), Err(Error::BadXlsx(_))));
}

#[test]
fn malformed_xml_is_refused_in_vietnamese() {
    for data in [
        r#"<row r="1"><c r="A1"><v>1</c></row>"#,
        r#"<row r="1"><c r="A1" t="s"><v>99</v></c></row>"#,
        r#"<row r="1"><c r="A1"><v>một</v></c></row>"#,
        r#"<row r="0"/>"#,
        r#"<row r="1"><c r="XFE1"><v>1</v></c></row>"#,
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>&lol;</t></is></c></row>"#,
    ] {
        let bytes = workbook(data, SHARED, CompressionMethod::Stored);
        match read_sheet(&bytes, &Limits::default()) {
            Err(e @ Error::BadXlsx(_)) => {
                let message = e.to_string();
                assert!(message.contains("XML hỏng trong xl/worksheets/sheet1.xml"), "{message}");
                assert!(!message.contains('\n'));
            }
            other => panic!("expected BadXlsx for {data}, got {other:?}"),
        }
    }
    let truncated = format!(r#"<worksheet {NS}><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>"#);
    match read_sheet(&one_sheet(&truncated), &Limits::default()) {
        Err(Error::BadXlsx(reason)) => assert!(reason.contains("bị cắt cụt"), "{reason}"),
        other => panic!("expected BadXlsx, got {other:?}"),
    }
}

#[test]
fn a_zip_bomb_is_refused() {
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    zip.start_file("xl/workbook.xml", options).unwrap();
    let chunk = vec![b' '; 64 * 1024];
    for _ in 0..(4 * 1024 * 1024 / chunk.len()) {
        zip.write_all(&chunk).unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    assert!(bytes.len() < 64 * 1024, "small on disk: {}", bytes.len());
    let limits = Limits { max_expanded_bytes: 1024 * 1024, ..Limits::default() };
    match read_sheet(&bytes, &limits) {
        Err(e @ Error::ExpansionLimit { .. }) => assert!(e.to_string().contains("XLSX")),
        other => panic!("expected ExpansionLimit, got {other:?}"),
    }
}

#[test]
fn a_huge_grid_is_refused_by_the_text_budget() {
    let data = r#"<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#;
    let bytes = workbook(data, SHARED, CompressionMethod::Stored);
    let limits = Limits { max_text_bytes: 1024 * 1024, ..Limits::default() };
    assert!(matches!(read_sheet(&bytes, &limits), Err(Error::TextTooLong { .. })));
    let merge = format!(
        r#"<worksheet {NS}><sheetData/><mergeCells><mergeCell ref="A1:XFD1048576"/></mergeCells></worksheet>"#
    );
    assert!(matches!(read_sheet(&one_sheet(&merge), &limits), Err(Error::TextTooLong { .. })));
}

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

#[test]
fn damaged_files_never_panic() {
    let stored = workbook(&sample(), SHARED, CompressionMethod::Stored);
    let deflated = workbook(&sample(), SHARED, CompressionMethod::Deflated);
    let mut rng = Lcg(11);
    let mut outcomes = [0usize; 2];
    for original in [&stored, &deflated] {
        for cut in (4..original.len()).step_by(5) {
            outcomes[usize::from(read_sheet(&original[..cut], &Limits::default()).is_ok())] += 1;
        }
        for _ in 0..1500 {
            let mut bytes = original.clone();
            for _ in 0..1 + rng.next() % 4 {
                let at = 4 + (rng.next() as usize) % (bytes.len() - 4);
                bytes[at] = rng.next() as u8;
            }
            outcomes[usize::from(read_sheet(&bytes, &Limits::default()).is_ok())] += 1;
        }
    }
    assert!(outcomes[0] > 0 && outcomes[1] > 0, "both outcomes occur: {outcomes:?}");
}
