#!/usr/bin/env bash
# Chat benchmark (issue 10 point 9), in one run:
#   1. Coop: `coop serve` (SQLite) holding BENCH_CHAT_USERS WebSockets on /ws, one per user with its
#      own log-in session, BENCH_CHAT_MEMBERS of them in one thematic channel; posts into it through
#      POST /api/discussion/canaux/2/messages at increasing rates until saturation. The load client
#      (bench/chat/client.cpp, C++ on epoll) reads only each frame's cree_le_us: delivery latency
#      p50/p99 (post → member), the slowest member per post, deliveries/s, server CPU, memory per
#      idle connection (RSS before/after opening the idle connections).
#   2. The peer: the same scenario, same client, against bench/chat/peer/server.mjs (Node.js + ws).
#   3. Search: GET /api/discussion/recherche p50/p95 at BENCH_CHAT_MESSAGES messages, SQLite and
#      PostgreSQL (generated with the server's markdown and index functions, bulk loaded).
# Markdown report on stdout (progress on stderr). See bench/README.md « Chat benchmark ».
#
#   make bench-chat                          # builds what it needs, then this script
#   BENCH_CHAT_STEP=3 BENCH_CHAT_RATES=1,10 BENCH_CHAT_PARTS=chat bash bench/chat/run.sh   # short
#
# Environment (all optional):
#   BENCH_CHAT_PARTS      parts to run: chat (Coop + peer) and/or recherche  ("chat recherche")
#   BENCH_CHAT_USERS      WebSocket connections = users                      (10000)
#   BENCH_CHAT_MEMBERS    of them, members of the channel posted to          (2538)
#   BENCH_CHAT_RATES      posts per second, in order, until saturation       (1,5,10,20,50,100,200,500,1000)
#   BENCH_CHAT_STEP       seconds per rate                                   (10)
#   BENCH_CHAT_POSTERS    keep-alive HTTP connections posting                (16)
#   BENCH_CHAT_THREADS    coop serve --threads (I/O threads)                 (2)
#   BENCH_CHAT_MESSAGES   messages of the search benchmark                   (1000000)
#   BENCH_CHAT_SEARCH_REPS requests per search query (after one warm-up)     (20)
#   BENCH_CHAT_CACHE      where the SQLite search dataset is kept between runs (build/bench-chat)
#   BENCH_PORT            first port (Coop; peer +1; search +2)              (18901)
#   BENCH_OUT             also write the Markdown report to this file
#   BENCH_CHAT_ENGINES    engines of the search part: sqlite and/or postgres ("sqlite postgres")
#   COOP_BIN              server binary                                      (build/coop)
#   COOP_PG_URL           PostgreSQL server URL; default: `bash scripts/pg-test.sh start`. The
#                         search dataset stays in database coop_bench_chat_<N> (drop it to regenerate).
set -euo pipefail
export LC_ALL=C.UTF-8

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
COOP_BIN="${COOP_BIN:-build/coop}"
CLIENT="${BENCH_CHAT_CLIENT:-build/coop_bench_chat}"
GEN="${BENCH_CHAT_GENERATOR:-build/coop_bench_chat_messages}"
PARTS="${BENCH_CHAT_PARTS:-chat recherche}"
ENGINES="${BENCH_CHAT_ENGINES:-sqlite postgres}"
USERS="${BENCH_CHAT_USERS:-10000}"
MEMBERS="${BENCH_CHAT_MEMBERS:-2538}"
RATES="${BENCH_CHAT_RATES:-1,5,10,20,50,100,200,500,1000}"
STEP="${BENCH_CHAT_STEP:-10}"
POSTERS="${BENCH_CHAT_POSTERS:-16}"
THREADS="${BENCH_CHAT_THREADS:-2}"
MESSAGES="${BENCH_CHAT_MESSAGES:-1000000}"
SEARCH_REPS="${BENCH_CHAT_SEARCH_REPS:-20}"
CACHE="${BENCH_CHAT_CACHE:-build/bench-chat}"
PORT="${BENCH_PORT:-18901}"
REF_DIR="${COOP_REFERENTIEL_DIR:-web/node_modules/@etalab/decoupage-administratif/data}"

die() { echo "bench-chat: $*" >&2; exit 1; }
log() { echo "bench-chat: $*" >&2; }
for f in "$COOP_BIN" "$CLIENT" "$GEN"; do
  [[ -x "$f" ]] || die "$f not found: make bench-chat builds it (ninja -C build coop coop_bench_chat coop_bench_chat_messages)"
done
for c in node sqlite3 curl; do command -v "$c" >/dev/null || die "$c not found"; done
[[ -f "$REF_DIR/communes.json" ]] || die "référentiel data not found in $REF_DIR (cd web && npm ci)"

