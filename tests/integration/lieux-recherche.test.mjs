// The lieux search (features/lieux/recherche.hpp) against a real server, on the engine of
// COOP_IT_ENGINE: every filter of GET /api/lieux, the distance order and radius (from a point, a
// lieu, a commune), « ouvert maintenant » at a fixed instant and « ouvert tel jour de telle heure
// à telle heure », pagination, GET /api/lieux/points and its counts, GET /api/v1/lieux with
// filters, who sees the lieux off the map, and the French errors naming the parameter. The lieux
// are imported with a word of their own (« zorglub ») so that the demo's lieux stay out.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, ENGINE, DEMO, expectStatus, expectError } from './harness.mjs';

const S = {
  demarches: 'Aide aux démarches administratives',
  quotidien: 'Maîtrise des outils numériques du quotidien',
  insertion: 'Insertion professionnelle via le numérique',
};
// Mende (48095) is at 44.52161, 3.49978 in the gazetteer; Marvejols (48092) 17 km west.
const base = { pivot: '00000000000000', source: 'Test recherche', date_maj: '2026-11-20', adresse: '1 place' };
const LIEUX = [
  { id: 'r-1', nom: 'Zorglub Médiathèque de Mende', commune: 'Mende', code_postal: '48000', code_insee: '48095', latitude: 44.5200, longitude: 3.5000,
    services: [S.demarches, S.quotidien], publics_specifiquement_adresses: ['Seniors'], frais_a_charge: ['Gratuit'],
    modalites_acces: ['Se présenter'], modalites_accompagnement: ['Accompagnement individuel'], dispositif_programmes_nationaux: ['Conseillers numériques'],
    formations_labels: ['Arnia/MedNum BFC'], prise_en_charge_specifique: ['Surdité'], horaires: 'Mo-Fr 09:00-12:00,14:00-18:00',
    fiche_acces_libre: 'https://acceslibre.beta.gouv.fr/r1', prise_rdv: 'https://rdv.example.fr/r1', presentation_resume: 'Ateliers tablette et écrivain public' },
  { id: 'r-2', nom: 'Zorglub Espace numérique Marvejols', commune: 'Marvejols', code_postal: '48100', code_insee: '48092', latitude: 44.5544, longitude: 3.2904,
    services: [S.quotidien], publics_specifiquement_adresses: ['Jeunes'], frais_a_charge: ['Payant'], modalites_acces: ['Téléphoner'],
    horaires: 'Sa 10:00-12:00' },
  { id: 'r-3', nom: 'Zorglub France Services du Causse', commune: 'Mende', code_postal: '48000', code_insee: '48095', latitude: 44.5300, longitude: 3.4800,
    services: [S.demarches, S.insertion], frais_a_charge: ['Gratuit sous condition'], horaires: 'Sun 10:00-18:00' },
  { id: 'r-4', nom: 'Zorglub Point lointain', commune: 'Paris', code_postal: '75004', code_insee: '75104', latitude: 48.8550, longitude: 2.3580,
    services: [S.demarches], horaires: '24/7' },
  { id: 'r-5', nom: 'Zorglub Sans position', commune: 'Mende', code_postal: '48000', code_insee: '48095', services: [S.insertion], horaires: 'Mo-Su 00:00-24:00' },
  { id: 'r-6', nom: 'Zorglub Hors carte', commune: 'Mende', code_postal: '48000', code_insee: '48095', latitude: 44.5190, longitude: 3.5010, services: [] },
].map((l) => ({ ...base, ...l }));

function formulaire(texte) {
  const form = new FormData();
  form.append('fichier', new Blob([texte], { type: 'application/json' }), 'recherche.json');
  form.append('source', 'recherche');
  return form;
}

