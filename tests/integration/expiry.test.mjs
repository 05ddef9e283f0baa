// Time-based rules, with the clock moved by ageing timestamps in the database: session expiry
// and sliding renewal, invitation expiry, the 15-minute window of the log-in rate limit.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, ENGINE, DEMO, DEMO_PASSWORD, expectStatus, expectError, dbExec, openSocket, randomId,
} from './harness.mjs';

const iso = (offsetMs) => new Date(Date.now() + offsetMs).toISOString();
const MIN = 60_000;
const HOUR = 60 * MIN;

describe(`expiry of sessions, invitations and rate limits [${ENGINE}]`, () => {
  let server, admin;
  const sql = (q) => dbExec(server.db, q);

  before(async () => {
    server = await startServer();
    admin = await server.login(DEMO.admin);
  });
  after(async () => {
    await server?.dispose();
  });

  // The session row of a user's most recent log-in.
  const lastSession = (email) =>
    sql(`SELECT s.id FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = '${email}' ORDER BY s.id DESC LIMIT 1`);

  it('an expired session is refused (API 401, WebSocket 401)', async () => {
    const c = await server.login(DEMO.mediatrice);
    expectStatus(await c.get('/api/me'), 200);
    const id = lastSession(DEMO.mediatrice);
    assert.ok(id, 'session row');
    sql(`UPDATE sessions SET expires_at = '${iso(-MIN)}' WHERE id = ${id}`);
    expectError(await c.get('/api/me'), 401, 'non_authentifie');
    await assert.rejects(openSocket(server, c), (e) => e.status === 401);
  });

  it('a session in use is renewed (sliding expiry): used after 10 idle minutes, it gets a full new lifetime', async () => {
    const c = await server.login(DEMO.gestion);
    const id = lastSession(DEMO.gestion);
    sql(`UPDATE sessions SET last_seen_at = '${iso(-10 * MIN)}', expires_at = '${iso(2 * MIN)}' WHERE id = ${id}`);
    expectStatus(await c.get('/api/me'), 200);
    const exp = Date.parse(sql(`SELECT expires_at FROM sessions WHERE id = ${id}`));
    assert.ok(exp > Date.now() + 11 * HOUR, `expires_at pushed back to ~12 h from now, got ${new Date(exp).toISOString()}`);
    const seen = Date.parse(sql(`SELECT last_seen_at FROM sessions WHERE id = ${id}`));
    assert.ok(seen > Date.now() - MIN, 'last_seen_at updated');
  });

  it('an expired invitation → 410 invitation_expiree, for the page and for the acceptance', async () => {
    const r = expectStatus(await admin.post('/api/invitations', { json: { email: `expire.${randomId()}@exemple.fr`, role: 'mediateur' } }), 201);
    const token = r.json.lien.split('/').pop();
    expectStatus(await server.client().get(`/api/invitations/${token}`), 200);
    sql(`UPDATE invitations SET expires_at = '${iso(-MIN)}' WHERE id = ${r.json.id}`);
    expectError(await server.client().get(`/api/invitations/${token}`), 410, 'invitation_expiree');
    const acc = await server.client().post(`/api/invitations/${token}/accept`, { json: { nom: 'Trop', prenom: 'Tard', password: 'un mot de passe long' } });
    expectError(acc, 410, 'invitation_expiree');
    expectError(await server.client().post('/api/auth/login', { json: { email: r.json.email, password: 'un mot de passe long' } }), 401, 'identifiants_invalides', [], 'no account was created');
  });

  it('the log-in rate limit counts the last 15 minutes only', async () => {
    const email = DEMO.marseille;
    for (let i = 0; i < 5; i++)
      expectError(await server.client().post('/api/auth/login', { json: { email, password: `mauvais-${i}` } }), 401);
    expectError(await server.client().post('/api/auth/login', { json: { email, password: DEMO_PASSWORD } }), 429, 'trop_de_tentatives');
    // 3 of the 5 failures are now 16 minutes old: 2 remain in the window.
    sql(`UPDATE audit_log SET at = '${iso(-16 * MIN)}' WHERE id IN (SELECT id FROM audit_log WHERE event = 'login_failed' AND subject_email = '${email}' ORDER BY id LIMIT 3)`);
    await server.client().login(email);
    // 3 more failures: 5 in the window again → blocked.
    for (let i = 0; i < 3; i++)
      expectError(await server.client().post('/api/auth/login', { json: { email, password: `encore-${i}` } }), 401);
    expectError(await server.client().post('/api/auth/login', { json: { email, password: DEMO_PASSWORD } }), 429);
  });
});
