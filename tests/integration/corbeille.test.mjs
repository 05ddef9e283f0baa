// Bins and clean-up (issue 3): the beneficiaries' bin (list, restore one or several; erased and
// merged ones refused; 30 days; owner only), `coop purge` next to a running server (rows aged
// with SQL), the cap on pending import analyses (an evicted one answers 410), lieux d'activité
// with their own updated_at in the public API, and one visibility rule for tags (GET /api/tags
// lists exactly the tags an activity accepts).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  startServer, dbExec, COOP_BIN, ENGINE, DEMO, expectStatus, expectError, todayParis, randomId, sleep,
} from './harness.mjs';

const DAY = 86400e3;
const iso = (deltaMs) => new Date(Date.now() + deltaMs).toISOString();

describe(`bins, purge, import cap, lieux updated_at, tag visibility [${ENGINE}]`, () => {
  let server;
  let med;
  let other;
  let coord;
  let admin;
  const sql = (q) => dbExec(server.db, q);
  const coop = (...args) => {
    const r = spawnSync(COOP_BIN, ['--database', server.db.url, ...args], {
      encoding: 'utf8', env: { PATH: process.env.PATH }, timeout: 60_000,
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  const benef = async (client, nom) =>
    expectStatus(await client.post('/api/beneficiaires', { json: { prenom: 'Léa', nom } }), 201).json;
  const remove = async (client, ...ids) =>
    expectStatus(await client.post('/api/beneficiaires/suppression', { json: { ids } }), 200).json;
  const bin = async (client) => expectStatus(await client.get('/api/beneficiaires/corbeille'), 200).json.items;

  before(async () => {
    server = await startServer();
    med = await server.login(DEMO.mediatrice);
    other = await server.login(DEMO.lyon);
    coord = await server.login(DEMO.coordination);
    admin = await server.login(DEMO.admin);
  });
  after(async () => {
    await server?.dispose();
  });

  it('deleted beneficiaries: listed in the bin (owner only) and restored one by one or several at once', async () => {
    const tag = randomId(3);
    const a = await benef(med, `Corbeille A ${tag}`);
    const b = await benef(med, `Corbeille B ${tag}`);
    const c = await benef(med, `Corbeille C ${tag}`);
    assert.equal((await remove(med, a.id, b.id, c.id)).supprimes, 3);
    const listed = (await bin(med)).filter((x) => x.nom?.endsWith(tag));
    assert.deepEqual(listed.map((x) => x.id).sort(), [a.id, b.id, c.id].sort());
    for (const x of listed) assert.ok(Date.parse(x.supprime_le) > Date.now() - 60e3, 'supprime_le is the deletion instant');
    assert.ok(!(await bin(other)).some((x) => x.id === a.id), 'another mediator does not see it');
    expectError(await other.post(`/api/beneficiaires/${a.id}/restaurer`), 404, 'introuvable');
    expectError(await med.post(`/api/beneficiaires/${a.id + 1_000_000}/restaurer`), 404, 'introuvable');
    // a coordinator (not a mediator) has no beneficiaries: 403
    expectError(await coord.get('/api/beneficiaires/corbeille'), 403, 'acces_refuse');
    expectError(await coord.post(`/api/beneficiaires/${a.id}/restaurer`), 403, 'acces_refuse');

    const back = expectStatus(await med.post(`/api/beneficiaires/${a.id}/restaurer`), 200).json;
    assert.equal(back.id, a.id);
    assert.equal(back.nom, a.nom);
    assert.equal(back.version, a.version + 2, 'deletion and restoration each bump the version');
    expectStatus(await med.get(`/api/beneficiaires/${a.id}`), 200);
    expectError(await med.post(`/api/beneficiaires/${a.id}/restaurer`), 404, 'introuvable', [], 'a live one is not in the bin');

    const many = expectStatus(await med.post('/api/beneficiaires/restauration', { json: { ids: [b.id, c.id, a.id] } }), 200).json;
    assert.equal(many.restaures, 2);
    assert.deepEqual(many.refuses.map((r) => r.id), [a.id]);
    assert.match(many.refuses[0].message, /introuvable/i);
    const found = expectStatus(await med.get(`/api/beneficiaires?q=${encodeURIComponent(tag)}`), 200).json.items;
    assert.deepEqual(found.map((x) => x.id).sort(), [a.id, b.id, c.id].sort());
    assert.equal((await bin(med)).filter((x) => x.nom?.endsWith(tag)).length, 0);
    expectError(await med.post('/api/beneficiaires/restauration', { json: { ids: [] } }), 400, 'validation', ['ids']);
    expectError(await med.post('/api/beneficiaires/restauration', { json: { ids: ['x'] } }), 400, 'validation', ['ids']);
  });

  it('erased (RGPD), merged-away and 30-day-old beneficiaries are not restorable, with a clear French error', async () => {
    const tag = randomId(3);
    const erased = await benef(med, `Efface ${tag}`);
    expectStatus(await med.post(`/api/beneficiaires/${erased.id}/effacer`), 204);
    const target = await benef(med, `Cible ${tag}`);
    const source = await benef(med, `Source ${tag}`);
    expectStatus(await med.post(`/api/beneficiaires/${target.id}/fusionner`, { json: { source_id: source.id } }), 200);
    const old = await benef(med, `Ancien ${tag}`);
    await remove(med, old.id);
    sql(`UPDATE beneficiaires SET deleted_at = '${iso(-31 * DAY)}' WHERE id = ${old.id}`);

    const anonymous = expectStatus(await med.post('/api/beneficiaires', { json: {} }), 201).json;
    await remove(med, anonymous.id);

    const ids = (await bin(med)).map((x) => x.id);
    for (const x of [erased, source, old, anonymous]) assert.ok(!ids.includes(x.id), `${x.nom ?? 'anonymous'} is not in the bin`);
    const an = expectError(await med.post(`/api/beneficiaires/${anonymous.id}/restaurer`), 409, 'non_restaurable');
    assert.match(an.json.error.message, /anonyme/);
    const e = expectError(await med.post(`/api/beneficiaires/${erased.id}/restaurer`), 409, 'non_restaurable');
    assert.match(e.json.error.message, /effacé.*RGPD/);
    const m = expectError(await med.post(`/api/beneficiaires/${source.id}/restaurer`), 409, 'non_restaurable');
    assert.match(m.json.error.message, /fusionné/);
    const o = expectError(await med.post(`/api/beneficiaires/${old.id}/restaurer`), 404, 'introuvable');
    assert.match(o.json.error.message, /30 jours/);
    const r = expectStatus(await med.post('/api/beneficiaires/restauration', { json: { ids: [erased.id, source.id, old.id] } }), 200).json;
    assert.equal(r.restaures, 0);
    assert.deepEqual(r.refuses.map((x) => x.id).sort(), [erased.id, source.id, old.id].sort());
    // back to a recent deletion, so that the purge test below counts its own rows only
    sql(`UPDATE beneficiaires SET deleted_at = '${iso(-DAY)}' WHERE id = ${old.id}`);
  });

  it('`coop purge` (next to the running server) purges what was deleted more than 30 days ago, once', async () => {
    const tag = randomId(3);
    const kept = await benef(med, `Garde ${tag}`);
    const gone = await benef(med, `Purge ${tag}`);
    const live = await benef(med, `Vivant ${tag}`);
    await remove(med, kept.id, gone.id);
    sql(`UPDATE beneficiaires SET deleted_at = '${iso(-29 * DAY)}' WHERE id = ${kept.id}`);
    sql(`UPDATE beneficiaires SET deleted_at = '${iso(-31 * DAY)}' WHERE id = ${gone.id}`);
    const act = async () => expectStatus(await med.post('/api/activites', {
      json: { type: 'individuel', date: todayParis(), duree: 30, type_lieu: 'a_distance', commune_insee: '69123', thematiques: ['email'] },
    }), 201).json;
    const [a31, a29, alive] = [await act(), await act(), await act()];
    expectStatus(await med.delete(`/api/activites/${a31.id}`), 204);
    expectStatus(await med.delete(`/api/activites/${a29.id}`), 204);
    sql(`UPDATE activites SET deleted_at = '${iso(-31 * DAY)}' WHERE id = ${a31.id}`);
    sql(`UPDATE activites SET deleted_at = '${iso(-29 * DAY)}' WHERE id = ${a29.id}`);

    const r = coop('purge');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Purgé : 1 activité\(s\)/);
    assert.match(r.out, /1 bénéficiaire\(s\) supprimé\(s\)/);
    assert.equal(sql(`SELECT COUNT(*) FROM activites WHERE id = ${a31.id}`), '0');
    assert.equal(sql(`SELECT COUNT(*) FROM activite_beneficiaires WHERE activite_id = ${a31.id}`), '0');
    assert.equal(sql(`SELECT COUNT(*) FROM beneficiaires WHERE id = ${gone.id}`), '0');
    // 29 days: still in the bins and restorable; live ones untouched.
    expectStatus(await med.post(`/api/activites/${a29.id}/restaurer`), 200);
    expectStatus(await med.post(`/api/beneficiaires/${kept.id}/restaurer`), 200);
    expectStatus(await med.get(`/api/activites/${alive.id}`), 200);
    expectStatus(await med.get(`/api/beneficiaires/${live.id}`), 200);
    // Idempotent.
    const again = coop('purge');
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, /Rien à purger/);
  });

  it('at most 5 pending import analyses per mediator: a newer one expires the oldest, whose confirmation gets 410', async () => {
    const analyse = async (n) => expectStatus(await other.post('/api/beneficiaires/import/analyse', {
      body: `prenom;nom\r\nCap${n};Import${n}\r\n`, headers: { 'content-type': 'text/csv' },
    }), 200).json;
    const ids = [];
    for (let i = 0; i < 7; i++) ids.push((await analyse(i)).import_id);
    const pending = sql(`SELECT COUNT(*) FROM imports_beneficiaires WHERE mediateur_id = ${other.user.id} AND confirmed_at IS NULL AND payload <> ''`);
    assert.equal(pending, '5', 'the payloads of the evicted ones are dropped');
    for (const id of ids.slice(0, 2)) {
      const e = expectError(await other.post(`/api/beneficiaires/import/${id}/confirmer`), 410, 'import_expire');
      assert.match(e.json.error.message, /^Cette analyse a expiré/);
    }
    assert.deepEqual(expectStatus(await other.post(`/api/beneficiaires/import/${ids[2]}/confirmer`), 200).json, { importes: 1 });
    assert.deepEqual(expectStatus(await other.post(`/api/beneficiaires/import/${ids[6]}/confirmer`), 200).json, { importes: 1 });
    // Another mediator's pending analyses are not touched by these.
    const mine = expectStatus(await med.post('/api/beneficiaires/import/analyse', {
      body: 'prenom;nom\r\nAutre;Mediatrice\r\n', headers: { 'content-type': 'text/csv' },
    }), 200).json;
    for (let i = 7; i < 13; i++) await analyse(i);
    assert.deepEqual(expectStatus(await med.post(`/api/beneficiaires/import/${mine.import_id}/confirmer`), 200).json, { importes: 1 });
  });

  it('lieux d\'activité: updated_at set on creation and on every change; the public feed follows it', async () => {
    const client = expectStatus(await admin.post('/api/admin/clients-api', { json: { nom: `Lieux ${randomId(3)}`, scopes: ['lieux_activite'] } }), 201).json;
    const auth = `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`;
    const v1 = async (p) => {
      const res = await fetch(server.baseUrl + p, { headers: { authorization: auth } });
      return { status: res.status, json: await res.json(), text: '', method: 'GET', path: p };
    };
    const lieux = expectStatus(await med.get('/api/lieux-activite'), 200).json.items;
    const lieu = lieux[0];
    const all = expectStatus(await v1('/api/v1/lieux-activite?page[size]=500'), 200).json.data;
    const before = all.find((x) => x.id === lieu.id).attributes;
    assert.ok(before.updated_at >= before.created_at, 'backfilled from created_at');
    await sleep(5);
    const since = new Date().toISOString();
    // nothing changed since: the lieu is not in the feed
    const none = expectStatus(await v1(`/api/v1/lieux-activite?filter[modification][depuis]=${since}`), 200).json.data;
    assert.ok(!none.some((x) => x.id === lieu.id));
    await sleep(5);
    expectStatus(await med.patch(`/api/lieux-activite/${lieu.id}`, { json: { fin: todayParis() } }), 200);
    const changed = expectStatus(await v1(`/api/v1/lieux-activite?filter[modification][depuis]=${encodeURIComponent(since)}`), 200).json.data;
    const after = changed.find((x) => x.id === lieu.id)?.attributes;
    assert.ok(after, 'the changed lieu is in the feed since the change');
    assert.equal(after.fin, todayParis());
    assert.ok(after.updated_at > since);
    assert.equal(after.created_at, before.created_at);
    expectStatus(await med.patch(`/api/lieux-activite/${lieu.id}`, { json: { fin: null } }), 200);
    // Renaming the structure changes what the lieu shows: it is in the feed again.
    await sleep(5);
    const since2 = new Date().toISOString();
    await sleep(5);
    const st = expectStatus(await admin.get(`/api/structures/${lieu.structure_id}`), 200).json;
    expectStatus(await admin.patch(`/api/structures/${lieu.structure_id}`, { json: { nom: `${st.nom} (renommée)` } }), 200);
    const renamed = expectStatus(await v1(`/api/v1/lieux-activite?filter[modification][depuis]=${encodeURIComponent(since2)}`), 200).json.data;
    assert.equal(renamed.find((x) => x.id === lieu.id)?.attributes.nom, `${st.nom} (renommée)`);
    expectStatus(await admin.patch(`/api/structures/${lieu.structure_id}`, { json: { nom: st.nom } }), 200);
    expectError(await v1('/api/v1/lieux-activite?filter[modification][depuis]=hier'), 400, 'validation', ['filter[modification][depuis]']);
  });

  it('tags: GET /api/tags lists exactly the tags an activity accepts, for each user', async () => {
    const t = randomId(3);
    const made = [];
    const mk = async (client, body) => made.push(expectStatus(await client.post('/api/tags', { json: body }), 201).json);
    await mk(admin, { nom: `Rhône ${t}`, portee: 'departemental', departement: '69' });
    await mk(admin, { nom: `Ille ${t}`, portee: 'departemental', departement: '35' });
    await mk(admin, { nom: `Corrèze ${t}`, portee: 'departemental', departement: '19' });
    await mk(coord, { nom: `Équipe ${t}`, portee: 'equipe' });
    await mk(med, { nom: `Perso ${t}`, portee: 'personnel' });
    let refusedSomething = false;
    for (const email of [DEMO.mediatrice, DEMO.rennes, DEMO.tulle, DEMO.ancien]) {
      const c = await server.login(email);
      const seen = new Set(expectStatus(await c.get('/api/tags'), 200).json.items.map((x) => x.id));
      for (const tag of made) {
        const r = await c.post('/api/activites', {
          json: { type: 'individuel', date: todayParis(), duree: 30, type_lieu: 'a_distance', commune_insee: '69123', thematiques: ['email'], tags: [tag.id] },
        });
        if (seen.has(tag.id)) expectStatus(r, 201, `${email} sees « ${tag.nom} » and may use it`);
        else {
          expectError(r, 400, 'validation', ['tags'], `${email} does not see « ${tag.nom} »: refused`);
          refusedSomething = true;
        }
      }
    }
    assert.ok(refusedSomething);
    const mediatrice = await server.login(DEMO.mediatrice);
    const seen = expectStatus(await mediatrice.get('/api/tags'), 200).json.items.map((x) => x.nom);
    assert.ok(seen.includes(`Rhône ${t}`) && !seen.includes(`Corrèze ${t}`), 'the Rhône tag only, for a mediator of the Rhône');
  });
});
