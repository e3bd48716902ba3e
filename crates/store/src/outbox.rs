//! Reminders on their way to people: in-app notices and the e-mail outbox.
//!
//! Several server processes may run the reminder scheduler at once, so both queues are safe
//! to fill and drain concurrently:
//!
//! - **Notices are shown exactly once.** Each is named by a dedupe key the scheduler can
//!   compute again (`due:task:42:2023-01-03`); the database keeps one row per user and key, and
//!   [`Store::enqueue_notice`] ignores a second one. Writing the notice is the delivery.
//! - **E-mail is sent at least once.** [`Store::enqueue_mail`] queues a message once per
//!   dedupe key and fixes its `Message-ID` then. A scheduler claims due messages with a lease
//!   ([`Store::lease_mail`]), sends them and records the outcome ([`Store::mark_mail_sent`],
//!   [`Store::mark_mail_failed`]). A process killed between the server's `250` and the mark
//!   loses nothing: when its lease runs out another scheduler takes the message over and sends
//!   it again, with the same `Message-ID`, so mail clients show the copies as one message.
//!   Exactly once cannot be had: the SMTP server and the database do not commit together.
//!
//! # The scheduler's loop
//! The loop needs both this crate and the `mail` crate, so it belongs to the crate above both
//! (the workflow crate); a suggested shape, `owner` naming the process (`host:pid`):
//!
//! ```text
//! async fn deliver_due(store: &Store, smtp: &mail::SmtpConfig, from: &str, owner: &str,
//!                      now: Timestamp) -> store::Result<Delivered>
//!     for m in store.lease_mail(owner, now, LEASE, BATCH).await? {
//!         let message = mail::Message { from, to: vec![m.recipient], subject: m.subject,
//!             body_text: m.body, message_id: m.message_id, date: m.created_at as SystemTime };
//!         match spawn_blocking(move || mail::send(smtp, &message)).await {
//!             Ok(())                      => store.mark_mail_sent(m.id, owner, now).await,
//!             Err(e) if e.is_permanent()  => store.mark_mail_failed(m.id, owner, &e.to_string(), None, now).await,
//!             Err(e)                      => store.mark_mail_failed(m.id, owner, &e.to_string(),
//!                                                mail_retry_at(m.attempts, now), now).await,
//!         }  // Error::LeaseLost here: another scheduler took the message over; log and go on.
//!     }
//! ```
//!
//! The lease must outlast sending a batch (connect and I/O timeouts included), else a slow
//! send is taken over while still running and sent twice. The conformance suite runs this loop
//! against a real SMTP server (`delivery_is_at_least_once_with_one_message_id`).
//!
//! # Not audited
//! Queueing, leasing and sending are not changes people make to the tracked work: they are the
//! system carrying out what the audited changes (deadlines, statuses) imply, many rows a day,
//! and each row already records when it was queued, sent or given up and why it failed. So
//! these methods write no audit rows; nor does reading a notice, whose row keeps its `read_at`.

use std::time::Duration;

use crate::Store;
use crate::db::{Tx, q};
use crate::error::{Error, Result};
use crate::time::Timestamp;
use crate::types::{NoticeId, OutboxId, TaskId, UserId};

/// An in-app notice to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotice {
    /// Who sees it.
    pub user: UserId,
    /// The task it is about.
    pub task: Option<TaskId>,
    /// What kind of notice (`due_soon`, `overdue`, `urge`: the scheduler's codes).
    pub kind: String,
    /// Names this notice for this user: a second notice with the same key is not added.
    pub dedupe_key: String,
    /// Short title, as shown in the list.
    pub title: String,
    /// The text.
    pub body: String,
}

/// A stored in-app notice.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Notice {
    /// Its id.
    pub id: NoticeId,
    /// Who sees it.
    pub user: UserId,
    /// The task it is about.
    pub task: Option<TaskId>,
    /// What kind of notice.
    pub kind: String,
    /// Its dedupe key.
    pub dedupe_key: String,
    /// Short title.
    pub title: String,
    /// The text.
    pub body: String,
    /// When it was added.
    pub created_at: Timestamp,
    /// When the user read it.
    pub read_at: Option<Timestamp>,
}

