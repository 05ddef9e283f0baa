// The C++ opening-hours evaluator (features/lieux/horaires, through the hidden `coop horaires
// evaluer`) against the reference implementation, the npm package opening_hours (web/node_modules),
// on tests/fixtures/horaires/corpus.txt at every 90 minutes of several weeks that hold French public
// holidays and both DST changes, in Europe/Paris. Prints the agreement rates.
//
// Validity: a value both reject, or both accept, agrees. Documented differences (counted apart,
// never as agreement on state): opening_hours.js accepts and silently corrects values the
// specification does not allow (`Sun`, `9:00`, `mo-fr`, `Lu-Ve`, a final `;`): when it reports a
// warning or its prettified value differs from the input (spaces aside), the C++ parser's rejection
// is the documented strictness; and constructs the C++ parser says are « non pris en charge »
// (sunrise/sunset, SH school holidays, day offsets, periodic times). Any other validity difference
// fails the test. State (ouvert / fermé / inconnu) on the values both accept must agree on at least
// on every (value, instant) pair but one documented case, the reference's bug on the night after the
// spring DST change: after a 23-hour Sunday it keeps Saturday's 22:00-02:00 open on Monday
// 00:00-01:00 (it looks 24 hours back for "yesterday"); those pairs are counted and printed apart.
//
// Run: node --test tests/integration/horaires.test.mjs (COOP_BIN: the coop binary, default build/coop).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

process.env.TZ = 'Europe/Paris';
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const COOP_BIN = process.env.COOP_BIN || path.join(REPO, 'build', 'coop');
const OpeningHours = createRequire(path.join(REPO, 'web', 'package.json'))('opening_hours');

// Paris, so that the reference uses France's public holidays (metropolitan, no région-specific days).
const NOMINATIM = { lat: 48.8566, lon: 2.3522, address: { country_code: 'fr', state: 'Île-de-France' } };

