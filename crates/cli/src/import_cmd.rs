//! `nhiemvu import`: commit parsed documents to the store, at once or through an editable review
//! file (PRODUCT.md, command-line conventions).
//!
//! - `import FILE… --commit`: parse and commit each file (a folder: every file directly in it),
//!   with a progress line on stderr and a summary at the end.
//! - `import FILE --review R`: write the proposal to R (JSON) for editing.
//! - `import --review R --commit`: check R as edited and commit it, in one transaction.
//!
//! Exit status: 2 when a file could not be read (or usage), else 1 when a rule refused a file,
//! else 0 (a file imported before counts as done).

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use serde::{Deserialize, Serialize};
use store::{Actor, CommitOutcome, DeadlineKind, PartyKind, Sha256, Store};

use crate::database::{DatabaseArgs, block_on, is_refusal};

/// Arguments of `nhiemvu import`.
#[derive(clap::Args)]
pub struct ImportArgs {
    /// Tệp văn bản (TXT, DOCX, DOC, PDF) hoặc thư mục (nhập mọi tệp trong đó)
    files: Vec<PathBuf>,
    /// Ghi vào cơ sở dữ liệu ngay (cùng --review: ghi tệp rà soát đã sửa)
    #[arg(long)]
    commit: bool,
    /// Tệp rà soát (JSON): không có --commit thì ghi đề xuất vào đây để sửa
    #[arg(long, value_name = "TỆP")]
    review: Option<PathBuf>,
    /// In JSON Lines, mỗi tệp một dòng
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    database: DatabaseArgs,
}

pub fn run(args: ImportArgs) -> anyhow::Result<ExitCode> {
    match (&args.review, args.commit, args.files.len()) {
        (None, true, n) if n > 0 => block_on(bulk(&args)),
        (Some(review), false, 1) => block_on(write_review(&args.files[0], review, &args.database)),
        (Some(review), true, 0) => block_on(commit_review(review, &args.database, args.json)),
        _ => {
            eprintln!(
                "nhiemvu: cách dùng: nhiemvu import TỆP… --commit | nhiemvu import TỆP --review R | \
                 nhiemvu import --review R --commit"
            );
            Ok(ExitCode::from(2))
        }
    }
}

/// A file read and parsed, ready to commit.
struct Prepared {
    bytes: Vec<u8>,
    parsed: doc_parse::Parsed,
}

