#!/usr/bin/env bash
# Installs Redmine from Debian and creates a Redmine instance "bench" for bench/compare.sh
# (issue #12). Idempotent: run it again and it only does what is missing.
#
#   bench/redmine/setup.sh
#
# The instance lives under $REDMINE_BENCH (default /var/tmp/redmine-bench/instance), reached by
# Debian's multi-instance layout through /var/lib/redmine/bench (REDMINE_INSTANCE=bench); its
# database is redmine_bench on the local PostgreSQL (Redmine's documentation advises PostgreSQL
# or MySQL over SQLite for production). Served by puma (bench/redmine/start.sh).
set -euo pipefail

base=${REDMINE_BENCH_ROOT:-/var/tmp/redmine-bench}
inst=$base/instance
db=${REDMINE_DB:-redmine_bench}
pg=(psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qtA)
share=/usr/share/redmine

# 1. Packages. Without this preseed the package would also create and migrate a "default"
#    instance; we only want ours.
if ! dpkg -s redmine redmine-pgsql puma >/dev/null 2>&1; then
  echo "redmine redmine/dbconfig-install boolean false" | debconf-set-selections
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    redmine redmine-pgsql redmine-sqlite puma
fi

# 2. The instance's directories and its link into Debian's layout (/usr/share/redmine/instances
#    points to /var/lib/redmine).
mkdir -p "$inst"/{config,files,log,tmp/cache,public/plugin_assets}
ln -sfn "$inst" /var/lib/redmine/bench
cat >"$inst/config/database.yml" <<YML
production:
  adapter: postgresql
  host: 127.0.0.1
  username: postgres
  database: $db
  encoding: utf8
  pool: 5          # = puma threads per worker
YML
[[ -s $inst/config/secret_key.txt ]] || head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$inst/config/secret_key.txt"

# 3. A server gem for standalone use (Debian's Redmine expects Passenger), and the production
#    tuning the documentation allows: log level warn (the default is info: one line per
#    request and per SQL statement summary), an in-process cache store instead of the file store.
#    Both files are shared by all instances of this machine's Redmine.
echo "gem 'puma'" >"$share/Gemfile.local"
cat >"$share/config/additional_environment.rb" <<'RB'
# bench/redmine/setup.sh: production tuning for the benchmark instance.
config.log_level = :warn
config.cache_store = :memory_store, { size: 64 * 1024 * 1024 }
RB

# 4. Database: create, migrate, load Redmine's default data (Vietnamese), enable the REST API.
export REDMINE_INSTANCE=bench RAILS_ENV=production
if [[ -z $("${pg[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$db'") ]]; then
  "${pg[@]}" -c "CREATE DATABASE $db ENCODING 'UTF8' TEMPLATE template0"
fi
cd "$share"
rake -s db:migrate VERBOSE=false
if [[ $("${pg[@]}" -d "$db" -c "SELECT count(*) FROM trackers") == 0 ]]; then
  REDMINE_LANG=vi rake -s redmine:load_default_data
fi
"${pg[@]}" -d "$db" -c "
  DELETE FROM settings WHERE name = 'rest_api_enabled';
  INSERT INTO settings (name, value, updated_on) VALUES ('rest_api_enabled', '1', now());"
echo "Redmine instance ready: $inst (database $db)"
