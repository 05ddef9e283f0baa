// `coop evaluation calibrer` (app/evaluation_calibrer_cli.cpp): an answers CSV simulated from known
// item parameters in, the parameters file out; starting values from the levels; French errors with
// the line. No server, no database: the command reads and writes files only (for now).
//
// Run: node --test tests/integration/evaluation-calibrer.test.mjs (COOP_BIN, default build/coop).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const COOP_BIN = process.env.COOP_BIN || path.join(REPO, 'build', 'coop');

function coop(args) {
  return spawnSync(COOP_BIN, ['evaluation', 'calibrer', ...args], { encoding: 'utf8' });
}

// A small deterministic generator (mulberry32) and a normal draw.
function aleatoire(graine) {
  let a = graine >>> 0;
  const u = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normale = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  return { u, normale };
}

test('coop evaluation calibrer: parameters recovered from simulated answers, levels as start', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coop-calibrer-'));
  try {
    const r = aleatoire(13);
    const items = [];
    for (let j = 0; j < 30; j++) items.push({ id: `i${j}`, niveau: 1 + (j % 6), a: 0.8 + 0.9 * r.u() });
    for (const it of items) it.b = it.niveau - 3.5 + 0.3 * r.normale();
    const lignes = ['person,item,correct'];
    for (let p = 0; p < 1500; p++) {
      const theta = r.normale();
      for (const it of items) lignes.push(`p${p},${it.id},${r.u() < 1 / (1 + Math.exp(-it.a * (theta - it.b))) ? 1 : 0}`);
    }
    fs.writeFileSync(path.join(dir, 'reponses.csv'), lignes.join('\n') + '\n');
    fs.writeFileSync(path.join(dir, 'niveaux.csv'),
      'item,niveau\n' + items.map((it) => `${it.id},${it.niveau}`).join('\n') + '\njamais,4\n');
    const out = path.join(dir, 'parametres.csv');
    const res = coop([path.join(dir, 'reponses.csv'), '--depart', path.join(dir, 'niveaux.csv'), '--sortie', out]);
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stderr, /45000 réponses de 1500 personnes ; 31 items, 30 calibrés/);
    assert.match(res.stderr, /échelle reliée aux niveaux/);
    const rows = fs.readFileSync(out, 'utf8').trim().split('\n');
    assert.equal(rows[0], 'item,a,b,reponses,calibre');
    const lus = new Map(rows.slice(1).map((l) => {
      const [id, a, b, n, c] = l.split(',');
      return [id, { a: Number(a), b: Number(b), n: Number(n), c }];
    }));
    assert.deepEqual(lus.get('jamais'), { a: 1.2, b: 0.5, n: 0, c: '0' });  // level 4, no answer
    let se = 0;
    for (const it of items) {
      const x = lus.get(it.id);
      assert.equal(x.n, 1500);
      assert.equal(x.c, '1');
      se += (x.b - it.b) ** 2;
    }
    const rmse = Math.sqrt(se / items.length);
    assert.ok(rmse < 0.3, `RMSE de b ${rmse}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('coop evaluation calibrer: bad input is refused in French with the line', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coop-calibrer-'));
  try {
    const f = path.join(dir, 'r.csv');
    fs.writeFileSync(f, 'person,item,correct\np1,i1,1\np1,i2,peut-être\n');
    let res = coop([f, '--sortie', path.join(dir, 'o.csv')]);
    assert.equal(res.status, 1);
    assert.match(res.stderr, /erreur : ligne 3 : correct « peut-être » : 1 ou 0 attendu/);
    assert.equal(fs.existsSync(path.join(dir, 'o.csv')), false);
    fs.writeFileSync(f, 'personne,item\np1,i1\n');
    res = coop([f, '--sortie', path.join(dir, 'o.csv')]);
    assert.equal(res.status, 1);
    assert.match(res.stderr, /colonne correct ou juste manquante/);
    fs.writeFileSync(f, 'person,item,correct\np1,i1,1\n');
    fs.writeFileSync(path.join(dir, 'd.csv'), 'item,niveau\ni1,12\n');
    res = coop([f, '--depart', path.join(dir, 'd.csv'), '--sortie', path.join(dir, 'o.csv')]);
    assert.equal(res.status, 1);
    assert.match(res.stderr, /d\.csv : ligne 2 : niveau « 12 » : entier de 1 à 8 attendu/);
    res = coop([path.join(dir, 'absent.csv'), '--sortie', path.join(dir, 'o.csv')]);
    assert.notEqual(res.status, 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
