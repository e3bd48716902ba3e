//! XLSX (Office Open XML spreadsheet) reader, for the task lists offices keep in Excel.
//!
//! The package is opened like a DOCX ([`crate::docx::Package`]: limits on entries and on the
//! bytes really inflated). The workbook names its sheets in order; the first one (or the one
//! asked for by name) is found through the workbook's relationships and read into a grid of
//! strings, one `Vec` per spreadsheet row, so `rows[i][j]` is the cell at row `i + 1` and
//! column `j + 1` whatever rows and cells the file leaves out.
//!
//! Cells read as Excel shows their value, as far as a task list needs: shared and inline
//! strings as text (rich-text runs joined, phonetic guides left out), numbers in their shortest
//! form (`1`, not `1.0`), numbers whose style is a date format as ISO dates (`2026-03-31`,
//! 1900 or 1904 date system), booleans as `TRUE`/`FALSE`, formula results as cached. The cells
//! a merged range covers, other than its top-left one, are empty: the value belongs to the
//! first row or column of the range only.
//!
//! Everything read is counted against [`Limits::max_text_bytes`] (text plus a fixed cost per
//! cell and per row), because a few bytes of XML (`<c r="XFD1048576"/>`) can otherwise ask for
//! a grid of billions of cells.

use std::collections::{HashMap, HashSet};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use vn_calendar::Date;

use crate::docx::Package;
use crate::{Error, Limits};

/// Excel's largest sheet: 1,048,576 rows by 16,384 columns (A to XFD).
const MAX_ROWS: u32 = 1_048_576;
const MAX_COLUMNS: u32 = 16_384;

/// What one cell slot or row costs against the text budget besides its text.
const SLOT_COST: usize = std::mem::size_of::<String>();

/// A worksheet read into text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sheet {
    /// The sheet's name as the workbook's tabs show it.
    pub name: String,
    /// `rows[i][j]` is the cell at row `i + 1`, column `j + 1`; trailing empty cells are left
    /// out of each row, rows the file does not have are empty.
    pub rows: Vec<Vec<String>>,
}

/// Reads the first sheet of an XLSX workbook held in memory.
pub fn read_sheet(bytes: &[u8], limits: &Limits) -> Result<Sheet, Error> {
    read(bytes, None, limits)
}

/// Reads the sheet called `name` (as its tab shows it) of an XLSX workbook held in memory.
pub fn read_named_sheet(bytes: &[u8], name: &str, limits: &Limits) -> Result<Sheet, Error> {
    read(bytes, Some(name), limits)
}

/// Whether the bytes look like an XLSX workbook (a zip naming `xl/workbook.xml`). Entry names
/// are stored uncompressed, so this needs no inflating; a damaged workbook still answers yes
/// and is then refused by [`read_sheet`] with a reason.
pub fn looks_like_workbook(bytes: &[u8]) -> bool {
    const PART: &[u8] = b"xl/workbook.xml";
    bytes.starts_with(b"PK\x03\x04") && bytes.windows(PART.len()).any(|w| w == PART)
}

fn bad(detail: String) -> Error {
    Error::BadXlsx(detail)
}

fn read(bytes: &[u8], wanted: Option<&str>, limits: &Limits) -> Result<Sheet, Error> {
    let mut package = Package::open(bytes, limits, bad)?;
    let workbook = package
        .part("xl/workbook.xml")?
        .ok_or_else(|| bad("không có xl/workbook.xml, đây không phải bảng tính Excel".into()))?;
    let book = Workbook::parse(&workbook)?;
    let (name, rel) = match wanted {
        None => book.sheets.first().ok_or_else(|| bad("bảng tính không có trang tính nào".into()))?,
        Some(w) => book.sheets.iter().find(|(n, _)| n.trim() == w.trim()).ok_or_else(|| {
            let names: Vec<&str> = book.sheets.iter().map(|(n, _)| n.as_str()).collect();
            bad(format!("không có trang tính \"{w}\" (các trang: {})", names.join(", ")))
        })?,
    };
    let rels = package
        .part("xl/_rels/workbook.xml.rels")?
        .ok_or_else(|| bad("không có xl/_rels/workbook.xml.rels".into()))?;
    let target = relationship_target(&rels, rel)?
        .ok_or_else(|| bad(format!("không tìm thấy phần chứa trang tính \"{name}\"")))?;
    let mut budget = Budget { left: limits.max_text_bytes, limit: limits.max_text_bytes };
    let shared = match package.part("xl/sharedStrings.xml")? {
        Some(xml) => shared_strings(&xml, &mut budget)?,
        None => Vec::new(),
    };
    let dates = match package.part("xl/styles.xml")? {
        Some(xml) => date_styles(&xml)?,
        None => Vec::new(),
    };
    let xml = package.part(&target)?.ok_or_else(|| bad(format!("không có {target}")))?;
    let cx = Context { shared: &shared, dates: &dates, date1904: book.date1904 };
    let rows = worksheet(&xml, &target, &cx, &mut budget)?;
    Ok(Sheet { name: name.clone(), rows })
}

