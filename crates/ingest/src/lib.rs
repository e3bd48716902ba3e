//! Reads a directive in any format we accept — plain text, DOCX, DOC, PDF with a text layer,
//! scanned PDF — into normalised text (see [`vn_text::normalize`]) plus a source map that says
//! where in the original each stretch of text came from.
//!
//! Format modules are independent: each turns bytes into [`TextBuilder`] pushes. External
//! programs (pdftotext, pdftoppm, tesseract, antiword) are found at run time; a missing one is
//! reported with the Debian package that provides it. Task lists kept in Excel are read cell by
//! cell instead ([`read_sheet`]): they are records, not running text. Every reader enforces [`Limits`], so a
//! hostile file (zip bomb, endless PDF) fails with an error instead of exhausting the machine.
#![warn(missing_docs)]

mod builder;
mod doc;
mod docx;
mod error;
mod pdf;
pub mod quality;
mod text;
mod tools;
mod xlsx;

use std::path::Path;

use sha2::{Digest, Sha256};

pub use builder::{Anchor, Location, TextBuilder};
pub use error::Error;
pub use vn_text::legacy::Encoding;
pub use xlsx::{Sheet, column_name, column_number, looks_like_workbook, read_named_sheet, read_sheet};

/// The formats we read, as named in the `source.format` field of the document contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// UTF-8, UTF-16 or legacy-encoded plain text.
    Text,
    /// Office Open XML word processing document.
    Docx,
    /// Legacy Word 97–2003 binary document.
    Doc,
    /// PDF whose text layer was usable.
    Pdf,
    /// PDF read (wholly or partly) through OCR.
    PdfOcr,
}

impl Format {
    /// The contract's name for the format.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Docx => "docx",
            Format::Doc => "doc",
            Format::Pdf => "pdf",
            Format::PdfOcr => "pdf-ocr",
        }
    }
}

/// Bounds on what one file may cost. The defaults suit directives (a few pages, a few MB);
/// anything past them is refused rather than read partially.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest input file accepted, in bytes.
    pub max_file_bytes: u64,
    /// Largest total size of the parts a DOCX may expand to, in bytes.
    pub max_expanded_bytes: u64,
    /// Largest number of PDF pages read.
    pub max_pages: u32,
    /// Largest amount of text produced, in bytes.
    pub max_text_bytes: usize,
    /// Longest an external program may run, in seconds, per call.
    pub tool_timeout_secs: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 50 * 1024 * 1024,
            max_expanded_bytes: 200 * 1024 * 1024,
            max_pages: 300,
            max_text_bytes: 20 * 1024 * 1024,
            tool_timeout_secs: 300,
        }
    }
}

/// When to run OCR on a PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OcrMode {
    /// OCR the pages whose text layer is missing or unreadable.
    #[default]
    Auto,
    /// Never OCR: pages without a usable text layer are left out (with a note), and a PDF with
    /// no usable page at all is an error.
    Never,
    /// OCR every page, ignoring the text layer.
    Always,
}

/// How to read a file.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Resource bounds.
    pub limits: Limits,
    /// Force a legacy encoding for text input instead of detecting it.
    pub encoding: Option<Encoding>,
    /// OCR policy for PDFs.
    pub ocr: OcrMode,
}

/// A file read into normalised text.
#[derive(Debug, Clone)]
pub struct Extracted {
    /// Normalised text (NFC, `\n` line ends). Layout is not yet repaired: that is the parser's job.
    pub text: String,
    /// How the text was obtained.
    pub format: Format,
    /// Hex SHA-256 of the original bytes.
    pub sha256: String,
    /// Where each stretch of `text` came from, sorted by offset.
    pub source_map: Vec<Anchor>,
    /// The legacy encoding the text was decoded from, if any.
    pub legacy_encoding: Option<Encoding>,
    /// Things the reader noticed but could work around (in Vietnamese, for users).
    pub notes: Vec<String>,
}

/// Reads a file from disk. The size limit is checked before the file is read.
pub fn read_file(path: &Path, options: &Options) -> Result<Extracted, Error> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.is_dir() {
        return Err(Error::NotAFile);
    }
    if meta.len() > options.limits.max_file_bytes {
        return Err(Error::TooLarge { size: meta.len(), limit: options.limits.max_file_bytes });
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    read_bytes(&bytes, &name, options)
}

/// Reads a file held in memory; `name` (the file name) only breaks ties the content leaves open.
pub fn read_bytes(bytes: &[u8], name: &str, options: &Options) -> Result<Extracted, Error> {
    if bytes.len() as u64 > options.limits.max_file_bytes {
        return Err(Error::TooLarge { size: bytes.len() as u64, limit: options.limits.max_file_bytes });
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::Empty);
    }
    let sniffed = sniff(bytes, name);
    let mut out = match sniffed {
        Sniffed::Pdf => pdf::read(bytes, options)?,
        Sniffed::Zip => docx::read(bytes, &options.limits)?,
        Sniffed::Ole => doc::read(bytes, &options.limits)?,
        Sniffed::Text => text::read(bytes, options)?,
    };
    if out.text.trim().is_empty() {
        return Err(Error::NoText);
    }
    out.sha256 = hex_sha256(bytes);
    Ok(out)
}

enum Sniffed {
    Pdf,
    Zip,
    Ole,
    Text,
}

/// Decides the format from the content: names lie (a DOCX renamed .doc is common in offices).
fn sniff(bytes: &[u8], _name: &str) -> Sniffed {
    // A PDF may have junk before the header; readers accept it within the first KiB.
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        Sniffed::Pdf
    } else if bytes.starts_with(b"PK\x03\x04") {
        Sniffed::Zip
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Sniffed::Ole
    } else {
        Sniffed::Text
    }
}

/// The SHA-256 of `bytes` as 64 lower-case hex digits: the identity of an original file.
pub fn hex_sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest {
        s.push_str(&format!("{b:02x}"));
    }
    s
}
