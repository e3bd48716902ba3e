//! Import and review before commit, the pages of `/api/imports` (same rules, same store
//! calls: [`store::Store::create_draft`], `save_draft`, `commit_draft`, `discard_draft`):
//!
//! - `/nhap-van-ban`: the upload form (any file the API reads: text, DOCX, DOC, PDF, scans,
//!   edXML) and the open drafts. The file is read exactly as `POST /api/imports` reads it
//!   ([`api::read_and_parse`]); posting the same file twice while its draft is open leads
//!   to that draft rather than a second one.
//! - `/nhap-van-ban/{id}`: the source text with every task, agency, deadline and citation
//!   marked ([`highlight`]), the parser's warnings, and one form with every task editable
//!   ([`review`]): saving goes through `save_draft` at the form's revision (a stale or repeated
//!   form saves nothing), and the problems left are shown next to their fields; committing
//!   saves, then commits, and a second commit of the draft leads to the same document.

use askama::Template;
use axum::Extension;
use axum::extract::{FromRequest, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use store::{
    Actor, CommitOutcome, DeadlineKind, DocumentCode, Draft, DraftCommit, DraftState, PartyKind,
    Problem, Sha256,
};

use super::form::{Fields, File, Posted, Upload};
use super::highlight::{self, Kind, Mark, Piece};
use super::page::{PageError, PageQuery, Shell, html, see_other};
use super::review;
use crate::access::PathId;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::{AppState, api};

/// Drafts on one page of the list.
const PAGE: u32 = 50;

/// Uploads are checked for an open draft of the same file and kept one at a time, so a
/// double submit of the upload form makes one draft.
static UPLOADS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Said when a review form was made on an earlier revision of its draft.
const STALE: &str = "Biểu mẫu này đã được gửi, hoặc bản nháp vừa được người khác lưu: chưa ghi gì thêm. \
                     Bên dưới là bản nháp mới nhất; hãy xem lại rồi sửa tiếp nếu cần.";

/// The message after a form did its work (by a fixed code, so nothing from the address is
/// echoed).
fn done_message(code: &str) -> Option<&'static str> {
    Some(match code {
        "luu" => "Đã lưu bản nháp.",
        "tach" => "Đã tách nhiệm vụ; kiểm tra số hiệu và nội dung của từng phần.",
        "gop" => "Đã gộp nhiệm vụ với nhiệm vụ sau nó.",
        "xoa" => "Đã xóa nhiệm vụ khỏi đề xuất.",
        "them" => "Đã thêm một nhiệm vụ ở cuối danh sách: nhập nội dung và cơ quan chủ trì.",
        "da-co" => "Tệp này đang có bản nháp chưa ghi: mở bản nháp đó thay vì tạo bản mới.",
        "huy" => "Đã hủy bản nháp.",
        _ => return None,
    })
}

#[derive(Deserialize)]
pub(crate) struct Query {
    /// The form that has just done its work.
    xong: Option<String>,
    /// The list's cursor.
    after: Option<i64>,
}

// ---- the upload form and the open drafts ----

struct DraftLine {
    id: i64,
    file_name: String,
    by: String,
    at: String,
    revision: i64,
}

#[derive(Template)]
#[template(path = "imports.html")]
struct ImportsPage {
    shell: Shell,
    drafts: Vec<DraftLine>,
    next: Option<String>,
    first: bool,
    notice: Option<&'static str>,
    /// What is wrong with the upload.
    error: Option<String>,
}

async fn list_page(
    state: &AppState,
    caller: &Caller,
    after: Option<i64>,
    notice: Option<&'static str>,
    error: Option<ApiError>,
) -> Result<Response, PageError> {
    let (items, next) = state.store.draft_page(false, after, PAGE).await?;
    let users = state.store.users().await?;
    let page = ImportsPage {
        shell: Shell::new(state, caller, "/nhap-van-ban").await?,
        drafts: items
            .into_iter()
            .map(|d| DraftLine {
                id: d.id,
                file_name: d.file_name,
                by: users
                    .iter()
                    .find(|u| Some(u.id) == d.created_by)
                    .map_or_else(String::new, |u| u.full_name.clone()),
                at: d.created_at.display_vietnam(),
                revision: d.revision,
            })
            .collect(),
        next: next.map(|n| format!("/nhap-van-ban?after={n}")),
        first: after.is_none(),
        notice,
        error: error.as_ref().map(|e| e.message().to_owned()),
    };
    let status = error.map_or(StatusCode::OK, |e| {
        StatusCode::from_u16(e.status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY)
    });
    html(status, &page)
}

