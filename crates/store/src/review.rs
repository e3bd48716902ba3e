//! Review before commit: a parse result's tasks as a person edits them, the checks an edited
//! proposal must pass, and import drafts — proposals kept in the database between upload and
//! commit, so the web UI and the API review the way `nhiemvu import --review` does with a file.
//!
//! A draft keeps the original bytes and the parse result (document and normalised text): the
//! commit uses them as they are, so a scan is not read by OCR a second time, and the stored
//! text and spans are the parser's own. The draft's state moves `open` → `committed` (with the
//! document it became) or `discarded`, each step audited; a second commit of the same draft
//! returns the first one's document and writes nothing, which is what a double submit needs.

use std::collections::HashMap;
use std::fmt;

use doc_parse::Parsed;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::db::q;
use crate::documents::{Commit, check_commit, commit_in};
use crate::queries::cut_page;
use crate::{
    Actor, CommitOutcome, DeadlineKind, DocumentId, Error, PartyKind, Result, Sha256, Store,
    Timestamp, UserId, audit,
};

/// A task as proposed and edited. Unknown fields are refused, so a misspelt field name is
/// reported rather than silently dropped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewTask {
    /// Path of labels ("2.1.b"), unique in the document.
    pub id: String,
    /// The instruction.
    pub text: String,
    /// Lead parties.
    pub lead: Vec<ReviewParty>,
    /// Supporting parties.
    pub support: Vec<ReviewParty>,
    /// When it is due.
    pub deadline: ReviewDeadline,
    /// Where the task stands in the text; a task added by hand has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<[usize; 2]>,
    /// Codes of the documents cited in the task.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
}

/// A lead or support party: `kind` is `agency` (must be in the directory), `group` or `unknown`
/// (kept as written: the person editing says so explicitly).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewParty {
    /// The name as it will be recorded.
    pub name: String,
    /// `agency`, `group` or `unknown`.
    pub kind: String,
}

/// A deadline as the contract writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewDeadline {
    /// `date`, `period`, `recurring`, `on_request`, `conditional` or `none`.
    pub kind: String,
    /// ISO date, for `date` and `period`.
    #[serde(default)]
    pub date: Option<String>,
    /// The words it came from.
    #[serde(default)]
    pub text: Option<String>,
    /// For recurring deadlines: `month`, `quarter` or `year`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub every: Option<String>,
}

impl ReviewTask {
    /// The contract task this entry commits as.
    pub fn into_task(self) -> doc_parse::Task {
        let names = |parties: Vec<ReviewParty>| parties.into_iter().map(|p| p.name).collect();
        doc_parse::Task {
            id: self.id,
            text: self.text,
            lead: names(self.lead),
            support: names(self.support),
            deadline: doc_parse::Deadline {
                kind: self.deadline.kind,
                date: self.deadline.date,
                text: self.deadline.text,
                every: self.deadline.every,
            },
            references: self.references,
            span: self.span.unwrap_or([0, 0]),
        }
    }
}

/// One thing wrong with an edited proposal: which task (by position and id), which field, and
/// what is wrong, in Vietnamese — the UI shows `message` next to `field`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Position of the task in the proposal, from 0.
    pub index: usize,
    /// The task's id, when it has one.
    pub task: Option<String>,
    /// The field: `id`, `text`, `lead[0]`, `support[1]`, `deadline.kind`, `deadline.date`.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.task.as_deref().filter(|t| !t.trim().is_empty()) {
            Some(id) => write!(f, "nhiệm vụ {id}")?,
            None => write!(f, "nhiệm vụ ở mục thứ {}", self.index + 1)?,
        }
        write!(f, ", trường \"{}\": {}", self.field, self.message)
    }
}

/// Where an import draft stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DraftState {
    /// Being reviewed.
    Open,
    /// Committed as a document.
    Committed,
    /// Given up.
    Discarded,
}

