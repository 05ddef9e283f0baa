#!/usr/bin/env bash
# "Mes activités" listing at 100,000 activities of one mediator (issue 3 point 4), on SQLite and
# PostgreSQL: GET /api/activites first page, a deep page (reached by following the cursor
# BENCH_DEPTH pages in), three filtered first pages (period + thématique, type, lieu) and the bin
# (GET /api/activites/corbeille), with wrk (bench/report.lua, authenticated session) at one
# connection: req/s, p50, p99. In the same run, the peer: the same page fetched with
# LIMIT/OFFSET at the same depth in plain SQL (sqlite3 CLI: mean of BENCH_SQL_REPS runs;
# pgbench: p50/p99), and the ratio API p50 ÷ SQL p50 (mean for SQLite). Checks: every API page
# has the same first id as its SQL peer, totals match COUNT(*), and EXPLAIN shows the list
# queries reading an index on (mediateur_id, [deleted_at,] date, id) without a sort on both engines.
#
# Data: `coop demo --activites N --mediateur mediatrice@coop.example` (the scale generator) on a
# fresh database of each engine; its rows/s are reported too.
#
#   bash bench/activites/list.sh                     # needs build/coop, wrk, curl, sqlite3, psql, pgbench
#
# Environment (all optional):
#   BENCH_ACTIVITES   activities generated on the mediatrice                         (100000)
#   BENCH_DEPTH       pages followed by cursor for the deep page (20 per page)      (500)
#   BENCH_DURATION    wrk / pgbench duration per measurement                         (5s)
#   BENCH_SQL_REPS    sqlite3 CLI repetitions per SQL peer                           (50)
#   BENCH_ENGINES     engines to measure                                             ("sqlite postgres")
#   BENCH_PORT        first port to try                                              (18965)
#   BENCH_OUT         also write the Markdown report to this file
#   COOP_BIN          server binary                                                  (build/coop)
#   COOP_PG_URL       PostgreSQL server URL; default: `bash scripts/pg-test.sh start` (left running)
#   PGBENCH           pgbench binary (/usr/lib/postgresql/15/bin/pgbench, else PATH)
set -euo pipefail
export LC_ALL=C

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

COOP_BIN="${COOP_BIN:-build/coop}"
N="${BENCH_ACTIVITES:-100000}"
DEPTH="${BENCH_DEPTH:-500}"
DURATION="${BENCH_DURATION:-5s}"
SECS="${DURATION%s}"
REPS="${BENCH_SQL_REPS:-50}"
ENGINES="${BENCH_ENGINES:-sqlite postgres}"
FIRST_PORT="${BENCH_PORT:-18965}"
EMAIL="mediatrice@coop.example"
PASSWORD="coop-demo-2026!"
PAGE=20
PGBENCH="${PGBENCH:-/usr/lib/postgresql/15/bin/pgbench}"
[[ -x "$PGBENCH" ]] || PGBENCH="$(command -v pgbench || true)"

die() { echo "bench-activites-list: $*" >&2; exit 1; }
log() { echo "bench-activites-list: $*" >&2; }

[[ "$SECS" =~ ^[0-9]+$ ]] || die "BENCH_DURATION must be whole seconds, like 5s"
[[ -x "$COOP_BIN" ]] || die "$COOP_BIN not found: build it first (make build)"
for c in wrk curl sqlite3; do command -v "$c" >/dev/null || die "$c not found"; done
if [[ " $ENGINES " == *" postgres "* ]]; then
  command -v psql >/dev/null || die "psql not found"
  [[ -n "$PGBENCH" ]] || die "pgbench not found"
fi

REF_DIR="${COOP_REFERENTIEL_DIR:-web/node_modules/@etalab/decoupage-administratif/data}"
[[ -f "$REF_DIR/communes.json" ]] || die "référentiel not found in $REF_DIR (npm ci in web/, or COOP_REFERENTIEL_DIR)"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/coop-bench-list.XXXXXX")"
SERVER_PID=""
PORT=""
PG_ADMIN_URL=""
PG_DB=""
DB_URL=""

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

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_server() {  # tag
  local p
  PORT=""
  for p in $(seq "$FIRST_PORT" $((FIRST_PORT + 200))); do
    if port_free "$p"; then PORT="$p"; break; fi
  done
  [[ -n "$PORT" ]] || die "no free port from $FIRST_PORT"
  COOP_FAST_PASSWORD_HASH=1 "$COOP_BIN" serve --database "$DB_URL" --address 127.0.0.1 --port "$PORT" \
    --log-level warn --referentiel-dir "$REF_DIR" >"$TMP/server-$1.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$TMP/server-$1.log" >&2; die "the server exited during start-up"; }
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/api/health" && return 0
    sleep 0.1
  done
  die "the server did not answer GET /api/health within 30 s"
}

