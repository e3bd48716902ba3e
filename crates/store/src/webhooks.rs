//! Webhooks: other systems (the province's LGSP, document management systems) told of task
//! events by a signed JSON POST.
//!
//! # Where events come from
//! From the audit log. Every change writes its audit row in its own transaction, whoever made
//! it (the API, `nhiemvu import`, a review commit), so turning audit rows into deliveries
//! ([`Store::plan_webhook_deliveries`]) loses no event of a committed change and needs no
//! hook in the code that makes changes. Each subscription keeps the last audit row it has
//! seen (`audit_cursor`); a new one starts at the end of the log (no history).
//!
//! An audit id is taken when a row is written, not when its transaction commits, so on
//! PostgreSQL a later id may commit first. The planner therefore only reads rows older than
//! [`SETTLE`]: a transaction still open after that long would be passed over, and the store's
//! transactions are far shorter (one document per transaction on import).
//!
//! # Delivery
//! As the e-mail outbox (`outbox.rs`): one row per (subscription, audit row), each with a
//! `delivery_id` fixed when it is planned; schedulers lease rows (`FOR UPDATE SKIP LOCKED` on
//! PostgreSQL), POST them, and mark them sent or failed with a retry time
//! ([`webhook_retry_at`]). A scheduler killed between the receiver's answer and the mark loses
//! its lease, and another sends again with the same delivery id: at least once, and a receiver
//! drops a copy by that id. Signing and sending are the scheduler's (`scheduler::webhook`).
//!
//! Not audited, as the outbox is not; creating and revoking a subscription is.

use std::time::Duration;

use serde_json::{Value as Json, json};

use crate::Store;
use crate::audit;
use crate::db::{Tx, q};
use crate::error::{Error, Result};
use crate::time::Timestamp;
use crate::types::Actor;

/// The events a subscription may ask for: `(code, meaning in Vietnamese)`.
pub const WEBHOOK_EVENTS: &[(&str, &str)] = &[
    ("task.status_changed", "Nhiệm vụ chuyển trạng thái tiến độ"),
    ("extension.requested", "Có đề nghị gia hạn nhiệm vụ"),
    (
        "extension.decided",
        "Đề nghị gia hạn được duyệt hoặc không duyệt",
    ),
    ("report.filed", "Có báo cáo tiến độ nhiệm vụ"),
    ("document.imported", "Văn bản được nhập vào hệ thống"),
];

/// Audit rows younger than this are left for the next run (see the module's notes).
pub const SETTLE: Duration = Duration::from_secs(10);

/// Attempts after which [`webhook_retry_at`] gives a delivery up.
pub const WEBHOOK_MAX_ATTEMPTS: u32 = 10;

/// When to try a delivery again after its `attempts`-th attempt failed (no answer, a `5xx`, a
/// `429`): 30 s, 1 min, 2 min, … at most an hour apart; `None` (give up) after
/// [`WEBHOOK_MAX_ATTEMPTS`], some five hours after the first.
pub fn webhook_retry_at(attempts: u32, now: Timestamp) -> Option<Timestamp> {
    if attempts >= WEBHOOK_MAX_ATTEMPTS {
        return None;
    }
    let seconds = 30u64 << attempts.saturating_sub(1).min(16);
    Some(now + Duration::from_secs(seconds.min(3600)))
}

/// A subscription, as listed (its secret is shown only when it is created).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Webhook {
    /// Its id.
    pub id: i64,
    /// Where deliveries are POSTed (`http://…`).
    pub url: String,
    /// The event codes it receives.
    pub events: Vec<String>,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it was revoked; no delivery is planned or sent after that.
    pub revoked_at: Option<Timestamp>,
}

/// A delivery claimed by a scheduler, to POST now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeasedDelivery {
    /// The row.
    pub id: i64,
    /// The subscription's URL.
    pub url: String,
    /// The subscription's signing key.
    pub secret: String,
    /// The `X-Nhiemvu-Delivery` header, the same on every attempt.
    pub delivery_id: String,
    /// The event code (`X-Nhiemvu-Event`).
    pub event: String,
    /// The JSON body, the same bytes on every attempt.
    pub payload: String,
    /// Attempts so far, this one included.
    pub attempts: u32,
}

