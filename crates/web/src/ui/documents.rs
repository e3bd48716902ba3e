//! Documents: the list (an agency sees those assigning it a task, as in the API) and one
//! document with its metadata, the documents it cites, its tasks (an agency's own only) and
//! its text.

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use store::{DocumentId, TaskFilter};

use super::page::{PageError, PageQuery, Shell, html};
use super::tasks::{TaskRow, rows};
use crate::AppState;
use crate::auth::{Caller, TaskScope};

/// Documents on one page of the list.
const PAGE: u32 = 50;

/// Tasks listed on a document's page.
const TASKS: u32 = 500;

#[derive(Deserialize)]
pub(crate) struct ListQuery {
    after: Option<String>,
}

struct DocumentLine {
    id: i64,
    code: String,
    subject: String,
    issuer: String,
    issued_on: String,
    tasks: i64,
}

#[derive(Template)]
#[template(path = "documents.html")]
struct DocumentList {
    shell: Shell,
    restricted: bool,
    documents: Vec<DocumentLine>,
    next: Option<String>,
    first: bool,
}

pub(crate) async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    PageQuery(q): PageQuery<ListQuery>,
) -> Result<Response, PageError> {
    let after = q
        .after
        .as_deref()
        .map(str::parse::<DocumentId>)
        .transpose()?;
    let (items, next) = state
        .store
        .document_page(caller.visible_to(), after, PAGE)
        .await?;
    let page = DocumentList {
        shell: Shell::new(&state, &caller, "/van-ban").await?,
        restricted: caller.scope() != TaskScope::All,
        documents: items
            .into_iter()
            .map(|d| DocumentLine {
                id: d.id.get(),
                code: d.code.map_or(d.file_name, |c| c.to_string()),
                subject: d.subject.unwrap_or_default(),
                issuer: d.issuer.unwrap_or_default(),
                issued_on: d
                    .issued_on
                    .and_then(|t| t.parse().ok())
                    .map(reports::vn_date)
                    .unwrap_or_default(),
                tasks: d.tasks,
            })
            .collect(),
        next: next.map(|n| format!("/van-ban?after={n}")),
        first: after.is_none(),
    };
    html(StatusCode::OK, &page)
}

struct Citation {
    code: String,
    text: String,
    target: Option<i64>,
}

#[derive(Template)]
#[template(path = "document.html")]
struct DocumentPage {
    shell: Shell,
    code: String,
    kind: String,
    subject: String,
    issuer: String,
    issued_on: String,
    monitor: String,
    file_name: String,
    imported_at: String,
    restricted: bool,
    citations: Vec<Citation>,
    tasks: Vec<TaskRow>,
    text: String,
}

pub(crate) async fn show(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(id): Extension<DocumentId>,
) -> Result<Response, PageError> {
    let doc = state.store.document(id).await?;
    // One row per cited document, in the order first cited.
    let mut citations: Vec<Citation> = Vec::new();
    for r in state.store.document_references(id).await? {
        if !citations.iter().any(|c| c.code == r.code) {
            citations.push(Citation {
                code: r.code,
                text: r.text,
                target: r.target.map(DocumentId::get),
            });
        }
    }
    let filter = TaskFilter {
        visible_to: caller.visible_to(),
        document: Some(id),
        limit: TASKS,
        ..TaskFilter::default()
    };
    let tasks = state
        .store
        .task_page(&filter, &state.rules().calendar)
        .await?;
    let today = store::Timestamp::now().date_in_vietnam();
    let page = DocumentPage {
        shell: Shell::new(&state, &caller, "/van-ban").await?,
        code: doc
            .code
            .as_ref()
            .map_or_else(|| doc.file_name.clone(), ToString::to_string),
        kind: doc
            .kind
            .as_deref()
            .map(|k| match k {
                // `khac` names several kinds in the table; as a document's kind it means other.
                "khac" => "Khác".to_owned(),
                _ => legal_ref::kinds::KINDS
                    .iter()
                    .find(|x| x.code == k)
                    .map_or_else(|| k.replace('_', " "), |x| x.title.to_owned()),
            })
            .unwrap_or_default(),
        subject: doc.subject.clone().unwrap_or_default(),
        issuer: doc.issuer.clone().unwrap_or_default(),
        issued_on: doc.issued_on.map(reports::vn_date).unwrap_or_default(),
        monitor: doc.monitor_agency.clone().unwrap_or_default(),
        file_name: doc.file_name.clone(),
        imported_at: doc.imported_at.display_vietnam(),
        restricted: caller.scope() != TaskScope::All,
        citations,
        tasks: rows(&state, tasks.items, today).await?,
        text: doc.text,
    };
    html(StatusCode::OK, &page)
}
