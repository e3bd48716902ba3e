//! The official counts as of any day ([`Store::official_counts`], [`Store::period_counts`]):
//! the dashboard's figures, the report's, the roll-up of a cascade.
//!
//! A task's status on the day asked is rebuilt from its status history, its deadline from the
//! deadlines recorded by then, so the same question asked later gets the same answer. Three
//! sources give that answer, fastest first, each exact:
//! - over every task, by lead or in total, the tally of the stored standings (`crate::tally`),
//!   a few thousand rows whatever the number of tasks;
//! - otherwise the stored standings themselves (`crate::standing`), one row per task, grouped
//!   in SQL;
//! - the tasks whose history goes on after the day asked, or that have no standing, replayed
//!   from their histories (and taken out of the tally's sums).

use std::collections::{HashMap, HashSet};

use vn_calendar::{Calendar, Date};
use workflow::{Counts, Settings};

use crate::Store;
use crate::db::{Q, Tx, Value, q};
use crate::error::{Error, Result};
use crate::time::Timestamp;
use crate::tracking::{assess, calendar_error, closed_throughout, histories, rows_of};
use crate::types::{DocumentId, TaskId};

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

/// The documents of [`Store::most_overdue_documents`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRanking {
    /// The documents listed, their counts: most overdue tasks first, then most tasks, then by
    /// code.
    pub rows: Vec<CountRow>,
    /// The documents with overdue tasks left out of `rows`.
    pub more: u64,
}

/// One question: the counts as of the end of `as_of`, over the tasks of `scope`, for a period
/// from `open_since` when there is one.
#[derive(Clone, Copy)]
struct Question<'a> {
    open_since: Option<Date>,
    as_of: Date,
    scope: Scope,
    calendar: &'a Calendar,
    settings: &'a Settings,
}

impl Store {
    /// The five official counts as they stood at the end of `as_of`, grouped by lead agency,
    /// by document or in total, over the tasks of `scope`. With [`Scope::ImplementingTask`]
    /// this is the roll-up a higher task shows of the tasks that implement it (cascade).
    pub async fn official_counts(
        &self,
        as_of: Date,
        by: CountBy,
        scope: Scope,
        calendar: &Calendar,
        settings: &Settings,
    ) -> Result<Vec<CountRow>> {
        self.counts_each(None, as_of, &[by], scope, calendar, settings)
            .await
            .map(|mut each| each.remove(0))
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
        self.counts_each(Some(first), last, &[by], scope, calendar, settings)
            .await
            .map(|mut each| each.remove(0))
    }

    /// Several groupings of one question ([`Store::official_counts`] when `open_since` is
    /// `None`, else [`Store::period_counts`] from it), in the order of `bys`, from one
    /// snapshot: the tasks that must be replayed are replayed once for all of them.
    pub async fn counts_each(
        &self,
        open_since: Option<Date>,
        as_of: Date,
        bys: &[CountBy],
        scope: Scope,
        calendar: &Calendar,
        settings: &Settings,
    ) -> Result<Vec<Vec<CountRow>>> {
        let question = Question {
            open_since,
            as_of,
            scope,
            calendar,
            settings,
        };
        let mut tx = self.pool.snapshot().await?;
        let settled = crate::standing::usable(&mut tx, calendar).await?;
        let mut tallies: Vec<Tally> = bys.iter().map(|_| Tally::default()).collect();
        if settled {
            for (&by, tally) in bys.iter().zip(&mut tallies) {
                count_settled(&mut tx, question, by, None, tally).await?;
            }
        }
        let ids = replayed(&mut tx, question, settled).await?;
        replay(
            &mut tx,
            &[question],
            &ids,
            bys,
            std::slice::from_mut(&mut tallies),
        )
        .await?;
        Ok(tallies.into_iter().map(Tally::into_rows).collect())
    }