log_in() {
  local base="http://127.0.0.1:$PORT" jar="$TMP/cookies" st
  rm -f "$jar"
  curl -sf -c "$jar" -o /dev/null "$base/api/health" || die "GET /api/health failed"
  CSRF="$(awk '$6 == "coop_csrf" { print $7 }' "$jar")"
  st="$(curl -s -b "$jar" -c "$jar" -o "$TMP/login.json" -w '%{http_code}' -H "X-CSRF-Token: $CSRF" \
    -H 'Content-Type: application/json' -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" "$base/api/auth/login")"
  [[ "$st" == 200 ]] || { cat "$TMP/login.json" >&2; die "log-in as $EMAIL failed ($st)"; }
  SESSION="$(awk '$6 == "coop_session" { print $7 }' "$jar")"
  COOKIE="coop_csrf=$CSRF; coop_session=$SESSION"
}

get() { curl -sf -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT$1" || die "GET $1 failed"; }
first_id() { sed -nE 's/^\{"items":\[\{"id":([0-9]+).*/\1/p' <<<"$1"; }
suivant() { sed -nE 's/.*"suivant":"([^"]+)".*/\1/p' <<<"$1"; }
total() { sed -nE 's/.*"total":([0-9]+).*/\1/p' <<<"$1"; }
items() { grep -o '"version":' <<<"$1" | wc -l; }

# SQL run on the engine under test (one value or rows, '|'-separated).
sql() {
  if [[ "$ENGINE" == sqlite ]]; then sqlite3 "$SQLITE_FILE" "$1"; else psql -qtA "$DB_URL" -c "$1"; fi
}

declare -A RPS P50 P99 SQLP50 SQLP99 CHECK
CASES=()
declare -A PATHQ WHERE OFFSET ORDER

# The cases: API path, the WHERE of its plain-SQL peer (after mediateur_id), its OFFSET, its ORDER BY.
define_cases() {
  local period_from period_to
  period_from="$(date -u -d '-2 years' +%Y-01-01)"
  period_to="$(date -u -d '-1 year' +%Y-12-31)"
  CASES=(premiere profonde periode_thematique type lieu corbeille)
  PATHQ[premiere]="/api/activites?limite=$PAGE"
  WHERE[premiere]="a.deleted_at IS NULL"
  PATHQ[profonde]="/api/activites?limite=$PAGE&apres=$DEEP_CURSOR"
  WHERE[profonde]="a.deleted_at IS NULL"
  OFFSET[profonde]=$((DEPTH * PAGE))
  PATHQ[periode_thematique]="/api/activites?limite=$PAGE&du=$period_from&au=$period_to&thematique=email"
  WHERE[periode_thematique]="a.deleted_at IS NULL AND a.date >= '$period_from' AND a.date <= '$period_to' AND ',' || a.thematiques || ',' LIKE '%,email,%'"
  PATHQ[type]="/api/activites?limite=$PAGE&type=collectif"
  WHERE[type]="a.deleted_at IS NULL AND a.type IN ('collectif')"
  PATHQ[lieu]="/api/activites?limite=$PAGE&lieu=$LIEU"
  WHERE[lieu]="a.deleted_at IS NULL AND a.lieu_activite_id IN ($LIEU)"
  PATHQ[corbeille]="/api/activites/corbeille"
  WHERE[corbeille]="a.deleted_at IS NOT NULL AND a.deleted_at >= '$BIN_SINCE'"
  ORDER[corbeille]="a.deleted_at DESC, a.id DESC"
  local c
  for c in "${CASES[@]}"; do
    OFFSET[$c]="${OFFSET[$c]:-0}"
    ORDER[$c]="${ORDER[$c]:-a.date DESC, a.id DESC}"
  done
}

peer_sql() {  # case → the page by LIMIT/OFFSET, as a conventional implementation would fetch it
  local c="$1" limit=$PAGE
  [[ "$c" == corbeille ]] && limit=1000
  echo "SELECT a.*, st.nom, st.commune_insee FROM activites a LEFT JOIN structures st ON st.id = a.lieu_activite_id" \
    "WHERE a.mediateur_id = $MEDIATEUR_ID AND ${WHERE[$c]} ORDER BY ${ORDER[$c]} LIMIT $limit OFFSET ${OFFSET[$c]}"
}

generate() {
  local out t0 t1
  t0="$(date +%s.%N)"
  out="$("$COOP_BIN" demo --database "$DB_URL" --referentiel-dir "$REF_DIR" --activites "$N" --seed 1 \
    --mediateur "$EMAIL" 2>/dev/null)" || die "coop demo --activites failed"
  t1="$(date +%s.%N)"
  GEN[$ENGINE]="$(grep -m1 '^Durée' <<<"$out" | sed 's/^Durée : //')"
  log "$ENGINE: generated $N activities on $EMAIL: ${GEN[$ENGINE]} (demo + generation $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s)"
}
declare -A GEN EXPLAIN_OK COUNT_PLAN

# EXPLAIN of the API's page query (first and cursor page) and of its COUNT: an index on
# (mediateur_id, [deleted_at,] date, id) — activites_mediateur_date or activites_mediateur_deleted —
# read in order, no sort, no sequential scan.
explain_check() {
  local page_sql count_sql cursor_sql plan verdict="OK" q
  page_sql="SELECT a.id FROM activites a LEFT JOIN structures st ON st.id = a.lieu_activite_id WHERE a.mediateur_id = $MEDIATEUR_ID AND a.deleted_at IS NULL ORDER BY a.date DESC, a.id DESC LIMIT 21"
  cursor_sql="SELECT a.id FROM activites a LEFT JOIN structures st ON st.id = a.lieu_activite_id WHERE a.mediateur_id = $MEDIATEUR_ID AND a.deleted_at IS NULL AND (a.date, a.id) < ('2024-06-01', 1000000) ORDER BY a.date DESC, a.id DESC LIMIT 21"
  count_sql="SELECT COUNT(*) FROM activites a WHERE a.mediateur_id = $MEDIATEUR_ID AND a.deleted_at IS NULL"
  : >"$TMP/explain-$ENGINE.txt"
  for q in "$page_sql" "$cursor_sql"; do
    if [[ "$ENGINE" == sqlite ]]; then plan="$(sqlite3 "$SQLITE_FILE" "EXPLAIN QUERY PLAN $q")"
    else plan="$(psql -qtA "$DB_URL" -c "EXPLAIN $q")"; fi
    printf '%s\n%s\n\n' "$q" "$plan" >>"$TMP/explain-$ENGINE.txt"
    grep -qE 'activites_mediateur_(date|deleted)' <<<"$plan" || verdict="NO INDEX"
    grep -qiE 'TEMP B-TREE|Sort  |^Sort|-> *Sort|Seq Scan on activites' <<<"$plan" && verdict="SORT OR SCAN"
  done
  # The total (COUNT) is reported, not enforced: when one mediator holds nearly every row, a
  # sequential scan is PostgreSQL's right choice.
  if [[ "$ENGINE" == sqlite ]]; then plan="$(sqlite3 "$SQLITE_FILE" "EXPLAIN QUERY PLAN $count_sql" | tail -n1)"
  else plan="$(psql -qtA "$DB_URL" -c "EXPLAIN $count_sql" | sed -n 2p)"; fi
  COUNT_PLAN[$ENGINE]="$(sed -E 's/^[-` >]*//; s/ *\(cost=.*//' <<<"$plan")"
  EXPLAIN_OK[$ENGINE]="$verdict"
  log "$ENGINE EXPLAIN: $verdict"
  [[ "$verdict" == OK ]] || cat "$TMP/explain-$ENGINE.txt" >&2
}

measure_engine() {
  generate
  MEDIATEUR_ID="$(sql "SELECT id FROM users WHERE email = '$EMAIL'")"
  LIEU="$(sql "SELECT lieu_activite_id FROM activites WHERE mediateur_id = $MEDIATEUR_ID AND lieu_activite_id IS NOT NULL GROUP BY lieu_activite_id ORDER BY COUNT(*) DESC LIMIT 1")"
  # After a bulk load, what autovacuum would do on a live server: statistics and the visibility
  # map (index-only scans).
  if [[ "$ENGINE" == postgres ]]; then psql -q "$DB_URL" -c "VACUUM ANALYZE" >/dev/null; fi
  explain_check
  start_server "$ENGINE"
  log_in
  # The deep page: follow the cursor DEPTH pages from the first.
  local path="/api/activites?limite=$PAGE" body cur="" i t0 t1
  t0="$(date +%s.%N)"
  for ((i = 0; i < DEPTH; i++)); do
    body="$(get "$path")"
    [[ "$(items "$body")" == "$PAGE" ]] || die "page $i of the cursor walk has $(items "$body") items, not $PAGE"
    cur="$(suivant "$body")"
    [[ -n "$cur" ]] || die "no cursor after page $i"
    path="/api/activites?limite=$PAGE&apres=$cur"
  done
  t1="$(date +%s.%N)"
  DEEP_CURSOR="$cur"
  WALK[$ENGINE]="$(awk -v a="$t0" -v b="$t1" -v n="$DEPTH" 'BEGIN { printf "%.1f ms per page (curl, sequential)", 1000 * (b - a) / n }')"
  # The bin's 30 days, as a date (no ':' — pgbench would read ":name" as a variable); the
  # generated deletions are all within the last 25 days, so the API's exact instant gives the same rows.
  BIN_SINCE="$(date -u -d '-30 days' +%Y-%m-%d)"
  define_cases
  local c out json api_first sql_first api_total sql_total k
  for c in "${CASES[@]}"; do
    k="$ENGINE,$c"
    body="$(get "${PATHQ[$c]}")"
    api_first="$(first_id "$body")"
    sql_first="$(sql "$(peer_sql "$c")" | awk -F'|' 'NR == 1 { print $1 }')"
    if [[ "$c" == corbeille ]]; then
      api_total="$(items "$body")"
      sql_total="$(sql "SELECT COUNT(*) FROM activites a WHERE a.mediateur_id = $MEDIATEUR_ID AND ${WHERE[$c]}")"
    else
      api_total="$(total "$body")"
      sql_total="$(sql "SELECT COUNT(*) FROM activites a WHERE a.mediateur_id = $MEDIATEUR_ID AND ${WHERE[$c]}")"
    fi
    local verdict="OK"
    [[ -n "$api_first" && "$api_first" == "$sql_first" && "$api_total" == "$sql_total" ]] || verdict="MISMATCH"
    CHECK[$k]="first id API $api_first / SQL $sql_first, $([[ $c == corbeille ]] && echo items || echo total) API $api_total / SQL $sql_total → $verdict"
    out="$(wrk -t1 -c1 -d"$DURATION" --latency -s bench/report.lua -H "Cookie: $COOKIE" \
      "http://127.0.0.1:$PORT${PATHQ[$c]}")"
    json="$(grep '^BENCH_JSON ' <<<"$out" | sed 's/^BENCH_JSON //')"
    [[ -n "$json" ]] || { echo "$out" >&2; die "no result from wrk"; }
    [[ "$(json_num "$json" err_status)" == 0 ]] || CHECK[$k]+="; wrk non-2xx: $(json_num "$json" err_status)"
    RPS[$k]="$(json_num "$json" rps)"
    P50[$k]="$(json_num "$json" lat_p50_ms)"
    P99[$k]="$(json_num "$json" lat_p99_ms)"
    measure_sql "$c"
    log "$ENGINE $c: API ${RPS[$k]} req/s p50 ${P50[$k]} ms p99 ${P99[$k]} ms; SQL ${SQLP50[$k]} ms; ${CHECK[$k]}"
  done
  stop_server
}
declare -A WALK

json_num() { sed -E "s/.*\"$2\":(-?[0-9.eE+]+).*/\\1/" <<<"$1"; }

measure_sql() {  # case
  local c="$1" k="$ENGINE,$1" q t0 t1 i
  q="$(peer_sql "$c")"
  if [[ "$ENGINE" == sqlite ]]; then
    { for ((i = 0; i < REPS; i++)); do echo "$q;"; done; } >"$TMP/peer.sql"
    local b0 b1
    b0="$(date +%s.%N)"
    sqlite3 "$SQLITE_FILE" "SELECT COUNT(*) FROM users;" >/dev/null  # start-up + opening, subtracted
    b1="$(date +%s.%N)"
    t0="$(date +%s.%N)"
    sqlite3 "$SQLITE_FILE" <"$TMP/peer.sql" >/dev/null
    t1="$(date +%s.%N)"
    SQLP50[$k]="$(awk -v a="$t0" -v b="$t1" -v c="$b0" -v d="$b1" -v n="$REPS" 'BEGIN { x = (b - a) - (d - c); if (x < 0) x = 0; printf "%.3f", 1000 * x / n }')"
    SQLP99[$k]="-"
  else
    echo "$q;" >"$TMP/peer.sql"
    rm -rf "$TMP/pglog"; mkdir -p "$TMP/pglog"
    (cd "$TMP/pglog" && "$PGBENCH" -n -f "$TMP/peer.sql" -c 1 -j 1 -T "$SECS" -l --log-prefix=tx "$DB_URL" >/dev/null 2>&1) \
      || die "pgbench failed on: $q"
    local n
    n="$(cat "$TMP"/pglog/tx* | wc -l)"
    read -r SQLP50[$k] SQLP99[$k] < <(cat "$TMP"/pglog/tx* | awk '{ print $3 }' | sort -n | awk -v n="$n" '
      { v[NR] = $1 }
      END { i50 = int(0.50 * n); if (i50 < 1) i50 = 1; i99 = int(0.99 * n); if (i99 < 1) i99 = 1
            printf "%.3f %.3f\n", v[i50] / 1000, v[i99] / 1000 }')
  fi
}

MODEL="$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //' || true)"
[[ -n "$MODEL" ]] || MODEL="$(uname -m)"
NPROC="$(nproc)"
VERSION="$("$COOP_BIN" --version 2>/dev/null | head -n1 || echo coop)"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
log "$VERSION ($COOP_BIN) on $NPROC × $MODEL; $N activities, deep page at $DEPTH pages; $DURATION per measurement"

for ENGINE in $ENGINES; do
  case "$ENGINE" in
    sqlite)
      SQLITE_FILE="$TMP/list.db"
      DB_URL="sqlite:$SQLITE_FILE"
      measure_engine
      ;;
    postgres)
      PG_ADMIN_URL="${COOP_PG_URL:-$(bash scripts/pg-test.sh start)}"
      PG_DB="bench_list_$(date +%s)_$$"
      psql -q "$PG_ADMIN_URL" -c "CREATE DATABASE $PG_DB" >/dev/null
      DB_URL="${PG_ADMIN_URL%/*}/$PG_DB"
      measure_engine
      psql -q "$PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null
      PG_DB=""
      ;;
    *) die "unknown engine $ENGINE" ;;
  esac
