//! A new document that replaces, amends or abolishes a stored one ("Công văn này thay thế
//! Công văn số 123/UBND-KT", "bãi bỏ Quyết định số …"): the earlier document's open tasks are
//! put in front of the monitor, who cancels them, keeps them, or carries each over to the new
//! document's task that continues it.
//!
//! Nothing is cancelled automatically: the words are read from the text around a citation,
//! and a citation in a preamble ("Căn cứ Luật sửa đổi, bổ sung …") does not make this
//! document the one that amends. A wrong guess costs the monitor one "keep"; a missed
//! cancellation would leave an agency reporting on work that no longer exists.

use serde_json::json;

use crate::Store;
use crate::audit;
use crate::db::{Tx, q};
use crate::error::{Error, Result};
use crate::time::Timestamp;
use crate::types::{Actor, DocumentId, TaskId, UserId};

/// What the new document does to the earlier one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// Thay thế.
    Replace,
    /// Sửa đổi, bổ sung.
    Amend,
    /// Bãi bỏ, hủy bỏ, hết hiệu lực.
    Abolish,
}

impl Relation {
    fn code(self) -> &'static str {
        match self {
            Relation::Replace => "replace",
            Relation::Amend => "amend",
            Relation::Abolish => "abolish",
        }
    }

    fn from_code(code: &str) -> Option<Relation> {
        [Relation::Replace, Relation::Amend, Relation::Abolish]
            .into_iter()
            .find(|r| r.code() == code)
    }

    /// "thay thế", as the reason written on a cancelled task.
    fn verb_vi(self) -> &'static str {
        match self {
            Relation::Replace => "thay thế",
            Relation::Amend => "sửa đổi, bổ sung",
            Relation::Abolish => "bãi bỏ",
        }
    }
}

/// What the monitor decides for one open task of the earlier document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// The task no longer exists: hủy, with the new document as the reason.
    Cancel,
    /// The task stands as it is.
    Keep,
    /// The new document's task continues it: the earlier one closes as hủy, linked to it.
    CarryOver(TaskId),
}

/// An open task of an earlier document waiting for the monitor's decision.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SupersededTask {
    /// The new document.
    pub document: DocumentId,
    /// Its code (or file name).
    pub document_code: String,
    /// The earlier document.
    pub earlier_document: DocumentId,
    /// Its code (or file name).
    pub earlier_code: String,
    /// What the new one does to it.
    pub relation: Relation,
    /// The open task.
    pub task: TaskId,
    /// Its outline path.
    pub outline_id: String,
    /// Its text.
    pub text: String,
}

/// Markers, lower case, with the relation they state.
const MARKERS: [(&str, Relation); 6] = [
    ("thay thế", Relation::Replace),
    ("sửa đổi", Relation::Amend),
    ("bổ sung", Relation::Amend),
    ("bãi bỏ", Relation::Abolish),
    ("hủy bỏ", Relation::Abolish),
    ("bị hủy", Relation::Abolish),
];

/// The relation a citation at `start` is the object of: a marker in the same clause, at most
/// a few words before it, in a clause that is not a legal basis ("Căn cứ …").
pub(crate) fn relation_before(text: &str, start: usize) -> Option<Relation> {
    let before = text.get(..start)?;
    let clause_start = before.rfind(['\n', ';']).map_or(0, |p| p + 1);
    let clause = &before[clause_start..];
    let clause = clause.rfind(". ").map_or(clause, |p| &clause[p + 2..]);
    if clause.trim_start().starts_with("Căn cứ") {
        return None;
    }
    let lower = clause.to_lowercase();
    let (at, relation) = MARKERS
        .iter()
        .filter_map(|(m, r)| lower.rfind(m).map(|p| (p + m.len(), *r)))
        .max_by_key(|(p, _)| *p)?;
    // "thay thế Công văn số 123/UBND-KT", "bãi bỏ toàn bộ Quyết định số …": the citation
    // follows within a few words.
    (lower[at..].split_whitespace().count() <= 4).then_some(relation)
}

