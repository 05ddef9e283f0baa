// Ressources (issue 11) through a real `coop serve`, both engines: validation with nothing
// half-written, uploads (type sniffed, size limit), text extracted from PDF and ODT files, the
// PDF preview, French search (accents, variants, prefix, relevance) with facets and the same
// answers on SQLite and PostgreSQL, visibility, versions, copies, collections, favourites,
// follows, votes, comments, reports and moderation, downloads with HTTP Range, deletion dropping
// unreferenced files, the public v1 listing, and (PostgreSQL) an upload on one instance
// downloaded from another.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startServer, ENGINE, DEMO, expectStatus, expectError, randomId, rawExchange } from './harness.mjs';

const MAX_KO = 700;

// A small valid PDF (one page, Helvetica, WinAnsi text) written by hand.
export function pdf(lines) {
  const esc = (s) => s.replace(/[\\()]/g, (c) => `\\${c}`);
  const content = ['BT', '/F1 14 Tf', '50 780 Td', '18 TL',
    ...lines.map((l) => `(${esc(l)}) Tj T*`), 'ET'].join('\n');
  const stream = Buffer.from(content, 'latin1');
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    null,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
  ];
  const parts = [Buffer.from('%PDF-1.4\n%\xE2\xE3\xCF\xD3\n', 'latin1')];
  const offsets = [];
  let len = parts[0].length;
  objs.forEach((o, i) => {
    offsets.push(len);
    const b = o === null
      ? Buffer.concat([Buffer.from(`${i + 1} 0 obj\n<< /Length ${stream.length} >>\nstream\n`, 'latin1'), stream,
        Buffer.from('\nendstream\nendobj\n', 'latin1')])
      : Buffer.from(`${i + 1} 0 obj\n${o}\nendobj\n`, 'latin1');
    parts.push(b);
    len += b.length;
  });
  let xref = `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) xref += `${String(o).padStart(10, '0')} 00000 n \n`;
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${len}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(parts);
}

// A minimal ODT (zip with mimetype first, stored) made with the system's zip.
function odt(text) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coop-odt-'));
  fs.writeFileSync(path.join(dir, 'mimetype'), 'application/vnd.oasis.opendocument.text');
  fs.writeFileSync(path.join(dir, 'content.xml'),
    '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ' +
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>' +
    `<text:p>${text.replace(/ (\S+)$/, ' <text:span>$1</text:span>')}</text:p><text:p>Fin &amp; suite</text:p></office:text></office:body></office:document-content>`);
  execFileSync('zip', ['-X', '-0', '-q', 'doc.odt', 'mimetype'], { cwd: dir });
  execFileSync('zip', ['-X', '-q', 'doc.odt', 'content.xml'], { cwd: dir });
  const b = fs.readFileSync(path.join(dir, 'doc.odt'));
  fs.rmSync(dir, { recursive: true, force: true });
  return b;
}

function multipart(name, filename, data) {
  const boundary = `----coop${crypto.randomBytes(8).toString('hex')}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n'),
    data, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const upload = (client, data, filename = 'fichier.pdf') =>
  client.post('/api/ressources/fichiers', multipart('fichier', filename, data));

