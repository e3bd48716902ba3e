//! Administration: accounts (created by the API's own checks, [`api::check_new_user`]),
//! the agency directory, reorganisations (applied as the API applies them) and the holiday
//! calendar the working days are counted with.

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use store::{Actor, ApplyOutcome, CalendarChangeKind, Role};
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
type Sections = [(&'static str, &'static str); 5];
const SECTIONS: Sections = [
    ("/quan-tri/tai-khoan", "Tài khoản"),
    ("/quan-tri/co-quan", "Cơ quan"),
    ("/quan-tri/sap-xep", "Sắp xếp tổ chức"),
    ("/quan-tri/lich", "Lịch nghỉ lễ"),
    ("/quan-tri/cai-dat", "Thiết lập"),
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
    sections: Sections,
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
    sections: Sections,
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
    sections: Sections,
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

/// A calendar change as listed, with its removal form.
struct ChangeLine {
    id: i64,
    date: String,
    weekday: &'static str,
    kind: &'static str,
    note: String,
    day_off: bool,
    by: String,
}

#[derive(Template)]
#[template(path = "admin_calendar.html")]
struct CalendarPage {
    shell: Shell,
    sections: Sections,
    current: &'static str,
    year: i32,
    announced: bool,
    days: Vec<DayLine>,
    changes: Vec<ChangeLine>,
    kinds: Vec<Choice>,
    filled: Filled,
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
        DayKind::DeclaredOff => "Nghỉ theo quyết định",
        DayKind::DeclaredWorking => "Làm việc theo quyết định",
        _ => "Khác",
    }
}

async fn calendar_page(
    state: &AppState,
    caller: &Caller,
    year: i32,
    filled: Filled,
) -> Result<Response, PageError> {
    let rules = state.rules();
    let days = rules.calendar.special_days(year).map_err(|_| {
        crate::error::ApiError::new(
            "invalid_value",
            format!("Năm {year} ngoài lịch (1900–2199)"),
        )
    })?;
    let users = state.store.users().await?;
    let changes = state
        .store
        .calendar_changes()
        .await?
        .into_iter()
        .map(|c| ChangeLine {
            id: c.id.get(),
            date: reports::vn_date(c.date),
            weekday: c.date.weekday().name_vi(),
            kind: c.kind.label_vi(),
            day_off: c.kind == CalendarChangeKind::DayOff,
            by: format!(
                "{}, {}",
                c.created_by
                    .and_then(|id| users.iter().find(|u| u.id == id))
                    .map_or("Hệ thống", |u| u.full_name.as_str()),
                c.created_at.display_vietnam()
            ),
            note: c.note,
        })
        .collect();
    let chosen = filled.val("lich-them", "loai").to_owned();
    let kinds = CalendarChangeKind::ALL
        .iter()
        .map(|k| Choice {
            value: k.code().to_owned(),
            label: k.label_vi().to_owned(),
            selected: chosen == k.code(),
        })
        .collect();
    let status = if filled.invalid.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::from_u16(filled.invalid.status).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY)
    };
    let page = CalendarPage {
        shell: Shell::new(state, caller, "/quan-tri").await?,
        sections: SECTIONS,
        current: "/quan-tri/lich",
        year,
        announced: rules.calendar.is_announced(year),
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
        changes,
        kinds,
        filled,
    };
    html(status, &page)
}

fn this_year() -> i32 {
    store::Timestamp::now().date_in_vietnam().year()
}

pub(crate) async fn calendar(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    PageQuery(q): PageQuery<CalendarQuery>,
) -> Result<Response, PageError> {
    let year = q.nam.unwrap_or_else(this_year);
    calendar_page(&state, &caller, year, Filled::default()).await
}

