//! The comma-separated data files shipped with the crate and the gazetteer, read by the
//! `data-file` crate.

/// The records after the header, each with its 1-based line number.
pub(crate) fn records(text: &str) -> Result<Vec<(usize, Vec<String>)>, String> {
    let table = data_file::read(text).map_err(|e| e.to_string())?;
    Ok(table.rows.into_iter().map(|r| (r.line, r.fields)).collect())
}
