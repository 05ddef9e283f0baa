// Activities export of a mediator (CSV and XLSX): the national columns, one line per activity,
// the filters of GET /api/activites, never a name; other people's activities never exported.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { startServer, ENGINE, DEMO, expectStatus, expectError, todayParis, randomId } from './harness.mjs';

function body(overrides = {}) {
  return {
    type: 'individuel', date: todayParis(), duree: 30, type_lieu: 'a_distance', commune_insee: '69123',
    materiel: ['ordinateur'], thematiques: ['email'], autonomie: 'autonome', ...overrides,
  };
}

async function raw(client, path) {
  const res = await fetch(client.base + path, { headers: { cookie: client.cookieHeader() } });
  return { status: res.status, headers: res.headers, buf: Buffer.from(await res.arrayBuffer()) };
}

// Entries of a zip archive (central directory), inflated.
function unzip(buf) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= 0; i--) if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  assert.ok(eocd >= 0, 'zip end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const out = new Map();
  for (let n = 0; n < count; n++) {
    assert.equal(buf.readUInt32LE(at), 0x02014b50);
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28);
    const extra = buf.readUInt16LE(at + 30);
    const comment = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.subarray(at + 46, at + 46 + nameLen).toString('utf8');
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    out.set(name, method === 8 ? zlib.inflateRawSync(data) : data);
    at += 46 + nameLen + extra + comment;
  }
  return out;
}

// RFC 4180 with `;`: rows of fields.
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') { row.push(field); field = ''; } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field); rows.push(row); row = []; field = ''; i++;
    } else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