/// Declares a day off or a working day ([`api::declare_day`], as the API does). The same
/// declaration posted twice is stored once.
pub(crate) async fn declare_day(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Posted(fields): Posted,
) -> Result<Response, PageError> {
    let request = api::CalendarChangeRequest {
        date: fields.get("ngay").to_owned(),
        kind: fields.get("loai").to_owned(),
        note: fields.get("ghi_chu").to_owned(),
    };
    match api::declare_day(&state, &caller, request).await {
        Ok(change) => Ok(see_other(&format!(
            "/quan-tri/lich?nam={}#thay-doi",
            change.date.year()
        ))),
        Err((field, e)) if e.status() < 500 => {
            let field = match field {
                "kind" => "loai",
                "note" => "ghi_chu",
                _ => "ngay",
            };
            let shown = fields
                .get("ngay")
                .parse::<vn_calendar::Date>()
                .map_or_else(|_| this_year(), |d| d.year());
            let invalid = Invalid::refused(&e, |_| Some(field));
            let filled = Filled::new("lich-them", fields, invalid);
            calendar_page(&state, &caller, shown, filled).await
        }
        Err((_, e)) => Err(e.into()),
    }
}

/// Removes a declaration; removing it again (a second submit) changes nothing.
pub(crate) async fn undeclare_day(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(PathId(id)): Extension<PathId>,
    Posted(fields): Posted,
) -> Result<Response, PageError> {
    let id = id.to_string().parse::<store::CalendarChangeId>()?;
    api::undeclare_day(&state, &caller, id).await?;
    let year = fields
        .get("nam")
        .parse::<i32>()
        .unwrap_or_else(|_| this_year());
    Ok(see_other(&format!("/quan-tri/lich?nam={year}#thay-doi")))
}

/// One field of the settings form: its name (the setting's own, without `reminders.`), its
/// label and explanation, and what it holds now.
struct SettingField {
    name: &'static str,
    label: &'static str,
    help: &'static str,
    value: String,
}

#[derive(Template)]
#[template(path = "admin_settings.html")]
struct SettingsPage {
    shell: Shell,
    sections: Sections,
    current: &'static str,
    fields: Vec<SettingField>,
    on_due_day: bool,
    filled: Filled,
    saved: bool,
}

/// The form's name of each numeric setting, with its label and explanation.
const NUMBER_FIELDS: [(&str, &str, &str); 5] = [
    (
        "near_due_working_days",
        "Số ngày làm việc “sắp đến hạn”",
        "Nhiệm vụ chưa hoàn thành là “sắp đến hạn” khi còn từ 0 đến số ngày làm việc này tới hạn; 0: chỉ ngày đến hạn. Mặc định 3.",
    ),
    (
        "before_working_days",
        "Nhắc trước hạn (ngày làm việc)",
        "Các lần nhắc trước ngày đến hạn, mỗi số là số ngày làm việc trước hạn, cách nhau bởi dấu phẩy (ví dụ 3, 1); để trống: không nhắc trước. Mỗi số từ 1.",
    ),
    (
        "overdue_first_working_days",
        "Thông báo quá hạn đầu tiên (ngày làm việc sau hạn)",
        "Thông báo đầu tiên khi nhiệm vụ quá hạn, gửi sau ngày đến hạn số ngày làm việc này; ít nhất 1. Mặc định 1.",
    ),
    (
        "overdue_every_working_days",
        "Nhắc lại khi còn quá hạn (mỗi … ngày làm việc)",
        "Sau thông báo đầu tiên, nhắc lại mỗi số ngày làm việc này chừng nào nhiệm vụ còn quá hạn; 0: không nhắc lại. Mặc định 5.",
    ),
    (
        "monitor_after_working_days",
        "Báo cơ quan theo dõi khi quá hạn từ (ngày làm việc)",
        "Thông báo quá hạn gửi cả cơ quan theo dõi (văn phòng) khi nhiệm vụ quá hạn từ số ngày làm việc này; trước đó chỉ cơ quan được giao nhận. Mặc định 5.",
    ),
];

fn setting_value(settings: &workflow::Settings, name: &str) -> String {
    let r = &settings.reminders;
    match name {
        "near_due_working_days" => settings.near_due_working_days.to_string(),
        "before_working_days" => r
            .before_working_days
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        "overdue_first_working_days" => r.overdue_first_working_days.to_string(),
        "overdue_every_working_days" => r.overdue_every_working_days.to_string(),
        "monitor_after_working_days" => r.monitor_after_working_days.to_string(),
        _ => String::new(),
    }
}

