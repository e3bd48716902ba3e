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
    /// Độ chính xác, độ phủ của nhiệm vụ; F1 cơ quan chủ trì, phối hợp; độ chính xác thời hạn
    Tasks(MetadataArgs),
    /// Độ chính xác, độ phủ của trích dẫn văn bản (mã văn bản khác nhau); ngày, cơ quan ban hành
    References(MetadataArgs),
}

#[derive(clap::Args)]
struct MetadataArgs {
    /// Thư mục nhãn chuẩn (mỗi tệp NNN.json); mặc định testdata/annotations/<loại>
    #[arg(long)]
    annotations: Option<PathBuf>,
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
        EvalWhat::Tasks(a) => tasks(a),
        EvalWhat::References(a) => references(a),
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
        if self.total == 0 {
            100.0
        } else {
            100.0 * self.right as f64 / self.total as f64
        }
    }
}

fn metadata(args: MetadataArgs) -> anyhow::Result<ExitCode> {
    let mut all: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut signed: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut drafts_null = Tally::default();
    let mut documents = 0;
    for Annotated { id, expected, got } in annotated(&args, "metadata")? {
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
    let what = if args.originals {
        "bản gốc"
    } else {
        "bản văn bản thuần (docs/)"
    };
    println!("Độ chính xác thông tin văn bản — {documents} văn bản, đọc từ {what}");
    println!(
        "{:<22} {:>14} {:>20}",
        "trường", "tất cả", "văn bản đã có số"
    );
    for field in FIELDS {
        let a = &all[field];
        let s = signed.get(field).map_or_else(
            || "—".to_owned(),
            |s| format!("{:.1}% ({}/{})", s.percent(), s.right, s.total),
        );
        println!(
            "{:<22} {:>14} {:>20}",
            field,
            format!("{:.1}% ({}/{})", a.percent(), a.right, a.total),
            s
        );
    }
    println!(
        "dự thảo: số/ngày để trống được báo null {:.1}% ({}/{})",
        drafts_null.percent(),
        drafts_null.right,
        drafts_null.total
    );
    Ok(ExitCode::SUCCESS)
}

/// Precision and recall of micro-averaged counts.
#[derive(Default)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Counts {
    fn f1(&self) -> (f64, f64, f64) {
        let p = if self.tp + self.fp == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        };
        let r = if self.tp + self.fn_ == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        };
        let f = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        (p, r, f)
    }

    /// Names are compared without case: a firm written "Công ty cổ phần X" or "Công ty Cổ
    /// phần X" is the same party.
    fn add_sets(&mut self, want: &[String], have: &[String]) {
        let want: Vec<String> = want.iter().map(|s| name_key(s)).collect();
        let have: Vec<String> = have.iter().map(|s| name_key(s)).collect();
        self.tp += have.iter().filter(|h| want.contains(h)).count();
        self.fp += have.iter().filter(|h| !want.contains(h)).count();
        self.fn_ += want.iter().filter(|w| !have.contains(w)).count();
    }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// `nhiemvu eval tasks`: a predicted task matches a gold one when its text overlaps the gold
