// Merging duplicate lieux (issue 12 point 2) against a real server, on the engine of
// COOP_IT_ENGINE: a proposed pair side by side with its default choices, the merge (chosen
// values, the retired lieu's old id, history, the search index, a structure's sheet moving to
// the survivor), re-importing both source files after the merge (nothing created, nothing
// changed), « ce ne sont pas des doublons » (never proposed again), the errors.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, ENGINE, DEMO, DEMO_STRUCTURES, REPO, expectStatus, expectError, allPages, todayParis } from './harness.mjs';

const fixture = (nom) => readFileSync(path.join(REPO, 'tests/fixtures/lieux', nom), 'utf8');
const ENTETE = fixture('propre.csv').split('\n')[0].trim().split(',');

function formulaire(nom, texte, source) {
  const form = new FormData();
  form.append('fichier', new Blob([texte], { type: 'text/csv' }), nom);
  if (source) form.append('source', source);
  return form;
}
const cellule = (v) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
function csv(lignes) {
  return [ENTETE.join(','), ...lignes.map((l) => ENTETE.map((c) => cellule(String(l[c] ?? ''))).join(','))].join('\n') + '\n';
}

describe(`lieux: doublons et fusion [${ENGINE}]`, () => {
  let server, admin, mediatrice;
  const importer = async (nom, texte, source) =>
    expectStatus(await admin.post('/api/admin/lieux/import', { body: formulaire(nom, texte, source) }), 200).json;
  const doublons = async () => expectStatus(await admin.get('/api/admin/lieux/doublons'), 200).json.doublons;

  before(async () => {
    server = await startServer();
    admin = server.client();
    await admin.login(DEMO.admin);
    mediatrice = server.client();
    await mediatrice.login(DEMO.mediatrice);
  });
  after(async () => {
    if (server) await server.stop();
  });

  it('merges two lieux with the values chosen; the retired one maps to the survivor; re-imports change nothing', async () => {
    await importer('propre.csv', fixture('propre.csv'), 'paris');
    await importer('sale.csv', fixture('sale.csv'));
    const paire = (await doublons()).find((d) => d.autre.nom === 'Médiathèque Duras (copie)');
    assert.ok(paire);
    const detail = expectStatus(await admin.get(`/api/admin/lieux/doublons/${paire.id}`), 200).json;
    assert.equal(detail.lieu.champs.nom, 'Médiathèque Marguerite Duras');
    assert.equal(detail.autre.champs.nom, 'Médiathèque Duras (copie)');
    assert.equal(detail.fusionnable, true);
    assert.equal(detail.motif, null);
    assert.equal(Object.keys(detail.choix_proposes).length, 32);
    assert.equal(detail.choix_proposes.id, detail.survivant_propose);
    // presentation_resume: only the Paris lieu has one.
    assert.equal(detail.choix_proposes.presentation_resume, 'lieu');
    // A CRA oriented towards the lieu about to be retired (its first service, if any).
    const bachut = (await allPages(admin, '/api/structures')).find((s) => s.nom === DEMO_STRUCTURES.bachut).id;
    const cra = expectStatus(
      await mediatrice.post('/api/activites', {
        json: {
          type: 'individuel', date: todayParis(-1), duree: 30, type_lieu: 'lieu_activite', lieu_activite_id: bachut,
          thematiques: ['aide_aux_demarches_administratives'], demarches: ['logement'], orientation_lieu_id: detail.lieu.id,
        },
      }),
      201,
    ).json;
    assert.equal(cra.orientation_lieu_id, detail.lieu.id);
    // Merge into the copy, keeping Paris's name and hours.
    const f = expectStatus(
      await admin.post(`/api/admin/lieux/doublons/${paire.id}/fusion`, {
        json: { survivant: 'autre', choix: { nom: 'lieu', horaires: 'lieu' } },
      }),
      200,
    ).json;
    assert.equal(f.lieu.id, detail.autre.id);
    assert.equal(f.retire_id, detail.lieu.id);
    assert.equal(f.lieu.champs.nom, 'Médiathèque Marguerite Duras');
    assert.equal(f.lieu.champs.id, 's-1');
    assert.equal(f.lieu.champs.horaires, detail.lieu.champs.horaires);
    assert.equal(f.lieu.horaires_valides, true);
    assert.equal(f.lieu.champs.presentation_resume, 'Ateliers numériques pour tous');
    assert.ok(f.changements.some((c) => c.champ === 'nom' && c.apres === 'Médiathèque Marguerite Duras'));
    // The old id says where it went; the history records the merge and keeps both lieux' rows.
    expectError(await mediatrice.get(`/api/lieux/${detail.lieu.id}`), 404, 'lieu_fusionne');
    // The CRA's orientation follows the lieu kept.
    const oriente = expectStatus(await mediatrice.get(`/api/activites/${cra.id}`), 200).json;
    assert.equal(oriente.orientation_lieu_id, f.lieu.id);
    assert.equal(oriente.orientation_lieu.nom, 'Médiathèque Marguerite Duras');
    const h = expectStatus(await mediatrice.get(`/api/lieux/${f.lieu.id}/historique`), 200).json.historique;
    assert.equal(h[0].origine, 'fusion');
    assert.equal(h[0].changements[0].champ, 'fusion');
    assert.match(h[0].changements[0].apres, /lieu-1/);
    assert.ok(h.some((x) => x.origine === 'import:paris'));
    assert.ok(h.some((x) => x.origine === 'import:Autre source'));
    // The search index follows: one Duras, the survivor, under its new name.
    const q = expectStatus(await mediatrice.get('/api/lieux?q=duras&tous=1'), 200).json;
    assert.deepEqual(q.lieux.map((l) => [l.id, l.champs.nom]), [[f.lieu.id, 'Médiathèque Marguerite Duras']]);
    assert.equal((await doublons()).some((d) => d.id === paire.id), false);
    expectError(await admin.get(`/api/admin/lieux/doublons/${paire.id}`), 404, 'introuvable');
    // Re-importing both files: nothing created, nothing changed, nothing proposed.
    const r1 = await importer('propre.csv', fixture('propre.csv'), 'paris');
    assert.deepEqual([r1.crees, r1.modifies, r1.inchanges, r1.doublons], [0, 0, 4, 0]);
    const r2 = await importer('sale.csv', fixture('sale.csv'));
    assert.deepEqual([r2.crees, r2.modifies, r2.inchanges, r2.doublons], [0, 0, 3, 0]);
    const apres = expectStatus(await mediatrice.get(`/api/lieux/${f.lieu.id}`), 200).json;
    assert.equal(apres.champs.nom, 'Médiathèque Marguerite Duras');
    // A field the retired lieu's source changes reaches the survivor.
    const change = fixture('propre.csv').replace('+33155253030', '+33155253031');
    const r3 = await importer('propre.csv', change, 'paris');
    assert.deepEqual([r3.crees, r3.modifies], [0, 1]);
    assert.equal(expectStatus(await mediatrice.get(`/api/lieux/${f.lieu.id}`), 200).json.champs.telephone, '+33155253031');
  });

  it("a structure's sheet merged into an imported lieu: the structure's sheet is the survivor", async () => {
    const structures = await allPages(admin, '/api/structures');
    const s1 = structures.find((s) => s.nom === DEMO_STRUCTURES.bachut).id;
    const fiche = expectStatus(await admin.post(`/api/structures/${s1}/lieu`), 200).json;
    const copie = { ...fiche.champs, id: 'bachut-copie', source: 'Annuaire', date_maj: '2026-11-30', telephone: '+33478111111' };
    for (const k of ['latitude', 'longitude']) copie[k] = copie[k] ?? '';
    const r = await importer('annuaire.csv', csv([copie]), 'annuaire');
    assert.equal(r.crees, 1);
    const paire = (await doublons()).find((d) => [d.lieu.id, d.autre.id].includes(fiche.id) && [d.lieu.source_import, d.autre.source_import].includes('annuaire'));
    assert.ok(paire, 'the copy of the sheet is proposed');
    const detail = expectStatus(await admin.get(`/api/admin/lieux/doublons/${paire.id}`), 200).json;
    const coteFiche = detail.lieu.id === fiche.id ? 'lieu' : 'autre';
    assert.equal(detail.survivant_propose, coteFiche, "the structure's sheet survives by default");
    const coteCopie = coteFiche === 'lieu' ? 'autre' : 'lieu';
    const f = expectStatus(await admin.post(`/api/admin/lieux/doublons/${paire.id}/fusion`, { json: { survivant: coteCopie } }), 200).json;
    assert.equal(f.lieu.structure_id, s1);
    assert.equal(f.lieu.champs.telephone, '+33478111111');
    const sheet = expectStatus(await admin.post(`/api/structures/${s1}/lieu`), 200).json;
    assert.equal(sheet.id, f.lieu.id);
    expectError(await admin.get(`/api/lieux/${fiche.id}`), 404, 'lieu_fusionne');
  });

  it('« ce ne sont pas des doublons »: the pair is never proposed again', async () => {
    const ligne = {
      pivot: '00000000000000', nom: 'Espace numérique de Mende', commune: 'Mende', code_postal: '48000', code_insee: '48095',
      adresse: '1 place du Foirail', date_maj: '2026-11-01', services: 'Aide aux démarches administratives',
    };
    await importer('a.csv', csv([{ ...ligne, id: 'm-1' }]), 'source-a');
    const rb = await importer('b.csv', csv([{ ...ligne, id: 'm-2', adresse: '3 rue de la Rovère' }]), 'source-b');
    assert.equal(rb.doublons, 1);
    const paire = (await doublons()).find((d) => d.lieu.nom === 'Espace numérique de Mende');
    assert.ok(paire);
    const e = expectStatus(await admin.post(`/api/admin/lieux/doublons/${paire.id}/ecart`), 200).json;
    assert.equal(e.statut, 'ecarte');
    expectError(await admin.post(`/api/admin/lieux/doublons/${paire.id}/ecart`), 409, 'doublon_ecarte');
    expectError(await admin.post(`/api/admin/lieux/doublons/${paire.id}/fusion`, { json: { survivant: 'lieu' } }), 409, 'doublon_ecarte');
    const detail = expectStatus(await admin.get(`/api/admin/lieux/doublons/${paire.id}`), 200).json;
    assert.equal(detail.fusionnable, false);
    assert.equal((await doublons()).some((d) => d.id === paire.id), false);
    // Both sources change their row: compared again, the pair stays dismissed.
    const ra = await importer('a.csv', csv([{ ...ligne, id: 'm-1', telephone: '+33466000000' }]), 'source-a');
    const rb2 = await importer('b.csv', csv([{ ...ligne, id: 'm-2', adresse: '3 rue de la Rovère', telephone: '+33466000001' }]), 'source-b');
    assert.deepEqual([ra.modifies, rb2.modifies, ra.doublons + rb2.doublons], [1, 1, 0]);
    assert.equal((await doublons()).some((d) => d.lieu.nom === 'Espace numérique de Mende'), false);
  });

  it('bad input: named fields, French messages', async () => {
    const paire = (await doublons())[0];
    assert.ok(paire, 'a pair is still proposed (the demo France Services of Marseille)');
    const url = `/api/admin/lieux/doublons/${paire.id}/fusion`;
    expectError(await admin.post(url, { json: {} }), 400, 'validation', ['survivant']);
    expectError(await admin.post(url, { json: { survivant: 'les deux' } }), 400, 'validation', ['survivant']);
    expectError(await admin.post(url, { json: { survivant: 'lieu', choix: { couleur: 'lieu', nom: 3 } } }), 400, 'validation', ['choix.couleur', 'choix.nom']);
    expectError(await admin.post(url, { json: { survivant: 'lieu', choix: 'nom' } }), 400, 'validation', ['choix']);
    expectError(await admin.post('/api/admin/lieux/doublons/999999/fusion', { json: { survivant: 'lieu' } }), 404, 'introuvable');
    expectError(await mediatrice.get(`/api/admin/lieux/doublons/${paire.id}`), 403, 'acces_refuse');
    assert.ok((await doublons()).some((d) => d.id === paire.id), 'nothing merged');
  });
});