impl DraftState {
    /// The code stored and shown (`open`, `committed`, `discarded`).
    pub fn as_str(self) -> &'static str {
        match self {
            DraftState::Open => "open",
            DraftState::Committed => "committed",
            DraftState::Discarded => "discarded",
        }
    }

    fn parse(s: &str) -> Result<DraftState> {
        match s {
            "open" => Ok(DraftState::Open),
            "committed" => Ok(DraftState::Committed),
            "discarded" => Ok(DraftState::Discarded),
            other => Err(Error::Invalid {
                what: "trạng thái bản nháp",
                value: other.to_owned(),
            }),
        }
    }
}

/// An import draft without its content, for lists.
#[derive(Debug, Clone, Serialize)]
pub struct DraftSummary {
    /// Its id.
    pub id: i64,
    /// The uploaded file's name.
    pub file_name: String,
    /// Hex SHA-256 of the original.
    pub sha256: String,
    /// Where it stands.
    pub state: DraftState,
    /// Incremented by every saved edit.
    pub revision: i64,
    /// The document it was committed as.
    pub document_id: Option<DocumentId>,
    /// Who uploaded it.
    pub created_by: Option<UserId>,
    /// When.
    pub created_at: Timestamp,
    /// Last change.
    pub updated_at: Timestamp,
}

/// An import draft with what a reviewer needs: the parse result, the normalised text the spans
/// point into, the tasks as edited so far and what is wrong with them.
#[derive(Debug, Clone, Serialize)]
pub struct Draft {
    /// Id, state, file.
    #[serde(flatten)]
    pub summary: DraftSummary,
    /// The `nhiemvu.document/1` object of the parse (its tasks as the parser found them).
    pub document: doc_parse::Document,
    /// The normalised text.
    pub text: String,
    /// The tasks as edited.
    pub tasks: Vec<ReviewTask>,
    /// What must be fixed before it can be committed.
    pub problems: Vec<Problem>,
    /// A document already stored from the same file, if any: committing would change nothing.
    pub already_imported: Option<DocumentId>,
}

/// What committing a draft did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DraftCommit {
    /// The commit (or the file was imported before, by this draft or otherwise).
    Done(CommitOutcome),
    /// The proposal has problems; nothing was written.
    Invalid(Vec<Problem>),
}

/// What the stored parse column holds.
#[derive(Serialize, Deserialize)]
struct StoredParse {
    document: doc_parse::Document,
    text: String,
}

const SUMMARY: &str =
    "id, file_name, sha256, state, revision, document_id, created_by, created_at, updated_at";

fn summary_of(r: &crate::db::Row) -> Result<DraftSummary> {
    Ok(DraftSummary {
        id: r.int(0)?,
        file_name: r.text(1)?,
        sha256: r.text(2)?,
        state: DraftState::parse(&r.text(3)?)?,
        revision: r.int(4)?,
        document_id: r.opt_int(5)?.map(DocumentId),
        created_by: r.opt_int(6)?.map(UserId),
        created_at: r.parsed(7)?,
        updated_at: r.parsed(8)?,
    })
}

fn not_found(id: i64) -> Error {
    Error::NotFound {
        what: "bản nháp nhập văn bản",
        id: id.to_string(),
    }
}

fn json_error(what: &'static str) -> impl Fn(serde_json::Error) -> Error {
    move |e| Error::Invalid {
        what,
        value: e.to_string(),
    }
}

