//! The web UI in Vietnamese: server-rendered pages (askama templates compiled into the binary,
//! HTML escaping on), plain HTML forms that work without scripts, and htmx (vendored, served
//! from the binary) only to spare a full reload here and there.
//!
//! Access is the API's, not a second layer: every page is a row of [`PAGES`] whose [`Rule`]
//! is, where the page has an API twin, that API route's own row of [`access::ROUTES`], so a
//! page shows or does exactly what the call it mirrors would allow. The page guard
//! authenticates the browser session ([`access::session_caller`]) and admits the caller with
//! the API guard's [`access::admit`] (roles, and whether the task or document of `{id}`
//! concerns the caller's agencies); only what differs for a browser is here: a missing session
//! sends the browser to the login page, refusals are HTML pages, and forms carry their CSRF
//! token as a field ([`form`]) instead of a header.
//!
//! One file per page group: [`login`], [`dashboard`], [`tasks`] (the list), [`task`] (one
//! task and its forms), [`notices`], [`documents`], [`imports`] (upload and review before
//! commit, with [`review`] reading its form and [`highlight`] marking the source text),
//! [`admin`]; [`page`] holds the layout and the error pages, [`assets`] the vendored files,
//! [`chart`] the dashboard's SVG.

mod admin;
mod assets;
mod chart;
mod dashboard;
mod documents;
mod form;
mod highlight;
mod imports;
mod login;
mod notices;
mod page;
mod review;
mod task;
mod tasks;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use store::Role;

use crate::AppState;
use crate::access::{self, Allow, Target};
use crate::auth::Caller;
use crate::error::ApiError;

use page::PageError;
pub(crate) use page::not_found;

/// Which access rule a page follows.
pub(crate) enum Rule {
    /// The rule of this API route: the page shows or does what that call does.
    Api(Method, &'static str),
    /// Its own, for a page with no API twin.
    Own(Allow, Target),
}

impl Rule {
    /// Who the rule admits and what its `{id}` names. A page naming an API route that does
    /// not exist is a programming error, found when the router is built.
    fn resolve(&self) -> (Allow, Target) {
        match self {
            Rule::Api(method, path) => access::route_of(method, path)
                .map(|r| (r.allow, r.target))
                .unwrap_or_else(|| panic!("page rule names no API route: {method} {path}")),
            Rule::Own(allow, target) => (*allow, *target),
        }
    }

