//! The tracking workflow on stored tasks: transitions, hand-over to an officer, extensions, and
//! the readers of a task's history that the counts (`counting.rs`) replay.
//!
//! The rules are the `workflow` crate's; this module only gathers the facts they need from the
//! database (who the person is in relation to the task, the status history, the deadline
//! history), applies them, and records the outcome with its audit row in one transaction. So a
//! rule is enforced here for every caller — command line, API, scheduler — and a refusal writes
//! nothing.
//!
//! Every change carries the moment it is made (`at`), passed in rather than read from the
//! clock: the day it counts from (Vietnam's calendar day of `at`) decides timeliness, and tests
//! and imports of past work need to set it.

use std::collections::HashMap;

use serde_json::json;
use vn_calendar::{Calendar, Date};
use workflow::{Action, ActionKind, DeadlineRecord, Role, Roles, Settings, Status, TaskFacts, Who};

use crate::Store;
use crate::audit;
use crate::db::{Row, Tx, q};
use crate::error::{Error, Result};
use crate::time::Timestamp;
use crate::types::{Actor, AgencyId, AgencyKind, ExtensionId, TaskId, UserId};

/// One change of a task's progress status.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StatusChange {
    /// The action taken (`report_done`, `confirm`, …).
    pub action: String,
    /// Status before.
    pub from: Status,
    /// Status after.
    pub to: Status,
    /// The day it counts from.
    #[serde(serialize_with = "crate::time::serialize_date")]
    pub on: Date,
    /// When it was recorded.
    pub at: Timestamp,
    /// Who did it.
    pub by: Option<UserId>,
    /// The reason given, when the rule asks for one.
    pub reason: Option<String>,
}

/// A request for a later deadline, and its decision.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Extension {
    /// Its id.
    pub id: ExtensionId,
    /// The task.
    pub task: TaskId,
    /// Who asked.
    pub requested_by: UserId,
    /// When.
    pub requested_at: Timestamp,
    /// The due date in force when asked.
    #[serde(serialize_with = "crate::time::serialize_date")]
    pub current_due_on: Date,
    /// The date asked for.
    #[serde(serialize_with = "crate::time::serialize_date")]
    pub proposed_due_on: Date,
    /// Why.
    pub reason: String,
    /// `approved`, `refused`, or `None` while pending.
    pub decision: Option<String>,
    /// Who decided.
    pub decided_by: Option<UserId>,
    /// When.
    pub decided_at: Option<Timestamp>,
    /// The decision's note.
    pub decision_note: Option<String>,
}

/// A task's row as the rules need it.
struct TaskRow {
    status: Status,
    assigned_officer: Option<i64>,
    reported_done_by: Option<i64>,
    monitor_agency: Option<String>,
    /// The issuer is a central body (a ministry, the Prime Minister): no provincial leader
    /// may withdraw its tasks.
    central_issuer: bool,
}

impl Store {
    /// What `user` may do to `task` now: the buttons a screen should show.
    pub async fn allowed_actions(&self, task: TaskId, user: UserId) -> Result<Vec<ActionKind>> {
        let mut tx = self.pool.read().await?;
        let row = task_row(&mut tx, task).await?;
        let who = who(&mut tx, task, user, &row).await?;
        Ok(workflow::allowed(row.status, &who))
    }

    /// Applies `action` to `task` on behalf of `user` at `at`, if the rules allow it; returns
    /// the new status. A refusal is [`Error::Refused`] and writes nothing.
    pub async fn transition(
        &self,
        task: TaskId,
        action: &Action,
        user: UserId,
        at: Timestamp,
    ) -> Result<Status> {
        let mut tx = self.pool.write().await?;
        let row = task_row(&mut tx, task).await?;
        let who = who(&mut tx, task, user, &row).await?;
        // Resume returns to where the task was before it was suspended.
        let resolved;
        let action = match action {
            Action::Resume { previous: None } => {
                let previous = tx
                    .optional(
                        q("SELECT from_status FROM task_status_change WHERE task_id = $1 AND to_status = 'tam_hoan' ORDER BY id DESC LIMIT 1")
                            .bind(task.0),
                    )
                    .await?
                    .map(|r| r.text(0))
                    .transpose()?
                    .and_then(|s| Status::from_code(&s));
                resolved = Action::Resume { previous };
                &resolved
            }
            other => other,
        };
        let next = workflow::apply(row.status, action, &who).map_err(Error::refused)?;
        let reported_by = match action.kind() {
            ActionKind::ReportDone => Some(user.0),
            ActionKind::Return | ActionKind::Reopen | ActionKind::Reassign => None,
            _ => row.reported_done_by,
        };
        tx.execute(
            q("UPDATE task SET status = $1, reported_done_by = $2 WHERE id = $3")
                .bind(next.code())
                .bind(reported_by)
                .bind(task.0),
        )
        .await?;
        record_change(&mut tx, task, action, row.status, next, user, at).await?;
        tx.commit().await?;
        Ok(next)
    }