/// What is left of the text budget.
struct Budget {
    left: usize,
    limit: usize,
}

impl Budget {
    fn spend(&mut self, n: usize) -> Result<(), Error> {
        self.left = self.left.checked_sub(n).ok_or(Error::TextTooLong { limit: self.limit })?;
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// XML

/// A pull parser over one part with the errors this reader reports.
struct Xml<'i> {
    reader: Reader<&'i [u8]>,
    part: &'i str,
}

/// The events the readers below look at; local names, prefixes dropped (SpreadsheetML is
/// written with and without the `x:` prefix).
enum Ev<'i> {
    Start(BytesStart<'i>),
    Empty(BytesStart<'i>),
    End(Vec<u8>),
    Text(String),
    Eof,
}

/// A tag of [`Xml::next_tag`]: an opening (and whether it is empty, `<x/>`) or a closing.
enum Tag<'i> {
    Open(BytesStart<'i>, bool),
    Close(Vec<u8>),
}

impl<'i> Xml<'i> {
    fn new(bytes: &'i [u8], part: &'i str) -> Self {
        let mut reader = Reader::from_reader(bytes);
        reader.config_mut().check_end_names = true;
        Xml { reader, part }
    }

    fn bad(&self, detail: impl std::fmt::Display) -> Error {
        bad(format!("XML hỏng trong {} (byte {}): {detail}", self.part, self.reader.buffer_position()))
    }

    fn next(&mut self) -> Result<Ev<'i>, Error> {
        loop {
            let event = self.reader.read_event().map_err(|e| self.bad(e))?;
            return Ok(match event {
                Event::Start(e) => Ev::Start(e),
                Event::Empty(e) => Ev::Empty(e),
                Event::End(e) => Ev::End(e.local_name().as_ref().to_vec()),
                Event::Text(t) => Ev::Text(t.decode().map_err(|e| self.bad(e))?.into_owned()),
                Event::CData(t) => Ev::Text(t.decode().map_err(|e| self.bad(e))?.into_owned()),
                Event::GeneralRef(r) => {
                    if let Some(c) = r.resolve_char_ref().map_err(|e| self.bad(e))? {
                        Ev::Text(c.to_string())
                    } else {
                        let name = r.decode().map_err(|e| self.bad(e))?;
                        match quick_xml::escape::resolve_predefined_entity(&name) {
                            Some(s) => Ev::Text(s.to_owned()),
                            None => return Err(self.bad(format!("thực thể không xác định &{name};"))),
                        }
                    }
                }
                Event::Eof => Ev::Eof,
                Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => continue,
            });
        }
    }

    /// Fails on end of input: the callers only call this inside an element.
    fn next_inside(&mut self) -> Result<Ev<'i>, Error> {
        match self.next()? {
            Ev::Eof => Err(self.bad("tệp XML bị cắt cụt")),
            ev => Ok(ev),
        }
    }

