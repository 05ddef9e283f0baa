// « Mot de passe oublié »: the request answers the same whatever the address, a mail with a
// single-use link is queued only for an enabled account, the link expires after an hour, a reset
// closes every session and cancels the other links, requests are limited per address, per account
// and per IP address, and every step is in the audit log.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, ENGINE, DEMO, DEMO_PASSWORD, expectStatus, expectError, randomId, courrielsPour, dbExec, openSocket,
} from './harness.mjs';

// The mails of this feature queued for an address (an account the admin creates also gets
// « Bienvenue sur Coop », which these tests do not count).
const MODELES = ['reinitialisation_mot_de_passe', 'mot_de_passe_modifie'];
const mailsMotDePasse = (server, email) => courrielsPour(server.db, email).filter((m) => MODELES.includes(m.modele));

const NEW_PASSWORD = 'un-nouveau-mot-de-passe-2026';

// A mediator of its own (the demo accounts stay as they are).
async function newUser(admin, prefix = 'oubli') {
  const email = `${prefix}-${randomId()}@coop.example`;
  const r = await admin.post('/api/users', {
    json: { email, nom: 'Oublieuse', prenom: 'Camille', password: DEMO_PASSWORD, roles: [{ role: 'mediateur' }] },
  });
  expectStatus(r, 201, 'create the test user');
  return { email, id: r.json.id };
}

function ask(client, email) {
  return client.post('/api/auth/mot-de-passe-oublie', { json: { email } });
}

// The token of the link in the newest reset mail to `email`.
function lastToken(server, email) {
  const mails = courrielsPour(server.db, email).filter((m) => m.modele === 'reinitialisation_mot_de_passe');
  assert.ok(mails.length > 0, `a reset mail for ${email}`);
  const m = /\/reinitialisation\/([A-Za-z0-9_-]+)\s*$/m.exec(mails.at(-1).texte);
  assert.ok(m, `a reset link in the mail: ${mails.at(-1).texte}`);
  return m[1];
}

// The audit entries of the feature about `email` (what an administrator sees), oldest first.
async function auditOf(admin, email) {
  const out = [];
  for (let page = 1; page <= 5; page++) {
    const r = expectStatus(await admin.get(`/api/audit?per_page=100&page=${page}`), 200).json;
    out.push(...r.items.filter((a) => a.user_email === email && a.event.startsWith('password_reset')));
    if (r.items.length < 100) break;
  }
  return out.reverse();
}

