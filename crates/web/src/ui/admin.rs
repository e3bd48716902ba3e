//! Administration: accounts (created by the API's own checks, [`api::check_new_user`]),
//! the agency directory, reorganisations (applied as the API applies them) and the holiday
//! calendar the working days are counted with.

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use store::{Actor, ApplyOutcome, Role};
use vn_calendar::DayKind;

use super::form::{Fields, Filled, Invalid, Posted};
use super::page::{PageError, PageQuery, Shell, html, see_other};
use super::tasks::Choice;
use crate::AppState;
use crate::access::PathId;
use crate::api::{self, NewUserRequest};
use crate::auth::Caller;

pub(crate) async fn home() -> Response {
    see_other("/quan-tri/tai-khoan")
}

/// The administration pages' own menu.
const SECTIONS: [(&str, &str); 4] = [
    ("/quan-tri/tai-khoan", "Tài khoản"),
    ("/quan-tri/co-quan", "Cơ quan"),
    ("/quan-tri/sap-xep", "Sắp xếp tổ chức"),
    ("/quan-tri/lich", "Lịch nghỉ lễ"),
];

struct UserLine {
    login: String,
    name: String,
    email: String,
    roles: String,
    agencies: String,
    active: bool,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    shell: Shell,
    sections: [(&'static str, &'static str); 4],
    current: &'static str,
    users: Vec<UserLine>,
    roles: Vec<Choice>,
    agencies: Vec<Choice>,
    filled: Filled,
    created: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct UsersQuery {
    /// The login just created.
    moi: Option<String>,
}

async fn users_page(
    state: &AppState,
    caller: &Caller,
    filled: Filled,
    created: Option<String>,
) -> Result<Response, PageError> {
    let agencies = state.store.agencies().await?;
    let agency_name = |id| {
        agencies
            .iter()
            .find(|a| a.id == id)
            .map_or_else(String::new, |a| a.name.clone())
    };
    let users = state
        .store
        .users()
        .await?
        .into_iter()
        .map(|u| UserLine {
            roles: u
                .roles
                .iter()
                .map(|r| r.label_vi())
                .collect::<Vec<_>>()
                .join(", "),
            agencies: u
                .agencies
                .iter()
                .map(|a| agency_name(*a))
                .collect::<Vec<_>>()
                .join("; "),
            login: u.login,
            name: u.full_name,
            email: u.email.unwrap_or_default(),
            active: u.active,
        })
        .collect();
    let chosen_agency = filled.val("tai-khoan", "co_quan").to_owned();
    let mut agency_choices: Vec<Choice> = agencies
        .iter()
        .filter(|a| {
            !matches!(
                a.kind,
                store::AgencyKind::Central | store::AgencyKind::Group
            )
        })
        .map(|a| Choice::new(a.id, a.name.clone(), &chosen_agency))
        .collect();
    agency_choices.sort_by_cached_key(|c| vn_text::fold(&c.label));
    let roles = Role::ALL
        .iter()
        .map(|r| Choice {
            value: r.code().to_owned(),
            label: r.label_vi().to_owned(),
            selected: filled.chose("tai-khoan", "vai_tro", r.code()),
        })
        .collect();
    let status = if filled.invalid.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::from_u16(filled.invalid.status).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY)
    };
    let page = UsersPage {
        shell: Shell::new(state, caller, "/quan-tri").await?,
        sections: SECTIONS,
        current: "/quan-tri/tai-khoan",
        users,
        roles,
        agencies: agency_choices,
        filled,
        created,
    };
    html(status, &page)
}

pub(crate) async fn users(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    PageQuery(q): PageQuery<UsersQuery>,
) -> Result<Response, PageError> {
    users_page(&state, &caller, Filled::default(), q.moi).await
}

/// The form's fields by the API's field names, for putting a message where it belongs.
fn form_field(api_field: &str) -> &'static str {
    match api_field {
        "login" => "login",
        "full_name" => "ho_ten",
        "password" => "mat_khau",
        "roles" => "vai_tro",
        "agencies" => "co_quan",
        _ => "login",
    }
}

