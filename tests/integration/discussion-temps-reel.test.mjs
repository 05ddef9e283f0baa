// The discussion stream over /ws end to end: messages posted while a socket is away arrive once,
// in order, after reprendre — on PostgreSQL across two instances (posted on one, resumed on the
// other).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, ENGINE, DEMO, expectStatus, expectError, openSocket, randomId } from './harness.mjs';

describe(`discussion in real time, resume [${ENGINE}]`, () => {
  let a, b;
  const sockets = [];
  before(async () => {
    a = await startServer();
    b = ENGINE === 'postgres' ? await startServer({ db: a.db, demo: false }) : a;
  });
  after(async () => {
    for (const s of sockets) s.ws.terminate();
    if (b !== a) await b.stop();
    await a?.dispose();
  });
  function sameSessionOn(server, client) {
    const c = server.client();
    for (const [k, v] of client.cookies) c.cookies.set(k, v);
    return c;
  }
  it('live, then away, then resumed on the other instance: every message once, in order', async () => {
    const coordA = await a.login(DEMO.coordination);
    const coordB = sameSessionOn(b, coordA);
    const medA = await a.login(DEMO.mediatrice);
    const medB = sameSessionOn(b, medA);
    const canal = expectStatus(await coordA.post('/api/discussion/canaux', { json: { type: 'theme', nom: `Temps réel ${randomId()}`, description: 'x' } }), 201).json;
    expectStatus(await medA.post(`/api/discussion/canaux/${canal.id}/adhesion`), 200);
    const post = async (c, texte) => expectStatus(await c.post(`/api/discussion/canaux/${canal.id}/messages`, { json: { sujet: 'Reprise', texte } }), 201).json;
    const s0 = expectStatus(await medA.get('/api/discussion/etat'), 200).json.seq;
    const first = await openSocket(a, medA);
    sockets.push(first);
    first.ws.send(JSON.stringify({ type: 'reprendre', depuis: s0 }));
    await first.inbox.next((m) => m.type === 'repris', 3000, 'repris');
    const m1 = await post(coordB, 'un');
    const e1 = await first.inbox.next((m) => m.type === 'discussion' && m.evenement === 'message_cree', 3000, 'm1 live from B');
    assert.equal(e1.data.id, m1.id, JSON.stringify(e1));
    let last = e1.seq;
    for (const m of first.inbox.messages) if (m.seq > last) last = m.seq;
    first.ws.close();
    await first.inbox.waitClose();
    const away = [await post(coordB, 'deux'), await post(coordA, 'trois'), await post(coordB, 'quatre')];
    const second = await openSocket(b, medB);
    sockets.push(second);
    second.ws.send(JSON.stringify({ type: 'reprendre', depuis: last }));
    const repris = await second.inbox.next((m) => m.type === 'repris', 3000, 'repris');
    const got = second.inbox.messages.filter((m) => m.type === 'discussion' && m.evenement === 'message_cree');
    assert.deepEqual(got.map((m) => m.data.id), away.map((m) => m.id), 'the missed ones, in order');
    const seqs = second.inbox.messages.filter((m) => m.type === 'discussion').map((m) => m.seq);
    assert.deepEqual(seqs, [...seqs].sort((x, y) => x - y));
    assert.equal(new Set(seqs).size, seqs.length, 'each once');
    assert.ok(repris.seq >= Math.max(...seqs));
    const m5 = await post(coordA, 'cinq');
    const e5 = await second.inbox.next((m) => m.type === 'discussion' && m.evenement === 'message_cree' && m.seq > repris.seq, 3000, 'm5 live from A');
    assert.equal(e5.data.id, m5.id);
  });

  it('typing notices name their topic (null: a new topic being written), to the other members only', async () => {
    const coord = await a.login(DEMO.coordination);
    const med = await a.login(DEMO.mediatrice);
    const canal = expectStatus(await coord.post('/api/discussion/canaux', { json: { type: 'theme', nom: `Frappe ${randomId()}` } }), 201).json;
    expectStatus(await med.post(`/api/discussion/canaux/${canal.id}/adhesion`), 200);
    const sujet = expectStatus(await coord.post(`/api/discussion/canaux/${canal.id}/messages`, { json: { sujet: 'Saisie', texte: 'x' } }), 201).json.sujet_id;
    const autre = expectStatus(await coord.post('/api/discussion/canaux', { json: { type: 'theme', nom: `Frappe autre ${randomId()}` } }), 201).json;
    const ailleurs = expectStatus(await coord.post(`/api/discussion/canaux/${autre.id}/messages`, { json: { sujet: 'Ailleurs', texte: 'x' } }), 201).json.sujet_id;
    const s = await openSocket(a, med);
    sockets.push(s);
    s.ws.send(JSON.stringify({ type: 'reprendre', depuis: expectStatus(await med.get('/api/discussion/etat'), 200).json.seq }));
    await s.inbox.next((m) => m.type === 'repris', 3000, 'repris');
    const frappe = (label) => s.inbox.next((m) => m.type === 'discussion' && m.evenement === 'frappe', 3000, label);
    expectStatus(await coord.post(`/api/discussion/canaux/${canal.id}/frappe`, { json: { sujet_id: sujet } }), 204);
    const e1 = await frappe('typing in a topic');
    assert.equal(e1.canal_id, canal.id);
    assert.equal(e1.seq, 0);
    assert.equal(e1.data.sujet_id, sujet);
    assert.equal(e1.data.user_id, expectStatus(await coord.get('/api/me'), 200).json.id);
    assert.ok(e1.data.nom.length > 0);
    s.inbox.messages.length = 0;
    expectStatus(await coord.post(`/api/discussion/canaux/${canal.id}/frappe`), 204); // no body: a new topic
    assert.equal((await frappe('writing a new topic')).data.sujet_id, null);
    s.inbox.messages.length = 0;
    expectStatus(await coord.post(`/api/discussion/canaux/${canal.id}/frappe`, { json: { sujet_id: null } }), 204);
    assert.equal((await frappe('sujet_id null')).data.sujet_id, null);
    // A topic of another channel, a bad type: 400 naming the field.
    expectError(await coord.post(`/api/discussion/canaux/${canal.id}/frappe`, { json: { sujet_id: ailleurs } }), 400, 'validation', ['sujet_id']);
    expectError(await coord.post(`/api/discussion/canaux/${canal.id}/frappe`, { json: { sujet_id: 'un' } }), 400, 'validation', ['sujet_id']);
  });
});
