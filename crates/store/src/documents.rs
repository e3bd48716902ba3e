//! Committed documents: the original file by hash, the normalised text, the parse result, the
//! references it makes, and the tasks it assigns, all written by one transaction.

use std::collections::HashMap;
use std::fmt;

use doc_parse::Parsed;
use serde_json::json;
use vn_calendar::Date;

use crate::Store;
use crate::audit;
use crate::db::{Tx, Value, parse_date, q};
use crate::directory::{PartyResolver, successors_applied};
use crate::error::{Error, Result};
use crate::supersession::{self, Relation, relation_before};
use crate::time::Timestamp;
use crate::types::{
    Actor, AgencyId, AssignmentRole, DeadlineKind, DeadlineSource, DocumentCode, DocumentId,
    ProgressStatus, Sha256, UserId,
};

/// What [`Store::commit_document`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum CommitOutcome {
    /// The document and its tasks were written.
    Imported {
        /// The new document.
        document: DocumentId,
        /// How many tasks it assigned.
        tasks: usize,
    },
    /// A file with the same SHA-256 was imported before; nothing was written.
    AlreadyImported {
        /// The stored document.
        document: DocumentId,
    },
}

impl fmt::Display for CommitOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CommitOutcome::Imported { document, tasks } => {
                write!(f, "đã nhập văn bản #{document} với {tasks} nhiệm vụ")
            }
            CommitOutcome::AlreadyImported { document } => {
                write!(
                    f,
                    "văn bản đã được nhập trước đây (#{document}), không ghi thêm gì"
                )
            }
        }
    }
}

/// A committed document's metadata, parse result and text.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StoredDocument {
    /// Its id.
    pub id: DocumentId,
    /// Hash of the original file.
    pub sha256: Sha256,
    /// File name as imported.
    pub file_name: String,
    /// How the text was obtained (`text`, `docx`, `pdf-ocr`, …).
    pub format: String,
    /// Document kind (`cong_van`, …).
    pub kind: Option<String>,
    /// `number/symbol`.
    pub code: Option<DocumentCode>,
    /// Year of issue (numbers restart every year).
    pub year: Option<i32>,
    /// Issuing body.
    pub issuer: Option<String>,
    /// Date of issue.
    #[serde(serialize_with = "crate::time::serialize_opt_date")]
    pub issued_on: Option<Date>,
    /// Subject line.
    pub subject: Option<String>,
    /// The agency charged with monitoring it, as the document names it.
    pub monitor_agency: Option<String>,
    /// When it was committed.
    pub imported_at: Timestamp,
    /// Who committed it.
    pub imported_by: Option<UserId>,
    /// The `nhiemvu.document/1` object as committed.
    pub parse_result: serde_json::Value,
    /// The normalised text that the spans point into.
    pub text: String,
}

/// One stored mention of a cited document.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoredReference {
    /// Canonical code, or the name of a document cited by name.
    pub code: String,
    /// The mention as written.
    pub text: String,
    /// Byte offsets into the citing document's text.
    pub span: [i64; 2],
    /// The cited document, when it is in the store too.
    pub target: Option<DocumentId>,
}

impl Store {
    /// Writes a parsed document, its original bytes, its references and its tasks (with their
    /// assignments and deadlines from the document) in one transaction, with audit rows.
    ///
    /// Idempotent on the SHA-256 of `original`: a file imported before gives
    /// [`CommitOutcome::AlreadyImported`] and writes nothing. Assignments to an agency that an
    /// already applied reorganisation ended go to its successor at once, the original kept.
    /// Refused: secret documents, a hash in the parse result that is not the original's, an
    /// original above the size limit, another file with the same code, year and issuer.
    pub async fn commit_document(
        &self,
        parsed: &Parsed,
        original: &[u8],
        actor: Actor,
    ) -> Result<CommitOutcome> {
        check_commit(&parsed.document, original, self.limits.original_bytes)?;
        let mut tx = self.pool.write().await?;
        match commit_in(&mut tx, parsed, original, actor).await? {
            Commit::Done(outcome) => {
                tx.commit().await?;
                Ok(outcome)
            }
            Commit::Raced => {
                // Another import of the same file committed between the check and the insert.
                drop(tx);
                let sha = Sha256::of(original);
                let mut tx = self.pool.read().await?;
                let existing = document_with_hash(&mut tx, &sha).await?;
                existing
                    .map(|document| CommitOutcome::AlreadyImported { document })
                    .ok_or_else(|| Error::NotFound {
                        what: "văn bản",
                        id: sha.to_string(),
                    })
            }
        }
    }