/// Records, for each earlier stored document this one replaces, amends or abolishes, its
/// open tasks as waiting for the monitor. `targets` are (cited document, relation).
pub(crate) async fn record(tx: &mut Tx, document: i64, targets: &[(i64, Relation)]) -> Result<()> {
    for &(earlier, relation) in targets {
        let open = tx
            .all(
                q("SELECT id FROM task WHERE document_id = $1 AND status NOT IN ('hoan_thanh', 'huy') ORDER BY id")
                    .bind(earlier),
            )
            .await?;
        if open.is_empty() || earlier == document {
            continue;
        }
        let Some(row) = tx
            .optional(
                q("INSERT INTO supersession (document_id, earlier_document_id, relation, created_at) VALUES ($1, $2, $3, $4) \
                   ON CONFLICT (document_id, earlier_document_id) DO NOTHING RETURNING id")
                .bind(document)
                .bind(earlier)
                .bind(relation.code())
                .bind(Timestamp::now().to_string()),
            )
            .await?
        else {
            continue;
        };
        let id = row.int(0)?;
        for task in &open {
            tx.execute(
                q("INSERT INTO superseded_task (supersession_id, task_id) VALUES ($1, $2)")
                    .bind(id)
                    .bind(task.int(0)?),
            )
            .await?;
        }
    }
    Ok(())
}

impl Store {
    /// The open tasks of replaced, amended or abolished documents still waiting for a decision,
    /// oldest supersession first.
    pub async fn pending_superseded_tasks(&self) -> Result<Vec<SupersededTask>> {
        let mut tx = self.pool.read().await?;
        let rows = tx
            .all(q(
                "SELECT s.document_id, COALESCE(n.code, n.file_name), s.earlier_document_id, COALESCE(e.code, e.file_name), \
                 s.relation, t.id, t.outline_id, t.text FROM superseded_task x JOIN supersession s ON s.id = x.supersession_id \
                 JOIN document n ON n.id = s.document_id JOIN document e ON e.id = s.earlier_document_id \
                 JOIN task t ON t.id = x.task_id WHERE x.decision IS NULL ORDER BY s.id, t.id",
            ))
            .await?;
        rows.iter()
            .map(|r| {
                Ok(SupersededTask {
                    document: DocumentId(r.int(0)?),
                    document_code: r.text(1)?,
                    earlier_document: DocumentId(r.int(2)?),
                    earlier_code: r.text(3)?,
                    relation: Relation::from_code(&r.text(4)?).ok_or_else(|| Error::Invalid {
                        what: "quan hệ văn bản",
                        value: r.text(4).unwrap_or_default(),
                    })?,
                    task: TaskId(r.int(5)?),
                    outline_id: r.text(6)?,
                    text: r.text(7)?,
                })
            })
            .collect()
    }

