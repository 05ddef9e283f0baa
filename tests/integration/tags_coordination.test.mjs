// Tags (personal, team, départemental: who creates, who sees, who deletes) and coordination
// activities of coordinators.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, ENGINE, DEMO, expectStatus, expectError, todayParis, randomId } from './harness.mjs';

describe(`tags and coordination activities [${ENGINE}]`, () => {
  let server;
  let admin;
  let coord;
  let mediatrice; // in the coordinator's team, works in the Rhône (69)
  let rennes; // in the team, works in Ille-et-Vilaine (35)
  let tulle; // not in the team, Corrèze (19)

  before(async () => {
    server = await startServer();
    admin = await server.login(DEMO.admin);
    coord = await server.login(DEMO.coordination);
    mediatrice = await server.login(DEMO.mediatrice);
    rennes = await server.login(DEMO.rennes);
    tulle = await server.login(DEMO.tulle);
  });
  after(async () => {
    await server?.dispose();
  });

  const names = async (client) => expectStatus(await client.get('/api/tags'), 200).json.items.map((t) => t.nom);
  const create = async (client, body, status = 201) => expectStatus(await client.post('/api/tags', { json: body }), status).json;

  it('personal tags: created by a mediator, seen by them only', async () => {
    const nom = `Perso ${randomId(3)}`;
    const t = await create(mediatrice, { nom, portee: 'personnel' });
    assert.equal(t.portee, 'personnel');
    assert.equal(t.departement, null);
    assert.equal(t.supprimable, true);
    assert.ok((await names(mediatrice)).includes(nom));
    for (const other of [rennes, tulle, coord, admin]) assert.ok(!(await names(other)).includes(nom));
    expectError(await rennes.delete(`/api/tags/${t.id}`), 404, 'introuvable');
    expectError(await coord.post('/api/tags', { json: { nom: 'X', portee: 'personnel' } }), 403, 'acces_refuse');
    // same name again (any case) → 409
    expectError(await mediatrice.post('/api/tags', { json: { nom: nom.toUpperCase(), portee: 'personnel' } }), 409, 'doublon', ['nom']);
    // another mediator may use the same name for their own tag
    await create(rennes, { nom, portee: 'personnel' });
  });

  it('team tags: created by a coordinator, seen by their current team members, deleted by the coordinator only', async () => {
    const nom = `Équipe ${randomId(3)}`;
    const t = await create(coord, { nom, portee: 'equipe' });
    for (const member of [mediatrice, rennes]) {
      const seen = expectStatus(await member.get('/api/tags'), 200).json.items.find((x) => x.id === t.id);
      assert.ok(seen, 'a team member sees the team tag');
      assert.equal(seen.supprimable, false);
      expectError(await member.delete(`/api/tags/${t.id}`), 403, 'acces_refuse');
    }
    assert.ok(!(await names(tulle)).includes(nom), 'not seen outside the team');
    assert.ok((await names(coord)).includes(nom));
    expectError(await mediatrice.post('/api/tags', { json: { nom: 'X', portee: 'equipe' } }), 403, 'acces_refuse');
    expectStatus(await coord.delete(`/api/tags/${t.id}`), 204);
    assert.ok(!(await names(mediatrice)).includes(nom));
    expectError(await coord.delete(`/api/tags/${t.id}`), 404, 'introuvable');
  });

  it('départemental tags: created by an admin for a département, seen by those working there', async () => {
    const nom = `Dép ${randomId(3)}`;
    expectError(await admin.post('/api/tags', { json: { nom, portee: 'departemental' } }), 400, 'validation', ['departement']);
    expectError(await admin.post('/api/tags', { json: { nom, portee: 'departemental', departement: '00' } }), 400, 'validation', ['departement']);
    const t = await create(admin, { nom, portee: 'departemental', departement: '69' });
    assert.equal(t.departement, '69');
    assert.ok((await names(mediatrice)).includes(nom), 'a mediator working in the Rhône sees it');
    assert.ok(!(await names(rennes)).includes(nom), 'not in Ille-et-Vilaine');
    assert.ok((await names(admin)).includes(nom));
    expectError(await mediatrice.post('/api/tags', { json: { nom: 'X', portee: 'departemental', departement: '69' } }), 403, 'acces_refuse');
    expectError(await mediatrice.delete(`/api/tags/${t.id}`), 403, 'acces_refuse');
    // A tag in use: deleting it removes it from the activity.
    const a = expectStatus(await mediatrice.post('/api/activites', {
      json: { type: 'individuel', date: todayParis(), duree: 30, type_lieu: 'a_distance', commune_insee: '69123',
        thematiques: ['email'], tags: [t.id] },
    }), 201).json;
    assert.deepEqual(a.tags.map((x) => x.id), [t.id]);
    const listed = expectStatus(await mediatrice.get('/api/tags'), 200).json.items.find((x) => x.id === t.id);
    assert.equal(listed.utilisations, 1);
    expectStatus(await admin.delete(`/api/tags/${t.id}`), 204);
    const after = expectStatus(await mediatrice.get(`/api/activites/${a.id}`), 200).json;
    assert.deepEqual(after.tags, []);
    assert.ok(after.updated_at > a.updated_at, 'the activity changed (the public API feed reports it)');
  });

  it('tags: validation, roles', async () => {
    expectError(await mediatrice.post('/api/tags', { json: {} }), 400, 'validation', ['nom', 'portee']);
    expectError(await mediatrice.post('/api/tags', { json: { nom: 'x'.repeat(61), portee: 'personnel' } }), 400, 'validation', ['nom']);
    expectError(await mediatrice.post('/api/tags', { json: { nom: 'X', portee: 'global' } }), 400, 'validation', ['portee']);
    expectError(await mediatrice.post('/api/tags', { json: { nom: 'X', portee: 'personnel', departement: '69' } }), 400, 'validation', ['departement']);
    const gestion = await server.login(DEMO.gestion);
    expectError(await gestion.get('/api/tags'), 403, 'acces_refuse');
    expectError(await mediatrice.delete('/api/tags/abc'), 404, 'introuvable');
  });

  it('coordination activities: a coordinator records, lists, filters and deletes their own', async () => {
    const created = [];
    for (const [type, date, titre] of [['animation', todayParis(), 'Réunion d\'équipe'], ['evenement', '2025-10-02', 'Fête du numérique'],
      ['partenariat', '2025-03-12', 'Convention CCAS']]) {
      const r = expectStatus(await coord.post('/api/coordination/activites', {
        json: { type, date, duree: 120, titre, notes: 'Compte rendu', participants: 14 },
      }), 201).json;
      assert.equal(r.type, type);
      assert.equal(r.participants, 14);
      assert.equal(r.coordinateur_id, coord.user.id);
      created.push(r);
    }
    let list = expectStatus(await coord.get('/api/coordination/activites'), 200).json;
    assert.equal(list.total, 3);
    assert.deepEqual(list.items.map((x) => x.id), [created[0].id, created[1].id, created[2].id], 'newest first');
    list = expectStatus(await coord.get('/api/coordination/activites?type=evenement'), 200).json;
    assert.deepEqual(list.items.map((x) => x.id), [created[1].id]);
    list = expectStatus(await coord.get('/api/coordination/activites?du=2025-01-01&au=2025-06-30'), 200).json;
    assert.deepEqual(list.items.map((x) => x.id), [created[2].id]);
    list = expectStatus(await coord.get('/api/coordination/activites?per_page=1&page=2'), 200).json;
    assert.deepEqual(list.items.map((x) => x.id), [created[1].id]);
    expectError(await coord.get('/api/coordination/activites?type=fete'), 400, 'validation', ['type']);
    expectError(await coord.get('/api/coordination/activites?du=hier'), 400, 'validation', ['du']);

    // Another coordinator neither sees nor deletes them.
    const email = `coord.${randomId()}@exemple.fr`;
    expectStatus(await admin.post('/api/users', {
      json: { email, nom: 'Autre', prenom: 'Coordo', password: 'mot-de-passe-autre-coordo', roles: [{ role: 'coordinateur' }] },
    }), 201);
    const other = await server.login(email, 'mot-de-passe-autre-coordo');
    assert.equal(expectStatus(await other.get('/api/coordination/activites'), 200).json.total, 0);
    expectError(await other.delete(`/api/coordination/activites/${created[0].id}`), 404, 'introuvable');

    expectStatus(await coord.delete(`/api/coordination/activites/${created[0].id}`), 204);
    expectError(await coord.delete(`/api/coordination/activites/${created[0].id}`), 404, 'introuvable');
    assert.equal(expectStatus(await coord.get('/api/coordination/activites'), 200).json.total, 2);
    expectError(await mediatrice.get('/api/coordination/activites'), 403, 'acces_refuse');
  });

  it('coordination activities: every rule, with a French message naming the field', async () => {
    let r = expectError(await coord.post('/api/coordination/activites', { json: {} }), 400, 'validation', ['type', 'duree', 'titre']);
    r = expectError(await coord.post('/api/coordination/activites', {
      json: { type: 'fete', date: todayParis(1), duree: 0, titre: '', participants: -1 },
    }), 400, 'validation', ['type', 'date', 'duree', 'titre', 'participants']);
    assert.equal(r.json.error.fields.date, 'La date ne peut pas être dans le futur.');
    r = expectError(await coord.post('/api/coordination/activites', {
      json: { type: 'animation', date: '2019-12-31', duree: 24 * 60 + 1, titre: 'x' },
    }), 400, 'validation', ['date', 'duree']);
    assert.equal(r.json.error.fields.duree, 'La durée ne peut pas dépasser 24 heures.');
    // date defaults to today
    r = expectStatus(await coord.post('/api/coordination/activites', { json: { type: 'animation', duree: 30, titre: 'Point' } }), 201);
    assert.equal(r.json.date, todayParis());
    assert.equal(r.json.participants, 0);
  });
});
