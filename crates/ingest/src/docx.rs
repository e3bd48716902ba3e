//! DOCX (Office Open XML) reader.
//!
//! The package is opened defensively: the number of entries and the sum of their declared sizes
//! are checked before anything is inflated, and every part is then read through a reader that
//! stops at the remaining expansion budget, because declared sizes in a zip are only claims.
//!
//! `word/document.xml` is parsed into a small model (paragraphs and tables) and then rendered in
//! document order, one paragraph per line. What Word shows is what we emit: automatic list
//! numbers are rendered from `word/numbering.xml` (the outline parser needs the "1.", "2.1.",
//! "a)", "-" labels), runs formatted as all capitals are emitted in capitals, deleted revisions,
//! hidden runs and field codes are left out, text boxes are emitted once after the paragraph
//! that anchors them. Page headers and footers are skipped
//! (they repeat on every page); footnotes and endnotes follow the body, in the order they are
//! referenced, because legal references often live there.
//!
//! # Tables: layout or data
//!
//! Vietnamese administrative documents use tables for two different things, and each needs its
//! own rendering:
//!
//! - **Layout tables** hold the header block (issuer | national motto, number | place and date)
//!   and the signature block (`Nơi nhận` | signer). Their cells are independent stretches of
//!   text placed side by side only to save space, so they are emitted in reading order: row by
//!   row, cell by cell from left to right, each paragraph of a cell on its own line. Joining
//!   them on one line would glue the issuer to the motto.
//! - **Data tables** (task tables `TT | nội dung | chủ trì | phối hợp | thời gian`, member
//!   lists) are records: one line per row, cells separated by a TAB, a cell's paragraphs joined
//!   with a space. Every grid column keeps its place: a cell spanning several columns
//!   (`w:gridSpan`) is followed by empty fields, the continuation of a vertical merge
//!   (`w:vMerge`) and columns skipped by `w:gridBefore` are empty fields, so the n-th field is
//!   always the n-th column. Trailing empty fields are dropped, so a full-width row (a section
//!   heading inside a task table) reads as an ordinary line.
//!
//! The rule: a table is a layout table if its text contains the national motto ("xã hội chủ
//! nghĩa", "độc lập") or one of its cells starts with "Nơi nhận" — these blocks are layout
//! whatever their borders say, and the corpus has header tables drawn with table borders that
//! the cells then switch off. Otherwise a table is a data table if at least half of its cells
//! have a visible border (cell borders first, then the table's, then its style's), or if it has
//! more than three columns; the remaining borderless narrow tables are layout. Nested tables
//! are decided the same way inside a layout cell; inside a data cell they are flattened into
//! the cell's text, so a row stays one line.
//!
//! The source map marks `Location::Paragraph(n)` for the n-th paragraph of the body (footnotes
//! continue that count) and `Location::TableCell` for each table cell, whose column is its grid
//! column.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};

use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use zip::ZipArchive;
use zip::result::ZipError;

use crate::{Error, Extracted, Format, Limits, Location, TextBuilder};

/// More entries than any Word document has (a directive has a dozen, a report full of images a
/// few hundred); past this, parsing the central directory alone would cost real memory.
const MAX_ENTRIES: u64 = 10_000;

/// Tables in cells in text boxes in tables…: real documents nest two or three deep. The parser
/// recurses on nesting, so a hostile file must not be able to exhaust the stack.
const MAX_NESTING: usize = 32;

/// Word's grid has at most 63 columns; larger spans in a file are clamped so column arithmetic
/// stays small.
const MAX_SPAN: usize = 64;

/// Word supports nine list levels (0–8).
const LEVELS: usize = 9;

const W_NS: &[u8] = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const W_NS_STRICT: &[u8] = b"http://purl.oclc.org/ooxml/wordprocessingml/main";
const MC_NS: &[u8] = b"http://schemas.openxmlformats.org/markup-compatibility/2006";

/// Reads a DOCX held in memory.
pub(crate) fn read(bytes: &[u8], limits: &Limits) -> Result<Extracted, Error> {
    let mut package = Package::open(bytes, limits, Error::BadDocx)?;
    let document = package
        .part("word/document.xml")?
        .ok_or_else(|| Error::BadDocx("không có word/document.xml, đây không phải văn bản Word".into()))?;
    let styles = match package.part("word/styles.xml")? {
        Some(xml) => Styles::parse(&xml)?,
        None => Styles::default(),
    };
    let numbering = match package.part("word/numbering.xml")? {
        Some(xml) => Numbering::parse(&xml)?,
        None => Numbering::default(),
    };
    let body = Body::parse(&document)?;
    let mut notes = Vec::new();
    for kind in [NoteKind::Foot, NoteKind::End] {
        let wanted: Vec<&str> = body.note_refs.iter().filter(|r| r.0 == kind).map(|r| r.1.as_str()).collect();
        if wanted.is_empty() {
            continue;
        }
        if let Some(xml) = package.part(kind.part())? {
            let mut found = parse_notes(&xml, kind)?;
            let mut seen = HashSet::new();
            for id in wanted {
                if seen.insert(id)
                    && let Some(blocks) = found.remove(id) {
                        notes.push(blocks);
                    }
            }
        }
    }
    let mut renderer = Renderer::new(limits.max_text_bytes, &styles, &numbering);
    renderer.body(&body.blocks)?;
    renderer.notes(&notes)?;
    Ok(renderer.out.finish(Format::Docx))
}

// ---------------------------------------------------------------------------------------------
// The zip package

/// An opened archive plus what is left of the expansion budget. Shared with the XLSX reader
/// (the same container); `bad` makes the error of the format being read.
pub(crate) struct Package<'a> {
    archive: ZipArchive<Cursor<&'a [u8]>>,
    budget: u64,
    limit: u64,
    bad: fn(String) -> Error,
}

impl<'a> Package<'a> {
    pub(crate) fn open(bytes: &'a [u8], limits: &Limits, bad: fn(String) -> Error) -> Result<Self, Error> {
        // Checked before the zip crate builds its index, which costs memory per entry.
        if let Some(n) = declared_entries(bytes)
            && n > MAX_ENTRIES {
                return Err(too_many_entries(n, bad));
            }
        let archive = ZipArchive::new(Cursor::new(bytes)).map_err(|e| zip_error(e, bad))?;
        if archive.len() as u64 > MAX_ENTRIES {
            return Err(too_many_entries(archive.len() as u64, bad));
        }
        let limit = limits.max_expanded_bytes;
        let mut declared: u64 = 0;
        for i in 0..archive.len() {
            let entry = archive.by_index_data(i).map_err(|e| zip_error(e, bad))?;
            declared = declared.saturating_add(entry.size());
        }
        if declared > limit {
            return Err(Error::ExpansionLimit { limit });
        }
        Ok(Package { archive, budget: limit, limit, bad })
    }

