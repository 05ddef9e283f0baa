// Lieux de médiation numérique (features/lieux) against a real server, on the engine of
// COOP_IT_ENGINE: the admin import of the fixture files (clean, dirty) and its report, its
// idempotence, the exports and their round trip, edit rights, validation and history, the
// public API v1.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import {
  startServer, createDatabase, COOP_BIN, ENGINE, DEMO, DEMO_STRUCTURES, REPO, expectStatus, expectError, allPages, courrielsPour,
} from './harness.mjs';

const fixture = (nom) => readFileSync(path.join(REPO, 'tests/fixtures/lieux', nom), 'utf8');

function formulaire(nom, texte, source) {
  const form = new FormData();
  form.append('fichier', new Blob([texte], { type: nom.endsWith('.json') ? 'application/json' : 'text/csv' }), nom);
  if (source) form.append('source', source);
  return form;
}

async function tousLesLieux(client, query = '') {
  const out = [];
  let apres = 0;
  for (;;) {
    const r = expectStatus(await client.get(`/api/lieux?limite=200&apres=${apres}${query}`), 200).json;
    out.push(...r.lieux);
    if (r.suivant === null) return out;
    apres = r.suivant;
  }
}

describe(`lieux [${ENGINE}]`, () => {
  let server, admin, mediatrice, gestion;
  const ids = {};

  before(async () => {
    server = await startServer();
    admin = server.client();
    await admin.login(DEMO.admin);
    mediatrice = server.client();
    await mediatrice.login(DEMO.mediatrice);
    gestion = server.client();
    await gestion.login(DEMO.gestion);
    const structures = await allPages(admin, '/api/structures');
    ids.s1 = structures.find((s) => s.nom === DEMO_STRUCTURES.bachut).id;
    ids.s2 = structures.find((s) => s.nom === DEMO_STRUCTURES.connexions).id;
  });
  after(async () => {
    if (server) await server.stop();
  });

  it('demo: the structures have their sheet, the demo lieux are listed and filtered', async () => {
    const tous = await tousLesLieux(admin);
    assert.ok(tous.length >= 35, `${tous.length} lieux`);
    const bachut = tous.find((l) => l.structure_id === ids.s1);
    assert.ok(bachut, 'the sheet of structure 1');
    assert.equal(bachut.champs.nom, DEMO_STRUCTURES.bachut);
    assert.equal(bachut.champs.commune, 'Lyon');
    assert.equal(bachut.source_import, 'coop');
    const lyon = expectStatus(await mediatrice.get('/api/lieux?q=lyon&departement=69&limite=3&apres=0'), 200).json;
    assert.equal(lyon.lieux.length, 3);
    assert.ok(lyon.total >= 7);
    assert.notEqual(lyon.suivant, null);
    for (const l of lyon.lieux) assert.equal(l.champs.code_postal.slice(0, 2), '69');
    const fs = expectStatus(await mediatrice.get(`/api/lieux?service=${encodeURIComponent('Aide aux démarches administratives')}`), 200).json;
    assert.ok(fs.lieux.every((l) => l.champs.services.split('|').includes('Aide aux démarches administratives')));
    expectError(await mediatrice.get('/api/lieux?service=inconnu'), 400, 'validation', ['service']);
  });

  it('import: clean file, report, idempotence; dirty file: per-row report, rejected CSV, duplicate proposal', async () => {
    const r1 = expectStatus(await admin.post('/api/admin/lieux/import', { body: formulaire('propre.csv', fixture('propre.csv'), 'paris') }), 200).json;
    assert.equal(r1.format, 'csv');
    assert.deepEqual([r1.lignes, r1.crees, r1.modifies, r1.inchanges, r1.rejetes], [4, 4, 0, 0, 0]);
    assert.equal(r1.rejets_csv, null);
    const r2 = expectStatus(await admin.post('/api/admin/lieux/import', { body: formulaire('propre.csv', fixture('propre.csv'), 'paris') }), 200).json;
    assert.deepEqual([r2.crees, r2.modifies, r2.inchanges], [0, 0, 4]);
    assert.match(r2.resume, /4 inchangée\(s\)/);

    const sale = expectStatus(await admin.post('/api/admin/lieux/import', { body: formulaire('sale.csv', fixture('sale.csv')) }), 200).json;
    assert.deepEqual([sale.lignes, sale.crees, sale.rejetes], [7, 3, 4]);
    assert.equal(sale.doublons, 1);
    // (The clean file's « France Services Marseille 3e » was already proposed against the demo's
    // « France Services de Marseille », same postal code, similar names.)
    const doublons = expectStatus(await admin.get('/api/admin/lieux/doublons'), 200).json.doublons;
    const duras = doublons.filter((d) => d.autre.nom === 'Médiathèque Duras (copie)');
    assert.equal(duras.length, 1);
    assert.equal(duras[0].lieu.nom, 'Médiathèque Marguerite Duras');
    assert.equal(duras[0].statut, 'propose');
    assert.ok(duras[0].distance_m < 1);
    assert.match(duras[0].raisons, /même SIRET\/RNA/);
    const ligne3 = sale.details.find((d) => d.ligne === 3);
    assert.equal(ligne3.statut, 'rejete');
    assert.deepEqual(ligne3.erreurs, [{ champ: 'code_postal', message: 'code_postal : 5 chiffres attendus, reçu « 7500 »' }]);
    const ligne2 = sale.details.find((d) => d.ligne === 2);
    assert.equal(ligne2.statut, 'cree');
    assert.ok(ligne2.avertissements.some((a) => a.champ === 'telephone' && a.message.includes('+33155253030')));
    assert.ok(ligne2.avertissements.some((a) => a.champ === 'services' && a.message.includes('séparateur « ; »')));
    const ligne5 = sale.details.find((d) => d.ligne === 5);
    assert.ok(ligne5.avertissements.some((a) => a.champ === 'modalites_acces' && a.message.includes("Ce lieu n'accueille pas de public")));
    assert.ok(sale.rejets_csv.startsWith('ligne,motif,id,pivot,'));
    assert.equal(sale.rejets_csv.trim().split('\r\n').length, 5);

    // JSON, raw body with ?source=.
    const json = expectStatus(await admin.post('/api/admin/lieux/import?source=nantes', {
      body: fixture('propre.json'), headers: { 'content-type': 'application/json' },
    }), 200).json;
    assert.deepEqual([json.format, json.crees], ['json', 2]);
    // Unreadable files: a French error naming the field.
    const vide = await admin.post('/api/admin/lieux/import', { body: formulaire('x.csv', 'a,b\n1,2\n') });
    expectError(vide, 400, 'validation', ['fichier']);
    assert.match(vide.json.error.fields.fichier, /en-tête du standard introuvable/);
    expectError(await gestion.post('/api/admin/lieux/import', { body: formulaire('propre.csv', fixture('propre.csv')) }), 403, 'acces_refuse');
  });

  it('export: CSV of the standard with the recommended name, JSON and data.inclusion; a re-import gives the same lieux', async () => {
    const csv = await admin.get('/api/lieux/export?format=csv');
    expectStatus(csv, 200);
    assert.match(csv.headers.get('content-disposition'), /filename="\d{4}-\d{2}-\d{2}_coop_lieux-de-mediation-numerique_france\.csv"/);
    assert.ok(csv.text.startsWith('id,pivot,nom,commune,code_postal,code_insee,adresse,complement_adresse,latitude,longitude,typologie,'));
    const avant = await tousLesLieux(admin);
    // Re-importing the CSV export into another source creates the same lieux, field for field.
    const retour = expectStatus(await admin.post('/api/admin/lieux/import?source=retour', {
      body: csv.text, headers: { 'content-type': 'text/csv' },
    }), 200).json;
    assert.equal(retour.crees, avant.length);
    assert.equal(retour.rejetes, 0);
    // The only warnings: opening hours the parser rejects, kept as they were (« Sun » of the dirty file).
    const avertis = retour.details.flatMap((d) => d.avertissements);
    assert.equal(retour.avertissements, avertis.length);
    assert.equal(avertis.length, avant.filter((l) => l.horaires_valides === false).length);
    assert.ok(avertis.every((a) => a.champ === 'horaires' && /illisibles/.test(a.message)), JSON.stringify(avertis));
    const apres = await tousLesLieux(admin);
    const copies = new Map(apres.filter((l) => l.source_import === 'retour').map((l) => [l.champs.id, l.champs]));
    for (const l of avant) assert.deepEqual(copies.get(l.champs.id), l.champs, l.champs.id);
    // And the JSON export re-imported into the same source changes nothing.
    const json = expectStatus(await admin.get('/api/lieux/export?format=json'), 200).json;
    assert.equal(json.length, apres.length);
    const bis = expectStatus(await admin.post('/api/admin/lieux/import?source=retour', {
      body: JSON.stringify(json.filter((l) => copies.has(l.id))), headers: { 'content-type': 'application/json' },
    }), 200).json;
    assert.deepEqual([bis.crees, bis.modifies, bis.inchanges], [0, 0, avant.length]);
    const di = expectStatus(await admin.get('/api/lieux/export?format=data-inclusion'), 200).json;
    assert.equal(di.structures.length, apres.length);
    assert.ok(di.services.length > 0);
    assert.ok(di.services.every((s) => s.thematiques.every((t) => t.startsWith('numerique--'))));
    expectError(await admin.get('/api/lieux/export?format=xlsx'), 400, 'validation', ['format']);
  });

  it('edit: rights, validation in French, history with the author', async () => {
    const s1 = expectStatus(await mediatrice.post(`/api/structures/${ids.s1}/lieu`), 200).json;
    assert.equal(s1.peut_modifier, true);
    const s2 = expectStatus(await admin.post(`/api/structures/${ids.s2}/lieu`), 200).json;
    expectError(await mediatrice.post(`/api/structures/${ids.s2}/lieu`), 403, 'acces_refuse');
    assert.equal(expectStatus(await mediatrice.get(`/api/lieux/${s2.id}`), 200).json.peut_modifier, false);

    const edit = expectStatus(await mediatrice.put(`/api/lieux/${s1.id}`, {
      json: { telephone: '04 72 00 00 10', prise_rdv: 'https://rdv.example.fr/bachut', services: ['Aide aux démarches administratives'], modalites_acces: 'Se présenter', visible_carte: true },
    }), 200).json;
    assert.equal(edit.champs.telephone, '+33472000010');
    assert.ok(edit.avertissements.some((a) => a.champ === 'telephone'));
    assert.ok(edit.changements.some((c) => c.champ === 'prise_rdv' && c.apres === 'https://rdv.example.fr/bachut'));
    assert.equal(edit.sur_la_carte, true);
    const bad = await mediatrice.put(`/api/lieux/${s1.id}`, { json: { code_postal: '7500', id: 'autre' } });
    expectError(bad, 400, 'validation', ['code_postal', 'id']);
    assert.equal(bad.json.error.fields.code_postal, 'code_postal : 5 chiffres attendus, reçu « 7500 »');
    expectError(await mediatrice.put(`/api/lieux/${s2.id}`, { json: { telephone: '+33100000000' } }), 403, 'acces_refuse');
    expectStatus(await gestion.put(`/api/lieux/${s1.id}`, { json: { visible_carte: false } }), 200);
    expectError(await gestion.put(`/api/lieux/${s2.id}`, { json: { visible_carte: false } }), 403, 'acces_refuse');
    // An imported lieu (no structure): administrators only.
    const importe = (await tousLesLieux(admin, '&q=guillotiere'))[0];
    assert.equal(importe.structure_id, null);
    expectError(await gestion.put(`/api/lieux/${importe.id}`, { json: { horaires: 'Mo 10:00-12:00' } }), 403, 'acces_refuse');
    const parAdmin = expectStatus(await admin.put(`/api/lieux/${importe.id}`, { json: { horaires: 'Mo 10:00-12:00' } }), 200).json;
    assert.equal(parAdmin.champs.horaires, 'Mo 10:00-12:00');

    const h = expectStatus(await mediatrice.get(`/api/lieux/${s1.id}/historique`), 200).json.historique;
    assert.equal(h[0].origine, 'edition');
    assert.deepEqual(h[0].changements, [{ champ: 'visible_carte', avant: 'oui', apres: 'non' }]);
    assert.equal(h[1].auteur_nom, 'Maëlle Médiatrice');
    assert.ok(h[1].changements.some((c) => c.champ === 'telephone' && c.apres === '+33472000010'));
    assert.equal(h.at(-1).origine, 'creation');
    expectError(await mediatrice.get('/api/lieux/999999'), 404, 'introuvable');
  });

  it('lieu page: hours in French, the live check of a value, the fiche by e-mail, « signaler une erreur » to the gestionnaires', async () => {
    const fiche = expectStatus(await gestion.post(`/api/structures/${ids.s1}/lieu`), 200).json;
    const valide = expectStatus(await gestion.put(`/api/lieux/${fiche.id}`, { json: { horaires: 'Mo-Fr 09:00-12:00,14:00-18:30; Sa,Su off' } }), 200).json;
    assert.equal(valide.horaires_semaine.length, 7);
    assert.ok(valide.horaires_semaine.some((l) => /^Lundi( \d+ \S+ \([^)]+\))? : (9h00 – 12h00, 14h00 – 18h30|fermé)$/.test(l)), valide.horaires_semaine.join(' / '));
    assert.ok(valide.horaires_semaine.some((l) => /^Dimanche.* : fermé$/.test(l)));
    assert.match(valide.etat, /^(Ouvert|Fermé)/);
    assert.equal(typeof valide.ouvert, 'boolean');
    assert.equal(valide.horaires_erreur, null);
    const lu = expectStatus(await mediatrice.get(`/api/lieux/${fiche.id}`), 200).json;
    assert.deepEqual(lu.horaires_semaine, valide.horaires_semaine);

    // Live check: the strict parser's French message, never a guess.
    const faux = expectStatus(await mediatrice.get(`/api/lieux/horaires?valeur=${encodeURIComponent('Sun 10:00-12:00')}`), 200).json;
    assert.equal(faux.valide, false);
    assert.match(faux.erreur, /^horaires : caractère 1/);
    assert.deepEqual(faux.horaires_semaine, []);
    assert.equal(faux.etat, 'horaires non renseignés');
    const ok = expectStatus(await mediatrice.get(`/api/lieux/horaires?valeur=${encodeURIComponent('Mo-Fr 09:00-12:00')}`), 200).json;
    assert.equal(ok.valide, true);
    assert.equal(ok.normalise, 'Mo-Fr 09:00-12:00');
    assert.equal(ok.horaires_semaine.length, 7);
    expectError(await mediatrice.get(`/api/lieux/horaires?valeur=${'a'.repeat(2001)}`), 400, 'validation', ['valeur']);

    // An invalid stored value: « horaires non renseignés » with the parser's message.
    const illisible = expectStatus(await admin.put(`/api/lieux/${fiche.id}`, { json: { horaires: 'Sun 10:00-12:00' } }), 200).json;
    assert.deepEqual(illisible.horaires_semaine, []);
    assert.equal(illisible.etat, 'horaires non renseignés');
    assert.equal(illisible.ouvert, null);
    assert.match(illisible.horaires_erreur, /caractère 1/);

    // The fiche by e-mail.
    expectError(await mediatrice.post(`/api/lieux/${fiche.id}/envoi`, { json: { destinataire: 'pas-une-adresse' } }), 400, 'validation', ['destinataire']);
    expectError(await mediatrice.post(`/api/lieux/${fiche.id}/envoi`, { json: {} }), 400, 'validation', ['destinataire']);
    expectError(await mediatrice.post('/api/lieux/999999/envoi', { json: { destinataire: 'x@exemple.fr' } }), 404);
    const personne = `personne.${Date.now()}@exemple.fr`;
    assert.equal(expectStatus(await mediatrice.post(`/api/lieux/${fiche.id}/envoi`, { json: { destinataire: personne } }), 201).json.destinataires, 1);
    const [mail] = courrielsPour(server.db, personne);
    assert.equal(mail.modele, 'fiche_lieu');
    assert.ok(mail.sujet.includes(DEMO_STRUCTURES.bachut), mail.sujet);
    assert.match(mail.texte, /Horaires : horaires non renseignés/);

    // « Signaler une erreur »: to the gestionnaires of structure 1.
    expectError(await mediatrice.post(`/api/lieux/${fiche.id}/signalements`, { json: { message: '  ' } }), 400, 'validation', ['message']);
    expectError(await mediatrice.post(`/api/lieux/${fiche.id}/signalements`, { json: { message: 'x'.repeat(2001) } }), 400, 'validation', ['message']);
    const avant = courrielsPour(server.db, DEMO.gestion).filter((m) => m.modele === 'signalement_lieu').length;
    const r = expectStatus(await mediatrice.post(`/api/lieux/${fiche.id}/signalements`, { json: { message: 'Le numéro de téléphone a changé.' } }), 201).json;
    assert.ok(r.destinataires >= 1);
    const alertes = courrielsPour(server.db, DEMO.gestion).filter((m) => m.modele === 'signalement_lieu');
    assert.equal(alertes.length, avant + 1);
    assert.match(alertes.at(-1).texte, /Le numéro de téléphone a changé\./);
    assert.match(alertes.at(-1).texte, new RegExp(`/lieux/${fiche.id}`));

    // Mails sent on one's behalf are limited: 10 fiches an hour per person (the 11th is refused,
    // nothing queued); someone else may still send.
    for (let i = 2; i <= 10; i++)
      expectStatus(await mediatrice.post(`/api/lieux/${fiche.id}/envoi`, { json: { destinataire: `n${i}.${personne}` } }), 201);
    const trop = `trop.${personne}`;
    expectError(await mediatrice.post(`/api/lieux/${fiche.id}/envoi`, { json: { destinataire: trop } }), 429, 'trop_d_envois');
    assert.equal(courrielsPour(server.db, trop).length, 0);
    expectStatus(await gestion.post(`/api/lieux/${fiche.id}/envoi`, { json: { destinataire: trop } }), 201);
  });

  it('public API v1: scope « lieux », cursor pagination', async () => {
    const created = expectStatus(await admin.post('/api/admin/clients-api', { json: { nom: 'Carto lieux', scopes: ['lieux'] } }), 201).json;
    const client = server.client({ headers: { authorization: `Basic ${Buffer.from(`${created.client_id}:${created.client_secret}`).toString('base64')}` } });
    const vus = new Set();
    let url = '/api/v1/lieux?page[size]=20';
    let pages = 0;
    while (url) {
      const page = expectStatus(await client.get(url), 200).json;
      for (const d of page.data) {
        assert.equal(d.type, 'lieu');
        assert.ok(!vus.has(d.id));
        vus.add(d.id);
        assert.equal(typeof d.attributes.services, 'string');
        assert.ok('sur_la_carte' in d.attributes);
      }
      url = page.links.next;
      pages++;
    }
    const total = (await tousLesLieux(admin)).length;
    assert.equal(vus.size, total);
    assert.equal(pages, Math.ceil(total / 20));
    expectError(await mediatrice.get('/api/v1/lieux'), 401, 'non_authentifie');
  });
});

