#!/usr/bin/env bash
# CRA creations per second (issue 3 point 9): POST /api/activites through the HTTP API with wrk
# (authenticated as the demo mediatrice), on SQLite and on PostgreSQL, at 1 and 64 connections,
# with p50/p99 latency; in the same run the same single-row INSERT done by plain SQL on each engine
# (sqlite3 CLI, pgbench) as the ceiling. Prints a Markdown table with the API ÷ plain-SQL ratio
# and checks that the rows created match wrk's successful responses.
#
#   bash bench/activites/run.sh                      # needs build/coop, wrk, sqlite3, psql, pgbench
#   BENCH_DURATION=30s bash bench/activites/run.sh
#
# Environment (all optional):
#   BENCH_DURATION     wrk / pgbench duration per measurement                     (10s)
#   BENCH_SQLITE_ROWS  rows inserted by the sqlite3 CLI for the SQLite ceiling     (50000)
#   BENCH_ENGINES      engines to measure                                          ("sqlite postgres")
#   BENCH_PORT         first port to try                                           (18865)
#   BENCH_OUT          also write the Markdown report to this file
#   COOP_BIN           server binary (must serve /api/activites)                    (build/coop)
#   COOP_PG_URL        PostgreSQL server URL; default: `bash scripts/pg-test.sh start` (left running)
#   PGBENCH            pgbench binary            (/usr/lib/postgresql/15/bin/pgbench, else PATH)
set -euo pipefail
export LC_ALL=C

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

COOP_BIN="${COOP_BIN:-build/coop}"
DURATION="${BENCH_DURATION:-10s}"
SECS="${DURATION%s}"
SQLITE_ROWS="${BENCH_SQLITE_ROWS:-50000}"
ENGINES="${BENCH_ENGINES:-sqlite postgres}"
FIRST_PORT="${BENCH_PORT:-18865}"
EMAIL="mediatrice@coop.example"
PASSWORD="coop-demo-2026!"
TODAY="$(date -u +%F)"
PGBENCH="${PGBENCH:-/usr/lib/postgresql/15/bin/pgbench}"
[[ -x "$PGBENCH" ]] || PGBENCH="$(command -v pgbench || true)"

die() { echo "bench-activites: $*" >&2; exit 1; }
log() { echo "bench-activites: $*" >&2; }

[[ "$SECS" =~ ^[0-9]+$ ]] || die "BENCH_DURATION must be whole seconds, like 10s"
[[ -x "$COOP_BIN" ]] || die "$COOP_BIN not found: build it first (make build)"
for c in wrk curl sqlite3; do command -v "$c" >/dev/null || die "$c not found"; done
if [[ " $ENGINES " == *" postgres "* ]]; then
  command -v psql >/dev/null || die "psql not found"
  [[ -n "$PGBENCH" ]] || die "pgbench not found"
fi

TMP="$(mktemp -d "${TMPDIR:-/tmp}/coop-bench-act.XXXXXX")"
SERVER_PID=""
PORT=""
PG_DB_URL=""
PG_ADMIN_URL=""
PG_DB=""

