//! Gathering a report's figures and rows from the store.
//!
//! The counts come only from [`Store::official_counts`], the code behind the dashboard: the
//! overall figures are its total (each task once), the per-agency figures its per-lead rows.
//! The annex comes from [`Store::annex_page`], which judges each task with the same rules
//! ([`Report::annex_counts`] lets tests check the two agree), the narrative's quotations from
//! [`Store::latest_reports_by_lead`]. A DOCX report reads only the annex rows it prints, so
//! its cost is that of the counts (one grouped query over the stored standings) and of at
//! most [`DOCX_ANNEX_CAP`] rows, however many tasks the province has.

use std::collections::HashMap;

use store::{AgencyId, AnnexQuery, AnnexRow, CountBy, CountRow, DocumentId, Scope, Store, TaskId};
use vn_calendar::{Calendar, Date};
use workflow::{Counts, Settings, Timeliness};

use crate::{Error, Period};

/// The most tasks a DOCX annex lists (PRODUCT.md); larger annexes go to XLSX in full.
pub const DOCX_ANNEX_CAP: usize = 10_000;

/// Tasks read from the store at a time while walking the annex.
pub(crate) const PAGE: u32 = 5_000;

/// The annex's columns, as template keys, in the order every format prints them.
pub(crate) const ANNEX_COLUMNS: [&str; 9] = [
    "col_no",
    "col_document",
    "col_content",
    "col_lead",
    "col_support",
    "col_deadline",
    "col_status",
    "col_timeliness",
    "col_progress",
];

/// How many of an agency's latest progress reports its narrative quotes.
const NARRATIVE_REPORTS: usize = 3;

/// What to report on.
#[derive(Debug, Clone)]
pub struct ReportRequest {
    /// The period; counted as of its last day.
    pub period: Period,
    /// Only the tasks this agency leads (a name the directory knows).
    pub agency: Option<String>,
    /// Only the tasks of this document: its id and the code the subject cites.
    pub document: Option<(DocumentId, String)>,
    /// The number given by the clerk; `None` makes a draft with the number left blank.
    pub number: Option<String>,
    /// The date of issue; `None` leaves day and month blank.
    pub date: Option<Date>,
    /// The day the file is drafted: its year stands in a draft's blank dateline.
    pub drafted_on: Date,
}

/// One lead agency's figures and its latest progress reports.
#[derive(Debug, Clone)]
pub struct AgencyResult {
    /// The agency's id, when it is in the directory.
    pub id: Option<i64>,
    /// Its name.
    pub name: String,
    /// The official counts of the tasks it leads.
    pub counts: Counts,
    /// Its latest progress reports filed in the period, newest first, one per task:
    /// (task outline id, document code, day, content).
    pub latest: Vec<(String, String, Date, String)>,
}

/// A compiled report: figures, narrative material and the (capped) annex.
#[derive(Debug, Clone)]
pub struct Report {
    /// What was asked.
    pub request: ReportRequest,
    /// The agency asked for, as the directory names it.
    pub agency: Option<(AgencyId, String)>,
    /// The day counted as of: the period's last day.
    pub as_of: Date,
    /// The official counts over every task reported on.
    pub overall: Counts,
    /// Per lead agency, by name.
    pub agencies: Vec<AgencyResult>,
    /// The first [`DOCX_ANNEX_CAP`] tasks of the annex.
    pub annex: Vec<AnnexRow>,
    /// How many tasks the full annex holds: every task counted ([`Report::overall`]).
    pub annex_total: u64,
    /// The tally of the rows in [`Report::annex`], judged row by row: the official counts
    /// again when the annex is under the cap, which tests check.
    pub annex_counts: Counts,
}

/// One line of the emulation table (bảng xếp hạng thi đua).
#[derive(Debug, Clone, PartialEq)]
pub struct EmulationRow {
    /// The agency.
    pub name: String,
    /// Hoàn thành đúng hạn.
    pub on_time: u64,
    /// Hoàn thành quá hạn.
    pub late: u64,
    /// Chưa hoàn thành quá hạn.
    pub overdue: u64,
    /// on_time / (on_time + late + overdue); `None` when nothing has fallen due.
    pub rate: Option<f64>,
    /// 1-based rank; agencies with no rate share the last place and get `None`.
    pub rank: Option<usize>,
}

