// Markdown report of bench/chat/run.sh from the JSON lines of its parts (coop.jsonl, peer.jsonl:
// the load client's phases; recherche.jsonl: the search timings).
//   node bench/chat/report.mjs TMPDIR LOADAVG USERS MEMBERS STEP POSTERS THREADS
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

const [dir, load, users, members, step, posters, threads] = process.argv.slice(2);
const read = (f) => {
  const p = path.join(dir, f);
  return fs.existsSync(p) ? fs.readFileSync(p, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
};
const coop = read('coop.jsonl');
const peer = read('peer.jsonl');
const recherche = read('recherche.jsonl');
const nf = (x) => Math.round(x).toLocaleString('en-US').replace(/,/g, ' ');
const ms = (x) => (x < 0 ? '–' : x >= 100 ? `${x.toFixed(0)} ms` : x >= 10 ? `${x.toFixed(1)} ms` : `${x.toFixed(2)} ms`);
const pc = (x) => `${(x * 100).toFixed(0)} %`;
let version = 'coop';
try {
  version = execFileSync(process.env.COOP_BIN || 'build/coop', ['--version']).toString().trim().split('\n')[0];
} catch {}
const wsVersion = (() => {
  try {
    return JSON.parse(fs.readFileSync('bench/chat/peer/node_modules/ws/package.json', 'utf8')).version;
  } catch {
    return '?';
  }
})();

const out = [];
const say = (s = '') => out.push(s);
say(`## Chat benchmark (bench/chat/run.sh, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC)`);
say();
say(`- command: \`${process.env.BENCH_CHAT_COMMAND || 'bash bench/chat/run.sh'}\` (\`make bench-chat\` builds what it needs, then runs it)`);
say(`- machine: ${os.cpus().length} CPU (${os.cpus()[0]?.model ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; load average before the run: ${load} (other work on the machine skews the figures); the load client runs on the same CPUs`);
say(`- Coop: ${version}, \`coop serve --threads ${threads}\` (4 workers), SQLite; the peer: Node.js ${process.version}, ws ${wsVersion} (bench/chat/peer/server.mjs, one process)`);
say(`- scenario: ${nf(users)} WebSockets, one per user with its own session; ${nf(members)} of the users in the channel posted to; posts through HTTP (up to ${posters} keep-alive connections, opened as needed, each post with the session of a member, round robin), open loop, ${step} s per rate, until two rates saturate the server`);
say();

const conn = (rows) => rows.find((r) => r.phase === 'connexions');
const steps = (rows) => rows.filter((r) => r.phase === 'palier');
const cC = conn(coop);
const cP = conn(peer);
if (cC) {
  say('### Connections');
  say();
  say('| server | asked | held | failed | members connected | time to open | RSS before | RSS after | per idle connection |');
  say('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const [name, c] of [['Coop', cC], ['peer (Node.js + ws)', cP]]) {
    if (!c) continue;
    say(`| ${name} | ${nf(c.demandees)} | ${nf(c.ouvertes)} | ${c.echecs} | ${nf(c.membres)} | ${c.duree_s.toFixed(1)} s | ${(c.rss_avant_kb / 1024).toFixed(0)} MiB | ${(c.rss_apres_kb / 1024).toFixed(0)} MiB | ${(c.octets_par_connexion / 1024).toFixed(1)} KiB |`);
  }
  say();
  for (const [name, rows] of [['Coop', coop], ['peer (Node.js + ws)', peer]]) {
    if (!rows.length) continue;
    say(`### Posting: ${name}`);
    say();
    say('| posts/s asked | obtained | deliveries | delivery p50 | delivery p99 | slowest member p50 | slowest member p99 | POST p99 | deliveries/s | server CPU | deliveries per server CPU-second | client CPU | |');
    say('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
    for (const s of steps(rows)) {
      const note = [s.sature ? '**saturated**' : '', s.complet ? '' : `${nf(s.livraisons_attendues - s.livraisons)} missing`, s.posts_erreurs ? `${s.posts_erreurs} POST errors` : '', s.ws_fermees ? `${s.ws_fermees} sockets closed` : ''].filter(Boolean).join(', ');
      say(`| ${s.debit_demande} | ${s.debit_obtenu.toFixed(1)} | ${nf(s.livraisons)} | ${ms(s.latence_p50_ms)} | ${ms(s.latence_p99_ms)} | ${ms(s.dernier_membre_p50_ms)} | ${ms(s.dernier_membre_p99_ms)} | ${ms(s.post_http_p99_ms)} | ${nf(s.livraisons_par_s)} | ${pc(s.cpu_serveur)} | ${nf(s.livraisons_par_s_cpu)} | ${pc(s.cpu_client)} | ${note} |`);
    }
    say();
  }
}

const best = (rows) => Math.max(0, ...steps(rows).map((s) => s.livraisons_par_s));
const at = (rows, r) => steps(rows).find((s) => s.debit_demande === r);
const rC = at(coop, 10);
const rP = at(peer, 10);
if (cC && cP) {
  say('### Coop / peer');
  say();
  say('| figure | Coop | peer | Coop / peer |');
  say('|---|---:|---:|---:|');
  say(`| deliveries/s at saturation (best rate) | ${nf(best(coop))} | ${nf(best(peer))} | ×${(best(coop) / best(peer)).toFixed(2)} |`);
  const eff = (rows) => Math.max(0, ...steps(rows).filter((s) => s.livraisons > 10000).map((s) => s.livraisons_par_s_cpu));
  say(`| deliveries per server CPU-second (best rate with > 10,000 deliveries) | ${nf(eff(coop))} | ${nf(eff(peer))} | ×${(eff(coop) / eff(peer)).toFixed(2)} |`);
  say(`| memory per idle connection | ${(cC.octets_par_connexion / 1024).toFixed(1)} KiB | ${(cP.octets_par_connexion / 1024).toFixed(1)} KiB | ×${(cC.octets_par_connexion / cP.octets_par_connexion).toFixed(2)} |`);
  if (rC && rP) {
    say(`| delivery p99 at 10 posts/s | ${ms(rC.latence_p99_ms)} | ${ms(rP.latence_p99_ms)} | ×${(rC.latence_p99_ms / rP.latence_p99_ms).toFixed(2)} |`);
    say(`| server CPU at 10 posts/s | ${pc(rC.cpu_serveur)} | ${pc(rP.cpu_serveur)} | ×${(rC.cpu_serveur / rP.cpu_serveur).toFixed(2)} |`);
  }
  say();
}

if (recherche.length) {
  say('### Search (GET /api/discussion/recherche, one request at a time)');
  say();
  say('| engine | messages | requests | p50 | p95 | max | slowest query (its p95, matches) | dataset built in |');
  say('|---|---:|---:|---:|---:|---:|---|---:|');
  for (const r of recherche) {
    const w = [...r.par_requete].sort((a, b) => b.p95_ms - a.p95_ms)[0];
    say(`| ${r.moteur === 'sqlite' ? 'SQLite (FTS5)' : 'PostgreSQL (GIN tsvector)'} | ${nf(r.messages)} | ${r.requetes} | ${ms(r.p50_ms)} | ${ms(r.p95_ms)} | ${ms(r.max_ms)} | « ${w.q} » ${ms(w.p95_ms)}, ${nf(w.total)} | ${r.generation_s} s |`);
  }
  say();
  say('<details><summary>Per query</summary>');
  say();
  say(`| query | ${recherche.map((r) => `${r.moteur} matches | ${r.moteur} p50 | ${r.moteur} p95`).join(' | ')} |`);
  say(`|---|${recherche.map(() => '---:|---:|---:').join('|')}|`);
  for (let i = 0; i < recherche[0].par_requete.length; i++)
    say(`| ${recherche[0].par_requete[i].q} | ${recherche.map((r) => `${nf(r.par_requete[i].total)} | ${ms(r.par_requete[i].p50_ms)} | ${ms(r.par_requete[i].p95_ms)}`).join(' | ')} |`);
  say();
  say('</details>');
  say();
}

// Targets of the issue.
const ok = (b) => (b ? 'met' : '**missed**');
const rows = [];
if (cC) {
  const fermees = Math.max(0, ...steps(coop).map((s) => s.ws_fermees));
  const lentes = fs.existsSync(path.join(dir, 'coop.dropped')) ? Number(fs.readFileSync(path.join(dir, 'coop.dropped'), 'utf8').trim() || 0) : 0;
  const tenu = cC.ouvertes >= 10000 && cC.echecs === 0;
  rows.push(['10,000 connections held', `${nf(cC.ouvertes)} held, ${cC.echecs} failed${fermees ? `; ${nf(fermees)} closed by the server during the rates (${nf(lentes)} « outgoing queue full » in its log)` : ''}`,
    !tenu ? ok(false) : fermees ? 'met idle, **not under load**' : ok(true)]);
  if (rC) rows.push([`p99 delivery to the ${nf(members)} members < 100 ms at 10 posts/s`, `${ms(rC.latence_p99_ms)} (slowest member per post: p99 ${ms(rC.dernier_membre_p99_ms)})`, ok(rC.latence_p99_ms < 100 && rC.complet)]);
  rows.push(['≤ 20 KiB of server memory per idle connection', `${(cC.octets_par_connexion / 1024).toFixed(1)} KiB`, ok(cC.octets_par_connexion <= 20 * 1024)]);
  if (cP) rows.push(['≥ 3× the peer\'s deliveries per second', `×${(best(coop) / best(peer)).toFixed(2)} (${nf(best(coop))} vs ${nf(best(peer))})`, ok(best(coop) >= 3 * best(peer))]);
}
for (const r of recherche)
  rows.push([`search p95 < 50 ms at ${nf(r.messages)} messages (${r.moteur})`, ms(r.p95_ms), ok(r.p95_ms < 50)]);
if (rows.length) {
  say('### Targets (issue 10, 2 cores, load generator included)');
  say();
  say('| target | measured | |');
  say('|---|---|---|');
  for (const r of rows) say(`| ${r.join(' | ')} |`);
  say();
}
process.stdout.write(out.join('\n') + '\n');
