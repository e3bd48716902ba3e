//! The annex of a compiled report: every counted task as it stood at the end of a day, with
//! its lead and support parties, the deadline in force, its status and timeliness that day and
//! its latest progress report by then.
//!
//! Read a page at a time (keyset on the task id), because a province-wide annex can hold a
//! million tasks and the XLSX writer streams it at constant memory. A task's standing is
//! rebuilt from its status and deadline history exactly as [`Store::official_counts`] does, and
//! judged by the same [`workflow::TaskFacts::assess`], so the annex and the counts cannot
//! disagree; the reports crate checks that they sum to the same figures.

use vn_calendar::{Calendar, Date};
use workflow::{Assessment, Settings, Status};

use crate::Store;
use crate::counting::{Scope, scope_filter};
use crate::db::{Q, Value, q};
use crate::error::Result;
use crate::time::Timestamp;
use crate::tracking::{assess, calendar_error, closed_throughout, histories, rows_of, standing};
use crate::types::{AgencyId, TaskId};

/// One task of the annex.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AnnexRow {
    /// The task.
    pub task: TaskId,
    /// The code of the document that assigned it (the file name when it has none).
    pub document: String,
    /// Its outline path in that document.
    pub outline_id: String,
    /// The instruction.
    pub text: String,
    /// The lead parties: the agency responsible now (its id and name), else the name assigned.
    pub leads: Vec<(Option<AgencyId>, String)>,
    /// The support parties' names, the same way.
    pub supports: Vec<String>,
    /// The date deadline in force that day.
    #[serde(serialize_with = "crate::time::serialize_opt_date")]
    pub due_on: Option<Date>,
    /// The words of that deadline when it is not a date ("hằng quý", "thường xuyên").
    pub deadline_text: Option<String>,
    /// The progress status that day.
    pub status: Status,
    /// The timeliness that day.
    pub assessment: Assessment,
    /// The latest progress report filed by the end of that day.
    pub latest_report: Option<LatestReport>,
}

/// The latest progress report of a task.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LatestReport {
    /// The day it was filed (Vietnam's calendar).
    #[serde(serialize_with = "crate::time::serialize_date")]
    pub on: Date,
    /// The share done, when given.
    pub percent: Option<u8>,
    /// What the agency wrote.
    pub content: String,
}

/// A page of the annex.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnexPage {
    /// The tasks counted that day, in id order (not yet assigned and cancelled ones left out).
    pub rows: Vec<AnnexRow>,
    /// Where the next page starts; `None` after the last page.
    pub next: Option<TaskId>,
}

/// Which tasks an annex lists, as of which day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnnexQuery {
    /// The day the tasks are judged at the end of.
    pub as_of: Date,
    /// For a period report, its first day: the tasks completed or cancelled before it and
    /// still so on `as_of` are left out ([`closed_throughout`]).
    pub open_since: Option<Date>,
    /// The tasks of this scope.
    pub scope: Scope,
    /// Only the tasks this agency leads.
    pub lead: Option<AgencyId>,
    /// Only the tasks quá hạn or sắp đến hạn on `as_of` (an urging letter's).
    pub pressing: bool,
}

impl AnnexQuery {
    /// Every counted task of `scope` on `as_of`.
    pub fn on(as_of: Date, scope: Scope) -> AnnexQuery {
        AnnexQuery {
            as_of,
            open_since: None,
            scope,
            lead: None,
            pressing: false,
        }
    }
}