describe(`activities export, CSV and XLSX [${ENGINE}]`, () => {
  let server;
  let mediatrice; // the exporting mediator (the demo's mediateur.lyon, who has no demo activities)
  let lyon; // another mediator (the demo's mediatrice, ~300 activities)
  const marker = `Zorglub${randomId(3)}`;
  const mine = [];

  before(async () => {
    server = await startServer();
    mediatrice = await server.login(DEMO.lyon);
    lyon = await server.login(DEMO.mediatrice);
    const b = expectStatus(await mediatrice.post('/api/beneficiaires', {
      json: { anonyme: false, prenom: marker, nom: `Nom${marker}`, genre: 'masculin' },
    }), 201).json;
    mine.push(expectStatus(await mediatrice.post('/api/activites', {
      json: body({ beneficiaire_id: b.id, notes: `Notes ${marker}`, thematiques: ['email', 'aide_aux_demarches_administratives'], demarches: ['logement'], precisions_demarche: `CAF ${marker}` }),
    }), 201).json);
    mine.push(expectStatus(await mediatrice.post('/api/activites', {
      json: body({
        type: 'collectif', date: '2025-06-15', duree: 90, titre_atelier: 'Atelier "sécurité"; mots de passe', niveau: 'debutant',
        autonomie: undefined, thematiques: ['securite_numerique'], participants: [b.id],
        participants_anonymes: {
          total: 3, genre: { masculin: 1, feminin: 2 }, tranche_age: { soixante_soixante_neuf: 3 },
          statut_social: { retraite: 3 }, deja_accompagne: { non: 3 },
        },
      }),
    }), 201).json);
    mine.push(expectStatus(await mediatrice.post('/api/activites', {
      json: body({ date: '2024-03-01', duree: 45, beneficiaire_anonyme: { genre: 'feminin', tranche_age: 'quarante_cinquante_neuf', commune_insee: '69266' } }),
    }), 201).json);
    expectStatus(await lyon.post('/api/activites', { json: body({ notes: 'pas à moi' }) }), 201);
  });
  after(async () => {
    await server?.dispose();
  });

  it('CSV: BOM, `;`, French header, one line per activity, no names nor free text', async () => {
    const r = await raw(mediatrice, '/api/activites/export.csv');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/csv; charset=utf-8/);
    assert.match(r.headers.get('content-disposition'), /^attachment; filename="activites-\d{4}-\d{2}-\d{2}\.csv"$/);
    assert.deepEqual([...r.buf.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
    const text = r.buf.subarray(3).toString('utf8');
    assert.ok(!text.includes(marker), 'no name, note or précision in the export');
    const rows = parseCsv(text);
    const header = rows[0];
    for (const h of ['Date', 'Type', 'Type de lieu', "Lieu d'activité", 'Commune (code INSEE)', 'Commune', 'Durée (minutes)',
      'Matériel', 'Thématiques', 'Démarches administratives', 'Autonomie', 'Orienté vers une structure',
      'Structure de redirection', "Titre de l'atelier", 'Niveau', 'Étiquettes', 'Nombre de participants',
      'Participants suivis', 'Participants anonymes', 'Genre : Masculin', 'Genre : Féminin'])
      assert.ok(header.includes(h), `column ${h}`);
    assert.ok(header.length >= 30, `${header.length} columns`);
    const data = rows.slice(1);
    assert.equal(data.length, mine.length, 'one line per activity of the mediator, no one else\'s');
    for (const row of data) assert.equal(row.length, header.length);
    const col = (row, name) => row[header.indexOf(name)];
    const byId = new Map(data.map((row) => [Number(col(row, 'Identifiant')), row]));
    const atelier = byId.get(mine[1].id);
    assert.equal(col(atelier, "Titre de l'atelier"), 'Atelier "sécurité"; mots de passe', 'RFC 4180 quoting round-trips');
    assert.equal(col(atelier, 'Type'), 'Atelier collectif');
    assert.equal(col(atelier, 'Date'), '2025-06-15');
    assert.equal(col(atelier, 'Durée (minutes)'), '90');
    assert.equal(col(atelier, 'Nombre de participants'), '4');
    assert.equal(col(atelier, 'Participants suivis'), '1');
    assert.equal(col(atelier, 'Genre : Masculin'), '2');
    assert.equal(col(atelier, 'Niveau'), 'Débutant');
    const indiv = byId.get(mine[0].id);
    assert.equal(col(indiv, 'Commune'), 'Lyon');
    assert.equal(col(indiv, 'Commune (code INSEE)'), '69123');
    assert.match(col(indiv, 'Démarches administratives'), /Logement/);
    assert.equal(col(indiv, 'Orienté vers une structure'), 'Non');
    assert.equal(col(indiv, 'Participants suivis'), '1');
    // The anonymous beneficiary of an individual CRA: counted as anonymous, with its profile.
    const anon = byId.get(mine[2].id);
    assert.equal(col(anon, 'Nombre de participants'), '1');
    assert.equal(col(anon, 'Participants suivis'), '0');
    assert.equal(col(anon, 'Participants anonymes'), '1');
    assert.equal(col(anon, 'Genre : Féminin'), '1');
    assert.equal(col(anon, 'Âge : 40-59 ans'), '1');
    assert.equal(col(anon, 'Statut : Non communiqué ou hétérogène'), '1');
    assert.equal(col(anon, 'Commune du bénéficiaire (code INSEE)'), '69266');
  });

  it('CSV: the filters of the activities list apply; invalid filters → 400', async () => {
    let rows = parseCsv((await raw(mediatrice, '/api/activites/export.csv?type=collectif')).buf.subarray(3).toString('utf8'));
    assert.equal(rows.length - 1, 1);
    rows = parseCsv((await raw(mediatrice, '/api/activites/export.csv?du=2025-01-01&au=2025-12-31')).buf.subarray(3).toString('utf8'));
    assert.equal(rows.length - 1, 1);
    rows = parseCsv((await raw(mediatrice, '/api/activites/export.csv?thematique=email')).buf.subarray(3).toString('utf8'));
    assert.equal(rows.length - 1, 2);
    expectError(await mediatrice.get('/api/activites/export.csv?du=hier'), 400, 'validation', ['du']);
    expectError(await mediatrice.get('/api/activites/export.xlsx?type=inconnu'), 400, 'validation', ['type']);
  });

  it('XLSX: a zip workbook with the worksheet, as an attachment', async () => {
    const r = await raw(mediatrice, '/api/activites/export.xlsx');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    assert.match(r.headers.get('content-disposition'), /^attachment; filename="activites-\d{4}-\d{2}-\d{2}\.xlsx"$/);
    assert.deepEqual([...r.buf.subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04], 'zip magic bytes');
    const entries = unzip(r.buf);
    assert.ok(entries.has('xl/worksheets/sheet1.xml'), `entries: ${[...entries.keys()]}`);
    const sheet = entries.get('xl/worksheets/sheet1.xml').toString('utf8');
    const strings = [...entries.values()].map((b) => b.toString('utf8')).join('');
    assert.ok(strings.includes('Thématiques'), 'French header');
    assert.ok(!strings.includes(marker), 'no name, note or précision in the workbook');
    assert.equal((sheet.match(/<row /g) ?? []).length, 1 + mine.length, 'header + one row per activity');
    assert.match(sheet, /<pane [^>]*ySplit="1"[^>]*state="frozen"/, 'header row frozen');
  });

  it('only mediators export; an empty export still has its header', async () => {
    const coord = await server.login(DEMO.coordination);
    expectError(await coord.get('/api/activites/export.csv'), 403, 'acces_refuse');
    const rennes = await server.login(DEMO.rennes);
    const rows = parseCsv((await raw(rennes, '/api/activites/export.csv')).buf.subarray(3).toString('utf8'));
    assert.equal(rows.length, 1);
    expectStatus(await rennes.get('/api/activites/export.xlsx'), 200);
  });
});
