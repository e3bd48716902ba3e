//! The caller's notices (reminders, urging, decisions), newest first, and marking one read.

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::form::Posted;
use super::page::{PageError, PageQuery, Shell, html, see_other};
use crate::AppState;
use crate::access::PathId;
use crate::auth::Caller;

/// Notices on one page.
const PAGE: usize = 50;

#[derive(Deserialize)]
pub(crate) struct NoticeQuery {
    /// `1`: only the unread ones.
    chua_doc: Option<String>,
    /// The cursor: notices older than this one.
    truoc: Option<i64>,
}

struct NoticeLine {
    id: i64,
    title: String,
    body: String,
    task: Option<i64>,
    at: String,
    unread: bool,
}

#[derive(Template)]
#[template(path = "notices.html")]
struct NoticesPage {
    shell: Shell,
    unread_only: bool,
    notices: Vec<NoticeLine>,
    next: Option<String>,
}

pub(crate) async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    PageQuery(q): PageQuery<NoticeQuery>,
) -> Result<Response, PageError> {
    let unread_only = q.chua_doc.as_deref() == Some("1");
    let mut all = state.store.notices(caller.user.id, unread_only).await?;
    all.sort_by_key(|n| std::cmp::Reverse(n.id));
    let mut rest: Vec<_> = all
        .into_iter()
        .filter(|n| q.truoc.is_none_or(|t| n.id.get() < t))
        .collect();
    let next = (rest.len() > PAGE).then(|| {
        format!(
            "/thong-bao?{}truoc={}",
            if unread_only { "chua_doc=1&" } else { "" },
            rest[PAGE - 1].id
        )
    });
    rest.truncate(PAGE);
    let page = NoticesPage {
        shell: Shell::new(&state, &caller, "/thong-bao").await?,
        unread_only,
        notices: rest
            .into_iter()
            .map(|n| NoticeLine {
                id: n.id.get(),
                title: n.title,
                body: n.body,
                task: n.task.map(store::TaskId::get),
                at: n.created_at.display_vietnam(),
                unread: n.read_at.is_none(),
            })
            .collect(),
        next,
    };
    html(StatusCode::OK, &page)
}

/// Marks a notice read, then back to the list (with htmx, the list's row is taken from it).
pub(crate) async fn mark_read(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(PathId(id)): Extension<PathId>,
    Posted(_): Posted,
) -> Result<Response, PageError> {
    let id = id.to_string().parse::<store::NoticeId>()?;
    state
        .store
        .mark_notice_read(caller.user.id, id, store::Timestamp::now())
        .await?;
    Ok(see_other("/thong-bao"))
}
