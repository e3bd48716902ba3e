//! One task: its content and source document, lead and support, deadline and status
//! histories, progress reports with their files, extension requests; and a form for each
//! thing the caller may do to it now: the transitions the store allows this person
//! ([`store::Store::allowed_actions`]), a progress report with files, an extension request,
//! the decision on one, the hand-over to an officer, each shown when its API route's rule
//! admits the caller. Each form is checked field by field on the server (the message next to
//! the field, nothing written), and carries the task's stamp ([`form::stamp`]) so that a double
//! submit writes once.

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use store::{
    AssignmentRole, DocumentCode, ExtensionId, NewAttachment, NewReport, PartyKind, Role, TaskId,
    Timestamp, UserId,
};
use vn_calendar::Date;
use workflow::{ActionKind, Timeliness};

use super::Rule;
use super::form::{self, Fields, Filled, Invalid, Posted, Upload};
use super::page::{PageError, PageQuery, Shell, html, see_other};
use super::tasks::{Choice, deadline_text, done_on, timeliness};
use crate::auth::{self, Caller};
use crate::{AppState, api};

/// Task forms are checked against the task's stamp and written one at a time, so that two
/// copies of one form posted together cannot both pass the check before either writes. The
/// forms are filled in by people, so one lock for the process costs nothing noticeable.
static WRITES: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A party of a task as the page shows it.
struct Party {
    name: String,
    /// "giao: …" after a reorganisation, or what kind of party it is.
    note: Option<String>,
}

struct DeadlineLine {
    due: String,
    source: &'static str,
    reason: Option<String>,
    at: String,
    by: String,
}

struct HistoryLine {
    action: String,
    from: &'static str,
    to: &'static str,
    on: String,
    by: String,
    reason: Option<String>,
}

struct FileLine {
    id: i64,
    name: String,
    size: String,
}

struct ReportLine {
    at: String,
    author: String,
    agency: String,
    percent: Option<u8>,
    content: String,
    result_code: Option<String>,
    result_document: Option<i64>,
    files: Vec<FileLine>,
}

struct ExtensionLine {
    id: i64,
    /// The id of its decision form.
    form: String,
    by: String,
    at: String,
    current: String,
    proposed: String,
    reason: String,
    decision: &'static str,
    decided: Option<String>,
    note: Option<String>,
    pending: bool,
}

/// A transition's form.
struct ActionForm {
    /// The form's id on the page.
    form: String,
    code: &'static str,
    label: &'static str,
    needs_reason: bool,
    reassign: bool,
}

/// Everything the task page shows, as of one reading of the store.
struct TaskView {
    id: i64,
    outline_id: String,
    text: String,
    status: &'static str,
    status_code: &'static str,
    timeliness: Option<Timeliness>,
    parent: Option<i64>,
    document_id: i64,
    document_code: String,
    document_subject: Option<String>,
    leads: Vec<Party>,
    supports: Vec<Party>,
    deadline: String,
    deadlines: Vec<DeadlineLine>,
    history: Vec<HistoryLine>,
    reports: Vec<ReportLine>,
    extensions: Vec<ExtensionLine>,
    actions: Vec<ActionForm>,
    can_report: bool,
    can_extend: bool,
    can_decide: bool,
    /// The officers the caller may hand the task to; empty: no hand-over form.
    officers: Vec<Choice>,
    /// The agencies a refused task may be reassigned to (only when the caller may).
    agencies: Vec<Choice>,
    /// The stamp every form of the page carries.
    stamp: String,
}

fn size_text(bytes: u64) -> String {
    match bytes {
        0..1024 => format!("{bytes} B"),
        1024..1_048_576 => format!("{} KB", bytes.div_ceil(1024)),
        _ => format!("{:.1} MB", bytes as f64 / 1_048_576.0),
    }
}

fn party(a: &store::Assignment) -> Party {
    let name = a
        .current_agency
        .as_ref()
        .map_or_else(|| a.name.clone(), |r| r.name.clone());
    let note = match (&a.original_agency, a.party_kind) {
        (Some(o), _) if o.name != name => Some(format!("giao: {}", o.name)),
        (_, PartyKind::Agency) => None,
        (_, kind) => Some(kind.label_vi().to_owned()),
    };
    Party { name, note }
}

