//! Property tests: citations generated from the data table and embedded in random
//! Vietnamese text are found with the right span; text without citations yields none; no
//! input makes the finder panic; both scans agree.

use legal_ref::kinds::KINDS;
use legal_ref::{Scan, find, find_with};
use proptest::prelude::*;

/// Filler words that are neither kind words nor "Luật", "số" or numbers.
const FILLER: &[&str] = &[
    "thực", "hiện", "các", "nhiệm", "vụ", "tỉnh", "Quảng", "Ngãi", "phát", "triển", "kinh", "tế", "vùng",
    "đồng", "bộ", "hiệu", "quả", "Sở", "Tài", "chính", "huyện", "xã", "tổ", "chức", "tuyên", "truyền", "nâng",
    "cao", "nhận", "thức", "đầu", "tư", "công", "nghiệp", "du", "lịch", "giai", "đoạn", "trọng", "điểm", "và",
];

fn filler() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FILLER), 0..12).prop_map(|w| w.join(" "))
}

/// A full citation from a table row: kind word, number, optional year, symbol, optional
/// date and issuer, and the code it must be read as.
fn citation() -> impl Strategy<Value = (String, String, &'static str)> {
    let kinds: Vec<_> = KINDS.iter().filter(|k| k.abbreviation.is_some() && k.code != "khac").collect();
    (
        prop::sample::select(kinds),
        1u32..3000,
        prop::option::of(2000i32..2030),
        prop::sample::select(vec!["UBND", "CP", "TTg", "BXD", "SCT-CN", "UBND-KTTH"]),
        prop::option::of((1u32..29, 1u32..13, 2000i32..2030)),
        any::<bool>(),
    )
        .prop_map(|(k, n, year, issuer, date, so)| {
            let abbr = k.abbreviation.unwrap_or_default();
            let code = match year {
                Some(y) => format!("{n}/{y}/{abbr}-{issuer}"),
                None => format!("{n}/{abbr}-{issuer}"),
            };
            let mut text = format!("{} {}{code}", k.title, if so { "số " } else { "" });
            if let Some((d, m, y)) = date {
                text.push_str(&format!(" ngày {d}/{m}/{y}"));
            }
            (text, code, k.code)
        })
}

proptest! {
    #[test]
    fn generated_citations_are_found_with_their_span(before in filler(), (cite, code, kind) in citation(), after in filler()) {
        let text = format!("{before} {cite}; {after}");
        let found = find(&text);
        prop_assert_eq!(found.len(), 1, "{:?}", found);
        let c = &found[0];
        prop_assert_eq!(&c.code, &code);
        prop_assert_eq!(c.kind, Some(kind));
        prop_assert_eq!(&text[c.span.clone()], cite.as_str());
    }

    #[test]
    fn text_without_citations_yields_none(words in filler(), n in 0u32..100) {
        let text = format!("{words} {n} {words}.");
        prop_assert!(find(&text).is_empty());
    }

    #[test]
    fn any_input_is_safe_and_both_scans_agree(bytes in prop::collection::vec(any::<u8>(), 0..300), seed in prop::sample::select(vec![
        "Nghị quyết số ", "số 12/", "Luật ", "/QĐ-", "-NQ/", "Công\nvăn ", "Số: ", " ngày 3", " của ", "này", ", Thể", "\n",
    ])) {
        let text = format!("{seed}{}{seed}", String::from_utf8_lossy(&bytes));
        let found = find(&text);
        for c in &found {
            prop_assert!(text.get(c.span.clone()).is_some());
        }
        prop_assert_eq!(find_with(&text, Scan::Exhaustive), found.clone());
        let _ = legal_ref::annotate(&text, &found);
    }
}
