// API clients (admin) and the public API v1: client lifecycle, authentication (Basic and
// Bearer, bad secret, revoked, validity dates, scopes), cursor pagination with no duplicate and
// no gap while rows change, `filter[modification][depuis]`, deleted activities, anonymisation.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, ENGINE, DEMO, expectStatus, expectError, todayParis, randomId, sleep,
} from './harness.mjs';

// A client of the public API: no cookie, credentials in the Authorization header.
function v1(server, { id, secret, scheme = 'basic' }) {
  const auth = scheme === 'basic'
    ? `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`
    : `Bearer ${id}:${secret}`;
  return async (path, headers = {}) => {
    const res = await fetch(server.baseUrl + path, { headers: { authorization: auth, ...headers } });
    const text = await res.text();
    let json;
    try { json = JSON.parse(text); } catch { json = undefined; }
    return { status: res.status, headers: res.headers, text, json, method: 'GET', path };
  };
}

async function anonymousGet(server, path, headers = {}) {
  const res = await fetch(server.baseUrl + path, { headers });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, headers: res.headers, text, json, method: 'GET', path };
}

export function activiteBody(overrides = {}) {
  return {
    type: 'individuel', date: todayParis(), duree: 30, type_lieu: 'a_distance', commune_insee: '69123',
    materiel: ['ordinateur'], thematiques: ['email'], autonomie: 'autonome', ...overrides,
  };
}

// Every page of a v1 list, following links.next; returns the items and the page count.
async function walk(get, path) {
  const items = [];
  let next = path;
  let pages = 0;
  while (next) {
    const r = expectStatus(await get(next), 200);
    assert.ok(Array.isArray(r.json.data), 'data is an array');
    items.push(...r.json.data);
    next = r.json.links.next;
    if (next) assert.equal(r.json.meta.next_cursor, new URL(next, 'http://x').searchParams.get('page[after]'));
    if (++pages > 1000) assert.fail('too many pages');
  }
  return { items, pages };
}

