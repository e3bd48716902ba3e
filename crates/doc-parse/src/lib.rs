//! Turns the normalised text of a directive into the `nhiemvu.document/1` contract
//! (`shared/design/document-json.md`): metadata, references, outline, tasks, monitor.
//!
//! The parser does no I/O: the `ingest` crate reads files, this crate reads text. The first
//! step repairs the layout ([`layout::repair`]); every span in the result is a byte offset
//! into that repaired text, which is what `nhiemvu parse --text` prints.
#![warn(missing_docs)]

mod contract;
mod deadline;
mod header;
mod kinds;
pub mod layout;
mod memo;
mod names;
mod outline;
mod phrases;
mod tasks;

pub use contract::*;

/// What the caller knows about where the text came from.
#[derive(Debug, Clone)]
pub struct SourceInfo {
    /// The file name as given.
    pub file: String,
    /// How the text was obtained: `text`, `docx`, `doc`, `pdf`, `pdf-ocr`, `edxml`.
    pub format: String,
    /// Hex SHA-256 of the original bytes.
    pub sha256: String,
}

/// A parsed document together with the repaired text its spans point into.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The contract object.
    pub document: Document,
    /// The layout-repaired text.
    pub text: String,
}

/// Parses normalised text (see `vn_text::normalize`) into a [`Document`]. Fields the text
/// does not give, or gives garbled, are `None` with a warning, never guesses.
pub fn parse(text: &str, source: SourceInfo) -> Parsed {
    let layout = layout::repair(text);
    let lines = header::lines(&layout.text);
    let mut document = Document::empty(Source { file: source.file, format: source.format, sha256: source.sha256 });
    let body_range = header::read(&layout, &lines, &mut document);
    let body: Vec<(usize, &str)> = lines[body_range].iter().map(|l| (l.offset, l.text)).collect();
    let attached = layout.signature_lines.as_ref().map_or(lines.len(), |r| r.end.min(lines.len()));
    let appendix: Vec<(usize, &str)> = lines[attached..].iter().map(|l| (l.offset, l.text)).collect();
    document.outline = outline::build(&body);
    let citations = legal_ref::find(&layout.text);
    document.references = citations.iter().map(reference).collect();
    let issued = document.date.as_deref().and_then(|d| d.parse().ok());
    let issuer_is_central = document.issuer.as_ref().is_some_and(|i| {
        let g = gazetteer::Gazetteer::embedded();
        [Some(i.name.as_str()), i.parent.as_deref()]
            .into_iter()
            .flatten()
            .any(|n| g.canonical(n).is_some_and(|a| a.kind() == gazetteer::AgencyKind::Central) || n.starts_with("Bộ ") || n.starts_with("Cục "))
    });
    let cx = tasks::Context {
        lines: &body,
        appendix: &appendix,
        recipients: &document.recipients,
        issued,
        kind: document.kind.as_deref(),
        issuer_is_central,
        issuer: document.issuer.as_ref().map(|i| i.name.as_str()),
        issuer_parent: document.issuer.as_ref().and_then(|i| i.parent.as_deref()),
    };
    let (mut found, monitor) = tasks::read(&cx);
    for task in &mut found {
        for c in citations.iter().filter(|c| c.span.start >= task.span[0] && c.span.end <= task.span[1]) {
            let code = c.resolved_from.clone().unwrap_or_else(|| c.code.clone());
            if !task.references.contains(&code) {
                task.references.push(code);
            }
        }
    }
    document.tasks = found;
    document.monitor = monitor;
    Parsed { document, text: layout.text }
}

/// Reads a deadline as the parser reads one in a task's text (`issued`: the document's date,
/// the start of relative limits); for deadlines written in a cell of a task sheet.
pub fn read_deadline(text: &str, issued: Option<vn_calendar::Date>) -> Deadline {
    deadline::read(text, issued)
}

/// A citation as the contract writes it.
fn reference(c: &legal_ref::Citation) -> Reference {
    Reference {
        kind: c.kind.map(str::to_owned),
        code: c.code.clone(),
        number: c.number.clone(),
        year: c.year,
        symbol: c.symbol.clone(),
        date: c.date.map(|d| d.to_string()),
        issuer: c.issuer.clone(),
        text: c.text.clone(),
        span: [c.span.start, c.span.end],
        resolved_from: c.resolved_from.clone(),
    }
}
