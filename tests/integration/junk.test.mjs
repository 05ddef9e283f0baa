// Robustness: every route of `coop routes`, called by principals who pass its access rule,
// with bodies and parameters of the wrong shape (types, sizes, Unicode, nesting). Whatever
// the input, the answer is a JSON 4xx — never a 5xx, never a dropped connection — and the
// server stays healthy.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, coopRoutes, ENGINE, DEMO, expectStatus, allPages } from './harness.mjs';

const FIELDS = [
  'email', 'password', 'nom', 'prenom', 'telephone', 'roles', 'disabled', 'siret', 'adresse', 'commune_insee',
  'user_id', 'debut', 'fin', 'mediateur_id', 'role', 'structure_id', 'conseiller_numerique',
  'current_password', 'new_password',
];
const VALUES = [
  null, 0, -1, 1.5, 1e308, 9223372036854775807, -9223372036854775808, 18446744073709551615, true, false,
  '', ' ', 'x'.repeat(5000), '\u0000', '\u202e\u0301', '😀'.repeat(50), '2025-13-45', '9999-12-31', '0000-00-00',
  '../../etc/passwd', "'; DROP TABLE users; --", '%00', '{"a":1}', [], [1, 'a', null], {}, { role: 'admin' },
  [{ role: 'admin', structure_id: 'x' }], [{ role: 'gestionnaire_structure', structure_id: -5 }], [[[]]],
];
const PATH_VALUES = ['0', '-1', '99999999999999999999', 'abc', '%00', '%2e%2e', '1e3', '０１', '1;2', 'x'.repeat(300)];

// Deterministic pseudo-random choices, so a failure can be replayed.
function rng(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

describe(`junk input on every route [${ENGINE}]`, () => {
  let server, routes;
  const clients = {};
  const ids = {};

  before(async () => {
    routes = coopRoutes();
    server = await startServer();
    clients.admin = await server.login(DEMO.admin);
    clients.gestionnaire_structure = await server.login(DEMO.gestion);
    clients.coordinateur = await server.login(DEMO.coordination);
    clients.mediateur = await server.login(DEMO.mediatrice);
    clients.anyone = server.client();
    const users = await allPages(clients.admin, '/api/users');
    ids.user = users.find((u) => u.email === DEMO.lyon).id;
    ids.s1 = clients.gestionnaire_structure.user.roles[0].structure_id;
    ids.eid = expectStatus(await clients.admin.get(`/api/structures/${ids.s1}/employes`), 200).json.items[0].id;
    ids.member = expectStatus(await clients.coordinateur.get('/api/equipe'), 200).json.items[0].id;
    // The public API v1 is called by an API client (HTTP Basic), with every scope.
    const api = expectStatus(await clients.admin.post('/api/admin/clients-api', {
      json: { nom: 'Junk', scopes: ['statistiques', 'activites', 'structures', 'lieux_activite', 'utilisateurs'] },
    }), 201).json;
    const basic = Buffer.from(`${api.client_id}:${api.client_secret}`).toString('base64');
    clients.api_client = server.client({ headers: { authorization: `Basic ${basic}` } });
  });
  after(async () => {
    await server?.dispose();
  });

  function whoMayCall(access) {
    if (access === 'anyone') return 'anyone';
    if (access === 'logged_in') return 'mediateur';
    if (access.startsWith('api_client(')) return 'api_client';
    return access.split('|').includes('admin') ? 'admin' : access.split('|')[0];
  }

  function realParams(path) {
    return path
      .replace('{eid}', String(ids.eid))
      .replace('/api/equipe/membres/{id}', `/api/equipe/membres/${ids.member}`)
      .replace('/api/structures/{id}', `/api/structures/${ids.s1}`)
      .replace('/api/users/{id}', `/api/users/${ids.user}`)
      .replace('{token}', 'jeton-inconnu')
      .replace('{code}', '69123');
  }

  it('junk bodies and path parameters never produce a 5xx', async () => {
    const next = rng(20261128);
    const pick = (arr) => arr[Math.floor(next() * arr.length)];
    const problems = [];
    let calls = 0;
    for (const route of routes) {
      if (route.path === '/api/auth/logout') continue; // would end the session used below
      const client = clients[whoMayCall(route.access)];
      const attempts = [];
      // Path parameters of every kind.
      if (route.path.includes('{'))
        for (const v of PATH_VALUES) attempts.push({ path: route.path.replace(/\{\w+\}/g, encodeURIComponent(v).replace(/%25/g, '%')), body: {} });
      if (route.method !== 'GET') {
        const path = realParams(route.path);
        for (const f of FIELDS) for (let k = 0; k < 3; k++) attempts.push({ path, body: { [f]: pick(VALUES) } });
        for (let k = 0; k < 10; k++) {
          const body = {};
          for (const f of FIELDS) if (next() < 0.5) body[f] = pick(VALUES);
          attempts.push({ path, body });
        }
        for (const raw of ['[]', '"x"', '1', '{"a":', '{"email":"\\ud800"}', '{"x":' + '['.repeat(1000) + ']'.repeat(1000) + '}'])
          attempts.push({ path, raw });
      } else {
        const path = realParams(route.path);
        // (invalid UTF-8 in q: see protocol.test.mjs, a known bug on PostgreSQL)
        for (const q of ['page=0', 'page=-1', 'per_page=100000', 'page=abc', 'limit=1e3', 'q=' + 'é'.repeat(200), 'role=x', 'user_id=0'])
          attempts.push({ path: `${path}?${q}` });
      }
      for (const a of attempts) {
        let res;
        try {
          res = a.raw !== undefined
            ? await client.request(route.method, a.path, { body: a.raw, headers: { 'content-type': 'application/json' } })
            : await client.request(route.method, a.path, route.method === 'GET' ? {} : { json: a.body });
        } catch (e) {
          problems.push(`${route.method} ${a.path} ${JSON.stringify(a.body ?? a.raw)?.slice(0, 120)} → connection error ${e.cause?.code || e.message}`);
          continue;
        }
        calls++;
        if (res.status >= 500 || (res.status >= 400 && !res.json?.error?.code))
          problems.push(`${route.method} ${a.path.slice(0, 80)} ${JSON.stringify(a.body ?? a.raw)?.slice(0, 160)} → ${res.status} ${res.text.slice(0, 160)}`);
      }
    }
    assert.ok(calls > 500, `${calls} calls`);
    assert.deepEqual(problems, [], `${problems.length} problem(s)`);
    expectStatus(await server.client().get('/api/health'), 200);
    expectStatus(await clients.admin.get('/api/me'), 200, 'the admin session survived');
  });
});
