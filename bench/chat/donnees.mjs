// Dataset of bench/chat, as SQL on stdout for a migrated Coop database (both engines: the same
// statements, explicit ids, then the PostgreSQL identity sequences moved past them):
//   - USERS accounts (médiateurs, French names, no password: they never log in by password),
//     each with one open log-in session (sessions.token_hash = SHA-256 of the token, as
//     accounts::open_session stores it; last_seen_at = now, so the first WebSocket of each does not
//     write the sliding expiry); the tokens go to TOKENS_OUT, "user_id token member" per line;
//   - « Général » (channel 1) with every account, as `coop serve` makes it at start-up;
//   - chat:      one thematic channel (id 2) joined by MEMBERS accounts spread over the ids (each
//                arrival in discussion_adhesions, as POST /adhesion records it), one topic (id 1);
//   - recherche: CANAUX channels: Général, 20 départements (each account in one), the rest
//                thematic (each account in 3), SUJETS topics per channel (ids (c-1)·SUJETS+1 …).
//
//   node bench/chat/donnees.mjs chat      DIALECT USERS MEMBERS TOKENS_OUT > data.sql
//   node bench/chat/donnees.mjs recherche DIALECT USERS CANAUX SUJETS TOKENS_OUT > data.sql
import crypto from 'node:crypto';
import fs from 'node:fs';

const [mode, dialect, ...rest] = process.argv.slice(2);
if (!['chat', 'recherche'].includes(mode) || !['sqlite', 'postgres'].includes(dialect)) {
  console.error('usage: donnees.mjs chat|recherche sqlite|postgres …');
  process.exit(2);
}
const USERS = Number(rest[0]);
const now = new Date().toISOString();
const expires = new Date(Date.now() + 12 * 3600e3).toISOString();
const joined = new Date(Date.now() - 30 * 86400e3).toISOString();
let seed = 42;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const q = (s) => `'${String(s).replace(/'/g, "''")}'`;

const PRENOMS = ['Camille', 'Léa', 'Manon', 'Chloé', 'Inès', 'Sarah', 'Julie', 'Emma', 'Nadia', 'Fatou', 'Hélène', 'Maëlle',
  'Lucas', 'Hugo', 'Thomas', 'Karim', 'Yann', 'Mehdi', 'Julien', 'Nicolas', 'Pierre', 'Théo', 'Samuel', 'Amadou', 'Éric'];
const NOMS = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon',
  'Laurent', 'Lefebvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier', 'Morel', 'Girard',
  'André', 'Mercier', 'Dupont', 'Lambert', 'Bonnet', 'François', 'Martinez', 'Diallo', 'Benali', 'Le Gall', 'Kerbrat'];

const out = [];
const batch = (table, cols, rows) => {
  for (let i = 0; i < rows.length; i += 500)
    out.push(`INSERT INTO ${table} (${cols}) VALUES\n${rows.slice(i, i + 500).map((r) => `(${r.join(', ')})`).join(',\n')};`);
};
out.push('BEGIN;');

const users = [], roles = [], sessions = [], tokens = [];
for (let id = 1; id <= USERS; id++) {
  const prenom = PRENOMS[Math.floor(rnd() * PRENOMS.length)];
  const nom = NOMS[Math.floor(rnd() * NOMS.length)];
  const email = `${prenom}.${nom}.${id}@bench.coop.example`.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/ /g, '-').toLowerCase();
  users.push([id, q(email), q(nom), q(prenom), q(joined), q(joined), 1, q(joined)]);
  roles.push([id, id, q('mediateur'), 0, q(joined)]);
  const token = crypto.randomBytes(32).toString('base64url');
  const hash = crypto.createHash('sha256').update(token).digest('hex');
  sessions.push([id, q(hash), id, q(now), q(expires), q(now), q('127.0.0.1'), q('coop-bench-chat')]);
  tokens.push([id, token]);
}
batch('users', 'id, email, nom, prenom, created_at, updated_at, email_confirme, cgu_acceptees_at', users);
batch('user_roles', 'id, user_id, role, conseiller_numerique, created_at', roles);
batch('sessions', 'id, token_hash, user_id, created_at, expires_at, last_seen_at, ip, user_agent', sessions);