impl Store {
    /// The parse result's tasks as a proposal: each party with the kind a commit would record
    /// it as (an agency of the directory, a group, or unknown).
    pub async fn propose(&self, document: &doc_parse::Document) -> Result<Vec<ReviewTask>> {
        let mut kinds: HashMap<&str, PartyKind> = HashMap::new();
        let mut tasks = Vec::with_capacity(document.tasks.len());
        for t in &document.tasks {
            let mut parties = [Vec::new(), Vec::new()];
            for (names, into) in [&t.lead, &t.support].into_iter().zip(parties.iter_mut()) {
                for name in names {
                    let kind = match kinds.get(name.as_str()) {
                        Some(k) => *k,
                        None => {
                            let k = self.resolve_party(name).await?.0;
                            kinds.insert(name, k);
                            k
                        }
                    };
                    into.push(ReviewParty {
                        name: name.clone(),
                        kind: kind.code().to_owned(),
                    });
                }
            }
            let [lead, support] = parties;
            tasks.push(ReviewTask {
                id: t.id.clone(),
                text: t.text.clone(),
                lead,
                support,
                deadline: ReviewDeadline {
                    kind: t.deadline.kind.clone(),
                    date: t.deadline.date.clone(),
                    text: t.deadline.text.clone(),
                    every: t.deadline.every.clone(),
                },
                span: Some(t.span),
                references: t.references.clone(),
            });
        }
        Ok(tasks)
    }

    /// Every problem of an edited proposal for a document issued on `issued`: ids present and
    /// unique, text present, parties named and of a known kind (an `agency` must be in the
    /// directory), deadline kinds known, dates well formed, present when the kind needs one,
    /// and not before the document's date.
    pub async fn check_review(
        &self,
        tasks: &[ReviewTask],
        issued: Option<&str>,
    ) -> Result<Vec<Problem>> {
        let issued: Option<vn_calendar::Date> = issued.and_then(|d| d.parse().ok());
        let mut problems = Vec::new();
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (index, t) in tasks.iter().enumerate() {
            let mut problem = |field: String, message: String| {
                problems.push(Problem {
                    index,
                    task: Some(t.id.clone()).filter(|id| !id.trim().is_empty()),
                    field,
                    message,
                })
            };
            if t.id.trim().is_empty() {
                problem("id".into(), "để trống".into());
            } else if let Some(first) = seen.insert(t.id.as_str(), index) {
                problem(
                    "id".into(),
                    format!("bị trùng (mục thứ {} và mục thứ {})", first + 1, index + 1),
                );
            }
            if t.text.trim().is_empty() {
                problem("text".into(), "để trống".into());
            }
            for (field, parties) in [("lead", &t.lead), ("support", &t.support)] {
                for (k, p) in parties.iter().enumerate() {
                    let at = format!("{field}[{k}]");
                    if p.name.trim().is_empty() {
                        problem(at, "tên đơn vị để trống".into());
                        continue;
                    }
                    match p.kind.parse::<PartyKind>() {
                        Ok(PartyKind::Agency) => {
                            if self.resolve_party(&p.name).await?.1.is_none() {
                                problem(
                                    at,
                                    format!(
                                        "\"{}\" không có trong danh mục cơ quan; nếu đúng là nhóm cơ quan hoặc đơn vị ngoài danh mục, chọn loại \"{}\" ({}) hoặc \"{}\" ({})",
                                        p.name,
                                        PartyKind::Group.label_vi(),
                                        PartyKind::Group.code(),
                                        PartyKind::Unknown.label_vi(),
                                        PartyKind::Unknown.code()
                                    ),
                                );
                            }
                        }
                        Ok(PartyKind::Group | PartyKind::Unknown) => {}
                        Err(_) => problem(
                            at,
                            format!(
                                "loại đơn vị là {:?}, phải là agency, group hoặc unknown",
                                p.kind
                            ),
                        ),
                    }
                }
            }
            let d = &t.deadline;
            let kind = match d.kind.parse::<DeadlineKind>() {
                Ok(k) => Some(k),
                Err(_) => {
                    problem(
                        "deadline.kind".into(),
                        format!(
                            "là {:?}, phải là date, period, recurring, on_request, conditional hoặc none",
                            d.kind
                        ),
                    );
                    None
                }
            };
            match d
                .date
                .as_deref()
                .map(|s| (s, s.parse::<vn_calendar::Date>()))
            {
                Some((s, Err(_))) => problem(
                    "deadline.date".into(),
                    format!("{s:?} không phải ngày dạng YYYY-MM-DD"),
                ),
                Some((_, Ok(date))) => {
                    if let Some(issued) = issued.filter(|&i| date < i) {
                        problem(
                            "deadline.date".into(),
                            format!("{date} trước ngày ban hành văn bản {issued}"),
                        );
                    }
                }
                None if matches!(kind, Some(DeadlineKind::Date | DeadlineKind::Period)) => {
                    problem(
                        "deadline.date".into(),
                        format!("phải có khi loại thời hạn là {}", d.kind),
                    );
                }
                None => {}
            }
        }
        Ok(problems)
    }

