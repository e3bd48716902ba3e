//! Accumulates normalised text and the source map as a reader walks a file.

use crate::{Error, Extracted, Format};

/// Where a stretch of text came from in the original file. Numbers count from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// A page of a PDF.
    Page(u32),
    /// A paragraph of a word-processing document or a text file.
    Paragraph(u32),
    /// A table cell of a word-processing document.
    TableCell {
        /// Table number in document order.
        table: u32,
        /// Row within the table.
        row: u32,
        /// Column within the row.
        column: u32,
    },
}

/// The text from `offset` (a byte offset into [`Extracted::text`]) up to the next anchor
/// came from `location`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Anchor {
    /// Byte offset into the normalised text.
    pub offset: usize,
    /// Origin of the text starting there.
    pub location: Location,
}

/// Builds an [`Extracted`]: every piece is normalised as it is pushed, so offsets in the
/// source map are offsets into the final text.
pub struct TextBuilder {
    text: String,
    map: Vec<Anchor>,
    max_bytes: usize,
}

impl TextBuilder {
    /// A builder that refuses to grow past `max_bytes` of text.
    pub fn new(max_bytes: usize) -> Self {
        TextBuilder { text: String::new(), map: Vec::new(), max_bytes }
    }

    /// Starts a new stretch of text from `location`.
    pub fn mark(&mut self, location: Location) {
        let offset = self.text.len();
        if let Some(last) = self.map.last_mut()
            && last.offset == offset {
                last.location = location;
                return;
            }
        self.map.push(Anchor { offset, location });
    }

    /// Appends raw text, normalising it first.
    pub fn push(&mut self, raw: &str) -> Result<(), Error> {
        let normalised = vn_text::normalize(raw);
        if self.text.len() + normalised.len() > self.max_bytes {
            return Err(Error::TextTooLong { limit: self.max_bytes });
        }
        self.text.push_str(&normalised);
        Ok(())
    }

    /// Ends the current line unless the text is empty or already ends one.
    pub fn end_line(&mut self) -> Result<(), Error> {
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.push("\n")?;
        }
        Ok(())
    }

    /// The text so far.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Finishes into an [`Extracted`] (the caller's hash is filled in by [`crate::read_bytes`]).
    pub fn finish(self, format: Format) -> Extracted {
        Extracted {
            text: self.text,
            format,
            sha256: String::new(),
            source_map: self.map,
            legacy_encoding: None,
            notes: Vec::new(),
        }
    }
}
