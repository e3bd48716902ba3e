//! XML → a small element tree, under the limits, with attachments decoded on the way.
//!
//! The tree holds the header (a few hundred elements at most); attachment contents
//! (`ContentTransferEncoded`) never enter the XML parser: on their start tag the text is read
//! straight from the input up to the next `<` and fed to the base64 decoder chunk by chunk,
//! so a huge attachment is refused once its encoded length passes the limit, with no more
//! than the limit in memory. quick-xml reads from the same buffered input and resumes at the
//! `<` of the end tag, so nothing is lost or read twice.
//!
//! What is refused and why:
//! - DOCTYPE of any kind: internal subsets define entities (billion laughs), external ones
//!   fetch files (XXE); edXML needs neither, so no DTD is ever looked at.
//! - references to entities other than the five predefined ones and character references.
//! - nesting deeper than [`Limits::max_depth`], more elements than
//!   [`Limits::max_elements`], one text node, tag or comment longer than
//!   [`Limits::max_node_bytes`], header text over [`Limits::max_metadata_bytes`], input over
//!   [`Limits::max_input_bytes`].

use std::cell::Cell;
use std::io::{BufRead, Read};

use quick_xml::NsReader;
use quick_xml::events::Event;
use quick_xml::name::{Namespace, ResolveResult};

use crate::base64::{DecodeError, Decoder};
use crate::source::{Source, Tripped};
use crate::{Error, Limits, NAMESPACE, Warning};

/// How far into the input the first `<` is looked for.
const PREFIX_SCAN: usize = 1024;

/// An element: local name, whether it is in the edXML namespace (or none), its own text, its
/// children, and for `ContentTransferEncoded` the decoded bytes (in a cell, so the mapping
/// moves them out instead of copying an attachment a second time).
#[derive(Default)]
pub(crate) struct Element {
    pub name: String,
    pub ours: bool,
    pub namespace: Option<String>,
    pub text: String,
    pub children: Vec<Element>,
    pub data: Cell<Option<Vec<u8>>>,
    /// Its content was an attachment, streamed past the parser.
    pub streamed: bool,
}

impl Element {
    /// The first child of ours with this local name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.ours && c.name == name)
    }

    /// Every child of ours with this local name.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children
            .iter()
            .filter(move |c| c.ours && c.name == name)
    }

    /// The trimmed text, `None` when empty.
    pub fn value(&self) -> Option<String> {
        let t = self.text.trim();
        (!t.is_empty()).then(|| t.to_owned())
    }

    /// The trimmed text of the first child with this name.
    pub fn field(&self, name: &str) -> Option<String> {
        self.child(name).and_then(Element::value)
    }

    /// The texts of every child with this name, empty ones left out.
    pub fn fields(&self, name: &str) -> Vec<String> {
        self.all(name).filter_map(Element::value).collect()
    }
}

