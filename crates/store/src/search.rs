//! Full-text search over documents and tasks, diacritics and case ignored ("so ke hoach" finds
//! "Sở Kế hoạch", "nghi dinh 107" finds "Nghị định số 107/2021/NĐ-CP").
//!
//! One folding, two indexes. The text is folded by [`vn_text::fold`] here, in Rust, and cut
//! into words ([`words`]); the database indexes the folded words with its own machinery
//! (SQLite: an external-content FTS5 table with prefix indexes; PostgreSQL: a GIN index over
//! `search_keys(id, folded)`, the words, their prefixes and blocks of ids: migration 13), and
//! a query is folded and cut the same way. Both engines then only compare plain words, so
//! every app server on either database finds the same rows, in the same order.
//!
//! A page costs the same at 10,000 or 1,000,000 tasks: the matches are read in index order
//! from the cursor on and the reading stops at the page, instead of gathering and sorting
//! every match (a common word matches a tenth of the province) or merging every word that
//! begins with a typed prefix ("n" matches them all): 2-5 ms a page at 100,000 and at
//! 1,000,000 tasks on either database, where it was up to 0.5 s on SQLite and 32 s on
//! PostgreSQL at 1,000,000.
//!
//! The database cannot call the folding function, so it cannot index inside a trigger. Its
//! triggers (migration 6) instead mark a changed document or task in `search_dirty`, in the
//! transaction that changed it, whatever code wrote it (a commit, a restore, a review commit
//! from the command line); [`Store::refresh_search_index`] folds the marked rows into
//! `search_entry`, and every search runs it first, so nothing committed is missing from the
//! results. On PostgreSQL several servers refresh at once without waiting on each other (the
//! marks are claimed `FOR UPDATE SKIP LOCKED`).

use std::collections::HashMap;

use crate::Store;
use crate::db::{Backend, Tx, q};
use crate::error::Result;
use crate::queries::VISIBLE;
use crate::types::{DocumentCode, DocumentId, UserId};

/// What a search result is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
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

/// Longest prefix the indexes hold as a key of its own (migration 13: FTS5's `prefix` option,
/// PostgreSQL's '^' keys). A longer last word is looked up by its first six characters and
/// then as a prefix proper, among the few words that begin with those.
const PREFIX_KEY: usize = 6;

/// Longest word (bytes) PostgreSQL's index holds (migration 13: no tsvector key may reach 2,048
/// bytes). A longer one is in no entry there, so a query with one finds nothing.
const LONGEST_KEY: usize = 2000;

/// The block sizes (as powers of two) PostgreSQL's index has a key for, smallest first
/// (migration 13, `search_keys`): a search reads a window of two blocks of one size at a time,
/// the next size when a window did not fill the page.
const BLOCK_SIZES: [u32; 9] = [10, 12, 14, 16, 18, 20, 22, 24, 26];

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
            // Keys as they are in `search_keys` (quoted, so no parser touches them); '~' alone
            // is no key, for a word the index cannot hold.
            let key = |w: &str| {
                if w.len() > LONGEST_KEY {
                    "'~'".to_owned()
                } else {
                    format!("'{w}'")
                }
            };
            let mut out: Vec<String> = rest.iter().map(|w| key(w)).collect();
            if last.len() > LONGEST_KEY {
                out.push(key(last));
            } else if last.chars().count() <= PREFIX_KEY {
                out.push(format!("'^{last}'"));
            } else {
                let head: String = last.chars().take(PREFIX_KEY).collect();
                out.push(format!("'^{head}'"));
                out.push(format!("'{last}':*"));
            }
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
            format!("search_keys(e.id, e.folded) @@ CAST({param} AS tsquery)")
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
    /// documents assigning them one. A page after the cursor `after`, in index order (the
    /// order entries were indexed in: `search_entry.id`), `next` the cursor of the next page.
    ///
    /// The index gives the matches in that order and the page stops the reading, so a page
    /// costs about the same however many entries match: SQLite's FTS5 reads its posting
    /// lists in rowid order from the cursor on; PostgreSQL's GIN index, which has no order, is
    /// asked for one window of ids after another (`BLOCK_SIZES`).
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
        let visible = match visible_to {
            Some(_) => {
                let visible = VISIBLE.replace("{user}", "$3");
                format!(
                    " AND ((e.kind = 'task' AND EXISTS (SELECT 1 FROM task t WHERE t.id = e.ref_id AND {visible})) \
                     OR (e.kind = 'document' AND EXISTS (SELECT 1 FROM task t WHERE t.document_id = e.ref_id AND {visible})))"
                )
            }
            None => String::new(),
        };
        let after = after.unwrap_or(0).max(0);
        let mut tx = self.pool.read().await?;
        // (entry id, kind, document or task id): the page and one more, to know there is a next.
        let mut entries: Vec<(i64, String, i64)> = Vec::new();
        match self.backend() {
            Backend::Sqlite => {
                // FTS5 drives (CROSS JOIN keeps it outside): its rowid order is the order asked
                // for, so it reads from the cursor on and stops once the page is full.
                let mut statement = q(format!(
                    "SELECT e.id, e.kind, e.ref_id FROM search_fts CROSS JOIN search_entry e \
                     WHERE search_fts MATCH $2 AND search_fts.rowid > $1 AND e.id = search_fts.rowid{visible} \
                     ORDER BY search_fts.rowid LIMIT {}",
                    limit + 1
                ))
                .bind(after)
                .bind(matched);
                if let Some(user) = visible_to {
                    statement = statement.bind(user.0);
                }
                for r in tx.all(statement).await? {
                    entries.push((r.int(0)?, r.text(1)?, r.int(2)?));
                }
            }
            Backend::Postgres => {
                // GIN gives every match at once, unordered. So the query also asks for a block
                // key: the index then yields only the matches of a window of ids after the
                // cursor (two blocks of 2^L ids), and reads no more of a common word's
                // posting list than that window. Windows grow until the page is full or the
                // entries end. The CTE keeps the planner from walking the ids and computing
                // `search_keys` for each row instead of reading the index; the window's matches
                // are sorted before the visibility checks (OFFSET 0 keeps the filter above the
                // sort), so these stop once the page is full.
                //
                // The planner prices an agency member's visibility checks high enough to cross
                // `jit_above_cost`; compiling then takes 5-20 ms per statement, far more than
                // running it.
                tx.execute(q("SET LOCAL jit = off")).await?;
                let last = tx
                    .one(q("SELECT COALESCE(MAX(id), 0) FROM search_entry"))
                    .await?
                    .int(0)?;
                let mut start = after;
                let mut round = 0;
                while start < last && (entries.len() as i64) <= limit {
                    let size = BLOCK_SIZES[round.min(BLOCK_SIZES.len() - 1)];
                    round += 1;
                    let block = (start + 1) >> size;
                    let mut statement = q(format!(
                        "WITH m AS MATERIALIZED (SELECT e.id, e.kind, e.ref_id FROM search_entry e \
                         WHERE {}) \
                         SELECT e.id, e.kind, e.ref_id FROM (SELECT * FROM m WHERE m.id > $1 ORDER BY m.id OFFSET 0) e \
                         WHERE e.id > $1{visible} ORDER BY e.id LIMIT {}",
                        match_condition(Backend::Postgres, "$2"),
                        limit + 1 - entries.len() as i64
                    ))
                    .bind(start)
                    .bind(format!(
                        "({matched}) & ('~{size}:{block}' | '~{size}:{}')",
                        block + 1
                    ));
                    if let Some(user) = visible_to {
                        statement = statement.bind(user.0);
                    }
                    for r in tx.all(statement).await? {
                        entries.push((r.int(0)?, r.text(1)?, r.int(2)?));
                    }
                    start = ((block + 2) << size) - 1;
                }
            }
        }
        let next = (entries.len() as i64 > limit).then(|| entries[limit as usize - 1].0);
        entries.truncate(limit as usize);
        let items = hits(&mut tx, &entries).await?;
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

