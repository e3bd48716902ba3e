//! The tracking workflow on stored tasks: transitions, hand-over to an officer, extensions, and
//! the official counts as of any day.
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
use workflow::{
    Action, ActionKind, Counts, DeadlineRecord, Role, Roles, Settings, Status, TaskFacts, Who,
};

use crate::Store;
use crate::audit;
use crate::db::{Q, Row, Tx, Value, q};
use crate::error::{Error, Result};
use crate::time::Timestamp;
use crate::types::{Actor, AgencyId, AgencyKind, DocumentId, ExtensionId, TaskId, UserId};

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

/// How [`Store::official_counts`] groups tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountBy {
    /// By lead party: each agency (or group, or unknown body) leading a task counts it.
    LeadAgency,
    /// By the document that assigned the task.
    Document,
    /// Every task once, in one row named after nothing (id `None`, name empty): the
    /// province's or the scope's totals without a row per document.
    Total,
}

/// Which tasks [`Store::official_counts`] counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every task.
    All,
    /// The tasks one document assigned.
    Document(DocumentId),
    /// The tasks linked as implementing a higher document's task (the cascade roll-up).
    ImplementingTask(TaskId),
    /// The tasks of documents issued in a period, both days included: "the tasks assigned
    /// this quarter".
    AssignedBetween(Date, Date),
}

