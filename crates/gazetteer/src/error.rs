//! The one error type of the crate: what is wrong with a gazetteer file, and where.

/// An error reading gazetteer data: the file (`agencies` or `groups`), the 1-based line and what
/// is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}.csv line {line}: {kind}")]
pub struct Error {
    file: &'static str,
    line: usize,
    kind: ErrorKind,
}

impl Error {
    pub(crate) fn new(file: &'static str, line: usize, kind: ErrorKind) -> Error {
        Error { file, line, kind }
    }

    /// Which file: `"agencies"` or `"groups"`.
    pub fn file(&self) -> &'static str {
        self.file
    }

    /// The 1-based line the offending row starts on.
    pub fn line(&self) -> usize {
        self.line
    }

    /// What is wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }
}

/// What is wrong with a row of gazetteer data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The header row is missing or does not name the expected columns.
    #[error("header must be `{expected}`")]
    BadHeader {
        /// The expected header.
        expected: String,
    },
    /// A quoted field is not closed before the end of the file.
    #[error("unterminated quoted field")]
    UnterminatedQuote,
    /// A row has more fields than the header.
    #[error("{found} fields, expected {expected}")]
    FieldCount {
        /// Number of columns in the header.
        expected: usize,
        /// Number of fields in the row.
        found: usize,
    },
    /// The name field is empty, or a name or variant has no letters or digits.
    #[error("empty name or variant `{0}`")]
    EmptyName(String),
    /// The kind is not one of the kinds the file allows.
    #[error("unknown kind `{0}`")]
    UnknownKind(String),
    /// A date is not `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    #[error("bad date `{0}` (expected YYYY, YYYY-MM or YYYY-MM-DD)")]
    BadDate(String),
    /// `valid_to` is before `valid_from`.
    #[error("valid_to `{to}` is before valid_from `{from}`")]
    DatesReversed {
        /// The start date.
        from: String,
        /// The end date.
        to: String,
    },
    /// Two rows have the same canonical name.
    #[error("duplicate name `{0}`")]
    DuplicateName(String),
    /// A name or variant reads the same (same letters, diacritics and case of abbreviations) as
    /// one belonging to another agency, group or catch-all, so a match could not be decided.
    #[error("`{variant}` also names `{other}`")]
    Ambiguous {
        /// The variant as written on this row.
        variant: String,
        /// The other entry it names.
        other: String,
    },
    /// The matcher could not be built from the patterns (too many or too long).
    #[error("cannot build the matcher: {0}")]
    Automaton(String),
    /// The successor is neither an agency nor a group of the gazetteer.
    #[error("successor `{0}` is not in the gazetteer")]
    UnknownSuccessor(String),
}
