-- The tracking workflow (SQLite dialect; kept in step with migrations/postgres/0004_workflow.sql).
-- The rules themselves live in the `workflow` crate; these tables record what people did, so
-- that any past day's standing (the official counts "as of" a date) can be computed again.

-- Who in the lead agency handles the task (the agency stays responsible), and the pending or
-- confirmed completion report's author and day.
ALTER TABLE task ADD COLUMN assigned_officer_id INTEGER REFERENCES app_user (id);
ALTER TABLE task ADD COLUMN reported_done_by INTEGER REFERENCES app_user (id);

-- The document that reports a task's result, by its code ("Báo cáo số 15/BC-SVHTTDL"), and the
-- stored document it names once that is in the system (linked on either side's arrival).
ALTER TABLE progress_report ADD COLUMN result_code TEXT;
ALTER TABLE progress_report ADD COLUMN result_document_id INTEGER REFERENCES document (id);

-- Every change of progress status, with the day it counts from (Vietnam's calendar day) and
-- the reason when the rule asks for one. The status of a task on any day is the last change
-- on or before it.
CREATE TABLE task_status_change (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES task (id),
    action TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    on_date TEXT NOT NULL,
    at TEXT NOT NULL,
    by_user_id INTEGER REFERENCES app_user (id),
    reason TEXT
);
CREATE INDEX task_status_change_task ON task_status_change (task_id, on_date);

-- Requests for a later deadline: asked by the lead agency before the due day, decided by a
-- leader. An approval adds a row to task_deadline (source 'extension') in the same transaction.
CREATE TABLE extension_request (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES task (id),
    requested_by INTEGER NOT NULL REFERENCES app_user (id),
    requested_at TEXT NOT NULL,
    current_due_on TEXT NOT NULL,
    proposed_due_on TEXT NOT NULL,
    reason TEXT NOT NULL,
    decision TEXT CHECK (decision IN ('approved', 'refused')),
    decided_by INTEGER REFERENCES app_user (id),
    decided_at TEXT,
    decision_note TEXT
);
CREATE INDEX extension_request_task ON extension_request (task_id);

-- A new document that replaces, amends or abolishes a stored one ("thay thế", "sửa đổi",
-- "bãi bỏ"): the earlier document's open tasks wait here for the monitor to cancel, keep or
-- carry over to a task of the new document (decision NULL: not decided yet).
CREATE TABLE supersession (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES document (id),
    earlier_document_id INTEGER NOT NULL REFERENCES document (id),
    relation TEXT NOT NULL CHECK (relation IN ('replace', 'amend', 'abolish')),
    created_at TEXT NOT NULL,
    UNIQUE (document_id, earlier_document_id)
);

CREATE TABLE superseded_task (
    supersession_id INTEGER NOT NULL REFERENCES supersession (id),
    task_id INTEGER NOT NULL REFERENCES task (id),
    decision TEXT CHECK (decision IN ('cancel', 'keep', 'carry_over')),
    carried_to_task_id INTEGER REFERENCES task (id),
    decided_by INTEGER REFERENCES app_user (id),
    decided_at TEXT,
    PRIMARY KEY (supersession_id, task_id)
);
CREATE INDEX superseded_task_pending ON superseded_task (decision);
