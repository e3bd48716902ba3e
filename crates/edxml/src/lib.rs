//! edXML (QCVN 102:2016/BTTTT, amended by Circular 01/2022/TT-BTTTT): the packages and status
//! messages document-management systems exchange over LGSP/NGSP.
//!
//! - [`read`] turns a package or status message into a [`Message`], refusing hostile input
//!   with a typed [`Error`]: no DTD is ever processed (DOCTYPE refused, so no entity
//!   expansion and no external entities), and depth, element count, node size, header size,
//!   input size and decoded attachment size are bounded ([`Limits`]). Memory stays bounded:
//!   the XML parser never holds more than one node's budget, and attachments are streamed
//!   from the input into the base64 decoder, their length checked before each chunk is
//!   decoded.
//! - [`write`] / [`to_vec`] produce packages laid out like the exchange SDK's own, which
//!   [`read`] gives back unchanged.
//! - [`looks_like_edxml`] tells a package from other files by content.
//!
//! The crate does no I/O of its own beyond the reader it is given, and knows nothing of the
//! store or the parser: the command line maps a package onto a document.
#![warn(missing_docs)]

mod archive;
pub mod base64;
mod error;
mod model;
mod read;
mod source;
mod tree;
mod write;

pub use error::Error;
pub use model::*;
pub use write::{to_vec, write};

/// The namespace of QCVN 102:2016.
pub const NAMESPACE: &str = "http://www.mic.gov.vn/TBT/QCVN_102_2016";

/// Bounds on what one package may cost. The defaults admit any real package (a directive
/// with a few appendices is a few MB) and stop hostile ones early.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest input, in bytes.
    pub max_input_bytes: u64,
    /// Deepest element nesting (real packages nest about eight deep).
    pub max_depth: usize,
    /// Most elements in a package.
    pub max_elements: usize,
    /// Longest single text node, tag (with its attributes) or comment, in bytes; attachment
    /// contents are bounded by the attachment limits instead.
    pub max_node_bytes: u64,
    /// Most header text kept, in bytes, over all elements.
    pub max_metadata_bytes: usize,
    /// Largest decoded attachment, in bytes.
    pub max_attachment_bytes: u64,
    /// Largest total of decoded attachments, in bytes.
    pub max_total_attachment_bytes: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_input_bytes: 128 * 1024 * 1024,
            max_depth: 64,
            max_elements: 10_000,
            max_node_bytes: 64 * 1024,
            max_metadata_bytes: 1024 * 1024,
            max_attachment_bytes: 64 * 1024 * 1024,
            max_total_attachment_bytes: 96 * 1024 * 1024,
        }
    }
}

/// Something odd that did not stop the package from being read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Stable code (`stray_bytes`, `signature_not_verified`, `bad_date`, …).
    pub code: &'static str,
    /// What it is, in Vietnamese.
    pub message: String,
}

/// A message read, with what was odd about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// The package or status message.
    pub message: Message,
    /// What was odd but could be read past.
    pub warnings: Vec<Warning>,
}

/// Reads a package or status message from `input` (a file, a socket, a byte slice).
pub fn read<R: std::io::Read>(input: R, limits: &Limits) -> Result<Reading, Error> {
    let mut warnings = Vec::new();
    let root = tree::parse(input, limits, &mut warnings)?;
    let message = read::message(&root, &mut warnings)?;
    Ok(Reading { message, warnings })
}

/// Whether the first bytes of a file (a KiB is plenty) are those of an edXML package: the
/// standard's namespace or its root elements near the start. Names lie, so the command line
/// asks this rather than looking at the extension.
pub fn looks_like_edxml(head: &[u8]) -> bool {
    let head = &head[..head.len().min(4096)];
    let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    // Markup near the start (stray bytes before it are tolerated, as by the reader), and not a
    // binary format that merely mentions the standard.
    let binary = [&b"%PDF-"[..], b"PK\x03\x04", b"\xD0\xCF\x11\xE0"]
        .iter()
        .any(|magic| head.starts_with(magic));
    let markup = head[..head.len().min(1024)].contains(&b'<');
    !binary && markup && (has(b"QCVN_102_2016") || has(b"<edXML") || has(b":edXMLEnvelope"))
}