/// Parses the input into its root element; problems that still let it be read go to `warnings`.
pub(crate) fn parse<R: Read>(
    input: R,
    limits: &Limits,
    warnings: &mut Vec<Warning>,
) -> Result<Element, Error> {
    let mut source = Source::new(input, limits.max_input_bytes, limits.max_node_bytes);
    skip_prefix(&mut source, warnings)?;
    let mut reader = NsReader::from_reader(source);
    let mut parser = Parser {
        limits,
        warnings,
        undeclared: Vec::new(),
        stack: Vec::new(),
        root: None,
        elements: 0,
        metadata: 0,
        attachments_total: 0,
        attachment_count: 0,
    };
    let mut buf = Vec::new();
    loop {
        buf.clear();
        reader.get_mut().begin_event();
        let (ns, event) = match reader.read_resolved_event_into(&mut buf) {
            Ok((ns, event)) => (resolve(&ns), event),
            Err(e) => return Err(xml_error(e, reader.get_ref())),
        };
        let offset = reader.get_ref().offset();
        match event {
            Event::DocType(_) => return Err(Error::Doctype { offset }),
            Event::Decl(d) => {
                if let Some(Ok(enc)) = d.encoding() {
                    let enc = String::from_utf8_lossy(&enc).into_owned();
                    if !enc.eq_ignore_ascii_case("utf-8") && !enc.eq_ignore_ascii_case("utf8") {
                        return Err(Error::Encoding(enc));
                    }
                }
            }
            Event::Start(e) => {
                let name = local_name(e.local_name().as_ref(), offset)?;
                parser.open(name, ns, offset)?;
                if parser.is_attachment_content() {
                    let decoded = parser.stream_attachment(reader.get_mut())?;
                    if let Some(top) = parser.stack.last_mut() {
                        top.data = Cell::new(Some(decoded));
                        top.streamed = true;
                    }
                }
            }
            Event::Empty(e) => {
                let name = local_name(e.local_name().as_ref(), offset)?;
                parser.open(name, ns, offset)?;
                if parser.is_attachment_content()
                    && let Some(top) = parser.stack.last_mut()
                {
                    top.data = Cell::new(Some(Vec::new()));
                    top.streamed = true;
                }
                parser.close(offset)?;
            }
            Event::End(_) => parser.close(offset)?,
            Event::Text(t) => {
                let text = t.decode().map_err(|e| syntax(offset, e))?;
                parser.text(&text, offset)?;
            }
            Event::CData(t) => {
                let text = t.decode().map_err(|e| syntax(offset, e))?;
                parser.text(&text, offset)?;
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref().map_err(|e| syntax(offset, e))? {
                    Some(c) => c.to_string(),
                    None => {
                        let name = r.decode().map_err(|e| syntax(offset, e))?;
                        match quick_xml::escape::resolve_predefined_entity(&name) {
                            Some(s) => s.to_owned(),
                            None => {
                                return Err(Error::UnknownEntity {
                                    name: name.into_owned(),
                                    offset,
                                });
                            }
                        }
                    }
                };
                parser.text(&resolved, offset)?;
            }
            Event::Comment(_) | Event::PI(_) => {}
            Event::Eof => break,
        }
    }
    if !parser.stack.is_empty() {
        return Err(Error::Syntax {
            offset: reader.get_ref().offset(),
            detail: format!(
                "input ends inside <{}>",
                parser.stack.last().map_or("", |e| e.name.as_str())
            ),
        });
    }
    parser
        .root
        .ok_or_else(|| syntax(reader.get_ref().offset(), "no root element"))
}

/// Skips a byte-order mark and anything before the first `<`. Some exchange systems write
/// bytes before the XML declaration (the SDK's own sample starts with `1212`); that is not
/// XML, but the rest may be sound, so it is skipped with a warning that says exactly what was
/// there.
fn skip_prefix<R: Read>(source: &mut Source<R>, warnings: &mut Vec<Warning>) -> Result<(), Error> {
    let head = match source.peek(PREFIX_SCAN) {
        Ok(head) => head.to_vec(),
        Err(e) => return Err(io_error(e, source)),
    };
    let bom = if head.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let Some(lt) = head[bom..].iter().position(|&b| b == b'<') else {
        return Err(Error::NotXml {
            scanned: head.len(),
        });
    };
    let stray = &head[bom..bom + lt];
    if !stray.iter().all(u8::is_ascii_whitespace) {
        let shown: String = String::from_utf8_lossy(&stray[..stray.len().min(32)]).into_owned();
        let hex: Vec<String> = stray.iter().take(16).map(|b| format!("{b:02X}")).collect();
        warnings.push(Warning {
            code: "stray_bytes",
            message: format!(
                "gói có {} byte lạ trước khai báo XML ({:?}, mã {}{}); đã bỏ qua phần này và đọc phần còn lại",
                stray.len(),
                shown,
                hex.join(" "),
                if stray.len() > 16 { " …" } else { "" }
            ),
        });
    }
    source.consume(bom + lt);
    Ok(())
}

