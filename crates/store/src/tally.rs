//! The stored standings summed per lead (tables `task_tally` and `task_tally_closed`,
//! migration 12): what lets the province's counts ([`crate::Store::official_counts`] over
//! every task, by lead or in total) read tens of thousands of rows instead of the million rows
//! of `task_standing` (issue #11).
//!
//! Triggers on `task_standing` append a row of `+1` for every standing written and `-1` for
//! every standing deleted; a count sums the rows by key, so it is right however many deltas
//! are waiting. [`fold_if_due`] folds a tally's deltas into one row per key once they
//! outnumber its folded rows, so the work of folding stays proportional to the work of
//! writing.

use crate::db::{Tx, q};
use crate::error::Result;

/// A tally and the columns of its key.
struct Tally {
    table: &'static str,
    key: &'static str,
}

const TALLIES: [Tally; 2] = [
    Tally {
        table: "task_tally",
        key: "single, lead_agency_id, lead_name, status, due_day, verdict",
    },
    Tally {
        table: "task_tally_closed",
        key: "single, lead_agency_id, lead_name, closed_on, verdict",
    },
];

/// Deltas always allowed to wait, however few rows are folded: a small province folds rarely.
const DELTAS_WAITING: i64 = 10_000;

/// The rows of `task_standing s` in the columns a count groups (`n` excluded): the tally's,
/// with the document and the day a completed task was completed. For a count that reads the
/// standings themselves, or corrects the tally with them.
pub(crate) const FROM_STANDING: &str = "CASE WHEN s.leads = 1 THEN 1 ELSE 0 END AS single, \
     s.lead_agency_id, CASE WHEN s.lead_agency_id IS NULL THEN s.lead_name END AS lead_name, \
     s.document_id, s.status, CASE WHEN s.status = 'hoan_thanh' THEN s.status_since END AS closed_on, \
     CASE WHEN s.verdict IS NULL THEN s.due_day END AS due_day, s.verdict";

/// The tally's rows in the columns of [`FROM_STANDING`] and `n`: every task counted when
/// `closed_from` is `None`; else only those not completed before that parameter (a period's
/// first day), the completed ones read by the index on the day they were completed.
pub(crate) fn rows(closed_from: Option<usize>) -> String {
    const OPEN: &str = "SELECT single, lead_agency_id, lead_name, 0 AS document_id, status, \
         NULL AS closed_on, due_day, verdict, n FROM task_tally";
    match closed_from {
        None => OPEN.to_owned(),
        Some(p) => format!(
            "{OPEN} WHERE status <> 'hoan_thanh' UNION ALL SELECT single, lead_agency_id, lead_name, \
             0, 'hoan_thanh', closed_on, NULL, verdict, n FROM task_tally_closed WHERE closed_on >= ${p}"
        ),
    }
}

/// Folds the waiting deltas of each tally whose deltas outnumber its folded rows (and
/// [`DELTAS_WAITING`]).
pub(crate) async fn fold_if_due(tx: &mut Tx) -> Result<()> {
    for tally in &TALLIES {
        let r = tx
            .one(
                q(format!(
                    "SELECT f.folded_through, f.folded, (SELECT COALESCE(MAX(id), 0) FROM {}) \
                     FROM task_tally_fold f WHERE f.name = $1",
                    tally.table
                ))
                .bind(tally.table),
            )
            .await?;
        let (through, folded, last) = (r.int(0)?, r.int(1)?, r.int(2)?);
        if last - through > folded.max(DELTAS_WAITING) {
            fold_one(tx, tally).await?;
        }
    }
    Ok(())
}

/// Folds both tallies now.
pub(crate) async fn fold(tx: &mut Tx) -> Result<()> {
    for tally in &TALLIES {
        fold_one(tx, tally).await?;
    }
    Ok(())
}

/// Replaces every row of a tally by one row per key holding the sum, dropping keys that sum
/// to nothing.
async fn fold_one(tx: &mut Tx, tally: &Tally) -> Result<()> {
    let Tally { table, key } = *tally;
    // Taken first: two folds on PostgreSQL run one after the other, never interleaved.
    tx.execute(q("UPDATE task_tally_fold SET folded = folded WHERE name = $1").bind(table))
        .await?;
    let last = tx
        .one(q(format!("SELECT COALESCE(MAX(id), 0) FROM {table}")))
        .await?
        .int(0)?;
    let sums = |rows: &str| {
        format!(
            "INSERT INTO {table} ({key}, n) SELECT {key}, SUM(n) FROM {rows} GROUP BY {key} \
             HAVING SUM(n) <> 0"
        )
    };
    match tx {
        // One statement, one snapshot: a delta another transaction commits meanwhile is
        // either summed and deleted or left alone, never deleted unsummed.
        Tx::Postgres(_) => {
            tx.execute(
                q(format!(
                    "WITH gone AS (DELETE FROM {table} WHERE id <= $1 RETURNING {key}, n) {}",
                    sums("gone")
                ))
                .bind(last),
            )
            .await?;
        }
        // One writer at a time: nothing can come between the two statements.
        Tx::Sqlite(_) => {
            tx.execute(q(sums(&format!("{table} WHERE id <= $1"))).bind(last))
                .await?;
            tx.execute(q(format!("DELETE FROM {table} WHERE id <= $1")).bind(last))
                .await?;
        }
    }
    tx.execute(
        q(format!(
            "UPDATE task_tally_fold SET folded_through = (SELECT COALESCE(MAX(id), 0) FROM {table}), \
             folded = (SELECT COUNT(*) FROM {table}) WHERE name = $1"
        ))
        .bind(table),
    )
    .await?;
    Ok(())
}

