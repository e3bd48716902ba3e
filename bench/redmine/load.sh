#!/usr/bin/env bash
# Loads the province of `nhiemvu bench generate` (target/bench/api-N.db, made by bench/api.sh N)
# into the benchmark Redmine (bench/redmine/setup.sh) by bulk SQL, replacing its issues.
#
#   bench/redmine/load.sh N        (skips the work when N is what is loaded already)
#
# Tasks become issues with the same ids, assigned to the user of their lead agency, in one
# project; statuses map one to one (hoàn thành and hủy closed). The nhiemvu database is copied
# first and only the copy is read.
set -euo pipefail
n=${1:?tasks}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
base=${REDMINE_BENCH_ROOT:-/var/tmp/redmine-bench}
db=${REDMINE_DB:-redmine_bench}
psql=(psql -h 127.0.0.1 -U postgres -d "$db" -v ON_ERROR_STOP=1 -qtA)
src=$root/target/bench/api-$n.db
[[ -s $src ]] || { echo "no $src: run bench/api.sh $n first" >&2; exit 1; }
[[ $(cat "$base/loaded" 2>/dev/null) == "$n" ]] && { echo "Redmine holds $n tasks already"; exit 0; }

work=$base/load-$n
mkdir -p "$work"
cp "$src" "$work/nhiemvu.db"                       # read a copy, never the original
[[ -e $src-wal ]] && cp "$src-wal" "$work/nhiemvu.db-wal"
rm -f "$work/nhiemvu.db-shm"
python3 "$here/load.py" "$work/nhiemvu.db" "$work"

# Project, statuses, users, roles, API keys: through Redmine's models (few rows).
(cd /usr/share/redmine && REDMINE_INSTANCE=bench RAILS_ENV=production \
  rails runner "$here/meta.rb" "$work/agencies.tsv")

# Issues: one COPY into a staging table, then one INSERT that fills Redmine's columns.
"${psql[@]}" <<SQL
BEGIN;
CREATE TEMP TABLE task_load (id int, agency_id int, status_id int, subject text, description text,
  start_date date, due_date date, created_on timestamp, updated_on timestamp, closed_on timestamp,
  parent_id int, root_id int, lft int, rgt int);
\copy task_load FROM '$work/issues.tsv'
TRUNCATE issues, journals, journal_details, watchers, issue_relations;
INSERT INTO issues (id, tracker_id, project_id, subject, description, due_date, status_id,
  assigned_to_id, priority_id, author_id, lock_version, created_on, updated_on, start_date,
  done_ratio, parent_id, root_id, lft, rgt, is_private, closed_on)
SELECT t.id, 1, p.id, t.subject, t.description, t.due_date, t.status_id,
  u.id, (SELECT id FROM enumerations WHERE type = 'IssuePriority' AND is_default),
  (SELECT id FROM users WHERE login = 'vp.ubnd'), 0, t.created_on, t.updated_on, t.start_date,
  CASE WHEN t.status_id = 5 THEN 100 ELSE 0 END, t.parent_id, t.root_id, t.lft, t.rgt, false, t.closed_on
FROM task_load t
JOIN users u ON u.login = 'cq' || t.agency_id
CROSS JOIN (SELECT id FROM projects WHERE identifier = 'quang-ngai') p;
SELECT setval('issues_id_seq', (SELECT max(id) FROM issues)) \g /dev/null
COMMIT;
ANALYZE;
SQL
echo "$n" >"$base/loaded"
echo "Redmine: $("${psql[@]}" -c 'SELECT count(*) FROM issues') issues loaded from $src"
