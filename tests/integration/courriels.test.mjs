// E-mail: the outbox delivered to a real SMTP server (tests/smtp/serveur.py, started here),
// retries while it is down, exactly once when it comes back, the admin outbox API, the change of
// e-mail address, the 14-day CRA reminder, and mails left in the outbox without SMTP.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  startServer, createDatabase, freePort, ENGINE, DEMO, COOP_BIN, expectStatus, expectError, randomId, courrielsPour, dbExec,
  allPages, todayParis,
} from './harness.mjs';
import { startSmtp, newSmtp, waitFor } from './smtp.mjs';

const smtpArgs = (port, extra = [], security = 'none') => [
  '--smtp-host', '127.0.0.1', '--smtp-port', String(port), '--smtp-security', security,
  '--smtp-from', 'ne-pas-repondre@coop.test', '--smtp-from-name', 'Coop — essais', ...extra,
];

async function invite(admin, email) {
  const r = expectStatus(await admin.post('/api/invitations', { json: { email, role: 'mediateur' } }), 201);
  return r.json;
}

// The admin API's view of one mail (by recipient).
async function outbox(admin, q) {
  return expectStatus(await admin.get(`/api/admin/courriels?q=${encodeURIComponent(q)}&per_page=100`), 200).json.items;
}

function coopCli(db, ...args) {
  const r = spawnSync(COOP_BIN, ['--database', db.url, ...args], {
    encoding: 'utf8', env: { PATH: process.env.PATH }, timeout: 60_000,
  });
  assert.equal(r.status, 0, `coop ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

async function metric(server, name) {
  const text = await (await fetch(`${server.baseUrl}/metrics`)).text();
  const m = new RegExp(`^${name}(?:\\{\\})? ([0-9.e+]+)$`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

describe(`courriels over SMTP [${ENGINE}]`, () => {
  let smtp, server, admin;
  before(async () => {
    smtp = await startSmtp(await freePort());
    server = await startServer({ args: smtpArgs(smtp.port) });
    admin = await server.login(DEMO.admin);
  });
  after(async () => {
    await server?.dispose();
    await smtp?.stop();
    smtp?.dispose();
  });

  it('an invitation arrives as a multipart mail whose link works, then the welcome mail', async () => {
    const email = `invite.${randomId()}@exemple.fr`;
    const inv = await invite(admin, email);
    const [m] = await waitFor(() => smtp.pour(email).length && smtp.pour(email), `the invitation mail to ${email}`);
    assert.match(m.contentType, /^multipart\/alternative; boundary="/);
    assert.equal(m.subject, 'Invitation à rejoindre Coop');
    assert.equal(m.from, 'Coop — essais <ne-pas-repondre@coop.test>');
    assert.match(m.headers.from, /^=\?UTF-8\?B\?/, 'a non-ASCII display name is RFC 2047 encoded');
    assert.match(m.headers['message-id'], /^<coop\.\d+\.[A-Za-z0-9_-]+@coop\.test>$/);
    assert.match(m.headers.date, /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
    assert.equal(m.headers['x-enveloppe-a'], email);
    assert.deepEqual(m.parts.map((p) => p.type), ['text/plain; charset=UTF-8', 'text/html; charset=UTF-8']);
    assert.ok(m.text.includes(`Accepter l'invitation :\n${inv.lien}\n`), m.text);
    assert.ok(m.html.includes(`href="${inv.lien}"`), 'the HTML part has the button');
    // The link of the mail opens the invitation.
    const token = /\/invitation\/([A-Za-z0-9_-]+)$/.exec(inv.lien)[1];
    const anon = server.client();
    expectStatus(await anon.get(`/api/invitations/${token}`), 200);
    expectStatus(await anon.post(`/api/invitations/${token}/accept`, {
      json: { nom: 'Invitée', prenom: 'Zoé', password: 'un mot de passe assez long' },
    }), 200);
    const welcome = await waitFor(() => smtp.pour(email).find((x) => x.subject === 'Bienvenue sur Coop'), 'the welcome mail');
    assert.ok(welcome.text.startsWith('Bonjour Zoé,\n'), welcome.text);
    assert.ok(welcome.text.includes(`${server.baseUrl}/connexion`));
    await waitFor(() => courrielsPour(server.db, email).every((x) => x.statut === 'envoye'), 'both marked envoye');
    assert.deepEqual(courrielsPour(server.db, email).map((x) => x.modele), ['invitation', 'bienvenue']);
    assert.equal(smtp.pour(email).length, 2);
  });

  it('an admin creating an account with a password sends « Bienvenue sur Coop »', async () => {
    const email = `cree.${randomId()}@exemple.fr`;
    expectStatus(await admin.post('/api/users', {
      json: { email, nom: 'Créé', prenom: 'Léa', password: 'un mot de passe assez long', roles: [] },
    }), 201);
    const m = await waitFor(() => smtp.pour(email)[0], 'the welcome mail');
    assert.equal(m.subject, 'Bienvenue sur Coop');
    assert.ok(m.text.startsWith('Bonjour Léa,'));
  });

  it('admin outbox: list with filters, detail with text and HTML, renvoyer only an abandoned mail', async () => {
    const email = `liste.${randomId()}@exemple.fr`;
    await invite(admin, email);
    await waitFor(async () => (await outbox(admin, email))[0]?.statut === 'envoye', 'the mail sent');
    const [row] = await outbox(admin, email);
    assert.equal(row.destinataire, email);
    assert.equal(row.modele, 'invitation');
    assert.equal(row.essais, 1);
    assert.equal(row.derniere_erreur, '');
    assert.ok(row.envoye_at >= row.created_at);
    assert.equal(row.texte, undefined, 'the list leaves the bodies out');
    const sent = expectStatus(await admin.get(`/api/admin/courriels?statut=envoye&modele=invitation&q=${encodeURIComponent(email)}`), 200).json;
    assert.equal(sent.total, 1);
    assert.equal(expectStatus(await admin.get(`/api/admin/courriels?statut=abandonne&q=${encodeURIComponent(email)}`), 200).json.total, 0);
    const page = expectStatus(await admin.get('/api/admin/courriels?per_page=1&page=1'), 200).json;
    assert.equal(page.items.length, 1);
    assert.ok(page.total >= 3);
    const d = expectStatus(await admin.get(`/api/admin/courriels/${row.id}`), 200).json;
    assert.ok(d.texte.includes('/invitation/'));
    assert.ok(d.html.startsWith('<!DOCTYPE html>'));
    expectError(await admin.post(`/api/admin/courriels/${row.id}/renvoyer`), 409, 'courriel_non_abandonne');
    expectError(await admin.get('/api/admin/courriels/999999999'), 404, 'introuvable');
    expectError(await admin.get('/api/admin/courriels?statut=perdu'), 400, 'validation', ['statut']);
    const med = await server.login(DEMO.lyon);
    expectError(await med.get('/api/admin/courriels'), 403, 'acces_refuse');
  });

  it('a change of e-mail address waits for the link sent to the new address; the old one is told', async () => {
    const c = await server.login(DEMO.tulle);
    const nouvelle = `nouvelle.${randomId()}@exemple.fr`;
    // An address already in use: 409, nothing pending.
    expectError(await c.patch('/api/me', { json: { email: DEMO.lyon } }), 409, 'doublon', ['email']);
    const first = expectStatus(await c.patch('/api/me', { json: { email: `abandon.${randomId()}@exemple.fr` } }), 200).json;
    assert.equal(first.email, DEMO.tulle, 'the address has not changed yet');
    assert.ok(first.changement_courriel);
    // A second request replaces the first.
    const me = expectStatus(await c.patch('/api/me', { json: { email: nouvelle } }), 200).json;
    assert.equal(me.email, DEMO.tulle);
    assert.equal(me.changement_courriel.nouvel_email, nouvelle);
    const conf = await waitFor(() => smtp.pour(nouvelle)[0], 'the confirmation mail to the new address');
    assert.equal(conf.subject, 'Confirmez votre nouvelle adresse e-mail');
    const lien = /(http\S+\/compte\/confirmer-courriel\/([A-Za-z0-9_-]+))/.exec(conf.text);
    assert.ok(lien, conf.text);
    const avis = await waitFor(() => smtp.pour(DEMO.tulle).filter((m) => m.subject === "Changement d'adresse e-mail demandé"), 'the notices to the old address');
    assert.ok(avis.some((m) => m.text.includes(nouvelle)));
    assert.ok(!avis.some((m) => m.text.includes('/confirmer-courriel/')), 'the old address never gets the link');
    // Cancel, then the link no longer works.
    expectStatus(await c.delete('/api/me/courriel'), 204);
    assert.equal(expectStatus(await c.get('/api/me'), 200).json.changement_courriel, null);
    expectError(await c.delete('/api/me/courriel'), 404, 'introuvable');
    const anon = server.client();
    expectError(await anon.post('/api/me/courriel/confirmer', { json: { jeton: lien[2] } }), 410, 'changement_expire');
    // Ask again and confirm, without a session (the link may be opened on another device).
    expectStatus(await c.patch('/api/me', { json: { email: nouvelle } }), 200);
    const second = await waitFor(() => smtp.pour(nouvelle).length === 2 && smtp.pour(nouvelle)[1], 'the second confirmation');
    const jeton = /\/compte\/confirmer-courriel\/([A-Za-z0-9_-]+)/.exec(second.text)[1];
    expectError(await anon.post('/api/me/courriel/confirmer', { json: { jeton: 'pas-un-jeton' } }), 404, 'changement_inconnu');
    expectError(await anon.post('/api/me/courriel/confirmer', { json: {} }), 400, 'validation', ['jeton']);
    const ok = expectStatus(await anon.post('/api/me/courriel/confirmer', { json: { jeton } }), 200).json;
    assert.equal(ok.email, nouvelle);
    expectError(await anon.post('/api/me/courriel/confirmer', { json: { jeton } }), 410, 'changement_utilise');
    const after = expectStatus(await c.get('/api/me'), 200).json;
    assert.equal(after.email, nouvelle);
    assert.equal(after.changement_courriel, null);
    await server.login(nouvelle);
    const audit = expectStatus(await admin.get(`/api/audit?user_id=${after.id}&per_page=100`), 200).json.items.map((a) => a.event);
    for (const e of ['email_change_requested', 'email_change_cancelled', 'email_changed']) assert.ok(audit.includes(e), `${e} in ${audit}`);
  });
});

