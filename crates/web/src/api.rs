//! The handlers. Access was decided before they run ([`crate::access`]): each takes the
//! [`Caller`] and the resolved target from the request, and only does its job.

use axum::Extension;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Multipart, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header, request::Parts};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use store::{
    Actor, AgencyId, CountBy, DocumentId, ExtensionId, NewAttachment, NewReport, Scope, TaskFilter,
    TaskId, TimelinessOn, Timestamp,
};
use vn_calendar::Date;
use workflow::{Action, Status, Timeliness};

use crate::AppState;
use crate::access::PathId;
use crate::auth::{self, Caller, TaskScope, Via};
use crate::error::{ApiError, too_large};

type ApiResult<T = Response> = Result<T, ApiError>;

/// JSON body whose rejections are [`ApiError`]s (Vietnamese, the error table's codes).
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        Ok(ApiJson(Json::<T>::from_request(req, state).await?.0))
    }
}

/// Query string whose rejections are [`ApiError`]s.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Ok(ApiQuery(
            axum::extract::Query::<T>::from_request_parts(parts, state)
                .await?
                .0,
        ))
    }
}

/// `?after=&limit=` of the small lists paged in memory.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    after: Option<i64>,
    limit: Option<u32>,
}

/// A page size: 50 when not given, else 1–500 as the OpenAPI document says.
pub(crate) fn page_limit(limit: Option<u32>) -> ApiResult<u32> {
    match limit {
        None => Ok(50),
        Some(n @ 1..=500) => Ok(n),
        Some(n) => Err(ApiError::new(
            "invalid_value",
            format!("Số mục một trang phải từ 1 đến 500, không phải {n}"),
        )),
    }
}

/// A page cursor: a positive id, as the OpenAPI document says.
fn page_after(after: Option<i64>) -> ApiResult<Option<i64>> {
    match after {
        Some(a) if a < 1 => Err(ApiError::new(
            "invalid_value",
            format!("Con trỏ trang (after) phải là số dương, không phải {a}"),
        )),
        _ => Ok(after),
    }
}

fn page<T: serde::Serialize>(
    items: Vec<T>,
    id: impl Fn(&T) -> i64,
    after: Option<i64>,
    limit: Option<u32>,
) -> ApiResult<Value> {
    let limit = page_limit(limit)? as usize;
    let after = page_after(after)?;
    let mut rest = items
        .into_iter()
        .filter(|i| after.is_none_or(|a| id(i) > a))
        .collect::<Vec<_>>();
    let next = (rest.len() > limit).then(|| id(&rest[limit - 1]));
    rest.truncate(limit);
    Ok(json!({"items": rest, "next": next}))
}

fn date(text: &str, what: &str) -> ApiResult<Date> {
    text.parse().map_err(|_| {
        ApiError::new(
            "invalid_value",
            format!("{what} không hợp lệ: {text:?} (dùng YYYY-MM-DD)"),
        )
    })
}

fn today() -> Date {
    Timestamp::now().date_in_vietnam()
}

// ---- auth ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    login: String,
    password: String,
}

pub async fn login(
    State(state): State<AppState>,
    Extension(ip): Extension<String>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<LoginRequest>,
) -> ApiResult {
    let held = presented_session(&headers);
    let (cookie, csrf, user) = sign_in(&state, &ip, &body.login, body.password, held).await?;
    let user = state.store.user(user).await?;
    let mut response = Json(json!({"user": user, "csrf_token": csrf})).into_response();
    response.headers_mut().insert(header::SET_COOKIE, cookie);
    Ok(response)
}

/// The session id of the request's cookie, if it has one.
pub(crate) fn presented_session(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(auth::session_from_cookie)
        .map(str::to_owned)
}

/// Checks a password (throttled per login and per address) and opens a session: the
/// `Set-Cookie` value, the session's CSRF token and the account. The API's login and the
/// login page both sign in here. `held` is the session id the browser sent, if any: it is
/// ended once the new session is open (issue #13, session fixation: a session planted in the
/// browser before sign-in, or left open by the previous user, must not stay valid beside the
/// new one; `tests/security.rs`).
pub(crate) async fn sign_in(
    state: &AppState,
    ip: &str,
    login: &str,
    password: String,
    held: Option<String>,
) -> ApiResult<(HeaderValue, String, store::UserId)> {
    let login = login.trim().to_owned();
    let now = Timestamp::now();
    let window = std::time::Duration::from_secs(auth::THROTTLE_WINDOW_MINUTES * 60);
    let failures = state.store.login_failures(&login, ip, now).await?;
    if failures.by_login >= auth::MAX_FAILURES_PER_LOGIN
        || failures.by_ip >= auth::MAX_FAILURES_PER_IP
    {
        return Err(ApiError::new(
            "too_many_attempts",
            format!(
                "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {} phút.",
                auth::THROTTLE_WINDOW_MINUTES
            ),
        )
        .retry_after(auth::THROTTLE_WINDOW_MINUTES * 60));
    }
    let credentials = state.store.credentials(&login).await?;
    let hash = credentials
        .as_ref()
        .and_then(|c| c.password_hash.clone())
        .unwrap_or_else(|| auth::dummy_hash().to_owned());
    let matches = tokio::task::spawn_blocking(move || auth::verify_password(&password, &hash))
        .await
        .map_err(ApiError::internal)?;
    let user = match credentials {
        Some(c) if matches && c.active && c.password_hash.is_some() => c.user,
        _ => {
            state
                .store
                .record_login_failure(&login, ip, now, window)
                .await?;
            return Err(ApiError::new(
                "invalid_credentials",
                "Sai tên đăng nhập hoặc mật khẩu",
            ));
        }
    };
    let session = auth::new_secret().map_err(ApiError::internal)?;
    let hours = state.config.session_hours;
    let expires = now + std::time::Duration::from_secs(hours * 3600);
    state
        .store
        .create_session(user, &login, &auth::secret_hash(&session), now, expires)
        .await?;
    if let Some(held) = held {
        state
            .store
            .delete_session(&auth::secret_hash(&held))
            .await?;
    }
    let cookie = format!(
        "{}={session}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}",
        auth::COOKIE,
        hours * 3600,
        if state.config.secure_cookies {
            "; Secure"
        } else {
            ""
        }
    );
    Ok((
        HeaderValue::from_str(&cookie).map_err(ApiError::internal)?,
        auth::csrf_token(&session),
        user,
    ))
}

