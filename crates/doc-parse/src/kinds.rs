//! Document kinds of Decree 30/2020/NĐ-CP (art. 7, Appendix III) and the legal normative
//! types, with the type names printed in headers and the abbreviations used in symbols.

/// One kind: contract code, the type name as printed (capitals, new-style tones), and the
/// abbreviation in symbols (`QĐ` in `1537/QĐ-UBND`), if it has one.
pub(crate) struct Kind {
    pub code: &'static str,
    pub name: &'static str,
    pub abbreviation: Option<&'static str>,
}

const fn kind(code: &'static str, name: &'static str, abbreviation: Option<&'static str>) -> Kind {
    Kind { code, name, abbreviation }
}

/// Longer names first where one name starts with another (`THÔNG TƯ LIÊN TỊCH` before
/// `THÔNG TƯ`), so the first match is the right one.
pub(crate) const KINDS: &[Kind] = &[
    kind("nghi_quyet", "NGHỊ QUYẾT", Some("NQ")),
    kind("quyet_dinh", "QUYẾT ĐỊNH", Some("QĐ")),
    kind("chi_thi", "CHỈ THỊ", Some("CT")),
    kind("quy_che", "QUY CHẾ", Some("QC")),
    kind("quy_dinh", "QUY ĐỊNH", Some("QyĐ")),
    kind("thong_cao", "THÔNG CÁO", Some("TC")),
    kind("thong_bao", "THÔNG BÁO", Some("TB")),
    kind("huong_dan", "HƯỚNG DẪN", Some("HD")),
    kind("chuong_trinh", "CHƯƠNG TRÌNH", Some("CTr")),
    kind("ke_hoach", "KẾ HOẠCH", Some("KH")),
    kind("phuong_an", "PHƯƠNG ÁN", Some("PA")),
    kind("de_an", "ĐỀ ÁN", Some("ĐA")),
    kind("du_an", "DỰ ÁN", Some("DA")),
    kind("bao_cao", "BÁO CÁO", Some("BC")),
    kind("bien_ban", "BIÊN BẢN", Some("BB")),
    kind("to_trinh", "TỜ TRÌNH", Some("TTr")),
    kind("hop_dong", "HỢP ĐỒNG", Some("HĐ")),
    kind("cong_dien", "CÔNG ĐIỆN", Some("CĐ")),
    kind("ban_ghi_nho", "BẢN GHI NHỚ", Some("BGN")),
    kind("ban_thoa_thuan", "BẢN THỎA THUẬN", Some("BTT")),
    kind("giay_uy_quyen", "GIẤY ỦY QUYỀN", Some("GUQ")),
    kind("giay_moi", "GIẤY MỜI", Some("GM")),
    kind("giay_gioi_thieu", "GIẤY GIỚI THIỆU", Some("GGT")),
    kind("giay_nghi_phep", "GIẤY NGHỈ PHÉP", Some("GNP")),
    kind("giay_phep", "GIẤY PHÉP", Some("GP")),
    kind("phieu_gui", "PHIẾU GỬI", Some("PG")),
    kind("phieu_chuyen", "PHIẾU CHUYỂN", Some("PC")),
    kind("phieu_bao", "PHIẾU BÁO", Some("PB")),
    kind("thu_cong", "THƯ CÔNG", None),
    kind("bo_luat", "BỘ LUẬT", None),
    kind("luat", "LUẬT", None),
    kind("nghi_dinh", "NGHỊ ĐỊNH", Some("NĐ")),
    kind("thong_tu_lien_tich", "THÔNG TƯ LIÊN TỊCH", Some("TTLT")),
    kind("thong_tu", "THÔNG TƯ", Some("TT")),
    kind("phap_lenh", "PHÁP LỆNH", Some("PL")),
    kind("hien_phap", "HIẾN PHÁP", None),
    kind("cong_van", "CÔNG VĂN", None),
    // A form several provincial offices use internally; not a Decree 30 type.
    kind("khac", "PHIẾU TRÌNH", Some("PT")),
];

/// The kind named by a header type line (`QUYẾT ĐỊNH`, `HƯỚNG DẪN LIÊN NGÀNH`), compared
/// folded so OCR's tone-mark slips (`CHÍ THỊ`) still match. The line must be in capitals:
/// "Quyết định" in running text is not a type line.
pub(crate) fn kind_of_type_line(line: &str) -> Option<&'static str> {
    let t = line.trim().trim_end_matches([':', '.']).trim();
    if t.is_empty() || t != t.to_uppercase() || t.chars().count() > 40 {
        return None;
    }
    let folded = vn_text::fold(t);
    KINDS.iter().find_map(|k| {
        let name = vn_text::fold(k.name);
        let rest = folded.strip_prefix(name.as_str())?;
        (rest.is_empty() || QUALIFIERS.contains(&rest.trim())).then_some(k.code)
    })
}

/// Words that may follow a type name on its line without changing the kind.
const QUALIFIERS: &[&str] = &["lien nganh", "lien tich", "ket luan", "khan", "hoa toc"];

/// The kind whose abbreviation starts a symbol (`QĐ-UBND` → `quyet_dinh`).
pub(crate) fn kind_of_symbol(symbol: &str) -> Option<&'static str> {
    let head = symbol.split('-').next()?;
    KINDS.iter().find(|k| k.abbreviation.is_some_and(|a| a.eq_ignore_ascii_case(head) || a == head)).map(|k| k.code)
}
