//! The one layer that decides who may call what: every route is a row of [`ROUTES`] naming the
//! roles it admits and what it is about (a task, a document, an extension request); [`guard`]
//! runs before every handler, authenticates the caller, checks CSRF, the role and, for a task
//! or document, whether it concerns the caller's agency. Handlers receive the [`Caller`] and
//! the resolved target and check nothing themselves. The same table builds the router and the
//! OpenAPI document, so a route cannot exist undescribed or unguarded.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use store::{AttachmentId, DocumentId, ExtensionId, Role, TaskId, Timestamp, UserId};

use crate::AppState;
use crate::auth::{self, Caller, TaskScope, Via};
use crate::error::ApiError;

/// Who a route admits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allow {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in account.
    SignedIn,
    /// Accounts holding one of these roles.
    Roles(&'static [Role]),
}

/// What the `{id}` of a route's path names: checked against the caller's agencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Nothing to check.
    None,
    /// A task.
    Task,
    /// A document.
    Document,
    /// An extension request (checked through its task).
    Extension,
    /// A progress report's attachment (checked through its task).
    Attachment,
    /// A row the handler looks up itself (a notice, a webhook, a reorganisation): only the
    /// id's form is checked here, and the handler gets it as [`PathId`].
    Plain,
}

/// The `{id}` of a [`Target::Plain`] route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathId(pub i64);

const ADMIN: &[Role] = &[Role::Admin];

/// The body a route takes, for the body limit and the OpenAPI document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    /// None.
    None,
    /// JSON, of this schema in the OpenAPI document's components.
    Json(&'static str),
    /// A file: multipart (`file` field) or the raw bytes with `?file_name=`.
    File,
    /// A progress report: JSON, or multipart with a `report` JSON field and `file` fields.
    Report,
}

/// One route.
pub struct Route {
    /// HTTP method.
    pub method: Method,
    /// Path, axum and OpenAPI syntax (`/api/tasks/{id}`).
    pub path: &'static str,
    /// Who may call it.
    pub allow: Allow,
    /// What `{id}` names.
    pub target: Target,
    /// The body it takes.
    pub body: Body,
    /// Query parameters: `(name, description)`.
    pub query: &'static [(&'static str, &'static str)],
    /// OpenAPI tag.
    pub tag: &'static str,
    /// What it does, in Vietnamese.
    pub summary: &'static str,
    /// The schema of a successful response, in the OpenAPI components.
    pub response: &'static str,
}

/// The roles that track tasks.
pub const TRACKERS: &[Role] = &[
    Role::Monitor,
    Role::Leader,
    Role::AgencyHead,
    Role::AgencyOfficer,
];

const PAGE: [(&str, &str); 2] = [
    (
        "after",
        "Con trỏ trang: mã của mục cuối trang trước (trường next)",
    ),
    ("limit", "Số mục một trang, 1–500 (mặc định 50)"),
];

macro_rules! route {
    ($m:ident $p:literal, $allow:expr, $target:ident, $body:expr, $query:expr, $tag:literal, $summary:literal, $resp:literal) => {
        Route {
            method: Method::$m,
            path: $p,
            allow: $allow,
            target: Target::$target,
            body: $body,
            query: $query,
            tag: $tag,
            summary: $summary,
            response: $resp,
        }
    };
}