    /// The monitor reassigns a refused task to `lead`: the task returns to chưa thực hiện with
    /// `lead` as its only lead (support rows stay), and the officer it was handed to is cleared.
    pub async fn reassign(
        &self,
        task: TaskId,
        lead: AgencyId,
        user: UserId,
        at: Timestamp,
    ) -> Result<()> {
        let mut tx = self.pool.write().await?;
        let row = task_row(&mut tx, task).await?;
        let who = who(&mut tx, task, user, &row).await?;
        let next = workflow::apply(row.status, &Action::Reassign, &who).map_err(Error::refused)?;
        let name = tx
            .optional(q("SELECT name FROM agency WHERE id = $1").bind(lead.0))
            .await?
            .ok_or_else(|| Error::NotFound {
                what: "cơ quan",
                id: lead.to_string(),
            })?
            .text(0)?;
        let before: Vec<String> = tx
            .all(q("SELECT name FROM task_assignment WHERE task_id = $1 AND role = 'lead' ORDER BY position").bind(task.0))
            .await?
            .iter()
            .map(|r| r.text(0))
            .collect::<Result<_>>()?;
        tx.execute(
            q("DELETE FROM task_assignment WHERE task_id = $1 AND role = 'lead'").bind(task.0),
        )
        .await?;
        tx.execute(
            q("INSERT INTO task_assignment (task_id, role, position, party_kind, name, original_agency_id, agency_id) \
               VALUES ($1, 'lead', 0, 'agency', $2, $3, $3)")
            .bind(task.0)
            .bind(name.as_str())
            .bind(lead.0),
        )
        .await?;
        tx.execute(
            q("UPDATE task SET status = $1, assigned_officer_id = NULL, reported_done_by = NULL WHERE id = $2")
                .bind(next.code())
                .bind(task.0),
        )
        .await?;
        record_change(&mut tx, task, &Action::Reassign, row.status, next, user, at).await?;
        audit::record(
            &mut tx,
            Actor::User(user),
            "task",
            task,
            "reassign_lead",
            Some(json!({"lead": before})),
            Some(json!({"lead": [name]})),
        )
        .await?;
        tx.commit().await
    }

    /// The head of the lead agency hands the task to one of the agency's officers; the agency
    /// stays responsible.
    pub async fn hand_over(&self, task: TaskId, officer: UserId, user: UserId) -> Result<()> {
        let mut tx = self.pool.write().await?;
        let row = task_row(&mut tx, task).await?;
        let by = who(&mut tx, task, user, &row).await?;
        let to = who(&mut tx, task, officer, &row).await?;
        workflow::hand_over(row.status, &by, &to).map_err(Error::refused)?;
        tx.execute(
            q("UPDATE task SET assigned_officer_id = $1 WHERE id = $2")
                .bind(officer.0)
                .bind(task.0),
        )
        .await?;
        audit::record(
            &mut tx,
            Actor::User(user),
            "task",
            task,
            "hand_over",
            Some(json!({"officer": row.assigned_officer})),
            Some(json!({"officer": officer})),
        )
        .await?;
        tx.commit().await
    }

