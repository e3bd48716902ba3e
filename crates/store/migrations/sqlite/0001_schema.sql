-- nhiemvu store schema, version 1 (SQLite dialect).
-- Kept in step with migrations/postgres/0001_schema.sql: the two files differ only in the
-- dialect words the `migrations_are_in_step` test substitutes (INTEGER PRIMARY KEY / BIGINT
-- identity, INTEGER / BIGINT, BLOB / BYTEA). Dates are ISO `YYYY-MM-DD` text, timestamps ISO-8601
-- UTC text with microseconds (`2025-03-01T01:02:03.000000Z`), so both sort as text and read the
-- same in either database.

CREATE TABLE store_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Users, roles and agency membership. Authentication comes with the API; the hash column is
-- here so that accounts created now need no migration then.
CREATE TABLE app_user (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    email TEXT,
    password_hash TEXT,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL
);

CREATE TABLE user_role (
    user_id INTEGER NOT NULL REFERENCES app_user (id),
    role TEXT NOT NULL CHECK (role IN ('leader', 'monitor', 'agency_head', 'agency_officer', 'admin')),
    PRIMARY KEY (user_id, role)
);

-- Agencies and group addressees in one table: a group ("Ủy ban nhân dân các xã, phường") can
-- lead a task and succeed a dissolved agency, so it needs an id like an agency.
CREATE TABLE agency (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    name_folded TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('department', 'provincial_body', 'central', 'locality', 'board', 'group')),
    parent_id INTEGER REFERENCES agency (id),
    valid_from TEXT,
    valid_to TEXT,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX agency_name_folded ON agency (name_folded);

CREATE TABLE agency_alias (
    agency_id INTEGER NOT NULL REFERENCES agency (id),
    alias TEXT NOT NULL,
    alias_folded TEXT NOT NULL,
    PRIMARY KEY (agency_id, alias)
);
CREATE INDEX agency_alias_alias ON agency_alias (alias);
CREATE INDEX agency_alias_folded ON agency_alias (alias_folded);

CREATE TABLE agency_group_member (
    group_id INTEGER NOT NULL REFERENCES agency (id),
    member_id INTEGER NOT NULL REFERENCES agency (id),
    PRIMARY KEY (group_id, member_id)
);

CREATE TABLE agency_membership (
    user_id INTEGER NOT NULL REFERENCES app_user (id),
    agency_id INTEGER NOT NULL REFERENCES agency (id),
    PRIMARY KEY (user_id, agency_id)
);

-- A reorganisation: predecessors end, successors take over on `effective_on`. For a split each
-- successor row names the function it received; the primary successor receives open tasks.
CREATE TABLE reorganisation (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('merge', 'split', 'rename', 'dissolve')),
    effective_on TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    applied_at TEXT,
    applied_by INTEGER REFERENCES app_user (id)
);

CREATE TABLE reorganisation_predecessor (
    reorganisation_id INTEGER NOT NULL REFERENCES reorganisation (id),
    agency_id INTEGER NOT NULL REFERENCES agency (id),
    PRIMARY KEY (reorganisation_id, agency_id)
);
CREATE INDEX reorganisation_predecessor_agency ON reorganisation_predecessor (agency_id);

CREATE TABLE reorganisation_successor (
    reorganisation_id INTEGER NOT NULL REFERENCES reorganisation (id),
    agency_id INTEGER NOT NULL REFERENCES agency (id),
    is_primary INTEGER NOT NULL CHECK (is_primary IN (0, 1)),
    function TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (reorganisation_id, agency_id)
);

-- File contents by hash: originals of documents and attachments of reports. Shared, so the same
-- scan attached twice is stored once.
CREATE TABLE file_blob (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    content BLOB NOT NULL
);

-- A committed document: the original by hash, the normalised text that spans point into, the
-- `nhiemvu.document/1` JSON as committed, and the metadata columns that lists filter on.
CREATE TABLE document (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE REFERENCES file_blob (sha256),
    file_name TEXT NOT NULL,
    format TEXT NOT NULL,
    kind TEXT,
    code TEXT,
    number TEXT,
    symbol TEXT,
    year INTEGER,
    issuer TEXT,
    place TEXT,
    issued_on TEXT,
    subject TEXT,
    monitor_agency TEXT,
    text TEXT NOT NULL,
    parse_result TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    imported_by INTEGER REFERENCES app_user (id),
    UNIQUE (code, year, issuer)
);