const corpus = fs
  .readFileSync(path.join(REPO, 'tests', 'fixtures', 'horaires', 'corpus.txt'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '' && !l.startsWith('#'));

// Windows (UTC dates): spring DST change (29 March 2026) and Easter Monday (6 April); May's four
// holidays (1, 8, Ascension 14, Whit Monday 25); autumn DST change (25 October), 1 and 11 November;
// Christmas, ISO week 53 of 2026 and New Year.
const FENETRES = [
  ['2026-03-23', 22],
  ['2026-04-27', 30],
  ['2026-10-19', 28],
  ['2026-12-21', 16],
];
const instants = [];
for (const [debut, jours] of FENETRES) {
  const t0 = Date.parse(`${debut}T00:00:00Z`);
  // Every 90 minutes, and the same shifted by 17 minutes to fall inside ranges, not only on their bounds.
  for (let m = 0; m < jours * 24 * 60; m += 90) {
    instants.push(new Date(t0 + m * 60000));
    instants.push(new Date(t0 + (m + 17) * 60000));
  }
}

function reference(valeur) {
  try {
    const oh = new OpeningHours(valeur, NOMINATIM);
    const corrige =
      oh.getWarnings().length > 0 || oh.prettifyValue().replace(/\s+/g, '') !== valeur.replace(/\s+/g, '');
    return { oh, corrige };
  } catch (e) {
    return { erreur: String(e).split('\n')[0] };
  }
}

// Monday 00:00-00:59 after a 23-hour Sunday, the reference saying open where the C++ says closed.
function bogueReferenceHeureEte(date, cpp, ref) {
  const lundi = new Date(date.getFullYear(), date.getMonth(), date.getDate());
  const dimanche = new Date(date.getFullYear(), date.getMonth(), date.getDate() - 1);
  return date.getDay() === 1 && date.getHours() === 0 && lundi - dimanche === 23 * 3600e3 && cpp === 'ferme' && ref === 'ouvert';
}

function etatReference(oh, date) {
  if (oh.getUnknown(date)) return 'inconnu';
  return oh.getState(date) ? 'ouvert' : 'ferme';
}

test('the C++ evaluator agrees with the npm package opening_hours on the corpus', () => {
  assert.ok(corpus.length >= 300, `corpus of ${corpus.length} values`);
  const iso = instants.map((d) => d.toISOString());
  const entree = corpus.flatMap((v) => iso.map((t) => `${t}\t${v}`)).join('\n') + '\n';
  const sortie = execFileSync(COOP_BIN, ['horaires', 'evaluer'], {
    input: entree,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  }).split('\n');
  assert.equal(sortie.length - 1, corpus.length * iso.length, 'one answer per line');

  let accordValidite = 0, paires = 0, accords = 0, bogues = 0;
  const documentees = [], desaccordsValidite = [], desaccordsEtat = new Map();
  corpus.forEach((valeur, i) => {
    const lignes = sortie.slice(i * iso.length, (i + 1) * iso.length);
    const cpp = lignes[0].startsWith('invalide\t') ? { erreur: lignes[0].slice(9) } : {};
    assert.ok(!lignes[0].startsWith('erreur'), lignes[0]);
    const ref = reference(valeur);
    if (cpp.erreur && ref.erreur) return void accordValidite++;
    if (cpp.erreur) {
      if (ref.corrige || /non pris(e)?s? en charge/.test(cpp.erreur)) return void documentees.push(`${JSON.stringify(valeur)} — ${cpp.erreur}`);
      return void desaccordsValidite.push(`C++ rejette, opening_hours accepte : ${JSON.stringify(valeur)} — ${cpp.erreur}`);
    }
    if (ref.erreur)
      return void desaccordsValidite.push(`C++ accepte, opening_hours rejette : ${JSON.stringify(valeur)} — ${ref.erreur}`);
    accordValidite++;
    instants.forEach((d, k) => {
      paires++;
      const attendu = etatReference(ref.oh, d);
      if (lignes[k] === attendu) accords++;
      else if (bogueReferenceHeureEte(d, lignes[k], attendu)) bogues++;
      else {
        const liste = desaccordsEtat.get(valeur) ?? [];
        liste.push(`${d.toString().slice(0, 21)} C++ ${lignes[k]}, opening_hours ${attendu}`);
        desaccordsEtat.set(valeur, liste);
      }
    });
  });

  const taux = accords / paires;
  console.log(
    `horaires : ${corpus.length} valeurs, ${instants.length} instants ; validité : ${accordValidite} en accord, ` +
      `${documentees.length} différences documentées, ${desaccordsValidite.length} désaccords ; ` +
      `état : ${accords}/${paires} paires en accord (${(100 * taux).toFixed(4)} %) ; ${bogues} ` +
      `différences documentées (nuit après le passage à l'heure d'été) ; ${paires - accords - bogues} désaccords`,
  );
  for (const d of documentees) console.log('  rejet strict documenté :', d);
  for (const d of desaccordsValidite) console.log('  validité :', d);
  for (const [v, l] of desaccordsEtat) console.log(`  état : ${JSON.stringify(v)} (${l.length}) ex. ${l[0]}`);
  assert.deepEqual(desaccordsValidite, [], 'validity differences outside the documented ones');
  assert.deepEqual([...desaccordsEtat.keys()], [], 'state differences outside the documented one');
});

// The canonical text (`coop horaires normaliser`) against the reference's prettifyValue, and the
// explicit tolerant mode: the corrected text must be accepted by the reference and, when the
// reference also accepts the original, mean for it what it understood of the original at every
// instant (the correction guesses nothing the reference would not). Values only Coop's tolerant
// mode fixes (the reference rejects `09h00`) are counted apart.
test('canonical text and tolerant corrections against the npm package opening_hours', () => {
  const entree = corpus.join('\n') + '\n';
  const strict = execFileSync(COOP_BIN, ['horaires', 'normaliser'], { input: entree, encoding: 'utf8' }).split('\n');
  const tolerant = execFileSync(COOP_BIN, ['horaires', 'normaliser', '--tolerant'], { input: entree, encoding: 'utf8' })
    .split('\n');
  let valides = 0, memeTexte = 0, corriges = 0, seul = 0;
  const textesDifferents = [];
  const problemes = [];
  const sansEspaces = (s) => s.replace(/\s+/g, '');
  corpus.forEach((valeur, i) => {
    const [genre, canonique] = strict[i].split('\t');
    const ref = reference(valeur);
    if (genre === 'valide' && ref.oh) {
      valides++;
      if (sansEspaces(ref.oh.prettifyValue()) === sansEspaces(canonique)) memeTexte++;
      else textesDifferents.push(`${JSON.stringify(canonique)} / ${JSON.stringify(ref.oh.prettifyValue())}`);
    }
    const [genreT, corrige, liste] = tolerant[i].split('\t');
    if (genreT !== 'corrige') return;
    corriges++;
    const apres = reference(corrige);
    if (!apres.oh) return void problemes.push(`${JSON.stringify(corrige)} rejeté par la référence`);
    if (!ref.oh) return void seul++;
    const ecart = instants.find((d) => etatReference(apres.oh, d) !== etatReference(ref.oh, d));
    if (ecart) problemes.push(`${JSON.stringify(valeur)} → ${JSON.stringify(corrige)} (${liste}) : sens différent le ${ecart}`);
  });
  console.log(
    `horaires : texte canonique identique à prettifyValue pour ${memeTexte}/${valides} valeurs valides ; ` +
      `mode tolérant : ${corriges} valeurs corrigées (dont ${seul} que la référence rejette), ${problemes.length} problèmes`,
  );
  for (const t of textesDifferents) console.log('  canonique / prettifyValue :', t);
  for (const p of problemes) console.log('  tolérant :', p);
  assert.deepEqual(problemes, []);
});
