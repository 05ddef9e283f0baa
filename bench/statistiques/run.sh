#!/usr/bin/env bash
# Statistics dashboards at scale (issue 4 point 7): on one generated dataset per size (`coop demo
# --activites N`, in PostgreSQL 15), in the same run:
#   - Coop: the full dashboard payload through the HTTP API (GET /api/statistiques, every figure),
#     p50/p95 over repeated requests, answered by the in-memory engine of a `coop serve` on that
#     database, for national (last 12 months), the busiest département, the largest team and the
#     busiest mediator, each with and without two extra filters (type + thématique);
#   - PostgreSQL: the same figures computed by plain SQL (src/features/statistiques/reference.cpp:
#     one GROUP BY / SUM(CASE …) query per figure, as a conventional implementation does at request
#     time, on the schema's indexes), p50/p95 over repeated runs;
#   - the ratio, the engine's bytes per activity and build time, and the generator's rows/s.
# Each scenario is also checked: engine and SQL give the same dashboard, and the HTTP answer
# counts the same activities.
#
#   bash bench/statistiques/run.sh                          # 1,000,000 activities
#   BENCH_STATS_SIZES="1000000 10000000" bash bench/statistiques/run.sh
#
# Environment (all optional):
#   BENCH_STATS_SIZES            dataset sizes                                   ("1000000")
#   BENCH_STATS_SQL_REPETITIONS  SQL runs per scenario (after one warm-up)      (5)
#   BENCH_STATS_HTTP_REPETITIONS HTTP requests per scenario (after two warm-ups) (30)
#   BENCH_PORT                   port of the server                             (18871)
#   BENCH_OUT                    also write the Markdown report to this file
#   COOP_BIN                     server binary                                  (build/coop)
#   COOP_PG_URL                  PostgreSQL server URL; default: `bash scripts/pg-test.sh start` (left
#                                running). Datasets stay in databases coop_bench_stats_<N> and are
#                                reused by the next run (drop them to regenerate).
set -euo pipefail
export LC_ALL=C

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
COOP_BIN="${COOP_BIN:-build/coop}"
SIZES="${BENCH_STATS_SIZES:-1000000}"
SQL_REPS="${BENCH_STATS_SQL_REPETITIONS:-5}"
HTTP_REPS="${BENCH_STATS_HTTP_REPETITIONS:-30}"
PORT="${BENCH_PORT:-18871}"
export COOP_REFERENTIEL_DIR="${COOP_REFERENTIEL_DIR:-$ROOT/web/node_modules/@etalab/decoupage-administratif/data}"

die() { echo "bench-statistiques: $*" >&2; exit 1; }
log() { echo "bench-statistiques: $*" >&2; }
[[ -x "$COOP_BIN" ]] || die "$COOP_BIN not found: build it first (make build)"
for c in psql node curl; do command -v "$c" >/dev/null || die "$c not found"; done

TMP="$(mktemp -d "${TMPDIR:-/tmp}/coop-bench-stats.XXXXXX")"
SERVER_PID=""
stop_server() {
  [[ -n "$SERVER_PID" ]] || return 0
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}
trap 'stop_server; rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

PG_ADMIN_URL="${COOP_PG_URL:-$(bash scripts/pg-test.sh start)}"
REPORT="$TMP/report.md"
{
  echo "## Statistics dashboards (bench/statistiques/run.sh, $(date -u +%F))"
  echo
  echo "- machine: $(nproc) CPU, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- Coop: \`coop serve\` on the PostgreSQL database (engine built from it at start), full dashboard JSON read to the end, $HTTP_REPS requests per scenario, one at a time"
  echo "- PostgreSQL 15: the SQL reference (one GROUP BY / SUM(CASE …) query per figure) in one read transaction, $SQL_REPS runs per scenario"
  echo
} >"$REPORT"

