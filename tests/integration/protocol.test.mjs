// HTTP-level behaviour: JSON errors, 404/405/413/400, raw malformed requests, referentiel
// endpoints, /metrics, the OpenAPI document.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, ENGINE, DEMO, expectStatus, expectError, rawExchange, responseComplete, coopRoutes, sleep,
} from './harness.mjs';

describe(`HTTP protocol, referentiel, metrics, OpenAPI [${ENGINE}]`, () => {
  let server;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server?.dispose();
  });

  describe('request errors', () => {
    it('malformed JSON body → 400 json_invalide', async () => {
      const c = server.client();
      for (const body of ['{"email":', 'not json', '', '{"a":1}}', '\u0000']) {
        const r = await c.post('/api/auth/login', { body, headers: { 'content-type': 'application/json' } });
        expectError(r, 400, 'json_invalide', [], JSON.stringify(body));
      }
      for (const body of ['[]', '"texte"', '42', 'null']) {
        const r = await c.post('/api/auth/login', { body, headers: { 'content-type': 'application/json' } });
        expectError(r, 400, 'json_invalide', [], `non-object ${body}`);
      }
    });

    it('invalid UTF-8 in a JSON body → 400 json_invalide', async () => {
      const c = server.client();
      await c.ensureCsrf();
      const body = Buffer.concat([Buffer.from('{"email":"'), Buffer.from([0xc3, 0x28]), Buffer.from('","password":"x"}')]);
      const r = await c.post('/api/auth/login', { body, headers: { 'content-type': 'application/json' } });
      expectError(r, 400, 'json_invalide');
    });

    it('a field of the wrong type (email: 42) → 400 validation with fields.email', async () => {
      const c = server.client();
      const r = await c.post('/api/auth/login', { json: { email: 42, password: 'x' } });
      expectError(r, 400, 'validation', ['email']);
      const r2 = await c.post('/api/auth/login', { json: { email: ['a@b.fr'], password: { x: 1 } } });
      expectError(r2, 400, 'validation', ['email', 'password']);
      const admin = await server.login(DEMO.admin);
      const r3 = await admin.patch('/api/users/1', { json: { disabled: 'oui' } });
      expectError(r3, 400, 'validation', ['disabled']);
      const r4 = await admin.post('/api/structures/1/employes', { json: { user_id: 'douze', debut: '2025-01-01' } });
      expectError(r4, 400, 'validation', ['user_id']);
    });

    it('an over-long field → 400 validation for that field', async () => {
      const r = await server.client().post('/api/auth/login', { json: { email: `${'a'.repeat(300)}@exemple.fr`, password: 'x' } });
      expectError(r, 400, 'validation', ['email']);
    });

    it('unknown route → 404 JSON route_inconnue', async () => {
      const c = server.client();
      for (const p of ['/api/nope', '/api/users/1/nope', '/api', '/api/', '/metrics/x', '/api/communes/69123/extra']) {
        const r = await c.get(p);
        expectError(r, 404, 'route_inconnue', [], p);
        assert.match(r.headers.get('content-type'), /^application\/json/);
      }
      const post = await c.post('/api/nope', { json: {} });
      expectError(post, 404, 'route_inconnue');
    });

    it('wrong method (DELETE /api/me) → 405 with an Allow header listing the methods', async () => {
      const c = await server.login(DEMO.admin);
      const r = await c.delete('/api/me');
      expectError(r, 405, 'methode_non_autorisee');
      const allow = (r.headers.get('allow') || '').split(',').map((s) => s.trim()).sort();
      assert.deepEqual(allow, ['GET', 'PATCH'], `Allow: ${r.headers.get('allow')}`);
      expectStatus(await c.get('/api/me'), 200, 'DELETE did nothing');
      const r2 = await c.put('/api/health', { json: {} });
      expectStatus(r2, 405);
      assert.equal(r2.headers.get('allow'), 'GET');
      const r3 = await server.client().post('/api/me', { json: {} });
      expectStatus(r3, 405, 'anonymous too: 405 before 401');
    });

    it('HEAD on a GET route → same status and headers, no body', async () => {
      const r = await server.client().request('HEAD', '/api/health');
      expectStatus(r, 200);
      assert.equal(r.text, '');
      assert.ok(Number(r.headers.get('content-length')) > 0);
    });

    it('a body just under the limit is read; over 1 MiB (Content-Length) → 413 JSON', async () => {
      const c = server.client();
      await c.ensureCsrf();
      // Exactly 1 MiB of valid JSON: parsed (400 validation: the fields are missing), not refused.
      const pad = '{"pad":"' + 'x'.repeat(1024 * 1024 - 10) + '"}';
      assert.equal(Buffer.byteLength(pad), 1024 * 1024);
      const ok = await c.post('/api/auth/login', { body: pad, headers: { 'content-type': 'application/json' } });
      expectError(ok, 400, 'validation', ['email']);

      const size = 2 * 1024 * 1024;
      const head =
        `POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: application/json\r\n` +
        `Cookie: coop_csrf=${c.csrf}\r\nX-CSRF-Token: ${c.csrf}\r\nContent-Length: ${size}\r\n\r\n`;
      const r = await rawExchange(server.port, async (sock) => {
        sock.write(head);
        sock.write('{"pad":"' + 'x'.repeat(64 * 1024));
      }, { stopWhen: responseComplete });
      assert.equal(r.status, 413, `raw response: ${r.text.slice(0, 300)} (error ${r.error})`);
      assert.match(r.headers['content-type'], /^application\/json/);
      assert.equal(JSON.parse(r.body).error.code, 'corps_trop_grand');
      expectStatus(await server.client().get('/api/health'), 200);
    });

    it('over 1 MiB sent chunked (no Content-Length) → 413 JSON', async () => {
      const c = server.client();
      await c.ensureCsrf();
      const head =
        `POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: application/json\r\n` +
        `Cookie: coop_csrf=${c.csrf}\r\nX-CSRF-Token: ${c.csrf}\r\nTransfer-Encoding: chunked\r\n\r\n`;
      let got = '';
      const r = await rawExchange(server.port, async (sock) => {
        sock.on('data', (d) => (got += d));
        sock.write(head);
        const chunk = 'x'.repeat(64 * 1024);
        for (let i = 0; i < 40 && !got; i++) {  // up to 2.5 MiB, until the server answers
          if (!sock.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`)) await new Promise((res) => sock.once('drain', res));
          await sleep(1);
        }
      }, { stopWhen: responseComplete, timeoutMs: 10_000 });
      assert.equal(r.status, 413, `raw response: ${r.text.slice(0, 300)} (error ${r.error})`);
      assert.equal(JSON.parse(r.body).error.code, 'corps_trop_grand');
    });

    // 1.1 MiB: after its 413 the server reads (and drops) at most 1 MiB more before closing, so a
    // client still sending a much larger body (10 MiB) mostly gets EPIPE instead of the answer.
    it('a real client (fetch) posting 1.1 MiB gets the 413 JSON answer', async () => {
      const c = server.client();
      const body = JSON.stringify({ email: 'a@b.fr', password: 'x', pad: 'y'.repeat(1126 * 1024) });
      let r;
      try {
        r = await c.post('/api/auth/login', { body, headers: { 'content-type': 'application/json' } });
      } catch (e) {
        assert.fail(`fetch failed instead of receiving a 413: ${e.cause?.code || e.message}`);
      }
      expectError(r, 413, 'corps_trop_grand');
    });

    it('malformed HTTP over a raw socket → 400, and the server still answers /api/health', async () => {
      const cases = [
        'GARBAGE\r\n\r\n',
        'GET /api/health HTTP/1.1\r\nHost: x\r\nThis header has no colon\r\n\r\n',
        'GET /api/health HTTP/9.9\r\nHost: x\r\n\r\n',
        'POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
        'POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!',
        'GET /api/health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
        'GET /api/he\u0000alth HTTP/1.1\r\nHost: x\r\n\r\n',
      ];
      for (const raw of cases) {
        const r = await rawExchange(server.port, raw, { stopWhen: responseComplete });
        assert.equal(r.status, 400, `${JSON.stringify(raw)} → ${JSON.stringify(r.text.slice(0, 200))} (error ${r.error})`);
        assert.equal(JSON.parse(r.body).error.code, 'requete_invalide', JSON.stringify(raw));
      }
      expectStatus(await server.client().get('/api/health'), 200);
    });

    it('a request target that is not a path → 400; percent-encoded paths are decoded', async () => {
      const r = await rawExchange(server.port, `GET http://evil.example/api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      assert.ok([400, 404].includes(r.status), `absolute-form target: ${r.text.slice(0, 200)}`);
      const bad = await rawExchange(server.port, `GET /api/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      assert.equal(bad.status, 400, bad.text.slice(0, 200));
      const enc = expectStatus(await server.client().get('/api/communes/%36%39%31%32%33'), 200);
      assert.equal(enc.json.code, '69123');
    });

    it('too many header bytes → 431 JSON', async () => {
      const r = await rawExchange(server.port, `GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20 * 1024)}\r\n\r\n`, { stopWhen: responseComplete });
      assert.equal(r.status, 431, r.text.slice(0, 200));
      expectStatus(await server.client().get('/api/health'), 200);
    });

    it('keep-alive: several requests on one connection, pipelined', async () => {
      const one = `GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;
      const last = `GET /api/regions HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`;
      const r = await rawExchange(server.port, one + one + last, { timeoutMs: 5000 });
      const statuses = [...r.text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));
      assert.deepEqual(statuses, [200, 200, 200], r.text.slice(0, 300));
    });

    it('an X-Request-Id sent by the client is echoed; a weird one is replaced', async () => {
      const c = server.client();
      const r = await c.get('/api/health', { headers: { 'x-request-id': 'abc-123_XYZ' } });
      assert.equal(r.headers.get('x-request-id'), 'abc-123_XYZ');
      const r2 = await c.get('/api/health', { headers: { 'x-request-id': 'a b<script>' } });
      assert.notEqual(r2.headers.get('x-request-id'), 'a b<script>');
      assert.match(r2.headers.get('x-request-id'), /^[A-Za-z0-9_-]+$/);
    });

    // Regression: decoded paths and query parameters must be UTF-8 (checked in parse_target),
    // else PostgreSQL refused them and the request ended in 503.
    it('invalid UTF-8 in a query parameter → 400, never a 5xx', async () => {
      const admin = await server.login(DEMO.admin);
      const problems = [];
      for (const p of ['/api/users?q=%FF', '/api/structures?q=%C3%28', '/api/mediateurs?q=ab%FE', '/api/communes?q=%FF']) {
        const r = await admin.get(p);
        if (r.status >= 500 || !(r.status === 200 || r.status === 400)) problems.push(`${p} → ${r.status} ${r.text.slice(0, 120)}`);
      }
      assert.deepEqual(problems, []);
    });

    it('query parameters out of range → 400 validation naming the parameter', async () => {
      const c = server.client();
      expectError(await c.get('/api/communes?q=lyon&limit=51'), 400, 'validation', ['limit']);
      expectError(await c.get('/api/communes?q=lyon&limit=0'), 400, 'validation', ['limit']);
      expectError(await c.get('/api/communes?q=lyon&limit=dix'), 400, 'validation', ['limit']);
      expectError(await c.get(`/api/communes?q=${'a'.repeat(101)}`), 400, 'validation', ['q']);
    });
  });

  describe('referentiel', () => {
    it('communes search "lyon": first item is Lyon 69123 with its département and région', async () => {
      const r = expectStatus(await server.client().get('/api/communes?q=lyon'), 200);
      const first = r.json.items[0];
      assert.equal(first.code, '69123');
      assert.equal(first.nom, 'Lyon');
      assert.equal(first.departement, '69');
      assert.equal(first.departement_nom, 'Rhône');
      assert.equal(first.region, '84');
      assert.equal(first.region_nom, 'Auvergne-Rhône-Alpes');
      assert.equal(first.type, 'commune-actuelle');
      assert.ok(first.codes_postaux.includes('69001'));
      assert.ok(first.population > 400000);
      assert.ok(r.json.items.length <= 10, 'default limit 10');
    });

    it('communes search by postal code "69001": Lyon first, then its 1st arrondissement', async () => {
      const r = expectStatus(await server.client().get('/api/communes?q=69001'), 200);
      assert.equal(r.json.items[0].code, '69123');
      assert.ok(r.json.items.some((c) => c.code === '69381' && c.type === 'arrondissement-municipal'));
    });

    it('communes search is accent-insensitive: "saint-etienne" → Saint-Étienne (42218); "st etienne" too', async () => {
      for (const q of ['saint-etienne', 'SAINT ETIENNE', 'st etienne', 'Saint-Étienne']) {
        const r = expectStatus(await server.client().get(`/api/communes?q=${encodeURIComponent(q)}`), 200);
        assert.equal(r.json.items[0]?.code, '42218', `${q}: ${JSON.stringify(r.json.items.slice(0, 3).map((c) => c.nom))}`);
        assert.equal(r.json.items[0].nom, 'Saint-Étienne');
      }
    });

    it('communes search: INSEE code, limit, empty query', async () => {
      const c = server.client();
      assert.equal(expectStatus(await c.get('/api/communes?q=75056'), 200).json.items[0].nom, 'Paris');
      assert.equal(expectStatus(await c.get('/api/communes?q=sa&limit=50'), 200).json.items.length, 50);
      assert.deepEqual(expectStatus(await c.get('/api/communes?q='), 200).json.items, []);
      assert.deepEqual(expectStatus(await c.get('/api/communes'), 200).json.items, []);
    });

    it('GET /api/communes/{code}; unknown → 404', async () => {
      const c = server.client();
      const r = expectStatus(await c.get('/api/communes/69123'), 200);
      assert.equal(r.json.nom, 'Lyon');
      assert.equal(expectStatus(await c.get('/api/communes/2a004'), 200).json.nom, 'Ajaccio');
      expectError(await c.get('/api/communes/00000'), 404);
    });

    it('départements (101) and régions (18)', async () => {
      const c = server.client();
      const d = expectStatus(await c.get('/api/departements'), 200).json.items;
      assert.equal(d.length, 101);
      assert.deepEqual(d.find((x) => x.code === '69'), { code: '69', nom: 'Rhône', region: '84' });
      const r = expectStatus(await c.get('/api/regions'), 200).json.items;
      assert.equal(r.length, 18);
      assert.ok(r.some((x) => x.code === '53' && x.nom === 'Bretagne'));
    });
  });

  describe('operations', () => {
    // A request is counted just after its response is written: poll a little.
    async function metricsUntil(pred, what) {
      let text = '';
      for (let i = 0; i < 40; i++) {
        text = expectStatus(await server.client().get('/metrics'), 200).text;
        if (pred(text)) return text;
        await sleep(50);
      }
      assert.fail(`${what}:\n${text.slice(0, 3000)}`);
    }

    it('/metrics exposes coop_http_requests_total labelled by route pattern, and coop_websockets_open', async () => {
      const admin = await server.login(DEMO.admin);
      expectStatus(await admin.get(`/api/users/${admin.user.id}`), 200);
      expectStatus(await server.client().get('/api/nope-metrics'), 404);
      const isUsers = (l) => l.startsWith('coop_http_requests_total{') && l.includes('route="/api/users/{id}"') &&
        /method="GET"/.test(l) && /status="200"/.test(l) && /\s\d+(\.\d+)?$/.test(l);
      const text = await metricsUntil((t) => t.split('\n').some(isUsers),
        'no coop_http_requests_total{route="/api/users/{id}",method="GET",status="200"} line');
      const r = await server.client().get('/metrics');
      assert.match(r.headers.get('content-type'), /^text\/plain/);
      const lines = text.split('\n');
      assert.ok(!lines.some((l) => l.includes(`/api/users/${admin.user.id}"`)), 'ids never become labels');
      assert.ok(!lines.some((l) => l.includes('nope-metrics')), 'unknown paths never become labels');
      assert.ok(lines.some((l) => /^coop_http_requests_total\{.*route="unmatched"/.test(l)));
      assert.ok(lines.some((l) => /^coop_websockets_open(\{\})? \d+/.test(l)), 'coop_websockets_open gauge');
      assert.ok(lines.some((l) => l.startsWith('# TYPE coop_http_requests_total counter')));
      assert.ok(lines.some((l) => l.startsWith('coop_http_request_duration_seconds_bucket{')));
      assert.ok(lines.some((l) => l.startsWith('coop_db_connections{')));
    });

    it('/metrics counts requests: the counter for a route grows by the number of calls', async () => {
      const count = (t) => {
        const l = t.split('\n').find((x) => x.startsWith('coop_http_requests_total{') && x.includes('route="/api/regions"') && x.includes('status="200"'));
        return l ? Number(l.split(' ').pop()) : 0;
      };
      const before = count(expectStatus(await server.client().get('/metrics'), 200).text);
      const c = server.client();
      for (let i = 0; i < 3; i++) expectStatus(await c.get('/api/regions'), 200);
      const text = await metricsUntil((t) => count(t) >= before + 3, 'counter did not reach before + 3');
      assert.equal(count(text), before + 3);
    });

    it('GET /api/openapi.json is an OpenAPI 3.0.x JSON document', async () => {
      const r = expectStatus(await server.client().get('/api/openapi.json'), 200);
      assert.match(r.headers.get('content-type'), /^application\/json/);
      const doc = JSON.parse(r.text);
      assert.match(doc.openapi, /^3\.0\.\d+$/);
      assert.equal(typeof doc.info?.title, 'string');
      assert.equal(typeof doc.paths, 'object');
    });

    it('the OpenAPI document describes every route of `coop routes`', async () => {
      const doc = (await server.client().get('/api/openapi.json')).json;
      const missing = [];
      for (const r of coopRoutes()) {
        const ops = doc.paths?.[r.path];
        if (!ops || !ops[r.method.toLowerCase()]) missing.push(`${r.method} ${r.path}`);
      }
      assert.deepEqual(missing, []);
    });
  });
});