    /// Inflates one part, or `None` if the package has no such part. The bytes actually
    /// produced are counted against the budget, whatever the headers declared.
    pub(crate) fn part(&mut self, name: &str) -> Result<Option<Vec<u8>>, Error> {
        let file = match self.archive.by_name(name) {
            Ok(file) => file,
            Err(ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(zip_error(e, self.bad)),
        };
        let capacity = file.size().min(self.budget).min(64 * 1024 * 1024);
        let mut out = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
        file.take(self.budget.saturating_add(1))
            .read_to_end(&mut out)
            .map_err(|e| (self.bad)(format!("dữ liệu nén của {name} bị hỏng hoặc bị cắt cụt ({e})")))?;
        let used = out.len() as u64;
        if used > self.budget {
            return Err(Error::ExpansionLimit { limit: self.limit });
        }
        self.budget -= used;
        Ok(Some(out))
    }
}

fn too_many_entries(n: u64, bad: fn(String) -> Error) -> Error {
    bad(format!("tệp nén chứa {n} mục, quá nhiều đối với một văn bản hay bảng tính"))
}

fn zip_error(e: ZipError, bad: fn(String) -> Error) -> Error {
    let reason = match &e {
        ZipError::Io(_) => "tệp nén bị cắt cụt hoặc hỏng",
        ZipError::InvalidArchive(_) => "cấu trúc tệp nén không hợp lệ",
        ZipError::UnsupportedArchive(_) | ZipError::InvalidPassword => {
            "tệp nén dùng tính năng không hỗ trợ (mật khẩu, chia nhiều phần…)"
        }
        ZipError::CompressionMethodNotSupported(_) => "phương thức nén không được hỗ trợ",
        _ => "không mở được tệp nén",
    };
    bad(format!("{reason} ({e})"))
}

/// The entry count the end-of-central-directory record declares (zip64 included), if the
/// record can be found.
fn declared_entries(bytes: &[u8]) -> Option<u64> {
    let last = bytes.len().checked_sub(22)?;
    let first = last.saturating_sub(u16::MAX as usize);
    let eocd = (first..=last).rev().find(|&i| bytes.get(i..i + 4) == Some(b"PK\x05\x06"))?;
    let total = u64::from(u16::from_le_bytes(bytes.get(eocd + 10..eocd + 12)?.try_into().ok()?));
    if total != u64::from(u16::MAX) {
        return Some(total);
    }
    let locator = eocd.checked_sub(20)?;
    if bytes.get(locator..locator + 4) != Some(b"PK\x06\x07") {
        return Some(total);
    }
    let offset = usize::try_from(u64::from_le_bytes(bytes.get(locator + 8..locator + 16)?.try_into().ok()?)).ok()?;
    let record = bytes.get(offset..offset.checked_add(56)?)?;
    if !record.starts_with(b"PK\x06\x06") {
        return Some(total);
    }
    Some(u64::from_le_bytes(record.get(32..40)?.try_into().ok()?))
}

// ---------------------------------------------------------------------------------------------
// XML cursor

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    W,
    Mc,
    Other,
}

/// A simplified event: only what the readers below look at.
enum Ev<'i> {
    Start(Ns, BytesStart<'i>),
    Empty(Ns, BytesStart<'i>),
    End,
    Text(Cow<'i, str>),
    Eof,
}

#[derive(Clone, Copy)]
enum Frame {
    /// An element handed to the caller; its end is reported.
    Element,
    /// An element the cursor looks through (`mc:Choice`); its end is swallowed.
    Transparent,
    /// `mc:AlternateContent`, and whether one of its alternatives was already taken.
    Alternate { taken: bool },
}

/// Walks a part, hiding what no reader ever wants: deleted and moved-away revisions, field
/// instructions, property-change history, and every alternative of `mc:AlternateContent` but
/// the first `mc:Choice` (or the `mc:Fallback` when there is no choice) — the alternatives hold
/// the same content, and taking two would duplicate text boxes.
struct Xml<'i> {
    reader: NsReader<&'i [u8]>,
    open: Vec<Frame>,
    part: &'static str,
}

impl<'i> Xml<'i> {
    fn new(bytes: &'i [u8], part: &'static str) -> Self {
        let mut reader = NsReader::from_reader(bytes);
        reader.config_mut().check_end_names = true;
        Xml { reader, open: Vec::new(), part }
    }

    fn bad(&self, detail: impl std::fmt::Display) -> Error {
        Error::BadDocx(format!("XML hỏng trong {} (byte {}): {detail}", self.part, self.reader.buffer_position()))
    }

    fn next(&mut self) -> Result<Ev<'i>, Error> {
        loop {
            let (ns, event) = match self.reader.read_resolved_event() {
                Ok((resolved, event)) => (classify(&resolved), event),
                Err(e) => return Err(self.bad(e)),
            };
            match event {
                Event::Start(e) => {
                    let local = e.local_name();
                    match (ns, local.as_ref()) {
                        (Ns::Mc, b"AlternateContent") => self.open.push(Frame::Alternate { taken: false }),
                        (Ns::Mc, b"Choice" | b"Fallback") => {
                            if let Some(Frame::Alternate { taken }) = self.open.last_mut() {
                                if *taken {
                                    self.skip_raw()?;
                                    continue;
                                }
                                *taken = true;
                            }
                            self.open.push(Frame::Transparent);
                        }
                        (Ns::W, name) if never_shown(name) => self.skip_raw()?,
                        _ => {
                            self.open.push(Frame::Element);
                            return Ok(Ev::Start(ns, e));
                        }
                    }
                }
                Event::Empty(e) => {
                    let local = e.local_name();
                    if ns == Ns::Mc || (ns == Ns::W && never_shown(local.as_ref())) {
                        continue;
                    }
                    return Ok(Ev::Empty(ns, e));
                }
                Event::End(_) => match self.open.pop() {
                    Some(Frame::Element) => return Ok(Ev::End),
                    Some(_) => {}
                    None => return Err(self.bad("thẻ đóng không có thẻ mở")),
                },
                Event::Text(t) => return t.decode().map(Ev::Text).map_err(|e| self.bad(e)),
                Event::CData(t) => return t.decode().map(Ev::Text).map_err(|e| self.bad(e)),
                Event::GeneralRef(r) => {
                    if let Some(c) = r.resolve_char_ref().map_err(|e| self.bad(e))? {
                        return Ok(Ev::Text(Cow::Owned(c.to_string())));
                    }
                    let name = r.decode().map_err(|e| self.bad(e))?;
                    return match quick_xml::escape::resolve_predefined_entity(&name) {
                        Some(s) => Ok(Ev::Text(Cow::Borrowed(s))),
                        None => Err(self.bad(format!("thực thể không xác định &{name};"))),
                    };
                }
                Event::Eof if self.open.is_empty() => return Ok(Ev::Eof),
                Event::Eof => return Err(self.bad("tệp XML bị cắt cụt")),
                Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
            }
        }
    }

    /// Skips the rest of the element whose start was just returned.
    fn skip(&mut self) -> Result<(), Error> {
        self.open.pop();
        self.skip_raw()
    }

    /// Skips to the end matching a start that was read but not pushed.
    fn skip_raw(&mut self) -> Result<(), Error> {
        let mut depth = 1usize;
        while depth > 0 {
            match self.reader.read_event() {
                Ok(Event::Start(_)) => depth += 1,
                Ok(Event::End(_)) => depth -= 1,
                Ok(Event::Eof) => return Err(self.bad("tệp XML bị cắt cụt")),
                Ok(_) => {}
                Err(e) => return Err(self.bad(e)),
            }
        }
        Ok(())
    }

    /// The text content of the element whose start was just returned, through its end.
    fn text(&mut self) -> Result<String, Error> {
        let mut out = String::new();
        loop {
            match self.next()? {
                Ev::Text(t) => out.push_str(&t),
                Ev::Start(..) => self.skip()?,
                Ev::End | Ev::Eof => return Ok(out),
                Ev::Empty(..) => {}
            }
        }
    }

    /// Skips everything up to the end of the current element, handing each start or empty
    /// child to `child`; `child` returns whether it consumed the child's whole subtree.
    fn children(
        &mut self,
        mut child: impl FnMut(&mut Self, Ns, &BytesStart<'i>, bool) -> Result<bool, Error>,
    ) -> Result<(), Error> {
        let mut depth = 0usize;
        loop {
            match self.next()? {
                Ev::Start(ns, e) => {
                    if !child(self, ns, &e, false)? {
                        depth += 1;
                    }
                }
                Ev::Empty(ns, e) => {
                    child(self, ns, &e, true)?;
                }
                Ev::End if depth == 0 => return Ok(()),
                Ev::End => depth -= 1,
                Ev::Text(_) => {}
                Ev::Eof => return Err(self.bad("tệp XML bị cắt cụt")),
            }
        }
    }
}

fn classify(resolved: &ResolveResult<'_>) -> Ns {
    match resolved {
        ResolveResult::Bound(ns) if ns.0 == W_NS || ns.0 == W_NS_STRICT => Ns::W,
        ResolveResult::Bound(ns) if ns.0 == MC_NS => Ns::Mc,
        _ => Ns::Other,
    }
}

/// WordprocessingML elements whose content Word never displays.
fn never_shown(local: &[u8]) -> bool {
    matches!(local, b"del" | b"moveFrom" | b"delText" | b"delInstrText" | b"instrText" | b"fldData" | b"rt")
        || local.ends_with(b"Change")
}

/// The value of the attribute with local name `name` (`w:val`, `w:id` …).
fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.unescape_value().ok().map(Cow::into_owned))
}