    /// The monitor's decision on an open task of a superseded document. Cancelling and
    /// carrying over close the task as hủy, with the new document as the reason: the issuer
    /// withdrew it by signing that document, so the monitor records it rather than asking
    /// the leader to cancel again.
    pub async fn decide_superseded_task(
        &self,
        task: TaskId,
        decision: Decision,
        user: UserId,
        at: Timestamp,
    ) -> Result<()> {
        let mut tx = self.pool.write().await?;
        let pending = tx
            .optional(
                q("SELECT s.id, s.document_id, COALESCE(n.code, n.file_name), s.relation, t.status FROM superseded_task x \
                   JOIN supersession s ON s.id = x.supersession_id JOIN document n ON n.id = s.document_id \
                   JOIN task t ON t.id = x.task_id WHERE x.task_id = $1 AND x.decision IS NULL ORDER BY s.id LIMIT 1")
                .bind(task.0),
            )
            .await?
            .ok_or_else(|| Error::NotFound { what: "nhiệm vụ chờ quyết định do văn bản mới thay thế", id: task.to_string() })?;
        let (supersession, new_document, code) =
            (pending.int(0)?, pending.int(1)?, pending.text(2)?);
        let relation = Relation::from_code(&pending.text(3)?).unwrap_or(Relation::Replace);
        let status = pending.text(4)?;
        let who = tx
            .optional(
                q("SELECT 1 FROM user_role WHERE user_id = $1 AND role = 'monitor'").bind(user.0),
            )
            .await?;
        if who.is_none() {
            return Err(Error::Refused {
                code: "not_permitted",
                message: "Chỉ cán bộ theo dõi mới quyết định nhiệm vụ của văn bản bị thay thế"
                    .into(),
            });
        }
        let (code_of_decision, carried_to) = match decision {
            Decision::Cancel => ("cancel", None),
            Decision::Keep => ("keep", None),
            Decision::CarryOver(to) => {
                let belongs = tx
                    .optional(
                        q("SELECT 1 FROM task WHERE id = $1 AND document_id = $2")
                            .bind(to.0)
                            .bind(new_document),
                    )
                    .await?;
                if belongs.is_none() {
                    return Err(Error::Refused {
                        code: "carry_over_elsewhere",
                        message: format!("Nhiệm vụ tiếp nối phải là nhiệm vụ của văn bản {code}"),
                    });
                }
                ("carry_over", Some(to.0))
            }
        };
        if decision != Decision::Keep && status != "huy" && status != "hoan_thanh" {
            let reason = match carried_to {
                Some(to) => format!(
                    "Văn bản {code} {} văn bản giao nhiệm vụ; chuyển sang nhiệm vụ #{to}",
                    relation.verb_vi()
                ),
                None => format!(
                    "Văn bản {code} {} văn bản giao nhiệm vụ",
                    relation.verb_vi()
                ),
            };
            tx.execute(q("UPDATE task SET status = 'huy' WHERE id = $1").bind(task.0))
                .await?;
            tx.execute(
                q("INSERT INTO task_status_change (task_id, action, from_status, to_status, on_date, at, by_user_id, reason) \
                   VALUES ($1, 'cancel', $2, 'huy', $3, $4, $5, $6)")
                .bind(task.0)
                .bind(status.as_str())
                .bind(at.date_in_vietnam().to_string())
                .bind(at.to_string())
                .bind(user.0)
                .bind(reason),
            )
            .await?;
            crate::standing::refresh(&mut tx, &[task.0]).await?;
        }
        tx.execute(
            q("UPDATE superseded_task SET decision = $1, carried_to_task_id = $2, decided_by = $3, decided_at = $4 \
               WHERE supersession_id = $5 AND task_id = $6")
            .bind(code_of_decision)
            .bind(carried_to)
            .bind(user.0)
            .bind(at.to_string())
            .bind(supersession)
            .bind(task.0),
        )
        .await?;
        audit::record(
            &mut tx,
            Actor::User(user),
            "task",
            task,
            "superseded",
            Some(json!({"status": status})),
            Some(json!({"decision": code_of_decision, "by_document": code, "carried_to": carried_to})),
        )
        .await?;
        tx.commit().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn relation_of(sentence: &str, cited: &str) -> Option<Relation> {
        relation_before(sentence, sentence.find(cited).unwrap())
    }

    #[test]
    fn relations_are_read_from_the_clause_before_the_citation() {
        let c = "Công văn số 123/UBND-KT";
        assert_eq!(
            relation_of(
                "Công văn này thay thế Công văn số 123/UBND-KT ngày 2/3/2022.",
                c
            ),
            Some(Relation::Replace)
        );
        assert_eq!(
            relation_of("2. Bãi bỏ toàn bộ Công văn số 123/UBND-KT.", c),
            Some(Relation::Abolish)
        );
        assert_eq!(
            relation_of("Sửa đổi, bổ sung mục 2 Công văn số 123/UBND-KT như sau:", c),
            Some(Relation::Amend)
        );
        // A legal basis is not this document's act; a marker far from the citation is not its.
        assert_eq!(
            relation_of("Căn cứ Luật sửa đổi, bổ sung Công văn số 123/UBND-KT;", c),
            None
        );
        assert_eq!(
            relation_of(
                "Thay thế thiết bị cũ theo hướng dẫn tại Công văn số 123/UBND-KT.",
                c
            ),
            None
        );
        assert_eq!(relation_of("Triển khai Công văn số 123/UBND-KT.", c), None);
    }
}
