// /ws: authorisation of the upgrade, notifications pushed by the application, ping/pong,
// sockets closed with the session (log-out, password change, disabled account).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, ENGINE, DEMO, expectStatus, openSocket, randomId, sleep, rawExchange, responseComplete,
} from './harness.mjs';

describe(`WebSocket /ws [${ENGINE}]`, () => {
  let server, admin;
  const sockets = [];

  before(async () => {
    // Short heartbeats and small outgoing queues, so that dead and slow clients show quickly.
    server = await startServer({ args: ['--ws-ping-interval', '1', '--ws-queue-messages', '8', '--ws-queue-kb', '16'] });
    admin = await server.login(DEMO.admin);
  });
  after(async () => {
    for (const s of sockets) s.ws.terminate();
    await server?.dispose();
  });

  async function open(client, opts) {
    const s = await openSocket(server, client, opts);
    sockets.push(s);
    return s;
  }

  // A fresh mediateur account, logged in.
  async function newUser() {
    const email = `ws.${randomId()}@exemple.fr`;
    const created = expectStatus(await admin.post('/api/users', {
      json: { email, nom: 'Socket', prenom: 'Sam', password: 'mot-de-passe-socket', roles: [{ role: 'mediateur' }] },
    }), 201).json;
    const c = await server.login(email, 'mot-de-passe-socket');
    return { c, id: created.id, email };
  }

  it('without a session cookie → upgrade refused with 401', async () => {
    await assert.rejects(open(server.client()), (e) => {
      assert.equal(e.status, 401, e.message);
      assert.equal(e.json?.error?.code, 'non_authentifie');
      return true;
    });
  });

  it('with a revoked or forged session cookie → 401', async () => {
    const c = server.client();
    c.cookies.set('coop_session', 'forged-token-forged-token-forged-token-1234');
    await assert.rejects(open(c), (e) => e.status === 401);
  });

  it('with a foreign Origin → 403, even with a valid cookie', async () => {
    const { c } = await newUser();
    await assert.rejects(open(c, { origin: 'http://evil.example' }), (e) => {
      assert.equal(e.status, 403, e.message);
      assert.equal(e.json?.error?.code, 'origine_refusee');
      return true;
    });
    await assert.rejects(open(c, { origin: `http://127.0.0.1:${server.port + 1}` }), (e) => e.status === 403);
  });

  it('without any Origin header → 403 (browsers always send one)', async () => {
    const { c } = await newUser();
    await assert.rejects(open(c, { origin: null }), (e) => e.status === 403);
  });

  it('with the session cookie and the same Origin → open; ping → pong; junk → erreur', async () => {
    const { c } = await newUser();
    const { ws, inbox } = await open(c);
    assert.equal(ws.readyState, ws.OPEN);
    ws.send(JSON.stringify({ type: 'ping' }));
    const pong = await inbox.next((m) => m.type === 'pong', 2000, 'pong');
    assert.ok(pong.at, 'pong carries a timestamp');
    ws.send('pas du json');
    const err = await inbox.next((m) => m.type === 'erreur', 2000, 'erreur');
    assert.equal(typeof err.message, 'string');
    ws.send(JSON.stringify({ type: 'inconnu' }));
    await inbox.next((m) => m.type === 'erreur', 2000, 'erreur for an unknown type');
    ws.send(JSON.stringify({ type: 'ping' }));
    await inbox.next((m) => m.type === 'pong', 2000, 'still answering after errors');
  });

  it('a message over 64 KiB closes the socket with 1009; binary frames are ignored; 500 pings get 500 pongs', async () => {
    const { c } = await newUser();
    const s = await open(c);
    s.ws.send(Buffer.from([1, 2, 3]));
    for (let i = 0; i < 500; i++) s.ws.send(JSON.stringify({ type: 'ping' }));
    for (let i = 0; i < 500; i++) await s.inbox.next((m) => m.type === 'pong', 5000, `pong ${i}`);
    assert.deepEqual(s.inbox.messages, [], 'nothing but pongs (the binary frame got no answer)');
    const big = await open(c);
    big.ws.send('x'.repeat(70 * 1024));
    const closed = await big.inbox.waitClose(3000);
    assert.equal(closed.code, 1009, `close code ${closed.code}`);
    s.ws.send(JSON.stringify({ type: 'ping' }));
    await s.inbox.next((m) => m.type === 'pong', 2000, 'the other socket is unaffected');
  });

  it('an upgrade on another path is not a WebSocket (404)', async () => {
    const { c } = await newUser();
    const r = await rawExchange(server.port,
      `GET /api/health/ws HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nOrigin: ${server.origin}\r\n` +
      `Cookie: ${c.cookieHeader()}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n` +
      `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`, { stopWhen: responseComplete });
    assert.equal(r.status, 404, r.text.slice(0, 200));
  });

  it('admin grants a role → the user\'s socket receives role_attribue within 2 s; removing it → role_retire', async () => {
    const u = await newUser();
    const { inbox } = await open(u.c);
    const bystander = await newUser();
    const other = await open(bystander.c);

    const t0 = Date.now();
    expectStatus(await admin.put(`/api/users/${u.id}/roles`, { json: { roles: [{ role: 'mediateur' }, { role: 'coordinateur' }] } }), 200);
    const n = await inbox.notification('role_attribue', 2000);
    assert.ok(Date.now() - t0 < 2000);
    assert.equal(n.type, 'notification');
    assert.match(n.message, /Coordinateur/);
    assert.ok(!Number.isNaN(Date.parse(n.at)), `at: ${n.at}`);

    expectStatus(await admin.put(`/api/users/${u.id}/roles`, { json: { roles: [{ role: 'coordinateur' }] } }), 200);
    const r = await inbox.notification('role_retire', 2000);
    assert.match(r.message, /Médiateur/);

    await sleep(200);
    assert.deepEqual(other.inbox.messages.filter((m) => m.type === 'notification'), [], 'nobody else is notified');
  });

  it('every socket of the user gets the notification (two tabs)', async () => {
    const u = await newUser();
    const second = server.client();
    await second.login(u.email, 'mot-de-passe-socket');
    const a = await open(u.c);
    const b = await open(second);
    expectStatus(await admin.put(`/api/users/${u.id}/roles`, { json: { roles: [{ role: 'mediateur', conseiller_numerique: false }, { role: 'coordinateur' }] } }), 200);
    await Promise.all([a.inbox.notification('role_attribue'), b.inbox.notification('role_attribue')]);
  });

  it("an invitation accepted → the inviter's socket receives invitation_acceptee", async () => {
    const inviter = await server.login(DEMO.gestion);
    const { inbox } = await open(inviter);
    const email = `accepte.${randomId()}@exemple.fr`;
    const inv = expectStatus(await inviter.post('/api/invitations', {
      json: { email, role: 'mediateur', structure_id: inviter.user.roles[0].structure_id },
    }), 201).json;
    const token = inv.lien.split('/').pop();
    expectStatus(await server.client().post(`/api/invitations/${token}/accept`, {
      json: { nom: 'Acceptante', prenom: 'Iris', password: 'mot de passe accepté' },
    }), 200);
    const n = await inbox.notification('invitation_acceptee', 2000);
    assert.match(n.message, new RegExp(email.replace(/[.]/g, '\\.')));
  });

  it('joining a team → the mediator receives equipe_rejointe', async () => {
    const u = await newUser();
    const { inbox } = await open(u.c);
    const coord = await server.login(DEMO.coordination);
    expectStatus(await coord.post('/api/equipe/membres', { json: { mediateur_id: u.id } }), 201);
    const n = await inbox.notification('equipe_rejointe', 2000);
    assert.match(n.message, /Camille/);
  });

  it('log-out closes the sockets of that session (and only those)', async () => {
    const u = await newUser();
    const otherSession = server.client();
    await otherSession.login(u.email, 'mot-de-passe-socket');
    const mine = await open(u.c);
    const theirs = await open(otherSession);
    expectStatus(await u.c.post('/api/auth/logout'), 204);
    const closed = await mine.inbox.waitClose(2000);
    assert.equal(closed.code, 1000, `close code ${closed.code} ${closed.reason}`);
    await sleep(200);
    assert.equal(theirs.inbox.closed, null, 'the socket of the other session stays open');
    theirs.ws.send(JSON.stringify({ type: 'ping' }));
    await theirs.inbox.next((m) => m.type === 'pong');
  });

  it('a password change closes the sockets of the other sessions', async () => {
    const u = await newUser();
    const otherSession = server.client();
    await otherSession.login(u.email, 'mot-de-passe-socket');
    const mine = await open(u.c);
    const theirs = await open(otherSession);
    expectStatus(await u.c.post('/api/me/password', { json: { current_password: 'mot-de-passe-socket', new_password: 'nouveau mot de passe socket' } }), 204);
    await theirs.inbox.waitClose(2000);
    await sleep(100);
    assert.equal(mine.inbox.closed, null);
  });

  it("disabling an account closes its sockets; it cannot reconnect", async () => {
    const u = await newUser();
    const s = await open(u.c);
    expectStatus(await admin.patch(`/api/users/${u.id}`, { json: { disabled: true } }), 200);
    await s.inbox.waitClose(2000);
    await assert.rejects(open(u.c), (e) => e.status === 401);
  });

  // One sample of /metrics ("name" or "name{labels}" as rendered), 0 when absent.
  async function metric(sample) {
    const t = (await server.client().get('/metrics')).text;
    const l = t.split('\n').find((x) => x.startsWith(`${sample} `));
    return l ? Number(l.split(' ').pop()) : 0;
  }
  async function until(what, cond, timeoutMs = 10000) {
    const end = Date.now() + timeoutMs;
    while (!(await cond())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await sleep(50);
    }
  }

  it('the server pings every --ws-ping-interval; the client\'s automatic pong keeps it open', async () => {
    const { c } = await newUser();
    const { ws, inbox } = await open(c);
    let pings = 0;
    ws.on('ping', () => pings++);
    await until('three pings', () => pings >= 3);
    assert.equal(inbox.closed, null, 'answered pings keep the connection');
    ws.send(JSON.stringify({ type: 'ping' }));
    await inbox.next((m) => m.type === 'pong', 2000, 'pong');
  });

  it('a client that stops answering pings is dropped (coop_websockets_dropped_total{reason="heartbeat"})', async () => {
    const { c } = await newUser();
    const before = await metric('coop_websockets_dropped_total{reason="heartbeat"}');
    const opened = await metric('coop_websockets_open');
    const { ws, inbox } = await open(c);
    ws._socket.pause(); // reads nothing more: no ping seen, no pong sent
    await until('the heartbeat drop', async () => (await metric('coop_websockets_dropped_total{reason="heartbeat"}')) === before + 1);
    await until('the socket gone from the server', async () => (await metric('coop_websockets_open')) === opened);
    ws._socket.resume();
    const closed = await inbox.waitClose(5000);
    assert.notEqual(closed.code, 1000, 'not a normal close');
  });

  it('a client that stops reading is closed (1008), never buffered for; others keep receiving', async () => {
    const { c } = await newUser();
    const before = await metric('coop_websockets_dropped_total{reason="slow_client"}');
    const slow = await open(c);
    const other = await open(c);
    slow.ws._socket.pause(); // reads nothing more, but keeps sending: alive, yet too slow
    // Each ping asks for a pong; once the kernel buffers are full, the pongs wait in the
    // server's queue (8 messages, 16 KiB at most here) and the next one closes the socket.
    // The kernel paces the sender (each batch waits until it is written to the socket); the
    // server answers at its own pace, so the pings go on until it has dropped the socket.
    let sent = 0;
    const deadline = Date.now() + 60000;
    while ((await metric('coop_websockets_dropped_total{reason="slow_client"}')) === before) {
      assert.ok(Date.now() < deadline, `still open after ${sent} pings`);
      for (let i = 0; i < 5000; i++) slow.ws.send('{"type":"ping"}');
      sent += 5001;
      await new Promise((r) => slow.ws.send('{"type":"ping"}', r)); // written to the socket
    }
    assert.ok(await metric('coop_websocket_queued_bytes') <= 64 * 1024, 'queues stay bounded');
    slow.ws._socket.resume();
    const closed = await slow.inbox.waitClose(10000);
    assert.ok(closed.code === 1008 || closed.code === 1006, `close code ${closed.code} ${closed.reason}`);
    if (closed.code === 1008) assert.equal(closed.reason, 'outgoing queue full');
    other.ws.send(JSON.stringify({ type: 'ping' }));
    await other.inbox.next((m) => m.type === 'pong', 2000, 'the other socket is unaffected');
  });

  it('reprendre → repris after the replay; a bad « depuis » → reprise_invalide', async () => {
    const { c } = await newUser();
    const { ws, inbox } = await open(c);
    // Past any event there is: nothing to replay, the stream resumes at the same seq.
    ws.send(JSON.stringify({ type: 'reprendre', depuis: 1e12 }));
    const repris = await inbox.next((m) => m.type === 'repris', 2000, 'repris');
    assert.deepEqual(repris, { type: 'repris', seq: 1e12 });
    for (const bad of [{ type: 'reprendre' }, { type: 'reprendre', depuis: -3 }, { type: 'reprendre', depuis: 'x' }]) {
      ws.send(JSON.stringify(bad));
      const e = await inbox.next((m) => m.type === 'erreur', 2000, 'erreur');
      assert.equal(e.code, 'reprise_invalide', JSON.stringify(bad));
      assert.match(e.message, /depuis/);
    }
  });

  it('/metrics counts open sockets (coop_websockets_open)', async () => {
    const read = async () => {
      const t = (await server.client().get('/metrics')).text;
      const l = t.split('\n').find((x) => /^coop_websockets_open(\{\})? /.test(x));
      assert.ok(l, 'coop_websockets_open line');
      return Number(l.split(' ').pop());
    };
    const u = await newUser();
    const before = await read();
    const a = await open(u.c);
    const b = await open(u.c);
    assert.equal(await read(), before + 2);
    a.ws.close();
    b.ws.close();
    await Promise.all([a.inbox.waitClose(), b.inbox.waitClose()]);
    let now = await read();
    for (let i = 0; i < 20 && now !== before; i++) {
      await sleep(50);
      now = await read();
    }
    assert.equal(now, before);
  });
});
