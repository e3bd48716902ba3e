//! The audit log: one row per change, written by the same transaction as the change, so the log
//! and the data can never disagree. The database refuses UPDATE and DELETE on it (migration 2).

use serde_json::Value as Json;

use crate::Store;
use crate::db::{Tx, Value, q};
use crate::error::Result;
use crate::time::Timestamp;
use crate::types::{Actor, AuditId, UserId};

/// One row of the audit log.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AuditEntry {
    /// Row id, increasing in the order of writing.
    pub id: AuditId,
    /// When the change was committed (UTC).
    pub at: Timestamp,
    /// Who made it; `None` for the system itself.
    pub actor: Option<UserId>,
    /// What kind of thing changed (`document`, `task`, `task_assignment`, …).
    pub entity: String,
    /// Which one.
    pub entity_id: String,
    /// What was done (`create`, `update_status`, `reassign`, …).
    pub action: String,
    /// The relevant fields before, for changes and removals.
    pub before: Option<Json>,
    /// The relevant fields after, for creations and changes.
    pub after: Option<Json>,
}

const INSERT: &str =
    "INSERT INTO audit_log (at, actor_user_id, entity, entity_id, action, before_json, after_json)";

/// The values of one audit row, for [`record_all`].
pub(crate) fn row(
    actor: Actor,
    entity: &str,
    entity_id: impl std::fmt::Display,
    action: &str,
    before: Option<Json>,
    after: Option<Json>,
) -> Vec<Value> {
    vec![
        Timestamp::now().to_string().into(),
        actor.user_id().into(),
        entity.into(),
        entity_id.to_string().into(),
        action.into(),
        before.map(|j| j.to_string()).into(),
        after.map(|j| j.to_string()).into(),
    ]
}

/// Appends a row to the audit log inside `tx`.
pub(crate) async fn record(
    tx: &mut Tx,
    actor: Actor,
    entity: &str,
    entity_id: impl std::fmt::Display,
    action: &str,
    before: Option<Json>,
    after: Option<Json>,
) -> Result<()> {
    record_all(
        tx,
        vec![row(actor, entity, entity_id, action, before, after)],
    )
    .await
}

/// Appends rows to the audit log inside `tx`, in order, in as few statements as possible.
pub(crate) async fn record_all(tx: &mut Tx, rows: Vec<Vec<Value>>) -> Result<()> {
    tx.insert_rows(INSERT, rows).await
}

impl Store {
    /// The audit log in the order it was written, optionally of one kind of entity
    /// (`Some("task")`) only.
    pub async fn audit_log(&self, entity: Option<&str>) -> Result<Vec<AuditEntry>> {
        const COLUMNS: &str = "SELECT id, at, actor_user_id, entity, entity_id, action, before_json, after_json FROM audit_log";
        let mut tx = self.pool.read().await?;
        let rows = match entity {
            Some(e) => {
                tx.all(q(format!("{COLUMNS} WHERE entity = $1 ORDER BY id")).bind(e))
                    .await?
            }
            None => tx.all(q(format!("{COLUMNS} ORDER BY id"))).await?,
        };
        let json = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    id: AuditId(r.int(0)?),
                    at: r.parsed(1)?,
                    actor: r.opt_int(2)?.map(UserId),
                    entity: r.text(3)?,
                    entity_id: r.text(4)?,
                    action: r.text(5)?,
                    before: json(r.opt_text(6)?),
                    after: json(r.opt_text(7)?),
                })
            })
            .collect()
    }

    /// Number of rows in the audit log: cheap evidence that an operation wrote nothing.
    pub async fn audit_len(&self) -> Result<u64> {
        let mut tx = self.pool.read().await?;
        let n = tx.one(q("SELECT COUNT(*) FROM audit_log")).await?.int(0)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}
