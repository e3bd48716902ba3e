//! What every page shares: the layout's data ([`Shell`]: who is signed in, the menu), the
//! response helpers (headers every page carries, redirects after a form), and the error pages.

use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use super::{assets, page_rule};
use crate::AppState;
use crate::auth::{self, Caller, TaskScope, Via};
use crate::error::ApiError;

/// What the layout shows around a page.
pub(crate) struct Shell {
    /// The signed-in account ("Họ tên · vai trò"), none on the login and error pages.
    pub user: Option<String>,
    /// The session's CSRF token, which every form carries.
    pub csrf: String,
    /// The menu.
    pub nav: Vec<NavItem>,
}

/// One entry of the menu.
pub(crate) struct NavItem {
    pub label: &'static str,
    pub href: &'static str,
    pub current: bool,
    /// Unread notices, for the notices entry.
    pub badge: usize,
}

impl Shell {
    /// The layout of a signed-in page; `current` is the menu entry it belongs to. The menu is
    /// derived from the pages' rules, so nobody is shown a link that would refuse them.
    pub(crate) async fn new(
        state: &AppState,
        caller: &Caller,
        current: &str,
    ) -> Result<Shell, PageError> {
        let unread = state.store.notices(caller.user.id, true).await?.len();
        let get = |path| page_rule(&Method::GET, path).admits(caller);
        let mut entries: Vec<(&'static str, &'static str, bool)> = vec![
            ("Tổng quan", "/", caller.scope() == TaskScope::All),
            ("Nhiệm vụ", "/nhiem-vu", get("/nhiem-vu")),
            ("Văn bản", "/van-ban", get("/van-ban")),
            ("Nhập văn bản", "/nhap-van-ban", get("/nhap-van-ban")),
            ("Thông báo", "/thong-bao", get("/thong-bao")),
            ("Quản trị", "/quan-tri", get("/quan-tri")),
        ];
        entries.retain(|e| e.2);
        let nav = entries
            .into_iter()
            .map(|(label, href, _)| NavItem {
                label,
                href,
                current: href == current,
                badge: if href == "/thong-bao" { unread } else { 0 },
            })
            .collect();
        let roles: Vec<&str> = caller.roles.iter().map(|r| r.label_vi()).collect();
        Ok(Shell {
            user: Some(format!("{} · {}", caller.user.full_name, roles.join(", "))),
            csrf: csrf_of(caller),
            nav,
        })
    }

    /// The layout of a page nobody is signed in to (login, errors).
    pub(crate) fn anonymous(csrf: String) -> Shell {
        Shell {
            user: None,
            csrf,
            nav: Vec::new(),
        }
    }

    /// The address of a vendored file, versioned by its content (see [`assets`]).
    pub(crate) fn asset(&self, name: &str) -> String {
        assets::url(name)
    }
}

/// The CSRF token of the caller's session (the pages are only ever reached by session).
pub(crate) fn csrf_of(caller: &Caller) -> String {
    match &caller.via {
        Via::Session(session) => auth::csrf_token(session),
        Via::Token => String::new(),
    }
}

/// Headers of every page: private, never cached, scripts and styles only from this server,
/// not framed.
fn page_headers() -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h
}

/// A rendered page with the page headers.
pub(crate) fn html(status: StatusCode, page: &impl Template) -> Result<Response, PageError> {
    let body = page.render().map_err(ApiError::internal)?;
    Ok((status, page_headers(), Html(body)).into_response())
}

/// The answer to a form that did its work: look at the result (POST, redirect, GET), so a
/// reload does not post again.
pub(crate) fn see_other(location: &str) -> Response {
    // A header holds visible ASCII only: anything else is percent-encoded, as in an address.
    let location: String = location
        .bytes()
        .map(|b| {
            if b.is_ascii_graphic() {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let mut h = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(&location) {
        h.insert(header::LOCATION, v);
    }
    (StatusCode::SEE_OTHER, h).into_response()
}

/// Percent-encodes a query value (`tiep=/nhiem-vu?status=…`).
pub(crate) fn encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A page's query string, whose rejections are error pages.
pub(crate) struct PageQuery<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequestParts<S> for PageQuery<T> {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, PageError> {
        let q = axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map_err(ApiError::from)?;
        Ok(PageQuery(q.0))
    }
}

/// Why a page is not shown.
#[derive(Debug)]
pub(crate) enum PageError {
    /// Nobody is signed in: to the login page, then back to this address.
    SignIn(String),
    /// Refused or failed, as the API would say it.
    Api(ApiError),
}

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> PageError {
        PageError::Api(e)
    }
}

impl From<store::Error> for PageError {
    fn from(e: store::Error) -> PageError {
        PageError::Api(e.into())
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    shell: Shell,
    title: &'static str,
    message: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::SignIn(back) => see_other(&format!("/dang-nhap?tiep={}", encode(&back))),
            PageError::Api(e) => {
                let status = e.status();
                let title = match status {
                    403 => "Không có quyền truy cập",
                    404 => "Không tìm thấy",
                    405 => "Không thực hiện được",
                    409 => "Không thực hiện được",
                    413 => "Tệp quá lớn",
                    429 => "Thử lại sau",
                    500.. => "Lỗi hệ thống",
                    _ => "Yêu cầu không hợp lệ",
                };
                // Internal failures were logged by ApiError::internal; their message says
                // nothing more than that there was one.
                let page = ErrorPage {
                    shell: Shell::anonymous(String::new()),
                    title,
                    message: e.message().to_owned(),
                };
                let status =
                    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                match page.render() {
                    Ok(body) => (status, page_headers(), Html(body)).into_response(),
                    Err(_) => (status, "Lỗi hệ thống").into_response(),
                }
            }
        }
    }
}

/// The page for an address that names no page.
pub(crate) fn not_found() -> Response {
    PageError::Api(ApiError::new(
        "not_found",
        "Không có trang này. Hãy kiểm tra lại địa chỉ hoặc quay về trang chủ.",
    ))
    .into_response()
}
