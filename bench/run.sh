#!/usr/bin/env bash
# HTTP throughput and latency of Coop, measured with wrk. One run compares:
#   GET /api/health                          (no session: routing, JSON, a database ping)
#   GET /api/me with a log-in session cookie (session lookup + user load, JSON)
# at server --threads 1 and --threads 2 (I/O threads; worker threads left at their default),
# against a demo SQLite database in a temporary directory. See bench/README.md.
#
#   bash bench/run.sh                        # needs build/coop and wrk
#   BENCH_DURATION=30s bash bench/run.sh     # longer runs (default 10s each, + 2s warm-up)
#
# Environment (all optional):
#   BENCH_DURATION        wrk duration per measurement              (10s)
#   BENCH_WARMUP          wrk warm-up before each measurement, 0 = none (2s)
#   BENCH_CONNECTIONS     wrk connections                            (64)
#   BENCH_WRK_THREADS     wrk threads                                (2)
#   BENCH_SERVER_THREADS  server --threads values to compare         ("1 2")
#   BENCH_WORKERS         server --workers (empty = server default)  ()
#   BENCH_LOG_LEVEL       server log level ("info" adds the per-request access log) (warn)
#   BENCH_PORT            first port to try                          (18765)
#   BENCH_OUT             also write the Markdown report to this file
#   COOP_BIN              server binary                              (build/coop)
#   COOP_REFERENTIEL_DIR  référentiel data; default: web/node_modules/... if present, else a
#                         tiny fixture (the endpoints measured don't use it)
set -euo pipefail
export LC_ALL=C

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

COOP_BIN="${COOP_BIN:-build/coop}"
DURATION="${BENCH_DURATION:-10s}"
WARMUP="${BENCH_WARMUP:-2s}"
CONNECTIONS="${BENCH_CONNECTIONS:-64}"
WRK_THREADS="${BENCH_WRK_THREADS:-2}"
SERVER_THREADS="${BENCH_SERVER_THREADS:-1 2}"
WORKERS="${BENCH_WORKERS:-}"
LOG_LEVEL="${BENCH_LOG_LEVEL:-warn}"
FIRST_PORT="${BENCH_PORT:-18765}"
EMAIL="admin@coop.example"
PASSWORD="coop-demo-2026!"
CRLF=$'\r\n'

die() { echo "bench: $*" >&2; exit 1; }

[[ -x "$COOP_BIN" ]] || die "$COOP_BIN not found: build it first (make build)"
command -v wrk >/dev/null || die "wrk not found (apt-get install wrk)"
command -v timeout >/dev/null || die "timeout (coreutils) not found"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/coop-bench.XXXXXX")"
SERVER_PID=""
PORT=""

