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
use crate::db::{Q, q};
use crate::error::Result;
use crate::time::Timestamp;
use crate::tracking::{
    Scope, assess, closed_before, deadlines_of, history_of, rows_of, scope_filter, standing,
};
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

impl Store {
    /// Up to `limit` tasks of `scope` with ids above `after`, as they stood at the end of
    /// `as_of` (see the module notes), leaving out, when `open_since` is given, the tasks
    /// already completed or cancelled before that day (a period report's rule). A page may
    /// hold fewer rows than `limit` when some of its tasks are not counted that day; only
    /// `next == None` means the end.
    pub async fn annex_page(
        &self,
        (open_since, as_of): (Option<Date>, Date),
        scope: Scope,
        after: Option<TaskId>,
        limit: u32,
        calendar: &Calendar,
        settings: &Settings,
    ) -> Result<AnnexPage> {
        let mut tx = self.pool.snapshot().await?;
        let (predicate, binds) = scope_filter(scope);
        // The scope's parameters come first; the page's follow them.
        let n = binds.len();
        let (p_after, p_second) = (format!("${}", n + 1), format!("${}", n + 2));
        let with_scope = |sql: String| binds.iter().cloned().fold(q(sql), Q::bind);
        let after = after.map_or(0, |t| t.0);
        let tasks = tx
            .all(
                with_scope(format!(
                    "SELECT t.id, t.created_at, d.issued_on, COALESCE(d.code, d.file_name), t.outline_id, t.text \
                     FROM task t JOIN document d ON d.id = t.document_id \
                     WHERE {predicate} AND t.id > {p_after} ORDER BY t.id LIMIT {p_second}"
                ))
                .bind(after)
                .bind(i64::from(limit.max(1))),
            )
            .await?;
        let Some(last) = tasks.last().map(|t| t.int(0)).transpose()? else {
            return Ok(AnnexPage {
                rows: Vec::new(),
                next: None,
            });
        };
        // The same window for every side table: tasks of the scope in (after, last].
        let window = format!("{predicate} AND t.id > {p_after} AND t.id <= {p_second}");
        let side = |sql: String| with_scope(sql).bind(after).bind(last);
        let changes = tx
            .all(side(format!(
                "SELECT c.task_id, c.to_status, c.on_date FROM task_status_change c JOIN task t ON t.id = c.task_id \
                 WHERE {window} ORDER BY c.task_id, c.id"
            )))
            .await?;
        let deadlines = tx
            .all(side(format!(
                "SELECT l.task_id, l.due_on, l.recorded_at, l.source, l.text FROM task_deadline l JOIN task t ON t.id = l.task_id \
                 WHERE {window} ORDER BY l.task_id, l.id"
            )))
            .await?;
        let parties = tx
            .all(side(format!(
                "SELECT a.task_id, a.role, a.agency_id, a.name, g.name FROM task_assignment a JOIN task t ON t.id = a.task_id \
                 LEFT JOIN agency g ON g.id = a.agency_id WHERE {window} \
                 ORDER BY a.task_id, CASE a.role WHEN 'lead' THEN 0 ELSE 1 END, a.position, a.id"
            )))
            .await?;
        let reports = tx
            .all(side(format!(
                "SELECT r.task_id, r.reported_at, r.percent, r.content FROM progress_report r JOIN task t ON t.id = r.task_id \
                 WHERE {window} ORDER BY r.task_id, r.id"
            )))
            .await?;
        let (mut ci, mut di, mut pi, mut ri) = (0, 0, 0, 0);
        let mut rows = Vec::new();
        for t in &tasks {
            let task = t.int(0)?;
            let created: Timestamp = t.parsed(1)?;
            let assigned_on = t.opt_date(2)?.unwrap_or(created.date_in_vietnam());
            let history = history_of(rows_of(&changes, &mut ci, task)?)?;
            let deadline_rows = rows_of(&deadlines, &mut di, task)?;
            let records = deadlines_of(deadline_rows, assigned_on)?;
            let texts = deadline_rows
                .iter()
                .map(|d| d.opt_text(4))
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
            // The same judgement as the counts (tracking.rs), so annex and counts agree.
            if open_since.is_some_and(|first| closed_before(&history, assigned_on, first)) {
                continue;
            }
            let Some(assessment) =
                assess(&history, &records, assigned_on, as_of, calendar, settings)?
            else {
                continue;
            };
            let (status, _, _) = standing(&history, assigned_on, as_of);
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
        let next = (tasks.len() as u64 >= u64::from(limit.max(1))).then_some(TaskId(last));
        Ok(AnnexPage { rows, next })
    }
}
