#!/usr/bin/env bash
# A throw-away PostgreSQL 15 server for Coop's tests (storage tests, integration tests).
#
#   scripts/pg-test.sh start   initialise (once) and start the server, print the URL
#   scripts/pg-test.sh stop    stop it (fast shutdown)
#   scripts/pg-test.sh url     print the URL
#   scripts/pg-test.sh status  exit 0 when running
#
# Installs nothing: the postgresql-15 server binaries come from the project's setup script.
# The cluster lives in ${COOP_PG_DIR:-${TMPDIR:-/tmp}/coop-pg-<port>} rather than inside the repo:
# the repo may sit under a directory the `postgres` user cannot traverse (/root, a CI workspace),
# and the data directory must be reachable by the server's user.
# It listens on 127.0.0.1:${COOP_PG_PORT:-55432} only, its unix socket is in the same directory,
# fsync is on (the durability tests must mean something). Running `start` twice is harmless.
set -euo pipefail

PORT="${COOP_PG_PORT:-55432}"
BASE="${COOP_PG_DIR:-${TMPDIR:-/tmp}/coop-pg-${PORT}}"
# As root the server runs as `postgres`, which must be able to reach BASE: a TMPDIR under /root
# would not do, so fall back to /tmp (unless COOP_PG_DIR was chosen explicitly).
if [[ "$(id -u)" == 0 && -z "${COOP_PG_DIR:-}" ]] && ! runuser -u postgres -- test -x "$(dirname "$BASE")" 2>/dev/null; then
  BASE="/tmp/coop-pg-${PORT}"
fi
DATA="$BASE/data"
LOG="$BASE/server.log"
URL="postgresql://coop:coop@127.0.0.1:${PORT}/coop_test"

find_bindir() {
  local d
  for d in "${COOP_PG_BINDIR:-}" /usr/lib/postgresql/15/bin; do
    if [[ -n "$d" && -x "$d/pg_ctl" && -x "$d/initdb" ]]; then echo "$d"; return 0; fi
  done
  if command -v pg_config >/dev/null 2>&1; then
    d="$(pg_config --bindir)"
    if [[ -x "$d/pg_ctl" ]]; then echo "$d"; return 0; fi
  fi
  echo "pg-test: PostgreSQL 15 server binaries not found (expected /usr/lib/postgresql/15/bin;" \
       "install postgresql-15 via the project's setup script)" >&2
  return 1
}

# initdb and the postmaster refuse to run as root: run them as `postgres` in that case.
as_server_user() {
  if [[ "$(id -u)" == 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

is_running() {
  [[ -f "$DATA/PG_VERSION" ]] && as_server_user "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

psql_admin() {
  # Local socket, trust authentication (see init_cluster); the bootstrap superuser is `coop`.
  "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$BASE" -p "$PORT" -U coop "$@"
}

init_cluster() {
  mkdir -p "$BASE"
  chmod 0755 "$BASE"
  if [[ "$(id -u)" == 0 ]]; then chown postgres: "$BASE"; fi
  local pwfile="$BASE/.pwfile"
  echo coop > "$pwfile"
  if [[ "$(id -u)" == 0 ]]; then chown postgres: "$pwfile"; fi
  chmod 0600 "$pwfile"
  # The bootstrap superuser is the role `coop` (password coop): local socket connections are
  # trusted (tooling), TCP connections need the password (what the application uses).
  as_server_user "$BIN/initdb" -D "$DATA" -U coop --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >"$BASE/initdb.log" 2>&1 || {
      cat "$BASE/initdb.log" >&2; rm -f "$pwfile"; return 1; }
  rm -f "$pwfile"
  cat >>"$DATA/postgresql.conf" <<EOF

# --- coop test server (scripts/pg-test.sh) ---
listen_addresses = '127.0.0.1'
port = ${PORT}
unix_socket_directories = '${BASE}'
fsync = on
synchronous_commit = on
full_page_writes = on
max_connections = 300
EOF
}

start() {
  # Two test runs starting at once must not both run initdb: serialise on a lock file.
  exec 9>"$(dirname "$BASE")/.coop-pg-${PORT}.lock"
  flock -w 120 9 || { echo "pg-test: could not take the start lock" >&2; return 1; }
  if is_running; then echo "$URL"; return 0; fi
  if [[ ! -f "$DATA/PG_VERSION" ]]; then init_cluster; fi
  # 9>&-: the server must not inherit the lock's descriptor (it would hold the lock forever).
  if ! as_server_user "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >/dev/null 9>&-; then
    echo "pg-test: server failed to start; log follows ($LOG)" >&2
    tail -n 30 "$LOG" >&2 || true
    return 1
  fi
  # Idempotent setup of the role and the test database.
  psql_admin -d postgres -c "ALTER ROLE coop WITH SUPERUSER LOGIN PASSWORD 'coop'" >/dev/null
  if [[ "$(psql_admin -d postgres -tA -c "SELECT 1 FROM pg_database WHERE datname = 'coop_test'")" != 1 ]]; then
    psql_admin -d postgres -c "CREATE DATABASE coop_test OWNER coop ENCODING 'UTF8' TEMPLATE template0" >/dev/null
  fi
  echo "$URL"
}

stop() {
  if is_running; then
    as_server_user "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
  fi
}

cmd="${1:-}"
case "$cmd" in
  start)  BIN="$(find_bindir)"; start ;;
  stop)   BIN="$(find_bindir)"; stop ;;
  status) BIN="$(find_bindir)"; is_running ;;
  url)    echo "$URL" ;;
  *)      echo "usage: $0 start|stop|status|url" >&2; exit 2 ;;
esac