/// Compiles the report `request` asks for.
pub async fn compile(
    store: &Store,
    request: &ReportRequest,
    calendar: &Calendar,
    settings: &Settings,
) -> Result<Report, Error> {
    // PRODUCT.md: a period report covers the tasks open at any time in the period, counted as
    // of its last day.
    let (first, as_of) = (request.period.first(), request.period.last());
    let scope = scope_of(request);
    let agency = match &request.agency {
        Some(name) => {
            let found = store
                .find_agency(name)
                .await?
                .ok_or_else(|| Error::UnknownAgency(name.clone()))?;
            Some((found.id, found.name))
        }
        None => None,
    };
    // One question, two groupings: the tasks replayed are replayed once.
    let bys: &[CountBy] = match &agency {
        Some(_) => &[CountBy::LeadAgency],
        None => &[CountBy::LeadAgency, CountBy::Total],
    };
    let mut each = store
        .counts_each(Some(first), as_of, bys, scope, calendar, settings)
        .await?
        .into_iter();
    let by_agency: Vec<CountRow> = each.next().unwrap_or_default();
    let by_agency: Vec<CountRow> = match &agency {
        Some((id, _)) => by_agency
            .into_iter()
            .filter(|r| r.id == Some(id.get()))
            .collect(),
        None => by_agency,
    };
    let sum = |rows: &[CountRow]| {
        rows.iter().fold(Counts::default(), |mut c, r| {
            c.merge(&r.counts);
            c
        })
    };
    let overall = match &agency {
        Some(_) => sum(&by_agency),
        None => sum(&each.next().unwrap_or_default()),
    };
    let agency_id = agency.as_ref().map(|(id, _)| *id);
    let mut annex = Vec::new();
    let mut annex_counts = Counts::default();
    let query = AnnexQuery {
        as_of,
        open_since: Some(first),
        scope,
        lead: agency_id,
        pressing: false,
    };
    walk_annex(store, &query, calendar, settings, |row| {
        annex_counts.add(&row.assessment);
        annex.push(row);
        annex.len() < DOCX_ANNEX_CAP
    })
    .await?;
    let names: Vec<String> = by_agency.iter().map(|r| r.name.clone()).collect();
    let mut latest = store
        .latest_reports_by_lead((first, as_of), scope, agency_id, &names, NARRATIVE_REPORTS)
        .await?;
    let agencies = by_agency
        .into_iter()
        .map(|r| AgencyResult {
            latest: latest
                .remove(&r.name)
                .unwrap_or_default()
                .into_iter()
                .map(|q| (q.outline_id, q.document, q.on, q.content))
                .collect(),
            id: r.id,
            name: r.name,
            counts: r.counts,
        })
        .collect();
    Ok(Report {
        request: request.clone(),
        agency,
        as_of,
        overall,
        agencies,
        annex_total: overall.total(),
        annex,
        annex_counts,
    })
}

pub(crate) fn scope_of(request: &ReportRequest) -> Scope {
    request
        .document
        .as_ref()
        .map_or(Scope::All, |(id, _)| Scope::Document(*id))
}

/// Calls `each` with the annex rows of `query`, a page at a time, until it returns `false`.
pub(crate) async fn walk_annex(
    store: &Store,
    query: &AnnexQuery,
    calendar: &Calendar,
    settings: &Settings,
    mut each: impl FnMut(AnnexRow) -> bool,
) -> Result<(), Error> {
    let mut after: Option<TaskId> = None;
    loop {
        let page = store
            .annex_page(query, after, PAGE, calendar, settings)
            .await?;
        for row in page.rows {
            if !each(row) {
                return Ok(());
            }
        }
        match page.next {
            Some(next) => after = Some(next),
            None => return Ok(()),
        }
    }
}