/// Every route of the API.
pub static ROUTES: &[Route] = &[
    route!(POST "/api/login", Allow::Public, None, Body::Json("LoginRequest"), &[], "auth", "Đăng nhập bằng mật khẩu; đặt cookie phiên", "Me"),
    route!(POST "/api/logout", Allow::SignedIn, None, Body::None, &[], "auth", "Đăng xuất", "Ok"),
    route!(GET "/api/me", Allow::SignedIn, None, Body::None, &[], "auth", "Tài khoản đang đăng nhập, vai trò, cơ quan và mã CSRF", "Me"),
    route!(POST "/api/tokens", Allow::SignedIn, None, Body::Json("TokenRequest"), &[], "auth", "Tạo mã truy cập API (chỉ hiện một lần) cho tài khoản đang đăng nhập", "Token"),
    route!(POST "/api/parse", Allow::SignedIn, None, Body::File, &[("file_name", "Tên tệp khi gửi nội dung thô")], "documents", "Phân tích văn bản, trả về nhiemvu.document/1, không lưu", "ParsedDocument"),
    route!(POST "/api/documents", Allow::Roles(&[Role::Monitor]), None, Body::File, &[("file_name", "Tên tệp khi gửi nội dung thô")], "documents", "Nhập và lưu văn bản cùng các nhiệm vụ", "CommitOutcome"),
    route!(POST "/api/imports", Allow::Roles(&[Role::Monitor]), None, Body::File, &[("file_name", "Tên tệp khi gửi nội dung thô")], "imports", "Tải văn bản lên để rà soát: lưu bản nháp với các nhiệm vụ đề xuất, chưa ghi văn bản", "ImportDraft"),
    route!(GET "/api/imports", Allow::Roles(&[Role::Monitor]), None, Body::None, &[PAGE[0], PAGE[1], ("all", "true: cả bản nháp đã ghi hoặc đã hủy")], "imports", "Các bản nháp nhập văn bản, mới nhất trước", "ImportDraftPage"),
    route!(GET "/api/imports/{id}", Allow::Roles(&[Role::Monitor]), Plain, Body::None, &[], "imports", "Một bản nháp: kết quả phân tích, văn bản, nhiệm vụ đang sửa và các lỗi còn lại", "ImportDraft"),
    route!(PUT "/api/imports/{id}", Allow::Roles(&[Role::Monitor]), Plain, Body::Json("ImportDraftEdit"), &[], "imports", "Lưu các nhiệm vụ đã sửa (sửa, tách, gộp, xóa, thêm); trả lại các lỗi còn lại", "ImportDraft"),
    route!(POST "/api/imports/{id}/commit", Allow::Roles(&[Role::Monitor]), Plain, Body::None, &[], "imports", "Ghi bản nháp thành văn bản và nhiệm vụ; gửi lại trả về cùng văn bản", "CommitOutcome"),
    route!(DELETE "/api/imports/{id}", Allow::Roles(&[Role::Monitor]), Plain, Body::None, &[], "imports", "Hủy bản nháp", "Ok"),
    route!(GET "/api/documents", Allow::Roles(TRACKERS), None, Body::None, &PAGE, "documents", "Danh sách văn bản (cơ quan: văn bản giao nhiệm vụ cho mình)", "DocumentPage"),
    route!(GET "/api/documents/{id}", Allow::Roles(TRACKERS), Document, Body::None, &[], "documents", "Một văn bản: thông tin, kết quả phân tích, văn bản trích dẫn", "Document"),
    route!(GET "/api/tasks", Allow::Roles(TRACKERS), None, Body::None, &[
        ("agency", "Mã cơ quan chủ trì hoặc phối hợp (hiện nay hoặc lúc giao)"),
        ("status", "Tiến độ: chua_thuc_hien, dang_thuc_hien, cho_xac_nhan, hoan_thanh, tam_hoan, tu_choi, huy"),
        ("timeliness", "Thời hạn: trong_han, sap_den_han, qua_han, khong_thoi_han, dung_han, tre_han"),
        ("as_of", "Ngày tính thời hạn YYYY-MM-DD (mặc định hôm nay)"),
        ("due_from", "Thời hạn từ ngày YYYY-MM-DD"),
        ("due_to", "Thời hạn đến ngày YYYY-MM-DD"),
        ("document", "Mã văn bản giao"),
        ("text", "Từ khóa trong nội dung, không phân biệt dấu"),
        PAGE[0], PAGE[1],
    ], "tasks", "Danh sách nhiệm vụ, lọc và phân trang", "TaskPage"),
    route!(GET "/api/tasks/{id}", Allow::Roles(TRACKERS), Task, Body::None, &[], "tasks", "Một nhiệm vụ với thao tác được phép, lịch sử, gia hạn, báo cáo", "TaskDetail"),
    route!(POST "/api/tasks/{id}/transitions", Allow::Roles(TRACKERS), Task, Body::Json("TransitionRequest"), &[], "tasks", "Chuyển trạng thái tiến độ", "TransitionResult"),
    route!(POST "/api/tasks/{id}/hand-over", Allow::Roles(&[Role::AgencyHead]), Task, Body::Json("HandOverRequest"), &[], "tasks", "Lãnh đạo cơ quan giao nhiệm vụ cho cán bộ", "Ok"),
    route!(POST "/api/tasks/{id}/reports", Allow::Roles(TRACKERS), Task, Body::Report, &[], "tasks", "Báo cáo tiến độ, kèm tệp", "Created"),
    route!(POST "/api/tasks/{id}/extensions", Allow::Roles(&[Role::AgencyHead, Role::AgencyOfficer]), Task, Body::Json("ExtensionRequest"), &[], "tasks", "Xin gia hạn", "Created"),
    route!(POST "/api/extensions/{id}/decision", Allow::Roles(&[Role::Leader]), Extension, Body::Json("ExtensionDecision"), &[], "tasks", "Duyệt hoặc không duyệt gia hạn", "Ok"),
    route!(GET "/api/search", Allow::Roles(TRACKERS), None, Body::None, &[
        ("q", "Từ khóa; không phân biệt dấu, hoa thường; từ cuối khớp cả phần đầu của từ"),
        PAGE[0], PAGE[1],
    ], "search", "Tìm văn bản và nhiệm vụ (cơ quan: chỉ những gì của mình)", "SearchPage"),
    route!(GET "/api/counts", Allow::Roles(TRACKERS), None, Body::None, &[
        ("as_of", "Ngày tính YYYY-MM-DD (mặc định hôm nay)"),
        ("by", "agency (mặc định) hoặc document"),
        ("document", "Chỉ các nhiệm vụ của văn bản này"),
    ], "reports", "Số liệu chính thức: hoàn thành đúng hạn, quá hạn, chưa hoàn thành trong hạn, quá hạn, không thời hạn", "Counts"),
    route!(GET "/api/agencies", Allow::SignedIn, None, Body::None, &PAGE, "directory", "Danh mục cơ quan", "AgencyPage"),
    route!(GET "/api/users", Allow::Roles(ADMIN), None, Body::None, &PAGE, "directory", "Tài khoản người dùng", "UserPage"),
    route!(POST "/api/users", Allow::Roles(ADMIN), None, Body::Json("NewUserRequest"), &[], "directory", "Tạo tài khoản với vai trò và cơ quan", "User"),
    route!(GET "/api/reorganisations", Allow::Roles(ADMIN), None, Body::None, &PAGE, "directory", "Các đợt sắp xếp tổ chức bộ máy", "ReorganisationPage"),
    route!(POST "/api/reorganisations/{id}/apply", Allow::Roles(ADMIN), Plain, Body::None, &[], "directory", "Áp dụng một đợt sắp xếp đã có hiệu lực: chuyển nhiệm vụ đang mở cho cơ quan kế thừa", "ApplyOutcome"),
    route!(GET "/api/attachments/{id}", Allow::Roles(TRACKERS), Attachment, Body::None, &[], "tasks", "Tải tệp đính kèm của báo cáo tiến độ", "File"),
    route!(POST "/api/notices/{id}/read", Allow::SignedIn, Plain, Body::None, &[], "notices", "Đánh dấu thông báo đã đọc", "Ok"),
    route!(POST "/api/webhooks", Allow::Roles(ADMIN), None, Body::Json("WebhookRequest"), &[], "webhooks", "Đăng ký webhook cho sự kiện nhiệm vụ; khóa ký (secret) chỉ hiện một lần", "WebhookCreated"),
    route!(GET "/api/webhooks", Allow::Roles(ADMIN), None, Body::None, &PAGE, "webhooks", "Các webhook đã đăng ký", "WebhookPage"),
    route!(DELETE "/api/webhooks/{id}", Allow::Roles(ADMIN), Plain, Body::None, &[], "webhooks", "Hủy đăng ký webhook", "Ok"),
    route!(GET "/api/webhooks/{id}/deliveries", Allow::Roles(ADMIN), Plain, Body::None, &[], "webhooks", "100 lần gửi gần nhất của một webhook", "WebhookDeliveryList"),
    route!(GET "/api/settings", Allow::Roles(ADMIN), None, Body::None, &[], "administration", "Thiết lập theo dõi của tỉnh đang áp dụng (số ngày sắp đến hạn, nhắc việc)", "Settings"),
    route!(PUT "/api/settings", Allow::Roles(ADMIN), None, Body::Json("Settings"), &[], "administration", "Lưu thiết lập theo dõi; áp dụng ngay, không cần khởi động lại", "Settings"),
    route!(GET "/api/calendar/changes", Allow::Roles(ADMIN), None, Body::None, &PAGE, "administration", "Các ngày được công bố là ngày nghỉ hoặc ngày làm việc ngoài lịch có sẵn", "CalendarChangePage"),
    route!(POST "/api/calendar/changes", Allow::Roles(ADMIN), None, Body::Json("CalendarChangeRequest"), &[], "administration", "Khai báo một ngày nghỉ hoặc ngày làm việc theo quyết định của cơ quan có thẩm quyền; áp dụng ngay", "CalendarChange"),
    route!(DELETE "/api/calendar/changes/{id}", Allow::Roles(ADMIN), Plain, Body::None, &[], "administration", "Xóa một khai báo ngày nghỉ hoặc ngày làm việc", "Ok"),
    route!(GET "/api/audit", Allow::Roles(&[Role::Monitor, Role::Admin]), None, Body::None, &[
        ("entity", "Chỉ một loại đối tượng (task, document, user, …)"), PAGE[0], PAGE[1],
    ], "audit", "Nhật ký thay đổi", "AuditPage"),
    route!(GET "/api/notices", Allow::SignedIn, None, Body::None, &[
        ("unread", "true: chỉ thông báo chưa đọc"), PAGE[0], PAGE[1],
    ], "notices", "Thông báo của tài khoản", "NoticePage"),
    route!(GET "/api/openapi.json", Allow::Public, None, Body::None, &[], "meta", "Tài liệu OpenAPI 3.1 của API này", "Any"),
    route!(GET "/api/docs", Allow::Public, None, Body::None, &[], "meta", "Trang tài liệu API", "Html"),
];