async function download(client, p, headers = {}) {
  const res = await fetch(client.base + p, { headers: { cookie: client.cookieHeader(), ...headers } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

const base = (o = {}) => ({
  titre: 'Ressource', resume: '', description: '', thematiques: ['email'], publics: ['seniors'],
  format: 'fiche_pas_a_pas', niveau: 'debutant', visibilite: 'public', statut: 'publie', ...o,
});

describe(`ressources [${ENGINE}]`, () => {
  let server, med, lyon, marseille, admin;
  const tag = randomId(3);  // a word of this run, so searches see only this test's resources
  const ids = {};

  before(async () => {
    server = await startServer({ args: ['--ressources-max-ko', String(MAX_KO), '--body-limit-kb', '256'] });
    med = await server.login(DEMO.mediatrice);
    lyon = await server.login(DEMO.lyon);
    marseille = await server.login(DEMO.marseille);
    admin = await server.login(DEMO.admin);
  });
  after(async () => { await server?.dispose(); });

  const search = async (client, query) => expectStatus(await client.get(`/api/ressources?${query}`), 200).json;

  it('bad input: each field named in a JSON error, nothing written', async () => {
    const avant = (await search(med, 'miennes=1&facettes=0')).total;
    let r = await med.post('/api/ressources', { json: base({ titre: '  ', thematiques: ['cuisine'], format: 'roman', duree_minutes: 0 }) });
    expectError(r, 400, 'validation', ['titre', 'thematiques', 'format', 'duree_minutes']);
    assert.match(r.json.error.fields.thematiques, /Thématique inconnue/);
    r = await med.post('/api/ressources', { json: base({ titre: 'Liens', liens: [{ url: 'javascript:alert(1)', titre: 'x' }] }) });
    expectError(r, 400, 'validation', ['liens.0.url']);
    r = await med.post('/api/ressources', { json: base({ titre: 'Fichier', fichiers: ['a'.repeat(64)] }) });
    expectError(r, 400, 'validation', ['fichiers']);
    r = await med.post('/api/ressources', { json: base({ titre: 'Structure', structure_id: 999999 }) });
    expectError(r, 400, 'validation', ['structure_id']);
    assert.equal((await search(med, 'miennes=1&facettes=0')).total, avant);
  });

  it('the editor\'s preview renders unsaved markdown as a description is; the referentiel lists the structures one may publish for', async () => {
    const md = `**Gras ${tag}** et [un lien](javascript:alert(1))\n\n- un\n- deux\n\n<script>alert(1)</script>`;
    const apercu = expectStatus(await med.post('/api/ressources/apercu', { json: { description: md } }), 200).json;
    const cree = expectStatus(await med.post('/api/ressources', { json: base({ titre: `Aperçu ${tag}`, description: md, visibilite: 'prive' }) }), 201).json;
    assert.equal(apercu.html, cree.description_html);  // the very same rendering
    assert.match(apercu.html, new RegExp(`<strong>Gras ${tag}</strong>`));
    assert.match(apercu.html, /<li>un<\/li>/);
    assert.doesNotMatch(apercu.html, /<script|javascript:/);
    assert.equal(expectStatus(await med.post('/api/ressources/apercu', { json: { description: '' } }), 200).json.html, '');
    expectError(await med.post('/api/ressources/apercu', { json: {} }), 400, 'validation', ['description']);
    expectError(await med.post('/api/ressources/apercu', { json: { description: 12 } }), 400, 'validation', ['description']);
    expectError(await med.post('/api/ressources/apercu', { json: { description: 'x'.repeat(50001) } }), 400, 'validation', ['description']);
    // CSRF as every POST: without the token, refused.
    await med.ensureCsrf();
    const sansJeton = await fetch(`${med.base}/api/ressources/apercu`, {
      method: 'POST', headers: { cookie: med.cookieHeader(), 'content-type': 'application/json', origin: server.origin }, body: '{"description":"a"}',
    });
    assert.equal(sansJeton.status, 403);
    // mes_structures: the mediatrice works at the Bachut, its gestionnaire manages it, Tulle's mediator is elsewhere.
    const structures = expectStatus(await med.get('/api/structures'), 200).json.items;
    const bachut = structures.find((x) => x.nom === 'Médiathèque du Bachut').id;
    const mes = async (client) => expectStatus(await client.get('/api/ressources/referentiel'), 200).json.mes_structures;
    assert.deepEqual(await mes(med), [{ id: bachut, nom: 'Médiathèque du Bachut' }]);
    assert.ok((await mes(await server.login(DEMO.gestion))).some((x) => x.id === bachut));
    const deTulle = await mes(await server.login(DEMO.tulle));
    assert.ok(deTulle.length >= 1 && !deTulle.some((x) => x.id === bachut));
    // Each one offered is accepted as structure_id.
    const t = await server.login(DEMO.tulle);
    const r = expectStatus(await t.post('/api/ressources', { json: base({ titre: `Tulle ${tag}`, structure_id: deTulle[0].id, visibilite: 'prive' }) }), 201).json;
    assert.equal(r.structure.id, deTulle[0].id);
    assert.deepEqual(await mes(admin), []);  // an administrator without employment is offered none (the API still accepts any)
  });

  it('uploads: wrong type → 415, oversize → 413, both naming « fichier »', async () => {
    let r = await upload(med, Buffer.from('<html><script>alert(1)</script></html>'), 'page.pdf');
    expectError(r, 415, 'type_non_accepte', ['fichier']);
    r = await upload(med, Buffer.concat([Buffer.from('%PDF-1.4\n'), crypto.randomBytes(MAX_KO * 1024 + 10)]));
    expectError(r, 413, 'fichier_trop_grand', ['fichier']);
  });

  it('an upload cut halfway leaves nothing; a file over --body-limit-kb but under the route limit is taken', async () => {
    const contenu = Buffer.concat([pdf([`Coupé ${tag}`]), crypto.randomBytes(300 * 1024)]);  // 300 KiB > --body-limit-kb 256
    const m = multipart('fichier', 'coupe.pdf', contenu);
    const sha = crypto.createHash('sha256').update(contenu).digest('hex');
    const avant = expectStatus(await med.get('/api/fichiers'), 200).json.items.length;
    await med.ensureCsrf();
    const head = `POST /api/ressources/fichiers HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nOrigin: ${server.origin}\r\n` +
      `Cookie: ${med.cookieHeader()}\r\nX-CSRF-Token: ${med.csrf}\r\nContent-Type: ${m.headers['content-type']}\r\n` +
      `Content-Length: ${m.body.length}\r\n\r\n`;
    const res = await rawExchange(server.port, async (sock) => {
      sock.write(head);
      sock.write(m.body.subarray(0, m.body.length >> 1));
      await new Promise((r) => setTimeout(r, 200));
      sock.destroy();
    }, { timeoutMs: 3000 });
    assert.equal(res.status, null, 'no answer to a request that never arrived whole');
    assert.equal(expectStatus(await med.get('/api/fichiers'), 200).json.items.length, avant);
    assert.equal((await download(med, `/api/fichiers/${sha}`)).status, 404);
    const ok = expectStatus(await med.post('/api/ressources/fichiers', m), 201).json;  // the route's own limit
    assert.equal(ok.sha256, sha);
    assert.equal(ok.taille, contenu.length);
    expectError(await med.post('/api/ressources', { body: JSON.stringify({ titre: 'x'.repeat(300 * 1024) }), headers: { 'content-type': 'application/json' } }),
      413, 'corps_trop_grand');
  });

  it('a PDF: text extracted, first page as a preview, searchable without accents, by variant and prefix', async () => {
    const f = expectStatus(await upload(med, pdf([`Atelier ${tag} : la messagerie electronique`, 'Créer une adresse et envoyer des pièces jointes.']), 'Fiche e-mail.pdf'), 201).json;
    assert.equal(f.type, 'application/pdf');
    assert.equal(f.texte_indexe, true);
    assert.ok(f.apercu_url, 'a PDF gets a preview');
    const r = expectStatus(await med.post('/api/ressources', { json: base({
      titre: `Découvrir les e-mails ${tag}`, resume: 'Premiers pas', description: '**Gras** <script>x</script>',
      fichiers: [f.sha256], liens: [{ url: 'https://www.example.org/guide', titre: 'Guide' }], duree_minutes: 90,
    }) }), 201).json;
    ids.pdf = r.id;
    assert.equal(r.licence, 'cc_by_sa_4');
    assert.match(r.description_html, /<strong>Gras<\/strong>/);
    assert.doesNotMatch(r.description_html, /<script>/);
    assert.equal(r.fichiers.length, 1);
    assert.equal(r.fichiers[0].url, `/api/ressources/${r.id}/fichiers/${f.sha256}`);
    assert.ok(r.apercu_url);
    const img = await download(lyon, r.apercu_url);
    assert.equal(img.status, 200);
    assert.equal(img.headers.get('content-type'), 'image/jpeg');
    assert.equal(img.bytes.subarray(0, 3).toString('hex'), 'ffd8ff');
    // Words only in the PDF: without accents (pièces → pieces), plural (jointes), a prefix.
    for (const q of ['pieces jointes', 'piece jointe', 'messa', `${tag} electroniques`]) {
      const s = await search(lyon, `q=${encodeURIComponent(q)}`);
      assert.ok(s.items.some((i) => i.id === r.id), `« ${q} » finds the PDF's text`);
    }
    const s = await search(lyon, `q=${encodeURIComponent(`${tag} messa`)}&prefixe=0`);
    assert.ok(!s.items.some((i) => i.id === r.id), 'without prefix, « messa » is not « messagerie »');
  });

  it('an ODT: its XML text is searchable (a word split over spans stays one word)', async () => {
    const f = expectStatus(await upload(med, odt(`Tutoriel ${tag} tablette numériquement`), 'tablette.odt'), 201).json;
    assert.equal(f.type, 'application/vnd.oasis.opendocument.text');
    assert.equal(f.texte_indexe, true);
    const r = expectStatus(await med.post('/api/ressources', { json: base({ titre: `Prendre en main ${tag}`, fichiers: [f.sha256], format: 'tutoriel_video', thematiques: ['prendre_en_main_du_materiel'], publics: ['tout_public'] }) }), 201).json;
    ids.odt = r.id;
    const s = await search(lyon, `q=${encodeURIComponent(`${tag} numeriquement`)}`);
    assert.deepEqual(s.items.map((i) => i.id), [r.id]);
  });

  it('relevance: title beats summary beats body; facets count with the other filters; same order on both engines', async () => {
    const mot = `kit${tag}`;
    const c = async (o) => expectStatus(await med.post('/api/ressources', { json: base(o) }), 201).json.id;
    const corps = await c({ titre: `Autre ${tag} A`, description: `Un ${mot} caché dans le texte`, format: 'diaporama', niveau: 'avance', licence: 'cc0' });
    const titre = await c({ titre: `Le ${mot} des ateliers`, thematiques: ['email', 'sante'], format: 'kit_communication' });
    const resume = await c({ titre: `Autre ${tag} B`, resume: `Le ${mot} en résumé`, publics: ['jeunes'] });
    let s = await search(lyon, `q=${mot}`);
    assert.deepEqual(s.items.map((i) => i.id), [titre, resume, corps]);
    assert.equal(s.total, 3);
    assert.equal(s.tri, 'pertinence');
    const fac = Object.fromEntries(Object.entries(s.facettes).map(([k, v]) => [k, Object.fromEntries(v.map((x) => [x.code, x.nombre]))]));
    assert.deepEqual(fac.thematique, { email: 3, sante: 1 });
    assert.deepEqual(fac.format, { fiche_pas_a_pas: 1, diaporama: 1, kit_communication: 1 });
    assert.deepEqual(fac.public, { seniors: 2, jeunes: 1 });
    assert.deepEqual(fac.licence, { cc_by_sa_4: 2, cc0: 1 });
    assert.equal(s.facettes.format.find((x) => x.code === 'diaporama').libelle, 'Diaporama');
    // A filter narrows the list but the facet's own counts stay (disjunctive facets).
    s = await search(lyon, `q=${mot}&format=diaporama&format=kit_communication`);
    assert.deepEqual(s.items.map((i) => i.id), [titre, corps]);
    assert.equal(s.facettes.format.length, 3);
    assert.deepEqual(s.facettes.thematique.map((x) => [x.code, x.nombre]), [['email', 2], ['sante', 1]]);
    s = await search(lyon, `q=${mot}&thematique=sante`);
    assert.deepEqual(s.items.map((i) => i.id), [titre]);
    // Votes: « les plus utiles ».
    expectStatus(await lyon.put(`/api/ressources/${corps}/utile`), 200);
    expectStatus(await marseille.put(`/api/ressources/${corps}/utile`), 200);
    expectStatus(await lyon.put(`/api/ressources/${resume}/utile`), 200);
    const u = expectStatus(await lyon.put(`/api/ressources/${resume}/utile`), 200).json;  // idempotent
    assert.equal(u.compteurs.utiles, 1);
    assert.equal(u.moi.utile, true);
    s = await search(lyon, `q=${mot}&tri=utiles`);
    assert.deepEqual(s.items.map((i) => i.id), [corps, resume, titre]);
    s = await search(lyon, `q=${mot}&tri=recent`);
    assert.deepEqual(s.items.map((i) => i.id), [resume, titre, corps]);
    expectError(await med.put(`/api/ressources/${titre}/utile`), 400, 'validation', ['utile']);
    expectError(await lyon.get(`/api/ressources?format=roman`), 400, 'validation', ['format']);
    expectError(await lyon.get(`/api/ressources?tri=hasard`), 400, 'validation', ['tri']);
  });

  it('visibility: private and drafts for the author only, « équipe » for colleagues and the team', async () => {
    const c = async (o) => expectStatus(await med.post('/api/ressources', { json: base({ titre: `Visibilité ${tag}`, ...o }) }), 201).json.id;
    const prive = await c({ visibilite: 'prive' });
    const equipe = await c({ visibilite: 'equipe' });
    const brouillon = await c({ statut: 'brouillon', thematiques: [] });
    expectStatus(await med.get(`/api/ressources/${prive}`), 200);
    expectStatus(await med.get(`/api/ressources/${brouillon}`), 200);
    expectError(await lyon.get(`/api/ressources/${prive}`), 404, 'introuvable');
    expectError(await lyon.get(`/api/ressources/${brouillon}`), 404, 'introuvable');
    expectStatus(await lyon.get(`/api/ressources/${equipe}`), 200);  // same structure
    expectError(await marseille.get(`/api/ressources/${equipe}`), 404, 'introuvable');
    const vus = (await search(lyon, `q=${encodeURIComponent(`visibilite ${tag}`)}`)).items.map((i) => i.id);
    assert.deepEqual(vus, [equipe]);
    const miens = (await search(med, `q=${encodeURIComponent(`visibilite ${tag}`)}&miennes=1`)).items.map((i) => i.id).sort();
    assert.deepEqual(miens, [prive, equipe, brouillon].sort());
    // The team: a coordinator's mediators see each other's « équipe » resources, and the
    // coordinator theirs; someone outside the team and the structure does not.
    const rennes = await server.login(DEMO.rennes);
    const tulle = await server.login(DEMO.tulle);
    const coord = await server.login(DEMO.coordination);
    const deLyon = expectStatus(await lyon.post('/api/ressources', { json: base({ titre: `Équipe ${tag}`, visibilite: 'equipe' }) }), 201).json.id;
    expectStatus(await rennes.get(`/api/ressources/${deLyon}`), 200);
    expectStatus(await coord.get(`/api/ressources/${deLyon}`), 200);
    expectError(await tulle.get(`/api/ressources/${deLyon}`), 404, 'introuvable');
    expectStatus(await admin.get(`/api/ressources/${deLyon}`), 200);  // moderators
    // A resource in a structure's name: its gestionnaire may edit it, publishing there needs to work there.
    const structures = expectStatus(await med.get('/api/structures'), 200).json.items;
    const bachut = structures.find((x) => x.nom === 'Médiathèque du Bachut').id;
    const gestion = await server.login(DEMO.gestion);
    const deStructure = expectStatus(await med.post('/api/ressources', { json: base({ titre: `Structure ${tag}`, structure_id: bachut }) }), 201).json;
    assert.equal(deStructure.structure.nom, 'Médiathèque du Bachut');
    const edite = expectStatus(await gestion.put(`/api/ressources/${deStructure.id}`, { json: base({ titre: `Structure ${tag} relue`, note_version: 'Relue' }) }), 200).json;
    assert.equal(edite.structure.id, bachut);
    assert.equal(edite.auteur.id, deStructure.auteur.id);
    expectError(await tulle.post('/api/ressources', { json: base({ titre: 'Ailleurs', structure_id: bachut }) }), 400, 'validation', ['structure_id']);
    // Publishing a draft needs a thématique.
    expectError(await med.put(`/api/ressources/${brouillon}`, { json: base({ titre: 'B', thematiques: [] }) }), 400, 'validation', ['thematiques']);
    ids.prive = prive;
  });

  it('versions with a change note; only the author edits; a copy credits the original', async () => {
    const id = ids.pdf;
    const avant = expectStatus(await med.get(`/api/ressources/${id}`), 200).json;
    expectStatus(await lyon.put(`/api/ressources/${id}`, { json: base({ titre: 'Pris' }) }), 403);
    const r = expectStatus(await med.put(`/api/ressources/${id}`, { json: base({
      titre: `${avant.titre} (2e édition)`, fichiers: avant.fichiers.map((f) => f.sha256), note_version: 'Captures mises à jour',
    }) }), 200).json;
    assert.equal(r.version, 2);
    assert.equal(r.fichiers.length, 1);
    const v = expectStatus(await lyon.get(`/api/ressources/${id}/versions`), 200).json.items;
    assert.deepEqual(v.map((x) => [x.version, x.note]), [[2, null], [1, 'Captures mises à jour']]);
    assert.equal(v[1].titre, avant.titre);
    const col = expectStatus(await lyon.post('/api/ressources/collections', { json: { titre: `Kit atelier e-mail ${tag}` } }), 201).json;
    const copie = expectStatus(await lyon.post(`/api/ressources/${id}/copie`, { json: { collection_id: col.id } }), 201).json;
    assert.equal(copie.auteur.id, lyon.user.id ?? copie.auteur.id);
    assert.equal(copie.statut, 'brouillon');
    assert.equal(copie.visibilite, 'prive');
    assert.equal(copie.origine.id, id);
    assert.match(copie.origine.credit, /^D'après « .*2e édition.* » de /);
    assert.equal(copie.fichiers.length, 1);
    assert.deepEqual(copie.collections, [col.id]);
    const dl = await download(lyon, copie.fichiers[0].url);
    assert.equal(dl.status, 200);
    expectError(await lyon.post(`/api/ressources/${id}/copie`, { json: { collection_id: 999999 } }), 400, 'validation', ['collection_id']);
  });

  it('collections: public or private, a resource in several, followed; favourites; the followed feed', async () => {
    const pub = expectStatus(await med.post('/api/ressources/collections', { json: { titre: `Base publique ${tag}`, publique: true } }), 201).json;
    const priv = expectStatus(await med.post('/api/ressources/collections', { json: { titre: `Base privée ${tag}` } }), 201).json;
    expectError(await med.post('/api/ressources/collections', { json: { titre: '' } }), 400, 'validation', ['titre']);
    for (const c of [pub, priv]) expectStatus(await med.put(`/api/ressources/collections/${c.id}/ressources/${ids.odt}`), 200);
    const r = expectStatus(await med.get(`/api/ressources/${ids.odt}`), 200).json;
    assert.deepEqual(r.collections.sort(), [pub.id, priv.id].sort());
    expectStatus(await lyon.get(`/api/ressources/collections/${pub.id}`), 200);
    expectError(await lyon.get(`/api/ressources/collections/${priv.id}`), 404, 'introuvable');
    expectError(await lyon.get(`/api/ressources?collection=${priv.id}`), 404, 'introuvable');
    expectStatus(await lyon.put(`/api/ressources/collections/${pub.id}/ressources/${ids.odt}`), 403);
    const dans = await search(lyon, `collection=${pub.id}`);
    assert.deepEqual(dans.items.map((i) => i.id), [ids.odt]);
    assert.equal(expectStatus(await lyon.get(`/api/ressources/collections/${pub.id}`), 200).json.nombre, 1);
    // Follow the collection → the feed; follow the author → their public resources too.
    expectStatus(await marseille.put(`/api/ressources/collections/${pub.id}/suivi`), 204);
    let fil = await search(marseille, 'suivis=1&facettes=0&par_page=100');
    assert.deepEqual(fil.items.map((i) => i.id), [ids.odt]);
    expectStatus(await marseille.put(`/api/ressources/auteurs/${med.user.id}/suivi`), 204);
    fil = await search(marseille, 'suivis=1&facettes=0&par_page=100');
    assert.ok(fil.items.length > 1 && fil.items.every((i) => i.auteur.id === med.user.id));
    assert.ok(!fil.items.some((i) => i.id === ids.prive));
    const suivis = expectStatus(await marseille.get('/api/ressources/suivis'), 200).json.items;
    assert.deepEqual(suivis.map((s) => s.type).sort(), ['auteur', 'collection']);
    expectStatus(await marseille.put(`/api/ressources/${ids.odt}/favori`), 200);
    assert.deepEqual((await search(marseille, 'favoris=1')).items.map((i) => i.id), [ids.odt]);
    expectStatus(await marseille.delete(`/api/ressources/${ids.odt}/favori`), 200);
    assert.equal((await search(marseille, 'favoris=1')).total, 0);
  });

  it('trust: comments, views and downloads counted, report → moderators queue → hide → restore', async () => {
    const id = ids.odt;
    const c = expectStatus(await lyon.post(`/api/ressources/${id}/commentaires`, { json: { texte: 'Très utile, *merci* !' } }), 201).json;
    assert.match(c.html, /<em>merci<\/em>/);
    expectError(await lyon.post(`/api/ressources/${id}/commentaires`, { json: { texte: ' ' } }), 400, 'validation', ['texte']);
    assert.equal(expectStatus(await med.get(`/api/ressources/${id}/commentaires`), 200).json.items.length, 1);
    expectStatus(await marseille.delete(`/api/ressources/commentaires/${c.id}`), 403);
    const avant = expectStatus(await med.get(`/api/ressources/${id}`), 200).json.compteurs;
    expectStatus(await lyon.get(`/api/ressources/${id}`), 200);
    const f = expectStatus(await lyon.get(`/api/ressources/${id}`), 200).json.fichiers[0];
    assert.equal((await download(lyon, f.url)).status, 200);
    const apres = expectStatus(await med.get(`/api/ressources/${id}`), 200).json.compteurs;
    assert.equal(apres.vues, avant.vues + 2);
    assert.equal(apres.telechargements, avant.telechargements + 1);
    assert.equal(apres.commentaires, 1);

    expectError(await marseille.post(`/api/ressources/${id}/signalements`, { json: {} }), 400, 'validation', ['motif']);
    const g = expectStatus(await marseille.post(`/api/ressources/${id}/signalements`, { json: { motif: 'Lien cassé et contenu obsolète' } }), 201).json;
    expectError(await marseille.post(`/api/ressources/${id}/signalements`, { json: { motif: 'Encore' } }), 409, 'deja_signale');
    expectStatus(await lyon.get('/api/ressources/moderation'), 403);
    const queue = expectStatus(await admin.get('/api/ressources/moderation'), 200).json.items;
    assert.ok(queue.some((x) => x.id === g.id && x.ressource.id === id));
    const m = expectStatus(await admin.post(`/api/ressources/${id}/masquer`, { json: { motif: 'Contenu obsolète' } }), 200).json;
    assert.equal(m.masquee, true);
    expectError(await lyon.get(`/api/ressources/${id}`), 404, 'introuvable');
    assert.equal((await download(lyon, f.url)).status, 404);
    assert.equal(expectStatus(await med.get(`/api/ressources/${id}`), 200).json.masquage.motif, 'Contenu obsolète');
    assert.ok(!expectStatus(await admin.get('/api/ressources/moderation'), 200).json.items.some((x) => x.id === g.id));
    expectStatus(await admin.post(`/api/ressources/${id}/restaurer`), 200);
    expectStatus(await lyon.get(`/api/ressources/${id}`), 200);
  });

  it('downloads: HTTP Range over several 256 KiB pieces, 416, If-None-Match, bytes identical', async () => {
    const data = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), crypto.randomBytes(600 * 1024)]);
    const f = expectStatus(await upload(med, data, 'kit.zip'), 201).json;
    assert.equal(f.type, 'application/zip');
    const r = expectStatus(await med.post('/api/ressources', { json: base({ titre: `Kit ${tag}`, fichiers: [f.sha256], format: 'kit_communication' }) }), 201).json;
    const url = r.fichiers[0].url;
    let d = await download(lyon, url);
    assert.equal(d.status, 200);
    assert.equal(d.headers.get('accept-ranges'), 'bytes');
    assert.equal(Number(d.headers.get('content-length')), data.length);
    assert.ok(d.bytes.equals(data));
    d = await download(lyon, url, { range: 'bytes=262140-262150' });
    assert.equal(d.status, 206);
    assert.equal(d.headers.get('content-range'), `bytes 262140-262150/${data.length}`);
    assert.ok(d.bytes.equals(data.subarray(262140, 262151)));
    d = await download(lyon, url, { range: 'bytes=-5' });
    assert.ok(d.bytes.equals(data.subarray(data.length - 5)));
    d = await download(lyon, url, { range: `bytes=600000-` });
    assert.equal(d.status, 206);
    assert.ok(d.bytes.equals(data.subarray(600000)));
    d = await download(lyon, url, { range: `bytes=${data.length}-` });
    assert.equal(d.status, 416);
    assert.equal(d.headers.get('content-range'), `bytes */${data.length}`);
    d = await download(lyon, url, { 'if-none-match': `"${f.sha256}"` });
    assert.equal(d.status, 304);
    // The same bytes through the file store's own route (the « ressources » checker).
    d = await download(lyon, `/api/fichiers/${f.sha256}`, { range: 'bytes=0-3' });
    assert.equal(d.status, 206);
    assert.equal(d.bytes.toString('latin1'), 'PK\x03\x04');
    assert.equal((await download(marseille, `/api/fichiers/${f.sha256}`)).status, 200);  // public resource
    ids.zip = { id: r.id, sha: f.sha256 };
  });

  it('deleting a resource drops the files nothing else references', async () => {
    const f = expectStatus(await upload(med, pdf([`Fichier ${tag} unique`]), 'unique.pdf'), 201).json;
    const partage = expectStatus(await upload(med, pdf([`Fichier ${tag} partagé`]), 'partage.pdf'), 201).json;
    const a = expectStatus(await med.post('/api/ressources', { json: base({ titre: `A ${tag}`, fichiers: [f.sha256, partage.sha256] }) }), 201).json;
    const b = expectStatus(await med.post('/api/ressources', { json: base({ titre: `B ${tag}`, fichiers: [partage.sha256] }) }), 201).json;
    expectStatus(await lyon.delete(`/api/ressources/${a.id}`), 403);
    expectStatus(await med.delete(`/api/ressources/${a.id}`), 204);
    expectError(await med.get(`/api/ressources/${a.id}`), 404, 'introuvable');
    assert.equal((await download(med, `/api/fichiers/${f.sha256}`)).status, 404, 'the unreferenced file is gone');
    assert.equal((await download(lyon, b.fichiers[0].url)).status, 200, 'the shared one stays');
    assert.ok(!(await search(med, `q=${encodeURIComponent(`fichier ${tag} unique`)}`)).items.length);
  });

  it('the public API v1 lists public resources only, paginated', async () => {
    const cl = expectStatus(await admin.post('/api/admin/clients-api', { json: { nom: `Plateforme ${tag}`, scopes: ['ressources'] } }), 201).json;
    const auth = `Basic ${Buffer.from(`${cl.client_id}:${cl.client_secret}`).toString('base64')}`;
    let next = '/api/v1/ressources?page%5Bsize%5D=2';
    const vus = [];
    for (let i = 0; next && i < 100; i++) {
      const res = await fetch(server.baseUrl + next, { headers: { authorization: auth } });
      assert.equal(res.status, 200);
      const j = await res.json();
      vus.push(...j.data.map((d) => d.id));
      for (const d of j.data) assert.equal(d.type, 'ressource');
      next = j.links.next;
    }
    assert.ok(vus.includes(ids.odt));
    assert.ok(!vus.includes(ids.prive));
    assert.equal(new Set(vus).size, vus.length);
    assert.equal((await fetch(server.baseUrl + '/api/v1/ressources')).status, 401);
  });
});

describe(`ressources on two instances [${ENGINE}]`, { skip: ENGINE !== 'postgres' && 'PostgreSQL only: SQLite is one instance' }, () => {
  let a, b;
  before(async () => {
    a = await startServer();
    b = await startServer({ db: a.db, demo: false });
  });
  after(async () => {
    try {
      if (b) assert.deepEqual(await b.stop(), { code: 0, signal: null }, b.logTail());
    } finally {
      await a?.dispose();
    }
  });

  it('a file uploaded on one instance is downloaded (whole and by range) from the other', async () => {
    const med = await a.login(DEMO.mediatrice);
    const lyon = await b.login(DEMO.lyon);
    const data = pdf([`Deux instances ${randomId(3)}`, 'Atelier partagé entre serveurs']);
    const f = expectStatus(await upload(med, data, 'instances.pdf'), 201).json;
    const r = expectStatus(await med.post('/api/ressources', { json: base({ titre: 'Instances', fichiers: [f.sha256] }) }), 201).json;
    const d = await download(lyon, r.fichiers[0].url);
    assert.equal(d.status, 200);
    assert.ok(d.bytes.equals(data));
    const p = await download(lyon, r.fichiers[0].url, { range: 'bytes=0-7' });
    assert.equal(p.status, 206);
    assert.equal(p.bytes.toString('latin1'), '%PDF-1.4');
    const s = expectStatus(await lyon.get('/api/ressources?q=serveurs'), 200).json;
    assert.ok(s.items.some((i) => i.id === r.id));
    // The other instance's search index follows the writes made here (ressources_changements).
    const avant = expectStatus(await lyon.get('/api/ressources?q=serveurs&format=diaporama'), 200).json;
    assert.equal(avant.total, 0);
    expectStatus(await med.put(`/api/ressources/${r.id}`, { json: base({ titre: 'Instances', format: 'diaporama', fichiers: [f.sha256] }) }), 200);
    const apres = expectStatus(await lyon.get('/api/ressources?q=serveurs&format=diaporama'), 200).json;
    assert.deepEqual(apres.items.map((i) => i.id), [r.id]);
    expectStatus(await med.delete(`/api/ressources/${r.id}`), 204);
    const fin = expectStatus(await lyon.get('/api/ressources?q=serveurs'), 200).json;
    assert.ok(!fin.items.some((i) => i.id === r.id));
  });
});