fn attr_num<T: std::str::FromStr>(e: &BytesStart<'_>, name: &[u8]) -> Option<T> {
    attr(e, name).and_then(|v| v.trim().parse().ok())
}

/// An on/off property: present without a value means on.
fn on(e: &BytesStart<'_>) -> bool {
    !matches!(attr(e, b"val").as_deref(), Some("0" | "false" | "off"))
}

fn is_w(ns: Ns, e: &BytesStart<'_>, name: &[u8]) -> bool {
    ns == Ns::W && e.local_name().as_ref() == name
}

// ---------------------------------------------------------------------------------------------
// Borders

/// Which sides have a visible border; `None` where this level does not say.
#[derive(Debug, Clone, Copy, Default)]
struct Borders {
    top: Option<bool>,
    bottom: Option<bool>,
    left: Option<bool>,
    right: Option<bool>,
    inside_h: Option<bool>,
    inside_v: Option<bool>,
}

impl Borders {
    fn parse(x: &mut Xml<'_>) -> Result<Borders, Error> {
        let mut b = Borders::default();
        x.children(|x, ns, e, empty| {
            if ns == Ns::W {
                let visible = !matches!(attr(e, b"val").as_deref(), Some("nil" | "none"));
                match e.local_name().as_ref() {
                    b"top" => b.top = Some(visible),
                    b"bottom" => b.bottom = Some(visible),
                    b"left" | b"start" => b.left = Some(visible),
                    b"right" | b"end" => b.right = Some(visible),
                    b"insideH" => b.inside_h = Some(visible),
                    b"insideV" => b.inside_v = Some(visible),
                    _ => {}
                }
            }
            if !empty {
                x.skip()?;
            }
            Ok(true)
        })?;
        Ok(b)
    }

    /// `self` where it says something, `base` elsewhere.
    fn over(self, base: Borders) -> Borders {
        Borders {
            top: self.top.or(base.top),
            bottom: self.bottom.or(base.bottom),
            left: self.left.or(base.left),
            right: self.right.or(base.right),
            inside_h: self.inside_h.or(base.inside_h),
            inside_v: self.inside_v.or(base.inside_v),
        }
    }

    /// Whether a cell with these cell borders, in a table with `table` borders, shows a line.
    /// Edge and inside borders are not told apart: it only has to say "ruled" or not.
    fn cell_visible(self, table: Borders) -> bool {
        let side = |own: Option<bool>, edge: Option<bool>, inside: Option<bool>| {
            own.unwrap_or(edge.unwrap_or(false) || inside.unwrap_or(false))
        };
        side(self.top, table.top, table.inside_h)
            || side(self.bottom, table.bottom, table.inside_h)
            || side(self.left, table.left, table.inside_v)
            || side(self.right, table.right, table.inside_v)
    }
}

// ---------------------------------------------------------------------------------------------
// Styles

#[derive(Default)]
struct ParaStyle {
    based_on: Option<String>,
    num_id: Option<u32>,
    ilvl: Option<u32>,
}

#[derive(Default)]
struct TableStyle {
    based_on: Option<String>,
    borders: Borders,
}

/// What `word/styles.xml` says that matters for text: numbering carried by paragraph styles,
/// and borders drawn by table styles.
#[derive(Default)]
struct Styles {
    paragraph: HashMap<String, ParaStyle>,
    default_paragraph: Option<String>,
    table: HashMap<String, TableStyle>,
    default_table: Option<String>,
    /// Numbering styles (`w:type="numbering"`) and the `w:num` they point to.
    numbering: HashMap<String, u32>,
}

impl Styles {
    fn parse(bytes: &[u8]) -> Result<Styles, Error> {
        let mut styles = Styles::default();
        let mut x = Xml::new(bytes, "word/styles.xml");
        loop {
            match x.next()? {
                Ev::Start(ns, e) if is_w(ns, &e, b"style") => styles.style(&mut x, &e)?,
                Ev::Eof => return Ok(styles),
                _ => {}
            }
        }
    }

