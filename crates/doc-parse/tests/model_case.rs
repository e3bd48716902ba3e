//! The model case, Official Letter 2395/UBND-KTTH of Quảng Ngãi (2022): every header and
//! footer field exactly as the acceptance criteria state them.

use std::path::Path;

#[test]
fn official_letter_2395_header_footer_and_outline() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/2395-UBND-KTTH.txt");
    let raw = std::fs::read_to_string(path).unwrap();
    let source = doc_parse::SourceInfo { file: "2395-UBND-KTTH.txt".into(), format: "text".into(), sha256: String::new() };
    let parsed = doc_parse::parse(&vn_text::normalize(&raw), source);
    let d = &parsed.document;

    assert_eq!(d.kind.as_deref(), Some("cong_van"));
    let issuer = d.issuer.as_ref().unwrap();
    assert_eq!(issuer.name, "Ủy ban nhân dân tỉnh Quảng Ngãi");
    assert_eq!(issuer.parent, None);
    assert_eq!(d.number.as_deref(), Some("2395"));
    assert_eq!(d.symbol.as_deref(), Some("UBND-KTTH"));
    assert_eq!(d.code.as_deref(), Some("2395/UBND-KTTH"));
    assert_eq!(d.place.as_deref(), Some("Quảng Ngãi"));
    assert_eq!(d.date.as_deref(), Some("2022-05-20"));
    assert_eq!(
        d.subject.as_deref(),
        Some("triển khai thực hiện Nghị quyết số 57/NQ-CP ngày 21/4/2022 của Chính phủ về các nhiệm vụ, giải pháp hoàn thiện thể chế liên kết vùng kinh tế - xã hội")
    );
    assert_eq!(
        d.recipients,
        ["Các sở, ban ngành, đơn vị trực thuộc UBND tỉnh", "Các cơ quan Trung ương trên địa bàn tỉnh", "UBND các huyện, thị xã, thành phố"]
    );
    assert_eq!(d.copies_to.len(), 8);
    assert_eq!(d.copies_to.first().map(String::as_str), Some("Như trên"));
    assert!(d.copies_to.last().unwrap().starts_with("Lưu"));
    let signer = d.signer.as_ref().unwrap();
    assert_eq!(signer.authority, None);
    assert_eq!(signer.title.as_deref(), Some("Chủ tịch"));
    assert_eq!(signer.name.as_deref(), Some("Đặng Văn Minh"));
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);

    let top: Vec<&str> = d.outline.iter().map(|n| n.label.as_str()).collect();
    assert_eq!(top, ["1.", "2."]);
    let specific: Vec<&str> = d.outline[1].children.iter().map(|n| n.label.as_str()).collect();
    assert_eq!(specific, ["2.1.", "2.2.", "2.3.", "2.4.", "2.5.", "2.6.", "2.7.", "2.8.", "2.9."]);
    assert_eq!(d.outline[1].children[0].heading.as_deref(), Some("Sở Kế hoạch và Đầu tư"));

    // Spans point into the repaired text; the paragraph broken across the page break is whole.
    let node = &d.outline[1].children[2];
    let span = &parsed.text[node.span[0]..node.span[1]];
    assert!(span.starts_with("2.3. Sở Văn hóa, Thể thao và Du lịch"));
    assert!(span.contains("Thừa Thiên Huế, Đà Năng, Quảng Nam"));
}

