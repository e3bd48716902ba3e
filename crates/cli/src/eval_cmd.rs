//! `nhiemvu eval metadata`: per-field accuracy of the parser against the team's own
//! annotations (`testdata/annotations/metadata/*.json`), over the corpus text renderings or,
//! with `--originals`, over the original files (DOCX, DOC, PDF, OCR).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use serde_json::Value;

/// Arguments of `nhiemvu eval`.
#[derive(clap::Args)]
pub struct EvalArgs {
    #[command(subcommand)]
    what: EvalWhat,
}

#[derive(clap::Subcommand)]
enum EvalWhat {
    /// Độ chính xác từng trường thông tin văn bản (số, ký hiệu, ngày, cơ quan, người ký…)
    Metadata(MetadataArgs),
}

#[derive(clap::Args)]
struct MetadataArgs {
    /// Thư mục nhãn chuẩn (mỗi tệp NNN.json)
    #[arg(long, default_value = "testdata/annotations/metadata")]
    annotations: PathBuf,
    /// Thư mục kho văn bản (docs/, originals/)
    #[arg(long, default_value = "../shared/corpus")]
    corpus: PathBuf,
    /// Đọc bản gốc (DOCX, DOC, PDF, OCR) thay cho bản văn bản thuần
    #[arg(long)]
    originals: bool,
    /// In từng chỗ sai
    #[arg(long)]
    verbose: bool,
}

pub fn run(args: EvalArgs) -> anyhow::Result<ExitCode> {
    match args.what {
        EvalWhat::Metadata(a) => metadata(a),
    }
}

/// The fields compared, as paths into the contract JSON.
const FIELDS: &[&str] = &[
    "kind",
    "issuer.name",
    "issuer.parent",
    "number",
    "symbol",
    "code",
    "place",
    "date",
    "subject",
    "recipients",
    "copies_to",
    "signer.authority",
    "signer.on_behalf_of",
    "signer.title",
    "signer.name",
    "secrecy",
    "urgency",
];

#[derive(Default)]
struct Tally {
    right: usize,
    total: usize,
}

impl Tally {
    fn add(&mut self, ok: bool) {
        self.total += 1;
        self.right += usize::from(ok);
    }

    fn percent(&self) -> f64 {
        if self.total == 0 { 100.0 } else { 100.0 * self.right as f64 / self.total as f64 }
    }
}

fn metadata(args: MetadataArgs) -> anyhow::Result<ExitCode> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(&args.annotations)
        .with_context(|| format!("không mở được thư mục nhãn {}", args.annotations.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut all: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut signed: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut drafts_null = Tally::default();
    let mut documents = 0;
    for file in &files {
        let expected: Value = serde_json::from_str(&std::fs::read_to_string(file)?)
            .with_context(|| format!("nhãn không hợp lệ: {}", file.display()))?;
        let id = expected["id"].as_str().unwrap_or_default().to_owned();
        let Some(source) = source_file(&args, &id)? else { continue };
        let got = match parse_file(&source) {
            Ok(v) => v,
            Err(e) => {
                println!("{id}: không đọc được: {e}");
                Value::Null
            }
        };
        documents += 1;
        let is_signed = !expected["number"].is_null();
        for field in FIELDS {
            let want = lookup(&expected, field);
            let have = lookup(&got, field);
            let ok = same(&want, &have);
            all.entry(field).or_default().add(ok);
            if is_signed {
                signed.entry(field).or_default().add(ok);
            }
            if !ok && args.verbose {
                println!("{id} {field}: cần {want} — được {have}");
            }
        }
        for field in ["number", "date"] {
            if lookup(&expected, field).is_null() && expected["draft"] == Value::Bool(true) {
                drafts_null.add(lookup(&got, field).is_null());
            }
        }
    }
    let what = if args.originals { "bản gốc" } else { "bản văn bản thuần (docs/)" };
    println!("Độ chính xác thông tin văn bản — {documents} văn bản, đọc từ {what}");
    println!("{:<22} {:>14} {:>20}", "trường", "tất cả", "văn bản đã có số");
    for field in FIELDS {
        let a = &all[field];
        let s = signed.get(field).map_or_else(|| "—".to_owned(), |s| format!("{:.1}% ({}/{})", s.percent(), s.right, s.total));
        println!("{:<22} {:>14} {:>20}", field, format!("{:.1}% ({}/{})", a.percent(), a.right, a.total), s);
    }
    println!(
        "dự thảo: số/ngày để trống được báo null {:.1}% ({}/{})",
        drafts_null.percent(),
        drafts_null.right,
        drafts_null.total
    );
    Ok(ExitCode::SUCCESS)
}

/// The file to parse for an annotation id: the text rendering, or the original.
fn source_file(args: &MetadataArgs, id: &str) -> anyhow::Result<Option<PathBuf>> {
    if !args.originals {
        let docs = args.corpus.join("docs").join(format!("{id}.txt"));
        if docs.exists() {
            return Ok(Some(docs));
        }
        let example = Path::new("examples").join(format!("{id}.txt"));
        return Ok(example.exists().then_some(example));
    }
    let originals = args.corpus.join("originals");
    for ext in ["pdf", "docx", "doc"] {
        let p = originals.join(format!("{id}.{ext}"));
        if p.exists() {
            return Ok(Some(p));
        }
    }
    let example = Path::new("examples").join(format!("{id}.txt"));
    Ok(example.exists().then_some(example))
}

fn parse_file(path: &Path) -> anyhow::Result<Value> {
    let extracted = ingest::read_file(path, &ingest::Options::default())?;
    let source = doc_parse::SourceInfo {
        file: path.display().to_string(),
        format: extracted.format.as_str().to_owned(),
        sha256: extracted.sha256,
    };
    Ok(serde_json::to_value(doc_parse::parse(&extracted.text, source).document)?)
}

fn lookup(v: &Value, path: &str) -> Value {
    let mut cur = v;
    for key in path.split('.') {
        cur = match cur.get(key) {
            Some(next) => next,
            None => return Value::Null,
        };
    }
    match cur {
        // An empty list and a missing one mean the same: nothing given.
        Value::Array(a) if a.is_empty() => Value::Null,
        other => other.clone(),
    }
}

/// Values are compared after collapsing whitespace, so line-wrapping differences between
/// renderings do not count as errors; everything else must match exactly.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) => squash(x) == squash(y),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q)),
        _ => a == b,
    }
}

fn squash(s: &str) -> String {
    vn_text::normalize(s).split_whitespace().collect::<Vec<_>>().join(" ")
}