# 10,000 sockets in the client and as many in the server (separate processes, each its own
# limit): raise the soft limit to the hard one; both programs inherit it.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
NOFILE="$(ulimit -n)"
[[ "$NOFILE" == unlimited || "$NOFILE" -ge $((USERS + 200)) ]] ||
  die "ulimit -n is $NOFILE: at least $((USERS + 200)) file descriptors are needed (raise the hard limit, e.g. LimitNOFILE)"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/coop-bench-chat.XXXXXX")"
PID=""
stop() {
  [[ -n "$PID" ]] || return 0
  kill -TERM "$PID" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$PID" 2>/dev/null || true
  wait "$PID" 2>/dev/null || true
  PID=""
}
trap 'stop; rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

wait_http() {  # URL LOG
  for _ in $(seq 1 600); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    kill -0 "$PID" 2>/dev/null || { tail -20 "$2" >&2; die "the server exited during start-up"; }
    sleep 0.2
  done
  die "no answer from $1 within 120 s"
}

start_coop() {  # DATABASE_URL PORT LOG
  COOP_LOG_LEVEL=warn "$COOP_BIN" serve --database "$1" --address 127.0.0.1 --port "$2" --threads "$THREADS" \
    --referentiel-dir "$REF_DIR" >"$3" 2>&1 &
  PID=$!
  wait_http "http://127.0.0.1:$2/api/health" "$3"
}

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
CLIENT_ARGS=(--tokens "$TMP/tokens.txt" --post-path /api/discussion/canaux/2/messages --sujet 1 --rates "$RATES"
  --step "$STEP" --posters "$POSTERS")

if [[ " $PARTS " == *" chat "* ]]; then
  [[ -d bench/chat/peer/node_modules/ws ]] || (cd bench/chat/peer && npm ci --silent --no-audit --no-fund) >&2
  log "dataset: $USERS users and sessions, $MEMBERS members of the channel (SQLite)…"
  DB="$TMP/chat.db"
  "$COOP_BIN" migrate --database "sqlite:$DB" --log-level warn >/dev/null
  node bench/chat/donnees.mjs chat sqlite "$USERS" "$MEMBERS" "$TMP/tokens.txt" >"$TMP/chat.sql"
  sqlite3 "$DB" <"$TMP/chat.sql"

  log "Coop: $USERS WebSockets, posts at $RATES per second, $STEP s each…"
  start_coop "sqlite:$DB" "$PORT" "$TMP/coop.log"
  # The stream starts at the seq of GET /api/discussion/etat, as the web client does.
  SEQ="$(curl -fsS -H "Cookie: coop_session=$(awk '$3 == 1 { print $2; exit }' "$TMP/tokens.txt")" \
    "http://127.0.0.1:$PORT/api/discussion/etat" | sed -E 's/.*"seq":([0-9]+).*/\1/')"
  [[ "$SEQ" =~ ^[0-9]+$ ]] || die "GET /api/discussion/etat gave no seq"
  "$CLIENT" --port "$PORT" --pid "$PID" --depuis "$SEQ" "${CLIENT_ARGS[@]}" >"$TMP/coop.jsonl"
  grep -c "outgoing queue full" "$TMP/coop.log" >"$TMP/coop.dropped" || true
  stop

  log "peer (Node.js $(node --version), ws $(node -p "require('./bench/chat/peer/node_modules/ws/package.json').version")): the same…"
  node bench/chat/peer/server.mjs --port "$((PORT + 1))" --tokens "$TMP/tokens.txt" --canal 2 >"$TMP/peer.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 100); do grep -q "peer listening" "$TMP/peer.log" && break; sleep 0.1; done
  grep -q "peer listening" "$TMP/peer.log" || { cat "$TMP/peer.log" >&2; die "the peer did not start"; }
  "$CLIENT" --port "$((PORT + 1))" --pid "$PID" "${CLIENT_ARGS[@]}" >"$TMP/peer.jsonl"
  stop
fi

