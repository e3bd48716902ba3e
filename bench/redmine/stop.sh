#!/usr/bin/env bash
# Stops the benchmark Redmine started by start.sh (its puma master, by pid file).
set -euo pipefail
pidfile=${REDMINE_BENCH_ROOT:-/var/tmp/redmine-bench}/puma.pid
[[ -s $pidfile ]] || exit 0
pid=$(cat "$pidfile")
kill "$pid" 2>/dev/null || true
for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
rm -f "$pidfile"