/// An e-mail to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMail {
    /// Names this message: a second one with the same key is not queued.
    pub dedupe_key: String,
    /// The address it goes to.
    pub recipient: String,
    /// Subject (Unicode).
    pub subject: String,
    /// Plain text.
    pub body: String,
    /// Not sent before this instant.
    pub not_before: Timestamp,
}

/// What [`Store::enqueue_mail`] did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct QueuedMail {
    /// The outbox row, new or already there.
    pub id: OutboxId,
    /// Its `Message-ID`, fixed when it was first queued.
    pub message_id: String,
    /// Whether this call queued it (false: the dedupe key was queued before).
    pub new: bool,
}

/// A message claimed by a scheduler, to send now.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LeasedMail {
    /// The outbox row.
    pub id: OutboxId,
    /// The address it goes to.
    pub recipient: String,
    /// Subject.
    pub subject: String,
    /// Plain text.
    pub body: String,
    /// The `Message-ID` every sending of it carries.
    pub message_id: String,
    /// When it was queued: the `Date` to write, the same on every sending.
    pub created_at: Timestamp,
    /// Attempts so far, this one included.
    pub attempts: u32,
    /// When the lease runs out; after that another scheduler may take the message over.
    pub lease_until: Timestamp,
}

/// Where a message of the outbox stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MailState {
    /// Waiting to be sent, being sent, or waiting for a retry.
    Pending,
    /// Accepted by the SMTP server.
    Sent,
    /// Given up.
    Failed,
}

/// A row of the outbox, for administrators.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OutboxEntry {
    /// Its id.
    pub id: OutboxId,
    /// Where it stands.
    pub state: MailState,
    /// Its dedupe key.
    pub dedupe_key: String,
    /// The address it goes to.
    pub recipient: String,
    /// Subject.
    pub subject: String,
    /// Plain text.
    pub body: String,
    /// Its `Message-ID`.
    pub message_id: String,
    /// When it was queued.
    pub created_at: Timestamp,
    /// Not sent before this instant (the next retry, after a failure).
    pub not_before: Timestamp,
    /// Leases taken on it so far.
    pub attempts: u32,
    /// The scheduler that holds or last held it (the one that sent it, once sent).
    pub lease_owner: Option<String>,
    /// When the current lease runs out.
    pub lease_until: Option<Timestamp>,
    /// When the SMTP server accepted it.
    pub sent_at: Option<Timestamp>,
    /// When it was given up.
    pub failed_at: Option<Timestamp>,
    /// The last failure, as the mail crate reported it.
    pub last_error: Option<String>,
}

/// Attempts after which [`mail_retry_at`] gives a message up.
pub const MAIL_MAX_ATTEMPTS: u32 = 12;

/// When to try a message again after its `attempts`-th attempt failed for a reason that may
/// pass (relay down, timeout, a `4xx` reply): 1, 2, 4, … minutes later, at most 6 hours apart,
/// so a relay down overnight is retried in the morning; `None` (give up) after
/// [`MAIL_MAX_ATTEMPTS`], about a day after the first attempt.
pub fn mail_retry_at(attempts: u32, now: Timestamp) -> Option<Timestamp> {
    if attempts >= MAIL_MAX_ATTEMPTS {
        return None;
    }
    let minutes = 1u64 << attempts.saturating_sub(1).min(16);
    Some(now + Duration::from_secs(minutes.min(360) * 60))
}

/// Longest error text kept (a server's reply can be long; the start says what went wrong).
const MAX_ERROR_CHARS: usize = 2000;

