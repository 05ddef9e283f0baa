// HTTP half of bench/statistiques/run.sh: for each scenario printed by `coop bench-statistiques`
// (one JSON line each, on stdin), logs in as the scenario's account and times repeated
// GET /api/statistiques?<requete> (full dashboard payload, read to the end), after two warm-up
// requests. Checks that the dashboard counts the activities the engine counted in-process.
// Prints one JSON line per scenario with p50/p95 in milliseconds.
//   node bench/statistiques/http.mjs BASE_URL REPETITIONS < scenarios.jsonl
import { createInterface } from 'node:readline';

const [base, repsArg] = process.argv.slice(2);
const reps = Number(repsArg || 30);
const PASSWORD = 'coop-demo-2026!';

function percentile(values, p) {
  const v = [...values].sort((a, b) => a - b);
  return v[Math.min(v.length - 1, Math.round(p * (v.length - 1)))];
}

async function login(email) {
  const jar = new Map();
  const keep = (res) => {
    for (const c of res.headers.getSetCookie()) {
      const m = /^([^=]+)=([^;]*)/.exec(c);
      if (m) jar.set(m[1], m[2]);
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  keep(await fetch(`${base}/api/health`));
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base, 'x-csrf-token': jar.get('coop_csrf') ?? '', cookie: cookie() },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`log-in of ${email}: ${res.status} ${await res.text()}`);
  keep(res);
  return cookie();
}

const lines = [];
for await (const line of createInterface({ input: process.stdin })) if (line.trim()) lines.push(JSON.parse(line));
const sessions = new Map();
for (const sc of lines.filter((l) => l.kind === 'scenario')) {
  if (!sessions.has(sc.email)) sessions.set(sc.email, await login(sc.email));
  const cookie = sessions.get(sc.email);
  const times = [];
  let bytes = 0;
  let activites = -1;
  for (let i = 0; i < reps + 2; i++) {
    const start = process.hrtime.bigint();
    const res = await fetch(`${base}/api/statistiques?${sc.requete}`, { headers: { cookie } });
    const text = await res.text();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (res.status !== 200) throw new Error(`${sc.nom}: ${res.status} ${text.slice(0, 300)}`);
    if (i >= 2) times.push(ms);
    bytes = text.length;
    activites = JSON.parse(text).totaux.activites;
  }
  console.log(JSON.stringify({
    nom: sc.nom, http_p50_ms: percentile(times, 0.5), http_p95_ms: percentile(times, 0.95), octets: bytes,
    activites_http: activites, activites_moteur: sc.activites,
  }));
}