/// Reads and parses one file; the error is the one line to print (exit 2).
fn prepare(path: &Path) -> Result<Prepared, String> {
    let limit = ingest::Options::default().limits.max_file_bytes;
    let meta = std::fs::metadata(path).map_err(|e| format!("không đọc được tệp: {e}"))?;
    if !meta.is_file() {
        return Err("không phải là tệp".to_owned());
    }
    if meta.len() > limit {
        return Err(format!(
            "tệp quá lớn: {} byte, giới hạn là {limit} byte",
            meta.len()
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("không đọc được tệp: {e}"))?;
    let name = file_name(path);
    let extracted = ingest::read_bytes(&bytes, &name, &ingest::Options::default())
        .map_err(|e| e.to_string())?;
    let source = doc_parse::SourceInfo {
        file: name,
        format: extracted.format.as_str().to_owned(),
        sha256: extracted.sha256.clone(),
    };
    let parsed = doc_parse::parse(&extracted.text, source);
    Ok(Prepared { bytes, parsed })
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The files named, folders replaced by the files directly in them (sorted, hidden files
/// skipped: editors and file managers leave those beside documents).
fn expand(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut inside = Vec::new();
            for entry in std::fs::read_dir(path)
                .with_context(|| format!("không đọc được thư mục {}", path.display()))?
            {
                let entry =
                    entry.with_context(|| format!("không đọc được thư mục {}", path.display()))?;
                let p = entry.path();
                if p.is_file() && !entry.file_name().to_string_lossy().starts_with('.') {
                    inside.push(p);
                }
            }
            inside.sort();
            out.extend(inside);
        } else {
            out.push(path.clone());
        }
    }
    Ok(out)
}

/// What happened to one file of a bulk import.
enum FileOutcome {
    Committed(CommitOutcome),
    Refused(String),
    Unreadable(String),
}

async fn bulk(args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let files = expand(&args.files)?;
    let store = args.database.open().await?;
    let mut progress = Progress::new(files.len());
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let (mut imported, mut again, mut refused, mut unreadable) = (0usize, 0usize, 0usize, 0usize);
    for path in &files {
        let outcome = match prepare(path) {
            Err(reason) => FileOutcome::Unreadable(reason),
            Ok(p) => match store
                .commit_document(&p.parsed, &p.bytes, Actor::System)
                .await
            {
                Ok(o) => FileOutcome::Committed(o),
                Err(e) if is_refusal(&e) => FileOutcome::Refused(e.to_string()),
                Err(e) => {
                    progress.clear();
                    return Err(anyhow::Error::new(e).context(format!("{}", path.display())));
                }
            },
        };
        progress.clear();
        match &outcome {
            FileOutcome::Committed(CommitOutcome::Imported { .. }) => imported += 1,
            FileOutcome::Committed(CommitOutcome::AlreadyImported { .. }) => again += 1,
            FileOutcome::Refused(reason) => {
                refused += 1;
                eprintln!("nhiemvu: {}: bị từ chối: {reason}", path.display());
            }
            FileOutcome::Unreadable(reason) => {
                unreadable += 1;
                eprintln!("nhiemvu: {}: {reason}", path.display());
            }
        }
        print_outcome(&mut out, path, &outcome, args.json)?;
        progress.tick();
    }
    progress.clear();
    store.close().await;
    if files.len() > 1 {
        eprintln!(
            "Tổng cộng {} tệp: đã nhập {imported}, đã được nhập trước đây {again}, bị từ chối {refused}, không đọc được {unreadable} ({:.1} giây)",
            files.len(),
            progress.started.elapsed().as_secs_f64()
        );
    }
    Ok(exit_code(refused > 0, unreadable > 0))
}

fn exit_code(refused: bool, unreadable: bool) -> ExitCode {
    if unreadable {
        ExitCode::from(2)
    } else if refused {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn print_outcome(
    out: &mut impl Write,
    path: &Path,
    outcome: &FileOutcome,
    json: bool,
) -> std::io::Result<()> {
    if json {
        let line = match outcome {
            FileOutcome::Committed(CommitOutcome::Imported { document, tasks }) => {
                serde_json::json!({
                    "file": path.display().to_string(), "outcome": "imported", "document": document, "tasks": tasks,
                })
            }
            FileOutcome::Committed(CommitOutcome::AlreadyImported { document }) => {
                serde_json::json!({
                    "file": path.display().to_string(), "outcome": "already_imported", "document": document,
                })
            }
            FileOutcome::Refused(reason) => serde_json::json!({
                "file": path.display().to_string(), "outcome": "refused", "reason": reason,
            }),
            FileOutcome::Unreadable(reason) => serde_json::json!({
                "file": path.display().to_string(), "outcome": "unreadable", "reason": reason,
            }),
        };
        serde_json::to_writer(&mut *out, &line)?;
        writeln!(out)
    } else if let FileOutcome::Committed(o) = outcome {
        // Refusals and unreadable files already went to stderr with their reason.
        writeln!(out, "{}: {o}", path.display())
    } else {
        Ok(())
    }
}

/// The bulk progress line: redrawn in place after every file on a terminal, otherwise (a log,
/// a pipe) one line every [`Progress::EVERY`] files so that logs stay short.
struct Progress {
    total: usize,
    done: usize,
    started: Instant,
    terminal: bool,
    drawn: bool,
}

impl Progress {
    const EVERY: usize = 500;

    fn new(total: usize) -> Progress {
        Progress {
            total,
            done: 0,
            started: Instant::now(),
            terminal: std::io::stderr().is_terminal(),
            drawn: false,
        }
    }

    fn tick(&mut self) {
        self.done += 1;
        if self.total < 2 {
            return;
        }
        let elapsed = self
            .started
            .elapsed()
            .max(Duration::from_millis(1))
            .as_secs_f64();
        let line = format!(
            "{}/{} tệp ({:.0}%), {:.1} văn bản/giây",
            self.done,
            self.total,
            100.0 * self.done as f64 / self.total as f64,
            self.done as f64 / elapsed
        );
        if self.terminal {
            eprint!("\r\x1b[2K{line}");
            self.drawn = true;
        } else if self.done.is_multiple_of(Self::EVERY) {
            eprintln!("{line}");
        }
    }

    /// Erases the in-place line before other output goes to the terminal.
    fn clear(&mut self) {
        if self.drawn {
            eprint!("\r\x1b[2K");
            self.drawn = false;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Review files

const REVIEW_FORMAT: &str = "nhiemvu.review/1";

/// An editable proposal (entries refuse unknown fields, so a misspelt field name is reported
/// with its line rather than silently dropped): the parse result as it stands (for reference), where the original is,
/// and the tasks to edit.
#[derive(Serialize, Deserialize)]
struct Review {
    format: String,
    /// How to edit, for the person who opens the file.
    #[serde(default)]
    guide: String,
    source: ReviewSource,
    /// The `nhiemvu.document/1` object of the parse; not read back (the original is parsed
    /// again at commit, so the stored text and spans are the parser's own).
    #[serde(default)]
    document: serde_json::Value,
    tasks: Vec<ReviewTask>,
}

#[derive(Serialize, Deserialize)]
struct ReviewSource {
    path: PathBuf,
    sha256: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReviewTask {
    id: String,
    text: String,
    lead: Vec<ReviewParty>,
    support: Vec<ReviewParty>,
    deadline: ReviewDeadline,
    /// Where the task stands in the text; a task added by hand has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    span: Option<[usize; 2]>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    references: Vec<String>,
}

/// A lead or support party: `kind` is `agency` (must be in the directory), `group` or `unknown`
/// (kept as written: the person editing says so explicitly).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReviewParty {
    name: String,
    kind: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReviewDeadline {
    kind: String,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    every: Option<String>,
}

const GUIDE: &str = "Sửa các mục trong \"tasks\": id (duy nhất), text (không để trống), lead/support \
(mỗi đơn vị: name và kind = agency nếu có trong danh mục cơ quan, group nếu là nhóm cơ quan, unknown nếu \
là đơn vị ngoài danh mục), deadline (kind: date, period, recurring, on_request, conditional, none; date: \
YYYY-MM-DD, không trước ngày ban hành). Mục \"document\" chỉ để tham khảo. Sau đó chạy: \
nhiemvu import --review TỆP --commit";

async fn write_review(
    file: &Path,
    review_path: &Path,
    database: &DatabaseArgs,
) -> anyhow::Result<ExitCode> {
    let prepared = match prepare(file) {
        Ok(p) => p,
        Err(reason) => {
            eprintln!("nhiemvu: {}: {reason}", file.display());
            return Ok(ExitCode::from(2));
        }
    };
    let doc = &prepared.parsed.document;
    if let Some(mark) = &doc.secrecy {
        eprintln!(
            "nhiemvu: {}: bị từ chối: {}",
            file.display(),
            store::Error::SecretDocument(mark.clone())
        );
        return Ok(ExitCode::from(1));
    }
    let store = database.open().await?;
    let mut kinds: HashMap<String, PartyKind> = HashMap::new();
    let mut tasks = Vec::with_capacity(doc.tasks.len());
    for t in &doc.tasks {
        let mut entry = ReviewTask {
            id: t.id.clone(),
            text: t.text.clone(),
            lead: Vec::new(),
            support: Vec::new(),
            deadline: ReviewDeadline {
                kind: t.deadline.kind.clone(),
                date: t.deadline.date.clone(),
                text: t.deadline.text.clone(),
                every: t.deadline.every.clone(),
            },
            span: Some(t.span),
            references: t.references.clone(),
        };
        for (names, into) in [(&t.lead, &mut entry.lead), (&t.support, &mut entry.support)] {
            for name in names {
                let kind = match kinds.get(name) {
                    Some(k) => *k,
                    None => {
                        let k = store.resolve_party(name).await?.0;
                        kinds.insert(name.clone(), k);
                        k
                    }
                };
                into.push(ReviewParty {
                    name: name.clone(),
                    kind: kind.code().to_owned(),
                });
            }
        }
        tasks.push(entry);
    }
    store.close().await;
    let path = std::fs::canonicalize(file)
        .with_context(|| format!("không xác định được đường dẫn của {}", file.display()))?;
    let review = Review {
        format: REVIEW_FORMAT.to_owned(),
        guide: GUIDE.to_owned(),
        source: ReviewSource {
            path,
            sha256: Sha256::of(&prepared.bytes).to_string(),
        },
        document: serde_json::to_value(doc)
            .context("không chuyển được kết quả phân tích sang JSON")?,
        tasks,
    };
    let mut text = serde_json::to_string_pretty(&review)?;
    text.push('\n');
    std::fs::write(review_path, text)
        .with_context(|| format!("không ghi được {}", review_path.display()))?;
    println!(
        "đã ghi đề xuất {} nhiệm vụ vào {}; sửa tệp rồi chạy: nhiemvu import --review {} --commit",
        review.tasks.len(),
        review_path.display(),
        review_path.display()
    );
    Ok(ExitCode::SUCCESS)
}

async fn commit_review(
    review_path: &Path,
    database: &DatabaseArgs,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let text = match std::fs::read_to_string(review_path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!(
                "nhiemvu: {}: không đọc được tệp rà soát: {e}",
                review_path.display()
            );
            return Ok(ExitCode::from(2));
        }
    };
    let review: Review = match serde_json::from_str(&text) {
        Ok(r) => r,
        Err(e) => {
            eprintln!(
                "nhiemvu: {}: tệp rà soát không đúng cấu trúc: {e}",
                review_path.display()
            );
            return Ok(ExitCode::from(2));
        }
    };
    if review.format != REVIEW_FORMAT {
        eprintln!(
            "nhiemvu: {}: không phải tệp rà soát {REVIEW_FORMAT} (format = {:?})",
            review_path.display(),
            review.format
        );
        return Ok(ExitCode::from(2));
    }
    let original = &review.source.path;
    let mut prepared = match prepare(original) {
        Ok(p) => p,
        Err(reason) => {
            eprintln!("nhiemvu: {}: {reason}", original.display());
            return Ok(ExitCode::from(2));
        }
    };
    let actual = Sha256::of(&prepared.bytes);
    if !actual.as_str().eq_ignore_ascii_case(&review.source.sha256) {
        eprintln!(
            "nhiemvu: {}: bị từ chối: tệp gốc {} đã thay đổi sau khi lập tệp rà soát (SHA-256 {} thay vì {}); hãy lập lại tệp rà soát",
            review_path.display(),
            original.display(),
            actual,
            review.source.sha256
        );
        return Ok(ExitCode::from(1));
    }
    let store = database.open().await?;
    let problems = validate(
        &store,
        &review.tasks,
        prepared.parsed.document.date.as_deref(),
    )
    .await?;
    if !problems.is_empty() {
        store.close().await;
        for p in &problems {
            eprintln!("nhiemvu: {}: {p}", review_path.display());
        }
        eprintln!(
            "nhiemvu: {}: bị từ chối: tệp rà soát có {} lỗi, không ghi gì",
            review_path.display(),
            problems.len()
        );
        return Ok(ExitCode::from(1));
    }
    prepared.parsed.document.tasks = review.tasks.into_iter().map(into_task).collect();
    let result = store
        .commit_document(&prepared.parsed, &prepared.bytes, Actor::System)
        .await;
    store.close().await;
    let outcome = match result {
        Ok(o) => FileOutcome::Committed(o),
        Err(e) if is_refusal(&e) => FileOutcome::Refused(e.to_string()),
        Err(e) => return Err(e.into()),
    };
    if let FileOutcome::Refused(reason) = &outcome {
        eprintln!("nhiemvu: {}: bị từ chối: {reason}", original.display());
    }
    let stdout = std::io::stdout();
    print_outcome(&mut stdout.lock(), original, &outcome, json)?;
    Ok(exit_code(matches!(outcome, FileOutcome::Refused(_)), false))
}

/// Every problem of the edited tasks, each naming the task and the field.
async fn validate(
    store: &Store,
    tasks: &[ReviewTask],
    issued: Option<&str>,
) -> anyhow::Result<Vec<String>> {
    let issued: Option<vn_calendar::Date> = issued.and_then(|d| d.parse().ok());
    let mut problems = Vec::new();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, t) in tasks.iter().enumerate() {
        let n = i + 1;
        let who = if t.id.trim().is_empty() {
            format!("nhiệm vụ ở mục thứ {n}")
        } else {
            format!("nhiệm vụ {}", t.id)
        };
        if t.id.trim().is_empty() {
            problems.push(format!("{who}: trường \"id\" để trống"));
        } else if let Some(first) = seen.insert(t.id.as_str(), n) {
            problems.push(format!(
                "{who}: trường \"id\" bị trùng (mục thứ {first} và mục thứ {n})"
            ));
        }
        if t.text.trim().is_empty() {
            problems.push(format!("{who}: trường \"text\" để trống"));
        }
        for (field, parties) in [("lead", &t.lead), ("support", &t.support)] {
            for (k, p) in parties.iter().enumerate() {
                let at = format!("{who}: \"{field}\"[{k}]");
                if p.name.trim().is_empty() {
                    problems.push(format!("{at}: tên đơn vị để trống"));
                    continue;
                }
                match p.kind.parse::<PartyKind>() {
                    Ok(PartyKind::Agency) => {
                        if store.resolve_party(&p.name).await?.1.is_none() {
                            problems.push(format!(
                                "{at}: \"{}\" không có trong danh mục cơ quan; nếu đúng là nhóm cơ quan hoặc đơn vị ngoài danh mục, ghi \"kind\": \"group\" hoặc \"unknown\"",
                                p.name
                            ));
                        }
                    }
                    Ok(PartyKind::Group | PartyKind::Unknown) => {}
                    Err(_) => problems.push(format!(
                        "{at}: \"kind\" là {:?}, phải là agency, group hoặc unknown",
                        p.kind
                    )),
                }
            }
        }
        let d = &t.deadline;
        let kind = match d.kind.parse::<DeadlineKind>() {
            Ok(k) => Some(k),
            Err(_) => {
                problems.push(format!(
                    "{who}: \"deadline.kind\" là {:?}, phải là date, period, recurring, on_request, conditional hoặc none",
                    d.kind
                ));
                None
            }
        };
        match d
            .date
            .as_deref()
            .map(|s| (s, s.parse::<vn_calendar::Date>()))
        {
            Some((s, Err(_))) => problems.push(format!(
                "{who}: \"deadline.date\" {s:?} không phải ngày dạng YYYY-MM-DD"
            )),
            Some((_, Ok(date))) => {
                if let Some(issued) = issued.filter(|&i| date < i) {
                    problems.push(format!(
                        "{who}: \"deadline.date\" {date} trước ngày ban hành văn bản {issued}"
                    ));
                }
            }
            None if matches!(kind, Some(DeadlineKind::Date | DeadlineKind::Period)) => {
                problems.push(format!(
                    "{who}: \"deadline.date\" phải có khi \"deadline.kind\" là {}",
                    d.kind
                ));
            }
            None => {}
        }
    }
    Ok(problems)
}

fn into_task(t: ReviewTask) -> doc_parse::Task {
    let names = |parties: Vec<ReviewParty>| parties.into_iter().map(|p| p.name).collect();
    doc_parse::Task {
        id: t.id,
        text: t.text,
        lead: names(t.lead),
        support: names(t.support),
        deadline: doc_parse::Deadline {
            kind: t.deadline.kind,
            date: t.deadline.date,
            text: t.deadline.text,
            every: t.deadline.every,
        },
        references: t.references,
        span: t.span.unwrap_or([0, 0]),
    }
}
