//! The report as an XLSX workbook, written directly (zip + SpreadsheetML): a summary sheet of
//! the counts per lead agency with a native bar chart (a DrawingML chart part, so Excel and
//! LibreOffice draw and restyle it themselves), the emulation table, and the full annex.
//!
//! The annex sheet is streamed: rows are read from the store a page at a time and each row is
//! written into the zip entry as it comes, with inline strings rather than a shared-strings
//! table (which would have to be complete before the sheet). Memory stays flat however many
//! tasks the province has.

use std::io::{Seek, Write};

use store::{AnnexQuery, Store};
use vn_calendar::Calendar;
use workflow::Settings;
use zip::ZipWriter;
use zip::write::SimpleFileOptions;

use crate::compile::{Report, emulation, scope_of, walk_annex};
use crate::docx::{COUNT_KEYS, deadline_cell, progress_cell, report_subject, timeliness_cell};
use crate::xml::{escape, escape_into};
use crate::{Error, Templates, vn_date};

/// Style indexes of `xl/styles.xml`.
const TEXT: u32 = 2;
const HEAD: u32 = 1;
const PERCENT: u32 = 3;
const TITLE: u32 = 4;

/// The first data row of the summary sheet (after title, date line, blank, header).
const FIRST_ROW: usize = 5;

/// Colours of the five count series: đúng hạn green, quá hạn orange, trong hạn blue, chưa
/// hoàn thành quá hạn red, không thời hạn grey, the colours dashboards use for them.
const SERIES_COLOURS: [&str; 5] = ["2E7D32", "F9A825", "1565C0", "C62828", "9E9E9E"];

/// Writes the workbook of `report` to `out`, streaming the full annex from the store.
pub async fn write_xlsx<W: Write + Seek>(
    report: &Report,
    store: &Store,
    calendar: &Calendar,
    settings: &Settings,
    t: &Templates,
    out: W,
) -> Result<W, Error> {
    let mut zip = ZipWriter::new(out);
    let options = SimpleFileOptions::default();
    let sheets = [
        t.get("sheet_summary"),
        t.get("sheet_emulation"),
        t.get("sheet_annex"),
    ];
    let put = |zip: &mut ZipWriter<W>, name: &str, content: &str| -> Result<(), Error> {
        zip.start_file(name, options)?;
        zip.write_all(content.as_bytes())?;
        Ok(())
    };
    put(&mut zip, "[Content_Types].xml", CONTENT_TYPES)?;
    put(&mut zip, "_rels/.rels", RELS)?;
    let mut workbook = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#,
    );
    for (i, name) in sheets.iter().enumerate() {
        workbook.push_str(&format!(
            r#"<sheet name="{}" sheetId="{}" r:id="rId{}"/>"#,
            escape(name),
            i + 1,
            i + 1
        ));
    }
    workbook.push_str("</sheets></workbook>");
    put(&mut zip, "xl/workbook.xml", &workbook)?;
    put(&mut zip, "xl/_rels/workbook.xml.rels", WORKBOOK_RELS)?;
    put(&mut zip, "xl/styles.xml", STYLES)?;
    put(
        &mut zip,
        "xl/worksheets/sheet1.xml",
        &summary_sheet(report, t),
    )?;
    put(&mut zip, "xl/worksheets/_rels/sheet1.xml.rels", SHEET1_RELS)?;
    put(&mut zip, "xl/drawings/drawing1.xml", DRAWING)?;
    put(
        &mut zip,
        "xl/drawings/_rels/drawing1.xml.rels",
        DRAWING_RELS,
    )?;
    put(
        &mut zip,
        "xl/charts/chart1.xml",
        &chart(report, t, sheets[0]),
    )?;
    put(
        &mut zip,
        "xl/worksheets/sheet2.xml",
        &emulation_sheet(report, t),
    )?;

    zip.start_file("xl/worksheets/sheet3.xml", options)?;
    let mut row = Row::new();
    row.buf.push_str(SHEET_START);
    row.buf.push_str(r#"<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><cols><col min="1" max="1" width="6" customWidth="1"/><col min="2" max="2" width="22" customWidth="1"/><col min="3" max="3" width="60" customWidth="1"/><col min="4" max="5" width="28" customWidth="1"/><col min="6" max="8" width="14" customWidth="1"/><col min="9" max="9" width="50" customWidth="1"/></cols><sheetData>"#);
    row.start(1);
    for key in crate::compile::ANNEX_COLUMNS {
        row.text(t.get(key), HEAD);
    }
    row.end();
    zip.write_all(row.buf.as_bytes())?;
    let query = AnnexQuery {
        as_of: report.as_of,
        open_since: Some(report.request.period.first()),
        scope: scope_of(&report.request),
        lead: report.agency.as_ref().map(|(id, _)| *id),
        pressing: false,
    };
    let mut n = 0usize;
    let mut failed: Option<std::io::Error> = None;
    walk_annex(store, &query, calendar, settings, |a| {
        n += 1;
        row.buf.clear();
        row.start(n + 1);
        row.number(n as f64, TEXT);
        row.text(&format!("{} ({})", a.document, a.outline_id), TEXT);
        row.text(&a.text, TEXT);
        let leads: Vec<&str> = a.leads.iter().map(|(_, name)| name.as_str()).collect();
        row.text(&leads.join("; "), TEXT);
        row.text(&a.supports.join("; "), TEXT);
        row.text(&deadline_cell(&a, t), TEXT);
        row.text(a.status.label_vi(), TEXT);
        row.text(timeliness_cell(a.assessment.timeliness), TEXT);
        row.text(&progress_cell(&a), TEXT);
        row.end();
        if let Err(e) = zip.write_all(row.buf.as_bytes()) {
            failed = Some(e);
        }
        failed.is_none()
    })
    .await?;
    if let Some(e) = failed {
        return Err(e.into());
    }
    zip.write_all(b"</sheetData><pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/></worksheet>")?;
    Ok(zip.finish()?)
}