pub async fn logout(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> ApiResult {
    let cookie = sign_out(&state, &caller).await?;
    let mut response = Json(json!({"ok": true})).into_response();
    response.headers_mut().insert(header::SET_COOKIE, cookie);
    Ok(response)
}

/// Ends the caller's session; the `Set-Cookie` value that clears it in the browser.
pub(crate) async fn sign_out(state: &AppState, caller: &Caller) -> ApiResult<HeaderValue> {
    if let Via::Session(session) = &caller.via {
        state
            .store
            .delete_session(&auth::secret_hash(session))
            .await?;
    }
    Ok(HeaderValue::from_static(
        "nhiemvu_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0",
    ))
}

pub async fn me(Extension(caller): Extension<Caller>) -> ApiResult {
    let csrf = match &caller.via {
        Via::Session(s) => Some(auth::csrf_token(s)),
        Via::Token => None,
    };
    Ok(Json(json!({"user": caller.user, "csrf_token": csrf})).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    name: String,
}

pub async fn create_token(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(body): ApiJson<TokenRequest>,
) -> ApiResult {
    let name = body.name.trim();
    if name.is_empty() {
        return Err(ApiError::new(
            "invalid_value",
            "Cần đặt tên cho mã truy cập (tên hệ thống dùng nó)",
        ));
    }
    let token = auth::new_secret().map_err(ApiError::internal)?;
    let id = state
        .store
        .create_api_token(
            caller.user.id,
            name,
            &auth::secret_hash(&token),
            Actor::User(caller.user.id),
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"id": id, "name": name, "token": token})),
    )
        .into_response())
}

// ---- documents ----

/// Refuses a file name that could name another place than a file of its own: directories,
/// `..`, control characters. Stored names are shown and used as download names later.
pub fn check_file_name(name: &str) -> ApiResult<String> {
    let name = name.trim();
    let bad = name.is_empty()
        || name.len() > 255
        || name.contains(['/', '\\'])
        || name == "."
        || name.contains("..")
        || name.chars().any(char::is_control);
    if bad {
        return Err(ApiError::new(
            "invalid_file_name",
            format!(
                "Tên tệp không hợp lệ: {name:?} (không được có thư mục, \"..\" hoặc ký tự điều khiển)"
            ),
        ));
    }
    Ok(name.to_owned())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileQuery {
    file_name: Option<String>,
}

/// The uploaded file: a multipart `file` field, or the raw body named by `?file_name=`.
async fn uploaded_file(state: &AppState, req: Request) -> ApiResult<(String, Vec<u8>)> {
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if multipart {
        let mut form = Multipart::from_request(req, state)
            .await
            .map_err(|e| ApiError::new("invalid_multipart", e.body_text()))?;
        while let Some(field) = form.next_field().await? {
            if field.name() == Some("file") {
                let name = check_file_name(field.file_name().unwrap_or_default())?;
                let bytes = field.bytes().await?;
                return Ok((name, bytes.to_vec()));
            }
        }
        return Err(ApiError::new(
            "invalid_multipart",
            "Thiếu trường tệp \"file\"",
        ));
    }
    let (mut parts, body) = req.into_parts();
    let ApiQuery(q) = ApiQuery::<FileQuery>::from_request_parts(&mut parts, state).await?;
    let name = check_file_name(q.file_name.as_deref().ok_or_else(|| {
        ApiError::new(
            "invalid_query",
            "Cần tham số file_name khi gửi nội dung tệp trực tiếp",
        )
    })?)?;
    let bytes = Bytes::from_request(Request::from_parts(parts, body), state)
        .await
        .map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                too_large()
            } else {
                ApiError::new("invalid_value", e.body_text())
            }
        })?;
    Ok((name, bytes.to_vec()))
}