/// A delivery, for administrators and tests.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct WebhookDelivery {
    /// The row.
    pub id: i64,
    /// The delivery id.
    pub delivery_id: String,
    /// The event code.
    pub event: String,
    /// The JSON body.
    pub payload: String,
    /// Attempts so far.
    pub attempts: u32,
    /// Not sent before this instant (the next retry, after a failure).
    pub not_before: Timestamp,
    /// When the receiver answered `2xx`.
    pub sent_at: Option<Timestamp>,
    /// When it was given up.
    pub failed_at: Option<Timestamp>,
    /// The receiver's last HTTP status.
    pub last_status: Option<i64>,
    /// The last failure.
    pub last_error: Option<String>,
}

/// The event an audit row is, if any.
fn event_of(
    entity: &str,
    action: &str,
    before: Option<&Json>,
    after: Option<&Json>,
) -> Option<&'static str> {
    let status = |j: Option<&Json>| j.and_then(|j| j.get("status")).cloned();
    match (entity, action) {
        // A change of status (a task's creation records its first status, not a change).
        ("task", _) if status(before).is_some() && status(after).is_some() => {
            Some("task.status_changed")
        }
        ("extension_request", "create") => Some("extension.requested"),
        ("extension_request", "approved" | "refused") => Some("extension.decided"),
        ("progress_report", "create") => Some("report.filed"),
        ("document", "import") => Some("document.imported"),
        _ => None,
    }
}

/// `http://host[:port]/…` only: deliveries go over plain HTTP from the server, and an
/// `https://` receiver is reached through a local TLS proxy, as SMTP over TLS goes through a
/// local relay (`mail`).
fn check_url(url: &str) -> Result<()> {
    let ok = url.len() <= 2000
        && url.strip_prefix("http://").is_some_and(|rest| {
            let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
            !host.is_empty() && !host.contains('@')
        })
        && !url.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(())
    } else {
        Err(Error::Invalid {
            what: "địa chỉ nhận webhook (chỉ http://máy:cổng/đường-dẫn; địa chỉ https:// cần một proxy TLS cục bộ)",
            value: url.to_owned(),
        })
    }
}

const PLAN_BATCH: i64 = 1000;

impl Store {
    /// Subscribes `url` to `events` (codes of [`WEBHOOK_EVENTS`]), signing with `secret`; its
    /// deliveries start with the changes made from now on.
    pub async fn create_webhook(
        &self,
        url: &str,
        events: &[String],
        secret: &str,
        actor: Actor,
        now: Timestamp,
    ) -> Result<Webhook> {
        check_url(url)?;
        if events.is_empty() {
            return Err(Error::Invalid {
                what: "danh sách sự kiện webhook (cần ít nhất một)",
                value: String::new(),
            });
        }
        for e in events {
            if !WEBHOOK_EVENTS.iter().any(|(code, _)| code == e) {
                return Err(Error::Invalid {
                    what: "sự kiện webhook",
                    value: e.clone(),
                });
            }
        }
        if secret.len() < 16 {
            return Err(Error::Invalid {
                what: "khóa ký webhook (ít nhất 16 ký tự)",
                value: "…".into(),
            });
        }
        let mut events = events.to_vec();
        events.sort();
        events.dedup();
        let mut tx = self.pool.write().await?;
        let id = tx
            .one(
                q("INSERT INTO webhook (url, events, secret, audit_cursor, created_by, created_at) \
                   VALUES ($1, $2, $3, (SELECT COALESCE(MAX(id), 0) FROM audit_log), $4, $5) RETURNING id")
                .bind(url)
                .bind(events.join(","))
                .bind(secret)
                .bind(actor.user_id())
                .bind(now.to_string()),
            )
            .await?
            .int(0)?;
        audit::record(
            &mut tx,
            actor,
            "webhook",
            id,
            "create",
            None,
            Some(json!({"url": url, "events": events})),
        )
        .await?;
        tx.commit().await?;
        Ok(Webhook {
            id,
            url: url.to_owned(),
            events,
            created_at: now,
            revoked_at: None,
        })
    }