    /// The dashboard's documents, counted as [`Store::counts_each`] counts them over every
    /// task: all of them when there are at most `limit`; else the `limit` with the most
    /// overdue tasks on `as_of` (among equals, the latest written first), found without
    /// counting a hundred thousand documents.
    pub async fn most_overdue_documents(
        &self,
        open_since: Option<Date>,
        as_of: Date,
        limit: usize,
        calendar: &Calendar,
        settings: &Settings,
    ) -> Result<DocumentRanking> {
        let question = Question {
            open_since,
            as_of,
            scope: Scope::All,
            calendar,
            settings,
        };
        let mut tx = self.pool.snapshot().await?;
        let documents = tx.one(q("SELECT COUNT(*) FROM document")).await?.int(0)?;
        if documents as usize <= limit {
            drop(tx);
            let mut rows = self
                .counts_each(
                    open_since,
                    as_of,
                    &[CountBy::Document],
                    Scope::All,
                    calendar,
                    settings,
                )
                .await?
                .remove(0);
            sort_by_overdue(&mut rows);
            return Ok(DocumentRanking { rows, more: 0 });
        }
        let settled = crate::standing::usable(&mut tx, calendar).await?;
        let ids = replayed(&mut tx, question, settled).await?;
        let mut replayed_tally = vec![vec![Tally::default()]];
        replay(
            &mut tx,
            &[question],
            &ids,
            &[CountBy::Document],
            &mut replayed_tally,
        )
        .await?;
        let replayed_tally = replayed_tally.remove(0).remove(0);
        // Overdue tasks per document: the settled ones by the index of those that can be
        // overdue, the replayed ones as replayed.
        let mut overdue: HashMap<i64, u64> = HashMap::new();
        if settled {
            let rows = tx
                .all(
                    // The first condition is the index's own (SQLite uses a partial index
                    // only for a query that repeats its condition).
                    q("SELECT s.document_id, COUNT(*) FROM task_standing s \
                       WHERE (s.verdict IS NULL OR s.verdict = 'qua_han') \
                       AND (s.verdict = 'qua_han' OR s.due_day < $1) \
                       AND s.from_day <= $1 AND s.status <> 'huy' GROUP BY s.document_id")
                    .bind(as_of.to_string()),
                )
                .await?;
            for r in rows {
                *overdue.entry(r.int(0)?).or_default() += r.int(1)? as u64;
            }
        }
        for r in &replayed_tally.rows {
            if let Some(id) = r.id {
                *overdue.entry(id).or_default() += r.counts.open_overdue;
            }
        }
        overdue.retain(|_, n| *n > 0);
        let mut ranked: Vec<(i64, u64)> = overdue.into_iter().collect();
        ranked.sort_unstable_by_key(|&(id, n)| std::cmp::Reverse((n, id)));
        let more = ranked.len().saturating_sub(limit) as u64;
        ranked.truncate(limit);
        let chosen: HashSet<i64> = ranked.iter().map(|&(id, _)| id).collect();
        let mut tally = Tally::default();
        if settled && !chosen.is_empty() {
            let mut list: Vec<i64> = chosen.iter().copied().collect();
            list.sort_unstable();
            count_settled(
                &mut tx,
                question,
                CountBy::Document,
                Some(&list),
                &mut tally,
            )
            .await?;
        }
        for r in replayed_tally.rows {
            if r.id.is_some_and(|id| chosen.contains(&id)) {
                tally.merge(r);
            }
        }
        let mut rows = tally.into_rows();
        sort_by_overdue(&mut rows);
        Ok(DocumentRanking { rows, more })
    }

