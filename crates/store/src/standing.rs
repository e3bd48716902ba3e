//! How each task stands from a day on ([`workflow::Standing`], table `task_standing`,
//! migration 11): what lets [`Store::official_counts`] group a million tasks in one SQL query
//! instead of replaying a million status and deadline histories (issue #11).
//!
//! The rows are derived and never trusted beyond what they say:
//! - any change to a task's history deletes its row (triggers), and the write paths compute it
//!   again in the same transaction ([`refresh`]);
//! - a task without a row, or asked about a day before the row's `from_day`, is judged by
//!   replaying its history, so a row missing costs time, never a wrong count;
//! - the rows are computed with the store's calendar (the built-in one and the declared days),
//!   whose [`Calendar::fingerprint`] is kept beside them (`task_standing_calendar`): counts
//!   asked with another calendar replay every history, a declared day recomputes the rows of the
//!   deadlines it moves, and a release whose built-in calendar differs recomputes them all when
//!   it opens the store.
//!
//! One race is left open on PostgreSQL: a day declared while another server writes the history
//! of a task due just before that day can leave that one task's row computed with the calendar
//! of a moment before. The next change to the task, or [`Store::refresh_standings`] after
//! deleting the rows, corrects it.

use std::sync::{Arc, Mutex};

use vn_calendar::{Calendar, Date};
use workflow::{DeadlineRecord, Standing, TaskFacts};

use crate::Store;
use crate::db::{Tx, q};
use crate::error::Result;
use crate::settings::{CalendarChange, calendar_with, changes_in};
use crate::time::Timestamp;
use crate::tracking::{histories, rows_of, standing};

/// Tasks computed per round: the ids are listed in the statements.
const ROUND: usize = 1000;

/// Whether the stored standings were computed with `calendar`, so that counts and annexes
/// asked with it may use them.
pub(crate) async fn usable(tx: &mut Tx, calendar: &Calendar) -> Result<bool> {
    Ok(calendar_fingerprint(tx).await? == Some(calendar.fingerprint()))
}

/// The fingerprint of the calendar the standings were computed with, as stored; `None` before
/// the first computation.
async fn calendar_fingerprint(tx: &mut Tx) -> Result<Option<u64>> {
    Ok(tx
        .optional(q("SELECT fingerprint FROM task_standing_calendar"))
        .await?
        .map(|r| r.text(0))
        .transpose()?
        .and_then(|v| v.parse().ok()))
}

async fn set_calendar_fingerprint(tx: &mut Tx, calendar: &Calendar) -> Result<()> {
    tx.execute(
        q(
            "INSERT INTO task_standing_calendar (id, fingerprint) VALUES (1, $1) \
           ON CONFLICT (id) DO UPDATE SET fingerprint = excluded.fingerprint",
        )
        .bind(calendar.fingerprint().to_string()),
    )
    .await?;
    Ok(())
}

/// The store's calendar as `tx` sees it: built once per set of declared days, since building
/// one resolves three centuries of holidays.
pub(crate) async fn calendar_in(tx: &mut Tx) -> Result<Arc<Calendar>> {
    static CACHE: Mutex<Option<(Vec<CalendarChange>, Arc<Calendar>)>> = Mutex::new(None);
    let changes = changes_in(tx).await?;
    let same = |cached: &[CalendarChange]| {
        cached.len() == changes.len()
            && cached
                .iter()
                .zip(&changes)
                .all(|(a, b)| (a.date, a.kind) == (b.date, b.kind))
    };
    if let Some((cached, calendar)) = &*CACHE.lock().unwrap_or_else(|p| p.into_inner())
        && same(cached)
    {
        return Ok(calendar.clone());
    }
    let calendar = Arc::new(calendar_with(&changes));
    *CACHE.lock().unwrap_or_else(|p| p.into_inner()) = Some((changes, calendar.clone()));
    Ok(calendar)
}

/// Computes the standings of `tasks` from their histories as `tx` sees them, with the store's
/// calendar, replacing their rows. A task with a date outside the calendar gets no row (its
/// replay reports the date).
pub(crate) async fn refresh(tx: &mut Tx, tasks: &[i64]) -> Result<()> {
    if tasks.is_empty() {
        return Ok(());
    }
    let calendar = calendar_in(tx).await?;
    for round in tasks.chunks(ROUND) {
        let mut ids = round.to_vec();
        ids.sort_unstable();
        ids.dedup();
        // Integers read from the database or the caller's ids: safe to list in the statement.
        let list = ids
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let rows = tx
            .all(q(format!(
                "SELECT t.id, t.created_at, d.issued_on, t.document_id FROM task t \
                 JOIN document d ON d.id = t.document_id WHERE t.id IN ({list}) ORDER BY t.id"
            )))
            .await?;
        let histories = histories(tx, &list).await?;
        let leads = tx
            .all(q(format!(
                "SELECT task_id, agency_id, name FROM task_assignment \
                 WHERE role = 'lead' AND task_id IN ({list}) ORDER BY task_id, position, id"
            )))
            .await?;
        let mut li = 0;
        let mut values = Vec::with_capacity(rows.len());
        for r in &rows {
            let task = r.int(0)?;
            let created: Timestamp = r.parsed(1)?;
            let assigned_on = r.opt_date(2)?.unwrap_or(created.date_in_vietnam());
            let past = histories.of(task);
            let (history, records) = (&past.changes, past.deadlines(assigned_on));
            let task_leads = rows_of(&leads, &mut li, task)?;
            let (lead_agency, lead_name) = match task_leads {
                [one] => (one.opt_int(1)?, Some(one.text(2)?)),
                _ => (None, None),
            };
            if let Some(s) = compute(history, &records, assigned_on, &calendar) {
                values.push(vec![
                    task.into(),
                    r.int(3)?.into(),
                    (task_leads.len() as i64).into(),
                    lead_agency.into(),
                    lead_name.into(),
                    s.from.to_string().into(),
                    s.status.code().into(),
                    s.status_since.to_string().into(),
                    s.due_day.map(|d| d.to_string()).into(),
                    s.verdict.map(|v| v.code()).into(),
                ]);
            }
        }
        tx.execute(q(format!(
            "DELETE FROM task_standing WHERE task_id IN ({list})"
        )))
        .await?;
        tx.insert_rows(
            "INSERT INTO task_standing (task_id, document_id, leads, lead_agency_id, lead_name, \
             from_day, status, status_since, due_day, verdict)",
            values,
        )
        .await?;
    }
    crate::tally::fold_if_due(tx).await
}

