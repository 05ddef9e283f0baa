// Retention of the discussion's event log (--discussion-evenements-jours): `coop purge` next to
// the running server deletes the events older than the retention (never the newest one); a socket
// resuming from before the oldest kept event is told {"type":"repris",…,"incomplet":true} and
// reloads, one resuming from after it gets the events it missed as usual.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, dbExec, COOP_BIN, ENGINE, DEMO, expectStatus, openSocket, randomId } from './harness.mjs';

describe(`discussion event log retention [${ENGINE}]`, () => {
  let server;
  const sockets = [];
  before(async () => {
    server = await startServer({ args: ['--discussion-evenements-jours', '30'] });
  });
  after(async () => {
    for (const s of sockets) s.ws.terminate();
    await server?.dispose();
  });
  const coop = (...args) => {
    const r = spawnSync(COOP_BIN, ['--database', server.db.url, ...args], {
      encoding: 'utf8', env: { PATH: process.env.PATH }, timeout: 60_000,
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  it('purges events older than the retention; a resume from before them is incomplete', async () => {
    const coord = await server.login(DEMO.coordination);
    const med = await server.login(DEMO.mediatrice);
    const canal = expectStatus(await coord.post('/api/discussion/canaux', { json: { type: 'theme', nom: `Rétention ${randomId()}`, description: 'x' } }), 201).json;
    expectStatus(await med.post(`/api/discussion/canaux/${canal.id}/adhesion`), 200);
    const post = async (texte) => expectStatus(await coord.post(`/api/discussion/canaux/${canal.id}/messages`, { json: { sujet: 'Rétention', texte } }), 201).json;
    const s0 = expectStatus(await med.get('/api/discussion/etat'), 200).json.seq;
    await post('ancien un');
    await post('ancien deux');
    const vieux = expectStatus(await med.get('/api/discussion/etat'), 200).json.seq;
    assert.ok(vieux > s0);
    // Every event so far is 40 days old; then one recent message.
    const il_y_a_40_jours = new Date(Date.now() - 40 * 86400e3).toISOString();
    dbExec(server.db, `UPDATE discussion_evenements SET cree_le = '${il_y_a_40_jours}' WHERE id <= ${vieux}`);
    const recent = await post('récent');

    assert.notEqual(coop('purge', '--discussion-evenements-jours', '0').code, 0, 'a retention under one day is refused');
    const r = coop('purge', '--discussion-evenements-jours', '30');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /événement\(s\) de la discussion de plus de 30 jours/);
    assert.equal(Number(dbExec(server.db, `SELECT COUNT(*) FROM discussion_evenements WHERE id <= ${vieux}`)), 0);
    const premier = Number(dbExec(server.db, 'SELECT MIN(id) FROM discussion_evenements'));
    assert.ok(premier > vieux, 'the recent events are kept');
    const dernier = expectStatus(await med.get('/api/discussion/etat'), 200).json.seq;

    // Away since before the purged events: reload.
    const away = await openSocket(server, med);
    sockets.push(away);
    away.ws.send(JSON.stringify({ type: 'reprendre', depuis: s0 }));
    const repris = await away.inbox.next((m) => m.type === 'repris', 3000, 'repris');
    assert.equal(repris.incomplet, true, JSON.stringify(repris));
    assert.ok(repris.seq >= dernier, JSON.stringify(repris));
    assert.equal(away.inbox.messages.filter((m) => m.type === 'discussion').length, 0, 'nothing replayed');

    // Away since the last purged event: nothing is missing, the recent message is replayed.
    const back = await openSocket(server, med);
    sockets.push(back);
    back.ws.send(JSON.stringify({ type: 'reprendre', depuis: premier - 1 }));
    const ok = await back.inbox.next((m) => m.type === 'repris', 3000, 'repris');
    assert.equal(ok.incomplet, undefined, JSON.stringify(ok));
    const got = back.inbox.messages.filter((m) => m.type === 'discussion' && m.evenement === 'message_cree');
    assert.deepEqual(got.map((m) => m.data.id), [recent.id]);

    const again = coop('purge', '--discussion-evenements-jours', '30');
    assert.equal(again.code, 0, again.err);
    assert.doesNotMatch(again.out, /événement/);
  });
});
