// Search half of bench/chat/run.sh: times GET /api/discussion/recherche?q=… (the answer read to
// the end) for a set of mediators' queries, as one member of Général, a département and three
// thematic channels, one request at a time, after one warm-up per query. Prints one JSON line:
// p50/p95 over every request, and per query its p95 and the number of matches (`total`).
//   node bench/chat/recherche.mjs BASE_URL SESSION_TOKEN REPETITIONS
const [base, token, repsArg] = process.argv.slice(2);
const reps = Number(repsArg || 20);
const QUERIES = [
  'caf', 'mot de passe', 'impots.gouv', 'atelier', 'attestation ameli', 'franceconnect', 'carte grise', 'déclaration trimestrielle',
  'imprimante', 'sms frauduleux', 'rendez-vous caf', 'prime d\'activité', 'démarches', 'smartphone seniors', '"mot de passe" ameli',
  'tablettes reconditionnées', 'hameçonnage', 'identifiant france travail', 'retraite', 'formulaire malvoyante',
];
const headers = { cookie: `coop_session=${token}` };
const pct = (v, p) => {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
};
const all = [];
const parQuery = [];
for (const q of QUERIES) {
  const url = `${base}/api/discussion/recherche?q=${encodeURIComponent(q)}`;
  const times = [];
  let total = 0;
  for (let i = 0; i < reps + 1; i++) {
    const t = process.hrtime.bigint();
    const res = await fetch(url, { headers });
    const text = await res.text();
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (res.status !== 200) throw new Error(`${q}: ${res.status} ${text.slice(0, 300)}`);
    total = JSON.parse(text).total;
    if (i > 0) times.push(ms);
  }
  all.push(...times);
  parQuery.push({ q, total, p50_ms: pct(times, 0.5), p95_ms: pct(times, 0.95) });
}
console.log(JSON.stringify({ requetes: all.length, p50_ms: pct(all, 0.5), p95_ms: pct(all, 0.95), max_ms: pct(all, 1), par_requete: parQuery }));