stop_server() {
  [[ -n "$SERVER_PID" ]] || return 0
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}
cleanup() {
  stop_server
  if [[ -n "$PG_DB" ]]; then
    psql -q "$PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

REF_DIR="${COOP_REFERENTIEL_DIR:-web/node_modules/@etalab/decoupage-administratif/data}"
if [[ ! -f "$REF_DIR/communes.json" ]]; then
  REF_DIR="$TMP/referentiel"
  mkdir -p "$REF_DIR"
  cat >"$REF_DIR/communes.json" <<'JSON'
[{"code":"69123","nom":"Lyon","type":"commune-actuelle","departement":"69","region":"84","codesPostaux":["69001"],"population":522250}]
JSON
  echo '[{"code":"69","nom":"Rhône","region":"84","zone":"metro"}]' >"$REF_DIR/departements.json"
  echo '[{"code":"84","nom":"Auvergne-Rhône-Alpes","zone":"metro"}]' >"$REF_DIR/regions.json"
fi

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_server() {  # database-url tag
  local url="$1" tag="$2" p
  PORT=""
  for p in $(seq "$FIRST_PORT" $((FIRST_PORT + 200))); do
    if port_free "$p"; then PORT="$p"; break; fi
  done
  [[ -n "$PORT" ]] || die "no free port from $FIRST_PORT"
  COOP_FAST_PASSWORD_HASH=1 "$COOP_BIN" serve --database "$url" --address 127.0.0.1 --port "$PORT" \
    --demo --log-level warn --referentiel-dir "$REF_DIR" >"$TMP/server-$tag.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      cat "$TMP/server-$tag.log" >&2; die "the server exited during start-up"
    fi
    if curl -sf -o /dev/null "http://127.0.0.1:$PORT/api/health"; then return 0; fi
    sleep 0.1
  done
  cat "$TMP/server-$tag.log" >&2
  die "the server did not answer GET /api/health within 30 s"
}

# Logs in as the demo mediatrice; sets CSRF, SESSION, LIEU, BODY; checks one POST answers 201.
log_in() {
  local base="http://127.0.0.1:$PORT" jar="$TMP/cookies" st ref
  rm -f "$jar"
  curl -sf -c "$jar" -o /dev/null "$base/api/health" || die "GET /api/health failed"
  CSRF="$(awk '$6 == "coop_csrf" { print $7 }' "$jar")"
  [[ -n "$CSRF" ]] || die "GET /api/health set no coop_csrf cookie"
  st="$(curl -s -b "$jar" -c "$jar" -o "$TMP/login.json" -w '%{http_code}' -H "X-CSRF-Token: $CSRF" \
    -H 'Content-Type: application/json' -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" "$base/api/auth/login")"
  [[ "$st" == 200 ]] || { cat "$TMP/login.json" >&2; die "log-in as $EMAIL failed ($st)"; }
  SESSION="$(awk '$6 == "coop_session" { print $7 }' "$jar")"
  [[ -n "$SESSION" ]] || die "log-in set no coop_session cookie"
  ref="$(curl -s -b "$jar" "$base/api/activites/referentiel")"
  LIEU="$(sed -nE 's/.*"dernier_lieu_id":([0-9]+).*/\1/p' <<<"$ref")"
  [[ -n "$LIEU" ]] || LIEU="$(sed -nE 's/.*"lieux":\[\{[^}]*"id":([0-9]+).*/\1/p' <<<"$ref")"
  [[ -n "$LIEU" ]] || { echo "$ref" | head -c 500 >&2; die "no lieu d'activité in GET /api/activites/referentiel (does $COOP_BIN serve /api/activites?)"; }
  BODY="{\"type\":\"individuel\",\"date\":\"$TODAY\",\"duree\":30,\"type_lieu\":\"lieu_activite\",\"lieu_activite_id\":$LIEU,\"materiel\":[\"ordinateur\"],\"thematiques\":[\"email\"],\"autonomie\":\"autonome\",\"oriente_vers_structure\":false}"
  st="$(curl -s -b "$jar" -o "$TMP/post.json" -w '%{http_code}' -H "X-CSRF-Token: $CSRF" \
    -H 'Content-Type: application/json' -d "$BODY" "$base/api/activites")"
  [[ "$st" == 201 ]] || { cat "$TMP/post.json" >&2; die "POST /api/activites answered $st, not 201"; }
  MEDIATEUR_ID="$(sed -nE 's/.*"mediateur_id":([0-9]+).*/\1/p' "$TMP/post.json")"
}

json_num() { sed -E "s/.*\"$2\":(-?[0-9.eE+]+).*/\\1/" <<<"$1"; }

count_rows() {  # engine
  if [[ "$1" == sqlite ]]; then
    sqlite3 "$TMP/http.db" "SELECT count(*) FROM activites"
  else
    psql -qtA "$PG_DB_URL" -c "SELECT count(*) FROM activites"
  fi
}

declare -A RPS P50 P99 NOTE CHECK
ROWS=()

# HTTP API: wrk POST at 1 then 64 connections against a server on ENGINE.
measure_http() {  # engine url
  local engine="$1" url="$2" conns threads before after out json ok created
  start_server "$url" "$engine"
  log_in
  for conns in 1 64; do
    threads=1; [[ "$conns" -gt 1 ]] && threads=2
    before="$(count_rows "$engine")"
    out="$(BENCH_BODY="$BODY" BENCH_COOKIE="coop_csrf=$CSRF; coop_session=$SESSION" BENCH_CSRF="$CSRF" \
      wrk -t"$threads" -c"$conns" -d"$DURATION" --latency -s bench/activites/post.lua \
      "http://127.0.0.1:$PORT/api/activites")"
    json="$(grep '^BENCH_JSON ' <<<"$out" | sed 's/^BENCH_JSON //')"
    [[ -n "$json" ]] || { echo "$out" >&2; die "no result from wrk"; }
    after="$(count_rows "$engine")"
    ok=$(( $(json_num "$json" requests) - $(json_num "$json" non2xx) ))
    created=$(( after - before ))
    local k="$engine,api,$conns"
    RPS[$k]="$(json_num "$json" rps)"
    P50[$k]="$(json_num "$json" lat_p50_ms)"
    P99[$k]="$(json_num "$json" lat_p99_ms)"
    # wrk stops counting at the deadline: requests still in flight (≤ connections) may have been
    # committed without being counted, so created may exceed the 2xx count by up to `conns`.
    local verdict="OK"
    if [[ "$created" -lt "$ok" || "$created" -gt $(( ok + conns )) ]]; then verdict="MISMATCH"; fi
    CHECK[$k]="wrk 2xx $ok, non-2xx $(json_num "$json" non2xx), socket errors $(json_num "$json" err_socket); rows created $created → $verdict"
    ROWS+=("$k")
    log "$engine HTTP API c=$conns: ${RPS[$k]} req/s, p50 ${P50[$k]} ms, p99 ${P99[$k]} ms; ${CHECK[$k]}"
  done
  stop_server
}

