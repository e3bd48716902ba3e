//! `nhiemvu import`: commit parsed documents to the store, at once or through an editable review
//! file (PRODUCT.md, command-line conventions).
//!
//! - `import FILE… --commit`: parse and commit each file (a folder: every file directly in it),
//!   with a progress line on stderr and a summary at the end.
//! - `import FILE --review R`: write the proposal to R (JSON) for editing.
//! - `import --review R --commit`: check R as edited and commit it, in one transaction.
//!
//! A task sheet (XLSX) goes the same ways: its header row is recognised by the column titles
//! (or the columns are given once with `--columns FILE`), each row is a task, and the sheet is
//! stored as a document of kind `khac` named after the file, idempotent on its SHA-256 like any
//! other file. The review file records the column mapping used, so the clerk can check it.
//!
//! An edXML package (QCVN 102:2016, recognised by its content) goes the same ways: its main
//! attachment is read and parsed like any file, the package header's metadata wins where the
//! two disagree (with a warning), and the package itself is stored as the original. A status
//! message is reported, not imported; a revocation is refused (see the "edXML packages"
//! section below).
//!
//! Exit status: 2 when a file could not be read (or usage), else 1 when a rule refused a file,
//! else 0 (a file imported before counts as done).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use serde::{Deserialize, Serialize};
use store::{Actor, CommitOutcome, ReviewTask, Sha256};

use crate::database::{DatabaseArgs, block_on, is_refusal};

/// Arguments of `nhiemvu import`.
#[derive(clap::Args)]
pub struct ImportArgs {
    /// Tệp văn bản (TXT, DOCX, DOC, PDF), gói edXML, bảng nhiệm vụ (XLSX) hoặc thư mục (nhập mọi tệp trong đó)
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
    /// Bảng tính XLSX: tệp JSON ghép cột với trường khi không nhận ra hàng tiêu đề,
    /// ví dụ {"A": "tt", "B": "noi_dung", "C": "chu_tri", "D": "phoi_hop", "E": "thoi_han", "F": "van_ban_giao"}
    #[arg(long, value_name = "TỆP")]
    columns: Option<PathBuf>,
    /// Bảng tính XLSX: tên trang tính cần đọc (mặc định trang đầu tiên)
    #[arg(long, value_name = "TÊN")]
    sheet: Option<String>,
    #[command(flatten)]
    database: DatabaseArgs,
}

pub fn run(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let mut sheet = SheetOptions {
        name: args.sheet.clone(),
        columns: None,
        tasks: true,
    };
    if let Some(path) = &args.columns {
        match Mapping::from_file(path) {
            Ok(columns) => sheet.columns = Some(columns),
            Err(reason) => {
                eprintln!("nhiemvu: {reason}");
                return Ok(ExitCode::from(2));
            }
        }
    }
    match (&args.review, args.commit, args.files.len()) {
        (None, true, n) if n > 0 => block_on(bulk(&args, &sheet)),
        (Some(review), false, 1) => {
            block_on(write_review(&args.files[0], review, &args.database, &sheet))
        }
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
    /// For a task sheet: the worksheet read and the column mapping used.
    sheet: Option<ReviewSheet>,
    /// What the user should know before it is committed (for an edXML package: what the
    /// reader noticed and where the header overrode the text), one line each.
    notes: Vec<String>,
}

/// Why a file gives nothing to commit.
enum NotImported {
    /// It could not be read (exit 2).
    Unreadable(String),
    /// A rule refuses it (exit 1).
    Refused(String),
    /// It reports on documents rather than being one (an edXML status message): said, and
    /// counted as done.
    Report(String),
}

impl From<String> for NotImported {
    fn from(reason: String) -> NotImported {
        NotImported::Unreadable(reason)
    }
}

impl NotImported {
    fn exit(&self) -> ExitCode {
        match self {
            NotImported::Unreadable(_) => ExitCode::from(2),
            NotImported::Refused(_) => ExitCode::from(1),
            NotImported::Report(_) => ExitCode::SUCCESS,
        }
    }
}

impl std::fmt::Display for NotImported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotImported::Unreadable(r) | NotImported::Report(r) => f.write_str(r),
            NotImported::Refused(r) => write!(f, "bị từ chối: {r}"),
        }
    }
}

