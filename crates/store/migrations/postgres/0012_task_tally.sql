-- How many tasks stand each way, per lead: the stored standings summed. See
-- migrations/sqlite/0012_task_tally.sql for the columns and why the rows are signed deltas;
-- kept in step with it.
CREATE TABLE task_tally (
    id BIGSERIAL PRIMARY KEY,
    single BIGINT NOT NULL,
    lead_agency_id BIGINT,
    lead_name TEXT,
    status TEXT NOT NULL,
    due_day TEXT,
    verdict TEXT,
    n BIGINT NOT NULL
);
CREATE TABLE task_tally_closed (
    id BIGSERIAL PRIMARY KEY,
    single BIGINT NOT NULL,
    lead_agency_id BIGINT,
    lead_name TEXT,
    closed_on TEXT NOT NULL,
    verdict TEXT,
    n BIGINT NOT NULL
);
CREATE INDEX task_tally_closed_on ON task_tally_closed (closed_on);

CREATE FUNCTION task_tally_delta() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    s task_standing;
    delta BIGINT;
BEGIN
    IF TG_OP = 'INSERT' THEN
        s := NEW;
        delta := 1;
    ELSE
        s := OLD;
        delta := -1;
    END IF;
    INSERT INTO task_tally (single, lead_agency_id, lead_name, status, due_day, verdict, n)
    VALUES (CASE WHEN s.leads = 1 THEN 1 ELSE 0 END, s.lead_agency_id,
            CASE WHEN s.lead_agency_id IS NULL THEN s.lead_name END, s.status,
            CASE WHEN s.verdict IS NULL THEN s.due_day END, s.verdict, delta);
    IF s.status = 'hoan_thanh' THEN
        INSERT INTO task_tally_closed (single, lead_agency_id, lead_name, closed_on, verdict, n)
        VALUES (CASE WHEN s.leads = 1 THEN 1 ELSE 0 END, s.lead_agency_id,
                CASE WHEN s.lead_agency_id IS NULL THEN s.lead_name END, s.status_since,
                s.verdict, delta);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER task_tally_add AFTER INSERT ON task_standing
    FOR EACH ROW WHEN (NEW.status <> 'huy') EXECUTE FUNCTION task_tally_delta();
CREATE TRIGGER task_tally_remove AFTER DELETE ON task_standing
    FOR EACH ROW WHEN (OLD.status <> 'huy') EXECUTE FUNCTION task_tally_delta();
CREATE FUNCTION task_tally_no_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'task_standing rows are replaced, not updated';
END;
$$;
CREATE TRIGGER task_tally_no_update BEFORE UPDATE ON task_standing
    FOR EACH ROW EXECUTE FUNCTION task_tally_no_update();

CREATE INDEX task_standing_overdue ON task_standing (document_id, due_day, from_day, status, verdict)
    WHERE verdict IS NULL OR verdict = 'qua_han';

CREATE TABLE task_tally_fold (
    name TEXT PRIMARY KEY,
    folded_through BIGINT NOT NULL,
    folded BIGINT NOT NULL
);
INSERT INTO task_tally_fold (name, folded_through, folded)
VALUES ('task_tally', 0, 0), ('task_tally_closed', 0, 0);

INSERT INTO task_tally (single, lead_agency_id, lead_name, status, due_day, verdict, n)
SELECT CASE WHEN leads = 1 THEN 1 ELSE 0 END, lead_agency_id,
       CASE WHEN lead_agency_id IS NULL THEN lead_name END, status,
       CASE WHEN verdict IS NULL THEN due_day END, verdict, COUNT(*)
FROM task_standing WHERE status <> 'huy'
GROUP BY 1, 2, 3, 4, 5, 6;
INSERT INTO task_tally_closed (single, lead_agency_id, lead_name, closed_on, verdict, n)
SELECT CASE WHEN leads = 1 THEN 1 ELSE 0 END, lead_agency_id,
       CASE WHEN lead_agency_id IS NULL THEN lead_name END, status_since, verdict, COUNT(*)
FROM task_standing WHERE status = 'hoan_thanh'
GROUP BY 1, 2, 3, 4, 5;
UPDATE task_tally_fold SET folded_through = (SELECT COALESCE(MAX(id), 0) FROM task_tally),
                           folded = (SELECT COUNT(*) FROM task_tally)
WHERE name = 'task_tally';
UPDATE task_tally_fold SET folded_through = (SELECT COALESCE(MAX(id), 0) FROM task_tally_closed),
                           folded = (SELECT COUNT(*) FROM task_tally_closed)
WHERE name = 'task_tally_closed';
