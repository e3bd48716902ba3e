//! `nhiemvu tasks`: the stored tasks with their lead agency now and as assigned, deadline and
//! progress.
//!
//! `--as-of DATE` first applies every reorganisation due by DATE, as the daily job does, and then
//! lists: the current agency is then the one the store holds, the same one every other view
//! shows, rather than a second notion computed only here. Applying is idempotent and audited.
//! A listing must never change what is true today, so a DATE after today is refused: a
//! reorganisation not yet in force is not applied by looking ahead.

use std::collections::HashMap;
use std::io::Write;
use std::process::ExitCode;

use store::{Actor, Assignment, AssignmentRole, DocumentCode, DocumentId, Store, Task};

use crate::database::{DatabaseArgs, block_on};

/// Arguments of `nhiemvu tasks`.
#[derive(clap::Args)]
pub struct TasksArgs {
    /// Chỉ nhiệm vụ giao cho cơ quan này (chủ trì hoặc phối hợp), hiện nay hoặc lúc giao
    #[arg(long, value_name = "TÊN")]
    agency: Option<String>,
    /// Chỉ nhiệm vụ của văn bản này: số, ký hiệu (2395/UBND-KTTH) hoặc mã số văn bản
    #[arg(long, value_name = "SỐ_KÝ_HIỆU")]
    document: Option<String>,
    /// Năm ban hành, cùng --document khi số, ký hiệu trùng giữa các năm
    #[arg(long, requires = "document")]
    year: Option<i32>,
    /// Áp dụng các đợt sắp xếp tổ chức có hiệu lực đến ngày này rồi mới liệt kê (YYYY-MM-DD)
    #[arg(long, value_name = "NGÀY")]
    as_of: Option<String>,
    /// In JSON Lines, mỗi nhiệm vụ một dòng
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    database: DatabaseArgs,
}

pub fn run(args: TasksArgs) -> anyhow::Result<ExitCode> {
    let as_of = match args
        .as_of
        .as_deref()
        .map(str::parse::<vn_calendar::Date>)
        .transpose()
    {
        Ok(d) => d,
        Err(_) => {
            eprintln!(
                "nhiemvu: ngày không hợp lệ: {:?} (dạng YYYY-MM-DD)",
                args.as_of.unwrap_or_default()
            );
            return Ok(ExitCode::from(2));
        }
    };
    if let Some(date) = as_of.filter(|d| *d > today_in_vietnam()) {
        eprintln!(
            "nhiemvu: --as-of {date} là ngày trong tương lai; chỉ dùng hôm nay hoặc một ngày đã qua"
        );
        return Ok(ExitCode::from(1));
    }
    block_on(list(args, as_of))
}

/// Today's date in Asia/Ho_Chi_Minh (UTC+7, no daylight saving).
fn today_in_vietnam() -> vn_calendar::Date {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = (seconds + 7 * 3600) / 86_400;
    vn_calendar::Date::from_days_since_epoch(days as i32)
        .expect("today is within the calendar's range")
}

async fn list(args: TasksArgs, as_of: Option<vn_calendar::Date>) -> anyhow::Result<ExitCode> {
    let store = args.database.open().await?;
    let result = list_in(&store, &args, as_of).await;
    store.close().await;
    result
}

