// Activities (CRA) over HTTP: create individuel and collectif, every validation rule with the
// field named (and nothing stored), filters, keyset pagination, version check between two
// sessions, duplicate, bin and restore, another mediator's 404, the coordinator's 403, lieux
// d'activité. Both engines (COOP_IT_ENGINE).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, ENGINE, DEMO, DEMO_STRUCTURES, expectStatus, expectError, allPages, dbExec, todayParis,
} from './harness.mjs';

describe(`activités [${ENGINE}]`, () => {
  let server, med, lyon, coord, admin;
  const sid = {};
  const uid = {};
  let benef = []; // the mediatrice's followed beneficiaries (demo)
  const sql = (q) => dbExec(server.db, q);

  // A beneficiary of `userId` inserted directly (the beneficiaries API is another feature).
  function newBeneficiaire(userId, prenom, nom) {
    const now = new Date().toISOString();
    sql(`INSERT INTO beneficiaires (mediateur_id, anonyme, prenom, nom, nom_recherche, created_at, updated_at)
         VALUES (${userId}, 0, '${prenom}', '${nom}', '${(prenom + ' ' + nom).toLowerCase()}', '${now}', '${now}')`);
    return Number(sql(`SELECT MAX(id) FROM beneficiaires WHERE mediateur_id = ${userId}`));
  }
  const premier = (activiteId, beneficiaireId) =>
    Number(sql(`SELECT premier_accompagnement FROM activite_beneficiaires WHERE activite_id = ${activiteId} AND beneficiaire_id = ${beneficiaireId}`));

  const individuel = (over = {}) => ({
    type: 'individuel', date: todayParis(-1), duree: 30, type_lieu: 'lieu_activite', lieu_activite_id: sid.bachut,
    thematiques: ['email'], materiel: ['telephone'], autonomie: 'partiellement_autonome', ...over,
  });
  const collectif = (over = {}) => ({
    type: 'collectif', date: todayParis(-2), duree: 90, type_lieu: 'lieu_activite', lieu_activite_id: sid.bachut,
    thematiques: ['securite_numerique', 'email'], materiel: ['ordinateur'], titre_atelier: 'Sécuriser ses comptes',
    niveau: 'debutant',
    participants_anonymes: {
      total: 4,
      genre: { masculin: 1, feminin: 3 },
      tranche_age: { soixante_dix_plus: 2, soixante_soixante_neuf: 2 },
      statut_social: { retraite: 4 },
      deja_accompagne: { oui: 1, non: 3 },
    },
    ...over,
  });
  const total = async (c) => expectStatus(await c.get('/api/activites?limite=1'), 200).json.total;

  before(async () => {
    server = await startServer();
    admin = await server.login(DEMO.admin);
    med = await server.login(DEMO.mediatrice);
    lyon = await server.login(DEMO.lyon);
    coord = await server.login(DEMO.coordination);
    const structures = await allPages(admin, '/api/structures');
    for (const [k, nom] of Object.entries(DEMO_STRUCTURES)) sid[k] = structures.find((s) => s.nom === nom).id;
    const users = await allPages(admin, '/api/users');
    for (const [k, email] of Object.entries(DEMO)) uid[k] = users.find((u) => u.email === email).id;
    benef = sql(`SELECT id FROM beneficiaires WHERE mediateur_id = ${uid.mediatrice} AND anonyme = 0 ORDER BY id`).split('\n').map(Number);
    assert.ok(benef.length >= 5, 'demo beneficiaries of the mediatrice');
  });
  after(async () => {
    await server?.dispose();
  });

  it('GET /api/activites/referentiel: vocabulary with labels, durations, current lieux, last lieu', async () => {
    const r = expectStatus(await med.get('/api/activites/referentiel'), 200).json;
    assert.equal(r.thematiques.length, 19);
    assert.deepEqual(r.thematiques.find((t) => t.code === 'aide_aux_demarches_administratives'),
      { code: 'aide_aux_demarches_administratives', label: 'Aide aux démarches administratives' });
    assert.equal(r.demarches.length, 11);
    assert.deepEqual(r.types.map((t) => t.code), ['individuel', 'collectif']);
    assert.deepEqual(r.types_lieu.map((t) => t.code), ['lieu_activite', 'domicile', 'a_distance', 'autre']);
    assert.deepEqual(r.durees, [15, 30, 45, 60, 90, 120]);
    assert.ok(r.durees_frequentes.length >= 3, JSON.stringify(r.durees_frequentes));
    // used more than 5 times, most used first
    const counts = Object.fromEntries(sql(
      `SELECT duree, COUNT(*) FROM activites WHERE mediateur_id = ${uid.mediatrice} AND deleted_at IS NULL GROUP BY duree`,
    ).split('\n').map((l) => l.split('|').map(Number)));
    for (const d of r.durees_frequentes) assert.ok(counts[d] > 5, `${d} used ${counts[d]} times`);
    for (let i = 1; i < r.durees_frequentes.length; i++)
      assert.ok(counts[r.durees_frequentes[i - 1]] >= counts[r.durees_frequentes[i]]);
    // current lieux only: Connexions Solidaires ended in March 2025
    assert.deepEqual(r.lieux.map((l) => l.structure_id), [sid.bachut]);
    assert.equal(r.lieux[0].nom, DEMO_STRUCTURES.bachut);
    assert.equal(r.dernier_lieu_id, sid.bachut);
  });

  describe('create', () => {
    it('POST individuel with a followed beneficiary → 201, read back; first accompaniment flagged', async () => {
      const b = newBeneficiaire(uid.mediatrice, 'Irène', 'Premierpas');
      const r = expectStatus(await med.post('/api/activites', {
        json: individuel({
          beneficiaire_id: b, thematiques: ['aide_aux_demarches_administratives', 'email'], demarches: ['logement'],
          precisions_demarche: 'Demande APL', oriente_vers_structure: true, structure_de_redirection: 'aide_sociale',
          notes: '  Revoir jeudi  ',
        }),
      }), 201).json;
      assert.equal(r.type, 'individuel');
      assert.equal(r.version, 1);
      assert.equal(r.mediateur_id, uid.mediatrice);
      assert.equal(r.lieu_activite_id, sid.bachut);
      assert.equal(r.lieu_activite_nom, DEMO_STRUCTURES.bachut);
      assert.equal(r.commune_nom, 'Lyon 8e Arrondissement');
      assert.deepEqual(r.thematiques, ['email', 'aide_aux_demarches_administratives']); // vocabulary order
      assert.deepEqual(r.demarches, ['logement']);
      assert.equal(r.notes, 'Revoir jeudi');
      assert.deepEqual(r.beneficiaire, { id: b, anonyme: false, prenom: 'Irène', nom: 'Premierpas' });
      assert.equal(r.structure_de_redirection, 'aide_sociale');
      assert.equal(r.participants_anonymes.total, 0);
      assert.equal(r.deleted_at, null);
      assert.deepEqual(expectStatus(await med.get(`/api/activites/${r.id}`), 200).json, r);
      assert.equal(premier(r.id, b), 1);
      // An earlier activity of the same person becomes the first one.
      const earlier = expectStatus(await med.post('/api/activites', { json: individuel({ beneficiaire_id: b, date: todayParis(-30) }) }), 201).json;
      assert.equal(premier(earlier.id, b), 1);
      assert.equal(premier(r.id, b), 0);
      // Deleting it makes the other the first again.
      expectStatus(await med.delete(`/api/activites/${earlier.id}`), 204);
      assert.equal(premier(r.id, b), 1);
    });

    it('POST individuel anonymous at home (commune) → 201', async () => {
      const r = expectStatus(await med.post('/api/activites', {
        json: individuel({ type_lieu: 'domicile', lieu_activite_id: null, commune_insee: '69266', code_postal: '69100' }),
      }), 201).json;
      // Recorded as an anonymous beneficiary without a profile: no name, every field null.
      assert.equal(r.beneficiaire.anonyme, true);
      assert.equal(r.beneficiaire.nom, null);
      assert.deepEqual(r.beneficiaire_anonyme,
        { genre: null, tranche_age: null, statut_social: null, commune_insee: null, code_postal: null, commune_nom: null });
      assert.equal(r.commune_insee, '69266');
      assert.equal(r.commune_nom, 'Villeurbanne');
      assert.equal(r.lieu_activite_id, null);
    });

    it('POST collectif with followed participants and anonymous counts; missing breakdowns → non_communique', async () => {
      const r = expectStatus(await med.post('/api/activites', { json: collectif({ participants: [benef[0], { id: benef[1] }] }) }), 201).json;
      assert.equal(r.type, 'collectif');
      assert.equal(r.titre_atelier, 'Sécuriser ses comptes');
      assert.deepEqual(r.participants.map((p) => p.id), [benef[0], benef[1]]);
      assert.ok(r.participants.every((p) => p.prenom && p.nom));
      assert.deepEqual(r.participants_anonymes.genre, { masculin: 1, feminin: 3, non_communique: 0 });
      assert.equal(r.participants_anonymes.deja_accompagne.non, 3);
      const partial = expectStatus(await med.post('/api/activites', {
        json: collectif({ participants_anonymes: { total: 5, genre: { feminin: 5 } } }),
      }), 201).json;
      assert.equal(partial.participants_anonymes.tranche_age.non_communique, 5);
      assert.equal(partial.participants_anonymes.statut_social.non_communique, 5);
      assert.equal(partial.participants_anonymes.genre.feminin, 5);
    });

    it('every validation rule → 400 naming the field, nothing stored', async () => {
      const other = newBeneficiaire(uid.lyon, 'Autre', 'Personne');
      const cases = [
        ['type', individuel({ type: 'ponctuel' })],
        ['date', individuel({ date: todayParis(2) })],
        ['date', individuel({ date: '2019-12-31' })],
        ['date', individuel({ date: '2025-02-30' })],
        ['duree', individuel({ duree: 0 })],
        ['duree', individuel({ duree: 1441 })],
        ['duree', individuel({ duree: 'longtemps' })],
        ['type_lieu', individuel({ type_lieu: 'bureau' })],
        ['lieu_activite_id', individuel({ lieu_activite_id: null })],
        ['lieu_activite_id', individuel({ lieu_activite_id: sid.tulle })], // not one of hers
        ['lieu_activite_id', individuel({ lieu_activite_id: sid.connexions })], // hers until 2025-03-31
        ['commune_insee', individuel({ type_lieu: 'a_distance', lieu_activite_id: null })],
        ['commune_insee', individuel({ type_lieu: 'autre', lieu_activite_id: null, commune_insee: '00000' })],
        ['code_postal', individuel({ type_lieu: 'autre', lieu_activite_id: null, commune_insee: '69266', code_postal: '42000' })],
        ['materiel', individuel({ materiel: ['aucun', 'ordinateur'] })],
        ['materiel', individuel({ materiel: ['imprimante'] })],
        ['thematiques', individuel({ thematiques: [] })],
        ['thematiques', individuel({ thematiques: ['cuisine'] })],
        ['demarches', individuel({ demarches: ['logement'] })],
        ['demarches', individuel({ thematiques: ['aide_aux_demarches_administratives'], demarches: ['vacances'] })],
        ['autonomie', individuel({ autonomie: 'tres_autonome' })],
        ['autonomie', collectif({ autonomie: 'autonome' })],
        ['structure_de_redirection', individuel({ oriente_vers_structure: true })],
        ['structure_de_redirection', individuel({ oriente_vers_structure: false, structure_de_redirection: 'aide_sociale' })],
        ['oriente_vers_structure', collectif({ oriente_vers_structure: true, structure_de_redirection: 'aide_sociale' })],
        ['titre_atelier', collectif({ titre_atelier: '' })],
        ['titre_atelier', individuel({ titre_atelier: 'Atelier' })],
        ['niveau', collectif({ niveau: 'expert' })],
        ['participants_anonymes.genre', collectif({ participants_anonymes: { total: 4, genre: { masculin: 1 } } })],
        ['participants_anonymes.tranche_age', collectif({ participants_anonymes: { total: 2, tranche_age: { moins_de_douze: 3 } } })],
        ['participants_anonymes.statut_social', collectif({ participants_anonymes: { total: 2, statut_social: { inconnu: 2 } } })],
        ['participants_anonymes.deja_accompagne', collectif({ participants_anonymes: { total: 2, deja_accompagne: { oui: 1 } } })],
        ['participants', collectif({ participants_anonymes: { total: 0 } })],
        ['participants', collectif({ participants: [other] })], // another mediator's beneficiary
        ['participants', individuel({ participants: [benef[0]] })],
        ['beneficiaire_id', individuel({ beneficiaire_id: other })],
        ['beneficiaire_id', individuel({ beneficiaire_id: 999999 })],
        ['tags', individuel({ tags: [999999] })],
      ];
      const before = await total(med);
      for (const [field, body] of cases)
        expectError(await med.post('/api/activites', { json: body }), 400, 'validation', [field], `${field}: ${JSON.stringify(body)}`);
      // several errors at once
      const many = expectError(await med.post('/api/activites', { json: { type: 'individuel' } }), 400, 'validation',
        ['date', 'duree', 'type_lieu', 'thematiques']);
      assert.match(many.json.error.fields.thematiques, /au moins une thématique/);
      expectError(await med.post('/api/activites', { body: 'pas du json', headers: { 'content-type': 'application/json' } }), 400, 'json_invalide');
      assert.equal(await total(med), before, 'nothing stored');
    });
  });

  describe('list, filters and keyset pagination', () => {
    const mine = {}; // lyon's activities by label
    let tagPerso, tagEquipe, benefLyon;

    before(async () => {
      tagPerso = Number(sql(`INSERT INTO tags (nom, portee, owner_id, created_at) VALUES ('Perso Lyon', 'personnel', ${uid.lyon}, '2026-01-01T00:00:00Z') RETURNING id`));
      tagEquipe = Number(sql(`SELECT id FROM tags WHERE nom = 'Pass numérique'`));
      benefLyon = newBeneficiaire(uid.lyon, 'Louise', 'Filtre');
      const base = (over) => ({ ...individuel({ autonomie: null, materiel: [] }), ...over });
      const specs = {
        a: base({ date: '2025-01-10', duree: 45, thematiques: ['sante'], tags: [tagPerso] }),
        b: base({ date: '2025-02-10', duree: 15, thematiques: ['email', 'sante'], beneficiaire_id: benefLyon }),
        c: base({ date: '2025-03-10', duree: 60, type_lieu: 'domicile', lieu_activite_id: null, commune_insee: '69266', tags: [tagEquipe] }),
        d: { ...collectif({ date: '2025-04-10', duree: 120, thematiques: ['bureautique'], participants: [benefLyon] }) },
        e: base({ date: '2025-05-10', duree: 30, thematiques: ['aide_aux_demarches_administratives'], demarches: ['logement'] }),
      };
      for (const [k, body] of Object.entries(specs)) mine[k] = expectStatus(await lyon.post('/api/activites', { json: body }), 201, k).json.id;
    });

    const ids = async (query) => {
      const r = expectStatus(await lyon.get(`/api/activites?${query}`), 200, query).json;
      assert.equal(r.total, r.items.length, `${query}: total`);
      return r.items.map((x) => x.id);
    };
    const of = (...keys) => keys.map((k) => mine[k]);

    it('default: newest first; each filter alone and combined', async () => {
      assert.deepEqual(await ids(''), of('e', 'd', 'c', 'b', 'a'));
      assert.deepEqual(await ids('du=2025-02-10&au=2025-04-10'), of('d', 'c', 'b'));
      assert.deepEqual(await ids('type=collectif'), of('d'));
      assert.deepEqual(await ids('type=collectif&type=individuel'), of('e', 'd', 'c', 'b', 'a'));
      assert.deepEqual(await ids('thematique=sante'), of('b', 'a'));
      assert.deepEqual(await ids('thematique=sante&thematique=bureautique'), of('d', 'b', 'a'));
      assert.deepEqual(await ids('thematique=email&du=2025-02-01'), of('c', 'b'));
      assert.deepEqual(await ids(`lieu=${sid.bachut}`), of('e', 'd', 'b', 'a'));
      assert.deepEqual(await ids('commune=69266'), of('c'));
      assert.deepEqual(await ids('commune=69388'), of('e', 'd', 'b', 'a')); // commune of the lieu (Lyon 8e)
      assert.deepEqual(await ids(`beneficiaire=${benefLyon}`), of('d', 'b'));
      assert.deepEqual(await ids(`tag=${tagPerso}`), of('a'));
      assert.deepEqual(await ids(`tag=${tagEquipe}&tag=${tagPerso}`), of('c', 'a'));
      assert.deepEqual(await ids('tri=date'), of('a', 'b', 'c', 'd', 'e'));
      assert.deepEqual(await ids('tri=duree'), of('b', 'e', 'a', 'c', 'd'));
      assert.deepEqual(await ids('tri=-duree'), of('d', 'c', 'a', 'e', 'b'));
      assert.deepEqual(await ids('tri=type'), of('d', 'a', 'b', 'c', 'e'), 'collectif before individuel, then by id');
      assert.deepEqual(await ids('tri=-type'), of('e', 'c', 'b', 'a', 'd'));
    });

    it('bad parameters → 400 naming them', async () => {
      for (const [q, f] of [['du=2025-13-01', 'du'], ['type=ponctuel', 'type'], ['thematique=cuisine', 'thematique'],
        ['tri=nom', 'tri'], ['limite=0', 'limite'], ['limite=101', 'limite'], ['apres=nimportequoi', 'apres'],
        ['tri=duree&apres=2025-01-01~3', 'apres'], ['lieu=abc', 'lieu'], ['commune=00000', 'commune']])
        expectError(await lyon.get(`/api/activites?${q}`), 400, 'validation', [f], q);
    });

    it('keyset pagination over 300+ activities: no duplicate, no gap, in order, for each sort', async () => {
      const all = Number(sql(`SELECT COUNT(*) FROM activites WHERE mediateur_id = ${uid.mediatrice} AND deleted_at IS NULL`));
      assert.ok(all >= 300, `${all} activities`);
      for (const tri of ['-date', 'date', 'duree', '-duree', 'type']) {
        const seen = [];
        let cursor = null;
        let pages = 0;
        let totalSeen;
        do {
          const r = expectStatus(await med.get(`/api/activites?tri=${tri}&limite=37${cursor ? `&apres=${encodeURIComponent(cursor)}` : ''}`), 200).json;
          totalSeen = r.total;
          seen.push(...r.items);
          cursor = r.suivant;
          pages++;
          assert.ok(pages < 50);
        } while (cursor);
        assert.equal(totalSeen, all);
        assert.equal(seen.length, all, `${tri}: every activity once`);
        assert.equal(new Set(seen.map((x) => x.id)).size, all, `${tri}: no duplicate`);
        const key = tri.replace('-', '');
        const sign = tri.startsWith('-') ? -1 : 1;
        for (let i = 1; i < seen.length; i++) {
          const a = seen[i - 1], b = seen[i];
          const cmp = a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : a.id < b.id ? -1 : 1;
          assert.equal(cmp, -sign, `${tri}: order at ${i}`);
        }
      }
    });
  });

  describe('edit, duplicate, delete, restore', () => {
    it('PUT with the version: two sessions, the second save → 409 version_perimee, first kept', async () => {
      const a = expectStatus(await med.post('/api/activites', { json: individuel({ duree: 45 }) }), 201).json;
      const other = await server.login(DEMO.mediatrice);
      const s1 = expectStatus(await med.get(`/api/activites/${a.id}`), 200).json;
      const s2 = expectStatus(await other.get(`/api/activites/${a.id}`), 200).json;
      const saved = expectStatus(await med.put(`/api/activites/${a.id}`, { json: { ...s1, duree: 60, notes: 'première session' } }), 200).json;
      assert.equal(saved.version, 2);
      assert.equal(saved.duree, 60);
      const stale = expectError(await other.put(`/api/activites/${a.id}`, { json: { ...s2, duree: 90 } }), 409, 'version_perimee');
      assert.match(stale.json.error.message, /modifiée entre-temps/);
      const now = expectStatus(await med.get(`/api/activites/${a.id}`), 200).json;
      assert.equal(now.duree, 60);
      assert.equal(now.notes, 'première session');
      // reload then save works
      expectStatus(await other.put(`/api/activites/${a.id}`, { json: { ...now, duree: 90 } }), 200);
      expectError(await med.put(`/api/activites/${a.id}`, { json: { ...now } }), 409, 'version_perimee');
      expectError(await med.put(`/api/activites/${a.id}`, { json: { ...individuel() } }), 400, 'validation', ['version']);
      // a full replace validates like a creation
      const cur = expectStatus(await med.get(`/api/activites/${a.id}`), 200).json;
      expectError(await med.put(`/api/activites/${a.id}`, { json: { ...cur, thematiques: [] } }), 400, 'validation', ['thematiques']);
      // switching to collectif replaces every field
      const col = expectStatus(await med.put(`/api/activites/${a.id}`, { json: { ...collectif(), version: cur.version } }), 200).json;
      assert.equal(col.type, 'collectif');
      assert.equal(col.autonomie, null);
    });

    it('POST /dupliquer → 201 a copy dated today', async () => {
      const a = expectStatus(await med.post('/api/activites', { json: collectif({ participants: [benef[2]], date: todayParis(-10) }) }), 201).json;
      const d = expectStatus(await med.post(`/api/activites/${a.id}/dupliquer`), 201).json;
      assert.notEqual(d.id, a.id);
      assert.equal(d.date, todayParis());
      assert.equal(d.version, 1);
      for (const k of ['type', 'duree', 'type_lieu', 'lieu_activite_id', 'thematiques', 'materiel', 'titre_atelier', 'niveau', 'participants', 'participants_anonymes'])
        assert.deepEqual(d[k], a[k], k);
    });

    it('DELETE → bin → restore; the bin keeps 30 days', async () => {
      const a = expectStatus(await med.post('/api/activites', { json: individuel({ notes: 'à supprimer' }) }), 201).json;
      const before = await total(med);
      expectStatus(await med.delete(`/api/activites/${a.id}`), 204);
      expectError(await med.get(`/api/activites/${a.id}`), 404, 'introuvable');
      expectError(await med.delete(`/api/activites/${a.id}`), 404, 'introuvable');
      expectError(await med.put(`/api/activites/${a.id}`, { json: { ...a } }), 404, 'introuvable');
      assert.equal(await total(med), before - 1);
      const bin = expectStatus(await med.get('/api/activites/corbeille'), 200).json.items;
      const inBin = bin.find((x) => x.id === a.id);
      assert.ok(inBin && inBin.deleted_at);
      const restored = expectStatus(await med.post(`/api/activites/${a.id}/restaurer`), 200).json;
      assert.equal(restored.deleted_at, null);
      assert.equal(restored.notes, 'à supprimer');
      assert.equal(await total(med), before);
      assert.ok(!expectStatus(await med.get('/api/activites/corbeille'), 200).json.items.some((x) => x.id === a.id));
      expectError(await med.post(`/api/activites/${a.id}/restaurer`), 404, 'introuvable');
      // deleted 31 days ago: gone from the bin, not restorable
      expectStatus(await med.delete(`/api/activites/${a.id}`), 204);
      const old = new Date(Date.now() - 31 * 86400e3).toISOString();
      sql(`UPDATE activites SET deleted_at = '${old}' WHERE id = ${a.id}`);
      assert.ok(!expectStatus(await med.get('/api/activites/corbeille'), 200).json.items.some((x) => x.id === a.id));
      expectError(await med.post(`/api/activites/${a.id}/restaurer`), 404, 'introuvable');
    });
  });

  describe('anonymous beneficiary of an individual CRA (beneficiaire_anonyme)', () => {
    const anonRows = () => Number(sql(`SELECT COUNT(*) FROM beneficiaires WHERE mediateur_id = ${uid.mediatrice} AND anonyme = 1`));
    const linkOf = (activiteId) => sql(
      `SELECT b.id, b.anonyme, COALESCE(b.genre, ''), COALESCE(b.tranche_age, ''), COALESCE(b.statut_social, ''),
              COALESCE(b.commune_insee, ''), COALESCE(b.code_postal, ''), ab.premier_accompagnement,
              CASE WHEN b.deleted_at IS NULL THEN 'vivant' ELSE 'corbeille' END, COALESCE(b.nom, '')
       FROM activite_beneficiaires ab JOIN beneficiaires b ON b.id = ab.beneficiaire_id WHERE ab.activite_id = ${activiteId}`,
    ).split('\n').filter(Boolean).map((l) => l.split('|'));
    const profil = { genre: 'feminin', tranche_age: 'soixante_dix_plus', statut_social: 'retraite', commune_insee: '69266', code_postal: '69100' };

    it('POST with a profile → an anonymous beneficiary row (no name), linked once, first accompaniment; GET returns it', async () => {
      const r = expectStatus(await med.post('/api/activites', { json: individuel({ beneficiaire_anonyme: profil }) }), 201).json;
      assert.deepEqual(r.beneficiaire_anonyme, { ...profil, commune_nom: 'Villeurbanne' });
      assert.equal(r.beneficiaire.anonyme, true);
      assert.equal(r.beneficiaire.prenom, null);
      const links = linkOf(r.id);
      assert.equal(links.length, 1, 'exactly one beneficiary link');
      const [id, anonyme, genre, age, statut, commune, cp, premierFlag, etat, nom] = links[0];
      assert.deepEqual([anonyme, genre, age, statut, commune, cp, premierFlag, etat, nom],
        ['1', 'feminin', 'soixante_dix_plus', 'retraite', '69266', '69100', '1', 'vivant', '']);
      assert.equal(Number(id), r.beneficiaire.id);
      assert.deepEqual(expectStatus(await med.get(`/api/activites/${r.id}`), 200).json, r);
      // Partial profile: the rest stays null.
      const p = expectStatus(await med.post('/api/activites', { json: individuel({ beneficiaire_anonyme: { genre: 'masculin' } }) }), 201).json;
      assert.deepEqual(p.beneficiaire_anonyme,
        { genre: 'masculin', tranche_age: null, statut_social: null, commune_insee: null, code_postal: null, commune_nom: null });
      // A followed beneficiary: no anonymous profile.
      const f = expectStatus(await med.post('/api/activites', { json: individuel({ beneficiaire_id: benef[3] }) }), 201).json;
      assert.equal(f.beneficiaire_anonyme, null);
      assert.equal(linkOf(f.id).length, 1);
    });

    it('invalid profiles → 400 naming beneficiaire_anonyme.<champ>, nothing stored', async () => {
      const cases = [
        ['beneficiaire_anonyme.genre', individuel({ beneficiaire_anonyme: { genre: 'femme' } })],
        ['beneficiaire_anonyme.tranche_age', individuel({ beneficiaire_anonyme: { tranche_age: '30_40' } })],
        ['beneficiaire_anonyme.statut_social', individuel({ beneficiaire_anonyme: { statut_social: 'etudiant' } })],
        ['beneficiaire_anonyme.commune_insee', individuel({ beneficiaire_anonyme: { commune_insee: '00000' } })],
        ['beneficiaire_anonyme.commune_insee', individuel({ beneficiaire_anonyme: { code_postal: '69100' } })],
        ['beneficiaire_anonyme.code_postal', individuel({ beneficiaire_anonyme: { commune_insee: '69266', code_postal: '42000' } })],
        ['beneficiaire_anonyme.genre', individuel({ beneficiaire_anonyme: { genre: 3 } })],
        ['beneficiaire_anonyme', individuel({ beneficiaire_anonyme: 'feminin' })],
        ['beneficiaire_anonyme', individuel({ beneficiaire_id: benef[0], beneficiaire_anonyme: { genre: 'feminin' } })],
        ['beneficiaire_anonyme', collectif({ beneficiaire_anonyme: {} })],
      ];
      const before = await total(med);
      const rows = anonRows();
      for (const [field, body] of cases) {
        const res = expectError(await med.post('/api/activites', { json: body }), 400, 'validation', [field], `${field}: ${JSON.stringify(body)}`);
        if (field === 'beneficiaire_anonyme.genre' && body.beneficiaire_anonyme.genre === 'femme')
          assert.equal(res.json.error.fields[field], 'Genre inconnu : « femme ».');
      }
      assert.equal(await total(med), before, 'no activity stored');
      assert.equal(anonRows(), rows, 'no anonymous beneficiary stored');
    });

    it('PUT updates the same row; switching to a followed beneficiary removes it; back to anonymous creates one', async () => {
      const a = expectStatus(await med.post('/api/activites', { json: individuel({ beneficiaire_anonyme: profil }) }), 201).json;
      const anonId = a.beneficiaire.id;
      const u = expectStatus(await med.put(`/api/activites/${a.id}`, {
        json: { ...a, beneficiaire_anonyme: { ...a.beneficiaire_anonyme, genre: 'non_communique', commune_insee: null, code_postal: null } },
      }), 200).json;
      assert.equal(u.beneficiaire.id, anonId, 'same row');
      assert.equal(u.beneficiaire_anonyme.genre, 'non_communique');
      assert.equal(u.beneficiaire_anonyme.commune_insee, null);
      assert.equal(u.beneficiaire_anonyme.tranche_age, 'soixante_dix_plus');
      const rows = anonRows();
      const f = expectStatus(await med.put(`/api/activites/${a.id}`, {
        json: { ...u, beneficiaire: null, beneficiaire_anonyme: null, beneficiaire_id: benef[4] },
      }), 200).json;
      assert.equal(f.beneficiaire.id, benef[4]);
      assert.equal(f.beneficiaire_anonyme, null);
      assert.equal(anonRows(), rows - 1, 'the anonymous row is gone');
      assert.equal(sql(`SELECT COUNT(*) FROM beneficiaires WHERE id = ${anonId}`), '0');
      assert.equal(linkOf(a.id).length, 1);
      // Both given → 400, nothing changed.
      expectError(await med.put(`/api/activites/${a.id}`, {
        json: { ...f, beneficiaire_id: benef[4], beneficiaire_anonyme: { genre: 'feminin' } },
      }), 400, 'validation', ['beneficiaire_anonyme']);
      const back = expectStatus(await med.put(`/api/activites/${a.id}`, {
        json: { ...f, beneficiaire: null, beneficiaire_id: null, beneficiaire_anonyme: { statut_social: 'en_emploi' } },
      }), 200).json;
      assert.equal(back.beneficiaire.anonyme, true);
      assert.equal(back.beneficiaire_anonyme.statut_social, 'en_emploi');
      assert.equal(anonRows(), rows);
      // The followed beneficiary is untouched.
      assert.equal(sql(`SELECT COUNT(*) FROM beneficiaires WHERE id = ${benef[4]} AND deleted_at IS NULL`), '1');
      // To collectif: the anonymous row goes too.
      expectStatus(await med.put(`/api/activites/${a.id}`, { json: { ...collectif(), version: back.version } }), 200);
      assert.equal(anonRows(), rows - 1);
      assert.equal(linkOf(a.id).length, 0);
    });

    it('delete / restore / duplicate keep one anonymous row per live CRA', async () => {
      const a = expectStatus(await med.post('/api/activites', { json: individuel({ beneficiaire_anonyme: { genre: 'feminin' } }) }), 201).json;
      expectStatus(await med.delete(`/api/activites/${a.id}`), 204);
      assert.equal(linkOf(a.id)[0][8], 'corbeille', 'the anonymous row goes to the bin with its CRA');
      const restored = expectStatus(await med.post(`/api/activites/${a.id}/restaurer`), 200).json;
      assert.equal(linkOf(a.id)[0][8], 'vivant');
      assert.deepEqual(restored.beneficiaire_anonyme, a.beneficiaire_anonyme);
      const d = expectStatus(await med.post(`/api/activites/${a.id}/dupliquer`), 201).json;
      assert.deepEqual(d.beneficiaire_anonyme, a.beneficiaire_anonyme);
      assert.notEqual(d.beneficiaire.id, a.beneficiaire.id, 'a copy gets its own anonymous beneficiary');
      assert.equal(linkOf(d.id)[0][7], '1');
    });

    it('the beneficiary list, search, duplicates and CSV export show followed beneficiaries only; ?anonymes=1 adds them', async () => {
      expectStatus(await med.post('/api/activites', { json: individuel({ beneficiaire_anonyme: profil }) }), 201);
      const followed = Number(sql(`SELECT COUNT(*) FROM beneficiaires WHERE mediateur_id = ${uid.mediatrice} AND anonyme = 0 AND deleted_at IS NULL`));
      const anonymous = Number(sql(`SELECT COUNT(*) FROM beneficiaires WHERE mediateur_id = ${uid.mediatrice} AND anonyme = 1 AND deleted_at IS NULL`));
      assert.ok(anonymous > 0);
      const list = expectStatus(await med.get('/api/beneficiaires?per_page=5'), 200).json;
      assert.equal(list.total, followed);
      assert.ok(list.items.every((b) => !b.anonyme));
      const all = expectStatus(await med.get('/api/beneficiaires?per_page=5&anonymes=1'), 200).json;
      assert.equal(all.total, followed + anonymous);
      expectError(await med.get('/api/beneficiaires?anonymes=peut-etre'), 400, 'validation', ['anonymes']);
      const searched = expectStatus(await med.get('/api/beneficiaires?q=e'), 200).json;
      assert.ok(searched.items.every((b) => !b.anonyme));
      const dup = expectStatus(await med.get('/api/beneficiaires/doublons'), 200).json;
      assert.ok(dup.items.every((p) => !p.a.anonyme && !p.b.anonyme));
      const csv = expectStatus(await med.get('/api/beneficiaires/export.csv'), 200).text;
      assert.equal(csv.trim().split('\r\n').length - 1, followed, 'one CSV line per followed beneficiary');
    });
  });

  describe('access', () => {
    it("another mediator gets 404 on the mediatrice's activity and never sees it listed", async () => {
      const a = expectStatus(await med.post('/api/activites', { json: individuel() }), 201).json;
      expectError(await lyon.get(`/api/activites/${a.id}`), 404, 'introuvable');
      expectError(await lyon.put(`/api/activites/${a.id}`, { json: { ...a } }), 404, 'introuvable');
      expectError(await lyon.delete(`/api/activites/${a.id}`), 404, 'introuvable');
      expectError(await lyon.post(`/api/activites/${a.id}/dupliquer`), 404, 'introuvable');
      expectStatus(await med.delete(`/api/activites/${a.id}`), 204);
      expectError(await lyon.post(`/api/activites/${a.id}/restaurer`), 404, 'introuvable');
      assert.ok(!expectStatus(await lyon.get('/api/activites/corbeille'), 200).json.items.some((x) => x.id === a.id));
      const list = expectStatus(await lyon.get('/api/activites?limite=100'), 200).json.items;
      assert.ok(list.every((x) => x.mediateur_id === uid.lyon));
      expectStatus(await med.post(`/api/activites/${a.id}/restaurer`), 200);
    });

    it('a coordinator, a manager and an admin get 403; anonymous 401', async () => {
      for (const c of [coord, admin, await server.login(DEMO.gestion)]) {
        expectError(await c.get('/api/activites'), 403, 'acces_refuse');
        expectError(await c.post('/api/activites', { json: individuel() }), 403, 'acces_refuse');
        expectError(await c.get('/api/activites/referentiel'), 403, 'acces_refuse');
      }
      expectError(await server.client().get('/api/activites'), 401, 'non_authentifie');
    });
  });

  describe("lieux d'activité", () => {
    it('list with dates; add; duplicate → 409; end; another mediator → 404', async () => {
      const list = expectStatus(await med.get('/api/lieux-activite'), 200).json.items;
      assert.deepEqual(list.map((l) => l.structure_id).sort(), [sid.bachut, sid.connexions].sort());
      const ended = list.find((l) => l.structure_id === sid.connexions);
      assert.equal(ended.fin, '2025-03-31');
      assert.equal(ended.commune_nom, 'Saint-Étienne');
      const added = expectStatus(await med.post('/api/lieux-activite', { json: { structure_id: sid.tulle } }), 201).json;
      assert.equal(added.debut, todayParis());
      assert.equal(added.fin, null);
      expectError(await med.post('/api/lieux-activite', { json: { structure_id: sid.tulle } }), 409, 'doublon', ['structure_id']);
      expectError(await med.post('/api/lieux-activite', { json: { structure_id: 999999 } }), 400, 'validation', ['structure_id']);
      expectError(await med.post('/api/lieux-activite', { json: { structure_id: sid.tulle, debut: '2024-05-01', fin: '2024-01-01' } }), 400, 'validation', ['fin']);
      // usable right away, in the referentiel too
      const ref = expectStatus(await med.get('/api/activites/referentiel'), 200).json;
      assert.ok(ref.lieux.some((l) => l.structure_id === sid.tulle));
      expectStatus(await med.post('/api/activites', { json: individuel({ lieu_activite_id: sid.tulle, date: todayParis() }) }), 201);
      expectError(await lyon.patch(`/api/lieux-activite/${added.id}`, { json: { fin: todayParis() } }), 404, 'introuvable');
      expectError(await med.patch(`/api/lieux-activite/${added.id}`, { json: { fin: todayParis(-1) } }), 400, 'validation', ['fin']);
      const closed = expectStatus(await med.patch(`/api/lieux-activite/${added.id}`, { json: { debut: todayParis(-5), fin: todayParis(-1) } }), 200).json;
      assert.equal(closed.fin, todayParis(-1));
      assert.equal(closed.debut, todayParis(-5));
      expectError(await med.post('/api/activites', { json: individuel({ lieu_activite_id: sid.tulle, date: todayParis() }) }), 400, 'validation', ['lieu_activite_id']);
      const reopened = expectStatus(await med.patch(`/api/lieux-activite/${added.id}`, { json: { fin: null } }), 200).json;
      assert.equal(reopened.fin, null);
    });
  });
});
