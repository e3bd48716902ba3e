//! A small CSV reader for the gazetteer files: RFC 4180 quoting (`"a, b"`, `""` for a quote),
//! `#` comment lines and blank lines skipped. Written by hand because the two files are small and
//! a CSV dependency would be the only one the matcher needs at run time besides Aho-Corasick.

use crate::error::{Error, ErrorKind};

/// One data row and the line it starts on (1-based), for error messages.
#[derive(Debug)]
pub(crate) struct Record {
    pub line: usize,
    pub fields: Vec<String>,
}

/// Reads `input`, checks the header against `columns` and returns the data rows, each with
/// exactly `columns.len()` fields (missing trailing fields are empty).
pub(crate) fn read(file: &'static str, input: &str, columns: &[&str]) -> Result<Vec<Record>, Error> {
    let mut rows = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut line = 1;
    let mut row_line = 1;
    let mut at_row_start = true;
    let mut in_quotes = false;
    let mut quoted_field = false;
    let mut chars = input.chars().peekable();
    let mut skipping_comment = false;
    while let Some(c) = chars.next() {
        if skipping_comment {
            if c == '\n' {
                skipping_comment = false;
                line += 1;
            }
            continue;
        }
        if at_row_start {
            row_line = line;
            if c == '#' {
                skipping_comment = true;
                continue;
            }
            if c == '\n' || c == '\r' {
                if c == '\n' {
                    line += 1;
                }
                continue;
            }
            at_row_start = false;
        }
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                '\n' => {
                    line += 1;
                    field.push('\n');
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() && !quoted_field => {
                in_quotes = true;
                quoted_field = true;
            }
            ',' => {
                fields.push(std::mem::take(&mut field));
                quoted_field = false;
            }
            '\r' => {}
            '\n' => {
                fields.push(std::mem::take(&mut field));
                quoted_field = false;
                rows.push(Record { line: row_line, fields: std::mem::take(&mut fields) });
                at_row_start = true;
                line += 1;
            }
            _ => field.push(c),
        }
    }
    if in_quotes {
        return Err(Error::new(file, row_line, ErrorKind::UnterminatedQuote));
    }
    if !at_row_start {
        fields.push(field);
        rows.push(Record { line: row_line, fields });
    }
    let mut rows = rows.into_iter();
    let Some(header) = rows.next() else {
        return Err(Error::new(file, 1, ErrorKind::BadHeader { expected: columns.join(",") }));
    };
    let names: Vec<&str> = header.fields.iter().map(|f| f.trim()).collect();
    if names != columns {
        return Err(Error::new(file, header.line, ErrorKind::BadHeader { expected: columns.join(",") }));
    }
    rows.map(|mut r| {
        if r.fields.len() > columns.len() {
            return Err(Error::new(
                file,
                r.line,
                ErrorKind::FieldCount { expected: columns.len(), found: r.fields.len() },
            ));
        }
        r.fields.resize(columns.len(), String::new());
        for f in &mut r.fields {
            let t = f.trim();
            if t.len() != f.len() {
                *f = t.to_string();
            }
        }
        Ok(r)
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