async fn load(state: &AppState, caller: &Caller, id: TaskId) -> Result<TaskView, PageError> {
    let s = &state.store;
    let task = s.task(id).await?;
    let document = s.document(task.document).await?;
    let history = s.status_history(id).await?;
    let reports = s.progress_reports(id).await?;
    let extensions = s.extensions(id).await?;
    let allowed = s.allowed_actions(id, caller.user.id).await?;
    let users = s.users().await?;
    let name = |u: Option<UserId>| {
        u.and_then(|u| users.iter().find(|x| x.id == u))
            .map_or_else(|| "Hệ thống".to_owned(), |x| x.full_name.clone())
    };
    let today = Timestamp::now().date_in_vietnam();
    let open = task.status.is_open();
    let version = format!(
        "{}|{}|{}|{}|{}|{}",
        task.status.code(),
        task.deadlines.len(),
        history.len(),
        reports.len(),
        extensions
            .iter()
            .map(|e| format!("{}:{}", e.id, e.decision.as_deref().unwrap_or("-")))
            .collect::<Vec<_>>()
            .join(","),
        task.assignments
            .iter()
            .map(|a| a
                .current_agency
                .as_ref()
                .map_or(0, |r| r.id.get())
                .to_string())
            .collect::<Vec<_>>()
            .join(",")
    );
    let may = |path| Rule::Api(Method::POST, path).admits(caller);
    let pending = extensions.iter().any(|e| e.decision.is_none());
    // An extension is asked for before the due day (workflow's rule, which the store applies).
    let before_due = task
        .current_deadline()
        .and_then(|d| d.due_on)
        .and_then(|due| workflow::due_day(&state.rules().calendar, due).ok())
        .is_some_and(|due_day| today < due_day);
    // Hand-over: a head of a lead agency, to that agency's officers.
    let lead_agencies: Vec<_> = task
        .leads()
        .filter_map(|a| a.current_agency.as_ref().map(|r| r.id))
        .filter(|a| caller.user.agencies.contains(a))
        .collect();
    let officers = if open && may("/api/tasks/{id}/hand-over") && !lead_agencies.is_empty() {
        users
            .iter()
            .filter(|u| u.active && u.roles.contains(&Role::AgencyOfficer))
            .filter(|u| u.agencies.iter().any(|a| lead_agencies.contains(a)))
            .map(|u| Choice::new(&u.login, &u.full_name, ""))
            .collect()
    } else {
        Vec::new()
    };
    let agencies = if allowed.contains(&ActionKind::Reassign) {
        let mut all: Vec<Choice> = s
            .agencies()
            .await?
            .into_iter()
            .filter(|a| a.kind != store::AgencyKind::Central)
            .map(|a| Choice::new(a.id, a.name, ""))
            .collect();
        all.sort_by_cached_key(|c| vn_text::fold(&c.label));
        all
    } else {
        Vec::new()
    };
    let done = done_on(state, &task).await?;
    Ok(TaskView {
        id: task.id.get(),
        outline_id: task.outline_id.clone(),
        text: task.text.clone(),
        status: task.status.label_vi(),
        status_code: task.status.code(),
        timeliness: timeliness(state, &task, done, today),
        parent: task.parent.map(TaskId::get),
        document_id: document.id.get(),
        document_code: document
            .code
            .as_ref()
            .map_or_else(|| document.file_name.clone(), ToString::to_string),
        document_subject: document.subject.clone(),
        leads: task
            .assignments
            .iter()
            .filter(|a| a.role == AssignmentRole::Lead)
            .map(party)
            .collect(),
        supports: task
            .assignments
            .iter()
            .filter(|a| a.role == AssignmentRole::Support)
            .map(party)
            .collect(),
        deadline: deadline_text(&task),
        deadlines: task
            .deadlines
            .iter()
            .map(|d| DeadlineLine {
                due: d.due_on.map_or_else(
                    || {
                        d.text
                            .clone()
                            .unwrap_or_else(|| d.kind.label_vi().to_owned())
                    },
                    reports::vn_date,
                ),
                source: d.source.label_vi(),
                reason: d.reason.clone(),
                at: d.recorded_at.display_vietnam(),
                by: name(d.recorded_by),
            })
            .collect(),
        history: history
            .iter()
            .map(|c| HistoryLine {
                action: ActionKind::from_code(&c.action)
                    .map_or_else(|| c.action.clone(), |k| k.label_vi().to_owned()),
                from: c.from.label_vi(),
                to: c.to.label_vi(),
                on: reports::vn_date(c.on),
                by: name(c.by),
                reason: c.reason.clone(),
            })
            .collect(),
        reports: reports
            .iter()
            .map(|r| ReportLine {
                at: r.reported_at.display_vietnam(),
                author: name(r.author),
                agency: task
                    .assignments
                    .iter()
                    .filter_map(|a| a.current_agency.as_ref())
                    .find(|a| Some(a.id) == r.agency)
                    .map_or_else(String::new, |a| a.name.clone()),
                percent: r.percent,
                content: r.content.clone(),
                result_code: r.result_code.clone(),
                result_document: r.result_document.map(store::DocumentId::get),
                files: r
                    .attachments
                    .iter()
                    .map(|a| FileLine {
                        id: a.id.get(),
                        name: a.file_name.clone(),
                        size: size_text(a.size),
                    })
                    .collect(),
            })
            .collect(),
        extensions: extensions
            .iter()
            .map(|e| ExtensionLine {
                id: e.id.get(),
                form: format!("quyet-dinh-{}", e.id),
                by: name(Some(e.requested_by)),
                at: e.requested_at.display_vietnam(),
                current: reports::vn_date(e.current_due_on),
                proposed: reports::vn_date(e.proposed_due_on),
                reason: e.reason.clone(),
                decision: match e.decision.as_deref() {
                    Some("approved") => "Đã duyệt",
                    Some(_) => "Không duyệt",
                    None => "Chờ quyết định",
                },
                decided: e
                    .decided_at
                    .map(|at| format!("{}, {}", name(e.decided_by), at.display_vietnam())),
                note: e.decision_note.clone(),
                pending: e.decision.is_none(),
            })
            .collect(),
        actions: allowed
            .iter()
            .map(|k| ActionForm {
                form: format!("trang-thai-{}", k.code()),
                code: k.code(),
                label: k.label_vi(),
                needs_reason: k.needs_reason(),
                reassign: *k == ActionKind::Reassign,
            })
            .collect(),
        can_report: open && may("/api/tasks/{id}/reports"),
        can_extend: open && before_due && !pending && may("/api/tasks/{id}/extensions"),
        can_decide: pending && may("/api/extensions/{id}/decision"),
        officers,
        agencies,
        stamp: form::stamp(caller, id, &version),
    })
}

