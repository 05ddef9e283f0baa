// Réseaux locaux (features/reseaux) against a real server, on the engine of COOP_IT_ENGINE: a
// coordinator creates a network, its structures are invited by e-mail (the outbox), their
// gestionnaires accept or decline; the directory (people, contacts only when shown, lieux), its
// map (GET /api/lieux/points?reseau=), « Mon réseau » of a département; the statistics scope
// reseau:ID equals a SQL count made here on the database; the network's channel follows the
// member structures; animators, leaving, deleting.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, ENGINE, DEMO, DEMO_STRUCTURES, expectStatus, expectError, allPages, courrielsPour, dbExec, todayParis } from './harness.mjs';

// Activities counted by the « réseau » scope, straight from the tables: live activities whose
// mediator's employer on the activity's date (confirmed employment, the latest started) is a
// member structure of the network.
function compteSql(db, reseauId) {
  return Number(dbExec(db, `SELECT COUNT(*) FROM activites a WHERE a.deleted_at IS NULL AND (
    SELECT e.structure_id FROM employments e WHERE e.user_id = a.mediateur_id AND e.statut = 'confirme' AND e.debut <= a.date
      AND (e.fin IS NULL OR e.fin >= a.date) ORDER BY e.debut DESC, e.id DESC LIMIT 1
  ) IN (SELECT structure_id FROM reseau_structures WHERE reseau_id = ${Number(reseauId)})`));
}
const membresCanal = (db, canalId) =>
  dbExec(db, `SELECT user_id FROM discussion_membres WHERE canal_id = ${Number(canalId)} ORDER BY user_id`)
    .split('\n').filter(Boolean).map(Number);

