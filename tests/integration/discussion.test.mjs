// Discussion (issue 10), server side: channels of every kind and automatic membership, topics,
// messages in markdown, history paging both ways, read markers and unread counts, mark unread,
// reactions, edit and delete (the trace), pins, mentions (inbox + notification), conversations,
// private groups, announcement channels, archiving, the event log behind GET /etat.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, ENGINE, DEMO, DEMO_STRUCTURES, expectStatus, expectError, randomId, openSocket, todayParis,
} from './harness.mjs';

describe(`discussion [${ENGINE}]`, () => {
  let server;
  let admin, coord, mediatrice, lyon, rennes, tulle, gestion;
  const id = {};

  before(async () => {
    server = await startServer({ args: ['--discussion-messages-par-minute', '1000'] });
    admin = await server.login(DEMO.admin);
    coord = await server.login(DEMO.coordination);
    mediatrice = await server.login(DEMO.mediatrice);
    lyon = await server.login(DEMO.lyon);
    rennes = await server.login(DEMO.rennes);
    tulle = await server.login(DEMO.tulle);
    gestion = await server.login(DEMO.gestion);
    for (const [k, c] of Object.entries({ admin, coord, mediatrice, lyon, rennes, tulle, gestion }))
      id[k] = expectStatus(await c.get('/api/me'), 200).json.id;
  });
  after(async () => {
    await server?.dispose();
  });

  const canaux = async (c) => expectStatus(await c.get('/api/discussion/canaux'), 200).json.items;
  const theme = async (owner, nom = `Thème ${randomId(3)}`) =>
    expectStatus(await owner.post('/api/discussion/canaux', { json: { type: 'theme', nom, description: 'Pour les tests' } }), 201).json;
  const poster = async (c, canal, json, status = 201) =>
    expectStatus(await c.post(`/api/discussion/canaux/${canal}/messages`, { json }), status).json;
  const messages = async (c, canal, q = '') =>
    expectStatus(await c.get(`/api/discussion/canaux/${canal}/messages${q}`), 200).json;
  const sujets = async (c, canal) => expectStatus(await c.get(`/api/discussion/canaux/${canal}/sujets`), 200).json.items;

  it('demo data: every demo role sees a lively space (channels with topics, messages, unread, a conversation)', async () => {
    for (const [nom, c] of Object.entries({ admin, coord, mediatrice, lyon, rennes, tulle, gestion })) {
      const list = await canaux(c);
      const vivants = list.filter((x) => x.dernier_message_le);
      assert.ok(vivants.length >= 2, `${nom}: channels with messages`);
      assert.ok(list.some((x) => x.non_lus > 0), `${nom}: something unread`);
      assert.ok(list.some((x) => x.type === 'direct'), `${nom}: a conversation`);
      const g = list.find((x) => x.type === 'general');
      assert.ok((await sujets(c, g.id)).length >= 3, `${nom}: topics in Général`);
    }
    const m = expectStatus(await mediatrice.get('/api/discussion/mentions'), 200).json;
    assert.ok(m.items.length >= 1 && m.non_lues >= 1, 'the mediatrice has been mentioned');
    const dir = expectStatus(await lyon.get('/api/discussion/annuaire'), 200).json.items;
    assert.ok(dir.filter((x) => x.type === 'theme').length >= 3 && dir.some((x) => x.type === 'annonces'));
    const queue = expectStatus(await admin.get('/api/discussion/moderation/signalements'), 200).json.items;
    assert.ok(queue.length >= 1, 'a report waits in the queue');
  });

  it('automatic channels: Général for everyone, région and département from the structures', async () => {
    const m = await canaux(mediatrice);
    const types = (t) => m.filter((c) => c.type === t).map((c) => c.code);
    assert.deepEqual(types('general'), ['']);
    assert.deepEqual(types('departement'), ['69'], 'Médiathèque du Bachut is in Lyon (69)');
    assert.deepEqual(types('region'), ['84'], 'Auvergne-Rhône-Alpes');
    const g = m.find((c) => c.type === 'general');
    assert.equal(g.nom, 'Général');
    assert.equal(g.membre, true);
    assert.equal(g.peut_ecrire, true);
    assert.ok(g.nb_membres >= 10, 'every demo account is in Général');
    const r = await canaux(rennes);
    assert.deepEqual(r.filter((c) => c.type === 'departement').map((c) => c.code), ['35']);
    // The admin has no structure: Général only among the automatic ones.
    assert.deepEqual((await canaux(admin)).filter((c) => ['region', 'departement'].includes(c.type)), []);
    // Automatic channels are not left by hand.
    expectError(await mediatrice.delete(`/api/discussion/canaux/${g.id}/adhesion`), 409, 'canal_automatique');
  });

  it('automatic channels follow employments: a new structure joins, an ended employment leaves, history kept', async () => {
    const structures = expectStatus(await admin.get('/api/structures?per_page=100'), 200).json.items;
    const tulleStructure = structures.find((s) => s.nom === DEMO_STRUCTURES.tulle);
    const e = expectStatus(await admin.post(`/api/structures/${tulleStructure.id}/employes`, {
      json: { user_id: id.rennes, debut: '2020-01-01' },
    }), 201).json;
    let r = await canaux(rennes);
    assert.deepEqual(r.filter((c) => c.type === 'departement').map((c) => c.code).sort(), ['19', '35']);
    assert.deepEqual(r.filter((c) => c.type === 'region').map((c) => c.code).sort(), ['53', '75']);
    const correze = r.find((c) => c.type === 'departement' && c.code === '19');
    // A message written there stays when Yann leaves.
    const msg = await poster(rennes, correze.id, { sujet: 'Passage en Corrèze', texte: 'Bonjour la Corrèze !' });
    expectStatus(await admin.patch(`/api/structures/${tulleStructure.id}/employes/${e.id}`, {
      json: { fin: todayParis(-1) },
    }), 200);
    r = await canaux(rennes);
    assert.deepEqual(r.filter((c) => c.type === 'departement').map((c) => c.code), ['35']);
    expectError(await rennes.get(`/api/discussion/canaux/${correze.id}/messages`), 404, 'introuvable');
    const seen = await messages(tulle, correze.id);
    assert.ok(seen.items.some((m) => m.id === msg.id && m.texte === 'Bonjour la Corrèze !'), 'history kept');
  });

  it('thematic channels: created, found in the directory, joined, left', async () => {
    const nom = `Inclusion numérique ${randomId(3)}`;
    const t = await theme(coord, nom);
    assert.equal(t.type, 'theme');
    assert.equal(t.role, 'moderateur');
    assert.equal(t.membre, true);
    const dir = expectStatus(await lyon.get(`/api/discussion/annuaire?q=${encodeURIComponent('inclusion NUMERIQUE')}`), 200).json.items;
    const found = dir.find((c) => c.id === t.id);
    assert.ok(found, 'accent- and case-insensitive directory search');
    assert.equal(found.membre, false);
    assert.equal(found.peut_ecrire, false);
    // Readable before joining, not writable.
    expectStatus(await lyon.get(`/api/discussion/canaux/${t.id}/messages`), 200);
    expectError(await lyon.post(`/api/discussion/canaux/${t.id}/messages`, { json: { sujet: 'x', texte: 'y' } }), 403, 'acces_refuse');
    const joined = expectStatus(await lyon.post(`/api/discussion/canaux/${t.id}/adhesion`), 200).json;
    assert.equal(joined.membre, true);
    assert.equal(joined.role, 'membre');
    assert.equal(joined.nb_membres, 2);
    assert.ok((await canaux(lyon)).some((c) => c.id === t.id));
    expectStatus(await lyon.delete(`/api/discussion/canaux/${t.id}/adhesion`), 204);
    assert.ok(!(await canaux(lyon)).some((c) => c.id === t.id));
    // Validation
    expectError(await coord.post('/api/discussion/canaux', { json: { type: 'general', nom: 'X' } }), 400, 'validation', ['type']);
    expectError(await coord.post('/api/discussion/canaux', { json: { type: 'theme', nom: '' } }), 400, 'validation', ['nom']);
    expectError(await coord.post('/api/discussion/canaux', { json: { type: 'theme', nom: 'x'.repeat(81) } }), 400, 'validation', ['nom']);
  });

  it('topics and messages: markdown rendered safely, topics by last activity, Coop page cards', async () => {
    const t = await theme(coord);
    const m1 = await poster(coord, t.id, {
      sujet: 'Ateliers seniors',
      texte: '**Bonjour** <script>alert(1)</script> [lien](javascript:alert(1)) voir [mes activités](/activites/12)',
    });
    assert.equal(m1.canal_id, t.id);
    assert.match(m1.html, /<strong>Bonjour<\/strong>/);
    assert.doesNotMatch(m1.html, /<script/);
    assert.doesNotMatch(m1.html, /href="javascript:/i);
    assert.deepEqual(m1.cartes, [{ chemin: '/activites/12', titre: 'Activité n° 12' }]);
    assert.equal(m1.auteur.id, id.coord);
    assert.equal(m1.supprime, false);
    assert.equal(m1.modifie_le, null);
    // The same title (any case or accents) is the same topic.
    const m2 = await poster(coord, t.id, { sujet: 'ATELIERS SÉNIORS'.replace('É', 'E'), texte: 'Deuxième' });
    assert.equal(m2.sujet_id, m1.sujet_id);
    const m3 = await poster(coord, t.id, { sujet: 'Autre sujet', texte: 'Troisième' });
    assert.notEqual(m3.sujet_id, m1.sujet_id);
    let ts = await sujets(coord, t.id);
    assert.deepEqual(ts.map((x) => x.titre), ['Autre sujet', 'Ateliers seniors'], 'by last activity');
    assert.equal(ts[1].nb_messages, 2);
    assert.equal(ts[0].dernier_auteur.id, id.coord);
    await poster(coord, t.id, { sujet_id: m1.sujet_id, texte: 'Quatrième' });
    ts = await sujets(coord, t.id);
    assert.equal(ts[0].titre, 'Ateliers seniors');
    // Errors name the field.
    expectError(await coord.post(`/api/discussion/canaux/${t.id}/messages`, { json: { texte: 'sans sujet' } }), 400, 'validation', ['sujet']);
    expectError(await coord.post(`/api/discussion/canaux/${t.id}/messages`, { json: { sujet: 'x', texte: '   ' } }), 400, 'validation', ['texte']);
    expectError(await coord.post(`/api/discussion/canaux/${t.id}/messages`, { json: { sujet_id: 999999, texte: 'x' } }), 400, 'validation', ['sujet_id']);
    expectError(await coord.post(`/api/discussion/canaux/${t.id}/messages`, { json: { sujet: 'x', texte: 'x'.repeat(10001) } }), 400, 'validation', ['texte']);
    expectError(await coord.post('/api/discussion/canaux/999999/messages', { json: { sujet: 'x', texte: 'x' } }), 404, 'introuvable');
    // A moderator renames a topic; a member cannot.
    expectStatus(await lyon.post(`/api/discussion/canaux/${t.id}/adhesion`), 200);
    expectError(await lyon.patch(`/api/discussion/sujets/${m3.sujet_id}`, { json: { titre: 'Nouveau' } }), 403, 'acces_refuse');
    const renamed = expectStatus(await coord.patch(`/api/discussion/sujets/${m3.sujet_id}`, { json: { titre: 'Nouveau titre' } }), 200).json;
    assert.equal(renamed.titre, 'Nouveau titre');
    expectError(await coord.patch(`/api/discussion/sujets/${m3.sujet_id}`, { json: { titre: 'ateliers seniors' } }), 409, 'doublon', ['titre']);
  });

  it('history pages both ways, around a message, with the first unread', async () => {
    const t = await theme(coord);
    expectStatus(await lyon.post(`/api/discussion/canaux/${t.id}/adhesion`), 200);
    const ids = [];
    for (let i = 1; i <= 25; i++) ids.push((await poster(coord, t.id, { sujet: 'Pagination', texte: `Message ${i}` })).id);
    let p = await messages(lyon, t.id, '?limite=10');
    assert.deepEqual(p.items.map((m) => m.texte), Array.from({ length: 10 }, (_, i) => `Message ${i + 16}`), 'the last ones, oldest first');
    assert.equal(p.plus_anciens, true);
    assert.equal(p.plus_recents, false);
    assert.equal(p.premier_non_lu, ids[0], 'everything is unread for Karim');
    p = await messages(lyon, t.id, `?limite=10&avant=${p.items[0].id}`);
    assert.deepEqual(p.items.map((m) => m.texte), Array.from({ length: 10 }, (_, i) => `Message ${i + 6}`));
    p = await messages(lyon, t.id, `?limite=10&avant=${p.items[0].id}`);
    assert.equal(p.items.length, 5);
    assert.equal(p.plus_anciens, false);
    assert.equal(p.plus_recents, true);
    p = await messages(lyon, t.id, `?limite=10&apres=${ids[19]}`);
    assert.deepEqual(p.items.map((m) => m.id), ids.slice(20));
    assert.equal(p.plus_recents, false);
    assert.equal(p.plus_anciens, true);
    p = await messages(lyon, t.id, `?limite=6&autour=${ids[12]}`);
    assert.deepEqual(p.items.map((m) => m.id), ids.slice(10, 16));
    assert.equal(p.plus_anciens, true);
    assert.equal(p.plus_recents, true);
    expectError(await lyon.get(`/api/discussion/canaux/${t.id}/messages?avant=1&apres=2`), 400, 'validation');
    expectError(await lyon.get(`/api/discussion/canaux/${t.id}/messages?limite=0`), 400);
  });

  it('read markers: unread per channel and topic, mark read, mark unread, first unread', async () => {
    const t = await theme(coord);
    expectStatus(await lyon.post(`/api/discussion/canaux/${t.id}/adhesion`), 200);
    const a1 = await poster(coord, t.id, { sujet: 'A', texte: 'a1' });
    const a2 = await poster(coord, t.id, { sujet: 'A', texte: 'a2' });
    const b1 = await poster(coord, t.id, { sujet: 'B', texte: 'b1' });
    const unread = async () => (await canaux(lyon)).find((c) => c.id === t.id).non_lus;
    const perTopic = async () => Object.fromEntries((await sujets(lyon, t.id)).map((s) => [s.titre, s.non_lus]));
    assert.equal(await unread(), 3);
    assert.deepEqual(await perTopic(), { A: 2, B: 1 });
    assert.equal((await canaux(coord)).find((c) => c.id === t.id).non_lus, 0, 'one’s own messages are not unread');
    // Read topic A up to a2.
    let r = expectStatus(await lyon.post('/api/discussion/lecture', { json: { canal_id: t.id, sujet_id: a1.sujet_id, jusqu_a: a2.id } }), 200).json;
    assert.equal(r.non_lus, 1);
    assert.equal(r.premier_non_lu, b1.id);
    assert.deepEqual(await perTopic(), { A: 0, B: 1 });
    // Mark unread from a2: a2 is unread again and the first unread of topic A.
    r = expectStatus(await lyon.post('/api/discussion/non-lu', { json: { message_id: a2.id } }), 200).json;
    assert.equal(r.non_lus, 2);
    assert.equal(r.non_lus_sujet, 1);
    assert.equal(r.premier_non_lu, a2.id);
    assert.equal((await messages(lyon, t.id, `?sujet=${a1.sujet_id}`)).premier_non_lu, a2.id);
    // Mark the whole channel read.
    r = expectStatus(await lyon.post('/api/discussion/lecture', { json: { canal_id: t.id, jusqu_a: b1.id } }), 200).json;
    assert.equal(r.non_lus, 0);
    assert.equal(r.premier_non_lu, null);
    assert.deepEqual(await perTopic(), { A: 0, B: 0 });
    // Mark unread after a channel-wide read still works.
    expectStatus(await lyon.post('/api/discussion/non-lu', { json: { message_id: a1.id } }), 200);
    assert.deepEqual(await perTopic(), { A: 2, B: 0 });
    const etat = expectStatus(await lyon.get('/api/discussion/etat'), 200).json;
    assert.ok(etat.non_lus >= 2);
    assert.equal(typeof etat.seq, 'number');
    assert.ok(etat.seq > 0);
    // A deleted message is no longer unread.
    expectStatus(await coord.delete(`/api/discussion/messages/${a2.id}`), 204);
    assert.deepEqual(await perTopic(), { A: 1, B: 0 });
    // Not a member: refused.
    expectError(await tulle.post('/api/discussion/lecture', { json: { canal_id: t.id, jusqu_a: b1.id } }), 403, 'acces_refuse');
    expectError(await lyon.post('/api/discussion/lecture', { json: { canal_id: t.id } }), 400, 'validation', ['jusqu_a']);
  });

  it('reactions, edit (edited mark), delete (a trace, the text for moderators), pins', async () => {
    const t = await theme(coord);
    expectStatus(await lyon.post(`/api/discussion/canaux/${t.id}/adhesion`), 200);
    const m = await poster(lyon, t.id, { sujet: 'Réactions', texte: 'Bonjour' });
    let r = expectStatus(await coord.put(`/api/discussion/messages/${m.id}/reactions/${encodeURIComponent('👍')}`), 200).json;
    assert.deepEqual(r.reactions, [{ emoji: '👍', nb: 1, moi: true }]);
    expectStatus(await coord.put(`/api/discussion/messages/${m.id}/reactions/${encodeURIComponent('👍')}`), 200); // idempotent
    r = expectStatus(await lyon.put(`/api/discussion/messages/${m.id}/reactions/${encodeURIComponent('👍')}`), 200).json;
    assert.deepEqual(r.reactions, [{ emoji: '👍', nb: 2, moi: true }]);
    r = expectStatus(await lyon.delete(`/api/discussion/messages/${m.id}/reactions/${encodeURIComponent('👍')}`), 200).json;
    assert.deepEqual(r.reactions, [{ emoji: '👍', nb: 1, moi: false }]);
    expectError(await tulle.put(`/api/discussion/messages/${m.id}/reactions/ok`), 403, 'acces_refuse');
    expectError(await lyon.put(`/api/discussion/messages/${m.id}/reactions/${encodeURIComponent('<b>')}`), 400, 'validation', ['emoji']);
    // Edit: the author only.
    expectError(await coord.patch(`/api/discussion/messages/${m.id}`, { json: { texte: 'Hacked' } }), 403, 'acces_refuse');
    const e = expectStatus(await lyon.patch(`/api/discussion/messages/${m.id}`, { json: { texte: 'Bonjour *à tous*' } }), 200).json;
    assert.equal(e.texte, 'Bonjour *à tous*');
    assert.match(e.html, /<em>à tous<\/em>/);
    assert.ok(e.modifie_le, 'edited mark');
    // Pins: moderators in a thematic channel.
    expectError(await lyon.put(`/api/discussion/messages/${m.id}/epingle`), 403, 'acces_refuse');
    assert.equal(expectStatus(await coord.put(`/api/discussion/messages/${m.id}/epingle`), 200).json.epingle, true);
    let pins = expectStatus(await lyon.get(`/api/discussion/canaux/${t.id}/epingles`), 200).json.items;
    assert.deepEqual(pins.map((x) => x.id), [m.id]);
    assert.equal(expectStatus(await coord.delete(`/api/discussion/messages/${m.id}/epingle`), 200).json.epingle, false);
    pins = expectStatus(await lyon.get(`/api/discussion/canaux/${t.id}/epingles`), 200).json.items;
    assert.deepEqual(pins, []);
    // Delete by its author: a trace for members, the text for moderators.
    expectError(await tulle.delete(`/api/discussion/messages/${m.id}`), 403, 'acces_refuse'); // readable theme, not a member
    expectStatus(await lyon.delete(`/api/discussion/messages/${m.id}`), 204);
    const seen = (await messages(lyon, t.id)).items.find((x) => x.id === m.id);
    assert.equal(seen.supprime, true);
    assert.equal(seen.texte, '');
    assert.equal(seen.html, '');
    assert.deepEqual(seen.reactions, []);
    assert.equal(seen.texte_supprime, null);
    const mod = (await messages(coord, t.id)).items.find((x) => x.id === m.id);
    assert.equal(mod.texte_supprime, 'Bonjour *à tous*');
    expectError(await lyon.patch(`/api/discussion/messages/${m.id}`, { json: { texte: 'x' } }), 404);
    // A moderator deletes someone else's message (audit log).
    const m2 = await poster(lyon, t.id, { sujet: 'Réactions', texte: 'À supprimer' });
    expectError(await rennes.delete(`/api/discussion/messages/${m2.id}`), 403, 'acces_refuse'); // readable, not a member
    expectStatus(await coord.delete(`/api/discussion/messages/${m2.id}`), 204);
    const audit = expectStatus(await admin.get('/api/audit?per_page=100'), 200).json.items;
    assert.ok(audit.some((a) => a.event === 'discussion_message_supprime' && a.detail.includes(`message ${m2.id}`)));
  });

  it('moving messages to another topic (moderators)', async () => {
    const t = await theme(coord);
    expectStatus(await lyon.post(`/api/discussion/canaux/${t.id}/adhesion`), 200);
    const a = await poster(lyon, t.id, { sujet: 'Mélange', texte: 'Sur les imprimantes' });
    const b = await poster(lyon, t.id, { sujet: 'Mélange', texte: 'Toujours les imprimantes' });
    await poster(lyon, t.id, { sujet: 'Mélange', texte: 'Autre chose' });
    expectError(await lyon.post('/api/discussion/messages/deplacement', { json: { message_ids: [a.id], sujet: 'Imprimantes' } }), 403, 'acces_refuse');
    const s = expectStatus(await coord.post('/api/discussion/messages/deplacement', { json: { message_ids: [a.id, b.id], sujet: 'Imprimantes' } }), 200).json;
    assert.equal(s.titre, 'Imprimantes');
    assert.equal(s.nb_messages, 2);
    const ts = Object.fromEntries((await sujets(coord, t.id)).map((x) => [x.titre, x.nb_messages]));
    assert.deepEqual(ts, { Imprimantes: 2, Mélange: 1 });
    const inTopic = await messages(coord, t.id, `?sujet=${s.id}`);
    assert.deepEqual(inTopic.items.map((m) => m.id), [a.id, b.id]);
    expectError(await coord.post('/api/discussion/messages/deplacement', { json: { message_ids: [], sujet: 'x' } }), 400, 'validation', ['message_ids']);
  });

  it('mentions: @**Nom|id** and @**Nom**, the inbox, a notification on the WebSocket, read with the topic', async () => {
    const t = await theme(coord);
    expectStatus(await mediatrice.post(`/api/discussion/canaux/${t.id}/adhesion`), 200);
    const me = expectStatus(await mediatrice.get('/api/me'), 200).json;
    const nom = `${me.prenom} ${me.nom}`;
    const { ws, inbox } = await openSocket(server, mediatrice);
    try {
      const m = await poster(coord, t.id, { sujet: 'Mentions', texte: `Bonjour @**${nom}|${id.mediatrice}** !` });
      assert.match(m.html, new RegExp(`<span class="coop-mention" data-user-id="${id.mediatrice}">@${nom}</span>`));
      const notif = await inbox.next((x) => x.type === 'notification' && x.kind === 'discussion_mention', 3000, 'mention notification');
      assert.equal(notif.message_id, m.id);
      assert.equal(notif.canal_id, t.id);
      // By name only: resolved among the members.
      const m2 = await poster(coord, t.id, { sujet: 'Mentions', texte: `Re @**${nom}**` });
      assert.match(m2.html, new RegExp(`data-user-id="${id.mediatrice}"`));
      assert.equal(m2.texte, `Re @**${nom}|${id.mediatrice}**`);
      // In code: not a mention.
      const m3 = await poster(coord, t.id, { sujet: 'Mentions', texte: `\`@**${nom}|${id.mediatrice}**\`` });
      let box = expectStatus(await mediatrice.get('/api/discussion/mentions'), 200).json;
      const mine = box.items.filter((x) => x.canal.id === t.id).map((x) => x.id);
      assert.deepEqual(mine, [m2.id, m.id], 'newest first, not the one in code');
      assert.ok(box.items.find((x) => x.id === m.id).mentionne_moi);
      assert.equal(box.items.find((x) => x.id === m.id).sujet.titre, 'Mentions');
      assert.equal((await canaux(mediatrice)).find((c) => c.id === t.id).mentions_non_lues, 2);
      assert.equal((await messages(mediatrice, t.id)).items.find((x) => x.id === m3.id).mentionne_moi, false);
      const before = box.non_lues;
      expectStatus(await mediatrice.post('/api/discussion/lecture', { json: { canal_id: t.id, sujet_id: m.sujet_id, jusqu_a: m2.id } }), 200);
      box = expectStatus(await mediatrice.get('/api/discussion/mentions'), 200).json;
      assert.equal(box.non_lues, before - 2);
      assert.equal((await canaux(mediatrice)).find((c) => c.id === t.id).mentions_non_lues, 0);
      // Mark unread from the second mention: it is unread again.
      expectStatus(await mediatrice.post('/api/discussion/non-lu', { json: { message_id: m2.id } }), 200);
      assert.equal((await canaux(mediatrice)).find((c) => c.id === t.id).mentions_non_lues, 1);
      expectStatus(await mediatrice.post('/api/discussion/lecture', { json: { canal_id: t.id, jusqu_a: m3.id } }), 200);
      // A mention of a non-member notifies nobody.
      const m4 = await poster(coord, t.id, { sujet: 'Mentions', texte: `@**Pierre Delmas|${id.tulle}** ?` });
      const tbox = expectStatus(await tulle.get('/api/discussion/mentions'), 200).json;
      assert.ok(!tbox.items.some((x) => x.id === m4.id));
      // @canal in a small channel notifies every member.
      const m5 = await poster(coord, t.id, { sujet: 'Mentions', texte: 'Réunion demain @canal' });
      assert.match(m5.html, /coop-mention--groupe/);
      box = expectStatus(await mediatrice.get('/api/discussion/mentions'), 200).json;
      assert.equal(box.items[0].id, m5.id);
    } finally {
      ws.close();
    }
  });

  it('people to mention: accent-insensitive, members of a channel', async () => {
    const all = expectStatus(await lyon.get(`/api/discussion/personnes?q=${encodeURIComponent('maelle')}`), 200).json.items;
    assert.ok(all.some((p) => p.id === id.mediatrice));
    assert.equal(all.find((p) => p.id === id.mediatrice).structure, DEMO_STRUCTURES.bachut);
    assert.ok(expectStatus(await lyon.get('/api/discussion/personnes?q=&limite=3'), 200).json.items.length === 3);
    const g = (await canaux(lyon)).find((c) => c.type === 'general');
    const inG = expectStatus(await lyon.get(`/api/discussion/personnes?q=med&canal=${g.id}`), 200).json.items;
    assert.ok(inG.some((p) => p.id === id.mediatrice));
    const dep = (await canaux(rennes)).find((c) => c.type === 'departement');
    const inDep = expectStatus(await rennes.get(`/api/discussion/personnes?q=ma&canal=${dep.id}`), 200).json.items;
    assert.ok(!inDep.some((p) => p.id === id.mediatrice), 'Maëlle is not in Ille-et-Vilaine');
  });

  it('direct messages: 1 to 7 others, reused, one hidden topic, private', async () => {
    const c = expectStatus(await lyon.post('/api/discussion/directs', { json: { user_ids: [id.rennes] } }), 201).json;
    assert.equal(c.type, 'direct');
    assert.equal(c.nb_membres, 2);
    assert.deepEqual(c.participants.map((p) => p.id).sort((a, b) => a - b), [id.lyon, id.rennes].sort((a, b) => a - b));
    const again = expectStatus(await rennes.post('/api/discussion/directs', { json: { user_ids: [id.lyon, id.lyon] } }), 200).json;
    assert.equal(again.id, c.id, 'the same conversation is reused');
    const m = await poster(lyon, c.id, { texte: 'Salut Yann' });
    const m2 = await poster(rennes, c.id, { sujet: 'Un autre sujet ?', texte: 'Salut Karim' });
    assert.equal(m2.sujet_id, m.sujet_id, 'a conversation keeps its one topic');
    const ts = await sujets(rennes, c.id);
    assert.equal(ts.length, 1);
    assert.equal(ts[0].titre, 'Conversation');
    assert.equal(m.sujet_id, ts[0].id);
    assert.equal((await canaux(rennes)).find((x) => x.id === c.id).non_lus, 0, 'answering read the conversation');
    assert.equal((await canaux(lyon)).find((x) => x.id === c.id).non_lus, 1);
    expectError(await tulle.get(`/api/discussion/canaux/${c.id}/messages`), 404, 'introuvable');
    expectError(await admin.get(`/api/discussion/canaux/${c.id}/messages`), 404, 'introuvable');
    // Group conversation up to 8 people.
    const g = expectStatus(await lyon.post('/api/discussion/directs', { json: { user_ids: [id.rennes, id.tulle, id.mediatrice] } }), 201).json;
    assert.equal(g.nb_membres, 4);
    expectError(await lyon.post('/api/discussion/directs', { json: { user_ids: [] } }), 400, 'validation', ['user_ids']);
    expectError(await lyon.post('/api/discussion/directs', { json: { user_ids: [1, 2, 3, 4, 5, 6, 7, 8, 9].filter((x) => x !== id.lyon).slice(0, 8) } }), 400, 'validation', ['user_ids']);
    expectError(await lyon.post('/api/discussion/directs', { json: { user_ids: [99999999] } }), 400, 'validation', ['user_ids']);
    // Nobody leaves a conversation's membership list, nor moderates it.
    expectError(await lyon.patch(`/api/discussion/canaux/${c.id}`, { json: { nom: 'x' } }), 403, 'acces_refuse');
  });

  it('private groups: by invitation, invisible to others', async () => {
    const g = expectStatus(await mediatrice.post('/api/discussion/canaux', { json: { type: 'groupe', nom: `Groupe ${randomId(3)}` } }), 201).json;
    assert.equal(g.type, 'groupe');
    const dir = expectStatus(await lyon.get('/api/discussion/annuaire'), 200).json.items;
    assert.ok(!dir.some((c) => c.id === g.id), 'not in the directory');
    expectError(await lyon.get(`/api/discussion/canaux/${g.id}`), 404);
    expectError(await admin.get(`/api/discussion/canaux/${g.id}`), 404);
    expectError(await lyon.post(`/api/discussion/canaux/${g.id}/adhesion`), 404);
    expectStatus(await mediatrice.post(`/api/discussion/canaux/${g.id}/membres`, { json: { user_id: id.lyon } }), 201);
    expectError(await mediatrice.post(`/api/discussion/canaux/${g.id}/membres`, { json: { user_id: id.lyon } }), 409, 'deja_membre');
    // A member invites others.
    expectStatus(await lyon.post(`/api/discussion/canaux/${g.id}/membres`, { json: { user_id: id.rennes } }), 201);
    const membres = expectStatus(await rennes.get(`/api/discussion/canaux/${g.id}/membres`), 200).json.items;
    assert.deepEqual(membres.map((m) => m.id).sort(), [id.mediatrice, id.lyon, id.rennes].sort());
    assert.equal(membres.find((m) => m.id === id.mediatrice).role, 'moderateur');
    assert.equal(membres.find((m) => m.id === id.mediatrice).structure, DEMO_STRUCTURES.bachut);
    // The moderator removes a member; a plain member cannot.
    expectError(await lyon.delete(`/api/discussion/canaux/${g.id}/membres/${id.rennes}`), 403, 'acces_refuse');
    expectStatus(await mediatrice.delete(`/api/discussion/canaux/${g.id}/membres/${id.rennes}`), 204);
    expectError(await rennes.get(`/api/discussion/canaux/${g.id}`), 404);
    // A member leaves by themselves.
    expectStatus(await lyon.delete(`/api/discussion/canaux/${g.id}/membres/${id.lyon}`), 204);
  });

  it('announcement channels: created by admins, only moderators post, members react', async () => {
    expectError(await coord.post('/api/discussion/canaux', { json: { type: 'annonces', nom: 'Annonces' } }), 403, 'acces_refuse');
    const a = expectStatus(await admin.post('/api/discussion/canaux', { json: { type: 'annonces', nom: `Annonces ${randomId(3)}` } }), 201).json;
    expectStatus(await lyon.post(`/api/discussion/canaux/${a.id}/adhesion`), 200);
    const c = expectStatus(await lyon.get(`/api/discussion/canaux/${a.id}`), 200).json;
    assert.equal(c.peut_ecrire, false);
    expectError(await lyon.post(`/api/discussion/canaux/${a.id}/messages`, { json: { sujet: 'x', texte: 'y' } }), 403, 'acces_refuse');
    const m = await poster(admin, a.id, { sujet: 'Nouveauté', texte: 'Une annonce' });
    expectStatus(await lyon.put(`/api/discussion/messages/${m.id}/reactions/${encodeURIComponent('🎉')}`), 200);
    // A moderator named by the admin posts too.
    expectStatus(await admin.patch(`/api/discussion/canaux/${a.id}/membres/${id.lyon}`, { json: { role: 'moderateur' } }), 200);
    await poster(lyon, a.id, { sujet: 'Nouveauté', texte: 'Complément' });
  });

  it('archiving keeps history readable and stops writing', async () => {
    const t = await theme(coord);
    expectStatus(await lyon.post(`/api/discussion/canaux/${t.id}/adhesion`), 200);
    const m = await poster(lyon, t.id, { sujet: 'Archive', texte: 'Avant archivage' });
    expectError(await lyon.patch(`/api/discussion/canaux/${t.id}`, { json: { archive: true } }), 403, 'acces_refuse');
    const c = expectStatus(await coord.patch(`/api/discussion/canaux/${t.id}`, { json: { archive: true, description: 'Fini' } }), 200).json;
    assert.equal(c.archive, true);
    assert.equal(c.peut_ecrire, false);
    assert.equal(c.description, 'Fini');
    expectError(await lyon.post(`/api/discussion/canaux/${t.id}/messages`, { json: { sujet_id: m.sujet_id, texte: 'Après' } }), 403, 'acces_refuse');
    expectError(await lyon.patch(`/api/discussion/messages/${m.id}`, { json: { texte: 'modifié' } }), 403);
    assert.ok((await messages(lyon, t.id)).items.some((x) => x.id === m.id));
    expectError(await rennes.post(`/api/discussion/canaux/${t.id}/adhesion`), 403, 'acces_refuse');
    const back = expectStatus(await coord.patch(`/api/discussion/canaux/${t.id}`, { json: { archive: false } }), 200).json;
    assert.equal(back.peut_ecrire, true);
    // Territorial channels keep their name.
    const g = (await canaux(admin)).find((x) => x.type === 'general');
    expectError(await admin.patch(`/api/discussion/canaux/${g.id}`, { json: { nom: 'Autre' } }), 400, 'validation', ['nom']);
  });

  it('attachments: files the author uploaded, readable by the readers of the channel only', async () => {
    const boundary = `----coop${randomId(8)}`;
    const data = Buffer.from(`Compte rendu ${randomId(6)}\n`);
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="fichier"; filename="compte-rendu.txt"\r\nContent-Type: text/plain\r\n\r\n`),
      data, Buffer.from(`\r\n--${boundary}--\r\n`)]);
    const up = expectStatus(await lyon.post('/api/fichiers', { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }), 201).json;
    const g = expectStatus(await lyon.post('/api/discussion/canaux', { json: { type: 'groupe', nom: `Pièces ${randomId(3)}` } }), 201).json;
    expectStatus(await lyon.post(`/api/discussion/canaux/${g.id}/membres`, { json: { user_id: id.rennes } }), 201);
    // Someone else's file cannot be attached by its hash.
    expectError(await rennes.post(`/api/discussion/canaux/${g.id}/messages`, { json: { sujet: 'CR', texte: 'Voici', fichiers: [up.sha256] } }), 400, 'validation', ['fichiers']);
    expectError(await lyon.post(`/api/discussion/canaux/${g.id}/messages`, { json: { sujet: 'CR', texte: 'Voici', fichiers: ['pas-un-hash'] } }), 400, 'validation', ['fichiers']);
    expectError(await tulle.get(`/api/fichiers/${up.sha256}`), 404, 'introuvable');
    const m = await poster(lyon, g.id, { sujet: 'CR', texte: 'Le compte rendu', fichiers: [up.sha256] });
    assert.deepEqual(m.fichiers, [{ sha256: up.sha256, nom: 'compte-rendu.txt', type: up.type, taille: data.length }]);
    const seen = (await messages(rennes, g.id)).items.find((x) => x.id === m.id);
    assert.equal(seen.fichiers[0].sha256, up.sha256);
    assert.equal(expectStatus(await rennes.get(`/api/fichiers/${up.sha256}`), 200).text, data.toString());
    expectError(await tulle.get(`/api/fichiers/${up.sha256}`), 404, 'introuvable');
    // Deleted message: its files are no longer readable through it.
    expectStatus(await lyon.delete(`/api/discussion/messages/${m.id}`), 204);
    expectError(await rennes.get(`/api/fichiers/${up.sha256}`), 404, 'introuvable');
    assert.deepEqual((await messages(rennes, g.id)).items.find((x) => x.id === m.id).fichiers, []);
  });

  it('GET /etat gives the seq of the event log, which grows with every change', async () => {
    const t = await theme(coord);
    const e1 = expectStatus(await coord.get('/api/discussion/etat'), 200).json;
    await poster(coord, t.id, { sujet: 'Seq', texte: 'un' });
    const e2 = expectStatus(await coord.get('/api/discussion/etat'), 200).json;
    assert.ok(e2.seq > e1.seq);
    expectStatus(await coord.post(`/api/discussion/canaux/${t.id}/frappe`), 204);
    expectError(await tulle.post(`/api/discussion/canaux/${t.id}/frappe`), 403);
  });
});