/// The official counts of one agency or document.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CountRow {
    /// The agency's or document's id, when it has one (an unknown body has none).
    pub id: Option<i64>,
    /// The agency's name or the document's code.
    pub name: String,
    /// The five counts (and the due-soon and suspended subsets).
    pub counts: Counts,
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

    /// The five official counts as they stood at the end of `as_of`, grouped by lead agency
    /// or by document, over the tasks of `scope`. A task's status on that day is rebuilt from
    /// its status history, its deadline from the deadlines recorded by then, so the same
    /// question asked later gets the same answer. The tasks whose history ends by `as_of` are
    /// counted from their stored standings in one grouped query (`crate::standing`); only the
    /// others are replayed. With [`Scope::ImplementingTask`] this is
    /// the roll-up a higher task shows of the tasks that implement it (cascade).
    pub async fn official_counts(
        &self,
        as_of: Date,
        by: CountBy,
        scope: Scope,
        calendar: &Calendar,
        settings: &Settings,
    ) -> Result<Vec<CountRow>> {
        self.counts(None, as_of, by, scope, calendar, settings)
            .await
    }

    /// The counts of a reporting period `first..=last` (PRODUCT.md: a period report covers the
    /// tasks open at any time in the period, counted as of its last day): as
    /// [`Store::official_counts`] on `last`, leaving out the tasks completed or cancelled
    /// before `first` and not reopened since ([`closed_throughout`]).
    pub async fn period_counts(
        &self,
        first: Date,
        last: Date,
        by: CountBy,
        scope: Scope,
        calendar: &Calendar,
        settings: &Settings,
    ) -> Result<Vec<CountRow>> {
        self.counts(Some(first), last, by, scope, calendar, settings)
            .await
    }

    async fn counts(
        &self,
        open_since: Option<Date>,
        as_of: Date,
        by: CountBy,
        scope: Scope,
        calendar: &Calendar,
        settings: &Settings,
    ) -> Result<Vec<CountRow>> {
        let mut tx = self.pool.snapshot().await?;
        let mut tally = Tally::default();
        let (predicate, binds) = scope_filter(scope);
        let with_scope = |sql: String| binds.iter().cloned().fold(q(sql), Q::bind);
        let n = binds.len();
        // The stored standings count the tasks settled by `as_of`, in SQL, if they were
        // computed with this calendar; the others are replayed from their histories.
        let settled = crate::standing::usable(&mut tx, calendar).await?;
        let replayed = if settled {
            let soon = workflow::due_soon_before(calendar, as_of, settings.near_due_working_days)
                .map_err(calendar_error)?;
            // The standings alone, each row holding its document and its one lead; tasks
            // with several leads (or none) take the assignments' rows.
            let within = match scope {
                Scope::All => "1 = 1".to_owned(),
                _ => format!("s.task_id IN (SELECT t.id FROM task t WHERE {predicate})"),
            };
            let (p_as_of, p_soon, p_first) = (n + 1, n + 2, n + 3);
            let period = if open_since.is_some() {
                format!("AND NOT (s.status = 'hoan_thanh' AND s.status_since < ${p_first})")
            } else {
                String::new()
            };
            let judged = format!(
                "CASE WHEN s.verdict IS NOT NULL THEN s.verdict \
                 WHEN s.due_day IS NULL THEN 'khong_thoi_han' WHEN s.due_day < ${p_as_of} THEN 'qua_han' \
                 WHEN s.due_day < ${p_soon} THEN 'sap_den_han' ELSE 'trong_han' END AS judged, \
                 CAST(CASE WHEN s.status = 'tam_hoan' THEN 1 ELSE 0 END AS BIGINT) AS suspended, COUNT(*) AS n"
            );
            let counted =
                format!("{within} AND s.from_day <= ${p_as_of} AND s.status <> 'huy' {period}");
            let grouped: Vec<String> = match by {
                CountBy::LeadAgency => vec![
                    format!(
                        "SELECT s.lead_agency_id, s.lead_name, {judged} FROM task_standing s \
                         WHERE {counted} AND s.leads = 1 GROUP BY 1, 2, 3, 4"
                    ),
                    format!(
                        "SELECT a.agency_id, a.name, {judged} FROM task_standing s \
                         JOIN task_assignment a ON a.task_id = s.task_id AND a.role = 'lead' \
                         WHERE {counted} AND s.task_id IN (SELECT task_id FROM task_standing WHERE leads <> 1) \
                         GROUP BY 1, 2, 3, 4"
                    ),
                ],
                CountBy::Document => vec![format!(
                    "SELECT c.document_id, COALESCE(d.code, d.file_name), c.judged, c.suspended, c.n FROM \
                     (SELECT s.document_id AS document_id, {judged} FROM task_standing s WHERE {counted} \
                     GROUP BY 1, 2, 3) c JOIN document d ON d.id = c.document_id"
                )],
                CountBy::Total => vec![format!(
                    "SELECT CAST(NULL AS BIGINT), '', {judged} FROM task_standing s \
                     WHERE {counted} GROUP BY 3, 4"
                )],
            };
            let agencies: HashMap<i64, String> = match by {
                CountBy::LeadAgency => tx
                    .all(q("SELECT id, name FROM agency"))
                    .await?
                    .iter()
                    .map(|r| Ok((r.int(0)?, r.text(1)?)))
                    .collect::<Result<_>>()?,
                _ => HashMap::new(),
            };
            for sql in grouped {
                let mut query = with_scope(sql)
                    .bind(as_of.to_string())
                    .bind(soon.to_string());
                if let Some(first) = open_since {
                    query = query.bind(first.to_string());
                }
                for r in tx.all(query).await? {
                    let id = r.opt_int(0)?;
                    let name = match id.and_then(|id| agencies.get(&id)) {
                        Some(agency) => agency.clone(),
                        None => r.text(1)?,
                    };
                    let code = r.text(2)?;
                    let timeliness =
                        workflow::Timeliness::from_code(&code).ok_or_else(|| Error::Invalid {
                            what: "tình trạng thời hạn",
                            value: code,
                        })?;
                    let assessment = workflow::Assessment {
                        timeliness,
                        due_day: None,
                        suspended: r.int(3)? == 1,
                    };
                    tally.add(id, name, &assessment, r.int(4)? as u64);
                }
            }
            // Replayed: the tasks whose history goes on after that day (by the index on
            // `from_day`), and those without a standing, when there are any.
            let later = format!(
                "SELECT s.task_id AS id FROM task_standing s WHERE s.from_day > ${} AND {within}",
                n + 1
            );
            if crate::standing::missing_any(&mut tx).await? {
                format!(
                    "{later} UNION SELECT t.id FROM task t WHERE {predicate} AND NOT EXISTS \
                     (SELECT 1 FROM task_standing s WHERE s.task_id = t.id)"
                )
            } else {
                later
            }
        } else {
            format!("SELECT t.id FROM task t WHERE {predicate}")
        };
        let mut ids_query = with_scope(format!("SELECT id FROM ({replayed}) r ORDER BY id"));
        if settled {
            ids_query = ids_query.bind(as_of.to_string());
        }
        let ids: Vec<i64> = tx
            .all(ids_query)
            .await?
            .iter()
            .map(|r| r.int(0))
            .collect::<Result<_>>()?;
        // A round of tasks at a time: memory stays that of one round however many there are.
        for round in ids.chunks(REPLAY_ROUND) {
            // Integers read above: safe to list in the statement.
            let list = round
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            let tasks = tx
                .all(q(format!(
                    "SELECT t.id, t.created_at, d.issued_on, d.id, COALESCE(d.code, d.file_name) FROM task t \
                     JOIN document d ON d.id = t.document_id WHERE t.id IN ({list}) ORDER BY t.id"
                )))
                .await?;
            let (changes, deadlines) = histories(&mut tx, &list).await?;
            let leads = match by {
                CountBy::LeadAgency => {
                    tx.all(q(format!(
                        "SELECT a.task_id, a.agency_id, a.name, g.name FROM task_assignment a \
                         LEFT JOIN agency g ON g.id = a.agency_id WHERE a.role = 'lead' AND a.task_id IN ({list}) \
                         ORDER BY a.task_id, a.position"
                    )))
                    .await?
                }
                CountBy::Document | CountBy::Total => Vec::new(),
            };
            let (mut ci, mut di, mut li) = (0, 0, 0);
            for t in &tasks {
                let task = t.int(0)?;
                let created: Timestamp = t.parsed(1)?;
                let assigned_on = t.opt_date(2)?.unwrap_or(created.date_in_vietnam());
                let history = history_of(rows_of(&changes, &mut ci, task)?)?;
                let records = deadlines_of(rows_of(&deadlines, &mut di, task)?, assigned_on)?;
                let task_leads = rows_of(&leads, &mut li, task)?;
                if open_since
                    .is_some_and(|first| closed_throughout(&history, assigned_on, first, as_of))
                {
                    continue;
                }
                let Some(assessment) =
                    assess(&history, &records, assigned_on, as_of, calendar, settings)?
                else {
                    continue;
                };
                match by {
                    CountBy::Total => tally.add(None, String::new(), &assessment, 1),
                    CountBy::Document => tally.add(Some(t.int(3)?), t.text(4)?, &assessment, 1),
                    CountBy::LeadAgency => {
                        for l in task_leads {
                            let name = l.opt_text(3)?.unwrap_or(l.text(2)?);
                            tally.add(l.opt_int(1)?, name, &assessment, 1);
                        }
                    }
                }
            }
        }
        let mut rows = tally.rows;
        // Codes repeat from year to year ("7/UBND-KTTH"): the id keeps the order the same
        // however the rows were found.
        rows.sort_by(|a, b| (&a.name, a.id).cmp(&(&b.name, b.id)));
        Ok(rows)
    }
}

