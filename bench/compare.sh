#!/usr/bin/env bash
# nhiemvu against Redmine (Debian's, under puma) on the same province, in one run (issue #12).
#
#   bench/compare.sh N        N = 10000, 100000, … (target/bench/api-N.db from bench/api.sh N)
#
# Sets up and loads the Redmine peer (bench/redmine/), checks it holds the same tasks, then
# measures each pair of equivalent requests with the settings of bench/api.sh (wrk -t2 -c16
# -d20s, bench/api.lua) as the officer of Sở Tài chính (nhiemvu: bench.officer's token;
# Redmine: the API key of that agency's user cq4, a member who sees only its own issues).
# nhiemvu serves a copy of the database (the one Redmine was loaded from), with a snapshot of
# the release binary ($NHIEMVU, else /var/tmp/nhiemvu-rel, else built into /var/tmp).
# Prints one Markdown table: machine, data, endpoint, nhiemvu and Redmine requests/s, p50, p99,
# errors, and the ratio of requests/s.
set -euo pipefail
n=${1:?tasks}
root=$(cd "$(dirname "$0")/.." && pwd)
base=${REDMINE_BENCH_ROOT:-/var/tmp/redmine-bench}
duration=${DURATION:-20s}
connections=${CONNECTIONS:-16}
redmine=http://127.0.0.1:${REDMINE_PORT:-3300}
psql=(psql -h 127.0.0.1 -U postgres -d "${REDMINE_DB:-redmine_bench}" -qtA)

"$root/bench/redmine/setup.sh" >/dev/null
"$root/bench/redmine/load.sh" "$n" >&2
db=$base/load-$n/nhiemvu.db

# The nhiemvu binary, copied so that a rebuild by someone else cannot change it mid-run.
bin=$base/nhiemvu
if [[ -n ${NHIEMVU:-} ]]; then cp "$NHIEMVU" "$bin"
elif [[ -x /var/tmp/nhiemvu-rel ]]; then cp /var/tmp/nhiemvu-rel "$bin"
else CARGO_TARGET_DIR=$base/target cargo build --release -q -p nhiemvu --manifest-path "$root/Cargo.toml"
     cp "$base/target/release/nhiemvu" "$bin"; fi
officer=$(grep -m1 '^officer_token=' "$root/target/bench/sqlite____work_main_target_bench_api_${n}_db-$n.env" | cut -d= -f2)
uid=$("${psql[@]}" -c "SELECT id FROM users WHERE login = 'cq4'")
key=$("${psql[@]}" -c "SELECT value FROM tokens WHERE user_id = $uid AND action = 'api'")
q=$(python3 -c 'import urllib.parse; print(urllib.parse.quote("ngân sách"))')   # the search

# wrk_run HEADER URL PATH...: "req/s p50 p99 errors", after 20 warm-up requests per path.
wrk_run() {
  local header=$1 url=$2; shift 2
  for p in "$@"; do for _ in $(seq 20); do curl -s -o /dev/null -H "$header" "$url$p"; done; done
  wrk -t2 -c"$connections" -d"$duration" --timeout 30s -H "$header" -s "$root/bench/api.lua" "$url$1" -- "$@" |
    grep '^RESULT' | cut -d' ' -f2-
}

# 1. Redmine (started, checked, measured, stopped).
"$root/bench/redmine/start.sh" >&2
"$root/bench/redmine/check.sh" "$n" >&2
rm_hdr="X-Redmine-API-Key: $key"
ids=$(curl -sf -H "$rm_hdr" "$redmine/issues.json?assigned_to_id=$uid&status_id=2&limit=25" |
  python3 -c 'import json,sys; print(" ".join(str(i["id"]) for i in json.load(sys.stdin)["issues"]))')
declare -A R N
R[open]=$(wrk_run "$rm_hdr" "$redmine" "/issues.json?assigned_to_id=$uid&status_id=open&limit=25")
R[one]=$(wrk_run "$rm_hdr" "$redmine" "/issues.json?assigned_to_id=$uid&status_id=2&limit=25")
# shellcheck disable=SC2046 # one path per id
R[page]=$(wrk_run "$rm_hdr" "$redmine" $(printf '/issues/%s.json ' $ids))
R[search]=$(wrk_run "$rm_hdr" "$redmine" "/search.json?q=$q&limit=25")
"$root/bench/redmine/stop.sh"

# 2. nhiemvu (as bench/api.sh starts it), the same task ids for the task page.
log=$(mktemp)
"$bin" serve --no-scheduler --listen 127.0.0.1:0 --database "sqlite://$db" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 600); do
  addr=$(grep -m1 -o 'listening on http://[0-9.:]*' "$log" | cut -d/ -f3) && [[ -n $addr ]] && break
  sleep 0.1
done
nv_hdr="Authorization: Bearer $officer"
N[open]=$(wrk_run "$nv_hdr" "http://$addr" "/api/tasks?status=dang_thuc_hien&limit=25")
N[one]=${N[open]} # the same request: nhiemvu filters one status at a time
# shellcheck disable=SC2046
N[page]=$(wrk_run "$nv_hdr" "http://$addr" $(printf '/api/tasks/%s ' $ids))
N[search]=$(wrk_run "$nv_hdr" "http://$addr" "/api/search?q=$q&limit=25")
kill $server; wait $server 2>/dev/null || true

machine="$(nproc) × $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); nhiemvu binary $(stat -c '%y' "$bin" | cut -d. -f1)" >&2
echo "| machine | data | endpoint (nhiemvu / Redmine) | nhiemvu req/s | p50 | p99 | Redmine req/s | p50 | p99 | errors (n / R) | ratio |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
row() {
  read -r nr np50 np99 ne <<<"${N[$1]}"
  read -r rr rp50 rp99 re <<<"${R[$1]}"
  echo "| $machine | $n tasks | $2 | $nr | $np50 ms | $np99 ms | $rr | $rp50 ms | $rp99 ms | $ne / $re | $(awk -v a="$nr" -v b="$rr" 'BEGIN {if (b > 0) printf "%.1f×", a / b; else printf "—"}') |"
}
# COMPARE_RAW=FILE: the figures as "name nhiemvu(req/s p50 p99 errors) Redmine(…)" lines too,
# for bench/table.sh.
if [[ -n ${COMPARE_RAW:-} ]]; then
  for k in open one page search; do echo "$k ${N[$k]} ${R[$k]}"; done >"$COMPARE_RAW"
fi
row open "agency's open list: \`/api/tasks?status=dang_thuc_hien&limit=25\` / \`/issues.json?assigned_to_id=…&status_id=open&limit=25\`"
row one "same, one status in both: … / \`status_id=2\` (đang thực hiện)"
row page "task page, 25 ids in turn: \`/api/tasks/ID\` / \`/issues/ID.json\`"
row search "search \"ngân sách\": \`/api/search?q=…&limit=25\` / \`/search.json?q=…&limit=25\`"