    /// The next tag of a part read only for its elements' attributes: text is skipped, and
    /// end of input before the root closes is an error. `None` at the clean end.
    fn next_tag(&mut self, depth: &mut usize) -> Result<Option<Tag<'i>>, Error> {
        loop {
            return Ok(Some(match self.next()? {
                Ev::Start(e) => {
                    *depth += 1;
                    Tag::Open(e, false)
                }
                Ev::Empty(e) => Tag::Open(e, true),
                Ev::End(name) => {
                    *depth = depth.saturating_sub(1);
                    Tag::Close(name)
                }
                Ev::Text(_) => continue,
                Ev::Eof if *depth == 0 => return Ok(None),
                Ev::Eof => return Err(self.bad("tệp XML bị cắt cụt")),
            }));
        }
    }

    /// Skips the rest of the element whose start was just read.
    fn skip(&mut self) -> Result<(), Error> {
        let mut depth = 1usize;
        while depth > 0 {
            match self.next_inside()? {
                Ev::Start(_) => depth += 1,
                Ev::End(_) => depth -= 1,
                _ => {}
            }
        }
        Ok(())
    }

    fn attr(&self, e: &BytesStart, key: &[u8]) -> Result<Option<String>, Error> {
        for a in e.attributes() {
            let a = a.map_err(|err| self.bad(err))?;
            if a.key.local_name().as_ref() == key {
                return Ok(Some(a.unescape_value().map_err(|err| self.bad(err))?.into_owned()));
            }
        }
        Ok(None)
    }
}

fn local(e: &BytesStart) -> Vec<u8> {
    e.local_name().as_ref().to_vec()
}

// ---------------------------------------------------------------------------------------------
// Workbook, relationships, styles, shared strings

struct Workbook {
    /// (name, relationship id) in tab order.
    sheets: Vec<(String, String)>,
    date1904: bool,
}

impl Workbook {
    fn parse(bytes: &[u8]) -> Result<Workbook, Error> {
        let mut x = Xml::new(bytes, "xl/workbook.xml");
        let mut book = Workbook { sheets: Vec::new(), date1904: false };
        let mut depth = 0usize;
        while let Some(tag) = x.next_tag(&mut depth)? {
            let Tag::Open(e, _) = tag else { continue };
            match local(&e).as_slice() {
                b"sheet" => {
                    let name = x.attr(&e, b"name")?.unwrap_or_default();
                    // `r:id`, whatever the relationships namespace prefix is called.
                    if let Some(id) = x.attr(&e, b"id")? {
                        book.sheets.push((name, id));
                    }
                }
                b"workbookPr" => {
                    book.date1904 = matches!(x.attr(&e, b"date1904")?.as_deref(), Some("1" | "true"));
                }
                _ => {}
            }
        }
        Ok(book)
    }
}

/// The part a workbook relationship points to, as a path inside the package.
fn relationship_target(bytes: &[u8], id: &str) -> Result<Option<String>, Error> {
    let mut x = Xml::new(bytes, "xl/_rels/workbook.xml.rels");
    let mut found = None;
    let mut depth = 0usize;
    while let Some(tag) = x.next_tag(&mut depth)? {
        let Tag::Open(e, _) = tag else { continue };
        if local(&e) == b"Relationship" && x.attr(&e, b"Id")?.as_deref() == Some(id) {
            found = x.attr(&e, b"Target")?;
        }
    }
    // Targets are relative to `xl/` unless absolute within the package.
    Ok(found.map(|t| match t.strip_prefix('/') {
        Some(abs) => abs.to_owned(),
        None => format!("xl/{}", t.trim_start_matches("./")),
    }))
}

/// For each cell format (`cellXfs` index), whether it shows a number as a date.
fn date_styles(bytes: &[u8]) -> Result<Vec<bool>, Error> {
    let mut x = Xml::new(bytes, "xl/styles.xml");
    let mut custom: HashMap<u32, bool> = HashMap::new();
    let mut formats = Vec::new();
    let mut in_cell_xfs = false;
    let mut depth = 0usize;
    while let Some(tag) = x.next_tag(&mut depth)? {
        let (e, empty) = match tag {
            Tag::Open(e, empty) => (e, empty),
            Tag::Close(name) => {
                if name == b"cellXfs" {
                    in_cell_xfs = false;
                }
                continue;
            }
        };
        match local(&e).as_slice() {
            b"numFmt" => {
                let id = x.attr(&e, b"numFmtId")?.and_then(|v| v.parse().ok());
                let code = x.attr(&e, b"formatCode")?.unwrap_or_default();
                if let Some(id) = id {
                    custom.insert(id, is_date_format(&code));
                }
            }
            b"cellXfs" => in_cell_xfs = !empty,
            b"xf" if in_cell_xfs => {
                let id: u32 = x.attr(&e, b"numFmtId")?.and_then(|v| v.parse().ok()).unwrap_or(0);
                formats.push(custom.get(&id).copied().unwrap_or_else(|| builtin_date(id)));
            }
            _ => {}
        }
    }
    Ok(formats)
}