#[derive(Template)]
#[template(path = "task.html")]
struct TaskPage {
    shell: Shell,
    t: TaskView,
    /// What the last form did.
    notice: Option<&'static str>,
    filled: Filled,
    today: String,
}

async fn render(
    state: &AppState,
    caller: &Caller,
    t: TaskView,
    notice: Option<&'static str>,
    filled: Filled,
) -> Result<Response, PageError> {
    let status = if filled.invalid.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::from_u16(filled.invalid.status).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY)
    };
    let page = TaskPage {
        shell: Shell::new(state, caller, "/nhiem-vu").await?,
        t,
        notice,
        filled,
        today: Timestamp::now().date_in_vietnam().to_string(),
    };
    html(status, &page)
}

#[derive(Deserialize)]
pub(crate) struct ShowQuery {
    /// The form that has just done its work.
    xong: Option<String>,
}

/// The message after a form did its work (by a fixed code, so nothing from the address is
/// echoed).
fn done_message(code: &str) -> Option<&'static str> {
    Some(match code {
        "bao-cao" => "Đã gửi báo cáo tiến độ.",
        "trang-thai" => "Đã cập nhật trạng thái nhiệm vụ.",
        "gia-han" => "Đã gửi đề nghị gia hạn.",
        "quyet-dinh" => "Đã ghi quyết định về đề nghị gia hạn.",
        "giao" => "Đã giao nhiệm vụ cho cán bộ.",
        _ => return None,
    })
}

