//! Signing in and out. The login form posts to the API's own sign-in ([`api::sign_in`]):
//! the same throttling, the same session cookie; its messages are shown next to the field
//! they are about.

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::form::{Fields, Filled, Invalid, LOGIN_COOKIE, Posted};
use super::page::{PageError, PageQuery, Shell, html, see_other};
use crate::auth::{self, Caller};
use crate::{AppState, access, api};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    shell: Shell,
    /// Where to go once signed in.
    next: String,
    filled: Filled,
}

#[derive(Deserialize)]
pub(crate) struct LoginQuery {
    tiep: Option<String>,
}

/// Where to go after signing in: a page of this site, never another site (`//host`).
fn next_page(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\") {
        next.to_owned()
    } else {
        "/".to_owned()
    }
}

/// The login form's secret: the cookie's, else a new one (set with the form).
fn login_secret(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, v)| *k == LOGIN_COOKIE && !v.is_empty())
        .map(|(_, v)| v.trim().to_owned())
}

fn render(
    status: StatusCode,
    secret: &str,
    next: String,
    filled: Filled,
) -> Result<Response, PageError> {
    let page = LoginPage {
        shell: Shell::anonymous(auth::csrf_token(secret)),
        next,
        filled,
    };
    html(status, &page)
}

pub(crate) async fn form(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageQuery(q): PageQuery<LoginQuery>,
) -> Result<Response, PageError> {
    let next = next_page(q.tiep.as_deref().unwrap_or("/"));
    if access::session_caller(&state, &headers).await.is_ok() {
        return Ok(see_other(&next));
    }
    if let Some(secret) = login_secret(&headers) {
        return render(StatusCode::OK, &secret, next, Filled::default());
    }
    let secret = auth::new_secret().map_err(crate::error::ApiError::internal)?;
    let mut response = render(StatusCode::OK, &secret, next, Filled::default())?;
    // Scoped to the login page, gone in an hour: it only ties the form to this browser.
    let cookie = format!(
        "{LOGIN_COOKIE}={secret}; Path=/dang-nhap; HttpOnly; SameSite=Strict; Max-Age=3600{}",
        if state.config.secure_cookies {
            "; Secure"
        } else {
            ""
        }
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(response)
}

pub(crate) async fn submit(
    State(state): State<AppState>,
    Extension(ip): Extension<String>,
    headers: HeaderMap,
    Posted(fields): Posted,
) -> Result<Response, PageError> {
    let next = next_page(fields.get("tiep"));
    // Posted checked the token against this cookie, so it is there.
    let secret = login_secret(&headers).unwrap_or_default();
    let shown = |status, invalid| {
        let values = Fields(vec![("login".into(), fields.get("login").to_owned())]);
        render(
            status,
            &secret,
            next.clone(),
            Filled::new("dang-nhap", values, invalid),
        )
    };
    let mut invalid = Invalid::default();
    if fields.get("login").is_empty() {
        invalid.add("login", "Cần nhập tên đăng nhập");
    }
    if fields.raw("password").is_empty() {
        invalid.add("password", "Cần nhập mật khẩu");
    }
    if !invalid.is_empty() {
        return shown(StatusCode::UNPROCESSABLE_ENTITY, invalid);
    }
    match api::sign_in(
        &state,
        &ip,
        fields.get("login"),
        fields.raw("password").to_owned(),
        api::presented_session(&headers),
    )
    .await
    {
        Ok((cookie, _, _)) => {
            let mut response = see_other(&next);
            let h = response.headers_mut();
            h.append(header::SET_COOKIE, cookie);
            h.append(
                header::SET_COOKIE,
                HeaderValue::from_static(
                    "nhiemvu_login=; Path=/dang-nhap; HttpOnly; SameSite=Strict; Max-Age=0",
                ),
            );
            Ok(response)
        }
        Err(e) if e.status() < 500 => {
            // Throttling is about the login tried; wrong credentials are shown at the
            // password, without saying which of the two was wrong.
            let field = if e.code() == "too_many_attempts" {
                "login"
            } else {
                "password"
            };
            let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::UNAUTHORIZED);
            shown(status, Invalid::refused(&e, |_| Some(field)))
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn sign_out(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Posted(_): Posted,
) -> Result<Response, PageError> {
    let cookie = api::sign_out(&state, &caller).await?;
    let mut response = see_other("/dang-nhap").into_response();
    response.headers_mut().insert(header::SET_COOKIE, cookie);
    Ok(response)
}
