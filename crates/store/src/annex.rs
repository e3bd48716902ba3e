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
use workflow::{Assessment, DeadlineRecord, Settings, Status, TaskFacts};

use crate::Store;
use crate::db::q;
use crate::error::{Error, Result};
use crate::time::Timestamp;
use crate::tracking::Scope;
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
    /// `as_of` (see the module notes). A page may hold fewer rows than `limit` when some of
    /// its tasks are not counted that day; only `next == None` means the end.
    pub async fn annex_page(
        &self,
        as_of: Date,
        scope: Scope,
        after: Option<TaskId>,
        limit: u32,
        calendar: &Calendar,
        settings: &Settings,
    ) -> Result<AnnexPage> {
        let mut tx = self.pool.snapshot().await?;
        let (predicate, filter) = match scope {
            Scope::All => ("$1 = 0", 0),
            Scope::Document(d) => ("t.document_id = $1", d.0),
            Scope::ImplementingTask(t) => ("t.parent_task_id = $1", t.0),
        };
        let after = after.map_or(0, |t| t.0);
        let tasks = tx
            .all(
                q(format!(
                    "SELECT t.id, t.created_at, d.issued_on, COALESCE(d.code, d.file_name), t.outline_id, t.text \
                     FROM task t JOIN document d ON d.id = t.document_id \
                     WHERE {predicate} AND t.id > $2 ORDER BY t.id LIMIT $3"
                ))
                .bind(filter)
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
        let window = format!("{predicate} AND t.id > $2 AND t.id <= $3");
        let side = |sql: String| q(sql).bind(filter).bind(after).bind(last);
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
            // As in official_counts: the status at the end of `as_of` is the last change on or
            // before it, and a confirmed completion keeps the day it was reported.
            let (mut status, mut since, mut reported_done_on) =
                (Status::ChuaThucHien, assigned_on, None);
            while ci < changes.len() && changes[ci].int(0)? == task {
                let to = status_of(&changes[ci].text(1)?)?;
                let on = crate::db::parse_date(&changes[ci].text(2)?)?;
                if on <= as_of {
                    if to == Status::ChoXacNhan {
                        reported_done_on = Some(on);
                    } else if to != Status::HoanThanh {
                        reported_done_on = None;
                    }
                    (status, since) = (to, on);
                }
                ci += 1;
            }
            let mut records = Vec::new();
            let mut texts = Vec::new();
            while di < deadlines.len() && deadlines[di].int(0)? == task {
                let recorded_on = if deadlines[di].text(3)? == "document" {
                    assigned_on
                } else {
                    deadlines[di].parsed::<Timestamp>(2)?.date_in_vietnam()
                };
                records.push(DeadlineRecord {
                    recorded_on,
                    due_on: deadlines[di].opt_date(1)?,
                });
                texts.push(deadlines[di].opt_text(4)?);
                di += 1;
            }
            let (mut leads, mut supports) = (Vec::new(), Vec::new());
            while pi < parties.len() && parties[pi].int(0)? == task {
                let p = &parties[pi];
                let name = p.opt_text(4)?.unwrap_or(p.text(3)?);
                if p.text(1)? == "lead" {
                    leads.push((p.opt_int(2)?.map(AgencyId), name));
                } else {
                    supports.push(name);
                }
                pi += 1;
            }
            let mut latest_report = None;
            while ri < reports.len() && reports[ri].int(0)? == task {
                let r = &reports[ri];
                let on = r.parsed::<Timestamp>(1)?.date_in_vietnam();
                if on <= as_of {
                    latest_report = Some(LatestReport {
                        on,
                        percent: r.opt_int(2)?.and_then(|p| u8::try_from(p).ok()),
                        content: r.text(3)?,
                    });
                }
                ri += 1;
            }
            let facts = TaskFacts {
                assigned_on,
                status,
                status_since: since,
                reported_done_on,
                deadlines: &records,
            };
            let Some(assessment) = facts
                .assess(as_of, calendar, settings)
                .map_err(calendar_error)?
            else {
                continue;
            };
            let due_on = facts.deadline_in_force(as_of);
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

fn status_of(code: &str) -> Result<Status> {
    Status::from_code(code).ok_or_else(|| Error::Invalid {
        what: "trạng thái tiến độ",
        value: code.to_owned(),
    })
}

fn calendar_error(e: vn_calendar::Error) -> Error {
    Error::Invalid {
        what: "ngày (ngoài lịch 1900–2199)",
        value: e.to_string(),
    }
}
