//! The whole-document parser (`doc_parse::parse`): layout repair, header, outline, the
//! citation finder and the task extractor (lead, support, deadline, monitoring clause), and
//! `read_deadline` as task sheets use it. Invariants the crate states: every span lies inside
//! the repaired text on character boundaries, and the document serialises to JSON (the
//! `nhiemvu.document/1` contract) and reads back the same.
use doc_parse::{OutlineNode, SourceInfo};

fn outline_spans(nodes: &[OutlineNode], out: &mut Vec<[usize; 2]>) {
    for n in nodes {
        out.push(n.span);
        outline_spans(&n.children, out);
    }
}

fn main() {
    let issued: vn_calendar::Date = "2022-12-19".parse().expect("a valid date");
    afl::fuzz!(|data: &[u8]| {
        let text = match std::str::from_utf8(data) {
            Ok(s) => s,
            Err(_) => return,
        };
        let source = SourceInfo {
            file: "fuzz.txt".into(),
            format: "text".into(),
            sha256: String::new(),
        };
        let parsed = doc_parse::parse(text, source);
        let doc = &parsed.document;
        let mut spans: Vec<[usize; 2]> = doc.references.iter().map(|r| r.span).collect();
        spans.extend(doc.tasks.iter().map(|t| t.span));
        spans.extend(doc.warnings.iter().filter_map(|w| w.span));
        outline_spans(&doc.outline, &mut spans);
        for [a, b] in spans {
            assert!(
                a <= b && parsed.text.get(a..b).is_some(),
                "span {a}..{b} not inside the text ({} bytes)",
                parsed.text.len()
            );
        }
        let json = serde_json::to_string(doc).expect("the document serialises");
        let back: doc_parse::Document = serde_json::from_str(&json).expect("the JSON reads back");
        assert_eq!(&back, doc, "the document reads back differently");
        // Task sheets hand one cell at a time to the deadline reader.
        for line in text.lines().take(8) {
            let _ = doc_parse::read_deadline(line, Some(issued));
            let _ = doc_parse::read_deadline(line, None);
        }
    });
}