stop_server() {
  [[ -n "$SERVER_PID" ]] || return 0
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 150); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}
cleanup() {
  stop_server
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- référentiel ------------------------------------------------------------------------------
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

# --- tiny HTTP client (bash /dev/tcp: no curl needed) -----------------------------------------
# http METHOD PATH BODY [HEADER...] → prints the raw response (headers + body).
http() {
  local method="$1" path="$2" body="$3"
  shift 3
  local req="$method $path HTTP/1.1${CRLF}Host: 127.0.0.1:$PORT${CRLF}Connection: close${CRLF}"
  local h
  for h in "$@"; do req+="$h$CRLF"; done
  req+="Content-Length: ${#body}${CRLF}${CRLF}${body}"
  exec 3<>"/dev/tcp/127.0.0.1/$PORT" || return 1
  printf '%s' "$req" >&3
  timeout 10 cat <&3 || true
  exec 3<&- 3>&-
}
status_of() { head -n1 | awk '{print $2}'; }
# cookie_of NAME < response → value of the Set-Cookie of NAME
cookie_of() { grep -i "^set-cookie: $1=" | head -n1 | sed -E "s/^[^:]*: $1=([^;]*).*/\\1/" | tr -d '\r'; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_server() {
  local threads="$1" p
  PORT=""
  for p in $(seq "$FIRST_PORT" $((FIRST_PORT + 200))); do
    if port_free "$p"; then PORT="$p"; break; fi
  done
  [[ -n "$PORT" ]] || die "no free port from $FIRST_PORT"
  local args=(serve --address 127.0.0.1 --port "$PORT" --threads "$threads" --demo --referentiel-dir "$REF_DIR")
  [[ -n "$WORKERS" ]] && args+=(--workers "$WORKERS")
  COOP_DATABASE_URL="sqlite:$TMP/db/coop.db" COOP_LOG_LEVEL="$LOG_LEVEL" COOP_FAST_PASSWORD_HASH=1 \
    "$COOP_BIN" "${args[@]}" >"$TMP/server-$threads.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      cat "$TMP/server-$threads.log" >&2
      die "the server exited during start-up"
    fi
    if ! port_free "$PORT" && [[ "$(http GET /api/health "" | status_of)" == 200 ]]; then return 0; fi
    sleep 0.1
  done
  cat "$TMP/server-$threads.log" >&2
  die "the server did not answer GET /api/health with 200 within 30 s"
}

# Logs in as the demo admin; sets CSRF and SESSION.
log_in() {
  local r
  r="$(http GET /api/health "")"
  CSRF="$(cookie_of coop_csrf <<<"$r")"
  [[ -n "$CSRF" ]] || die "GET /api/health set no coop_csrf cookie"
  r="$(http POST /api/auth/login "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" \
    "Content-Type: application/json" "Cookie: coop_csrf=$CSRF" "X-CSRF-Token: $CSRF")"
  [[ "$(status_of <<<"$r")" == 200 ]] || { echo "$r" >&2; die "log-in as $EMAIL failed"; }
  SESSION="$(cookie_of coop_session <<<"$r")"
  [[ -n "$SESSION" ]] || die "log-in set no coop_session cookie"
  r="$(http GET /api/me "" "Cookie: coop_csrf=$CSRF; coop_session=$SESSION")"
  [[ "$(status_of <<<"$r")" == 200 ]] || { echo "$r" >&2; die "GET /api/me with the session did not answer 200"; }
}

json_num() { sed -E "s/.*\"$2\":(-?[0-9.eE+]+).*/\\1/" <<<"$1"; }

declare -A RPS P50 P99 ERRS
ENDPOINTS=("health" "me")
declare -A LABEL=([health]="GET /api/health" [me]="GET /api/me (session)")
declare -A PATHS=([health]="/api/health" [me]="/api/me")

measure() {  # key threads cookie
  local key="$1" threads="$2" cookie="$3" url="http://127.0.0.1:$PORT${PATHS[$1]}" out json
  if [[ "$WARMUP" != "0" && "$WARMUP" != "0s" ]]; then
    wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$WARMUP" -H "Cookie: $cookie" "$url" >/dev/null
  fi
  out="$(wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/report.lua \
    -H "Cookie: $cookie" "$url")"
  json="$(grep '^BENCH_JSON ' <<<"$out" | sed 's/^BENCH_JSON //')"
  [[ -n "$json" ]] || { echo "$out" >&2; die "no result from wrk"; }
  RPS[$key,$threads]="$(json_num "$json" rps)"
  P50[$key,$threads]="$(json_num "$json" lat_p50_ms)"
  P99[$key,$threads]="$(json_num "$json" lat_p99_ms)"
  ERRS[$key,$threads]="$(awk -v a="$(json_num "$json" err_status)" -v b="$(json_num "$json" err_connect)" \
    -v c="$(json_num "$json" err_read)" -v d="$(json_num "$json" err_write)" -v e="$(json_num "$json" err_timeout)" \
    'BEGIN { print a + b + c + d + e }')"
  printf '  %-24s threads=%s  %10.0f req/s  p50 %7.2f ms  p99 %7.2f ms  errors %s\n' "${LABEL[$key]}" "$threads" \
    "${RPS[$key,$threads]}" "${P50[$key,$threads]}" "${P99[$key,$threads]}" "${ERRS[$key,$threads]}" >&2
}

MODEL="$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //' || true)"
[[ -n "$MODEL" ]] || MODEL="$(uname -m)"
NPROC="$(nproc)"
VERSION="$("$COOP_BIN" --version 2>/dev/null | head -n1 || echo coop)"
WRK_VERSION="$( (wrk -v 2>&1 || true) | head -n1 | awk '{print $2}')"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"

echo "bench: $VERSION on $NPROC × $MODEL; wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION (warm-up $WARMUP)" >&2
mkdir -p "$TMP/db"
for t in $SERVER_THREADS; do
  start_server "$t"
  log_in
  measure health "$t" "coop_csrf=$CSRF"
  measure me "$t" "coop_csrf=$CSRF; coop_session=$SESSION"
  stop_server
done

# --- report -----------------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
read -r -a TLIST <<<"$SERVER_THREADS"
FIRST_T="${TLIST[0]}"

report() {
  echo "## Coop HTTP benchmark — $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "- machine: $NPROC CPU(s), $MODEL ($(uname -sr)); wrk runs on the same machine;" \
    "load average before the run: $LOAD_BEFORE (other work running skews the figures)"
  echo "- server: $VERSION, SQLite (demo data), workers: ${WORKERS:-default}, log level: $LOG_LEVEL"
  echo "- load: wrk $WRK_VERSION, $WRK_THREADS threads, $CONNECTIONS connections, $DURATION per row (after a $WARMUP warm-up), keep-alive"
  echo
  echo "| endpoint | server threads | req/s | p50 | p99 | vs ${FIRST_T} thread(s) | errors |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  local k t
  for k in "${ENDPOINTS[@]}"; do
    for t in "${TLIST[@]}"; do
      local r="-"
      [[ "$t" != "$FIRST_T" ]] && r="×$(ratio "${RPS[$k,$t]}" "${RPS[$k,$FIRST_T]}")"
      printf '| %s | %s | %.0f | %.2f ms | %.2f ms | %s | %s |\n' "${LABEL[$k]}" "$t" "${RPS[$k,$t]}" \
        "${P50[$k,$t]}" "${P99[$k,$t]}" "$r" "${ERRS[$k,$t]}"
    done
  done
  echo
  for t in "${TLIST[@]}"; do
    local pct dp50
    pct="$(awk -v a="${RPS[me,$t]}" -v b="${RPS[health,$t]}" 'BEGIN { if (b > 0) printf "%.0f", 100 * a / b; else print "-" }')"
    dp50="$(awk -v a="${P50[me,$t]}" -v b="${P50[health,$t]}" 'BEGIN { printf "%+.2f", a - b }')"
    echo "- authenticated GET /api/me vs GET /api/health at $t server thread(s): ${pct}% of the throughput," \
      "p50 ${dp50} ms"
  done
  local total=0
  for k in "${ENDPOINTS[@]}"; do for t in "${TLIST[@]}"; do total=$((total + ${ERRS[$k,$t]%.*})); done; done
  if [[ "$total" -gt 0 ]]; then
    echo
    echo "**Warning:** $total requests failed (non-2xx/3xx status or socket errors): the figures above are not valid."
  fi
}

echo >&2
REPORT="$(report)"
echo "$REPORT"
if [[ -n "${BENCH_OUT:-}" ]]; then
  mkdir -p "$(dirname "$BENCH_OUT")"
  echo "$REPORT" >"$BENCH_OUT"
  echo "bench: report written to $BENCH_OUT" >&2
fi