    /// Keeps an uploaded file and its parse as an open draft with the parser's tasks as the
    /// proposal. A secret document is refused here, before anything is kept.
    pub async fn create_draft(
        &self,
        parsed: &Parsed,
        original: &[u8],
        actor: Actor,
    ) -> Result<Draft> {
        let doc = &parsed.document;
        check_commit(doc, original, self.limits.original_bytes)?;
        let sha = Sha256::of(original);
        let tasks = self.propose(doc).await?;
        let stored = StoredParse {
            document: doc.clone(),
            text: parsed.text.clone(),
        };
        let stored = serde_json::to_string(&stored).map_err(json_error("kết quả phân tích"))?;
        let tasks_json = serde_json::to_string(&tasks).map_err(json_error("nhiệm vụ đề xuất"))?;
        let now = Timestamp::now().to_string();
        let mut tx = self.pool.write().await?;
        let id = tx
            .one(
                q("INSERT INTO import_draft (file_name, sha256, original, parsed, tasks, revision, state, \
                   document_id, created_by, created_at, updated_at) \
                   VALUES ($1, $2, $3, $4, $5, 0, 'open', NULL, $6, $7, $7) RETURNING id")
                .bind(doc.source.file.as_str())
                .bind(sha.as_str())
                .bind(original)
                .bind(stored)
                .bind(tasks_json)
                .bind(actor.user_id())
                .bind(now),
            )
            .await?
            .int(0)?;
        audit::record(
            &mut tx,
            actor,
            "import_draft",
            id,
            "create",
            None,
            Some(json!({"file": doc.source.file, "sha256": sha.as_str(), "tasks": tasks.len()})),
        )
        .await?;
        tx.commit().await?;
        self.draft(id).await
    }

    /// A draft with its problems checked now (the directory may have changed since).
    pub async fn draft(&self, id: i64) -> Result<Draft> {
        let mut tx = self.pool.read().await?;
        let r = tx
            .optional(
                q(format!(
                    "SELECT {SUMMARY}, parsed, tasks FROM import_draft WHERE id = $1"
                ))
                .bind(id),
            )
            .await?
            .ok_or_else(|| not_found(id))?;
        drop(tx);
        let summary = summary_of(&r)?;
        let stored: StoredParse =
            serde_json::from_str(&r.text(9)?).map_err(json_error("kết quả phân tích đã lưu"))?;
        let tasks: Vec<ReviewTask> =
            serde_json::from_str(&r.text(10)?).map_err(json_error("nhiệm vụ đã lưu"))?;
        let problems = if summary.state == DraftState::Open {
            self.check_review(&tasks, stored.document.date.as_deref())
                .await?
        } else {
            Vec::new()
        };
        let already_imported = match summary.document_id {
            Some(d) => Some(d),
            None => self.document_by_sha256(&summary.sha256.parse()?).await?,
        };
        Ok(Draft {
            summary,
            document: stored.document,
            text: stored.text,
            tasks,
            problems,
            already_imported,
        })
    }

