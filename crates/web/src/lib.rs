//! The nhiemvu JSON API over HTTP (axum): accounts and roles, cookie sessions with CSRF
//! protection and API tokens, per-agency access decided in one layer, errors from one table,
//! and the OpenAPI document served by the app; and the web UI in Vietnamese over the same
//! access layer.
//!
//! - [`access`]: the route table and the guard every request passes (who may call what, and
//!   whether a task or document concerns the caller's agency).
//! - [`auth`]: passwords, sessions, tokens, CSRF, throttling.
//! - [`error`]: the error table and the JSON error body.
//! - `api`: the handlers; `imports`: review before commit (import drafts); `openapi`: the
//!   document built from the route table.
//! - `ui`: the web pages, each following the access rule of the API route it mirrors.
//!
//! The server is [`router`] over an [`AppState`]; [`serve`] runs it on a listener. The
//! reminder scheduler is started beside it by the `nhiemvu serve` command, not here, so tests
//! and other embedders choose whether they want one.
#![warn(missing_docs)]

pub mod access;
mod api;
pub mod auth;
pub mod error;
mod imports;
mod openapi;
mod ui;

use std::net::SocketAddr;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{Method, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use store::Rules;

pub use access::{ROUTES, Route};
pub use openapi::document as openapi_document;

/// Limits and cookie settings of a server.
#[derive(Debug, Clone)]
pub struct Config {
    /// Largest JSON body, in bytes.
    pub json_bytes: usize,
    /// Largest upload (a document, or a report with its attachments), in bytes.
    pub upload_bytes: usize,
    /// Hours a session lasts.
    pub session_hours: u64,
    /// Whether cookies carry `Secure` (served over HTTPS, directly or behind a proxy).
    pub secure_cookies: bool,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            json_bytes: 256 * 1024,
            upload_bytes: 60 * 1024 * 1024,
            session_hours: 12,
            secure_cookies: false,
        }
    }
}

/// What every handler shares. Cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

/// The contents of [`AppState`].
pub struct Inner {
    /// The database.
    pub store: store::Store,
    /// The working-day calendar and the tracking settings in force, replaced whole when an
    /// administrator changes either ([`AppState::reload_rules`]).
    rules: RwLock<Arc<Rules>>,
    /// Held while the rules are read again, so that reloads end in the order they began and
    /// the last change saved is the one kept.
    reloading: tokio::sync::Mutex<()>,
    /// Limits and cookies.
    pub config: Config,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    /// A state over `store` with the calendar and settings stored in it.
    ///
    /// # Errors
    /// When the store cannot be read.
    pub async fn new(store: store::Store, config: Config) -> Result<AppState, store::Error> {
        let rules = store.rules().await?;
        Ok(AppState(Arc::new(Inner {
            store,
            rules: RwLock::new(Arc::new(rules)),
            reloading: tokio::sync::Mutex::new(()),
            config,
        })))
    }

