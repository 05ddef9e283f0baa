// The peer of bench/chat: a minimal Node.js broadcast server on the `ws` package, what most Node
// chat servers build on. Same protocol surface as Coop for the load client:
//   - GET /ws upgrade with the `coop_session` cookie (looked up in memory: the tokens file of
//     the benchmark, "user_id token member"), Origin required;
//   - POST /api/discussion/canaux/{id}/messages {sujet_id, texte} with the session cookie and the
//     CSRF cookie/header pair: the author must be a member; answers 201 with the message and sends
//     to every socket of every member the same event frame as Coop's
//     {"type":"discussion","seq","evenement":"message_cree","canal_id","data":{…,"cree_le_us"}}.
// No database, no markdown, no persistence: a message is built in memory and broadcast. The
// frame is encoded once into a Buffer and that Buffer handed to every socket (ws then frames it
// per socket), the usual "for (const c of clients) c.send(data)" loop.
//   node bench/chat/peer/server.mjs --port P --tokens FILE [--canal 2]
import http from 'node:http';
import fs from 'node:fs';
import { WebSocketServer } from 'ws';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
const port = Number(args.port || 0);
const canal = Number(args.canal || 2);

const users = new Map(); // token → user id
const members = new Set();
for (const line of fs.readFileSync(args.tokens, 'utf8').split('\n')) {
  const [uid, token, member] = line.trim().split(/\s+/);
  if (!token) continue;
  users.set(token, Number(uid));
  if (member === '1') members.add(Number(uid));
}

const sockets = new Map(); // user id → Set of sockets
let seq = 0;
let nextId = 1;

function cookies(req) {
  const out = {};
  for (const part of (req.headers.cookie || '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}
const escapeHtml = (s) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
function send(res, status, obj) {
  const body = JSON.stringify(obj);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const server = http.createServer((req, res) => {
  const m = /^\/api\/discussion\/canaux\/(\d+)\/messages$/.exec(req.url);
  if (req.method !== 'POST' || !m) return send(res, 404, { error: { code: 'introuvable', message: 'Introuvable.' } });
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const c = cookies(req);
    const uid = users.get(c.coop_session);
    if (!uid) return send(res, 401, { error: { code: 'non_authentifie', message: 'Connectez-vous.' } });
    if (!c.coop_csrf || c.coop_csrf !== req.headers['x-csrf-token'])
      return send(res, 403, { error: { code: 'csrf', message: 'Jeton CSRF absent ou invalide.' } });
    if (Number(m[1]) !== canal || !members.has(uid)) return send(res, 403, { error: { code: 'acces_refuse', message: 'Accès refusé.' } });
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return send(res, 400, { error: { code: 'json_invalide', message: 'Corps JSON invalide.' } });
    }
    if (typeof body.texte !== 'string' || !body.texte.trim())
      return send(res, 400, { error: { code: 'validation', message: 'Texte obligatoire.', fields: { texte: 'Ce champ est obligatoire.' } } });
    const now = Date.now();
    const cree_le_us = Math.round((performance.timeOrigin + performance.now()) * 1000);
    const message = {
      id: nextId++, canal_id: canal, sujet_id: body.sujet_id ?? 1, auteur: { id: uid, nom: `Utilisateur ${uid}` },
      texte: body.texte, html: `<p>${escapeHtml(body.texte)}</p>`, cree_le: new Date(now).toISOString(), modifie_le: null,
      supprime: false, epingle: false, reactions: [], fichiers: [], cartes: [], mentions: [], cree_le_us,
    };
    seq += 1;
    const frame = Buffer.from(JSON.stringify({ type: 'discussion', seq, evenement: 'message_cree', canal_id: canal, data: message }));
    for (const member of members) {
      const set = sockets.get(member);
      if (set) for (const ws of set) ws.send(frame, { binary: false });
    }
    send(res, 201, message);
  });
});

const wss = new WebSocketServer({ noServer: true });
server.on('upgrade', (req, socket, head) => {
  const uid = users.get(cookies(req).coop_session);
  if (req.url !== '/ws' || !req.headers.origin || !uid) {
    socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => {
    let set = sockets.get(uid);
    if (!set) sockets.set(uid, (set = new Set()));
    set.add(ws);
    ws.on('close', () => set.delete(ws));
    ws.on('error', () => {});
  });
});
server.listen(port, '127.0.0.1', () => {
  console.log(`peer listening on http://127.0.0.1:${server.address().port} (${users.size} sessions, ${members.size} members)`);
});
