#!/usr/bin/env bash
# Ressources search benchmark (issue 11 point 8): BENCH_SEARCH_N resources generated with the
# server's own store and index functions (build/coop_bench_search generer), on SQLite and
# PostgreSQL, kept between runs; then GET /api/ressources p50/p95 through a running coop serve and
# the naive LIKE '%…%' baseline directly in SQL (coop_bench_search naif), same queries
# (bench/search/requetes.tsv). Markdown report on stdout. See bench/README.md « Ressources search ».
#
# Environment: BENCH_SEARCH_N (100000), BENCH_SEARCH_REPS (20), BENCH_SEARCH_NAIVE_REPS (2),
# BENCH_SEARCH_ENGINES ("sqlite postgres"), BENCH_SEARCH_CACHE (build/bench-search),
# BENCH_PORT (18931), BENCH_OUT, COOP_BIN, COOP_PG_URL (default: scripts/pg-test.sh start).
set -euo pipefail
export LC_ALL=C.UTF-8
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
COOP_BIN="${COOP_BIN:-build/coop}"
TOOL="${BENCH_SEARCH_TOOL:-build/coop_bench_search}"
N="${BENCH_SEARCH_N:-100000}"
REPS="${BENCH_SEARCH_REPS:-20}"
NREPS="${BENCH_SEARCH_NAIVE_REPS:-2}"
ENGINES="${BENCH_SEARCH_ENGINES:-sqlite postgres}"
CACHE="${BENCH_SEARCH_CACHE:-build/bench-search}"
PORT="${BENCH_PORT:-18931}"
REF_DIR="${COOP_REFERENTIEL_DIR:-web/node_modules/@etalab/decoupage-administratif/data}"
REQ=bench/search/requetes.tsv
log() { echo "bench-search: $*" >&2; }
die() { log "$*"; exit 1; }
for f in "$COOP_BIN" "$TOOL"; do [[ -x "$f" ]] || die "$f not found: make bench-search builds it"; done
export COOP_FAST_PASSWORD_HASH=1
TMP="$(mktemp -d "${TMPDIR:-/tmp}/coop-bench-search.XXXXXX")"
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
  COOP_LOG_LEVEL=warn "$COOP_BIN" serve --database "$1" --address 127.0.0.1 --port "$PORT" --referentiel-dir "$REF_DIR" ${2:-} >"$TMP/serve.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 600); do
    curl -fsS -o /dev/null "http://127.0.0.1:$PORT/api/health" 2>/dev/null && return 0
    kill -0 "$PID" 2>/dev/null || { tail -20 "$TMP/serve.log" >&2; die "server exited"; }
    sleep 0.2
  done
  die "server did not answer"
}
LOAD="$(uptime)"
mkdir -p "$CACHE"
: >"$TMP/res.jsonl"
for engine in $ENGINES; do
  if [[ "$engine" == sqlite ]]; then
    FILE="$CACHE/ressources-$N.db"; URL="sqlite:$FILE"
    have="$(sqlite3 "$FILE" "SELECT count(*) FROM ressources" 2>/dev/null || echo 0)"
  else
    PG_ADMIN_URL="${COOP_PG_URL:-$(bash scripts/pg-test.sh start)}"
    PGDB="coop_bench_search_$N"; URL="${PG_ADMIN_URL%/*}/$PGDB"
    have="$(psql -qtA "$URL" -c "SELECT count(*) FROM ressources" 2>/dev/null || echo 0)"
  fi
  if [[ "$have" -lt "$N" ]]; then
    log "dataset ($engine): $N resources…"
    t0=$(date +%s)
    if [[ "$engine" == sqlite ]]; then rm -f "$FILE" "$FILE-wal" "$FILE-shm"
    else psql -q "$PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" -c "CREATE DATABASE $PGDB" >/dev/null; fi
    serve "$URL" --demo; stop   # demo users (the admin who searches), then the resources
    "$TOOL" generer "$URL" "$N" 1
    if [[ "$engine" == sqlite ]]; then sqlite3 "$FILE" "ANALYZE"; else psql -q "$URL" -c "VACUUM ANALYZE" >/dev/null; fi
    echo "$(($(date +%s) - t0))" >"$CACHE/ressources-$N-$engine.duree"
  fi
  log "$engine: HTTP ($REPS requests per query)…"
  serve "$URL"
  curl -fsS -c "$TMP/jar" -o /dev/null "http://127.0.0.1:$PORT/api/health"
  CSRF="$(awk '$6 == "coop_csrf" { print $7 }' "$TMP/jar")"
  curl -fsS -b "$TMP/jar" -c "$TMP/jar" -o /dev/null -H "Content-Type: application/json" -H "X-CSRF-Token: $CSRF" \
    -d '{"email":"admin@coop.example","password":"coop-demo-2026!"}' "http://127.0.0.1:$PORT/api/auth/login"
  COOKIE="$(awk '$6 ~ /^coop_/ { printf "%s=%s; ", $6, $7 }' "$TMP/jar")"
  node bench/search/http.mjs "http://127.0.0.1:$PORT" "$COOKIE" "$REQ" "$REPS" | sed "s/^{/{\"moteur\":\"$engine\",\"mode\":\"coop\",/" >>"$TMP/res.jsonl"
  stop
  log "$engine: naive LIKE baseline ($NREPS per query)…"
  "$TOOL" naif "$URL" "$REQ" "$NREPS" | sed "s/^{/{\"moteur\":\"$engine\",\"mode\":\"naif\",/" >>"$TMP/res.jsonl"
done
node bench/search/report.mjs "$TMP/res.jsonl" "$N" "$LOAD" "$REPS" "$NREPS" >"$TMP/report.md"
cat "$TMP/report.md"
[[ -z "${BENCH_OUT:-}" ]] || cp "$TMP/report.md" "$BENCH_OUT"
