#!/usr/bin/env bash
# Mixed load with a check that nothing was lost (issue #13, "Load"; RELIABILITY.md).
#
#   bench/load.sh [sqlite|postgres] [SECONDS]
#
# Starts a fresh `nhiemvu serve` over a new database (SQLite: target/bench/load.db; PostgreSQL:
# the database `load_nhiemvu` on 127.0.0.1, dropped and created again with createdb -U
# postgres), imports the model case and the demo directives, creates the accounts (monitor,
# leader, heads and officers of three agencies, each officer handed the agency's tasks) and
# their API tokens, then runs `nhiemvu bench load` for SECONDS (default 600) and prints its
# summary: per-operation rates and latencies, status codes, the server's RSS, and the
# verification that every acknowledged write is stored exactly once.
#
# Environment: CONNECTIONS (default 16: enough to keep 2 cores busy), NHIEMVU (a binary to use
# instead of building target/release/nhiemvu), PGHOST (127.0.0.1), PGUSER (postgres).
# For the fault runs (bench/faults.sh): LOAD_FLAGS, more flags for the driver (such as
# --tolerate-outage); DURING, a shell command run in the background while the driver runs, with
# NHIEMVU_LOAD_URL, NHIEMVU_LOAD_DB and NHIEMVU_LOAD_SERVER (its pid) set; the run fails if it
# fails.
set -euo pipefail

backend=${1:-sqlite}
seconds=${2:-600}
connections=${CONNECTIONS:-16}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${NHIEMVU:-$root/target/release/nhiemvu}
work=$root/target/bench
mkdir -p "$work"

[[ -n ${NHIEMVU:-} ]] || cargo build --release -q -p nhiemvu --manifest-path "$root/Cargo.toml"

case $backend in
  sqlite)
    rm -f "$work/load.db" "$work/load.db-wal" "$work/load.db-shm"
    db="sqlite://$work/load.db"
    ;;
  postgres)
    pghost=${PGHOST:-127.0.0.1} pguser=${PGUSER:-postgres}
    dropdb -h "$pghost" -U "$pguser" --if-exists load_nhiemvu
    createdb -h "$pghost" -U "$pguser" load_nhiemvu
    db="postgres://$pguser@$pghost/load_nhiemvu"
    ;;
  *)
    echo "usage: bench/load.sh [sqlite|postgres] [SECONDS]" >&2
    exit 2
    ;;
esac

echo "== set-up ($db)" >&2
"$bin" import "$root/examples/2395-UBND-KTTH.txt" "$root"/examples/demo/*.txt --commit --database "$db" >/dev/null

export NHIEMVU_PASSWORD=nhiemvu-load-test
tokens=$work/load-$backend.tokens
: >"$tokens"
# add ROLE LOGIN NHIEMVU_ROLE [AGENCY]
add() {
  local role=$1 login=$2 nrole=$3
  shift 3
  "$bin" user add "$login" --role "$nrole" ${1:+--agency "$1"} --database "$db" >/dev/null
  printf '%s %s %s\n' "$role" "$login" "$("$bin" user token "$login" --name load --database "$db" | tail -1)" >>"$tokens"
}
add monitor load.vanphong monitor
add leader load.chutich leader
n=0
for agency in "Sở Kế hoạch và Đầu tư" "Sở Tài chính" "Sở Khoa học và Công nghệ"; do
  n=$((n + 1))
  add head "load.giamdoc$n" agency_head "$agency"
  add officer "load.chuyenvien$n" agency_officer "$agency"
done

log=$(mktemp)
"$bin" serve --no-scheduler --listen 127.0.0.1:0 --database "$db" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -f "$log"' EXIT
addr=
for _ in $(seq 600); do
  addr=$(grep -m1 -o 'listening on http://[0-9.:]*' "$log" | cut -d/ -f3) && [[ -n $addr ]] && break
  kill -0 "$server" 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.1
done
[[ -n $addr ]] || { echo "server did not start" >&2; exit 1; }

# Each head hands every task its agency leads to the agency's officer, so officers act too.
while read -r role login token; do
  [[ $role == head ]] || continue
  officer=${login/giamdoc/chuyenvien}
  for id in $(curl -sf -H "Authorization: Bearer $token" "http://$addr/api/tasks?limit=500" |
    grep -o '"id":[0-9]*,"document"' | grep -o '[0-9]*'); do
    curl -s -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      -d "{\"officer\":\"$officer\"}" "http://$addr/api/tasks/$id/hand-over" || true
  done
done <"$tokens"

echo "== load: $backend, $seconds s, $connections connections, $(nproc) cores" >&2
status=0
during=
if [[ -n ${DURING:-} ]]; then
  NHIEMVU_LOAD_URL="http://$addr" NHIEMVU_LOAD_DB="$db" NHIEMVU_LOAD_SERVER=$server bash -c "$DURING" &
  during=$!
fi
# shellcheck disable=SC2086 # LOAD_FLAGS is a list of flags
"$bin" bench load --url "http://$addr" --token-file "$tokens" --seconds "$seconds" \
  --connections "$connections" --pid "$server" ${LOAD_FLAGS:-} || status=$?
if [[ -n $during ]] && ! wait "$during"; then
  echo "DURING failed: $DURING" >&2
  status=1
fi
if grep -q -i 'panic' "$log"; then
  echo "server log has a panic:" >&2
  grep -i -m5 'panic' "$log" >&2
  status=1
fi
exit $status
