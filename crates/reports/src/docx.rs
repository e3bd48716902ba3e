//! Word files laid out per Decree 30/2020/NĐ-CP, Appendix I: A4, margins top and bottom
//! 20 mm, left 30 mm, right 15 mm, Times New Roman 14 pt body; the issuer (bold, its parent
//! body on the line above when it has one) left and the national motto right in a borderless
//! header table, the number under the issuer and the place and date under the motto, then the
//! type name and subject (a công văn: `V/v …` under the number instead), the body, and
//! `Nơi nhận` beside the signature block.
//!
//! The header and signature tables are the layout tables `ingest`'s DOCX reader recognises by
//! the motto and by `Nơi nhận`, so a generated file reads back in the order the parser
//! expects; data tables have borders, which is how the reader tells records from layout.

use std::io::{Cursor, Write};

use store::AnnexRow;
use vn_calendar::Date;
use workflow::{Counts, Timeliness};
use zip::write::SimpleFileOptions;

use crate::compile::{Report, UrgingLetter, emulation};
use crate::xml::escape_into;
use crate::{Error, Templates, UrgeRequest, vn_date};

/// A4 in twentieths of a point.
const A4: (u32, u32) = (11_906, 16_838);
/// Margins in twips: top, right, bottom, left (20, 15, 20, 30 mm).
const MARGINS: (u32, u32, u32, u32) = (1_134, 851, 1_134, 1_701);
/// The text width of a portrait page.
const TEXT_WIDTH: u32 = A4.0 - MARGINS.1 - MARGINS.3;
/// The text width of a landscape page (the annex).
const TEXT_WIDTH_LANDSCAPE: u32 = A4.1 - MARGINS.1 - MARGINS.3;

/// Run formatting: bold, italic, size in half-points.
#[derive(Clone, Copy)]
struct Fmt {
    bold: bool,
    italic: bool,
    size: u32,
}

const BODY: Fmt = Fmt {
    bold: false,
    italic: false,
    size: 28,
};