/// Count rows by agency or document, each `(id, name)` once.
#[derive(Default)]
struct Tally {
    rows: Vec<CountRow>,
    index: HashMap<(Option<i64>, String), usize>,
}

impl Tally {
    fn add(&mut self, id: Option<i64>, name: String, assessment: &workflow::Assessment, n: u64) {
        let rows = &mut self.rows;
        let at = *self
            .index
            .entry((id, name))
            .or_insert_with_key(|(id, name)| {
                rows.push(CountRow {
                    id: *id,
                    name: name.clone(),
                    counts: Counts::default(),
                });
                rows.len() - 1
            });
        rows[at].counts.add_many(assessment, n);
    }
}

/// Tasks replayed at a time by the counts.
const REPLAY_ROUND: usize = 1000;

/// The SQL condition on `task t` selecting the tasks of `scope`, with its parameters from
/// `$1`.
pub(crate) fn scope_filter(scope: Scope) -> (&'static str, Vec<Value>) {
    match scope {
        Scope::All => ("$1 = 0", vec![0.into()]),
        Scope::Document(d) => ("t.document_id = $1", vec![d.0.into()]),
        Scope::ImplementingTask(t) => ("t.parent_task_id = $1", vec![t.0.into()]),
        Scope::AssignedBetween(from, to) => (
            "t.document_id IN (SELECT id FROM document WHERE issued_on >= $1 AND issued_on <= $2)",
            vec![from.to_string().into(), to.to_string().into()],
        ),
    }
}

/// The status changes `(task, to_status, on_date)` and the deadline rows `(task, due_on,
/// recorded_at, source, text)` of the tasks in `list` (ids read from the database, joined by
/// commas), each ordered by task and id, for [`rows_of`].
pub(crate) async fn histories(tx: &mut Tx, list: &str) -> Result<(Vec<Row>, Vec<Row>)> {
    let changes = tx
        .all(q(format!(
            "SELECT task_id, to_status, on_date FROM task_status_change \
             WHERE task_id IN ({list}) ORDER BY task_id, id"
        )))
        .await?;
    let deadlines = tx
        .all(q(format!(
            "SELECT task_id, due_on, recorded_at, source, text FROM task_deadline \
             WHERE task_id IN ({list}) ORDER BY task_id, id"
        )))
        .await?;
    Ok((changes, deadlines))
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

/// A task's status changes `(task, to_status, on_date)` as `(status, day)`, oldest first.
pub(crate) fn history_of(rows: &[Row]) -> Result<Vec<(Status, Date)>> {
    rows.iter()
        .map(|r| Ok((status_of(&r.text(1)?)?, crate::db::parse_date(&r.text(2)?)?)))
        .collect()
}

/// A task's deadline rows `(task, due_on, recorded_at, source, …)` as the rules read them.
pub(crate) fn deadlines_of(rows: &[Row], assigned_on: Date) -> Result<Vec<DeadlineRecord>> {
    rows.iter()
        .map(|d| {
            Ok(deadline_record(
                &d.text(3)?,
                d.parsed(2)?,
                d.opt_date(1)?,
                assigned_on,
            ))
        })
        .collect()
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