for N in $SIZES; do
  [[ "$N" =~ ^[0-9]+$ ]] || die "bad size $N"
  DB="coop_bench_stats_$N"
  URL="${PG_ADMIN_URL%/*}/$DB"
  have="$(psql -qtA "$URL" -c "SELECT count(*) FROM activites" 2>/dev/null || echo 0)"
  GEN_LINE="dataset reused (database $DB)"
  if [[ "$have" -lt "$N" ]]; then
    log "generating $N activities into $DB…"
    psql -q "$PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
    psql -q "$PG_ADMIN_URL" -c "CREATE DATABASE $DB" >/dev/null
    COOP_FAST_PASSWORD_HASH=1 "$COOP_BIN" demo --database "$URL" --activites "$N" --seed 1 --log-level warn \
      >"$TMP/gen-$N.txt" 2>/dev/null || die "generation failed: $(tail -3 "$TMP/gen-$N.txt")"
    GEN_LINE="$(grep -E '^(Générées|Durée)' "$TMP/gen-$N.txt" | tr '\n' ' ')"
    psql -q "$URL" -c "VACUUM ANALYZE" >/dev/null
  fi
  log "$N: engine and SQL reference…"
  set +e
  "$COOP_BIN" bench-statistiques --database "$URL" --repetitions "$SQL_REPS" --log-level warn >"$TMP/engine-$N.jsonl"
  rc=$?
  set -e
  [[ -s "$TMP/engine-$N.jsonl" ]] || die "coop bench-statistiques printed nothing (exit $rc)"

  log "$N: HTTP…"
  "$COOP_BIN" serve --database "$URL" --port "$PORT" --log-level warn >"$TMP/server-$N.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 1200); do
    curl -fsS "http://127.0.0.1:$PORT/api/health" >/dev/null 2>&1 && break
    kill -0 "$SERVER_PID" 2>/dev/null || die "server exited: $(tail -5 "$TMP/server-$N.log")"
    sleep 0.25
  done
  node bench/statistiques/http.mjs "http://127.0.0.1:$PORT" "$HTTP_REPS" <"$TMP/engine-$N.jsonl" >"$TMP/http-$N.jsonl"
  stop_server

  node - "$TMP/engine-$N.jsonl" "$TMP/http-$N.jsonl" "$N" "$GEN_LINE" "$rc" >>"$REPORT" <<'JS'
const fs = require('fs');
const [engineFile, httpFile, n, genLine, rc] = process.argv.slice(2);
const read = (f) => fs.readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const eng = read(engineFile);
const http = new Map(read(httpFile).map((h) => [h.nom, h]));
const e = eng.find((l) => l.kind === 'engine');
const f = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const nf = (x) => Math.round(x).toLocaleString('fr-FR').replace(/\u202f/g, ' ');
console.log(`### ${nf(Number(n))} activities\n`);
console.log(`- generator: ${genLine}`);
console.log(`- engine: ${nf(e.activites)} live activities, ${e.octets_par_activite.toFixed(1)} bytes per activity (${(e.octets / 1048576).toFixed(0)} MiB), built in ${(e.construction_ms / 1000).toFixed(1)} s\n`);
console.log('| scenario | activities | payload | Coop HTTP p50 | Coop HTTP p95 | PostgreSQL SQL p50 | PostgreSQL SQL p95 | p95 ratio | same figures |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---|');
const checks = [];
for (const s of eng.filter((l) => l.kind === 'scenario')) {
  const h = http.get(s.nom);
  const ratio = h ? s.sql_p95_ms / h.http_p95_ms : NaN;
  const same = s.identiques && h && h.activites_http === s.activites;
  if (!same) checks.push(s.nom);
  console.log(`| ${s.nom} | ${nf(s.activites)} | ${h ? (h.octets / 1024).toFixed(0) + ' KiB' : '–'} | ${h ? f(h.http_p50_ms) : '–'} ms | ${h ? f(h.http_p95_ms) : '–'} ms | ${f(s.sql_p50_ms)} ms | ${f(s.sql_p95_ms)} ms | ${ratio.toFixed(1)}× | ${same ? 'yes' : '**NO**'} |`);
}
const nat = eng.find((l) => l.kind === 'scenario' && l.nom.startsWith('National') && !l.nom.includes('filtres'));
const hn = nat && http.get(nat.nom);
console.log('');
console.log(`Targets (issue 4, 2 cores, 10 M activities): national p95 < 50 ms → ${hn ? f(hn.http_p95_ms) : '–'} ms; ≥ 20× faster than PostgreSQL → ${hn ? (nat.sql_p95_ms / hn.http_p95_ms).toFixed(1) : '–'}×; ≤ 48 bytes per activity → ${e.octets_par_activite.toFixed(1)}; build ≤ 20 s → ${(e.construction_ms / 1000).toFixed(1)} s.`);
if (checks.length || rc !== '0') console.log(`\n**Check failed** (engine ≠ SQL or HTTP ≠ engine): ${checks.join(', ')} (exit ${rc})`);
console.log('');
JS
done

cat "$REPORT"
[[ -n "${BENCH_OUT:-}" ]] && cp "$REPORT" "$BENCH_OUT"
if grep -q "Check failed" "$REPORT"; then exit 1; fi