/// text's start and its leads are the same set.
fn tasks(args: MetadataArgs) -> anyhow::Result<ExitCode> {
    let (mut tasks, mut leads, mut supports) =
        (Counts::default(), Counts::default(), Counts::default());
    let (mut deadlines_right, mut deadlines_total, mut monitors_right, mut documents) =
        (0, 0, 0, 0);
    for Annotated { id, expected, got } in annotated(&args, "tasks")? {
        documents += 1;
        let gold = expected["tasks"].as_array().cloned().unwrap_or_default();
        let predicted = got["tasks"].as_array().cloned().unwrap_or_default();
        let mut used = vec![false; predicted.len()];
        for g in &gold {
            let start: String = squash(g["text_start"].as_str().unwrap_or_default())
                .chars()
                .take(40)
                .collect();
            let overlapping = predicted.iter().enumerate().find(|(i, p)| {
                !used[*i] && squash(p["text"].as_str().unwrap_or_default()).contains(&start)
            });
            let Some((i, p)) = overlapping else {
                tasks.fn_ += 1;
                leads.add_sets(&strings(&g["lead"]), &[]);
                supports.add_sets(&strings(&g["support"]), &[]);
                if args.verbose {
                    println!("{id} thiếu {}: {start}", g["id"]);
                }
                continue;
            };
            used[i] = true;
            leads.add_sets(&strings(&g["lead"]), &strings(&p["lead"]));
            supports.add_sets(&strings(&g["support"]), &strings(&p["support"]));
            let mut same_leads = strings(&g["lead"])
                .iter()
                .map(|s| name_key(s))
                .collect::<Vec<_>>();
            let mut have_leads = strings(&p["lead"])
                .iter()
                .map(|s| name_key(s))
                .collect::<Vec<_>>();
            same_leads.sort();
            have_leads.sort();
            if same_leads == have_leads {
                tasks.tp += 1;
            } else {
                tasks.fn_ += 1;
                tasks.fp += 1;
                if args.verbose {
                    println!(
                        "{id} {} chủ trì: cần {} — được {}",
                        g["id"], g["lead"], p["lead"]
                    );
                }
            }
            deadlines_total += 1;
            let (gd, pd) = (&g["deadline"], &p["deadline"]);
            if gd["kind"] == pd["kind"] && gd["date"] == pd["date"] {
                deadlines_right += 1;
            } else if args.verbose {
                println!(
                    "{id} {} thời hạn: cần {} {} — được {} {} ({})",
                    g["id"], gd["kind"], gd["date"], pd["kind"], pd["date"], pd["text"]
                );
            }
        }
        for (i, p) in predicted.iter().enumerate() {
            if !used[i] {
                tasks.fp += 1;
                leads.add_sets(&[], &strings(&p["lead"]));
                supports.add_sets(&[], &strings(&p["support"]));
                if args.verbose {
                    let text: String = p["text"]
                        .as_str()
                        .unwrap_or_default()
                        .chars()
                        .take(60)
                        .collect();
                    println!("{id} thừa {}: {text}", p["id"]);
                }
            }
        }
        let (gm, pm) = (&expected["monitor"], &got["monitor"]);
        let monitor_ok = gm["agency"] == pm["agency"];
        monitors_right += usize::from(monitor_ok);
        if !monitor_ok && args.verbose {
            println!(
                "{id} theo dõi: cần {} — được {}",
                gm["agency"], pm["agency"]
            );
        }
    }
    let what = if args.originals {
        "bản gốc"
    } else {
        "bản văn bản thuần (docs/)"
    };
    println!("Nhiệm vụ — {documents} văn bản, đọc từ {what}");
    for (name, c) in [
        ("nhiệm vụ", &tasks),
        ("chủ trì", &leads),
        ("phối hợp", &supports),
    ] {
        let (p, r, f) = c.f1();
        println!(
            "{name:<10} precision {:.3}  recall {:.3}  F1 {:.3}  (đúng {}, thừa {}, thiếu {})",
            p, r, f, c.tp, c.fp, c.fn_
        );
    }
    println!(
        "thời hạn   {:.3} ({deadlines_right}/{deadlines_total} nhiệm vụ khớp)",
        deadlines_right as f64 / deadlines_total.max(1) as f64
    );
    println!(
        "theo dõi   {:.3} ({monitors_right}/{documents})",
        monitors_right as f64 / documents.max(1) as f64
    );
    Ok(ExitCode::SUCCESS)
}