    /// The open draft of the file with this hash, if any (an upload of a file already under
    /// review goes back to its draft).
    pub async fn open_draft_by_sha256(&self, sha: &Sha256) -> Result<Option<i64>> {
        let mut tx = self.pool.read().await?;
        tx.optional(
            q("SELECT MIN(id) FROM import_draft WHERE sha256 = $1 AND state = 'open'")
                .bind(sha.as_str()),
        )
        .await?
        .map(|r| r.opt_int(0))
        .transpose()
        .map(Option::flatten)
    }

    /// Drafts, newest first, `limit` after the cursor; open ones only unless `all`.
    pub async fn draft_page(
        &self,
        all: bool,
        after: Option<i64>,
        limit: u32,
    ) -> Result<(Vec<DraftSummary>, Option<i64>)> {
        let mut tx = self.pool.read().await?;
        let rows = tx
            .all(
                q(format!(
                    "SELECT {SUMMARY} FROM import_draft WHERE ($1 = 1 OR state = 'open') \
                     AND ($2 IS NULL OR id < $2) ORDER BY id DESC LIMIT $3"
                ))
                .bind(i64::from(all))
                .bind(after)
                .bind(i64::from(limit) + 1),
            )
            .await?;
        let mut items = rows.iter().map(summary_of).collect::<Result<Vec<_>>>()?;
        let next = cut_page(&mut items, limit, |d| d.id);
        Ok((items, next))
    }

    /// Saves an edited proposal (problems and all: the reviewer fixes them in steps; a commit
    /// refuses while any is left). With `revision`, refused when someone saved in between.
    pub async fn save_draft(
        &self,
        id: i64,
        tasks: &[ReviewTask],
        revision: Option<i64>,
        actor: Actor,
    ) -> Result<Draft> {
        let tasks_json = serde_json::to_string(tasks).map_err(json_error("nhiệm vụ"))?;
        let mut tx = self.pool.write().await?;
        let r = tx
            .optional(q("SELECT state, revision, tasks FROM import_draft WHERE id = $1").bind(id))
            .await?
            .ok_or_else(|| not_found(id))?;
        let state = DraftState::parse(&r.text(0)?)?;
        if state != DraftState::Open {
            return Err(closed(id, state));
        }
        let current = r.int(1)?;
        if revision.is_some_and(|given| given != current) {
            return Err(Error::Refused {
                code: "draft_changed",
                message: format!(
                    "Bản nháp {id} đã được lưu bởi người khác (phiên bản {current}); hãy tải lại trước khi sửa"
                ),
            });
        }
        tx.execute(
            q("UPDATE import_draft SET tasks = $1, revision = revision + 1, updated_at = $2 WHERE id = $3")
                .bind(tasks_json.as_str())
                .bind(Timestamp::now().to_string())
                .bind(id),
        )
        .await?;
        let before: serde_json::Value =
            serde_json::from_str(&r.text(2)?).map_err(json_error("nhiệm vụ đã lưu"))?;
        audit::record(
            &mut tx,
            actor,
            "import_draft",
            id,
            "edit",
            Some(json!({"revision": current, "tasks": before})),
            Some(json!({"revision": current + 1, "tasks": tasks})),
        )
        .await?;
        tx.commit().await?;
        self.draft(id).await
    }

