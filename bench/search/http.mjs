// GET /api/ressources?q=…&prefixe=0|1&<facets> through a running coop serve, one request at a
// time (answer read to the end), REPS times after one warm-up; one JSON line per query.
// Classes « préfixe » use prefixe=1 (the search as you type), the others prefixe=0.
import { readFileSync } from 'node:fs';
const [base, cookie, fichier, reps] = process.argv.slice(2);
for (const ligne of readFileSync(fichier, 'utf8').split('\n')) {
  if (!ligne || ligne.startsWith('#')) continue;
  const [classe, q, filtres = ''] = ligne.split('\t');
  const url = `${base}/api/ressources?q=${encodeURIComponent(q)}&prefixe=${classe.startsWith('préfixe') ? 1 : 0}${filtres ? '&' + filtres : ''}`;
  const ms = [];
  let total = 0;
  for (let i = 0; i <= +reps; i++) {
    const t0 = process.hrtime.bigint();
    const r = await fetch(url, { headers: { cookie } });
    const j = await r.json();
    if (!r.ok) throw new Error(`${url}: ${r.status} ${JSON.stringify(j)}`);
    if (i > 0) ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    total = j.total;
  }
  console.log(JSON.stringify({ classe, q, filtres, total, ms }));
}