/// One row being written: cells get their references (`C7`) as they are added.
struct Row {
    buf: String,
    row: usize,
    col: u32,
}

impl Row {
    fn new() -> Row {
        Row {
            buf: String::with_capacity(4096),
            row: 0,
            col: 0,
        }
    }

    fn start(&mut self, row: usize) {
        self.row = row;
        self.col = 0;
        self.buf.push_str(&format!(r#"<row r="{row}">"#));
    }

    fn reference(&mut self) -> String {
        self.col += 1;
        format!("{}{}", column(self.col), self.row)
    }

    fn text(&mut self, text: &str, style: u32) {
        let r = self.reference();
        self.buf.push_str(&format!(
            r#"<c r="{r}" s="{style}" t="inlineStr"><is><t xml:space="preserve">"#
        ));
        escape_into(&mut self.buf, text);
        self.buf.push_str("</t></is></c>");
    }

    fn number(&mut self, value: f64, style: u32) {
        let r = self.reference();
        self.buf
            .push_str(&format!(r#"<c r="{r}" s="{style}"><v>{value}</v></c>"#));
    }

    fn skip(&mut self) {
        self.col += 1;
    }

    fn end(&mut self) {
        self.buf.push_str("</row>");
    }
}

/// `1` → `A`, `27` → `AA`.
fn column(mut n: u32) -> String {
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

const SHEET_START: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#;

/// The counts per lead agency and the total, with the chart beside them.
fn summary_sheet(report: &Report, t: &Templates) -> String {
    let mut row = Row::new();
    row.buf.push_str(SHEET_START);
    row.buf.push_str(r#"<cols><col min="1" max="1" width="6" customWidth="1"/><col min="2" max="2" width="45" customWidth="1"/><col min="3" max="8" width="14" customWidth="1"/></cols><sheetData>"#);
    row.start(1);
    row.text(&report_subject(report, t), TITLE);
    row.end();
    row.start(2);
    row.text(
        &format!("Số liệu tính đến hết ngày {}", vn_date(report.as_of)),
        0,
    );
    row.end();
    row.start(FIRST_ROW - 1);
    row.text(t.get("col_no"), HEAD);
    row.text(t.get("col_agency"), HEAD);
    row.text(t.get("col_total"), HEAD);
    for key in COUNT_KEYS {
        row.text(t.get(key), HEAD);
    }
    row.end();
    let values = |c: &workflow::Counts| {
        [
            c.total(),
            c.done_on_time,
            c.done_late,
            c.open_on_time,
            c.open_overdue,
            c.no_deadline,
        ]
    };
    for (i, a) in report.agencies.iter().enumerate() {
        row.start(FIRST_ROW + i);
        row.number((i + 1) as f64, TEXT);
        row.text(&a.name, TEXT);
        for v in values(&a.counts) {
            row.number(v as f64, TEXT);
        }
        row.end();
    }
    row.start(FIRST_ROW + report.agencies.len());
    row.skip();
    row.text(t.get("total_row"), HEAD);
    for v in values(&report.overall) {
        row.number(v as f64, HEAD);
    }
    row.end();
    row.buf.push_str(r#"</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/><drawing r:id="rId1"/></worksheet>"#);
    row.buf
}

fn emulation_sheet(report: &Report, t: &Templates) -> String {
    let mut row = Row::new();
    row.buf.push_str(SHEET_START);
    row.buf.push_str(r#"<cols><col min="1" max="1" width="10" customWidth="1"/><col min="2" max="2" width="45" customWidth="1"/><col min="3" max="6" width="16" customWidth="1"/></cols><sheetData>"#);
    row.start(1);
    for key in [
        "col_rank",
        "col_agency",
        "count_done_on_time",
        "count_done_late",
        "count_open_overdue",
        "col_rate",
    ] {
        row.text(t.get(key), HEAD);
    }
    row.end();
    let rows = emulation(report);
    for (i, e) in rows.iter().enumerate() {
        row.start(i + 2);
        match e.rank {
            Some(r) => row.number(r as f64, TEXT),
            None => row.text("-", TEXT),
        }
        row.text(&e.name, TEXT);
        row.number(e.on_time as f64, TEXT);
        row.number(e.late as f64, TEXT);
        row.number(e.overdue as f64, TEXT);
        match e.rate {
            Some(rate) => row.number(rate, PERCENT),
            None => row.text("-", TEXT),
        }
        row.end();
    }
    row.start(rows.len() + 3);
    row.text(t.get("emulation_note"), 0);
    row.end();
    row.buf.push_str("</sheetData></worksheet>");
    row.buf
}

/// A stacked horizontal bar per agency, one series per count column, reading the summary
/// sheet's cells (with cached values, for viewers that do not recalculate).
fn chart(report: &Report, t: &Templates, sheet: &str) -> String {
    let n = report.agencies.len().max(1);
    let last = FIRST_ROW + n - 1;
    let sheet_ref = format!("'{}'", sheet.replace('\'', "''"));
    let mut out = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><c:roundedCorners val="0"/><c:chart><c:title><c:tx><c:rich><a:bodyPr/><a:p><a:r><a:t>"#,
    );
    escape_into(&mut out, t.get("chart_title"));
    out.push_str(r#"</a:t></a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/><c:plotArea><c:layout/><c:barChart><c:barDir val="bar"/><c:grouping val="stacked"/><c:varyColors val="0"/>"#);
    let mut categories = format!(
        r#"<c:cat><c:strRef><c:f>{}</c:f><c:strCache><c:ptCount val="{}"/>"#,
        escape(&format!("{sheet_ref}!$B${FIRST_ROW}:$B${last}")),
        report.agencies.len()
    );
    for (i, a) in report.agencies.iter().enumerate() {
        categories.push_str(&format!(
            r#"<c:pt idx="{i}"><c:v>{}</c:v></c:pt>"#,
            escape(&a.name)
        ));
    }
    categories.push_str("</c:strCache></c:strRef></c:cat>");
    for (s, key) in COUNT_KEYS.iter().enumerate() {
        // Columns D..H hold the five counts (C is the total).
        let col = column(4 + s as u32);
        out.push_str(&format!(
            r#"<c:ser><c:idx val="{s}"/><c:order val="{s}"/><c:tx><c:strRef><c:f>{}</c:f><c:strCache><c:ptCount val="1"/><c:pt idx="0"><c:v>{}</c:v></c:pt></c:strCache></c:strRef></c:tx><c:spPr><a:solidFill><a:srgbClr val="{}"/></a:solidFill></c:spPr><c:invertIfNegative val="0"/>"#,
            escape(&format!("{sheet_ref}!${col}${}", FIRST_ROW - 1)),
            escape(t.get(key)),
            SERIES_COLOURS[s]
        ));
        out.push_str(&categories);
        out.push_str(&format!(
            r#"<c:val><c:numRef><c:f>{}</c:f><c:numCache><c:formatCode>General</c:formatCode><c:ptCount val="{}"/>"#,
            escape(&format!("{sheet_ref}!${col}${FIRST_ROW}:${col}${last}")),
            report.agencies.len()
        ));
        for (i, a) in report.agencies.iter().enumerate() {
            let c = &a.counts;
            let v = [
                c.done_on_time,
                c.done_late,
                c.open_on_time,
                c.open_overdue,
                c.no_deadline,
            ][s];
            out.push_str(&format!(r#"<c:pt idx="{i}"><c:v>{v}</c:v></c:pt>"#));
        }
        out.push_str("</c:numCache></c:numRef></c:val></c:ser>");
    }
    out.push_str(r#"<c:gapWidth val="50"/><c:overlap val="100"/><c:axId val="500000001"/><c:axId val="500000002"/></c:barChart><c:catAx><c:axId val="500000001"/><c:scaling><c:orientation val="maxMin"/></c:scaling><c:delete val="0"/><c:axPos val="l"/><c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="500000002"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx><c:valAx><c:axId val="500000002"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="b"/><c:majorGridlines/><c:numFmt formatCode="0" sourceLinked="0"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="500000001"/><c:crosses val="max"/><c:crossBetween val="between"/><c:majorUnit val="1"/></c:valAx></c:plotArea><c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend><c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>"#);
    out
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet3.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/drawings/drawing1.xml" ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/><Override PartName="/xl/charts/chart1.xml" ContentType="application/vnd.openxmlformats-officedocument.drawingml.chart+xml"/></Types>"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;

const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet3.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;

const SHEET1_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing" Target="../drawings/drawing1.xml"/></Relationships>"#;

const DRAWING_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart" Target="../charts/chart1.xml"/></Relationships>"#;

/// The chart placed right of the table: columns J to T, rows 4 to 28.
const DRAWING: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:twoCellAnchor><xdr:from><xdr:col>9</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>3</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>20</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>28</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to><xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="2" name="Biểu đồ 1"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr><xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rId1"/></a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>"#;

const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/></numFmts><fonts count="2"><font><sz val="12"/><name val="Times New Roman"/><family val="1"/></font><font><b/><sz val="12"/><name val="Times New Roman"/><family val="1"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border><left style="thin"/><right style="thin"/><top style="thin"/><bottom style="thin"/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="1" xfId="0" applyFont="1" applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf><xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf><xf numFmtId="164" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"#;

#[cfg(test)]
mod tests {
    #[test]
    fn column_letters() {
        assert_eq!(super::column(1), "A");
        assert_eq!(super::column(26), "Z");
        assert_eq!(super::column(27), "AA");
        assert_eq!(super::column(703), "AAA");
    }
}
