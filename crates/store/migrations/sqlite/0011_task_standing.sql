-- How each task stands from a day on, while its history stays as it is (workflow::Standing):
-- what the dashboard's counts and the period reports group in SQL, so that counting a million
-- tasks does not replay a million histories (issue #11). Derived data, kept by the store
-- (store::standing) and never backed up: restore and startup rebuild what is missing.
--
-- A row is only ever a shortcut. Any change to a task's history removes it (the triggers
-- below), and a task without a row, or asked about a day before `from_day`, is judged by
-- replaying its history, so a forgotten refresh costs time, never a wrong count.
-- Kept in step with migrations/postgres/0011_task_standing.sql.
CREATE TABLE task_standing (
    task_id INTEGER PRIMARY KEY REFERENCES task (id),
    -- Copied from the task and its lead assignments, so that a count by document or by lead
    -- reads this table alone: the document (never changes), the number of leads, and the one
    -- lead's agency and name as assigned when there is exactly one (else both NULL, and the
    -- count joins the assignments).
    document_id INTEGER NOT NULL,
    leads INTEGER NOT NULL,
    lead_agency_id INTEGER,
    lead_name TEXT,
    from_day TEXT NOT NULL,
    status TEXT NOT NULL,
    status_since TEXT NOT NULL,
    due_day TEXT,
    verdict TEXT
);

-- The tasks whose history goes on after a day asked about are replayed: found here.
CREATE INDEX task_standing_from_day ON task_standing (from_day);
-- The few tasks with several leads (or none), whose counts by lead join the assignments: found
-- here rather than by walking two million assignments.
CREATE INDEX task_standing_shared_lead ON task_standing (task_id) WHERE leads <> 1;

-- The fingerprint of the calendar the rows were computed with (vn_calendar's
-- Calendar::fingerprint): one row, written with the rows it vouches for.
CREATE TABLE task_standing_calendar (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    fingerprint TEXT NOT NULL
);

CREATE TRIGGER task_standing_status_insert AFTER INSERT ON task_status_change
BEGIN
    DELETE FROM task_standing WHERE task_id = NEW.task_id;
END;
CREATE TRIGGER task_standing_status_update AFTER UPDATE ON task_status_change
BEGIN
    DELETE FROM task_standing WHERE task_id IN (OLD.task_id, NEW.task_id);
END;
CREATE TRIGGER task_standing_status_delete AFTER DELETE ON task_status_change
BEGIN
    DELETE FROM task_standing WHERE task_id = OLD.task_id;
END;
CREATE TRIGGER task_standing_deadline_insert AFTER INSERT ON task_deadline
BEGIN
    DELETE FROM task_standing WHERE task_id = NEW.task_id;
END;
CREATE TRIGGER task_standing_deadline_update AFTER UPDATE ON task_deadline
BEGIN
    DELETE FROM task_standing WHERE task_id IN (OLD.task_id, NEW.task_id);
END;
CREATE TRIGGER task_standing_deadline_delete AFTER DELETE ON task_deadline
BEGIN
    DELETE FROM task_standing WHERE task_id = OLD.task_id;
END;
-- The leads are copied into the row.
CREATE TRIGGER task_standing_assignment_insert AFTER INSERT ON task_assignment
BEGIN
    DELETE FROM task_standing WHERE task_id = NEW.task_id;
END;
CREATE TRIGGER task_standing_assignment_update AFTER UPDATE ON task_assignment
BEGIN
    DELETE FROM task_standing WHERE task_id IN (OLD.task_id, NEW.task_id);
END;
CREATE TRIGGER task_standing_assignment_delete AFTER DELETE ON task_assignment
BEGIN
    DELETE FROM task_standing WHERE task_id = OLD.task_id;
END;
-- The document's date is the day its tasks were assigned.
CREATE TRIGGER task_standing_document_date AFTER UPDATE OF issued_on ON document
BEGIN
    DELETE FROM task_standing WHERE task_id IN (SELECT id FROM task WHERE document_id = NEW.id);
END;

-- A declared day off or working day changes the due day of the deadlines just before it.
CREATE INDEX task_deadline_due_on ON task_deadline (due_on);

-- A period report quotes each agency's latest progress reports: read newest first, from the
-- end of the period back, until every agency has its few.
CREATE INDEX progress_report_reported ON progress_report (reported_at);
