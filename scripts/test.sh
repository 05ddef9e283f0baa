#!/usr/bin/env bash
# Every test of Coop: C++ unit and storage tests (SQLite + a real PostgreSQL 15 started here),
# API/OpenAPI tests, HTTP + WebSocket integration tests on both engines, browser tests in
# Debian's Chromium. Prints one summary line "tests: N passed, M failed" at the end and exits
# non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD_DIR=${BUILD_DIR:-build}
export COOP_BIN="$ROOT/$BUILD_DIR/coop"
export COOP_REFERENTIEL_DIR="$ROOT/web/node_modules/@etalab/decoupage-administratif/data"
export COOP_FAST_PASSWORD_HASH=1   # Argon2id at libsodium's minimum cost: tests log in a lot
LOGDIR=$(mktemp -d /tmp/coop-test-XXXXXX)
passed=0
failed=0
failures=()

count_gtest() {  # $1 = log file
  local p f
  p=$(grep -E '^\[  PASSED  \] [0-9]+ test' "$1" | tail -1 | grep -oE '[0-9]+' | head -1)
  f=$(grep -E '^\[  FAILED  \] [0-9]+ test' "$1" | tail -1 | grep -oE '[0-9]+' | head -1)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
}
count_node() {  # $1 = log file (node --test, spec or tap reporter)
  local p f
  p=$(grep -E '^(# |ℹ )pass [0-9]+' "$1" | tail -1 | grep -oE '[0-9]+')
  f=$(grep -E '^(# |ℹ )fail [0-9]+' "$1" | tail -1 | grep -oE '[0-9]+')
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
}
step() {  # $1 = name, $2 = kind (gtest|node), rest = command
  local name=$1 kind=$2
  shift 2
  echo "=== $name"
  local log="$LOGDIR/${name// /_}.log"
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  "count_$kind" "$log"
  if [ "$rc" -ne 0 ]; then
    failures+=("$name (exit $rc)")
    # A suite that crashed before reporting still counts as a failure.
    grep -qE '(FAILED|fail [1-9])' "$log" || failed=$((failed + 1))
  fi
}

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

# PostgreSQL 15, our own cluster, stopped at the end.
PG_URL=$(bash scripts/pg-test.sh start) || { echo "could not start PostgreSQL"; exit 1; }
trap 'bash scripts/pg-test.sh stop >/dev/null 2>&1 || true' EXIT
export COOP_TEST_PG_URL="$PG_URL"

step "cpp unit and storage" gtest "$BUILD_DIR/coop_tests"

# One server with demo data and the built front end, for the API document and browser tests.
SERVE_DIR=$(mktemp -d /tmp/coop-serve-XXXXXX)
PORT=$(free_port)
"$COOP_BIN" serve --database "sqlite:$SERVE_DIR/coop.db" --port "$PORT" --demo --static-dir web/dist \
  --public-url "http://127.0.0.1:$PORT" --log-level warn >"$LOGDIR/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$PORT/api/health" >/dev/null 2>&1 && break
  sleep 0.1
done
export COOP_BASE_URL="http://127.0.0.1:$PORT"
export COOP_E2E_DATABASE="sqlite:$SERVE_DIR/coop.db"   # browser tests read the outbox next to the server
COOP_ADMIN_EMAIL=admin@coop.example COOP_ADMIN_PASSWORD='coop-demo-2026!' step "api document" node node --test tests/api/
step "browser" node bash -c "cd web && npm run --silent test:e2e"
kill -TERM "$SERVER_PID"
wait "$SERVER_PID"
rc=$?
if [ "$rc" -ne 0 ]; then failures+=("server exit code $rc after SIGTERM"); failed=$((failed + 1)); fi
unset COOP_BASE_URL COOP_E2E_DATABASE

COOP_IT_ENGINE=sqlite step "integration sqlite" node node --test tests/integration/
COOP_IT_ENGINE=postgres step "integration postgres" node node --test tests/integration/

echo
if [ ${#failures[@]} -gt 0 ]; then
  echo "Failed suites:"
  printf ' - %s\n' "${failures[@]}"
  echo "Logs: $LOGDIR"
fi
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ ${#failures[@]} -eq 0 ]
