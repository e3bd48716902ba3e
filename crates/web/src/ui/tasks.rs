//! The task list: the API's task query (same parameters, same filter built by
//! [`api::task_filter`], so an agency sees only its own tasks and text search ignores
//! diacritics), cursor pages, and the row every task table of the UI shows.

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use store::{DocumentId, ProgressStatus, Task, TaskPage};
use vn_calendar::Date;
use workflow::{Status, Timeliness};

use super::page::{PageError, Shell, html};
use crate::AppState;
use crate::api::{self, TaskQuery};
use crate::auth::{Caller, TaskScope};
use crate::error::ApiError;

/// One option of a select.
pub(crate) struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Choice {
    pub(crate) fn new(value: impl ToString, label: impl Into<String>, chosen: &str) -> Choice {
        let value = value.to_string();
        Choice {
            selected: value == chosen,
            value,
            label: label.into(),
        }
    }
}

/// A task as tables show it.
pub(crate) struct TaskRow {
    pub id: i64,
    pub outline_id: String,
    pub text: String,
    pub document: i64,
    pub document_code: String,
    pub leads: String,
    pub due: String,
    pub status: &'static str,
    pub status_code: &'static str,
    pub timeliness: Option<Timeliness>,
}

/// The day a task was confirmed done, from its status history.
pub(crate) async fn done_on(state: &AppState, task: &Task) -> Result<Option<Date>, PageError> {
    if task.status != ProgressStatus::Done {
        return Ok(None);
    }
    Ok(state
        .store
        .status_history(task.id)
        .await?
        .iter()
        .rev()
        .find(|c| c.to == Status::HoanThanh)
        .map(|c| c.on))
}

/// A task's timeliness on `as_of`, computed as the task list's timeliness filter computes it
/// (`store::Store::task_page`): from the deadline in force and, for a completed task, the
/// day it was confirmed; none for a cancelled task.
pub(crate) fn timeliness(
    state: &AppState,
    task: &Task,
    done_on: Option<Date>,
    as_of: Date,
) -> Option<Timeliness> {
    let due = task.current_deadline().and_then(|d| d.due_on);
    match task.status {
        ProgressStatus::Cancelled => None,
        ProgressStatus::Done => {
            workflow::done_timeliness(&state.rules().calendar, due, done_on.unwrap_or(as_of)).ok()
        }
        _ => workflow::open_timeliness(
            &state.rules().calendar,
            due,
            as_of,
            state.rules().settings.near_due_working_days,
        )
        .ok(),
    }
}

/// The deadline in force as people read it: the day, else the words, else "không thời hạn".
pub(crate) fn deadline_text(task: &Task) -> String {
    match task.current_deadline() {
        Some(d) => match (d.due_on, &d.text) {
            (Some(day), _) => reports::vn_date(day),
            (None, Some(text)) => text.clone(),
            (None, None) => d.kind.label_vi().to_owned(),
        },
        None => "Không thời hạn".to_owned(),
    }
}