/// Excel's built-in date and date-time formats (ECMA-376 §18.8.30), and the ids Excel in a
/// Vietnamese locale writes for its regional date formats.
fn builtin_date(id: u32) -> bool {
    matches!(id, 14..=17 | 22 | 27..=36 | 50..=58)
}

/// Whether a custom number format shows a date: it has day, month or year codes outside
/// quoted text, escapes and `[…]` sections (colours, locales, elapsed times).
fn is_date_format(code: &str) -> bool {
    let mut chars = code.chars();
    let mut date = false;
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                }
            }
            '\\' | '_' | '*' => {
                chars.next();
            }
            '[' => {
                for q in chars.by_ref() {
                    if q == ']' {
                        break;
                    }
                }
            }
            'd' | 'D' | 'y' | 'Y' => date = true,
            // `m` alone is ambiguous (minutes in `h:mm`); with d or y present it is a month.
            _ => {}
        }
    }
    date
}

/// The shared string table: each `si` with its runs joined, phonetic runs left out.
fn shared_strings(bytes: &[u8], budget: &mut Budget) -> Result<Vec<String>, Error> {
    let mut x = Xml::new(bytes, "xl/sharedStrings.xml");
    let mut out = Vec::new();
    let mut open = 0usize;
    loop {
        match x.next()? {
            Ev::Start(e) if local(&e) == b"si" => {
                let s = rich_text(&mut x)?;
                budget.spend(s.len() + SLOT_COST)?;
                out.push(s);
            }
            Ev::Empty(e) if local(&e) == b"si" => {
                budget.spend(SLOT_COST)?;
                out.push(String::new());
            }
            Ev::Start(e) if local(&e) == b"sst" => open += 1,
            Ev::Start(_) => x.skip()?,
            Ev::End(_) => open = open.saturating_sub(1),
            Ev::Empty(_) | Ev::Text(_) => {}
            Ev::Eof if open == 0 => break,
            Ev::Eof => return Err(x.bad("tệp XML bị cắt cụt")),
        }
    }
    Ok(out)
}

