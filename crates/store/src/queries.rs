//! The API's reading side: pages of tasks and documents narrowed by filters and by what a user
//! may see, and the visibility checks the API's access layer makes before any handler runs.
//!
//! "What a user may see" is one SQL predicate ([`VISIBLE`]): a task is an agency member's when
//! an agency of theirs leads or supports it, directly or as a member of a group that does. The
//! same predicate serves the single-task check and the lists, so the two cannot disagree.

use std::collections::HashSet;

use vn_calendar::{Calendar, Date};
use workflow::{Status, Timeliness};

use crate::Store;
use crate::db::{Q, Value, q};
use crate::error::{Error, Result};
use crate::tasks::Task;
use crate::time::Timestamp;
use crate::types::{AgencyId, AttachmentId, DocumentCode, DocumentId, ExtensionId, TaskId, UserId};

/// The tasks an agency member sees: `{user}` is replaced by the parameter holding their id.
pub(crate) const VISIBLE: &str = "EXISTS (SELECT 1 FROM task_assignment va JOIN agency_membership vm ON vm.user_id = {user} \
     WHERE va.task_id = t.id AND (va.agency_id = vm.agency_id OR EXISTS (SELECT 1 FROM agency_group_member vg \
     WHERE vg.group_id = va.agency_id AND vg.member_id = vm.agency_id)))";

/// Timeliness on a given day, as a filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimelinessOn {
    /// The timeliness wanted.
    pub timeliness: Timeliness,
    /// The day it is computed for (from the task's current status and deadline in force).
    pub as_of: Date,
    /// N of sắp đến hạn.
    pub near_due_working_days: u32,
}

/// Which tasks [`Store::task_page`] lists. Every filter given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskFilter {
    /// Only tasks this agency member sees ([`VISIBLE`]); `None`: every task.
    pub visible_to: Option<UserId>,
    /// Led or supported by this agency, now or as assigned.
    pub agency: Option<AgencyId>,
    /// In this progress status.
    pub status: Option<Status>,
    /// Timeliness on a day.
    pub timeliness: Option<TimelinessOn>,
    /// Deadline in force on or after this day.
    pub due_from: Option<Date>,
    /// Deadline in force on or before this day.
    pub due_to: Option<Date>,
    /// Assigned by this document.
    pub document: Option<DocumentId>,
    /// Text containing these words (the last one as a prefix), diacritics and case ignored,
    /// through the search index (`search.rs`).
    pub text: Option<String>,
    /// Tasks after this one (the cursor of the previous page).
    pub after: Option<TaskId>,
    /// Page size.
    pub limit: u32,
}

/// One page of tasks.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TaskPage {
    /// The tasks, by id.
    pub items: Vec<Task>,
    /// The cursor of the next page (`after`), when there is one.
    pub next: Option<TaskId>,
}

/// A document as lists show it (without its text and parse result).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DocumentSummary {
    /// Its id.
    pub id: DocumentId,
    /// `number/symbol`.
    pub code: Option<DocumentCode>,
    /// Year of issue.
    pub year: Option<i64>,
    /// Issuing body.
    pub issuer: Option<String>,
    /// Date of issue (ISO).
    pub issued_on: Option<String>,
    /// Subject line.
    pub subject: Option<String>,
    /// File name as imported.
    pub file_name: String,
    /// When it was committed.
    pub imported_at: Timestamp,
    /// How many tasks it assigns.
    pub tasks: i64,
}

/// Binds parameters in order and numbers them, so a query can be built from optional parts.
struct Params {
    q: Vec<Value>,
}

impl Params {
    fn push(&mut self, v: impl Into<Value>) -> String {
        self.q.push(v.into());
        format!("${}", self.q.len())
    }

    fn query(self, sql: String) -> Q {
        self.q.into_iter().fold(q(sql), Q::bind)
    }
}

/// Rows fetched per round while the filter applied in Rust (timeliness) thins them out.
const BATCH: usize = 500;

