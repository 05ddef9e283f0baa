// The evaluation's item bank through the admin preview API: the list and its filters, one item
// with its answer rules and sanitised Markdown, grading an answer (which tolerance matched), the
// bank's media, and the refusals (bad filters, bad answers, non-administrators).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, ENGINE, DEMO, COOP_BIN, REPO, expectStatus, expectError } from './harness.mjs';

describe('coop evaluation verifier', () => {
  const verifier = (dir) => spawnSync(COOP_BIN, ['evaluation', 'verifier', dir], { encoding: 'utf8', timeout: 60_000 });
  it("accepts the repository's bank and prints its summary", () => {
    const r = verifier(path.join(REPO, 'evaluation'));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^1\.1 {2}Mener une recherche .* {4}18$/m);
    assert.match(r.stdout, /Par type : QCU \d+, QCM \d+, QROC \d+, QROCM-ind \d+, QROCM-dep \d+/);
    assert.match(r.stdout, /Banque valide\./);
  });
  it('refuses a bad item with file:line and key, exit code 1', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coop-eval-'));
    fs.mkdirSync(path.join(dir, 'banque'));
    fs.copyFileSync(path.join(REPO, 'evaluation/referentiel.txt'), path.join(dir, 'referentiel.txt'));
    fs.writeFileSync(path.join(dir, 'banque/1.1.txt'), [
      'competence: 1.1', 'tube: @essai | Essai', 'item: c11-essai-1a', 'acquis: @essai1', 'type: QCU', 'consigne:', '> Question ?',
      'propositions:', '- Oui', '- Non', 'reponse: 1', ''].join('\n'));
    const r = verifier(dir);
    assert.equal(r.status, 1);
    assert.ok(r.stderr.includes(`${dir}/banque/1.1.txt:3: [explication] item c11-essai-1a : clé « explication: » obligatoire absente`), r.stderr);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe(`evaluation: admin preview of the item bank [${ENGINE}]`, () => {
  let server, admin, mediatrice;
  before(async () => {
    server = await startServer();
    admin = await server.login(DEMO.admin);
    mediatrice = await server.login(DEMO.mediatrice);
  });
  after(async () => server?.dispose());

  it('lists the bank, filtered by competence, level and type', async () => {
    const all = expectStatus(await admin.get('/api/admin/evaluation/items'), 200).json;
    assert.ok(all.total >= 126, `total ${all.total}`);
    assert.equal(all.items.length, all.total);
    assert.equal(all.competences.length, 16);
    assert.deepEqual(all.competences[0], { code: '1.1', titre: "Mener une recherche et une veille d'information", domaine: '1' });
    const f = expectStatus(await admin.get('/api/admin/evaluation/items?competence=2.1&niveau=2'), 200).json;
    assert.ok(f.total >= 3);
    for (const i of f.items) {
      assert.equal(i.competence, '2.1');
      assert.equal(i.niveau, 2);
    }
    const q = expectStatus(await admin.get('/api/admin/evaluation/items?type=QROCM-ind'), 200).json;
    assert.ok(q.items.some((i) => i.id === 'c21-adresse-2a'));
    assert.ok(q.items.every((i) => i.type === 'QROCM-ind'));
    expectError(await admin.get('/api/admin/evaluation/items?competence=9.9&niveau=12&type=QCX'), 400, 'validation',
      ['competence', 'niveau', 'type']);
  });

  it('shows one item with its answer rules, Markdown rendered sanitised, and its image', async () => {
    const it_ = expectStatus(await admin.get('/api/admin/evaluation/items/c12-formats-2b'), 200).json;
    assert.equal(it_.type, 'QCU');
    assert.equal(it_.competence, '1.2');
    assert.equal(it_.tube, 'formatsFichiers');
    assert.equal(it_.niveau, 2);
    assert.equal(it_.temps, 60);
    assert.deepEqual(it_.reponse, [it_.propositions.indexOf('budget-familial.ods') + 1]);
    assert.equal(it_.propositions.length, 3);
    assert.match(it_.consigne_html, /^<p>Voici le dossier/);
    assert.match(it_.explication_html, /<code>|\.ods/);
    assert.ok(it_.image.texte.startsWith('Explorateur de fichiers'));
    assert.deepEqual(it_.thematiques, [{ code: 'bureautique', libelle: 'Bureautique' }]);
    const img = await admin.get(it_.image.url);
    assert.equal(img.status, 200);
    assert.match(img.headers.get('content-type'), /^image\/svg\+xml/);
    assert.match(img.headers.get('content-security-policy'), /default-src 'none'/);
    // The bold of the first item of 3.1-like Markdown: ** becomes <strong>, raw HTML never passes.
    const md = expectStatus(await admin.get('/api/admin/evaluation/items/c11-motscles-3a'), 200).json;
    assert.doesNotMatch(md.consigne_html, /<script/);
    const csv = await admin.get(expectStatus(await admin.get('/api/admin/evaluation/items/c13-trier-3b'), 200).json.piece_jointe.url);
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-disposition'), /attachment/);
    expectError(await admin.get('/api/admin/evaluation/items/inconnu'), 404, 'introuvable');
    expectError(await admin.get('/api/admin/evaluation/medias/absent.svg'), 404, 'introuvable');
  });

  it('grades an answer and says which tolerance matched', async () => {
    const essai = async (id, json) => expectStatus(await admin.post(`/api/admin/evaluation/items/${id}/essayer`, { json }), 200).json;
    // Positions taken from the item (the bank may reorder its propositions).
    const props = async (id) => expectStatus(await admin.get(`/api/admin/evaluation/items/${id}`), 200).json.propositions;
    const qcu = await props('c12-formats-2b');
    const n = (list, text) => list.indexOf(text) + 1;
    assert.equal((await essai('c12-formats-2b', { choix: [n(qcu, 'budget-familial.ods')] })).correct, true);
    assert.equal((await essai('c12-formats-2b', { choix: [n(qcu, 'avis-imposition-2026.pdf')] })).correct, false);
    const qcm = await props('c11-sources-2a');
    const date = n(qcm, "L'article indique sa date de publication.");
    const source = n(qcm, "L'article cite le site de la CAF ou de service-public.fr.");
    assert.equal((await essai('c11-sources-2a', { choix: [source, date] })).correct, true);  // QCM, order free
    assert.equal((await essai('c11-sources-2a', { choix: [date] })).correct, false);
    let r = await essai('c12-formats-2a', { valeurs: { reponse: ' .PDF ' } });
    assert.equal(r.correct, true);
    assert.equal(r.champs[0].tolerance, 't1');  // the variant « .pdf », after t1
    r = await essai('c12-formats-2a', { valeurs: { reponse: '« PDF »' } });
    assert.equal(r.champs[0].tolerance, 't2');
    r = await essai('c13-formules-3a', { valeurs: { reponse: '42,0' } });
    assert.deepEqual(r.champs[0], { champ: 'reponse', correct: true, tolerance: 'numerique', solution: null });
    r = await essai('c21-adresse-2a', { valeurs: { identifiant: 'Jean.Dupont', domaine: 'laposte.ent' } });
    assert.equal(r.correct, true);
    assert.equal(r.champs[0].tolerance, 't1');
    assert.equal(r.champs[1].tolerance, 't3');  // « laposteent » / « lapostenet »: 2 edits / 10 ≤ 0.25
    r = await essai('c21-adresse-2a', { valeurs: { identifiant: 'jean', domaine: 'laposte.net' } });
    assert.equal(r.correct, false);
    assert.deepEqual(r.champs.map((c) => c.correct), [false, true]);
    r = await essai('c23-outils-3a', { valeurs: { outil1: 'jitsi', outil2: 'Jitsi Meet' } });
    assert.equal(r.correct, false, 'one solution used twice');
    r = await essai('c23-outils-3a', { valeurs: { outil1: 'BBB', outil2: 'jitsi' } });
    assert.equal(r.correct, true);
    assert.deepEqual(r.champs.map((c) => c.solution).sort(), [1, 3]);
    assert.equal((await essai('c12-formats-2a', { valeurs: { reponse: '' } })).correct, false);
  });

  it('refuses bad answers with the field named', async () => {
    const post = (id, json) => admin.post(`/api/admin/evaluation/items/${id}/essayer`, { json });
    expectError(await post('c12-formats-2b', { choix: [4] }), 400, 'validation', ['choix']);
    expectError(await post('c12-formats-2b', { choix: [1, 2] }), 400, 'validation', ['choix']);
    expectError(await post('c12-formats-2b', {}), 400, 'validation', ['choix']);
    expectError(await post('c12-formats-2a', { valeurs: { autre: 'pdf' } }), 400, 'validation', ['valeurs.autre']);
    expectError(await post('c12-formats-2a', { valeurs: { reponse: 12 } }), 400, 'validation', ['valeurs.reponse']);
    expectError(await post('c12-formats-2a', { valeurs: { reponse: 'x'.repeat(501) } }), 400, 'validation', ['valeurs.reponse']);
    expectError(await post('inconnu', { choix: [1] }), 404, 'introuvable');
  });

  it('is for administrators only', async () => {
    expectStatus(await mediatrice.get('/api/admin/evaluation/items'), 403);
    expectStatus(await mediatrice.get('/api/admin/evaluation/items/c12-formats-2b'), 403);
    expectStatus(await mediatrice.post('/api/admin/evaluation/items/c12-formats-2b/essayer', { json: { choix: [3] } }), 403);
  });
});
