//! Behaviour a reviewer would name: every written form of the issue, the model case, short
//! forms, annotation and linking.

use legal_ref::{Citation, DocumentRef, Form, MemoryRegistry, Scan, annotate, find, find_with, link};

fn one(text: &str) -> Citation {
    let found = find(text);
    assert_eq!(found.len(), 1, "{text:?} → {found:#?}");
    found.into_iter().next().unwrap()
}

fn date(c: &Citation) -> Option<String> {
    c.date.map(|d| d.to_string())
}

#[test]
fn full_citation_with_date_and_issuer() {
    let text = "Thực hiện Nghị quyết số 57/NQ-CP ngày 21/4/2022 của Chính phủ về các nhiệm vụ";
    let c = one(text);
    assert_eq!(c.code, "57/NQ-CP");
    assert_eq!((c.kind, c.number.as_deref(), c.symbol.as_deref(), c.year), (Some("nghi_quyet"), Some("57"), Some("NQ-CP"), Some(2022)));
    assert_eq!(date(&c).as_deref(), Some("2022-04-21"));
    assert_eq!(c.issuer.as_deref(), Some("Chính phủ"));
    assert_eq!(c.text, "Nghị quyết số 57/NQ-CP ngày 21/4/2022 của Chính phủ");
    assert_eq!(&text[c.span.clone()], c.text);
    assert_eq!(c.form, Form::Full);
}

#[test]
fn ubnd_tinh_after_the_code_names_the_issuer() {
    let c = one("bằng Quyết định số 1537/QĐ-UBND tỉnh ngày 08/10/2020*)");
    assert_eq!(c.code, "1537/QĐ-UBND");
    assert_eq!(c.issuer.as_deref(), Some("Ủy ban nhân dân tỉnh"));
    assert_eq!(date(&c).as_deref(), Some("2020-10-08"));
}

#[test]
fn legal_normative_codes_carry_the_year() {
    let c = one("theo Nghị định số 107/2021/NĐ-CP.");
    assert_eq!((c.code.as_str(), c.year, c.kind), ("107/2021/NĐ-CP", Some(2021), Some("nghi_dinh")));
    assert_eq!(c.issuer.as_deref(), Some("Chính phủ"), "inferred from CP");
    let c = one("Luật số 21/2017/QH14 của Quốc hội");
    assert_eq!((c.code.as_str(), c.kind, c.issuer.as_deref()), ("21/2017/QH14", Some("luat"), Some("Quốc hội")));
}

#[test]
fn without_so_and_inferred_issuer() {
    let c = one("và Chỉ thị 27/CT-TTg về các giải pháp");
    assert_eq!((c.code.as_str(), c.kind, c.issuer.as_deref()), ("27/CT-TTg", Some("chi_thi"), Some("Thủ tướng Chính phủ")));
}

#[test]
fn laws_by_name() {
    let c = one("phù hợp với Luật Quy hoạch 2017; tham mưu");
    assert_eq!((c.code.as_str(), c.kind, c.number, c.symbol, c.year, c.form), ("Luật Quy hoạch 2017", Some("luat"), None, None, Some(2017), Form::Name));
    assert_eq!(one("theo Luật Đất đai năm 2024.").code, "Luật Đất đai năm 2024");
    let c = one("theo Bộ luật Lao động, người lao động");
    assert_eq!((c.code.as_str(), c.kind), ("Bộ luật Lao động", Some("bo_luat")));
    assert!(find("quy định của pháp luật về khiếu nại").is_empty());
}

#[test]
fn joint_circulars_party_documents_and_dispatches() {
    let c = one("Thông tư liên tịch số 12/2015/TTLT-BTC-BNV ngày 03/02/2015");
    assert_eq!((c.code.as_str(), c.kind), ("12/2015/TTLT-BTC-BNV", Some("thong_tu_lien_tich")));
    let c = one("Chỉ thị số 11-CT/TU ngày 04/01/2026 của Ban Thường vụ Tỉnh ủy về");
    assert_eq!((c.code.as_str(), c.kind, c.symbol.as_deref()), ("11-CT/TU", Some("chi_thi"), Some("CT/TU")));
    assert_eq!(c.issuer.as_deref(), Some("Ban Thường vụ Tỉnh ủy"));
    assert_eq!(date(&c).as_deref(), Some("2026-01-04"));
    let c = one("Thực hiện Công điện số 131/CĐ-TTg ngày 11 tháng 12 năm 2024 của Thủ tướng Chính phủ về việc");
    assert_eq!((c.code.as_str(), c.kind, date(&c).as_deref()), ("131/CĐ-TTg", Some("cong_dien"), Some("2024-12-11")));
    assert_eq!(one("Nghị quyết số 57-NQ/TW ngày 22 tháng 12 năm 2024 của Bộ Chính trị").code, "57-NQ/TW");
}

#[test]
fn dates_written_out_line_breaks_and_ocr_spacing() {
    let c = one("chậm nhất theo Kế hoạch số 45/KH-UBND ngày 01 tháng 7 năm 2028");
    assert_eq!(date(&c).as_deref(), Some("2028-07-01"));
    let c = one("Nghị quyết số\n57/NQ-CP ngày 21/4/2022 của Chính\nphủ về");
    assert_eq!((c.code.as_str(), c.issuer.as_deref()), ("57/NQ-CP", Some("Chính phủ")));
    assert_eq!(one("Nghị định số 71/2016/NĐ-\nCP ngày 01/7/2016").code, "71/2016/NĐ-CP");
    assert_eq!(one("Quyết định số 1074/QĐ- BXD ngày 5/3/2020").code, "1074/QĐ-BXD");
    assert_eq!(one("theo Chỉ thị sô 10/CT-\nTTg ngày 22/4/2019").code, "10/CT-TTg");
}

