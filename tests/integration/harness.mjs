// Integration-test harness: starts a real `coop serve` on a free port with a fresh database
// (SQLite file in a temp dir, or a new PostgreSQL database), and gives real clients to talk to
// it: fetch with a cookie jar and the CSRF header, raw TCP for protocol abuse, `ws` for /ws.
//
// Environment:
//   COOP_IT_ENGINE      sqlite (default) | postgres
//   COOP_TEST_PG_URL    PostgreSQL URL of a superuser-ish role that may CREATE DATABASE
//                       (required when COOP_IT_ENGINE=postgres; see scripts/pg-test.sh)
//   COOP_BIN            the coop binary (default <repo>/build/coop)
//   COOP_IT_KEEP=1      keep temp directories / databases after the run (debugging)
//   COOP_IT_VERBOSE=1   echo the servers' logs to stderr
import { spawn, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
const webRequire = createRequire(new URL('../../web/package.json', import.meta.url));
export const WebSocket = webRequire('ws');

export const COOP_BIN = process.env.COOP_BIN || path.join(REPO, 'build', 'coop');
export const REFERENTIEL_DIR = path.join(REPO, 'web/node_modules/@etalab/decoupage-administratif/data');
export const ENGINE = process.env.COOP_IT_ENGINE || 'sqlite';
export const KEEP = process.env.COOP_IT_KEEP === '1';
const VERBOSE = process.env.COOP_IT_VERBOSE === '1';

if (ENGINE !== 'sqlite' && ENGINE !== 'postgres')
  throw new Error(`COOP_IT_ENGINE must be "sqlite" or "postgres", not "${ENGINE}"`);
if (ENGINE === 'postgres' && !process.env.COOP_TEST_PG_URL)
  throw new Error(
    'COOP_IT_ENGINE=postgres but COOP_TEST_PG_URL is not set: start a server with ' +
      '`scripts/pg-test.sh start` and export COOP_TEST_PG_URL=<the URL it prints>',
  );
if (!fs.existsSync(COOP_BIN))
  throw new Error(`coop binary not found at ${COOP_BIN} (build it, or set COOP_BIN)`);

// What /api/health reports for each engine.
export const ENGINE_NAME = ENGINE === 'postgres' ? 'postgresql' : 'sqlite';

export const DEMO_PASSWORD = 'coop-demo-2026!';
export const DEMO = {
  admin: 'admin@coop.example',
  gestion: 'gestion@coop.example', // gestionnaire_structure of structure 1 (Médiathèque du Bachut)
  coordination: 'coordination@coop.example', // coordinateur, team of 4 + 1 former member
  mediatrice: 'mediatrice@coop.example', // mediateur, conseillère numérique, employed at structure 1
  lyon: 'mediateur.lyon@coop.example', // mediateur, structure 1, in the team
  stetienne: 'mediatrice.stetienne@coop.example', // structure 2, in the team
  rennes: 'mediateur.rennes@coop.example', // structure 3, in the team
  marseille: 'mediatrice.marseille@coop.example', // structure 4
  tulle: 'mediateur.tulle@coop.example', // structure 5
  ancien: 'ancien.membre@coop.example', // former team member, former employee of structure 2
};
export const DEMO_STRUCTURES = {
  bachut: 'Médiathèque du Bachut',
  connexions: 'Association Connexions Solidaires',
  rennes: 'Espace France Services de Rennes Nord',
  belledemai: 'Centre social La Belle de Mai',
  tulle: 'Tiers-lieu numérique de Tulle',
};

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// The server's "today" is the calendar date in Europe/Paris (core::today).
const parisDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' });
export const todayParis = (deltaDays = 0) => parisDate.format(new Date(Date.now() + deltaDays * 86400e3));
export const randomId = (n = 6) => crypto.randomBytes(n).toString('hex');

// ---------------------------------------------------------------------------------------------
// SIRET helpers (Luhn key)

export function luhnValid(digits) {
  let sum = 0;
  let dbl = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return sum % 10 === 0;
}

// A random valid SIRET (14 digits, Luhn), never starting with La Poste's SIREN.
export function randomSiret() {
  for (;;) {
    let p = String(1 + crypto.randomInt(9));
    for (let i = 0; i < 12; i++) p += String(crypto.randomInt(10));
    if (p.startsWith('356000000')) continue;
    for (let k = 0; k <= 9; k++) if (luhnValid(p + k)) return p + k;
  }
}

// The same SIRET with a wrong key digit.
export function breakSiret(siret) {
  const last = Number(siret[13]);
  return siret.slice(0, 13) + String((last + 1) % 10);
}

// ---------------------------------------------------------------------------------------------
// Databases

function psql(url, sql) {
  return execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-tA', '-d', url, '-c', sql], {
    env: { ...process.env, PGCONNECT_TIMEOUT: '10' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

// A fresh, empty database for one server (and its restarts).
export function createDatabase() {
  if (ENGINE === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coop-it-'));
    return {
      engine: 'sqlite',
      url: `sqlite:${path.join(dir, 'coop.db')}`,
      dir,
      dispose() {
        if (!KEEP) fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const admin = process.env.COOP_TEST_PG_URL;
  const name = `coop_it_${randomId(6)}`;
  try {
    psql(admin, `CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`);
  } catch (e) {
    throw new Error(`cannot create the PostgreSQL test database ${name} via ${redact(admin)}: ${e.stderr || e.message}`);
  }
  const u = new URL(admin);
  u.pathname = `/${name}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coop-it-'));  // server logs
  return {
    engine: 'postgres',
    url: u.toString(),
    name,
    dir,
    dispose() {
      if (KEEP) return;
      try {
        psql(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } catch (e) {
        process.stderr.write(`warning: could not drop ${name}: ${e.stderr || e.message}\n`);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function redact(url) {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

// Runs SQL directly on a test database, next to the server (to age timestamps: expiry tests).
// SQLite through the sqlite3 command-line tool (or python3's sqlite3 module); PostgreSQL through
// psql. Returns the output rows as text ('|'-separated columns).
export function dbExec(db, sql) {
  if (db.engine === 'postgres') return psql(db.url, sql).trim();
  const file = db.url.slice('sqlite:'.length);
  try {
    return execFileSync('sqlite3', ['-bail', '-cmd', '.timeout 5000', file, sql], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (e) {
    if (e.code !== 'ENOENT') throw new Error(`sqlite3: ${e.stderr || e.message}`);
  }
  const py = `import sqlite3,sys
c=sqlite3.connect(sys.argv[1],timeout=5,isolation_level=None)
for r in c.execute(sys.argv[2]).fetchall(): print('|'.join('' if v is None else str(v) for v in r))`;
  return execFileSync('python3', ['-c', py, file, sql], { encoding: 'utf8' }).trim();
}

// The mails queued for one address in the outbox (table courriels), oldest first, read next to
// the server like dbExec: [{ id, modele, sujet, texte, statut }]. The text body holds the links.
export function courrielsPour(db, destinataire) {
  const esc = destinataire.replace(/'/g, "''");
  const nl = db.engine === 'postgres' ? 'chr(10)' : 'char(10)';
  const out = dbExec(db, `SELECT id, modele, statut, sujet, replace(replace(texte, ${nl}, '\\n'), '|', '\\p') FROM courriels WHERE destinataire = '${esc}' ORDER BY id`);
  if (!out) return [];
  return out.split('\n').map((line) => {
    const [id, modele, statut, sujet, texte] = line.split('|');
    return { id: Number(id), modele, statut, sujet, texte: texte.replace(/\\n/g, '\n').replace(/\\p/g, '|') };
  });
}

// ---------------------------------------------------------------------------------------------
// Server process

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// Output of `coop routes`: every route with its access rule.
export function coopRoutes() {
  const out = execFileSync(COOP_BIN, ['routes'], { encoding: 'utf8', env: serverEnv({}) });
  return JSON.parse(out);
}

function serverEnv(extra) {
  const env = {};
  // The server reads many COOP_* variables: the tests decide every one of them.
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('COOP_')) env[k] = v;
  return { ...env, ...extra };
}

export class CoopServer {
  constructor({ db, port, proc, logFile }) {
    this.db = db;
    this.port = port;
    this.proc = proc;
    this.logFile = logFile;
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.origin = this.baseUrl;
    this.wsUrl = `ws://127.0.0.1:${port}/ws`;
    this.log = '';
    this.exit = null; // {code, signal} once exited
    this.exited = new Promise((resolve) => {
      proc.on('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
      // spawn failed (binary missing, e.g. being relinked): no 'exit' event follows.
      proc.on('error', (e) => {
        this.log += `\n[harness] cannot run ${COOP_BIN}: ${e.message}\n`;
        if (this.exit === null) {
          this.exit = { code: null, signal: null, error: e.code || e.message };
          resolve(this.exit);
        }
      });
    });
    const sink = (chunk) => {
      const s = chunk.toString();
      this.log += s;
      if (this.log.length > 4_000_000) this.log = this.log.slice(-2_000_000);
      fs.appendFileSync(logFile, s);
      if (VERBOSE) process.stderr.write(s);
    };
    proc.stdout.on('data', sink);
    proc.stderr.on('data', sink);
  }

  logTail(lines = 40) {
    return this.log.split('\n').slice(-lines).join('\n');
  }

  client(opts) {
    return new Client(this.baseUrl, opts);
  }

  // A client logged in as `email`.
  async login(email, password = DEMO_PASSWORD) {
    const c = this.client();
    await c.login(email, password);
    return c;
  }

  get running() {
    return this.exit === null;
  }

  // Waits for the process to exit; returns {code, signal}, or null after `timeoutMs`.
  async waitExit(timeoutMs) {
    let timer;
    const timeout = new Promise((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  // SIGTERM and wait; returns {code, signal}. SIGKILL after `timeoutMs` (and says so).
  async stop({ signal = 'SIGTERM', timeoutMs = 20_000 } = {}) {
    if (!this.running) return this.exit;
    this.proc.kill(signal);
    const r = await this.waitExit(timeoutMs);
    if (r === null) {
      this.proc.kill('SIGKILL');
      await this.exited;
      throw new Error(`coop did not exit within ${timeoutMs} ms after ${signal}; killed.\n${this.logTail()}`);
    }
    return r;
  }

  async kill9() {
    if (!this.running) return this.exit;
    this.proc.kill('SIGKILL');
    return this.exited;
  }

  // Stops the server (expecting a clean exit) and drops its database.
  async dispose({ expectCleanExit = true } = {}) {
    try {
      if (this.running) {
        const { code, signal } = await this.stop();
        if (expectCleanExit)
          assert.deepEqual({ code, signal }, { code: 0, signal: null },
            `coop serve should exit 0 on SIGTERM (graceful shutdown)\n${this.logTail()}`);
      }
    } finally {
      this.db.dispose();
    }
  }
}

// Starts `coop serve` and waits until /api/health answers 200.
//   db:        a database from createDatabase() (default: a new one); reuse it to restart
//   demo:      load the demo data when the database is empty (default true)
//   fastHash:  COOP_FAST_PASSWORD_HASH=1 (default true)
//   args/env:  extra arguments / environment variables
export async function startServer({ db, demo = true, fastHash = true, args = [], env = {}, port } = {}) {
  db ??= createDatabase();
  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const p = port ?? (await freePort());
    const logFile = path.join(db.dir, `server-${p}-${Date.now()}.log`);
    const argv = [
      // --database and --log-level belong to the main command: before `serve`.
      '--database', db.url,
      '--log-level', 'info',
      'serve',
      '--address', '127.0.0.1',
      '--port', String(p),
      '--public-url', `http://127.0.0.1:${p}`,
      '--referentiel-dir', REFERENTIEL_DIR,
      ...(demo ? ['--demo'] : []),
      ...args,
    ];
    const proc = spawn(COOP_BIN, argv, {
      cwd: REPO,
      env: serverEnv({ COOP_FAST_PASSWORD_HASH: fastHash ? '1' : '0', ...env }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new CoopServer({ db, port: p, proc, logFile });
    try {
      await waitHealthy(server);
      return server;
    } catch (e) {
      lastError = e;
      if (server.running) {
        proc.kill('SIGKILL');
        await server.exited;
      }
      // Only a lost race for the port is worth another try.
      if (!/cannot listen|address already in use/i.test(server.log) || port) break;
    }
  }
  db.dispose();
  throw lastError;
}

async function waitHealthy(server, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (!server.running)
      throw new Error(`coop serve exited (${JSON.stringify(server.exit)}) before answering /api/health:\n${server.logTail()}`);
    try {
      const r = await fetch(`${server.baseUrl}/api/health`, { signal: AbortSignal.timeout(2000) });
      last = `${r.status} ${await r.text()}`;
      if (r.status === 200) return;
    } catch (e) {
      last = e.cause?.code || e.message;
    }
    await sleep(100);
  }
  throw new Error(`coop serve not healthy after ${timeoutMs} ms (last: ${last}):\n${server.logTail()}`);
}

// ---------------------------------------------------------------------------------------------
// HTTP client with a cookie jar and the CSRF header

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export class Client {
  constructor(baseUrl, { origin, headers } = {}) {
    this.base = baseUrl;
    this.origin = origin; // sent as Origin when set
    this.headers = headers ?? {};
    this.cookies = new Map();
    this.user = null;
  }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  get csrf() {
    return this.cookies.get('coop_csrf');
  }

  storeCookies(setCookies) {
    for (const sc of setCookies) {
      const [pair, ...attrs] = sc.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async ensureCsrf() {
    if (!this.csrf) await this.get('/api/health');
    assert.ok(this.csrf, 'the server should set the coop_csrf cookie on a first request');
  }

  // Returns {status, headers, text, json, setCookies, method, path}.
  //   json: body to send as JSON; body: raw body; csrf: false = no X-CSRF-Token header
  async request(method, urlPath, { json, body, headers = {}, csrf = true, signal } = {}) {
    const h = { ...this.headers, ...headers };
    if (!SAFE.has(method) && csrf) {
      await this.ensureCsrf();
      if (!Object.keys(h).some((k) => k.toLowerCase() === 'x-csrf-token')) h['x-csrf-token'] = this.csrf;
    }
    if (this.origin && !Object.keys(h).some((k) => k.toLowerCase() === 'origin')) h.origin = this.origin;
    const cookie = this.cookieHeader();
    if (cookie && !Object.keys(h).some((k) => k.toLowerCase() === 'cookie')) h.cookie = cookie;
    if (json !== undefined) {
      body = JSON.stringify(json);
      if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['content-type'] = 'application/json';
    }
    const res = await fetch(this.base + urlPath, { method, headers: h, body, redirect: 'manual', signal });
    const setCookies = res.headers.getSetCookie();
    this.storeCookies(setCookies);
    const text = await res.text();
    let parsed;
    if ((res.headers.get('content-type') || '').includes('json') && text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
    }
    return { status: res.status, headers: res.headers, text, json: parsed, setCookies, method, path: urlPath };
  }

  get(p, o) { return this.request('GET', p, o); }
  post(p, o) { return this.request('POST', p, o); }
  put(p, o) { return this.request('PUT', p, o); }
  patch(p, o) { return this.request('PATCH', p, o); }
  delete(p, o) { return this.request('DELETE', p, o); }

  async login(email, password = DEMO_PASSWORD) {
    const r = await this.post('/api/auth/login', { json: { email, password } });
    expectStatus(r, 200);
    this.user = r.json;
    return r.json;
  }
}

// assert.equal on the status with the request and the body in the message.
export function expectStatus(res, status, what = '') {
  assert.equal(res.status, status,
    `${what ? what + ': ' : ''}${res.method} ${res.path} → ${res.status} (expected ${status}) ${res.text?.slice(0, 500)}`);
  return res;
}

// Status + error code (+ optional field names present in error.fields).
export function expectError(res, status, code, fields = [], what = '') {
  expectStatus(res, status, what);
  assert.ok(res.json?.error, `${res.method} ${res.path}: JSON error body expected, got ${res.text.slice(0, 300)}`);
  if (code) assert.equal(res.json.error.code, code, `${res.method} ${res.path}: error code (${res.text.slice(0, 300)})`);
  assert.equal(typeof res.json.error.message, 'string');
  for (const f of fields)
    assert.ok(res.json.error.fields?.[f], `${res.method} ${res.path}: error.fields.${f} expected, got ${res.text.slice(0, 300)}`);
  return res;
}

// Every item of a paginated list (per_page 100).
export async function allPages(client, urlPath) {
  const sep = urlPath.includes('?') ? '&' : '?';
  const out = [];
  for (let page = 1; page < 1000; page++) {
    const r = expectStatus(await client.get(`${urlPath}${sep}page=${page}&per_page=100`), 200);
    out.push(...r.json.items);
    if (out.length >= r.json.total || r.json.items.length === 0) break;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Raw TCP (protocol abuse)

// Sends `data` (string/Buffer, or an async function (socket) => {…} writing it), collects what
// the server sends until it closes the connection or `timeoutMs` passes.
export function rawExchange(port, data, { timeoutMs = 5000, stopWhen } = {}) {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    const chunks = [];
    let error = null;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      const buf = Buffer.concat(chunks);
      const text = buf.toString('utf8');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      const sep = buf.indexOf('\r\n\r\n');
      const bodyBytes = sep < 0 ? Buffer.alloc(0) : buf.subarray(sep + 4);
      resolve({ text, status: m ? Number(m[1]) : null, error, bytes: buf, bodyBytes, ...splitResponse(text) });
    };
    const timer = setTimeout(finish, timeoutMs);
    sock.on('data', (c) => {
      chunks.push(c);
      if (stopWhen && stopWhen(Buffer.concat(chunks).toString('utf8'))) finish();
    });
    sock.on('end', finish);
    sock.on('close', finish);
    sock.on('error', (e) => {
      error = e.code || e.message;
      // a reset after the response still leaves the response in `chunks`
    });
    sock.on('connect', async () => {
      try {
        if (typeof data === 'function') await data(sock);
        else sock.write(data);
      } catch (e) {
        error = e.code || e.message;
      }
    });
  });
}

function splitResponse(text) {
  const i = text.indexOf('\r\n\r\n');
  if (i < 0) return { head: text, body: '', headers: {} };
  const head = text.slice(0, i);
  const headers = {};
  for (const line of head.split('\r\n').slice(1)) {
    const c = line.indexOf(':');
    if (c > 0) headers[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
  }
  return { head, body: text.slice(i + 4), headers };
}

// True once `text` holds a complete HTTP response with a Content-Length body.
export function responseComplete(text) {
  const i = text.indexOf('\r\n\r\n');
  if (i < 0) return false;
  const m = /\r\ncontent-length:\s*(\d+)/i.exec(text.slice(0, i + 2));
  if (!m) return /^HTTP\/1\.[01] (1\d\d|204|304)/.test(text);
  return Buffer.byteLength(text.slice(i + 4)) >= Number(m[1]);
}

// ---------------------------------------------------------------------------------------------
// WebSocket

// Opens /ws as `client` (its cookies). Resolves {ws, inbox} once open; rejects with an Error
// carrying .status when the upgrade is refused.
//   origin: Origin header (default: the server's own origin; null = none)
export function openSocket(server, client, { origin = server.origin, timeoutMs = 5000 } = {}) {
  return new Promise((resolve, reject) => {
    const headers = {};
    const cookie = client?.cookieHeader();
    if (cookie) headers.Cookie = cookie;
    const ws = new WebSocket(server.wsUrl, { headers, ...(origin ? { origin } : {}), handshakeTimeout: timeoutMs });
    const inbox = new Inbox(ws);
    ws.once('open', () => resolve({ ws, inbox }));
    ws.once('unexpected-response', (req, res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => {
        const e = new Error(`WebSocket upgrade refused: ${res.statusCode} ${body}`);
        e.status = res.statusCode;
        e.body = body;
        try {
          e.json = JSON.parse(body);
        } catch {}
        req.destroy();
        reject(e);
      });
    });
    ws.once('error', (e) => reject(e));
  });
}

// Collects the JSON messages and the close of a socket; waits for one matching a predicate.
export class Inbox {
  constructor(ws) {
    this.ws = ws;
    this.messages = [];
    this.waiters = [];
    this.closed = null; // {code, reason}
    this.closeWaiters = [];
    ws.on('message', (data, isBinary) => {
      let m;
      try {
        m = JSON.parse(data.toString());
      } catch {
        m = { unparsable: data.toString(), binary: isBinary };
      }
      this.messages.push(m);
      for (const w of [...this.waiters]) if (w.pred(m)) w.done(m);
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      for (const w of this.closeWaiters) w(this.closed);
      for (const w of [...this.waiters]) w.fail(new Error(`socket closed (${code} ${reason}) while waiting for a message`));
    });
    ws.on('error', () => {}); // surfaced through close
  }

  next(pred = () => true, timeoutMs = 2000, what = 'a message') {
    const seen = this.messages.find(pred);
    if (seen) {
      this.messages.splice(this.messages.indexOf(seen), 1);
      return Promise.resolve(seen);
    }
    return new Promise((resolve, reject) => {
      const w = {
        pred,
        done: (m) => {
          clearTimeout(t);
          this.waiters.splice(this.waiters.indexOf(w), 1);
          this.messages.splice(this.messages.indexOf(m), 1);
          resolve(m);
        },
        fail: (e) => {
          clearTimeout(t);
          this.waiters.splice(this.waiters.indexOf(w), 1);
          reject(e);
        },
      };
      const t = setTimeout(() => w.fail(new Error(`no ${what} within ${timeoutMs} ms; got ${JSON.stringify(this.messages)}`)), timeoutMs);
      this.waiters.push(w);
    });
  }

  notification(kind, timeoutMs = 2000) {
    return this.next((m) => m.type === 'notification' && m.kind === kind, timeoutMs, `notification "${kind}"`);
  }

  waitClose(timeoutMs = 2000) {
    if (this.closed) return Promise.resolve(this.closed);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`socket still open after ${timeoutMs} ms`)), timeoutMs);
      this.closeWaiters.push((c) => {
        clearTimeout(t);
        resolve(c);
      });
    });
  }
}