/// The route a request matched.
pub fn route_of(method: &Method, path: &str) -> Option<&'static Route> {
    ROUTES
        .iter()
        .find(|r| r.method == *method && r.path == path)
}

/// The client's address, for throttling.
pub fn client_ip(req: &Request) -> String {
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_owned(), |c| c.0.ip().to_string())
}

/// The access layer (see the module's notes).
pub async fn guard(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    match check(&state, &mut req).await {
        Ok(()) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

async fn check(state: &AppState, req: &mut Request) -> Result<(), ApiError> {
    let matched = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned())
        .unwrap_or_default();
    let Some(route) = route_of(req.method(), &matched) else {
        return Err(ApiError::new(
            "method_not_allowed",
            format!(
                "Đường dẫn {matched} không nhận phương thức {}",
                req.method()
            ),
        ));
    };
    let ip = client_ip(req);
    req.extensions_mut().insert(ip);
    if route.allow == Allow::Public {
        return Ok(());
    }
    let headers = req.headers().clone();
    let method = req.method().clone();
    let caller = authenticate(state, &headers, &method).await?;
    admit(state, route.allow, route.target, caller, req).await
}

/// Admits an authenticated `caller` to a route (an API route, or a web page sharing its
/// rule): the role, then whether the `{id}` of the matched path concerns the caller's
/// agencies; puts the resolved target and the caller in the request for the handler.
pub(crate) async fn admit(
    state: &AppState,
    allow: Allow,
    target: Target,
    caller: Caller,
    req: &mut Request,
) -> Result<(), ApiError> {
    if let Allow::Roles(roles) = allow
        && !roles.iter().any(|r| caller.roles.contains(r))
    {
        let names: Vec<&str> = roles.iter().map(|r| r.label_vi()).collect();
        return Err(ApiError::new(
            "forbidden",
            format!("Chức năng này chỉ dành cho: {}", names.join(", ")),
        ));
    }
    // The `{id}` segment: where the matched path has it (`/api/tasks/{id}`, `/nhiem-vu/{id}`).
    let position = req
        .extensions()
        .get::<MatchedPath>()
        .and_then(|m| m.as_str().split('/').position(|s| s == "{id}"));
    let id = position
        .and_then(|i| req.uri().path().split('/').nth(i))
        .unwrap_or_default()
        .to_owned();
    let bad_id = || ApiError::new("invalid_value", format!("Mã số không hợp lệ: {id:?}"));
    let restricted = caller.scope() != TaskScope::All;
    match target {
        Target::None => {}
        Target::Task => {
            let task: TaskId = id.parse().map_err(|_| bad_id())?;
            if restricted {
                see_task(state, &caller, task).await?;
            } else {
                state.store.task_visible_to(task, caller.user.id).await?;
            }
            req.extensions_mut().insert(task);
        }
        Target::Extension => {
            let ext: ExtensionId = id.parse().map_err(|_| bad_id())?;
            let task = state.store.extension_task(ext).await?;
            if restricted {
                see_task(state, &caller, task).await?;
            }
            req.extensions_mut().insert(ext);
        }
        Target::Attachment => {
            let attachment: AttachmentId = id.parse().map_err(|_| bad_id())?;
            let (task, _, _) = state.store.attachment_task(attachment).await?;
            if restricted {
                see_task(state, &caller, task).await?;
            }
            req.extensions_mut().insert(attachment);
        }
        Target::Plain => {
            let n = id
                .parse::<i64>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(bad_id)?;
            req.extensions_mut().insert(PathId(n));
        }
        Target::Document => {
            let doc: DocumentId = id.parse().map_err(|_| bad_id())?;
            let visible = state.store.document_visible_to(doc, caller.user.id).await?;
            if restricted && !visible {
                return Err(ApiError::new(
                    "not_your_agency",
                    "Văn bản này không giao nhiệm vụ cho cơ quan của bạn",
                ));
            }
            req.extensions_mut().insert(doc);
        }
    }
    req.extensions_mut().insert(caller);
    Ok(())
}

async fn see_task(state: &AppState, caller: &Caller, task: TaskId) -> Result<(), ApiError> {
    if state.store.task_visible_to(task, caller.user.id).await? {
        Ok(())
    } else {
        Err(ApiError::new(
            "not_your_agency",
            "Nhiệm vụ này không thuộc cơ quan của bạn (không chủ trì, không phối hợp)",
        ))
    }
}

/// The caller of a request: a bearer token, else the session cookie (which must come with
/// the CSRF header on anything but a read).
async fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
    method: &Method,
) -> Result<Caller, ApiError> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let Some(token) = bearer else {
        let caller = session_caller(state, headers).await?;
        let safe = matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
        if let Via::Session(session) = &caller.via
            && !safe
        {
            let sent = headers
                .get(auth::CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            if !auth::same(sent, &auth::csrf_token(session)) {
                return Err(ApiError::new(
                    "csrf_token_invalid",
                    "Thiếu hoặc sai mã chống giả mạo yêu cầu: gửi lại với tiêu đề X-CSRF-Token nhận được khi đăng nhập",
                ));
            }
        }
        return Ok(caller);
    };
    let user = state
        .store
        .token_user(&auth::secret_hash(token.trim()))
        .await?
        .ok_or_else(|| {
            ApiError::new(
                "authentication_required",
                "Mã truy cập API không hợp lệ hoặc đã bị thu hồi",
            )
        })?;
    caller_of(state, user, Via::Token).await
}

/// The caller of a browser session cookie, CSRF not checked: the API checks its header
/// (above), the web pages the token their forms carry (`ui::form`).
pub(crate) async fn session_caller(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Caller, ApiError> {
    let session = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(auth::session_from_cookie)
        .map(str::to_owned)
        .ok_or_else(|| {
            ApiError::new(
                "authentication_required",
                "Cần đăng nhập để dùng chức năng này",
            )
        })?;
    let user = state
        .store
        .session_user(&auth::secret_hash(&session), Timestamp::now())
        .await?
        .ok_or_else(|| {
            ApiError::new(
                "authentication_required",
                "Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại",
            )
        })?;
    caller_of(state, user, Via::Session(session)).await
}

async fn caller_of(state: &AppState, user: UserId, via: Via) -> Result<Caller, ApiError> {
    let user = state.store.user(user).await?;
    let roles = user.roles.clone();
    Ok(Caller { user, roles, via })
}