    /// The status changes of a task, oldest first.
    pub async fn status_history(&self, task: TaskId) -> Result<Vec<StatusChange>> {
        let mut tx = self.pool.read().await?;
        let rows = tx
            .all(
                q("SELECT action, from_status, to_status, on_date, at, by_user_id, reason FROM task_status_change \
                   WHERE task_id = $1 ORDER BY id")
                .bind(task.0),
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(StatusChange {
                    action: r.text(0)?,
                    from: status_of(&r.text(1)?)?,
                    to: status_of(&r.text(2)?)?,
                    on: crate::db::parse_date(&r.text(3)?)?,
                    at: r.parsed(4)?,
                    by: r.opt_int(5)?.map(UserId),
                    reason: r.opt_text(6)?,
                })
            })
            .collect()
    }

    /// The lead agency asks for a later deadline. Only before the due day in force, for an
    /// open task with a date deadline, with a reason, one request at a time.
    pub async fn request_extension(
        &self,
        task: TaskId,
        proposed: Date,
        reason: &str,
        user: UserId,
        at: Timestamp,
        calendar: &Calendar,
    ) -> Result<ExtensionId> {
        let mut tx = self.pool.write().await?;
        let row = task_row(&mut tx, task).await?;
        let who = who(&mut tx, task, user, &row).await?;
        let in_agency = who.in_lead_agency
            && (who.roles.contains(Role::AgencyHead)
                || (who.roles.contains(Role::AgencyOfficer) && who.is_assigned_officer));
        if !in_agency {
            return Err(rule(
                "extension_not_permitted",
                "Chỉ lãnh đạo hoặc cán bộ được giao của cơ quan chủ trì mới được xin gia hạn",
            ));
        }
        if !matches!(row.status, Status::ChuaThucHien | Status::DangThucHien) {
            return Err(rule(
                "extension_wrong_status",
                format!(
                    "Không thể xin gia hạn nhiệm vụ đang ở trạng thái \"{}\"",
                    row.status.label_vi()
                ),
            ));
        }
        if reason.trim().is_empty() {
            return Err(rule("reason_required", "Cần nêu lý do xin gia hạn"));
        }
        let Some(current) = current_due(&mut tx, task).await? else {
            return Err(rule(
                "extension_no_deadline",
                "Nhiệm vụ không có thời hạn cụ thể nên không cần gia hạn",
            ));
        };
        let today = at.date_in_vietnam();
        let due_day = workflow::due_day(calendar, current).map_err(calendar_error)?;
        if today >= due_day {
            return Err(rule(
                "extension_too_late",
                format!(
                    "Phải xin gia hạn trước ngày đến hạn ({}); hôm nay là {}",
                    vn_date(due_day),
                    vn_date(today)
                ),
            ));
        }
        if proposed <= current {
            return Err(rule(
                "extension_not_later",
                format!(
                    "Thời hạn đề nghị ({}) phải sau thời hạn hiện tại ({})",
                    vn_date(proposed),
                    vn_date(current)
                ),
            ));
        }
        let pending = tx
            .optional(
                q("SELECT id FROM extension_request WHERE task_id = $1 AND decision IS NULL")
                    .bind(task.0),
            )
            .await?;
        if pending.is_some() {
            return Err(rule(
                "extension_pending",
                "Nhiệm vụ đã có một đề nghị gia hạn đang chờ quyết định",
            ));
        }
        let id = tx
            .one(
                q("INSERT INTO extension_request (task_id, requested_by, requested_at, current_due_on, proposed_due_on, reason) \
                   VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
                .bind(task.0)
                .bind(user.0)
                .bind(at.to_string())
                .bind(current.to_string())
                .bind(proposed.to_string())
                .bind(reason.trim()),
            )
            .await?
            .int(0)?;
        audit::record(
            &mut tx,
            Actor::User(user),
            "extension_request",
            id,
            "create",
            None,
            Some(json!({"task": task, "current_due_on": current.to_string(), "proposed_due_on": proposed.to_string(), "reason": reason.trim()})),
        )
        .await?;
        tx.commit().await?;
        Ok(ExtensionId(id))
    }

    /// A leader of the issuing body approves or refuses a pending request. An approval makes
    /// the proposed date the deadline in force from the day of the decision.
    pub async fn decide_extension(
        &self,
        id: ExtensionId,
        approve: bool,
        note: Option<&str>,
        user: UserId,
        at: Timestamp,
    ) -> Result<()> {
        let mut tx = self.pool.write().await?;
        let request = tx
            .optional(q("SELECT task_id, proposed_due_on, reason, decision FROM extension_request WHERE id = $1").bind(id.0))
            .await?
            .ok_or_else(|| Error::NotFound { what: "đề nghị gia hạn", id: id.to_string() })?;
        let task = TaskId(request.int(0)?);
        if request.opt_text(3)?.is_some() {
            return Err(rule(
                "extension_decided",
                "Đề nghị gia hạn này đã được quyết định",
            ));
        }
        let row = task_row(&mut tx, task).await?;
        let who = who(&mut tx, task, user, &row).await?;
        if !(who.roles.contains(Role::Leader) && who.leads_issuer) {
            return Err(rule(
                "extension_decision_not_permitted",
                "Chỉ lãnh đạo cơ quan giao nhiệm vụ mới được quyết định gia hạn",
            ));
        }
        let decision = if approve { "approved" } else { "refused" };
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        tx.execute(
            q("UPDATE extension_request SET decision = $1, decided_by = $2, decided_at = $3, decision_note = $4 WHERE id = $5")
                .bind(decision)
                .bind(user.0)
                .bind(at.to_string())
                .bind(note)
                .bind(id.0),
        )
        .await?;
        if approve {
            let proposed = request.text(1)?;
            let reason = request.text(2)?;
            tx.execute(
                q("INSERT INTO task_deadline (task_id, kind, due_on, text, source, reason, recorded_at, recorded_by) \
                   VALUES ($1, 'date', $2, NULL, 'extension', $3, $4, $5)")
                .bind(task.0)
                .bind(proposed.as_str())
                .bind(reason.as_str())
                .bind(at.to_string())
                .bind(user.0),
            )
            .await?;
            crate::standing::refresh(&mut tx, &[task.0]).await?;
        }
        audit::record(
            &mut tx,
            Actor::User(user),
            "extension_request",
            id,
            decision,
            Some(json!({"decision": null})),
            Some(json!({"decision": decision, "note": note})),
        )
        .await?;
        tx.commit().await
    }

    /// The extension requests of a task, oldest first.
    pub async fn extensions(&self, task: TaskId) -> Result<Vec<Extension>> {
        let mut tx = self.pool.read().await?;
        let rows = tx
            .all(
                q("SELECT id, task_id, requested_by, requested_at, current_due_on, proposed_due_on, reason, decision, \
                   decided_by, decided_at, decision_note FROM extension_request WHERE task_id = $1 ORDER BY id")
                .bind(task.0),
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Extension {
                    id: ExtensionId(r.int(0)?),
                    task: TaskId(r.int(1)?),
                    requested_by: UserId(r.int(2)?),
                    requested_at: r.parsed(3)?,
                    current_due_on: crate::db::parse_date(&r.text(4)?)?,
                    proposed_due_on: crate::db::parse_date(&r.text(5)?)?,
                    reason: r.text(6)?,
                    decision: r.opt_text(7)?,
                    decided_by: r.opt_int(8)?.map(UserId),
                    decided_at: r.opt_parsed(9)?,
                    decision_note: r.opt_text(10)?,
                })
            })
            .collect()
    }
}

