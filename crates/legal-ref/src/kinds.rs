//! The data table that drives the finder: document kinds of Decree 30/2020/NĐ-CP (art. 7,
//! Appendix III), the legal normative kinds, the words that introduce a citation in running
//! text, the issuer codes whose meaning is unambiguous, and law names that the generic name
//! reader would cut short.
//!
//! Everything the finder recognises comes from here, the way eyecite generates its patterns
//! from its reporter tables: adding a row is enough to make a new form findable (and the
//! property tests generate their citations from these same rows).

/// One kind: contract code, the type name as printed in headers (capitals, new-style tones),
/// the name as written in running text, and the abbreviation used in symbols (`QĐ` in
/// `1537/QĐ-UBND`), if it has one.
#[derive(Debug)]
pub struct Kind {
    /// Contract kind code (`nghi_quyet`).
    pub code: &'static str,
    /// Type name as printed in a header (`NGHỊ QUYẾT`).
    pub name: &'static str,
    /// The name in running text, sentence case (`Nghị quyết`).
    pub title: &'static str,
    /// Abbreviation in symbols (`NQ`), if the kind has one.
    pub abbreviation: Option<&'static str>,
}

const fn kind(code: &'static str, name: &'static str, title: &'static str, abbreviation: Option<&'static str>) -> Kind {
    Kind { code, name, title, abbreviation }
}

/// Longer names first where one name starts with another (`THÔNG TƯ LIÊN TỊCH` before
/// `THÔNG TƯ`), so the first match is the right one.
pub const KINDS: &[Kind] = &[
    kind("nghi_quyet", "NGHỊ QUYẾT", "Nghị quyết", Some("NQ")),
    kind("quyet_dinh", "QUYẾT ĐỊNH", "Quyết định", Some("QĐ")),
    kind("chi_thi", "CHỈ THỊ", "Chỉ thị", Some("CT")),
    kind("quy_che", "QUY CHẾ", "Quy chế", Some("QC")),
    kind("quy_dinh", "QUY ĐỊNH", "Quy định", Some("QyĐ")),
    kind("thong_cao", "THÔNG CÁO", "Thông cáo", Some("TC")),
    kind("thong_bao", "THÔNG BÁO", "Thông báo", Some("TB")),
    kind("huong_dan", "HƯỚNG DẪN", "Hướng dẫn", Some("HD")),
    kind("chuong_trinh", "CHƯƠNG TRÌNH", "Chương trình", Some("CTr")),
    kind("ke_hoach", "KẾ HOẠCH", "Kế hoạch", Some("KH")),
    kind("phuong_an", "PHƯƠNG ÁN", "Phương án", Some("PA")),
    kind("de_an", "ĐỀ ÁN", "Đề án", Some("ĐA")),
    kind("du_an", "DỰ ÁN", "Dự án", Some("DA")),
    kind("bao_cao", "BÁO CÁO", "Báo cáo", Some("BC")),
    kind("bien_ban", "BIÊN BẢN", "Biên bản", Some("BB")),
    kind("to_trinh", "TỜ TRÌNH", "Tờ trình", Some("TTr")),
    kind("hop_dong", "HỢP ĐỒNG", "Hợp đồng", Some("HĐ")),
    kind("cong_dien", "CÔNG ĐIỆN", "Công điện", Some("CĐ")),
    kind("ban_ghi_nho", "BẢN GHI NHỚ", "Bản ghi nhớ", Some("BGN")),
    kind("ban_thoa_thuan", "BẢN THỎA THUẬN", "Bản thỏa thuận", Some("BTT")),
    kind("giay_uy_quyen", "GIẤY ỦY QUYỀN", "Giấy ủy quyền", Some("GUQ")),
    kind("giay_moi", "GIẤY MỜI", "Giấy mời", Some("GM")),
    kind("giay_gioi_thieu", "GIẤY GIỚI THIỆU", "Giấy giới thiệu", Some("GGT")),
    kind("giay_nghi_phep", "GIẤY NGHỈ PHÉP", "Giấy nghỉ phép", Some("GNP")),
    kind("giay_phep", "GIẤY PHÉP", "Giấy phép", Some("GP")),
    kind("phieu_gui", "PHIẾU GỬI", "Phiếu gửi", Some("PG")),
    kind("phieu_chuyen", "PHIẾU CHUYỂN", "Phiếu chuyển", Some("PC")),
    kind("phieu_bao", "PHIẾU BÁO", "Phiếu báo", Some("PB")),
    kind("thu_cong", "THƯ CÔNG", "Thư công", None),
    kind("bo_luat", "BỘ LUẬT", "Bộ luật", None),
    kind("luat", "LUẬT", "Luật", None),
    kind("nghi_dinh", "NGHỊ ĐỊNH", "Nghị định", Some("NĐ")),
    kind("thong_tu_lien_tich", "THÔNG TƯ LIÊN TỊCH", "Thông tư liên tịch", Some("TTLT")),
    kind("thong_tu", "THÔNG TƯ", "Thông tư", Some("TT")),
    kind("phap_lenh", "PHÁP LỆNH", "Pháp lệnh", Some("PL")),
    kind("hien_phap", "HIẾN PHÁP", "Hiến pháp", None),
    kind("cong_van", "CÔNG VĂN", "Công văn", None),
    // A form several provincial offices use internally; not a Decree 30 type.
    kind("khac", "PHIẾU TRÌNH", "Phiếu trình", Some("PT")),
];

