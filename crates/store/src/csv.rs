//! The comma-separated data files shipped with the crate and the gazetteer: `#` comment lines,
//! one header line, then one record per line; a field containing a comma is quoted, `""` inside
//! quotes is a quote.

/// The records after the header, each with its 1-based line number.
pub(crate) fn records(text: &str) -> Result<Vec<(usize, Vec<String>)>, String> {
    let mut out = Vec::new();
    let mut header_seen = false;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if !header_seen {
            header_seen = true;
            continue;
        }
        out.push((
            n + 1,
            fields(line).map_err(|e| format!("dòng {}: {e}", n + 1))?,
        ));
    }
    Ok(out)
}

fn fields(line: &str) -> Result<Vec<String>, &'static str> {
    let mut out = Vec::new();
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
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => out.push(std::mem::take(&mut field)),
            (_, c) => field.push(c),
        }
    }
    if quoted {
        return Err("thiếu dấu ngoặc kép đóng");
    }
    out.push(field);
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn quoted_fields_keep_commas_and_quotes() {
        let text = "# comment\na,b\n\"x, y\",\"say \"\"hi\"\"\",\n";
        let rows = super::records(text).unwrap();
        assert_eq!(
            rows,
            vec![(
                3,
                vec!["x, y".to_owned(), "say \"hi\"".to_owned(), String::new()]
            )]
        );
        assert!(super::records("h\n\"open\n").is_err());
    }
}