describe(`courriels: the SMTP server down, then back on the same port [${ENGINE}]`, () => {
  let smtp, server, admin;
  before(async () => {
    smtp = newSmtp(await freePort());  // nothing listens on smtp.port yet
    server = await startServer({ args: smtpArgs(smtp.port), env: { COOP_SMTP_RETRY_BASE_MS: '300' } });
    admin = await server.login(DEMO.admin);
  });
  after(async () => {
    await server?.dispose();
    await smtp?.stop();
    smtp?.dispose();
  });

  it('mails queued while it is down are retried, kept, and each arrives exactly once when it is back', async () => {
    const emails = [0, 1, 2].map((i) => `panne${i}.${randomId()}@exemple.fr`);
    for (const e of emails) await invite(admin, e);
    // Each has failed at least twice (retried with backoff) and is still waiting.
    await waitFor(async () => {
      const rows = (await outbox(admin, 'panne')).filter((r) => emails.includes(r.destinataire));
      return rows.length === 3 && rows.every((r) => r.statut === 'en_attente' && r.essais >= 2 && r.derniere_erreur !== '');
    }, 'two failed tries of each mail');
    assert.ok(await metric(server, 'coop_courriels_echecs_total') >= 6);
    assert.ok(await metric(server, 'coop_courriels_en_attente') >= 1);
    assert.equal(smtp.messages().length, 0);
    await smtp.start();
    await waitFor(async () => (await outbox(admin, 'panne')).filter((r) => emails.includes(r.destinataire) && r.statut === 'envoye').length === 3,
      'the three mails sent once the server is back');
    // Another mail afterwards goes through the same sender: the first three were not sent again.
    const last = `apres.${randomId()}@exemple.fr`;
    await invite(admin, last);
    await waitFor(() => smtp.pour(last).length === 1, 'the mail queued after the outage');
    for (const e of emails) assert.equal(smtp.pour(e).length, 1, `exactly one mail for ${e}`);
    assert.ok(await metric(server, 'coop_courriels_envoyes_total') >= 4);
  });
});

