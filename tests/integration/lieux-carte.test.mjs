// The map's server side (features/lieux/carte) against a real server, on the engine of
// COOP_IT_ENGINE: GET /api/config/carte gives --carte-style-url (null when unset: the web's offline
// base map); a style URL that is neither http(s) nor a path is refused at start-up; GET
// /api/lieux/zones places each département's bubble at the mean position of its positioned lieux
// and each région's at its départements' mean weighted by their number of lieux, following edits;
// ?communes= gives communes' positions (the statistics map).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, COOP_BIN, ENGINE, DEMO, REFERENTIEL_DIR, createDatabase, expectStatus, expectError } from './harness.mjs';

async function tousLesLieux(client) {
  const out = [];
  for (let apres = 0; ; ) {
    const r = expectStatus(await client.get(`/api/lieux?limite=200&apres=${apres}`), 200).json;
    out.push(...r.lieux);
    if (!r.suivant) return out;
    apres = r.suivant;
  }
}
const departementDe = (insee) => (insee.startsWith('97') ? insee.slice(0, 3) : insee.slice(0, 2));
const proche = (a, b) => Math.abs(a - b) < 1e-9;

describe(`lieux: carte [${ENGINE}]`, () => {
  let server, mediatrice, admin;
  before(async () => {
    server = await startServer({ args: ['--carte-style-url', 'https://tuiles.example/styles/plan.json'] });
    mediatrice = server.client();
    await mediatrice.login(DEMO.mediatrice);
    admin = server.client();
    await admin.login(DEMO.admin);
  });
  after(async () => {
    if (server) await server.stop();
  });

  it('GET /api/config/carte gives the configured style; logged in only', async () => {
    assert.deepEqual(expectStatus(await mediatrice.get('/api/config/carte'), 200).json, { style_url: 'https://tuiles.example/styles/plan.json' });
    expectError(await server.client().get('/api/config/carte'), 401, 'non_authentifie');
    expectError(await server.client().get('/api/lieux/zones'), 401, 'non_authentifie');
  });

  it('zones: centroid of each département\'s positioned lieux, régions weighted; follows an edit', async () => {
    const lieux = await tousLesLieux(admin);
    const attendu = new Map();
    for (const l of lieux) {
      const c = l.champs;
      if (c.latitude == null || c.longitude == null || !c.code_insee) continue;
      const d = departementDe(c.code_insee);
      const a = attendu.get(d) ?? { lat: 0, lon: 0, n: 0 };
      a.lat += c.latitude;
      a.lon += c.longitude;
      a.n += 1;
      attendu.set(d, a);
    }
    const z = expectStatus(await mediatrice.get('/api/lieux/zones'), 200).json;
    assert.ok(z.departements.length >= 2);
    assert.deepEqual(z.departements.map((d) => d.code).sort(), [...attendu.keys()].sort());
    for (const d of z.departements) {
      const a = attendu.get(d.code);
      assert.equal(d.lieux, a.n, d.code);
      assert.ok(proche(d.latitude, a.lat / a.n) && proche(d.longitude, a.lon / a.n), `centre du ${d.code}`);
      assert.ok(d.nom && d.region, d.code);
    }
    for (const r of z.regions) {
      const deps = z.departements.filter((d) => d.region === r.code);
      const n = deps.reduce((s, d) => s + d.lieux, 0);
      assert.equal(r.lieux, n);
      assert.ok(proche(r.latitude, deps.reduce((s, d) => s + d.latitude * d.lieux, 0) / n), r.code);
    }
    assert.equal(z.regions.reduce((s, r) => s + r.lieux, 0), z.departements.reduce((s, d) => s + d.lieux, 0));

    // Moving a lieu moves its département's centre.
    const l = lieux.find((x) => x.champs.latitude != null && x.champs.code_insee);
    const d = departementDe(l.champs.code_insee);
    const avant = z.departements.find((x) => x.code === d);
    expectStatus(await admin.put(`/api/lieux/${l.id}`, { json: { latitude: l.champs.latitude + 0.5 } }), 200);
    const apres = expectStatus(await mediatrice.get('/api/lieux/zones'), 200).json.departements.find((x) => x.code === d);
    assert.ok(proche(apres.latitude, avant.latitude + 0.5 / avant.lieux), 'le centre suit la modification');
  });

  it('zones?communes=: positions of the communes asked for; an unknown code is a 400 naming communes', async () => {
    const z = expectStatus(await mediatrice.get('/api/lieux/zones'), 200).json;
    assert.deepEqual(z.communes, []);
    // Lyon 8e (69388) has demo lieux: a position either way (gazetteer or centre of its lieux).
    const c = expectStatus(await mediatrice.get('/api/lieux/zones?communes=69388,69123'), 200).json.communes;
    const lyon8 = c.find((x) => x.code === '69388');
    assert.ok(lyon8 && Math.abs(lyon8.latitude - 45.73) < 0.2 && Math.abs(lyon8.longitude - 4.87) < 0.2, JSON.stringify(c));
    expectError(await mediatrice.get('/api/lieux/zones?communes=69388,00000'), 400, 'validation', ['communes']);
    const trop = Array.from({ length: 501 }, () => '69388').join(',');
    expectError(await mediatrice.get(`/api/lieux/zones?communes=${trop}`), 400, 'validation', ['communes']);
  });

  it('a style URL that is no http(s) URL nor a path is refused at start-up', () => {
    const db = createDatabase();
    try {
      const r = spawnSync(COOP_BIN, ['--database', db.url, 'serve', '--port', '0', '--referentiel-dir', REFERENTIEL_DIR,
        '--carte-style-url', 'javascript:alert(1)'], { encoding: 'utf8', timeout: 20_000 });
      assert.notEqual(r.status, 0);
      assert.match(r.stderr + r.stdout, /URL du style/);
    } finally {
      db.dispose();
    }
  });
});