    /// Whether the rule's roles admit the caller (the `{id}` aside): what a link or a form
    /// leading to it is shown by.
    pub(crate) fn admits(&self, caller: &Caller) -> bool {
        match self.resolve().0 {
            Allow::Public | Allow::SignedIn => true,
            Allow::Roles(roles) => roles.iter().any(|r| caller.roles.contains(r)),
        }
    }
}

/// The largest body a page takes.
#[derive(Clone, Copy)]
enum Limit {
    /// An ordinary form: [`FORM_BYTES`].
    Form,
    /// A file upload (a progress report, a document to import): the server's upload limit.
    Upload,
    /// A whole document's tasks under review: what the API's `PUT /api/imports/{id}` takes,
    /// four times over, as URL-encoding writes most bytes of Vietnamese text as three.
    Review,
}

/// One page or form target.
pub(crate) struct Page {
    method: Method,
    path: &'static str,
    rule: Rule,
    limit: Limit,
}

const ADMIN: &[Role] = &[Role::Admin];

/// Largest body of an ordinary form.
const FORM_BYTES: usize = 64 * 1024;

macro_rules! page {
    ($m:ident $p:literal, $rule:expr) => {
        page!($m $p, $rule, Limit::Form)
    };
    ($m:ident $p:literal, $rule:expr, $limit:expr) => {
        Page {
            method: Method::$m,
            path: $p,
            rule: $rule,
            limit: $limit,
        }
    };
}

/// Every page of the UI.
static PAGES: &[Page] = &[
    page!(GET "/static/{file}", Rule::Own(Allow::Public, Target::None)),
    page!(GET "/dang-nhap", Rule::Own(Allow::Public, Target::None)),
    page!(POST "/dang-nhap", Rule::Api(Method::POST, "/api/login")),
    page!(POST "/dang-xuat", Rule::Api(Method::POST, "/api/logout")),
    // Home: the dashboard for those who see every task; the others are sent to their own
    // start page from there.
    page!(GET "/", Rule::Own(Allow::SignedIn, Target::None)),
    page!(GET "/nhiem-vu", Rule::Api(Method::GET, "/api/tasks")),
    page!(GET "/nhiem-vu/{id}", Rule::Api(Method::GET, "/api/tasks/{id}")),
    page!(POST "/nhiem-vu/{id}/trang-thai", Rule::Api(Method::POST, "/api/tasks/{id}/transitions")),
    page!(POST "/nhiem-vu/{id}/bao-cao", Rule::Api(Method::POST, "/api/tasks/{id}/reports"), Limit::Upload),
    page!(POST "/nhiem-vu/{id}/gia-han", Rule::Api(Method::POST, "/api/tasks/{id}/extensions")),
    page!(POST "/nhiem-vu/{id}/giao-can-bo", Rule::Api(Method::POST, "/api/tasks/{id}/hand-over")),
    page!(POST "/gia-han/{id}/quyet-dinh", Rule::Api(Method::POST, "/api/extensions/{id}/decision")),
    page!(GET "/thong-bao", Rule::Api(Method::GET, "/api/notices")),
    page!(POST "/thong-bao/{id}/da-doc", Rule::Api(Method::POST, "/api/notices/{id}/read")),
    page!(GET "/van-ban", Rule::Api(Method::GET, "/api/documents")),
    page!(GET "/van-ban/{id}", Rule::Api(Method::GET, "/api/documents/{id}")),
    page!(GET "/nhap-van-ban", Rule::Api(Method::GET, "/api/imports")),
    page!(POST "/nhap-van-ban", Rule::Api(Method::POST, "/api/imports"), Limit::Upload),
    page!(GET "/nhap-van-ban/{id}", Rule::Api(Method::GET, "/api/imports/{id}")),
    page!(POST "/nhap-van-ban/{id}", Rule::Api(Method::PUT, "/api/imports/{id}"), Limit::Review),
    page!(POST "/nhap-van-ban/{id}/ghi", Rule::Api(Method::POST, "/api/imports/{id}/commit"), Limit::Review),
    page!(POST "/nhap-van-ban/{id}/huy", Rule::Api(Method::DELETE, "/api/imports/{id}")),
    page!(GET "/quan-tri", Rule::Own(Allow::Roles(ADMIN), Target::None)),
    page!(GET "/quan-tri/tai-khoan", Rule::Api(Method::GET, "/api/users")),
    page!(POST "/quan-tri/tai-khoan", Rule::Api(Method::POST, "/api/users")),
    // The directory is readable by every account through the API; its administration page
    // is the administrator's.
    page!(GET "/quan-tri/co-quan", Rule::Own(Allow::Roles(ADMIN), Target::None)),
    page!(GET "/quan-tri/sap-xep", Rule::Api(Method::GET, "/api/reorganisations")),
    page!(POST "/quan-tri/sap-xep/{id}/ap-dung", Rule::Api(Method::POST, "/api/reorganisations/{id}/apply")),
    page!(GET "/quan-tri/lich", Rule::Own(Allow::Roles(ADMIN), Target::None)),
    page!(POST "/quan-tri/lich", Rule::Api(Method::POST, "/api/calendar/changes")),
    page!(POST "/quan-tri/lich/{id}/xoa", Rule::Api(Method::DELETE, "/api/calendar/changes/{id}")),
    page!(GET "/quan-tri/cai-dat", Rule::Api(Method::GET, "/api/settings")),
    page!(POST "/quan-tri/cai-dat", Rule::Api(Method::PUT, "/api/settings")),
];

/// The rule of the page at `path` (GET), for links: whether to show them.
pub(crate) fn page_rule(method: &Method, path: &str) -> &'static Rule {
    &PAGES
        .iter()
        .find(|p| p.method == *method && p.path == path)
        .unwrap_or_else(|| panic!("no page {method} {path}"))
        .rule
}

