//! The dashboard of leaders and monitors: the five official counts (the store's own counting,
//! as the API's `/api/counts` and the compiled report use), by agency and by document, the
//! overdue tasks, and completion over time; for today, or for a reporting period as the
//! report counts it (tasks open at any time in it, counted as of its last day).

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use reports::Period;
use serde::Deserialize;
use store::{CountBy, CountRow, Scope};
use vn_calendar::Date;
use workflow::{Counts, Timeliness};

use super::chart::{self, Point};
use super::page::{PageError, PageQuery, Shell, html, see_other};
use super::tasks::{TaskRow, rows};
use crate::AppState;
use crate::api::{self, TaskQuery};
use crate::auth::{Caller, TaskScope};

/// Overdue tasks listed on the dashboard (the task list has them all).
/// Documents listed on the dashboard, those with the most overdue tasks first.
const DOCUMENTS_SHOWN: usize = 50;

const OVERDUE_SHOWN: u32 = 20;

/// Points of the completion chart: month ends up to the day counted.
const CHART_MONTHS: i32 = 6;

#[derive(Deserialize)]
pub(crate) struct DashboardQuery {
    /// The period: `2022-12`, `2022-Q4`, `2022-H2`, `2022`, `2022-05-20..2022-12-31`.
    ky: Option<String>,
}

/// A row of a counts table.
struct CountLine {
    name: String,
    href: Option<String>,
    values: [u64; 5],
    total: u64,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct Dashboard {
    shell: Shell,
    period: String,
    period_error: Option<String>,
    /// What the counts are about, in words.
    heading: String,
    columns: [&'static str; 5],
    totals: [u64; 5],
    total: u64,
    by_agency: Vec<CountLine>,
    by_document: Vec<CountLine>,
    /// Documents not listed.
    documents_more: u64,
    overdue: Vec<TaskRow>,
    overdue_more: bool,
    chart: String,
    points: Vec<Point>,
}

fn line(row: CountRow, href: Option<String>) -> CountLine {
    let values = row.counts.columns().map(|c| c.value);
    CountLine {
        name: row.name,
        href,
        total: row.counts.total(),
        values,
    }
}

pub(crate) async fn show(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    PageQuery(q): PageQuery<DashboardQuery>,
) -> Result<Response, PageError> {
    // The dashboard is for those who see every task; an agency starts at its tasks, an
    // administrator at administration.
    match caller.scope() {
        TaskScope::All => {}
        TaskScope::OwnAgencies => return Ok(see_other("/nhiem-vu")),
        TaskScope::Nothing => return Ok(see_other("/quan-tri")),
    }
    let today = store::Timestamp::now().date_in_vietnam();
    let text = q.ky.unwrap_or_default().trim().to_owned();
    let (period, period_error) = if text.is_empty() {
        (None, None)
    } else {
        match text.parse::<Period>() {
            Ok(p) if p.first() <= today => (Some(p), None),
            Ok(_) => (None, Some("Kỳ này chưa bắt đầu".to_owned())),
            Err(_) => (
                None,
                Some(
                    "Kỳ không hợp lệ: dùng YYYY-MM, YYYY-Qn, YYYY-Hn, YYYY hoặc YYYY-MM-DD..YYYY-MM-DD"
                        .to_owned(),
                ),
            ),
        }
    };
    // A period still running is counted as of today.
    let as_of = period.map_or(today, |p| p.last().min(today));
    let open_since = period.map(|p| p.first());
    let (calendar, settings) = (&state.rules().calendar, &state.rules().settings);
    let mut each = state
        .store
        .counts_each(
            open_since,
            as_of,
            &[CountBy::LeadAgency, CountBy::Total],
            Scope::All,
            calendar,
            settings,
        )
        .await?
        .into_iter();
    let by_agency = each.next().unwrap_or_default();
    // Every task once (a task with two leads is in two agencies' rows).
    let mut totals = Counts::default();
    for r in each.next().unwrap_or_default() {
        totals.merge(&r.counts);
    }
    // A province has tens of thousands of documents: the page lists those with the most
    // overdue tasks; the totals still count them all.
    let documents = state
        .store
        .most_overdue_documents(open_since, as_of, DOCUMENTS_SHOWN, calendar, settings)
        .await?;
    let (by_document, documents_more) = (documents.rows, documents.more);
    let overdue_query = TaskQuery {
        timeliness: Some(Timeliness::QuaHan.code().to_owned()),
        as_of: Some(as_of.to_string()),
        limit: Some(OVERDUE_SHOWN),
        ..TaskQuery::default()
    };
    let overdue_page = state
        .store
        .task_page(
            &api::task_filter(&state, &caller, overdue_query)?,
            &state.rules().calendar,
        )
        .await?;
    let points = completion(&state, as_of).await?;
    let heading = match period {
        Some(p) => format!(
            "Kỳ {} — tính đến hết ngày {}",
            p.label_vi(),
            reports::vn_date(as_of)
        ),
        None => format!("Tính đến hết ngày {}", reports::vn_date(as_of)),
    };
    let page = Dashboard {
        shell: Shell::new(&state, &caller, "/").await?,
        period: text,
        period_error: period_error.clone(),
        heading,
        columns: Counts::default().columns().map(|c| c.label_vi),
        totals: totals.columns().map(|c| c.value),
        total: totals.total(),
        by_agency: by_agency
            .into_iter()
            .map(|r| {
                let href = r.id.map(|id| format!("/nhiem-vu?agency={id}"));
                line(r, href)
            })
            .collect(),
        documents_more,
        by_document: by_document
            .into_iter()
            .map(|r| {
                let href = r.id.map(|id| format!("/van-ban/{id}"));
                line(r, href)
            })
            .collect(),
        overdue_more: overdue_page.next.is_some(),
        overdue: rows(&state, overdue_page.items, as_of).await?,
        chart: chart::completion(&points),
        points,
    };
    let status = if period_error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    html(status, &page)
}

/// Completed tasks against all tasks at the end of each of the last months up to `as_of`
/// (the last point is `as_of` itself), each counted as the official counts count that day.
async fn completion(state: &AppState, as_of: Date) -> Result<Vec<Point>, PageError> {
    let mut days = vec![as_of];
    for back in 1..CHART_MONTHS {
        let Some(earlier) = as_of.add_months(-back) else {
            break;
        };
        let (year, month, _) = earlier.ymd();
        if let Ok(end) = Date::from_ymd(year, month, vn_calendar::days_in_month(year, month)) {
            days.push(end);
        }
    }
    days.reverse();
    let totals = state
        .store
        .totals_on(&days, &state.rules().calendar, &state.rules().settings)
        .await?;
    let mut points = Vec::with_capacity(days.len());
    for (day, c) in days.into_iter().zip(totals) {
        let (year, month, d) = day.ymd();
        // Month ends by their month; a day inside a month (today) by its date.
        let label = if d == vn_calendar::days_in_month(year, month) {
            format!("{month:02}/{year}")
        } else {
            format!("{d:02}/{month:02}")
        };
        points.push(Point {
            label,
            done: c.done_on_time + c.done_late,
            total: c.total(),
        });
    }
    Ok(points)
}
