//! Inputs the fuzzer (`fuzz/run.sh doc_parse`, RELIABILITY.md "Fuzzing") found to crash the
//! parser, kept so they never do again. Each must parse without panicking, with every span
//! inside the repaired text on character boundaries.

fn check(text: &str) {
    let source = doc_parse::SourceInfo {
        file: "fuzz.txt".into(),
        format: "text".into(),
        sha256: String::new(),
    };
    let parsed = doc_parse::parse(text, source);
    let doc = &parsed.document;
    let spans = doc
        .references
        .iter()
        .map(|r| r.span)
        .chain(doc.tasks.iter().map(|t| t.span))
        .chain(doc.warnings.iter().filter_map(|w| w.span));
    for [a, b] in spans {
        assert!(
            a <= b && parsed.text.get(a..b).is_some(),
            "span {a}..{b} outside the text"
        );
    }
    serde_json::to_string(doc).expect("the document serialises");
}

/// A directive whose body holds `line` as a paragraph of its own.
fn directive(line: &str) -> String {
    format!(
        "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\n\nSố: 1187/UBND-KTTH\n\nQuảng Ngãi, ngày 18 tháng 3 năm 2024\n\n\
         Kính gửi: Sở Kế hoạch và Đầu tư\n\n1. Giao Sở Tài chính chủ trì, báo cáo trước ngày 30/6/2024.\n\n{line}\n"
    )
}

/// The monitoring clause was located with byte offsets taken from the line in lower case and
/// applied to the line itself; 'İ' (U+0130) is two bytes but lower-cases to three ("i̇"), so
/// the offset of "đôn đốc" fell inside the 'đ' before it (fuzz crash, doc_parse, run 1).
#[test]
fn dotted_capital_i_before_the_monitoring_clause() {
    check(&directive(
        "Sở Kế hoạch và İầu tư chịu trách nhiệm theo dõi, đôn đốc và tổng hợp, báo cáo Chủ tịch Ủy ban nhân dân tỉnh kết quả thực hiện./.",
    ));
}

/// The same shift in the other places that search a lower-cased copy and cut the original:
/// the task's report-to, the appendix statement ("kèm theo … số"), and the lead/support
/// readers, whose guard (equal lengths) is passed by two characters that grow by one byte
/// each ('İ') and one that shrinks by two (the Kelvin sign 'K' lower-cases to 'k').
#[test]
fn characters_whose_lower_case_has_another_length() {
    // Equal lengths, shifted offsets: "phối hợp với" is found two bytes late, inside the 'ủ'.
    check(&directive(
        "2. Giao Sở Xây dựng chủ trì, İİ phối hợp với ủy ban nhân dân các huyện K thực hiện.",
    ));
    for noise in ["İ", "İİK", "KİİĐ", "Ⱥ", "ȺȺK"] {
        check(&directive(&format!(
            "{noise} Sở Tài chính chịu trách nhiệm theo dõi, đôn đốc và tổng hợp, báo cáo Chủ tịch UBND tỉnh./."
        )));
        check(&directive(&format!(
            "2. {noise}Giao Sở Xây dựng chủ trì, phối hợp với {noise}Sở Tài chính báo cáo {noise}UBND tỉnh trước ngày 15/7/2024."
        )));
        check(&directive(&format!(
            "3. {noise}Đề nghị {noise}Sở Y tế {noise}chủ trì thực hiện; báo cáo kết quả về Sở Nội vụ."
        )));
        check(&directive(&format!(
            "(Kèm theo {noise}Văn bản số 12/UBND-KTTH)"
        )));
        check(&format!(
            "{noise}Phụ lục\n(kèm {noise}theo Công văn số 1187/UBND-KTTH ngày 18/3/2024)\n"
        ));
        check(&directive(&format!(
            "4. Giao {noise}Sở Công Thương thực hiện {noise}trong tháng 5/2024 {noise}định kỳ hằng quý."
        )));
    }
}