#[test]
fn short_forms_resolve_to_their_full_citation() {
    let text = "Chỉ thị số 11-CT/TU ngày 04/01/2026 của Ban Thường vụ Tỉnh ủy (viết tắt là Chỉ thị 11). \
                Nghị quyết số 57/NQ-CP ngày 21/4/2022. Triển khai Chỉ thị 11 và Nghị quyết nêu trên; Kế hoạch số 45/KH-UBND; Kế hoạch số 45 nói trên.";
    let found = find(text);
    let got: Vec<(&str, Form, Option<&str>)> = found.iter().map(|c| (c.code.as_str(), c.form, c.resolved_from.as_deref())).collect();
    assert_eq!(
        got,
        [
            ("11-CT/TU", Form::Full, None),
            ("11-CT/TU", Form::Short, Some("11-CT/TU")),
            ("57/NQ-CP", Form::Full, None),
            ("11-CT/TU", Form::Short, Some("11-CT/TU")),
            ("57/NQ-CP", Form::Short, Some("57/NQ-CP")),
            ("45/KH-UBND", Form::Full, None),
            ("45/KH-UBND", Form::Short, Some("45/KH-UBND")),
        ]
    );
    assert_eq!(found[1].text, "Chỉ thị 11");
}

#[test]
fn this_document_is_the_header_number() {
    let text = "Số: 08/QĐ-UBND\nQUYẾT ĐỊNH\nCăn cứ Quyết định số 12/QĐ-TTg;\nQuyết định này có hiệu lực kể từ ngày ký.";
    let found = find(text);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!((found[1].code.as_str(), found[1].form), ("08/QĐ-UBND", Form::Short));
    // In a công văn, "Quyết định này" is the decision cited last.
    let text = "Số: 2395/UBND-KTTH\nThực hiện Quyết định số 12/QĐ-TTg; Quyết định này quy định";
    assert_eq!(find(text)[1].code, "12/QĐ-TTg");
    // Nothing to point to: left out.
    assert!(find("Chỉ thị này có hiệu lực").is_empty());
}

#[test]
fn the_header_number_is_not_a_citation() {
    assert!(find("   Số: 11 /TB-UBND       Quảng Ngãi, ngày 08 tháng 01 năm 2025").is_empty());
}

#[test]
fn model_case() {
    let raw = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/2395-UBND-KTTH.txt")).unwrap();
    let text = vn_text::normalize(&raw);
    let found = find(&text);
    let mut distinct: Vec<&Citation> = Vec::new();
    for c in &found {
        if !distinct.iter().any(|d| d.code == c.code) {
            distinct.push(c);
        }
    }
    let got: Vec<(&str, Option<String>, Option<&str>)> = distinct.iter().map(|c| (c.code.as_str(), date(c), c.issuer.as_deref())).collect();
    let s = |x: &'static str| Some(x.to_owned());
    assert_eq!(
        got,
        [
            ("57/NQ-CP", s("2022-04-21"), Some("Chính phủ")),
            ("128/NQ-CP", s("2020-09-11"), Some("Chính phủ")),
            ("1537/QĐ-UBND", s("2020-10-08"), Some("Ủy ban nhân dân tỉnh")),
            ("99/NQ-CP", s("2020-06-24"), Some("Chính phủ")),
            ("27/CT-TTg", s("2019-11-19"), Some("Thủ tướng Chính phủ")),
            ("257/QĐ-UBND", s("2020-04-17"), Some("Ủy ban nhân dân tỉnh")),
            ("Luật Quy hoạch 2017", None, None),
            ("1038/QĐ-UBND", s("2021-07-13"), Some("Ủy ban nhân dân tỉnh")),
            ("1715/QĐ-UBND", s("2021-10-29"), Some("Ủy ban nhân dân tỉnh")),
            ("107/2021/NĐ-CP", s("2021-12-06"), Some("Chính phủ")),
        ]
    );
    for c in &found {
        assert_eq!(&text[c.span.clone()], c.text);
    }
    assert_eq!(find_with(&text, Scan::Exhaustive), found);
}

#[test]
fn annotate_wraps_and_escapes() {
    let text = "<b> Nghị quyết số 57/NQ-CP & \"x\"";
    let html = annotate(text, &find(text));
    assert_eq!(html, "&lt;b&gt; <cite data-code=\"57/NQ-CP\" data-kind=\"nghi_quyet\" data-form=\"full\" data-issuer=\"Chính phủ\">Nghị quyết số 57/NQ-CP</cite> &amp; &quot;x&quot;");
}

#[test]
fn link_uses_code_and_year() {
    let mut registry = MemoryRegistry::new();
    registry.insert(DocumentRef { id: "d1".into(), code: "57/NQ-CP".into(), year: Some(2022) });
    registry.insert(DocumentRef { id: "d2".into(), code: "57/NQ-CP".into(), year: Some(2023) });
    let found = find("Nghị quyết số 57/NQ-CP ngày 21/4/2022; Nghị quyết nêu trên; Quyết định số 1/QĐ-UBND");
    let ids: Vec<Option<String>> = link(&found, &registry).into_iter().map(|d| d.map(|d| d.id)).collect();
    assert_eq!(ids, [Some("d1".to_owned()), Some("d1".to_owned()), None]);
}
