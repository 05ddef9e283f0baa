// The built front end served by `coop serve --static-dir`: files, single-page-app fallback,
// caching validators, gzip, and no way out of the directory.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { startServer, ENGINE, expectStatus, expectError, rawExchange, responseComplete } from './harness.mjs';

describe(`static front end (--static-dir) [${ENGINE}]`, () => {
  let server, dir, outside;
  const index = '<!doctype html><html lang="fr"><head><title>Coop</title></head><body><div id="root"></div></body></html>\n';
  const js = `export const app = ${JSON.stringify('x'.repeat(5000))};\n`;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coop-it-static-'));
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'coop-it-outside-'));
    fs.writeFileSync(path.join(dir, 'index.html'), index);
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(path.join(dir, 'assets', 'index-3f2a9c.js'), js);
    fs.writeFileSync(path.join(dir, 'assets', 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]));
    fs.writeFileSync(path.join(dir, '.env'), 'SECRET=1\n');
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'hors du dossier\n');
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(dir, 'lien.txt'));
    server = await startServer({ args: ['--static-dir', dir] });
  });
  after(async () => {
    await server?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('GET / serves index.html (no-cache, ETag, nosniff)', async () => {
    const r = expectStatus(await server.client().get('/'), 200);
    assert.equal(r.text, index);
    assert.match(r.headers.get('content-type'), /^text\/html/);
    assert.equal(r.headers.get('cache-control'), 'no-cache');
    assert.ok(r.headers.get('etag'));
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  });

  it('a client-side route (no extension) falls back to index.html; a missing file with an extension → 404', async () => {
    const r = expectStatus(await server.client().get('/activites/12'), 200);
    assert.equal(r.text, index);
    expectStatus(await server.client().get('/invitation/un-jeton'), 200);
    const missing = await server.client().get('/assets/absent.js');
    expectStatus(missing, 404);
    assert.equal(missing.json?.error?.code, 'introuvable');
  });

  it('hashed assets are immutable and gzip-compressed when asked; If-None-Match → 304', async () => {
    const c = server.client();
    const r = expectStatus(await c.get('/assets/index-3f2a9c.js', { headers: { 'accept-encoding': 'gzip' } }), 200);
    assert.equal(r.text, js, 'fetch decodes the gzip body back to the file');
    assert.equal(r.headers.get('content-encoding'), 'gzip');
    assert.match(r.headers.get('content-type'), /^text\/javascript/);
    assert.match(r.headers.get('cache-control'), /immutable/);
    assert.match(r.headers.get('vary') || '', /Accept-Encoding/i);
    // Raw bytes really are gzip and smaller.
    const raw = await rawExchange(server.port,
      `GET /assets/index-3f2a9c.js HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n`);
    assert.equal(raw.status, 200);
    assert.equal(raw.headers['content-encoding'], 'gzip');
    assert.equal(Number(raw.headers['content-length']), raw.bodyBytes.length);
    assert.ok(raw.bodyBytes.length < js.length / 4, 'compressed');
    assert.equal(zlib.gunzipSync(raw.bodyBytes).toString(), js);
    const etag = r.headers.get('etag');
    const cached = await c.get('/assets/index-3f2a9c.js', { headers: { 'accept-encoding': 'gzip', 'if-none-match': etag } });
    expectStatus(cached, 304);
    const plain = await rawExchange(server.port, `GET /assets/index-3f2a9c.js HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    assert.equal(plain.status, 200);
    assert.equal(plain.headers['content-encoding'], undefined, 'no gzip without Accept-Encoding');
    assert.equal(plain.body, js);
  });

  it('binary files keep their type and bytes, uncompressed', async () => {
    const res = await fetch(`${server.baseUrl}/assets/logo.png`, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/png');
    assert.equal(res.headers.get('content-encoding'), null);
    assert.deepEqual([...new Uint8Array(await res.arrayBuffer())], [0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]);
  });

  it('no way out of the directory: "..", hidden files, symlinks leading outside', async () => {
    for (const target of ['/../../etc/passwd', '/assets/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2fetc/passwd']) {
      const r = await rawExchange(server.port, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      assert.ok([400, 404].includes(r.status), `${target} → ${r.text.slice(0, 200)}`);
      assert.doesNotMatch(r.text, /root:/);
    }
    const env = await server.client().get('/.env');
    expectStatus(env, 404);
    assert.doesNotMatch(env.text, /SECRET/);
    const link = await server.client().get('/lien.txt');
    expectStatus(link, 404);
    assert.doesNotMatch(link.text, /hors du dossier/);
    const bs = await rawExchange(server.port, `GET /assets\\..\\..\\etc\\passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    assert.ok([400, 404].includes(bs.status), bs.text.slice(0, 200));
  });

  it('the API is never shadowed by the front end: unknown /api paths are JSON 404s, /metrics works', async () => {
    const c = server.client();
    for (const p of ['/api/inconnue', '/api', '/api/pas-encore/12']) {
      const r = await c.get(p);
      expectError(r, 404, 'route_inconnue', [], p);
      assert.doesNotMatch(r.text, /<!doctype/i);
    }
    expectStatus(await c.get('/api/health'), 200);
    assert.match(expectStatus(await c.get('/metrics'), 200).text, /coop_http_requests_total/);
    const ws = await rawExchange(server.port, `GET /ws HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, { stopWhen: responseComplete });
    assert.ok(ws.status >= 400 && ws.status < 500, `/ws without an upgrade: ${ws.text.slice(0, 200)}`);
    assert.doesNotMatch(ws.text, /<!doctype/i);
  });

  it('only GET and HEAD reach the files', async () => {
    const c = server.client();
    const head = await c.request('HEAD', '/');
    expectStatus(head, 200);
    assert.equal(head.text, '');
    const post = await c.post('/', { json: {} });
    assert.ok(post.status === 404 || post.status === 405, `POST / → ${post.status}`);
    assert.doesNotMatch(post.text, /<!doctype/i);
  });
});