impl Store {
    /// A page of tasks by id, filtered. Text is matched by the search index in SQL; timeliness
    /// is checked on the rows the SQL filters leave, in batches, so a page is always full
    /// unless the tasks run out.
    pub async fn task_page(&self, filter: &TaskFilter, calendar: &Calendar) -> Result<TaskPage> {
        let limit = filter.limit.clamp(1, 500) as usize;
        let needle = filter
            .text
            .as_deref()
            .and_then(|t| crate::search::match_query(self.backend(), t));
        if needle.is_some() {
            self.refresh_search_index().await?;
        }
        let mut after = filter.after.map_or(0, |t| t.0);
        // Only timeliness is filtered in Rust; without it, the SQL's rows are the page.
        let batch = if filter.timeliness.is_some() {
            BATCH
        } else {
            limit + 1
        };
        let mut ids = Vec::new();
        let mut next = None;
        // One snapshot for the page's rounds and its tasks.
        let mut tx = self.pool.read().await?;
        'rounds: loop {
            let mut p = Params { q: Vec::new() };
            let mut conds = vec![format!("t.id > {}", p.push(after))];
            if let Some(user) = filter.visible_to {
                conds.push(VISIBLE.replace("{user}", &p.push(user.0)));
            }
            if let Some(a) = filter.agency {
                let n = p.push(a.0);
                conds.push(format!("EXISTS (SELECT 1 FROM task_assignment fa WHERE fa.task_id = t.id AND (fa.agency_id = {n} OR fa.original_agency_id = {n}))"));
            }
            if let Some(s) = filter.status {
                conds.push(format!("t.status = {}", p.push(s.code())));
            }
            if let Some(d) = filter.document {
                conds.push(format!("t.document_id = {}", p.push(d.0)));
            }
            if let Some(n) = &needle {
                conds.push(self.task_text_condition(&p.push(n.as_str())));
            }
            const DUE: &str = "(SELECT l.due_on FROM task_deadline l WHERE l.task_id = t.id ORDER BY l.id DESC LIMIT 1)";
            if let Some(d) = filter.due_from {
                conds.push(format!("{DUE} >= {}", p.push(d.to_string())));
            }
            if let Some(d) = filter.due_to {
                conds.push(format!("{DUE} <= {}", p.push(d.to_string())));
            }
            // The deadline and the day of completion only for the timeliness filter.
            let judged = if filter.timeliness.is_some() {
                format!(
                    ", {DUE}, (SELECT MAX(c.on_date) FROM task_status_change c \
                     WHERE c.task_id = t.id AND c.to_status = 'hoan_thanh')"
                )
            } else {
                String::new()
            };
            let sql = format!(
                "SELECT t.id, t.status{judged} FROM task t WHERE {} ORDER BY t.id LIMIT {batch}",
                conds.join(" AND ")
            );
            let rows = tx.all(p.query(sql)).await?;
            for r in &rows {
                let id = r.int(0)?;
                after = id;
                if let Some(t) = filter.timeliness {
                    let status = Status::from_code(&r.text(1)?).unwrap_or(Status::ChuaThucHien);
                    let due = r.opt_date(2)?;
                    let computed = match status {
                        Status::Huy => None,
                        Status::HoanThanh => {
                            let done = r.opt_date(3)?.unwrap_or(t.as_of);
                            Some(workflow::done_timeliness(calendar, due, done))
                        }
                        _ => Some(workflow::open_timeliness(
                            calendar,
                            due,
                            t.as_of,
                            t.near_due_working_days,
                        )),
                    }
                    .transpose()
                    .map_err(|e| Error::Invalid {
                        what: "ngày (ngoài lịch 1900–2199)",
                        value: e.to_string(),
                    })?;
                    if computed != Some(t.timeliness) {
                        continue;
                    }
                }
                if ids.len() == limit {
                    next = ids.last().copied().map(TaskId);
                    break 'rounds;
                }
                ids.push(id);
            }
            if rows.len() < batch {
                break;
            }
        }
        // The page's tasks in three statements, not a transaction and three statements per
        // task (at a million tasks that made a page of 25 cost 5 to 10 times its query). The
        // ids are integers read above, so listing them in the statement is safe; they are in
        // order, as `load_tasks` returns them.
        let items = match ids.first() {
            Some(&first) => {
                let list: Vec<String> = ids.iter().map(i64::to_string).collect();
                let filter = format!("t.id IN ({}) AND t.id >= $1", list.join(", "));
                crate::tasks::load_tasks(&mut tx, &filter, first).await?
            }
            None => Vec::new(),
        };
        Ok(TaskPage { items, next })
    }

    /// Whether an agency member sees this task. A task that does not exist is
    /// [`Error::NotFound`].
    pub async fn task_visible_to(&self, task: TaskId, user: UserId) -> Result<bool> {
        let mut tx = self.pool.read().await?;
        let r = tx
            .optional(
                q(format!(
                    "SELECT CAST(CASE WHEN {} THEN 1 ELSE 0 END AS BIGINT) FROM task t WHERE t.id = $1",
                    VISIBLE.replace("{user}", "$2")
                ))
                .bind(task.0)
                .bind(user.0),
            )
            .await?
            .ok_or_else(|| Error::NotFound {
                what: "nhiệm vụ",
                id: task.to_string(),
            })?;
        Ok(r.int(0)? == 1)
    }

    /// Whether an agency member sees this document: it assigns a task they see.
    pub async fn document_visible_to(&self, document: DocumentId, user: UserId) -> Result<bool> {
        let mut tx = self.pool.read().await?;
        tx.optional(q("SELECT 1 FROM document WHERE id = $1").bind(document.0))
            .await?
            .ok_or_else(|| Error::NotFound {
                what: "văn bản",
                id: document.to_string(),
            })?;
        Ok(tx
            .optional(
                q(format!(
                    "SELECT 1 FROM task t WHERE t.document_id = $1 AND {}",
                    VISIBLE.replace("{user}", "$2")
                ))
                .bind(document.0)
                .bind(user.0),
            )
            .await?
            .is_some())
    }

    /// The documents assigning `user` a task it sees ([`VISIBLE`]): what an agency's counts by
    /// document keep, found from its agencies' assignments in one query rather than a query
    /// per document.
    pub async fn documents_visible_to(&self, user: UserId) -> Result<HashSet<i64>> {
        let mut tx = self.pool.read().await?;
        tx.all(
            q("SELECT DISTINCT t.document_id FROM task t WHERE t.id IN ( \
                 SELECT va.task_id FROM task_assignment va \
                 JOIN agency_membership vm ON vm.user_id = $1 AND va.agency_id = vm.agency_id \
                 UNION SELECT va.task_id FROM task_assignment va \
                 JOIN agency_group_member vg ON vg.group_id = va.agency_id \
                 JOIN agency_membership vm ON vm.user_id = $1 AND vg.member_id = vm.agency_id)")
            .bind(user.0),
        )
        .await?
        .iter()
        .map(|r| r.int(0))
        .collect()
    }

    /// The task an extension request is about.
    pub async fn extension_task(&self, id: ExtensionId) -> Result<TaskId> {
        let mut tx = self.pool.read().await?;
        Ok(TaskId(
            tx.optional(q("SELECT task_id FROM extension_request WHERE id = $1").bind(id.0))
                .await?
                .ok_or_else(|| Error::NotFound {
                    what: "đề nghị gia hạn",
                    id: id.to_string(),
                })?
                .int(0)?,
        ))
    }

    /// The task a progress report's attachment belongs to, with the attachment's file name and
    /// media type as uploaded (for a download's headers).
    pub async fn attachment_task(&self, id: AttachmentId) -> Result<(TaskId, String, String)> {
        let mut tx = self.pool.read().await?;
        let r = tx
            .optional(
                q(
                    "SELECT r.task_id, a.file_name, a.media_type FROM attachment a \
                   JOIN progress_report r ON r.id = a.report_id WHERE a.id = $1",
                )
                .bind(id.0),
            )
            .await?
            .ok_or_else(|| Error::NotFound {
                what: "tệp đính kèm",
                id: id.to_string(),
            })?;
        Ok((TaskId(r.int(0)?), r.text(1)?, r.text(2)?))
    }

    /// A page of documents by id; for an agency member, those assigning a task they see.
    pub async fn document_page(
        &self,
        visible_to: Option<UserId>,
        after: Option<DocumentId>,
        limit: u32,
    ) -> Result<(Vec<DocumentSummary>, Option<DocumentId>)> {
        let limit = limit.clamp(1, 500);
        let mut p = Params { q: Vec::new() };
        let mut conds = vec![format!("d.id > {}", p.push(after.map_or(0, |d| d.0)))];
        if let Some(user) = visible_to {
            conds.push(format!(
                "EXISTS (SELECT 1 FROM task t WHERE t.document_id = d.id AND {})",
                VISIBLE.replace("{user}", &p.push(user.0))
            ));
        }
        let sql = format!(
            "SELECT d.id, d.code, d.year, d.issuer, d.issued_on, d.subject, d.file_name, d.imported_at, \
             (SELECT COUNT(*) FROM task c WHERE c.document_id = d.id) FROM document d WHERE {} ORDER BY d.id LIMIT {}",
            conds.join(" AND "),
            limit + 1
        );
        let mut tx = self.pool.read().await?;
        let rows = tx.all(p.query(sql)).await?;
        let mut items = rows
            .iter()
            .map(|r| {
                Ok(DocumentSummary {
                    id: DocumentId(r.int(0)?),
                    code: r.opt_parsed(1)?,
                    year: r.opt_int(2)?,
                    issuer: r.opt_text(3)?,
                    issued_on: r.opt_text(4)?,
                    subject: r.opt_text(5)?,
                    file_name: r.text(6)?,
                    imported_at: r.parsed(7)?,
                    tasks: r.int(8)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let next = cut_page(&mut items, limit, |d| d.id);
        Ok((items, next))
    }
}

/// Cuts a page read with `LIMIT limit + 1` back to `limit` items; the cursor of the next page
/// (the last item's key) when there was one more.
pub(crate) fn cut_page<T, K>(items: &mut Vec<T>, limit: u32, key: impl Fn(&T) -> K) -> Option<K> {
    if items.len() > limit as usize {
        items.truncate(limit as usize);
        items.last().map(key)
    } else {
        None
    }
}
