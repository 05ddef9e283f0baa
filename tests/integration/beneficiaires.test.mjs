// Beneficiaries over HTTP: CRUD and version check, accent-insensitive search, duplicates and
// merge, bulk delete, RGPD export and erasure, two-step import (CSV and XLSX), CSV export,
// ownership (another mediator → 404) and roles (coordinator → 403).
//
// Activities are inserted with SQL next to the server (dbExec), so that these tests depend only
// on the activities schema (migration 0004), not on the activities API.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { startServer, dbExec, ENGINE, DEMO, expectStatus, expectError, allPages, todayParis } from './harness.mjs';

// ---- A tiny XLSX writer (zip with deflated members) ----

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function zip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, text] of entries) {
    const data = Buffer.from(text, 'utf8');
    const comp = zlib.deflateRawSync(data);
    const nameBuf = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(comp.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(comp.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, comp);
    centrals.push(central, nameBuf);
    offset += 30 + nameBuf.length + comp.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
function xlsx(rows) {
  const strings = [];
  const idx = (s) => {
    let i = strings.indexOf(s);
    if (i < 0) i = strings.push(s) - 1;
    return i;
  };
  const col = (i) => String.fromCharCode(65 + i);
  const sheetRows = rows
    .map((cells, r) => `<row r="${r + 1}">${cells
      .map((v, c) => (v === '' || v == null ? '' : typeof v === 'number'
        ? `<c r="${col(c)}${r + 1}"><v>${v}</v></c>`
        : `<c r="${col(c)}${r + 1}" t="s"><v>${idx(v)}</v></c>`))
      .join('')}</row>`)
    .join('');
  return zip([
    ['[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'],
    ['xl/workbook.xml', '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Feuil1" sheetId="1" r:id="rId1"/></sheets></workbook>'],
    ['xl/_rels/workbook.xml.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'],
    ['xl/sharedStrings.xml', `<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${strings.map((s) => `<si><t>${esc(s)}</t></si>`).join('')}</sst>`],
    ['xl/worksheets/sheet1.xml', `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${sheetRows}</sheetData></worksheet>`],
  ]);
}

describe(`beneficiaires [${ENGINE}]`, () => {
  let server, med, other, coord, medId;

  // An activity of `mediateurId` linked to the given beneficiaries (SQL, next to the server).
  function activity(mediateurId, beneficiaires, { date = todayParis(-3), type = 'individuel', thematiques = 'email,sante' } = {}) {
    const now = new Date().toISOString();
    const insert = `INSERT INTO activites (mediateur_id, type, date, duree, type_lieu, commune_insee, thematiques, created_at, updated_at) ` +
      `VALUES (${mediateurId}, '${type}', '${date}', 45, 'domicile', '69123', '${thematiques}', '${now}', '${now}')`;
    const id = Number(server.db.engine === 'postgres'
      ? dbExec(server.db, `${insert} RETURNING id`)
      : dbExec(server.db, `${insert}; SELECT last_insert_rowid();`));
    assert.ok(id > 0);
    for (const b of beneficiaires)
      dbExec(server.db, `INSERT INTO activite_beneficiaires (activite_id, beneficiaire_id, premier_accompagnement) VALUES (${id}, ${b}, 0)`);
    return id;
  }
  const create = async (client, body, status = 201) => expectStatus(await client.post('/api/beneficiaires', { json: body }), status).json;

  before(async () => {
    server = await startServer();
    med = await server.login(DEMO.mediatrice);
    other = await server.login(DEMO.lyon);
    coord = await server.login(DEMO.coordination);
    medId = expectStatus(await med.get('/api/me'), 200).json.id;
  });
  after(async () => {
    await server?.dispose();
  });

  it('creates a followed beneficiary (normalised) and an anonymous one; field errors are named in French', async () => {
    const b = await create(med, {
      prenom: ' Hélène ', nom: 'Lefèvre', annee_naissance: 1950, telephone: '+33 6 12 34 56 78', email: 'Helene.L@Exemple.fr',
      commune_insee: '69123', code_postal: '69003', genre: 'feminin', tranche_age: 'soixante_dix_plus', statut_social: 'retraite',
    });
    assert.equal(b.prenom, 'Hélène');
    assert.equal(b.anonyme, false);
    assert.equal(b.telephone, '06 12 34 56 78');
    assert.equal(b.email, 'helene.l@exemple.fr');
    assert.equal(b.commune_nom, 'Lyon');
    assert.equal(b.version, 1);
    assert.equal(b.nombre_accompagnements, 0);
    assert.equal(b.dernier_accompagnement, null);

    const anon = await create(med, { genre: 'masculin', tranche_age: 'vingt_cinq_trente_neuf' });
    assert.equal(anon.anonyme, true);
    assert.equal(anon.nom, null);

    const r = await med.post('/api/beneficiaires', {
      json: { anonyme: false, nom: 'Sans Prénom', annee_naissance: 1850, telephone: '12', email: 'x@', commune_insee: '00000', genre: 'femme' },
    });
    expectError(r, 400, 'validation', ['prenom', 'annee_naissance', 'telephone', 'email', 'commune_insee', 'genre']);
    assert.match(r.json.error.fields.prenom, /prénom/);
    assert.match(r.json.error.fields.annee_naissance, /1900/);
    const both = await med.post('/api/beneficiaires', { json: { prenom: 'A', nom: 'B', telephone: '0612345678', pas_de_telephone: true } });
    expectError(both, 400, 'validation', ['telephone']);
  });

  it('searches accent-insensitively and partially ("Helene" finds "Hélène")', async () => {
    const b = await create(med, { prenom: 'Hélène', nom: 'Çélestin' });
    for (const q of ['Helene', 'hélène', 'HELENE celestin', 'celest', 'lene ce']) {
      const r = expectStatus(await med.get(`/api/beneficiaires?q=${encodeURIComponent(q)}`), 200).json;
      assert.ok(r.items.some((x) => x.id === b.id), `q=${q}`);
    }
    const none = expectStatus(await med.get('/api/beneficiaires?q=zzzz'), 200).json;
    assert.equal(none.total, 0);
    assert.deepEqual(none.items, []);
    const page = expectStatus(await med.get('/api/beneficiaires?per_page=1&page=1'), 200).json;
    assert.equal(page.items.length, 1);
    assert.ok(page.total >= 3);
    expectError(await med.get('/api/beneficiaires?per_page=1000'), 400, 'validation', ['per_page']);
  });

  it('PUT replaces with a version check: a stale version → 409 version_perimee', async () => {
    const b = await create(med, { prenom: 'Jean', nom: 'Version' });
    const up = expectStatus(await med.put(`/api/beneficiaires/${b.id}`, { json: { version: 1, prenom: 'Jean', nom: 'Version', annee_naissance: 1980 } }), 200).json;
    assert.equal(up.version, 2);
    assert.equal(up.annee_naissance, 1980);
    const stale = await med.put(`/api/beneficiaires/${b.id}`, { json: { version: 1, prenom: 'Jean', nom: 'Écrasé' } });
    expectError(stale, 409, 'version_perimee');
    assert.equal(expectStatus(await med.get(`/api/beneficiaires/${b.id}`), 200).json.nom, 'Version');
    expectError(await med.put(`/api/beneficiaires/${b.id}`, { json: { prenom: 'Jean', nom: 'X' } }), 400, 'validation', ['version']);
  });

  it('GET /{id} carries the activities history; the list counts accompaniments', async () => {
    const b = await create(med, { prenom: 'Histo', nom: 'Rique' });
    const a1 = activity(medId, [b.id], { date: todayParis(-10) });
    const a2 = activity(medId, [b.id], { date: todayParis(-2), type: 'collectif', thematiques: 'bureautique' });
    const deleted = activity(medId, [b.id], { date: todayParis(-1) });
    dbExec(server.db, `UPDATE activites SET deleted_at = '${new Date().toISOString()}' WHERE id = ${deleted}`);
    const d = expectStatus(await med.get(`/api/beneficiaires/${b.id}`), 200).json;
    assert.deepEqual(d.activites.map((a) => a.id), [a2, a1]);
    assert.deepEqual(d.activites[0], { id: a2, date: todayParis(-2), type: 'collectif', thematiques: ['bureautique'], duree: 45, premier_accompagnement: false });
    assert.equal(d.nombre_accompagnements, 2);
    assert.equal(d.dernier_accompagnement, todayParis(-2));
    const listed = expectStatus(await med.get('/api/beneficiaires?q=histo'), 200).json.items[0];
    assert.equal(listed.nombre_accompagnements, 2);
    assert.equal(listed.dernier_accompagnement, todayParis(-2));
  });

  it("another mediator gets 404 on every route of someone else's beneficiary; a coordinator gets 403", async () => {
    const b = await create(med, { prenom: 'Privé', nom: 'Personnel' });
    expectError(await other.get(`/api/beneficiaires/${b.id}`), 404, 'introuvable');
    expectError(await other.put(`/api/beneficiaires/${b.id}`, { json: { version: 1, prenom: 'X', nom: 'Y' } }), 404, 'introuvable');
    expectError(await other.get(`/api/beneficiaires/${b.id}/export`), 404, 'introuvable');
    expectError(await other.post(`/api/beneficiaires/${b.id}/effacer`), 404, 'introuvable');
    const mine = await create(other, { prenom: 'Autre', nom: 'Personne' });
    expectError(await other.post(`/api/beneficiaires/${mine.id}/fusionner`, { json: { source_id: b.id } }), 400, 'validation', ['source_id']);
    expectError(await other.post(`/api/beneficiaires/${b.id}/fusionner`, { json: { source_id: mine.id } }), 404, 'introuvable');
    assert.equal(expectStatus(await other.post('/api/beneficiaires/suppression', { json: { ids: [b.id] } }), 200).json.supprimes, 0);
    const list = await allPages(other, '/api/beneficiaires');
    assert.ok(!list.some((x) => x.id === b.id));
    assert.ok(!expectStatus(await other.get('/api/beneficiaires/export.csv'), 200).text.includes('Personnel'));
    expectStatus(await med.get(`/api/beneficiaires/${b.id}`), 200);

    for (const [m, p] of [['GET', '/api/beneficiaires'], ['GET', `/api/beneficiaires/${b.id}`], ['GET', '/api/beneficiaires/doublons'],
      ['GET', '/api/beneficiaires/export.csv'], ['GET', `/api/beneficiaires/${b.id}/export`], ['POST', '/api/beneficiaires']])
      expectError(await coord.request(m, p, m === 'POST' ? { json: { prenom: 'A', nom: 'B' } } : {}), 403, 'acces_refuse');
  });

  it('lists probable duplicates (≥ 2 of 4 criteria) and merges: blanks filled, activities moved without duplicate links, trace kept', async () => {
    const a = await create(med, { prenom: 'Marie-Thérèse', nom: 'Dubois', annee_naissance: 1948, telephone: '06 11 22 33 44' });
    const b = await create(med, { prenom: 'marie therese', nom: 'DUBOIS', annee_naissance: 1948, email: 'mt.dubois@exemple.fr', notes: 'Mardi' });
    const c = await create(med, { prenom: 'Paul', nom: 'Dubois', annee_naissance: 1948 }); // year only with a/b
    const pairs = expectStatus(await med.get('/api/beneficiaires/doublons'), 200).json.items;
    const ab = pairs.find((p) => p.a.id === a.id && p.b.id === b.id);
    assert.ok(ab, JSON.stringify(pairs.map((p) => [p.a.id, p.b.id, p.criteres])));
    assert.deepEqual(ab.criteres, ['nom', 'annee_naissance']);
    assert.ok(!pairs.some((p) => [p.a.id, p.b.id].includes(c.id)));

    const both = activity(medId, [a.id, b.id], { type: 'collectif', date: todayParis(-20) });
    const onlyB = activity(medId, [b.id], { date: todayParis(-30) });
    const onlyA = activity(medId, [a.id], { date: todayParis(-5) });

    expectError(await med.post(`/api/beneficiaires/${a.id}/fusionner`, { json: { source_id: a.id } }), 400, 'validation', ['source_id']);
    const r = expectStatus(await med.post(`/api/beneficiaires/${a.id}/fusionner`, { json: { source_id: b.id } }), 200).json;
    assert.equal(r.beneficiaire.prenom, 'Marie-Thérèse');
    assert.equal(r.beneficiaire.telephone, '06 11 22 33 44');
    assert.equal(r.beneficiaire.email, 'mt.dubois@exemple.fr');
    assert.equal(r.beneficiaire.notes, 'Mardi');
    assert.deepEqual(r.champs_completes, ['email', 'notes']);
    assert.equal(r.activites_deplacees, 1);
    assert.equal(r.beneficiaire.nombre_accompagnements, 3);

    const d = expectStatus(await med.get(`/api/beneficiaires/${a.id}`), 200).json;
    assert.deepEqual(d.activites.map((x) => x.id).sort(), [both, onlyA, onlyB].sort());
    assert.deepEqual(d.activites.filter((x) => x.premier_accompagnement).map((x) => x.id), [onlyB], 'one first accompaniment: the earliest');
    expectError(await med.get(`/api/beneficiaires/${b.id}`), 404, 'introuvable');
    assert.equal(dbExec(server.db, `SELECT COUNT(*) FROM activite_beneficiaires WHERE beneficiaire_id = ${b.id}`), '0');
    assert.equal(dbExec(server.db, `SELECT merged_into_id FROM beneficiaires WHERE id = ${b.id}`), String(a.id));
    assert.equal(dbExec(server.db, `SELECT source_id || ':' || cible_id || ':' || activites_deplacees || ':' || champs_completes FROM beneficiaire_fusions WHERE cible_id = ${a.id}`),
      `${b.id}:${a.id}:1:email,notes`);
    const after = expectStatus(await med.get('/api/beneficiaires/doublons'), 200).json.items;
    assert.ok(!after.some((p) => p.a.id === b.id || p.b.id === b.id));
    // The source is gone: merging it again is refused.
    expectError(await med.post(`/api/beneficiaires/${a.id}/fusionner`, { json: { source_id: b.id } }), 400, 'validation', ['source_id']);
  });

  it('bulk delete removes only my live beneficiaries', async () => {
    const x = await create(med, { prenom: 'Sup', nom: 'Un' });
    const y = await create(med, { prenom: 'Sup', nom: 'Deux' });
    const theirs = await create(other, { prenom: 'Sup', nom: 'Autre' });
    expectError(await med.post('/api/beneficiaires/suppression', { json: {} }), 400, 'validation', ['ids']);
    expectError(await med.post('/api/beneficiaires/suppression', { json: { ids: ['a'] } }), 400, 'validation', ['ids']);
    const r = expectStatus(await med.post('/api/beneficiaires/suppression', { json: { ids: [x.id, y.id, theirs.id, x.id, 999999] } }), 200).json;
    assert.equal(r.supprimes, 2);
    expectError(await med.get(`/api/beneficiaires/${x.id}`), 404, 'introuvable');
    expectStatus(await other.get(`/api/beneficiaires/${theirs.id}`), 200);
    assert.equal(expectStatus(await med.post('/api/beneficiaires/suppression', { json: { ids: [x.id] } }), 200).json.supprimes, 0);
  });

  it('RGPD: export of one person (JSON attachment) and erasure (activities stay, anonymised)', async () => {
    const p = await create(med, { prenom: 'Rgpd', nom: 'Effacée', telephone: '0699887766', email: 'rgpd@exemple.fr', adresse: '1 rue X',
      genre: 'feminin', commune_insee: '69123', notes: 'notes perso', annee_naissance: 1970 });
    const act = activity(medId, [p.id], { type: 'collectif' });
    const e = expectStatus(await med.get(`/api/beneficiaires/${p.id}/export`), 200);
    assert.match(e.headers.get('content-disposition'), /^attachment; filename="beneficiaire-\d+\.json"$/);
    assert.equal(e.json.beneficiaire.nom, 'Effacée');
    assert.equal(e.json.beneficiaire.telephone, '06 99 88 77 66');
    assert.deepEqual(e.json.activites.map((a) => a.id), [act]);
    assert.equal(e.json.activites[0].type_lieu, 'domicile');
    assert.equal(e.json.responsable.email, DEMO.mediatrice);

    // A record merged into the person earlier holds their data too: it is erased with them.
    const older = await create(med, { prenom: 'Rgpd', nom: 'Effacée', email: 'ancienne@exemple.fr' });
    expectStatus(await med.post(`/api/beneficiaires/${p.id}/fusionner`, { json: { source_id: older.id } }), 200);

    expectStatus(await med.post(`/api/beneficiaires/${p.id}/effacer`), 204);
    expectError(await med.get(`/api/beneficiaires/${p.id}`), 404, 'introuvable');
    expectError(await med.post(`/api/beneficiaires/${p.id}/effacer`), 404, 'introuvable');
    for (const id of [p.id, older.id]) {
      const row = dbExec(server.db, `SELECT COALESCE(prenom,'∅') || '|' || COALESCE(nom,'∅') || '|' || COALESCE(telephone,'∅') || '|' || ` +
        `COALESCE(email,'∅') || '|' || COALESCE(adresse,'∅') || '|' || COALESCE(notes,'∅') || '|' || COALESCE(CAST(annee_naissance AS TEXT),'∅') || '|' || ` +
        `nom_recherche || '|' || anonyme || '|' || (efface_at IS NOT NULL) FROM beneficiaires WHERE id = ${id}`);
      assert.match(row, /^∅\|∅\|∅\|∅\|∅\|∅\|∅\|\|1\|(1|t|true)$/, `row ${id}: ${row}`);
    }
    // The activity stays, still counting the (now anonymous) participant.
    assert.equal(dbExec(server.db, `SELECT COUNT(*) FROM activites WHERE id = ${act} AND deleted_at IS NULL`), '1');
    assert.equal(dbExec(server.db, `SELECT COUNT(*) FROM activite_beneficiaires WHERE activite_id = ${act} AND beneficiaire_id = ${p.id}`), '1');
    assert.equal(dbExec(server.db, `SELECT genre FROM beneficiaires WHERE id = ${p.id}`), 'feminin');
    const all = await allPages(med, '/api/beneficiaires');
    assert.ok(!all.some((x) => x.id === p.id));
  });

  it('import in two steps (CSV): analysis reports each row with its errors, nothing is imported until confirmed, once', async () => {
    const before = expectStatus(await med.get('/api/beneficiaires?per_page=1'), 200).json.total;
    const csv = '\uFEFFPrénom;NOM;Année de naissance;Téléphone;E-mail;Code postal;Commune;Genre;Tranche d\'âge;Statut social;Notes;Couleur\r\n' +
      'Import;Un;1960;0612345678;un@exemple.fr;69003;Lyon;Femme;60-69 ans;retraite;"Dit ""Toto""; le lundi";bleu\r\n' +
      'Import;Deux;1890;;;;;;;;;\r\n' +
      ';;;;;;;;;;;\r\n' +
      'Import;Trois;;06 ab;;;Atlantide;;;;;\r\n' +
      'Import;Quatre;;;;;;masculin;;;;\r\n';
    const r = expectStatus(await med.post('/api/beneficiaires/import/analyse', { body: csv, headers: { 'content-type': 'text/csv' } }), 200).json;
    assert.equal(r.valides, 2);
    assert.equal(r.invalides, 2);
    assert.deepEqual(r.colonnes_ignorees, ['Couleur']);
    assert.deepEqual(r.lignes.map((l) => l.numero), [2, 3, 5, 6]);
    assert.deepEqual(r.lignes[0].erreurs, {});
    assert.equal(r.lignes[0].valeurs.notes, 'Dit "Toto"; le lundi');
    assert.deepEqual(Object.keys(r.lignes[1].erreurs), ['annee_naissance']);
    assert.deepEqual(Object.keys(r.lignes[2].erreurs).sort(), ['commune', 'telephone']);
    assert.ok(Number.isInteger(r.import_id));
    assert.equal(expectStatus(await med.get('/api/beneficiaires?per_page=1'), 200).json.total, before, 'nothing imported before confirmation');

    expectError(await other.post(`/api/beneficiaires/import/${r.import_id}/confirmer`), 404, 'introuvable');
    const c = expectStatus(await med.post(`/api/beneficiaires/import/${r.import_id}/confirmer`), 200).json;
    assert.deepEqual(c, { importes: 2 });
    expectError(await med.post(`/api/beneficiaires/import/${r.import_id}/confirmer`), 409, 'import_deja_confirme');
    const found = expectStatus(await med.get('/api/beneficiaires?q=import'), 200).json.items;
    assert.deepEqual(found.map((x) => x.nom).sort(), ['Quatre', 'Un']);
    const un = found.find((x) => x.nom === 'Un');
    assert.equal(un.commune_insee, '69123');
    assert.equal(un.telephone, '06 12 34 56 78');
    assert.equal(un.genre, 'feminin');
    assert.equal(un.tranche_age, 'soixante_soixante_neuf');
    assert.equal(un.notes, 'Dit "Toto"; le lundi');
    assert.equal(dbExec(server.db, `SELECT payload FROM imports_beneficiaires WHERE id = ${r.import_id}`), '', 'payload dropped once confirmed');

    expectError(await med.post('/api/beneficiaires/import/analyse', { body: 'a;b\n1;2\n', headers: { 'content-type': 'text/csv' } }), 400, 'fichier_illisible');
    expectError(await med.post('/api/beneficiaires/import/analyse', { body: Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } }), 400, 'fichier_illisible');
  });

  it('import in two steps (XLSX), with an expired import refused', async () => {
    const file = xlsx([
      ['prenom', 'nom', 'annee_naissance', 'telephone', 'commune'],
      ['Xlsx', 'Alpha', 1975, 612345678, 'Tulle'],
      ['Xlsx', '', 1975, '', ''],
    ]);
    const r = expectStatus(await med.post('/api/beneficiaires/import/analyse', {
      body: file, headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    }), 200).json;
    assert.equal(r.valides, 1);
    assert.deepEqual(r.lignes.map((l) => [l.numero, Object.keys(l.erreurs)]), [[2, []], [3, ['nom']]]);
    // Expired: an hour has passed.
    dbExec(server.db, `UPDATE imports_beneficiaires SET expires_at = '2020-01-01T00:00:00.000Z' WHERE id = ${r.import_id}`);
    expectError(await med.post(`/api/beneficiaires/import/${r.import_id}/confirmer`), 410, 'import_expire');
    const again = expectStatus(await med.post('/api/beneficiaires/import/analyse', {
      body: file, headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    }), 200).json;
    assert.deepEqual(expectStatus(await med.post(`/api/beneficiaires/import/${again.import_id}/confirmer`), 200).json, { importes: 1 });
    const x = expectStatus(await med.get('/api/beneficiaires?q=xlsx'), 200).json.items;
    assert.equal(x.length, 1);
    assert.equal(x[0].telephone, '06 12 34 56 78');
    assert.equal(x[0].commune_nom, 'Tulle');
  });

  it('import analysis accepts multipart/form-data (field « fichier », the file name decides); malformed forms → 400 naming fichier', async () => {
    const csv = 'prenom;nom\r\nMulti;Part\r\n';
    const form = (parts) => {
      const f = new FormData();
      for (const [name, data, filename, type] of parts) f.append(name, new Blob([data], { type: type ?? 'application/octet-stream' }), filename);
      return f;
    };
    const analyse = (body, headers = {}) => med.post('/api/beneficiaires/import/analyse', { body, headers });
    // Browser FormData, generic part type: .csv → CSV, .XLSX → XLSX.
    let r = expectStatus(await analyse(form([['fichier', csv, 'liste.csv']])), 200).json;
    assert.equal(r.valides, 1);
    assert.equal(r.lignes[0].valeurs.nom, 'Part');
    const file = xlsx([['prenom', 'nom'], ['Multi', 'Xlsx']]);
    r = expectStatus(await analyse(form([['fichier', file, 'Bénéficiaires.XLSX']])), 200).json;
    assert.equal(r.valides, 1);
    assert.equal(r.lignes[0].valeurs.nom, 'Xlsx');
    // Another field alongside is ignored; the part's own type wins over the name.
    r = expectStatus(await analyse(form([['note', 'x', 'n.txt'], ['fichier', file, 'export', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']])), 200).json;
    assert.equal(r.valides, 1);
    // Hand-written body: quoted boundary with a space, bare LF line ends, a preamble.
    const raw = 'preambule\n--a b\nContent-Disposition: form-data; name="fichier"; filename="l.csv"\n\n' + csv + '\n--a b--\n';
    r = expectStatus(await analyse(raw, { 'content-type': 'multipart/form-data; boundary="a b"' }), 200).json;
    assert.equal(r.valides, 1);
    // The raw body still works for API clients (covered above); the errors:
    const bad = async (body, headers, what) => {
      const res = expectError(await analyse(body, headers), 400, 'fichier_illisible', ['fichier'], what);
      return res.json.error.fields.fichier;
    };
    const ok = 'multipart/form-data; boundary=XyZ';
    const part = (name, data, filename = 'f.csv') =>
      `--XyZ\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: text/plain\r\n\r\n${data}\r\n`;
    assert.match(await bad(part('autre', csv) + '--XyZ--\r\n', { 'content-type': ok }, 'missing'), /champ « fichier » absent/);
    assert.match(await bad(part('fichier', csv) + part('fichier', csv) + '--XyZ--\r\n', { 'content-type': ok }, 'duplicate'), /un seul fichier/);
    assert.match(await bad(part('fichier', csv).slice(0, -10), { 'content-type': ok }, 'truncated'), /tronqué/);
    assert.match(await bad(part('fichier', csv) + '--XyZ--', { 'content-type': 'multipart/form-data' }, 'no boundary'), /boundary/);
    assert.match(await bad(part('fichier', csv) + '--XyZ--', { 'content-type': 'multipart/form-data; boundary=Other' }, 'wrong boundary'), /délimiteur/);
    assert.match(await bad(part('fichier', '', 'vide.csv') + '--XyZ--\r\n', { 'content-type': ok }, 'empty'), /vide/);
    assert.match(await bad(form([['fichier', 'x', 'ancien.xls']]), {}, 'xls'), /XLSX ou CSV/);
    assert.match(await bad('', { 'content-type': 'text/csv' }, 'empty raw body'), /fichier/);
    assert.match(await bad('--XyZ\r\nContent-Type: text/csv\r\n\r\nx\r\n--XyZ--', { 'content-type': ok }, 'no disposition'), /Content-Disposition/);
  });

  it('exports my beneficiaries in CSV (UTF-8 BOM, `;`)', async () => {
    await create(med, { prenom: 'Csv', nom: 'Point;Virgule', notes: '=1+1' });
    const r = expectStatus(await med.get('/api/beneficiaires/export.csv'), 200);
    assert.match(r.headers.get('content-type'), /^text\/csv; charset=utf-8/);
    assert.match(r.headers.get('content-disposition'), /attachment; filename="beneficiaires.csv"/);
    const raw = Buffer.from(await (await fetch(server.baseUrl + '/api/beneficiaires/export.csv', { headers: { cookie: med.cookieHeader() } })).arrayBuffer());
    assert.deepEqual([...raw.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const lines = r.text.replace(/^\uFEFF/, '').split('\r\n');
    assert.equal(lines[0].split(';')[1], 'prenom');
    const row = lines.find((l) => l.includes('Csv'));
    assert.ok(row.includes('"Point;Virgule"'), row);
    assert.ok(row.includes("'=1+1"), 'formula neutralised');
    assert.ok(lines.some((l) => l.includes('Hélène')));
  });
});
