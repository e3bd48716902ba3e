//! Reads the comma-separated data files nhiemvu ships (`holidays.csv`, `agencies.csv`,
//! `groups.csv`, `reorganisations-quang-ngai.csv`), which administrators edit by hand:
//!
//! - a line starting with `#` is a comment, and a line of nothing but white space is blank;
//!   both are skipped wherever they are;
//! - the first other line is the header, every later one a record;
//! - fields are separated by commas; a field that holds a comma is put in double quotes, and
//!   `""` inside quotes is one quote (RFC 4180). A quote elsewhere in a field is an ordinary
//!   character, so hand-written text such as `5" screen` reads as written;
//! - a record is one line: a quoted field cannot hold a line break, so a missing closing quote
//!   is reported on its own line instead of swallowing the rest of the file;
//! - lines may end in CRLF, as files saved by spreadsheet programs on Windows do.
//!
//! The reader only splits text: it neither trims fields nor checks them against the header,
//! because the callers differ there (a column count, a header to compare) and report it in their
//! own errors. A row keeps its 1-based line number for those errors.
//!
//! ```
//! let table = data_file::read("# Cơ quan\nname,note\n\"Sở Tài chính, tỉnh\",\n").unwrap();
//! assert_eq!(table.header.unwrap().fields, ["name", "note"]);
//! assert_eq!(table.rows[0].line, 3);
//! assert_eq!(table.rows[0].fields, ["Sở Tài chính, tỉnh", ""]);
//! ```
#![warn(missing_docs)]

/// A file's header and records, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The header line; `None` when the file has no line but comments and blank ones.
    pub header: Option<Row>,
    /// The records after the header.
    pub rows: Vec<Row>,
}

/// One line of fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The 1-based line number in the file, for error messages.
    pub line: usize,
    /// The fields, unquoted, as many as the line has (a trailing comma gives a last empty one).
    pub fields: Vec<String>,
}

/// A line that cannot be read as fields.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("dòng {line}: {kind}")]
pub struct Error {
    line: usize,
    kind: ErrorKind,
}

impl Error {
    /// The 1-based line number of the offending line.
    pub fn line(&self) -> usize {
        self.line
    }

    /// What is wrong, without the line number, for callers that report the line themselves.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }
}

/// What is wrong with a line. The messages are Vietnamese because the administrators who edit
/// the files read them.
///
/// Not `#[non_exhaustive]` on purpose: callers map each kind to their own error type, and a new
/// kind should make them decide how to report it rather than fall into a catch-all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ErrorKind {
    /// A quoted field is not closed before the end of its line.
    #[error("thiếu dấu ngoặc kép đóng")]
    UnclosedQuote,
}

/// Reads `text`: skips comment and blank lines, takes the first other line as the header and
/// every later one as a record.
///
/// # Errors
/// [`ErrorKind::UnclosedQuote`] for the first line, header or record, with a quoted field left
/// open.
pub fn read(text: &str) -> Result<Table, Error> {
    let mut header = None;
    let mut rows = Vec::new();
    for (index, line) in text.lines().enumerate() {
        // `lines` drops the `\r` of a CRLF but not a lone one at the end of the text.
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let row = Row {
            line: index + 1,
            fields: split(line).ok_or(Error {
                line: index + 1,
                kind: ErrorKind::UnclosedQuote,
            })?,
        };
        if header.is_none() {
            header = Some(row);
        } else {
            rows.push(row);
        }
    }
    Ok(Table { header, rows })
}

/// Splits one line into fields; `None` when a quoted field is not closed.
fn split(line: &str) -> Option<Vec<String>> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            // A quote opens a quoted field only at the field's start; see the module notes.
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => fields.push(std::mem::take(&mut field)),
            (_, c) => field.push(c),
        }
    }
    if quoted {
        return None;
    }
    fields.push(field);
    Some(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(line: &str) -> Vec<String> {
        let table = read(&format!("h\n{line}\n")).unwrap();
        table.rows[0].fields.clone()
    }

    #[test]
    fn quoted_fields_keep_commas_and_quotes() {
        assert_eq!(
            fields(r#"a,"b, c",,"say ""hi""""#),
            ["a", "b, c", "", r#"say "hi""#]
        );
        assert_eq!(fields(r#""""#), [""]);
        assert_eq!(fields(r#""""""#), [r#"""#]);
    }

    #[test]
    fn quotes_inside_a_field_are_ordinary() {
        assert_eq!(fields(r#"5" screen,a"b""#), [r#"5" screen"#, r#"a"b""#]);
    }

    #[test]
    fn trailing_comma_gives_an_empty_field_and_nothing_is_trimmed() {
        assert_eq!(fields(" a , b,"), [" a ", " b", ""]);
    }

    #[test]
    fn comments_and_blank_lines_are_skipped_with_their_line_numbers_kept() {
        let text = "# comment, with comma\n\n  \nname,kind\n# another\nx,y\n\n\"a, b\",z\n";
        let table = read(text).unwrap();
        let header = table.header.unwrap();
        assert_eq!(
            (header.line, header.fields),
            (4, vec!["name".into(), "kind".into()])
        );
        let rows: Vec<_> = table
            .rows
            .iter()
            .map(|r| (r.line, r.fields.clone()))
            .collect();
        assert_eq!(
            rows,
            [
                (6, vec!["x".to_owned(), "y".to_owned()]),
                (8, vec!["a, b".to_owned(), "z".to_owned()])
            ]
        );
    }

    #[test]
    fn crlf_line_ends_are_tolerated() {
        let table = read("a,b\r\n\"x, y\",z\r\n\r\n1,2\r").unwrap();
        assert_eq!(table.header.unwrap().fields, ["a", "b"]);
        assert_eq!(table.rows[0].fields, ["x, y", "z"]);
        assert_eq!(
            (table.rows[1].line, &table.rows[1].fields[..]),
            (4, &["1".to_owned(), "2".to_owned()][..])
        );
    }

    #[test]
    fn an_unclosed_quote_names_its_line() {
        let err = read("# c\na,b\n1,2\n\"open,3\n4,\"5\"\n").unwrap_err();
        assert_eq!((err.line(), err.kind()), (4, &ErrorKind::UnclosedQuote));
        assert_eq!(err.to_string(), "dòng 4: thiếu dấu ngoặc kép đóng");
        // The header is read the same way.
        assert_eq!(read("\"a,b\n").unwrap_err().line(), 1);
    }

    #[test]
    fn a_file_of_comments_has_no_header() {
        assert_eq!(
            read("# only\n\n").unwrap(),
            Table {
                header: None,
                rows: Vec::new()
            }
        );
        assert_eq!(read("").unwrap().header, None);
    }
}