/// Reads and parses one file (a task sheet through `sheet`, an edXML package through its main
/// attachment); the error says why there is nothing to commit.
fn prepare(path: &Path, sheet: &SheetOptions) -> Result<Prepared, NotImported> {
    let limit = ingest::Options::default().limits.max_file_bytes;
    let meta = std::fs::metadata(path).map_err(|e| format!("không đọc được tệp: {e}"))?;
    if !meta.is_file() {
        return Err("không phải là tệp".to_owned().into());
    }
    if meta.len() > limit {
        return Err(format!("tệp quá lớn: {} byte, giới hạn là {limit} byte", meta.len()).into());
    }
    let bytes = std::fs::read(path).map_err(|e| format!("không đọc được tệp: {e}"))?;
    let name = file_name(path);
    // A file named .xlsx that is not a workbook is refused as one rather than read as text.
    let named_xlsx = Path::new(&name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx") || e.eq_ignore_ascii_case("xlsm"));
    if named_xlsx || ingest::looks_like_workbook(&bytes) {
        return Ok(prepare_sheet(bytes, name, sheet)?);
    }
    // By content first (names lie), by name for a package too damaged to recognise, so that it
    // is refused as a package with the reader's precise reason rather than read as text.
    if intake::is_edxml(&name, &bytes) {
        return prepare_edxml(bytes, name);
    }
    let extracted = ingest::read_bytes(&bytes, &name, &ingest::Options::default())
        .map_err(|e| e.to_string())?;
    let source = doc_parse::SourceInfo {
        file: name,
        format: extracted.format.as_str().to_owned(),
        sha256: extracted.sha256.clone(),
    };
    let parsed = doc_parse::parse(&extracted.text, source);
    Ok(Prepared {
        bytes,
        parsed,
        sheet: None,
        notes: Vec::new(),
    })
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
    /// An edXML status message: what it says.
    Reported(String),
}

async fn bulk(args: &ImportArgs, sheet: &SheetOptions) -> anyhow::Result<ExitCode> {
    let files = expand(&args.files)?;
    let store = args.database.open().await?;
    let mut progress = Progress::new(files.len());
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let (mut imported, mut again, mut refused, mut unreadable) = (0usize, 0usize, 0usize, 0usize);
    let mut reported = 0usize;
    // Reading and parsing run on a second thread while this one commits, so a bulk import
    // uses both cores; the bounded channel keeps memory flat however large the folder.
    let (sender, prepared) = std::sync::mpsc::sync_channel(16);
    let reader = {
        let files = files.clone();
        let sheet = sheet.clone();
        std::thread::spawn(move || {
            for path in files {
                let result = prepare(&path, &sheet);
                if sender.send(result).is_err() {
                    break;
                }
            }
        })
    };
    for path in &files {
        let Ok(next) = prepared.recv() else { break };
        let outcome = match next {
            Err(NotImported::Unreadable(reason)) => FileOutcome::Unreadable(reason),
            Err(NotImported::Refused(reason)) => FileOutcome::Refused(reason),
            Err(NotImported::Report(text)) => FileOutcome::Reported(text),
            Ok(p) => {
                progress.clear();
                print_notes(path, &p.notes);
                match store
                    .commit_document(&p.parsed, &p.bytes, Actor::System)
                    .await
                {
                    Ok(o) => FileOutcome::Committed(o),
                    Err(e) if is_refusal(&e) => FileOutcome::Refused(e.to_string()),
                    Err(e) => {
                        return Err(anyhow::Error::new(e).context(format!("{}", path.display())));
                    }
                }
            }
        };
        progress.clear();
        match &outcome {
            FileOutcome::Committed(CommitOutcome::Imported { .. }) => imported += 1,
            FileOutcome::Committed(CommitOutcome::AlreadyImported { .. }) => again += 1,
            FileOutcome::Reported(_) => reported += 1,
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
    drop(prepared);
    let _ = reader.join();
    store.close().await;
    if files.len() > 1 {
        // Status messages are named only when there were some, so the usual line stays as it was.
        let statuses = if reported > 0 {
            format!(", thông điệp trạng thái {reported}")
        } else {
            String::new()
        };
        eprintln!(
            "Tổng cộng {} tệp: đã nhập {imported}, đã được nhập trước đây {again}, bị từ chối {refused}, không đọc được {unreadable}{statuses} ({:.1} giây)",
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
            FileOutcome::Reported(text) => serde_json::json!({
                "file": path.display().to_string(), "outcome": "status", "message": text,
            }),
        };
        serde_json::to_writer(&mut *out, &line)?;
        writeln!(out)
    } else {
        // Refusals and unreadable files already went to stderr with their reason.
        match outcome {
            FileOutcome::Committed(o) => writeln!(out, "{}: {o}", path.display()),
            FileOutcome::Reported(text) => writeln!(out, "{}: {text}", path.display()),
            FileOutcome::Refused(_) | FileOutcome::Unreadable(_) => Ok(()),
        }
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
    /// For a task sheet: the worksheet and the column mapping used (for reference: the tasks
    /// below are what is committed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sheet: Option<ReviewSheet>,
    tasks: Vec<ReviewTask>,
}

#[derive(Serialize, Deserialize)]
struct ReviewSource {
    path: PathBuf,
    sha256: String,
}

const GUIDE: &str = "Sửa các mục trong \"tasks\": id (duy nhất), text (không để trống), lead/support \
(mỗi đơn vị: name và kind = agency nếu có trong danh mục cơ quan, group nếu là nhóm cơ quan, unknown nếu \
là đơn vị ngoài danh mục), deadline (kind: date, period, recurring, on_request, conditional, none; date: \
YYYY-MM-DD, không trước ngày ban hành), references (số ký hiệu văn bản giao). Mục \"document\" (và \"sheet\": trang tính và cách ghép cột đã dùng, với bảng tính) chỉ để tham khảo. Sau đó chạy: \
nhiemvu import --review TỆP --commit";

async fn write_review(
    file: &Path,
    review_path: &Path,
    database: &DatabaseArgs,
    sheet: &SheetOptions,
) -> anyhow::Result<ExitCode> {
    let prepared = match prepare(file, sheet) {
        Ok(p) => p,
        Err(reason) => {
            eprintln!("nhiemvu: {}: {reason}", file.display());
            return Ok(reason.exit());
        }
    };
    print_notes(file, &prepared.notes);
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
    let tasks = store.propose(doc).await?;
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
        sheet: prepared.sheet,
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
    // The tasks come from the review, so a sheet is read only for its text and references.
    let sheet = SheetOptions {
        name: review.sheet.as_ref().map(|s| s.name.clone()),
        columns: None,
        tasks: false,
    };
    let mut prepared = match prepare(original, &sheet) {
        Ok(p) => p,
        Err(reason) => {
            eprintln!("nhiemvu: {}: {reason}", original.display());
            return Ok(reason.exit());
        }
    };
    print_notes(original, &prepared.notes);
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
    let problems = store
        .check_review(&review.tasks, prepared.parsed.document.date.as_deref())
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
    prepared.parsed.document.tasks = review.tasks.into_iter().map(ReviewTask::into_task).collect();
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

// ---------------------------------------------------------------------------------------------
// Task sheets (XLSX)

/// A column of a task sheet, by the code mapping files and review files use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Field {
    Number,
    Content,
    Lead,
    Support,
    Deadline,
    Source,
}

impl Field {
    const ALL: [Field; 6] = [
        Field::Number,
        Field::Content,
        Field::Lead,
        Field::Support,
        Field::Deadline,
        Field::Source,
    ];

    fn code(self) -> &'static str {
        match self {
            Field::Number => "tt",
            Field::Content => "noi_dung",
            Field::Lead => "chu_tri",
            Field::Support => "phoi_hop",
            Field::Deadline => "thoi_han",
            Field::Source => "van_ban_giao",
        }
    }

    /// `noi_dung`, or the title as a clerk writes it ("Nội dung", "văn bản giao").
    fn parse(s: &str) -> Option<Field> {
        let key = vn_text::fold(s.trim()).replace([' ', '-'], "_");
        Field::ALL.into_iter().find(|f| f.code() == key)
    }
}

/// Column titles that name each field, folded. Lead and support are recognised anywhere in the
/// title ("Cơ quan, đơn vị chủ trì thực hiện"); the others must open it ("Thời hạn hoàn
/// thành", "Nội dung công việc"), because "nội dung" or "văn bản" inside another title means
/// something else. Checked in this order, so "Đơn vị phối hợp" is support before anything else.
const TITLES: &[(Field, bool, &[&str])] = &[
    (
        Field::Lead,
        true,
        &["chu tri", "co quan thuc hien", "don vi thuc hien"],
    ),
    (Field::Support, true, &["phoi hop"]),
    (Field::Number, false, &["tt", "stt", "so tt", "so thu tu"]),
    (
        Field::Deadline,
        false,
        &[
            "thoi han",
            "thoi gian hoan thanh",
            "thoi gian",
            "han",
            "han hoan thanh",
        ],
    ),
    (
        Field::Source,
        false,
        &["van ban giao", "van ban", "can cu", "nguon"],
    ),
    (
        Field::Content,
        false,
        &["noi dung", "nhiem vu", "cong viec", "ten nhiem vu"],
    ),
];

/// How many rows from the top a header row is looked for in (a title block above it takes a
/// handful).
const HEADER_SEARCH_ROWS: usize = 30;

/// Which column holds each field, and where the tasks start.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Mapping {
    /// Field → 0-based column.
    columns: std::collections::BTreeMap<Field, usize>,
    /// The 1-based row of the titles, when there is one.
    header_row: Option<usize>,
    /// The 1-based row of the first task.
    first_row: usize,
}

/// The columns a `--columns` file names, before a sheet is seen.
#[derive(Clone)]
struct GivenColumns {
    /// The 1-based row of the first task, when the file says.
    first_row: Option<usize>,
    /// 0-based column and its field.
    columns: Vec<(usize, Field)>,
}

/// The mapping as the review file shows it: column letters → field codes.
#[derive(Serialize, Deserialize)]
struct ReviewSheet {
    /// The worksheet read (its tab name).
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    header_row: Option<usize>,
    first_row: usize,
    columns: std::collections::BTreeMap<String, String>,
}

impl Mapping {
    fn to_review(&self, name: &str) -> ReviewSheet {
        ReviewSheet {
            name: name.to_owned(),
            header_row: self.header_row,
            first_row: self.first_row,
            columns: self
                .columns
                .iter()
                .map(|(f, &c)| (ingest::column_name(c as u32 + 1), f.code().to_owned()))
                .collect(),
        }
    }

    /// Reads a `--columns` file: `{"A": "tt", "B": "noi_dung", …}`, optionally with
    /// `"first_row": N`. Without it the tasks start after the first row that has text in a
    /// mapped column (the sheet's own titles).
    fn from_file(path: &Path) -> Result<GivenColumns, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("{}: không đọc được tệp ghép cột: {e}", path.display()))?;
        let bad =
            |detail: String| format!("{}: tệp ghép cột không hợp lệ: {detail}", path.display());
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
        let object = value
            .as_object()
            .ok_or_else(|| bad("phải là một đối tượng JSON {\"A\": \"noi_dung\", …}".to_owned()))?;
        let mut first_row = None;
        let mut columns = Vec::new();
        for (key, v) in object {
            if key == "first_row" {
                let n = v.as_u64().filter(|&n| n >= 1).ok_or_else(|| {
                    bad(format!(
                        "\"first_row\" phải là số hàng (từ 1), không phải {v}"
                    ))
                })?;
                first_row = Some(n as usize);
                continue;
            }
            let column = ingest::column_number(key.trim())
                .ok_or_else(|| bad(format!("\"{key}\" không phải tên cột (A, B, …, AA)")))?;
            let field = v.as_str().and_then(Field::parse).ok_or_else(|| {
                bad(format!(
                    "cột {key}: {v} không phải trường; dùng tt, noi_dung, chu_tri, phoi_hop, thoi_han hoặc van_ban_giao"
                ))
            })?;
            columns.push((column as usize - 1, field));
        }
        Ok(GivenColumns { first_row, columns })
    }

    /// The mapping of a `--columns` file applied to a sheet.
    fn given(sheet: &ingest::Sheet, given: &GivenColumns) -> Result<Mapping, String> {
        let mut map = std::collections::BTreeMap::new();
        for &(column, field) in &given.columns {
            if let Some(other) = map.insert(field, column) {
                return Err(format!(
                    "tệp ghép cột gán trường {} cho hai cột ({} và {})",
                    field.code(),
                    ingest::column_name(other as u32 + 1),
                    ingest::column_name(column as u32 + 1)
                ));
            }
        }
        if !map.contains_key(&Field::Content) {
            return Err("tệp ghép cột phải chỉ cột nội dung nhiệm vụ (\"noi_dung\")".to_owned());
        }
        let (header_row, first_row) = match given.first_row {
            Some(n) => (None, n),
            None => {
                let header = sheet
                    .rows
                    .iter()
                    .position(|row| {
                        map.values()
                            .any(|&c| row.get(c).is_some_and(|s| !s.trim().is_empty()))
                    })
                    .map(|i| i + 1);
                (header, header.map_or(1, |h| h + 1))
            }
        };
        Ok(Mapping {
            columns: map,
            header_row,
            first_row,
        })
    }

    /// The mapping read from the sheet's own header row, if one is recognised: a row within
    /// the first [`HEADER_SEARCH_ROWS`] naming the content column and a lead, support or
    /// deadline column.
    fn detect(sheet: &ingest::Sheet) -> Option<Mapping> {
        for (i, row) in sheet.rows.iter().take(HEADER_SEARCH_ROWS).enumerate() {
            let mut map = std::collections::BTreeMap::new();
            for (column, cell) in row.iter().enumerate() {
                if let Some(field) = title_field(cell).filter(|f| !map.contains_key(f)) {
                    map.insert(field, column);
                }
            }
            let useful = [Field::Lead, Field::Support, Field::Deadline]
                .iter()
                .any(|f| map.contains_key(f));
            if map.contains_key(&Field::Content) && useful {
                return Some(Mapping {
                    columns: map,
                    header_row: Some(i + 1),
                    first_row: i + 2,
                });
            }
        }
        None
    }
}

