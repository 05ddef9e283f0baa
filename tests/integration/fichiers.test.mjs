// The file store (features/fichiers) through a real `coop serve`, both engines: upload, the type
// read from the content whatever the name and the client claim, safe download headers, previews
// of large images, the size limit, an upload cut halfway leaves nothing, other users get 404,
// and two instances sharing PostgreSQL read the same file.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { startServer, ENGINE, DEMO, expectStatus, expectError, rawExchange } from './harness.mjs';

const MAX_KO = 2048;  // above --body-limit-kb 512: the upload route has its own limit
const BODY_KO = 512;

// A real RGB PNG of w×h pixels.
function png(w, h, seed = 0) {
  const crcTable = new Int32Array(256).map((_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c;
  });
  const crc = (buf) => {
    let c = -1;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ -1) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) raw.set([(x + seed) & 255, y & 255, 128], y * (w * 3 + 1) + 1 + x * 3);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

const sha256 = (buf) => crypto.createHash('sha256').update(buf).digest('hex');

function multipart(parts, boundary = `----coop${crypto.randomBytes(8).toString('hex')}`) {
  const chunks = [];
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if (p.filename !== undefined) head += `; filename="${p.filename}"`;
    head += '\r\n';
    if (p.type) head += `Content-Type: ${p.type}\r\n`;
    chunks.push(Buffer.from(head + '\r\n'), Buffer.from(p.data), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

async function upload(client, data, { filename = 'fichier.bin', type = 'application/octet-stream', field = 'fichier' } = {}) {
  const m = multipart([{ name: field, filename, type, data }]);
  return client.post('/api/fichiers', { body: m.body, headers: { 'content-type': m.contentType } });
}

// GET with the client's cookies, answer as bytes (the harness' client reads text).
async function download(client, path, headers = {}) {
  const res = await fetch(client.base + path, { headers: { cookie: client.cookieHeader(), ...headers } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

describe(`file store [${ENGINE}]`, () => {
  let server, med, coord;

  before(async () => {
    server = await startServer({ args: ['--fichiers-max-ko', String(MAX_KO), '--body-limit-kb', String(BODY_KO)] });
    med = await server.login(DEMO.mediatrice);
    coord = await server.login(DEMO.coordination);
  });
  after(async () => {
    await server?.dispose();
  });

  it('an image is stored, typed from its content and served inline with safe headers', async () => {
    const image = png(40, 30);
    // The name and the part's Content-Type lie: it is a PNG.
    const r = expectStatus(await upload(med, image, { filename: 'rapport.pdf', type: 'application/pdf' }), 201).json;
    assert.equal(r.sha256, sha256(image));
    assert.equal(r.type, 'image/png');
    assert.equal(r.image, true);
    assert.equal(r.largeur, 40);
    assert.equal(r.hauteur, 30);
    assert.equal(r.taille, image.length);
    assert.equal(r.nom, 'rapport.pdf');
    assert.equal(r.url, `/api/fichiers/${r.sha256}`);
    const d = await download(med, r.url);
    assert.equal(d.status, 200);
    assert.ok(d.bytes.equals(image));
    assert.equal(d.headers.get('content-type'), 'image/png');
    assert.equal(d.headers.get('content-disposition'), "inline; filename=\"rapport.pdf\"; filename*=UTF-8''rapport.pdf");
    assert.equal(d.headers.get('x-content-type-options'), 'nosniff');
    assert.match(d.headers.get('content-security-policy'), /default-src 'none'.*sandbox/);
    // A small image is its own preview.
    const a = await download(med, r.apercu_url);
    assert.ok(a.bytes.equals(image));
    // Cached by the browser: same ETag, 304.
    const again = await download(med, r.url, { 'if-none-match': d.headers.get('etag') });
    assert.equal(again.status, 304);
  });

  it('a file whose name lies about its type is typed from its content and downloaded as an attachment', async () => {
    const html = Buffer.from('<html><body><script>alert(document.cookie)</script>Été</body></html>');
    const r = expectStatus(await upload(med, html, { filename: 'photo de l’été.png', type: 'image/png' }), 201).json;
    assert.equal(r.type, 'text/plain; charset=utf-8');
    assert.equal(r.image, false);
    assert.equal(r.apercu_url, null);
    const d = await download(med, r.url);
    assert.equal(d.status, 200);
    assert.ok(d.bytes.equals(html));
    assert.equal(d.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.equal(d.headers.get('content-disposition'),
      "attachment; filename=\"photo de l_____t__.png\"; filename*=UTF-8''photo%20de%20l%E2%80%99%C3%A9t%C3%A9.png");
    // Executables and unknown binaries are octet-stream attachments; names lose their path.
    const exe = Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]);
    const e = expectStatus(await upload(med, exe, { filename: '..\\..\\facture.pdf', type: 'application/pdf' }), 201).json;
    assert.equal(e.type, 'application/octet-stream');
    assert.equal(e.nom, 'facture.pdf');
    const de = await download(med, e.url);
    assert.match(de.headers.get('content-disposition'), /^attachment; /);
  });

  it('the same content uploaded twice is one file; the list shows the user\'s uploads', async () => {
    const data = Buffer.from(`contenu ${crypto.randomBytes(8).toString('hex')}`);
    const a = expectStatus(await upload(med, data, { filename: 'a.txt' }), 201).json;
    const b = expectStatus(await upload(med, data, { filename: 'b.txt' }), 201).json;
    assert.equal(a.sha256, b.sha256);
    const items = expectStatus(await med.get('/api/fichiers'), 200).json.items;
    assert.equal(items.filter((f) => f.sha256 === a.sha256).length, 1);
    assert.equal(items.find((f) => f.sha256 === a.sha256).nom, 'b.txt');
    // Another user uploading it gets it under their own name; the first keeps theirs.
    expectStatus(await upload(coord, data, { filename: 'copie.txt' }), 201);
    assert.match((await download(med, a.url)).headers.get('content-disposition'), /filename="b\.txt"/);
    assert.match((await download(coord, a.url)).headers.get('content-disposition'), /filename="copie\.txt"/);
  });

  it('a user without access gets 404, anonymous 401, a malformed hash 404', async () => {
    const secret = Buffer.from(`secret ${crypto.randomBytes(8).toString('hex')}`);
    const r = expectStatus(await upload(med, secret, { filename: 'secret.txt' }), 201).json;
    expectError(await coord.get(r.url), 404, 'introuvable');
    assert.ok(!expectStatus(await coord.get('/api/fichiers'), 200).json.items.some((f) => f.sha256 === r.sha256));
    const anon = server.client();
    expectError(await anon.get(r.url), 401, 'non_authentifie');
    expectError(await med.get('/api/fichiers/pas-un-hash'), 404, 'introuvable');
    expectError(await med.get(`/api/fichiers/${r.sha256.toUpperCase()}`), 404, 'introuvable');
    expectError(await med.get(`/api/fichiers/${'0'.repeat(64)}`), 404, 'introuvable');
  });

  it('large images get a bounded JPEG preview; the original stays whole', async () => {
    const image = png(800, 300, 7);
    const r = expectStatus(await upload(med, image, { filename: 'grande.png', type: 'image/png' }), 201).json;
    assert.equal(r.largeur, 800);
    assert.ok(image.length < MAX_KO * 1024);
    const a = await download(med, r.apercu_url);
    assert.equal(a.status, 200);
    assert.equal(a.headers.get('content-type'), 'image/jpeg');
    assert.deepEqual([...a.bytes.subarray(0, 3)], [0xff, 0xd8, 0xff]);
    assert.ok(a.bytes.length < image.length);
    assert.ok((await download(med, r.url)).bytes.equals(image));
  });

  it('bad uploads: a French error naming the field, nothing stored', async () => {
    let e = expectError(await med.post('/api/fichiers', { json: { fichier: 'x' } }), 400, 'fichier_invalide', ['fichier']);
    assert.match(e.json.error.message, /multipart\/form-data/);
    expectError(await upload(med, Buffer.alloc(0)), 400, 'fichier_invalide', ['fichier']);
    expectError(await upload(med, Buffer.from('x'), { field: 'autre' }), 400, 'fichier_invalide', ['fichier']);
    const big = crypto.randomBytes(MAX_KO * 1024 + 1);
    e = expectError(await upload(med, big), 413, 'fichier_trop_grand', ['fichier']);
    assert.match(e.json.error.message, /2 Mio/);
    expectError(await med.get(`/api/fichiers/${sha256(big)}`), 404, 'introuvable');
    // A multipart body cut before its closing delimiter: refused, nothing stored.
    const data = crypto.randomBytes(1000);
    const m = multipart([{ name: 'fichier', filename: 'x.bin', data }]);
    const cut = m.body.subarray(0, m.body.length - 20);
    expectError(await med.post('/api/fichiers', { body: cut, headers: { 'content-type': m.contentType } }), 400, 'fichier_invalide');
    expectError(await med.get(`/api/fichiers/${sha256(data)}`), 404, 'introuvable');
  });

  it('an upload cut halfway (the connection drops) leaves nothing', async () => {
    const data = crypto.randomBytes(100 * 1024);
    const m = multipart([{ name: 'fichier', filename: 'coupe.bin', data }]);
    const before = expectStatus(await med.get('/api/fichiers'), 200).json.items.length;
    await med.ensureCsrf();
    const head = `POST /api/fichiers HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nOrigin: ${server.origin}\r\n` +
      `Cookie: ${med.cookieHeader()}\r\nX-CSRF-Token: ${med.csrf}\r\nContent-Type: ${m.contentType}\r\n` +
      `Content-Length: ${m.body.length}\r\n\r\n`;
    const res = await rawExchange(server.port, async (sock) => {
      sock.write(head);
      sock.write(m.body.subarray(0, m.body.length >> 1));
      await new Promise((r) => setTimeout(r, 200));
      sock.destroy();
    }, { timeoutMs: 3000 });
    assert.equal(res.status, null, 'no answer to a request that never arrived whole');
    expectError(await med.get(`/api/fichiers/${sha256(data)}`), 404, 'introuvable');
    assert.equal(expectStatus(await med.get('/api/fichiers'), 200).json.items.length, before);
    // The server is fine and the whole upload then works.
    const ok = expectStatus(await med.post('/api/fichiers', { body: m.body, headers: { 'content-type': m.contentType } }), 201).json;
    assert.equal(ok.sha256, sha256(data));
  });

  it('the upload route takes files over --body-limit-kb; other routes and larger bodies are refused', async () => {
    const data = crypto.randomBytes(1536 * 1024);  // 1.5 MiB: over the 512 KiB of every other route
    const r = expectStatus(await upload(med, data, { filename: 'gros.bin' }), 201).json;
    assert.equal(r.taille, data.length);
    assert.ok((await download(med, r.url)).bytes.equals(data));
    // Another route keeps --body-limit-kb.
    const json = JSON.stringify({ nom: 'x'.repeat((BODY_KO + 10) * 1024) });
    expectError(await med.patch('/api/me', { body: json, headers: { 'content-type': 'application/json' } }), 413, 'corps_trop_grand');
    // A Content-Length over the upload route's limit (file + 64 KiB) is refused on its header.
    await med.ensureCsrf();
    const res = await rawExchange(server.port,
      `POST /api/fichiers HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nOrigin: ${server.origin}\r\n` +
      `Cookie: ${med.cookieHeader()}\r\nX-CSRF-Token: ${med.csrf}\r\n` +
      'Content-Type: multipart/form-data; boundary=b\r\n' +
      `Content-Length: ${(MAX_KO + 65) * 1024}\r\n\r\n`, { timeoutMs: 3000 });
    assert.equal(res.status, 413);
    assert.match(res.body, /corps_trop_grand/);
    assert.ok(server.running);
  });
});

describe(`file store, two instances sharing PostgreSQL [${ENGINE}]`, { skip: ENGINE !== 'postgres' && 'PostgreSQL only' }, () => {
  let a, b;
  before(async () => {
    a = await startServer();
    b = await startServer({ db: a.db, demo: false });
  });
  after(async () => {
    try {
      if (b) await b.stop();
    } finally {
      await a?.dispose();
    }
  });

  it('a file uploaded on A is read on B', async () => {
    const onA = await a.login(DEMO.mediatrice);
    const image = png(700, 300, 3);
    const r = expectStatus(await upload(onA, image, { filename: 'partagée.png' }), 201).json;
    const onB = b.client();
    for (const [k, v] of onA.cookies) onB.cookies.set(k, v);
    const d = await download(onB, r.url);
    assert.equal(d.status, 200);
    assert.ok(d.bytes.equals(image));
    const p = await download(onB, r.apercu_url);
    assert.equal(p.headers.get('content-type'), 'image/jpeg');
    const other = await b.login(DEMO.coordination);
    expectError(await other.get(r.url), 404, 'introuvable');
  });
});
