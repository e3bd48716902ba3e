//! Writes the generated part of the seed corpora into `fuzz/corpus/<target>/`: files the team
//! owns, built from `examples/` (the model case and the demo directives) with the crates' own
//! writers (legacy encoders, the edXML writer, the parser), and small DOCX/XLSX packages laid
//! out like the ones `crates/ingest/tests` builds. Run once by hand (`fuzz/run.sh seeds`);
//! the fuzzers then grow the corpus and `afl-cmin` trims it. Nothing from the shared corpus
//! is ever written here.
use std::io::Write;
use std::path::{Path, PathBuf};

use edxml::{
    Attachment, Code, DocumentType, Header, Message, Organ, Package, ResponseFor, Signer, Status,
    StatusCode,
};
use vn_text::legacy::{self, Encoding};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_owned()
}

fn put(target: &str, name: &str, bytes: &[u8]) {
    let dir = root().join("corpus").join(target);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), bytes).unwrap();
}

fn example(name: &str) -> String {
    std::fs::read_to_string(root().join("../examples").join(name)).unwrap()
}

/// The first `n` bytes of `s`, cut at a character boundary.
fn head(s: &str, n: usize) -> &str {
    let mut end = n.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

fn package(parts: &[(&str, &str)], method: CompressionMethod) -> Vec<u8> {
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(method);
    for (name, content) in parts {
        zip.start_file(*name, options).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml""#;
const S: &str = r#"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

fn p(text: &str) -> String {
    format!(r#"<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#)
}

fn np(num: u32, ilvl: u32, text: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
    )
}

fn tc(text: &str) -> String {
    format!(
        r#"<w:tc><w:tcPr><w:tcW w:w="4500"/></w:tcPr>{}</w:tc>"#,
        p(text)
    )
}

fn docx_seeds() {
    let document = |body: &str| {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{body}<w:sectPr/></w:body></w:document>"#
        )
    };
    let header = format!(
        r#"<w:tbl><w:tblPr><w:tblW w:w="9000"/></w:tblPr><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>"#,
        tc("ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"),
        tc("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        tc("Số: 2395/UBND-KTTH"),
        tc("Quảng Ngãi, ngày 20 tháng 5 năm 2022")
    );
    let body = [
        header,
        p("Thực hiện Nghị quyết số 57/NQ-CP ngày 21/4/2022 của Chính phủ, Chủ tịch UBND tỉnh có ý kiến như sau:"),
        np(1, 0, "Giao Sở Kế hoạch và Đầu tư chủ trì, phối hợp với Sở Tài chính tham mưu, báo cáo trước ngày 30/6/2022."),
        np(1, 1, "Các sở, ban, ngành theo chức năng, nhiệm vụ triển khai thực hiện."),
        r#"<w:p><w:r><w:t>Dòng một</w:t><w:br/><w:t>dòng hai</w:t><w:footnoteReference w:id="1"/></w:r></w:p>"#.to_owned(),
        r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>TT</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Nội dung</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Chủ trì</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Rà soát</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Sở Xây dựng</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#.to_owned(),
        r#"<w:p><w:r><w:pict><v:textbox><w:txbxContent><w:p><w:r><w:t>Hộp chữ</w:t></w:r></w:p></w:txbxContent></v:textbox></w:pict></w:r><w:r><w:rPr><w:caps/></w:rPr><w:t>chữ hoa</w:t></w:r><w:r><w:sym w:char="F0B7"/></w:r></w:p>"#.to_owned(),
    ]
    .concat();
    let numbering = format!(
        r#"<?xml version="1.0"?><w:numbering {W}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl></w:abstractNum><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="4"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="2"/></w:lvlOverride></w:num></w:numbering>"#
    );
    let styles = format!(
        r#"<?xml version="1.0"?><w:styles {W}><w:style w:type="paragraph" w:styleId="List"><w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr></w:style></w:styles>"#
    );
    let notes = format!(
        r#"<?xml version="1.0"?><w:footnotes {W}><w:footnote w:id="1"><w:p><w:r><w:t>Chú thích.</w:t></w:r></w:p></w:footnote></w:footnotes>"#
    );
    let doc = document(&body);
    let parts = [
        ("[Content_Types].xml", "<Types/>"),
        ("word/document.xml", doc.as_str()),
        ("word/numbering.xml", numbering.as_str()),
        ("word/styles.xml", styles.as_str()),
        ("word/footnotes.xml", notes.as_str()),
    ];
    put(
        "docx",
        "full-stored.docx",
        &package(&parts, CompressionMethod::Stored),
    );
    put(
        "docx",
        "full-deflated.docx",
        &package(&parts, CompressionMethod::Deflated),
    );
    let plain = document(&p("Kính gửi: Sở Tài chính"));
    put(
        "docx",
        "one-paragraph.docx",
        &package(&[("word/document.xml", &plain)], CompressionMethod::Stored),
    );
}

fn xlsx_seeds() {
    let shared = [
        "TT",
        "Nội dung",
        "Chủ trì",
        "Phối hợp",
        "Thời hạn",
        "Sở Tài chính, Sở Xây dựng",
        "Quý II/2026",
    ];
    let sst: String = shared
        .iter()
        .map(|s| format!("<si><t>{s}</t></si>"))
        .collect();
    let sst = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><sst {S} count="7" uniqueCount="7">{sst}</sst>"#
    );
    let book = format!(
        r#"<?xml version="1.0"?><workbook {S}><sheets><sheet name="Nhiệm vụ" sheetId="1" r:id="rId1"/><sheet name="Khác" sheetId="2" r:id="rId2"/></sheets></workbook>"#
    );
    let rels = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId2" Target="worksheets/sheet2.xml"/><Relationship Id="rId1" Target="/xl/worksheets/sheet1.xml"/></Relationships>"#;
    let styles = format!(
        r#"<?xml version="1.0"?><styleSheet {S}><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy;@"/></numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164"/></cellXfs></styleSheet>"#
    );
    let data = [
        r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c></row>"#,
        r#"<row r="3"><c><v>1</v></c><c t="inlineStr"><is><r><t xml:space="preserve">Rà soát </t></r><r><rPr><b/></rPr><t>quy hoạch</t></r></is></c><c t="s"><v>5</v></c><c s="1"><v>46112</v></c><c s="2"><v>46203.5</v></c></row>"#,
        r#"<row r="4"><c r="A4"><v>2</v></c><c r="B4" t="str"><f>X</f><v>Báo cáo &amp; đề xuất</v></c><c r="E4" t="s"><v>6</v></c><c r="F4" t="b"><v>1</v></c></row>"#,
    ]
    .concat();
    let sheet1 = format!(
        r#"<?xml version="1.0"?><worksheet {S}><sheetData>{data}</sheetData><mergeCells count="1"><mergeCell ref="B4:C4"/></mergeCells></worksheet>"#
    );
    let sheet2 = format!(
        r#"<worksheet {S}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>khác</t></is></c></row></sheetData></worksheet>"#
    );
    let parts = [
        ("[Content_Types].xml", "<Types/>"),
        ("xl/workbook.xml", book.as_str()),
        ("xl/_rels/workbook.xml.rels", rels),
        ("xl/styles.xml", styles.as_str()),
        ("xl/sharedStrings.xml", sst.as_str()),
        ("xl/worksheets/sheet1.xml", sheet1.as_str()),
        ("xl/worksheets/sheet2.xml", sheet2.as_str()),
    ];
    put(
        "xlsx",
        "tasks-stored.xlsx",
        &package(&parts, CompressionMethod::Stored),
    );
    put(
        "xlsx",
        "tasks-deflated.xlsx",
        &package(&parts, CompressionMethod::Deflated),
    );
}

fn organ(id: &str, name: &str) -> Organ {
    Organ {
        organ_id: Some(id.into()),
        organization_in_charge: Some("Ủy ban nhân dân tỉnh Quảng Ngãi".into()),
        organ_name: Some(name.into()),
        organ_add: Some("52 Hùng Vương, TP. Quảng Ngãi".into()),
        email: Some("vanthu@quangngai.gov.vn".into()),
        telephone: Some("0255 3822 000".into()),
        fax: None,
        website: None,
    }
}

fn edxml_seeds(model: &str) {
    let header = Header {
        from: organ("000.00.00.H51", "Ủy ban nhân dân tỉnh Quảng Ngãi"),
        to: vec![
            organ("000.01.00.H51", "Sở Tài chính"),
            organ("000.02.00.H51", "Sở Xây dựng <Quảng Ngãi> & \"cộng sự\""),
        ],
        document_id: Some("000.00.00.H51,2022/05/20,2395/UBND-KTTH".into()),
        code: Code {
            number: Some("2395".into()),
            notation: Some("UBND-KTTH".into()),
        },
        place: Some("Quảng Ngãi".into()),
        promulgation_date: vn_calendar::Date::from_ymd(2022, 5, 20).ok(),
        document_type: DocumentType {
            type_code: Some("1".into()),
            detail: Some("0".into()),
            name: Some("Công văn".into()),
        },
        subject: Some("V/v triển khai Nghị quyết số 57/NQ-CP".into()),
        signer: Signer {
            competence: Some("KT. CHỦ TỊCH".into()),
            position: Some("Phó Chủ tịch".into()),
            full_name: Some("Trần Phước Hiền".into()),
        },
        due_date: vn_calendar::Date::from_ymd(2022, 6, 30).ok(),
        to_places: vec!["Như trên".into(), "Lưu: VT, KTTH".into()],
        response_for: vec![ResponseFor {
            organ_id: Some("000.00.00.G22".into()),
            code: Some("57/NQ-CP".into()),
            promulgation_date: vn_calendar::Date::from_ymd(2022, 4, 21).ok(),
            document_id: Some("000.00.00.G22,2022/04/21,57/NQ-CP".into()),
        }],
        ..Header::default()
    };
    let text = head(model, 1500).as_bytes().to_vec();
    let package = Package::new_document(
        header.clone(),
        Attachment::new("2395-UBND-KTTH.txt", "text/plain", text),
    );
    put(
        "edxml",
        "package.edxml",
        &edxml::to_vec(&Message::Package(package)),
    );
    let status = Status::new(
        organ("000.01.00.H51", "Sở Tài chính"),
        ResponseFor::to(&header),
        StatusCode::ALL[0],
        "2022/05/21 09:00:00".into(),
    );
    put(
        "edxml",
        "status.edxml",
        &edxml::to_vec(&Message::Status(status)),
    );
}

fn main() {
    let model = example("2395-UBND-KTTH.txt");
    let demos: Vec<String> = [
        "demo/01-giai-ngan-von-dau-tu-cong-2024.txt",
        "demo/05-chuyen-doi-so-2024.txt",
        "demo/11-sap-xep-bo-may-2025.txt",
    ]
    .iter()
    .map(|n| example(n))
    .collect();
    let excerpt = head(&model, 2000);

    // Text: UTF-8, with BOM, UTF-16 both ways, each legacy encoding. The first byte of an
    // ingest_text input picks the forced encoding (0x03: detect).
    put("vn_text", "utf8.txt", excerpt.as_bytes());
    let ingest = |name: &str, choice: u8, bytes: &[u8]| {
        let mut v = vec![choice];
        v.extend_from_slice(bytes);
        put("ingest_text", name, &v);
    };
    ingest("utf8.txt", 3, excerpt.as_bytes());
    ingest(
        "bom.txt",
        3,
        &[b"\xEF\xBB\xBF", demos[0].as_bytes()].concat(),
    );
    let utf16: Vec<u16> = demos[1].encode_utf16().collect();
    let le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(utf16.iter().flat_map(|u| u.to_le_bytes()))
        .collect();
    let be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(utf16.iter().flat_map(|u| u.to_be_bytes()))
        .collect();
    ingest("utf16le.txt", 3, &le);
    ingest("utf16be.txt", 3, &be);
    for (i, enc) in Encoding::ALL.into_iter().enumerate() {
        // Toned capitals do not exist in TCVN3: lower-case what cannot be encoded.
        let source = &demos[2];
        let bytes = legacy::encode(source, enc)
            .unwrap_or_else(|_| legacy::encode(&source.to_lowercase(), enc).unwrap());
        let name = format!("{}.txt", enc.name().to_lowercase().replace(' ', "-"));
        put("vn_text", &name, &bytes);
        ingest(&format!("detect-{name}"), 3, &bytes);
        let forced = match enc {
            Encoding::Tcvn3 => 0,
            Encoding::Vni => 1,
            Encoding::Windows1258 => 2,
        };
        ingest(&format!("forced-{name}"), forced, &bytes);
        // A legacy-font PDF text layer: the legacy bytes read as Latin-1, pages split by form feeds.
        let latin1: String = bytes.iter().map(|&b| b as char).collect();
        let mut layer = vec![2u8];
        layer.extend_from_slice(latin1.replacen('\n', "\n\u{000C}", 1).as_bytes());
        put("pdf_text", &format!("mojibake-{i}.txt"), &layer);
    }
    // pdftotext -layout output: two pages, the header's two columns side by side.
    let mut layer = vec![1u8];
    let (a, b) = excerpt.split_at(
        excerpt
            .char_indices()
            .nth(900)
            .map_or(excerpt.len(), |(i, _)| i),
    );
    layer.extend_from_slice(format!("ỦY BAN NHÂN DÂN             CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n{a}\u{000C}{b}\u{000C}").as_bytes());
    put("pdf_text", "layout.txt", &layer);

    // Citations and whole documents: the model case and demo directives.
    put("legal_ref", "model-excerpt.txt", excerpt.as_bytes());
    put("legal_ref", "demo-01.txt", demos[0].as_bytes());
    put("legal_ref", "forms.txt", "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Nghị định số 30/2020/NĐ-CP; Nghị quyết nêu trên; Quyết định này; Chỉ thị 11; Thông tư số 01/2022/TT-BTTTT.".as_bytes());
    put("doc_parse", "model.txt", model.as_bytes());
    for (i, d) in demos.iter().enumerate() {
        put("doc_parse", &format!("demo-{i}.txt"), d.as_bytes());
    }

    docx_seeds();
    xlsx_seeds();
    edxml_seeds(&model);

    // Review files: the proposal `nhiemvu import --review` writes for a demo directive, with
    // every party kind and deadline kind.
    let source = doc_parse::SourceInfo {
        file: "demo.txt".into(),
        format: "text".into(),
        sha256: String::new(),
    };
    let parsed = doc_parse::parse(&vn_text::normalize(&demos[0]), source);
    let kinds = ["agency", "group", "unknown"];
    let tasks: Vec<serde_json::Value> = parsed
        .document
        .tasks
        .iter()
        .take(4)
        .enumerate()
        .map(|(i, t)| {
            let party = |names: &[String]| -> Vec<serde_json::Value> {
                names
                    .iter()
                    .enumerate()
                    .map(|(k, n)| serde_json::json!({"name": n, "kind": kinds[(i + k) % 3]}))
                    .collect()
            };
            serde_json::json!({
                "id": t.id, "text": t.text, "lead": party(&t.lead), "support": party(&t.support),
                "deadline": t.deadline, "span": t.span, "references": t.references,
            })
        })
        .collect();
    let review = serde_json::json!({
        "format": "nhiemvu.review/1",
        "guide": "",
        "source": {"path": "/tmp/demo.txt", "sha256": "0".repeat(64)},
        "document": {"date": parsed.document.date},
        "tasks": tasks,
    });
    put(
        "review",
        "proposal.json",
        serde_json::to_string_pretty(&review).unwrap().as_bytes(),
    );
    let edited = serde_json::json!({
        "format": "nhiemvu.review/1",
        "source": {"path": "x.xlsx", "sha256": "ab"},
        "document": {"date": "2024-02-30"},
        "sheet": {"name": "Nhiệm vụ", "header_row": 1, "first_row": 2, "columns": {"A": "tt", "B": "noi_dung"}},
        "tasks": [
            {"id": "1", "text": "Rà soát", "lead": [{"name": "Sở Tài chính", "kind": "agency"}], "support": [{"name": "", "kind": "x"}],
             "deadline": {"kind": "date", "date": "2024-01-31", "text": "trước 31/01/2024"}},
            {"id": "1", "text": " ", "lead": [], "support": [], "deadline": {"kind": "recurring", "every": "quarter"}},
            {"id": "", "text": "x", "lead": [{"name": "Ban Không Có", "kind": "agency"}], "support": [], "deadline": {"kind": "period"}}
        ]
    });
    put(
        "review",
        "edited-with-problems.json",
        serde_json::to_string(&edited).unwrap().as_bytes(),
    );
}