impl Store {
    /// Adds an in-app notice, unless the user already has one with its dedupe key: `Some` with
    /// the new notice's id, `None` when it was there.
    pub async fn enqueue_notice(
        &self,
        notice: &NewNotice,
        now: Timestamp,
    ) -> Result<Option<NoticeId>> {
        non_empty("khóa chống trùng của thông báo", &notice.dedupe_key)?;
        non_empty("loại thông báo", &notice.kind)?;
        let mut tx = self.pool.write().await?;
        let id = tx
            .optional(
                q("INSERT INTO notice (user_id, task_id, kind, dedupe_key, title, body, created_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7) \
                   ON CONFLICT (user_id, dedupe_key) DO NOTHING RETURNING id")
                .bind(notice.user.0)
                .bind(notice.task.map(|t| t.0))
                .bind(notice.kind.as_str())
                .bind(notice.dedupe_key.as_str())
                .bind(notice.title.as_str())
                .bind(notice.body.as_str())
                .bind(now.to_string()),
            )
            .await?
            .map(|r| r.int(0))
            .transpose()?;
        tx.commit().await?;
        Ok(id.map(NoticeId))
    }

    /// A user's notices, newest first; only those not yet read when `unread_only`.
    pub async fn notices(&self, user: UserId, unread_only: bool) -> Result<Vec<Notice>> {
        let mut tx = self.pool.read().await?;
        let unread = if unread_only {
            " AND read_at IS NULL"
        } else {
            ""
        };
        let rows = tx
            .all(
                q(format!(
                    "SELECT id, task_id, kind, dedupe_key, title, body, created_at, read_at FROM notice \
                     WHERE user_id = $1{unread} ORDER BY id DESC"
                ))
                .bind(user.0),
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Notice {
                    id: NoticeId(r.int(0)?),
                    user,
                    task: r.opt_int(1)?.map(TaskId),
                    kind: r.text(2)?,
                    dedupe_key: r.text(3)?,
                    title: r.text(4)?,
                    body: r.text(5)?,
                    created_at: r.parsed(6)?,
                    read_at: r.opt_parsed(7)?,
                })
            })
            .collect()
    }

    /// Marks one of `user`'s notices read (the first reading counts; reading again changes
    /// nothing). A notice of another user is not found.
    pub async fn mark_notice_read(&self, user: UserId, id: NoticeId, now: Timestamp) -> Result<()> {
        let mut tx = self.pool.write().await?;
        let changed = tx
            .execute(
                q("UPDATE notice SET read_at = $1 WHERE id = $2 AND user_id = $3 AND read_at IS NULL")
                    .bind(now.to_string())
                    .bind(id.0)
                    .bind(user.0),
            )
            .await?;
        if changed == 0
            && tx
                .optional(
                    q("SELECT id FROM notice WHERE id = $1 AND user_id = $2")
                        .bind(id.0)
                        .bind(user.0),
                )
                .await?
                .is_none()
        {
            return Err(Error::NotFound {
                what: "thông báo",
                id: id.to_string(),
            });
        }
        tx.commit().await
    }

    /// Queues an e-mail, unless its dedupe key was queued before (then the row already there
    /// is returned, `new: false`). The `Message-ID` is fixed now, `<outbox-HEX@domain>` with
    /// `domain` the installation's mail domain: random rather than the row id, because ids
    /// start again after a restore from an older backup, and a reused Message-ID makes mail
    /// clients drop a different message as a copy.
    pub async fn enqueue_mail(
        &self,
        mail: &NewMail,
        domain: &str,
        now: Timestamp,
    ) -> Result<QueuedMail> {
        non_empty("khóa chống trùng của thư", &mail.dedupe_key)?;
        check_recipient(&mail.recipient)?;
        check_domain(domain)?;
        let message_id = format!("<outbox-{}@{domain}>", random_hex(&mail.dedupe_key, now));
        let mut tx = self.pool.write().await?;
        let inserted = tx
            .optional(
                q("INSERT INTO outbox (dedupe_key, recipient, subject, body, message_id, created_at, not_before) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id")
                .bind(mail.dedupe_key.as_str())
                .bind(mail.recipient.as_str())
                .bind(mail.subject.as_str())
                .bind(mail.body.as_str())
                .bind(message_id.as_str())
                .bind(now.to_string())
                .bind(mail.not_before.to_string()),
            )
            .await?;
        let queued = match inserted {
            Some(r) => QueuedMail {
                id: OutboxId(r.int(0)?),
                message_id,
                new: true,
            },
            None => {
                let r = tx
                    .one(
                        q("SELECT id, message_id FROM outbox WHERE dedupe_key = $1")
                            .bind(mail.dedupe_key.as_str()),
                    )
                    .await?;
                QueuedMail {
                    id: OutboxId(r.int(0)?),
                    message_id: r.text(1)?,
                    new: false,
                }
            }
        };
        tx.commit().await?;
        Ok(queued)
    }

    /// Claims up to `limit` messages that are due at `now`, neither sent nor given up, and not
    /// under a lease that is still running, for `owner` until `now + lease`; oldest due first.
    /// One statement: on PostgreSQL the rows are locked as they are picked and rows another
    /// claimer holds are skipped, on SQLite the single writer serialises claimers; either way
    /// two schedulers never hold the same message under a running lease.
    pub async fn lease_mail(
        &self,
        owner: &str,
        now: Timestamp,
        lease: Duration,
        limit: u32,
    ) -> Result<Vec<LeasedMail>> {
        check_owner(owner)?;
        if lease.is_zero() {
            return Err(Error::Invalid {
                what: "thời hạn giữ thư",
                value: format!("{lease:?}"),
            });
        }
        if limit == 0 {
            return Ok(Vec::new());
        }
        let until = now + lease;
        let mut tx = self.pool.write().await?;
        let rows = tx
            .all(
                q(format!(
                    "UPDATE outbox SET lease_owner = $1, lease_until = $2, attempts = attempts + 1 \
                     WHERE id IN (SELECT id FROM outbox \
                        WHERE sent_at IS NULL AND failed_at IS NULL AND not_before <= $3 \
                        AND (lease_until IS NULL OR lease_until <= $3) \
                        ORDER BY not_before, id LIMIT $4{}) \
                     RETURNING id, recipient, subject, body, message_id, created_at, attempts",
                    self.backend().claim_rows()
                ))
                .bind(owner)
                .bind(until.to_string())
                .bind(now.to_string())
                .bind(i64::from(limit)),
            )
            .await?;
        let mut leased = rows
            .iter()
            .map(|r| {
                Ok(LeasedMail {
                    id: OutboxId(r.int(0)?),
                    recipient: r.text(1)?,
                    subject: r.text(2)?,
                    body: r.text(3)?,
                    message_id: r.text(4)?,
                    created_at: r.parsed(5)?,
                    attempts: u32::try_from(r.int(6)?).unwrap_or(u32::MAX),
                    lease_until: until,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        tx.commit().await?;
        leased.sort_by_key(|m| m.id);
        Ok(leased)
    }

    /// Records that the SMTP server accepted a message `owner` leased. Refused with
    /// [`Error::LeaseLost`] when another scheduler has taken the message over since (its lease
    /// ran out): that one sends it and records it. A lease that ran out but was not taken over
    /// is still `owner`'s. Recording the same sending twice is harmless.
    pub async fn mark_mail_sent(&self, id: OutboxId, owner: &str, now: Timestamp) -> Result<()> {
        let mut tx = self.pool.write().await?;
        let changed = tx
            .execute(
                q(
                    "UPDATE outbox SET sent_at = $1, lease_until = NULL, last_error = NULL \
                   WHERE id = $2 AND lease_owner = $3 AND sent_at IS NULL AND failed_at IS NULL",
                )
                .bind(now.to_string())
                .bind(id.0)
                .bind(owner),
            )
            .await?;
        if changed == 0 {
            let (holder, sent) = holder(&mut tx, id).await?;
            if !(sent && holder.as_deref() == Some(owner)) {
                return Err(lease_lost(id, owner));
            }
        }
        tx.commit().await
    }

    /// Records that sending a message `owner` leased failed with `error`: it is tried again
    /// from `retry_at` (see [`mail_retry_at`]), or given up when `retry_at` is `None` (a
    /// permanent refusal). The lease is released either way. Refused with
    /// [`Error::LeaseLost`] when another scheduler has taken the message over.
    pub async fn mark_mail_failed(
        &self,
        id: OutboxId,
        owner: &str,
        error: &str,
        retry_at: Option<Timestamp>,
        now: Timestamp,
    ) -> Result<()> {
        let error: String = error.chars().take(MAX_ERROR_CHARS).collect();
        let mut tx = self.pool.write().await?;
        let changed = tx
            .execute(
                q("UPDATE outbox SET last_error = $1, not_before = COALESCE($2, not_before), failed_at = $3, \
                   lease_owner = NULL, lease_until = NULL \
                   WHERE id = $4 AND lease_owner = $5 AND sent_at IS NULL AND failed_at IS NULL")
                .bind(error)
                .bind(retry_at.map(|t| t.to_string()))
                .bind(retry_at.is_none().then(|| now.to_string()))
                .bind(id.0)
                .bind(owner),
            )
            .await?;
        if changed == 0 {
            holder(&mut tx, id).await?;
            return Err(lease_lost(id, owner));
        }
        tx.commit().await
    }

    /// The outbox, newest first, at most `limit` rows, optionally in one state only.
    pub async fn outbox(&self, state: Option<MailState>, limit: u32) -> Result<Vec<OutboxEntry>> {
        let filter = match state {
            None => "",
            Some(MailState::Pending) => " WHERE sent_at IS NULL AND failed_at IS NULL",
            Some(MailState::Sent) => " WHERE sent_at IS NOT NULL",
            Some(MailState::Failed) => " WHERE failed_at IS NOT NULL",
        };
        let mut tx = self.pool.read().await?;
        let rows = tx
            .all(
                q(format!(
                    "SELECT id, dedupe_key, recipient, subject, body, message_id, created_at, not_before, attempts, \
                     lease_owner, lease_until, sent_at, failed_at, last_error FROM outbox{filter} ORDER BY id DESC LIMIT $1"
                ))
                .bind(i64::from(limit)),
            )
            .await?;
        rows.iter()
            .map(|r| {
                let sent_at: Option<Timestamp> = r.opt_parsed(11)?;
                let failed_at: Option<Timestamp> = r.opt_parsed(12)?;
                Ok(OutboxEntry {
                    id: OutboxId(r.int(0)?),
                    state: match (sent_at, failed_at) {
                        (Some(_), _) => MailState::Sent,
                        (None, Some(_)) => MailState::Failed,
                        (None, None) => MailState::Pending,
                    },
                    dedupe_key: r.text(1)?,
                    recipient: r.text(2)?,
                    subject: r.text(3)?,
                    body: r.text(4)?,
                    message_id: r.text(5)?,
                    created_at: r.parsed(6)?,
                    not_before: r.parsed(7)?,
                    attempts: u32::try_from(r.int(8)?).unwrap_or(u32::MAX),
                    lease_owner: r.opt_text(9)?,
                    lease_until: r.opt_parsed(10)?,
                    sent_at,
                    failed_at,
                    last_error: r.opt_text(13)?,
                })
            })
            .collect()
    }
}

/// Who holds an outbox row's lease (or sent it) and whether it was sent; not found when there
/// is no such row.
async fn holder(tx: &mut Tx, id: OutboxId) -> Result<(Option<String>, bool)> {
    let r = tx
        .optional(q("SELECT lease_owner, sent_at FROM outbox WHERE id = $1").bind(id.0))
        .await?
        .ok_or_else(|| Error::NotFound {
            what: "thư trong hàng đợi",
            id: id.to_string(),
        })?;
    Ok((r.opt_text(0)?, r.opt_text(1)?.is_some()))
}

fn lease_lost(id: OutboxId, owner: &str) -> Error {
    Error::LeaseLost {
        id: id.0,
        owner: owner.to_owned(),
    }
}

fn non_empty(what: &'static str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        Err(Error::Invalid {
            what,
            value: value.to_owned(),
        })
    } else {
        Ok(())
    }
}