describe(`mot de passe oublié [${ENGINE}]`, () => {
  let server, admin;

  before(async () => {
    // Many requests come from 127.0.0.1 here: the per-IP limit is tested on the server below.
    server = await startServer({ args: ['--reset-max-per-ip', '100'] });
    admin = await server.login(DEMO.admin);
  });
  after(async () => {
    await server?.dispose();
  });

  it('answers the same for an existing, an unknown and a disabled address; only the existing one gets a mail', async () => {
    const existing = await newUser(admin);
    const disabled = await newUser(admin, 'desactive');
    expectStatus(await admin.patch(`/api/users/${disabled.id}`, { json: { disabled: true } }), 200);
    const unknown = `inconnu-${randomId()}@coop.example`;
    const anon = server.client();
    const answers = [];
    for (const email of [existing.email, unknown, disabled.email, existing.email.toUpperCase()]) {
      const r = await ask(anon, email);
      answers.push({ status: r.status, body: r.text, type: r.headers.get('content-type') });
    }
    for (const a of answers.slice(1)) assert.deepEqual(a, answers[0], 'the same status and body whatever the address');
    assert.equal(answers[0].status, 202);
    assert.match(JSON.parse(answers[0].body).message, /Si un compte Coop correspond à cette adresse/);

    const mails = mailsMotDePasse(server, existing.email);
    assert.equal(mails.length, 2, 'one mail per request (the address is normalised)');
    for (const m of mails) {
      assert.equal(m.modele, 'reinitialisation_mot_de_passe');
      assert.equal(m.statut, 'en_attente');
      assert.match(m.texte, new RegExp(`${server.baseUrl.replace(/[.:/]/g, '\\$&')}/reinitialisation/[A-Za-z0-9_-]{43}\\n`));
      assert.match(m.texte, /valable 1 heure/);
    }
    assert.deepEqual(mailsMotDePasse(server, unknown), []);
    assert.deepEqual(mailsMotDePasse(server, disabled.email), []);
    // Two links, each stored as a SHA-256 hash only.
    const token = lastToken(server, existing.email);
    const stored = dbExec(server.db, `SELECT token_hash FROM reinitialisations_mot_de_passe WHERE user_id = ${existing.id} ORDER BY id`).split('\n');
    assert.equal(stored.length, 2);
    assert.ok(!stored.includes(token), 'the token itself is not stored');
    assert.match(stored[1], /^[0-9a-f]{64}$/);

    // Audit: the request is recorded with what was done, never with the link.
    const ex = await auditOf(admin, existing.email);
    assert.deepEqual(ex.map((a) => [a.event, a.detail, a.user_id]), [
      ['password_reset_requested', 'lien envoyé', existing.id],
      ['password_reset_requested', 'lien envoyé', existing.id],
    ]);
    assert.equal(ex[0].ip, '127.0.0.1');
    const un = await auditOf(admin, unknown);
    assert.deepEqual(un.map((a) => [a.event, a.detail, a.user_id]), [['password_reset_requested', 'aucun compte : aucun lien envoyé', null]]);
    const dis = await auditOf(admin, disabled.email);
    assert.deepEqual(dis.map((a) => [a.event, a.detail]), [['password_reset_requested', 'compte désactivé : aucun lien envoyé']]);
    const all = expectStatus(await admin.get('/api/audit?per_page=100'), 200).text;
    assert.ok(!all.includes(token), 'no token in the audit log');
  });

  it('refuses an invalid request with a French error naming the field', async () => {
    const anon = server.client();
    let r = expectError(await anon.post('/api/auth/mot-de-passe-oublie', { json: {} }), 400, 'validation', ['email']);
    assert.match(r.json.error.fields.email, /obligatoire/);
    r = expectError(await ask(anon, 'pas-une-adresse'), 400, 'validation', ['email']);
    expectError(await anon.post('/api/auth/mot-de-passe-oublie', { body: '[', headers: { 'content-type': 'application/json' } }), 400, 'json_invalide');
  });

  it('the link works once: sets the password, closes every session, refuses the old password, queues a notice', async () => {
    const u = await newUser(admin);
    const s1 = await server.login(u.email);
    const s2 = await server.login(u.email);
    expectStatus(await s1.get('/api/me'), 200);
    const socket = await openSocket(server, s2);
    const anon = server.client();
    expectStatus(await ask(anon, u.email), 202);
    const token = lastToken(server, u.email);

    const info = expectStatus(await anon.get(`/api/auth/reinitialisation/${token}`), 200).json;
    assert.equal(info.email, u.email);
    const left = Date.parse(info.expires_at) - Date.now();
    assert.ok(left > 55 * 60e3 && left <= 60 * 60e3, `valid for an hour (${left} ms left)`);

    // The project's password rules, with the field named; the link stays usable.
    const short = expectError(await anon.post(`/api/auth/reinitialisation/${token}`, { json: { password: 'court' } }), 400, 'validation', ['password']);
    assert.match(short.json.error.fields.password, /12 caractères/);
    expectError(await anon.post(`/api/auth/reinitialisation/${token}`, { json: {} }), 400, 'validation', ['password']);

    const done = expectStatus(await anon.post(`/api/auth/reinitialisation/${token}`, { json: { password: NEW_PASSWORD } }), 200);
    assert.equal(done.json.email, u.email);

    // Every session of the account is closed.
    expectError(await s1.get('/api/me'), 401, 'non_authentifie');
    expectError(await s2.get('/api/me'), 401, 'non_authentifie');
    // … and their live connections (WebSocket) too.
    await socket.inbox.waitClose(2000);
    // Old password refused, new accepted.
    expectError(await server.client().post('/api/auth/login', { json: { email: u.email, password: DEMO_PASSWORD } }), 401, 'identifiants_invalides');
    const fresh = await server.login(u.email, NEW_PASSWORD);
    expectStatus(await fresh.get('/api/me'), 200);

    // Once only.
    expectError(await anon.get(`/api/auth/reinitialisation/${token}`), 410, 'lien_utilise');
    expectError(await anon.post(`/api/auth/reinitialisation/${token}`, { json: { password: 'encore-un-autre-mot-de-passe' } }), 410, 'lien_utilise');
    await server.login(u.email, NEW_PASSWORD);

    const mails = mailsMotDePasse(server, u.email);
    assert.deepEqual(mails.map((m) => m.modele), ['reinitialisation_mot_de_passe', 'mot_de_passe_modifie']);
    assert.equal(mails[1].sujet, 'Votre mot de passe a été modifié');
    assert.match(mails[1].texte, /toutes les sessions ouvertes sur votre compte ont été fermées/);
    assert.match(mails[1].texte, new RegExp(`${server.baseUrl.replace(/[.:/]/g, '\\$&')}/connexion\\n`));

    const audit = await auditOf(admin, u.email);
    assert.deepEqual(audit.map((a) => a.event), [
      'password_reset_requested', 'password_reset_completed', 'password_reset_link_refused', 'password_reset_link_refused',
    ]);
    assert.match(audit[1].detail, /^2 session\(s\) fermée\(s\)/);
    // The access log never shows the link: the token is logged as {jeton}. (Without SMTP, as here,
    // the outbox logs each unsent mail's text once so that an admin can pass the link on: that is
    // the only place the link appears, on a line of its own.)
    const link = `${server.baseUrl}/reinitialisation/${token}`;
    const leaks = server.log.split('\n').filter((l) => l.includes(token) && l.trim() !== link);
    assert.deepEqual(leaks, [], 'no token in the log but the unsent mail itself');
    assert.match(server.log, /path=\/api\/auth\/reinitialisation\/\{jeton\} status=200/);
    assert.equal(audit[1].user_id, u.id);
    assert.deepEqual(audit.slice(2).map((a) => a.detail), ['utilise', 'utilise']);
  });

  it('a reset cancels the account’s other outstanding links', async () => {
    const u = await newUser(admin);
    const anon = server.client();
    expectStatus(await ask(anon, u.email), 202);
    const first = lastToken(server, u.email);
    expectStatus(await ask(anon, u.email), 202);
    const second = lastToken(server, u.email);
    assert.notEqual(first, second);
    expectStatus(await anon.get(`/api/auth/reinitialisation/${first}`), 200, 'a new request does not cancel the previous link');
    expectStatus(await anon.post(`/api/auth/reinitialisation/${second}`, { json: { password: NEW_PASSWORD } }), 200);
    expectError(await anon.get(`/api/auth/reinitialisation/${first}`), 410, 'lien_annule');
    expectError(await anon.post(`/api/auth/reinitialisation/${first}`, { json: { password: 'encore-un-autre-mot-de-passe' } }), 410, 'lien_annule');
    await server.login(u.email, NEW_PASSWORD);
  });

  it('a link expires after one hour', async () => {
    const u = await newUser(admin);
    const anon = server.client();
    expectStatus(await ask(anon, u.email), 202);
    const token = lastToken(server, u.email);
    expectStatus(await anon.get(`/api/auth/reinitialisation/${token}`), 200);
    // Age the link by 61 minutes, as if it had been sent then.
    const ago = (min) => new Date(Date.now() - min * 60e3).toISOString();
    dbExec(server.db, `UPDATE reinitialisations_mot_de_passe SET created_at = '${ago(61)}', expires_at = '${ago(1)}' WHERE user_id = ${u.id}`);
    const r = expectError(await anon.get(`/api/auth/reinitialisation/${token}`), 410, 'lien_expire');
    assert.match(r.json.error.message, /expiré/);
    expectError(await anon.post(`/api/auth/reinitialisation/${token}`, { json: { password: NEW_PASSWORD } }), 410, 'lien_expire');
    // The password did not change.
    await server.login(u.email, DEMO_PASSWORD);
    const audit = await auditOf(admin, u.email);
    assert.deepEqual(audit.slice(-2).map((a) => [a.event, a.detail]), [
      ['password_reset_link_refused', 'expire'], ['password_reset_link_refused', 'expire'],
    ]);
  });

  it('an unknown link is a clear 404, recorded in the audit log', async () => {
    const anon = server.client();
    const bogus = 'x'.repeat(43);
    const r = expectError(await anon.get(`/api/auth/reinitialisation/${bogus}`), 404, 'lien_inconnu');
    assert.match(r.json.error.message, /n'existe pas/);
    expectError(await anon.post(`/api/auth/reinitialisation/${bogus}`, { json: { password: NEW_PASSWORD } }), 404, 'lien_inconnu');
    expectError(await anon.get(`/api/auth/reinitialisation/${'y'.repeat(300)}`), 404, 'lien_inconnu');
    const recent = expectStatus(await admin.get('/api/audit?per_page=10'), 200).json.items;
    assert.ok(recent.some((a) => a.event === 'password_reset_link_refused' && a.detail === 'inconnu' && a.user_id === null && a.ip === '127.0.0.1'));
  });

  it('per address: beyond 3 requests an hour the answer stays the same and no more mail is sent', async () => {
    const u = await newUser(admin);
    const anon = server.client();
    const first = await ask(anon, u.email);
    expectStatus(first, 202);
    for (let i = 0; i < 4; i++) {
      const r = await ask(anon, u.email);
      assert.deepEqual([r.status, r.text], [first.status, first.text], `request ${i + 2}`);
    }
    assert.equal(mailsMotDePasse(server, u.email).length, 3);
    const audit = await auditOf(admin, u.email);
    assert.deepEqual(audit.map((a) => [a.event, a.detail]), [
      ['password_reset_requested', 'lien envoyé'], ['password_reset_requested', 'lien envoyé'], ['password_reset_requested', 'lien envoyé'],
      ['password_reset_rate_limited', 'adresse'], ['password_reset_rate_limited', 'adresse'],
    ]);
    // An unknown address is limited the same way (nothing tells the two apart).
    const unknown = `inconnu-${randomId()}@coop.example`;
    for (let i = 0; i < 4; i++) assert.deepEqual([(await ask(anon, unknown)).text], [first.text]);
    assert.deepEqual((await auditOf(admin, unknown)).map((a) => a.event).slice(-1), ['password_reset_rate_limited']);
    // An hour later the address may ask again.
    const ago = new Date(Date.now() - 61 * 60e3).toISOString();
    dbExec(server.db, `UPDATE audit_log SET at = '${ago}' WHERE subject_email = '${u.email}'`);
    dbExec(server.db, `UPDATE reinitialisations_mot_de_passe SET created_at = '${ago}' WHERE user_id = ${u.id}`);
    expectStatus(await ask(anon, u.email), 202);
    assert.equal(mailsMotDePasse(server, u.email).length, 4);
  });
});

describe(`mot de passe oublié: limits per account and per IP address [${ENGINE}]`, () => {
  let server, admin;

  before(async () => {
    server = await startServer({ args: ['--reset-max-per-address', '10', '--reset-max-per-account', '2', '--reset-max-per-ip', '6'] });
    admin = await server.login(DEMO.admin);
  });
  after(async () => {
    await server?.dispose();
  });

  it('per account (across a change of address), then per IP address with a 429 in French', async () => {
    const u = await newUser(admin);
    const anon = server.client();
    const ok = await ask(anon, u.email);
    expectStatus(ok, 202);
    expectStatus(await ask(anon, u.email), 202);
    // The account's address changes: the new address has asked nothing, the account has had 2 links.
    const renamed = `renomme-${randomId()}@coop.example`;
    expectStatus(await admin.patch(`/api/users/${u.id}`, { json: { email: renamed } }), 200);
    const third = await ask(anon, renamed);
    assert.deepEqual([third.status, third.text], [ok.status, ok.text]);
    assert.deepEqual(mailsMotDePasse(server, renamed), []);
    // (The audit log shows an account's entries under its current address.)
    assert.deepEqual((await auditOf(admin, renamed)).map((a) => [a.event, a.detail, a.user_id]), [
      ['password_reset_requested', 'lien envoyé', u.id], ['password_reset_requested', 'lien envoyé', u.id], ['password_reset_rate_limited', 'compte', u.id],
    ]);

    // 3 requests so far from 127.0.0.1; 3 more are answered, then 429.
    for (let i = 0; i < 3; i++) expectStatus(await ask(anon, `autre-${randomId()}@coop.example`), 202);
    const limited = `limite-${randomId()}@coop.example`;
    const r = expectError(await ask(anon, limited), 429, 'trop_de_demandes');
    assert.match(r.json.error.message, /Trop de demandes de réinitialisation/);
    // Whatever the address, known or not.
    expectError(await ask(anon, DEMO.mediatrice), 429, 'trop_de_demandes');
    assert.deepEqual(mailsMotDePasse(server, DEMO.mediatrice), []);
    assert.deepEqual((await auditOf(admin, limited)).map((a) => [a.event, a.detail]), [['password_reset_rate_limited', 'ip']]);
  });

  it('refused links per IP address: beyond the limit even a lookup is refused with 429', async () => {
    const anon = server.client();
    for (let i = 0; i < 6; i++) expectError(await anon.get(`/api/auth/reinitialisation/${randomId(32)}`), 404, 'lien_inconnu');
    const r = expectError(await anon.get(`/api/auth/reinitialisation/${randomId(32)}`), 429, 'trop_de_tentatives');
    assert.match(r.json.error.message, /Patientez une heure/);
    expectError(await anon.post(`/api/auth/reinitialisation/${randomId(32)}`, { json: { password: NEW_PASSWORD } }), 429, 'trop_de_tentatives');
  });
});