impl Store {
    /// Up to `limit` tasks of `query` with ids above `after`, as they stood at the end of its
    /// day (see the module notes). A page may hold fewer rows than `limit` when some of its
    /// tasks are not counted that day; only `next == None` means the end.
    ///
    /// The agency and the pressing tasks are chosen in SQL (the stored standings say which
    /// settled tasks are quá hạn or sắp đến hạn, as for the counts), so an agency's annex or an
    /// urging letter reads its own tasks, not the province's.
    pub async fn annex_page(
        &self,
        query: &AnnexQuery,
        after: Option<TaskId>,
        limit: u32,
        calendar: &Calendar,
        settings: &Settings,
    ) -> Result<AnnexPage> {
        let AnnexQuery {
            as_of, open_since, ..
        } = *query;
        let mut tx = self.pool.snapshot().await?;
        let (predicate, mut binds) = scope_filter(query.scope);
        let param = |binds: &mut Vec<Value>, v: Value| {
            binds.push(v);
            format!("${}", binds.len())
        };
        let p_after = param(&mut binds, after.map_or(0, |t| t.0).into());
        // Whether `{task}` is led by the agency asked for.
        let led = query.lead.map(|lead| {
            let p = param(&mut binds, lead.0.into());
            (
                p.clone(),
                format!(
                    "EXISTS (SELECT 1 FROM task_assignment fa WHERE fa.task_id = {{task}} \
                     AND fa.role = 'lead' AND fa.agency_id = {p})"
                ),
            )
        });
        let led_t = led
            .as_ref()
            .map_or("1 = 1".to_owned(), |(_, e)| e.replace("{task}", "t.id"));
        let candidates = if crate::standing::usable(&mut tx, calendar).await? {
            // The page's tasks are chosen from the stored standings (a narrow table), leaving
            // out those settled by that day that the annex would drop anyway: cancelled,
            // closed throughout the period, not pressing for an urging letter. The others
            // are judged below like every task. Walking the tasks themselves instead read
            // most of a million rows to find a month's open tasks.
            let p_as_of = param(&mut binds, as_of.to_string().into());
            let mut dropped = vec!["s.status = 'huy'".to_owned()];
            if let Some(first) = open_since {
                let p_first = param(&mut binds, first.to_string().into());
                dropped.push(format!(
                    "(s.status = 'hoan_thanh' AND s.status_since < {p_first})"
                ));
            }
            if query.pressing {
                let soon =
                    workflow::due_soon_before(calendar, as_of, settings.near_due_working_days)
                        .map_err(calendar_error)?;
                let p_soon = param(&mut binds, soon.to_string().into());
                dropped.push(format!(
                    "NOT (s.verdict IN ('qua_han', 'sap_den_han') \
                     OR (s.verdict IS NULL AND s.due_day < {p_soon}))"
                ));
            }
            let within = match query.scope {
                Scope::All => "1 = 1".to_owned(),
                _ => format!("s.task_id IN (SELECT t.id FROM task t WHERE {predicate})"),
            };
            let led_s = led.as_ref().map_or("1 = 1".to_owned(), |(p, e)| {
                format!(
                    "(s.lead_agency_id = {p} OR (s.leads <> 1 AND {}))",
                    e.replace("{task}", "s.task_id")
                )
            });
            let standings = format!(
                "SELECT s.task_id AS id FROM task_standing s WHERE s.task_id > {p_after} AND {within} \
                 AND {led_s} AND NOT (s.from_day <= {p_as_of} AND ({}))",
                dropped.join(" OR ")
            );
            if crate::standing::missing_any(&mut tx).await? {
                format!(
                    "{standings} UNION SELECT t.id FROM task t WHERE {predicate} AND t.id > {p_after} \
                     AND {led_t} AND NOT EXISTS (SELECT 1 FROM task_standing s WHERE s.task_id = t.id)"
                )
            } else {
                standings
            }
        } else {
            format!(
                "SELECT t.id AS id FROM task t WHERE {predicate} AND t.id > {p_after} AND {led_t}"
            )
        };
        let p_limit = param(&mut binds, i64::from(limit.max(1)).into());
        let ids: Vec<i64> = tx
            .all(binds.into_iter().fold(
                q(format!(
                    "SELECT id FROM ({candidates}) c ORDER BY id LIMIT {p_limit}"
                )),
                Q::bind,
            ))
            .await?
            .iter()
            .map(|r| r.int(0))
            .collect::<Result<_>>()?;
        let Some(&last) = ids.last() else {
            return Ok(AnnexPage {
                rows: Vec::new(),
                next: None,
            });
        };
        // Integers read above: safe to list in the statements.
        let list = ids
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let tasks = tx
            .all(q(format!(
                "SELECT t.id, t.created_at, d.issued_on, COALESCE(d.code, d.file_name), t.outline_id, t.text \
                 FROM task t JOIN document d ON d.id = t.document_id WHERE t.id IN ({list}) ORDER BY t.id"
            )))
            .await?;
        let histories = histories(&mut tx, &list).await?;
        // The deadlines' words, in the order of the records (the histories carry no text).
        let deadline_texts = tx
            .all(q(format!(
                "SELECT task_id, text FROM task_deadline WHERE task_id IN ({list}) ORDER BY task_id, id"
            )))
            .await?;
        let parties = tx
            .all(q(format!(
                "SELECT a.task_id, a.role, a.agency_id, a.name, g.name FROM task_assignment a \
                 LEFT JOIN agency g ON g.id = a.agency_id WHERE a.task_id IN ({list}) \
                 ORDER BY a.task_id, CASE a.role WHEN 'lead' THEN 0 ELSE 1 END, a.position, a.id"
            )))
            .await?;
        let reports = tx
            .all(q(format!(
                "SELECT task_id, reported_at, percent, content FROM progress_report \
                 WHERE task_id IN ({list}) ORDER BY task_id, id"
            )))
            .await?;
        let (mut di, mut pi, mut ri) = (0, 0, 0);
        let mut rows = Vec::new();
        for t in &tasks {
            let task = t.int(0)?;
            let created: Timestamp = t.parsed(1)?;
            let assigned_on = t.opt_date(2)?.unwrap_or(created.date_in_vietnam());
            let past = histories.of(task);
            let (history, records) = (&past.changes, past.deadlines(assigned_on));
            let texts = rows_of(&deadline_texts, &mut di, task)?
                .iter()
                .map(|d| d.opt_text(1))
                .collect::<Result<Vec<_>>>()?;
            let (mut leads, mut supports) = (Vec::new(), Vec::new());
            for p in rows_of(&parties, &mut pi, task)? {
                let name = p.opt_text(4)?.unwrap_or(p.text(3)?);
                if p.text(1)? == "lead" {
                    leads.push((p.opt_int(2)?.map(AgencyId), name));
                } else {
                    supports.push(name);
                }
            }
            let mut latest_report = None;
            for r in rows_of(&reports, &mut ri, task)? {
                let on = r.parsed::<Timestamp>(1)?.date_in_vietnam();
                if on <= as_of {
                    latest_report = Some(LatestReport {
                        on,
                        percent: r.opt_int(2)?.and_then(|p| u8::try_from(p).ok()),
                        content: r.text(3)?,
                    });
                }
            }
            // The same judgement as the counts (counting.rs), so annex and counts agree.
            if open_since.is_some_and(|first| closed_throughout(history, assigned_on, first, as_of))
            {
                continue;
            }
            let Some(assessment) =
                assess(history, &records, assigned_on, as_of, calendar, settings)?
            else {
                continue;
            };
            let (status, _, _) = standing(history, assigned_on, as_of);
            let due_on = workflow::deadline_in_force(&records, as_of);
            // The words of the deadline recorded last by that day (else the first one), for
            // deadlines that are not dates.
            let in_force = records
                .iter()
                .rposition(|r| r.recorded_on <= as_of)
                .or(if records.is_empty() { None } else { Some(0) });
            let deadline_text = in_force.and_then(|i| texts[i].clone());
            rows.push(AnnexRow {
                task: TaskId(task),
                document: t.text(3)?,
                outline_id: t.text(4)?,
                text: t.text(5)?,
                leads,
                supports,
                due_on,
                deadline_text,
                status,
                assessment,
                latest_report,
            });
        }
        let next = (ids.len() as u64 >= u64::from(limit.max(1))).then_some(TaskId(last));
        Ok(AnnexPage { rows, next })
    }
}

