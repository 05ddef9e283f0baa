// Markdown report of bench/search/run.sh from its JSON lines.
import { readFileSync } from 'node:fs';
const [fichier, n, load, reps, nreps] = process.argv.slice(2);
const lignes = readFileSync(fichier, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
const pct = (v, p) => { const s = [...v].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]; };
const f = (x) => (x === undefined ? '-' : x < 10 ? x.toFixed(2) : x.toFixed(1));
const classes = [...new Set(lignes.map((l) => l.classe))];
const moteurs = [...new Set(lignes.map((l) => l.moteur))];
const out = [`# Ressources search, ${n} resources`, '', `Load before the run: \`${load.trim()}\`; ${reps} HTTP requests per query (+1 warm-up), ${nreps} baseline runs per query (+1). Latencies in ms.`, ''];
out.push('| class | engine | Coop p50 | Coop p95 | naive p50 | naive p95 | naive/Coop p50 | naive/Coop p95 |', '|---|---|---:|---:|---:|---:|---:|---:|');
const p95s = {};
for (const c of classes) for (const m of moteurs) {
  const coop = lignes.filter((l) => l.classe === c && l.moteur === m && l.mode === 'coop').flatMap((l) => l.ms);
  const naif = lignes.filter((l) => l.classe === c && l.moteur === m && l.mode === 'naif').flatMap((l) => l.ms);
  if (!coop.length) continue;
  const [a, b, x, y] = [pct(coop, 50), pct(coop, 95), naif.length ? pct(naif, 50) : undefined, naif.length ? pct(naif, 95) : undefined];
  p95s[`${m}|${c}`] = b;
  out.push(`| ${c} | ${m} | ${f(a)} | ${f(b)} | ${f(x)} | ${f(y)} | ${x ? '×' + (x / a).toFixed(1) : '-'} | ${y ? '×' + (y / b).toFixed(1) : '-'} |`);
}
out.push('', '| query | filters | engine | Coop matches | naive matches | Coop p95 |', '|---|---|---|---:|---:|---:|');
for (const l of lignes.filter((l) => l.mode === 'coop')) {
  const nv = lignes.find((k) => k.mode === 'naif' && k.moteur === l.moteur && k.q === l.q && k.filtres === l.filtres && k.classe === l.classe);
  out.push(`| ${l.q} (${l.classe}) | ${l.filtres || '—'} | ${l.moteur} | ${l.total} | ${nv ? nv.total : '-'} | ${f(pct(l.ms, 95))} |`);
}
const fac = Object.entries(p95s).filter(([k]) => k.startsWith('sqlite|') && k.includes('facettes')).map(([, v]) => v);
if (fac.length) {
  const worst = Math.max(...fac);
  out.push('', `Target « p95 < 20 ms with facets on SQLite »: worst class p95 ${f(worst)} ms — **${worst < 20 ? 'met' : 'missed'}**.`);
}
console.log(out.join('\n'));