/// The status and deadline histories of a round of tasks, as the rules read them.
#[derive(Default)]
pub(crate) struct Histories(HashMap<i64, TaskHistory>);

/// One task's histories, oldest first.
#[derive(Default)]
pub(crate) struct TaskHistory {
    /// Its status changes as `(status, day it counts from)`.
    pub(crate) changes: Vec<(Status, Date)>,
    /// Its deadline rows as `(source, recorded_at, due_on)`.
    deadlines: Vec<(String, Timestamp, Option<Date>)>,
}

impl TaskHistory {
    /// The deadline records of a task assigned on `assigned_on`.
    pub(crate) fn deadlines(&self, assigned_on: Date) -> Vec<DeadlineRecord> {
        self.deadlines
            .iter()
            .map(|(source, at, due)| deadline_record(source, *at, *due, assigned_on))
            .collect()
    }
}

impl Histories {
    /// The histories of `task`: empty when it has none (or was not read).
    pub(crate) fn of(&self, task: i64) -> &TaskHistory {
        static NONE: TaskHistory = TaskHistory {
            changes: Vec::new(),
            deadlines: Vec::new(),
        };
        self.0.get(&task).unwrap_or(&NONE)
    }
}

/// Reads the histories of the tasks in `list` (ids read from the database, joined by commas)
/// with one row per task, each history folded into a string in the database: a row per change
/// cost a hand-over between threads each (sqlx runs SQLite on its own thread), which was most
/// of the time of replaying sixty thousand tasks (issue #11). The strings hold only codes,
/// dates and instants, which contain neither separator.
pub(crate) async fn histories(tx: &mut Tx, list: &str) -> Result<Histories> {
    let rows = tx
        .all(q(format!(
            "SELECT t.id, \
             (SELECT string_agg(c.to_status || ' ' || c.on_date, ',' ORDER BY c.id) \
              FROM task_status_change c WHERE c.task_id = t.id), \
             (SELECT string_agg(COALESCE(d.due_on, '-') || ' ' || d.recorded_at || ' ' || d.source, ',' ORDER BY d.id) \
              FROM task_deadline d WHERE d.task_id = t.id) \
             FROM task t WHERE t.id IN ({list})"
        )))
        .await?;
    let mut out = HashMap::with_capacity(rows.len());
    for r in rows {
        let mut history = TaskHistory::default();
        for change in r.opt_text(1)?.iter().flat_map(|s| s.split(',')) {
            let (status, day) = change.split_once(' ').ok_or_else(|| malformed(change))?;
            history
                .changes
                .push((status_of(status)?, crate::db::parse_date(day)?));
        }
        for deadline in r.opt_text(2)?.iter().flat_map(|s| s.split(',')) {
            let mut parts = deadline.splitn(3, ' ');
            let (Some(due), Some(at), Some(source)) = (parts.next(), parts.next(), parts.next())
            else {
                return Err(malformed(deadline));
            };
            let due = (due != "-")
                .then(|| crate::db::parse_date(due))
                .transpose()?;
            history
                .deadlines
                .push((source.to_owned(), at.parse()?, due));
        }
        out.insert(r.int(0)?, history);
    }
    Ok(Histories(out))
}

