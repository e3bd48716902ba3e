-- How many tasks stand each way, per lead: the stored standings (task_standing) summed, so
-- that the province's counts read tens of thousands of rows instead of a row per task (issue
-- #11: a million rows of task_standing take 2 s to group on this machine). Derived from
-- task_standing by the triggers below, never written otherwise, never backed up (store::tally).
-- Kept in step with migrations/postgres/0012_task_tally.sql.
--
-- Rows are signed deltas (+1 when a standing is written, -1 when it is deleted); a count sums
-- them by key. Appending never updates a shared row, so concurrent writers never wait on one
-- another here (on PostgreSQL an upserted counter would be a lock every write to the same
-- lead takes, and a deadlock when two transactions cross). store::tally folds the deltas
-- into one row per key from time to time.
--
-- Every task not cancelled, by lead, status and clock.
CREATE TABLE task_tally (
    id INTEGER PRIMARY KEY,
    -- 1 when the task has exactly one lead, then named by the next two columns (the agency,
    -- or the name of a body not in the directory); tasks with several leads or none are
    -- counted by lead from task_standing and the assignments.
    single INTEGER NOT NULL,
    lead_agency_id INTEGER,
    lead_name TEXT,
    status TEXT NOT NULL,
    -- The due day while the clock runs (no verdict): judged against the day asked about.
    due_day TEXT,
    verdict TEXT,
    n INTEGER NOT NULL
);
-- The completed tasks again, by the day they were completed: a period's counts leave out the
-- tasks completed before it, so they add those completed from its first day on (a month's
-- report reads a month of these rows).
CREATE TABLE task_tally_closed (
    id INTEGER PRIMARY KEY,
    single INTEGER NOT NULL,
    lead_agency_id INTEGER,
    lead_name TEXT,
    closed_on TEXT NOT NULL,
    verdict TEXT,
    n INTEGER NOT NULL
);
CREATE INDEX task_tally_closed_on ON task_tally_closed (closed_on);

-- Cancelled tasks are never counted.
CREATE TRIGGER task_tally_add AFTER INSERT ON task_standing WHEN NEW.status <> 'huy'
BEGIN
    INSERT INTO task_tally (single, lead_agency_id, lead_name, status, due_day, verdict, n)
    VALUES (NEW.leads = 1, NEW.lead_agency_id,
            CASE WHEN NEW.lead_agency_id IS NULL THEN NEW.lead_name END, NEW.status,
            CASE WHEN NEW.verdict IS NULL THEN NEW.due_day END, NEW.verdict, 1);
    INSERT INTO task_tally_closed (single, lead_agency_id, lead_name, closed_on, verdict, n)
    SELECT NEW.leads = 1, NEW.lead_agency_id,
           CASE WHEN NEW.lead_agency_id IS NULL THEN NEW.lead_name END, NEW.status_since,
           NEW.verdict, 1
    WHERE NEW.status = 'hoan_thanh';
END;
CREATE TRIGGER task_tally_remove AFTER DELETE ON task_standing WHEN OLD.status <> 'huy'
BEGIN
    INSERT INTO task_tally (single, lead_agency_id, lead_name, status, due_day, verdict, n)
    VALUES (OLD.leads = 1, OLD.lead_agency_id,
            CASE WHEN OLD.lead_agency_id IS NULL THEN OLD.lead_name END, OLD.status,
            CASE WHEN OLD.verdict IS NULL THEN OLD.due_day END, OLD.verdict, -1);
    INSERT INTO task_tally_closed (single, lead_agency_id, lead_name, closed_on, verdict, n)
    SELECT OLD.leads = 1, OLD.lead_agency_id,
           CASE WHEN OLD.lead_agency_id IS NULL THEN OLD.lead_name END, OLD.status_since,
           OLD.verdict, -1
    WHERE OLD.status = 'hoan_thanh';
END;
-- task_standing rows are deleted and inserted, never updated (store::standing::refresh).
CREATE TRIGGER task_tally_no_update BEFORE UPDATE ON task_standing
BEGIN
    SELECT RAISE(ABORT, 'task_standing rows are replaced, not updated');
END;

-- The tasks that can be overdue (a running clock, or a clock stopped overdue), by document:
-- the dashboard finds the documents with the most overdue tasks among these, in the index
-- alone, rather than by counting every document (store::counting).
CREATE INDEX task_standing_overdue ON task_standing (document_id, due_day, from_day, status, verdict)
    WHERE verdict IS NULL OR verdict = 'qua_han';

-- Per tally, every row up to `folded_through` is a sum, one per key (`folded` of them); the
-- rows after it are deltas waiting to be folded.
CREATE TABLE task_tally_fold (
    name TEXT PRIMARY KEY,
    folded_through INTEGER NOT NULL,
    folded INTEGER NOT NULL
);
INSERT INTO task_tally_fold (name, folded_through, folded)
VALUES ('task_tally', 0, 0), ('task_tally_closed', 0, 0);

-- The standings already stored are summed once here.
INSERT INTO task_tally (single, lead_agency_id, lead_name, status, due_day, verdict, n)
SELECT leads = 1, lead_agency_id, CASE WHEN lead_agency_id IS NULL THEN lead_name END, status,
       CASE WHEN verdict IS NULL THEN due_day END, verdict, COUNT(*)
FROM task_standing WHERE status <> 'huy'
GROUP BY 1, 2, 3, 4, 5, 6;
INSERT INTO task_tally_closed (single, lead_agency_id, lead_name, closed_on, verdict, n)
SELECT leads = 1, lead_agency_id, CASE WHEN lead_agency_id IS NULL THEN lead_name END,
       status_since, verdict, COUNT(*)
FROM task_standing WHERE status = 'hoan_thanh'
GROUP BY 1, 2, 3, 4, 5;
UPDATE task_tally_fold SET folded_through = (SELECT COALESCE(MAX(id), 0) FROM task_tally),
                           folded = (SELECT COUNT(*) FROM task_tally)
WHERE name = 'task_tally';
UPDATE task_tally_fold SET folded_through = (SELECT COALESCE(MAX(id), 0) FROM task_tally_closed),
                           folded = (SELECT COUNT(*) FROM task_tally_closed)
WHERE name = 'task_tally_closed';