const canaux = [[1, q('general'), q(''), q('Général'), q(''), 'NULL', q(joined)]];
const membres = [];
const adhesions = [];
for (let id = 1; id <= USERS; id++) membres.push([1, id, q('membre'), 1, q(joined)]);
const member = new Set();
let tokensOut;
const sujets = [];

if (mode === 'chat') {
  const MEMBERS = Number(rest[1]);
  tokensOut = rest[2];
  canaux.push([2, q('theme'), q(''), q('Démarches en ligne et accès aux droits'),
    q('CAF, impots.gouv, Ameli, ANTS : entraide entre médiateurs sur les démarches des usagers.'), 1, q(joined)]);
  // MEMBERS accounts spread over the whole id range (every k-th one, then the next ones).
  const ids = Array.from({ length: USERS }, (_, i) => i + 1).sort(() => rnd() - 0.5).slice(0, MEMBERS).sort((a, b) => a - b);
  for (const id of ids) {
    member.add(id);
    membres.push([2, id, q(id === ids[0] ? 'moderateur' : 'membre'), 0, q(joined)]);
    adhesions.push([adhesions.length + 1, 2, id, q('entree'), q('adhesion'), id, q(joined)]);
  }
  sujets.push([1, 2, q('Questions CAF et impots.gouv'), q('questions caf et impots.gouv'), ids[0], q(joined)]);
} else {
  const CANAUX = Number(rest[1]);
  const SUJETS = Number(rest[2]);
  tokensOut = rest[3];
  const DEPTS = ['01', '13', '19', '29', '31', '33', '35', '38', '44', '59', '62', '67', '69', '75', '76', '93', '974', '2A', '87', '63'];
  const THEMES = ['Démarches CAF', 'Impôts et impots.gouv', 'Ameli et santé', 'Ateliers seniors', 'Mots de passe et sécurité',
    'France Travail', 'ANTS et carte grise', 'Retraite', 'Aidants Connect', 'Matériel et reconditionnement', 'Pix',
    'Parentalité numérique', 'Arnaques en ligne', 'Logement', 'MSA', 'Formation des médiateurs'];
  for (let c = 2; c <= CANAUX; c++) {
    if (c <= 21) canaux.push([c, q('departement'), q(DEPTS[c - 2]), q(`Département ${DEPTS[c - 2]}`), q(''), 'NULL', q(joined)]);
    else canaux.push([c, q('theme'), q(''), q(`${THEMES[(c - 22) % THEMES.length]} ${Math.floor((c - 22) / THEMES.length) + 1}`), q(''), 1, q(joined)]);
  }
  for (let id = 1; id <= USERS; id++) {
    membres.push([2 + (id % 20), id, q('membre'), 1, q(joined)]);
    const themes = new Set();
    while (themes.size < Math.min(3, CANAUX - 21)) themes.add(22 + Math.floor(rnd() * (CANAUX - 21)));
    for (const t of themes) membres.push([t, id, q('membre'), 0, q(joined)]);
  }
  for (let c = 1; c <= CANAUX; c++)
    for (let k = 1; k <= SUJETS; k++) {
      const titre = `Sujet ${k} du canal ${c}`;
      sujets.push([(c - 1) * SUJETS + k, c, q(titre), q(titre.toLowerCase()), 1, q(joined)]);
    }
}
batch('discussion_canaux', 'id, type, code, nom, description, cree_par, cree_le', canaux);
batch('discussion_membres', 'canal_id, user_id, role, automatique, rejoint_le', membres);
if (adhesions.length) batch('discussion_adhesions', 'id, canal_id, user_id, action, motif, par, le', adhesions);
batch('discussion_sujets', 'id, canal_id, titre, titre_plie, cree_par, cree_le', sujets);
if (dialect === 'postgres')
  for (const t of ['users', 'user_roles', 'sessions', 'discussion_canaux', 'discussion_adhesions', 'discussion_sujets'])
    out.push(`SELECT setval(pg_get_serial_sequence('${t}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM ${t}));`);
out.push('COMMIT;');
process.stdout.write(out.join('\n') + '\n');
fs.writeFileSync(tokensOut, tokens.map(([id, t]) => `${id} ${t} ${member.has(id) ? 1 : 0}`).join('\n') + '\n');