/// The text of an `si` or `is` element whose start was just read: the `t` elements, directly
/// or in `r` runs, through the element's end; `rPh` (phonetic guides) is skipped.
fn rich_text(x: &mut Xml) -> Result<String, Error> {
    let mut out = String::new();
    let mut depth = 1usize;
    let mut in_t = 0usize;
    while depth > 0 {
        match x.next_inside()? {
            Ev::Start(e) => match local(&e).as_slice() {
                b"rPh" => x.skip()?,
                b"t" => {
                    in_t += 1;
                    depth += 1;
                }
                _ => depth += 1,
            },
            Ev::End(name) => {
                if name == b"t" {
                    in_t = in_t.saturating_sub(1);
                }
                depth -= 1;
            }
            Ev::Text(t) if in_t > 0 => out.push_str(&t),
            Ev::Text(_) | Ev::Empty(_) => {}
            Ev::Eof => return Err(x.bad("tệp XML bị cắt cụt")),
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// The worksheet

struct Context<'a> {
    shared: &'a [String],
    dates: &'a [bool],
    date1904: bool,
}

fn worksheet(bytes: &[u8], part: &str, cx: &Context, budget: &mut Budget) -> Result<Vec<Vec<String>>, Error> {
    let mut x = Xml::new(bytes, part);
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut covered: HashSet<(u32, u32)> = HashSet::new();
    // Rows and cells may omit their `r`; they then follow the previous one.
    let mut row_no: u32 = 0;
    let mut open = 0usize;
    loop {
        match x.next()? {
            Ev::Start(e) if local(&e) == b"row" => {
                row_no = next_index(&x, &e, row_no, MAX_ROWS)?;
                read_row(&mut x, row_no, &mut rows, cx, budget)?;
            }
            Ev::Empty(e) if local(&e) == b"row" => row_no = next_index(&x, &e, row_no, MAX_ROWS)?,
            Ev::Start(e) if local(&e) == b"mergeCells" => merged_ranges(&mut x, &mut covered, budget)?,
            Ev::Start(e) if matches!(local(&e).as_slice(), b"worksheet" | b"sheetData") => open += 1,
            Ev::Start(_) => x.skip()?,
            Ev::End(_) => open = open.saturating_sub(1),
            Ev::Empty(_) | Ev::Text(_) => {}
            Ev::Eof if open == 0 => break,
            Ev::Eof => return Err(x.bad("tệp XML bị cắt cụt")),
        }
    }
    for (r, c) in covered {
        if let Some(cell) = rows.get_mut(r as usize - 1).and_then(|row| row.get_mut(c as usize - 1)) {
            cell.clear();
        }
    }
    for row in &mut rows {
        while row.last().is_some_and(String::is_empty) {
            row.pop();
        }
    }
    Ok(rows)
}

/// The row number of a `row` element: its `r`, else the one after `previous`.
fn next_index(x: &Xml, e: &BytesStart, previous: u32, max: u32) -> Result<u32, Error> {
    let n = match x.attr(e, b"r")? {
        Some(r) => r.trim().parse::<u32>().map_err(|_| x.bad(format!("số hàng không hợp lệ \"{r}\"")))?,
        None => previous.saturating_add(1),
    };
    if n == 0 || n > max {
        return Err(x.bad(format!("số hàng {n} ngoài giới hạn của Excel")));
    }
    Ok(n)
}

fn read_row(
    x: &mut Xml,
    row_no: u32,
    rows: &mut Vec<Vec<String>>,
    cx: &Context,
    budget: &mut Budget,
) -> Result<(), Error> {
    let index = row_no as usize - 1;
    if rows.len() <= index {
        budget.spend((index + 1 - rows.len()).saturating_mul(SLOT_COST))?;
        rows.resize_with(index + 1, Vec::new);
    }
    let mut column: u32 = 0;
    loop {
        let (e, empty) = match x.next_inside()? {
            Ev::Start(e) => (e, false),
            Ev::Empty(e) => (e, true),
            Ev::End(_) => return Ok(()),
            Ev::Text(_) => continue,
            Ev::Eof => return Err(x.bad("tệp XML bị cắt cụt")),
        };
        if local(&e) != b"c" {
            if !empty {
                x.skip()?;
            }
            continue;
        }
        column = match x.attr(&e, b"r")? {
            Some(r) => cell_column(&r).ok_or_else(|| x.bad(format!("địa chỉ ô không hợp lệ \"{r}\"")))?,
            None => column.saturating_add(1),
        };
        if column == 0 || column > MAX_COLUMNS {
            return Err(x.bad(format!("cột {column} ngoài giới hạn của Excel")));
        }
        let kind = x.attr(&e, b"t")?.unwrap_or_default();
        let style: usize = x.attr(&e, b"s")?.and_then(|s| s.parse().ok()).unwrap_or(0);
        let (value, inline) = if empty { (None, None) } else { cell_content(x)? };
        let text = render(x, &kind, style, value, inline, cx)?;
        if text.is_empty() {
            continue;
        }
        let row = &mut rows[index];
        let at = column as usize - 1;
        if row.len() <= at {
            budget.spend((at + 1 - row.len()).saturating_mul(SLOT_COST))?;
            row.resize_with(at + 1, String::new);
        }
        budget.spend(text.len())?;
        row[at] = text;
    }
}

/// The `v` text and the `is` (inline string) text of a `c` element whose start was just read.
fn cell_content(x: &mut Xml) -> Result<(Option<String>, Option<String>), Error> {
    let (mut value, mut inline) = (None, None);
    loop {
        match x.next_inside()? {
            Ev::Start(e) => match local(&e).as_slice() {
                b"v" => {
                    let mut v = String::new();
                    loop {
                        match x.next_inside()? {
                            Ev::Text(t) => v.push_str(&t),
                            Ev::End(_) => break,
                            Ev::Start(_) => x.skip()?,
                            Ev::Empty(_) => {}
                            Ev::Eof => return Err(x.bad("tệp XML bị cắt cụt")),
                        }
                    }
                    value = Some(v);
                }
                b"is" => inline = Some(rich_text(x)?),
                _ => x.skip()?,
            },
            Ev::End(_) => return Ok((value, inline)),
            Ev::Empty(_) | Ev::Text(_) => {}
            Ev::Eof => return Err(x.bad("tệp XML bị cắt cụt")),
        }
    }
}

/// A cell's value as text (see the module documentation).
fn render(
    x: &Xml,
    kind: &str,
    style: usize,
    value: Option<String>,
    inline: Option<String>,
    cx: &Context,
) -> Result<String, Error> {
    let value = value.unwrap_or_default();
    let text = match kind {
        "s" => {
            let i: usize = value.trim().parse().map_err(|_| x.bad(format!("chỉ số chuỗi dùng chung \"{value}\"")))?;
            cx.shared.get(i).cloned().ok_or_else(|| x.bad(format!("không có chuỗi dùng chung số {i}")))?
        }
        "inlineStr" => inline.unwrap_or_default(),
        "str" | "e" => value,
        "b" => if value.trim() == "1" { "TRUE" } else { "FALSE" }.to_owned(),
        // ISO 8601 date cells (rare; Excel itself never writes them): the date part.
        "d" => value.trim().get(..10).unwrap_or(value.trim()).to_owned(),
        _ => {
            let v = value.trim();
            if v.is_empty() {
                String::new()
            } else {
                let n: f64 = v.parse().map_err(|_| x.bad(format!("giá trị số không hợp lệ \"{v}\"")))?;
                let date = if cx.dates.get(style).copied().unwrap_or(false) { serial_date(n, cx.date1904) } else { None };
                match date {
                    Some(d) => d.to_string(),
                    None => number(n),
                }
            }
        }
    };
    Ok(vn_text::normalize(text.trim()))
}

/// A number in its shortest form: whole numbers without a decimal point.
fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// The date of an Excel serial number (the time of day dropped). In the 1900 system serial 1
/// is 1900-01-01 and serial 60 is 1900-02-29, a day that never was (kept from Lotus 1-2-3),
/// so it has no date and later serials are one day off a plain count; the 1904 system counts
/// from 1904-01-01 = 0.
fn serial_date(serial: f64, date1904: bool) -> Option<Date> {
    let first = if date1904 { 0.0 } else { 1.0 };
    if !serial.is_finite() || serial < first || serial >= 3_000_000.0 {
        return None;
    }
    let days = serial.floor() as i32;
    let (base, days) = if date1904 {
        (Date::from_ymd(1904, 1, 1).ok()?, days)
    } else if days < 60 {
        (Date::from_ymd(1899, 12, 31).ok()?, days)
    } else if days == 60 {
        return None;
    } else {
        (Date::from_ymd(1899, 12, 30).ok()?, days)
    };
    base.checked_add_days(days)
}

/// The 1-based column of a cell reference ("C7" → 3), `None` when it is not one.
fn cell_column(reference: &str) -> Option<u32> {
    let letters = reference.trim().trim_start_matches('$');
    let end = letters.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(letters.len());
    column_number(&letters[..end])
}

/// The 1-based number of a column name ("A" → 1, "AA" → 27), `None` when it is not one or is
/// past Excel's last column.
pub fn column_number(name: &str) -> Option<u32> {
    if name.is_empty() || name.len() > 3 {
        return None;
    }
    let mut n: u32 = 0;
    for c in name.chars() {
        if !c.is_ascii_alphabetic() {
            return None;
        }
        n = n * 26 + (c.to_ascii_uppercase() as u32 - 'A' as u32 + 1);
    }
    (n <= MAX_COLUMNS).then_some(n)
}

/// The column name of a 1-based column number (1 → "A", 27 → "AA").
pub fn column_name(mut n: u32) -> String {
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// A cell reference split into (row, column), both 1-based ("B3" → (3, 2)).
fn cell_position(reference: &str) -> Option<(u32, u32)> {
    let r = reference.trim().replace('$', "");
    let split = r.find(|c: char| c.is_ascii_digit())?;
    let column = column_number(&r[..split])?;
    let row: u32 = r[split..].parse().ok()?;
    (1..=MAX_ROWS).contains(&row).then_some((row, column))
}

/// Records the cells merged ranges cover (all but each range's top-left cell).
fn merged_ranges(x: &mut Xml, covered: &mut HashSet<(u32, u32)>, budget: &mut Budget) -> Result<(), Error> {
    loop {
        let (e, empty) = match x.next_inside()? {
            Ev::Start(e) => (e, false),
            Ev::Empty(e) => (e, true),
            Ev::End(_) => return Ok(()),
            Ev::Text(_) => continue,
            Ev::Eof => return Err(x.bad("tệp XML bị cắt cụt")),
        };
        if local(&e) == b"mergeCell"
            && let Some(range) = x.attr(&e, b"ref")?
            && let Some((from, to)) = range.split_once(':')
            && let (Some((r1, c1)), Some((r2, c2))) = (cell_position(from), cell_position(to))
        {
            let cells = u64::from(r2.abs_diff(r1) + 1) * u64::from(c2.abs_diff(c1) + 1);
            budget.spend(usize::try_from(cells).unwrap_or(usize::MAX).saturating_mul(SLOT_COST))?;
            for r in r1.min(r2)..=r1.max(r2) {
                for c in c1.min(c2)..=c1.max(c2) {
                    if (r, c) != (r1.min(r2), c1.min(c2)) {
                        covered.insert((r, c));
                    }
                }
            }
        }
        if !empty {
            x.skip()?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_dates_in_both_systems() {
        let d = |s| serial_date(s, false).map(|d| d.to_string());
        assert_eq!(d(1.0).as_deref(), Some("1900-01-01"));
        assert_eq!(d(59.0).as_deref(), Some("1900-02-28"));
        assert_eq!(d(60.0), None, "the day that never was");
        assert_eq!(d(61.0).as_deref(), Some("1900-03-01"));
        assert_eq!(d(46112.0).as_deref(), Some("2026-03-31"));
        assert_eq!(d(46112.75).as_deref(), Some("2026-03-31"), "time of day dropped");
        assert_eq!(d(0.0), None);
        assert_eq!(d(f64::NAN), None);
        assert_eq!(serial_date(0.0, true).map(|d| d.to_string()).as_deref(), Some("1904-01-01"));
    }

    #[test]
    fn date_formats() {
        assert!(is_date_format("dd/mm/yyyy"));
        assert!(is_date_format("[$-42A]d mmmm yyyy"));
        assert!(!is_date_format("0.00"));
        assert!(!is_date_format("h:mm"));
        assert!(!is_date_format("\"ngày\" 0"));
        assert!(!is_date_format("[Red]0"));
        assert!(builtin_date(14) && !builtin_date(0) && !builtin_date(49));
    }

    #[test]
    fn columns() {
        assert_eq!(column_number("A"), Some(1));
        assert_eq!(column_number("z"), Some(26));
        assert_eq!(column_number("AA"), Some(27));
        assert_eq!(column_number("XFD"), Some(16_384));
        assert_eq!(column_number("XFE"), None);
        assert_eq!(column_number("A1"), None);
        assert_eq!(column_name(1), "A");
        assert_eq!(column_name(28), "AB");
        assert_eq!(column_name(16_384), "XFD");
        assert_eq!(cell_position("$B$3"), Some((3, 2)));
        assert_eq!(cell_column("AB12"), Some(28));
        assert_eq!(number(3.0), "3");
        assert_eq!(number(2.5), "2.5");
    }
}