struct Parser<'l> {
    limits: &'l Limits,
    warnings: &'l mut Vec<Warning>,
    undeclared: Vec<String>,
    stack: Vec<Element>,
    root: Option<Element>,
    elements: usize,
    metadata: usize,
    attachments_total: u64,
    attachment_count: usize,
}

impl Parser<'_> {
    fn open(&mut self, name: String, ns: Resolved, offset: u64) -> Result<(), Error> {
        if self.root.is_some() {
            return Err(syntax(offset, "a second root element after the first"));
        }
        self.elements += 1;
        if self.elements > self.limits.max_elements {
            return Err(Error::TooManyElements {
                limit: self.limits.max_elements,
            });
        }
        if self.stack.len() >= self.limits.max_depth {
            return Err(Error::TooDeep {
                limit: self.limits.max_depth,
                offset,
            });
        }
        if let Some(prefix) = ns.undeclared
            && !self.undeclared.contains(&prefix)
        {
            self.warnings.push(Warning {
                code: "undeclared_prefix",
                message: format!(
                    "tiền tố không gian tên \"{prefix}:\" được dùng mà không khai báo (từ <{prefix}:{name}>, byte {offset}){}",
                    if ns.ours { "; coi là không gian tên edXML" } else { "; bỏ qua các phần tử này" }
                ),
            });
            self.undeclared.push(prefix);
        }
        self.stack.push(Element {
            name,
            ours: ns.ours,
            namespace: ns.namespace,
            ..Element::default()
        });
        Ok(())
    }

    fn close(&mut self, offset: u64) -> Result<(), Error> {
        let element = self
            .stack
            .pop()
            .ok_or_else(|| syntax(offset, "end tag without a start tag"))?;
        match self.stack.last_mut() {
            Some(parent) => parent.children.push(element),
            None => self.root = Some(element),
        }
        Ok(())
    }

    fn text(&mut self, text: &str, offset: u64) -> Result<(), Error> {
        match self.stack.last_mut() {
            Some(top) => {
                if top.streamed {
                    // Text after an attachment's content was streamed: only a CDATA section
                    // or a reference could get here, and base64 has neither.
                    if !text.trim().is_empty() {
                        return Err(syntax(
                            offset,
                            "markup inside ContentTransferEncoded (CDATA or entity)",
                        ));
                    }
                    return Ok(());
                }
                self.metadata += text.len();
                if self.metadata > self.limits.max_metadata_bytes {
                    return Err(Error::MetadataTooLarge {
                        limit: self.limits.max_metadata_bytes,
                    });
                }
                top.text.push_str(text);
                Ok(())
            }
            None if text.trim().is_empty() => Ok(()),
            None => Err(syntax(offset, "text outside the root element")),
        }
    }

    /// Whether the element just opened is an attachment's encoded content.
    fn is_attachment_content(&self) -> bool {
        let n = self.stack.len();
        n >= 2 && {
            let (top, parent) = (&self.stack[n - 1], &self.stack[n - 2]);
            top.ours
                && top.name == "ContentTransferEncoded"
                && parent.ours
                && parent.name == "Attachment"
        }
    }

    /// Reads an attachment's text from the input up to the next `<` and decodes it.
    fn stream_attachment<R: Read>(&mut self, source: &mut Source<R>) -> Result<Vec<u8>, Error> {
        self.attachment_count += 1;
        let name = self
            .stack
            .get(self.stack.len() - 2)
            .and_then(|a| a.field("AttachmentName"))
            .unwrap_or_else(|| format!("thứ {}", self.attachment_count));
        let remaining = self
            .limits
            .max_total_attachment_bytes
            .saturating_sub(self.attachments_total);
        let limit = self.limits.max_attachment_bytes.min(remaining);
        let start = source.offset();
        let mut decoder = Decoder::new(limit);
        loop {
            let available = match source.fill_unbudgeted() {
                Ok(available) => available,
                Err(e) => return Err(io_error(e, source)),
            };
            if available.is_empty() {
                break;
            }
            let (chunk, end) = match available.iter().position(|&b| b == b'<') {
                Some(i) => (&available[..i], true),
                None => (available, false),
            };
            let used = chunk.len();
            let fed = decoder.feed(chunk);
            source.consume(used);
            fed.map_err(|e| self.decode_error(e, &name, start, limit))?;
            if end {
                break;
            }
        }
        let data = decoder
            .finish()
            .map_err(|e| self.decode_error(e, &name, start, limit))?;
        self.attachments_total += data.len() as u64;
        Ok(data)
    }

    fn decode_error(&self, e: DecodeError, name: &str, start: u64, limit: u64) -> Error {
        match e {
            DecodeError::Invalid { position, problem } => Error::Base64 {
                attachment: name.to_owned(),
                position: position + 1,
                offset: start + position,
                problem,
            },
            DecodeError::TooLarge if limit < self.limits.max_attachment_bytes => {
                Error::AttachmentsTooLarge {
                    attachment: name.to_owned(),
                    limit: self.limits.max_total_attachment_bytes,
                }
            }
            DecodeError::TooLarge => Error::AttachmentTooLarge {
                attachment: name.to_owned(),
                limit: self.limits.max_attachment_bytes,
            },
        }
    }
}

