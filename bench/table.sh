#!/usr/bin/env bash
# Every performance target of PRODUCT.md measured in one run and printed as one Markdown table
# (issue #12), with Redmine beside nhiemvu where there is an equivalent request.
#
#   bench/table.sh [TASKS]          TASKS: the generated province's size (default 1000000)
#
# In order, on this machine:
#   1. parsing: the model case and the corpus texts (cargo bench -p doc-parse --bench parse);
#   2. bulk import of 10,000 generated directives into SQLite through `nhiemvu import --commit`
#      (cargo bench -p nhiemvu --bench import);
#   3. a province of TASKS tasks (generated once by bench/api.sh, then reused);
#   4. Redmine 5.0.4 under puma loaded with the same tasks, and the four equivalent requests
#      measured on both, nhiemvu then Redmine (bench/compare.sh; REDMINE=0 leaves it out);
#   5. on one nhiemvu server over the province: the counts (this year and the end of last
#      year), the dashboard page, an agency's overdue tasks, then the server's peak memory;
#   6. the period reports as the command line writes them (time and peak memory).
# Each wrk measurement: DURATION (20s) with CONNECTIONS (16) connections, bench/api.lua.
set -euo pipefail
n=${1:-1000000}
root=$(cd "$(dirname "$0")/.." && pwd)
duration=${DURATION:-20s}
connections=${CONNECTIONS:-16}
cd "$root"
cargo build --release -q -p nhiemvu
bin=/var/tmp/nhiemvu-table
cp target/release/nhiemvu "$bin"
export NHIEMVU=$bin
work=$(mktemp -d)
server=
trap '[[ -z $server ]] || kill $server 2>/dev/null; rm -rf "$work"' EXIT
machine="$(nproc) × $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GB"
data="SQLite, $n tasks"
rows=()
# row MEASUREMENT DATA RESULT P50 P99 MEMORY [REDMINE RP50 RP99 RATIO] TARGET
row() { rows+=("| $1 | $2 | $3 | $4 | $5 | $6 | ${7:-—} | ${8:-} | ${9:-} | ${10:-—} | ${11:-} |"); }

# 1. Parsing.
parse=$(cargo bench -q -p doc-parse --bench parse 2>/dev/null)
model=$(grep 'model case' <<<"$parse")
corpus=$(grep 'corpus texts' <<<"$parse" || true)
row "parse the model case (12 KB of text)" "examples/2395-UBND-KTTH.txt" \
  "$(awk '{print $(NF-2), "per run,", $(NF-1), $NF}' <<<"$model")" "" "" "" "" "" "" "" \
  "well under 1 ms; ≥ 50 MB/s"
if [[ -n $corpus ]]; then
  row "parse the corpus texts, one after another" "$(sed -E 's/^corpus texts \(([^)]*)\).*/\1/' <<<"$corpus")" \
    "$(awk '{print $(NF-1), $NF, "(" $(NF-2), "in all)"}' <<<"$corpus")" "" "" "" "" "" "" "" "≥ 50 MB/s per core"
fi

# 2. Bulk import.
import=$(cargo bench -q -p nhiemvu --bench import 2>/dev/null | grep 'nhiemvu import FOLDER')
read -r docs seconds per_second <<<"$(awk '{print $(NF-2), $(NF-1), $NF}' <<<"$import")"
row "bulk import: \`nhiemvu import FOLDER --commit\`" "$docs generated directives into SQLite" \
  "$per_second documents/s ($seconds s)" "" "" "" "" "" "" "" "10,000 in under 60 s"

# 3. The province.
GENERATE_ONLY=1 bench/api.sh "$n" >&2
db=sqlite://$root/target/bench/api-$n.db
env_file=$root/target/bench/$(printf '%s' "$db" | tr -c 'A-Za-z0-9' _)-$n.env
value() { grep -m1 "^$1=" "$env_file" | cut -d= -f2-; }
officer=$(value officer_token)
monitor=$(value monitor_token)

# 4. Side by side with Redmine.
if [[ ${REDMINE:-1} != 0 ]]; then
  # Its exit status is not the measurement's: the figures it wrote are.
  COMPARE_RAW=$work/compare bench/compare.sh "$n" >&2 || true
  [[ -s $work/compare ]] || { echo "bench/compare.sh measured nothing" >&2; exit 1; }
  pair() {
    local nr np50 np99 ne rr rp50 rp99 re
    read -r _ nr np50 np99 ne rr rp50 rp99 re < <(grep "^$1 " "$work/compare")
    local ratio
    ratio=$(awk -v a="$nr" -v b="$rr" 'BEGIN {if (b > 0) printf "%.0f×", a / b; else printf "—"}')
    row "$2" "$data" "$nr req/s" "$np50 ms" "$np99 ms" "" "$rr req/s" "$rp50 ms" "$rp99 ms" "$ratio" "$3"
  }
  pair open "an agency's open tasks, 25 a page: \`/api/tasks?status=dang_thuc_hien\` / Redmine \`/issues.json?assigned_to_id=…&status_id=open\`" \
    "p99 < 20 ms; ≥ 100× Redmine"
  pair one "the same, one status in both (Redmine \`status_id=2\`)" "≥ 100× Redmine"
  pair page "a task page, 25 tasks in turn: \`/api/tasks/ID\` / \`/issues/ID.json\`" ""
  pair search "a search, \"ngân sách\", 25 a page: \`/api/search\` / \`/search.json\`" ""