    /// Every subscription, revoked ones included, by id.
    pub async fn webhooks(&self) -> Result<Vec<Webhook>> {
        let mut tx = self.pool.read().await?;
        let rows = tx
            .all(q(
                "SELECT id, url, events, created_at, revoked_at FROM webhook ORDER BY id",
            ))
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Webhook {
                    id: r.int(0)?,
                    url: r.text(1)?,
                    events: r.text(2)?.split(',').map(str::to_owned).collect(),
                    created_at: r.parsed(3)?,
                    revoked_at: r.opt_parsed(4)?,
                })
            })
            .collect()
    }

    /// Revokes a subscription: nothing more is planned for it, and its pending deliveries are
    /// given up. Revoking again changes nothing.
    pub async fn revoke_webhook(&self, id: i64, actor: Actor, now: Timestamp) -> Result<()> {
        let mut tx = self.pool.write().await?;
        let changed = tx
            .execute(
                q("UPDATE webhook SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
                    .bind(now.to_string())
                    .bind(id),
            )
            .await?;
        if changed == 0 {
            tx.optional(q("SELECT 1 FROM webhook WHERE id = $1").bind(id))
                .await?
                .ok_or_else(|| Error::NotFound {
                    what: "webhook",
                    id: id.to_string(),
                })?;
            return Ok(());
        }
        tx.execute(
            q("UPDATE webhook_delivery SET failed_at = $1, last_error = $2, lease_owner = NULL, lease_until = NULL \
               WHERE webhook_id = $3 AND sent_at IS NULL AND failed_at IS NULL")
            .bind(now.to_string())
            .bind("webhook đã bị hủy đăng ký")
            .bind(id),
        )
        .await?;
        audit::record(&mut tx, actor, "webhook", id, "revoke", None, None).await?;
        tx.commit().await
    }

    /// A subscription's deliveries, newest first, at most `limit`.
    pub async fn webhook_deliveries(
        &self,
        webhook: i64,
        limit: u32,
    ) -> Result<Vec<WebhookDelivery>> {
        let mut tx = self.pool.read().await?;
        let rows = tx
            .all(
                q("SELECT id, delivery_id, event, payload, attempts, not_before, sent_at, failed_at, last_status, last_error \
                   FROM webhook_delivery WHERE webhook_id = $1 ORDER BY id DESC LIMIT $2")
                .bind(webhook)
                .bind(i64::from(limit)),
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(WebhookDelivery {
                    id: r.int(0)?,
                    delivery_id: r.text(1)?,
                    event: r.text(2)?,
                    payload: r.text(3)?,
                    attempts: u32::try_from(r.int(4)?).unwrap_or(u32::MAX),
                    not_before: r.parsed(5)?,
                    sent_at: r.opt_parsed(6)?,
                    failed_at: r.opt_parsed(7)?,
                    last_status: r.opt_int(8)?,
                    last_error: r.opt_text(9)?,
                })
            })
            .collect()
    }

    /// Turns the audit rows written before `now - SETTLE` that subscriptions have not seen
    /// into deliveries; the number of deliveries planned. Safe to run in several processes at
    /// once (a delivery is unique per subscription and audit row).
    pub async fn plan_webhook_deliveries(&self, now: Timestamp) -> Result<usize> {
        let mut planned = 0;
        loop {
            let mut tx = self.pool.write().await?;
            let hooks = tx
                .all(q(format!(
                    "SELECT id, events, audit_cursor FROM webhook WHERE revoked_at IS NULL ORDER BY id{}",
                    if self.backend() == crate::Backend::Postgres {
                        " FOR UPDATE"
                    } else {
                        ""
                    }
                )))
                .await?;
            let hooks = hooks
                .iter()
                .map(|r| Ok((r.int(0)?, r.text(1)?, r.int(2)?)))
                .collect::<Result<Vec<_>>>()?;
            let Some(from) = hooks.iter().map(|h| h.2).min() else {
                return Ok(planned);
            };
            let rows = tx
                .all(
                    q("SELECT id, at, actor_user_id, entity, entity_id, action, before_json, after_json FROM audit_log \
                       WHERE id > $1 ORDER BY id LIMIT $2")
                    .bind(from)
                    .bind(PLAN_BATCH),
                )
                .await?;
            let full = rows.len() as i64 == PLAN_BATCH;
            // Up to the first row that has not settled.
            let mut settled = 0;
            for r in &rows {
                if r.parsed::<Timestamp>(1)? + SETTLE > now {
                    break;
                }
                settled += 1;
            }
            let rows = &rows[..settled];
            let Some(last) = rows.last().map(|r| r.int(0)).transpose()? else {
                return Ok(planned);
            };
            for r in rows {
                let audit_id = r.int(0)?;
                let (entity, action) = (r.text(3)?, r.text(5)?);
                let parse =
                    |t: Option<String>| t.and_then(|s| serde_json::from_str::<Json>(&s).ok());
                let before = parse(r.opt_text(6)?);
                let after = parse(r.opt_text(7)?);
                let Some(event) = event_of(&entity, &action, before.as_ref(), after.as_ref())
                else {
                    continue;
                };
                let targets: Vec<i64> = hooks
                    .iter()
                    .filter(|(_, events, cursor)| {
                        *cursor < audit_id && events.split(',').any(|e| e == event)
                    })
                    .map(|h| h.0)
                    .collect();
                if targets.is_empty() {
                    continue;
                }
                let entity_id = r.text(4)?;
                let (task, document) =
                    subjects(&mut tx, &entity, &entity_id, after.as_ref()).await?;
                for hook in targets {
                    let delivery_id = format!(
                        "whd-{}",
                        crate::outbox::random_hex(&format!("{hook}:{audit_id}"), now)
                    );
                    let payload = json!({
                        "id": delivery_id,
                        "event": event,
                        "occurred_at": r.text(1)?,
                        "actor": r.opt_int(2)?,
                        "task": task,
                        "document": document,
                        "entity": entity,
                        "entity_id": entity_id,
                        "action": action,
                        "before": before,
                        "after": after,
                    });
                    let inserted = tx
                        .execute(
                            q("INSERT INTO webhook_delivery (webhook_id, audit_id, delivery_id, event, payload, created_at, not_before) \
                               VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (webhook_id, audit_id) DO NOTHING")
                            .bind(hook)
                            .bind(audit_id)
                            .bind(delivery_id)
                            .bind(event)
                            .bind(payload.to_string())
                            .bind(now.to_string()),
                        )
                        .await?;
                    planned += inserted as usize;
                }
            }
            for (id, _, cursor) in &hooks {
                if *cursor < last {
                    tx.execute(
                        q("UPDATE webhook SET audit_cursor = $1 WHERE id = $2 AND audit_cursor < $1")
                            .bind(last)
                            .bind(*id),
                    )
                    .await?;
                }
            }
            tx.commit().await?;
            if !full || (rows.len() as i64) < PLAN_BATCH {
                return Ok(planned);
            }
        }
    }

    /// Claims up to `limit` deliveries due at `now` for `owner` until `now + lease`, as
    /// [`Store::lease_mail`] claims e-mail.
    pub async fn lease_webhook_deliveries(
        &self,
        owner: &str,
        now: Timestamp,
        lease: Duration,
        limit: u32,
    ) -> Result<Vec<LeasedDelivery>> {
        crate::outbox::check_owner(owner)?;
        if limit == 0 || lease.is_zero() {
            return Ok(Vec::new());
        }
        let until = now + lease;
        let mut tx = self.pool.write().await?;
        let rows = tx
            .all(
                q(format!(
                    "UPDATE webhook_delivery SET lease_owner = $1, lease_until = $2, attempts = attempts + 1 \
                     WHERE id IN (SELECT id FROM webhook_delivery \
                        WHERE sent_at IS NULL AND failed_at IS NULL AND not_before <= $3 \
                        AND (lease_until IS NULL OR lease_until <= $3) \
                        ORDER BY not_before, id LIMIT $4{}) \
                     RETURNING id, webhook_id, delivery_id, event, payload, attempts",
                    self.backend().claim_rows()
                ))
                .bind(owner)
                .bind(until.to_string())
                .bind(now.to_string())
                .bind(i64::from(limit)),
            )
            .await?;
        let mut leased = Vec::with_capacity(rows.len());
        for r in &rows {
            let hook = tx
                .one(q("SELECT url, secret FROM webhook WHERE id = $1").bind(r.int(1)?))
                .await?;
            leased.push(LeasedDelivery {
                id: r.int(0)?,
                url: hook.text(0)?,
                secret: hook.text(1)?,
                delivery_id: r.text(2)?,
                event: r.text(3)?,
                payload: r.text(4)?,
                attempts: u32::try_from(r.int(5)?).unwrap_or(u32::MAX),
            });
        }
        tx.commit().await?;
        leased.sort_by_key(|d| d.id);
        Ok(leased)
    }

    /// Records that the receiver answered `status` (2xx) to a delivery `owner` leased;
    /// [`Error::LeaseLost`] when another scheduler has taken it over since.
    pub async fn mark_webhook_sent(
        &self,
        id: i64,
        owner: &str,
        status: u16,
        now: Timestamp,
    ) -> Result<()> {
        let mut tx = self.pool.write().await?;
        let changed = tx
            .execute(
                q("UPDATE webhook_delivery SET sent_at = $1, last_status = $2, lease_until = NULL, last_error = NULL \
                   WHERE id = $3 AND lease_owner = $4 AND sent_at IS NULL AND failed_at IS NULL")
                .bind(now.to_string())
                .bind(i64::from(status))
                .bind(id)
                .bind(owner),
            )
            .await?;
        if changed == 0 {
            let (holder, sent) = delivery_holder(&mut tx, id).await?;
            if !(sent && holder.as_deref() == Some(owner)) {
                return Err(Error::LeaseLost {
                    id,
                    owner: owner.to_owned(),
                });
            }
        }
        tx.commit().await
    }

    /// Records a failed attempt (`status` when the receiver answered): tried again from
    /// `retry_at`, or given up when it is `None`. The lease is released.
    pub async fn mark_webhook_failed(
        &self,
        id: i64,
        owner: &str,
        status: Option<u16>,
        error: &str,
        retry_at: Option<Timestamp>,
        now: Timestamp,
    ) -> Result<()> {
        let error: String = error.chars().take(2000).collect();
        let mut tx = self.pool.write().await?;
        let changed = tx
            .execute(
                q("UPDATE webhook_delivery SET last_error = $1, last_status = $2, not_before = COALESCE($3, not_before), \
                   failed_at = $4, lease_owner = NULL, lease_until = NULL \
                   WHERE id = $5 AND lease_owner = $6 AND sent_at IS NULL AND failed_at IS NULL")
                .bind(error)
                .bind(status.map(i64::from))
                .bind(retry_at.map(|t| t.to_string()))
                .bind(retry_at.is_none().then(|| now.to_string()))
                .bind(id)
                .bind(owner),
            )
            .await?;
        if changed == 0 {
            delivery_holder(&mut tx, id).await?;
            return Err(Error::LeaseLost {
                id,
                owner: owner.to_owned(),
            });
        }
        tx.commit().await
    }
}