    /// The calendar and settings in force: a snapshot, which a change made meanwhile does not
    /// alter (the next call sees it).
    pub fn rules(&self) -> Arc<Rules> {
        self.rules
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Reads the calendar and settings from the store again: after an administrator changed
    /// them, so that every page and call counts with the new ones at once.
    ///
    /// # Errors
    /// When the store cannot be read; the rules in force are kept.
    pub async fn reload_rules(&self) -> Result<(), store::Error> {
        let _one_at_a_time = self.reloading.lock().await;
        let rules = Arc::new(self.store.rules().await?);
        *self
            .rules
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = rules;
        Ok(())
    }
}

fn handler(route: &Route) -> MethodRouter<AppState> {
    use api::*;
    let m = &route.method;
    match (route.path, m) {
        ("/api/login", _) => post(login),
        ("/api/logout", _) => post(logout),
        ("/api/me", _) => get(me),
        ("/api/tokens", _) => post(create_token),
        ("/api/parse", _) => post(parse),
        ("/api/documents", &Method::POST) => post(create_document),
        ("/api/documents", _) => get(list_documents),
        ("/api/documents/{id}", _) => get(get_document),
        ("/api/imports", &Method::POST) => post(imports::create),
        ("/api/imports", _) => get(imports::list),
        ("/api/imports/{id}", &Method::PUT) => axum::routing::put(imports::save),
        ("/api/imports/{id}", &Method::DELETE) => axum::routing::delete(imports::discard),
        ("/api/imports/{id}", _) => get(imports::get),
        ("/api/imports/{id}/commit", _) => post(imports::commit),
        ("/api/tasks", _) => get(list_tasks),
        ("/api/tasks/{id}", _) => get(get_task),
        ("/api/tasks/{id}/transitions", _) => post(transition),
        ("/api/tasks/{id}/hand-over", _) => post(hand_over),
        ("/api/tasks/{id}/reports", _) => post(add_report),
        ("/api/tasks/{id}/extensions", _) => post(request_extension),
        ("/api/extensions/{id}/decision", _) => post(decide_extension),
        ("/api/search", _) => get(search),
        ("/api/counts", _) => get(counts),
        ("/api/agencies", _) => get(agencies),
        ("/api/users", &Method::POST) => post(create_user),
        ("/api/users", _) => get(users),
        ("/api/reorganisations", _) => get(reorganisations),
        ("/api/reorganisations/{id}/apply", _) => post(apply_reorganisation),
        ("/api/attachments/{id}", _) => get(attachment),
        ("/api/notices/{id}/read", _) => post(read_notice),
        ("/api/webhooks", &Method::POST) => post(create_webhook),
        ("/api/webhooks", _) => get(webhooks),
        ("/api/webhooks/{id}", _) => axum::routing::delete(revoke_webhook),
        ("/api/webhooks/{id}/deliveries", _) => get(webhook_deliveries),
        ("/api/settings", &Method::PUT) => axum::routing::put(save_settings),
        ("/api/settings", _) => get(settings),
        ("/api/calendar/changes", &Method::POST) => post(add_calendar_change),
        ("/api/calendar/changes", _) => get(calendar_changes),
        ("/api/calendar/changes/{id}", _) => axum::routing::delete(remove_calendar_change),
        ("/api/audit", _) => get(audit),
        ("/api/notices", _) => get(notices),
        ("/api/openapi.json", _) => get(openapi),
        ("/api/docs", _) => get(docs),
        (path, _) => unreachable!("route {path} in ROUTES without a handler"),
    }
}

/// The API (every route of [`ROUTES`] behind the access layer, with its body limit) and the
/// web pages (under `/`, behind their own guard over the same access rules).
pub fn router(state: AppState) -> Router {
    let mut router = Router::new();
    for route in ROUTES {
        let limit = match route.body {
            access::Body::File | access::Body::Report => state.config.upload_bytes,
            // A proposal of the largest size allowed (2,000 tasks) must reach the handler,
            // which says what is wrong with it, rather than stop at the JSON limit.
            access::Body::Json("ImportDraftEdit") => state.config.json_bytes.max(8 << 20),
            _ => state.config.json_bytes,
        };
        router = router.route(
            route.path,
            handler(route)
                .layer(DefaultBodyLimit::max(limit))
                .layer(axum::middleware::from_fn(move |req, next| {
                    within_limit(limit, || error::too_large().into_response(), req, next)
                })),
        );
    }
    router
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            access::guard,
        ))
        // Merged after the API's guard was layered, so each part keeps its own guard.
        .merge(ui::router(&state))
        .fallback(not_found)
        .with_state(state)
}

/// Refuses at once, with `refusal` (the route's 413), a request whose `Content-Length` announces
/// more than the route's `limit`. The body limit alone (`DefaultBodyLimit`) only stops reading
/// once that much has arrived, so a client announcing a huge body and sending nothing kept its
/// connection and task waiting for bytes that never came (issue #13, oversized requests;
/// `tests/security.rs`).
pub(crate) async fn within_limit(
    limit: usize,
    refusal: impl FnOnce() -> Response,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let announced = req
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if announced.is_some_and(|n| n > limit as u64) {
        return refusal();
    }
    next.run(req).await
}

/// An address nothing answers: a JSON error under `/api`, a page elsewhere.
async fn not_found(uri: Uri) -> Response {
    if uri.path() == "/api" || uri.path().starts_with("/api/") {
        error::ApiError::new("no_route", "Không có đường dẫn API này (xem /api/docs)")
            .into_response()
    } else {
        ui::not_found()
    }
}

/// Serves the API on `listener` until the future is dropped.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await
}