#[test]
fn official_letter_2395_tasks_references_and_monitor() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/2395-UBND-KTTH.txt");
    let raw = std::fs::read_to_string(path).unwrap();
    let source = doc_parse::SourceInfo { file: "2395-UBND-KTTH.txt".into(), format: "text".into(), sha256: String::new() };
    let d = doc_parse::parse(&vn_text::normalize(&raw), source).document;

    let mut distinct: Vec<&str> = Vec::new();
    for r in &d.references {
        if !distinct.contains(&r.code.as_str()) {
            distinct.push(&r.code);
        }
    }
    assert_eq!(
        distinct,
        [
            "57/NQ-CP", "128/NQ-CP", "1537/QĐ-UBND", "99/NQ-CP", "27/CT-TTg", "257/QĐ-UBND", "Luật Quy hoạch 2017",
            "1038/QĐ-UBND", "1715/QĐ-UBND", "107/2021/NĐ-CP"
        ]
    );
    let first = &d.references[0];
    assert_eq!((first.date.as_deref(), first.issuer.as_deref()), (Some("2022-04-21"), Some("Chính phủ")));

    let ids: Vec<&str> = d.tasks.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "1.a", "1.b", "1.c", "1.d", "2.1.a", "2.1.b", "2.2.a", "2.2.b", "2.2.c", "2.3", "2.4.a", "2.4.b", "2.5", "2.6.a",
            "2.6.b", "2.7.a", "2.7.b", "2.7.c", "2.8.a", "2.8.b", "2.8.c", "2.9.a", "2.9.b"
        ]
    );
    let everyone = ["Các sở, ban ngành, đơn vị trực thuộc Ủy ban nhân dân tỉnh", "Các cơ quan Trung ương trên địa bàn tỉnh", "Ủy ban nhân dân các huyện, thị xã, thành phố"];
    for t in &d.tasks[..4] {
        assert_eq!(t.lead, everyone, "{}", t.id);
    }
    let lead = |id: &str| d.tasks.iter().find(|t| t.id == id).unwrap().lead.clone();
    assert_eq!(lead("2.1.b"), ["Sở Kế hoạch và Đầu tư"]);
    assert_eq!(lead("2.2.c"), ["Ban Quản lý Khu kinh tế Dung Quất và các Khu công nghiệp Quảng Ngãi"]);
    assert_eq!(lead("2.3"), ["Sở Văn hóa, Thể thao và Du lịch"]);
    assert_eq!(lead("2.6.a"), ["Sở Lao động - Thương binh và Xã hội"]);
    assert_eq!(lead("2.9.b"), ["Ban Quản lý dự án đầu tư xây dựng các công trình giao thông tỉnh"]);

    let deadline = |id: &str| d.tasks.iter().find(|t| t.id == id).unwrap().deadline.clone();
    assert_eq!((deadline("2.3").kind.as_str(), deadline("2.3").date.as_deref()), ("period", Some("2022-12-31")));
    assert_eq!((deadline("2.4.a").kind.as_str(), deadline("2.4.a").date.as_deref()), ("period", Some("2025-12-31")));
    assert_eq!(deadline("2.1.b").kind, "conditional");
    assert_eq!(deadline("1.b").kind, "on_request");
    assert_eq!(deadline("2.2.a").kind, "none", "a plan's horizon (đến năm 2035) is no deadline");

    let monitor = d.monitor.as_ref().unwrap();
    assert_eq!(monitor.agency, "Sở Kế hoạch và Đầu tư");
    assert_eq!(monitor.report_to.as_deref(), Some("Ủy ban nhân dân tỉnh"));
    assert_eq!(monitor.deadline.kind, "on_request");
}

/// The contract JSON reads back into the same document (import drafts keep it between upload
/// and commit), and a document of another schema is refused.
#[test]
fn contract_json_reads_back() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/2395-UBND-KTTH.txt");
    let raw = std::fs::read_to_string(path).unwrap();
    let source = doc_parse::SourceInfo { file: "2395-UBND-KTTH.txt".into(), format: "text".into(), sha256: String::new() };
    let parsed = doc_parse::parse(&vn_text::normalize(&raw), source);
    let json = serde_json::to_value(&parsed.document).unwrap();
    let back: doc_parse::Document = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(back, parsed.document);
    let mut other = json;
    other["schema"] = "nhiemvu.document/2".into();
    let err = serde_json::from_value::<doc_parse::Document>(other).unwrap_err();
    assert!(err.to_string().contains("nhiemvu.document/2"), "{err}");
}