describe(`réseaux locaux [${ENGINE}]`, () => {
  let server, admin, coord, gestion, med, tulle;
  const ids = { user: {} };
  before(async () => {
    server = await startServer();
    admin = await server.login(DEMO.admin);
    coord = await server.login(DEMO.coordination);
    gestion = await server.login(DEMO.gestion);
    med = await server.login(DEMO.mediatrice);
    tulle = await server.login(DEMO.tulle);
    const structures = await allPages(admin, '/api/structures');
    ids.s1 = structures.find((s) => s.nom === DEMO_STRUCTURES.bachut).id;
    ids.s2 = structures.find((s) => s.nom === DEMO_STRUCTURES.connexions).id;
    const users = await allPages(admin, '/api/users');
    for (const [k, email] of Object.entries(DEMO)) ids.user[k] = users.find((u) => u.email === email).id;
    ids.lieuS1 = expectStatus(await admin.post(`/api/structures/${ids.s1}/lieu`), 200).json.id;
  });
  after(async () => {
    await server?.dispose();
  });

  it('creation is validated field by field, in French', async () => {
    expectError(await coord.post('/api/reseaux', { json: { nom: '', territoires: ['departement:69'] } }), 400, 'validation', ['nom']);
    expectError(await coord.post('/api/reseaux', { json: { nom: 'X', territoires: ['departement:00'] } }), 400, 'validation', ['territoires']);
    expectError(await coord.post('/api/reseaux', { json: { nom: 'X', territoires: [] } }), 400, 'validation', ['territoires']);
    expectError(await coord.post('/api/reseaux', { json: { nom: 'X', territoires: ['departement:69'], structures: [999999] } }), 400, 'validation', ['structures']);
    expectError(await med.post('/api/reseaux', { json: { nom: 'X', territoires: ['departement:69'] } }), 403, 'acces_refuse');
  });

  it('structures to invite are found by name, whoever employs the reader', async () => {
    const r = expectStatus(await coord.get('/api/reseaux/structures?q=connexions'), 200).json;
    assert.deepEqual(r.items.map((s) => s.id), [ids.s2]);
    assert.equal(r.items[0].commune, 'Saint-Étienne');
    expectError(await med.get('/api/reseaux/structures?q=a'), 403, 'acces_refuse');
  });

  it('a coordinator creates a network: its structures are invited by e-mail, the gestionnaire accepts', async () => {
    const avantGestion = courrielsPour(server.db, DEMO.gestion).filter((m) => m.modele === 'invitation_reseau').length;
    const r = expectStatus(await coord.post('/api/reseaux', { json: {
      nom: 'Réseau Rhône-Loire', description: 'Test', territoires: ['departement:69', 'commune:42218'], structures: [ids.s1, ids.s2],
    } }), 201).json;
    ids.reseau = r.id;
    ids.canal = r.canal_id;
    assert.ok(r.canal_id > 0, 'the network has its channel');
    assert.deepEqual(r.structures, [], 'a coordinator manages no structure: both are invited');
    assert.deepEqual(r.invitations.map((i) => i.structure_id).sort(), [ids.s1, ids.s2].sort());
    assert.deepEqual(r.territoires.map((t) => `${t.niveau}:${t.code}`), ['commune:42218', 'departement:69']);
    assert.equal(r.droits.animer, true);
    const mails = courrielsPour(server.db, DEMO.gestion).filter((m) => m.modele === 'invitation_reseau');
    assert.equal(mails.length, avantGestion + 1);
    assert.match(mails.at(-1).texte, /Réseau Rhône-Loire/);
    assert.match(mails.at(-1).texte, /\/reseaux\/invitations/);
    // Connexions Solidaires has no gestionnaire: the administrators are told.
    assert.ok(courrielsPour(server.db, DEMO.admin).some((m) => m.modele === 'invitation_reseau' && /Connexions/.test(m.texte)));

    assert.ok(expectStatus(await gestion.get('/api/reseaux'), 200).json.invitations_en_attente >= 1);
    assert.ok(expectStatus(await admin.get('/api/reseaux'), 200).json.invitations_en_attente >= 2, 'every pending one for an admin');
    const mes = expectStatus(await gestion.get('/api/reseaux/invitations'), 200).json.items;
    const inv = mes.find((i) => i.reseau_id === ids.reseau);
    assert.equal(inv.structure_id, ids.s1);
    expectError(await med.post(`/api/reseaux/invitations/${inv.id}/accepter`), 403, 'acces_refuse');
    assert.equal(expectStatus(await gestion.post(`/api/reseaux/invitations/${inv.id}/accepter`), 200).json.statut, 'acceptee');
    expectError(await gestion.post(`/api/reseaux/invitations/${inv.id}/accepter`), 409, 'deja_repondue');
    // The administrator declines for Connexions, the coordinator invites again, the admin accepts.
    const inv2 = expectStatus(await admin.get('/api/reseaux/invitations'), 200).json.items.find((i) => i.reseau_id === ids.reseau);
    assert.equal(expectStatus(await admin.post(`/api/reseaux/invitations/${inv2.id}/refuser`), 200).json.statut, 'refusee');
    const again = expectStatus(await coord.post(`/api/reseaux/${ids.reseau}/structures`, { json: { structure_id: ids.s2 } }), 201).json;
    assert.equal(again.statut, 'invitee');
    expectStatus(await admin.post(`/api/reseaux/invitations/${again.invitation_id}/accepter`), 200);
    const d = expectStatus(await coord.get(`/api/reseaux/${ids.reseau}`), 200).json;
    assert.deepEqual(d.structures.map((s) => s.id).sort(), [ids.s1, ids.s2].sort());
    assert.deepEqual(d.invitations, []);
    expectError(await coord.post(`/api/reseaux/${ids.reseau}/structures`, { json: { structure_id: ids.s1 } }), 409, 'deja_membre');
    // Listed for its members and animators.
    assert.ok(expectStatus(await med.get('/api/reseaux'), 200).json.items.some((x) => x.id === ids.reseau && x.membre));
    assert.ok(!expectStatus(await tulle.get('/api/reseaux'), 200).json.items.some((x) => x.id === ids.reseau));
  });

  it('the directory: structures, people (contact only when shown), lieux; searchable; its map', async () => {
    const a = expectStatus(await tulle.get(`/api/reseaux/${ids.reseau}/annuaire`), 200).json;
    assert.deepEqual(a.structures.map((s) => s.id).sort(), [ids.s1, ids.s2].sort());
    const mediatrice = a.personnes.find((p) => p.user_id === ids.user.mediatrice);
    assert.equal(mediatrice.role, 'mediateur');
    assert.equal(mediatrice.email, null, 'not shown until she chooses to');
    assert.ok(a.personnes.some((p) => p.user_id === ids.user.gestion && p.role === 'gestionnaire'));
    assert.ok(a.personnes.some((p) => p.user_id === ids.user.coordination && p.role === 'coordinateur'));
    assert.ok(a.lieux.some((l) => l.id === ids.lieuS1));
    expectStatus(await med.put('/api/reseaux/visibilite', { json: { visible: true } }), 200);
    expectError(await med.put('/api/reseaux/visibilite', { json: { visible: 'oui' } }), 400, 'validation', ['visible']);
    const b = expectStatus(await tulle.get(`/api/reseaux/${ids.reseau}/annuaire`), 200).json;
    assert.equal(b.personnes.find((p) => p.user_id === ids.user.mediatrice).email, DEMO.mediatrice);
    const q = expectStatus(await tulle.get(`/api/reseaux/${ids.reseau}/annuaire?q=benali`), 200).json;
    assert.deepEqual(q.personnes.map((p) => p.user_id), [ids.user.lyon]);
    assert.deepEqual(q.structures, []);
    // The map: exactly the directory's lieux that are on the map.
    const pts = expectStatus(await tulle.get(`/api/lieux/points?reseau=${ids.reseau}`), 200).json;
    assert.deepEqual(pts.points.map((p) => p[0]).sort((x, y) => x - y), a.lieux.filter((l) => l.sur_la_carte).map((l) => l.id).sort((x, y) => x - y));
    expectError(await tulle.get('/api/lieux/points?reseau=999999'), 404, 'introuvable');
    expectError(await tulle.get('/api/lieux/points?reseau=abc'), 400, 'validation', ['reseau']);
  });

  it('« Mon réseau »: the automatic network of the département of one\'s structure', async () => {
    const l = expectStatus(await med.get('/api/reseaux'), 200).json;
    assert.deepEqual(l.mon_reseau.map((d) => d.code), ['69']);
    const a = expectStatus(await med.get('/api/reseaux/departements/69/annuaire'), 200).json;
    assert.ok(a.structures.some((s) => s.id === ids.s1));
    assert.ok(!a.structures.some((s) => s.id === ids.s2), 'Saint-Étienne is in the Loire');
    assert.ok(a.personnes.some((p) => p.user_id === ids.user.lyon));
    // Its lieux: those of its structures and every lieu of the département on the map (the map tab's).
    assert.ok(a.lieux.some((l) => l.id === ids.lieuS1));
    const pts = expectStatus(await med.get('/api/lieux/points?departement=69'), 200).json;
    const surCarte = new Set(a.lieux.filter((l) => l.sur_la_carte).map((l) => l.id));
    for (const [id] of pts.points) assert.ok(surCarte.has(id), `lieu ${id} of the Rhône's map is in the directory`);
    expectError(await med.get('/api/reseaux/departements/00/annuaire'), 404, 'introuvable');
  });

  it('the « réseau » statistics scope equals the SQL count, follows the members, is for members only', async () => {
    const attendu = compteSql(server.db, ids.reseau);
    assert.ok(attendu > 0, 'demo activities of the mediators of both structures');
    const s = expectStatus(await coord.get(`/api/statistiques?perimetre=reseau:${ids.reseau}`), 200).json;
    assert.equal(s.totaux.activites, attendu);
    const s1 = expectStatus(await admin.get(`/api/statistiques?perimetre=structure:${ids.s1}`), 200).json.totaux.activites;
    const s2 = expectStatus(await admin.get(`/api/statistiques?perimetre=structure:${ids.s2}`), 200).json.totaux.activites;
    assert.equal(s1 + s2, attendu, 'the sum of its structures');
    assert.equal(expectStatus(await med.get(`/api/statistiques?perimetre=reseau:${ids.reseau}`), 200).json.totaux.activites, attendu);
    assert.ok(expectStatus(await med.get('/api/statistiques/perimetres'), 200).json.perimetres.some((p) => p.code === `reseau:${ids.reseau}`));
    expectError(await tulle.get(`/api/statistiques?perimetre=reseau:${ids.reseau}`), 403, 'acces_refuse');
    expectError(await tulle.get('/api/statistiques?perimetre=reseau:999999'), 404, 'introuvable');
  });

  it('the channel holds the people of the member structures and the animators, and follows departures', async () => {
    const attendus = [ids.user.gestion, ids.user.coordination, ids.user.mediatrice, ids.user.lyon, ids.user.stetienne].sort((a, b) => a - b);
    assert.deepEqual(membresCanal(server.db, ids.canal), attendus);
    assert.ok(expectStatus(await med.get('/api/discussion/canaux'), 200).json.items.some((c) => c.id === ids.canal));
    // An employment that ended yesterday: the mediator leaves the network's channel.
    const emp = expectStatus(await admin.get(`/api/structures/${ids.s1}/employes`), 200).json.items.find((e) => e.user.email === DEMO.lyon);
    expectStatus(await admin.patch(`/api/structures/${ids.s1}/employes/${emp.id}`, { json: { fin: todayParis(-1) } }), 200);
    assert.ok(!membresCanal(server.db, ids.canal).includes(ids.user.lyon), 'left with the employment');
    // The gestionnaire takes the Bachut out of the network (leaving).
    expectError(await med.delete(`/api/reseaux/${ids.reseau}/structures/${ids.s1}`), 403, 'acces_refuse');
    expectStatus(await gestion.delete(`/api/reseaux/${ids.reseau}/structures/${ids.s1}`), 204);
    assert.deepEqual(membresCanal(server.db, ids.canal), [ids.user.coordination, ids.user.stetienne].sort((a, b) => a - b));
    const s = expectStatus(await coord.get(`/api/statistiques?perimetre=reseau:${ids.reseau}`), 200).json;
    assert.equal(s.totaux.activites, compteSql(server.db, ids.reseau));
    expectError(await med.get(`/api/statistiques?perimetre=reseau:${ids.reseau}`), 403, 'acces_refuse');
    // Back in, directly: the gestionnaire manages it… but only animators add structures.
    expectError(await gestion.post(`/api/reseaux/${ids.reseau}/structures`, { json: { structure_id: ids.s1 } }), 403, 'acces_refuse');
  });

  it('animators: edit, co-animators, the last one stays, deletion by the creator', async () => {
    expectError(await med.patch(`/api/reseaux/${ids.reseau}`, { json: { nom: 'Pirate' } }), 403, 'acces_refuse');
    expectError(await coord.patch(`/api/reseaux/${ids.reseau}`, { json: { nom: '' } }), 400, 'validation', ['nom']);
    const r = expectStatus(await coord.patch(`/api/reseaux/${ids.reseau}`, { json: { nom: 'Réseau Loire' } }), 200).json;
    assert.equal(r.nom, 'Réseau Loire');
    assert.equal(dbExec(server.db, `SELECT nom FROM discussion_canaux WHERE id = ${Number(ids.canal)}`), 'Réseau · Réseau Loire');
    expectError(await coord.post(`/api/reseaux/${ids.reseau}/animateurs`, { json: { user_id: ids.user.lyon } }), 400, 'validation', ['user_id']);
    expectStatus(await coord.post(`/api/reseaux/${ids.reseau}/animateurs`, { json: { user_id: ids.user.gestion } }), 201);
    assert.ok(membresCanal(server.db, ids.canal).includes(ids.user.gestion), 'a co-animator is in the channel');
    // The co-animator now adds the structure they manage directly.
    assert.equal(expectStatus(await gestion.post(`/api/reseaux/${ids.reseau}/structures`, { json: { structure_id: ids.s1 } }), 201).json.statut, 'membre');
    expectError(await gestion.delete(`/api/reseaux/${ids.reseau}`), 403, 'acces_refuse');
    expectStatus(await gestion.delete(`/api/reseaux/${ids.reseau}/animateurs/${ids.user.gestion}`), 204);
    expectError(await coord.delete(`/api/reseaux/${ids.reseau}/animateurs/${ids.user.coordination}`), 409, 'dernier_animateur');
    expectStatus(await coord.delete(`/api/reseaux/${ids.reseau}`), 204);
    expectError(await coord.get(`/api/reseaux/${ids.reseau}`), 404, 'introuvable');
    assert.equal(dbExec(server.db, `SELECT archive FROM discussion_canaux WHERE id = ${Number(ids.canal)}`), '1');
  });
});