fn malformed(value: &str) -> Error {
    Error::Invalid {
        what: "lịch sử nhiệm vụ",
        value: value.to_owned(),
    }
}

/// The rows of `task` in `rows` (ordered by task id), starting at `*at`; moves `*at` past
/// them. Side tables are read once per page and walked alongside the tasks this way.
pub(crate) fn rows_of<'r>(rows: &'r [Row], at: &mut usize, task: i64) -> Result<&'r [Row]> {
    let start = *at;
    while *at < rows.len() && rows[*at].int(0)? == task {
        *at += 1;
    }
    Ok(&rows[start..*at])
}

/// Where a task stood at the end of `day`, rebuilt from its status history (`(status, day
/// it counts from)`, oldest first): the last change on or before `day`; a completion keeps
/// the day it was reported, which is the day its timeliness is judged on.
pub(crate) fn standing(
    history: &[(Status, Date)],
    assigned_on: Date,
    day: Date,
) -> (Status, Date, Option<Date>) {
    let (mut status, mut since, mut reported_done_on) = (Status::ChuaThucHien, assigned_on, None);
    for &(to, on) in history.iter().filter(|(_, on)| *on <= day) {
        if to == Status::ChoXacNhan {
            reported_done_on = Some(on);
        } else if to != Status::HoanThanh {
            reported_done_on = None;
        }
        (status, since) = (to, on);
    }
    (status, since, reported_done_on)
}

/// Whether the task was completed or cancelled before `first` and stayed so until `last`:
/// a report on the period `first..=last` leaves it out, since it was never open then. (A task
/// reopened in the period, even if closed again, was open in it.)
pub(crate) fn closed_throughout(
    history: &[(Status, Date)],
    assigned_on: Date,
    first: Date,
    last: Date,
) -> bool {
    let (status, since, _) = standing(history, assigned_on, last);
    matches!(status, Status::HoanThanh | Status::Huy) && since < first
}

/// A deadline row as the rules read it. The document's own deadline is in force from the
/// day the document was issued, not from the day it was imported.
pub(crate) fn deadline_record(
    source: &str,
    recorded_at: Timestamp,
    due_on: Option<Date>,
    assigned_on: Date,
) -> DeadlineRecord {
    let recorded_on = if source == "document" {
        assigned_on
    } else {
        recorded_at.date_in_vietnam()
    };
    DeadlineRecord {
        recorded_on,
        due_on,
    }
}