pub(crate) async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    PageQuery(q): PageQuery<Query>,
) -> Result<Response, PageError> {
    let notice = q.xong.as_deref().and_then(done_message);
    list_page(&state, &caller, q.after.filter(|&a| a > 0), notice, None).await
}

pub(crate) async fn upload(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    req: Request,
) -> Result<Response, PageError> {
    let form = Upload::from_request(req, &state).await?;
    let made = match form.files.into_iter().next() {
        Some(file) => draft_of(&state, &caller, file).await,
        None => Err(ApiError::new(
            "invalid_value",
            "Cần chọn tệp văn bản để tải lên",
        )),
    };
    match made {
        Ok(draft) => Ok(see_other(&draft)),
        // What is wrong with the file is said at the form; a failure of the server is not.
        Err(e) if e.status() < 500 => list_page(&state, &caller, None, None, Some(e)).await,
        Err(e) => Err(e.into()),
    }
}

/// Reads the file as the API reads an upload (its name checked, edXML through `intake`) and
/// makes its draft, or finds the open one; the draft's address.
async fn draft_of(state: &AppState, caller: &Caller, file: File) -> Result<String, ApiError> {
    let name = api::check_file_name(&file.name)?;
    let (bytes, parsed) = api::read_and_parse(name, file.bytes).await?;
    let _one_at_a_time = UPLOADS.lock().await;
    if let Some(open) = state
        .store
        .open_draft_by_sha256(&Sha256::of(&bytes))
        .await?
    {
        return Ok(format!("/nhap-van-ban/{open}?xong=da-co"));
    }
    let actor = Actor::User(caller.user.id);
    let draft = state.store.create_draft(&parsed, &bytes, actor).await?;
    Ok(format!("/nhap-van-ban/{}", draft.summary.id))
}

// ---- the review page ----

/// A lead or supporting party's row of the form.
struct PartyRow {
    /// The field's name in the form and in the problems (`lead[0]`).
    field: String,
    /// Its id on the page (`lead0`).
    dom: String,
    label: String,
    name: String,
    kind: String,
}

/// The lead or the supporting parties of a task on the form.
struct Role {
    title: &'static str,
    rows: Vec<PartyRow>,
}

/// An option of a select.
struct Opt {
    value: &'static str,
    label: &'static str,
}

/// One task's part of the form.
struct TaskCard {
    index: usize,
    /// The prefix of its fields' ids (`nv3`).
    form: String,
    id: String,
    text: String,
    /// Lead, then support.
    roles: [Role; 2],
    deadline_kind: String,
    deadline_date: String,
    /// The words of the text the deadline was read from.
    deadline_words: Option<String>,
    /// Whether the task has a place in the source text.
    in_source: bool,
    last: bool,
    /// `(field, message)`.
    problems: Vec<(String, String)>,
}

impl TaskCard {
    /// The message of a field, if any.
    fn err(&self, field: &str) -> Option<&str> {
        self.problems
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }
}

/// The problems of the task at `index`, one message per field.
fn field_messages(problems: &[&Problem], index: usize) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for p in problems.iter().filter(|p| p.index == index) {
        match out.iter_mut().find(|(f, _)| *f == p.field) {
            Some((_, m)) => {
                m.push_str("; ");
                m.push_str(&p.message);
            }
            None => out.push((p.field.clone(), p.message.clone())),
        }
    }
    out
}

struct Citation {
    text: String,
    code: String,
    target: Option<i64>,
}

#[derive(Template)]
#[template(path = "import_review.html")]
struct ReviewPage {
    shell: Shell,
    id: i64,
    file_name: String,
    revision: i64,
    open: bool,
    /// The document the draft was committed as.
    committed: Option<i64>,
    /// A document stored from the same file before.
    already: Option<i64>,
    code: String,
    issuer: String,
    issued_on: String,
    subject: String,
    warnings: Vec<String>,
    source: Vec<Piece>,
    citations: Vec<Citation>,
    tasks: Vec<TaskCard>,
    /// Every problem, with the anchor of its field.
    summary: Vec<(String, String)>,
    notice: Option<&'static str>,
    general: Option<String>,
    party_kinds: Vec<Opt>,
    deadline_kinds: Vec<Opt>,
}

