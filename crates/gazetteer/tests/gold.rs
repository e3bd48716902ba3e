//! Every `lead` and `support` name of the gold task annotations must come out of the gazetteer
//! unchanged: agencies as canonical names, groups, unknown bodies and persons as written.

use std::collections::BTreeSet;
use std::path::Path;

use gazetteer::{Gazetteer, Party};

const GOLD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/annotations/tasks");

/// Pulls the string values of `"lead"` and `"support"` arrays out of an annotation file. The
/// files are pretty-printed JSON with plain string arrays; reading them by hand keeps serde out
/// of the crate's dependencies.
fn names(json: &str) -> Vec<String> {
    let mut out = Vec::new();
    for field in ["\"lead\"", "\"support\""] {
        let mut rest = json;
        while let Some(at) = rest.find(field) {
            rest = &rest[at + field.len()..];
            let Some(open) = rest.find('[') else { break };
            let Some(close) = rest[open..].find(']') else { break };
            let list = &rest[open + 1..open + close];
            let mut in_str = false;
            let mut cur = String::new();
            let mut chars = list.chars();
            while let Some(c) = chars.next() {
                match (c, in_str) {
                    ('"', false) => in_str = true,
                    ('"', true) => {
                        out.push(std::mem::take(&mut cur));
                        in_str = false;
                    }
                    ('\\', true) => cur.extend(chars.next()),
                    (c, true) => cur.push(c),
                    _ => {}
                }
            }
            rest = &rest[open + close..];
        }
    }
    out
}

#[test]
fn gold_lead_and_support_names_round_trip() {
    let dir = Path::new(GOLD);
    let Ok(entries) = std::fs::read_dir(dir) else {
        eprintln!("skipped: no gold annotations at {}", dir.display());
        return;
    };
    let mut all = BTreeSet::new();
    for e in entries.flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "json") {
            let text = std::fs::read_to_string(&p).unwrap_or_default();
            all.extend(names(&text));
        }
    }
    assert!(!all.is_empty(), "no names read from {}", dir.display());
    let g = Gazetteer::embedded();
    let mut wrong = Vec::new();
    let mut not_canonical = Vec::new();
    for name in &all {
        let parties = g.parse_list(name);
        match parties.as_slice() {
            [Party::Agency(n)] if n == name && g.canonical(name).is_some_and(|a| a.name() == name) => {}
            [p @ (Party::Group(n) | Party::Unknown(n))] if n == name => not_canonical.push(format!("{p:?}")),
            _ => wrong.push(format!("{name:?} → {parties:?}")),
        }
    }
    eprintln!(
        "{} gold names: {} agencies, {} kept as written:\n  {}",
        all.len(),
        all.len() - not_canonical.len() - wrong.len(),
        not_canonical.len(),
        not_canonical.join("\n  ")
    );
    assert!(wrong.is_empty(), "gold names not reproduced:\n{}", wrong.join("\n"));
}
