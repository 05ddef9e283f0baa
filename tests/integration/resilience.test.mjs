// PostgreSQL going away under a running server: dropped connections are replaced transparently;
// while the database refuses connections the API answers 503 (health "degraded"), and it
// recovers by itself when the database is back. (PostgreSQL only: SQLite is in-process.)
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, ENGINE, DEMO, expectStatus, expectError } from './harness.mjs';

const skip = ENGINE !== 'postgres' && 'PostgreSQL only';

function psql(sql) {
  return execFileSync('psql', ['-X', '-q', '-tA', '-v', 'ON_ERROR_STOP=1', '-d', process.env.COOP_TEST_PG_URL, '-c', sql], {
    encoding: 'utf8',
    env: { ...process.env, PGCONNECT_TIMEOUT: '10' },
  }).trim();
}

describe(`database outages [${ENGINE}]`, { skip }, () => {
  let server, admin;
  const terminate = () =>
    Number(psql(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '${server.db.name}' AND pid <> pg_backend_pid()`));

  before(async () => {
    server = await startServer();
    admin = await server.login(DEMO.admin);
  });
  after(async () => {
    if (server) {
      try {
        psql(`ALTER DATABASE ${server.db.name} ALLOW_CONNECTIONS true`);
      } catch {}
      await server.dispose();
    }
  });

  it('connections killed by the database are replaced: the next requests succeed', async () => {
    // Several pooled connections exist.
    await Promise.all(Array.from({ length: 6 }, () => admin.get('/api/users?per_page=1')));
    assert.ok(terminate() >= 1, 'the server had connections to terminate');
    for (let i = 0; i < 8; i++) expectStatus(await admin.get('/api/me'), 200, `read ${i}`);
    const w = expectStatus(await admin.post('/api/structures', { json: { nom: 'Après coupure', commune_insee: '69123' } }), 201);
    expectStatus(await admin.get(`/api/structures/${w.json.id}`), 200);
  });

  // (was a bug: health() had no stale-connection retry)
  it('right after the database dropped the connections, /api/health is still 200', async () => {
    await Promise.all(Array.from({ length: 6 }, () => admin.get('/api/users?per_page=1')));
    assert.ok(terminate() >= 1);
    for (let i = 0; i < 4; i++) expectStatus(await server.client().get('/api/health'), 200, `health ${i}`);
  });

  it('while the database refuses connections: health 503 "degraded", API 503 base_indisponible; back by itself after', async () => {
    psql(`ALTER DATABASE ${server.db.name} ALLOW_CONNECTIONS false`);
    terminate();

    const h = await server.client().get('/api/health');
    expectStatus(h, 503);
    assert.equal(h.json.status, 'degraded');
    assert.equal(h.json.database.ok, false);
    assert.equal(h.json.database.engine, 'postgresql');
    expectError(await admin.get('/api/me'), 503, 'base_indisponible');
    expectError(await admin.post('/api/structures', { json: { nom: 'Pendant la panne', commune_insee: '69123' } }), 503, 'base_indisponible');
    // Reference data lives in memory: anonymous visitors still get it.
    expectStatus(await server.client().get('/api/communes?q=lyon&limit=1'), 200);
    assert.ok(server.running, 'the server stays up');

    psql(`ALTER DATABASE ${server.db.name} ALLOW_CONNECTIONS true`);
    expectStatus(await server.client().get('/api/health'), 200, 'healthy again as soon as the database is back');
    expectStatus(await admin.get('/api/me'), 200, 'the session survived the outage');
    expectStatus(await admin.post('/api/structures', { json: { nom: 'Après la panne', commune_insee: '69123' } }), 201);
    const list = expectStatus(await admin.get('/api/structures?q=panne'), 200).json.items.map((s) => s.nom);
    assert.deepEqual(list, ['Après la panne'], 'the write refused during the outage did not happen');
  });
});