/// A task's standing at the end of `as_of` under the workflow's rules; `None` when it is not
/// counted that day (not yet assigned, or cancelled).
pub(crate) fn assess(
    history: &[(Status, Date)],
    deadlines: &[DeadlineRecord],
    assigned_on: Date,
    as_of: Date,
    calendar: &Calendar,
    settings: &Settings,
) -> Result<Option<workflow::Assessment>> {
    let (status, since, reported_done_on) = standing(history, assigned_on, as_of);
    let facts = TaskFacts {
        assigned_on,
        status,
        status_since: since,
        reported_done_on,
        deadlines,
    };
    facts
        .assess(as_of, calendar, settings)
        .map_err(calendar_error)
}

/// The status, officer, reporter and monitor agency of a task.
async fn task_row(tx: &mut Tx, task: TaskId) -> Result<TaskRow> {
    let r = tx
        .optional(
            q("SELECT t.status, t.assigned_officer_id, t.reported_done_by, d.monitor_agency, d.issuer FROM task t \
               JOIN document d ON d.id = t.document_id WHERE t.id = $1")
            .bind(task.0),
        )
        .await?
        .ok_or_else(|| Error::NotFound { what: "nhiệm vụ", id: task.to_string() })?;
    let central_issuer = match r.opt_text(4)? {
        Some(issuer) => crate::directory::lookup(tx, &issuer)
            .await?
            .is_some_and(|(_, kind)| kind == AgencyKind::Central),
        None => false,
    };
    Ok(TaskRow {
        status: status_of(&r.text(0)?)?,
        assigned_officer: r.opt_int(1)?,
        reported_done_by: r.opt_int(2)?,
        monitor_agency: r.opt_text(3)?,
        central_issuer,
    })
}

/// Who `user` is in relation to `task`.
///
/// - In the lead agency: a member of an agency leading the task now, or of a member of a group
///   leading it ("Ủy ban nhân dân các huyện, thị xã, thành phố").
/// - Monitors the task: holds the monitor role and either belongs to no agency (the provincial
///   Office's staff, who monitor every document) or to the agency the document names to
///   monitor it.
/// - Leads the issuer: holds the leader role, and the document is the province's own (the
///   province's Chủ tịch and Phó Chủ tịch issue it), not a central body's.
async fn who(tx: &mut Tx, task: TaskId, user: UserId, row: &TaskRow) -> Result<Who> {
    let active = tx
        .optional(q("SELECT active FROM app_user WHERE id = $1").bind(user.0))
        .await?
        .ok_or_else(|| Error::NotFound {
            what: "người dùng",
            id: user.to_string(),
        })?
        .int(0)?;
    if active == 0 {
        return Err(rule("user_inactive", "Tài khoản đã bị khóa"));
    }
    let roles: Roles = tx
        .all(q("SELECT role FROM user_role WHERE user_id = $1").bind(user.0))
        .await?
        .iter()
        .filter_map(|r| r.text(0).ok().and_then(|c| Role::from_code(&c)))
        .collect();
    let agencies: Vec<(i64, String)> = tx
        .all(q("SELECT a.id, a.name FROM agency_membership m JOIN agency a ON a.id = m.agency_id WHERE m.user_id = $1").bind(user.0))
        .await?
        .iter()
        .map(|r| Ok((r.int(0)?, r.text(1)?)))
        .collect::<Result<_>>()?;
    let in_lead_agency = tx
        .optional(
            q("SELECT 1 FROM task_assignment a JOIN agency_membership m ON m.user_id = $2 \
               WHERE a.task_id = $1 AND a.role = 'lead' AND (a.agency_id = m.agency_id OR EXISTS \
               (SELECT 1 FROM agency_group_member g WHERE g.group_id = a.agency_id AND g.member_id = m.agency_id))")
            .bind(task.0)
            .bind(user.0),
        )
        .await?
        .is_some();
    let monitors_task = agencies.is_empty()
        || row.monitor_agency.as_deref().is_some_and(|m| {
            agencies
                .iter()
                .any(|(_, name)| vn_text::fold(name) == vn_text::fold(m))
        });
    Ok(Who {
        roles,
        in_lead_agency,
        is_assigned_officer: row.assigned_officer == Some(user.0),
        reported_done: row.reported_done_by == Some(user.0),
        monitors_task,
        leads_issuer: !row.central_issuer,
    })
}

