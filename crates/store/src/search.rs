//! Full-text search over documents and tasks, diacritics and case ignored ("so ke hoach" finds
//! "Sở Kế hoạch", "nghi dinh 107" finds "Nghị định số 107/2021/NĐ-CP").
//!
//! One folding, two indexes. The text is folded by [`vn_text::fold`] here, in Rust, and cut
//! into words ([`words`]); the database indexes the folded words with its own machinery
//! (SQLite: an external-content FTS5 table; PostgreSQL: a GIN index over
//! `to_tsvector('simple', folded)`), and a query is folded and cut the same way. Both engines
//! then only compare plain words, so every app server on either database finds the same rows.
//!
//! The database cannot call the folding function, so it cannot index inside a trigger. Its
//! triggers (migration 6) instead mark a changed document or task in `search_dirty`, in the
//! transaction that changed it, whatever code wrote it (a commit, a restore, a review commit
//! from the command line); [`Store::refresh_search_index`] folds the marked rows into
//! `search_entry`, and every search runs it first, so nothing committed is missing from the
//! results. On PostgreSQL several servers refresh at once without waiting on each other (the
//! marks are claimed `FOR UPDATE SKIP LOCKED`).

use crate::Store;
use crate::db::{Backend, Tx, q};
use crate::error::Result;
use crate::queries::VISIBLE;
use crate::types::{DocumentCode, DocumentId, UserId};

/// What a search result is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SearchKind {
    /// A committed document.
    Document,
    /// A task.
    Task,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SearchHit {
    /// Document or task.
    pub kind: SearchKind,
    /// The document's or the task's id.
    pub id: i64,
    /// The document (the task's, for a task).
    pub document: DocumentId,
    /// The document's `number/symbol`.
    pub code: Option<DocumentCode>,
    /// The task's number in the document's outline (tasks only).
    pub outline_id: Option<String>,
    /// The document's subject, or the task's text.
    pub title: Option<String>,
    /// The task's progress status (tasks only).
    pub status: Option<String>,
}

/// One page of search results.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SearchPage {
    /// The results, in index order.
    pub items: Vec<SearchHit>,
    /// The cursor of the next page (`after`), when there is one.
    pub next: Option<i64>,
}