/// The emulation table of a report: agencies ranked by on-time rate, then by tasks completed
/// on time, then by name.
pub fn emulation(report: &Report) -> Vec<EmulationRow> {
    let mut rows: Vec<EmulationRow> = report
        .agencies
        .iter()
        .map(|a| {
            let c = &a.counts;
            let due = c.done_on_time + c.done_late + c.open_overdue;
            EmulationRow {
                name: a.name.clone(),
                on_time: c.done_on_time,
                late: c.done_late,
                overdue: c.open_overdue,
                rate: (due > 0).then(|| c.done_on_time as f64 / due as f64),
                rank: None,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.rate
            .unwrap_or(-1.0)
            .total_cmp(&a.rate.unwrap_or(-1.0))
            .then(b.on_time.cmp(&a.on_time))
            .then(a.name.cmp(&b.name))
    });
    // Equal rates and equal on-time counts share a rank (1, 1, 3).
    let mut previous: Option<(f64, u64, usize)> = None;
    for (i, row) in rows.iter_mut().enumerate() {
        let Some(rate) = row.rate else { continue };
        let rank = match previous {
            Some((r, n, k)) if r == rate && n == row.on_time => k,
            _ => i + 1,
        };
        row.rank = Some(rank);
        previous = Some((rate, row.on_time, rank));
    }
    rows
}

/// What an urging letter is about.
#[derive(Debug, Clone)]
pub struct UrgeRequest {
    /// The day the situation is taken on.
    pub as_of: Date,
    /// Only this agency; else every agency with an overdue or soon-due task.
    pub agency: Option<String>,
    /// The number given by the clerk; `None` leaves it blank.
    pub number: Option<String>,
    /// The date of issue; `None` leaves day and month blank.
    pub date: Option<Date>,
    /// The day the file is drafted.
    pub drafted_on: Date,
    /// Working days after `as_of` the agency has to report back.
    pub reply_working_days: u32,
}

/// One agency's urging letter.
#[derive(Debug, Clone)]
pub struct UrgingLetter {
    /// The agency urged.
    pub agency: String,
    /// Its official counts on the day (the letter's figures).
    pub counts: Counts,
    /// Its open tasks past their due day.
    pub overdue: Vec<AnnexRow>,
    /// Its open tasks due within the near-due window.
    pub soon: Vec<AnnexRow>,
    /// The day it must report back by.
    pub reply_by: Date,
}

/// The urging letters of `request`, one per agency with overdue or soon-due tasks (or the one
/// agency asked for, even with none), by agency name.
pub async fn urging_letters(
    store: &Store,
    request: &UrgeRequest,
    calendar: &Calendar,
    settings: &Settings,
) -> Result<Vec<UrgingLetter>, Error> {
    let wanted = match &request.agency {
        Some(name) => Some(
            store
                .find_agency(name)
                .await?
                .ok_or_else(|| Error::UnknownAgency(name.clone()))?,
        ),
        None => None,
    };
    let counts = store
        .official_counts(
            request.as_of,
            CountBy::LeadAgency,
            Scope::All,
            calendar,
            settings,
        )
        .await?;
    let mut lists: HashMap<String, (Vec<AnnexRow>, Vec<AnnexRow>)> = HashMap::new();
    let query = AnnexQuery {
        lead: wanted.as_ref().map(|w| w.id),
        pressing: true,
        ..AnnexQuery::on(request.as_of, Scope::All)
    };
    walk_annex(store, &query, calendar, settings, |row| {
        let t = row.assessment.timeliness;
        if !matches!(t, Timeliness::QuaHan | Timeliness::SapDenHan) {
            return true;
        }
        for (id, name) in &row.leads {
            if wanted.as_ref().is_some_and(|w| Some(w.id) != *id) {
                continue;
            }
            let entry = lists.entry(name.clone()).or_default();
            if t == Timeliness::QuaHan {
                entry.0.push(row.clone());
            } else {
                entry.1.push(row.clone());
            }
        }
        true
    })
    .await?;
    if let Some(w) = &wanted {
        lists.entry(w.name.clone()).or_default();
    }
    let reply_by = calendar.add_working_days(
        request.as_of,
        i32::try_from(request.reply_working_days).unwrap_or(i32::MAX),
    )?;
    let mut letters: Vec<UrgingLetter> = lists
        .into_iter()
        .map(|(agency, (overdue, soon))| UrgingLetter {
            counts: counts
                .iter()
                .find(|r| r.name == agency)
                .map(|r| r.counts)
                .unwrap_or_default(),
            agency,
            overdue,
            soon,
            reply_by,
        })
        .collect();
    letters.sort_by(|a, b| a.agency.cmp(&b.agency));
    Ok(letters)
}