/// `nhiemvu eval references`: the distinct codes a document cites (full and by-name forms;
/// short forms point at one of those), compared by `legal_ref::code_key`, so OCR variants
/// of a code (`NĐCP`) match the printed one. On matched codes, the first date and issuer the
/// parser gives are compared with the annotation's.
fn references(args: MetadataArgs) -> anyhow::Result<ExitCode> {
    let mut codes = Counts::default();
    let (mut dates, mut issuers) = (Tally::default(), Tally::default());
    let mut documents = 0;
    for Annotated { id, expected, got } in annotated(&args, "references")? {
        documents += 1;
        let found: Vec<&Value> = got["references"]
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        let key = |v: &Value| legal_ref::code_key(v["code"].as_str().unwrap_or_default());
        let mut distinct: Vec<String> = Vec::new();
        for r in found.iter().filter(|r| r["resolved_from"].is_null()) {
            if !distinct.contains(&key(r)) {
                distinct.push(key(r));
            }
        }
        let wanted: Vec<&Value> = expected["references"]
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        for w in &wanted {
            let k = key(w);
            if !distinct.contains(&k) {
                codes.fn_ += 1;
                if args.verbose {
                    println!("{id} thiếu {}", w["code"]);
                }
                continue;
            }
            codes.tp += 1;
            let first = |field: &str| {
                found
                    .iter()
                    .filter(|r| key(r) == k)
                    .map(|r| &r[field])
                    .find(|v| !v.is_null())
                    .cloned()
                    .unwrap_or(Value::Null)
            };
            let (date, issuer) = (first("date"), first("issuer"));
            dates.add(date == w["date"]);
            issuers.add(same(&issuer, &w["issuer"]));
            if args.verbose && date != w["date"] {
                println!("{id} {} ngày: cần {} — được {date}", w["code"], w["date"]);
            }
        }
        for d in &distinct {
            if !wanted.iter().any(|w| &key(w) == d) {
                codes.fp += 1;
                if args.verbose {
                    println!("{id} thừa {d}");
                }
            }
        }
    }
    let (p, r, f) = codes.f1();
    println!(
        "Trích dẫn — {documents} văn bản: precision {:.1}%  recall {:.1}%  F1 {:.3}  (đúng {}, thừa {}, thiếu {})",
        p * 100.0,
        r * 100.0,
        f,
        codes.tp,
        codes.fp,
        codes.fn_
    );
    println!(
        "trên mã khớp: ngày {:.1}% ({}/{}), cơ quan ban hành {:.1}% ({}/{})",
        dates.percent(),
        dates.right,
        dates.total,
        issuers.percent(),
        issuers.right,
        issuers.total
    );
    Ok(ExitCode::SUCCESS)
}

/// One annotated document: its id, the expected values, and what the parser gives for it.
struct Annotated {
    id: String,
    expected: Value,
    got: Value,
}

/// Every annotation of `--annotations DIR` (or `testdata/annotations/<what>`), sorted, whose
/// source file is present, with the parser's output (null, and a line printed, when the file
/// cannot be read).
fn annotated(args: &MetadataArgs, what: &str) -> anyhow::Result<Vec<Annotated>> {
    let dir = args
        .annotations
        .clone()
        .unwrap_or_else(|| Path::new("testdata/annotations").join(what));
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("không mở được thư mục nhãn {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in &files {
        let expected: Value = serde_json::from_str(&std::fs::read_to_string(file)?)
            .with_context(|| format!("nhãn không hợp lệ: {}", file.display()))?;
        let id = expected["id"].as_str().unwrap_or_default().to_owned();
        let Some(source) = source_file(args, &id)? else {
            continue;
        };
        let got = parse_file(&source).unwrap_or_else(|e| {
            println!("{id}: không đọc được: {e}");
            Value::Null
        });
        out.push(Annotated { id, expected, got });
    }
    Ok(out)
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
    Ok(serde_json::to_value(
        doc_parse::parse(&extracted.text, source).document,
    )?)
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
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        _ => a == b,
    }
}

fn name_key(s: &str) -> String {
    squash(s).to_lowercase()
}

fn squash(s: &str) -> String {
    vn_text::normalize(s)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