async fn record_change(
    tx: &mut Tx,
    task: TaskId,
    action: &Action,
    from: Status,
    to: Status,
    user: UserId,
    at: Timestamp,
) -> Result<()> {
    let kind = action.kind().code();
    tx.execute(
        q("INSERT INTO task_status_change (task_id, action, from_status, to_status, on_date, at, by_user_id, reason) \
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(task.0)
        .bind(kind)
        .bind(from.code())
        .bind(to.code())
        .bind(at.date_in_vietnam().to_string())
        .bind(at.to_string())
        .bind(user.0)
        .bind(action.reason().map(str::to_owned)),
    )
    .await?;
    crate::standing::refresh(tx, &[task.0]).await?;
    audit::record(
        tx,
        Actor::User(user),
        "task",
        task,
        kind,
        Some(json!({"status": from.code()})),
        Some(json!({"status": to.code(), "reason": action.reason(), "on": at.date_in_vietnam().to_string()})),
    )
    .await
}

/// The date deadline in force now (the latest date or period deadline recorded).
async fn current_due(tx: &mut Tx, task: TaskId) -> Result<Option<Date>> {
    tx.optional(
        q("SELECT due_on FROM task_deadline WHERE task_id = $1 ORDER BY id DESC LIMIT 1")
            .bind(task.0),
    )
    .await?
    .map(|r| r.opt_date(0))
    .transpose()
    .map(Option::flatten)
}

pub(crate) fn status_of(code: &str) -> Result<Status> {
    Status::from_code(code).ok_or_else(|| Error::Invalid {
        what: "trạng thái tiến độ",
        value: code.to_owned(),
    })
}

fn rule(code: &'static str, message: impl Into<String>) -> Error {
    Error::Refused {
        code,
        message: message.into(),
    }
}

pub(crate) fn calendar_error(e: vn_calendar::Error) -> Error {
    Error::Invalid {
        what: "ngày (ngoài lịch 1900–2199)",
        value: e.to_string(),
    }
}

fn vn_date(d: Date) -> String {
    let (y, m, day) = d.ymd();
    format!("{day:02}/{m:02}/{y}")
}

/// Someone to remind.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Person {
    /// The account.
    pub id: UserId,
    /// Full name, for the greeting.
    pub full_name: String,
    /// Where e-mail goes, when the account has an address.
    pub email: Option<String>,
}

/// An open task with a date deadline, and who hears about it: what the reminder scheduler
/// works from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TaskToRemind {
    /// The task.
    pub task: TaskId,
    /// The code of its document (or the file name when it has none).
    pub document: String,
    /// Its outline path in the document.
    pub outline_id: String,
    /// The instruction.
    pub text: String,
    /// Its progress status.
    pub status: Status,
    /// The date deadline in force; `None` for a recurring task.
    #[serde(serialize_with = "crate::time::serialize_opt_date")]
    pub due_on: Option<Date>,
    /// For a recurring task, its period: `month`, `quarter` or `year`.
    pub every: Option<String>,
    /// The day its document assigned it.
    #[serde(serialize_with = "crate::time::serialize_date")]
    pub assigned_on: Date,
    /// The lead parties' names.
    pub leads: Vec<String>,
    /// The officer it was handed to.
    pub officer: Option<Person>,
    /// Heads of the lead agencies (or of the members of a lead group).
    pub heads: Vec<Person>,
    /// The people who monitor it.
    pub monitors: Vec<Person>,
}