    /// A committed document.
    pub async fn document(&self, id: DocumentId) -> Result<StoredDocument> {
        let mut tx = self.pool.read().await?;
        let r = tx
            .optional(
                q("SELECT id, sha256, file_name, format, kind, code, year, issuer, issued_on, subject, monitor_agency, \
                   imported_at, imported_by, parse_result, text FROM document WHERE id = $1")
                .bind(id.0),
            )
            .await?
            .ok_or_else(|| Error::NotFound { what: "văn bản", id: id.to_string() })?;
        let parse_result = serde_json::from_str(&r.text(13)?).map_err(|e| Error::Invalid {
            what: "kết quả phân tích đã lưu",
            value: e.to_string(),
        })?;
        Ok(StoredDocument {
            id,
            sha256: r.parsed(1)?,
            file_name: r.text(2)?,
            format: r.text(3)?,
            kind: r.opt_text(4)?,
            code: r.opt_parsed(5)?,
            year: r.opt_int(6)?.and_then(|y| i32::try_from(y).ok()),
            issuer: r.opt_text(7)?,
            issued_on: r.opt_date(8)?,
            subject: r.opt_text(9)?,
            monitor_agency: r.opt_text(10)?,
            imported_at: r.parsed(11)?,
            imported_by: r.opt_int(12)?.map(UserId),
            parse_result,
            text: r.text(14)?,
        })
    }

    /// The document imported from a file with this hash, if any.
    pub async fn document_by_sha256(&self, sha: &Sha256) -> Result<Option<DocumentId>> {
        let mut tx = self.pool.read().await?;
        document_with_hash(&mut tx, sha).await
    }

    /// Documents with this code, of this year when given (numbers restart every year), oldest
    /// first.
    pub async fn documents_by_code(
        &self,
        code: &DocumentCode,
        year: Option<i32>,
    ) -> Result<Vec<DocumentId>> {
        let mut tx = self.pool.read().await?;
        let rows = match year {
            Some(y) => {
                tx.all(
                    q("SELECT id FROM document WHERE code = $1 AND year = $2 ORDER BY id")
                        .bind(code.as_str())
                        .bind(i64::from(y)),
                )
                .await?
            }
            None => {
                tx.all(q("SELECT id FROM document WHERE code = $1 ORDER BY id").bind(code.as_str()))
                    .await?
            }
        };
        rows.iter().map(|r| Ok(DocumentId(r.int(0)?))).collect()
    }

    /// The original bytes of a document, as imported.
    pub async fn document_original(&self, id: DocumentId) -> Result<Vec<u8>> {
        let mut tx = self.pool.read().await?;
        tx.optional(
            q("SELECT b.content FROM document d JOIN file_blob b ON b.sha256 = d.sha256 WHERE d.id = $1").bind(id.0),
        )
        .await?
        .ok_or_else(|| Error::NotFound { what: "văn bản", id: id.to_string() })?
        .bytes(0)
    }

    /// The documents a document cites, one entry per mention, in order.
    pub async fn document_references(&self, id: DocumentId) -> Result<Vec<StoredReference>> {
        let mut tx = self.pool.read().await?;
        let rows = tx
            .all(
                q("SELECT code, text, span_start, span_end, target_document_id FROM document_reference \
                   WHERE document_id = $1 ORDER BY position")
                .bind(id.0),
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(StoredReference {
                    code: r.text(0)?,
                    text: r.text(1)?,
                    span: [r.int(2)?, r.int(3)?],
                    target: r.opt_int(4)?.map(DocumentId),
                })
            })
            .collect()
    }
}

