// The `message_cree` event carries `cree_le_us`, the message's creation instant in microseconds
// since the epoch, as the last key of its data (bench/chat reads it from the end of each frame to
// measure delivery latency without parsing the JSON), and the same instant as `cree_le`.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, ENGINE, DEMO, expectStatus, randomId, openSocket } from './harness.mjs';

describe(`discussion: cree_le_us of message_cree [${ENGINE}]`, () => {
  let server, coord, mediatrice;

  before(async () => {
    server = await startServer();
    coord = await server.login(DEMO.coordination);
    mediatrice = await server.login(DEMO.mediatrice);
  });
  after(async () => {
    await server?.dispose();
  });

  it('a number of microseconds matching cree_le, the last key of the data', async () => {
    const t = expectStatus(await coord.post('/api/discussion/canaux', {
      json: { type: 'theme', nom: `Horodatage ${randomId(3)}`, description: 'Latence' },
    }), 201).json;
    expectStatus(await mediatrice.post(`/api/discussion/canaux/${t.id}/adhesion`), 200);
    const { seq } = expectStatus(await mediatrice.get('/api/discussion/etat'), 200).json;
    const { ws, inbox } = await openSocket(server, mediatrice);
    try {
      // The stream starts once the socket resumes (docs/api-contract.md « /ws »).
      ws.send(JSON.stringify({ type: 'reprendre', depuis: seq }));
      await inbox.next((x) => x.type === 'repris', 3000, 'repris');
      const m = expectStatus(await coord.post(`/api/discussion/canaux/${t.id}/messages`, {
        json: { sujet: 'Mesures', texte: 'Atelier **CAF** jeudi' },
      }), 201).json;
      const ev = await inbox.next((x) => x.type === 'discussion' && x.evenement === 'message_cree' && x.data.id === m.id,
        3000, 'message_cree');
      assert.ok(Number.isSafeInteger(ev.data.cree_le_us), 'an integer');
      assert.equal(Object.keys(ev.data).at(-1), 'cree_le_us');
      // cree_le has millisecond precision and is read from the clock a moment later.
      const ms = Date.parse(m.cree_le);
      assert.ok(ev.data.cree_le_us <= ms * 1000 + 999 && ev.data.cree_le_us > ms * 1000 - 5e6,
        `${ev.data.cree_le_us} µs vs ${m.cree_le}`);
    } finally {
      ws.close();
    }
  });
});