/// The field a column title names, if any (see [`TITLES`]).
fn title_field(title: &str) -> Option<Field> {
    let folded: String = vn_text::fold(title)
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let key = folded.split_whitespace().collect::<Vec<_>>().join(" ");
    if key.is_empty() {
        return None;
    }
    let padded = format!(" {key} ");
    TITLES.iter().find_map(|(field, anywhere, names)| {
        names
            .iter()
            .any(|n| {
                if *anywhere {
                    padded.contains(&format!(" {n} "))
                } else {
                    key == *n || key.starts_with(&format!("{n} "))
                }
            })
            .then_some(*field)
    })
}

/// The message when a sheet's columns are neither recognised nor mapped.
fn no_header_message() -> String {
    "không nhận ra hàng tiêu đề của bảng (cần các cột như \"Nội dung\", \"Chủ trì\", \"Phối hợp\", \"Thời hạn\"); \
     hãy chỉ rõ cột bằng --columns TỆP, tệp JSON dạng {\"A\": \"tt\", \"B\": \"noi_dung\", \"C\": \"chu_tri\", \
     \"D\": \"phoi_hop\", \"E\": \"thoi_han\", \"F\": \"van_ban_giao\"}"
        .to_owned()
}

/// How to read a workbook given on the command line or named by a review file.
#[derive(Default, Clone)]
struct SheetOptions {
    /// The worksheet, by tab name; the first one otherwise.
    name: Option<String>,
    /// From `--columns`: the first task row, and the fields by column.
    columns: Option<GivenColumns>,
    /// Read the tasks (not when committing a review: its tasks replace them).
    tasks: bool,
}

