// Discussion moderation: reports and the moderators' queue, deletion by decision, mute in a
// channel, ban from the space, posting rate limit, maximum message size, audit log.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, ENGINE, DEMO, expectStatus, expectError, randomId, openSocket } from './harness.mjs';

describe(`discussion moderation [${ENGINE}]`, () => {
  let server, admin, coord, lyon, tulle, rennes;
  const id = {};
  let theme;

  before(async () => {
    server = await startServer({ args: ['--discussion-messages-par-minute', '4', '--discussion-taille-max', '200'] });
    admin = await server.login(DEMO.admin);
    coord = await server.login(DEMO.coordination);
    lyon = await server.login(DEMO.lyon);
    tulle = await server.login(DEMO.tulle);
    rennes = await server.login(DEMO.rennes);
    for (const [k, c] of Object.entries({ admin, coord, lyon, tulle, rennes })) id[k] = expectStatus(await c.get('/api/me'), 200).json.id;
    theme = expectStatus(await coord.post('/api/discussion/canaux', { json: { type: 'theme', nom: `Modération ${randomId(3)}` } }), 201).json;
    for (const c of [lyon, tulle, rennes]) expectStatus(await c.post(`/api/discussion/canaux/${theme.id}/adhesion`), 200);
  });
  after(async () => {
    await server?.dispose();
  });

  const post = async (c, texte, status = 201) =>
    expectStatus(await c.post(`/api/discussion/canaux/${theme.id}/messages`, { json: { sujet: 'Modération', texte } }), status).json;
  const audit = async () => expectStatus(await admin.get('/api/audit?per_page=100'), 200).json.items;

  it('reports: once per person, to the queue of the channel’s moderators and admins, decided', async () => {
    const m = await post(lyon, 'Message discutable');
    const { ws, inbox } = await openSocket(server, coord);
    const r = expectStatus(await tulle.post(`/api/discussion/messages/${m.id}/signalements`, { json: { motif: 'Hors sujet' } }), 201).json;
    const notif = await inbox.next((x) => x.type === 'notification' && x.kind === 'discussion_signalement', 3000, 'report notification');
    assert.equal(notif.message_id, m.id);
    ws.close();
    assert.equal(r.message_id, m.id);
    assert.equal(r.decision, null);
    assert.equal(r.signale_par.id, id.tulle);
    expectError(await tulle.post(`/api/discussion/messages/${m.id}/signalements`, { json: { motif: 'Encore' } }), 409, 'deja_signale');
    expectError(await lyon.post(`/api/discussion/messages/${m.id}/signalements`, { json: { motif: 'Moi' } }), 400, 'validation', ['message_id']);
    expectError(await rennes.post(`/api/discussion/messages/${m.id}/signalements`, { json: {} }), 400, 'validation', ['motif']);
    const r2 = expectStatus(await rennes.post(`/api/discussion/messages/${m.id}/signalements`, { json: { motif: 'Pas sa place' } }), 201).json;
    // The channel's moderator and the admin see them; a plain member does not.
    const queue = expectStatus(await coord.get('/api/discussion/moderation/signalements'), 200).json.items;
    const mine = queue.filter((x) => x.message_id === m.id);
    assert.deepEqual(mine.map((x) => x.id), [r.id, r2.id]);
    assert.equal(mine[0].message.texte, 'Message discutable');
    assert.equal(mine[0].canal.id, theme.id);
    assert.ok(expectStatus(await admin.get('/api/discussion/moderation/signalements'), 200).json.items.some((x) => x.id === r.id));
    expectError(await tulle.get('/api/discussion/moderation/signalements'), 403, 'acces_refuse');
    expectError(await tulle.post(`/api/discussion/moderation/signalements/${r.id}`, { json: { decision: 'rejeter' } }), 403, 'acces_refuse');
    expectError(await coord.post(`/api/discussion/moderation/signalements/${r.id}`, { json: { decision: 'bannir' } }), 400, 'validation', ['decision']);
    // Deleting settles every report of the message; the trace stays, with the text for moderators.
    const d = expectStatus(await coord.post(`/api/discussion/moderation/signalements/${r.id}`, { json: { decision: 'supprimer' } }), 200).json;
    assert.equal(d.decision, 'supprimer');
    const after = expectStatus(await coord.get('/api/discussion/moderation/signalements'), 200).json.items;
    assert.ok(!after.some((x) => x.message_id === m.id));
    expectError(await coord.post(`/api/discussion/moderation/signalements/${r2.id}`, { json: { decision: 'rejeter' } }), 409, 'deja_traite');
    const seen = expectStatus(await tulle.get(`/api/discussion/canaux/${theme.id}/messages`), 200).json.items.find((x) => x.id === m.id);
    assert.equal(seen.supprime, true);
    assert.equal(seen.texte, '');
    const mod = expectStatus(await coord.get(`/api/discussion/canaux/${theme.id}/messages`), 200).json.items.find((x) => x.id === m.id);
    assert.equal(mod.texte_supprime, 'Message discutable');
    // A rejected report leaves the message.
    const m2 = await post(lyon, 'Message correct');
    const r3 = expectStatus(await tulle.post(`/api/discussion/messages/${m2.id}/signalements`, { json: { motif: 'Doute' } }), 201).json;
    expectStatus(await admin.post(`/api/discussion/moderation/signalements/${r3.id}`, { json: { decision: 'rejeter' } }), 200);
    assert.equal(expectStatus(await tulle.get(`/api/discussion/canaux/${theme.id}/messages`), 200).json.items.find((x) => x.id === m2.id).supprime, false);
    const log = await audit();
    assert.ok(log.some((a) => a.event === 'discussion_signalement' && a.detail.includes(`message ${m.id}`)));
    assert.ok(log.some((a) => a.event === 'discussion_moderation' && a.detail === `signalement ${r.id} : supprimer`));
    assert.ok(log.some((a) => a.event === 'discussion_moderation' && a.detail === `signalement ${r3.id} : rejeter`));
  });

  it('mute in a channel: no posting nor reacting until the date; lifted', async () => {
    const m = await post(coord, 'Avant la sourdine');
    expectError(await tulle.patch(`/api/discussion/canaux/${theme.id}/membres/${id.rennes}`, { json: { sourdine_jusqu_au: '2099-01-01T00:00:00Z' } }), 403, 'acces_refuse');
    expectError(await coord.patch(`/api/discussion/canaux/${theme.id}/membres/${id.rennes}`, { json: { sourdine_jusqu_au: 'demain' } }), 400, 'validation', ['sourdine_jusqu_au']);
    // Sockets of the person muted and of another member: only the first learns until when.
    const sockets = [];
    for (const c of [rennes, lyon]) {
      const so = await openSocket(server, c);
      so.ws.send(JSON.stringify({ type: 'reprendre', depuis: expectStatus(await c.get('/api/discussion/etat'), 200).json.seq }));
      await so.inbox.next((x) => x.type === 'repris', 3000, 'repris');
      sockets.push(so);
    }
    const s = expectStatus(await coord.patch(`/api/discussion/canaux/${theme.id}/membres/${id.rennes}`, { json: { sourdine_jusqu_au: '2099-01-01T00:00:00Z' } }), 200).json;
    const [chezRennes, chezLyon] = sockets;
    const perso = await chezRennes.inbox.next((x) => x.evenement === 'membre' && x.data.action === 'sourdine', 3000, 'the personal mute event');
    assert.equal(perso.data.sourdine_jusqu_au, '2099-01-01T00:00:00.000Z');
    assert.equal(perso.canal_id, theme.id);
    const vu = await chezLyon.inbox.next((x) => x.evenement === 'membre' && x.data.user_id === id.rennes, 3000, 'the members\' event');
    assert.equal(vu.data.action, 'modifie');
    assert.equal('sourdine_jusqu_au' in vu.data, false, JSON.stringify(vu));
    assert.ok(!chezLyon.inbox.messages.some((x) => x.data?.action === 'sourdine'));
    for (const so of sockets) so.ws.close();
    assert.equal(s.sourdine_jusqu_au, '2099-01-01T00:00:00.000Z');
    const c = expectStatus(await rennes.get(`/api/discussion/canaux/${theme.id}`), 200).json;
    assert.equal(c.peut_ecrire, false);
    assert.equal(c.en_sourdine_jusqu_au, '2099-01-01T00:00:00.000Z');
    const refused = expectError(await rennes.post(`/api/discussion/canaux/${theme.id}/messages`, { json: { sujet: 'x', texte: 'y' } }), 403, 'acces_refuse');
    assert.match(refused.json.error.message, /sourdine/);
    // Until when, in words and Paris time (UTC+1 in January).
    assert.match(refused.json.error.message, /jusqu'au 1er janvier 2099 à 01 h 00\./);
    // The members' list shows the mute to the channel's moderators (who lift it), not to members.
    const vus = expectStatus(await coord.get(`/api/discussion/canaux/${theme.id}/membres`), 200).json.items;
    assert.equal(vus.find((p) => p.id === id.rennes).sourdine_jusqu_au, '2099-01-01T00:00:00.000Z');
    assert.equal(vus.find((p) => p.id === id.lyon).sourdine_jusqu_au, null);
    const parUnMembre = expectStatus(await lyon.get(`/api/discussion/canaux/${theme.id}/membres`), 200).json.items;
    assert.equal(parUnMembre.find((p) => p.id === id.rennes).sourdine_jusqu_au, null);
    // « Until further notice »: from 2200 on.
    expectStatus(await coord.patch(`/api/discussion/canaux/${theme.id}/membres/${id.rennes}`, { json: { sourdine_jusqu_au: '2200-01-01T00:00:00Z' } }), 200);
    expectStatus(await coord.patch(`/api/discussion/canaux/${theme.id}/membres/${id.rennes}`, { json: { sourdine_jusqu_au: '9999-12-31T23:59:59Z' } }), 200);
    assert.equal(expectStatus(await rennes.get(`/api/discussion/canaux/${theme.id}`), 200).json.en_sourdine_jusqu_au, '2200-01-01T00:00:00.000Z');
    const toujours = expectError(await rennes.post(`/api/discussion/canaux/${theme.id}/messages`, { json: { sujet: 'x', texte: 'y' } }), 403, 'acces_refuse');
    assert.match(toujours.json.error.message, /sourdine dans ce canal jusqu'à nouvel ordre\./);
    expectError(await rennes.put(`/api/discussion/messages/${m.id}/reactions/ok`), 403, 'acces_refuse');
    // Other channels are not affected.
    const general = expectStatus(await rennes.get('/api/discussion/canaux'), 200).json.items.find((x) => x.type === 'general');
    assert.equal(general.peut_ecrire, true);
    // A mute in the past is no mute.
    expectStatus(await coord.patch(`/api/discussion/canaux/${theme.id}/membres/${id.rennes}`, { json: { sourdine_jusqu_au: '2020-01-01T00:00:00Z' } }), 200);
    assert.equal(expectStatus(await rennes.get(`/api/discussion/canaux/${theme.id}`), 200).json.peut_ecrire, true);
    expectStatus(await coord.patch(`/api/discussion/canaux/${theme.id}/membres/${id.rennes}`, { json: { sourdine_jusqu_au: null } }), 200);
    assert.ok((await audit()).some((a) => a.event === 'discussion_sourdine' && a.user_id === id.rennes));
  });

  it('ban from the space (admin): every discussion route refuses, until lifted', async () => {
    expectError(await coord.post('/api/discussion/bannissements', { json: { user_id: id.tulle, motif: 'x' } }), 403, 'acces_refuse');
    expectError(await admin.post('/api/discussion/bannissements', { json: { user_id: id.admin, motif: 'x' } }), 400, 'validation', ['user_id']);
    expectError(await admin.post('/api/discussion/bannissements', { json: { user_id: id.tulle } }), 400, 'validation', ['motif']);
    expectStatus(await admin.post('/api/discussion/bannissements', { json: { user_id: id.tulle, motif: 'Propos répétés hors charte' } }), 201);
    // The admins' list of bans: who, why, by whom, when.
    expectError(await coord.get('/api/discussion/bannissements'), 403, 'acces_refuse');
    const liste = expectStatus(await admin.get('/api/discussion/bannissements'), 200).json.items;
    const b = liste.find((x) => x.user_id === id.tulle);
    assert.ok(b, JSON.stringify(liste));
    assert.equal(b.motif, 'Propos répétés hors charte');
    assert.equal(b.par.id, id.admin);
    assert.ok(b.nom.length > 0 && b.par.nom.length > 0);
    assert.match(b.le, /^\d{4}-\d\d-\d\dT/);
    expectError(await tulle.get('/api/discussion/canaux'), 403, 'banni');
    expectError(await tulle.get('/api/discussion/etat'), 403, 'banni');
    expectError(await tulle.get(`/api/discussion/canaux/${theme.id}/messages`), 403, 'banni');
    expectError(await tulle.post(`/api/discussion/canaux/${theme.id}/messages`, { json: { sujet: 'x', texte: 'y' } }), 403, 'banni');
    expectError(await tulle.get('/api/discussion/recherche?q=bonjour'), 403, 'banni');
    expectStatus(await tulle.get('/api/me'), 200); // the rest of Coop is untouched
    expectError(await coord.post(`/api/discussion/canaux/${theme.id}/membres`, { json: { user_id: id.tulle } }), 400, 'validation', ['user_id']);
    expectStatus(await admin.delete(`/api/discussion/bannissements/${id.tulle}`), 204);
    expectError(await admin.delete(`/api/discussion/bannissements/${id.tulle}`), 404, 'introuvable');
    expectStatus(await tulle.get('/api/discussion/canaux'), 200);
    assert.ok(!expectStatus(await admin.get('/api/discussion/bannissements'), 200).json.items.some((x) => x.user_id === id.tulle));
    const log = await audit();
    assert.ok(log.some((a) => a.event === 'discussion_bannissement' && a.user_id === id.tulle && a.detail === 'Propos répétés hors charte'));
    assert.ok(log.some((a) => a.event === 'discussion_bannissement_leve' && a.user_id === id.tulle));
  });

  it('maximum size and posting rate', async () => {
    const e = expectError(await lyon.post(`/api/discussion/canaux/${theme.id}/messages`, { json: { sujet: 'x', texte: 'é'.repeat(101) } }), 400, 'validation', ['texte']);
    assert.match(e.json.error.fields.texte, /trop long/);
    await post(rennes, 'x'.repeat(200));
    // --discussion-messages-par-minute 4: Yann has posted one; three more, then 429.
    for (let i = 0; i < 3; i++) await post(rennes, `Message ${i}`);
    const r = expectError(await rennes.post(`/api/discussion/canaux/${theme.id}/messages`, { json: { sujet: 'x', texte: 'encore' } }), 429, 'trop_de_messages');
    assert.match(r.json.error.message, /minute/);
    await post(lyon, 'Les autres écrivent toujours');
  });
});