    /// The totals over every task at the end of each of `days` (the dashboard's completion
    /// chart), each as [`Store::official_counts`] by [`CountBy::Total`] gives it: the tasks
    /// replayed for the earliest day are read once for all the days.
    pub async fn totals_on(
        &self,
        days: &[Date],
        calendar: &Calendar,
        settings: &Settings,
    ) -> Result<Vec<Counts>> {
        let questions: Vec<Question> = days
            .iter()
            .map(|&as_of| Question {
                open_since: None,
                as_of,
                scope: Scope::All,
                calendar,
                settings,
            })
            .collect();
        let Some(&earliest) = questions.iter().min_by_key(|q| q.as_of) else {
            return Ok(Vec::new());
        };
        let mut tx = self.pool.snapshot().await?;
        let settled = crate::standing::usable(&mut tx, calendar).await?;
        let mut tallies: Vec<Vec<Tally>> = days.iter().map(|_| vec![Tally::default()]).collect();
        if settled {
            for (&question, tally) in questions.iter().zip(&mut tallies) {
                count_settled(&mut tx, question, CountBy::Total, None, &mut tally[0]).await?;
            }
        }
        let ids = replayed(&mut tx, earliest, settled).await?;
        replay(&mut tx, &questions, &ids, &[CountBy::Total], &mut tallies).await?;
        Ok(tallies
            .into_iter()
            .flatten()
            .map(|tally| {
                tally.rows.iter().fold(Counts::default(), |mut c, r| {
                    c.merge(&r.counts);
                    c
                })
            })
            .collect())
    }
}

/// Most overdue tasks first, then most tasks, then by code.
fn sort_by_overdue(rows: &mut [CountRow]) {
    rows.sort_by(|a, b| {
        (b.counts.open_overdue, b.counts.total(), &a.name, a.id).cmp(&(
            a.counts.open_overdue,
            a.counts.total(),
            &b.name,
            b.id,
        ))
    });
}

