#!/usr/bin/env bash
# Checks, through Redmine's own API and pages, that the Redmine loaded by load.sh N holds the
# same tasks as nhiemvu's province (the copy load.sh read). Redmine must be running (start.sh).
#
#   bench/redmine/check.sh N [AGENCY_ID]      (default agency 4, Sở Tài chính: bench.officer's)
set -euo pipefail
n=${1:?tasks}
agency=${2:-4}
base=${REDMINE_BENCH_ROOT:-/var/tmp/redmine-bench}
url=http://127.0.0.1:${REDMINE_PORT:-3300}
copy=$base/load-$n/nhiemvu.db
psql=(psql -h 127.0.0.1 -U postgres -d "${REDMINE_DB:-redmine_bench}" -qtA)
uid=$("${psql[@]}" -c "SELECT id FROM users WHERE login = 'cq$agency'")
key=$("${psql[@]}" -c "SELECT value FROM tokens WHERE user_id = $uid AND action = 'api'")
nv() { sqlite3 "file:$copy?mode=ro" "$1"; }
total() { curl -sf -H "X-Redmine-API-Key: $key" "$url$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total_count"])'; }
same() { if [[ $2 == "$3" ]]; then echo "ok    $1: $2"; else echo "DIFF  $1: nhiemvu $2, Redmine $3"; fi; }
lead="SELECT count(*) FROM task t JOIN task_assignment a ON a.task_id = t.id AND a.role = 'lead' WHERE a.agency_id = $agency"

same "tasks / issues" "$(nv 'SELECT count(*) FROM task')" \
  "$(curl -sf -u "vp.ubnd:${REDMINE_BENCH_PASSWORD:-redmine-bench}" "$url/issues.json?status_id=*&limit=1" |
     python3 -c 'import json,sys; print(json.load(sys.stdin)["total_count"])')"
same "agency $agency's open tasks (lead; not hoàn thành/hủy) = status_id=open" \
  "$(nv "$lead AND t.status NOT IN ('hoan_thanh', 'huy')")" "$(total "/issues.json?assigned_to_id=$uid&status_id=open&limit=25")"
same "agency $agency's tasks đang thực hiện (lead) = status_id=2" \
  "$(nv "$lead AND t.status = 'dang_thuc_hien'")" "$(total "/issues.json?assigned_to_id=$uid&status_id=2&limit=25")"
same "agency $agency's closed tasks (lead) = status_id=closed" \
  "$(nv "$lead AND t.status IN ('hoan_thanh', 'huy')")" "$(total "/issues.json?assigned_to_id=$uid&status_id=closed&limit=1")"
# A task with subtasks: Redmine's children (from the nested set) against nhiemvu's.
parent=$(nv "SELECT c.parent_task_id FROM task c JOIN task_assignment a ON a.task_id = c.parent_task_id AND a.role = 'lead' WHERE a.agency_id = $agency GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
same "subtasks of task $parent (include=children)" "$(nv "SELECT count(*) FROM task WHERE parent_task_id = $parent")" \
  "$(curl -sf -H "X-Redmine-API-Key: $key" "$url/issues/$parent.json?include=children" |
     python3 -c 'import json,sys; print(len(json.load(sys.stdin)["issue"].get("children", [])))')"
# Nested set: every tree spans exactly 2 × its size (lft 1 … rgt 2n).
same "trees whose lft/rgt do not span 2 × size" 0 \
  "$("${psql[@]}" -c "SELECT count(*) FROM (SELECT root_id FROM issues GROUP BY root_id HAVING min(lft) <> 1 OR max(rgt) <> 2 * count(*)) x")"
# The HTML pages, signed in as vp.ubnd: an issue page and the agency's open-issue list.
jar=$(mktemp)
token=$(curl -sf -c "$jar" "$url/login" | grep -o 'name="authenticity_token" value="[^"]*"' | head -1 | cut -d'"' -f4)
curl -sf -b "$jar" -c "$jar" -o /dev/null --data-urlencode "authenticity_token=$token" \
  --data-urlencode "username=vp.ubnd" --data-urlencode "password=${REDMINE_BENCH_PASSWORD:-redmine-bench}" "$url/login"
subject=$(nv "SELECT substr(text, 1, 40) FROM task WHERE id = $parent")
code=$(curl -s -b "$jar" -o "$jar.html" -w '%{http_code}' "$url/issues/$parent")
grep -qF "$subject" "$jar.html" && echo "ok    HTML /issues/$parent: HTTP $code, subject shown" || echo "DIFF  HTML /issues/$parent: HTTP $code"
count=$(curl -s -b "$jar" "$url/issues?set_filter=1&assigned_to_id=$uid&status_id=o" | grep -o '<span class="items">([0-9]*-[0-9]*/[0-9]*)' | grep -o '/[0-9]*' | tr -d /)
same "HTML /issues?assigned_to_id=$uid&status_id=o count" "$(nv "$lead AND t.status NOT IN ('hoan_thanh', 'huy')")" "$count"
rm -f "$jar" "$jar.html"