/// A progress report quoted in a report's narrative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotedReport {
    /// The task's outline path in its document.
    pub outline_id: String,
    /// The code of the document that assigned it (the file name when it has none).
    pub document: String,
    /// The day it was filed (Vietnam's calendar).
    pub on: Date,
    /// What the agency wrote.
    pub content: String,
}

/// Progress reports read per round by [`Store::latest_reports_by_lead`].
const QUOTE_ROUND: i64 = 2_000;

impl Store {
    /// For each lead party of the tasks of `scope`, the progress reports on its tasks filed in
    /// `first..=last` (Vietnam's days), newest first, one per task, at most `per_lead`: what a
    /// period report's narrative quotes. Keyed by the lead's name as the annex writes it (the
    /// agency's name now, else the name assigned). Read from the end of the period back, and
    /// only until every lead in `leads` has its `per_lead` (or the period is read), so a
    /// month's report over a million tasks reads a month's reports at most.
    pub async fn latest_reports_by_lead(
        &self,
        (first, last): (Date, Date),
        scope: Scope,
        lead: Option<AgencyId>,
        leads: &[String],
        per_lead: usize,
    ) -> Result<std::collections::HashMap<String, Vec<QuotedReport>>> {
        use std::collections::{HashMap, HashSet};
        let mut quoted: HashMap<String, Vec<QuotedReport>> = HashMap::new();
        let mut seen: HashSet<(String, i64)> = HashSet::new();
        let mut wanting: HashSet<&str> = leads.iter().map(String::as_str).collect();
        if per_lead == 0 || wanting.is_empty() {
            return Ok(quoted);
        }
        let mut tx = self.pool.snapshot().await?;
        let (predicate, scope_binds) = scope_filter(scope);
        let from = Timestamp::in_vietnam(first, 0, 0).to_string();
        // Keyset: (reported_at, id) below the last row read.
        let mut before = (
            Timestamp::in_vietnam(last.add_days(1), 0, 0).to_string(),
            i64::MAX,
        );
        loop {
            let mut binds = scope_binds.clone();
            let mut param = |v: Value| {
                binds.push(v);
                format!("${}", binds.len())
            };
            let (p_from, p_at, p_id) = (
                param(from.clone().into()),
                param(before.0.clone().into()),
                param(before.1.into()),
            );
            let only = match lead {
                Some(a) => format!("AND a.agency_id = {}", param(a.0.into())),
                None => String::new(),
            };
            let rows = tx
                .all(binds.into_iter().fold(
                    q(format!(
                        "SELECT r.id, r.reported_at, r.task_id, r.content, t.outline_id, COALESCE(d.code, d.file_name), \
                         COALESCE(g.name, a.name) \
                         FROM progress_report r JOIN task t ON t.id = r.task_id JOIN document d ON d.id = t.document_id \
                         JOIN task_assignment a ON a.task_id = r.task_id AND a.role = 'lead' \
                         LEFT JOIN agency g ON g.id = a.agency_id \
                         WHERE {predicate} AND r.reported_at >= {p_from} \
                         AND (r.reported_at < {p_at} OR (r.reported_at = {p_at} AND r.id < {p_id})) {only} \
                         ORDER BY r.reported_at DESC, r.id DESC LIMIT {QUOTE_ROUND}"
                    )),
                    Q::bind,
                ))
                .await?;
            for r in &rows {
                before = (r.text(1)?, r.int(0)?);
                let name = r.text(6)?;
                if !wanting.contains(name.as_str()) || !seen.insert((name.clone(), r.int(2)?)) {
                    continue;
                }
                let list = quoted.entry(name.clone()).or_default();
                list.push(QuotedReport {
                    outline_id: r.text(4)?,
                    document: r.text(5)?,
                    on: r.parsed::<Timestamp>(1)?.date_in_vietnam(),
                    content: r.text(3)?,
                });
                if list.len() >= per_lead {
                    wanting.remove(name.as_str());
                }
            }
            if wanting.is_empty() || (rows.len() as i64) < QUOTE_ROUND {
                return Ok(quoted);
            }
        }
    }
}