impl Fmt {
    fn bold(self) -> Fmt {
        Fmt { bold: true, ..self }
    }
    fn italic(self) -> Fmt {
        Fmt {
            italic: true,
            ..self
        }
    }
    fn size(self, points: u32) -> Fmt {
        Fmt {
            size: points * 2,
            ..self
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Align {
    Left,
    Center,
    Both,
}

/// Builds `word/document.xml`'s body.
struct Body {
    xml: String,
}

impl Body {
    fn new() -> Body {
        Body {
            xml: String::with_capacity(64 * 1024),
        }
    }

    /// A paragraph of one run.
    fn p(&mut self, text: &str, fmt: Fmt, align: Align) {
        let p = paragraph(text, fmt, align, false);
        self.xml.push_str(&p);
    }

    /// A body paragraph: justified, first line indented 1 cm, 6 pt after (Appendix I).
    fn text(&mut self, text: &str) {
        let p = paragraph(text, BODY, Align::Both, true);
        self.xml.push_str(&p);
    }
}

fn paragraph(text: &str, fmt: Fmt, align: Align, indent: bool) -> String {
    let jc = match align {
        Align::Left => "left",
        Align::Center => "center",
        Align::Both => "both",
    };
    let ind = if indent {
        r#"<w:ind w:firstLine="567"/>"#
    } else {
        ""
    };
    let after = if indent { 120 } else { 0 };
    format!(
        r#"<w:p><w:pPr><w:spacing w:before="0" w:after="{after}" w:line="240" w:lineRule="auto"/>{ind}<w:jc w:val="{jc}"/></w:pPr>{}</w:p>"#,
        run(text, fmt)
    )
}

fn run(text: &str, fmt: Fmt) -> String {
    let mut out = String::from("<w:r><w:rPr>");
    if fmt.bold {
        out.push_str("<w:b/><w:bCs/>");
    }
    if fmt.italic {
        out.push_str("<w:i/><w:iCs/>");
    }
    out.push_str(&format!(
        r#"<w:sz w:val="{0}"/><w:szCs w:val="{0}"/></w:rPr><w:t xml:space="preserve">"#,
        fmt.size
    ));
    escape_into(&mut out, text);
    out.push_str("</w:t></w:r>");
    out
}

/// A table: `widths` in twips, each row a list of cells, each cell its paragraphs' XML.
/// `borders` makes it a data table; `header` rows repeat on every page.
fn table(widths: &[u32], rows: &[Vec<String>], borders: bool, header: usize) -> String {
    let mut out = String::from("<w:tbl><w:tblPr>");
    out.push_str(&format!(
        r#"<w:tblW w:w="{}" w:type="dxa"/><w:tblLayout w:type="fixed"/>"#,
        widths.iter().sum::<u32>()
    ));
    let edge = if borders {
        r#"w:val="single" w:sz="4" w:space="0" w:color="000000""#
    } else {
        r#"w:val="nil""#
    };
    out.push_str(&format!(
        "<w:tblBorders><w:top {edge}/><w:left {edge}/><w:bottom {edge}/><w:right {edge}/><w:insideH {edge}/><w:insideV {edge}/></w:tblBorders>"
    ));
    out.push_str(r#"<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>"#);
    for w in widths {
        out.push_str(&format!(r#"<w:gridCol w:w="{w}"/>"#));
    }
    out.push_str("</w:tblGrid>");
    for (i, row) in rows.iter().enumerate() {
        out.push_str("<w:tr>");
        if i < header {
            out.push_str("<w:trPr><w:tblHeader/></w:trPr>");
        }
        for (cell, w) in row.iter().zip(widths) {
            out.push_str(&format!(
                r#"<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>"#
            ));
            // Word requires a paragraph in every cell.
            if cell.is_empty() {
                out.push_str("<w:p/>");
            } else {
                out.push_str(cell);
            }
            out.push_str("</w:tc>");
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
    out
}

/// A small table cell paragraph.
fn cell(text: &str, size: u32, bold: bool, align: Align) -> String {
    let fmt = Fmt {
        bold,
        italic: false,
        size: size * 2,
    };
    paragraph(text, fmt, align, false)
}

/// `Số: 15/BC-UBND`, or `Số:      /BC-UBND` for a draft; a number below 10 takes its
/// leading zero (DOMAIN.md §1).
fn number_line(number: Option<&str>, symbol: &str) -> String {
    match number.map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) if n.len() == 1 && n.bytes().all(|b| b.is_ascii_digit()) => {
            format!("Số: 0{n}/{symbol}")
        }
        Some(n) => format!("Số: {n}/{symbol}"),
        None => format!("Số:      /{symbol}"),
    }
}

/// `Quảng Ngãi, ngày 05 tháng 01 năm 2023`; day and month left blank for a draft.
fn date_line(place: &str, date: Option<Date>, drafted_on: Date) -> String {
    match date {
        Some(d) => {
            let (y, m, day) = d.ymd();
            let month = if m <= 2 {
                format!("{m:02}")
            } else {
                m.to_string()
            };
            format!("{place}, ngày {day:02} tháng {month} năm {y}")
        }
        None => format!("{place}, ngày     tháng     năm {}", drafted_on.year()),
    }
}

/// The header table: issuer | motto, number | place and date, and for a công văn its
/// `V/v` line under the number.
fn header(t: &Templates, number: &str, dateline: &str, subject_vv: Option<&str>) -> String {
    let left_w = 3_800;
    let widths = [left_w, TEXT_WIDTH - left_w];
    let mut issuer = String::new();
    for line in t.lines("issuer_parent") {
        issuer.push_str(&cell(line, 13, false, Align::Center));
    }
    for line in t.lines("issuer") {
        issuer.push_str(&cell(line, 13, true, Align::Center));
    }
    let motto = cell(t.get("motto_title"), 13, true, Align::Center)
        + &cell(t.get("motto"), 14, true, Align::Center);
    let mut rows = vec![
        vec![issuer, motto],
        vec![
            cell(number, 13, false, Align::Center),
            paragraph(dateline, BODY.italic(), Align::Center, false),
        ],
    ];
    if let Some(vv) = subject_vv {
        rows.push(vec![
            cell(&format!("V/v {vv}"), 12, false, Align::Center),
            String::new(),
        ]);
    }
    table(&widths, &rows, false, 0)
}

/// The `Nơi nhận` | signature table.
fn signature(t: &Templates, copies: &str, authority: &str, title: &str, signer: &str) -> String {
    let left_w = 4_400;
    let widths = [left_w, TEXT_WIDTH - left_w];
    let mut left = paragraph(
        t.get("copies_label"),
        BODY.bold().italic().size(12),
        Align::Left,
        false,
    );
    for line in t.lines(copies) {
        left.push_str(&cell(&format!("- {line}"), 11, false, Align::Left));
    }
    let mut right = String::new();
    for line in t.lines(authority).into_iter().chain(t.lines(title)) {
        right.push_str(&cell(line, 14, true, Align::Center));
    }
    // Room for the signature and the seal.
    for _ in 0..4 {
        right.push_str("<w:p/>");
    }
    for line in t.lines(signer) {
        right.push_str(&cell(line, 14, true, Align::Center));
    }
    table(&widths, &[vec![left, right]], false, 0)
}

fn count_values(c: &Counts) -> [u64; 5] {
    [
        c.done_on_time,
        c.done_late,
        c.open_on_time,
        c.open_overdue,
        c.no_deadline,
    ]
}

pub(crate) const COUNT_KEYS: [&str; 5] = [
    "count_done_on_time",
    "count_done_late",
    "count_open_on_time",
    "count_open_overdue",
    "count_no_deadline",
];

pub(crate) fn count_placeholders(c: &Counts) -> Vec<(&'static str, String)> {
    let v = count_values(c);
    vec![
        ("total", c.total().to_string()),
        ("done_on_time", v[0].to_string()),
        ("done_late", v[1].to_string()),
        ("open_on_time", v[2].to_string()),
        ("open_overdue", v[3].to_string()),
        ("no_deadline", v[4].to_string()),
    ]
}

fn fill(t: &Templates, key: &str, values: &[(&str, String)]) -> String {
    let pairs: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
    t.fill(key, &pairs)
}

/// The subject of a report, from the request.
pub(crate) fn report_subject(report: &Report, t: &Templates) -> String {
    let period = report.request.period.label_vi();
    if let Some((_, code)) = &report.request.document {
        fill(
            t,
            "report_subject_document",
            &[("document", code.clone()), ("period", period)],
        )
    } else if let Some((_, name)) = &report.agency {
        fill(
            t,
            "report_subject_agency",
            &[("agency", name.clone()), ("period", period)],
        )
    } else {
        fill(t, "report_subject", &[("period", period)])
    }
}

/// The deadline as the annex prints it.
pub(crate) fn deadline_cell(row: &AnnexRow, t: &Templates) -> String {
    match (row.due_on, &row.deadline_text) {
        (Some(d), _) => vn_date(d),
        (None, Some(text)) if !text.trim().is_empty() => text.clone(),
        _ => t.get("no_deadline").to_owned(),
    }
}

/// The latest progress as the annex prints it.
pub(crate) fn progress_cell(row: &AnnexRow) -> String {
    match &row.latest_report {
        Some(r) => {
            let percent = r.percent.map(|p| format!(" ({p}%)")).unwrap_or_default();
            format!("{}{percent}: {}", vn_date(r.on), r.content)
        }
        None => String::new(),
    }
}

/// Timeliness as users read it: a completed task late is "Hoàn thành quá hạn" in the
/// report's words, not only "Trễ hạn".
pub(crate) fn timeliness_cell(t: Timeliness) -> &'static str {
    t.label_vi()
}

/// The compiled report as a DOCX file.
pub fn report_docx(report: &Report, t: &Templates) -> Result<Vec<u8>, Error> {
    let req = &report.request;
    let mut body = Body::new();
    body.xml.push_str(&header(
        t,
        &number_line(req.number.as_deref(), t.get("report_symbol")),
        &date_line(t.get("place"), req.date, req.drafted_on),
        None,
    ));
    body.p("", BODY, Align::Center);
    body.p(t.get("report_type"), BODY.bold(), Align::Center);
    body.p(&report_subject(report, t), BODY.bold(), Align::Center);
    body.p("", BODY, Align::Center);
    let period = req.period.label_vi();
    let as_of = vn_date(report.as_of);
    body.text(&fill(
        t,
        "report_intro",
        &[("period", period.clone()), ("as_of", as_of.clone())],
    ));

    body.p(t.get("section_overall"), BODY.bold(), Align::Left);
    body.text(&fill(
        t,
        "overall_sentence",
        &count_placeholders(&report.overall),
    ));
    let values = count_values(&report.overall);
    for (i, (key, value)) in COUNT_KEYS.iter().zip(values).enumerate() {
        let end = if i == 4 { "." } else { ";" };
        body.text(&format!(
            "- {}: {value} {}{end}",
            t.get(key),
            t.get("count_unit")
        ));
    }

    body.p(t.get("section_agencies"), BODY.bold(), Align::Left);
    let widths = [500, 2_554, 900, 1_080, 1_080, 1_080, 1_080, 1_080];
    let mut rows = vec![{
        let mut h = vec![
            cell(t.get("col_no"), 11, true, Align::Center),
            cell(t.get("col_agency"), 11, true, Align::Center),
            cell(t.get("col_total"), 11, true, Align::Center),
        ];
        h.extend(
            COUNT_KEYS
                .iter()
                .map(|k| cell(t.get(k), 11, true, Align::Center)),
        );
        h
    }];
    for (i, a) in report.agencies.iter().enumerate() {
        let mut r = vec![
            cell(&(i + 1).to_string(), 11, false, Align::Center),
            cell(&a.name, 11, false, Align::Left),
            cell(&a.counts.total().to_string(), 11, false, Align::Center),
        ];
        r.extend(
            count_values(&a.counts)
                .iter()
                .map(|v| cell(&v.to_string(), 11, false, Align::Center)),
        );
        rows.push(r);
    }
    let mut total = vec![
        String::new(),
        cell(t.get("total_row"), 11, true, Align::Left),
        cell(&report.overall.total().to_string(), 11, true, Align::Center),
    ];
    total.extend(
        count_values(&report.overall)
            .iter()
            .map(|v| cell(&v.to_string(), 11, true, Align::Center)),
    );
    rows.push(total);
    body.xml.push_str(&table(&widths, &rows, true, 1));
    body.p(t.get("agencies_note"), BODY.italic().size(12), Align::Both);
    for a in &report.agencies {
        let mut values = count_placeholders(&a.counts);
        values.push(("agency", a.name.clone()));
        body.text(&fill(t, "agency_sentence", &values));
        if a.latest.is_empty() {
            body.text(&fill(t, "agency_no_progress", &[("as_of", as_of.clone())]));
        } else {
            body.text(t.get("agency_progress"));
            for (outline, document, on, content) in &a.latest {
                body.text(&format!(
                    "- {outline} ({document}), {}: {content}",
                    vn_date(*on)
                ));
            }
        }
    }

    body.p(t.get("section_emulation"), BODY.bold(), Align::Left);
    let widths = [900, 3_454, 1_250, 1_250, 1_250, 1_250];
    let mut rows = vec![vec![
        cell(t.get("col_rank"), 11, true, Align::Center),
        cell(t.get("col_agency"), 11, true, Align::Center),
        cell(t.get("count_done_on_time"), 11, true, Align::Center),
        cell(t.get("count_done_late"), 11, true, Align::Center),
        cell(t.get("count_open_overdue"), 11, true, Align::Center),
        cell(t.get("col_rate"), 11, true, Align::Center),
    ]];
    for e in emulation(report) {
        rows.push(vec![
            cell(
                &e.rank.map(|r| r.to_string()).unwrap_or_else(|| "-".into()),
                11,
                false,
                Align::Center,
            ),
            cell(&e.name, 11, false, Align::Left),
            cell(&e.on_time.to_string(), 11, false, Align::Center),
            cell(&e.late.to_string(), 11, false, Align::Center),
            cell(&e.overdue.to_string(), 11, false, Align::Center),
            cell(
                &e.rate
                    .map(|r| format!("{:.1}%", r * 100.0))
                    .unwrap_or_else(|| "-".into()),
                11,
                false,
                Align::Center,
            ),
        ]);
    }
    body.xml.push_str(&table(&widths, &rows, true, 1));
    body.p(t.get("emulation_note"), BODY.italic().size(12), Align::Both);

    body.p(t.get("section_proposals"), BODY.bold(), Align::Left);
    body.text(t.get("proposals"));
    body.text(&fill(t, "report_closing", &[("period", period)]));
    body.xml.push_str(&signature(
        t,
        "report_copies",
        "report_sign_authority",
        "report_sign_title",
        "report_signer",
    ));

    // The annex starts a landscape section: nine columns do not fit a portrait page.
    body.xml.push_str(&format!(
        "<w:p><w:pPr><w:sectPr>{}</w:sectPr></w:pPr></w:p>",
        page(false)
    ));
    body.p(t.get("annex_title"), BODY.bold(), Align::Center);
    body.p(t.get("annex_subtitle"), BODY.bold(), Align::Center);
    let reference = match (&req.number, req.date) {
        (Some(n), Some(d)) => fill(
            t,
            "annex_ref",
            &[
                (
                    "code",
                    number_line(Some(n), t.get("report_symbol"))
                        .trim_start_matches("Số: ")
                        .to_owned(),
                ),
                ("date", vn_date(d)),
            ],
        ),
        _ => t.get("annex_ref_draft").to_owned(),
    };
    body.p(&reference, BODY.italic(), Align::Center);
    if report.annex_total > report.annex.len() as u64 {
        body.p(
            &fill(
                t,
                "annex_capped",
                &[
                    ("shown", report.annex.len().to_string()),
                    ("total", report.annex_total.to_string()),
                ],
            ),
            BODY.italic().size(12),
            Align::Center,
        );
    }
    body.p("", BODY, Align::Center);
    body.xml.push_str(&annex_table(&report.annex, t));
    body.xml
        .push_str(&format!("<w:sectPr>{}</w:sectPr>", page(true)));
    package(&body.xml)
}

/// The annex table, written row by row into one string (capped at DOCX_ANNEX_CAP rows).
fn annex_table(rows: &[AnnexRow], t: &Templates) -> String {
    let widths = [500, 1_300, 4_086, 1_500, 1_500, 1_100, 1_100, 1_100, 2_100];
    debug_assert_eq!(widths.iter().sum::<u32>(), TEXT_WIDTH_LANDSCAPE);
    let head = crate::compile::ANNEX_COLUMNS;
    let mut table_rows = vec![
        head.iter()
            .map(|k| cell(t.get(k), 10, true, Align::Center))
            .collect::<Vec<_>>(),
    ];
    for (i, row) in rows.iter().enumerate() {
        let leads: Vec<&str> = row.leads.iter().map(|(_, n)| n.as_str()).collect();
        table_rows.push(vec![
            cell(&(i + 1).to_string(), 10, false, Align::Center),
            cell(
                &format!("{} ({})", row.document, row.outline_id),
                10,
                false,
                Align::Left,
            ),
            cell(&row.text, 10, false, Align::Both),
            cell(&leads.join("; "), 10, false, Align::Left),
            cell(&row.supports.join("; "), 10, false, Align::Left),
            cell(&deadline_cell(row, t), 10, false, Align::Center),
            cell(row.status.label_vi(), 10, false, Align::Center),
            cell(
                timeliness_cell(row.assessment.timeliness),
                10,
                false,
                Align::Center,
            ),
            cell(&progress_cell(row), 10, false, Align::Both),
        ]);
    }
    table(&widths, &table_rows, true, 1)
}

/// Page size and margins of a section.
fn page(landscape: bool) -> String {
    let (top, right, bottom, left) = MARGINS;
    let (w, h, orient) = if landscape {
        (A4.1, A4.0, r#" w:orient="landscape""#)
    } else {
        (A4.0, A4.1, "")
    };
    format!(
        r#"<w:pgSz w:w="{w}" w:h="{h}"{orient}/><w:pgMar w:top="{top}" w:right="{right}" w:bottom="{bottom}" w:left="{left}" w:header="720" w:footer="720" w:gutter="0"/>"#
    )
}

/// One agency's urging letter as a DOCX file (a công văn: no type name, `V/v` under the
/// number, `Kính gửi:` the agency).
pub fn urging_docx(
    letter: &UrgingLetter,
    request: &UrgeRequest,
    t: &Templates,
) -> Result<Vec<u8>, Error> {
    let mut body = Body::new();
    let subject = t.get("urge_subject");
    let vv = lowercase_first(subject);
    body.xml.push_str(&header(
        t,
        &number_line(request.number.as_deref(), t.get("urge_symbol")),
        &date_line(t.get("place"), request.date, request.drafted_on),
        Some(&vv),
    ));
    body.p("", BODY, Align::Center);
    body.p(
        &t.fill("urge_greeting", &[("agency", &letter.agency)]),
        BODY,
        Align::Center,
    );
    body.p("", BODY, Align::Center);
    let as_of = vn_date(request.as_of);
    body.text(&fill(
        t,
        "urge_intro",
        &[
            ("as_of", as_of),
            ("agency", letter.agency.clone()),
            ("overdue", letter.counts.open_overdue.to_string()),
            ("soon", letter.counts.due_soon.to_string()),
        ],
    ));
    for (key, rows) in [
        ("urge_section_overdue", &letter.overdue),
        ("urge_section_soon", &letter.soon),
    ] {
        body.p(t.get(key), BODY.bold(), Align::Left);
        if rows.is_empty() {
            body.text(t.get("urge_none"));
            continue;
        }
        let widths = [500, 1_700, 4_354, 1_300, 1_500];
        let mut table_rows = vec![
            [
                "col_no",
                "col_document",
                "col_content",
                "col_deadline",
                "col_status",
            ]
            .iter()
            .map(|k| cell(t.get(k), 11, true, Align::Center))
            .collect::<Vec<_>>(),
        ];
        for (i, row) in rows.iter().enumerate() {
            table_rows.push(vec![
                cell(&(i + 1).to_string(), 11, false, Align::Center),
                cell(
                    &format!("{} ({})", row.document, row.outline_id),
                    11,
                    false,
                    Align::Left,
                ),
                cell(&row.text, 11, false, Align::Both),
                cell(&deadline_cell(row, t), 11, false, Align::Center),
                cell(row.status.label_vi(), 11, false, Align::Center),
            ]);
        }
        body.xml.push_str(&table(&widths, &table_rows, true, 1));
    }
    body.p("", BODY, Align::Center);
    body.text(&fill(
        t,
        "urge_request",
        &[
            ("agency", letter.agency.clone()),
            ("reply_by", vn_date(letter.reply_by)),
        ],
    ));
    body.xml.push_str(&signature(
        t,
        "urge_copies",
        "urge_sign_authority",
        "urge_sign_title",
        "urge_signer",
    ));
    body.xml
        .push_str(&format!("<w:sectPr>{}</w:sectPr>", page(false)));
    package(&body.xml)
}

/// "Đôn đốc thực hiện …" → "đôn đốc thực hiện …": the subject follows "V/v" in lower case.
fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;

/// Times New Roman 14 pt for everything (Appendix I: 13–14 pt body), Vietnamese language.
const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman"/><w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="vi-VN" w:eastAsia="en-US" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style><w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style></w:styles>"#;

/// Zips `body` (the children of `w:body`) into a DOCX package.
fn package(body: &str) -> Result<Vec<u8>, Error> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default();
    for (name, content) in [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", RELS),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS),
        ("word/styles.xml", STYLES),
    ] {
        zip.start_file(name, options)?;
        zip.write_all(content.as_bytes())?;
    }
    zip.start_file("word/document.xml", options)?;
    zip.write_all(
        br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#,
    )?;
    zip.write_all(body.as_bytes())?;
    zip.write_all(b"</w:body></w:document>")?;
    Ok(zip.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_and_dateline_follow_decree_30() {
        assert_eq!(number_line(Some("8"), "BC-UBND"), "Số: 08/BC-UBND");
        assert_eq!(number_line(Some("125"), "BC-UBND"), "Số: 125/BC-UBND");
        assert_eq!(number_line(None, "BC-UBND"), "Số:      /BC-UBND");
        let d = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(
            date_line("Quảng Ngãi", Some(d("2023-01-05")), d("2023-01-05")),
            "Quảng Ngãi, ngày 05 tháng 01 năm 2023"
        );
        assert_eq!(
            date_line("Quảng Ngãi", Some(d("2022-12-30")), d("2023-01-05")),
            "Quảng Ngãi, ngày 30 tháng 12 năm 2022"
        );
        assert_eq!(
            date_line("Quảng Ngãi", None, d("2023-01-05")),
            "Quảng Ngãi, ngày     tháng     năm 2023"
        );
    }

    #[test]
    fn escaped_text_in_runs() {
        assert!(run("a < b", BODY).contains("a &lt; b"));
    }
}