fn handler(page: &Page) -> MethodRouter<AppState> {
    let m = &page.method;
    match (page.path, m) {
        ("/static/{file}", _) => get(assets::serve),
        ("/dang-nhap", &Method::GET) => get(login::form),
        ("/dang-nhap", _) => post(login::submit),
        ("/dang-xuat", _) => post(login::sign_out),
        ("/", _) => get(dashboard::show),
        ("/nhiem-vu", _) => get(tasks::list),
        ("/nhiem-vu/{id}", _) => get(task::show),
        ("/nhiem-vu/{id}/trang-thai", _) => post(task::transition),
        ("/nhiem-vu/{id}/bao-cao", _) => post(task::report),
        ("/nhiem-vu/{id}/gia-han", _) => post(task::ask_extension),
        ("/nhiem-vu/{id}/giao-can-bo", _) => post(task::hand_over),
        ("/gia-han/{id}/quyet-dinh", _) => post(task::decide_extension),
        ("/thong-bao", _) => get(notices::list),
        ("/thong-bao/{id}/da-doc", _) => post(notices::mark_read),
        ("/van-ban", _) => get(documents::list),
        ("/van-ban/{id}", _) => get(documents::show),
        ("/nhap-van-ban", &Method::GET) => get(imports::list),
        ("/nhap-van-ban", _) => post(imports::upload),
        ("/nhap-van-ban/{id}", &Method::GET) => get(imports::show),
        ("/nhap-van-ban/{id}", _) => post(imports::save),
        ("/nhap-van-ban/{id}/ghi", _) => post(imports::commit),
        ("/nhap-van-ban/{id}/huy", _) => post(imports::discard),
        ("/quan-tri", _) => get(admin::home),
        ("/quan-tri/tai-khoan", &Method::GET) => get(admin::users),
        ("/quan-tri/tai-khoan", _) => post(admin::create_user),
        ("/quan-tri/co-quan", _) => get(admin::agencies),
        ("/quan-tri/sap-xep", _) => get(admin::reorganisations),
        ("/quan-tri/sap-xep/{id}/ap-dung", _) => post(admin::apply_reorganisation),
        ("/quan-tri/lich", &Method::GET) => get(admin::calendar),
        ("/quan-tri/lich", _) => post(admin::declare_day),
        ("/quan-tri/lich/{id}/xoa", _) => post(admin::undeclare_day),
        ("/quan-tri/cai-dat", &Method::GET) => get(admin::settings),
        ("/quan-tri/cai-dat", _) => post(admin::save_settings),
        (path, _) => unreachable!("page {path} in PAGES without a handler"),
    }
}

/// The pages, behind the page guard, each with its body limit.
pub(crate) fn router(state: &AppState) -> Router<AppState> {
    let mut router = Router::new();
    for page in PAGES {
        page.rule.resolve();
        let limit = match page.limit {
            Limit::Form => FORM_BYTES,
            Limit::Upload => state.config.upload_bytes,
            Limit::Review => 4 * state.config.json_bytes,
        };
        router = router.route(
            page.path,
            handler(page)
                .layer(DefaultBodyLimit::max(limit))
                .layer(axum::middleware::from_fn(move |req, next| {
                    crate::within_limit(
                        limit,
                        || PageError::from(crate::error::too_large()).into_response(),
                        req,
                        next,
                    )
                })),
        );
    }
    router.route_layer(axum::middleware::from_fn_with_state(state.clone(), guard))
}

/// The page guard (see the module's notes).
async fn guard(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    match check(&state, &mut req).await {
        Ok(()) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

async fn check(state: &AppState, req: &mut Request) -> Result<(), PageError> {
    let matched = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned())
        .unwrap_or_default();
    // A HEAD is answered by the GET handler, so it follows the GET rule.
    let method = if req.method() == Method::HEAD {
        Method::GET
    } else {
        req.method().clone()
    };
    let page = PAGES
        .iter()
        .find(|p| p.method == method && p.path == matched)
        .ok_or_else(|| {
            ApiError::new(
                "method_not_allowed",
                format!("Trang {matched} không nhận phương thức {method}"),
            )
        })?;
    let ip = access::client_ip(req);
    req.extensions_mut().insert(ip);
    let (allow, target) = page.rule.resolve();
    if allow == Allow::Public {
        return Ok(());
    }
    let caller = match access::session_caller(state, req.headers()).await {
        Ok(caller) => caller,
        Err(e) if e.code() == "authentication_required" => {
            let back = if method == Method::GET {
                req.uri()
                    .path_and_query()
                    .map_or("/".to_owned(), |p| p.as_str().to_owned())
            } else {
                "/".to_owned()
            };
            return Err(PageError::SignIn(back));
        }
        Err(e) => return Err(e.into()),
    };
    access::admit(state, allow, target, caller, req).await?;
    Ok(())
}