impl Store {
    /// Every task that may need a reminder: chưa thực hiện or đang thực hiện, with a date
    /// deadline in force or a recurring one with a known period; with the active accounts to
    /// tell.
    pub async fn tasks_to_remind(&self) -> Result<Vec<TaskToRemind>> {
        let mut tx = self.pool.snapshot().await?;
        let tasks = tx
            .all(q(
                "SELECT t.id, COALESCE(d.code, d.file_name), t.outline_id, t.text, t.status, t.assigned_officer_id, d.monitor_agency, \
                 (SELECT l.due_on FROM task_deadline l WHERE l.task_id = t.id ORDER BY l.id DESC LIMIT 1), \
                 (SELECT l.every FROM task_deadline l WHERE l.task_id = t.id ORDER BY l.id DESC LIMIT 1), \
                 COALESCE(d.issued_on, SUBSTR(t.created_at, 1, 10)) \
                 FROM task t JOIN document d ON d.id = t.document_id \
                 WHERE t.status IN ('chua_thuc_hien', 'dang_thuc_hien') ORDER BY t.id",
            ))
            .await?;
        let leads = tx
            .all(q(
                "SELECT a.task_id, a.agency_id, a.name FROM task_assignment a JOIN task t ON t.id = a.task_id \
                 WHERE a.role = 'lead' AND t.status IN ('chua_thuc_hien', 'dang_thuc_hien') ORDER BY a.task_id, a.position",
            ))
            .await?;
        let members = tx
            .all(q("SELECT group_id, member_id FROM agency_group_member"))
            .await?;
        let people = tx
            .all(q(
                "SELECT u.id, u.full_name, u.email, r.role, m.agency_id, g.name FROM app_user u \
                 JOIN user_role r ON r.user_id = u.id LEFT JOIN agency_membership m ON m.user_id = u.id \
                 LEFT JOIN agency g ON g.id = m.agency_id WHERE u.active = 1 ORDER BY u.id",
            ))
            .await?;
        // (person, role, agency id, agency name folded)
        let mut accounts: Vec<(Person, String, Option<i64>, Option<String>)> = Vec::new();
        for r in &people {
            let person = Person {
                id: UserId(r.int(0)?),
                full_name: r.text(1)?,
                email: r.opt_text(2)?,
            };
            accounts.push((
                person,
                r.text(3)?,
                r.opt_int(4)?,
                r.opt_text(5)?.map(|n| vn_text::fold(&n)),
            ));
        }
        let mut group_members: std::collections::HashMap<i64, Vec<i64>> =
            std::collections::HashMap::new();
        for r in &members {
            group_members.entry(r.int(0)?).or_default().push(r.int(1)?);
        }
        let mut out = Vec::new();
        let mut li = 0;
        for t in &tasks {
            let task = t.int(0)?;
            let mut lead_names = Vec::new();
            let mut lead_agencies = Vec::new();
            while li < leads.len() && leads[li].int(0)? < task {
                li += 1;
            }
            while li < leads.len() && leads[li].int(0)? == task {
                lead_names.push(leads[li].text(2)?);
                if let Some(a) = leads[li].opt_int(1)? {
                    lead_agencies.push(a);
                    lead_agencies.extend(group_members.get(&a).into_iter().flatten());
                }
                li += 1;
            }
            let (due_on, every) = (t.opt_date(7)?, t.opt_text(8)?);
            if due_on.is_none() && every.is_none() {
                continue;
            }
            let officer_id = t.opt_int(5)?;
            let monitor_agency = t.opt_text(6)?.map(|m| vn_text::fold(&m));
            let mut officer = None;
            let (mut heads, mut monitors): (Vec<Person>, Vec<Person>) = (Vec::new(), Vec::new());
            for (person, role, agency, agency_name) in &accounts {
                if Some(person.id.0) == officer_id {
                    officer = Some(person.clone());
                }
                let in_lead = agency.is_some_and(|a| lead_agencies.contains(&a));
                if role == "agency_head" && in_lead && !heads.contains(person) {
                    heads.push(person.clone());
                }
                // Accounts without an agency are the provincial Office's monitors.
                let monitors_it = agency.is_none()
                    || (monitor_agency.is_some() && *agency_name == monitor_agency);
                if role == "monitor" && monitors_it && !monitors.contains(person) {
                    monitors.push(person.clone());
                }
            }
            out.push(TaskToRemind {
                task: TaskId(task),
                document: t.text(1)?,
                outline_id: t.text(2)?,
                text: t.text(3)?,
                status: status_of(&t.text(4)?)?,
                due_on,
                every,
                assigned_on: crate::db::parse_date(&t.text(9)?)?,
                leads: lead_names,
                officer,
                heads,
                monitors,
            });
        }
        Ok(out)
    }
}