/// One line per row, cells separated by a tab (the DOCX reader's convention for data tables),
/// and the byte range of each line.
fn sheet_text(sheet: &ingest::Sheet) -> (String, Vec<[usize; 2]>) {
    let mut text = String::new();
    let mut lines = Vec::with_capacity(sheet.rows.len());
    for row in &sheet.rows {
        let start = text.len();
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                text.push('\t');
            }
            text.push_str(&flat(cell));
        }
        lines.push([start, text.len()]);
        text.push('\n');
    }
    (text, lines)
}

/// A cell on one line: line breaks inside a cell (Alt+Enter) and runs of spaces become one
/// space.
fn flat(cell: &str) -> String {
    cell.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Section headings inside a task table: "I", "II", "A" in the number column.
fn is_section_label(label: &str) -> bool {
    let label = label.trim_end_matches('.');
    !label.is_empty()
        && (label.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L'))
            || (label.len() == 1 && label.chars().all(|c| c.is_ascii_uppercase())))
}

/// The deadline in a cell: an Excel date (read as an ISO date), else the parser's reading of
/// the text. The column says the cell is a deadline, so a bare "Quý II/2026" or "30/6/2026"
/// counts, which in running text needs a word such as "trước" or "trong".
fn cell_deadline(cell: &str) -> doc_parse::Deadline {
    let written = flat(cell);
    if written.is_empty() {
        return doc_parse::Deadline {
            kind: "none".to_owned(),
            date: None,
            text: None,
            every: None,
        };
    }
    if let Ok(date) = written.parse::<vn_calendar::Date>() {
        return doc_parse::Deadline {
            kind: "date".to_owned(),
            date: Some(date.to_string()),
            text: Some(written),
            every: None,
        };
    }
    let mut read = doc_parse::read_deadline(&written, None);
    if read.kind == "none" {
        read = doc_parse::read_deadline(&format!("hoàn thành trước {written}"), None);
    }
    if read.kind == "none" {
        read = doc_parse::read_deadline(&format!("hoàn thành trong {written}"), None);
    }
    read.text = Some(written);
    read
}

/// Parties named in a lead or support cell; catch-alls ("các đơn vị liên quan") left out,
/// bodies outside the directory kept as written. Lines of a cell are separate parties.
fn cell_parties(cell: &str) -> Vec<String> {
    let phrase = cell
        .lines()
        .map(|l| l.trim().trim_start_matches(['-', '+', '•']).trim())
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    gazetteer::Gazetteer::embedded()
        .parse_list(&phrase)
        .into_iter()
        .filter(|p| !p.is_catch_all())
        .map(|p| p.name().to_owned())
        .collect()
}

/// The codes of the documents a "văn bản giao" cell cites; the text as written when it cites
/// none the citation finder knows.
fn cell_references(cell: &str) -> Vec<String> {
    let written = flat(cell);
    let mut codes: Vec<String> = Vec::new();
    for c in legal_ref::find(&written) {
        let code = c.resolved_from.unwrap_or(c.code);
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    if codes.is_empty() && !written.is_empty() {
        codes.push(written);
    }
    codes
}

/// The tasks of a sheet under a mapping: one per row from `first_row` whose content cell has
/// words. Rows whose number is a section label ("I", "A") and that name no lead, support or
/// deadline are headings; the tasks under them are numbered "I.1", "I.2"…, so numbers that
/// restart in each section stay unique. A task's id is its number, else its row ("dòng 12").
fn sheet_tasks(
    sheet: &ingest::Sheet,
    mapping: &Mapping,
    lines: &[[usize; 2]],
) -> Vec<doc_parse::Task> {
    let cell = |row: &[String], f: Field| -> String {
        mapping
            .columns
            .get(&f)
            .and_then(|&c| row.get(c))
            .cloned()
            .unwrap_or_default()
    };
    let mut tasks = Vec::new();
    let mut ids = std::collections::HashSet::new();
    let mut section: Option<String> = None;
    for (i, row) in sheet
        .rows
        .iter()
        .enumerate()
        .skip(mapping.first_row.saturating_sub(1))
    {
        let text = flat(&cell(row, Field::Content));
        if !text.chars().any(char::is_alphabetic) {
            continue;
        }
        let number = flat(&cell(row, Field::Number));
        let (lead, support, deadline) = (
            cell(row, Field::Lead),
            cell(row, Field::Support),
            cell(row, Field::Deadline),
        );
        if is_section_label(&number)
            && [&lead, &support, &deadline]
                .iter()
                .all(|c| c.trim().is_empty())
        {
            section = Some(number.trim_end_matches('.').to_owned());
            continue;
        }
        let label = number.trim_end_matches('.');
        let mut id = match (
            &section,
            label.is_empty(),
            mapping.columns.contains_key(&Field::Number),
        ) {
            (_, _, false) => (i + 1).to_string(),
            (_, true, true) => format!("dòng {}", i + 1),
            (Some(s), false, true) => format!("{s}.{label}"),
            (None, false, true) => label.to_owned(),
        };
        if !ids.insert(id.clone()) {
            id = format!("dòng {}", i + 1);
            ids.insert(id.clone());
        }
        tasks.push(doc_parse::Task {
            id,
            text,
            lead: cell_parties(&lead),
            support: cell_parties(&support),
            deadline: cell_deadline(&deadline),
            references: cell_references(&cell(row, Field::Source)),
            span: lines.get(i).copied().unwrap_or([0, 0]),
        });
    }
    tasks
}

/// A task sheet as a document of kind `khac` named after the file: its text is the sheet, one
/// row per line, its references the citations found in it, its tasks the sheet's rows.
fn prepare_sheet(bytes: Vec<u8>, name: String, options: &SheetOptions) -> Result<Prepared, String> {
    let limits = ingest::Limits::default();
    let sheet = match &options.name {
        Some(n) => ingest::read_named_sheet(&bytes, n, &limits),
        None => ingest::read_sheet(&bytes, &limits),
    }
    .map_err(|e| e.to_string())?;
    let (text, lines) = sheet_text(&sheet);
    let mut document = doc_parse::Document::empty(doc_parse::Source {
        file: name.clone(),
        format: "xlsx".to_owned(),
        sha256: Sha256::of(&bytes).to_string(),
    });
    document.kind = Some("khac".to_owned());
    document.subject = Some(name);
    document.references = legal_ref::find(&text)
        .into_iter()
        .map(|c| doc_parse::Reference {
            kind: c.kind.map(str::to_owned),
            code: c.code,
            number: c.number,
            year: c.year,
            symbol: c.symbol,
            date: c.date.map(|d| d.to_string()),
            issuer: c.issuer,
            text: c.text,
            span: [c.span.start, c.span.end],
            resolved_from: c.resolved_from,
        })
        .collect();
    let mut review = ReviewSheet {
        name: sheet.name.clone(),
        header_row: None,
        first_row: 1,
        columns: Default::default(),
    };
    if options.tasks {
        let mapping = match &options.columns {
            Some(given) => Mapping::given(&sheet, given)?,
            None => Mapping::detect(&sheet).ok_or_else(no_header_message)?,
        };
        document.tasks = sheet_tasks(&sheet, &mapping, &lines);
        review = mapping.to_review(&sheet.name);
    }
    Ok(Prepared {
        bytes,
        parsed: doc_parse::Parsed { document, text },
        sheet: Some(review),
        notes: Vec::new(),
    })
}

/// Prints what the user should know about a file before it is committed.
fn print_notes(path: &Path, notes: &[String]) {
    for note in notes {
        eprintln!("nhiemvu: {}: cảnh báo: {note}", path.display());
    }
}

// ---------------------------------------------------------------------------------------------
// edXML packages (QCVN 102:2016): read by the `intake` crate, which the API shares.

fn prepare_edxml(bytes: Vec<u8>, name: String) -> Result<Prepared, NotImported> {
    match intake::edxml_package(bytes, name) {
        Ok(received) => Ok(Prepared {
            bytes: received.bytes,
            parsed: received.parsed,
            sheet: None,
            notes: received.notes,
        }),
        Err(intake::NotDocument::Unreadable(r)) => Err(NotImported::Unreadable(r)),
        Err(intake::NotDocument::Refused(r)) => Err(NotImported::Refused(r)),
        Err(intake::NotDocument::Report(r)) => Err(NotImported::Report(r)),
    }
}
