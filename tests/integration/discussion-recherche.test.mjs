// Discussion search in French: accent- and case-insensitive, word variants (Snowball stems),
// phrases, filters (canal, auteur, sujet, dates), paging, only the channels one belongs to.
// The same assertions run on SQLite (FTS5) and PostgreSQL (tsvector): the same results.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, ENGINE, DEMO, expectStatus, expectError, randomId } from './harness.mjs';

describe(`discussion search [${ENGINE}]`, () => {
  let server, coord, lyon, tulle, rennes;
  let theme, groupe;
  const m = {};
  const tag = randomId(4); // a word of its own, so the demo messages never match

  before(async () => {
    server = await startServer({ args: ['--discussion-messages-par-minute', '1000'] });
    coord = await server.login(DEMO.coordination);
    lyon = await server.login(DEMO.lyon);
    tulle = await server.login(DEMO.tulle);
    rennes = await server.login(DEMO.rennes);
    theme = expectStatus(await coord.post('/api/discussion/canaux', { json: { type: 'theme', nom: `Recherche ${tag}` } }), 201).json;
    groupe = expectStatus(await coord.post('/api/discussion/canaux', { json: { type: 'groupe', nom: `Secret ${tag}` } }), 201).json;
    expectStatus(await lyon.post(`/api/discussion/canaux/${theme.id}/adhesion`), 200);
    expectStatus(await tulle.post(`/api/discussion/canaux/${theme.id}/adhesion`), 200);
    const post = async (c, canal, sujet, texte) =>
      expectStatus(await c.post(`/api/discussion/canaux/${canal}/messages`, { json: { sujet, texte } }), 201).json;
    m.eleves = await post(coord, theme.id, 'Ateliers', `Les élèves ${tag} de l'atelier numérique sont ravis`);
    m.ateliers = await post(lyon, theme.id, 'Ateliers', `Nos ATELIERS ${tag} du jeudi reprennent en janvier`);
    m.cafe = await post(tulle, theme.id, 'Café', `Un café ${tag} numérique à Tulle, ouvert à tous`);
    m.demarches = await post(coord, theme.id, 'Démarches', `Aide aux démarches administratives ${tag} : la CAF et l'ANTS`);
    m.secret = await post(coord, groupe.id, 'Privé', `Atelier ${tag} confidentiel`);
    m.supprime = await post(lyon, theme.id, 'Café', `Atelier ${tag} annulé`);
    expectStatus(await lyon.delete(`/api/discussion/messages/${m.supprime.id}`), 204);
  });
  after(async () => {
    await server?.dispose();
  });

  const search = async (c, query) => expectStatus(await c.get(`/api/discussion/recherche?${query}`), 200).json;
  const ids = (r) => r.items.map((x) => x.id);
  const q = (s) => `q=${encodeURIComponent(s)}`;

  it('word variants and accents: « atelier » finds « ateliers » and « l’atelier », « eleve » finds « élèves »', async () => {
    let r = await search(coord, q(`atelier ${tag}`));
    assert.deepEqual(ids(r), [m.secret.id, m.ateliers.id, m.eleves.id], 'newest first; the deleted one is gone');
    assert.equal(r.total, 3);
    r = await search(coord, q(`ELEVE ${tag}`));
    assert.deepEqual(ids(r), [m.eleves.id]);
    assert.match(r.items[0].extrait, /<mark>élèves<\/mark>/);
    assert.match(r.items[0].extrait, /l&#39;atelier/);
    assert.equal(r.items[0].canal.id, theme.id);
    r = await search(coord, q(`démarche administrative ${tag}`));
    assert.deepEqual(ids(r), [m.demarches.id]);
    assert.match(r.items[0].extrait, /<mark>démarches<\/mark> <mark>administratives<\/mark>/);
  });

  it('phrases, prefixes, and nothing to search', async () => {
    assert.deepEqual(ids(await search(coord, q(`"café ${tag} numérique"`))), [m.cafe.id]);
    assert.deepEqual(ids(await search(coord, q(`"numérique ${tag}"`))), []);
    assert.deepEqual(ids(await search(coord, `${q(`${tag} administ`)}&prefixe=1`)), [m.demarches.id]);
    assert.deepEqual(ids(await search(coord, q(`${tag} administ`))), [], 'without prefixe, whole words');
    expectError(await coord.get(`/api/discussion/recherche?${q('  "" ')}`), 400, 'validation', ['q']);
    expectError(await coord.get('/api/discussion/recherche'), 400, 'validation', ['q']);
    // Operators and stray quotes are words, never a syntax error.
    assert.deepEqual(ids(await search(coord, q(`${tag} OR NOT ateliers* "`))), []);
  });

  it('filters: canal, auteur, sujet, dates; paging with avant', async () => {
    const base = q(`numérique ${tag}`);
    assert.deepEqual(ids(await search(coord, base)), [m.cafe.id, m.eleves.id]);
    assert.deepEqual(ids(await search(coord, `${base}&auteur=${m.cafe.auteur.id}`)), [m.cafe.id]);
    assert.deepEqual(ids(await search(coord, `${base}&sujet=${m.eleves.sujet_id}`)), [m.eleves.id]);
    assert.deepEqual(ids(await search(coord, `${base}&canal=${groupe.id}`)), []);
    const today = m.cafe.cree_le.slice(0, 10);
    assert.deepEqual(ids(await search(coord, `${base}&du=${today}&au=${today}`)), [m.cafe.id, m.eleves.id]);
    assert.deepEqual(ids(await search(coord, `${base}&au=2020-01-01`)), []);
    expectError(await coord.get(`/api/discussion/recherche?${base}&du=hier`), 400, 'validation', ['du']);
    const p1 = await search(coord, `${q(tag)}&limite=2`);
    assert.equal(p1.total, 5);
    assert.deepEqual(ids(p1), [m.secret.id, m.demarches.id]);
    const p2 = await search(coord, `${q(tag)}&limite=2&avant=${p1.items[1].id}`);
    assert.deepEqual(ids(p2), [m.cafe.id, m.ateliers.id]);
  });

  it('only the channels one belongs to; an edit is searched by its new text', async () => {
    assert.deepEqual(ids(await search(lyon, q(`atelier ${tag}`))), [m.ateliers.id, m.eleves.id], 'not the private group');
    assert.deepEqual(ids(await search(rennes, q(`atelier ${tag}`))), [], 'not a member of the thematic channel');
    assert.deepEqual(ids(await search(lyon, q(`Tulle ${tag}`))), [m.cafe.id]);
    expectStatus(await tulle.patch(`/api/discussion/messages/${m.cafe.id}`, { json: { texte: `Un goûter ${tag} solidaire` } }), 200);
    assert.deepEqual(ids(await search(lyon, q(`Tulle ${tag}`))), []);
    assert.deepEqual(ids(await search(lyon, q(`GOUTER ${tag}`))), [m.cafe.id]);
  });
});