async fn settings_page(
    state: &AppState,
    caller: &Caller,
    filled: Filled,
    saved: bool,
) -> Result<Response, PageError> {
    let rules = state.rules();
    let posted = filled.form == "cai-dat";
    let fields = NUMBER_FIELDS
        .iter()
        .map(|&(name, label, help)| SettingField {
            name,
            label,
            help,
            value: if posted {
                filled.val("cai-dat", name).to_owned()
            } else {
                setting_value(&rules.settings, name)
            },
        })
        .collect();
    let on_due_day = if posted {
        filled.chose("cai-dat", "on_due_day", "1")
    } else {
        rules.settings.reminders.on_due_day
    };
    let status = if filled.invalid.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::from_u16(filled.invalid.status).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY)
    };
    let page = SettingsPage {
        shell: Shell::new(state, caller, "/quan-tri").await?,
        sections: SECTIONS,
        current: "/quan-tri/cai-dat",
        fields,
        on_due_day,
        filled,
        saved,
    };
    html(status, &page)
}

#[derive(Deserialize)]
pub(crate) struct SettingsQuery {
    /// Set after a save.
    da_luu: Option<u8>,
}

pub(crate) async fn settings(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    PageQuery(q): PageQuery<SettingsQuery>,
) -> Result<Response, PageError> {
    settings_page(&state, &caller, Filled::default(), q.da_luu.is_some()).await
}

/// The settings the form describes, or what is wrong with each field.
fn read_settings(fields: &Fields) -> Result<workflow::Settings, Invalid> {
    let mut invalid = Invalid::default();
    let max = workflow::MAX_SETTING_WORKING_DAYS;
    let mut number = |name: &str| -> u32 {
        match fields.get(name).parse::<u32>() {
            Ok(n) => n,
            Err(_) => {
                invalid.add(
                    name,
                    format!(
                        "Cần một số nguyên từ 0 đến {max}, không phải {:?}",
                        fields.get(name)
                    ),
                );
                0
            }
        }
    };
    let near_due_working_days = number("near_due_working_days");
    let overdue_first_working_days = number("overdue_first_working_days");
    let overdue_every_working_days = number("overdue_every_working_days");
    let monitor_after_working_days = number("monitor_after_working_days");
    let before: Result<Vec<u32>, _> = fields
        .get("before_working_days")
        .split([',', ';', ' '])
        .filter(|s| !s.is_empty())
        .map(str::parse::<u32>)
        .collect();
    let before_working_days = before.unwrap_or_else(|_| {
        invalid.add(
            "before_working_days",
            "Cần các số nguyên dương cách nhau bởi dấu phẩy, ví dụ 3, 1",
        );
        Vec::new()
    });
    if !invalid.is_empty() {
        return Err(invalid);
    }
    Ok(workflow::Settings {
        near_due_working_days,
        reminders: workflow::ReminderSettings {
            before_working_days,
            on_due_day: fields.get("on_due_day") == "1",
            overdue_first_working_days,
            overdue_every_working_days,
            monitor_after_working_days,
        },
    })
}

/// Saves the settings ([`api::put_settings`], as the API does); in force at once. The same
/// form posted twice writes once (the second finds them in force).
pub(crate) async fn save_settings(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Posted(fields): Posted,
) -> Result<Response, PageError> {
    let settings = match read_settings(&fields) {
        Ok(s) => s,
        Err(invalid) => {
            let filled = Filled::new("cai-dat", fields, invalid);
            return settings_page(&state, &caller, filled, false).await;
        }
    };
    match api::put_settings(&state, &caller, &settings).await {
        Ok(_) => Ok(see_other("/quan-tri/cai-dat?da_luu=1")),
        Err((field, e)) if e.status() < 500 => {
            let field = field.map(|f| f.trim_start_matches("reminders."));
            let invalid = match NUMBER_FIELDS.iter().find(|f| Some(f.0) == field) {
                Some(f) => Invalid::refused(&e, |_| Some(f.0)),
                None => Invalid::refused(&e, |_| None),
            };
            let filled = Filled::new("cai-dat", fields, invalid);
            settings_page(&state, &caller, filled, false).await
        }
        Err((_, e)) => Err(e.into()),
    }
}