-- Every mention of a cited document, in order; `target_document_id` once the cited document is
-- in the store too.
CREATE TABLE document_reference (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES document (id),
    position INTEGER NOT NULL,
    code TEXT NOT NULL,
    kind TEXT,
    number TEXT,
    year INTEGER,
    symbol TEXT,
    issued_on TEXT,
    issuer TEXT,
    text TEXT NOT NULL,
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    resolved_from TEXT,
    target_document_id INTEGER REFERENCES document (id),
    UNIQUE (document_id, position)
);
CREATE INDEX document_reference_code ON document_reference (code);

CREATE TABLE task (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES document (id),
    outline_id TEXT NOT NULL,
    text TEXT NOT NULL,
    span_start INTEGER,
    span_end INTEGER,
    parent_task_id INTEGER REFERENCES task (id),
    status TEXT NOT NULL DEFAULT 'chua_thuc_hien' CHECK (status IN ('chua_thuc_hien', 'dang_thuc_hien', 'cho_xac_nhan', 'hoan_thanh', 'tam_hoan', 'tu_choi', 'huy')),
    created_at TEXT NOT NULL,
    UNIQUE (document_id, outline_id)
);
CREATE INDEX task_parent ON task (parent_task_id);

-- Who leads and supports a task. `name` is the party as assigned (kept for reports);
-- `original_agency_id` the agency it was assigned to, `agency_id` the one responsible now, after
-- reorganisations. Unknown bodies are free text with no agency.
CREATE TABLE task_assignment (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES task (id),
    role TEXT NOT NULL CHECK (role IN ('lead', 'support')),
    position INTEGER NOT NULL,
    party_kind TEXT NOT NULL CHECK (party_kind IN ('agency', 'group', 'unknown')),
    name TEXT NOT NULL,
    original_agency_id INTEGER REFERENCES agency (id),
    agency_id INTEGER REFERENCES agency (id),
    CHECK (party_kind <> 'agency' OR agency_id IS NOT NULL),
    CHECK (party_kind <> 'unknown' OR agency_id IS NULL),
    CHECK ((original_agency_id IS NULL) = (agency_id IS NULL))
);
CREATE INDEX task_assignment_task ON task_assignment (task_id);
CREATE INDEX task_assignment_agency ON task_assignment (agency_id);

-- Every deadline a task has had; the one in force is the latest row.
CREATE TABLE task_deadline (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES task (id),
    kind TEXT NOT NULL CHECK (kind IN ('date', 'period', 'recurring', 'on_request', 'conditional', 'none')),
    due_on TEXT,
    text TEXT,
    every TEXT,
    source TEXT NOT NULL CHECK (source IN ('document', 'extension', 'manual')),
    reason TEXT,
    recorded_at TEXT NOT NULL,
    recorded_by INTEGER REFERENCES app_user (id)
);
CREATE INDEX task_deadline_task ON task_deadline (task_id);

-- What a reorganisation did to each assignment it moved, so history and reports show both names.
CREATE TABLE reorganisation_move (
    id INTEGER PRIMARY KEY,
    reorganisation_id INTEGER NOT NULL REFERENCES reorganisation (id),
    assignment_id INTEGER NOT NULL REFERENCES task_assignment (id),
    from_agency_id INTEGER NOT NULL REFERENCES agency (id),
    to_agency_id INTEGER NOT NULL REFERENCES agency (id),
    moved_at TEXT NOT NULL,
    UNIQUE (reorganisation_id, assignment_id)
);

CREATE TABLE progress_report (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES task (id),
    agency_id INTEGER REFERENCES agency (id),
    author_id INTEGER REFERENCES app_user (id),
    reported_at TEXT NOT NULL,
    status TEXT CHECK (status IN ('chua_thuc_hien', 'dang_thuc_hien', 'cho_xac_nhan', 'hoan_thanh', 'tam_hoan', 'tu_choi', 'huy')),
    percent INTEGER CHECK (percent BETWEEN 0 AND 100),
    content TEXT NOT NULL
);
CREATE INDEX progress_report_task ON progress_report (task_id);

CREATE TABLE attachment (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES progress_report (id),
    position INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    sha256 TEXT NOT NULL REFERENCES file_blob (sha256),
    size INTEGER NOT NULL,
    UNIQUE (report_id, position)
);

-- Append-only: who (NULL = the system itself), when, what, before and after as JSON text. The
-- dialect migration 0002 adds the triggers that refuse UPDATE and DELETE.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_user_id INTEGER REFERENCES app_user (id),
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