describe(`public API v1 and API clients [${ENGINE}]`, () => {
  let server;
  let admin;
  let mediatrice;
  let lyon;

  before(async () => {
    server = await startServer();
    admin = await server.login(DEMO.admin);
    mediatrice = await server.login(DEMO.mediatrice);
    lyon = await server.login(DEMO.lyon);
  });
  after(async () => {
    await server?.dispose();
  });

  async function createClient(body) {
    return expectStatus(await admin.post('/api/admin/clients-api', { json: body }), 201).json;
  }

  it('an admin creates a client: the secret is shown once, stored hashed, audited', async () => {
    const c = await createClient({ nom: 'Observatoire régional', scopes: ['structures', 'activites'] });
    assert.match(c.client_id, /^coop_[A-Za-z0-9_-]{16}$/);
    assert.match(c.client_secret, /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(c.scopes, ['activites', 'structures']);
    assert.equal(c.valide_du, todayParis());
    assert.equal(c.valide_au, null);
    assert.equal(c.actif, true);
    assert.equal(c.revoked_at, null);
    const list = expectStatus(await admin.get('/api/admin/clients-api'), 200).json.items;
    const listed = list.find((x) => x.id === c.id);
    assert.ok(listed);
    assert.equal(listed.client_secret, undefined, 'the secret is never listed');
    assert.ok(!JSON.stringify(list).includes(c.client_secret));
    const audit = expectStatus(await admin.get('/api/audit?per_page=20'), 200).json.items;
    assert.ok(audit.some((a) => a.event === 'api_client_created' && a.detail.includes(c.client_id)));
    assert.ok(!JSON.stringify(audit).includes(c.client_secret), 'the secret is not in the audit log');
  });

  it('creation is validated field by field', async () => {
    let r = await admin.post('/api/admin/clients-api', { json: {} });
    expectError(r, 400, 'validation', ['nom', 'scopes']);
    r = await admin.post('/api/admin/clients-api', { json: { nom: 'X', scopes: ['activites', 'tout'] } });
    expectError(r, 400, 'validation', ['scopes']);
    r = await admin.post('/api/admin/clients-api', { json: { nom: 'X', scopes: 'activites' } });
    expectError(r, 400, 'validation', ['scopes']);
    r = await admin.post('/api/admin/clients-api', {
      json: { nom: 'X', scopes: ['activites'], valide_du: '2026-05-01', valide_au: '2026-04-30' },
    });
    expectError(r, 400, 'validation', ['valide_au']);
    r = await admin.post('/api/admin/clients-api', { json: { nom: 'X', scopes: ['activites'], valide_du: '2026-02-30' } });
    expectError(r, 400, 'validation', ['valide_du']);
  });

  it('authentication: Basic and Bearer accepted; missing, malformed or wrong credentials → 401 with WWW-Authenticate', async () => {
    const c = await createClient({ nom: 'Auth', scopes: ['structures'] });
    for (const scheme of ['basic', 'bearer']) {
      const r = expectStatus(await v1(server, { id: c.client_id, secret: c.client_secret, scheme })('/api/v1/structures'), 200);
      assert.ok(r.json.data.length >= 5, 'the demo structures');
      assert.equal(r.headers.get('set-cookie'), null, 'no cookie on the public API');
    }
    const bad = [
      await anonymousGet(server, '/api/v1/structures'),
      await v1(server, { id: c.client_id, secret: c.client_secret + 'x' })('/api/v1/structures'),
      await v1(server, { id: c.client_id, secret: 'x' })('/api/v1/structures'),
      await v1(server, { id: 'coop_inconnu', secret: c.client_secret })('/api/v1/structures'),
      await anonymousGet(server, '/api/v1/structures', { authorization: 'Basic !!!' }),
      await anonymousGet(server, '/api/v1/structures', { authorization: `Digest ${c.client_id}` }),
      await anonymousGet(server, '/api/v1/structures', { authorization: `Bearer ${c.client_secret}` }),
    ];
    for (const r of bad) {
      expectError(r, 401, 'non_authentifie');
      assert.match(r.headers.get('www-authenticate') ?? '', /^Basic realm="Coop API v1"/);
    }
    // A browser session opens nothing on the public API, even an admin's.
    const asAdmin = await admin.get('/api/v1/structures');
    expectError(asAdmin, 401, 'non_authentifie');
    // And client credentials open nothing outside it.
    const res = await fetch(server.baseUrl + '/api/me', {
      headers: { authorization: `Basic ${Buffer.from(`${c.client_id}:${c.client_secret}`).toString('base64')}` },
    });
    assert.equal(res.status, 401);
  });

  it('scopes: a client without the scope of a route gets 403', async () => {
    const c = await createClient({ nom: 'Structures seulement', scopes: ['structures'] });
    const get = v1(server, { id: c.client_id, secret: c.client_secret });
    expectStatus(await get('/api/v1/structures'), 200);
    expectError(await get('/api/v1/activites'), 403, 'acces_refuse');
    expectError(await get('/api/v1/lieux-activite'), 403, 'acces_refuse');
    const all = await createClient({ nom: 'Tout', scopes: ['structures', 'activites', 'lieux_activite'] });
    const get2 = v1(server, { id: all.client_id, secret: all.client_secret });
    for (const p of ['/api/v1/structures', '/api/v1/activites', '/api/v1/lieux-activite']) expectStatus(await get2(p), 200);
  });

  it('revocation: 204, then 401; audited; revoking twice is harmless; unknown id 404', async () => {
    const c = await createClient({ nom: 'À révoquer', scopes: ['structures'] });
    const get = v1(server, { id: c.client_id, secret: c.client_secret });
    expectStatus(await get('/api/v1/structures'), 200);
    expectStatus(await admin.delete(`/api/admin/clients-api/${c.id}`), 204);
    const r = expectError(await get('/api/v1/structures'), 401, 'non_authentifie');
    assert.match(r.json.error.message, /révoqué/);
    expectStatus(await admin.delete(`/api/admin/clients-api/${c.id}`), 204);
    expectError(await admin.delete('/api/admin/clients-api/999999'), 404, 'introuvable');
    const listed = expectStatus(await admin.get('/api/admin/clients-api'), 200).json.items.find((x) => x.id === c.id);
    assert.ok(listed.revoked_at);
    assert.equal(listed.actif, false);
    const audit = expectStatus(await admin.get('/api/audit?per_page=30'), 200).json.items;
    assert.equal(audit.filter((a) => a.event === 'api_client_revoked' && a.detail.includes(c.client_id)).length, 1);
  });

  it('validity dates: before valide_du and after valide_au → 401', async () => {
    const future = await createClient({ nom: 'Futur', scopes: ['structures'], valide_du: todayParis(2) });
    const past = await createClient({ nom: 'Passé', scopes: ['structures'], valide_du: '2024-01-01', valide_au: todayParis(-1) });
    const current = await createClient({ nom: 'Actuel', scopes: ['structures'], valide_du: todayParis(-1), valide_au: todayParis() });
    for (const c of [future, past]) {
      const r = expectError(await v1(server, { id: c.client_id, secret: c.client_secret })('/api/v1/structures'), 401, 'non_authentifie');
      assert.match(r.json.error.message, /validité/);
      assert.equal(c.actif, false);
    }
    expectStatus(await v1(server, { id: current.client_id, secret: current.client_secret })('/api/v1/structures'), 200);
  });

  it('structures: cursor pages of any size give every structure once, in (updated_at, id) order', async () => {
    const c = await createClient({ nom: 'Pages', scopes: ['structures'] });
    const get = v1(server, { id: c.client_id, secret: c.client_secret });
    const all = expectStatus(await get('/api/v1/structures?page[size]=500'), 200).json.data;
    assert.ok(all.length >= 5);
    for (const size of [1, 2, 3]) {
      const { items, pages } = await walk(get, `/api/v1/structures?page%5Bsize%5D=${size}`);
      assert.deepEqual(items.map((s) => s.id), all.map((s) => s.id));
      assert.equal(pages, Math.ceil(all.length / size));
    }
    const s = all[0];
    assert.equal(s.type, 'structure');
    for (const k of ['nom', 'siret', 'adresse', 'commune_insee', 'commune_nom', 'departement', 'region', 'updated_at'])
      assert.ok(k in s.attributes, k);
    expectError(await get('/api/v1/structures?page[size]=0'), 400, 'validation', ['page[size]']);
    expectError(await get('/api/v1/structures?page[size]=501'), 400, 'validation', ['page[size]']);
    expectError(await get('/api/v1/structures?page[after]=pas-un-curseur'), 400, 'validation', ['page[after]']);
    expectError(await get('/api/v1/structures?filter[modification][depuis]=hier'), 400, 'validation', ['filter[modification][depuis]']);
    const none = expectStatus(await get(`/api/v1/structures?filter[modification][depuis]=${todayParis(1)}`), 200).json;
    assert.deepEqual(none.data, []);
    assert.equal(none.links.next, null);
  });

  it('activités: incremental sync with no duplicate and no gap while activities change; deletions reported; no names', async () => {
    const c = await createClient({ nom: 'Synchro', scopes: ['activites'] });
    const get = v1(server, { id: c.client_id, secret: c.client_secret });

    // The demo's activities predate this mark: the feed below is restricted to what this test does.
    const start = new Date().toISOString();
    await sleep(5);
    // A followed beneficiary with a recognisable name, in an atelier and an individual CRA.
    const marker = `Zorglub${randomId(3)}`;
    const b = expectStatus(await mediatrice.post('/api/beneficiaires', {
      json: { anonyme: false, prenom: marker, nom: `Nom${marker}`, genre: 'feminin', tranche_age: 'soixante_dix_plus' },
    }), 201).json;
    const created = [];
    for (let i = 0; i < 12; i++) {
      const who = i % 2 ? lyon : mediatrice;
      const body = activiteBody({ duree: 15 + i, notes: `Note privée ${marker}` });
      created.push(expectStatus(await who.post('/api/activites', { json: body }), 201).json);
    }
    created.push(expectStatus(await mediatrice.post('/api/activites', {
      json: activiteBody({
        beneficiaire_id: b.id, thematiques: ['aide_aux_demarches_administratives'], demarches: ['logement'],
        precisions_demarche: `Précision ${marker}`,
      }),
    }), 201).json);
    created.push(expectStatus(await mediatrice.post('/api/activites', {
      json: activiteBody({
        type: 'collectif', titre_atelier: 'Atelier e-mail', niveau: 'debutant', autonomie: undefined, participants: [b.id],
        participants_anonymes: {
          total: 2, genre: { masculin: 1, feminin: 1 }, tranche_age: { vingt_cinq_trente_neuf: 2 },
          statut_social: { en_emploi: 2 }, deja_accompagne: { oui: 1, non: 1 },
        },
      }),
    }), 201).json);
    const ids = new Set(created.map((a) => a.id));

    // First page, then changes, then the rest: a changed activity moves to the end.
    const seen = new Map();
    const feed = `/api/v1/activites?filter[modification][depuis]=${encodeURIComponent(start)}&page[size]=5`;
    let r = expectStatus(await get(feed), 200).json;
    for (const a of r.data) seen.set(a.id, (seen.get(a.id) ?? 0) + 1);
    const firstPage = r.data.map((a) => a.id);
    const changed = firstPage.find((id) => ids.has(id) && created.find((a) => a.id === id).mediateur_id === mediatrice.user.id);
    const mark = new Date().toISOString();
    await sleep(5);
    const cur = expectStatus(await mediatrice.get(`/api/activites/${changed}`), 200).json;
    expectStatus(await mediatrice.put(`/api/activites/${changed}`, {
      json: activiteBody({ version: cur.version, duree: 99 }),
    }), 200);
    const deleted = created.find((a) => a.mediateur_id === lyon.user.id && !firstPage.includes(a.id)).id;
    expectStatus(await lyon.delete(`/api/activites/${deleted}`), 204);

    let next = r.links.next;
    const order = [...r.data];
    while (next) {
      r = expectStatus(await get(next), 200).json;
      for (const a of r.data) seen.set(a.id, (seen.get(a.id) ?? 0) + 1);
      order.push(...r.data);
      next = r.links.next;
    }
    for (const id of ids) assert.ok(seen.has(id), `activity ${id} missing from the feed`);
    for (const id of seen.keys()) assert.ok(ids.has(id), `activity ${id} predates the filter`);
    for (const [id, n] of seen) assert.ok(n === 1 || id === changed, `activity ${id} seen ${n} times`);
    assert.equal(seen.get(changed), 2, 'the changed activity is met again at the end');
    const last = order.filter((a) => a.id === changed).at(-1);
    assert.equal(last.attributes.duree, 99);
    const del = order.filter((a) => a.id === deleted).at(-1);
    assert.ok(del.attributes.supprime_le, 'a deleted activity carries supprime_le');
    for (let i = 1; i < order.length; i++) {
      const [p, q] = [order[i - 1], order[i]];
      if (p.id === changed || q.id === changed) continue; // the first sighting predates the change
      assert.ok(p.attributes.updated_at < q.attributes.updated_at ||
        (p.attributes.updated_at === q.attributes.updated_at && p.id < q.id), 'ordered by (updated_at, id)');
    }

    // Incremental: only what changed since the mark.
    const since = await walk(get, `/api/v1/activites?filter[modification][depuis]=${encodeURIComponent(mark)}&page[size]=1`);
    assert.deepEqual(since.items.map((a) => a.id).sort((x, y) => x - y), [changed, deleted].sort((x, y) => x - y));
    // The same instant with an offset.
    const d = new Date(mark);
    const local = new Date(d.getTime() + 2 * 3600e3).toISOString().slice(0, 23) + '+02:00';
    const since2 = await walk(get, `/api/v1/activites?filter[modification][depuis]=${encodeURIComponent(local)}`);
    assert.deepEqual(since2.items.map((a) => a.id).sort(), since.items.map((a) => a.id).sort());

    // An individual CRA with the profile of its anonymous beneficiary.
    const profiled = expectStatus(await mediatrice.post('/api/activites', {
      json: activiteBody({ beneficiaire_anonyme: { genre: 'feminin', tranche_age: 'soixante_dix_plus', statut_social: 'retraite', commune_insee: '69266', code_postal: '69100' } }),
    }), 201).json;

    // Anonymised: counts only, never a name nor free text.
    const all = await walk(get, '/api/v1/activites?page[size]=500');
    assert.ok(all.items.length >= ids.size + 100, 'the demo activities are in the feed too');
    const text = JSON.stringify(all.items);
    assert.ok(!text.includes(marker), 'no beneficiary name, note or précision in the public API');
    const atelier = all.items.find((a) => a.id === created.at(-1).id).attributes;
    assert.equal(atelier.participants.total, 3);
    assert.equal(atelier.participants.suivis, 1);
    assert.equal(atelier.participants.anonymes, 2);
    assert.deepEqual(atelier.participants.genre, { masculin: 1, feminin: 2, non_communique: 0 });
    assert.equal(atelier.participants.tranche_age.soixante_dix_plus, 1);
    assert.equal(atelier.mediateur_id, mediatrice.user.id);
    for (const k of ['notes', 'precisions_demarche', 'beneficiaire', 'participants_anonymes'])
      assert.ok(!(k in atelier), `no ${k}`);
    const indiv = all.items.find((a) => a.id === created[0].id).attributes;
    assert.equal(indiv.participants.total, 1);
    assert.equal(indiv.commune_insee, '69123');
    assert.equal(indiv.commune_nom, 'Lyon');
    assert.deepEqual(indiv.thematiques, ['email']);
    assert.equal(indiv.participants.anonymes, 1, 'its anonymous beneficiary');
    assert.deepEqual(indiv.beneficiaire_anonyme, { genre: null, tranche_age: null, statut_social: null, commune_insee: null, commune_nom: null });
    const anon = all.items.find((a) => a.id === profiled.id).attributes;
    assert.deepEqual(anon.beneficiaire_anonyme,
      { genre: 'feminin', tranche_age: 'soixante_dix_plus', statut_social: 'retraite', commune_insee: '69266', commune_nom: 'Villeurbanne' });
    assert.equal(anon.participants.anonymes, 1);
    assert.equal(anon.participants.genre.feminin, 1);
    assert.equal(anon.participants.statut_social.retraite, 1);
    const followed = all.items.find((a) => a.id === created.at(-2).id).attributes;
    assert.equal(followed.beneficiaire_anonyme, null, 'a followed beneficiary is never described');
    assert.equal(followed.participants.suivis, 1);
  });

  it('lieux d\'activité: every mediator\'s, with their structure and dates', async () => {
    const c = await createClient({ nom: 'Lieux', scopes: ['lieux_activite'] });
    const get = v1(server, { id: c.client_id, secret: c.client_secret });
    const mine = expectStatus(await mediatrice.get('/api/lieux-activite'), 200).json.items;
    assert.ok(mine.length >= 2, 'the demo gives the mediatrice two lieux');
    const { items, pages } = await walk(get, '/api/v1/lieux-activite?page[size]=2');
    assert.ok(pages >= 3);
    assert.equal(new Set(items.map((l) => l.id)).size, items.length, 'no duplicate');
    assert.ok(new Set(items.map((l) => l.attributes.mediateur_id)).size >= 5, 'every mediator\'s lieux');
    for (const l of mine) {
      const found = items.find((x) => x.id === l.id);
      assert.ok(found, `lieu ${l.id} listed`);
      assert.equal(found.type, 'lieu_activite');
      assert.equal(found.attributes.structure_id, l.structure_id);
      assert.equal(found.attributes.mediateur_id, mediatrice.user.id);
      assert.equal(found.attributes.debut, l.debut);
      assert.equal(found.attributes.fin, l.fin);
      assert.equal(found.attributes.nom, l.nom);
    }
  });
});