/// Counts into `tally`, grouped `by`, the tasks of the question settled by its day (their
/// history ends by then) from the stored standings, or from their tally when the question is
/// over every task; restricted to the tasks of `documents` when given (ids read from the
/// database).
async fn count_settled(
    tx: &mut Tx,
    question: Question<'_>,
    by: CountBy,
    documents: Option<&[i64]>,
    tally: &mut Tally,
) -> Result<()> {
    let Question {
        open_since,
        as_of,
        scope,
        calendar,
        settings,
    } = question;
    let (predicate, binds) = scope_filter(scope);
    let n = binds.len();
    let soon = workflow::due_soon_before(calendar, as_of, settings.near_due_working_days)
        .map_err(calendar_error)?;
    let mut within = match scope {
        Scope::All => "1 = 1".to_owned(),
        _ => format!("s.task_id IN (SELECT t.id FROM task t WHERE {predicate})"),
    };
    if let Some(documents) = documents {
        let list = documents
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        within.push_str(&format!(
            " AND s.task_id IN (SELECT t.id FROM task t WHERE t.document_id IN ({list}))"
        ));
    }
    let (p_as_of, p_soon, p_first) = (n + 1, n + 2, n + 3);
    let from_standing = crate::tally::FROM_STANDING;
    // The settled tasks' rows, in the tally's columns: over every task, by lead or in total,
    // the tally's sums less the standings of the tasks whose history goes on after `as_of`
    // (those are replayed); else the standings of the scope, one row per task.
    let settled_rows = if scope == Scope::All && by != CountBy::Document && documents.is_none() {
        format!(
            "{} UNION ALL SELECT {from_standing}, -1 AS n FROM task_standing s \
             WHERE s.from_day > ${p_as_of} AND s.status <> 'huy'",
            crate::tally::rows(open_since.map(|_| p_first))
        )
    } else {
        format!(
            "SELECT {from_standing}, 1 AS n FROM task_standing s \
             WHERE {within} AND s.from_day <= ${p_as_of} AND s.status <> 'huy'"
        )
    };
    let period = if open_since.is_some() {
        format!("AND NOT (c.status = 'hoan_thanh' AND c.closed_on < ${p_first})")
    } else {
        String::new()
    };
    let judged = format!(
        "CASE WHEN c.verdict IS NOT NULL THEN c.verdict \
         WHEN c.due_day IS NULL THEN 'khong_thoi_han' WHEN c.due_day < ${p_as_of} THEN 'qua_han' \
         WHEN c.due_day < ${p_soon} THEN 'sap_den_han' ELSE 'trong_han' END AS judged, \
         CAST(CASE WHEN c.status = 'tam_hoan' THEN 1 ELSE 0 END AS BIGINT) AS suspended, \
         CAST(SUM(c.n) AS BIGINT) AS n"
    );
    let counted = format!("FROM ({settled_rows}) c WHERE 1 = 1 {period}");
    let grouped: Vec<String> = match by {
        CountBy::LeadAgency => vec![
            format!(
                "SELECT c.lead_agency_id, c.lead_name, {judged} {counted} AND c.single = 1 \
                 GROUP BY 1, 2, 3, 4 HAVING SUM(c.n) <> 0"
            ),
            // The few tasks with several leads or none: by their lead assignments.
            format!(
                "SELECT a.agency_id, a.name, {judged} FROM (SELECT {from_standing}, s.task_id, \
                 1 AS n FROM task_standing s WHERE {within} AND s.from_day <= ${p_as_of} \
                 AND s.status <> 'huy' AND s.task_id IN (SELECT task_id FROM task_standing WHERE leads <> 1)) c \
                 JOIN task_assignment a ON a.task_id = c.task_id AND a.role = 'lead' WHERE 1 = 1 {period} \
                 GROUP BY 1, 2, 3, 4"
            ),
        ],
        CountBy::Document => vec![format!(
            "SELECT x.document_id, COALESCE(d.code, d.file_name), x.judged, x.suspended, x.n FROM \
             (SELECT c.document_id AS document_id, {judged} {counted} GROUP BY 1, 2, 3) x \
             JOIN document d ON d.id = x.document_id"
        )],
        CountBy::Total => vec![format!(
            "SELECT CAST(NULL AS BIGINT), '', {judged} {counted} GROUP BY 3, 4 HAVING SUM(c.n) <> 0"
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
        let mut query = binds
            .iter()
            .cloned()
            .fold(q(sql), Q::bind)
            .bind(as_of.to_string())
            .bind(soon.to_string());
        if let Some(first) = open_since {
            query = query.bind(first.to_string());
        }
        for r in tx.all(query).await? {
            let id = r.opt_int(0)?;
            let name = match id.and_then(|id| agencies.get(&id)) {
                Some(agency) => agency.clone(),
                None => r.opt_text(1)?.unwrap_or_default(),
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
    Ok(())
}

/// A task replayed, and the first day of its stored standing (`None` without one): a question
/// about that day or later counts it from the standing instead.
type Replayed = (i64, Option<Date>);

/// The tasks of the question that are replayed, in id order: every one when the standings
/// are not `settled` (computed with another calendar); else those whose history goes on after
/// its day (by the index on `from_day`), and those without a standing when there are any.
async fn replayed(tx: &mut Tx, question: Question<'_>, settled: bool) -> Result<Vec<Replayed>> {
    let (predicate, binds) = scope_filter(question.scope);
    let n = binds.len();
    let within = match question.scope {
        Scope::All => "1 = 1".to_owned(),
        _ => format!("s.task_id IN (SELECT t.id FROM task t WHERE {predicate})"),
    };
    let sql = if !settled {
        format!("SELECT t.id, NULL AS from_day FROM task t WHERE {predicate}")
    } else {
        let later = format!(
            "SELECT s.task_id AS id, s.from_day FROM task_standing s WHERE s.from_day > ${} AND {within}",
            n + 1
        );
        if crate::standing::missing_any(tx).await? {
            format!(
                "{later} UNION SELECT t.id, NULL FROM task t WHERE {predicate} AND NOT EXISTS \
                 (SELECT 1 FROM task_standing s WHERE s.task_id = t.id)"
            )
        } else {
            later
        }
    };
    let mut query = binds.into_iter().fold(
        q(format!("SELECT id, from_day FROM ({sql}) r ORDER BY id")),
        Q::bind,
    );
    if settled {
        query = query.bind(question.as_of.to_string());
    }
    tx.all(query)
        .await?
        .iter()
        .map(|r| Ok((r.int(0)?, r.opt_date(1)?)))
        .collect()
}

/// Replays the histories of `tasks` into the tallies: for each question (same scope, other
/// days), one tally per grouping of `bys`, each task as of the question's day unless its
/// standing already counted it.
async fn replay(
    tx: &mut Tx,
    questions: &[Question<'_>],
    tasks: &[Replayed],
    bys: &[CountBy],
    tallies: &mut [Vec<Tally>],
) -> Result<()> {
    let by_lead = bys.contains(&CountBy::LeadAgency);
    // A round of tasks at a time: memory stays that of one round however many there are.
    for round in tasks.chunks(REPLAY_ROUND) {
        // Integers read above: safe to list in the statement.
        let list = round
            .iter()
            .map(|(id, _)| id.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let tasks_rows = tx
            .all(q(format!(
                "SELECT t.id, t.created_at, d.issued_on, d.id, COALESCE(d.code, d.file_name) FROM task t \
                 JOIN document d ON d.id = t.document_id WHERE t.id IN ({list}) ORDER BY t.id"
            )))
            .await?;
        let histories = histories(tx, &list).await?;
        let leads = if by_lead {
            tx.all(q(format!(
                "SELECT a.task_id, a.agency_id, a.name, g.name FROM task_assignment a \
                 LEFT JOIN agency g ON g.id = a.agency_id WHERE a.role = 'lead' AND a.task_id IN ({list}) \
                 ORDER BY a.task_id, a.position"
            )))
            .await?
        } else {
            Vec::new()
        };
        let mut li = 0;
        for (t, &(id, from)) in tasks_rows.iter().zip(round) {
            let task = t.int(0)?;
            if task != id {
                // Read in one snapshot, both in id order: a task of the round without its row
                // would shift every later one.
                return Err(Error::Invalid {
                    what: "nhiệm vụ cần tính lại",
                    value: format!("#{id}"),
                });
            }
            let created: Timestamp = t.parsed(1)?;
            let assigned_on = t.opt_date(2)?.unwrap_or(created.date_in_vietnam());
            let past = histories.of(task);
            let (history, records) = (&past.changes, past.deadlines(assigned_on));
            let task_leads = rows_of(&leads, &mut li, task)?;
            for (question, tallies) in questions.iter().zip(tallies.iter_mut()) {
                let Question {
                    open_since,
                    as_of,
                    calendar,
                    settings,
                    ..
                } = *question;
                if from.is_some_and(|from| from <= as_of)
                    || open_since
                        .is_some_and(|first| closed_throughout(history, assigned_on, first, as_of))
                {
                    continue;
                }
                let Some(assessment) =
                    assess(history, &records, assigned_on, as_of, calendar, settings)?
                else {
                    continue;
                };
                for (by, tally) in bys.iter().zip(tallies.iter_mut()) {
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
        }
    }
    Ok(())
}

/// Count rows by agency or document, each `(id, name)` once.
#[derive(Default)]
struct Tally {
    rows: Vec<CountRow>,
    index: HashMap<(Option<i64>, String), usize>,
}

impl Tally {
    fn row(&mut self, id: Option<i64>, name: String) -> &mut Counts {
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
        &mut rows[at].counts
    }

    fn add(&mut self, id: Option<i64>, name: String, assessment: &workflow::Assessment, n: u64) {
        self.row(id, name).add_many(assessment, n);
    }

    fn merge(&mut self, other: CountRow) {
        self.row(other.id, other.name).merge(&other.counts);
    }

    /// The rows by name. Codes repeat from year to year ("7/UBND-KTTH"): the id keeps the
    /// order the same however the rows were found.
    fn into_rows(self) -> Vec<CountRow> {
        let mut rows = self.rows;
        rows.sort_by(|a, b| (&a.name, a.id).cmp(&(&b.name, b.id)));
        rows
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
