// Two `coop serve` instances on one PostgreSQL database (as behind a load balancer): sessions
// work on both, and live events cross over through the LISTEN/NOTIFY relay — a notification
// caused on B reaches a socket open on A, a log-out on B closes the socket on A.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, ENGINE, DEMO, expectStatus, expectError, openSocket, randomId } from './harness.mjs';

const skip = ENGINE !== 'postgres' && 'PostgreSQL only (SQLite is one process)';

describe(`two instances sharing PostgreSQL [${ENGINE}]`, { skip }, () => {
  let a, b;
  const sockets = [];

  before(async () => {
    a = await startServer();
    b = await startServer({ db: a.db, demo: false });
  });
  after(async () => {
    for (const s of sockets) s.ws.terminate();
    try {
      if (b) {
        const exit = await b.stop();
        assert.deepEqual(exit, { code: 0, signal: null }, b.logTail());
      }
    } finally {
      await a?.dispose();
    }
  });

  // The same log-in session, used against the other instance.
  function sameSessionOn(server, client) {
    const c = server.client();
    for (const [k, v] of client.cookies) c.cookies.set(k, v);
    return c;
  }

  async function socket(server, client) {
    const s = await openSocket(server, client);
    sockets.push(s);
    return s;
  }

  it('both instances log their relay; a session opened on A works on B', async () => {
    assert.match(a.log, /relais d'événements PostgreSQL actif/);
    assert.match(b.log, /relais d'événements PostgreSQL actif/);
    const onA = await a.login(DEMO.mediatrice);
    const onB = sameSessionOn(b, onA);
    assert.equal(expectStatus(await onB.get('/api/me'), 200).json.email, DEMO.mediatrice);
  });

  it('a role granted through B is notified on a socket open on A', async () => {
    const adminB = await b.login(DEMO.admin);
    const email = `relais.${randomId()}@exemple.fr`;
    const u = expectStatus(await adminB.post('/api/users', {
      json: { email, nom: 'Relais', prenom: 'Rémi', password: 'mot-de-passe-relais', roles: [{ role: 'mediateur' }] },
    }), 201).json;
    const userA = await a.login(email, 'mot-de-passe-relais');
    const { inbox } = await socket(a, userA);
    expectStatus(await adminB.put(`/api/users/${u.id}/roles`, { json: { roles: [{ role: 'mediateur' }, { role: 'coordinateur' }] } }), 200);
    const n = await inbox.notification('role_attribue', 2000);
    assert.match(n.message, /Coordinateur/);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(inbox.messages.filter((m) => m.kind === 'role_attribue').length, 0, 'delivered once, not twice');
  });

  it('an invitation accepted on B notifies the inviter on A', async () => {
    const gestA = await a.login(DEMO.gestion);
    const { inbox } = await socket(a, gestA);
    const inv = expectStatus(await gestA.post('/api/invitations', {
      json: { email: `relais.inv.${randomId()}@exemple.fr`, role: 'mediateur', structure_id: gestA.user.roles[0].structure_id },
    }), 201).json;
    const token = inv.lien.split('/').pop();
    expectStatus(await b.client().post(`/api/invitations/${token}/accept`, { json: { nom: 'Relais', prenom: 'Iva', password: 'mot de passe relais' } }), 200);
    await inbox.notification('invitation_acceptee', 2000);
  });

  it('a log-out on B closes the socket of that session on A', async () => {
    const userA = await a.login(DEMO.lyon);
    const { inbox } = await socket(a, userA);
    const userB = sameSessionOn(b, userA);
    expectStatus(await userB.post('/api/auth/logout'), 204);
    const closed = await inbox.waitClose(2000);
    assert.equal(closed.code, 1000);
    expectError(await userA.get('/api/me'), 401, 'non_authentifie');
  });
});