/// A scheduler's name: what it is recognised by in the lease columns.
pub(crate) fn check_owner(owner: &str) -> Result<()> {
    if owner.is_empty() || owner.len() > 200 || owner.chars().any(char::is_control) {
        return Err(Error::Invalid {
            what: "tên tiến trình gửi thư",
            value: owner.to_owned(),
        });
    }
    Ok(())
}

/// The outbox keeps what it is given; the mail crate checks addresses strictly when sending
/// (and a refusal there gives the message up). Here only what would never be an address: no
/// `@`, white space or control characters, too long.
fn check_recipient(address: &str) -> Result<()> {
    let ok = address.len() <= 254
        && address
            .split_once('@')
            .is_some_and(|(l, d)| !l.is_empty() && !d.is_empty())
        && !address.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(())
    } else {
        Err(Error::Invalid {
            what: "địa chỉ thư điện tử",
            value: address.to_owned(),
        })
    }
}

/// The right-hand side of generated Message-IDs: a host name.
fn check_domain(domain: &str) -> Result<()> {
    let ok = !domain.is_empty()
        && domain.len() <= 200
        && domain.split('.').all(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if ok {
        Ok(())
    } else {
        Err(Error::Invalid {
            what: "tên miền thư",
            value: domain.to_owned(),
        })
    }
}

/// 32 hex digits (128 bits) no other message will have: the SHA-256 of the dedupe key, the
/// instant, the process and std's per-process random hash keys.
pub(crate) fn random_hex(dedupe_key: &str, now: Timestamp) -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write(dedupe_key.as_bytes());
    hasher.write_i64(now.micros());
    let random = hasher.finish();
    let seed = format!(
        "{dedupe_key}\0{}\0{}\0{random}\0{}",
        now.micros(),
        std::process::id(),
        Timestamp::now().micros()
    );
    crate::types::Sha256::of(seed.as_bytes()).as_str()[..32].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_and_give_up() {
        let t: Timestamp = "2023-01-03T01:00:00.000000Z".parse().unwrap();
        let delays: Vec<i64> = (1..MAIL_MAX_ATTEMPTS)
            .map(|a| (mail_retry_at(a, t).unwrap().micros() - t.micros()) / 60_000_000)
            .collect();
        assert_eq!(delays, [1, 2, 4, 8, 16, 32, 64, 128, 256, 360, 360]);
        assert_eq!(mail_retry_at(MAIL_MAX_ATTEMPTS, t), None);
    }

    #[test]
    fn message_ids_differ_for_the_same_key_and_instant() {
        let t = Timestamp::now();
        assert_ne!(random_hex("k", t), random_hex("k", t));
        assert_eq!(random_hex("k", t).len(), 32);
    }

    #[test]
    fn values_that_cannot_be_sent_are_refused_at_the_door() {
        assert!(check_recipient("vanthu@quangngai.gov.vn").is_ok());
        for bad in [
            "",
            "khong-a-cong",
            "a@b.vn\r\nBcc: c@d.vn",
            "a b@c.vn",
            "@c.vn",
        ] {
            assert!(check_recipient(bad).is_err(), "{bad:?}");
        }
        assert!(check_domain("nhiemvu.quangngai.gov.vn").is_ok());
        for bad in ["", "a..b", "a b", "x>\r\n", "a@b"] {
            assert!(check_domain(bad).is_err(), "{bad:?}");
        }
        assert!(check_owner("may-chu-1:4242").is_ok());
        assert!(check_owner("").is_err());
        assert!(check_owner("a\nb").is_err());
    }
}
