// Sign-up: the form, the confirmation link from the outbox, the steps (profile, employer by SIRET,
// lieux), the employment pending until a gestionnaire of the structure confirms or refuses it.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, ENGINE, DEMO, DEMO_STRUCTURES, expectStatus, expectError, allPages, randomSiret, breakSiret, randomId,
  courrielsPour, openSocket, dbExec, todayParis,
} from './harness.mjs';

const PASSWORD = 'un mot de passe bien long';

function lienConfirmation(mail) {
  const m = /\/inscription\/confirmer\/([A-Za-z0-9_-]+)/.exec(mail.texte);
  assert.ok(m, `confirmation link in: ${mail.texte}`);
  return m[1];
}

describe(`sign-up [${ENGINE}]`, () => {
  let server, admin, gestion;
  let bachut;

  before(async () => {
    server = await startServer({ args: ['--signup-max-per-ip', '1000'] });
    admin = await server.login(DEMO.admin);
    gestion = await server.login(DEMO.gestion);
    const structures = await allPages(admin, '/api/structures');
    bachut = structures.find((s) => s.nom === DEMO_STRUCTURES.bachut);
  });
  after(async () => {
    await server?.dispose();
  });

  // Signs up, confirms through the link of the outbox; returns the logged-in client.
  async function inscrit({ prenom = 'Camille', nom = 'Inscrite' } = {}) {
    const email = `inscription.${randomId()}@exemple.fr`;
    const c = server.client();
    expectStatus(await c.post('/api/inscription', { json: { email, prenom, nom, password: PASSWORD, cgu: true } }), 202);
    const [mail] = courrielsPour(server.db, email);
    const r = expectStatus(await c.post('/api/inscription/confirmer', { json: { token: lienConfirmation(mail), password: PASSWORD } }), 200);
    assert.equal(r.json.email, email);
    // Confirmed: exactly one welcome mail, queued with the confirmation.
    assert.equal(courrielsPour(server.db, email).filter((m) => m.modele === 'bienvenue').length, 1);
    return { c, email, user: r.json };
  }

  it('bad input names the fields; nothing is created', async () => {
    const c = server.client();
    const r = await c.post('/api/inscription', { json: { email: 'pas-une-adresse', prenom: '', nom: 'X', password: 'court', cgu: false } });
    expectError(r, 400, 'validation', ['email', 'prenom', 'password', 'cgu']);
  });

  it('sign-up → confirmation mail; log-in refused until confirmed; the link logs in once', async () => {
    const email = `Nouvelle.${randomId()}@Exemple.fr`;
    const lower = email.toLowerCase();
    const c = server.client();
    const r = expectStatus(await c.post('/api/inscription', {
      json: { email, prenom: 'Nina', nom: 'Nouvelle', password: PASSWORD, cgu: true },
    }), 202);
    assert.match(r.json.message, /e-mail/);
    const mails = courrielsPour(server.db, lower);
    assert.equal(mails.length, 1);
    assert.equal(mails[0].modele, 'inscription_confirmation');
    assert.equal(mails[0].statut, 'en_attente');
    const token = lienConfirmation(mails[0]);

    // The administrators see the account as not confirmed yet.
    const listed = expectStatus(await admin.get(`/api/users?q=${encodeURIComponent(lower)}`), 200).json.items;
    assert.equal(listed.length, 1);
    assert.equal(listed[0].email_confirme, false);
    // Right password, address not confirmed: a clear refusal (and only after the password matched).
    expectError(await server.client().post('/api/auth/login', { json: { email: lower, password: PASSWORD } }), 403, 'email_non_confirme');
    expectError(await server.client().post('/api/auth/login', { json: { email: lower, password: 'pas le bon mot de passe' } }), 401, 'identifiants_invalides');

    // « Renvoyer le lien »: a new link, the older one stops working.
    expectStatus(await c.post('/api/inscription/renvoyer', { json: { email: lower } }), 202);
    const again = courrielsPour(server.db, lower);
    assert.equal(again.length, 2);
    const token2 = lienConfirmation(again[1]);
    assert.notEqual(token2, token);
    expectError(await c.post('/api/inscription/confirmer', { json: { token, password: PASSWORD } }), 410, 'lien_utilise');

    // The link alone is not enough: the password chosen in the form is asked.
    expectError(await c.post('/api/inscription/confirmer', { json: { token: token2, password: 'un autre mot de passe' } }), 400, 'validation', ['password']);
    const ok = expectStatus(await c.post('/api/inscription/confirmer', { json: { token: token2, password: PASSWORD } }), 200);
    assert.equal(ok.json.email, lower);
    assert.equal(ok.json.email_confirme, true);
    assert.deepEqual(ok.json.roles, []);
    assert.equal(expectStatus(await c.get('/api/me'), 200).json.email, lower, 'logged in by the confirmation');
    expectError(await server.client().post('/api/inscription/confirmer', { json: { token: token2, password: PASSWORD } }), 410, 'lien_utilise');
    expectError(await server.client().post('/api/inscription/confirmer', { json: { token: 'inconnu', password: PASSWORD } }), 404, 'lien_inconnu');
    // Now the account logs in normally.
    await server.login(lower, PASSWORD);
    expectStatus(await c.get('/api/inscription/parcours'), 200);
    assert.equal((await c.get('/api/inscription/parcours')).json.etape, 'profil');
  });

  it('an expired link is refused', async () => {
    const email = `expire.${randomId()}@exemple.fr`;
    expectStatus(await server.client().post('/api/inscription', { json: { email, prenom: 'E', nom: 'Xpire', password: PASSWORD, cgu: true } }), 202);
    const token = lienConfirmation(courrielsPour(server.db, email)[0]);
    dbExec(server.db, `UPDATE inscription_jetons SET expires_at = '2020-01-01T00:00:00.000Z' WHERE user_id = (SELECT id FROM users WHERE email = '${email}')`);
    expectError(await server.client().post('/api/inscription/confirmer', { json: { token, password: PASSWORD } }), 410, 'lien_expire');
  });

  it('an address that already has an account gets the same answer; its owner is told by mail', async () => {
    const nouveau = await server.client().post('/api/inscription', {
      json: { email: `autre.${randomId()}@exemple.fr`, prenom: 'A', nom: 'B', password: PASSWORD, cgu: true },
    });
    const existant = await server.client().post('/api/inscription', {
      json: { email: DEMO.lyon, prenom: 'Usurpateur', nom: 'X', password: PASSWORD, cgu: true },
    });
    expectStatus(existant, 202);
    assert.deepEqual(existant.json, nouveau.json, 'same answer whether the address has an account or not');
    const mails = courrielsPour(server.db, DEMO.lyon).filter((m) => m.modele === 'inscription_deja_inscrit');
    assert.equal(mails.length, 1);
    assert.match(mails[0].texte, /déjà un compte/);
    assert.match(mails[0].texte, /\/connexion/);
    // The account did not change: its password is still the demo one.
    await server.login(DEMO.lyon);
    // « Renvoyer le lien » for it: the same answer, and no link.
    const renvoi = expectStatus(await server.client().post('/api/inscription/renvoyer', { json: { email: DEMO.lyon } }), 202);
    assert.deepEqual(renvoi.json, nouveau.json);
    assert.equal(courrielsPour(server.db, DEMO.lyon).filter((m) => m.modele === 'inscription_confirmation').length, 0);
  });

  it('sign-up requests are limited per address', async () => {
    const email = `limite.${randomId()}@exemple.fr`;
    const body = { email, prenom: 'L', nom: 'Imite', password: PASSWORD, cgu: true };
    for (let i = 0; i < 3; i++) expectStatus(await server.client().post('/api/inscription', { json: body }), 202);
    expectError(await server.client().post('/api/inscription', { json: body }), 429, 'trop_de_tentatives');
    expectError(await server.client().post('/api/inscription/renvoyer', { json: { email } }), 429, 'trop_de_tentatives');
    // An address with an account is limited the same way (no difference to observe).
    for (let i = 0; i < 2; i++) expectStatus(await server.client().post('/api/inscription', { json: { ...body, email: DEMO.tulle } }), 202);
    expectStatus(await server.client().post('/api/inscription/renvoyer', { json: { email: DEMO.tulle } }), 202);
    expectError(await server.client().post('/api/inscription', { json: { ...body, email: DEMO.tulle } }), 429, 'trop_de_tentatives');
  });

  it('steps: profile once; structure found by SIRET vs created; bad SIRET → field error; lieux', async () => {
    const { c } = await inscrit();
    expectError(await c.post('/api/inscription/employeur', { json: { siret: randomSiret() } }), 403, 'acces_refuse');
    expectError(await c.post('/api/inscription/profil', { json: { profil: 'admin' } }), 400, 'validation', ['profil']);
    const p = expectStatus(await c.post('/api/inscription/profil', { json: { profil: 'conseiller_numerique' } }), 200).json;
    assert.equal(p.profil, 'conseiller_numerique');
    assert.equal(p.etape, 'structure');
    const me = expectStatus(await c.get('/api/me'), 200).json;
    assert.deepEqual(me.roles.map((r) => [r.role, r.conseiller_numerique]), [['mediateur', true]]);
    // Chosen once: a second choice (or a coordinator profile on top) is an administrator's.
    expectError(await c.post('/api/inscription/profil', { json: { profil: 'coordinateur' } }), 403, 'acces_refuse');

    // Bad SIRET → field error, both in the lookup and in the declaration.
    const siret = randomSiret();
    expectError(await c.get(`/api/inscription/structures?siret=${breakSiret(siret)}`), 400, 'validation', ['siret']);
    expectError(await c.post('/api/inscription/employeur', { json: { siret: breakSiret(siret) } }), 400, 'validation', ['siret']);
    // Unknown SIRET: nothing found; the declaration asks for name, commune and address.
    assert.deepEqual(expectStatus(await c.get(`/api/inscription/structures?siret=${siret}`), 200).json.items, []);
    expectError(await c.post('/api/inscription/employeur', { json: { siret } }), 400, 'validation', ['nom', 'commune_insee', 'adresse']);
    expectError(await c.post('/api/inscription/employeur', {
      json: { siret, nom: 'Asso', commune_insee: '99999', adresse: '1 rue' },
    }), 400, 'validation', ['commune_insee']);
    const cree = expectStatus(await c.post('/api/inscription/employeur', {
      json: { siret, nom: `Association Inscrite ${randomId()}`, commune_insee: '69383', adresse: '3 rue de la Paix' },
    }), 201).json;
    assert.equal(cree.structure_creee, true);
    assert.equal(cree.sans_gestionnaire, true, 'a new structure has no gestionnaire');
    assert.equal(cree.emploi.statut, 'en_attente');
    expectError(await c.post('/api/inscription/employeur', { json: { siret } }), 409, 'doublon', ['siret']);

    // The structure is now found by its SIRET, with its name and commune, by someone else.
    const { c: c2 } = await inscrit({ prenom: 'Deuxième' });
    expectStatus(await c2.post('/api/inscription/profil', { json: { profil: 'coordinateur' } }), 200);
    const found = expectStatus(await c2.get(`/api/inscription/structures?siret=${siret}`), 200).json.items;
    assert.equal(found.length, 1);
    assert.equal(found[0].id, cree.emploi.structure_id);
    assert.equal(found[0].commune_nom, 'Lyon 3e Arrondissement');
    const rejoint = expectStatus(await c2.post('/api/inscription/employeur', { json: { siret } }), 201).json;
    assert.equal(rejoint.structure_creee, false);
    assert.equal(rejoint.emploi.structure_id, cree.emploi.structure_id);
    assert.equal((await c2.get('/api/inscription/parcours')).json.etape, 'premiers_pas', 'a coordinator has no lieux step');

    // Lieux d'activité: the employer (existing route), and a new place.
    assert.equal((await c.get('/api/inscription/parcours')).json.etape, 'lieux');
    expectStatus(await c.post('/api/lieux-activite', { json: { structure_id: cree.emploi.structure_id } }), 201);
    expectError(await c.post('/api/inscription/lieux', { json: { nom: '', commune_insee: '' } }), 400, 'validation', ['nom', 'commune_insee']);
    const lieu = expectStatus(await c.post('/api/inscription/lieux', {
      json: { nom: `Médiathèque ${randomId()}`, commune_insee: '69381', adresse: '1 place' },
    }), 201).json;
    assert.equal(lieu.commune_nom, 'Lyon 1er Arrondissement');
    const lieux = expectStatus(await c.get('/api/lieux-activite'), 200).json.items;
    assert.equal(lieux.length, 2);
    // Found by name for another mediator.
    const byName = expectStatus(await c2.get(`/api/inscription/structures?q=${encodeURIComponent(lieu.nom.slice(0, 20))}`), 200).json.items;
    assert.ok(byName.some((s) => s.id === lieu.structure_id));
    const parcours = expectStatus(await c.get('/api/inscription/parcours'), 200).json;
    assert.equal(parcours.etape, 'premiers_pas');
    assert.equal(parcours.lieux, 2);
    assert.equal(parcours.emplois[0].statut, 'en_attente');

    // Nobody manages the new structure: the administrators were told (mail + notification).
    const adminMails = courrielsPour(server.db, DEMO.admin).filter((m) => m.modele === 'inscription_emploi_a_confirmer');
    assert.ok(adminMails.some((m) => /pas de gestionnaire/.test(m.texte)));
  });

  it('pending employment: not in the team nor the structure; gestionnaire told; confirms; another gestionnaire refused', async () => {
    const { socket } = { socket: await openSocket(server, gestion) };
    const { c, email, user } = await inscrit({ prenom: 'Paula', nom: 'Pending' });
    expectStatus(await c.post('/api/inscription/profil', { json: { profil: 'mediateur' } }), 200);
    // The demo structure has no SIRET: give it one, as its gestionnaire would.
    let siret = bachut.siret;
    if (!siret) {
      siret = randomSiret();
      expectStatus(await gestion.patch(`/api/structures/${bachut.id}`, { json: { siret } }), 200);
    }
    const found = expectStatus(await c.get(`/api/inscription/structures?siret=${siret}`), 200).json.items;
    assert.equal(found[0].nom, DEMO_STRUCTURES.bachut);
    const decl = expectStatus(await c.post('/api/inscription/employeur', { json: { siret } }), 201).json;
    assert.equal(decl.sans_gestionnaire, false);
    const eid = decl.emploi.id;

    // The gestionnaire is told: in-app notification and a mail.
    const notif = await socket.inbox.next((m) => m.type === 'notification' && m.kind === 'emploi_a_confirmer', 3000, 'notification');
    assert.match(notif.message, /Paula Pending/);
    const mails = courrielsPour(server.db, DEMO.gestion).filter((m) => m.modele === 'inscription_emploi_a_confirmer');
    assert.ok(mails.some((m) => m.texte.includes(email) && m.texte.includes(`/structures/${bachut.id}`)));
    socket.ws.close();

    // Pending: the person may record CRAs, but does not open the structure.
    expectStatus(await c.post('/api/activites', {
      json: { type: 'individuel', date: todayParis(), duree: 30, type_lieu: 'domicile',
              commune_insee: '69383', code_postal: '69003', materiel: ['aucun'], thematiques: ['email'] },
    }), 201);
    expectError(await c.get(`/api/structures/${bachut.id}`), 403, 'acces_refuse');
    const pending = expectStatus(await gestion.get(`/api/statistiques?perimetre=structure:${bachut.id}&mediateurs=${user.id}`), 200).json;
    assert.equal(pending.totaux.activites, 0, 'a pending employment does not count for the structure');
    const list = expectStatus(await gestion.get(`/api/structures/${bachut.id}/employes`), 200).json.items;
    assert.equal(list.find((e) => e.id === eid).statut, 'en_attente');

    // A gestionnaire of another structure cannot decide; a wrong structure id is 404.
    const otherEmail = `gestion.autre.${randomId()}@exemple.fr`;
    const structures = await allPages(admin, '/api/structures');
    const other = structures.find((s) => s.nom === DEMO_STRUCTURES.connexions);
    expectStatus(await admin.post('/api/users', {
      json: { email: otherEmail, nom: 'Autre', prenom: 'Gestion', password: PASSWORD, roles: [{ role: 'gestionnaire_structure', structure_id: other.id }] },
    }), 201);
    const otherGestion = await server.login(otherEmail, PASSWORD);
    expectError(await otherGestion.post(`/api/structures/${bachut.id}/employes/${eid}/confirmer`, { json: {} }), 403, 'acces_refuse');
    expectError(await otherGestion.post(`/api/structures/${other.id}/employes/${eid}/confirmer`, { json: {} }), 404, 'introuvable');
    expectError(await c.post(`/api/structures/${bachut.id}/employes/${eid}/confirmer`, { json: {} }), 403, 'acces_refuse');

    // The gestionnaire confirms: the person is told, and now opens the structure.
    const personSocket = await openSocket(server, c);
    const ok = expectStatus(await gestion.post(`/api/structures/${bachut.id}/employes/${eid}/confirmer`, { json: {} }), 200).json;
    assert.equal(ok.statut, 'confirme');
    const told = await personSocket.inbox.next((m) => m.type === 'notification' && m.kind === 'emploi_confirme', 3000, 'notification');
    assert.match(told.message, /confirmé/);
    personSocket.ws.close();
    assert.ok(courrielsPour(server.db, email).some((m) => m.modele === 'inscription_emploi_confirme'));
    expectStatus(await c.get(`/api/structures/${bachut.id}`), 200);
    expectError(await gestion.post(`/api/structures/${bachut.id}/employes/${eid}/refuser`, { json: {} }), 409, 'conflit');
    // The statistics count the person's CRA at the structure from now on (not while pending).
    const after = expectStatus(await gestion.get(`/api/statistiques?perimetre=structure:${bachut.id}&mediateurs=${user.id}`), 200).json;
    assert.equal(after.totaux.activites, 1);
  });

  it('the gestionnaire refuses with a reason; the person is told', async () => {
    const { c, email } = await inscrit({ prenom: 'Rita', nom: 'Refusee' });
    expectStatus(await c.post('/api/inscription/profil', { json: { profil: 'mediateur' } }), 200);
    const structures = await allPages(admin, '/api/structures');
    const s1 = structures.find((s) => s.id === bachut.id);
    const decl = expectStatus(await c.post('/api/inscription/employeur', { json: { siret: s1.siret } }), 201).json;
    const eid = decl.emploi.id;
    expectError(await gestion.post(`/api/structures/${bachut.id}/employes/${eid}/refuser`, { json: { motif: 'x'.repeat(501) } }), 400, 'validation', ['motif']);
    const r = expectStatus(await gestion.post(`/api/structures/${bachut.id}/employes/${eid}/refuser`, {
      json: { motif: 'Personne inconnue dans notre structure' },
    }), 200).json;
    assert.equal(r.statut, 'refuse');
    assert.equal(r.motif_refus, 'Personne inconnue dans notre structure');
    const mail = courrielsPour(server.db, email).find((m) => m.modele === 'inscription_emploi_refuse');
    assert.match(mail.texte, /Personne inconnue dans notre structure/);
    expectError(await c.get(`/api/structures/${bachut.id}`), 403, 'acces_refuse');
    assert.equal((await c.get('/api/inscription/parcours')).json.etape, 'structure', 'refused: name another structure');
  });

  it('a pending invitation is taken into account at confirmation', async () => {
    const email = `invitee.${randomId()}@exemple.fr`;
    expectStatus(await gestion.post('/api/invitations', { json: { email, role: 'mediateur', structure_id: bachut.id } }), 201);
    const c = server.client();
    expectStatus(await c.post('/api/inscription', { json: { email, prenom: 'Ines', nom: 'Invitee', password: PASSWORD, cgu: true } }), 202);
    const mail = courrielsPour(server.db, email).find((m) => m.modele === 'inscription_confirmation');
    const u = expectStatus(await c.post('/api/inscription/confirmer', { json: { token: lienConfirmation(mail), password: PASSWORD } }), 200).json;
    assert.deepEqual(u.roles.map((r) => r.role), ['mediateur']);
    const p = expectStatus(await c.get('/api/inscription/parcours'), 200).json;
    assert.equal(p.emplois[0].statut, 'confirme', 'invited by the gestionnaire: confirmed');
    assert.equal(p.emplois[0].structure_id, bachut.id);
    assert.equal(p.etape, 'lieux');
    const invs = expectStatus(await gestion.get('/api/invitations'), 200).json.items;
    assert.ok(invs.find((i) => i.email === email).accepted_at);
  });

  it('sign-up requests are limited per client address', async () => {
    const small = await startServer({ demo: false, args: ['--signup-max-per-ip', '2'] });
    try {
      for (let i = 0; i < 2; i++)
        expectStatus(await small.client().post('/api/inscription', {
          json: { email: `ip.${randomId()}@exemple.fr`, prenom: 'I', nom: 'P', password: PASSWORD, cgu: true },
        }), 202);
      expectError(await small.client().post('/api/inscription', {
        json: { email: `ip.${randomId()}@exemple.fr`, prenom: 'I', nom: 'P', password: PASSWORD, cgu: true },
      }), 429, 'trop_de_tentatives');
    } finally {
      await small.dispose();
    }
  });
});