    /// Commits a draft as edited: checked first (problems → nothing written), then the
    /// document and its tasks and the draft's new state in one transaction. Committing a draft
    /// already committed returns its document and writes nothing.
    pub async fn commit_draft(&self, id: i64, actor: Actor) -> Result<DraftCommit> {
        let draft = self.draft(id).await?;
        match draft.summary.state {
            DraftState::Committed => {
                let document = draft.summary.document_id.ok_or_else(|| not_found(id))?;
                return Ok(DraftCommit::Done(CommitOutcome::AlreadyImported {
                    document,
                }));
            }
            DraftState::Discarded => return Err(closed(id, DraftState::Discarded)),
            DraftState::Open => {}
        }
        if !draft.problems.is_empty() {
            return Ok(DraftCommit::Invalid(draft.problems));
        }
        let count = draft.tasks.len();
        let mut document = draft.document;
        document.tasks = draft.tasks.into_iter().map(ReviewTask::into_task).collect();
        let parsed = Parsed {
            document,
            text: draft.text,
        };
        let mut tx = self.pool.write().await?;
        // Touching the draft first locks it: a concurrent commit of it waits here, then finds it
        // committed.
        let taken = tx
            .optional(
                q("UPDATE import_draft SET updated_at = $1 \
                   WHERE id = $2 AND state = 'open' AND revision = $3 RETURNING original")
                .bind(Timestamp::now().to_string())
                .bind(id)
                .bind(draft.summary.revision),
            )
            .await?;
        let Some(taken) = taken else {
            drop(tx);
            // Committed, discarded or edited in between: say what it is now.
            let now = self.draft(id).await?;
            return match (now.summary.state, now.summary.document_id) {
                (DraftState::Committed, Some(document)) => {
                    Ok(DraftCommit::Done(CommitOutcome::AlreadyImported {
                        document,
                    }))
                }
                (DraftState::Open, _) => Err(Error::Refused {
                    code: "draft_changed",
                    message: format!(
                        "Bản nháp {id} vừa được sửa bởi người khác; hãy xem lại trước khi ghi"
                    ),
                }),
                (state, _) => Err(closed(id, state)),
            };
        };
        let original = taken.bytes(0)?;
        check_commit(&parsed.document, &original, self.limits.original_bytes)?;
        let outcome = match commit_in(&mut tx, &parsed, &original, actor).await? {
            Commit::Done(outcome) => outcome,
            // The same file was committed by another import between the check and the insert.
            Commit::Raced => {
                drop(tx);
                return Err(Error::Refused {
                    code: "draft_changed",
                    message: format!(
                        "Văn bản của bản nháp {id} vừa được nhập theo đường khác; hãy tải lại"
                    ),
                });
            }
        };
        let document = match &outcome {
            CommitOutcome::Imported { document, .. }
            | CommitOutcome::AlreadyImported { document } => *document,
        };
        // The document keeps the original; the draft need not.
        tx.execute(
            q("UPDATE import_draft SET state = 'committed', document_id = $1, original = NULL WHERE id = $2")
                .bind(document.0)
                .bind(id),
        )
        .await?;
        audit::record(
            &mut tx,
            actor,
            "import_draft",
            id,
            "commit",
            Some(json!({"state": "open"})),
            Some(json!({"state": "committed", "document": document.0, "tasks": count})),
        )
        .await?;
        tx.commit().await?;
        Ok(DraftCommit::Done(outcome))
    }

    /// Gives up an open draft; its original is dropped, its record and audit trail stay.
    pub async fn discard_draft(&self, id: i64, actor: Actor) -> Result<()> {
        let mut tx = self.pool.write().await?;
        let state = tx
            .optional(q("SELECT state FROM import_draft WHERE id = $1").bind(id))
            .await?
            .ok_or_else(|| not_found(id))?
            .text(0)?;
        let state = DraftState::parse(&state)?;
        if state != DraftState::Open {
            return Err(closed(id, state));
        }
        tx.execute(
            q("UPDATE import_draft SET state = 'discarded', original = NULL, updated_at = $1 WHERE id = $2")
                .bind(Timestamp::now().to_string())
                .bind(id),
        )
        .await?;
        audit::record(
            &mut tx,
            actor,
            "import_draft",
            id,
            "discard",
            Some(json!({"state": "open"})),
            Some(json!({"state": "discarded"})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

fn closed(id: i64, state: DraftState) -> Error {
    Error::Refused {
        code: "draft_closed",
        message: match state {
            DraftState::Committed => format!("Bản nháp {id} đã được ghi thành văn bản"),
            _ => format!("Bản nháp {id} đã bị hủy"),
        },
    }
}
