//! Legacy Word 97–2003 (.doc) files, through antiword, which handles the Vietnamese
//! documents of that era and prints UTF-8.

use std::ffi::OsStr;
use std::time::Duration;

use crate::tools::{self, ANTIWORD, ScratchDir};
use crate::{Error, Extracted, Format, Limits, Location, TextBuilder};

pub(crate) fn read(bytes: &[u8], limits: &Limits) -> Result<Extracted, Error> {
    let scratch = ScratchDir::new()?;
    let path = scratch.write("input.doc", bytes)?;
    // -w 0: one line per paragraph, so paragraphs are not broken at an arbitrary width.
    let args = [OsStr::new("-m"), OsStr::new("UTF-8.txt"), OsStr::new("-w"), OsStr::new("0"), path.as_os_str()];
    let out = tools::run(ANTIWORD, &args, Duration::from_secs(limits.tool_timeout_secs), limits.max_text_bytes)?;
    if !out.success {
        let detail = if out.stderr.is_empty() { "antiword không đọc được tệp".to_owned() } else { out.stderr };
        return Err(Error::BadDoc(detail));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut builder = TextBuilder::new(limits.max_text_bytes);
    let mut paragraph = 0;
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        if is_table_line(lines[i]) {
            let start = i;
            while i < lines.len() && is_table_line(lines[i]) {
                i += 1;
            }
            paragraph += 1;
            builder.mark(Location::Paragraph(paragraph));
            push_table(&mut builder, &lines[start..i])?;
            continue;
        }
        if !lines[i].trim().is_empty() {
            paragraph += 1;
            builder.mark(Location::Paragraph(paragraph));
        }
        builder.push(lines[i])?;
        builder.push("\n")?;
        i += 1;
    }
    Ok(builder.finish(Format::Doc))
}

/// antiword draws a table as lines framed by `|`, one line per wrapped line of the row.
fn is_table_line(line: &str) -> bool {
    let t = line.trim();
    t.len() > 1 && t.starts_with('|') && t.ends_with('|')
}

fn cells(line: &str) -> Vec<&str> {
    let t = line.trim();
    t[1..t.len() - 1].split('|').map(str::trim).collect()
}

/// A two-column table is the header or signature layout (issuer | motto, Nơi nhận | signer):
/// it is read column by column, as a person reads it, so the two blocks do not interleave.
/// Wider tables are data (task tables, member lists): one line per drawn line, cells separated
/// by a tab, the convention the DOCX reader uses too.
fn push_table(builder: &mut TextBuilder, lines: &[&str]) -> Result<(), Error> {
    let rows: Vec<Vec<&str>> = lines.iter().map(|l| cells(l)).collect();
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    if columns == 2 {
        for column in 0..2 {
            for row in &rows {
                if let Some(cell) = row.get(column).filter(|c| !c.is_empty()) {
                    builder.push(cell)?;
                    builder.push("\n")?;
                }
            }
        }
    } else {
        for row in &rows {
            if row.iter().all(|c| c.is_empty()) {
                continue;
            }
            builder.push(&row.join("\t"))?;
            builder.push("\n")?;
        }
    }
    Ok(())
}
