//! Precision and recall of `legal_ref::find` against the hand-written reference lists.
//!
//! `cargo run -p legal-ref --example eval -- testdata/annotations/references ../shared/corpus [--verbose]`
//!
//! Each `NNN.json` lists the distinct documents `docs/NNN.txt` cites, in order of first
//! appearance. The found side is the distinct codes of full and by-name citations (short
//! forms point at one of those, or at the document itself). Codes are compared by
//! `legal_ref::code_key`. On matched codes, the first date and issuer given anywhere are
//! compared with the annotation's.

use std::path::PathBuf;
use std::process::ExitCode;

use legal_ref::{Form, code_key};

struct Expected {
    code: String,
    date: Option<String>,
    issuer: Option<String>,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "--verbose");
    let paths: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let [annotations, corpus] = paths.as_slice() else {
        eprintln!("usage: eval ANNOTATIONS_DIR CORPUS_DIR [--verbose]");
        return ExitCode::from(2);
    };
    let Ok(dir) = std::fs::read_dir(annotations) else {
        eprintln!("cannot read {annotations}");
        return ExitCode::from(2);
    };
    let mut files: Vec<PathBuf> = dir.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|e| e == "json")).collect();
    files.sort();
    let (mut tp, mut fp, mut fneg) = (0usize, 0usize, 0usize);
    let (mut dates_ok, mut dates_n, mut issuers_ok, mut issuers_n) = (0, 0, 0, 0);
    let mut docs = 0;
    for file in &files {
        let Some(json) = std::fs::read_to_string(file).ok().and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok()) else {
            eprintln!("{}: not readable JSON", file.display());
            return ExitCode::from(2);
        };
        let id = json["id"].as_str().unwrap_or_default();
        let Ok(raw) = std::fs::read_to_string(PathBuf::from(corpus).join("docs").join(format!("{id}.txt"))) else {
            println!("{id}: skipped (corpus text absent)");
            continue;
        };
        docs += 1;
        let expected: Vec<Expected> = json["references"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|r| Expected {
                        code: r["code"].as_str().unwrap_or_default().to_owned(),
                        date: r["date"].as_str().map(str::to_owned),
                        issuer: r["issuer"].as_str().map(str::to_owned),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let text = vn_text::normalize(&raw);
        let found = legal_ref::find(&text);
        let mut distinct: Vec<String> = Vec::new();
        for c in found.iter().filter(|c| c.form != Form::Short) {
            if !distinct.iter().any(|d| code_key(d) == code_key(&c.code)) {
                distinct.push(c.code.clone());
            }
        }
        let first = |key: &str, f: &dyn Fn(&legal_ref::Citation) -> Option<String>| {
            found.iter().filter(|c| code_key(&c.code) == key).find_map(f)
        };
        for e in &expected {
            let key = code_key(&e.code);
            if distinct.iter().any(|d| code_key(d) == key) {
                tp += 1;
                let date = first(&key, &|c| c.date.map(|d| d.to_string()));
                let issuer = first(&key, &|c| c.issuer.clone());
                dates_n += 1;
                issuers_n += 1;
                if date == e.date {
                    dates_ok += 1;
                } else if verbose {
                    println!("{id}: {} date {:?}, expected {:?}", e.code, date, e.date);
                }
                if issuer == e.issuer {
                    issuers_ok += 1;
                } else if verbose {
                    println!("{id}: {} issuer {:?}, expected {:?}", e.code, issuer, e.issuer);
                }
            } else {
                fneg += 1;
                if verbose {
                    println!("{id}: missed {}", e.code);
                }
            }
        }
        for d in &distinct {
            if !expected.iter().any(|e| code_key(&e.code) == code_key(d)) {
                fp += 1;
                if verbose {
                    println!("{id}: extra {d}");
                }
            }
        }
    }
    let pct = |a: usize, b: usize| if b == 0 { 100.0 } else { 100.0 * a as f64 / b as f64 };
    println!("documents: {docs}, expected codes: {}, found codes: {}", tp + fneg, tp + fp);
    println!("precision: {:.1}%  recall: {:.1}%", pct(tp, tp + fp), pct(tp, tp + fneg));
    println!("on matched codes: date {:.1}% ({dates_ok}/{dates_n}), issuer {:.1}% ({issuers_ok}/{issuers_n})", pct(dates_ok, dates_n), pct(issuers_ok, issuers_n));
    ExitCode::SUCCESS
}
