//! The nhiemvu domain model on SQLite and PostgreSQL: the agency directory and its
//! reorganisations, committed documents with their references, tasks with assignments, deadline
//! history and progress, progress reports with attachments, users, an append-only audit log, and
//! reminders on their way to people: in-app notices and an e-mail outbox with leases
//! (`outbox.rs`), full-text search folded by `vn_text::fold` over each database's own index
//! (`search.rs`), webhook deliveries planned from the audit log (`webhooks.rs`), and the
//! tracking settings and calendar changes an administrator makes (`settings.rs`).
//!
//! [`Store::open`] takes `sqlite://PATH` (the embedded default: a file in WAL mode with foreign
//! keys on) or `postgres://…`, migrates the schema on first use and seeds an empty directory
//! with Quảng Ngãi's agencies and their 2025 reorganisation.
//!
//! # One type, two backends
//! [`Store`] is one struct over a private two-variant pool, not a trait with two
//! implementations. The backends differ in dialect, not in behaviour: every statement is written
//! once in SQL both accept (`$N` parameters, `RETURNING`, `ON CONFLICT`, text dates, BIGINT
//! integers), so each operation has one implementation and the conformance suite
//! (`tests/conformance.rs`) checks that single implementation on both databases. A trait would
//! duplicate each method or push sqlx's generic bounds into every signature, and a second copy of
//! a transaction's logic is exactly where the two databases would drift apart. The dialect
//! differences that remain live in `db.rs` (connection set-up, `BEGIN IMMEDIATE` on SQLite) and
//! in the two migration folders, whose schema files are checked to stay in step.
//!
//! # Transactions
//! Every mutating method runs in one transaction and writes its audit rows in that same
//! transaction; an error anywhere rolls all of it back. The database itself refuses UPDATE and
//! DELETE on the audit log. Notices and the outbox are not audited: they are the system
//! carrying out audited changes, not changes people make (`outbox.rs` says more).
//!
//! # Time
//! Dates are [`vn_calendar::Date`], stored as ISO text; instants are [`Timestamp`], stored as
//! ISO-8601 UTC text and shown in Asia/Ho_Chi_Minh.
#![warn(missing_docs)]

mod annex;
mod audit;
mod backup;
mod counting;
mod csv;
mod db;
mod directory;
mod documents;
mod error;
mod generate;
mod outbox;
mod queries;
mod reports;
mod review;
mod search;
mod sessions;
mod settings;
mod standing;
mod supersession;
mod tally;
mod tasks;
mod time;
mod tracking;
mod types;
mod users;
mod webhooks;

pub use annex::{AnnexPage, AnnexQuery, AnnexRow, LatestReport, QuotedReport};
pub use audit::AuditEntry;
pub use backup::BACKUP_FORMAT;
pub use counting::{CountBy, CountRow, DocumentRanking, Scope};
pub use db::Backend;
pub use directory::{
    Agency, AgencyRef, ApplyOutcome, NewReorganisation, REORGANISATIONS_CSV, Reorganisation,
    Successor,
};
pub use documents::{CommitOutcome, StoredDocument, StoredReference};
pub use error::{Error, Result};
pub use generate::{BATCH_TASKS, GenerateSpec, Generated};
pub use outbox::{
    LeasedMail, MAIL_MAX_ATTEMPTS, MailState, NewMail, NewNotice, Notice, OutboxEntry, QueuedMail,
    mail_retry_at,
};
pub use queries::{DocumentSummary, TaskFilter, TaskPage, TimelinessOn};
pub use reports::{Attachment, NewAttachment, NewReport, ProgressReport};
pub use review::{
    Draft, DraftCommit, DraftState, DraftSummary, Problem, ReviewDeadline, ReviewParty, ReviewTask,
};
pub use search::{SearchHit, SearchKind, SearchPage, words as search_words};
pub use sessions::{Credentials, LoginFailures};
pub use settings::{
    CalendarChange, MAX_CALENDAR_NOTE_CHARS, NewCalendarChange, Rules, calendar_with,
};
pub use supersession::{Decision, Relation, SupersededTask};
pub use tasks::{Assignment, DeadlineEntry, NewDeadline, Task};
pub use time::Timestamp;
pub use tracking::{Extension, Person, StatusChange, TaskToRemind};
pub use types::{
    Actor, AgencyId, AgencyKind, AssignmentId, AssignmentRole, AttachmentId, AuditId,
    CalendarChangeId, CalendarChangeKind, DeadlineKind, DeadlineSource, DocumentCode, DocumentId,
    ExtensionId, NoticeId, OutboxId, PartyKind, ProgressStatus, ReorganisationId,
    ReorganisationKind, ReportId, Role, Sha256, TaskId, UserId,
};
pub use users::{NewUser, User};
pub use webhooks::{
    LeasedDelivery, SETTLE as WEBHOOK_SETTLE, WEBHOOK_EVENTS, WEBHOOK_MAX_ATTEMPTS, Webhook,
    WebhookDelivery, webhook_retry_at,
};

/// Size limits on stored files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest original document, in bytes (the `ingest` reader's own limit by default).
    pub original_bytes: u64,
    /// Largest attachment of a progress report, in bytes.
    pub attachment_bytes: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            original_bytes: 50 * 1024 * 1024,
            attachment_bytes: 20 * 1024 * 1024,
        }
    }
}

/// The database of a nhiemvu installation. Cheap to clone: clones share one connection pool.
#[derive(Debug, Clone)]
pub struct Store {
    pool: db::Pool,
    limits: Limits,
}

impl Store {
    /// Opens `sqlite://PATH` (creating the file) or `postgres://…`, brings the schema up to
    /// date and seeds an empty directory. Several processes may open the same database at once:
    /// PostgreSQL migrations take an advisory lock and the seed is claimed by one of them.
    pub async fn open(url: &str) -> Result<Store> {
        let pool = db::Pool::open(url).await?;
        let mut tx = pool.write().await?;
        directory::seed(&mut tx).await?;
        tx.commit().await?;
        let store = Store {
            pool,
            limits: Limits::default(),
        };
        // Rows marked by a migration's backfill or by writers since the last search.
        store.refresh_search_index().await?;
        // Standings missing since a migration, a restore, or a new built-in calendar.
        store.refresh_standings().await?;
        Ok(store)
    }

    /// The same store with other size limits.
    pub fn with_limits(self, limits: Limits) -> Store {
        Store { limits, ..self }
    }

    /// The size limits in force.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.pool.backend()
    }

    /// Waits for running statements and closes every connection (a SQLite file is then
    /// checkpointed and can be copied as one file).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}
