//! Progress reports on tasks, with attached files (kept by hash, like originals).

use serde_json::json;

use crate::Store;
use crate::audit;
use crate::db::q;
use crate::documents::store_blob;
use crate::error::{Error, Result};
use crate::time::Timestamp;
use crate::types::{
    Actor, AgencyId, AttachmentId, DocumentCode, DocumentId, ProgressStatus, ReportId, Sha256,
    TaskId, UserId,
};

/// A progress report to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReport {
    /// The task reported on.
    pub task: TaskId,
    /// The agency reporting.
    pub agency: Option<AgencyId>,
    /// The user who wrote it.
    pub author: Option<UserId>,
    /// The status the report claims (the tracker decides whether the task takes it).
    pub status: Option<ProgressStatus>,
    /// Percentage done, 0–100.
    pub percent: Option<u8>,
    /// What was done.
    pub content: String,
    /// The code of the document that reports the result (`15/BC-SVHTTDL`), if any.
    pub result: Option<DocumentCode>,
    /// Attached files.
    pub attachments: Vec<NewAttachment>,
}

/// A file to attach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAttachment {
    /// File name as uploaded.
    pub file_name: String,
    /// Media type (`application/pdf`).
    pub media_type: String,
    /// The content.
    pub bytes: Vec<u8>,
}

/// A stored progress report.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ProgressReport {
    /// Its id.
    pub id: ReportId,
    /// The task.
    pub task: TaskId,
    /// The agency reporting.
    pub agency: Option<AgencyId>,
    /// The author.
    pub author: Option<UserId>,
    /// When it was filed.
    pub reported_at: Timestamp,
    /// The status it claims.
    pub status: Option<ProgressStatus>,
    /// Percentage done.
    pub percent: Option<u8>,
    /// What was done.
    pub content: String,
    /// The code of the document that reports the result.
    pub result_code: Option<String>,
    /// That document, when it is in the system.
    pub result_document: Option<DocumentId>,
    /// Attached files, in order.
    pub attachments: Vec<Attachment>,
}

/// A stored attachment (without its content; see [`Store::attachment_content`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Attachment {
    /// Its id.
    pub id: AttachmentId,
    /// File name as uploaded.
    pub file_name: String,
    /// Media type.
    pub media_type: String,
    /// Hash of the content.
    pub sha256: Sha256,
    /// Size in bytes.
    pub size: u64,
}

impl Store {
    /// Files a progress report with its attachments. Every attachment is checked against the
    /// size limit before anything is written.
    pub async fn add_progress_report(&self, report: &NewReport, actor: Actor) -> Result<ReportId> {
        for a in &report.attachments {
            let size = a.bytes.len() as u64;
            if size > self.limits.attachment_bytes {
                return Err(Error::FileTooLarge {
                    name: a.file_name.clone(),
                    size,
                    limit: self.limits.attachment_bytes,
                });
            }
        }
        if report.percent.is_some_and(|p| p > 100) {
            return Err(Error::Invalid {
                what: "tỷ lệ hoàn thành (0–100)",
                value: format!("{:?}", report.percent),
            });
        }
        let mut tx = self.pool.write().await?;
        let id = tx
            .one(
                q("INSERT INTO progress_report (task_id, agency_id, author_id, reported_at, status, percent, content, result_code, \
                   result_document_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, \
                   (SELECT MIN(id) FROM document WHERE code = $8 HAVING COUNT(*) = 1)) RETURNING id")
                .bind(report.task.0)
                .bind(report.agency.map(|a| a.0))
                .bind(report.author.map(|u| u.0))
                .bind(Timestamp::now().to_string())
                .bind(report.status.map(|s| s.code()))
                .bind(report.percent.map(i64::from))
                .bind(report.content.as_str())
                .bind(report.result.as_ref().map(|c| c.as_str())),
            )
            .await?
            .int(0)?;
        let mut files = Vec::new();
        for (position, a) in report.attachments.iter().enumerate() {
            let sha = Sha256::of(&a.bytes);
            store_blob(&mut tx, &sha, &a.bytes).await?;
            tx.execute(
                q("INSERT INTO attachment (report_id, position, file_name, media_type, sha256, size) \
                   VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(id)
                .bind(position as i64)
                .bind(a.file_name.as_str())
                .bind(a.media_type.as_str())
                .bind(sha.as_str())
                .bind(a.bytes.len() as i64),
            )
            .await?;
            files.push(json!({"file": a.file_name, "sha256": sha.as_str(), "size": a.bytes.len()}));
        }
        audit::record(
            &mut tx,
            actor,
            "progress_report",
            id,
            "create",
            None,
            Some(json!({
                "task": report.task,
                "agency": report.agency,
                "status": report.status,
                "percent": report.percent,
                "result": report.result.as_ref().map(|c| c.as_str()),
                "attachments": files,
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(ReportId(id))
    }

    /// The progress reports of a task, oldest first.
    pub async fn progress_reports(&self, task: TaskId) -> Result<Vec<ProgressReport>> {
        let mut tx = self.pool.read().await?;
        let rows = tx
            .all(
                q("SELECT id, agency_id, author_id, reported_at, status, percent, content, result_code, result_document_id FROM progress_report \
                   WHERE task_id = $1 ORDER BY id")
                .bind(task.0),
            )
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let id = r.int(0)?;
            let attachments = tx
                .all(
                    q("SELECT id, file_name, media_type, sha256, size FROM attachment WHERE report_id = $1 ORDER BY position")
                        .bind(id),
                )
                .await?
                .iter()
                .map(|a| {
                    Ok(Attachment {
                        id: AttachmentId(a.int(0)?),
                        file_name: a.text(1)?,
                        media_type: a.text(2)?,
                        sha256: a.parsed(3)?,
                        size: u64::try_from(a.int(4)?).unwrap_or(0),
                    })
                })
                .collect::<Result<_>>()?;
            out.push(ProgressReport {
                id: ReportId(id),
                task,
                agency: r.opt_int(1)?.map(AgencyId),
                author: r.opt_int(2)?.map(UserId),
                reported_at: r.parsed(3)?,
                status: r.opt_parsed(4)?,
                percent: r.opt_int(5)?.and_then(|p| u8::try_from(p).ok()),
                content: r.text(6)?,
                result_code: r.opt_text(7)?,
                result_document: r.opt_int(8)?.map(DocumentId),
                attachments,
            });
        }
        Ok(out)
    }

    /// The content of an attachment.
    pub async fn attachment_content(&self, id: AttachmentId) -> Result<Vec<u8>> {
        let mut tx = self.pool.read().await?;
        tx.optional(
            q("SELECT b.content FROM attachment a JOIN file_blob b ON b.sha256 = a.sha256 WHERE a.id = $1").bind(id.0),
        )
        .await?
        .ok_or_else(|| Error::NotFound { what: "tệp đính kèm", id: id.to_string() })?
        .bytes(0)
    }
}
