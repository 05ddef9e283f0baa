// Durability: every write the server acknowledged survives a kill -9, on the same database.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, createDatabase, ENGINE, DEMO, expectStatus, allPages, sleep, randomId,
} from './harness.mjs';

describe(`durability across kill -9 [${ENGINE}]`, () => {
  const db = createDatabase();
  let server;
  after(async () => {
    if (server?.running) await server.kill9();
    db.dispose();
  });

  it('200 sequential writes, then a concurrent burst killed mid-way: every acknowledged write is there after a restart', async () => {
    server = await startServer({ db });
    const admin = await server.login(DEMO.admin);
    const run = randomId(4);
    const acknowledged = new Map(); // id -> nom

    for (let i = 0; i < 200; i++) {
      const nom = `Durabilité ${run} séquentielle ${i}`;
      const r = await admin.post('/api/structures', { json: { nom, adresse: `${i} rue du Test`, commune_insee: '69123' } });
      expectStatus(r, 201);
      acknowledged.set(r.json.id, nom);
    }
    assert.equal(acknowledged.size, 200, 'ids are distinct');

    // Concurrent burst: 16 writers; the server is killed once 60 burst writes were acknowledged.
    let burstAcked = 0;
    let failures = 0;
    let killed = false;
    let seq = 0;
    const writer = async () => {
      for (let k = 0; k < 200 && !killed; k++) {
        const nom = `Durabilité ${run} rafale ${seq++}`;
        try {
          const r = await admin.post('/api/structures', { json: { nom, commune_insee: '42218' } });
          if (r.status === 201) {
            acknowledged.set(r.json.id, nom);
            burstAcked++;
          } else if (!killed) {
            assert.fail(`unexpected answer during the burst: ${r.status} ${r.text}`);
          }
        } catch (e) {
          if (e instanceof assert.AssertionError) throw e;
          failures++; // the connection died with the server: not acknowledged
        }
      }
    };
    const killer = (async () => {
      while (burstAcked < 60) {
        if (!server.running) break;
        await sleep(2);
      }
      killed = true;
      const exit = await server.kill9();
      assert.equal(exit.signal, 'SIGKILL');
    })();
    await Promise.all([...Array.from({ length: 16 }, writer), killer]);
    assert.ok(burstAcked >= 60, `burst acknowledged ${burstAcked}`);

    // Restart on the same database and port (no demo reload: the database is not empty).
    server = await startServer({ db, demo: false, port: server.port });
    const health = expectStatus(await server.client().get('/api/health'), 200).json;
    assert.equal(health.database.ok, true);
    const admin2 = await server.login(DEMO.admin);
    const all = await allPages(admin2, '/api/structures');
    const byId = new Map(all.map((s) => [s.id, s.nom]));
    const lost = [];
    for (const [id, nom] of acknowledged) if (byId.get(id) !== nom) lost.push(`${id} ${nom} → ${byId.get(id)}`);
    assert.deepEqual(lost, [], `${lost.length} acknowledged write(s) lost out of ${acknowledged.size} (burst ${burstAcked}, failed in flight ${failures})`);
    // Whatever was in flight is either fully there or absent: no structure of this run is half-written.
    for (const s of all.filter((x) => x.nom.startsWith(`Durabilité ${run}`))) {
      assert.ok(s.commune_nom, `structure ${s.id} is complete`);
    }
    // The database still takes writes, with fresh ids.
    const next = expectStatus(await admin2.post('/api/structures', { json: { nom: `Après redémarrage ${run}`, commune_insee: '69123' } }), 201);
    assert.ok(!acknowledged.has(next.json.id), 'a new id is never one already acknowledged');
    // Sessions survive a restart too (they live in the database).
    expectStatus(await admin.get('/api/me'), 200, 'the session opened before the kill still works');
    const exit = await server.stop();
    assert.deepEqual(exit, { code: 0, signal: null }, server.logTail());
  });
});