async fn document_with_hash(tx: &mut Tx, sha: &Sha256) -> Result<Option<DocumentId>> {
    Ok(tx
        .optional(q("SELECT id FROM document WHERE sha256 = $1").bind(sha.as_str()))
        .await?
        .map(|r| r.int(0))
        .transpose()?
        .map(DocumentId))
}

/// Stores file content under its hash, once.
pub(crate) async fn store_blob(tx: &mut Tx, sha: &Sha256, content: &[u8]) -> Result<()> {
    tx.execute(
        q("INSERT INTO file_blob (sha256, size, content) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING")
            .bind(sha.as_str())
            .bind(i64::try_from(content.len()).unwrap_or(i64::MAX))
            .bind(content),
    )
    .await?;
    Ok(())
}

/// Stores the references of document `id` linked to documents already in the store, and links
/// earlier documents' references that cite this one.
async fn write_references(
    tx: &mut Tx,
    id: i64,
    parsed: &Parsed,
    code: Option<&DocumentCode>,
    year: Option<i64>,
) -> Result<Vec<(i64, Relation)>> {
    let refs = &parsed.document.references;
    // The earliest stored document of each cited code, looked up for all codes at once.
    let mut codes: Vec<&str> = refs.iter().map(|r| r.code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    // Per code, the earliest stored document of each year (numbers restart every year).
    let mut stored: HashMap<String, Vec<(Option<i64>, i64)>> = HashMap::new();
    for chunk in codes.chunks(500) {
        let params: Vec<String> = (2..chunk.len() + 2).map(|i| format!("${i}")).collect();
        let mut lookup = q(format!(
            "SELECT code, year, MIN(id) FROM document WHERE id <> $1 AND code IN ({}) \
             GROUP BY code, year ORDER BY MIN(id)",
            params.join(", ")
        ))
        .bind(id);
        for c in chunk {
            lookup = lookup.bind(*c);
        }
        for row in tx.all(lookup).await? {
            stored
                .entry(row.text(0)?)
                .or_default()
                .push((row.opt_int(1)?, row.int(2)?));
        }
    }
    // A mention of the document's own code ("Kế hoạch này", resolved to itself) links to no
    // other document; a mention with a year links to that year's document, else to the
    // earliest one.
    let target_of = |r: &doc_parse::Reference| -> Option<i64> {
        let ref_year = r.year.map(i64::from);
        if code.is_some_and(|c| c.as_str() == r.code) && (ref_year.is_none() || ref_year == year) {
            return None;
        }
        let candidates = stored.get(&r.code)?;
        match ref_year {
            Some(y) => candidates
                .iter()
                .find(|(cy, _)| *cy == Some(y))
                .or_else(|| candidates.iter().find(|(cy, _)| cy.is_none()))
                .map(|c| c.1),
            None => candidates.first().map(|c| c.1),
        }
    };
    let targets: Vec<Option<i64>> = refs.iter().map(target_of).collect();
    let rows = refs
        .iter()
        .enumerate()
        .map(|(position, r)| -> Vec<Value> {
            vec![
                id.into(),
                (position as i64).into(),
                r.code.as_str().into(),
                r.kind.as_deref().into(),
                r.number.as_deref().into(),
                r.year.map(i64::from).into(),
                r.symbol.as_deref().into(),
                r.date.as_deref().into(),
                r.issuer.as_deref().into(),
                r.text.as_str().into(),
                (r.span[0] as i64).into(),
                (r.span[1] as i64).into(),
                r.resolved_from.as_deref().into(),
                targets[position].into(),
            ]
        })
        .collect();
    tx.insert_rows(
        "INSERT INTO document_reference (document_id, position, code, kind, number, year, symbol, issued_on, \
         issuer, text, span_start, span_end, resolved_from, target_document_id)",
        rows,
    )
    .await?;
    if let Some(code) = code {
        tx.execute(
            // A yearless mention of a document's own code is that document ("Kế hoạch này"),
            // not this one.
            q("UPDATE document_reference SET target_document_id = $1 WHERE code = $2 AND target_document_id IS NULL \
               AND document_id <> $1 AND (year = $3 OR (year IS NULL AND document_id NOT IN \
               (SELECT id FROM document WHERE code = $2)))")
            .bind(id)
            .bind(code.as_str())
            .bind(year),
        )
        .await?;
    }
    // Stored documents this one replaces, amends or abolishes.
    let mut superseded: Vec<(i64, Relation)> = Vec::new();
    for (r, &target) in refs.iter().zip(&targets) {
        let relation = relation_before(&parsed.text, r.span[0]);
        if let (Some(target), Some(relation)) = (target, relation)
            && !superseded.iter().any(|(t, _)| *t == target)
        {
            superseded.push((target, relation));
        }
    }
    Ok(superseded)
}

const INSERT_ASSIGNMENT: &str = "INSERT INTO task_assignment (task_id, role, position, party_kind, name, original_agency_id, agency_id)";

/// Writes the parsed tasks of a document with their assignments, their deadlines from the
/// document and their audit rows, in multi-row statements wherever no generated id is needed
/// row by row ([`Tx::insert_rows`]): a bulk import spent most of its time on statement round
/// trips when each row had its own.
async fn write_tasks(
    tx: &mut Tx,
    parties: &mut PartyResolver,
    document: i64,
    tasks: &[doc_parse::Task],
    actor: Actor,
) -> Result<()> {
    let now = Timestamp::now().to_string();
    // Nothing changes the directory inside this transaction, so each agency's successors are
    // looked up once per document.
    let mut successors: HashMap<AgencyId, Vec<(i64, i64, i64)>> = HashMap::new();
    let mut assignments: Vec<Vec<Value>> = Vec::new();
    let mut deadlines: Vec<Vec<Value>> = Vec::new();
    let mut audits: Vec<Vec<Value>> = Vec::new();
    // All tasks in one statement per 200; their ids come back keyed by outline id (unique in
    // a document), since neither database promises RETURNING rows in VALUES order.
    let mut ids: HashMap<String, i64> = HashMap::with_capacity(tasks.len());
    for chunk in tasks.chunks(200) {
        let mut sql = "INSERT INTO task (document_id, outline_id, text, span_start, span_end, status, created_at) VALUES ".to_owned();
        for i in 0..chunk.len() {
            let n = i * 7;
            let sep = if i == 0 { "" } else { ", " };
            sql.push_str(&format!(
                "{sep}(${}, ${}, ${}, ${}, ${}, ${}, ${})",
                n + 1,
                n + 2,
                n + 3,
                n + 4,
                n + 5,
                n + 6,
                n + 7
            ));
        }
        sql.push_str(" RETURNING id, outline_id");
        let mut insert = q(sql);
        for task in chunk {
            insert = insert
                .bind(document)
                .bind(task.id.as_str())
                .bind(task.text.as_str())
                .bind(task.span[0] as i64)
                .bind(task.span[1] as i64)
                .bind(ProgressStatus::NotStarted.code())
                .bind(now.clone());
        }
        for row in tx.all(insert).await? {
            ids.insert(row.text(1)?, row.int(0)?);
        }
    }
    for task in tasks {
        let deadline_kind: DeadlineKind = task.deadline.kind.parse()?;
        let due_on = task.deadline.date.as_deref().map(parse_date).transpose()?;
        let id = *ids.get(&task.id).ok_or_else(|| Error::NotFound {
            what: "nhiệm vụ vừa ghi",
            id: task.id.clone(),
        })?;
        let mut assigned = Vec::new();
        for (role, names) in [
            (AssignmentRole::Lead, &task.lead),
            (AssignmentRole::Support, &task.support),
        ] {
            for (position, name) in names.iter().enumerate() {
                let (kind, agency) = parties.resolve(tx, name).await?;
                let steps = match agency {
                    Some(a) => match successors.get(&a) {
                        Some(steps) => steps.clone(),
                        None => {
                            let steps = successors_applied(tx, a).await?;
                            successors.insert(a, steps.clone());
                            steps
                        }
                    },
                    None => Vec::new(),
                };
                let current = steps.last().map(|&(_, _, to)| AgencyId(to)).or(agency);
                let row: Vec<Value> = vec![
                    id.into(),
                    role.code().into(),
                    (position as i64).into(),
                    kind.code().into(),
                    name.as_str().into(),
                    agency.map(|a| a.0).into(),
                    current.map(|a| a.0).into(),
                ];
                if steps.is_empty() {
                    assignments.push(row);
                } else {
                    // The moves need this assignment's id: write the rows queued before it
                    // first, so that ids still follow the order of the document.
                    tx.insert_rows(INSERT_ASSIGNMENT, std::mem::take(&mut assignments))
                        .await?;
                    let mut insert = q(format!(
                        "{INSERT_ASSIGNMENT} VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"
                    ));
                    for v in row {
                        insert = insert.bind(v);
                    }
                    let assignment = tx.one(insert).await?.int(0)?;
                    for (reorganisation, from, to) in steps {
                        tx.execute(
                            q("INSERT INTO reorganisation_move (reorganisation_id, assignment_id, from_agency_id, to_agency_id, moved_at) \
                               VALUES ($1, $2, $3, $4, $5)")
                            .bind(reorganisation)
                            .bind(assignment)
                            .bind(from)
                            .bind(to)
                            .bind(now.clone()),
                        )
                        .await?;
                    }
                }
                assigned.push(json!({"role": role, "name": name, "kind": kind, "original_agency_id": agency, "agency_id": current}));
            }
        }
        deadlines.push(vec![
            id.into(),
            deadline_kind.code().into(),
            due_on.map(|d| d.to_string()).into(),
            task.deadline.text.as_deref().into(),
            task.deadline.every.as_deref().into(),
            DeadlineSource::Document.code().into(),
            now.clone().into(),
            actor.user_id().into(),
        ]);
        audits.push(audit::row(
            actor,
            "task",
            id,
            "create",
            None,
            Some(json!({
                "document": document,
                "outline_id": task.id,
                "status": ProgressStatus::NotStarted,
                "assignments": assigned,
                "deadline": {"kind": deadline_kind, "date": due_on.map(|d| d.to_string()), "text": task.deadline.text},
            })),
        ));
    }
    tx.insert_rows(INSERT_ASSIGNMENT, assignments).await?;
    tx.insert_rows(
        "INSERT INTO task_deadline (task_id, kind, due_on, text, every, source, recorded_at, recorded_by)",
        deadlines,
    )
    .await?;
    let ids: Vec<i64> = ids.into_values().collect();
    crate::standing::refresh(tx, &ids).await?;
    audit::record_all(tx, audits).await
}

/// What [`commit_in`] did.
pub(crate) enum Commit {
    /// Written (or found imported before), waiting for the caller to commit the transaction.
    Done(CommitOutcome),
    /// Another transaction inserted the same file after this one looked: nothing written.
    Raced,
}

/// The refusals a commit checks before touching the database.
pub(crate) fn check_commit(doc: &doc_parse::Document, original: &[u8], limit: u64) -> Result<()> {
    if let Some(mark) = &doc.secrecy {
        return Err(Error::SecretDocument(mark.clone()));
    }
    let size = original.len() as u64;
    if size > limit {
        return Err(Error::FileTooLarge {
            name: doc.source.file.clone(),
            size,
            limit,
        });
    }
    Ok(())
}

/// [`Store::commit_document`] inside a transaction the caller commits (import drafts commit
/// their own state change in the same one).
pub(crate) async fn commit_in(
    tx: &mut Tx,
    parsed: &Parsed,
    original: &[u8],
    actor: Actor,
) -> Result<Commit> {
    let doc = &parsed.document;
    let sha = Sha256::of(original);
    if !doc.source.sha256.is_empty() && !doc.source.sha256.eq_ignore_ascii_case(sha.as_str()) {
        return Err(Error::HashMismatch {
            declared: doc.source.sha256.clone(),
            actual: sha.to_string(),
        });
    }
    let code: Option<DocumentCode> = doc.code.as_deref().map(str::parse).transpose()?;
    let issued_on = doc.date.as_deref().map(parse_date).transpose()?;
    let year = issued_on.map(|d| i64::from(d.year()));
    let issuer = doc.issuer.as_ref().map(|i| i.name.clone());
    let mut stored = doc.clone();
    stored.source.sha256 = sha.to_string();
    let parse_result = serde_json::to_string(&stored).map_err(|e| Error::Invalid {
        what: "kết quả phân tích",
        value: e.to_string(),
    })?;

    if let Some(existing) = document_with_hash(tx, &sha).await? {
        return Ok(Commit::Done(CommitOutcome::AlreadyImported {
            document: existing,
        }));
    }
    if let (Some(code), Some(year), Some(issuer)) = (&code, year, &issuer) {
        let same = tx
            .optional(
                q("SELECT id FROM document WHERE code = $1 AND year = $2 AND issuer = $3")
                    .bind(code.as_str())
                    .bind(year)
                    .bind(issuer.as_str()),
            )
            .await?;
        if let Some(r) = same {
            return Err(Error::DuplicateDocument {
                code: code.to_string(),
                year,
                issuer: issuer.clone(),
                existing: r.int(0)?,
            });
        }
    }
    store_blob(tx, &sha, original).await?;
    let inserted = tx
            .optional(
                q("INSERT INTO document (sha256, file_name, format, kind, code, number, symbol, year, issuer, place, \
                   issued_on, subject, monitor_agency, text, parse_result, imported_at, imported_by) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) \
                   ON CONFLICT (sha256) DO NOTHING RETURNING id")
                .bind(sha.as_str())
                .bind(doc.source.file.as_str())
                .bind(doc.source.format.as_str())
                .bind(doc.kind.as_deref())
                .bind(code.as_ref().map(|c| c.to_string()))
                .bind(doc.number.as_deref())
                .bind(doc.symbol.as_deref())
                .bind(year)
                .bind(issuer.clone())
                .bind(doc.place.as_deref())
                .bind(issued_on.map(|d| d.to_string()))
                .bind(doc.subject.as_deref())
                .bind(doc.monitor.as_ref().map(|m| m.agency.clone()))
                .bind(parsed.text.as_str())
                .bind(parse_result)
                .bind(Timestamp::now().to_string())
                .bind(actor.user_id()),
            )
            .await?;
    let Some(inserted) = inserted else {
        return Ok(Commit::Raced);
    };
    let id = inserted.int(0)?;
    let superseded = write_references(tx, id, parsed, code.as_ref(), year).await?;
    let mut parties = PartyResolver::new();
    write_tasks(tx, &mut parties, id, &doc.tasks, actor).await?;
    supersession::record(tx, id, &superseded).await?;
    if let Some(code) = &code {
        // Progress reports that named this document as their result before it arrived.
        tx.execute(
                q("UPDATE progress_report SET result_document_id = $1 WHERE result_code = $2 AND result_document_id IS NULL")
                    .bind(id)
                    .bind(code.to_string()),
            )
            .await?;
    }
    audit::record(
        tx,
        actor,
        "document",
        id,
        "import",
        None,
        Some(json!({
            "sha256": sha.as_str(),
            "file": doc.source.file,
            "code": code,
            "year": year,
            "issuer": issuer,
            "tasks": doc.tasks.len(),
            "references": doc.references.len(),
        })),
    )
    .await?;
    Ok(Commit::Done(CommitOutcome::Imported {
        document: DocumentId(id),
        tasks: doc.tasks.len(),
    }))
}