    fn style(&mut self, x: &mut Xml<'_>, e: &BytesStart<'_>) -> Result<(), Error> {
        let kind = attr(e, b"type").unwrap_or_default();
        let Some(id) = attr(e, b"styleId") else { return x.skip() };
        let is_default = attr(e, b"default").is_some_and(|v| v == "1" || v == "true");
        let mut based_on = None;
        let mut num_id = None;
        let mut ilvl = None;
        let mut borders = Borders::default();
        x.children(|x, ns, c, empty| {
            if ns != Ns::W {
                return Ok(false);
            }
            match c.local_name().as_ref() {
                b"basedOn" => based_on = attr(c, b"val"),
                b"numId" => num_id = attr_num(c, b"val"),
                b"ilvl" => ilvl = attr_num(c, b"val"),
                // Conditional formats (first row, banded rows…) are not the table's own borders.
                b"tblStylePr" if !empty => {
                    x.skip()?;
                    return Ok(true);
                }
                b"tblBorders" if !empty => {
                    borders = Borders::parse(x)?;
                    return Ok(true);
                }
                _ => return Ok(false),
            }
            if !empty {
                x.skip()?;
            }
            Ok(true)
        })?;
        match kind.as_str() {
            "paragraph" => {
                if is_default {
                    self.default_paragraph = Some(id.clone());
                }
                self.paragraph.insert(id, ParaStyle { based_on, num_id, ilvl });
            }
            "table" => {
                if is_default {
                    self.default_table = Some(id.clone());
                }
                self.table.insert(id, TableStyle { based_on, borders });
            }
            "numbering" => {
                if let Some(n) = num_id {
                    self.numbering.insert(id, n);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Numbering (`numId`, `ilvl`) inherited from a paragraph style and the styles it is based on.
    fn para_numbering(&self, style: Option<&str>) -> (Option<u32>, Option<u32>, Option<String>) {
        let mut id = style.or(self.default_paragraph.as_deref());
        let mut num_id = None;
        let mut ilvl = None;
        let mut num_style = None;
        // The chain is bounded: a style file can loop.
        for _ in 0..16 {
            let Some(s) = id.and_then(|i| self.paragraph.get(i).map(|s| (i, s))) else { break };
            if num_id.is_none() && s.1.num_id.is_some() {
                num_id = s.1.num_id;
                num_style = Some(s.0.to_owned());
            }
            ilvl = ilvl.or(s.1.ilvl);
            id = s.1.based_on.as_deref();
        }
        (num_id, ilvl, num_style)
    }

    fn table_borders(&self, style: Option<&str>) -> Borders {
        let mut id = style.or(self.default_table.as_deref());
        let mut borders = Borders::default();
        for _ in 0..16 {
            let Some(s) = id.and_then(|i| self.table.get(i)) else { break };
            borders = borders.over(s.borders);
            id = s.based_on.as_deref();
        }
        borders
    }
}

// ---------------------------------------------------------------------------------------------
// Numbering definitions

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NumFmt {
    Decimal,
    DecimalZero,
    LowerLetter,
    UpperLetter,
    LowerRoman,
    UpperRoman,
    Bullet,
    None,
}

impl NumFmt {
    fn parse(e: &BytesStart<'_>) -> NumFmt {
        match attr(e, b"val").as_deref() {
            Some("decimalZero") => NumFmt::DecimalZero,
            Some("lowerLetter") => NumFmt::LowerLetter,
            Some("upperLetter") => NumFmt::UpperLetter,
            Some("lowerRoman") => NumFmt::LowerRoman,
            Some("upperRoman") => NumFmt::UpperRoman,
            Some("bullet") => NumFmt::Bullet,
            Some("none") => NumFmt::None,
            // Word 2010's custom formats ("01, 02, 03, …") are zero-padded decimals in practice.
            Some("custom") if attr(e, b"format").is_some_and(|f| f.starts_with('0')) => NumFmt::DecimalZero,
            // Ordinals, spelled-out numbers and East Asian counting systems never occur in our
            // documents; Arabic digits keep the label parseable.
            _ => NumFmt::Decimal,
        }
    }

    fn format(self, n: i64) -> String {
        match self {
            NumFmt::Decimal | NumFmt::Bullet => n.to_string(),
            NumFmt::None => String::new(),
            NumFmt::DecimalZero if (0..10).contains(&n) => format!("0{n}"),
            NumFmt::DecimalZero => n.to_string(),
            NumFmt::LowerLetter => letters(n).unwrap_or_else(|| n.to_string()),
            NumFmt::UpperLetter => letters(n).map(|s| s.to_uppercase()).unwrap_or_else(|| n.to_string()),
            NumFmt::LowerRoman => roman(n).map(|s| s.to_lowercase()).unwrap_or_else(|| n.to_string()),
            NumFmt::UpperRoman => roman(n).unwrap_or_else(|| n.to_string()),
        }
    }
}

/// Word's letter numbering: a…z, then aa…zz, then aaa… (no Vietnamese "đ").
fn letters(n: i64) -> Option<String> {
    if n < 1 {
        return None;
    }
    let repeat = (n - 1) / 26 + 1;
    // A hostile start value must not make a label megabytes long.
    if repeat > 10 {
        return None;
    }
    let letter = char::from(b'a' + u8::try_from((n - 1) % 26).ok()?);
    Some(std::iter::repeat_n(letter, usize::try_from(repeat).ok()?).collect())
}

fn roman(n: i64) -> Option<String> {
    if !(1..4000).contains(&n) {
        return None;
    }
    const TABLE: [(i64, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut n = n;
    let mut out = String::new();
    for (value, digits) in TABLE {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    Some(out)
}

#[derive(Debug, Clone)]
struct Level {
    start: i64,
    format: NumFmt,
    text: String,
    /// `w:lvlRestart`: restart after a level up to this one (1-based) is used; 0 never.
    restart: Option<u32>,
    /// `w:isLgl`: show every level's number in decimal.
    legal: bool,
    /// The paragraph style linked to this level.
    style: Option<String>,
}

impl Level {
    fn parse(x: &mut Xml<'_>) -> Result<Level, Error> {
        // The specification's defaults for omitted elements.
        let mut level =
            Level { start: 0, format: NumFmt::Decimal, text: String::new(), restart: None, legal: false, style: None };
        x.children(|x, ns, e, empty| {
            if ns == Ns::W {
                match e.local_name().as_ref() {
                    b"start" => level.start = attr_num(e, b"val").unwrap_or(0),
                    b"numFmt" => level.format = NumFmt::parse(e),
                    b"lvlText" => level.text = attr(e, b"val").unwrap_or_default(),
                    b"lvlRestart" => level.restart = attr_num(e, b"val"),
                    b"isLgl" => level.legal = on(e),
                    b"pStyle" => level.style = attr(e, b"val"),
                    _ => {}
                }
            }
            if !empty {
                x.skip()?;
            }
            Ok(true)
        })?;
        Ok(level)
    }
}

#[derive(Default)]
struct AbstractNum {
    levels: [Option<Level>; LEVELS],
    /// `w:numStyleLink`: the levels are those of a numbering style's list.
    style_link: Option<String>,
}

#[derive(Default)]
struct Num {
    abstract_id: u32,
    /// `w:lvlOverride`: per level, a new start value and/or a replacement level.
    start_overrides: Vec<(usize, i64)>,
    level_overrides: Vec<(usize, Level)>,
}

/// `word/numbering.xml`: abstract list definitions and the list instances (`w:num`) that
/// paragraphs point to.
#[derive(Default)]
struct Numbering {
    abstracts: HashMap<u32, AbstractNum>,
    nums: HashMap<u32, Num>,
}

impl Numbering {
    fn parse(bytes: &[u8]) -> Result<Numbering, Error> {
        let mut numbering = Numbering::default();
        let mut x = Xml::new(bytes, "word/numbering.xml");
        loop {
            match x.next()? {
                Ev::Start(ns, e) if is_w(ns, &e, b"abstractNum") => {
                    let id = attr_num(&e, b"abstractNumId");
                    let mut def = AbstractNum::default();
                    x.children(|x, ns, c, empty| {
                        if ns != Ns::W {
                            return Ok(false);
                        }
                        match c.local_name().as_ref() {
                            b"lvl" if !empty => {
                                let ilvl: usize = attr_num(c, b"ilvl").unwrap_or(0);
                                let level = Level::parse(x)?;
                                if let Some(slot) = def.levels.get_mut(ilvl) {
                                    *slot = Some(level);
                                }
                                Ok(true)
                            }
                            b"numStyleLink" => {
                                def.style_link = attr(c, b"val");
                                if !empty {
                                    x.skip()?;
                                }
                                Ok(true)
                            }
                            _ => Ok(false),
                        }
                    })?;
                    if let Some(id) = id {
                        numbering.abstracts.insert(id, def);
                    }
                }
                Ev::Start(ns, e) if is_w(ns, &e, b"num") => {
                    let id = attr_num(&e, b"numId");
                    let mut num = Num::default();
                    x.children(|x, ns, c, empty| {
                        if ns != Ns::W {
                            return Ok(false);
                        }
                        match c.local_name().as_ref() {
                            b"abstractNumId" => num.abstract_id = attr_num(c, b"val").unwrap_or(u32::MAX),
                            b"lvlOverride" if !empty => {
                                let ilvl: usize = attr_num(c, b"ilvl").unwrap_or(0);
                                x.children(|x, ns, o, empty| {
                                    if ns == Ns::W && o.local_name().as_ref() == b"startOverride" {
                                        if let Some(start) = attr_num(o, b"val") {
                                            num.start_overrides.push((ilvl, start));
                                        }
                                    } else if ns == Ns::W && o.local_name().as_ref() == b"lvl" && !empty {
                                        num.level_overrides.push((ilvl, Level::parse(x)?));
                                        return Ok(true);
                                    }
                                    if !empty {
                                        x.skip()?;
                                    }
                                    Ok(true)
                                })?;
                                return Ok(true);
                            }
                            _ => {}
                        }
                        if !empty {
                            x.skip()?;
                        }
                        Ok(true)
                    })?;
                    if let Some(id) = id {
                        numbering.nums.insert(id, num);
                    }
                }
                Ev::Eof => return Ok(numbering),
                _ => {}
            }
        }
    }

    /// The abstract definition a list instance uses, following numbering-style links.
    fn resolve(&self, num_id: u32, styles: &Styles) -> Option<(u32, &Num, &AbstractNum)> {
        let num = self.nums.get(&num_id)?;
        let mut abstract_id = num.abstract_id;
        for _ in 0..4 {
            let def = self.abstracts.get(&abstract_id)?;
            match &def.style_link {
                Some(style) if def.levels.iter().all(Option::is_none) => {
                    let linked = styles.numbering.get(style)?;
                    abstract_id = self.nums.get(linked)?.abstract_id;
                }
                _ => return Some((abstract_id, num, def)),
            }
        }
        None
    }
}

// ---------------------------------------------------------------------------------------------
// Document model

enum Block {
    Para(Para),
    Table(Table),
}

#[derive(Default)]
struct Para {
    text: String,
    style: Option<String>,
    num_id: Option<u32>,
    ilvl: Option<u32>,
    /// Text boxes anchored in this paragraph, emitted after it.
    boxes: Vec<Block>,
}

#[derive(Default)]
struct Table {
    style: Option<String>,
    borders: Borders,
    columns: usize,
    rows: Vec<Row>,
}

#[derive(Default)]
struct Row {
    /// `w:gridBefore`: grid columns left empty before the first cell.
    before: usize,
    cells: Vec<Cell>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Merge {
    #[default]
    None,
    Restart,
    Continue,
}

#[derive(Default)]
struct CellProps {
    span: usize,
    merge: Merge,
    borders: Borders,
}

struct Cell {
    props: CellProps,
    blocks: Vec<Block>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NoteKind {
    Foot,
    End,
}

impl NoteKind {
    fn part(self) -> &'static str {
        match self {
            NoteKind::Foot => "word/footnotes.xml",
            NoteKind::End => "word/endnotes.xml",
        }
    }
}

/// The parsed main document.
struct Body {
    blocks: Vec<Block>,
    /// Footnote and endnote references in document order.
    note_refs: Vec<(NoteKind, String)>,
}

impl Body {
    fn parse(bytes: &[u8]) -> Result<Body, Error> {
        let mut parser = Parser { x: Xml::new(bytes, "word/document.xml"), note_refs: Vec::new() };
        loop {
            match parser.x.next()? {
                Ev::Start(ns, e) if is_w(ns, &e, b"body") => {
                    let blocks = parser.blocks(0, None)?;
                    return Ok(Body { blocks, note_refs: parser.note_refs });
                }
                Ev::Eof => return Err(Error::BadDocx("word/document.xml không có phần thân (w:body)".into())),
                _ => {}
            }
        }
    }
}

/// Notes of one kind by id, skipping the separators Word stores among them.
fn parse_notes(bytes: &[u8], kind: NoteKind) -> Result<HashMap<String, Vec<Block>>, Error> {
    let mut parser = Parser { x: Xml::new(bytes, kind.part()), note_refs: Vec::new() };
    let element: &[u8] = match kind {
        NoteKind::Foot => b"footnote",
        NoteKind::End => b"endnote",
    };
    let mut notes = HashMap::new();
    loop {
        match parser.x.next()? {
            Ev::Start(ns, e) if is_w(ns, &e, element) => {
                let separator = attr(&e, b"type").is_some_and(|t| t != "normal");
                match attr(&e, b"id") {
                    Some(id) if !separator => {
                        let blocks = parser.blocks(0, None)?;
                        notes.insert(id, blocks);
                    }
                    _ => parser.x.skip()?,
                }
            }
            Ev::Eof => return Ok(notes),
            _ => {}
        }
    }
}

struct Parser<'i> {
    x: Xml<'i>,
    note_refs: Vec<(NoteKind, String)>,
}

impl<'i> Parser<'i> {
    fn deeper(&self, nesting: usize) -> Result<usize, Error> {
        if nesting >= MAX_NESTING {
            return Err(Error::BadDocx(format!("bảng hoặc khung chữ lồng nhau quá {MAX_NESTING} tầng")));
        }
        Ok(nesting + 1)
    }

    /// Paragraphs and tables up to the end of the current container (body, cell, text box,
    /// note). In a cell, `props` receives the cell's properties.
    fn blocks(&mut self, nesting: usize, mut props: Option<&mut CellProps>) -> Result<Vec<Block>, Error> {
        let mut blocks = Vec::new();
        let mut depth = 0usize;
        loop {
            match self.x.next()? {
                Ev::Start(Ns::W, e) => match e.local_name().as_ref() {
                    b"p" => blocks.push(Block::Para(self.para(nesting)?)),
                    b"tbl" => {
                        let inner = self.deeper(nesting)?;
                        blocks.push(Block::Table(self.table(inner)?));
                    }
                    b"tcPr" => match props.as_deref_mut() {
                        Some(props) => self.cell_props(props)?,
                        None => self.x.skip()?,
                    },
                    // Section properties point at headers and footers, which we skip; content
                    // control properties hold no displayed text.
                    b"sectPr" | b"sdtPr" | b"sdtEndPr" => self.x.skip()?,
                    // Containers (content controls, custom XML, inserted revisions): look inside.
                    _ => depth += 1,
                },
                Ev::Start(..) => depth += 1,
                Ev::Empty(ns, e) if is_w(ns, &e, b"p") => blocks.push(Block::Para(Para::default())),
                Ev::Empty(..) | Ev::Text(_) => {}
                Ev::End if depth == 0 => return Ok(blocks),
                Ev::End => depth -= 1,
                Ev::Eof => return Err(self.x.bad("tệp XML bị cắt cụt")),
            }
        }
    }

    fn para(&mut self, nesting: usize) -> Result<Para, Error> {
        #[derive(PartialEq)]
        enum Ctx {
            Run,
            Other,
        }
        let mut para = Para::default();
        let mut stack: Vec<Ctx> = Vec::new();
        let mut hidden = false;
        let mut caps = false;
        loop {
            let event = self.x.next()?;
            let (ns, e, empty) = match event {
                Ev::Start(ns, e) => (ns, e, false),
                Ev::Empty(ns, e) => (ns, e, true),
                Ev::End => match stack.pop() {
                    None => return Ok(para),
                    Some(Ctx::Run) => {
                        hidden = false;
                        caps = false;
                        continue;
                    }
                    Some(Ctx::Other) => continue,
                },
                Ev::Text(_) => continue,
                Ev::Eof => return Err(self.x.bad("tệp XML bị cắt cụt")),
            };
            let in_run = stack.contains(&Ctx::Run);
            let visible = in_run && !hidden;
            let mut consumed = empty;
            if ns == Ns::W {
                match e.local_name().as_ref() {
                    b"pPr" if !empty => {
                        self.para_props(&mut para)?;
                        consumed = true;
                    }
                    b"r" if !empty => {
                        stack.push(Ctx::Run);
                        hidden = false;
                        caps = false;
                        consumed = true;
                    }
                    b"rPr" if in_run && !empty => {
                        self.x.children(|x, ns, c, empty| {
                            if ns == Ns::W {
                                match c.local_name().as_ref() {
                                    b"vanish" => hidden = on(c),
                                    b"caps" => caps = on(c),
                                    _ => {}
                                }
                            }
                            if !empty {
                                x.skip()?;
                            }
                            Ok(true)
                        })?;
                        consumed = true;
                    }
                    b"t" if !empty => {
                        let text = self.x.text()?;
                        if visible {
                            // `w:caps` is how Word shows a run: the outline parser sees titles
                            // in capitals as the reader does.
                            if caps {
                                para.text.push_str(&text.to_uppercase());
                            } else {
                                para.text.push_str(&text);
                            }
                        }
                        consumed = true;
                    }
                    b"tab" | b"ptab" if visible => para.text.push('\t'),
                    b"br" | b"cr" if visible => para.text.push('\n'),
                    b"noBreakHyphen" if visible => para.text.push('-'),
                    b"sym" if visible => {
                        if let Some(c) = attr(&e, b"char").and_then(|c| symbol(&c)) {
                            para.text.push(c);
                        }
                    }
                    b"footnoteReference" => {
                        if let Some(id) = attr(&e, b"id") {
                            self.note_refs.push((NoteKind::Foot, id));
                        }
                    }
                    b"endnoteReference" => {
                        if let Some(id) = attr(&e, b"id") {
                            self.note_refs.push((NoteKind::End, id));
                        }
                    }
                    b"txbxContent" if !empty => {
                        let inner = self.deeper(nesting)?;
                        let blocks = self.blocks(inner, None)?;
                        para.boxes.extend(blocks);
                        consumed = true;
                    }
                    // Only inside text boxes in valid files, but accepted anywhere.
                    b"p" if !empty => {
                        let inner = self.deeper(nesting)?;
                        para.boxes.push(Block::Para(self.para(inner)?));
                        consumed = true;
                    }
                    b"tbl" if !empty => {
                        let inner = self.deeper(nesting)?;
                        para.boxes.push(Block::Table(self.table(inner)?));
                        consumed = true;
                    }
                    _ => {}
                }
            }
            if !consumed {
                stack.push(Ctx::Other);
            }
        }
    }

    fn para_props(&mut self, para: &mut Para) -> Result<(), Error> {
        self.x.children(|x, ns, e, empty| {
            if ns == Ns::W {
                match e.local_name().as_ref() {
                    b"pStyle" => para.style = attr(e, b"val"),
                    b"numId" => para.num_id = attr_num(e, b"val"),
                    b"ilvl" => para.ilvl = attr_num(e, b"val"),
                    b"numPr" => return Ok(false),
                    _ => {}
                }
            }
            if !empty {
                x.skip()?;
            }
            Ok(true)
        })
    }

    fn cell_props(&mut self, props: &mut CellProps) -> Result<(), Error> {
        self.x.children(|x, ns, e, empty| {
            if ns == Ns::W {
                match e.local_name().as_ref() {
                    b"gridSpan" => props.span = attr_num(e, b"val").unwrap_or(1).clamp(1, MAX_SPAN),
                    b"vMerge" => {
                        props.merge = match attr(e, b"val").as_deref() {
                            Some("restart") => Merge::Restart,
                            _ => Merge::Continue,
                        }
                    }
                    b"tcBorders" if !empty => {
                        props.borders = Borders::parse(x)?;
                        return Ok(true);
                    }
                    _ => {}
                }
            }
            if !empty {
                x.skip()?;
            }
            Ok(true)
        })
    }

    fn table(&mut self, nesting: usize) -> Result<Table, Error> {
        let mut table = Table::default();
        let mut depth = 0usize;
        loop {
            match self.x.next()? {
                Ev::Start(Ns::W, e) => match e.local_name().as_ref() {
                    b"tblPr" => {
                        let (mut style, mut borders) = (None, Borders::default());
                        self.x.children(|x, ns, c, empty| {
                            if ns == Ns::W {
                                match c.local_name().as_ref() {
                                    b"tblStyle" => style = attr(c, b"val"),
                                    b"tblBorders" if !empty => {
                                        borders = Borders::parse(x)?;
                                        return Ok(true);
                                    }
                                    _ => {}
                                }
                            }
                            if !empty {
                                x.skip()?;
                            }
                            Ok(true)
                        })?;
                        table.style = style;
                        table.borders = borders;
                    }
                    b"tblGrid" => {
                        let mut columns = 0;
                        self.x.children(|x, ns, c, empty| {
                            if ns == Ns::W && c.local_name().as_ref() == b"gridCol" {
                                columns += 1;
                            }
                            if !empty {
                                x.skip()?;
                            }
                            Ok(true)
                        })?;
                        table.columns = columns;
                    }
                    b"tr" => table.rows.push(self.row(nesting)?),
                    b"p" | b"tbl" => self.x.skip()?,
                    _ => depth += 1,
                },
                Ev::Start(..) => depth += 1,
                Ev::Empty(..) | Ev::Text(_) => {}
                Ev::End if depth == 0 => return Ok(table),
                Ev::End => depth -= 1,
                Ev::Eof => return Err(self.x.bad("tệp XML bị cắt cụt")),
            }
        }
    }

    fn row(&mut self, nesting: usize) -> Result<Row, Error> {
        let mut row = Row::default();
        let mut depth = 0usize;
        loop {
            match self.x.next()? {
                Ev::Start(Ns::W, e) => match e.local_name().as_ref() {
                    b"trPr" => {
                        let mut before = 0;
                        self.x.children(|x, ns, c, empty| {
                            if ns == Ns::W && c.local_name().as_ref() == b"gridBefore" {
                                before = attr_num(c, b"val").unwrap_or(0).min(MAX_SPAN);
                            }
                            if !empty {
                                x.skip()?;
                            }
                            Ok(true)
                        })?;
                        row.before = before;
                    }
                    b"tc" => {
                        let mut props = CellProps { span: 1, ..CellProps::default() };
                        let blocks = self.blocks(nesting, Some(&mut props))?;
                        row.cells.push(Cell { props, blocks });
                    }
                    b"p" | b"tbl" => self.x.skip()?,
                    _ => depth += 1,
                },
                Ev::Start(..) => depth += 1,
                Ev::Empty(ns, e) if is_w(ns, &e, b"tc") => {
                    row.cells.push(Cell { props: CellProps { span: 1, ..CellProps::default() }, blocks: Vec::new() })
                }
                Ev::Empty(..) | Ev::Text(_) => {}
                Ev::End if depth == 0 => return Ok(row),
                Ev::End => depth -= 1,
                Ev::Eof => return Err(self.x.bad("tệp XML bị cắt cụt")),
            }
        }
    }
}

/// A `w:sym` character. Symbol fonts put their glyphs in the private use area (U+F020–U+F0FF,
/// the font's byte plus 0xF000); punctuation and digits there are the ASCII ones, anything
/// else is some bullet, arrow or tick, which reads best as a dash.
fn symbol(hex: &str) -> Option<char> {
    let code = u32::from_str_radix(hex.trim(), 16).ok()?;
    if (0xF000..=0xF0FF).contains(&code) {
        let byte = char::from_u32(code - 0xF000)?;
        return Some(if byte.is_ascii_digit() || byte.is_ascii_punctuation() { byte } else { '-' });
    }
    char::from_u32(code).filter(|c| !c.is_control())
}

/// A bullet as plain text: "+" for plus-like glyphs, "-" for every other bullet, dash or
/// private-use symbol glyph (U+F0B7 Symbol bullet, U+F02D Symbol dash, Wingdings shapes).
fn bullet(text: &str) -> &'static str {
    match text.trim().chars().next() {
        None => "",
        Some('+' | '\u{F02B}' | '＋') => "+",
        Some(_) => "-",
    }
}

// ---------------------------------------------------------------------------------------------
// List counters

/// Counters per abstract list. Word continues a list across `w:num` instances that share an
/// abstract definition; "restart numbering" is written as a new instance with a start override.
struct ListState {
    counts: [Option<i64>; LEVELS],
    starts: [Option<i64>; LEVELS],
}

struct Counters<'a> {
    numbering: &'a Numbering,
    styles: &'a Styles,
    lists: HashMap<u32, ListState>,
    seen: HashSet<u32>,
}

impl<'a> Counters<'a> {
    /// The label Word shows before `para`, advancing the list counters.
    fn label(&mut self, para: &Para) -> Option<String> {
        let (style_num, style_ilvl, num_style) = self.styles.para_numbering(para.style.as_deref());
        let num_id = para.num_id.or(style_num)?;
        if num_id == 0 {
            return None;
        }
        let (numbering, styles) = (self.numbering, self.styles);
        let (abstract_id, num, def) = numbering.resolve(num_id, styles)?;
        let level_of = |l: usize| -> Option<&Level> {
            num.level_overrides.iter().rev().find(|(i, _)| *i == l).map(|(_, lvl)| lvl).or(def.levels.get(l)?.as_ref())
        };
        // A style that carries numbering without a level is found through the level linked
        // to that style.
        let linked =
            || (0..LEVELS).find(|&l| level_of(l).is_some_and(|lvl| lvl.style.is_some() && lvl.style == num_style));
        let ilvl = match para.ilvl.or(style_ilvl) {
            Some(l) => usize::try_from(l).unwrap_or(0).min(LEVELS - 1),
            None => linked().unwrap_or(0),
        };
        let level = level_of(ilvl)?;
        let state =
            self.lists.entry(abstract_id).or_insert(ListState { counts: [None; LEVELS], starts: [None; LEVELS] });
        if self.seen.insert(num_id) {
            for &(l, start) in &num.start_overrides {
                if l < LEVELS {
                    state.starts[l] = Some(start);
                    state.counts[l] = None;
                }
            }
        }
        let start = |state: &ListState, l: usize| state.starts[l].or(level_of(l).map(|v| v.start)).unwrap_or(0);
        state.counts[ilvl] = Some(match state.counts[ilvl] {
            Some(c) => c.saturating_add(1),
            None => start(state, ilvl),
        });
        for l in ilvl + 1..LEVELS {
            let restart = level_of(l).and_then(|v| v.restart);
            if restart.is_none_or(|r| r != 0 && (ilvl as u32) < r) {
                state.counts[l] = None;
            }
        }
        if level.format == NumFmt::Bullet {
            return Some(bullet(&level.text).to_owned()).filter(|s| !s.is_empty());
        }
        let mut label = String::new();
        let mut chars = level.text.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, chars.peek().and_then(|d| d.to_digit(10))) {
                ('%', Some(d @ 1..=9)) => {
                    chars.next();
                    let l = d as usize - 1;
                    // A level not used yet shows one less than its start, as Word does ("0.1").
                    let n = state.counts[l].unwrap_or_else(|| start(state, l).saturating_sub(1));
                    let format =
                        if level.legal { NumFmt::Decimal } else { level_of(l).map_or(NumFmt::Decimal, |v| v.format) };
                    label.push_str(&format.format(n));
                }
                ('\u{F000}'..='\u{F0FF}', _) => label.push_str(bullet(&c.to_string())),
                _ => label.push(c),
            }
        }
        let label = label.trim().to_owned();
        (!label.is_empty()).then_some(label)
    }
}

// ---------------------------------------------------------------------------------------------
// Rendering

struct Renderer<'a> {
    out: TextBuilder,
    counters: Counters<'a>,
    styles: &'a Styles,
    paragraphs: u32,
    tables: u32,
}

impl<'a> Renderer<'a> {
    fn new(max_text_bytes: usize, styles: &'a Styles, numbering: &'a Numbering) -> Self {
        Renderer {
            out: TextBuilder::new(max_text_bytes),
            counters: Counters { numbering, styles, lists: HashMap::new(), seen: HashSet::new() },
            styles,
            paragraphs: 0,
            tables: 0,
        }
    }

    fn body(&mut self, blocks: &[Block]) -> Result<(), Error> {
        for block in blocks {
            match block {
                Block::Para(para) => {
                    self.paragraphs = self.paragraphs.saturating_add(1);
                    let here = Location::Paragraph(self.paragraphs);
                    self.out.mark(here);
                    self.para_lines(para, true, here)?;
                }
                Block::Table(table) => self.table(table)?,
            }
        }
        Ok(())
    }

    /// Notes after the body, separated from it by a blank line, their paragraphs numbered on
    /// from the body's.
    fn notes(&mut self, notes: &[Vec<Block>]) -> Result<(), Error> {
        if notes.is_empty() {
            return Ok(());
        }
        self.blank_line()?;
        for note in notes {
            self.body(note)?;
        }
        Ok(())
    }

    /// Ends the current line and adds one empty line, never two in a row.
    fn blank_line(&mut self) -> Result<(), Error> {
        self.out.end_line()?;
        let text = self.out.text();
        if !text.is_empty() && !text.ends_with("\n\n") {
            self.out.push("\n")?;
        }
        Ok(())
    }

    /// A paragraph as its own line(s), then its text boxes. Empty paragraphs give a blank line
    /// where `blank` allows (the body: spacing there separates blocks); `resume` is re-marked
    /// after a nested table so what follows is attributed to the right place.
    fn para_lines(&mut self, para: &Para, blank: bool, resume: Location) -> Result<(), Error> {
        let label = self.counters.label(para);
        let text = para.text.trim_matches('\n');
        match label {
            Some(label) => {
                self.out.end_line()?;
                self.out.push(&label)?;
                if !text.is_empty() {
                    self.out.push(" ")?;
                    self.out.push(text)?;
                }
                self.out.end_line()?;
            }
            None if text.trim().is_empty() => {
                if blank {
                    self.blank_line()?;
                }
            }
            None => {
                self.out.end_line()?;
                self.out.push(text)?;
                self.out.end_line()?;
            }
        }
        self.lines(&para.boxes, resume)
    }

    fn lines(&mut self, blocks: &[Block], resume: Location) -> Result<(), Error> {
        for block in blocks {
            match block {
                Block::Para(para) => self.para_lines(para, false, resume)?,
                Block::Table(table) => {
                    self.table(table)?;
                    self.out.mark(resume);
                }
            }
        }
        Ok(())
    }

    fn table(&mut self, table: &Table) -> Result<(), Error> {
        self.tables = self.tables.saturating_add(1);
        let number = self.tables;
        if self.is_layout(table) {
            for (r, row) in table.rows.iter().enumerate() {
                let mut column = row.before;
                for cell in &row.cells {
                    let here = Location::TableCell { table: number, row: ordinal(r), column: ordinal(column) };
                    column += cell.props.span;
                    if cell.props.merge == Merge::Continue {
                        continue;
                    }
                    self.out.mark(here);
                    self.lines(&cell.blocks, here)?;
                }
            }
            return Ok(());
        }
        for (r, row) in table.rows.iter().enumerate() {
            let mut fields: Vec<(usize, String)> = Vec::new();
            let mut column = 0;
            for _ in 0..row.before {
                fields.push((column, String::new()));
                column += 1;
            }
            for cell in &row.cells {
                let text =
                    if cell.props.merge == Merge::Continue { String::new() } else { self.cell_text(&cell.blocks)? };
                fields.push((column, text));
                column += 1;
                for _ in 1..cell.props.span {
                    fields.push((column, String::new()));
                    column += 1;
                }
            }
            while fields.last().is_some_and(|f| f.1.is_empty()) {
                fields.pop();
            }
            if fields.is_empty() {
                continue;
            }
            self.out.end_line()?;
            for (i, (column, text)) in fields.iter().enumerate() {
                if i > 0 {
                    self.out.push("\t")?;
                }
                self.out.mark(Location::TableCell { table: number, row: ordinal(r), column: ordinal(*column) });
                self.out.push(text)?;
            }
            self.out.end_line()?;
        }
        Ok(())
    }

    /// A data cell's content on one line: paragraphs (with their list labels) joined by a
    /// space, tabs and breaks turned into spaces so the row's fields stay apart.
    fn cell_text(&mut self, blocks: &[Block]) -> Result<String, Error> {
        let mut parts = Vec::new();
        self.collect_text(blocks, &mut parts);
        let joined = parts.join(" ");
        Ok(joined.split(['\t', '\n']).filter(|s| !s.trim().is_empty()).map(str::trim).collect::<Vec<_>>().join(" "))
    }

    fn collect_text(&mut self, blocks: &[Block], parts: &mut Vec<String>) {
        for block in blocks {
            match block {
                Block::Para(para) => {
                    let label = self.counters.label(para);
                    let text = para.text.trim();
                    match label {
                        Some(label) if text.is_empty() => parts.push(label),
                        Some(label) => parts.push(format!("{label} {text}")),
                        None if !text.is_empty() => parts.push(text.to_owned()),
                        None => {}
                    }
                    self.collect_text(&para.boxes, parts);
                }
                Block::Table(table) => {
                    // Counted so table numbers stay in document order, flattened into the cell.
                    self.tables = self.tables.saturating_add(1);
                    for row in &table.rows {
                        for cell in &row.cells {
                            self.collect_text(&cell.blocks, parts);
                        }
                    }
                }
            }
        }
    }

    /// The layout-or-data rule of the module documentation.
    fn is_layout(&self, table: &Table) -> bool {
        let mut text = String::new();
        let mut starts_with_recipients = false;
        for row in &table.rows {
            for cell in &row.cells {
                let mut cell_text = String::new();
                plain_text(&cell.blocks, &mut cell_text);
                let cell_text = vn_text::normalize(&cell_text).to_lowercase();
                starts_with_recipients |= cell_text.trim_start().starts_with("nơi nhận");
                text.push_str(&cell_text);
                text.push('\n');
            }
        }
        if starts_with_recipients || text.contains("xã hội chủ nghĩa") || text.contains("độc lập") {
            return true;
        }
        let table_borders = table.borders.over(self.styles.table_borders(table.style.as_deref()));
        let cells: Vec<&Cell> = table.rows.iter().flat_map(|r| &r.cells).collect();
        let ruled = cells.iter().filter(|c| c.props.borders.cell_visible(table_borders)).count();
        if !cells.is_empty() && ruled * 2 >= cells.len() {
            return false;
        }
        let widest = table
            .rows
            .iter()
            .map(|r| r.before + r.cells.iter().map(|c| c.props.span).sum::<usize>())
            .max()
            .unwrap_or(0);
        table.columns.max(widest) <= 3
    }
}

/// The 1-based number of a 0-based index, for the source map.
fn ordinal(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX).saturating_add(1)
}

fn plain_text(blocks: &[Block], out: &mut String) {
    for block in blocks {
        match block {
            Block::Para(para) => {
                out.push_str(&para.text);
                out.push('\n');
                plain_text(&para.boxes, out);
            }
            Block::Table(table) => {
                for row in &table.rows {
                    for cell in &row.cells {
                        plain_text(&cell.blocks, out);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, content) in parts {
            zip.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
            zip.write_all(content).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn the_budget_counts_inflated_bytes_across_parts() {
        let bytes = zip_of(&[("a", &[b'x'; 3000]), ("b", &[b'y'; 3000])]);
        let mut package = Package::open(&bytes, &Limits::default(), Error::BadDocx).unwrap();
        // As if the headers had declared less than the parts really hold.
        package.budget = 5000;
        package.limit = 5000;
        assert_eq!(package.part("a").unwrap().map(|p| p.len()), Some(3000));
        assert!(matches!(package.part("b"), Err(Error::ExpansionLimit { limit: 5000 })));
        assert!(package.part("missing").unwrap().is_none());
    }

    #[test]
    fn declared_entries_reads_the_end_record() {
        let parts: Vec<(String, Vec<u8>)> = (0..5).map(|i| (format!("f{i}"), vec![b'z'; i])).collect();
        let refs: Vec<(&str, &[u8])> = parts.iter().map(|(n, c)| (n.as_str(), c.as_slice())).collect();
        assert_eq!(declared_entries(&zip_of(&refs)), Some(5));
        assert_eq!(declared_entries(b"PK\x03\x04 not a zip"), None);
    }

    #[test]
    fn number_formats() {
        assert_eq!(NumFmt::LowerLetter.format(4), "d");
        assert_eq!(NumFmt::LowerLetter.format(5), "e");
        assert_eq!(NumFmt::UpperLetter.format(53), "AAA");
        assert_eq!(NumFmt::UpperRoman.format(1994), "MCMXCIV");
        assert_eq!(NumFmt::LowerRoman.format(9), "ix");
        assert_eq!(NumFmt::DecimalZero.format(7), "07");
        // Out of range for letters or numerals: digits rather than a huge or empty label.
        assert_eq!(NumFmt::LowerLetter.format(1_000_000), "1000000");
        assert_eq!(NumFmt::UpperRoman.format(0), "0");
    }

    #[test]
    fn symbols_and_bullets() {
        assert_eq!(bullet("\u{F0B7}"), "-");
        assert_eq!(bullet("\u{F02D}"), "-");
        assert_eq!(bullet("\u{F02B}"), "+");
        assert_eq!(bullet("+"), "+");
        assert_eq!(bullet("–"), "-");
        assert_eq!(symbol("F02D"), Some('-'));
        assert_eq!(symbol("F0FC"), Some('-'));
        assert_eq!(symbol("2192"), Some('→'));
        assert_eq!(symbol("zz"), None);
    }
}
