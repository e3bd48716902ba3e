//! Recognising the document type line of a header (`QUYẾT ĐỊNH`, `HƯỚNG DẪN LIÊN NGÀNH`).
//! The table of kinds itself belongs to `legal_ref::kinds`, shared with the citation finder.

use std::sync::LazyLock;

use legal_ref::kinds::KINDS;

pub(crate) use legal_ref::kinds::kind_of_symbol;

/// The kind named by a header type line, compared folded so OCR's tone-mark slips
/// (`CHÍ THỊ`) still match. The line must be in capitals: "Quyết định" in running text is not
/// a type line.
pub(crate) fn kind_of_type_line(line: &str) -> Option<&'static str> {
    let t = line.trim().trim_end_matches([':', '.']).trim();
    if t.is_empty() || !crate::layout::is_upper(t) || t.chars().count() > 40 {
        return None;
    }
    // The kind names folded once, not at every line of every header.
    static NAMES: LazyLock<Vec<String>> =
        LazyLock::new(|| KINDS.iter().map(|k| vn_text::fold(k.name)).collect());
    let folded = vn_text::fold(t);
    KINDS.iter().zip(NAMES.iter()).find_map(|(k, name)| {
        let rest = folded.strip_prefix(name.as_str())?;
        (rest.is_empty() || QUALIFIERS.contains(&rest.trim())).then_some(k.code)
    })
}

/// Words that may follow a type name on its line without changing the kind.
const QUALIFIERS: &[&str] = &["lien nganh", "lien tich", "ket luan", "khan", "hoa toc"];
