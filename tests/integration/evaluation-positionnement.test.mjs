// The positioning test (features/evaluation/api_positionnement.cpp, issue 13 point 3): a test on
// one competence, answered right and wrong (graded on the server, no solution sent before the
// answer), resumed after a new server start on the same database, the timer enforced on the
// server, the retry delay, the results and the profile; a test across all competences.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, ENGINE, DEMO, dbExec, expectStatus, expectError } from './harness.mjs';

// A right answer from the item's rules (read through the admin preview), or a wrong one.
function reponse(detail, juste) {
  if (detail.type === 'QCU' || detail.type === 'QCM') {
    if (juste) return { choix: detail.reponse };
    const autre = detail.propositions.map((_, i) => i + 1).find((n) => !detail.reponse.includes(n));
    return { choix: [autre] };
  }
  const valeurs = {};
  detail.champs.forEach((c, i) => {
    const s = detail.type === 'QROC' ? detail.solutions[0] : detail.solutions[i];
    valeurs[c.nom] = juste ? s[0] : 'zzqxw réponse fausse';
  });
  return { valeurs };
}

const SECRETS = ['reponse', 'solutions', 'explication', 'explication_html', 'tolerances'];

describe(`evaluation: positioning test [${ENGINE}]`, () => {
  let server, admin, med, coord;
  const details = new Map();
  const detail = async (id) => {
    if (!details.has(id)) details.set(id, expectStatus(await admin.get(`/api/admin/evaluation/items/${id}`), 200).json);
    return details.get(id);
  };
  before(async () => {
    server = await startServer();
    admin = await server.login(DEMO.admin);
    med = await server.login(DEMO.mediatrice);
    coord = await server.login(DEMO.coordination);
  });
  after(async () => server?.dispose());

  it('refuses an unknown competence, naming the field', async () => {
    expectError(await med.post('/api/evaluation/tests', { json: { competence: '9.9' } }), 400, 'validation', ['competence']);
  });

  it('one competence: right and wrong answers, resume after a restart, timer, results, explanations, delay', async () => {
    let t = expectStatus(await med.post('/api/evaluation/tests', { json: { competence: '1.2' } }), 201).json;
    assert.equal(t.statut, 'en_cours');
    assert.equal(t.perimetre, '1.2');
    assert.equal(t.longueur_max, 4);
    assert.equal(t.question.competence, '1.2');
    for (const k of SECRETS) assert.equal(t.question[k], undefined, `${k} sent before the answer`);
    // Only one test at a time.
    expectError(await med.post('/api/evaluation/tests', { json: {} }), 409, 'test_en_cours');
    // Another user cannot see it.
    expectError(await coord.get(`/api/evaluation/tests/${t.id}`), 403, 'acces_refuse');
    // A bad answer names the field; an answer to another item is refused.
    const d1 = await detail(t.question.item);
    expectError(await med.post(`/api/evaluation/tests/${t.id}/reponses`, { json: {} }), 400, 'validation', ['item']);
    expectError(await med.post(`/api/evaluation/tests/${t.id}/reponses`, { json: { item: 'c11-autre', choix: [1] } }), 409, 'question_perimee');
    // 1: right.
    const q1 = t.question.item;
    t = expectStatus(await med.post(`/api/evaluation/tests/${t.id}/reponses`, { json: { item: q1, ...reponse(d1, true) } }), 200).json;
    assert.equal(t.repondues, 1);
    assert.equal(t.temps_depasse, false);
    assert.equal(t.corrections, null, 'no explanation before the end');
    assert.notEqual(t.question.item, q1);
    // 2: wrong.
    const q2 = t.question.item;
    t = expectStatus(await med.post(`/api/evaluation/tests/${t.id}/reponses`, { json: { item: q2, ...reponse(await detail(q2), false) } }), 200).json;
    assert.equal(t.repondues, 2);
    const q3 = t.question.item;

    // Leave; the server restarts on the same database; the same question is waiting.
    const db = server.db;
    await server.stop();
    server = await startServer({ db });
    admin = await server.login(DEMO.admin);
    med = await server.login(DEMO.mediatrice);
    coord = await server.login(DEMO.coordination);
    const profil0 = expectStatus(await med.get('/api/evaluation/profil'), 200).json;
    assert.equal(profil0.test_en_cours.id, t.id);
    t = expectStatus(await med.get(`/api/evaluation/tests/${t.id}`), 200).json;
    assert.equal(t.repondues, 2);
    assert.equal(t.question.item, q3, 'the pending question is served again');

    // The timer: the pending question becomes the bank's timed item, served long ago; a right
    // answer sent now is counted as skipped (time exceeded).
    const chrono = 'c12-formats-2b';
    assert.ok((await detail(chrono)).temps > 0);
    dbExec(db, `UPDATE evaluation_tests SET etat = REPLACE(etat, '"${q3}"', '"${chrono}"'), ` +
      `question_servie_le = '2020-01-01T00:00:00.000Z' WHERE id = ${t.id}`);
    t = expectStatus(await med.post(`/api/evaluation/tests/${t.id}/reponses`, { json: { item: chrono, ...reponse(await detail(chrono), true) } }), 200).json;
    assert.equal(t.temps_depasse, true);
    assert.equal(t.repondues, 3);
    // 4: right; the test ends (4 questions on one competence).
    const q4 = t.question.item;
    t = expectStatus(await med.post(`/api/evaluation/tests/${t.id}/reponses`, { json: { item: q4, ...reponse(await detail(q4), true) } }), 200).json;
    assert.equal(t.statut, 'termine');
    assert.equal(t.question, null);
    assert.equal(t.resultat.competences.length, 1);
    const r = t.resultat.competences[0];
    assert.equal(r.competence, '1.2');
    assert.equal(r.questions, 4);
    assert.ok(r.pix >= 0 && r.pix <= 48 && r.niveau === Math.min(6, Math.floor(r.pix / 8)), JSON.stringify(r));
    assert.equal(t.resultat.pix_total, r.pix);
    assert.deepEqual(t.corrections.map((c) => [c.item, c.correct, c.temps_depasse]),
      [[q1, true, false], [q2, false, false], [chrono, false, true], [q4, true, false]]);
    for (const c of t.corrections) {
      assert.ok(c.explication_html.length > 10);
      assert.ok(Array.isArray(c.thematiques));
    }
    // Stored: answers and exposures.
    assert.equal(dbExec(db, `SELECT COUNT(*) FROM evaluation_reponses WHERE test_id = ${t.id}`), '4');
    assert.ok(Number(dbExec(db, `SELECT nombre FROM evaluation_expositions WHERE cle = '#tests'`)) >= 1);
    assert.equal(dbExec(db, `SELECT nombre FROM evaluation_expositions WHERE cle = '${q1}'`), '1');

    // The profile: 16 competences, 1.2 with its result, the total, the marker, the history.
    const p = expectStatus(await med.get('/api/evaluation/profil'), 200).json;
    assert.equal(p.competences.length, 16);
    const c12 = p.competences.find((c) => c.code === '1.2');
    assert.equal(c12.pix, r.pix);
    assert.equal(c12.niveau, r.niveau);
    assert.match(c12.ameliorable_le, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(p.competences.find((c) => c.code === '1.1').pix, null);
    assert.equal(p.pix_total, r.pix);
    assert.equal(p.pix_max, 16 * 48);
    assert.equal(p.pix_recommandes, 500);
    assert.equal(p.historique.length, 1);
    assert.equal(p.progression.length, 1);
    assert.equal(p.test_en_cours, null);

    // « Améliorer » before the delay: refused with the date.
    const [y, m, dd] = c12.ameliorable_le.split('-');
    const refus = expectError(await med.post('/api/evaluation/tests', { json: { competence: '1.2' } }), 409, 'delai_amelioration', ['competence']);
    assert.ok(refus.json.error.message.includes(`${dd}/${m}/${y}`), refus.json.error.message);
    // Another competence is allowed.
    const autre = expectStatus(await med.post('/api/evaluation/tests', { json: { competence: '2.1' } }), 201).json;
    assert.equal(autre.question.competence, '2.1');
  });

  it('across all competences: ends within 20 questions with the 16 competences', async () => {
    let t = expectStatus(await coord.post('/api/evaluation/tests', { json: {} }), 201).json;
    assert.equal(t.perimetre, 'tout');
    const vues = new Set();
    let n = 0;
    while (t.statut === 'en_cours') {
      assert.ok(++n <= 20, 'at most 20 questions');
      vues.add(t.question.competence);
      const d = await detail(t.question.item);
      t = expectStatus(await coord.post(`/api/evaluation/tests/${t.id}/reponses`, { json: { item: t.question.item, ...reponse(d, n % 3 !== 0) } }), 200).json;
    }
    assert.ok(n >= 16, `${n} questions`);
    assert.equal(vues.size, 16);
    assert.equal(t.resultat.competences.length, 16);
    assert.equal(t.resultat.pix_total, t.resultat.competences.reduce((s, c) => s + c.pix, 0));
    const p = expectStatus(await coord.get('/api/evaluation/profil'), 200).json;
    assert.equal(p.pix_total, t.resultat.pix_total);
    expectError(await coord.post('/api/evaluation/tests', { json: {} }), 409, 'delai_amelioration');
  });
});

describe(`evaluation: positioning test, configured delay and cap [${ENGINE}]`, () => {
  let server, admin, med;
  before(async () => {
    server = await startServer({ args: ['--evaluation-delai-jours', '0', '--evaluation-plafond', '2'] });
    admin = await server.login(DEMO.admin);
    med = await server.login(DEMO.mediatrice);
  });
  after(async () => server?.dispose());

  const passer = async (competence) => {
    let t = expectStatus(await med.post('/api/evaluation/tests', { json: { competence } }), 201).json;
    while (t.statut === 'en_cours') {
      const d = expectStatus(await admin.get(`/api/admin/evaluation/items/${t.question.item}`), 200).json;
      t = expectStatus(await med.post(`/api/evaluation/tests/${t.id}/reponses`, { json: { item: t.question.item, ...reponse(d, true) } }), 200).json;
    }
    return t;
  };

  it('caps the pix at 8 × the level cap and allows « Améliorer » at once with a delay of 0', async () => {
    const t1 = await passer('4.1');
    const r1 = t1.resultat.competences[0];
    assert.ok(r1.niveau <= 2 && r1.pix <= 16, JSON.stringify(r1));
    assert.ok(r1.pix > 0, 'four right answers give some pix');
    const t2 = await passer('4.1');
    const p = expectStatus(await med.get('/api/evaluation/profil'), 200).json;
    assert.equal(p.pix_max, 16 * 16);
    assert.equal(p.delai_jours, 0);
    const c = p.competences.find((x) => x.code === '4.1');
    assert.equal(c.pix, t2.resultat.competences[0].pix);
    assert.equal(c.ameliorable_le, null);
    assert.deepEqual(p.historique.map((h) => h.test_id), [t1.id, t2.id]);
    assert.equal(p.progression.length, 2);
  });
});
