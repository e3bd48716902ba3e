//! XLSX task sheets (`ingest::read_sheet`, `read_named_sheet`, `looks_like_workbook`): the
//! same bounded zip reader as DOCX, shared strings, cell references and inline strings.
use ingest::Limits;

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let _ = ingest::looks_like_workbook(data);
        if !data.starts_with(b"PK\x03\x04") {
            return;
        }
        let limits = Limits {
            max_expanded_bytes: 16 << 20,
            ..Limits::default()
        };
        if let Ok(sheet) = ingest::read_sheet(data, &limits) {
            let _ = ingest::read_named_sheet(data, &sheet.name, &limits);
        }
    });
}