/// Words that introduce a numbered citation without being a kind of their own, and the kind
/// they stand for: `None` means "read the kind from the symbol, else công văn" (`Văn bản số
/// 01/GM-HTCS` is a giấy mời, `Văn bản số 16/CGC.BT` a công văn).
pub const GENERIC_WORDS: &[(&str, Option<&str>)] = &[
    ("Văn bản", None),
    // Party conclusions (`Kết luận số 132-KL/TW`) have no contract kind.
    ("Kết luận", Some("khac")),
    ("Giấy đề nghị", Some("khac")),
];

/// Type abbreviations used by Party documents (`57-NQ/TW`, `205-QĐ/TW`, `132-KL/TW`) that
/// differ from, or are missing in, the state table. In a Party symbol `QĐ` is a quy định.
pub const PARTY_ABBREVIATIONS: &[(&str, &str)] = &[
    ("NQ", "nghi_quyet"),
    ("CT", "chi_thi"),
    ("QĐ", "quy_dinh"),
    ("KL", "khac"),
    ("KH", "ke_hoach"),
    ("HD", "huong_dan"),
    ("TB", "thong_bao"),
    ("CV", "cong_van"),
];

/// Issuer codes that name exactly one body wherever they appear as the last part of a
/// symbol, so the issuer may be inferred when the text does not say "của …". `QH` is
/// followed by the legislature's number (`QH14`). Codes such as `UBND`, `HĐND` or `TW`
/// are not here: which province's committee, or which Party body, cannot be told from them.
pub const ISSUER_CODES: &[(&str, &str)] = &[
    ("CP", "Chính phủ"),
    ("TTg", "Thủ tướng Chính phủ"),
    ("UBTVQH", "Ủy ban Thường vụ Quốc hội"),
    ("QH", "Quốc hội"),
];

/// Abbreviations expanded in issuer names ("của UBND tỉnh" → "Ủy ban nhân dân tỉnh").
pub const ISSUER_EXPANSIONS: &[(&str, &str)] = &[
    ("UBND", "Ủy ban nhân dân"),
    ("HĐND", "Hội đồng nhân dân"),
    ("BTV", "Ban Thường vụ"),
];

/// Law names containing commas or "và" before a lower-case word, which the generic name
/// reader (which stops there) would cut short. Compared folded.
pub const LAW_NAMES: &[&str] = &[
    "Luật Phòng cháy, chữa cháy và cứu nạn, cứu hộ",
    "Luật Quản lý, sử dụng vũ khí, vật liệu nổ và công cụ hỗ trợ",
    // The shortened name some documents write.
    "Luật Quản lý, sử dụng vũ khí, vật liệu nổ",
    "Luật Phòng, chống tham nhũng",
    "Luật Phòng, chống ma túy",
    "Luật Phòng, chống tác hại của rượu, bia",
    "Luật Phòng, chống thiên tai",
    "Luật Phòng, chống bạo lực gia đình",
    "Luật Phòng, chống rửa tiền",
    "Luật Phòng, chống mua bán người",
    "Luật Phòng, chống tác hại của thuốc lá",
    "Luật Bảo vệ và phát triển rừng",
    "Luật Thuế thu nhập doanh nghiệp",
];

/// The kind whose abbreviation starts a state symbol (`QĐ-UBND` → `quyet_dinh`).
pub fn kind_of_symbol(symbol: &str) -> Option<&'static str> {
    let head = symbol.split(['-', '/']).next()?;
    KINDS.iter().find(|k| k.abbreviation == Some(head)).map(|k| k.code)
}

/// The kind of a Party symbol (`NQ/TW` → `nghi_quyet`, `QĐ/TW` → `quy_dinh`).
pub fn kind_of_party_symbol(symbol: &str) -> Option<&'static str> {
    let head = symbol.split('/').next()?;
    PARTY_ABBREVIATIONS.iter().find(|(a, _)| *a == head).map(|(_, k)| *k)
}

/// The issuer named by the last part of a symbol, when [`ISSUER_CODES`] says it is
/// unambiguous (`NĐ-CP` → Chính phủ, `QH14` → Quốc hội).
pub fn issuer_of_symbol(symbol: &str) -> Option<&'static str> {
    let last = symbol.rsplit(['-', '/']).next()?;
    ISSUER_CODES.iter().find_map(|&(code, name)| {
        let rest = last.strip_prefix(code)?;
        let numbered = code.starts_with("QH") || code.ends_with("QH");
        (rest.is_empty() || (numbered && rest.bytes().all(|b| b.is_ascii_digit()))).then_some(name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_name_kinds_and_issuers() {
        assert_eq!(kind_of_symbol("QĐ-UBND"), Some("quyet_dinh"));
        assert_eq!(kind_of_symbol("UBND-KTTH"), None);
        assert_eq!(kind_of_party_symbol("QĐ/TW"), Some("quy_dinh"));
        assert_eq!(issuer_of_symbol("NĐ-CP"), Some("Chính phủ"));
        assert_eq!(issuer_of_symbol("CT-TTg"), Some("Thủ tướng Chính phủ"));
        assert_eq!(issuer_of_symbol("QH14"), Some("Quốc hội"));
        assert_eq!(issuer_of_symbol("NQ-UBTVQH15"), Some("Ủy ban Thường vụ Quốc hội"));
        assert_eq!(issuer_of_symbol("QĐ-UBND"), None);
        assert_eq!(issuer_of_symbol("NQ-CPX"), None);
    }
}