/// A problem's field as an id on the page: `lead[0]` → `lead0`, `deadline.date` →
/// `deadline-date`.
fn dom(field: &str) -> String {
    field.replace(['[', ']'], "").replace('.', "-")
}

/// A field's name for the summary.
fn field_label(field: &str) -> String {
    let party = |role: &str, label: &str| {
        let n = field
            .strip_prefix(role)?
            .strip_prefix('[')?
            .strip_suffix(']')?;
        Some(format!("{label} {}", n.parse::<usize>().ok()? + 1))
    };
    match field {
        "id" => "Số hiệu".into(),
        "text" => "Nội dung".into(),
        "deadline.kind" => "Loại thời hạn".into(),
        "deadline.date" => "Ngày hết hạn".into(),
        _ => party("lead", "Chủ trì")
            .or_else(|| party("support", "Phối hợp"))
            .unwrap_or_else(|| field.to_owned()),
    }
}

/// The rows of a task's lead (`role` `lead`) or supporting parties, and an empty one to add
/// one more.
fn party_rows(role: &str, label: &str, parties: &[store::ReviewParty]) -> Vec<PartyRow> {
    let blank = store::ReviewParty {
        name: String::new(),
        kind: PartyKind::Agency.code().to_owned(),
    };
    parties
        .iter()
        .chain([&blank])
        .enumerate()
        .map(|(k, p)| PartyRow {
            field: format!("{role}[{k}]"),
            dom: format!("{role}{k}"),
            label: if k < parties.len() {
                format!("{label} {}", k + 1)
            } else {
                format!("Thêm cơ quan {}", label.to_lowercase())
            },
            name: p.name.clone(),
            kind: p.kind.clone(),
        })
        .collect()
}

/// The marks of the source text: each task's span (with its label); the lead and supporting
/// agencies and the deadline's words where they stand in the task or in the text leading to
/// it from the task before (the heading naming the agency: "2.1. Sở Kế hoạch và Đầu tư");
/// every citation, linked when stored.
fn marks(draft: &Draft, citations: &[Citation]) -> Vec<Mark> {
    let text = &draft.text;
    let ends: Vec<usize> = draft
        .tasks
        .iter()
        .filter_map(|t| t.span)
        .map(|s| s[1])
        .collect();
    let mut out = Vec::new();
    for (i, t) in draft.tasks.iter().enumerate() {
        let Some(span) = t.span else { continue };
        out.push(Mark {
            anchor: Some((format!("nguon-{i}"), format!("NV {}", t.id))),
            ..Mark::new(span[0], span[1], Kind::Task)
        });
        let from = ends.iter().copied().filter(|&e| e <= span[0]).max();
        let region = [from.unwrap_or(0), span[1]];
        let parties = t
            .lead
            .iter()
            .chain(&t.support)
            .map(|p| (&p.name, Kind::Agency));
        let words = t.deadline.text.iter().map(|w| (w, Kind::Deadline));
        for (needle, kind) in parties.chain(words) {
            for [start, end] in highlight::occurrences(text, region, needle) {
                out.push(Mark::new(start, end, kind));
            }
        }
    }
    for r in &draft.document.references {
        let target = citations
            .iter()
            .find(|c| c.code == r.code)
            .and_then(|c| c.target);
        out.push(Mark {
            href: target.map(|d| format!("/van-ban/{d}")),
            ..Mark::new(r.span[0], r.span[1], Kind::Citation)
        });
    }
    out
}

/// The cited documents, once each, linked to a stored document of the same code as a commit
/// links them (the earliest stored, not the draft's own document).
async fn citations(state: &AppState, draft: &Draft) -> Result<Vec<Citation>, PageError> {
    let mut out: Vec<Citation> = Vec::new();
    for r in &draft.document.references {
        if out.iter().any(|c| c.code == r.code) {
            continue;
        }
        let target = match r.code.parse::<DocumentCode>() {
            Ok(code) => state
                .store
                .documents_by_code(&code, None)
                .await?
                .into_iter()
                .find(|d| Some(*d) != draft.already_imported)
                .map(|d| d.get()),
            Err(_) => None,
        };
        out.push(Citation {
            text: r.text.split_whitespace().collect::<Vec<_>>().join(" "),
            code: r.code.clone(),
            target,
        });
    }
    Ok(out)
}