describe(`courriels: abandoned after too many tries, sent again by an admin [${ENGINE}]`, () => {
  let smtp, server, admin;
  before(async () => {
    smtp = newSmtp(await freePort());
    server = await startServer({ args: smtpArgs(smtp.port, ['--smtp-max-tries', '2']), env: { COOP_SMTP_RETRY_BASE_MS: '100' } });
    admin = await server.login(DEMO.admin);
  });
  after(async () => {
    await server?.dispose();
    await smtp?.stop();
    smtp?.dispose();
  });

  it('abandonne after 2 failed tries; « Renvoyer » queues it again and it arrives', async () => {
    const email = `abandon.${randomId()}@exemple.fr`;
    await invite(admin, email);
    const row = await waitFor(async () => (await outbox(admin, email)).find((r) => r.statut === 'abandonne'), 'the mail abandoned');
    assert.equal(row.essais, 2);
    assert.match(row.derniere_erreur, /connect|Connection|refused/i);
    assert.ok(await metric(server, 'coop_courriels_abandonnes_total') >= 1);
    await smtp.start();
    const again = expectStatus(await admin.post(`/api/admin/courriels/${row.id}/renvoyer`), 200).json;
    assert.equal(again.statut, 'en_attente');
    assert.equal(again.essais, 0);
    await waitFor(() => smtp.pour(email).length === 1, 'the mail sent again');
    await waitFor(async () => (await outbox(admin, email))[0].statut === 'envoye', 'marked envoye');
    const audit = expectStatus(await admin.get('/api/audit?per_page=20'), 200).json.items;
    assert.ok(audit.some((a) => a.event === 'courriel_renvoye' && a.user_email === email));
  });
});

