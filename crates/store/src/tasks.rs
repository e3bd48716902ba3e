//! Tasks: their assignments (lead and support, original and current agency), their deadline
//! history and their progress status. Workflow rules (who may move a task from which status to
//! which) belong to the tracker; the store records and audits whatever it is told.

use serde_json::json;
use vn_calendar::Date;

use crate::Store;
use crate::audit;
use crate::db::{Tx, q};
use crate::directory::AgencyRef;
use crate::error::{Error, Result};
use crate::time::Timestamp;
use crate::types::{
    Actor, AgencyId, AssignmentId, AssignmentRole, DeadlineKind, DeadlineSource, DocumentId,
    PartyKind, ProgressStatus, TaskId, UserId,
};

/// A task with its assignments and deadline history.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Task {
    /// Its id.
    pub id: TaskId,
    /// The document that assigned it.
    pub document: DocumentId,
    /// Its outline path in that document ("2.1.b").
    pub outline_id: String,
    /// The instruction text.
    pub text: String,
    /// Byte offsets into the document's text.
    pub span: Option<[i64; 2]>,
    /// The higher document's task this one implements (cascade).
    pub parent: Option<TaskId>,
    /// Progress.
    pub status: ProgressStatus,
    /// When it was created.
    pub created_at: Timestamp,
    /// Lead rows first, then support rows, each in the document's order.
    pub assignments: Vec<Assignment>,
    /// Every deadline it has had, oldest first.
    pub deadlines: Vec<DeadlineEntry>,
}

impl Task {
    /// The deadline in force: the latest one recorded.
    pub fn current_deadline(&self) -> Option<&DeadlineEntry> {
        self.deadlines.last()
    }

    /// The lead assignments.
    pub fn leads(&self) -> impl Iterator<Item = &Assignment> {
        self.assignments
            .iter()
            .filter(|a| a.role == AssignmentRole::Lead)
    }
}

/// One lead or support party of a task.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Assignment {
    /// Its id.
    pub id: AssignmentId,
    /// Lead or support.
    pub role: AssignmentRole,
    /// Agency, group or unknown body.
    pub party_kind: PartyKind,
    /// The party as it was assigned (reports can show the task under this name).
    pub name: String,
    /// The agency it was assigned to.
    pub original_agency: Option<AgencyRef>,
    /// The agency responsible now, after reorganisations.
    pub current_agency: Option<AgencyRef>,
}

/// A deadline a task has had.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DeadlineEntry {
    /// How it is stated.
    pub kind: DeadlineKind,
    /// The due day, for `date` and `period`.
    #[serde(serialize_with = "crate::time::serialize_opt_date")]
    pub due_on: Option<Date>,
    /// The words it came from.
    pub text: Option<String>,
    /// For recurring deadlines: `month`, `quarter` or `year`.
    pub every: Option<String>,
    /// Document, extension or manual.
    pub source: DeadlineSource,
    /// Why it changed (an extension's reason).
    pub reason: Option<String>,
    /// When it was recorded.
    pub recorded_at: Timestamp,
    /// Who recorded it.
    pub recorded_by: Option<UserId>,
}

/// A deadline to add to a task's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDeadline {
    /// How it is stated.
    pub kind: DeadlineKind,
    /// The due day, for `date` and `period`.
    pub due_on: Option<Date>,
    /// The words it came from.
    pub text: Option<String>,
    /// Extension (approved) or manual.
    pub source: DeadlineSource,
    /// Why.
    pub reason: Option<String>,
}

impl Store {
    /// One task.
    pub async fn task(&self, id: TaskId) -> Result<Task> {
        let mut tx = self.pool.read().await?;
        load_tasks(&mut tx, "t.id = $1", id.0)
            .await?
            .pop()
            .ok_or_else(|| Error::NotFound {
                what: "nhiệm vụ",
                id: id.to_string(),
            })
    }

    /// Every task, in order of creation (documents in import order, each in its own order).
    /// For the command-line listing, which filters what it prints; the API pages instead.
    pub async fn tasks(&self) -> Result<Vec<Task>> {
        let mut tx = self.pool.read().await?;
        load_tasks(&mut tx, "t.id > $1", 0).await
    }

    /// The tasks of a document, in the document's order.
    pub async fn tasks_of_document(&self, document: DocumentId) -> Result<Vec<Task>> {
        let mut tx = self.pool.read().await?;
        load_tasks(&mut tx, "t.document_id = $1", document.0).await
    }

