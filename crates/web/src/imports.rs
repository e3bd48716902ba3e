//! Review before commit over HTTP: an upload becomes an import draft (the file, its parse and
//! the proposed tasks kept in the database), the reviewer saves edits to the tasks (each save
//! answers with what is still wrong, field by field), then commits — or discards. The same
//! checks as `nhiemvu import --review` (`store::review`); a second commit of a draft answers
//! with the first one's document, so a double submit creates nothing twice.

use axum::Extension;
use axum::Json;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use store::{Actor, DraftCommit, ReviewTask};

use crate::AppState;
use crate::access::PathId;
use crate::api::{ApiJson, ApiQuery, commit_response, page_limit, upload_and_parse};
use crate::auth::Caller;
use crate::error::ApiError;

type ApiResult<T = Response> = Result<T, ApiError>;

/// Most tasks a proposal may hold: far above any directive (the model case has 23), low
/// enough that one save cannot flood the checks.
pub(crate) const MAX_TASKS: usize = 2000;

/// `POST /api/imports`: upload and parse; the draft with the parser's proposal.
pub async fn create(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    req: Request,
) -> ApiResult {
    let (bytes, parsed) = upload_and_parse(&state, req).await?;
    let draft = state
        .store
        .create_draft(&parsed, &bytes, Actor::User(caller.user.id))
        .await?;
    Ok((StatusCode::CREATED, Json(draft)).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DraftQuery {
    after: Option<i64>,
    limit: Option<u32>,
    /// Committed and discarded drafts too.
    all: Option<bool>,
}

/// `GET /api/imports`: drafts, newest first (open ones unless `all=true`).
pub async fn list(State(state): State<AppState>, ApiQuery(q): ApiQuery<DraftQuery>) -> ApiResult {
    if let Some(after) = q.after.filter(|&a| a < 1) {
        return Err(ApiError::new(
            "invalid_value",
            format!("Con trỏ trang (after) phải là số dương, không phải {after}"),
        ));
    }
    let (items, next) = state
        .store
        .draft_page(q.all.unwrap_or(false), q.after, page_limit(q.limit)?)
        .await?;
    Ok(Json(json!({"items": items, "next": next})).into_response())
}

/// `GET /api/imports/{id}`: the draft, its text, its tasks as edited and their problems.
pub async fn get(
    State(state): State<AppState>,
    Extension(PathId(id)): Extension<PathId>,
) -> ApiResult {
    Ok(Json(state.store.draft(id).await?).into_response())
}

/// The body of `PUT /api/imports/{id}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DraftEdit {
    tasks: Vec<ReviewTask>,
    /// The revision the edit was made on; a save made since is not overwritten.
    revision: Option<i64>,
}

/// `PUT /api/imports/{id}`: saves the edited tasks; the draft with what is still wrong.
pub async fn save(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(PathId(id)): Extension<PathId>,
    ApiJson(edit): ApiJson<DraftEdit>,
) -> ApiResult {
    if edit.tasks.len() > MAX_TASKS {
        return Err(ApiError::new(
            "invalid_value",
            format!(
                "Đề xuất có {} nhiệm vụ, quá giới hạn {MAX_TASKS}",
                edit.tasks.len()
            ),
        ));
    }
    let draft = state
        .store
        .save_draft(id, &edit.tasks, edit.revision, Actor::User(caller.user.id))
        .await?;
    Ok(Json(draft).into_response())
}

/// `POST /api/imports/{id}/commit`: the document and its tasks, or 422 with every problem.
pub async fn commit(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(PathId(id)): Extension<PathId>,
) -> ApiResult {
    match state
        .store
        .commit_draft(id, Actor::User(caller.user.id))
        .await?
    {
        DraftCommit::Done(outcome) => Ok(commit_response(outcome)),
        DraftCommit::Invalid(problems) => Err(ApiError::new(
            "review_invalid",
            format!(
                "Chưa ghi được: đề xuất còn {} lỗi cần sửa (xem details)",
                problems.len()
            ),
        )
        .with_details(json!(problems))),
    }
}

/// `DELETE /api/imports/{id}`: gives the draft up.
pub async fn discard(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(PathId(id)): Extension<PathId>,
) -> ApiResult {
    state
        .store
        .discard_draft(id, Actor::User(caller.user.id))
        .await?;
    Ok(Json(json!({"ok": true})).into_response())
}