describe(`coop import lieux / export lieux / lieux doublons [${ENGINE}]`, () => {
  let db;
  before(() => {
    db = createDatabase();
  });
  after(() => db?.dispose());
  const coop = (args, cwd = REPO) =>
    execFileSync(COOP_BIN, ['--database', db.url, '--log-level', 'warn', ...args], { encoding: 'utf8', cwd, timeout: 120_000 });

  it('prints the French report, writes the rejected rows, is idempotent, exports under the recommended name', () => {
    const fixtures = path.join(REPO, 'tests/fixtures/lieux');
    const premier = coop(['import', 'lieux', path.join(fixtures, 'propre.csv'), '--source', 'paris']);
    assert.match(premier, /Import des lieux \(CSV\) : 4 ligne\(s\) lue\(s\) — 4 créée\(s\), 0 modifiée\(s\), 0 inchangée\(s\), 0 rejetée\(s\)/);
    const second = coop(['import', 'lieux', path.join(fixtures, 'propre.csv'), '--source', 'paris']);
    assert.match(second, /0 créée\(s\), 0 modifiée\(s\), 4 inchangée\(s\)/);
    const rejets = path.join(db.dir, 'rejets.csv');
    const sale = coop(['import', 'lieux', path.join(fixtures, 'sale.csv'), '--rejets', rejets]);
    assert.match(sale, /3 créée\(s\), 0 modifiée\(s\), 0 inchangée\(s\), 4 rejetée\(s\)/);
    assert.match(sale, /Ligne 3 \(id « s-2 »\) : REJETÉE\n  erreur — code_postal : 5 chiffres attendus, reçu « 7500 »/);
    assert.match(sale, /corrigé — telephone : numéro « 01 55 25 30 30 » mis au format international « \+33155253030 »/);
    const lignes = readFileSync(rejets, 'utf8').trim().split('\r\n');
    assert.equal(lignes.length, 5);
    assert.ok(lignes[0].startsWith('ligne,motif,id,pivot,nom,'));
    assert.match(coop(['import', 'lieux', path.join(fixtures, 'ancien-point-virgule.csv')]), /CSV séparé par « ; »\) : 1 ligne\(s\) lue\(s\) — 1 créée\(s\)/);
    assert.match(coop(['lieux', 'doublons']), /1 doublon\(s\) proposé\(s\) à la fusion :\n  #\d+ : lieu \d+ « Médiathèque Marguerite Duras » \(paris\) et lieu \d+ « Médiathèque Duras \(copie\) »/);
    const dossier = db.dir;
    const sortie = coop(['export', 'lieux'], dossier);
    const nom = readdirSync(dossier).find((f) => /^\d{4}-\d{2}-\d{2}_coop_lieux-de-mediation-numerique_france\.csv$/.test(f));
    assert.ok(nom, `recommended file name in ${readdirSync(dossier)}`);
    assert.match(sortie, /8 lieu\(x\) exporté\(s\)/);
    const json = JSON.parse(coop(['export', 'lieux', '--format', 'json', '--out', '-']));
    assert.equal(json.length, 8);
    const di = path.join(dossier, 'di.json');
    coop(['export', 'lieux', '--format', 'data-inclusion', '--out', di]);
    assert.ok(existsSync(di));
    assert.equal(JSON.parse(readFileSync(di, 'utf8')).structures.length, 8);
  });
});