/// The results of `entries` (entry id, kind, id), in their order; one whose row was deleted
/// since the index was refreshed is left out.
async fn hits(tx: &mut Tx, entries: &[(i64, String, i64)]) -> Result<Vec<SearchHit>> {
    let ids = |kind: &str| -> Vec<i64> {
        entries
            .iter()
            .filter(|(_, k, _)| k == kind)
            .map(|&(_, _, id)| id)
            .collect()
    };
    let list = |ids: &[i64]| {
        (1..=ids.len())
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut found: HashMap<(SearchKind, i64), SearchHit> = HashMap::new();
    let tasks = ids("task");
    if !tasks.is_empty() {
        let mut statement = q(format!(
            "SELECT t.id, t.document_id, d.code, t.outline_id, t.text, t.status \
             FROM task t JOIN document d ON d.id = t.document_id WHERE t.id IN ({})",
            list(&tasks)
        ));
        for id in &tasks {
            statement = statement.bind(*id);
        }
        for t in tx.all(statement).await? {
            let id = t.int(0)?;
            found.insert(
                (SearchKind::Task, id),
                SearchHit {
                    kind: SearchKind::Task,
                    id,
                    document: DocumentId(t.int(1)?),
                    code: t.opt_parsed(2)?,
                    outline_id: Some(t.text(3)?),
                    title: Some(t.text(4)?),
                    status: Some(t.text(5)?),
                },
            );
        }
    }
    let documents = ids("document");
    if !documents.is_empty() {
        let mut statement = q(format!(
            "SELECT id, code, subject FROM document WHERE id IN ({})",
            list(&documents)
        ));
        for id in &documents {
            statement = statement.bind(*id);
        }
        for d in tx.all(statement).await? {
            let id = d.int(0)?;
            found.insert(
                (SearchKind::Document, id),
                SearchHit {
                    kind: SearchKind::Document,
                    id,
                    document: DocumentId(id),
                    code: d.opt_parsed(1)?,
                    outline_id: None,
                    title: d.opt_text(2)?,
                    status: None,
                },
            );
        }
    }
    Ok(entries
        .iter()
        .filter_map(|(_, kind, id)| {
            let kind = if kind == "task" {
                SearchKind::Task
            } else {
                SearchKind::Document
            };
            found.remove(&(kind, *id))
        })
        .collect())
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
            Some("'so' & 'ke' & '^hoach'")
        );
        assert_eq!(match_query(Backend::Postgres, "!&|"), None);
    }

    #[test]
    fn a_long_last_word_is_its_prefix_key_and_a_prefix() {
        assert_eq!(
            match_query(Backend::Postgres, "nghiêng").as_deref(),
            Some("'^nghien' & 'nghieng':*")
        );
        assert_eq!(
            match_query(Backend::Postgres, "sở ngân").as_deref(),
            Some("'so' & '^ngan'")
        );
        let long = "a".repeat(LONGEST_KEY + 1);
        assert_eq!(
            match_query(Backend::Postgres, &format!("{long} b")).as_deref(),
            Some("'~' & '^b'")
        );
    }
}
