//! The parser meets text nobody wrote for it: OCR noise, cut files, stray bytes read as
//! text. Whatever comes in, it returns a document (with nulls and warnings) and never
//! panics, and every span it reports lies inside the text on character boundaries.

use proptest::prelude::*;

fn model_case() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/2395-UBND-KTTH.txt");
    vn_text::normalize(&std::fs::read_to_string(path).unwrap())
}

fn check(text: &str) {
    let source = doc_parse::SourceInfo { file: "x.txt".into(), format: "text".into(), sha256: String::new() };
    let parsed = doc_parse::parse(text, source);
    let len = parsed.text.len();
    let spans = parsed
        .document
        .references
        .iter()
        .map(|r| r.span)
        .chain(parsed.document.tasks.iter().map(|t| t.span))
        .chain(parsed.document.warnings.iter().filter_map(|w| w.span));
    for [a, b] in spans {
        assert!(a <= b && b <= len, "span {a}..{b} outside 0..{len}");
        assert!(parsed.text.is_char_boundary(a) && parsed.text.is_char_boundary(b));
    }
}

/// Vietnamese letters, header words, labels, punctuation and noise, to make text that looks
/// enough like a directive to reach every branch.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("ỦY BAN NHÂN DÂN ".to_owned()),
        Just("BỘ CÔNG AN BỘ QUỐC PHÒNG\n".to_owned()),
        Just("Số: 12/UBND-KT ".to_owned()),
        Just("Số:   /QĐ-\n".to_owned()),
        Just(", ngày 3 tháng 13 năm 2026\n".to_owned()),
        Just("Kính gửi: ".to_owned()),
        Just("Nơi nhận:\n- ".to_owned()),
        Just("KT. CHỦ TỊCH\n".to_owned()),
        Just("1. Giao Sở Tài chính chủ trì, phối hợp với ".to_owned()),
        Just("a) ".to_owned()),
        Just("Điều 3. ".to_owned()),
        Just("trước ngày 31/02/2025; ".to_owned()),
        Just("“".to_owned()),
        Just("”".to_owned()),
        Just("   ".to_owned()),
        Just("\u{000C}".to_owned()),
        "[a-zA-ZàáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵĐƯÔ0-9 .,;:/()\\-\n]{0,40}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn random_directive_like_text_never_panics(parts in proptest::collection::vec(fragment(), 0..40)) {
        check(&parts.concat());
    }

    #[test]
    fn any_string_never_panics(s in "\\PC{0,300}") {
        check(&vn_text::normalize(&s));
    }

    #[test]
    fn the_model_case_cut_anywhere_never_panics(cut in 0usize..12_000, keep in 1usize..4_000) {
        let text = model_case();
        let start = (0..=cut.min(text.len())).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        let end = (start..=(start + keep).min(text.len())).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(start);
        check(&text[start..end]);
    }
}
