-- Indexes for the API's task lists at a million tasks (issue #12; measured in bench/RESULTS.md).
-- Kept in step with migrations/sqlite/0009_list_indexes.sql like the schema of version 1.
--
-- A list filtered by status (`GET /api/tasks?status=…`, an agency's open tasks) reads the
-- tasks in id order, one keyset page at a time, and keeps those in that status and visible to
-- the caller. For a common status that stops after a few hundred rows; for a rare one (a
-- handful of tasks chờ xác nhận among a million) it walked the whole table, 0.2–0.8 s a page.
-- With the status first, the walk covers only that status's tasks, still in id order.
CREATE INDEX task_status_id ON task (status, id);

-- The deadline in force is a task's latest row (`ORDER BY id DESC LIMIT 1`, in every list and
-- in the workflow). SQLite's index on task_id already ends with the rowid, so it gives that row
-- at once; PostgreSQL's does not order by id, and after a bulk load, before statistics, its
-- planner walked the primary key backwards for each task instead (11 ms a task at 100,000
-- tasks). The same index on both; on SQLite it changes nothing.
DROP INDEX task_deadline_task;
CREATE INDEX task_deadline_task ON task_deadline (task_id, id);
