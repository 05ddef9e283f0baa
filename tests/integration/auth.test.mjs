// Health, log-in / log-out, session cookie, CSRF and Origin checks, password change, rate limit.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, ENGINE, ENGINE_NAME, DEMO, DEMO_PASSWORD, expectStatus, expectError, Client, rawExchange, courrielsPour,
} from './harness.mjs';

describe(`authentication and sessions [${ENGINE}]`, () => {
  let server;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server?.dispose();
  });

  it('GET /api/health reports the database as ok with its engine', async () => {
    const r = expectStatus(await server.client().get('/api/health'), 200);
    assert.equal(r.json.status, 'ok');
    assert.equal(typeof r.json.version, 'string');
    assert.equal(r.json.database.ok, true);
    assert.equal(r.json.database.engine, ENGINE_NAME);
    assert.equal(typeof r.json.database.latency_ms, 'number');
    assert.match(r.headers.get('content-type'), /^application\/json/);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.ok(r.headers.get('x-request-id'), 'X-Request-Id on every response');
    assert.equal(r.headers.get('x-coop-route'), null, 'the internal route label must not leak');
  });

  it('a first response sets a readable coop_csrf cookie (SameSite=Strict, not HttpOnly); later ones do not', async () => {
    const c = server.client();
    const r = await c.get('/api/health');
    const csrf = r.setCookies.find((s) => s.startsWith('coop_csrf='));
    assert.ok(csrf, `coop_csrf cookie expected, got ${JSON.stringify(r.setCookies)}`);
    assert.match(csrf, /;\s*Path=\//i);
    assert.match(csrf, /;\s*SameSite=Strict/i);
    assert.doesNotMatch(csrf, /HttpOnly/i, 'the front end must be able to read coop_csrf');
    assert.ok(c.csrf.length >= 24);
    const r2 = await c.get('/api/health');
    assert.equal(r2.setCookies.filter((s) => s.startsWith('coop_csrf=')).length, 0);
  });

  it('log-in with the right password returns Me and a HttpOnly, SameSite=Lax, Path=/ session cookie', async () => {
    const c = server.client();
    const r = expectStatus(await c.post('/api/auth/login', { json: { email: DEMO.admin, password: DEMO_PASSWORD } }), 200);
    assert.equal(r.json.email, DEMO.admin);
    assert.equal(r.json.nom, 'Administratrice');
    assert.equal(r.json.prenom, 'Alice');
    assert.deepEqual(r.json.roles, [{ role: 'admin', structure_id: null, conseiller_numerique: false, territoire: null }]);
    assert.equal(r.json.disabled, false);
    assert.equal('password_hash' in r.json, false);
    const sc = r.setCookies.find((s) => s.startsWith('coop_session='));
    assert.ok(sc, `coop_session cookie expected, got ${JSON.stringify(r.setCookies)}`);
    assert.match(sc, /;\s*HttpOnly/i);
    assert.match(sc, /;\s*SameSite=Lax/i);
    assert.match(sc, /;\s*Path=\/(;|$)/i);
    assert.match(sc, /;\s*Max-Age=\d+/i);
    assert.doesNotMatch(sc, /;\s*Secure/i, 'no Secure flag over plain HTTP without --secure-cookies');
    assert.ok(sc.split(';')[0].length > 'coop_session='.length + 30, 'a long random token');
  });

  it('behind an HTTPS proxy (X-Forwarded-Proto: https) the session cookie is Secure', async () => {
    const c = server.client({ headers: { 'x-forwarded-proto': 'https' } });
    const r = expectStatus(await c.post('/api/auth/login', { json: { email: DEMO.admin, password: DEMO_PASSWORD } }), 200);
    assert.match(r.setCookies.find((s) => s.startsWith('coop_session=')), /;\s*Secure/i);
  });

  it('log-in: e-mail is case- and space-insensitive', async () => {
    const c = server.client();
    const r = await c.post('/api/auth/login', { json: { email: '  Admin@COOP.example ', password: DEMO_PASSWORD } });
    expectStatus(r, 200);
    assert.equal(r.json.email, DEMO.admin);
  });

  it('log-in with a wrong password → 401 identifiants_invalides, no session cookie', async () => {
    const c = server.client();
    const r = await c.post('/api/auth/login', { json: { email: DEMO.gestion, password: 'pas-le-bon-mot-de-passe' } });
    expectError(r, 401, 'identifiants_invalides');
    assert.equal(r.setCookies.filter((s) => s.startsWith('coop_session=')).length, 0);
    expectError(await c.get('/api/me'), 401, 'non_authentifie');
  });

  it('log-in with an unknown e-mail → the same 401 identifiants_invalides (no account enumeration)', async () => {
    const c = server.client();
    const wrong = await c.post('/api/auth/login', { json: { email: DEMO.gestion, password: 'encore-un-mauvais-mdp' } });
    const unknown = await c.post('/api/auth/login', { json: { email: 'personne@nulle-part.example', password: 'peu-importe-1234' } });
    expectError(unknown, 401, 'identifiants_invalides');
    assert.deepEqual(unknown.json, wrong.json, 'same body for an unknown account and a wrong password');
  });

  it('log-in without e-mail/password → 400 validation with both fields', async () => {
    const r = await server.client().post('/api/auth/login', { json: {} });
    expectError(r, 400, 'validation', ['email', 'password']);
  });

  it('rate limit: after 5 failures on one account → 429 trop_de_tentatives, even with the right password; other accounts unaffected', async () => {
    const c = server.client();
    for (let i = 1; i <= 5; i++) {
      const r = await c.post('/api/auth/login', { json: { email: DEMO.tulle, password: `mauvais-essai-${i}` } });
      expectError(r, 401, 'identifiants_invalides', [], `failure ${i}`);
    }
    const blocked = await c.post('/api/auth/login', { json: { email: DEMO.tulle, password: DEMO_PASSWORD } });
    expectError(blocked, 429, 'trop_de_tentatives');
    assert.equal(blocked.setCookies.filter((s) => s.startsWith('coop_session=')).length, 0);
    // The block is per account (and the same IP may still log in to another account).
    const other = await server.client().post('/api/auth/login', { json: { email: DEMO.marseille, password: DEMO_PASSWORD } });
    expectStatus(other, 200);
    // Still blocked with the e-mail written differently.
    const again = await c.post('/api/auth/login', { json: { email: 'MEDIATEUR.TULLE@coop.example', password: DEMO_PASSWORD } });
    expectError(again, 429, 'trop_de_tentatives');
  });

  // (was a bug: the failure count was read before the password check and written after it)
  it('rate limit under concurrency: 12 parallel wrong passwords → at most 5 are checked (401), the rest 429', async () => {
    const admin = await server.login(DEMO.admin);
    const email = `parallele.${Date.now()}@exemple.fr`;
    expectStatus(await admin.post('/api/users', { json: { email, nom: 'Parallèle', prenom: 'Test', password: 'le-bon-mot-de-passe' } }), 201);
    const clients = await Promise.all(Array.from({ length: 12 }, async () => {
      const c = server.client();
      await c.ensureCsrf();
      return c;
    }));
    const rs = await Promise.all(clients.map((c, i) => c.post('/api/auth/login', { json: { email, password: `faux-${i}` } })));
    const statuses = rs.map((r) => r.status);
    assert.ok(statuses.every((s) => s === 401 || s === 429), `${statuses}`);
    assert.ok(statuses.filter((s) => s === 401).length <= 5, `${statuses.filter((s) => s === 401).length} attempts verified: ${statuses}`);
  });

  // Regression (PostgreSQL refuses invalid UTF-8): the User-Agent stored with the session is kept
  // only when valid UTF-8, and cut on a character boundary.
  it('a User-Agent that is not valid UTF-8, or long and non-ASCII, does not prevent logging in', async () => {
    const c = server.client();
    await c.ensureCsrf();
    const body = JSON.stringify({ email: DEMO.admin, password: DEMO_PASSWORD });
    const head =
      `POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: application/json\r\n` +
      `Cookie: coop_csrf=${c.csrf}\r\nX-CSRF-Token: ${c.csrf}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n`;
    const agents = {
      'invalid bytes': Buffer.concat([Buffer.from('Navigateur '), Buffer.from([0xff, 0xfe, 0xc3, 0x28])]),
      'valid UTF-8, "é" across byte 300': Buffer.from(`${'a'.repeat(299)}é-fin`, 'utf8'),
    };
    const problems = [];
    for (const [what, ua] of Object.entries(agents)) {
      const r = await rawExchange(server.port, Buffer.concat([Buffer.from(`${head}User-Agent: `), ua, Buffer.from(`\r\n\r\n${body}`)]));
      if (r.status !== 200) problems.push(`${what}: ${r.status} ${r.body.slice(0, 120)}`);
    }
    assert.deepEqual(problems, []);
  });

  it('CSRF: a POST without X-CSRF-Token → 403 csrf (and has no effect)', async () => {
    const c = await server.login(DEMO.gestion);
    const r = await c.post('/api/auth/logout', { csrf: false });
    expectError(r, 403, 'csrf');
    expectStatus(await c.get('/api/me'), 200, 'still logged in');
    const p = await c.patch('/api/me', { json: { prenom: 'Piraté' }, csrf: false });
    expectError(p, 403, 'csrf');
    assert.equal((await c.get('/api/me')).json.prenom, 'Gérard');
  });

  it('CSRF: a wrong X-CSRF-Token → 403 csrf', async () => {
    const c = await server.login(DEMO.gestion);
    const r = await c.post('/api/auth/logout', { headers: { 'x-csrf-token': c.csrf.slice(0, -2) + 'zz' } });
    expectError(r, 403, 'csrf');
    const empty = await c.post('/api/auth/logout', { headers: { 'x-csrf-token': '' } });
    expectError(empty, 403, 'csrf');
    expectStatus(await c.get('/api/me'), 200, 'still logged in');
  });

  it('CSRF: a header without the cookie → 403 csrf (the token must match the cookie)', async () => {
    const c = server.client();
    const r = await c.post('/api/auth/login', {
      json: { email: DEMO.admin, password: DEMO_PASSWORD },
      headers: { 'x-csrf-token': 'un-jeton-invente-de-toutes-pieces' },
      csrf: false, // no cookie fetched first
    });
    assert.equal(c.cookies.size, 1, 'only the coop_csrf cookie set by this refusal');
    expectError(r, 403, 'csrf');
    assert.equal(r.setCookies.filter((s) => s.startsWith('coop_session=')).length, 0);
    // A POST with neither cookie nor header is refused too.
    expectError(await server.client().post('/api/auth/login', { json: { email: DEMO.admin, password: DEMO_PASSWORD }, csrf: false }), 403, 'csrf');
  });

  it('Origin of another site on a state-changing request → 403, even with a valid token', async () => {
    const c = await server.login(DEMO.gestion);
    const r = await c.post('/api/auth/logout', { headers: { origin: 'http://evil.example' } });
    expectStatus(r, 403);
    assert.equal(r.json.error.code, 'origine_refusee');
    const lookalike = await c.post('/api/auth/logout', { headers: { origin: `${server.origin}.evil.example` } });
    expectStatus(lookalike, 403);
    const nul = await c.post('/api/auth/logout', { headers: { origin: 'null' } });
    expectStatus(nul, 403);
    expectStatus(await c.get('/api/me'), 200, 'still logged in');
    // The same request from our own origin goes through.
    const ok = await c.post('/api/auth/logout', { headers: { origin: server.origin } });
    expectStatus(ok, 204);
  });

  it('GET /api/me after log-in returns the user; without a session → 401 non_authentifie', async () => {
    const anon = server.client();
    expectError(await anon.get('/api/me'), 401, 'non_authentifie');
    const c = await server.login(DEMO.mediatrice);
    const me = expectStatus(await c.get('/api/me'), 200).json;
    assert.equal(me.email, DEMO.mediatrice);
    assert.equal(me.prenom, 'Maëlle');
    assert.deepEqual(me.roles, [{ role: 'mediateur', structure_id: null, conseiller_numerique: true, territoire: null }]);
    assert.equal(me.telephone, '06 12 34 56 78');
    assert.ok(me.last_login_at, 'last_login_at set by the log-in');
    const g = await server.login(DEMO.gestion);
    const gme = expectStatus(await g.get('/api/me'), 200).json;
    assert.equal(gme.roles.length, 1);
    assert.equal(gme.roles[0].role, 'gestionnaire_structure');
    assert.equal(typeof gme.roles[0].structure_id, 'number');
  });

  it('a forged or garbage session cookie is simply not a session (401)', async () => {
    for (const token of ['x', 'a'.repeat(43), 'a'.repeat(500), '%00%00', 'éàç']) {
      const c = server.client();
      c.cookies.set('coop_session', token);
      expectError(await c.get('/api/me'), 401, 'non_authentifie');
    }
  });

  it('log-out → 204, clears the cookie, and the session token is revoked server-side', async () => {
    const c = await server.login(DEMO.coordination);
    const stolen = server.client();
    stolen.cookies.set('coop_session', c.cookies.get('coop_session'));
    expectStatus(await stolen.get('/api/me'), 200, 'a copy of the cookie works before log-out');
    const r = expectStatus(await c.post('/api/auth/logout'), 204);
    const cleared = r.setCookies.find((s) => s.startsWith('coop_session='));
    assert.ok(cleared, 'the session cookie is cleared');
    assert.match(cleared, /Max-Age=0/i);
    expectError(await c.get('/api/me'), 401, 'non_authentifie');
    expectError(await stolen.get('/api/me'), 401, 'non_authentifie', [], 'the old token must not work after log-out');
    expectError(await c.post('/api/auth/logout'), 401, 'non_authentifie');
  });

  it('two log-ins make two independent sessions', async () => {
    const a = await server.login(DEMO.lyon);
    const b = await server.login(DEMO.lyon);
    assert.notEqual(a.cookies.get('coop_session'), b.cookies.get('coop_session'));
    expectStatus(await a.post('/api/auth/logout'), 204);
    expectStatus(await b.get('/api/me'), 200, 'the other session survives a log-out');
  });

  it('password change: wrong current → 400 fields.current_password; too short → 400 fields.new_password; success closes the other sessions', async () => {
    const email = DEMO.rennes;
    const a = await server.login(email);
    const b = await server.login(email);
    const newPassword = 'un nouveau mot de passe très sûr';

    const wrong = await a.post('/api/me/password', { json: { current_password: 'pas-le-bon-du-tout', new_password: newPassword } });
    expectError(wrong, 400, 'validation', ['current_password']);
    const short = await a.post('/api/me/password', { json: { current_password: DEMO_PASSWORD, new_password: 'court' } });
    expectError(short, 400, 'validation', ['new_password']);
    assert.equal(short.json.error.fields.current_password, undefined);
    const eleven = await a.post('/api/me/password', { json: { current_password: DEMO_PASSWORD, new_password: '12345678901' } });
    expectError(eleven, 400, 'validation', ['new_password']);
    const missing = await a.post('/api/me/password', { json: {} });
    expectError(missing, 400, 'validation', ['current_password', 'new_password']);
    // Nothing changed so far: both sessions alive, old password still good, no mail.
    expectStatus(await b.get('/api/me'), 200);
    const avant = courrielsPour(server.db, email).filter(m => m.modele === 'mot_de_passe_modifie').length;

    expectStatus(await a.post('/api/me/password', { json: { current_password: DEMO_PASSWORD, new_password: newPassword } }), 204);
    expectStatus(await a.get('/api/me'), 200, 'the session that changed the password stays open');
    expectError(await b.get('/api/me'), 401, 'non_authentifie', [], 'other sessions are closed');
    // The owner is told by mail, from « Mon compte ».
    const avis = courrielsPour(server.db, email).filter(m => m.modele === 'mot_de_passe_modifie');
    assert.equal(avis.length, avant + 1, 'one « mot de passe modifié » mail');
    assert.equal(avis.at(-1).sujet, 'Votre mot de passe a été modifié');
    assert.match(avis.at(-1).texte, /depuis la page « Mon compte »/);
    assert.match(avis.at(-1).texte, /les autres sessions ouvertes sur votre compte ont été fermées/);

    const old = await server.client().post('/api/auth/login', { json: { email, password: DEMO_PASSWORD } });
    expectError(old, 401, 'identifiants_invalides');
    const fresh = server.client();
    await fresh.login(email, newPassword);
    expectStatus(await fresh.get('/api/me'), 200);
  });

  it('a disabled account cannot log in (403 compte_desactive) and its sessions end', async () => {
    const admin = await server.login(DEMO.admin);
    const victim = await server.login(DEMO.ancien);
    const id = victim.user.id;
    const r = expectStatus(await admin.patch(`/api/users/${id}`, { json: { disabled: true } }), 200);
    assert.equal(r.json.disabled, true);
    expectError(await victim.get('/api/me'), 401, 'non_authentifie');
    const login = await server.client().post('/api/auth/login', { json: { email: DEMO.ancien, password: DEMO_PASSWORD } });
    expectError(login, 403, 'compte_desactive');
    // An admin cannot disable their own account.
    const self = await admin.patch(`/api/users/${admin.user.id}`, { json: { disabled: true } });
    expectError(self, 400, 'validation', ['disabled']);
    expectStatus(await admin.patch(`/api/users/${id}`, { json: { disabled: false } }), 200);
    await server.client().login(DEMO.ancien);
  });

  it('the Client helper really fetches a CSRF cookie before its first POST', async () => {
    const c = new Client(server.baseUrl);
    assert.equal(c.csrf, undefined);
    await c.login(DEMO.admin);
    assert.ok(c.csrf);
  });
});
