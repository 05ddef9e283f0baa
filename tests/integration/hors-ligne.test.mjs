// Offline CRA entry (issue 9): POST /api/activites with an Idempotency-Key creates the CRA once
// per mediator and key — a retry answers the same CRA (200), concurrent retries create one, the
// key of another mediator is independent, a refused CRA consumes no key, and the statistics count
// a retried CRA once.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startServer, ENGINE, DEMO, DEMO_STRUCTURES, expectStatus, expectError, allPages, todayParis, randomId } from './harness.mjs';

describe(`offline entry: idempotent CRA creation [${ENGINE}]`, () => {
  let server;
  let med;
  let lyon;
  let bachut;

  const cra = (notes, over = {}) => ({
    type: 'individuel', date: todayParis(-1), duree: 30, type_lieu: 'lieu_activite', lieu_activite_id: bachut,
    thematiques: ['email'], notes, ...over,
  });
  const post = (client, body, key) => client.post('/api/activites', { json: body, headers: key ? { 'idempotency-key': key } : {} });
  // The activities of the client whose notes are exactly `notes` (the note is unique per test).
  // GET /api/activites pages with a cursor (suivant → apres).
  const withNotes = async (client, notes) => {
    const out = [];
    for (let apres = null; ;) {
      const page = expectStatus(await client.get(`/api/activites?limite=100${apres ? `&apres=${encodeURIComponent(apres)}` : ''}`), 200).json;
      out.push(...page.items.filter((a) => a.notes === notes));
      if (!page.suivant) return out;
      apres = page.suivant;
    }
  };

  before(async () => {
    server = await startServer();
    med = await server.login(DEMO.mediatrice);
    lyon = await server.login(DEMO.lyon);
    const admin = await server.login(DEMO.admin);
    const structures = await allPages(admin, '/api/structures');
    bachut = structures.find((s) => s.nom === DEMO_STRUCTURES.bachut).id;
  });
  after(async () => {
    await server?.dispose();
  });

  it('the same CRA sent twice with the same key is created once: same id, 201 then 200', async () => {
    const notes = `hors-ligne ${randomId()}`;
    const key = crypto.randomUUID();
    const first = expectStatus(await post(med, cra(notes), key), 201).json;
    const second = expectStatus(await post(med, cra(notes), key), 200).json;
    assert.equal(second.id, first.id);
    assert.equal(second.version, first.version);
    assert.deepEqual(second, first);
    // The key in capitals is the same key.
    assert.equal(expectStatus(await post(med, cra(notes), key.toUpperCase()), 200).json.id, first.id);
    const mine = await withNotes(med, notes);
    assert.deepEqual(mine.map((a) => a.id), [first.id]);
    // Without a key, every POST creates a CRA (the API as before).
    const a = expectStatus(await post(med, cra(`${notes} sans clé`)), 201).json;
    const b = expectStatus(await post(med, cra(`${notes} sans clé`)), 201).json;
    assert.notEqual(a.id, b.id);
  });

  it('a retry after the CRA went to the bin answers it and does not recreate it', async () => {
    const notes = `hors-ligne corbeille ${randomId()}`;
    const key = crypto.randomUUID();
    const created = expectStatus(await post(med, cra(notes), key), 201).json;
    expectStatus(await med.delete(`/api/activites/${created.id}`), 204);
    const retry = expectStatus(await post(med, cra(notes), key), 200).json;
    assert.equal(retry.id, created.id);
    assert.equal((await withNotes(med, notes)).length, 0, 'still in the bin, not recreated');
  });

  it('concurrent duplicates create one CRA', async () => {
    const notes = `hors-ligne concurrence ${randomId()}`;
    const key = crypto.randomUUID();
    const answers = await Promise.all(Array.from({ length: 8 }, () => post(med, cra(notes), key)));
    const statuses = answers.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200, 200, 201], answers.map((r) => r.text.slice(0, 200)).join('\n'));
    const ids = new Set(answers.map((r) => r.json.id));
    assert.equal(ids.size, 1);
    const mine = await withNotes(med, notes);
    assert.deepEqual(mine.map((a) => a.id), [...ids]);
  });

  it('the same key from another mediator is independent', async () => {
    const notes = `hors-ligne autre ${randomId()}`;
    const key = crypto.randomUUID();
    const mine = expectStatus(await post(med, cra(notes), key), 201).json;
    const theirs = expectStatus(await post(lyon, cra(notes), key), 201).json;
    assert.notEqual(theirs.id, mine.id);
    // Each one's retry finds their own CRA.
    assert.equal(expectStatus(await post(lyon, cra(notes), key), 200).json.id, theirs.id);
    assert.equal(expectStatus(await post(med, cra(notes), key), 200).json.id, mine.id);
    assert.equal((await withNotes(med, notes)).length, 1);
    assert.equal((await withNotes(lyon, notes)).length, 1);
    // The mediator cannot read the other's CRA through the key: their retry answers their own.
    expectStatus(await med.get(`/api/activites/${theirs.id}`), 404);
  });

  it('a keyed CRA refused by validation stores no key: the corrected CRA is created with the same key', async () => {
    const notes = `hors-ligne refus ${randomId()}`;
    const key = crypto.randomUUID();
    const refused = expectError(await post(med, cra(notes, { thematiques: [], date: todayParis(+3) }), key), 400, 'validation',
      ['thematiques', 'date']);
    assert.match(refused.json.error.fields.thematiques, /thématique/i);
    // Refused again (same key): still 400, nothing created.
    expectError(await post(med, cra(notes, { thematiques: [] }), key), 400, 'validation', ['thematiques']);
    assert.equal((await withNotes(med, notes)).length, 0);
    const created = expectStatus(await post(med, cra(notes), key), 201).json;
    assert.equal(expectStatus(await post(med, cra(notes), key), 200).json.id, created.id);
  });

  it('a malformed key is refused with a French error naming the header', async () => {
    for (const bad of ['abc', '3f2b8c1e9d4a4f6b8a2e1c5d7e9f0a3b', '3f2b8c1e-9d4a-4f6b-8a2e-1c5d7e9f0a3g']) {
      const r = expectError(await post(med, cra(`hors-ligne mauvaise clé ${randomId()}`), bad), 400, 'validation',
        ['Idempotency-Key']);
      assert.match(r.json.error.fields['Idempotency-Key'], /UUID/);
    }
  });

  it('the statistics count a retried CRA once', async () => {
    const before = expectStatus(await med.get('/api/statistiques'), 200).json;
    const key = crypto.randomUUID();
    const body = cra(`hors-ligne stats ${randomId()}`, { duree: 75 });
    expectStatus(await post(med, body, key), 201);
    expectStatus(await post(med, body, key), 200);
    await Promise.all([post(med, body, key), post(med, body, key)]);
    const after = expectStatus(await med.get('/api/statistiques'), 200).json;
    assert.equal(after.totaux.activites, before.totaux.activites + 1);
    assert.equal(after.totaux.duree_totale_minutes, before.totaux.duree_totale_minutes + 75);
  });
});