/// The task and document an audit row is about.
async fn subjects(
    tx: &mut Tx,
    entity: &str,
    entity_id: &str,
    after: Option<&Json>,
) -> Result<(Option<i64>, Option<i64>)> {
    let id: Option<i64> = entity_id.parse().ok();
    let task = match entity {
        "task" => id,
        "extension_request" => match id {
            Some(e) => tx
                .optional(q("SELECT task_id FROM extension_request WHERE id = $1").bind(e))
                .await?
                .map(|r| r.int(0))
                .transpose()?,
            None => None,
        },
        "progress_report" => after.and_then(|a| a["task"].as_i64()),
        _ => None,
    };
    let document = match (entity, task) {
        ("document", _) => id,
        (_, Some(t)) => tx
            .optional(q("SELECT document_id FROM task WHERE id = $1").bind(t))
            .await?
            .map(|r| r.int(0))
            .transpose()?,
        _ => None,
    };
    Ok((task, document))
}

async fn delivery_holder(tx: &mut Tx, id: i64) -> Result<(Option<String>, bool)> {
    let r = tx
        .optional(q("SELECT lease_owner, sent_at FROM webhook_delivery WHERE id = $1").bind(id))
        .await?
        .ok_or_else(|| Error::NotFound {
            what: "lần gửi webhook",
            id: id.to_string(),
        })?;
    Ok((r.opt_text(0)?, r.opt_text(1)?.is_some()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_http_urls_are_taken() {
        assert!(check_url("http://127.0.0.1:9000/hook").is_ok());
        assert!(check_url("http://lgsp.quangngai.gov.vn/nhiemvu").is_ok());
        for bad in [
            "https://x.vn/",
            "http://",
            "ftp://x",
            "http://u:p@x/",
            "http://x/a b",
            "x",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn events_come_from_audit_rows() {
        let (from, to) = (
            json!({"status": "chua_thuc_hien"}),
            json!({"status": "dang_thuc_hien"}),
        );
        assert_eq!(
            event_of("task", "start", Some(&from), Some(&to)),
            Some("task.status_changed")
        );
        assert_eq!(event_of("task", "create", None, Some(&from)), None);
        assert_eq!(
            event_of("task", "hand_over", None, Some(&json!({"officer": 3}))),
            None
        );
        assert_eq!(
            event_of("extension_request", "approved", None, None),
            Some("extension.decided")
        );
        assert_eq!(
            event_of("document", "import", None, None),
            Some("document.imported")
        );
        assert_eq!(event_of("user", "create", None, None), None);
    }

    #[test]
    fn retries_back_off_and_give_up() {
        let t: Timestamp = "2023-01-03T01:00:00.000000Z".parse().unwrap();
        let delays: Vec<i64> = (1..WEBHOOK_MAX_ATTEMPTS)
            .map(|a| (webhook_retry_at(a, t).unwrap().micros() - t.micros()) / 1_000_000)
            .collect();
        assert_eq!(delays, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(webhook_retry_at(WEBHOOK_MAX_ATTEMPTS, t), None);
    }
}
