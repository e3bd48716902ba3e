//! The gazetteer files read by the `data-file` crate (RFC 4180 quoting, `#` comment lines and
//! blank lines skipped), checked against the columns each file must have.

use crate::error::{Error, ErrorKind};

/// One data row and its line (1-based), for error messages.
#[derive(Debug)]
pub(crate) struct Record {
    pub line: usize,
    pub fields: Vec<String>,
}

/// Reads `input`, checks the header against `columns` and returns the data rows, each with
/// exactly `columns.len()` fields (missing trailing fields are empty) and every field trimmed,
/// so that administrators may pad columns with spaces.
pub(crate) fn read(file: &'static str, input: &str, columns: &[&str]) -> Result<Vec<Record>, Error> {
    let table = data_file::read(input).map_err(|e| {
        let kind = match e.kind() {
            data_file::ErrorKind::UnclosedQuote => ErrorKind::UnterminatedQuote,
        };
        Error::new(file, e.line(), kind)
    })?;
    let bad_header = |line| Error::new(file, line, ErrorKind::BadHeader { expected: columns.join(",") });
    let header = table.header.ok_or_else(|| bad_header(1))?;
    if !header.fields.iter().map(|f| f.trim()).eq(columns.iter().copied()) {
        return Err(bad_header(header.line));
    }
    table
        .rows
        .into_iter()
        .map(|r| {
            if r.fields.len() > columns.len() {
                return Err(Error::new(
                    file,
                    r.line,
                    ErrorKind::FieldCount { expected: columns.len(), found: r.fields.len() },
                ));
            }
            let mut fields: Vec<String> = r.fields.iter().map(|f| f.trim().to_owned()).collect();
            fields.resize(columns.len(), String::new());
            Ok(Record { line: r.line, fields })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_comments_and_blank_lines() {
        let input = "# comment, with comma\na,b,c\n\n\"x, y\",\"say \"\"hi\"\"\",z\r\n1,2\n";
        let rows = read("t", input, &["a", "b", "c"]).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].fields, ["x, y", "say \"hi\"", "z"]);
        assert_eq!(rows[0].line, 4);
        assert_eq!(rows[1].fields, ["1", "2", ""]);
    }

    #[test]
    fn errors() {
        assert!(matches!(
            read("t", "a,b\n\"open,1\n", &["a", "b"]).unwrap_err().kind(),
            ErrorKind::UnterminatedQuote
        ));
        assert!(matches!(read("t", "x,y\n", &["a", "b"]).unwrap_err().kind(), ErrorKind::BadHeader { .. }));
        assert!(matches!(read("t", "a,b\n1,2,3\n", &["a", "b"]).unwrap_err().kind(), ErrorKind::FieldCount { .. }));
        assert!(matches!(read("t", "", &["a"]).unwrap_err().kind(), ErrorKind::BadHeader { .. }));
    }
}