struct Resolved {
    ours: bool,
    namespace: Option<String>,
    /// The prefix, when it was used without being declared.
    undeclared: Option<String>,
}

/// Elements in the edXML namespace are ours, and so are elements in no namespace (some
/// systems drop the declaration); elements of other namespaces (the XML signature) are kept
/// but never read as edXML.
fn resolve(ns: &ResolveResult) -> Resolved {
    match ns {
        ResolveResult::Bound(Namespace(uri)) => {
            let uri = String::from_utf8_lossy(uri).into_owned();
            Resolved {
                ours: uri == NAMESPACE,
                namespace: Some(uri),
                undeclared: None,
            }
        }
        ResolveResult::Unbound => Resolved {
            ours: true,
            namespace: None,
            undeclared: None,
        },
        // The SDK's own template writes `edXML:AttachmentEncoded` outside the element that
        // declares the prefix; the prefix can only mean the standard's namespace.
        ResolveResult::Unknown(prefix) => Resolved {
            ours: prefix.as_slice() == b"edXML",
            namespace: None,
            undeclared: Some(String::from_utf8_lossy(prefix).into_owned()),
        },
    }
}

fn local_name(bytes: &[u8], offset: u64) -> Result<String, Error> {
    std::str::from_utf8(bytes)
        .map(str::to_owned)
        .map_err(|e| syntax(offset, e))
}

fn syntax(offset: u64, detail: impl std::fmt::Display) -> Error {
    Error::Syntax {
        offset,
        detail: detail.to_string(),
    }
}

/// A parser error, or the limit the input tripped on its way in.
fn xml_error<R: Read>(e: quick_xml::Error, source: &Source<R>) -> Error {
    match e {
        quick_xml::Error::Io(io) => match std::sync::Arc::try_unwrap(io) {
            Ok(io) => io_error(io, source),
            Err(shared) => io_error(
                std::io::Error::new(shared.kind(), shared.to_string()),
                source,
            ),
        },
        other => syntax(source.offset(), other),
    }
}

/// An I/O error, or the limit it stands for.
fn io_error<R: Read>(e: std::io::Error, source: &Source<R>) -> Error {
    match source.tripped {
        Some(Tripped::Input) => Error::InputTooLarge {
            limit: source.max_input(),
        },
        Some(Tripped::Node) => Error::NodeTooLarge {
            limit: source.max_event(),
            offset: source.offset(),
        },
        None => Error::Io(e),
    }
}