async fn list_in(
    store: &Store,
    args: &TasksArgs,
    as_of: Option<vn_calendar::Date>,
) -> anyhow::Result<ExitCode> {
    if let Some(date) = as_of {
        let applied = store.apply_due_reorganisations(date, Actor::System).await?;
        if !applied.is_empty() {
            eprintln!(
                "đã áp dụng {} đợt sắp xếp tổ chức có hiệu lực đến ngày {date}",
                applied.len()
            );
        }
    }
    let tasks = match &args.document {
        Some(key) => {
            let Some(ids) = documents(store, key, args.year).await? else {
                eprintln!("nhiemvu: số, ký hiệu văn bản không hợp lệ: {key:?}");
                return Ok(ExitCode::from(2));
            };
            if ids.is_empty() {
                eprintln!("nhiemvu: không có văn bản {key} trong cơ sở dữ liệu");
                return Ok(ExitCode::from(1));
            }
            let mut all = Vec::new();
            for id in ids {
                all.extend(store.tasks_of_document(id).await?);
            }
            all
        }
        None => store.tasks().await?,
    };
    let tasks = match &args.agency {
        Some(name) => {
            let matches = agency_matcher(store, name).await?;
            tasks
                .into_iter()
                .filter(|t| t.assignments.iter().any(&matches))
                .collect()
        }
        None => tasks,
    };
    let mut codes: HashMap<DocumentId, String> = HashMap::new();
    for t in &tasks {
        if let std::collections::hash_map::Entry::Vacant(slot) = codes.entry(t.document) {
            let d = store.document(t.document).await?;
            slot.insert(
                d.code
                    .map(|c| c.to_string())
                    .unwrap_or_else(|| format!("#{}", t.document)),
            );
        }
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        for t in &tasks {
            serde_json::to_writer(&mut out, &json_line(t, &codes[&t.document]))?;
            writeln!(out)?;
        }
    } else {
        print_table(&mut out, &tasks, &codes)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The documents a `--document` value names: an id, or a code (of one year when given).
/// `None` when it is neither.
async fn documents(
    store: &Store,
    key: &str,
    year: Option<i32>,
) -> anyhow::Result<Option<Vec<DocumentId>>> {
    if let Ok(id) = key.parse::<DocumentId>() {
        return Ok(Some(match store.document(id).await {
            Ok(_) => vec![id],
            Err(store::Error::NotFound { .. }) => Vec::new(),
            Err(e) => return Err(e.into()),
        }));
    }
    let Ok(code) = key.parse::<DocumentCode>() else {
        return Ok(None);
    };
    Ok(Some(store.documents_by_code(&code, year).await?))
}

/// Whether an assignment is the agency named: by the directory (either the agency assigned or
/// the one responsible now), or, for a name outside the directory, by the name as assigned
/// ignoring case and diacritics.
async fn agency_matcher(store: &Store, name: &str) -> anyhow::Result<impl Fn(&Assignment) -> bool> {
    let id = store.find_agency(name).await?.map(|a| a.id);
    let folded = vn_text::fold(name);
    Ok(move |a: &Assignment| match id {
        Some(id) => [&a.original_agency, &a.current_agency]
            .into_iter()
            .flatten()
            .any(|r| r.id == id),
        None => vn_text::fold(&a.name) == folded,
    })
}

fn current_name(a: &Assignment) -> &str {
    a.current_agency
        .as_ref()
        .map_or(a.name.as_str(), |r| r.name.as_str())
}

fn original_name(a: &Assignment) -> &str {
    a.original_agency
        .as_ref()
        .map_or(a.name.as_str(), |r| r.name.as_str())
}

fn json_line(t: &Task, code: &str) -> serde_json::Value {
    let deadline = t.current_deadline();
    serde_json::json!({
        "document": t.document,
        "code": code,
        "task": t.outline_id,
        "id": t.id,
        "status": t.status,
        "deadline": {
            "kind": deadline.map(|d| d.kind),
            "date": deadline.and_then(|d| d.due_on).map(|d| d.to_string()),
            "text": deadline.and_then(|d| d.text.clone()),
        },
        "assignments": t.assignments.iter().map(|a| serde_json::json!({
            "role": a.role,
            "kind": a.party_kind,
            "name": a.name,
            "current": current_name(a),
            "original": original_name(a),
        })).collect::<Vec<_>>(),
    })
}

fn print_table(
    out: &mut impl Write,
    tasks: &[Task],
    codes: &HashMap<DocumentId, String>,
) -> std::io::Result<()> {
    let header = [
        "Văn bản",
        "Nhiệm vụ",
        "Chủ trì hiện nay",
        "Giao ban đầu (nếu khác)",
        "Thời hạn",
        "Trạng thái",
    ];
    let rows: Vec<[String; 6]> = tasks
        .iter()
        .map(|t| {
            let leads: Vec<&Assignment> = t
                .assignments
                .iter()
                .filter(|a| a.role == AssignmentRole::Lead)
                .collect();
            let current = leads
                .iter()
                .map(|a| current_name(a))
                .collect::<Vec<_>>()
                .join("; ");
            let original = leads
                .iter()
                .filter(|a| current_name(a) != original_name(a))
                .map(|a| original_name(a))
                .collect::<Vec<_>>()
                .join("; ");
            let deadline = match t.current_deadline() {
                Some(d) => match d.due_on {
                    Some(date) => format!("{} {date}", d.kind),
                    None => d.kind.to_string(),
                },
                None => "none".to_owned(),
            };
            [
                codes[&t.document].clone(),
                t.outline_id.clone(),
                or_dash(current),
                or_dash(original),
                deadline,
                t.status.code().to_owned(),
            ]
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |out: &mut dyn Write, cells: &[&str]| -> std::io::Result<()> {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w - c.chars().count())))
            .collect();
        writeln!(out, "{}", padded.join("  ").trim_end())
    };
    line(out, &header)?;
    for row in &rows {
        line(out, &row.each_ref().map(String::as_str))?;
    }
    writeln!(out, "{} nhiệm vụ", rows.len())
}

fn or_dash(s: String) -> String {
    if s.is_empty() { "—".to_owned() } else { s }
}
