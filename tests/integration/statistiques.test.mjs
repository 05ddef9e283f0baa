// Statistics over HTTP (issue 4): read-your-writes, scopes by role, filters, exports, share
// links, the public API v1 — and, on PostgreSQL, a write on one instance counted by another
// within a second.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, ENGINE, DEMO, DEMO_STRUCTURES, expectStatus, expectError, allPages, todayParis, randomId, sleep,
} from './harness.mjs';

const TERRITOIRE = 'territoire@coop.example';
const BREAKDOWNS = ['types', 'thematiques', 'demarches', 'materiel', 'canaux', 'durees', 'autonomie', 'orientation',
  'redirections', 'lieux', 'communes', 'tags', 'genres', 'tranches_age', 'statuts', 'communes_residence'];

// The raw bytes of a download (the client decodes text, which would hide a BOM).
async function raw(client, urlPath) {
  const res = await fetch(client.base + urlPath, { headers: { cookie: client.cookieHeader() } });
  return { status: res.status, headers: res.headers, buf: Buffer.from(await res.arrayBuffer()) };
}

const line = (stats, rep, cle) => stats.repartitions[rep].find((l) => l.cle === cle) ?? { valeur: 0, activites: 0 };

describe(`statistics [${ENGINE}]`, () => {
  let server;
  let med;
  let sid;

  const individuel = (over = {}) => ({
    type: 'individuel', date: todayParis(-1), duree: 45, type_lieu: 'lieu_activite', lieu_activite_id: sid.bachut,
    thematiques: ['intelligence_artificielle'], materiel: ['tablette'], autonomie: 'autonome', ...over,
  });

  before(async () => {
    server = await startServer();
    med = await server.login(DEMO.mediatrice);
    const admin = await server.login(DEMO.admin);
    const structures = await allPages(admin, '/api/structures');
    sid = { bachut: structures.find((s) => s.nom === DEMO_STRUCTURES.bachut).id,
      connexions: structures.find((s) => s.nom === DEMO_STRUCTURES.connexions).id };
  });
  after(async () => {
    await server?.dispose();
  });

  it('a mediator sees their own figures; every breakdown adds up to 100 %', async () => {
    const perims = expectStatus(await med.get('/api/statistiques/perimetres'), 200).json;
    assert.equal(perims.defaut, 'moi');
    assert.deepEqual(perims.perimetres.map((p) => p.code), ['moi']);
    const s = expectStatus(await med.get('/api/statistiques'), 200).json;
    assert.equal(s.perimetre.code, 'moi');
    assert.ok(s.totaux.activites > 0, 'the demo mediatrice has activities');
    assert.equal(s.totaux.accompagnements, s.totaux.individuels + s.totaux.participants_ateliers);
    assert.equal(s.totaux.beneficiaires, s.totaux.suivis + s.totaux.anonymes);
    assert.equal(s.par_mois.length, 12);
    for (const k of BREAKDOWNS) {
      const lines = s.repartitions[k];
      if (lines.some((l) => l.valeur > 0)) {
        assert.equal(lines.reduce((a, l) => a + l.pourcentage, 0), 100, `${k} adds up to 100`);
      }
      for (const l of lines) assert.equal(typeof l.libelle, 'string');
    }
    // Types: the two lines count the activities.
    assert.equal(line(s, 'types', 'individuel').activites + line(s, 'types', 'collectif').activites, s.totaux.activites);
    // The beneficiary breakdowns each add up to the beneficiaries.
    for (const k of ['genres', 'tranches_age', 'statuts'])
      assert.equal(s.repartitions[k].reduce((a, l) => a + l.valeur, 0), s.totaux.beneficiaires, k);
  });

  it('a CRA saved through the API is counted by the very next request (read-your-writes)', async () => {
    const before = expectStatus(await med.get('/api/statistiques'), 200).json;
    const created = expectStatus(await med.post('/api/activites', {
      json: individuel({ beneficiaire_anonyme: { genre: 'feminin', tranche_age: 'soixante_dix_plus', statut_social: 'retraite' } }),
    }), 201).json;
    const after = expectStatus(await med.get('/api/statistiques'), 200).json;
    assert.equal(after.totaux.activites, before.totaux.activites + 1);
    assert.equal(after.totaux.accompagnements, before.totaux.accompagnements + 1);
    assert.equal(after.totaux.anonymes, before.totaux.anonymes + 1);
    assert.equal(after.totaux.duree_totale_minutes, before.totaux.duree_totale_minutes + 45);
    assert.equal(line(after, 'thematiques', 'intelligence_artificielle').valeur,
      line(before, 'thematiques', 'intelligence_artificielle').valeur + 1);
    assert.equal(line(after, 'genres', 'feminin').valeur, line(before, 'genres', 'feminin').valeur + 1);
    assert.equal(line(after, 'materiel', 'tablette').activites, line(before, 'materiel', 'tablette').activites + 1);

    // Edited: the thématique moves; deleted: it no longer counts; restored: it counts again.
    expectStatus(await med.put(`/api/activites/${created.id}`, {
      json: individuel({ version: created.version, thematiques: ['sante'], beneficiaire_anonyme: { genre: 'feminin' } }),
    }), 200);
    const edited = expectStatus(await med.get('/api/statistiques'), 200).json;
    assert.equal(line(edited, 'thematiques', 'intelligence_artificielle').valeur,
      line(before, 'thematiques', 'intelligence_artificielle').valeur);
    assert.equal(line(edited, 'thematiques', 'sante').valeur, line(before, 'thematiques', 'sante').valeur + 1);
    expectStatus(await med.delete(`/api/activites/${created.id}`), 204);
    const deleted = expectStatus(await med.get('/api/statistiques'), 200).json;
    assert.equal(deleted.totaux.activites, before.totaux.activites);
    expectStatus(await med.post(`/api/activites/${created.id}/restaurer`, { json: {} }), 200);
    const restored = expectStatus(await med.get('/api/statistiques'), 200).json;
    assert.equal(restored.totaux.activites, before.totaux.activites + 1);
  });

  it('filters combine and are echoed; invalid ones are named', async () => {
    const all = expectStatus(await med.get('/api/statistiques'), 200).json;
    const ind = expectStatus(await med.get('/api/statistiques?types=individuel'), 200).json;
    assert.equal(ind.totaux.activites, all.totaux.individuels);
    assert.equal(ind.totaux.ateliers, 0);
    assert.deepEqual(ind.filtres.types, ['individuel']);
    const day = todayParis(-1);
    const one = expectStatus(await med.get(`/api/statistiques?du=${day}&au=${day}&thematiques=sante,email`), 200).json;
    assert.ok(one.par_jour.every((d) => d.jour === day));
    assert.ok(one.totaux.activites <= all.totaux.activites);
    const res = await med.get('/api/statistiques?du=2026-13-01&types=atelier&conseiller_numerique=peut-etre&lieux=abc');
    expectError(res, 400, 'validation', ['du', 'types', 'conseiller_numerique', 'lieux']);
  });

  it('scopes follow the roles: team, structure, territory, national', async () => {
    const coord = await server.login(DEMO.coordination);
    const codes = expectStatus(await coord.get('/api/statistiques/perimetres'), 200).json.perimetres.map((p) => p.code);
    assert.deepEqual(codes, ['moi', 'equipe']);
    const team = expectStatus(await coord.get('/api/statistiques?perimetre=equipe'), 200).json;
    const mine = expectStatus(await med.get('/api/statistiques'), 200).json;
    assert.ok(team.totaux.activites >= mine.totaux.activites, 'the mediatrice is in the team');
    // Coordinators never see names: a beneficiary filter is refused outside one's own figures.
    expectError(await coord.get('/api/statistiques?perimetre=equipe&beneficiaires=1'), 400, 'validation', ['beneficiaires']);
    expectError(await coord.get('/api/statistiques?perimetre=national'), 403, 'acces_refuse');

    const gestion = await server.login(DEMO.gestion);
    const g = expectStatus(await gestion.get('/api/statistiques'), 200).json;
    assert.equal(g.perimetre.code, `structure:${sid.bachut}`);
    expectError(await gestion.get(`/api/statistiques?perimetre=structure:${sid.connexions}`), 403, 'acces_refuse');

    const terr = await server.login(TERRITOIRE);
    const t = expectStatus(await terr.get('/api/statistiques'), 200).json;
    assert.equal(t.perimetre.code, 'departement:69');
    assert.match(t.perimetre.libelle, /Rhône/);
    assert.ok(t.totaux.activites > 0, 'the Rhône has demo activities');
    assert.ok(t.repartitions.communes.every((c) => c.cle.startsWith('69')), 'only communes of the Rhône');
    expectError(await terr.get('/api/statistiques?perimetre=departement:13'), 403, 'acces_refuse');
    expectError(await terr.get('/api/statistiques?perimetre=region:84'), 403, 'acces_refuse');
    expectError(await terr.get('/api/statistiques?perimetre=departement:XX9'), 400, 'validation', ['perimetre']);

    const admin = await server.login(DEMO.admin);
    const n = expectStatus(await admin.get('/api/statistiques'), 200).json;
    assert.equal(n.perimetre.code, 'national');
    assert.ok(n.totaux.activites >= t.totaux.activites + mine.totaux.activites - mine.totaux.activites);
    const rhone = expectStatus(await admin.get('/api/statistiques?perimetre=departement:69'), 200).json;
    assert.deepEqual(rhone.totaux, t.totaux);
  });

  it('the territorial role is granted by an admin, never by invitation', async () => {
    const admin = await server.login(DEMO.admin);
    const email = `pilote.${randomId()}@exemple.fr`;
    const u = expectStatus(await admin.post('/api/users', {
      json: { email, nom: 'Pilote', prenom: 'Paule', password: 'mot-de-passe-pilote',
        roles: [{ role: 'territorial', territoire: 'region:84' }] },
    }), 201).json;
    assert.deepEqual(u.roles, [{ role: 'territorial', structure_id: null, conseiller_numerique: false, territoire: 'region:84' }]);
    const pilote = await server.login(email, 'mot-de-passe-pilote');
    const r = expectStatus(await pilote.get('/api/statistiques'), 200).json;
    assert.equal(r.perimetre.code, 'region:84');
    // A région opens its départements.
    expectStatus(await pilote.get('/api/statistiques?perimetre=departement:69'), 200);
    expectError(await pilote.get('/api/statistiques?perimetre=departement:35'), 403, 'acces_refuse');
    expectError(await admin.put(`/api/users/${u.id}/roles`, { json: { roles: [{ role: 'territorial' }] } }), 400, 'validation', ['roles']);
    expectError(await admin.put(`/api/users/${u.id}/roles`, { json: { roles: [{ role: 'territorial', territoire: 'departement:00' }] } }),
      400, 'validation', ['roles']);
    expectError(await admin.post('/api/invitations', { json: { email: `x.${randomId()}@exemple.fr`, role: 'territorial' } }), 403);
  });

  it('exports carry the same figures (CSV with BOM and `;`, XLSX)', async () => {
    const s = expectStatus(await med.get('/api/statistiques?types=individuel'), 200).json;
    const csv = await raw(med, '/api/statistiques/export?format=csv&types=individuel');
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type'), /text\/csv/);
    assert.match(csv.headers.get('content-disposition'), /attachment; filename="statistiques-moi-\d{4}-\d{2}-\d{2}\.csv"/);
    assert.deepEqual([...csv.buf.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
    const rows = csv.buf.subarray(3).toString('utf8').split('\r\n').map((l) => l.split(';'));
    assert.deepEqual(rows[0], ['Rubrique', 'Code', 'Libellé', 'Valeur', 'Activités', 'Pourcentage']);
    const activites = rows.find((r) => r[1] === 'activites');
    assert.equal(Number(activites[3]), s.totaux.activites);
    const xlsx = await raw(med, '/api/statistiques/export?format=xlsx');
    assert.equal(xlsx.status, 200);
    assert.equal(xlsx.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    assert.deepEqual([...xlsx.buf.subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04], 'zip magic bytes');
    expectError(await med.get('/api/statistiques/export?format=pdf'), 400, 'validation', ['format']);
  });

  it('a share link shows the same view without logging in, until revoked', async () => {
    const query = `perimetre=moi&types=individuel&du=${todayParis(-365)}`;
    const view = expectStatus(await med.get(`/api/statistiques?${query}`), 200).json;
    const created = expectStatus(await med.post('/api/statistiques/partages', { json: { titre: 'Bilan annuel', requete: query } }), 201).json;
    assert.match(created.url, /^\/partage\/statistiques\/[A-Za-z0-9_-]{20,}$/);
    const token = created.url.split('/').pop();
    const anon = server.client();
    const pub = expectStatus(await anon.get(`/api/partages/statistiques/${token}`), 200).json;
    assert.deepEqual(pub.totaux, view.totaux);
    assert.equal(pub.partage.titre, 'Bilan annuel');
    const mine = expectStatus(await med.get('/api/statistiques/partages'), 200).json.partages;
    assert.ok(mine.some((p) => p.id === created.id && p.revoked_at === null));
    // Another user cannot revoke it; its owner can.
    const coord = await server.login(DEMO.coordination);
    expectError(await coord.delete(`/api/statistiques/partages/${created.id}`), 404, 'introuvable');
    expectStatus(await med.delete(`/api/statistiques/partages/${created.id}`), 204);
    expectError(await anon.get(`/api/partages/statistiques/${token}`), 404, 'partage_introuvable');
    expectError(await anon.get('/api/partages/statistiques/inconnu'), 404, 'partage_introuvable');
    // Nothing personal can be shared, and a share never opens more than its author sees.
    expectError(await med.post('/api/statistiques/partages', { json: { titre: 'x', requete: 'beneficiaires=1' } }), 400, 'validation');
    expectError(await med.post('/api/statistiques/partages', { json: { titre: 'x', requete: 'perimetre=national' } }), 403);
    expectError(await med.post('/api/statistiques/partages', { json: { requete: 'perimetre=moi' } }), 400, 'validation', ['titre']);
  });

  it('public API v1: national figures for a client with the statistiques scope', async () => {
    const admin = await server.login(DEMO.admin);
    const mk = async (scopes) => {
      const c = expectStatus(await admin.post('/api/admin/clients-api', { json: { nom: `stats ${randomId()}`, scopes } }), 201).json;
      return server.client({ headers: { authorization: `Basic ${Buffer.from(`${c.client_id}:${c.client_secret}`).toString('base64')}` } });
    };
    const client = await mk(['statistiques']);
    const national = expectStatus(await admin.get('/api/statistiques?perimetre=national&departements=69'), 200).json;
    const v1 = expectStatus(await client.get('/api/v1/statistiques?departements=69'), 200).json;
    assert.deepEqual(v1.totaux, national.totaux);
    assert.equal(v1.perimetre.code, 'national');
    expectError(await client.get('/api/v1/statistiques?beneficiaires=1'), 400, 'validation', ['beneficiaires']);
    const other = await mk(['activites']);
    expectError(await other.get('/api/v1/statistiques'), 403, 'acces_refuse');
  });
});

describe(`statistics across two instances [${ENGINE}]`, { skip: ENGINE !== 'postgres' && 'PostgreSQL only (SQLite is one process)' }, () => {
  let a;
  let b;
  before(async () => {
    a = await startServer();
    b = await startServer({ db: a.db, demo: false });
  });
  after(async () => {
    try {
      if (b) assert.deepEqual(await b.stop(), { code: 0, signal: null }, b.logTail());
    } finally {
      await a?.dispose();
    }
  });

  it('a CRA written on A is counted by B within a second', async () => {
    const onA = await a.login(DEMO.mediatrice);
    const onB = await b.login(DEMO.mediatrice);
    const lieu = expectStatus(await onA.get('/api/activites/referentiel'), 200).json.lieux[0];
    const before = expectStatus(await onB.get('/api/statistiques'), 200).json.totaux.activites;
    expectStatus(await onA.post('/api/activites', {
      json: { type: 'individuel', date: todayParis(), duree: 30, type_lieu: 'lieu_activite', lieu_activite_id: lieu.structure_id ?? lieu.id,
        thematiques: ['email'] },
    }), 201);
    const start = Date.now();
    let now = before;
    while (Date.now() - start < 1000) {
      now = expectStatus(await onB.get('/api/statistiques'), 200).json.totaux.activites;
      if (now === before + 1) break;
      await sleep(20);
    }
    assert.equal(now, before + 1, `B counted the write of A within ${Date.now() - start} ms`);
  });
});