done

report() {
  echo "## bench-activites-list — Mes activités at $N activities of one mediator — $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "- machine: $NPROC CPU(s), $MODEL ($(uname -sr)); wrk, the server and the databases on the same machine;" \
    "load average before the run: $LOAD_BEFORE"
  echo "- data: \`coop demo --activites $N --mediateur $EMAIL\` (scale generator) on a fresh database;" \
    "API pages of $PAGE with their total; deep page = the cursor followed $DEPTH pages (offset $((DEPTH * PAGE)))"
  echo "- API: wrk, 1 connection, $DURATION per row, authenticated session; peer: the same page fetched with" \
    "LIMIT/OFFSET at the same depth in plain SQL (no total, no tags/beneficiaries), SQLite: sqlite3 CLI mean of" \
    "$REPS runs in one process (its start-up, timed apart, subtracted), PostgreSQL: pgbench 1 connection, $DURATION"
  local e
  for e in $ENGINES; do
    echo "- $e: generation ${GEN[$e]}; cursor walk ${WALK[$e]}; EXPLAIN (first and cursor page read activites_mediateur_date or _deleted in order, no sort): ${EXPLAIN_OK[$e]}; total: ${COUNT_PLAN[$e]}"
  done
  echo
  echo "| engine | page | API req/s | API p50 | API p99 | SQL LIMIT/OFFSET p50 | SQL p99 | API p50 ÷ SQL |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|"
  local c k
  for e in $ENGINES; do
    for c in "${CASES[@]}"; do
      k="$e,$c"
      printf '| %s | %s | %.0f | %.2f ms | %.2f ms | %s ms%s | %s | %s |\n' "$([[ $e == sqlite ]] && echo SQLite || echo PostgreSQL)" \
        "$c" "${RPS[$k]}" "${P50[$k]}" "${P99[$k]}" "${SQLP50[$k]}" "$([[ $e == sqlite ]] && echo ' (mean)')" \
        "$([[ ${SQLP99[$k]} == - ]] && echo - || echo "${SQLP99[$k]} ms")" \
        "$(awk -v a="${P50[$k]}" -v b="${SQLP50[$k]}" 'BEGIN { printf "%.2f", a / b }')"
    done
  done
  echo
  echo "Checks:"
  for e in $ENGINES; do for c in "${CASES[@]}"; do echo "- $e $c: ${CHECK[$e,$c]}"; done; done
}

echo >&2
REPORT="$(report)"
echo "$REPORT"
if [[ -n "${BENCH_OUT:-}" ]]; then
  mkdir -p "$(dirname "$BENCH_OUT")"
  echo "$REPORT" >"$BENCH_OUT"
  log "report written to $BENCH_OUT"
fi
grep -q 'MISMATCH' <<<"$REPORT" && die "a page differs from its SQL peer (see Checks)"
for e in $ENGINES; do [[ "${EXPLAIN_OK[$e]}" == OK ]] || die "$e: the list queries do not read an index in order (see EXPLAIN above)"; done
exit 0