describe(`courriels without SMTP (make run) [${ENGINE}]`, () => {
  let server, admin;
  before(async () => {
    server = await startServer();
    admin = await server.login(DEMO.admin);
  });
  after(async () => {
    await server?.dispose();
  });

  it('a mail stays en_attente, is written to the log once with its link, and is in the admin API', async () => {
    const email = `sans.smtp.${randomId()}@exemple.fr`;
    const inv = await invite(admin, email);
    const [q] = courrielsPour(server.db, email);
    assert.equal(q.modele, 'invitation');
    const line = `courriel ${q.id} non envoyé (pas de serveur SMTP configuré) pour ${email}`;
    await waitFor(() => server.log.includes(line), 'the mail in the log');
    assert.ok(server.log.slice(server.log.indexOf(line)).includes(inv.lien), 'the log shows the link');
    // A later mail is logged too; the first one is not logged again.
    const other = `sans.smtp2.${randomId()}@exemple.fr`;
    await invite(admin, other);
    await waitFor(() => server.log.includes(`non envoyé (pas de serveur SMTP configuré) pour ${other}`), 'the second mail in the log');
    assert.equal(server.log.split(line).length - 1, 1);
    assert.equal(courrielsPour(server.db, email)[0].statut, 'en_attente');
    const [row] = await outbox(admin, email);
    assert.equal(row.statut, 'en_attente');
    assert.equal(row.essais, 0);
    const d = expectStatus(await admin.get(`/api/admin/courriels/${row.id}`), 200).json;
    assert.ok(d.texte.includes(inv.lien));
  });

  it('14-day reminder: one mail, none again until a new CRA and 14 more days, none after opting out', async () => {
    const med = await server.login(DEMO.marseille);  // has logged in: a mediator the reminder concerns
    const me = expectStatus(await med.get('/api/me'), 200).json;
    assert.equal(me.rappels_cra, true);
    const rappels = () => courrielsPour(server.db, DEMO.marseille).filter((m) => m.modele === 'rappel_cra');
    const run = () => coopCli(server.db, 'courriels', 'rappels', '--public-url', server.baseUrl);
    const before = rappels().length;
    assert.equal(before, 0);
    run();
    assert.equal(rappels().length, 0, 'active in the last 14 days (account just made, or CRA recorded): no reminder');
    // Age every CRA and the account: 14 days without a CRA.
    dbExec(server.db, `UPDATE activites SET created_at = '2020-01-01T00:00:00.000Z' WHERE mediateur_id = ${me.id}`);
    dbExec(server.db, `UPDATE users SET created_at = '2020-01-01T00:00:00.000Z' WHERE id = ${me.id}`);
    assert.match(run(), /\d+ rappel\(s\) mis en file/);
    const [m] = rappels();
    assert.ok(m, 'one reminder');
    assert.equal(m.sujet, 'Pensez à enregistrer vos activités sur Coop');
    assert.ok(m.texte.includes(`${server.baseUrl}/activites/nouvelle`));
    assert.ok(m.texte.includes(`${server.baseUrl}/compte`), 'the mail links to the opt-out');
    run();
    assert.equal(rappels().length, 1, 'still one: no second reminder for the same inactivity');
    // A CRA recorded after the reminder, then 14 days without one again: a second reminder.
    expectStatus(await med.post('/api/activites', {
      json: { type: 'individuel', date: todayParis(), duree: 30, type_lieu: 'a_distance', commune_insee: '13055', thematiques: ['email'] },
    }), 201);
    run();
    assert.equal(rappels().length, 1, 'a CRA today: no reminder');
    dbExec(server.db, `UPDATE users SET rappel_cra_at = '2020-02-01T00:00:00.000Z' WHERE id = ${me.id}`);
    dbExec(server.db, `UPDATE activites SET created_at = '2020-03-01T00:00:00.000Z' WHERE mediateur_id = ${me.id}`);
    run();
    assert.equal(rappels().length, 2);
    // Opt-out in « Mon compte »: none any more.
    const off = expectStatus(await med.patch('/api/me', { json: { rappels_cra: false } }), 200).json;
    assert.equal(off.rappels_cra, false);
    assert.equal(expectStatus(await med.get('/api/me'), 200).json.rappels_cra, false);
    dbExec(server.db, `UPDATE users SET rappel_cra_at = '2020-02-01T00:00:00.000Z' WHERE id = ${me.id}`);
    run();
    assert.equal(rappels().length, 2, 'opted out: no reminder');
    expectError(await med.patch('/api/me', { json: { rappels_cra: 'oui' } }), 400, 'validation', ['rappels_cra']);
  });
});