pub(crate) async fn show(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(id): Extension<TaskId>,
    PageQuery(q): PageQuery<ShowQuery>,
) -> Result<Response, PageError> {
    let view = load(&state, &caller, id).await?;
    let notice = q.xong.as_deref().and_then(done_message);
    render(&state, &caller, view, notice, Filled::default()).await
}

/// Said when a form's stamp no longer matches the task.
const STALE: &str = "Biểu mẫu này đã được gửi, hoặc nhiệm vụ vừa được cập nhật: chưa ghi gì thêm. \
                     Hãy xem lại nhiệm vụ bên dưới rồi gửi lại nếu vẫn cần.";

/// Runs one form of a task: its stamp checked against the task as it is now, then `write`
/// (which checks the fields and writes, or says what is wrong). Done: back to the task page
/// with a message; not done: the page again with the form as filled and the messages.
async fn submit(
    state: &AppState,
    caller: &Caller,
    id: TaskId,
    form: String,
    fields: Fields,
    write: impl AsyncFnOnce() -> Result<&'static str, Invalid>,
) -> Result<Response, PageError> {
    let _one_at_a_time = WRITES.lock().await;
    let view = load(state, caller, id).await?;
    let invalid = if auth::same(fields.get("stamp"), &view.stamp) {
        match write().await {
            Ok(done) => return Ok(see_other(&format!("/nhiem-vu/{id}?xong={done}"))),
            Err(invalid) => invalid,
        }
    } else {
        Invalid {
            general: Some(STALE.to_owned()),
            status: 409,
            ..Invalid::default()
        }
    };
    // Nothing was written, so the task is as `view` read it.
    render(
        state,
        caller,
        view,
        None,
        Filled::new(form, fields, invalid),
    )
    .await
}

fn date_field(fields: &Fields, name: &str, invalid: &mut Invalid) -> Option<Date> {
    match fields.get(name) {
        "" => {
            invalid.add(name, "Cần chọn ngày");
            None
        }
        text => text.parse().ok().or_else(|| {
            invalid.add(
                name,
                "Ngày không hợp lệ (dạng năm-tháng-ngày, ví dụ 2026-12-31)",
            );
            None
        }),
    }
}

pub(crate) async fn report(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(id): Extension<TaskId>,
    Upload { fields, files }: Upload,
) -> Result<Response, PageError> {
    let f = fields.clone();
    submit(&state, &caller, id, "bao-cao".into(), fields, async || {
        let mut invalid = Invalid::default();
        let content = f.get("noi_dung");
        if content.is_empty() {
            invalid.add(
                "noi_dung",
                "Cần nhập nội dung báo cáo: đã làm được gì, còn vướng mắc gì",
            );
        }
        let percent = match f.get("phan_tram") {
            "" => None,
            p => p.parse::<u8>().ok().filter(|n| *n <= 100).or_else(|| {
                invalid.add("phan_tram", "Tỷ lệ hoàn thành là số nguyên từ 0 đến 100");
                None
            }),
        };
        let result = match f.get("van_ban_ket_qua") {
            "" => None,
            code => code.parse::<DocumentCode>().ok().or_else(|| {
                invalid.add(
                    "van_ban_ket_qua",
                    "Số, ký hiệu văn bản không hợp lệ (ví dụ: 15/BC-SVHTTDL)",
                );
                None
            }),
        };
        let mut attachments = Vec::new();
        for file in files {
            match api::check_file_name(&file.name) {
                Ok(file_name) => attachments.push(NewAttachment {
                    file_name,
                    media_type: file.media_type,
                    bytes: file.bytes,
                }),
                Err(e) => invalid.add("tep", e.message()),
            }
        }
        if !invalid.is_empty() {
            if !attachments.is_empty() {
                invalid.add("tep", "Vui lòng chọn lại tệp đính kèm trước khi gửi lại");
            }
            return Err(invalid);
        }
        let report = NewReport {
            task: id,
            agency: None,
            author: Some(caller.user.id),
            status: None,
            percent,
            content: content.to_owned(),
            result,
            attachments,
        };
        api::file_report(&state, &caller, report)
            .await
            .map_err(|e| Invalid::refused(&e, |c| (c == "file_too_large").then_some("tep")))?;
        Ok("bao-cao")
    })
    .await
}