/// What the page says besides the draft: a message after a form, a refusal of the whole form,
/// problems found by the form rather than the store.
#[derive(Default)]
struct Said {
    notice: Option<&'static str>,
    general: Option<String>,
    extra: Vec<Problem>,
}

async fn render(
    state: &AppState,
    caller: &Caller,
    draft: Draft,
    said: Said,
    status: StatusCode,
) -> Result<Response, PageError> {
    let citations = citations(state, &draft).await?;
    let source = highlight::pieces(&draft.text, &marks(&draft, &citations));
    let problems: Vec<&Problem> = draft.problems.iter().chain(&said.extra).collect();
    let count = draft.tasks.len();
    let tasks = draft
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| TaskCard {
            index: i,
            form: format!("nv{i}"),
            id: t.id.clone(),
            text: t.text.clone(),
            roles: [
                Role {
                    title: "Cơ quan chủ trì",
                    rows: party_rows("lead", "Chủ trì", &t.lead),
                },
                Role {
                    title: "Cơ quan phối hợp",
                    rows: party_rows("support", "Phối hợp", &t.support),
                },
            ],
            deadline_kind: t.deadline.kind.clone(),
            deadline_date: t.deadline.date.clone().unwrap_or_default(),
            deadline_words: t.deadline.text.clone(),
            in_source: t.span.is_some(),
            last: i + 1 == count,
            problems: field_messages(&problems, i),
        })
        .collect();
    let summary = problems
        .iter()
        .map(|p| {
            let task = draft
                .tasks
                .get(p.index)
                .map(|t| t.id.as_str())
                .filter(|id| !id.is_empty())
                .map_or_else(|| format!("mục thứ {}", p.index + 1), str::to_owned);
            (
                format!("#nv{}-{}", p.index, dom(&p.field)),
                format!("Nhiệm vụ {task} — {}: {}", field_label(&p.field), p.message),
            )
        })
        .collect();
    let doc = &draft.document;
    let page = ReviewPage {
        shell: Shell::new(state, caller, "/nhap-van-ban").await?,
        id: draft.summary.id,
        file_name: draft.summary.file_name.clone(),
        revision: draft.summary.revision,
        open: draft.summary.state == DraftState::Open,
        committed: draft.summary.document_id.map(|d| d.get()),
        already: draft.already_imported.map(|d| d.get()),
        code: doc.code.clone().unwrap_or_default(),
        issuer: doc
            .issuer
            .as_ref()
            .map(|i| i.name.clone())
            .unwrap_or_default(),
        issued_on: doc
            .date
            .as_deref()
            .and_then(|d| d.parse().ok())
            .map(reports::vn_date)
            .unwrap_or_default(),
        subject: doc.subject.clone().unwrap_or_default(),
        warnings: doc.warnings.iter().map(|w| w.message.clone()).collect(),
        source,
        citations,
        tasks,
        summary,
        notice: said.notice,
        general: said.general,
        party_kinds: PartyKind::ALL
            .iter()
            .map(|k| Opt {
                value: k.code(),
                label: k.label_vi(),
            })
            .collect(),
        deadline_kinds: DeadlineKind::ALL
            .iter()
            .map(|k| Opt {
                value: k.code(),
                label: k.label_vi(),
            })
            .collect(),
    };
    html(status, &page)
}

pub(crate) async fn show(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(PathId(id)): Extension<PathId>,
    PageQuery(q): PageQuery<Query>,
) -> Result<Response, PageError> {
    let draft = state.store.draft(id).await?;
    let said = Said {
        notice: q.xong.as_deref().and_then(done_message),
        ..Said::default()
    };
    render(&state, &caller, draft, said, StatusCode::OK).await
}

/// The draft as it is now, with the form's refusal.
async fn refused(
    state: &AppState,
    caller: &Caller,
    id: i64,
    general: String,
    status: StatusCode,
) -> Result<Response, PageError> {
    let said = Said {
        general: Some(general),
        ..Said::default()
    };
    render(state, caller, state.store.draft(id).await?, said, status).await
}