# The INSERT the API's store does for that body (one row in activites; no tags, no participants).
insert_sql() {  # now-expression
  echo "INSERT INTO activites (mediateur_id, type, date, duree, type_lieu, lieu_activite_id, materiel, thematiques, autonomie, oriente_vers_structure, created_at, updated_at) VALUES ($MEDIATEUR_ID, 'individuel', '$TODAY', 30, 'lieu_activite', $LIEU, 'ordinateur', 'email', 'autonome', 0, $1, $1);"
}

# SQLite ceiling: the sqlite3 CLI, one connection (SQLite has a single writer), the server's
# pragmas (WAL, synchronous=NORMAL), each INSERT its own autocommit transaction.
measure_sqlite_sql() {
  local db="$TMP/plain.db" script="$TMP/plain.sql" t0 t1 before after i stmt
  cp "$TMP/http.db" "$db"
  [[ -f "$TMP/http.db-wal" ]] && cp "$TMP/http.db-wal" "$db-wal"
  stmt="$(insert_sql "strftime('%Y-%m-%dT%H:%M:%fZ','now')")"
  {
    echo "PRAGMA journal_mode=WAL;"
    echo "PRAGMA synchronous=NORMAL;"
    echo "PRAGMA foreign_keys=ON;"
    echo "PRAGMA busy_timeout=5000;"
    for ((i = 0; i < SQLITE_ROWS; i++)); do echo "$stmt"; done
  } >"$script"
  before="$(sqlite3 "$db" "SELECT count(*) FROM activites")"
  t0="$(date +%s.%N)"
  sqlite3 "$db" <"$script" >/dev/null
  t1="$(date +%s.%N)"
  after="$(sqlite3 "$db" "SELECT count(*) FROM activites")"
  local k="sqlite,sql,1"
  RPS[$k]="$(awk -v n="$SQLITE_ROWS" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", n / (b - a) }')"
  P50[$k]="$(awk -v n="$SQLITE_ROWS" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", 1000 * (b - a) / n }')"
  P99[$k]="-"
  NOTE[$k]="mean"
  CHECK[$k]="$SQLITE_ROWS INSERTs in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s (incl. sqlite3 start-up); rows created $((after - before))"
  ROWS+=("$k")
  log "sqlite plain SQL c=1: ${RPS[$k]} inserts/s; ${CHECK[$k]}"
}

# PostgreSQL ceiling: pgbench with the same INSERT, -c1 and -c64 (-j2), per-transaction log → p50/p99.
measure_pg_sql() {
  local script="$TMP/insert.sql" conns jobs out before after tps
  insert_sql "to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')" >"$script"
  for conns in 1 64; do
    jobs=1; [[ "$conns" -gt 1 ]] && jobs=2
    rm -rf "$TMP/pglog"; mkdir -p "$TMP/pglog"
    before="$(count_rows postgres)"
    out="$(cd "$TMP/pglog" && "$PGBENCH" -n -f "$script" -c "$conns" -j "$jobs" -T "$SECS" -l --log-prefix=tx "$PG_DB_URL" 2>&1)" \
      || { echo "$out" >&2; die "pgbench failed"; }
    after="$(count_rows postgres)"
    tps="$(sed -nE 's/^tps = ([0-9.]+).*/\1/p' <<<"$out" | head -n1)"
    local k="postgres,sql,$conns" n
    n="$(cat "$TMP"/pglog/tx* | wc -l)"
    RPS[$k]="$tps"
    # log line: client transaction latency_us script epoch_s epoch_us
    read -r P50[$k] P99[$k] < <(cat "$TMP"/pglog/tx* | awk '{ print $3 }' | sort -n | awk -v n="$n" '
      { v[NR] = $1 }
      END { i50 = int(0.50 * n); if (i50 < 1) i50 = 1; i99 = int(0.99 * n); if (i99 < 1) i99 = 1
            printf "%.3f %.3f\n", v[i50] / 1000, v[i99] / 1000 }')
    CHECK[$k]="pgbench transactions $(sed -nE 's/^number of transactions actually processed: ([0-9]+).*/\1/p' <<<"$out"), failed $(sed -nE 's/^number of failed transactions: ([0-9]+).*/\1/p' <<<"$out"); rows created $((after - before))"
    ROWS+=("$k")
    log "postgres plain SQL c=$conns: $tps tps, p50 ${P50[$k]} ms, p99 ${P99[$k]} ms; ${CHECK[$k]}"
  done
}

MODEL="$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //' || true)"
[[ -n "$MODEL" ]] || MODEL="$(uname -m)"
NPROC="$(nproc)"
VERSION="$("$COOP_BIN" --version 2>/dev/null | head -n1 || echo coop)"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
log "$VERSION ($COOP_BIN) on $NPROC × $MODEL; $DURATION per measurement"

for engine in $ENGINES; do
  case "$engine" in
    sqlite)
      measure_http sqlite "sqlite:$TMP/http.db"
      measure_sqlite_sql
      ;;
    postgres)
      PG_ADMIN_URL="${COOP_PG_URL:-$(bash scripts/pg-test.sh start)}"
      PG_DB="bench_act_$(date +%s)_$$"
      psql -q "$PG_ADMIN_URL" -c "CREATE DATABASE $PG_DB" >/dev/null
      PG_DB_URL="${PG_ADMIN_URL%/*}/$PG_DB"
      measure_http postgres "$PG_DB_URL"
      measure_pg_sql
      psql -q "$PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null
      PG_DB=""
      ;;
    *) die "unknown engine $engine" ;;
  esac
