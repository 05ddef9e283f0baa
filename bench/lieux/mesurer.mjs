// bench/lieux/run.sh's measures. `http BASE COOKIE REPS`: each search of requetes.mjs through
// GET /api/lieux (and the map's GET /api/lieux/points for the first), one request at a time,
// answer read to the end, REPS times after one warm-up; `sql REPS`: the psql script of the
// baseline (\timing). One JSON line per search on stdout.
import { REQUETES, http, sql } from './requetes.mjs';
const [mode, ...args] = process.argv.slice(2);
if (mode === 'http') {
  const [base, cookie, reps] = args;
  const liste = [...REQUETES.map((r) => ({ ...r, route: '/api/lieux', qs: http(r) + '&par_page=20' })),
                 { ...REQUETES[1], classe: 'carte : points (services + distance + ouvert)', route: '/api/lieux/points', qs: http(REQUETES[1]) },
                 { ...REQUETES[8], classe: 'carte : points (département + services)', route: '/api/lieux/points', qs: http(REQUETES[8]) },
                 { ...REQUETES[11], classe: 'carte : points (ouvert maintenant, France)', route: '/api/lieux/points', qs: http(REQUETES[11]) }];
  for (const [i, r] of liste.entries()) {
    const url = `${base}${r.route}?${r.qs}`;
    const ms = [];
    let total = 0;
    for (let k = 0; k <= +reps; k++) {
      const t0 = process.hrtime.bigint();
      const res = await fetch(url, { headers: { cookie } });
      const j = await res.json();
      if (!res.ok) throw new Error(`${url}: ${res.status} ${JSON.stringify(j)}`);
      if (k > 0) ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
      total = j.total;
    }
    console.log(JSON.stringify({ i, classe: r.classe, route: r.route, qs: r.qs, total, ms }));
  }
} else if (mode === 'sql') {
  const [reps] = args;
  const lignes = ['\\o /dev/null', '\\timing on'];
  for (const [i, r] of REQUETES.entries()) {
    lignes.push(`\\echo DEBUT ${i}`);
    for (let k = 0; k <= +reps; k++) lignes.push(sql(r));
  }
  console.log(lignes.join('\n'));
} else if (mode === 'rapport') {
  // rapport RES.jsonl SQL_SQLITE... : reads the JSON lines and psql's output, prints Markdown.
  const { readFileSync } = await import('node:fs');
  const [res, sqlOut, n, load, reps] = args;
  const q = (v, p) => { const s = [...v].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
  const lignes = readFileSync(res, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  // psql: "DEBUT i" then one "Time: x ms" per statement (the first is the warm-up).
  const base = {};
  let cur = null;
  for (const l of readFileSync(sqlOut, 'utf8').split('\n')) {
    const d = /^DEBUT (\d+)/.exec(l);
    if (d) { cur = +d[1]; base[cur] = []; continue; }
    const t = /^Time: ([\d.]+) ms/.exec(l);
    if (t && cur !== null) base[cur].push(+t[1]);
  }
  for (const k of Object.keys(base)) base[k] = base[k].slice(1);
  const f = (x) => (x === undefined ? '–' : x < 10 ? x.toFixed(2) : x.toFixed(1));
  console.log(`# Lieux search benchmark — ${n} lieux, ${reps} requests per search\n`);
  console.log(`Load before the run: \`${load}\`\n`);
  console.log('| search | found | SQLite p50 | SQLite p95 | PostgreSQL p50 | PostgreSQL p95 | SQL baseline (PG) p50 | p95 | baseline p50 ÷ Coop PG p50 |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  const cles = [...new Set(lignes.map((l) => `${l.route} ${l.i}`))];
  for (const c of cles) {
    const s = lignes.find((l) => `${l.route} ${l.i}` === c && l.moteur === 'sqlite');
    const p = lignes.find((l) => `${l.route} ${l.i}` === c && l.moteur === 'postgres');
    const any = s ?? p;
    const b = any.route === '/api/lieux' ? base[any.i] : undefined;
    const ratio = b?.length && p ? `×${(q(b, 0.5) / q(p.ms, 0.5)).toFixed(1)}` : '–';
    console.log(`| ${any.classe}${any.route === '/api/lieux/points' ? '' : ''} | ${any.total} | ${s ? f(q(s.ms, 0.5)) : '–'} | ${s ? f(q(s.ms, 0.95)) : '–'} | ${p ? f(q(p.ms, 0.5)) : '–'} | ${p ? f(q(p.ms, 0.95)) : '–'} | ${b?.length ? f(q(b, 0.5)) : '–'} | ${b?.length ? f(q(b, 0.95)) : '–'} | ${ratio} |`);
  }
  console.log('\nTimes in ms. Coop: end to end through HTTP (one request at a time, answer read: 20 summaries + full records, total, open-now state). Baseline: server time of the plain SQL reported by psql `\\timing` (no HTTP, no JSON), `LIMIT 20`, no total; opening hours are not evaluated in SQL: the baseline keeps `horaires_valides = 1` only, so it returns closed lieux too (easier than the real filter). The map rows (points) have no SQL baseline.');
}
