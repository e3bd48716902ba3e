-- Signing in to the API (SQLite dialect; kept in step with migrations/postgres/0005_auth.sql).
-- Only hashes of session ids and API tokens are kept: a copy of the database (a backup, a
-- replica) then opens no account. Everything lives in the database, not in a server's memory,
-- so any number of app servers behind a load balancer share sessions and throttling.

-- Browser sessions: the cookie carries the id, the row its SHA-256.
CREATE TABLE session (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES app_user (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX session_by_user ON session (user_id);

-- Tokens for other systems (the LGSP, document management systems): Authorization: Bearer.
CREATE TABLE api_token (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES app_user (id),
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

-- Failed sign-ins, counted per login and per client address to slow guessing; each counts
-- until `until` (the failure's time plus the window).
CREATE TABLE login_failure (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL,
    ip TEXT NOT NULL,
    until TEXT NOT NULL
);
CREATE INDEX login_failure_login ON login_failure (login, until);
CREATE INDEX login_failure_ip ON login_failure (ip, until);