// A self-signed certificate for 127.0.0.1 (its own CA), made with openssl for this run.
function certificat() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coop-tls-'));
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return { dir, cert, key };
}

describe(`courriels over TLS: STARTTLS and implicit TLS with the server's certificate verified [${ENGINE}]`, () => {
  let tls;
  before(() => {
    tls = certificat();
  });
  after(() => fs.rmSync(tls.dir, { recursive: true, force: true }));

  for (const [mode, security] of [['starttls', 'starttls'], ['implicite', 'tls']]) {
    it(`${security}: a mail arrives through a server trusted with --smtp-ca-file; without it, the certificate is refused and nothing is sent`, async () => {
      const smtp = await startSmtp(await freePort(), { tls: { mode, cert: tls.cert, key: tls.key } });
      const trusted = await startServer({ args: smtpArgs(smtp.port, ['--smtp-ca-file', tls.cert], security) });
      const untrusted = await startServer({ args: smtpArgs(smtp.port, [], security) });
      try {
        const ok = `tls.${randomId()}@exemple.fr`;
        await invite(await trusted.login(DEMO.admin), ok);
        const [m] = await waitFor(() => smtp.pour(ok).length === 1 && smtp.pour(ok), `the mail over ${security}`);
        assert.match(m.subject, /invit/i);

        const a = await untrusted.login(DEMO.admin);
        const refused = `tls.refus.${randomId()}@exemple.fr`;
        await invite(a, refused);
        const row = await waitFor(async () => (await outbox(a, refused)).find((r) => r.essais >= 1), 'a failed try (unknown CA)');
        assert.equal(row.statut, 'en_attente');
        assert.match(row.derniere_erreur, /certif|SSL|TLS/i);
        assert.equal(smtp.pour(refused).length, 0, 'not sent to a server whose certificate is not trusted');
      } finally {
        await trusted.dispose();
        await untrusted.dispose();
        await smtp.stop();
        smtp.dispose();
      }
    });
  }
});

