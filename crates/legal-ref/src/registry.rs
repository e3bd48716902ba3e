//! Linking citations to documents already stored.
//!
//! The finder knows nothing about storage; a store implements [`Registry`] (the seam, as
//! ripgrep's `Sink` is between searching and printing), and [`link`] asks it about each
//! citation. Lookups go by code and year because numbers restart every year: `57/NQ-CP`
//! of 2022 and of 2023 are different documents.

use std::collections::HashMap;

use crate::{Citation, code_key};

/// A stored document a citation can point to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRef {
    /// The store's identifier.
    pub id: String,
    /// The document's code as stored.
    pub code: String,
    /// The year it was issued, when known.
    pub year: Option<i32>,
}

/// Something that knows stored documents by code.
pub trait Registry {
    /// The stored document with this code (compare with [`code_key`]) issued in `year`;
    /// when `year` is `None`, a document is returned only if the code alone identifies it.
    fn lookup(&self, code: &str, year: Option<i32>) -> Option<DocumentRef>;
}

/// For each citation (same order), the stored document it cites, if the registry has it.
/// Short forms are looked up by the code they resolved to.
pub fn link(citations: &[Citation], registry: &impl Registry) -> Vec<Option<DocumentRef>> {
    citations.iter().map(|c| registry.lookup(&c.code, c.year)).collect()
}

/// A registry held in memory, for tests and small tools.
#[derive(Debug, Default)]
pub struct MemoryRegistry {
    by_key: HashMap<String, Vec<DocumentRef>>,
}

impl MemoryRegistry {
    /// An empty registry.
    pub fn new() -> MemoryRegistry {
        MemoryRegistry::default()
    }

    /// Adds a document.
    pub fn insert(&mut self, doc: DocumentRef) {
        self.by_key.entry(code_key(&doc.code)).or_default().push(doc);
    }
}

impl Registry for MemoryRegistry {
    fn lookup(&self, code: &str, year: Option<i32>) -> Option<DocumentRef> {
        let docs = self.by_key.get(&code_key(code))?;
        match year {
            Some(y) => docs.iter().find(|d| d.year == Some(y)).cloned(),
            None if docs.len() == 1 => docs.first().cloned(),
            None => None,
        }
    }
}