/// Empties both tallies, after every standing was deleted.
pub(crate) async fn clear(tx: &mut Tx) -> Result<()> {
    for tally in &TALLIES {
        tx.execute(q(format!("DELETE FROM {}", tally.table)))
            .await?;
    }
    tx.execute(q(
        "UPDATE task_tally_fold SET folded_through = 0, folded = 0",
    ))
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{GenerateSpec, Store};

    /// The sums a tally holds, keyed by the whole key as text, zero sums left out.
    async fn sums(tx: &mut Tx, from: &str) -> Vec<String> {
        tx.all(q(format!(
            "SELECT {key}, SUM(n) FROM ({from}) x GROUP BY {key} HAVING SUM(n) <> 0 ORDER BY {key}",
            key = "single, lead_agency_id, lead_name, status, due_day, verdict"
        )))
        .await
        .unwrap()
        .iter()
        .map(|r| {
            (0..7)
                .map(|i| {
                    r.opt_text(i)
                        .ok()
                        .flatten()
                        .or_else(|| r.opt_int(i).ok().flatten().map(|v| v.to_string()))
                        .unwrap_or_default()
                })
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect()
    }

    async fn rows(tx: &mut Tx) -> usize {
        tx.one(q("SELECT COUNT(*) FROM task_tally"))
            .await
            .unwrap()
            .int(0)
            .unwrap() as usize
    }

    /// Deltas waiting or folded, the tally sums what the standings hold, and a fold leaves one
    /// row per key.
    #[tokio::test]
    async fn the_tally_sums_the_standings_before_and_after_folding() {
        let path = std::env::temp_dir().join(format!("nhiemvu_tally_{}.db", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let store = Store::open(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        store
            .generate(&GenerateSpec::new(600, 11), &mut |_| {})
            .await
            .unwrap();
        let standing = "SELECT CASE WHEN leads = 1 THEN 1 ELSE 0 END AS single, lead_agency_id, \
             CASE WHEN lead_agency_id IS NULL THEN lead_name END AS lead_name, status, \
             CASE WHEN verdict IS NULL THEN due_day END AS due_day, verdict, 1 AS n \
             FROM task_standing WHERE status <> 'huy'";
        let mut tx = store.pool.write().await.unwrap();
        let expected = sums(&mut tx, standing).await;
        assert!(expected.len() > 50, "{} keys", expected.len());
        assert_eq!(sums(&mut tx, "SELECT * FROM task_tally").await, expected);
        // Every standing computed again: a delta of -1 and +1 each, waiting.
        let ids: Vec<i64> = (1..=600).collect();
        crate::standing::refresh(&mut tx, &ids).await.unwrap();
        assert!(rows(&mut tx).await >= expected.len() + 1000);
        assert_eq!(sums(&mut tx, "SELECT * FROM task_tally").await, expected);
        fold(&mut tx).await.unwrap();
        assert_eq!(rows(&mut tx).await, expected.len());
        assert_eq!(sums(&mut tx, "SELECT * FROM task_tally").await, expected);
        // The completed tasks by day: the same sums as the standings'.
        let closed = |from: &str| {
            format!(
                "SELECT single, lead_agency_id, lead_name, closed_on AS status, NULL AS due_day, \
                 verdict, n FROM ({from}) c"
            )
        };
        let completed = "SELECT CASE WHEN leads = 1 THEN 1 ELSE 0 END AS single, lead_agency_id, \
             CASE WHEN lead_agency_id IS NULL THEN lead_name END AS lead_name, \
             status_since AS closed_on, verdict, 1 AS n FROM task_standing WHERE status = 'hoan_thanh'";
        let expected_closed = sums(&mut tx, &closed(completed)).await;
        assert!(!expected_closed.is_empty());
        assert_eq!(
            sums(&mut tx, &closed("SELECT * FROM task_tally_closed")).await,
            expected_closed
        );
        drop(tx);
        store.close().await;
        let _ = std::fs::remove_file(&path);
    }
}