if [[ " $PARTS " == *" recherche "* ]]; then
  mkdir -p "$CACHE"
  PG_ADMIN_URL="${COOP_PG_URL:-$(bash scripts/pg-test.sh start)}"
  CANAUX=51
  SUJETS=50
  for engine in $ENGINES; do
    if [[ "$engine" == sqlite ]]; then
      FILE="$CACHE/recherche-$MESSAGES.db"
      URL="sqlite:$FILE"
      have="$(sqlite3 "$FILE" "SELECT count(*) FROM discussion_messages" 2>/dev/null || echo 0)"
    else
      PGDB="coop_bench_chat_$MESSAGES"
      URL="${PG_ADMIN_URL%/*}/$PGDB"
      have="$(psql -qtA "$URL" -c "SELECT count(*) FROM discussion_messages" 2>/dev/null || echo 0)"
    fi
    TOKENS="$CACHE/recherche-$MESSAGES-$engine.tokens"
    if [[ "$have" -lt "$MESSAGES" || ! -s "$TOKENS" ]]; then
      log "search dataset ($engine): $MESSAGES messages in $CANAUX channels…"
      t0=$(date +%s)
      [[ -s "$TMP/messages.csv" ]] || "$GEN" "$MESSAGES" "$CANAUX" "$SUJETS" "$USERS" 1 >"$TMP/messages.csv"
      if [[ "$engine" == sqlite ]]; then
        rm -f "$FILE" "$FILE-wal" "$FILE-shm"
        "$COOP_BIN" migrate --database "$URL" --log-level warn >/dev/null
        node bench/chat/donnees.mjs recherche sqlite "$USERS" "$CANAUX" "$SUJETS" "$TOKENS" | sqlite3 "$FILE"
        sqlite3 "$FILE" <<SQL
CREATE TABLE bench_m (id INTEGER, canal_id INTEGER, sujet_id INTEGER, auteur_id INTEGER, texte TEXT, html TEXT, cree_le TEXT, idx TEXT);
.import --csv $TMP/messages.csv bench_m
BEGIN;
INSERT INTO discussion_messages (id, canal_id, sujet_id, auteur_id, texte, html, liens, cree_le)
  SELECT id, canal_id, sujet_id, auteur_id, texte, html, '', cree_le FROM bench_m;
INSERT INTO discussion_recherche (rowid, contenu) SELECT id, idx FROM bench_m;
DROP TABLE bench_m;
COMMIT;
ANALYZE;
SQL
      else
        psql -q "$PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" -c "CREATE DATABASE $PGDB" >/dev/null
        "$COOP_BIN" migrate --database "$URL" --log-level warn >/dev/null
        node bench/chat/donnees.mjs recherche postgres "$USERS" "$CANAUX" "$SUJETS" "$TOKENS" | psql -q -v ON_ERROR_STOP=1 "$URL" >/dev/null
        psql -q -v ON_ERROR_STOP=1 "$URL" >/dev/null <<SQL
CREATE TEMP TABLE m (id BIGINT, canal_id BIGINT, sujet_id BIGINT, auteur_id BIGINT, texte TEXT, html TEXT, cree_le TEXT, idx TEXT);
\\copy m FROM '$TMP/messages.csv' WITH (FORMAT csv)
DROP INDEX discussion_messages_recherche;
INSERT INTO discussion_messages (id, canal_id, sujet_id, auteur_id, texte, html, liens, cree_le, recherche)
  SELECT id, canal_id, sujet_id, auteur_id, texte, html, '', cree_le, to_tsvector('simple', idx) FROM m;
CREATE INDEX discussion_messages_recherche ON discussion_messages USING GIN (recherche);
SELECT setval(pg_get_serial_sequence('discussion_messages', 'id'), (SELECT MAX(id) FROM discussion_messages));
VACUUM ANALYZE;
SQL
      fi
      echo "$(($(date +%s) - t0))" >"$CACHE/recherche-$MESSAGES-$engine.duree"
    fi
    GEN_S="$(cat "$CACHE/recherche-$MESSAGES-$engine.duree" 2>/dev/null || echo '?')"
    log "search ($engine): $SEARCH_REPS requests per query…"
    start_coop "$URL" "$((PORT + 2))" "$TMP/recherche-$engine.log"
    # User 1: member of Général, one département and three thematic channels.
    node bench/chat/recherche.mjs "http://127.0.0.1:$((PORT + 2))" "$(awk '$1 == 1 { print $2 }' "$TOKENS")" "$SEARCH_REPS" |
      node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);j.moteur=process.argv[1];j.messages=+process.argv[2];j.generation_s=process.argv[3];console.log(JSON.stringify(j))})' \
        "$engine" "$MESSAGES" "$GEN_S" >>"$TMP/recherche.jsonl"
    stop
  done
fi

COMMAND="$( (env | grep -E '^(BENCH_CHAT_[A-Z_]+|BENCH_PORT)=' | sort | tr '\n' ' ') || true)bash bench/chat/run.sh"
BENCH_CHAT_COMMAND="$COMMAND" node bench/chat/report.mjs "$TMP" "$LOAD_BEFORE" "$USERS" "$MEMBERS" "$STEP" "$POSTERS" "$THREADS" >"$TMP/report.md"
cat "$TMP/report.md"
if [[ -n "${BENCH_OUT:-}" ]]; then
  mkdir -p "$(dirname "$BENCH_OUT")"
  cp "$TMP/report.md" "$BENCH_OUT"
  log "report written to $BENCH_OUT"
fi
