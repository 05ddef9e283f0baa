// The benchmark's searches (bench/lieux/run.sh): each as the API's query string and as the
// baseline's plain SQL on PostgreSQL (filters in SQL, bounding box on the indexed latitude/
// longitude then haversine in SQL, ORDER BY distance LIMIT 20). Opening hours cannot be
// evaluated in SQL: the baseline keeps only `horaires_valides = 1` for « ouvert maintenant » /
// « ouvert tel jour » (an easier query than the real filter: it returns closed lieux too).
// Fixed instant: Tuesday 8 December 2026, 10:30 in Paris.
const INSTANT = '2026-12-08T09:30:00Z';
const S = {
  demarches: 'Aide aux démarches administratives',
  quotidien: 'Maîtrise des outils numériques du quotidien',
  insertion: 'Insertion professionnelle via le numérique',
};
const LYON = [45.764, 4.8357], PARIS = [48.8566, 2.3522], RENNES = [48.1173, -1.6778], MENDE = [44.5181, 3.5006];

export const REQUETES = [
  { classe: 'services + distance', services: [S.demarches], centre: LYON, rayon: 30 },
  { classe: 'services + distance + ouvert', services: [S.demarches], centre: LYON, rayon: 30, ouvert: true },
  { classe: 'services + distance + ouvert', services: [S.quotidien, S.insertion], centre: PARIS, rayon: 10, ouvert: true },
  { classe: 'services + distance + ouvert', services: [S.demarches], centre: MENDE, rayon: 50, ouvert: true },
  { classe: '2 filtres + distance + ouvert', services: [S.demarches], frais: ['Gratuit'], centre: RENNES, rayon: 20, ouvert: true },
  { classe: 'distance seule', centre: PARIS, rayon: 5 },
  { classe: 'distance 100 km', centre: LYON, rayon: 100 },
  { classe: 'services + jour de/à + distance', services: [S.demarches], centre: PARIS, rayon: 20, jour: ['2026-12-12', '10:00', '12:00'] },
  { classe: 'département + services', services: [S.quotidien], departement: '33' },
  { classe: 'texte', q: 'mediatheque' },
  { classe: 'sans filtre (par nom)' },
  { classe: 'ouvert maintenant seul (France)', ouvert: true },
];

export function http(r) {
  const p = new URLSearchParams();
  if (r.q) p.append('q', r.q);
  for (const s of r.services ?? []) p.append('services', s);
  for (const f of r.frais ?? []) p.append('frais_a_charge', f);
  if (r.departement) p.append('departement', r.departement);
  if (r.centre) { p.append('autour', r.centre.join(',')); p.append('rayon_km', String(r.rayon)); }
  if (r.ouvert) { p.append('ouvert_maintenant', '1'); p.append('instant', INSTANT); }
  if (r.jour) { p.append('jour', r.jour[0]); p.append('de', r.jour[1]); p.append('a', r.jour[2]); }
  return p.toString();
}

const lit = (s) => `'${s.replace(/'/g, "''")}'`;
export function sql(r) {
  const w = ["visible_carte = 1", "services <> ''"];
  if (r.q) w.push(`texte_recherche LIKE ${lit('%' + r.q + '%')}`);
  for (const [champ, vs] of [['services', r.services], ['frais_a_charge', r.frais]])
    if (vs?.length) w.push(`id IN (SELECT lieu_id FROM lieux_valeurs WHERE champ = '${champ}' AND valeur IN (${vs.map(lit).join(', ')}))`);
  if (r.departement) w.push(`departement = ${lit(r.departement)}`);
  if (r.ouvert || r.jour) w.push('horaires_valides = 1');
  if (!r.centre) return `SELECT id, nom FROM lieux WHERE ${w.join(' AND ')} ORDER BY nom, id LIMIT 20;`;
  const [la, lo] = r.centre, km = r.rayon;
  const dlat = (km * 1000 / 6371008.8) * 180 / Math.PI, dlon = dlat / Math.cos(la * Math.PI / 180);
  w.push(`latitude BETWEEN ${la - dlat} AND ${la + dlat} AND longitude BETWEEN ${lo - dlon} AND ${lo + dlon}`);
  const d = `2 * 6371008.8 * asin(sqrt(power(sin(radians(latitude - ${la}) / 2), 2) + cos(radians(${la})) * cos(radians(latitude)) * power(sin(radians(longitude - ${lo}) / 2), 2)))`;
  return `SELECT id, nom, d FROM (SELECT id, nom, ${d} AS d FROM lieux WHERE ${w.join(' AND ')}) x WHERE d <= ${km * 1000} ORDER BY d, id LIMIT 20;`;
}