describe(`lieux : recherche [${ENGINE}]`, () => {
  let server, admin, mediatrice, gestion;
  const id = {};
  const noms = (r) => r.items.map((l) => l.nom.replace('Zorglub ', ''));
  const cherche = async (qs, client = mediatrice) =>
    expectStatus(await client.get(`/api/lieux?par_page=50&${qs.startsWith('q=') ? qs : `q=zorglub&${qs}`}`), 200, qs).json;

  before(async () => {
    server = await startServer();
    admin = server.client();
    await admin.login(DEMO.admin);
    mediatrice = server.client();
    await mediatrice.login(DEMO.mediatrice);
    gestion = server.client();
    await gestion.login(DEMO.gestion);
    const r = expectStatus(await admin.post('/api/admin/lieux/import', { body: formulaire(JSON.stringify(LIEUX)) }), 200).json;
    assert.equal(r.crees, LIEUX.length, JSON.stringify(r.details));
    const tous = await cherche('tous=1', admin);
    for (const l of tous.items) id[l.nom.replace('Zorglub ', '')] = l.id;
  });
  after(async () => {
    if (server) await server.stop();
  });

  it('text: accent- and case-insensitive, words starting words of nom, commune, présentation; sorted by name', async () => {
    const r = await cherche('');
    assert.deepEqual(noms(r), ['Espace numérique Marvejols', 'France Services du Causse', 'Médiathèque de Mende', 'Point lointain', 'Sans position']);
    assert.equal(r.total, 5);
    assert.deepEqual(noms(await cherche('q=zorglub%20MEDIATHEQUE')), ['Médiathèque de Mende']);
    assert.deepEqual(noms(await cherche('q=zorglub%20ecriv')), ['Médiathèque de Mende']);  // présentation, prefix
    assert.deepEqual(noms(await cherche('q=zorglub%20marvéjols')), ['Espace numérique Marvejols']);  // commune
    assert.deepEqual(noms(await cherche('q=zorglub%20thèque')), []);  // not the start of a word
    const item = (await cherche('q=zorglub%20mediatheque')).items[0];
    for (const k of ['id', 'nom', 'commune', 'code_postal', 'adresse', 'latitude', 'longitude', 'services', 'distance_m', 'ouvert_maintenant'])
      assert.ok(k in item, k);
    assert.equal(item.distance_m, null);
    assert.deepEqual(item.services, [S.demarches, S.quotidien]);
  });

  it('codes: commune (arrondissements through the city), code_postal, département, région — repeatable', async () => {
    assert.deepEqual(noms(await cherche('commune=48092')), ['Espace numérique Marvejols']);
    assert.deepEqual(noms(await cherche('commune=75056')), ['Point lointain']);
    assert.deepEqual(noms(await cherche('commune=75104&commune=48092')), ['Espace numérique Marvejols', 'Point lointain']);
    assert.deepEqual(noms(await cherche('code_postal=48100')), ['Espace numérique Marvejols']);
    assert.equal((await cherche('departement=48')).total, 4);
    assert.deepEqual(noms(await cherche('region=11')), ['Point lointain']);
    assert.equal((await cherche('region=76&region=11')).total, 5);
  });

  it('vocabularies: OR inside one, AND across; accessibility page and online booking', async () => {
    const enc = encodeURIComponent;
    assert.deepEqual(noms(await cherche(`services=${enc(S.insertion)}`)), ['France Services du Causse', 'Sans position']);
    assert.equal((await cherche(`services=${enc(S.insertion)}&services=${enc(S.quotidien)}`)).total, 4);
    assert.deepEqual(noms(await cherche(`services=${enc(S.demarches)}&frais_a_charge=Gratuit`)), ['Médiathèque de Mende']);
    assert.deepEqual(noms(await cherche('publics_specifiquement_adresses=Jeunes')), ['Espace numérique Marvejols']);
    assert.deepEqual(noms(await cherche(`prise_en_charge_specifique=${enc('Surdité')}`)), ['Médiathèque de Mende']);
    assert.deepEqual(noms(await cherche(`modalites_acces=${enc('Téléphoner')}`)), ['Espace numérique Marvejols']);
    assert.deepEqual(noms(await cherche('modalites_accompagnement=Accompagnement%20individuel')), ['Médiathèque de Mende']);
    assert.deepEqual(noms(await cherche(`dispositif_programmes_nationaux=${enc('Conseillers numériques')}`)), ['Médiathèque de Mende']);
    assert.deepEqual(noms(await cherche(`formations_labels=${enc('Arnia/MedNum BFC')}`)), ['Médiathèque de Mende']);
    assert.deepEqual(noms(await cherche('fiche_acces_libre=1')), ['Médiathèque de Mende']);
    assert.deepEqual(noms(await cherche('prise_rdv=1')), ['Médiathèque de Mende']);
    assert.deepEqual(noms(await cherche(`service=${enc(S.insertion)}`)), ['France Services du Causse', 'Sans position']);  // former name
  });

  it('opening hours: open at a fixed instant, open some time of a day range; invalid hours excluded', async () => {
    // Monday 7 December 2026, 10:00 in Paris (09:00Z): Mo-Fr mornings, 24/7, Mo-Su all day.
    const lundi = await cherche('ouvert_maintenant=1&instant=2026-12-07T09:00:00Z');
    assert.deepEqual(noms(lundi), ['Médiathèque de Mende', 'Point lointain', 'Sans position']);
    assert.equal(lundi.items[0].ouvert_maintenant, true);
    assert.match(lundi.items[0].etat_horaires, /Ouvert/);
    const tous = await cherche('instant=2026-12-07T12:30:00Z');  // 13:30: the médiathèque is closed
    const m = tous.items.find((l) => l.nom.includes('Médiathèque'));
    assert.equal(m.ouvert_maintenant, false);
    assert.equal(tous.items.find((l) => l.nom.includes('Causse')).ouvert_maintenant, null);  // invalid « Sun »
    // Saturday 12 December 2026 from 11:30 to 14:00: Marvejols (Sa 10-12, « une partie »), 24/7, all day.
    assert.deepEqual(noms(await cherche('jour=2026-12-12&de=11:30&a=14:00')), ['Espace numérique Marvejols', 'Point lointain', 'Sans position']);
    assert.deepEqual(noms(await cherche('jour=2026-12-12&de=12:00&a=14:00')), ['Point lointain', 'Sans position']);  // 12:00 is closed
    assert.deepEqual(noms(await cherche('jour=2026-12-07&de=20:00&a=02:00')), ['Point lointain', 'Sans position']);  // past midnight
    assert.equal((await cherche('jour=2026-12-13')).total, 2);  // Sunday, all day: never the invalid « Sun »
  });

  it('distance: from a point, a lieu, a commune; radius; sorted by distance; distance_m', async () => {
    const r = await cherche('autour=44.52,3.50&rayon_km=5');
    assert.deepEqual(noms(r), ['Médiathèque de Mende', 'France Services du Causse']);
    assert.ok(r.items[0].distance_m < 10, `${r.items[0].distance_m}`);
    assert.ok(Math.abs(r.items[1].distance_m - 1945) < 60, `${r.items[1].distance_m}`);
    assert.deepEqual(noms(await cherche('autour=44.52,3.50&rayon_km=30')),
      ['Médiathèque de Mende', 'France Services du Causse', 'Espace numérique Marvejols']);
    assert.deepEqual(noms(await cherche('autour=44.52,3.50')).length, 3);  // 30 km by default
    assert.deepEqual(noms(await cherche(`lieu=${id['Espace numérique Marvejols']}&rayon_km=30`)),
      ['Espace numérique Marvejols', 'France Services du Causse', 'Médiathèque de Mende']);
    const c = await cherche('depuis_commune=48095&rayon_km=5');
    assert.deepEqual(noms(c), ['Médiathèque de Mende', 'France Services du Causse']);
    assert.ok(c.items.every((l) => typeof l.distance_m === 'number'));
    assert.deepEqual(noms(await cherche('depuis_commune=75056&rayon_km=5')), ['Point lointain']);  // a city: its gazetteer position
    assert.deepEqual(noms(await cherche(`autour=44.52,3.50&services=${encodeURIComponent(S.demarches)}&ouvert_maintenant=1&instant=2026-12-07T09:00:00Z`)),
      ['Médiathèque de Mende']);
  });

  it('pagination: page and par_page over a stable order; total counts every page', async () => {
    const p1 = expectStatus(await mediatrice.get('/api/lieux?q=zorglub&par_page=2&page=1'), 200).json;
    const p3 = expectStatus(await mediatrice.get('/api/lieux?q=zorglub&par_page=2&page=3'), 200).json;
    assert.deepEqual([p1.total, p1.page, p1.par_page, p1.items.length, p3.items.length], [5, 1, 2, 2, 1]);
    assert.deepEqual(noms(p3), ['Sans position']);
    assert.deepEqual(p1.lieux.map((l) => l.id), p1.items.map((l) => l.id));  // full records of the same page
    assert.equal(expectStatus(await mediatrice.get('/api/lieux?q=zorglub&page=9'), 200).json.items.length, 0);
  });

  it('off the map: hidden from everyone but an admin, and editors asking tous=1; carte=1 restricts', async () => {
    assert.ok(!noms(await cherche('')).includes('Hors carte'));
    assert.ok(noms(await cherche('tous=1', gestion)).includes('Hors carte'));
    assert.ok(noms(await cherche('tous=1')).includes('Hors carte'));  // mediatrice: an editor
    assert.ok(noms(await cherche('', admin)).includes('Hors carte'));
    assert.ok(!noms(await cherche('carte=1', admin)).includes('Hors carte'));
  });

  it('points: every match with a position, no pagination; counts by région and département', async () => {
    const p = expectStatus(await mediatrice.get('/api/lieux/points?q=zorglub'), 200).json;
    assert.equal(p.total, 5);
    assert.equal(p.points.length, 4);  // « Sans position » counted, not placed
    const m = p.points.find((x) => x[0] === id['Médiathèque de Mende']);
    assert.deepEqual(m, [id['Médiathèque de Mende'], 44.52, 3.5]);
    assert.deepEqual(p.par_region, [{ code: '11', nom: 'Île-de-France', nombre: 1 }, { code: '76', nom: 'Occitanie', nombre: 4 }]);
    assert.deepEqual(p.par_departement, [{ code: '48', nom: 'Lozère', region: '76', nombre: 4 }, { code: '75', nom: 'Paris', region: '11', nombre: 1 }]);
    const d = expectStatus(await mediatrice.get('/api/lieux/points?q=zorglub&autour=44.52,3.50&rayon_km=5'), 200).json;
    assert.equal(d.total, 2);
  });

  it('a new or edited lieu is found at once (the change log)', async () => {
    const l = expectStatus(await admin.get(`/api/lieux/${id['Point lointain']}`), 200).json;
    expectStatus(await admin.put(`/api/lieux/${l.id}`, { json: { nom: 'Zorglub Point renommé Quasar' } }), 200);
    assert.deepEqual(noms(await cherche('q=zorglub%20quasar')), ['Point renommé Quasar']);
    expectStatus(await admin.put(`/api/lieux/${l.id}`, { json: { nom: 'Zorglub Point lointain' } }), 200);
    assert.deepEqual(noms(await cherche('q=zorglub%20quasar')), []);
  });

  it('public API v1: the same filters, distance_m, cursor pages keeping the filters', async () => {
    const created = expectStatus(await admin.post('/api/admin/clients-api', { json: { nom: 'Carto recherche', scopes: ['lieux'] } }), 201).json;
    const client = server.client({ headers: { authorization: `Basic ${Buffer.from(`${created.client_id}:${created.client_secret}`).toString('base64')}` } });
    const tous = expectStatus(await client.get('/api/v1/lieux?q=zorglub&page[size]=500'), 200).json;
    assert.equal(tous.data.length, 6);  // every lieu, the one off the map too
    assert.equal(expectStatus(await client.get('/api/v1/lieux?q=zorglub&carte=1'), 200).json.data.length, 5);
    const proches = expectStatus(await client.get('/api/v1/lieux?q=zorglub&autour=44.52,3.50&rayon_km=5&page[size]=1'), 200).json;
    assert.equal(proches.data.length, 1);
    assert.equal(typeof proches.data[0].attributes.distance_m, 'number');
    const suite = expectStatus(await client.get(proches.links.next), 200).json;  // the filters stay in the link
    const fin = suite.links.next ? expectStatus(await client.get(suite.links.next), 200).json : { data: [] };
    const ids = [...proches.data, ...suite.data, ...fin.data].map((d) => d.id).sort();
    assert.deepEqual(ids, [id['Médiathèque de Mende'], id['France Services du Causse'], id['Hors carte']].sort());
    assert.deepEqual(expectStatus(await client.get(`/api/v1/lieux?q=zorglub&services=${encodeURIComponent(S.insertion)}&ouvert_maintenant=1&instant=2026-12-07T09:00:00Z`), 200)
      .json.data.map((d) => d.attributes.nom), ['Zorglub Sans position']);
    expectError(await client.get('/api/v1/lieux?rayon_km=500&autour=1,1'), 400, 'validation', ['rayon_km']);
  });

  it('errors: French, naming the parameter', async () => {
    const e = async (qs, status, code, champ) => expectError(await mediatrice.get(`/api/lieux?${qs}`), status, code, [champ], qs);
    await e('services=inconnu', 400, 'validation', 'services');
    await e('frais_a_charge=gratuit', 400, 'validation', 'frais_a_charge');
    await e('commune=123', 400, 'validation', 'commune');
    await e('code_postal=4800', 400, 'validation', 'code_postal');
    await e('departement=00', 400, 'validation', 'departement');
    await e('region=99', 400, 'validation', 'region');
    await e('autour=91,3', 400, 'validation', 'autour');
    await e('autour=abc', 400, 'validation', 'autour');
    await e('autour=44.5,3.5&rayon_km=2', 400, 'validation', 'rayon_km');
    await e('autour=44.5,3.5&rayon_km=101', 400, 'validation', 'rayon_km');
    await e('rayon_km=10', 400, 'validation', 'rayon_km');
    await e('autour=44.5,3.5&lieu=1', 400, 'validation', 'autour');
    await e('lieu=999999999', 404, 'introuvable', 'lieu');
    await e(`lieu=${id['Sans position']}`, 422, 'lieu_sans_position', 'lieu');
    await e('depuis_commune=99999', 400, 'validation', 'depuis_commune');
    await e('depuis_commune=48001', 422, 'commune_sans_position', 'depuis_commune');  // Albaret-le-Comtal: not in the gazetteer, no lieu
    await e('jour=2026-02-30', 400, 'validation', 'jour');
    await e('jour=2026-12-07&de=25:00', 400, 'validation', 'de');
    await e('jour=2026-12-07&de=10:00&a=10:00', 400, 'validation', 'a');
    await e('de=10:00', 400, 'validation', 'jour');
    await e('ouvert_maintenant=oui', 400, 'validation', 'ouvert_maintenant');
    await e('instant=hier', 400, 'validation', 'instant');
    await e('par_page=0', 400, 'validation', 'par_page');
    await e('page=0', 400, 'validation', 'page');
    const r = expectError(await mediatrice.get('/api/lieux?depuis_commune=48001'), 422, 'commune_sans_position', ['depuis_commune']);
    assert.match(r.json.error.message, /Albaret-le-Comtal/);
    expectError(await mediatrice.get('/api/lieux/points?services=x'), 400, 'validation', ['services']);
  });
});