    /// Sets a task's progress status without the workflow's rules: for taking over statuses
    /// from another tracking system when a province migrates, never for people's changes
    /// (those go through [`Store::transition`], which checks who may do what). Recorded in the
    /// status history (so counts as of later days see it) and audited as `set_status`. Setting
    /// the status it already has writes nothing.
    pub async fn set_task_status(
        &self,
        id: TaskId,
        status: ProgressStatus,
        actor: Actor,
    ) -> Result<()> {
        let mut tx = self.pool.write().await?;
        let before: ProgressStatus = tx
            .optional(q("SELECT status FROM task WHERE id = $1").bind(id.0))
            .await?
            .ok_or_else(|| Error::NotFound {
                what: "nhiệm vụ",
                id: id.to_string(),
            })?
            .parsed(0)?;
        if before == status {
            return Ok(());
        }
        tx.execute(
            q("UPDATE task SET status = $1 WHERE id = $2")
                .bind(status.code())
                .bind(id.0),
        )
        .await?;
        let now = Timestamp::now();
        tx.execute(
            q("INSERT INTO task_status_change (task_id, action, from_status, to_status, on_date, at, by_user_id) \
               VALUES ($1, 'set_status', $2, $3, $4, $5, $6)")
            .bind(id.0)
            .bind(before.code())
            .bind(status.code())
            .bind(now.date_in_vietnam().to_string())
            .bind(now.to_string())
            .bind(actor.user_id()),
        )
        .await?;
        crate::standing::refresh(&mut tx, &[id.0]).await?;
        audit::record(
            &mut tx,
            actor,
            "task",
            id,
            "set_status",
            Some(json!({"status": before})),
            Some(json!({"status": status})),
        )
        .await?;
        tx.commit().await
    }