pub(crate) async fn transition(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(id): Extension<TaskId>,
    Posted(fields): Posted,
) -> Result<Response, PageError> {
    let f = fields.clone();
    let code = f.get("thao_tac");
    submit(
        &state,
        &caller,
        id,
        format!("trang-thai-{code}"),
        fields,
        async || {
            let Some(kind) = ActionKind::from_code(code) else {
                return Err(Invalid {
                    general: Some("Thao tác không hợp lệ".to_owned()),
                    ..Invalid::default()
                });
            };
            let reason = f.get("ly_do");
            if kind.needs_reason() && reason.is_empty() {
                return Err(Invalid::field("ly_do", "Cần nêu lý do"));
            }
            let lead = if kind == ActionKind::Reassign {
                match f.get("co_quan").parse::<i64>() {
                    Ok(a) => Some(a),
                    Err(_) => {
                        return Err(Invalid::field("co_quan", "Cần chọn cơ quan chủ trì mới"));
                    }
                }
            } else {
                None
            };
            api::apply_action(&state, &caller, id, code, reason.to_owned(), lead)
                .await
                .map_err(|e| {
                    Invalid::refused(&e, |c| (c == "reason_required").then_some("ly_do"))
                })?;
            Ok("trang-thai")
        },
    )
    .await
}

pub(crate) async fn ask_extension(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(id): Extension<TaskId>,
    Posted(fields): Posted,
) -> Result<Response, PageError> {
    let f = fields.clone();
    submit(&state, &caller, id, "gia-han".into(), fields, async || {
        let mut invalid = Invalid::default();
        let proposed = date_field(&f, "han_de_nghi", &mut invalid);
        let reason = f.get("ly_do");
        if reason.is_empty() {
            invalid.add("ly_do", "Cần nêu lý do xin gia hạn");
        }
        let Some(proposed) = proposed.filter(|_| invalid.is_empty()) else {
            return Err(invalid);
        };
        state
            .store
            .request_extension(
                id,
                proposed,
                reason,
                caller.user.id,
                Timestamp::now(),
                &state.rules().calendar,
            )
            .await
            .map_err(|e| {
                Invalid::refused(&e.into(), |c| match c {
                    "extension_not_later" => Some("han_de_nghi"),
                    "reason_required" => Some("ly_do"),
                    _ => None,
                })
            })?;
        Ok("gia-han")
    })
    .await
}

pub(crate) async fn decide_extension(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(ext): Extension<ExtensionId>,
    Posted(fields): Posted,
) -> Result<Response, PageError> {
    let task = state.store.extension_task(ext).await?;
    let f = fields.clone();
    submit(
        &state,
        &caller,
        task,
        format!("quyet-dinh-{ext}"),
        fields,
        async || {
            let approve = match f.get("quyet_dinh") {
                "duyet" => true,
                "khong_duyet" => false,
                _ => {
                    return Err(Invalid::field(
                        "quyet_dinh",
                        "Cần chọn duyệt hoặc không duyệt",
                    ));
                }
            };
            let note = Some(f.get("ghi_chu")).filter(|n| !n.is_empty());
            state
                .store
                .decide_extension(ext, approve, note, caller.user.id, Timestamp::now())
                .await
                .map_err(|e| {
                    Invalid::refused(&e.into(), |c| (c == "reason_required").then_some("ghi_chu"))
                })?;
            Ok("quyet-dinh")
        },
    )
    .await
}

pub(crate) async fn hand_over(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(id): Extension<TaskId>,
    Posted(fields): Posted,
) -> Result<Response, PageError> {
    let f = fields.clone();
    submit(&state, &caller, id, "giao".into(), fields, async || {
        let login = f.get("can_bo");
        if login.is_empty() {
            return Err(Invalid::field("can_bo", "Cần chọn cán bộ"));
        }
        let officer = state
            .store
            .user_by_login(login)
            .await
            .map_err(|e| Invalid::refused(&e.into(), |_| Some("can_bo")))?;
        state
            .store
            .hand_over(id, officer, caller.user.id)
            .await
            .map_err(|e| {
                Invalid::refused(&e.into(), |c| {
                    (c == "officer_not_in_lead_agency").then_some("can_bo")
                })
            })?;
        Ok("giao")
    })
    .await
}
