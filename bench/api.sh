#!/usr/bin/env bash
# Load test of the JSON API over a generated province (issues #9 and #12).
#
#   bench/api.sh [TASKS] [DATABASE_URL]
#
# Generates a province of TASKS tasks (default 1000000) with `nhiemvu bench generate` into
# DATABASE_URL (default: a SQLite file in target/bench/), or reuses it when it was generated
# before: the accounts' tokens are kept beside it in target/bench/*.env (delete the database
# and that file to generate again; a PostgreSQL database must hold no document the first
# time). Then, for each endpoint, starts `nhiemvu serve`, runs wrk against it with the
# account's API token and prints one Markdown table row: machine, data size, endpoint,
# requests/s, p50, p99, errors and the server's peak RSS (VmHWM).
#
# Environment: DURATION (wrk -d, default 20s), CONNECTIONS (16), THREADS (2), NHIEMVU (a
# binary to use instead of building target/release/nhiemvu), GENERATE_ONLY (stop once the
# province is there).
set -euo pipefail

tasks=${1:-1000000}
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$root/target/bench"
db=${2:-sqlite://$root/target/bench/api-$tasks.db}
env_file="$root/target/bench/$(printf '%s' "$db" | tr -c 'A-Za-z0-9' _)-$tasks.env"
bin=${NHIEMVU:-$root/target/release/nhiemvu}
duration=${DURATION:-20s}
connections=${CONNECTIONS:-16}
threads=${THREADS:-2}

[[ -n ${NHIEMVU:-} ]] || cargo build --release -q -p nhiemvu --manifest-path "$root/Cargo.toml"

if [[ ! -s $env_file ]]; then
  echo "generating $tasks tasks into $db" >&2
  "$bin" bench generate --tasks "$tasks" --database "$db" >"$env_file.partial"
  mv "$env_file.partial" "$env_file"
fi
# GENERATE_ONLY=1: the province and its tokens, nothing measured (bench/table.sh).
[[ -z ${GENERATE_ONLY:-} ]] || exit 0
value() { grep -m1 "^$1=" "$env_file" | cut -d= -f2-; }
officer=$(value officer_token)
monitor=$(value monitor_token)

machine="$(nproc) × $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
backend=${db%%:*}
log=$(mktemp)
server=

start_server() {
  "$bin" serve --no-scheduler --listen 127.0.0.1:0 --database "$db" >"$log" 2>&1 &
  server=$!
  for _ in $(seq 600); do
    addr=$(grep -m1 -o 'listening on http://[0-9.:]*' "$log" | cut -d/ -f3) && [[ -n $addr ]] && return
    kill -0 "$server" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.1
  done
  echo "server did not start" >&2
  exit 1
}

stop_server() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  server=
}
trap 'stop_server; rm -f "$log"' EXIT

# run NAME TOKEN CONNECTIONS PATH...: one table row.
run() {
  local name=$1 token=$2 conns=$3
  shift 3
  start_server
  curl -sf -H "Authorization: Bearer $token" "http://$addr$1" >/dev/null # warm up
  local result
  result=$(wrk -t"$((conns < threads ? conns : threads))" -c"$conns" -d"$duration" --timeout 30s \
    -H "Authorization: Bearer $token" -s "$root/bench/api.lua" "http://$addr$1" -- "$@" |
    grep '^RESULT')
  local rss
  rss=$(awk '/VmHWM/ {printf "%.0f MB", $2 / 1024}' "/proc/$server/status")
  stop_server
  read -r _ rps p50 p99 errors <<<"$result"
  echo "| $machine | $backend, $tasks tasks | $name | $rps | $p50 ms | $p99 ms | $errors | $rss |"
}

# once NAME TOKEN PATH: one request timed (for what takes seconds), as a table row.
once() {
  start_server
  local seconds
  seconds=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 600 \
    -H "Authorization: Bearer $2" "http://$addr$3")
  local rss
  rss=$(awk '/VmHWM/ {printf "%.0f MB", $2 / 1024}' "/proc/$server/status")
  stop_server
  read -r code seconds <<<"$seconds"
  echo "| $machine | $backend, $tasks tasks | $1 | one request (HTTP $code) | $seconds s | | | $rss |"
}

# Task ids of the officer's first page, for the task page.
start_server
ids=$(curl -sf -H "Authorization: Bearer $officer" "http://$addr/api/tasks?status=dang_thuc_hien&limit=25" |
  grep -o '"id":[0-9]*,"document"' | grep -o '[0-9]*' | sed 's|^|/api/tasks/|')
stop_server

echo "| machine | data | endpoint | requests/s | p50 | p99 | errors | server peak RSS |"
echo "|---|---|---|---|---|---|---|---|"
run "officer's open tasks (đang thực hiện)" "$officer" "$connections" \
  "/api/tasks?status=dang_thuc_hien&limit=25"
run "officer's open tasks (chưa thực hiện)" "$officer" "$connections" \
  "/api/tasks?status=chua_thuc_hien&limit=25"
# shellcheck disable=SC2086 # one path per id
run "task page (25 tasks in turn)" "$officer" "$connections" $ids
run "officer's overdue tasks (timeliness=qua_han)" "$officer" "$connections" \
  "/api/tasks?timeliness=qua_han&limit=25"
once "counts by agency (whole province, monitor)" "$monitor" "/api/counts"