/// Folded words of `text`: [`vn_text::fold`], then every run of letters and digits a word,
/// everything else a separator, so `107/2021/NĐ-CP` is `107 2021 nd cp` in the index and in a
/// query alike.
pub fn words(text: &str) -> Vec<String> {
    vn_text::fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The query the database's index takes for `text`: every word must be present, the last one
/// as a prefix (results while typing); `None` when `text` has no word at all. Words hold only
/// letters and digits, so nothing in them is query syntax.
pub(crate) fn match_query(backend: Backend, text: &str) -> Option<String> {
    let words = words(text);
    let (last, rest) = words.split_last()?;
    Some(match backend {
        Backend::Sqlite => {
            let mut out: Vec<String> = rest.iter().map(|w| format!("\"{w}\"")).collect();
            out.push(format!("\"{last}\"*"));
            out.join(" ")
        }
        Backend::Postgres => {
            let mut out: Vec<String> = rest.to_vec();
            out.push(format!("{last}:*"));
            out.join(" & ")
        }
    })
}

/// A condition on `search_entry e` that holds when its words match the query bound at `param`.
pub(crate) fn match_condition(backend: Backend, param: &str) -> String {
    match backend {
        Backend::Sqlite => {
            format!("e.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH {param})")
        }
        Backend::Postgres => {
            format!("to_tsvector('simple', e.folded) @@ to_tsquery('simple', {param})")
        }
    }
}

/// Marks claimed per round of [`Store::refresh_search_index`].
const REFRESH_BATCH: i64 = 500;

impl Store {
    /// Folds every document and task marked changed into the search index; the number of
    /// entries written or removed. Cheap when nothing is marked (one indexed read).
    pub async fn refresh_search_index(&self) -> Result<u64> {
        {
            let mut tx = self.pool.read().await?;
            if tx
                .optional(q("SELECT 1 FROM search_dirty LIMIT 1"))
                .await?
                .is_none()
            {
                return Ok(0);
            }
        }
        let mut total = 0;
        loop {
            let mut tx = self.pool.write().await?;
            let claimed = tx
                .all(q(format!(
                    "DELETE FROM search_dirty WHERE (kind, ref_id) IN \
                     (SELECT kind, ref_id FROM search_dirty LIMIT {REFRESH_BATCH}{}) RETURNING kind, ref_id",
                    self.backend().claim_rows()
                )))
                .await?;
            if claimed.is_empty() {
                return Ok(total);
            }
            for r in &claimed {
                let kind = r.text(0)?;
                let id = r.int(1)?;
                index_one(&mut tx, &kind, id).await?;
                total += 1;
            }
            tx.commit().await?;
        }
    }

    /// Documents and tasks whose text holds every word of `query` (the last as a prefix),
    /// diacritics and case ignored; for an agency member, only the tasks they see and the
    /// documents assigning them one. A page after the cursor `after`.
    pub async fn search(
        &self,
        query: &str,
        visible_to: Option<UserId>,
        after: Option<i64>,
        limit: u32,
    ) -> Result<SearchPage> {
        let limit = i64::from(limit.clamp(1, 500));
        let Some(matched) = match_query(self.backend(), query) else {
            return Ok(SearchPage {
                items: Vec::new(),
                next: None,
            });
        };
        self.refresh_search_index().await?;
        let mut conds = vec![
            "e.id > $1".to_owned(),
            match_condition(self.backend(), "$2"),
        ];
        if visible_to.is_some() {
            let visible = VISIBLE.replace("{user}", "$3");
            // `e.kind || ''` keeps SQLite from driving the query by the index on kind (a scan
            // of every entry with a visibility check each: 0.27 s at 100,000 tasks); the
            // full-text match then drives it in id order and LIMIT stops it early (8 ms).
            conds.push(format!(
                "((e.kind || '' = 'task' AND EXISTS (SELECT 1 FROM task t WHERE t.id = e.ref_id AND {visible})) \
                 OR (e.kind || '' = 'document' AND EXISTS (SELECT 1 FROM task t WHERE t.document_id = e.ref_id AND {visible})))"
            ));
        }
        let mut statement = q(format!(
            "SELECT e.id, e.kind, e.ref_id FROM search_entry e WHERE {} ORDER BY e.id LIMIT {}",
            conds.join(" AND "),
            limit + 1
        ))
        .bind(after.unwrap_or(0))
        .bind(matched);
        if let Some(user) = visible_to {
            statement = statement.bind(user.0);
        }
        let mut tx = self.pool.read().await?;
        let rows = tx.all(statement).await?;
        let mut items = Vec::new();
        let mut next = None;
        for (i, r) in rows.iter().enumerate() {
            if i as i64 == limit {
                next = Some(rows[i - 1].int(0)?);
                break;
            }
            let id = r.int(2)?;
            let hit = if r.text(1)? == "task" {
                let t = tx
                    .one(
                        q(
                            "SELECT t.document_id, d.code, t.outline_id, t.text, t.status \
                           FROM task t JOIN document d ON d.id = t.document_id WHERE t.id = $1",
                        )
                        .bind(id),
                    )
                    .await?;
                SearchHit {
                    kind: SearchKind::Task,
                    id,
                    document: DocumentId(t.int(0)?),
                    code: t.opt_parsed(1)?,
                    outline_id: Some(t.text(2)?),
                    title: Some(t.text(3)?),
                    status: Some(t.text(4)?),
                }
            } else {
                let d = tx
                    .one(q("SELECT code, subject FROM document WHERE id = $1").bind(id))
                    .await?;
                SearchHit {
                    kind: SearchKind::Document,
                    id,
                    document: DocumentId(id),
                    code: d.opt_parsed(0)?,
                    outline_id: None,
                    title: d.opt_text(1)?,
                    status: None,
                }
            };
            items.push(hit);
        }
        Ok(SearchPage { items, next })
    }

    /// The text filter of [`Store::task_page`] through the index: a condition on `task t`,
    /// with the [`match_query`] bound at `param`.
    pub(crate) fn task_text_condition(&self, param: &str) -> String {
        format!(
            "t.id IN (SELECT e.ref_id FROM search_entry e WHERE e.kind = 'task' AND {})",
            match_condition(self.backend(), param)
        )
    }
}

/// Writes the index entry of one document or task, or removes it when the row is gone.
async fn index_one(tx: &mut Tx, kind: &str, id: i64) -> Result<()> {
    let text = match kind {
        "document" => tx
            .optional(
                q("SELECT kind, code, issuer, subject, text FROM document WHERE id = $1").bind(id),
            )
            .await?
            .map(|r| -> Result<String> {
                Ok([
                    r.opt_text(0)?,
                    r.opt_text(1)?,
                    r.opt_text(2)?,
                    r.opt_text(3)?,
                    Some(r.text(4)?),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("\n"))
            })
            .transpose()?,
        _ => tx
            .optional(q("SELECT outline_id, text FROM task WHERE id = $1").bind(id))
            .await?
            .map(|r| -> Result<String> { Ok(format!("{}\n{}", r.text(0)?, r.text(1)?)) })
            .transpose()?,
    };
    match text {
        Some(text) => {
            tx.execute(
                q(
                    "INSERT INTO search_entry (kind, ref_id, folded) VALUES ($1, $2, $3) \
                   ON CONFLICT (kind, ref_id) DO UPDATE SET folded = excluded.folded",
                )
                .bind(kind)
                .bind(id)
                .bind(words(&text).join(" ")),
            )
            .await?;
        }
        None => {
            tx.execute(
                q("DELETE FROM search_entry WHERE kind = $1 AND ref_id = $2")
                    .bind(kind)
                    .bind(id),
            )
            .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_folded_and_split_on_punctuation() {
        assert_eq!(
            words("Nghị định số 107/2021/NĐ-CP"),
            ["nghi", "dinh", "so", "107", "2021", "nd", "cp"]
        );
        assert_eq!(
            words("Sở Kế hoạch và Đầu tư"),
            ["so", "ke", "hoach", "va", "dau", "tu"]
        );
        assert!(words(" — / ").is_empty());
    }

    #[test]
    fn queries_hold_only_words() {
        assert_eq!(
            match_query(Backend::Sqlite, "nghị định \"107\" OR x*").as_deref(),
            Some("\"nghi\" \"dinh\" \"107\" \"or\" \"x\"*")
        );
        assert_eq!(
            match_query(Backend::Postgres, "so ke hoach").as_deref(),
            Some("so & ke & hoach:*")
        );
        assert_eq!(match_query(Backend::Postgres, "!&|"), None);
    }
}