/// Deletes every standing and the tally of them.
async fn forget_all(tx: &mut Tx) -> Result<()> {
    tx.execute(q("DELETE FROM task_standing")).await?;
    // The deletions above appended a delta each: the empty sum is no rows at all.
    crate::tally::clear(tx).await?;
    Ok(())
}

/// A task's standing after the last day of its history; `None` when a date is outside the
/// calendar.
fn compute(
    history: &[(workflow::Status, Date)],
    records: &[DeadlineRecord],
    assigned_on: Date,
    calendar: &Calendar,
) -> Option<Standing> {
    let from = history
        .iter()
        .map(|(_, on)| *on)
        .chain(records.iter().map(|r| r.recorded_on))
        .fold(assigned_on, Date::max);
    let (status, status_since, reported_done_on) = standing(history, assigned_on, from);
    TaskFacts {
        assigned_on,
        status,
        status_since,
        reported_done_on,
        deadlines: records,
    }
    .standing(from, calendar)
    .ok()
}

/// After `day` was declared a day off or a working day (or a declaration removed), in the same
/// transaction: the deadlines whose due day moves are those from the working day before `day`
/// (excluded) to `day` (the days between are off either way), so only their tasks are computed
/// again; then the fingerprint of the new calendar is stored.
pub(crate) async fn calendar_changed(tx: &mut Tx, day: Date) -> Result<()> {
    let calendar = calendar_in(tx).await?;
    let Ok(before) = calendar.add_working_days(day, -1) else {
        // A day at the calendar's first years: compute everything again on the next open.
        forget_all(tx).await?;
        return Ok(());
    };
    let tasks: Vec<i64> = tx
        .all(
            q("SELECT DISTINCT task_id FROM task_deadline WHERE due_on > $1 AND due_on <= $2")
                .bind(before.to_string())
                .bind(day.to_string()),
        )
        .await?
        .iter()
        .map(|r| r.int(0))
        .collect::<Result<_>>()?;
    refresh(tx, &tasks).await?;
    set_calendar_fingerprint(tx, &calendar).await
}

impl Store {
    /// Deletes every stored standing, so that the counts replay every history until
    /// [`Store::refresh_standings`] computes them again: for tests and benchmarks that compare
    /// the two ways of counting, and for an administrator who doubts the rows.
    pub async fn forget_standings(&self) -> Result<()> {
        let mut tx = self.pool.write().await?;
        forget_all(&mut tx).await?;
        tx.commit().await
    }

    /// Computes the standings that are missing: after the migration that added them, a restore
    /// (they are not backed up), a generated province, or a release whose built-in calendar
    /// differs from the one they were computed with (then all of them). A round of tasks per
    /// transaction, so writers wait at most one round. Returns how many were computed.
    pub async fn refresh_standings(&self) -> Result<u64> {
        let mut tx = self.pool.write().await?;
        let calendar = calendar_in(&mut tx).await?;
        if !usable(&mut tx, &calendar).await? {
            forget_all(&mut tx).await?;
            set_calendar_fingerprint(&mut tx, &calendar).await?;
        }
        // Rows exist only for tasks (foreign key): equal numbers, nothing missing, and no
        // scan of a million tasks at every start.
        if !missing_any(&mut tx).await? {
            tx.commit().await?;
            return Ok(0);
        }
        tx.commit().await?;
        let mut after = 0i64;
        let mut computed = 0u64;
        loop {
            let mut tx = self.pool.write().await?;
            let missing: Vec<i64> = tx
                .all(
                    q(format!(
                        "SELECT t.id FROM task t WHERE t.id > $1 AND NOT EXISTS \
                         (SELECT 1 FROM task_standing s WHERE s.task_id = t.id) ORDER BY t.id LIMIT {ROUND}"
                    ))
                    .bind(after),
                )
                .await?
                .iter()
                .map(|r| r.int(0))
                .collect::<Result<_>>()?;
            let Some(&last) = missing.last() else {
                // The deltas of the rows just computed, folded now rather than by the next
                // writer.
                crate::tally::fold(&mut tx).await?;
                tx.commit().await?;
                return Ok(computed);
            };
            refresh(&mut tx, &missing).await?;
            tx.commit().await?;
            computed += missing.len() as u64;
            after = last;
        }
    }
}

/// Whether some task has no standing.
pub(crate) async fn missing_any(tx: &mut Tx) -> Result<bool> {
    let r = tx
        .one(q(
            "SELECT (SELECT COUNT(*) FROM task), (SELECT COUNT(*) FROM task_standing)",
        ))
        .await?;
    Ok(r.int(0)? != r.int(1)?)
}
