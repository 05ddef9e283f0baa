// `coop demo --activites N` (scale data generator) on the database of a running server: the demo
// accounts still work, generated mediators and coordinators log in and see their data through
// the API, the concentrated mode adds N activities to one mediator, bad options are refused.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, COOP_BIN, ENGINE, DEMO, REFERENTIEL_DIR, expectStatus } from './harness.mjs';

describe(`coop demo --activites [${ENGINE}]`, () => {
  let server;
  const coop = (...args) => {
    const r = spawnSync(COOP_BIN, ['--database', server.db.url, 'demo', '--referentiel-dir', REFERENTIEL_DIR, ...args], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, COOP_FAST_PASSWORD_HASH: '1' },
      timeout: 120_000,
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  // Every live activity of a client, following the cursor.
  const walk = async (client) => {
    let path = '/api/activites?limite=100';
    const ids = new Set();
    let total = 0;
    for (let i = 0; i < 1000; i++) {
      const r = expectStatus(await client.get(path), 200).json;
      total = r.total;
      for (const a of r.items) ids.add(a.id);
      if (!r.suivant) break;
      path = `/api/activites?limite=100&apres=${encodeURIComponent(r.suivant)}`;
    }
    return { ids, total };
  };

  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server?.dispose();
  });

  it('generates N activities next to the demo data; generated accounts log in and see them', async () => {
    const mediatrice = await server.login(DEMO.mediatrice);
    const before = (await walk(mediatrice)).total;

    const r = coop('--activites', '2000', '--seed', '5');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /données de démonstration non rechargées/);
    assert.match(r.out, /Générées : 2000 activités \((\d+) dans la corbeille\)/);
    assert.match(r.out, /\d+ activités\/s, \d+ lignes\/s/);

    // The demo accounts still work and their data did not change.
    assert.equal((await walk(await server.login(DEMO.mediatrice))).total, before);
    expectStatus(await (await server.login(DEMO.admin)).get('/api/users?q=generateur.coop.example'), 200);

    // A generated mediator: their activities, each page through the API, individual ones with a beneficiary.
    const m = await server.login('g5.mediateur.1@generateur.coop.example');
    const { ids, total } = await walk(m);
    assert.ok(total > 0, 'the first generated mediator has activities');
    assert.equal(ids.size, total, 'the cursor walk sees every activity once');
    const page = expectStatus(await m.get('/api/activites?limite=50'), 200).json;
    for (const a of page.items) {
      assert.ok(a.thematiques.length >= 1);
      if (a.type === 'individuel') assert.ok(a.beneficiaire, `individual activity ${a.id} has its beneficiary`);
    }
    const one = expectStatus(await m.get(`/api/activites/${page.items[0].id}`), 200).json;
    assert.equal(one.id, page.items[0].id);

    // A generated coordinator sees their team.
    const c = await server.login('g5.coordination.1@generateur.coop.example');
    expectStatus(await c.get('/api/equipe'), 200);

    // The same seed twice in one database is refused.
    const again = coop('--activites', '10', '--seed', '5');
    assert.equal(again.code, 1);
    assert.match(again.err, /déjà été générées avec la graine 5/);
  });

  it('--mediateur puts every generated activity on one existing mediator', async () => {
    const m = await server.login(DEMO.rennes);
    const before = (await walk(m)).total;
    const r = coop('--activites', '700', '--seed', '9', '--mediateur', DEMO.rennes);
    assert.equal(r.code, 0, r.err);
    const bin = Number(r.out.match(/Générées : 700 activités \((\d+) dans la corbeille\)/)[1]);
    assert.match(r.out, /1 médiateurs, 0 coordinateurs/);
    const after = await walk(m);
    assert.equal(after.total, before + 700 - bin);
    assert.equal(after.ids.size, after.total);
    const corbeille = expectStatus(await m.get('/api/activites/corbeille'), 200).json;
    assert.ok((corbeille.items ?? corbeille).length >= bin);
  });

  it('refuses bad options with a clear message', async () => {
    const zero = coop('--activites', '0');
    assert.notEqual(zero.code, 0);
    const many = coop('--activites', '10000001');
    assert.notEqual(many.code, 0);
    const nobody = coop('--activites', '10', '--mediateur', 'personne@coop.example');
    assert.equal(nobody.code, 1);
    assert.match(nobody.err, /Aucun compte n'a l'adresse personne@coop.example/);
    const admin = coop('--activites', '10', '--mediateur', DEMO.admin);
    assert.equal(admin.code, 1);
    assert.match(admin.err, /n'a pas le rôle médiateur/);
  });
});
