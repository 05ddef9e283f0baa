// Two people creating the same conversation at the same instant end with one channel: the same
// direct conversation asked twice at once (unique key on its participants: the second answers
// the one just created, 200), the same public channel name twice at once (unique folded name:
// the second gets 409 `nom_pris` on `nom`). Requests sent in parallel, several rounds.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, ENGINE, DEMO, expectStatus, expectError, randomId } from './harness.mjs';

describe(`discussion: concurrent creations end with one channel [${ENGINE}]`, () => {
  let server;
  const c = {};
  const id = {};
  before(async () => {
    server = await startServer();
    for (const k of ['admin', 'coordination', 'mediatrice', 'lyon', 'rennes', 'tulle', 'gestion']) {
      c[k] = await server.login(DEMO[k]);
      id[k] = expectStatus(await c[k].get('/api/me'), 200).json.id;
    }
  });
  after(async () => {
    await server?.dispose();
  });

  it('the same direct conversation opened twice at once: one channel, both get it', async () => {
    const autres = ['admin', 'coordination', 'mediatrice', 'tulle', 'gestion'];
    for (const tiers of autres) {
      // lyon with (rennes, tiers) and rennes with (lyon, tiers), at the same instant.
      const [a, b] = await Promise.all([
        c.lyon.post('/api/discussion/directs', { json: { user_ids: [id.rennes, id[tiers]] } }),
        c.rennes.post('/api/discussion/directs', { json: { user_ids: [id[tiers], id.lyon] } }),
      ]);
      assert.deepEqual([a.status, b.status].sort(), [200, 201], `${tiers}: ${a.text} ${b.text}`);
      assert.equal(a.json.id, b.json.id, tiers);
      const participants = [id.lyon, id.rennes, id[tiers]].sort((x, y) => x - y);
      const miens = expectStatus(await c[tiers].get('/api/discussion/canaux'), 200).json.items.filter(
        (x) => x.type === 'direct' && JSON.stringify(x.participants.map((p) => p.id).sort((p, q) => p - q)) === JSON.stringify(participants));
      assert.equal(miens.length, 1, `${tiers}: one conversation`);
      assert.equal(miens[0].nb_membres, 3);
    }
  });

  it('the same public channel name twice at once: one channel, the other 409 on nom', async () => {
    for (let round = 0; round < 5; round++) {
      const r = randomId(4);
      const [a, b] = await Promise.all([
        c.lyon.post('/api/discussion/canaux', { json: { type: 'theme', nom: `Aide CAF ${r}`, description: 'un' } }),
        c.rennes.post('/api/discussion/canaux', { json: { type: 'theme', nom: ` aide  caf ${r.toUpperCase()}`, description: 'deux' } }),
      ]);
      assert.deepEqual([a.status, b.status].sort(), [201, 409], `${a.text} ${b.text}`);
      const perdant = a.status === 409 ? a : b;
      expectError(perdant, 409, 'nom_pris', ['nom']);
      const annuaire = expectStatus(await c.tulle.get('/api/discussion/annuaire'), 200).json.items;
      assert.equal(annuaire.filter((x) => x.nom.toLowerCase().replace(/\s+/g, ' ').trim() === `aide caf ${r}`.toLowerCase()).length, 1);
    }
  });

  it('names: folded comparison, renaming to a taken name refused, a private group may share one', async () => {
    const r = randomId(4);
    const premier = expectStatus(await c.lyon.post('/api/discussion/canaux', { json: { type: 'theme', nom: `Démarches ${r}`, description: 'x' } }), 201).json;
    expectError(await c.rennes.post('/api/discussion/canaux', { json: { type: 'annonces', nom: `DEMARCHES ${r}`, description: 'x' } }), 403, 'acces_refuse');
    expectError(await c.admin.post('/api/discussion/canaux', { json: { type: 'annonces', nom: `DEMARCHES ${r}`, description: 'x' } }), 409, 'nom_pris', ['nom']);
    const second = expectStatus(await c.rennes.post('/api/discussion/canaux', { json: { type: 'theme', nom: `Autre ${r}`, description: 'x' } }), 201).json;
    expectError(await c.rennes.patch(`/api/discussion/canaux/${second.id}`, { json: { nom: `démarches ${r}` } }), 409, 'nom_pris', ['nom']);
    // Its own name (other case), its description, its archive: fine.
    expectStatus(await c.lyon.patch(`/api/discussion/canaux/${premier.id}`, { json: { nom: `DÉMARCHES ${r}`, description: 'y' } }), 200);
    expectStatus(await c.lyon.patch(`/api/discussion/canaux/${premier.id}`, { json: { archive: true } }), 200);
    expectError(await c.tulle.post('/api/discussion/canaux', { json: { type: 'theme', nom: `Démarches ${r}`, description: 'x' } }), 409, 'nom_pris', ['nom']);
    expectStatus(await c.tulle.post('/api/discussion/canaux', { json: { type: 'groupe', nom: `Démarches ${r}`, description: 'x' } }), 201);
  });
});