    /// Adds a deadline to a task's history; it becomes the one in force.
    pub async fn add_deadline(
        &self,
        id: TaskId,
        deadline: &NewDeadline,
        actor: Actor,
    ) -> Result<()> {
        let mut tx = self.pool.write().await?;
        let before = tx
            .optional(q("SELECT kind, due_on FROM task_deadline WHERE task_id = $1 ORDER BY id DESC LIMIT 1").bind(id.0))
            .await?
            .map(|r| Ok::<_, Error>(json!({"kind": r.text(0)?, "due_on": r.opt_text(1)?})))
            .transpose()?;
        tx.execute(
            q("INSERT INTO task_deadline (task_id, kind, due_on, text, source, reason, recorded_at, recorded_by) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(id.0)
            .bind(deadline.kind.code())
            .bind(deadline.due_on.map(|d| d.to_string()))
            .bind(deadline.text.clone())
            .bind(deadline.source.code())
            .bind(deadline.reason.clone())
            .bind(Timestamp::now().to_string())
            .bind(actor.user_id()),
        )
        .await?;
        crate::standing::refresh(&mut tx, &[id.0]).await?;
        audit::record(
            &mut tx,
            actor,
            "task",
            id,
            "add_deadline",
            before,
            Some(json!({
                "kind": deadline.kind,
                "due_on": deadline.due_on.map(|d| d.to_string()),
                "source": deadline.source,
                "reason": deadline.reason,
            })),
        )
        .await?;
        tx.commit().await
    }

    /// Links a task to the higher document's task it implements (cascade), or unlinks it.
    pub async fn set_parent_task(
        &self,
        id: TaskId,
        parent: Option<TaskId>,
        actor: Actor,
    ) -> Result<()> {
        let mut tx = self.pool.write().await?;
        let before = tx
            .optional(q("SELECT parent_task_id FROM task WHERE id = $1").bind(id.0))
            .await?
            .ok_or_else(|| Error::NotFound {
                what: "nhiệm vụ",
                id: id.to_string(),
            })?
            .opt_int(0)?;
        tx.execute(
            q("UPDATE task SET parent_task_id = $1 WHERE id = $2")
                .bind(parent.map(|p| p.0))
                .bind(id.0),
        )
        .await?;
        audit::record(
            &mut tx,
            actor,
            "task",
            id,
            "set_parent",
            Some(json!({"parent": before})),
            Some(json!({"parent": parent})),
        )
        .await?;
        tx.commit().await
    }

    /// Adds an agency of the directory as lead or support of a task (reassignment after a
    /// refusal, an agency the parser missed).
    pub async fn add_assignment(
        &self,
        task: TaskId,
        role: AssignmentRole,
        agency: AgencyId,
        actor: Actor,
    ) -> Result<AssignmentId> {
        let mut tx = self.pool.write().await?;
        let party = tx
            .optional(q("SELECT name, kind FROM agency WHERE id = $1").bind(agency.0))
            .await?
            .ok_or_else(|| Error::NotFound {
                what: "cơ quan",
                id: agency.to_string(),
            })?;
        let name = party.text(0)?;
        let kind = if party.text(1)? == "group" {
            PartyKind::Group
        } else {
            PartyKind::Agency
        };
        let position = tx
            .one(
                q("SELECT COUNT(*) FROM task_assignment WHERE task_id = $1 AND role = $2")
                    .bind(task.0)
                    .bind(role.code()),
            )
            .await?
            .int(0)?;
        let id = tx
            .one(
                q("INSERT INTO task_assignment (task_id, role, position, party_kind, name, original_agency_id, agency_id) \
                   VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id")
                .bind(task.0)
                .bind(role.code())
                .bind(position)
                .bind(kind.code())
                .bind(name.clone())
                .bind(agency.0),
            )
            .await?
            .int(0)?;
        crate::standing::refresh(&mut tx, &[task.0]).await?;
        audit::record(
            &mut tx,
            actor,
            "task_assignment",
            id,
            "create",
            None,
            Some(json!({"task": task, "role": role, "agency_id": agency, "agency": name})),
        )
        .await?;
        tx.commit().await?;
        Ok(AssignmentId(id))
    }
}

/// Loads the tasks matching `filter` (a condition on `t` with one parameter) with their
/// assignments and deadlines, three statements whatever the number of tasks.
pub(crate) async fn load_tasks(tx: &mut Tx, filter: &str, arg: i64) -> Result<Vec<Task>> {
    let rows = tx
        .all(
            q(format!(
                "SELECT t.id, t.document_id, t.outline_id, t.text, t.span_start, t.span_end, t.parent_task_id, \
                 t.status, t.created_at FROM task t WHERE {filter} ORDER BY t.id"
            ))
            .bind(arg),
        )
        .await?;
    let mut tasks = rows
        .iter()
        .map(|r| {
            let span = match (r.opt_int(4)?, r.opt_int(5)?) {
                (Some(a), Some(b)) => Some([a, b]),
                _ => None,
            };
            Ok(Task {
                id: TaskId(r.int(0)?),
                document: DocumentId(r.int(1)?),
                outline_id: r.text(2)?,
                text: r.text(3)?,
                span,
                parent: r.opt_int(6)?.map(TaskId),
                status: r.parsed(7)?,
                created_at: r.parsed(8)?,
                assignments: Vec::new(),
                deadlines: Vec::new(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let index: std::collections::HashMap<i64, usize> =
        tasks.iter().enumerate().map(|(i, t)| (t.id.0, i)).collect();
    let assignments = tx
        .all(
            q(format!(
                "SELECT ta.task_id, ta.id, ta.role, ta.party_kind, ta.name, o.id, o.name, c.id, c.name \
                 FROM task_assignment ta JOIN task t ON t.id = ta.task_id \
                 LEFT JOIN agency o ON o.id = ta.original_agency_id LEFT JOIN agency c ON c.id = ta.agency_id \
                 WHERE {filter} ORDER BY ta.task_id, CASE ta.role WHEN 'lead' THEN 0 ELSE 1 END, ta.position, ta.id"
            ))
            .bind(arg),
        )
        .await?;
    for r in &assignments {
        let agency = |id: Option<i64>, name: Option<String>| match (id, name) {
            (Some(id), Some(name)) => Some(AgencyRef {
                id: AgencyId(id),
                name,
            }),
            _ => None,
        };
        if let Some(&i) = index.get(&r.int(0)?) {
            tasks[i].assignments.push(Assignment {
                id: AssignmentId(r.int(1)?),
                role: r.parsed(2)?,
                party_kind: r.parsed(3)?,
                name: r.text(4)?,
                original_agency: agency(r.opt_int(5)?, r.opt_text(6)?),
                current_agency: agency(r.opt_int(7)?, r.opt_text(8)?),
            });
        }
    }
    let deadlines = tx
        .all(
            q(format!(
                "SELECT d.task_id, d.kind, d.due_on, d.text, d.every, d.source, d.reason, d.recorded_at, d.recorded_by \
                 FROM task_deadline d JOIN task t ON t.id = d.task_id WHERE {filter} ORDER BY d.task_id, d.id"
            ))
            .bind(arg),
        )
        .await?;
    for r in &deadlines {
        if let Some(&i) = index.get(&r.int(0)?) {
            tasks[i].deadlines.push(DeadlineEntry {
                kind: r.parsed(1)?,
                due_on: r.opt_date(2)?,
                text: r.opt_text(3)?,
                every: r.opt_text(4)?,
                source: r.parsed(5)?,
                reason: r.opt_text(6)?,
                recorded_at: r.parsed(7)?,
                recorded_by: r.opt_int(8)?.map(UserId),
            });
        }
    }
    Ok(tasks)
}
