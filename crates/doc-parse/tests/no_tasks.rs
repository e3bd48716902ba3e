//! Nothing invented: every corpus document that the team's annotations say assigns no task
//! (reports, tờ trình, upward letters, notices that only inform) yields none.

use std::path::Path;

#[test]
fn documents_without_tasks_yield_none() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let docs = root.join("../../../shared/corpus/docs");
    if !docs.is_dir() {
        eprintln!("skipped: corpus not found at {}", docs.display());
        return;
    }
    let mut checked = 0;
    let mut invented = Vec::new();
    for entry in std::fs::read_dir(root.join("../../testdata/annotations/tasks")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let gold: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        if !gold["tasks"].as_array().is_some_and(Vec::is_empty) {
            continue;
        }
        let id = gold["id"].as_str().unwrap();
        let raw = std::fs::read_to_string(docs.join(format!("{id}.txt"))).unwrap();
        let source = doc_parse::SourceInfo { file: format!("{id}.txt"), format: "text".into(), sha256: String::new() };
        let d = doc_parse::parse(&vn_text::normalize(&raw), source).document;
        checked += 1;
        for t in &d.tasks {
            invented.push(format!("{id} {}: {}", t.id, t.text.chars().take(60).collect::<String>()));
        }
    }
    println!("{checked} documents without tasks checked");
    assert!(checked >= 5, "the annotations hold documents without tasks");
    assert!(invented.is_empty(), "invented tasks:\n{}", invented.join("\n"));
}