/// Reads and parses a file off the async threads (readers may run external programs). An
/// edXML package is read as `nhiemvu import` reads it (`intake`): stored whole, its main
/// attachment parsed, its header's metadata winning, with a warning where they disagree.
pub(crate) async fn read_and_parse(
    name: String,
    bytes: Vec<u8>,
) -> ApiResult<(Vec<u8>, doc_parse::Parsed)> {
    tokio::task::spawn_blocking(move || {
        if intake::is_edxml(&name, &bytes) {
            return match intake::edxml_package(bytes, name) {
                Ok(received) => Ok((received.bytes, received.parsed)),
                Err(intake::NotDocument::Unreadable(r)) => {
                    Err(ApiError::new("unreadable_document", r))
                }
                Err(intake::NotDocument::Refused(r)) => Err(ApiError::new("edxml_refused", r)),
                Err(intake::NotDocument::Report(r)) => Err(ApiError::new("not_a_document", r)),
            };
        }
        let extracted =
            ingest::read_bytes(&bytes, &name, &ingest::Options::default()).map_err(|e| {
                ApiError::new(
                    "unreadable_document",
                    format!("Không đọc được tệp {name}: {e}"),
                )
            })?;
        let source = doc_parse::SourceInfo {
            file: name,
            format: extracted.format.as_str().to_owned(),
            sha256: extracted.sha256.clone(),
        };
        let parsed = doc_parse::parse(&extracted.text, source);
        Ok((bytes, parsed))
    })
    .await
    .map_err(ApiError::internal)?
}

/// The uploaded file, read and parsed: what is to be stored, and its parse.
pub(crate) async fn upload_and_parse(
    state: &AppState,
    req: Request,
) -> ApiResult<(Vec<u8>, doc_parse::Parsed)> {
    let (name, bytes) = uploaded_file(state, req).await?;
    read_and_parse(name, bytes).await
}

pub async fn parse(State(state): State<AppState>, req: Request) -> ApiResult {
    let (_, parsed) = upload_and_parse(&state, req).await?;
    Ok(Json(&parsed.document).into_response())
}

pub async fn create_document(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    req: Request,
) -> ApiResult {
    let (bytes, parsed) = upload_and_parse(&state, req).await?;
    let outcome = state
        .store
        .commit_document(&parsed, &bytes, Actor::User(caller.user.id))
        .await?;
    Ok(commit_response(outcome))
}

/// A commit's answer: 201 with the new document, 200 when the file was imported before.
pub(crate) fn commit_response(outcome: store::CommitOutcome) -> Response {
    let (status, body) = match outcome {
        store::CommitOutcome::Imported { document, tasks } => (
            StatusCode::CREATED,
            json!({"document": document, "tasks": tasks, "imported": true, "message": outcome.to_string()}),
        ),
        store::CommitOutcome::AlreadyImported { document } => (
            StatusCode::OK,
            json!({"document": document, "tasks": null, "imported": false, "message": outcome.to_string()}),
        ),
    };
    (status, Json(body)).into_response()
}

