//! The exchange SDK's wrapping of attachments: it zips each file into an archive holding that
//! one file (named `<uuid>.<extension>`) and sends the archive, whatever `ContentType` says
//! (the corpus has `application/pdf` attachments that are such archives). To read the
//! document the archive must be opened; an attachment that is not such an archive (a PDF, a
//! DOCX — itself a zip, but of many parts) is left as it is.

use std::io::{Cursor, Read};

use crate::{Attachment, Error};

/// The end-of-central-directory record: signature, then (at offset 10) the entry count.
const EOCD: &[u8; 4] = b"PK\x05\x06";
/// The record is 22 bytes plus a comment of at most 65,535.
const EOCD_SEARCH: usize = 22 + 65_535;

impl Attachment {
    /// The file inside when this attachment is the SDK's single-file zip: its name in the
    /// archive and its bytes (at most `limit`, counted while decompressing, so a zip bomb stops
    /// at the limit). `None` when the attachment is anything else.
    pub fn unwrap_sdk_archive(&self, limit: u64) -> Result<Option<(String, Vec<u8>)>, Error> {
        let data = &self.data;
        if !data.starts_with(b"PK\x03\x04") || declared_entries(data) != Some(1) {
            return Ok(None);
        }
        let bad = |detail: String| Error::Archive {
            attachment: self.label().to_owned(),
            detail,
        };
        let mut archive =
            zip::ZipArchive::new(Cursor::new(data.as_slice())).map_err(|e| bad(e.to_string()))?;
        let mut entry = archive.by_index(0).map_err(|e| bad(e.to_string()))?;
        if entry.is_dir() {
            return Ok(None);
        }
        let name = entry.name().map_err(|e| bad(e.to_string()))?.into_owned();
        let too_large = || Error::AttachmentTooLarge {
            attachment: format!("{} (tệp {name} trong tệp nén)", self.label()),
            limit,
        };
        if entry.size() > limit {
            return Err(too_large());
        }
        let mut out = Vec::new();
        (&mut entry)
            .take(limit + 1)
            .read_to_end(&mut out)
            .map_err(|e| bad(e.to_string()))?;
        if out.len() as u64 > limit {
            return Err(too_large());
        }
        Ok(Some((name, out)))
    }
}

/// The entry count the archive declares, read from its end record before the zip reader
/// indexes anything (indexing costs memory per entry).
fn declared_entries(data: &[u8]) -> Option<u16> {
    let from = data.len().saturating_sub(EOCD_SEARCH);
    let at = data[from..].windows(4).rposition(|w| w == EOCD)? + from;
    let count = data.get(at + 10..at + 12)?;
    Some(u16::from_le_bytes([count[0], count[1]]))
}