/// The lead agencies, as they are now ("Sở Tài chính (giao: Sở Kế hoạch và Đầu tư)" after a
/// reorganisation).
pub(crate) fn leads_text(task: &Task) -> String {
    task.leads()
        .map(|a| {
            let now = a.current_agency.as_ref().map_or(&a.name, |r| &r.name);
            match &a.original_agency {
                Some(o) if o.name != *now => format!("{now} (giao: {})", o.name),
                _ => now.clone(),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Table rows for `tasks`, their timeliness on `as_of`.
pub(crate) async fn rows(
    state: &AppState,
    tasks: Vec<Task>,
    as_of: Date,
) -> Result<Vec<TaskRow>, PageError> {
    let mut codes: Vec<(DocumentId, String)> = Vec::new();
    let mut out = Vec::with_capacity(tasks.len());
    for task in tasks {
        let code = match codes.iter().find(|(d, _)| *d == task.document) {
            Some((_, c)) => c.clone(),
            None => {
                let d = state.store.document(task.document).await?;
                let c = d.code.map_or(d.file_name, |c| c.to_string());
                codes.push((task.document, c.clone()));
                c
            }
        };
        let done = done_on(state, &task).await?;
        out.push(TaskRow {
            id: task.id.get(),
            outline_id: task.outline_id.clone(),
            text: short(&task.text, 220),
            document: task.document.get(),
            document_code: code,
            leads: leads_text(&task),
            due: deadline_text(&task),
            status: task.status.label_vi(),
            status_code: task.status.code(),
            timeliness: timeliness(state, &task, done, as_of),
        });
    }
    Ok(out)
}

/// At most `max` characters, cut at a word with an ellipsis.
pub(crate) fn short(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{cut}…")
}

#[derive(Template)]
#[template(path = "tasks.html")]
struct TaskList {
    shell: Shell,
    restricted: bool,
    text: String,
    due_from: String,
    due_to: String,
    agencies: Vec<Choice>,
    statuses: Vec<Choice>,
    timeliness: Vec<Choice>,
    documents: Vec<Choice>,
    rows: Vec<TaskRow>,
    error: Option<String>,
    /// The next page's address.
    next: Option<String>,
    /// The first page's address, when this is not it.
    first: Option<String>,
}

/// The non-empty parameters of a query string (a form sends its empty fields too, meaning
/// "any").
fn non_empty(query: Option<&str>) -> Vec<(String, String)> {
    query
        .unwrap_or_default()
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn query_string(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// The API's task query from the list's own parameters (raw from the address, so they form a
/// valid address again).
fn task_query(pairs: &[(String, String)]) -> Result<TaskQuery, ApiError> {
    let uri: Uri = format!("/?{}", query_string(pairs))
        .parse()
        .map_err(|_| ApiError::new("invalid_query", "Địa chỉ trang không hợp lệ"))?;
    Ok(axum::extract::Query::try_from_uri(&uri)?.0)
}

pub(crate) async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    uri: Uri,
) -> Result<Response, PageError> {
    let pairs = non_empty(uri.query());
    let without_cursor: Vec<_> = pairs
        .iter()
        .filter(|(k, _)| k != "after")
        .cloned()
        .collect();
    let (q, mut error) = match task_query(&pairs) {
        Ok(q) => (q, None),
        Err(e) => (TaskQuery::default(), Some(e.message().to_owned())),
    };
    let show = |v: &Option<String>| v.clone().unwrap_or_default();
    let (text, due_from, due_to) = (show(&q.text), show(&q.due_from), show(&q.due_to));
    let agency = q.agency.map(|a| a.to_string()).unwrap_or_default();
    let document = q.document.map(|d| d.to_string()).unwrap_or_default();
    let status = show(&q.status);
    let chosen_timeliness = show(&q.timeliness);
    let had_cursor = q.after.is_some();
    let page = match api::task_filter(&state, &caller, q) {
        Ok(filter) => {
            state
                .store
                .task_page(&filter, &state.rules().calendar)
                .await?
        }
        Err(e) => {
            error = Some(e.message().to_owned());
            TaskPage {
                items: Vec::new(),
                next: None,
            }
        }
    };
    let today = store::Timestamp::now().date_in_vietnam();
    let next = page.next.map(|n| {
        let mut p = without_cursor.clone();
        p.push(("after".into(), n.to_string()));
        format!("/nhiem-vu?{}", query_string(&p))
    });
    let rows = rows(&state, page.items, today).await?;
    let mut agencies: Vec<Choice> = state
        .store
        .agencies()
        .await?
        .into_iter()
        .filter(|a| a.kind != store::AgencyKind::Central)
        .map(|a| Choice::new(a.id, a.name, &agency))
        .collect();
    agencies.sort_by_cached_key(|c| vn_text::fold(&c.label));
    let (docs, _) = state
        .store
        .document_page(caller.visible_to(), None, 500)
        .await?;
    let documents = docs
        .into_iter()
        .map(|d| {
            let label = match (&d.code, &d.subject) {
                (Some(c), Some(s)) => format!("{c} — {}", short(s, 60)),
                (Some(c), None) => c.to_string(),
                (None, _) => d.file_name.clone(),
            };
            Choice::new(d.id, label, &document)
        })
        .collect();
    let statuses = Status::ALL
        .iter()
        .map(|s| Choice::new(s.code(), s.label_vi(), &status))
        .collect();
    let timeliness = Timeliness::ALL
        .iter()
        .map(|t| Choice::new(t.code(), t.label_vi(), &chosen_timeliness))
        .collect();
    let page = TaskList {
        shell: Shell::new(&state, &caller, "/nhiem-vu").await?,
        restricted: caller.scope() != TaskScope::All,
        text,
        due_from,
        due_to,
        agencies,
        statuses,
        timeliness,
        documents,
        rows,
        next,
        first: had_cursor.then(|| format!("/nhiem-vu?{}", query_string(&without_cursor))),
        error: error.clone(),
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    html(status, &page)
}