pub async fn list_documents(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult {
    let after = q
        .after
        .map(|a| a.to_string().parse::<DocumentId>())
        .transpose()?;
    let (items, next) = state
        .store
        .document_page(caller.visible_to(), after, page_limit(q.limit)?)
        .await?;
    Ok(Json(json!({"items": items, "next": next})).into_response())
}

pub async fn get_document(
    State(state): State<AppState>,
    Extension(id): Extension<DocumentId>,
) -> ApiResult {
    let doc = state.store.document(id).await?;
    let references = state.store.document_references(id).await?;
    let mut body = serde_json::to_value(&doc).map_err(ApiError::internal)?;
    body["references"] = serde_json::to_value(references).map_err(ApiError::internal)?;
    Ok(Json(body).into_response())
}

// ---- tasks ----

/// The parameters of a task list: the API's, and the task list page's (same names).
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct TaskQuery {
    pub(crate) agency: Option<i64>,
    pub(crate) status: Option<String>,
    pub(crate) timeliness: Option<String>,
    pub(crate) as_of: Option<String>,
    pub(crate) due_from: Option<String>,
    pub(crate) due_to: Option<String>,
    pub(crate) document: Option<i64>,
    pub(crate) text: Option<String>,
    pub(crate) after: Option<i64>,
    pub(crate) limit: Option<u32>,
}

fn id_of<T: std::str::FromStr<Err = store::Error>>(n: i64) -> ApiResult<T> {
    Ok(n.to_string().parse::<T>()?)
}

pub async fn list_tasks(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiQuery(q): ApiQuery<TaskQuery>,
) -> ApiResult {
    let filter = task_filter(&state, &caller, q)?;
    let page = state
        .store
        .task_page(&filter, &state.rules().calendar)
        .await?;
    Ok(Json(page).into_response())
}

/// The store's filter for a task list query, narrowed to the tasks the caller sees.
pub(crate) fn task_filter(
    state: &AppState,
    caller: &Caller,
    q: TaskQuery,
) -> ApiResult<TaskFilter> {
    let status = q
        .status
        .as_deref()
        .map(|s| {
            Status::from_code(s).ok_or_else(|| {
                ApiError::new(
                    "invalid_value",
                    format!("Trạng thái tiến độ không hợp lệ: {s:?}"),
                )
            })
        })
        .transpose()?;
    let as_of = q
        .as_of
        .as_deref()
        .map(|d| date(d, "Ngày as_of"))
        .transpose()?
        .unwrap_or_else(today);
    let timeliness = q
        .timeliness
        .as_deref()
        .map(|t| {
            Timeliness::ALL
                .into_iter()
                .find(|x| x.code() == t)
                .map(|timeliness| TimelinessOn {
                    timeliness,
                    as_of,
                    near_due_working_days: state.rules().settings.near_due_working_days,
                })
                .ok_or_else(|| {
                    ApiError::new(
                        "invalid_value",
                        format!("Tình trạng thời hạn không hợp lệ: {t:?}"),
                    )
                })
        })
        .transpose()?;
    Ok(TaskFilter {
        visible_to: caller.visible_to(),
        agency: q.agency.map(id_of::<AgencyId>).transpose()?,
        status,
        timeliness,
        due_from: q
            .due_from
            .as_deref()
            .map(|d| date(d, "Ngày due_from"))
            .transpose()?,
        due_to: q
            .due_to
            .as_deref()
            .map(|d| date(d, "Ngày due_to"))
            .transpose()?,
        document: q.document.map(id_of::<DocumentId>).transpose()?,
        text: q.text,
        after: q.after.map(id_of::<TaskId>).transpose()?,
        limit: page_limit(q.limit)?,
    })
}

pub async fn get_task(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(id): Extension<TaskId>,
) -> ApiResult {
    let s = &state.store;
    let task = s.task(id).await?;
    let allowed = s.allowed_actions(id, caller.user.id).await?;
    let mut body = serde_json::to_value(&task).map_err(ApiError::internal)?;
    body["allowed_actions"] = json!(allowed);
    body["history"] =
        serde_json::to_value(s.status_history(id).await?).map_err(ApiError::internal)?;
    body["extensions"] =
        serde_json::to_value(s.extensions(id).await?).map_err(ApiError::internal)?;
    body["reports"] =
        serde_json::to_value(s.progress_reports(id).await?).map_err(ApiError::internal)?;
    Ok(Json(body).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransitionRequest {
    action: String,
    reason: Option<String>,
    /// For `reassign`: the new lead agency.
    lead: Option<i64>,
}

pub async fn transition(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(id): Extension<TaskId>,
    ApiJson(body): ApiJson<TransitionRequest>,
) -> ApiResult {
    let status = apply_action(
        &state,
        &caller,
        id,
        &body.action,
        body.reason.unwrap_or_default(),
        body.lead,
    )
    .await?;
    Ok(Json(json!({"status": status})).into_response())
}

/// Applies the action of this code (`start`, `return`, …; `reassign` with the new lead
/// agency) for the caller, if the rules allow it; the task's new status. The API's
/// transitions and the task page's buttons both act here.
pub(crate) async fn apply_action(
    state: &AppState,
    caller: &Caller,
    id: TaskId,
    action: &str,
    reason: String,
    lead: Option<i64>,
) -> ApiResult<&'static str> {
    let action = match action {
        "start" => Action::Start,
        "report_done" => Action::ReportDone,
        "confirm" => Action::Confirm,
        "return" => Action::Return { reason },
        "suspend" => Action::Suspend { reason },
        "resume" => Action::Resume { previous: None },
        "refuse" => Action::Refuse { reason },
        "cancel" => Action::Cancel { reason },
        "reopen" => Action::Reopen { reason },
        "reassign" => {
            let lead = lead.ok_or_else(|| {
                ApiError::new(
                    "invalid_field",
                    "Giao lại cần trường lead: mã cơ quan chủ trì mới",
                )
            })?;
            state
                .store
                .reassign(id, id_of(lead)?, caller.user.id, Timestamp::now())
                .await?;
            return Ok(state.store.task(id).await?.status.code());
        }
        other => {
            return Err(ApiError::new(
                "invalid_value",
                format!(
                    "Thao tác không hợp lệ: {other:?} (start, report_done, confirm, return, suspend, resume, refuse, reassign, cancel, reopen)"
                ),
            ));
        }
    };
    let status = state
        .store
        .transition(id, &action, caller.user.id, Timestamp::now())
        .await?;
    Ok(status.code())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandOverRequest {
    /// The officer's login.
    officer: String,
}

pub async fn hand_over(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(id): Extension<TaskId>,
    ApiJson(body): ApiJson<HandOverRequest>,
) -> ApiResult {
    let officer = state.store.user_by_login(&body.officer).await?;
    state.store.hand_over(id, officer, caller.user.id).await?;
    Ok(Json(json!({"ok": true})).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportRequest {
    content: String,
    percent: Option<u8>,
    /// The code of the document reporting the result (`15/BC-SVHTTDL`).
    result: Option<String>,
}

pub async fn add_report(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(id): Extension<TaskId>,
    req: Request,
) -> ApiResult {
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let (body, attachments) = if multipart {
        let mut form = Multipart::from_request(req, &state)
            .await
            .map_err(|e| ApiError::new("invalid_multipart", e.body_text()))?;
        let (mut body, mut files) = (None, Vec::new());
        while let Some(field) = form.next_field().await? {
            match field.name() {
                Some("report") => {
                    let text = field.bytes().await?;
                    body = Some(serde_json::from_slice::<ReportRequest>(&text).map_err(|e| {
                        ApiError::new(
                            "invalid_field",
                            format!("Trường report không đúng lược đồ: {e}"),
                        )
                    })?);
                }
                Some("file") => {
                    let name = check_file_name(field.file_name().unwrap_or_default())?;
                    let media_type = field
                        .content_type()
                        .unwrap_or("application/octet-stream")
                        .to_owned();
                    let bytes = field.bytes().await?.to_vec();
                    files.push(NewAttachment {
                        file_name: name,
                        media_type,
                        bytes,
                    });
                }
                other => {
                    return Err(ApiError::new(
                        "invalid_multipart",
                        format!(
                            "Trường không được hỗ trợ: {:?} (chỉ report và file)",
                            other.unwrap_or_default()
                        ),
                    ));
                }
            }
        }
        (
            body.ok_or_else(|| ApiError::new("invalid_multipart", "Thiếu trường report (JSON)"))?,
            files,
        )
    } else {
        let ApiJson(body) = ApiJson::<ReportRequest>::from_request(req, &state).await?;
        (body, Vec::new())
    };
    if body.content.trim().is_empty() {
        return Err(ApiError::new(
            "invalid_value",
            "Nội dung báo cáo không được để trống",
        ));
    }
    let result = body
        .result
        .as_deref()
        .map(str::parse::<store::DocumentCode>)
        .transpose()?;
    let report = file_report(
        &state,
        &caller,
        NewReport {
            task: id,
            agency: None,
            author: Some(caller.user.id),
            status: None,
            percent: body.percent,
            content: body.content,
            result,
            attachments,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(json!({"id": report}))).into_response())
}

/// Files a progress report written by the caller, on behalf of the caller's agency that
/// leads or supports the task (the API's reports and the task page's form both file here).
pub(crate) async fn file_report(
    state: &AppState,
    caller: &Caller,
    mut report: NewReport,
) -> ApiResult<store::ReportId> {
    let task = state.store.task(report.task).await?;
    report.agency = task
        .assignments
        .iter()
        .filter_map(|a| a.current_agency.as_ref().map(|r| r.id))
        .find(|a| caller.user.agencies.contains(a));
    report.author = Some(caller.user.id);
    Ok(state
        .store
        .add_progress_report(&report, Actor::User(caller.user.id))
        .await?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtensionRequest {
    proposed_due_on: String,
    reason: String,
}

pub async fn request_extension(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(id): Extension<TaskId>,
    ApiJson(body): ApiJson<ExtensionRequest>,
) -> ApiResult {
    let proposed = date(&body.proposed_due_on, "Thời hạn đề nghị")?;
    let ext = state
        .store
        .request_extension(
            id,
            proposed,
            &body.reason,
            caller.user.id,
            Timestamp::now(),
            &state.rules().calendar,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(json!({"id": ext}))).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtensionDecision {
    approve: bool,
    note: Option<String>,
}

pub async fn decide_extension(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(id): Extension<ExtensionId>,
    ApiJson(body): ApiJson<ExtensionDecision>,
) -> ApiResult {
    state
        .store
        .decide_extension(
            id,
            body.approve,
            body.note.as_deref(),
            caller.user.id,
            Timestamp::now(),
        )
        .await?;
    Ok(Json(json!({"ok": true})).into_response())
}

// ---- search ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    q: Option<String>,
    after: Option<i64>,
    limit: Option<u32>,
}

pub async fn search(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> ApiResult {
    let text = q.q.unwrap_or_default();
    if store::search_words(&text).is_empty() {
        return Err(ApiError::new(
            "invalid_value",
            "Cần từ khóa tìm kiếm (tham số q, có ít nhất một chữ hoặc số)",
        ));
    }
    let page = state
        .store
        .search(
            &text,
            caller.visible_to(),
            page_after(q.after)?,
            page_limit(q.limit)?,
        )
        .await?;
    Ok(Json(page).into_response())
}

// ---- reports, directory, audit, notices ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountQuery {
    as_of: Option<String>,
    by: Option<String>,
    document: Option<i64>,
}

pub async fn counts(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiQuery(q): ApiQuery<CountQuery>,
) -> ApiResult {
    let as_of = q
        .as_of
        .as_deref()
        .map(|d| date(d, "Ngày as_of"))
        .transpose()?
        .unwrap_or_else(today);
    let by = match q.by.as_deref().unwrap_or("agency") {
        "agency" => CountBy::LeadAgency,
        "document" => CountBy::Document,
        other => {
            return Err(ApiError::new(
                "invalid_value",
                format!("Cách nhóm không hợp lệ: {other:?} (agency hoặc document)"),
            ));
        }
    };
    let scope = match q.document {
        Some(d) => Scope::Document(id_of(d)?),
        None => Scope::All,
    };
    let mut rows = state
        .store
        .official_counts(
            as_of,
            by,
            scope,
            &state.rules().calendar,
            &state.rules().settings,
        )
        .await?;
    // An agency sees its own rows: its agencies' counts, or the documents assigning it tasks.
    if caller.scope() != TaskScope::All {
        let documents = match by {
            CountBy::Document => state.store.documents_visible_to(caller.user.id).await?,
            _ => Default::default(),
        };
        rows.retain(|r| match (by, r.id) {
            (CountBy::LeadAgency, Some(id)) => caller.user.agencies.iter().any(|a| a.get() == id),
            (CountBy::Document, Some(id)) => documents.contains(&id),
            _ => false,
        });
    }
    Ok(Json(json!({"as_of": as_of.to_string(), "by": q.by.unwrap_or_else(|| "agency".into()), "rows": rows})).into_response())
}

pub async fn agencies(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult {
    let all = state.store.agencies().await?;
    Ok(Json(page(all, |a| a.id.get(), q.after, q.limit)?).into_response())
}

pub async fn users(State(state): State<AppState>, ApiQuery(q): ApiQuery<PageQuery>) -> ApiResult {
    let all = state.store.users().await?;
    Ok(Json(page(all, |u| u.id.get(), q.after, q.limit)?).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    entity: Option<String>,
    after: Option<i64>,
    limit: Option<u32>,
}

pub async fn audit(State(state): State<AppState>, ApiQuery(q): ApiQuery<AuditQuery>) -> ApiResult {
    let all = state.store.audit_log(q.entity.as_deref()).await?;
    Ok(Json(page(all, |e| e.id.get(), q.after, q.limit)?).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeQuery {
    unread: Option<bool>,
    after: Option<i64>,
    limit: Option<u32>,
}

pub async fn notices(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiQuery(q): ApiQuery<NoticeQuery>,
) -> ApiResult {
    let all = state
        .store
        .notices(caller.user.id, q.unread.unwrap_or(false))
        .await?;
    Ok(Json(page(all, |n| n.id.get(), q.after, q.limit)?).into_response())
}

pub async fn read_notice(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(PathId(id)): Extension<PathId>,
) -> ApiResult {
    state
        .store
        .mark_notice_read(caller.user.id, id_of(id)?, Timestamp::now())
        .await?;
    Ok(Json(json!({"ok": true})).into_response())
}

// ---- administration: accounts, reorganisations ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewUserRequest {
    pub(crate) login: String,
    pub(crate) full_name: String,
    pub(crate) email: Option<String>,
    pub(crate) password: Option<String>,
    pub(crate) roles: Vec<String>,
    #[serde(default)]
    pub(crate) agencies: Vec<i64>,
}

/// Shortest password accepted for a new account.
const MIN_PASSWORD_CHARS: usize = 10;

pub async fn create_user(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(body): ApiJson<NewUserRequest>,
) -> ApiResult {
    let checked = check_new_user(&state, body).await.map_err(|(_, e)| e)?;
    let id = create_account(&state, &caller, checked).await?;
    let user = state.store.user(id).await?;
    Ok((StatusCode::CREATED, Json(user)).into_response())
}

/// A new account whose fields passed [`check_new_user`].
pub(crate) struct CheckedUser {
    login: String,
    full_name: String,
    email: Option<String>,
    password: Option<String>,
    roles: Vec<store::Role>,
    agencies: Vec<AgencyId>,
}

/// Checks a new account's fields before anything is written; a failure names the field it
/// is about (as the JSON body names it), so the administration page can show it there.
pub(crate) async fn check_new_user(
    state: &AppState,
    body: NewUserRequest,
) -> Result<CheckedUser, (&'static str, ApiError)> {
    let invalid = |field, message: String| (field, ApiError::new("invalid_value", message));
    let login = body.login.trim().to_owned();
    let full_name = body.full_name.trim().to_owned();
    if login.is_empty() {
        return Err(invalid("login", "Cần tên đăng nhập".into()));
    }
    if full_name.is_empty() {
        return Err(invalid("full_name", "Cần họ tên".into()));
    }
    if login.chars().any(|c| c.is_whitespace() || c.is_control()) || login.len() > 100 {
        return Err(invalid(
            "login",
            format!(
                "Tên đăng nhập không hợp lệ: {login:?} (không có khoảng trắng, tối đa 100 ký tự)"
            ),
        ));
    }
    let roles = body
        .roles
        .iter()
        .map(|r| r.parse::<store::Role>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ("roles", e.into()))?;
    if roles.is_empty() {
        return Err(invalid(
            "roles",
            "Cần ít nhất một vai trò (leader, monitor, agency_head, agency_officer, admin)".into(),
        ));
    }
    let agency_roles = roles
        .iter()
        .any(|r| matches!(r, store::Role::AgencyHead | store::Role::AgencyOfficer));
    if agency_roles && body.agencies.is_empty() {
        return Err(invalid(
            "agencies",
            "Tài khoản lãnh đạo cơ quan hoặc chuyên viên cần thuộc ít nhất một cơ quan (trường agencies)".into(),
        ));
    }
    let mut agencies = Vec::new();
    for a in &body.agencies {
        let id: AgencyId = id_of(*a).map_err(|e| ("agencies", e))?;
        state
            .store
            .agency(id)
            .await
            .map_err(|e| ("agencies", e.into()))?;
        agencies.push(id);
    }
    if let Some(p) = &body.password
        && p.chars().count() < MIN_PASSWORD_CHARS
    {
        return Err(invalid(
            "password",
            format!("Mật khẩu cần ít nhất {MIN_PASSWORD_CHARS} ký tự"),
        ));
    }
    Ok(CheckedUser {
        login,
        full_name,
        email: body.email.filter(|e| !e.trim().is_empty()),
        password: body.password,
        roles,
        agencies,
    })
}

/// Creates a checked account with its agencies.
pub(crate) async fn create_account(
    state: &AppState,
    caller: &Caller,
    new: CheckedUser,
) -> ApiResult<store::UserId> {
    let password_hash = match new.password {
        Some(p) => Some(
            tokio::task::spawn_blocking(move || auth::hash_password(&p))
                .await
                .map_err(ApiError::internal)?
                .map_err(ApiError::internal)?,
        ),
        None => None,
    };
    let actor = Actor::User(caller.user.id);
    let id = state
        .store
        .create_user(
            &store::NewUser {
                login: new.login,
                full_name: new.full_name,
                email: new.email,
                password_hash,
                roles: new.roles,
            },
            actor,
        )
        .await?;
    for a in new.agencies {
        state.store.add_membership(id, a, actor).await?;
    }
    Ok(id)
}

pub async fn reorganisations(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult {
    let all = state.store.reorganisations().await?;
    Ok(Json(page(all, |r| r.id.get(), q.after, q.limit)?).into_response())
}

pub async fn apply_reorganisation(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(PathId(id)): Extension<PathId>,
) -> ApiResult {
    let outcome = state
        .store
        .apply_reorganisation(id_of(id)?, Actor::User(caller.user.id))
        .await?;
    let body = match outcome {
        store::ApplyOutcome::Applied { moved } => json!({"applied": true, "moved": moved}),
        store::ApplyOutcome::AlreadyApplied => json!({"applied": false, "moved": 0}),
    };
    Ok(Json(body).into_response())
}

// ---- administration: settings and the calendar ----

pub async fn settings(State(state): State<AppState>) -> ApiResult {
    Ok(Json(state.rules().settings.clone()).into_response())
}

pub async fn save_settings(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(body): ApiJson<workflow::Settings>,
) -> ApiResult {
    put_settings(&state, &caller, &body)
        .await
        .map_err(|(_, e)| e)?;
    Ok(Json(body).into_response())
}

/// Checks and saves the tracking settings and puts them in force; `false` when they were
/// those in force already (nothing written). A refusal names the setting it is about, as the
/// JSON names it (`reminders.before_working_days`), when it is about one.
pub(crate) async fn put_settings(
    state: &AppState,
    caller: &Caller,
    settings: &workflow::Settings,
) -> Result<bool, (Option<&'static str>, ApiError)> {
    if let Err(e) = settings.validate() {
        let field = match &e {
            workflow::SettingsError::BeforeDayZero => Some("reminders.before_working_days"),
            workflow::SettingsError::OverdueFirstZero => {
                Some("reminders.overdue_first_working_days")
            }
            workflow::SettingsError::TooLong { field, .. } => Some(*field),
            _ => None,
        };
        return Err((field, ApiError::new("invalid_value", e.to_string())));
    }
    let changed = state
        .store
        .save_settings(settings, Actor::User(caller.user.id))
        .await
        .map_err(|e| (None, e.into()))?;
    state.reload_rules().await.map_err(|e| (None, e.into()))?;
    Ok(changed)
}

pub async fn calendar_changes(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult {
    let all = state.store.calendar_changes().await?;
    Ok(Json(page(all, |c| c.id.get(), q.after, q.limit)?).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarChangeRequest {
    pub(crate) date: String,
    pub(crate) kind: String,
    pub(crate) note: String,
}

pub async fn add_calendar_change(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(body): ApiJson<CalendarChangeRequest>,
) -> ApiResult {
    let change = declare_day(&state, &caller, body)
        .await
        .map_err(|(_, e)| e)?;
    Ok((StatusCode::CREATED, Json(change)).into_response())
}

/// Checks and stores a calendar change and puts it in force. A refusal names the field it is
/// about (`date`, `kind`, `note`), as the JSON names it.
pub(crate) async fn declare_day(
    state: &AppState,
    caller: &Caller,
    body: CalendarChangeRequest,
) -> Result<store::CalendarChange, (&'static str, ApiError)> {
    let day = date(body.date.trim(), "Ngày").map_err(|e| ("date", e))?;
    let kind = body
        .kind
        .parse::<store::CalendarChangeKind>()
        .map_err(|e| ("kind", e.into()))?;
    let new = store::NewCalendarChange {
        date: day,
        kind,
        note: body.note,
    };
    let change = state
        .store
        .add_calendar_change(&new, Actor::User(caller.user.id))
        .await
        .map_err(|e| {
            let field = match &e {
                store::Error::Invalid { value, .. } if *value == day.to_string() => "date",
                store::Error::Invalid { .. } => "note",
                _ => "date",
            };
            (field, ApiError::from(e))
        })?;
    state.reload_rules().await.map_err(|e| ("date", e.into()))?;
    Ok(change)
}

pub async fn remove_calendar_change(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(PathId(id)): Extension<PathId>,
) -> ApiResult {
    if !undeclare_day(&state, &caller, id_of(id)?).await? {
        return Err(ApiError::new(
            "not_found",
            format!("Không tìm thấy thay đổi lịch có mã {id}"),
        ));
    }
    Ok(Json(json!({"ok": true})).into_response())
}

/// Removes a calendar change and puts the calendar without it in force; `false` when there
/// was none with this id.
pub(crate) async fn undeclare_day(
    state: &AppState,
    caller: &Caller,
    id: store::CalendarChangeId,
) -> ApiResult<bool> {
    let removed = state
        .store
        .remove_calendar_change(id, Actor::User(caller.user.id))
        .await?;
    if removed {
        state.reload_rules().await?;
    }
    Ok(removed)
}

// ---- attachments ----

/// `Content-Disposition` for a stored file name: the name was checked on upload (no
/// directories, no control characters), but quotes, backslashes and non-ASCII letters are
/// legal in it; the plain `filename` gets an ASCII stand-in with those replaced, and
/// `filename*` (RFC 6266/5987) the exact name, percent-encoded.
pub fn content_disposition(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let ascii: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && !matches!(c, '"' | '\\' | ';' | '%') || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let ascii = if ascii.trim_matches(['.', '_', ' ']).is_empty() {
        "tep-dinh-kem".to_owned()
    } else {
        ascii
    };
    let mut encoded = String::new();
    for b in base.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// Whether a media type is one a browser renders as a page or runs (HTML, SVG, XML, scripts).
/// The type of an attachment is the uploader's claim, never checked against the bytes: such a
/// claim is served as opaque bytes, so that a report's file cannot act as a page of this site
/// where `Content-Disposition: attachment` and `nosniff` are not honoured (issue #13,
/// content-type tricks; `tests/security.rs`).
fn active_content(media_type: &str) -> bool {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    matches!(
        essence.as_str(),
        "text/html"
            | "application/xhtml+xml"
            | "image/svg+xml"
            | "text/xml"
            | "application/xml"
            | "text/xsl"
            | "application/xslt+xml"
            | "multipart/x-mixed-replace"
    ) || essence.ends_with("+xml")
        || essence.contains("javascript")
        || essence.contains("ecmascript")
}

pub async fn attachment(
    State(state): State<AppState>,
    Extension(id): Extension<store::AttachmentId>,
) -> ApiResult {
    let (_, name, media_type) = state.store.attachment_task(id).await?;
    let bytes = state.store.attachment_content(id).await?;
    let mut headers = HeaderMap::new();
    let media_type = HeaderValue::from_str(&media_type)
        .ok()
        .filter(|v| !v.as_bytes().iter().any(|b| b.is_ascii_control()))
        .filter(|_| !active_content(&media_type))
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    headers.insert(header::CONTENT_TYPE, media_type);
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&content_disposition(&name)).map_err(ApiError::internal)?,
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok((headers, bytes).into_response())
}

// ---- webhooks ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookRequest {
    url: String,
    events: Vec<String>,
}

pub async fn create_webhook(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(body): ApiJson<WebhookRequest>,
) -> ApiResult {
    let secret = auth::new_secret().map_err(ApiError::internal)?;
    let hook = state
        .store
        .create_webhook(
            body.url.trim(),
            &body.events,
            &secret,
            Actor::User(caller.user.id),
            Timestamp::now(),
        )
        .await?;
    let mut out = serde_json::to_value(&hook).map_err(ApiError::internal)?;
    out["secret"] = json!(secret);
    Ok((StatusCode::CREATED, Json(out)).into_response())
}

pub async fn webhooks(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult {
    let all = state.store.webhooks().await?;
    Ok(Json(page(all, |w| w.id, q.after, q.limit)?).into_response())
}

pub async fn revoke_webhook(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(PathId(id)): Extension<PathId>,
) -> ApiResult {
    state
        .store
        .revoke_webhook(id, Actor::User(caller.user.id), Timestamp::now())
        .await?;
    Ok(Json(json!({"ok": true})).into_response())
}

pub async fn webhook_deliveries(
    State(state): State<AppState>,
    Extension(PathId(id)): Extension<PathId>,
) -> ApiResult {
    if !state.store.webhooks().await?.iter().any(|w| w.id == id) {
        return Err(ApiError::new(
            "not_found",
            format!("Không tìm thấy webhook có mã {id}"),
        ));
    }
    let items = state.store.webhook_deliveries(id, 100).await?;
    Ok(Json(json!({"items": items})).into_response())
}

pub async fn openapi() -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    (headers, Json(crate::openapi::document())).into_response()
}

pub async fn docs() -> Html<&'static str> {
    Html(include_str!("../assets/docs.html"))
}

#[cfg(test)]
mod tests {
    use super::content_disposition;

    #[test]
    fn download_names_cannot_break_the_header() {
        assert_eq!(
            content_disposition("bao-cao.pdf"),
            "attachment; filename=\"bao-cao.pdf\"; filename*=UTF-8''bao-cao.pdf"
        );
        assert_eq!(
            content_disposition("Báo cáo \"quý 3\";x.pdf"),
            "attachment; filename=\"B_o c_o _qu_ 3__x.pdf\"; \
             filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20%22qu%C3%BD%203%22%3Bx.pdf"
        );
        assert_eq!(
            content_disposition("../../etc/passwd"),
            "attachment; filename=\"passwd\"; filename*=UTF-8''passwd"
        );
        assert!(content_disposition("\r\n").starts_with("attachment; filename=\"tep-dinh-kem\""));
    }
}
