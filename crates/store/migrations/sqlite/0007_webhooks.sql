-- Webhooks: other systems told of task events (SQLite dialect; kept in step with
-- migrations/postgres/0007_webhooks.sql like the schema of version 1).
--
-- `webhook`: a subscription. `secret` is the HMAC-SHA256 key deliveries are signed with: shown
-- once when subscribing, kept here because signing needs it (unlike API tokens, which only
-- need checking). `events` is a comma-separated list of event codes. `audit_cursor` is the last
-- audit-log row already turned into deliveries: events are read from the audit log, which every
-- change writes in its own transaction, so no event of a committed change can be lost, whatever
-- wrote it (the API, the command line).
CREATE TABLE webhook (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    secret TEXT NOT NULL,
    audit_cursor INTEGER NOT NULL,
    created_by INTEGER REFERENCES app_user (id),
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

-- `webhook_delivery`: one POST to make, one row per (webhook, audit row), with the outbox's
-- leases (`outbox` in migration 3): leased, sent, marked; a lease that runs out lets another
-- scheduler send again with the same `delivery_id` header, so a receiver can drop the copy.
CREATE TABLE webhook_delivery (
    id INTEGER PRIMARY KEY,
    webhook_id INTEGER NOT NULL REFERENCES webhook (id),
    audit_id INTEGER NOT NULL,
    delivery_id TEXT NOT NULL UNIQUE,
    event TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    not_before TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_until TEXT,
    sent_at TEXT,
    failed_at TEXT,
    last_status INTEGER,
    last_error TEXT,
    UNIQUE (webhook_id, audit_id),
    CHECK (sent_at IS NULL OR failed_at IS NULL)
);
CREATE INDEX webhook_delivery_due ON webhook_delivery (not_before) WHERE sent_at IS NULL AND failed_at IS NULL;
