// Graceful shutdown: on SIGTERM the server stops accepting connections, lets in-flight requests
// finish with their normal answer, closes WebSockets with 1001, and exits 0.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import {
  startServer, ENGINE, DEMO, DEMO_PASSWORD, expectStatus, openSocket, rawExchange, responseComplete, sleep,
} from './harness.mjs';

describe(`graceful shutdown on SIGTERM [${ENGINE}]`, () => {
  let server;
  after(async () => {
    if (server?.running) await server.kill9();
    server?.db.dispose();
  });

  it('in-flight requests complete with 2xx, new connections are refused, sockets get 1001, exit code 0', async () => {
    // Real Argon2id cost: log-ins take a noticeable time, so several are in flight at once.
    server = await startServer({ fastHash: false });
    const admin = await server.login(DEMO.admin);
    const { inbox } = await openSocket(server, admin);

    // 1. A request whose body is still arriving when SIGTERM comes.
    const csrf = admin.csrf;
    const body = JSON.stringify({ email: DEMO.gestion, password: DEMO_PASSWORD });
    const half = Math.floor(body.length / 2);
    let sendRest;
    const restGate = new Promise((r) => (sendRest = r));
    const slow = rawExchange(server.port, async (sock) => {
      sock.write(
        `POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: application/json\r\n` +
        `Cookie: coop_csrf=${csrf}\r\nX-CSRF-Token: ${csrf}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n` +
        body.slice(0, half));
      await restGate;
      sock.write(body.slice(half));
    }, { stopWhen: responseComplete, timeoutMs: 15_000 });

    // 2. A burst of log-ins (each a slow Argon2id verification) on their own connections.
    const clients = await Promise.all(Array.from({ length: 8 }, async () => {
      const c = server.client();
      await c.ensureCsrf();
      return c;
    }));
    const who = [DEMO.coordination, DEMO.mediatrice, DEMO.lyon, DEMO.stetienne, DEMO.rennes, DEMO.marseille, DEMO.tulle, DEMO.ancien];
    const started = Date.now();
    const burst = clients.map((c, i) => c.post('/api/auth/login', { json: { email: who[i], password: DEMO_PASSWORD } })
      .then((r) => ({ r, at: Date.now() - started }), (e) => ({ error: e.cause?.code || e.message, at: Date.now() - started })));
    await sleep(150); // the requests are on the wire and being served

    // An idle keep-alive connection (one request answered, then nothing).
    const idle = net.connect({ host: '127.0.0.1', port: server.port });
    let idleBuf = '';
    let idleExtra = '';
    let answered = false;
    const idleAnswered = new Promise((resolve) => idle.on('data', (d) => {
      if (answered) idleExtra += d;
      else if (responseComplete((idleBuf += d))) {
        answered = true;
        resolve();
      }
    }));
    idle.on('error', () => {});
    const idleClosed = new Promise((resolve) => idle.on('close', resolve));
    idle.write('GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await idleAnswered;

    server.proc.kill('SIGTERM');
    await sleep(300);

    // New connections are no longer served (a fresh TCP connection: fetch could reuse a pooled
    // keep-alive one, which the server may still answer if the request raced the shutdown).
    const fresh = await rawExchange(server.port, `GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`, { timeoutMs: 3000 });
    assert.equal(fresh.status, null, `a new connection after SIGTERM must not be served: ${fresh.text.slice(0, 200)}`);
    // The connection that was idle when SIGTERM came is closed by the server, without an answer.
    let t;
    const closedInTime = await Promise.race([idleClosed.then(() => true), new Promise((r) => (t = setTimeout(() => r(false), 3000)))]);
    clearTimeout(t);
    assert.ok(closedInTime, 'the idle keep-alive connection is closed by the server after SIGTERM');
    assert.equal(idleExtra, '', 'nothing sent on the idle connection');

    // The half-sent request finishes and is answered (with Connection: close).
    sendRest();
    const s = await slow;
    assert.equal(s.status, 200, `in-flight request: ${s.text.slice(0, 300)} (${s.error})`);
    assert.equal(JSON.parse(s.body).email, DEMO.gestion);
    assert.match(s.headers.connection || '', /close/i);

    const results = await Promise.all(burst);
    const bad = results.filter((x) => x.error || x.r.status !== 200);
    assert.deepEqual(bad.map((x) => x.error ?? `${x.r.status} ${x.r.text}`), [], 'every in-flight log-in completes with 200');
    assert.ok(results.some((x) => x.at > 150), `some log-ins were still running at SIGTERM (${results.map((x) => x.at)})`);

    const closed = await inbox.waitClose(5000);
    assert.equal(closed.code, 1001, `WebSocket close code ${closed.code} ${closed.reason}`);

    const exit = await server.waitExit(20_000);
    assert.notEqual(exit, null, `coop did not exit after SIGTERM:\n${server.logTail()}`);
    assert.deepEqual(exit, { code: 0, signal: null }, server.logTail());
    assert.match(server.log, /shutdown complete|arrêt/i);
  });

  it('restarting on the same database after a graceful stop finds everything (and no demo reload)', async () => {
    assert.ok(server && !server.running);
    const db = server.db;
    server = await startServer({ db, demo: false });
    const admin = await server.login(DEMO.admin);
    const users = expectStatus(await admin.get('/api/users?q=coop.example'), 200).json;
    assert.equal(users.total, 11, 'the demo accounts, once');
    const { code, signal } = await server.stop();
    assert.deepEqual({ code, signal }, { code: 0, signal: null });
  });
});
