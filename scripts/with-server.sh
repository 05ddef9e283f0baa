#!/usr/bin/env bash
# Runs a command against a throw-away Coop server, started exactly as the integration tests do
# (tests/integration/harness.mjs): free port, fresh database (SQLite temp file, or a new
# PostgreSQL database when COOP_IT_ENGINE=postgres and COOP_TEST_PG_URL are set), --demo,
# COOP_FAST_PASSWORD_HASH=1. The command sees COOP_URL; the server is stopped with SIGTERM
# afterwards and the database dropped. The exit code is the command's (or 1 when the server did
# not shut down cleanly).
#
#   scripts/with-server.sh -- sh -c 'curl -s "$COOP_URL/api/health"'
#   scripts/with-server.sh            # no command: print the URL, serve until Ctrl-C
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" == "--" ]]; then shift; fi

exec node --input-type=module - "$@" <<'EOF'
import { spawn } from 'node:child_process';
import { startServer } from './tests/integration/harness.mjs';

const cmd = process.argv.slice(2);
const server = await startServer();
console.error(`coop: ${server.baseUrl} (database ${server.db.url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')}; demo password coop-demo-2026!)`);
let code = 0;
if (cmd.length) {
  code = await new Promise((resolve) => {
    const child = spawn(cmd[0], cmd.slice(1), { stdio: 'inherit', env: { ...process.env, COOP_URL: server.baseUrl } });
    child.on('exit', (c, sig) => resolve(c ?? (sig ? 128 : 1)));
    child.on('error', (e) => { console.error(`${cmd[0]}: ${e.message}`); resolve(127); });
  });
} else {
  console.log(server.baseUrl);
  await new Promise((resolve) => {
    process.on('SIGINT', resolve);
    process.on('SIGTERM', resolve);
  });
}
try {
  await server.dispose();
} catch (e) {
  console.error(e.message);
  if (code === 0) code = 1;
}
process.exit(code);
EOF