fi

# 5. One nhiemvu server for the rest.
log=$work/serve.log
"$bin" serve --no-scheduler --listen 127.0.0.1:0 --database "$db" >"$log" 2>&1 &
server=$!
for _ in $(seq 600); do
  addr=$(grep -m1 -o 'listening on http://[0-9.:]*' "$log" | cut -d/ -f3) && [[ -n $addr ]] && break
  kill -0 "$server" 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.1
done
measure() { # HEADER PATH...: "req/s p50 p99 errors"
  local header=$1
  shift
  curl -s -o /dev/null -H "$header" "http://$addr$1"
  wrk -t2 -c"$connections" -d"$duration" --timeout 30s -H "$header" -s bench/api.lua \
    "http://$addr$1" -- "$@" | grep '^RESULT' | cut -d' ' -f2-
}
served() { # MEASUREMENT TARGET HEADER PATH...
  local name=$1 target=$2 rps p50 p99 errors
  shift 2
  read -r rps p50 p99 errors <<<"$(measure "$@")"
  [[ $errors == 0 ]] || name="$name ($errors errors)"
  row "$name" "$data" "$rps req/s" "$p50 ms" "$p99 ms" "" "" "" "" "" "$target"
}
once() { # MEASUREMENT TARGET HEADER PATH: one request, timed
  local seconds
  seconds=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 600 -H "$3" "http://$addr$4")
  row "$1 (HTTP ${seconds% *})" "$data" "${seconds#* } s, one request" "" "" "" "" "" "" "" "$2"
}
year_end="$(($(date +%Y) - 1))-12-31"
served "dashboard counts by agency, whole province: \`/api/counts\`" "under 1 s" \
  "Authorization: Bearer $monitor" "/api/counts"
once "counts by agency as of $year_end: \`/api/counts?as_of=$year_end\`" "under 1 s" \
  "Authorization: Bearer $monitor" "/api/counts?as_of=$year_end"
# The dashboard page, as a monitor signed in with a password (an account made for the run).
login=bench.table
NHIEMVU_PASSWORD=bench-table-pass-2026 "$bin" user add --database "$db" --role monitor "$login" \
  >/dev/null 2>&1 || true
cookie=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
  -d "{\"login\":\"$login\",\"password\":\"bench-table-pass-2026\"}" "http://$addr/api/login" |
  grep -i '^set-cookie:' | head -1 | sed -E 's/^[Ss]et-[Cc]ookie: *([^;]*).*/\1/')
served "dashboard page (HTML: totals, agencies, 50 documents, chart)" "under 1 s" "Cookie: $cookie" "/"
served "an agency's overdue tasks: \`/api/tasks?timeliness=qua_han\`" "" \
  "Authorization: Bearer $officer" "/api/tasks?timeliness=qua_han&limit=25"
rss=$(awk '/VmHWM/ {printf "%.0f MB", $2 / 1024}' "/proc/$server/status")
kill $server
wait $server 2>/dev/null || true
server=
row "server peak memory over rows 5 (counts, dashboard, lists)" "$data" "" "" "" "$rss" "" "" "" "" "under 300 MB"

# 6. Reports, as the clerk runs them.
report() { # PERIOD FORMAT
  local out=$work/report.$2 stats
  stats=$( { /usr/bin/time -f '%e %M' "$bin" report --database "$db" --period "$1" --format "$2" -o "$out" >/dev/null; } 2>&1 | tail -1)
  row "\`nhiemvu report --period $1 --format $2\`" "$data" "${stats% *} s" "" "" \
    "$(awk -v k="${stats#* }" 'BEGIN {printf "%.0f MB", k / 1024}')" "" "" "" "" "$3"
}
this_month=$(date +%Y-%m)
report "$this_month" docx "under 1 s (annex capped at 10,000 rows)"
report "$(($(date +%Y) - 1))" docx "under 1 s"
report "$this_month" xlsx "full annex streamed at constant memory"

echo "Machine: $machine; load average at the end $(cut -d' ' -f1-3 /proc/loadavg); $(date -u '+%Y-%m-%d %H:%M UTC')."
echo
echo "| measurement | data | nhiemvu | p50 | p99 | peak memory | Redmine | p50 | p99 | ratio | PRODUCT.md target |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