done

# --- report -----------------------------------------------------------------------------------
fmt_ms() { [[ "$1" == "-" ]] && echo "-" || printf '%.2f ms' "$1"; }
report() {
  echo "## bench-activites — CRA creations per second — $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "- machine: $NPROC CPU(s), $MODEL ($(uname -sr)); wrk, pgbench and the databases run on the" \
    "same machine; load average before the run: $LOAD_BEFORE"
  echo "- server: $VERSION, default --threads/--workers/--db-connections, log level warn; body: one" \
    "individual CRA (lieu d'activité, 1 matériel, 1 thématique), session + CSRF; $DURATION per row"
  echo "- plain SQL: the same single-row INSERT INTO activites, one autocommit transaction each;" \
    "SQLite with the sqlite3 CLI ($SQLITE_ROWS rows, WAL + synchronous=NORMAL, one connection: SQLite" \
    "has one writer), PostgreSQL with pgbench (synchronous_commit=on, fsync=on)"
  echo
  echo "| engine | path | connections | CRA/s | p50 | p99 | API ÷ SQL |"
  echo "|---|---|---:|---:|---:|---:|---:|"
  local k e p c ratio ref
  for k in "${ROWS[@]}"; do
    IFS=, read -r e p c <<<"$k"
    ratio="-"
    if [[ "$p" == api ]]; then
      ref="$e,sql,$c"; [[ "$e" == sqlite ]] && ref="sqlite,sql,1"
      [[ -n "${RPS[$ref]:-}" ]] && ratio="$(awk -v a="${RPS[$k]}" -v b="${RPS[$ref]}" 'BEGIN { printf "%.2f", a / b }')"
    fi
    local p50; p50="$(fmt_ms "${P50[$k]}")"; [[ "${NOTE[$k]:-}" == mean ]] && p50="$p50 (mean)"
    printf '| %s | %s | %s | %.0f | %s | %s | %s |\n' "$([[ $e == sqlite ]] && echo SQLite || echo PostgreSQL)" \
      "$([[ $p == api ]] && echo "HTTP API" || echo "plain SQL")" "$c" "${RPS[$k]}" "$p50" "$(fmt_ms "${P99[$k]}")" "$ratio"
  done
  echo
  echo "Target (issue 3 point 9): ≥ 5,000 CRA/s on SQLite with acknowledged writes durable against a" \
    "process kill, p99 < 20 ms."
  local best=""
  for k in "sqlite,api,1" "sqlite,api,64"; do
    [[ -n "${RPS[$k]:-}" ]] || continue
    local verdict
    verdict="$(awk -v r="${RPS[$k]}" -v p="${P99[$k]}" 'BEGIN { print (r >= 5000 && p < 20) ? "meets" : "misses" }')"
    best+="- SQLite HTTP API at ${k##*,} connection(s): $(printf '%.0f' "${RPS[$k]}") CRA/s, p99 $(printf '%.2f' "${P99[$k]}") ms → $verdict the target"$'\n'
  done
  [[ -n "$best" ]] && printf '%s' "$best"
  echo
  echo "Checks (rows counted in activites after each run):"
  for k in "${ROWS[@]}"; do echo "- $k: ${CHECK[$k]}"; done
}

echo >&2
REPORT="$(report)"
echo "$REPORT"
if [[ -n "${BENCH_OUT:-}" ]]; then
  mkdir -p "$(dirname "$BENCH_OUT")"
  echo "$REPORT" >"$BENCH_OUT"
  log "report written to $BENCH_OUT"
fi
