/**
 * The standard « lieux de médiation numérique » v1.0.2: its fields' French names and its
 * vocabularies with their exact labels (the same lists as src/features/lieux/model.cpp).
 */
export const SERVICES = [
  "Aide aux démarches administratives",
  "Maîtrise des outils numériques du quotidien",
  "Insertion professionnelle via le numérique",
  "Utilisation sécurisée du numérique",
  "Parentalité et éducation avec le numérique",
  "Loisirs et créations numériques",
  "Compréhension du monde numérique",
  "Accès internet et matériel informatique",
  "Acquisition de matériel informatique à prix solidaire"
];
export const PUBLICS = ["Jeunes", "Étudiants", "Familles et/ou enfants", "Seniors", "Femmes"];
export const PRISE_EN_CHARGE = [
  "Surdité",
  "Handicaps moteurs",
  "Handicaps mentaux",
  "Illettrisme",
  "Langues étrangères (anglais)",
  "Langues étrangères (autres)",
  "Déficience visuelle"
];
export const FRAIS = ["Gratuit", "Gratuit sous condition", "Payant"];
export const DISPOSITIFS = [
  "Aidants Connect",
  "Bibliothèques numérique de référence",
  "Certification PIX",
  "Conseillers numériques",
  "Emmaüs Connect",
  "France Services",
  "Grande école du numérique",
  "La Croix Rouge",
  "Point d'accès numérique CAF",
  "Promeneurs du net",
  "Relais numérique (Emmaüs Connect)"
];
export const LABELS = [
  "Formé à « Mon Espace Santé »",
  "Formé à « DUPLEX » (illettrisme)",
  "Arnia/MedNum BFC",
  "Collectif ressources et acteurs réemploi (Normandie)",
  "Étapes numériques (La Poste)",
  "Fabriques de Territoire",
  "Les Éclaireurs du numérique (Drôme)",
  "Mes Papiers (Métropole de Lyon)",
  "ORDI 3.0",
  "SUD LABS (PACA)"
];
export const MODALITES_ACCES = [
  "Se présenter",
  "Téléphoner",
  "Contacter par mail",
  "Prendre un RDV en ligne",
  "Ce lieu n'accueille pas de public",
  "Envoyer un mail avec une fiche de prescription"
];
export const MODALITES_ACCOMPAGNEMENT = ["En autonomie", "Accompagnement individuel", "Dans un atelier collectif", "À distance"];

/**
 * The search's facets: URL parameter (also GET /api/lieux's, repeated once per value), legend,
 * values. The lieu field they filter is `champ`.
 */
export const FACETTES_LIEUX = [
  { param: "services", champ: "services", legende: "Services", valeurs: SERVICES },
  { param: "publics_specifiquement_adresses", champ: "publics_specifiquement_adresses", legende: "Publics spécifiquement adressés", valeurs: PUBLICS },
  { param: "prise_en_charge_specifique", champ: "prise_en_charge_specifique", legende: "Prise en charge spécifique", valeurs: PRISE_EN_CHARGE },
  { param: "frais_a_charge", champ: "frais_a_charge", legende: "Frais à charge", valeurs: FRAIS },
  { param: "modalites_acces", champ: "modalites_acces", legende: "Modalités d'accès", valeurs: MODALITES_ACCES },
  { param: "modalites_accompagnement", champ: "modalites_accompagnement", legende: "Modalités d'accompagnement", valeurs: MODALITES_ACCOMPAGNEMENT },
  { param: "dispositif_programmes_nationaux", champ: "dispositif_programmes_nationaux", legende: "Dispositifs et programmes nationaux", valeurs: DISPOSITIFS },
  { param: "formations_labels", champ: "formations_labels", legende: "Formations et labels", valeurs: LABELS }
] as const;

/** The 32 fields' French names (for errors and the history). */
export const NOMS_CHAMPS: Record<string, string> = {
  id: "Identifiant",
  pivot: "SIRET ou RNA (pivot)",
  nom: "Nom",
  commune: "Commune",
  code_postal: "Code postal",
  code_insee: "Code INSEE",
  adresse: "Adresse",
  complement_adresse: "Complément d'adresse",
  latitude: "Latitude",
  longitude: "Longitude",
  typologie: "Typologie",
  telephone: "Téléphone",
  courriels: "Courriels",
  site_web: "Site web",
  horaires: "Horaires",
  presentation_resume: "Présentation (résumé)",
  presentation_detail: "Présentation détaillée",
  source: "Source",
  itinerance: "Itinérance",
  structure_parente: "Structure parente",
  date_maj: "Date de mise à jour",
  services: "Services",
  publics_specifiquement_adresses: "Publics spécifiquement adressés",
  prise_en_charge_specifique: "Prise en charge spécifique",
  frais_a_charge: "Frais à charge",
  dispositif_programmes_nationaux: "Dispositifs et programmes nationaux",
  formations_labels: "Formations et labels",
  autres_formations_labels: "Autres formations et labels",
  modalites_acces: "Modalités d'accès",
  modalites_accompagnement: "Modalités d'accompagnement",
  fiche_acces_libre: "Page d'accessibilité (Acceslibre)",
  prise_rdv: "Prise de rendez-vous en ligne",
  visible_carte: "Visible sur la carte"
};


export const liste = (v: string | null | undefined) => (v ? v.split("|").map(x => x.trim()).filter(Boolean) : []);

export function distanceEnFrancais(m: number): string {
  return m < 1000 ? `${Math.round(m)} m` : `${(m / 1000).toLocaleString("fr-FR", { maximumFractionDigits: 1 })} km`;
}