/// Whether a store refusal means the form was made on another state of the draft.
fn is_stale(e: &store::Error) -> bool {
    matches!(e, store::Error::Refused { code, .. } if *code == "draft_changed" || *code == "draft_closed")
}

pub(crate) async fn save(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(PathId(id)): Extension<PathId>,
    Posted(fields): Posted,
) -> Result<Response, PageError> {
    edit(&state, &caller, id, &fields, false).await
}

pub(crate) async fn commit(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(PathId(id)): Extension<PathId>,
    Posted(fields): Posted,
) -> Result<Response, PageError> {
    edit(&state, &caller, id, &fields, true).await
}

/// Saves the form (with the edit its button asks for) at its revision; then, for `commit`,
/// commits the draft.
async fn edit(
    state: &AppState,
    caller: &Caller,
    id: i64,
    fields: &Fields,
    commit: bool,
) -> Result<Response, PageError> {
    let draft = state.store.draft(id).await?;
    let actor = Actor::User(caller.user.id);
    match draft.summary.state {
        DraftState::Open => {}
        // Committed already (a double submit): the same document.
        DraftState::Committed if commit => return finish(state, caller, id).await,
        // The page says what became of it.
        _ => return Ok(see_other(&format!("/nhap-van-ban/{id}"))),
    }
    let revision = fields.get("revision").parse::<i64>().ok();
    if revision != Some(draft.summary.revision) {
        return refused(state, caller, id, STALE.into(), StatusCode::CONFLICT).await;
    }
    let posted =
        review::read(fields, &draft.tasks).map_err(|m| ApiError::new("invalid_value", m))?;
    let mut tasks = posted.tasks;
    let done = review::apply(&mut tasks, posted.edit, &draft.text);
    let saved = match state.store.save_draft(id, &tasks, revision, actor).await {
        Ok(saved) => saved,
        Err(e) if is_stale(&e) => {
            return refused(state, caller, id, STALE.into(), StatusCode::CONFLICT).await;
        }
        Err(e) => return Err(e.into()),
    };
    let shown = match done {
        Ok(shown) => shown,
        Err(why) => {
            let said = Said {
                extra: vec![Problem {
                    index: why.index,
                    task: saved.tasks.get(why.index).map(|t| t.id.clone()),
                    field: "text".into(),
                    message: why.message.into(),
                }],
                ..Said::default()
            };
            return render(state, caller, saved, said, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    if !commit {
        let anchor = shown.map_or_else(String::new, |i| format!("#nv{i}"));
        let code = posted.edit.code();
        return Ok(see_other(&format!(
            "/nhap-van-ban/{id}?xong={code}{anchor}"
        )));
    }
    if !saved.problems.is_empty() {
        let general = format!(
            "Chưa ghi được: đề xuất còn {} lỗi cần sửa (liệt kê bên dưới, cạnh từng trường). Các sửa đổi đã được lưu.",
            saved.problems.len()
        );
        let said = Said {
            general: Some(general),
            ..Said::default()
        };
        return render(state, caller, saved, said, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    finish(state, caller, id).await
}

/// Commits the draft: to its document, or the page again with what stops it.
async fn finish(state: &AppState, caller: &Caller, id: i64) -> Result<Response, PageError> {
    match state
        .store
        .commit_draft(id, Actor::User(caller.user.id))
        .await
    {
        Ok(DraftCommit::Done(
            CommitOutcome::Imported { document, .. } | CommitOutcome::AlreadyImported { document },
        )) => Ok(see_other(&format!("/van-ban/{document}"))),
        Ok(DraftCommit::Invalid(problems)) => {
            let general = format!("Chưa ghi được: đề xuất còn {} lỗi cần sửa.", problems.len());
            refused(state, caller, id, general, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) if is_stale(&e) => {
            refused(state, caller, id, STALE.into(), StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn discard(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(PathId(id)): Extension<PathId>,
    Posted(_): Posted,
) -> Result<Response, PageError> {
    match state.store.draft(id).await?.summary.state {
        DraftState::Open => {
            state
                .store
                .discard_draft(id, Actor::User(caller.user.id))
                .await?;
        }
        // Discarded already (a double submit).
        DraftState::Discarded => {}
        DraftState::Committed => return Ok(see_other(&format!("/nhap-van-ban/{id}"))),
    }
    Ok(see_other("/nhap-van-ban?xong=huy"))
}
