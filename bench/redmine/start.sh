#!/usr/bin/env bash
# Starts the benchmark Redmine (bench/redmine/setup.sh) under puma on 127.0.0.1:$REDMINE_PORT
# (default 3300), in the background, and waits until it answers. Stop with stop.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
base=${REDMINE_BENCH_ROOT:-/var/tmp/redmine-bench}
port=${REDMINE_PORT:-3300}
export REDMINE_INSTANCE=bench RAILS_ENV=production REDMINE_PORT=$port REDMINE_BENCH_ROOT=$base
if [[ -s $base/puma.pid ]] && kill -0 "$(cat "$base/puma.pid")" 2>/dev/null; then
  echo "Redmine already running (pid $(cat "$base/puma.pid"))"; exit 0
fi
cd /usr/share/redmine
setsid puma -C "$here/puma.rb" >"$base/puma.log" 2>&1 </dev/null &
for _ in $(seq 300); do
  curl -sf -o /dev/null "http://127.0.0.1:$port/" && { echo "Redmine on http://127.0.0.1:$port"; exit 0; }
  sleep 0.2
done
echo "Redmine did not start; see $base/puma.log" >&2
tail -20 "$base/puma.log" >&2
exit 1
