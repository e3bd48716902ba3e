//! DOCX reader: documents built here with the zip writer, hostile packages, and the corpus.

use std::io::Write;
use std::path::Path;

use ingest::{Error, Format, Limits, Location, Options, read_bytes, read_file};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml""#;

/// A package with the given parts, stored uncompressed.
fn package(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    for (name, content) in parts {
        zip.start_file(*name, options).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn document_xml(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{body}<w:sectPr><w:headerReference w:type="default" r:id="rId1" xmlns:r="x"/></w:sectPr></w:body></w:document>"#
    )
}

fn docx(body: &str) -> Vec<u8> {
    package(&[("[Content_Types].xml", "<Types/>"), ("word/document.xml", &document_xml(body))])
}

fn docx_with(body: &str, numbering: &str, styles: &str) -> Vec<u8> {
    let numbering = format!(r#"<?xml version="1.0"?><w:numbering {W}>{numbering}</w:numbering>"#);
    let styles = format!(r#"<?xml version="1.0"?><w:styles {W}>{styles}</w:styles>"#);
    package(&[
        ("[Content_Types].xml", "<Types/>"),
        ("word/document.xml", &document_xml(body)),
        ("word/numbering.xml", &numbering),
        ("word/styles.xml", &styles),
    ])
}

fn read(bytes: &[u8]) -> Result<ingest::Extracted, Error> {
    read_bytes(bytes, "test.docx", &Options::default())
}

fn text(bytes: &[u8]) -> String {
    let out = read(bytes).expect("the document reads");
    assert_eq!(out.format, Format::Docx);
    out.text
}

/// A paragraph of plain runs.
fn p(text: &str) -> String {
    format!(r#"<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#)
}

/// A numbered paragraph.
fn np(num: u32, ilvl: u32, text: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
    )
}

fn lvl(ilvl: u32, fmt: &str, text: &str) -> String {
    format!(
        r#"<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/><w:pPr><w:tabs><w:tab w:val="num" w:pos="720"/></w:tabs></w:pPr></w:lvl>"#
    )
}

#[test]
fn paragraphs_become_lines_with_tabs_breaks_and_revisions() {
    let body = [
        p("Căn cứ Luật Tổ chức chính quyền địa phương;"),
        r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="1000"/></w:tabs></w:pPr><w:r><w:t>Số:</w:t></w:r><w:r><w:tab/><w:t>12/CT-UBND</w:t></w:r></w:p>"#.to_owned(),
        r#"<w:p><w:r><w:t>Dòng một</w:t><w:br/><w:t>dòng hai</w:t></w:r></w:p>"#.to_owned(),
        r#"<w:p><w:r><w:t xml:space="preserve">Giao Sở </w:t></w:r><w:del w:id="1" w:author="A"><w:r><w:delText>Tài chính</w:delText></w:r></w:del><w:ins w:id="2" w:author="A"><w:r><w:t>Xây dựng</w:t></w:r></w:ins><w:r><w:t xml:space="preserve"> chủ trì</w:t></w:r></w:p>"#.to_owned(),
        r#"<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> HYPERLINK "http://x" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:hyperlink><w:r><w:t>Cổng thông tin</w:t></w:r></w:hyperlink><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>"#.to_owned(),
        r#"<w:p><w:r><w:t>Năm 2025</w:t></w:r><w:r><w:noBreakHyphen/><w:t>2030 &amp; sau &#273;ó</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>ẩn</w:t></w:r></w:p>"#.to_owned(),
    ]
    .concat();
    assert_eq!(
        text(&docx(&body)),
        "Căn cứ Luật Tổ chức chính quyền địa phương;\nSố:\t12/CT-UBND\nDòng một\ndòng hai\nGiao Sở Xây dựng chủ trì\nCổng thông tin\nNăm 2025-2030 & sau đó\n"
    );
}

#[test]
fn text_is_normalised_to_nfc() {
    // "Hoà" typed with a combining grave accent.
    assert_eq!(text(&docx(&p("Hoa\u{0300} Bình"))), "Hoà Bình\n");
}

#[test]
fn paragraphs_are_mapped_to_their_number() {
    let out = read(&docx(&[p("một"), "<w:p/>".to_owned(), p("ba")].concat())).unwrap();
    assert_eq!(out.text, "một\n\nba\n");
    let at = |offset: usize| out.source_map.iter().rev().find(|a| a.offset <= offset).map(|a| a.location);
    assert_eq!(at(0), Some(Location::Paragraph(1)));
    assert_eq!(at(out.text.find("ba").unwrap()), Some(Location::Paragraph(3)));
}

#[test]
fn text_boxes_are_read_once() {
    let body = r#"<w:p><w:r><w:t>Neo</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent><w:p><w:r><w:t>DỰ THẢO</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent><w:p><w:r><w:t>DỰ THẢO</w:t></w:r></w:p></w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"#;
    assert_eq!(text(&docx(body)), "Neo\nDỰ THẢO\n");
}

#[test]
fn caps_formatting_shows_capitals() {
    let body = r#"<w:p><w:r><w:rPr><w:caps/></w:rPr><w:t>kế hoạch</w:t></w:r></w:p>"#;
    assert_eq!(text(&docx(body)), "KẾ HOẠCH\n");
}

#[test]
fn decimal_letter_and_nested_numbering() {
    let numbering = [
        r#"<w:abstractNum w:abstractNumId="0">"#,
        &lvl(0, "decimal", "%1."),
        &lvl(1, "decimal", "%1.%2."),
        &lvl(2, "lowerLetter", "%3)"),
        &lvl(3, "bullet", "\u{F0B7}"),
        &lvl(4, "bullet", "+"),
        r#"</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>"#,
    ]
    .concat();
    let body = [
        np(1, 0, "Mục đích"),
        np(1, 1, "Yêu cầu chung"),
        np(1, 1, "Yêu cầu riêng"),
        np(1, 2, "việc một"),
        np(1, 2, "việc hai"),
        np(1, 2, "việc ba"),
        np(1, 2, "việc bốn"),
        np(1, 2, "việc năm"),
        np(1, 3, "chấm"),
        np(1, 4, "cộng"),
        np(1, 0, "Tổ chức thực hiện"),
        np(1, 1, "Giao Sở"),
        np(1, 2, "lại từ đầu"),
    ]
    .concat();
    assert_eq!(
        text(&docx_with(&body, &numbering, "")),
        "1. Mục đích\n1.1. Yêu cầu chung\n1.2. Yêu cầu riêng\na) việc một\nb) việc hai\nc) việc ba\nd) việc bốn\ne) việc năm\n- chấm\n+ cộng\n2. Tổ chức thực hiện\n2.1. Giao Sở\na) lại từ đầu\n"
    );
}

#[test]
fn roman_numbering_start_values_and_overrides() {
    let numbering = [
        r#"<w:abstractNum w:abstractNumId="3">"#,
        &lvl(0, "upperRoman", "%1."),
        r#"</w:abstractNum><w:abstractNum w:abstractNumId="4"><w:lvl w:ilvl="0"><w:start w:val="3"/><w:numFmt w:val="decimal"/><w:lvlText w:val="Điều %1."/></w:lvl></w:abstractNum>"#,
        r#"<w:num w:numId="5"><w:abstractNumId w:val="3"/></w:num>"#,
        // "Restart numbering" in Word: a new instance of the same list with a start override.
        r#"<w:num w:numId="6"><w:abstractNumId w:val="3"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>"#,
        // Another instance without an override continues the list.
        r#"<w:num w:numId="7"><w:abstractNumId w:val="3"/></w:num>"#,
        r#"<w:num w:numId="8"><w:abstractNumId w:val="4"/></w:num>"#,
    ]
    .concat();
    let body = [
        np(5, 0, "MỤC ĐÍCH"),
        np(5, 0, "NỘI DUNG"),
        np(5, 0, "TỔ CHỨC"),
        np(5, 0, "KINH PHÍ"),
        np(6, 0, "LẠI"),
        np(7, 0, "TIẾP"),
        np(8, 0, "Hiệu lực"),
        r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr></w:pPr><w:r><w:t>không số</w:t></w:r></w:p>"#.to_owned(),
    ]
    .concat();
    assert_eq!(
        text(&docx_with(&body, &numbering, "")),
        "I. MỤC ĐÍCH\nII. NỘI DUNG\nIII. TỔ CHỨC\nIV. KINH PHÍ\nI. LẠI\nII. TIẾP\nĐiều 3. Hiệu lực\nkhông số\n"
    );
}

#[test]
fn lower_letter_follows_word_not_the_vietnamese_alphabet() {
    let numbering = [
        r#"<w:abstractNum w:abstractNumId="0">"#,
        &lvl(0, "lowerLetter", "%1)"),
        r#"</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>"#,
    ]
    .concat();
    let body: String = (0..28).map(|i| np(1, 0, &format!("v{i}"))).collect();
    let out = text(&docx_with(&body, &numbering, ""));
    let labels: Vec<&str> = out.lines().map(|l| l.split(' ').next().unwrap()).collect();
    assert_eq!(&labels[..6], ["a)", "b)", "c)", "d)", "e)", "f)"]);
    assert_eq!(&labels[25..], ["z)", "aa)", "bb)"]);
}

#[test]
fn numbering_carried_by_a_paragraph_style() {
    let numbering = [
        r#"<w:abstractNum w:abstractNumId="0">"#,
        r#"<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:pStyle w:val="Heading1"/><w:lvlText w:val="%1."/></w:lvl>"#,
        r#"<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:pStyle w:val="Heading2"/><w:lvlText w:val="%1.%2."/></w:lvl>"#,
        r#"</w:abstractNum><w:num w:numId="9"><w:abstractNumId w:val="0"/></w:num>"#,
    ]
    .concat();
    let styles = r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
        <w:style w:type="paragraph" w:styleId="Heading1"><w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:numId w:val="9"/></w:numPr></w:pPr></w:style>
        <w:style w:type="paragraph" w:styleId="Heading2"><w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="9"/></w:numPr></w:pPr></w:style>
        <w:style w:type="paragraph" w:styleId="Muc2"><w:basedOn w:val="Heading2"/></w:style>"#;
    let styled = |style: &str, text: &str| {
        format!(r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#)
    };
    let body = [
        styled("Heading1", "Chung"),
        styled("Heading2", "Riêng"),
        styled("Muc2", "Kế thừa"),
        p("Thân"),
        styled("Heading1", "Khác"),
    ]
    .concat();
    assert_eq!(text(&docx_with(&body, &numbering, styles)), "1. Chung\n1.1. Riêng\n1.2. Kế thừa\nThân\n2. Khác\n");
}

/// A table cell with the given paragraphs and properties.
fn tc(props: &str, paragraphs: &[&str]) -> String {
    let content: String =
        if paragraphs.is_empty() { "<w:p/>".to_owned() } else { paragraphs.iter().map(|t| p(t)).collect() };
    format!("<w:tc><w:tcPr>{props}</w:tcPr>{content}</w:tc>")
}

fn table(props: &str, columns: usize, rows: &[Vec<String>]) -> String {
    let grid: String = (0..columns).map(|_| r#"<w:gridCol w:w="1000"/>"#).collect();
    let rows: String = rows.iter().map(|cells| format!("<w:tr>{}</w:tr>", cells.concat())).collect();
    format!("<w:tbl><w:tblPr>{props}</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{rows}</w:tbl>")
}

const GRID: &str = r#"<w:tblBorders><w:top w:val="single"/><w:left w:val="single"/><w:bottom w:val="single"/><w:right w:val="single"/><w:insideH w:val="single"/><w:insideV w:val="single"/></w:tblBorders>"#;

#[test]
fn header_and_signature_tables_are_read_cell_by_cell() {
    let header = table(
        // Borders drawn by the table and switched off in the cells, as in the corpus.
        GRID,
        2,
        &[
            vec![
                tc(
                    r#"<w:tcBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/></w:tcBorders>"#,
                    &["ỦY BAN NHÂN DÂN", "TỈNH LÀO CAI"],
                ),
                tc("", &["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]),
            ],
            vec![tc("", &["Số: 12/CT-UBND"]), tc("", &["Lào Cai, ngày 3 tháng 4 năm 2026"])],
        ],
    );
    let signature = table(
        "",
        2,
        &[vec![
            tc("", &["Nơi nhận:", "- Như trên;", "- Lưu: VT."]),
            tc("", &["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "", "Nguyễn Văn A"]),
        ]],
    );
    let body = [header, p("CHỈ THỊ"), signature].concat();
    let out = read(&docx(&body)).unwrap();
    assert_eq!(
        out.text,
        "ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nSố: 12/CT-UBND\nLào Cai, ngày 3 tháng 4 năm 2026\nCHỈ THỊ\nNơi nhận:\n- Như trên;\n- Lưu: VT.\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nNguyễn Văn A\n"
    );
    let at = |needle: &str| {
        let offset = out.text.find(needle).unwrap();
        out.source_map.iter().rev().find(|a| a.offset <= offset).map(|a| a.location)
    };
    assert_eq!(at("TỈNH LÀO CAI"), Some(Location::TableCell { table: 1, row: 1, column: 1 }));
    assert_eq!(at("Lào Cai, ngày"), Some(Location::TableCell { table: 1, row: 2, column: 2 }));
    assert_eq!(at("CHỈ THỊ"), Some(Location::Paragraph(1)));
    assert_eq!(at("CHỦ TỊCH"), Some(Location::TableCell { table: 2, row: 1, column: 2 }));
}

#[test]
fn task_tables_are_one_line_per_row_with_merges_kept_in_their_column() {
    let rows = vec![
        vec![
            tc("", &["TT"]),
            tc("", &["Nội dung"]),
            tc("", &["Chủ trì"]),
            tc("", &["Phối hợp"]),
            tc("", &["Thời gian"]),
        ],
        vec![tc(r#"<w:gridSpan w:val="5"/>"#, &["I. NHIỆM VỤ CHUNG"])],
        vec![
            tc("", &["1"]),
            tc("", &["Rà soát quy hoạch", "khoáng sản"]),
            tc(r#"<w:vMerge w:val="restart"/>"#, &["Sở Tài chính"]),
            tc(r#"<w:gridSpan w:val="2"/>"#, &["Các sở"]),
        ],
        vec![
            tc("", &["2"]),
            tc("", &["Báo cáo\tUBND tỉnh"]),
            tc("<w:vMerge/>", &[]),
            tc("", &["Sở Xây dựng"]),
            tc("", &["Quý II/2026"]),
        ],
        vec![tc("", &[]), tc("", &[]), tc("", &[]), tc("", &[]), tc("", &[])],
    ];
    let out = read(&docx(&table(GRID, 5, &rows))).unwrap();
    assert_eq!(
        out.text,
        "TT\tNội dung\tChủ trì\tPhối hợp\tThời gian\nI. NHIỆM VỤ CHUNG\n1\tRà soát quy hoạch khoáng sản\tSở Tài chính\tCác sở\n2\tBáo cáo UBND tỉnh\t\tSở Xây dựng\tQuý II/2026\n"
    );
    let at = |needle: &str| {
        let offset = out.text.find(needle).unwrap();
        out.source_map.iter().rev().find(|a| a.offset <= offset).map(|a| a.location)
    };
    assert_eq!(at("Sở Xây dựng"), Some(Location::TableCell { table: 1, row: 4, column: 4 }));
    assert_eq!(at("Quý II"), Some(Location::TableCell { table: 1, row: 4, column: 5 }));
}

#[test]
fn wide_borderless_tables_are_data_and_numbering_runs_through_cells() {
    let numbering = [
        r#"<w:abstractNum w:abstractNumId="0">"#,
        &lvl(0, "decimal", "%1"),
        r#"</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>"#,
    ]
    .concat();
    let numbered = |text: &str| format!("<w:tc>{}</w:tc>", np(1, 0, text));
    let rows: Vec<Vec<String>> = ["Ông A", "Bà B"]
        .iter()
        .map(|name| vec![numbered(""), tc("", &[name]), tc("", &["Phó Giám đốc"]), tc("", &["Trưởng đoàn"])])
        .collect();
    let nested = table("", 2, &[vec![tc("", &["trong"]), tc("", &["bảng"])]]);
    let with_nested =
        vec![tc("", &["3"]), format!("<w:tc>{}{nested}</w:tc>", p("Ông C")), tc("", &["x"]), tc("", &["y"])];
    let rows = [rows, vec![with_nested]].concat();
    assert_eq!(
        text(&docx_with(&table("", 4, &rows), &numbering, "")),
        "1\tÔng A\tPhó Giám đốc\tTrưởng đoàn\n2\tBà B\tPhó Giám đốc\tTrưởng đoàn\n3\tÔng C trong bảng\tx\ty\n"
    );
}

#[test]
fn table_style_borders_make_a_narrow_table_data() {
    let styles = r#"<w:style w:type="table" w:default="1" w:styleId="TableNormal"/><w:style w:type="table" w:styleId="TableGrid"><w:basedOn w:val="TableNormal"/><w:tblPr><w:tblBorders><w:top w:val="single"/><w:insideV w:val="single"/></w:tblBorders></w:tblPr></w:style>"#;
    let rows =
        vec![vec![tc("", &["Họ tên"]), tc("", &["Chức vụ"])], vec![tc("", &["Ông A"]), tc("", &["Trưởng phòng"])]];
    let ruled = table(r#"<w:tblStyle w:val="TableGrid"/>"#, 2, &rows);
    assert_eq!(text(&docx_with(&ruled, "", styles)), "Họ tên\tChức vụ\nÔng A\tTrưởng phòng\n");
    // The same table with the style's borders switched off is layout.
    let plain = table(
        r#"<w:tblStyle w:val="TableGrid"/><w:tblBorders><w:top w:val="none"/><w:insideV w:val="nil"/></w:tblBorders>"#,
        2,
        &rows,
    );
    assert_eq!(text(&docx_with(&plain, "", styles)), "Họ tên\nChức vụ\nÔng A\nTrưởng phòng\n");
}

#[test]
fn footnotes_follow_the_body_in_reference_order() {
    let body = r#"<w:p><w:r><w:t>Theo Nghị định</w:t></w:r><w:r><w:footnoteReference w:id="3"/></w:r><w:r><w:t xml:space="preserve"> và Thông tư</w:t></w:r><w:r><w:footnoteReference w:id="2"/></w:r></w:p>"#;
    let notes = format!(
        r#"<w:footnotes {W}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:id="2"><w:p><w:r><w:t>Thông tư số 01/2025/TT-BCT.</w:t></w:r></w:p></w:footnote><w:footnote w:id="3"><w:p><w:r><w:t>Nghị định số 181/2024/NĐ-CP.</w:t></w:r></w:p></w:footnote></w:footnotes>"#
    );
    let bytes = package(&[("word/document.xml", &document_xml(body)), ("word/footnotes.xml", &notes)]);
    assert_eq!(
        text(&bytes),
        "Theo Nghị định và Thông tư\n\nNghị định số 181/2024/NĐ-CP.\nThông tư số 01/2025/TT-BCT.\n"
    );
}

#[test]
fn headers_and_footers_are_skipped() {
    let footer = format!(r#"<w:ftr {W}>{}</w:ftr>"#, p("Trang 1"));
    let bytes = package(&[("word/document.xml", &document_xml(&p("Nội dung"))), ("word/footer1.xml", &footer)]);
    assert_eq!(text(&bytes), "Nội dung\n");
}

#[test]
fn a_zip_that_is_not_a_word_document_is_refused() {
    let bytes = package(&[("xl/workbook.xml", "<workbook/>")]);
    match read(&bytes) {
        Err(Error::BadDocx(reason)) => assert!(reason.contains("word/document.xml"), "{reason}"),
        other => panic!("expected BadDocx, got {other:?}"),
    }
}

#[test]
fn a_truncated_docx_is_refused() {
    let bytes = docx(&p("Nội dung đủ dài để bị cắt"));
    for cut in [bytes.len() / 2, bytes.len() - 10, 30] {
        match read(&bytes[..cut]) {
            Err(Error::BadDocx(reason)) => assert!(!reason.contains('\n'), "one line: {reason}"),
            other => panic!("expected BadDocx at {cut}, got {other:?}"),
        }
    }
}

#[test]
fn malformed_xml_is_refused() {
    for xml in [
        format!("<w:document {W}><w:body><w:p><w:r><w:t>mở</w:r></w:p></w:body></w:document>"),
        format!("<w:document {W}><w:body><w:p><w:r><w:t>cắt"),
        format!("<w:document {W}><w:body><w:p><w:r><w:t>&lol;</w:t></w:r></w:p></w:body></w:document>"),
    ] {
        let bytes = package(&[("word/document.xml", &xml)]);
        match read(&bytes) {
            Err(Error::BadDocx(reason)) => assert!(reason.contains("XML"), "{reason}"),
            other => panic!("expected BadDocx, got {other:?}"),
        }
    }
}

/// A package whose document.xml inflates from a few KB to `size` bytes.
fn bomb(size: usize) -> Vec<u8> {
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    zip.start_file("word/document.xml", options).unwrap();
    let head = format!("<w:document {W}><w:body><w:p><w:r><w:t>");
    zip.write_all(head.as_bytes()).unwrap();
    let chunk = vec![b'a'; 64 * 1024];
    let mut written = head.len();
    while written < size {
        zip.write_all(&chunk).unwrap();
        written += chunk.len();
    }
    zip.write_all(b"</w:t></w:r></w:p></w:body></w:document>").unwrap();
    zip.finish().unwrap().into_inner()
}

#[test]
fn a_zip_bomb_stops_at_the_expansion_limit() {
    let bytes = bomb(20 * 1024 * 1024);
    assert!(bytes.len() < 100 * 1024, "the bomb is small: {}", bytes.len());
    let options =
        Options { limits: Limits { max_expanded_bytes: 1024 * 1024, ..Limits::default() }, ..Options::default() };
    match read_bytes(&bytes, "bomb.docx", &options) {
        Err(e @ Error::ExpansionLimit { limit: 1_048_576 }) => assert!(!e.to_string().contains('\n')),
        other => panic!("expected ExpansionLimit, got {other:?}"),
    }
}

#[test]
fn declared_sizes_that_lie_are_caught() {
    // The headers claim 20 bytes; the deflated data holds 4 MB. The zip reader stops at the
    // declared size (the reader's own budget is a second fence, tested in the module).
    let bytes = bomb(4 * 1024 * 1024);
    let mut forged = bytes.clone();
    let central = forged.windows(4).rposition(|w| w == b"PK\x01\x02").unwrap();
    forged[central + 24..central + 28].copy_from_slice(&20u32.to_le_bytes());
    let local = forged.windows(4).position(|w| w == b"PK\x03\x04").unwrap();
    forged[local + 22..local + 26].copy_from_slice(&20u32.to_le_bytes());
    let options =
        Options { limits: Limits { max_expanded_bytes: 1024 * 1024, ..Limits::default() }, ..Options::default() };
    match read_bytes(&forged, "forged.docx", &options) {
        Err(Error::BadDocx(reason)) => assert!(reason.contains("word/document.xml"), "{reason}"),
        other => panic!("expected BadDocx, got {other:?}"),
    }
}

#[test]
fn a_flood_of_entries_is_refused() {
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    zip.start_file("word/document.xml", options).unwrap();
    zip.write_all(document_xml(&p("x")).as_bytes()).unwrap();
    for i in 0..10_001 {
        zip.start_file(format!("m/{i}"), options).unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    match read(&bytes) {
        Err(Error::BadDocx(reason)) => assert!(reason.contains("10002"), "{reason}"),
        other => panic!("expected BadDocx, got {other:?}"),
    }
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let depth = 10_000;
    let open = "<w:tbl><w:tr><w:tc>".repeat(depth);
    let close = "</w:tc></w:tr></w:tbl>".repeat(depth);
    match read(&docx(&format!("{open}{close}"))) {
        Err(Error::BadDocx(reason)) => assert!(reason.contains("lồng nhau"), "{reason}"),
        other => panic!("expected BadDocx, got {other:?}"),
    }
}

/// A small deterministic generator, so failures reproduce.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

#[test]
fn damaged_files_never_panic() {
    let numbering = [
        r#"<w:abstractNum w:abstractNumId="0">"#,
        &lvl(0, "decimal", "%1."),
        r#"</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>"#,
    ]
    .concat();
    let rows = vec![
        vec![tc("", &["TT"]), tc(r#"<w:gridSpan w:val="2"/>"#, &["Nội dung"])],
        vec![tc("<w:vMerge/>", &[]), tc("", &["a"]), tc("", &["b"])],
    ];
    let body = [np(1, 0, "Mục"), table(GRID, 3, &rows), p("Kết thúc")].concat();
    let stored = docx_with(&body, &numbering, "");
    let mut deflated = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    deflated.start_file("word/document.xml", SimpleFileOptions::default()).unwrap();
    deflated.write_all(document_xml(&body).as_bytes()).unwrap();
    let deflated = deflated.finish().unwrap().into_inner();
    let mut rng = Lcg(7);
    let mut outcomes = [0usize; 2];
    for original in [&stored, &deflated] {
        for cut in (4..original.len()).step_by(7) {
            outcomes[usize::from(read(&original[..cut]).is_ok())] += 1;
        }
        for _ in 0..1500 {
            let mut bytes = original.clone();
            for _ in 0..1 + rng.next() % 4 {
                let at = 4 + (rng.next() as usize) % (bytes.len() - 4);
                bytes[at] = rng.next() as u8;
            }
            outcomes[usize::from(read(&bytes).is_ok())] += 1;
        }
    }
    assert!(outcomes[0] > 0 && outcomes[1] > 0, "both outcomes occur: {outcomes:?}");
}

/// Whitespace runs collapsed to one space.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn corpus_docx_files_read_like_their_reference_text() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    let originals = corpus.join("originals");
    let Ok(entries) = std::fs::read_dir(&originals) else {
        println!("corpus absent at {}: skipped", originals.display());
        return;
    };
    let mut files: Vec<_> =
        entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "docx")).collect();
    files.sort();
    let mut failures = Vec::new();
    for path in &files {
        let id = path.file_stem().unwrap().to_string_lossy().into_owned();
        let reference = std::fs::read_to_string(corpus.join("docs").join(format!("{id}.txt"))).unwrap();
        let got = match read_file(path, &Options::default()) {
            Ok(out) => collapse(&out.text),
            Err(e) => {
                println!("{id}: FAIL {e}");
                failures.push(id);
                continue;
            }
        };
        // The reference sets header tables side by side: the issuer is the first column.
        let first = reference.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        let issuer = collapse(first.trim().split("  ").next().unwrap_or(""));
        // A body sentence: a legal basis if there is one, else the first long single-column line.
        let sentence = reference
            .lines()
            .find(|l| l.trim_start().starts_with("Căn cứ"))
            .or_else(|| reference.lines().find(|l| l.chars().count() >= 60 && !l.trim().contains("  ")))
            .map(collapse)
            .unwrap_or_default();
        let mut missing = Vec::new();
        for (what, needle) in [("issuer", &issuer), ("sentence", &sentence)] {
            if needle.is_empty() || !got.contains(needle.as_str()) {
                missing.push(format!("{what} {needle:?}"));
            }
        }
        if missing.is_empty() {
            println!("{id}: ok");
        } else {
            println!("{id}: FAIL missing {}", missing.join(", "));
            failures.push(id);
        }
    }
    println!("corpus DOCX: {}/{} pass", files.len() - failures.len(), files.len());
    assert!(failures.is_empty(), "failing: {failures:?}");
}
