// Orientation (issue 12 point 7) over HTTP: the wizard's live count (GET /api/lieux?compte=1),
// an orientation recorded on an individual CRA (lieu + matched services: create, read, replace,
// remove, validation naming the field), its columns in the export and the public API v1, and the
// statistics' orientations per lieu and per service — equal to a SQL count of the database.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, ENGINE, DEMO, DEMO_STRUCTURES, expectStatus, expectError, allPages, dbExec, todayParis,
} from './harness.mjs';

const DEMARCHES = 'Aide aux démarches administratives';

describe(`orientation [${ENGINE}]`, () => {
  let server;
  let med;
  let bachut;
  let lieu;      // a lieu offering DEMARCHES
  let autre;     // a lieu that does not
  const sql = (q) => dbExec(server.db, q);

  const individuel = (over = {}) => ({
    type: 'individuel', date: todayParis(-1), duree: 30, type_lieu: 'lieu_activite', lieu_activite_id: bachut,
    thematiques: ['aide_aux_demarches_administratives'], demarches: ['logement'], ...over,
  });
  const line = (stats, rep, cle) => stats.repartitions[rep].find((l) => l.cle === cle) ?? { valeur: 0, activites: 0 };
  const periode = () => `du=2020-01-01&au=${todayParis(0)}`;

  before(async () => {
    server = await startServer();
    med = await server.login(DEMO.mediatrice);
    const admin = await server.login(DEMO.admin);
    bachut = (await allPages(admin, '/api/structures')).find((s) => s.nom === DEMO_STRUCTURES.bachut).id;
    const avec = expectStatus(await med.get(`/api/lieux?services=${encodeURIComponent(DEMARCHES)}&par_page=5`), 200).json;
    lieu = avec.items[0];
    assert.ok(lieu, 'the demo has a lieu offering the démarches');
    const tous = expectStatus(await med.get('/api/lieux?par_page=200'), 200).json;
    autre = tous.items.find((l) => !l.services.includes(DEMARCHES) && l.services.length > 0);
    assert.ok(autre, 'and one that does not');
  });
  after(async () => {
    await server?.dispose();
  });

  it('compte=1 gives the total of the same search without a page', async () => {
    for (const qs of [`services=${encodeURIComponent(DEMARCHES)}`, 'ouvert_maintenant=1', `depuis_commune=69123&rayon_km=30`, '']) {
      const page = expectStatus(await med.get(`/api/lieux?${qs}&par_page=200`), 200, qs).json;
      const compte = expectStatus(await med.get(`/api/lieux?${qs}&compte=1`), 200, qs).json;
      assert.equal(compte.total, page.total, qs);
      assert.deepEqual(compte.items, [], qs);
      assert.deepEqual(compte.lieux, [], qs);
      assert.equal(compte.par_page, 0, qs);
    }
    expectError(await med.get('/api/lieux?compte=oui'), 400, 'validation', ['compte']);
  });

  it('an orientation is recorded on an individual CRA, read back, replaced and removed', async () => {
    const created = expectStatus(await med.post('/api/activites', {
      json: individuel({ orientation_lieu_id: lieu.id, orientation_services: [DEMARCHES, ` ${DEMARCHES}`] }),
    }), 201).json;
    assert.equal(created.orientation_lieu_id, lieu.id);
    assert.deepEqual(created.orientation_lieu, { id: lieu.id, nom: lieu.nom, commune: lieu.commune, code_postal: lieu.code_postal });
    assert.deepEqual(created.orientation_services, [DEMARCHES], 'trimmed, without duplicates');
    const read = expectStatus(await med.get(`/api/activites/${created.id}`), 200).json;
    assert.deepEqual(read.orientation_lieu, created.orientation_lieu);
    const listed = expectStatus(await med.get('/api/activites?limite=100'), 200).json.items.find((a) => a.id === created.id);
    assert.equal(listed.orientation_lieu_id, lieu.id);
    assert.equal(sql(`SELECT orientation_lieu_id, orientation_services FROM activites WHERE id = ${created.id}`), `${lieu.id}|${DEMARCHES}`);

    // PUT with what GET returned (the orientation_lieu object) keeps it; then another lieu; then none.
    let v = expectStatus(await med.put(`/api/activites/${created.id}`, { json: { ...read } }), 200).json;
    assert.equal(v.orientation_lieu_id, lieu.id);
    v = expectStatus(await med.put(`/api/activites/${created.id}`, {
      json: { ...individuel(), version: v.version, orientation_lieu_id: autre.id, orientation_services: [] },
    }), 200).json;
    assert.equal(v.orientation_lieu.nom, autre.nom);
    assert.deepEqual(v.orientation_services, []);
    v = expectStatus(await med.put(`/api/activites/${created.id}`, {
      json: { ...individuel(), version: v.version, orientation_lieu_id: null },
    }), 200).json;
    assert.equal(v.orientation_lieu_id, null);
    assert.equal(v.orientation_lieu, null);
  });

  it('bad orientations are refused with the field named, nothing stored', async () => {
    const avant = sql('SELECT COUNT(*) FROM activites');
    const cas = [
      [individuel({ orientation_lieu_id: 987654321 }), 'orientation_lieu_id'],
      [individuel({ orientation_lieu_id: autre.id, orientation_services: [DEMARCHES] }), 'orientation_services'],
      [individuel({ orientation_lieu_id: lieu.id, orientation_services: ['Réparer des vélos'] }), 'orientation_services'],
      [individuel({ orientation_services: [DEMARCHES] }), 'orientation_services'],
      [individuel({ orientation_lieu_id: 'douze' }), 'orientation_lieu_id'],
      [individuel({ orientation_lieu_id: lieu.id, orientation_services: 'tout' }), 'orientation_services'],
      [{
        type: 'collectif', date: todayParis(-1), duree: 60, type_lieu: 'lieu_activite', lieu_activite_id: bachut,
        thematiques: ['email'], titre_atelier: 'Atelier', participants_anonymes: { total: 2 }, orientation_lieu_id: lieu.id,
      }, 'orientation_lieu_id'],
    ];
    for (const [body, champ] of cas) {
      const e = expectError(await med.post('/api/activites', { json: body }), 400, 'validation', [champ], JSON.stringify(body));
      assert.match(e.json.error.fields[champ], /\p{L}/u, 'a French message');
    }
    const unknown = expectError(await med.post('/api/activites', { json: individuel({ orientation_lieu_id: 987654321 }) }), 400, 'validation', ['orientation_lieu_id']);
    assert.match(unknown.json.error.fields.orientation_lieu_id, /introuvable/);
    assert.equal(sql('SELECT COUNT(*) FROM activites'), avant);
  });

  it('the statistics count orientations per lieu and per service, as SQL does', async () => {
    const uid = sql(`SELECT id FROM users WHERE email = '${DEMO.mediatrice}'`);
    const avant = expectStatus(await med.get(`/api/statistiques?${periode()}`), 200).json;
    assert.ok(avant.repartitions.orientations_lieux.length > 0, 'the demo data has orientations');
    const created = expectStatus(await med.post('/api/activites', {
      json: individuel({ orientation_lieu_id: lieu.id, orientation_services: [DEMARCHES] }),
    }), 201).json;
    const apres = expectStatus(await med.get(`/api/statistiques?${periode()}`), 200).json;
    assert.equal(line(apres, 'orientations_lieux', String(lieu.id)).valeur, line(avant, 'orientations_lieux', String(lieu.id)).valeur + 1);
    assert.equal(line(apres, 'orientations_services', DEMARCHES).valeur, line(avant, 'orientations_services', DEMARCHES).valeur + 1);
    const ligne = line(apres, 'orientations_lieux', String(lieu.id));
    assert.ok(ligne.libelle.startsWith(lieu.nom), `${ligne.libelle} names the lieu`);

    // Every line equals a SQL count over the mediator's live activities of the period.
    const where = `mediateur_id = ${uid} AND deleted_at IS NULL AND date <= '${todayParis(0)}'`;
    const parLieu = Object.fromEntries(sql(`SELECT orientation_lieu_id, COUNT(*) FROM activites WHERE ${where} AND orientation_lieu_id IS NOT NULL GROUP BY orientation_lieu_id`)
      .split('\n').filter(Boolean).map((r) => r.split('|')));
    const lignes = apres.repartitions.orientations_lieux;
    assert.deepEqual(Object.fromEntries(lignes.map((l) => [l.cle, String(l.valeur)])), parLieu);
    for (const l of apres.repartitions.orientations_services) {
      const n = sql(`SELECT COUNT(*) FROM activites WHERE ${where} AND '|' || orientation_services || '|' LIKE '%|${l.cle.replace(/'/g, "''")}|%'`);
      assert.equal(String(l.valeur), n, l.cle);
    }
    assert.equal(lignes.reduce((a, l) => a + l.pourcentage, 0), 100);

    // Filters apply: a period without this CRA does not count it; its deletion removes it.
    const hier = todayParis(-1);
    const jour = expectStatus(await med.get(`/api/statistiques?du=${hier}&au=${hier}`), 200).json;
    assert.ok(line(jour, 'orientations_lieux', String(lieu.id)).valeur >= 1);
    expectStatus(await med.delete(`/api/activites/${created.id}`), 204);
    const supprime = expectStatus(await med.get(`/api/statistiques?${periode()}`), 200).json;
    assert.equal(line(supprime, 'orientations_lieux', String(lieu.id)).valeur, line(avant, 'orientations_lieux', String(lieu.id)).valeur);
  });

  it('the export lists the orientation lieu and its services', async () => {
    const created = expectStatus(await med.post('/api/activites', {
      json: individuel({ orientation_lieu_id: lieu.id, orientation_services: [DEMARCHES] }),
    }), 201).json;
    const res = await fetch(`${med.base}/api/activites/export.csv`, { headers: { cookie: med.cookieHeader() } });
    assert.equal(res.status, 200);
    const text = (await res.text()).replace(/^\uFEFF/, '');
    const rows = text.split('\r\n').filter(Boolean).map((r) => r.split(';'));
    const header = rows[0];
    const i = header.indexOf("Lieu d'orientation");
    const j = header.indexOf("Services de l'orientation");
    assert.ok(i >= 0 && j >= 0, header.join(' | '));
    const row = rows.find((r) => r[header.indexOf('Identifiant')] === String(created.id));
    assert.equal(row[i].replace(/^"|"$/g, ''), lieu.nom);
    assert.equal(row[j], DEMARCHES);
  });
});