pub(crate) async fn create_user(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Posted(fields): Posted,
) -> Result<Response, PageError> {
    let shown = |invalid| Filled::new("tai-khoan", without_password(&fields), invalid);
    let agencies = match fields.get("co_quan") {
        "" => Vec::new(),
        a => match a.parse::<i64>() {
            Ok(a) => vec![a],
            Err(_) => {
                let invalid = Invalid::field("co_quan", "Cơ quan không hợp lệ");
                return users_page(&state, &caller, shown(invalid), None).await;
            }
        },
    };
    let request = NewUserRequest {
        login: fields.get("login").to_owned(),
        full_name: fields.get("ho_ten").to_owned(),
        email: Some(fields.get("email").to_owned()),
        password: Some(fields.raw("mat_khau").to_owned()).filter(|p| !p.is_empty()),
        roles: fields.all("vai_tro").map(str::to_owned).collect(),
        agencies,
    };
    let checked = match api::check_new_user(&state, request).await {
        Ok(c) => c,
        Err((field, e)) => {
            let invalid = Invalid::refused(&e, |_| Some(form_field(field)));
            return users_page(&state, &caller, shown(invalid), None).await;
        }
    };
    let login = fields.get("login").to_owned();
    match api::create_account(&state, &caller, checked).await {
        Ok(_) => Ok(see_other(&format!(
            "/quan-tri/tai-khoan?moi={}",
            super::page::encode(&login)
        ))),
        // A login taken (also by a second submit of the same form) is said at the login.
        Err(e) if e.code() == "duplicate" => {
            let invalid = Invalid::field("login", format!("Tên đăng nhập {login:?} đã có"));
            users_page(&state, &caller, shown(invalid), None).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The posted fields less the password, which is never sent back to the browser.
fn without_password(fields: &Fields) -> Fields {
    Fields(
        fields
            .0
            .iter()
            .filter(|(k, _)| k != "mat_khau")
            .cloned()
            .collect(),
    )
}

struct AgencyLine {
    name: String,
    kind: &'static str,
    aliases: String,
    valid: String,
    note: String,
}

#[derive(Template)]
#[template(path = "admin_agencies.html")]
struct AgenciesPage {
    shell: Shell,
    sections: [(&'static str, &'static str); 4],
    current: &'static str,
    q: String,
    total: usize,
    agencies: Vec<AgencyLine>,
}

#[derive(Deserialize)]
pub(crate) struct AgencyQuery {
    q: Option<String>,
}

pub(crate) async fn agencies(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    PageQuery(q): PageQuery<AgencyQuery>,
) -> Result<Response, PageError> {
    let q = q.q.unwrap_or_default().trim().to_owned();
    // Diacritics and case ignored, as everywhere: "so tai chinh" finds "Sở Tài chính".
    let needle = vn_text::fold(&q);
    let all = state.store.agencies().await?;
    let total = all.len();
    let agencies = all
        .into_iter()
        .filter(|a| {
            needle.is_empty()
                || vn_text::fold(&a.name).contains(&needle)
                || a.aliases.iter().any(|x| vn_text::fold(x).contains(&needle))
        })
        .map(|a| AgencyLine {
            kind: a.kind.label_vi(),
            aliases: a.aliases.join(", "),
            valid: match (a.valid_from, a.valid_to) {
                (None, None) => String::new(),
                (Some(f), None) => format!("từ {f}"),
                (None, Some(t)) => format!("đến {t}"),
                (Some(f), Some(t)) => format!("{f} – {t}"),
            },
            note: a.note,
            name: a.name,
        })
        .collect();
    let page = AgenciesPage {
        shell: Shell::new(&state, &caller, "/quan-tri").await?,
        sections: SECTIONS,
        current: "/quan-tri/co-quan",
        q,
        total,
        agencies,
    };
    html(StatusCode::OK, &page)
}

struct ReorganisationLine {
    id: i64,
    kind: &'static str,
    effective_on: String,
    predecessors: String,
    successors: String,
    note: String,
    applied: Option<String>,
    due: bool,
}

#[derive(Template)]
#[template(path = "admin_reorganisations.html")]
struct ReorganisationsPage {
    shell: Shell,
    sections: [(&'static str, &'static str); 4],
    current: &'static str,
    items: Vec<ReorganisationLine>,
    message: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct ReorganisationQuery {
    /// Assignments moved by the reorganisation just applied.
    da_chuyen: Option<usize>,
}

async fn reorganisations_page(
    state: &AppState,
    caller: &Caller,
    message: Option<String>,
    error: Option<(u16, String)>,
) -> Result<Response, PageError> {
    let today = store::Timestamp::now().date_in_vietnam();
    let items = state
        .store
        .reorganisations()
        .await?
        .into_iter()
        .map(|r| ReorganisationLine {
            id: r.id.get(),
            kind: r.kind.label_vi(),
            effective_on: reports::vn_date(r.effective_on),
            predecessors: r
                .predecessors
                .iter()
                .map(|a| a.name.clone())
                .collect::<Vec<_>>()
                .join("; "),
            successors: r
                .successors
                .iter()
                .map(|s| match (s.primary, s.function.is_empty()) {
                    (true, _) => format!("{} (nhận nhiệm vụ đang mở)", s.agency.name),
                    (false, true) => s.agency.name.clone(),
                    (false, false) => format!("{} ({})", s.agency.name, s.function),
                })
                .collect::<Vec<_>>()
                .join("; "),
            note: r.note,
            applied: r.applied_at.map(store::Timestamp::display_vietnam),
            due: r.effective_on <= today,
        })
        .collect();
    let status = error.as_ref().map_or(StatusCode::OK, |(s, _)| {
        StatusCode::from_u16(*s).unwrap_or(StatusCode::CONFLICT)
    });
    let page = ReorganisationsPage {
        shell: Shell::new(state, caller, "/quan-tri").await?,
        sections: SECTIONS,
        current: "/quan-tri/sap-xep",
        items,
        message,
        error: error.map(|(_, m)| m),
    };
    html(status, &page)
}

pub(crate) async fn reorganisations(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    PageQuery(q): PageQuery<ReorganisationQuery>,
) -> Result<Response, PageError> {
    let message = q.da_chuyen.map(|n| {
        format!("Đã áp dụng: {n} phân công nhiệm vụ đang mở được chuyển cho cơ quan kế thừa.")
    });
    reorganisations_page(&state, &caller, message, None).await
}

/// Applies a reorganisation that has taken effect. Applying twice moves nothing twice.
pub(crate) async fn apply_reorganisation(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(PathId(id)): Extension<PathId>,
    Posted(_): Posted,
) -> Result<Response, PageError> {
    let id = id.to_string().parse::<store::ReorganisationId>()?;
    match state
        .store
        .apply_reorganisation(id, Actor::User(caller.user.id))
        .await
    {
        Ok(ApplyOutcome::Applied { moved }) => {
            Ok(see_other(&format!("/quan-tri/sap-xep?da_chuyen={moved}")))
        }
        Ok(ApplyOutcome::AlreadyApplied) => Ok(see_other("/quan-tri/sap-xep")),
        Err(e) => {
            let e = crate::error::ApiError::from(e);
            if e.status() >= 500 || e.status() == 404 {
                return Err(e.into());
            }
            reorganisations_page(
                &state,
                &caller,
                None,
                Some((e.status(), e.message().to_owned())),
            )
            .await
        }
    }
}

struct DayLine {
    date: String,
    weekday: &'static str,
    kind: &'static str,
    name: String,
    day_off: bool,
}

#[derive(Template)]
#[template(path = "admin_calendar.html")]
struct CalendarPage {
    shell: Shell,
    sections: [(&'static str, &'static str); 4],
    current: &'static str,
    year: i32,
    announced: bool,
    days: Vec<DayLine>,
}

#[derive(Deserialize)]
pub(crate) struct CalendarQuery {
    nam: Option<i32>,
}

fn kind_label(kind: DayKind) -> &'static str {
    match kind {
        DayKind::Holiday => "Nghỉ lễ, Tết",
        DayKind::Substitute => "Nghỉ bù",
        DayKind::SwapOff => "Nghỉ hoán đổi",
        DayKind::SwapWork => "Làm bù",
        _ => "Khác",
    }
}

pub(crate) async fn calendar(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    PageQuery(q): PageQuery<CalendarQuery>,
) -> Result<Response, PageError> {
    let year = q
        .nam
        .unwrap_or_else(|| store::Timestamp::now().date_in_vietnam().year());
    let days = state.calendar.special_days(year).map_err(|_| {
        crate::error::ApiError::new(
            "invalid_value",
            format!("Năm {year} ngoài lịch (1900–2199)"),
        )
    })?;
    let page = CalendarPage {
        shell: Shell::new(&state, &caller, "/quan-tri").await?,
        sections: SECTIONS,
        current: "/quan-tri/lich",
        year,
        announced: state.calendar.is_announced(year),
        days: days
            .iter()
            .map(|d| DayLine {
                date: reports::vn_date(d.date),
                weekday: d.date.weekday().name_vi(),
                kind: kind_label(d.kind),
                name: d.name.clone(),
                day_off: d.kind.is_day_off(),
            })
            .collect(),
    };
    html(StatusCode::OK, &page)
}