describe(`courriels: SMTP authentication, required STARTTLS, shutdown during a send [${ENGINE}]`, () => {
  let smtp, server, admin;
  const passwordFile = path.join(os.tmpdir(), `coop-smtp-pw-${randomId()}`);
  before(async () => {
    smtp = await startSmtp(await freePort(), { user: 'coop', password: 'secret-smtp-é' });
    fs.writeFileSync(passwordFile, 'secret-smtp-é\n', { mode: 0o600 });
    server = await startServer({
      args: smtpArgs(smtp.port, ['--smtp-user', 'coop']),
      env: { COOP_SMTP_PASSWORD_FILE: passwordFile },
    });
    admin = await server.login(DEMO.admin);
  });
  after(async () => {
    await server?.dispose();
    await smtp?.stop();
    smtp?.dispose();
    fs.rmSync(passwordFile, { force: true });
  });

  it('authenticates with the password read from COOP_SMTP_PASSWORD_FILE', async () => {
    const email = `auth.${randomId()}@exemple.fr`;
    await invite(admin, email);
    await waitFor(() => smtp.pour(email).length === 1, 'the mail accepted by the authenticating server');
    assert.ok(!server.log.includes('secret-smtp'), 'the password is never logged');
  });

  it('a wrong password or a server without STARTTLS (when required) fails the try: nothing is sent', async () => {
    const db = createDatabase();
    const other = await startServer({ db, args: smtpArgs(smtp.port, ['--smtp-user', 'coop']), env: { COOP_SMTP_PASSWORD: 'faux' } });
    const starttls = await startServer({ args: smtpArgs(smtp.port, [], 'starttls') });
    try {
      for (const [s, what] of [[other, 'wrong password'], [starttls, 'no STARTTLS offered']]) {
        const a = await s.login(DEMO.admin);
        const email = `refus.${randomId()}@exemple.fr`;
        await invite(a, email);
        const row = await waitFor(async () => (await outbox(a, email)).find((r) => r.essais >= 1), `a failed try (${what})`);
        assert.equal(row.statut, 'en_attente', what);
        assert.notEqual(row.derniere_erreur, '', what);
        assert.equal(smtp.pour(email).length, 0, `${what}: not sent`);
      }
    } finally {
      await other.dispose();
      await starttls.dispose();
    }
  });

  it('SIGTERM while the SMTP server hangs: the send is aborted and coop exits 0', async () => {
    // A TCP server that accepts and never answers (no SMTP greeting).
    const sockets = [];
    const hang = net.createServer((s) => sockets.push(s));
    await new Promise((r) => hang.listen(0, '127.0.0.1', r));
    const s = await startServer({ args: smtpArgs(hang.address().port, ['--smtp-timeout', '600']) });
    try {
      const a = await s.login(DEMO.admin);
      const email = `pendu.${randomId()}@exemple.fr`;
      await invite(a, email);
      await waitFor(() => sockets.length > 0, 'the sender connected');
      const { code, signal } = await s.stop();  // the harness kills (and fails) after 20 s
      assert.deepEqual({ code, signal }, { code: 0, signal: null });
      assert.equal(courrielsPour(s.db, email)[0].statut, 'en_attente', 'not lost: sent at the next start');
    } finally {
      await s.dispose();
      for (const x of sockets) x.destroy();
      hang.close();
    }
  });
});

describe(`courriels: two instances sharing PostgreSQL send each mail once [${ENGINE}]`, {
  skip: ENGINE !== 'postgres' && 'PostgreSQL only (SQLite is one process)',
}, () => {
  let smtp, a, b;
  before(async () => {
    smtp = newSmtp(await freePort());  // down at first: both instances retry the same mails
    const env = { COOP_SMTP_RETRY_BASE_MS: '200' };
    a = await startServer({ args: smtpArgs(smtp.port), env });
    b = await startServer({ db: a.db, demo: false, args: smtpArgs(smtp.port), env });
  });
  after(async () => {
    await b?.stop();
    await a?.dispose();
    await smtp?.stop();
    smtp?.dispose();
  });

  it('mails queued on both instances while SMTP is down arrive exactly once each', async () => {
    const adminA = await a.login(DEMO.admin);
    const adminB = await b.login(DEMO.admin);
    const emails = [];
    for (let i = 0; i < 10; i++) {
      const e = `deux${i}.${randomId()}@exemple.fr`;
      emails.push(e);
      await invite(i % 2 ? adminB : adminA, e);
    }
    await waitFor(async () => (await outbox(adminA, 'deux')).filter((r) => emails.includes(r.destinataire) && r.essais >= 1).length === 10,
      'a failed try of each mail');
    await smtp.start();
    await waitFor(async () => (await outbox(adminB, 'deux')).filter((r) => emails.includes(r.destinataire) && r.statut === 'envoye').length === 10,
      'the ten mails sent');
    const last = `deux.fin.${randomId()}@exemple.fr`;
    await invite(adminB, last);
    await waitFor(() => smtp.pour(last).length === 1, 'a later mail');
    for (const e of emails) assert.equal(smtp.pour(e).length, 1, `exactly one mail for ${e}`);
    // Both instances took part (each logs the mails it sent).
    const sentBy = (s) => emails.filter((e) => s.log.includes(`envoyé à ${e} `)).length;
    assert.equal(sentBy(a) + sentBy(b), 10);
  });
});
