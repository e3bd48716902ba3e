#!/usr/bin/env bash
# Fault runs (issue #13; RELIABILITY.md, "Faults" and "Backup under load").
#
#   bench/faults.sh kill [SECONDS]         nhiemvu serve killed with SIGKILL twice during writes, started
#                                          again on the same database (SQLite, and PostgreSQL when
#                                          NHIEMVU_TEST_POSTGRES is set): crates/cli/tests/faults.rs
#   bench/faults.sh disk-full [SECONDS]    the SQLite database on a tmpfs filled to the last byte, then
#                                          space freed (needs root for mount): the same file
#   bench/faults.sh backup [SECONDS]       nhiemvu backup during the load, restored into a fresh
#                                          database and compared: crates/cli/tests/backup_load.rs
#   bench/faults.sh pg-restart [SECONDS]   PostgreSQL restarted a third of the way into
#                                          `bench/load.sh postgres SECONDS` (default 60), the driver
#                                          tolerating the outage, then its check that nothing
#                                          acknowledged was lost. NOT for CI: it restarts the
#                                          machine's PostgreSQL, which CI shares. PostgreSQL is
#                                          started again if the run leaves it down.
#
# The first three are the CI tests run for SECONDS (NHIEMVU_FAULT_SECONDS) instead of a few,
# with their figures printed; CARGO_PROFILE=release builds them optimised. pg-restart takes
# bench/load.sh's environment (NHIEMVU, CONNECTIONS, PGHOST, PGUSER).
set -euo pipefail

what=${1:-}
root=$(cd "$(dirname "$0")/.." && pwd)
profile=()
[[ ${CARGO_PROFILE:-} == release ]] && profile=(--release)

cargo_test() {
  NHIEMVU_FAULT_SECONDS=${1:-} cargo test "${profile[@]}" -q --manifest-path "$root/Cargo.toml" \
    -p nhiemvu --test "$2" "$3" -- --nocapture --test-threads 1
}

case $what in
  kill) cargo_test "${2:-}" faults sigkill ;;
  disk-full) cargo_test "${2:-}" faults disk_full ;;
  backup) cargo_test "${2:-}" backup_load backup_under_load ;;
  pg-restart)
    seconds=${2:-60}
    version=$(ls /etc/postgresql | sort -V | tail -1)
    restart="pg_ctlcluster --skip-systemctl-redirect $version main restart"
    ensure_running() {
      if ! pg_lsclusters -h | awk '$1 == "'"$version"'" && $2 == "main" { print $4 }' | grep -q online; then
        echo "== PostgreSQL $version/main is down: starting it" >&2
        pg_ctlcluster --skip-systemctl-redirect "$version" main start
      fi
      pg_lsclusters >&2
    }
    trap ensure_running EXIT
    during="sleep $((seconds / 3)); echo \"== \$(date +%T) $restart\" >&2; started=\$(date +%s%N); $restart;"
    during+=" echo \"== PostgreSQL back after \$(( (\$(date +%s%N) - started) / 1000000 )) ms\" >&2"
    LOAD_FLAGS=--tolerate-outage DURING=$during "$root/bench/load.sh" postgres "$seconds"
    ;;
  *)
    sed -n '2,22p' "$0" >&2
    exit 2
    ;;
esac
