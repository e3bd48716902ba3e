-- Reminders and urging, delivered in the application and by e-mail (SQLite dialect).
-- Kept in step with migrations/postgres/0003_notice_outbox.sql like the schema of version 1.
--
-- `notice`: what a user sees in the application. One row per (user, dedupe_key): the scheduler
-- names each reminder by a key it can compute again ("due:task:42:2023-01-03"), so running it
-- twice, or in two processes at once, cannot show a notice twice.
CREATE TABLE notice (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES app_user (id),
    task_id INTEGER REFERENCES task (id),
    kind TEXT NOT NULL,
    dedupe_key TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    read_at TEXT,
    UNIQUE (user_id, dedupe_key)
);
CREATE INDEX notice_user_read ON notice (user_id, read_at);

-- `outbox`: e-mail to send, one row per dedupe_key. A scheduler leases rows (`lease_owner`,
-- `lease_until`), sends them and marks them sent; a lease that runs out (a process killed
-- between sending and marking) lets another scheduler send again, with the same `message_id`,
-- fixed here when the row was queued. `attempts` counts leases; `failed_at` is set when the
-- message is given up (a permanent refusal, or too many attempts).
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    dedupe_key TEXT NOT NULL UNIQUE,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    message_id TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    not_before TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_until TEXT,
    sent_at TEXT,
    failed_at TEXT,
    last_error TEXT,
    CHECK (sent_at IS NULL OR failed_at IS NULL)
);
-- The rows a scheduler looks for: neither sent nor given up, by the time they are due.
CREATE INDEX outbox_due ON outbox (not_before) WHERE sent_at IS NULL AND failed_at IS NULL;
