/**
 * The national vocabulary of ../shared/reference/activites.md with its French labels, and the
 * CRA rules mirrored from the server so that errors show while the user types.
 */

import type {
  Autonomie,
  DejaAccompagne,
  Demarche,
  Genre,
  Materiel,
  Niveau,
  StatutSocial,
  StructureRedirection,
  Thematique,
  TrancheAge,
  TypeActivite,
  TypeLieu
} from "../api/types";

/** Codes of one list (the generated code type of docs/openapi.json) with their French labels. */
export type Options<T extends string = string> = readonly (readonly [T, string])[];

/** `value` as a code of `options`, or null when it is not one of them. */
export function codeOf<T extends string>(options: Options<T>, value: string | null | undefined): T | null {
  return options.find(([c]) => c === value)?.[0] ?? null;
}

/**
 * A list that names every code of T, in the type checker's eyes: when docs/openapi.json gains a
 * code (npm run gen:types), the list that lacks it no longer compiles.
 */
export function every<T extends string>() {
  return <const L extends Options<T>>(list: L & ([Exclude<T, L[number][0]>] extends [never] ? unknown : { manque: Exclude<T, L[number][0]> })): Options<T> =>
    list;
}

/** The codes of `values` that belong to `options`, in their order. */
export function codesOf<T extends string>(options: Options<T>, values: readonly string[]): T[] {
  return values.flatMap(v => codeOf(options, v) ?? []);
}

export const THEMATIQUES = every<Thematique>()([
  ["diagnostic_numerique", "Diagnostic numérique"],
  ["prendre_en_main_du_materiel", "Prendre en main du matériel"],
  ["maintenance_de_materiel", "Maintenance de matériel"],
  ["gere_ses_contenus_numeriques", "Gérer ses contenus numériques"],
  ["navigation_sur_internet", "Navigation sur internet"],
  ["email", "E-mail"],
  ["bureautique", "Bureautique"],
  ["reseaux_sociaux", "Réseaux sociaux"],
  ["sante", "Santé"],
  ["banque_et_achats_en_ligne", "Banque et achats en ligne"],
  ["entrepreneuriat", "Entrepreneuriat"],
  ["insertion_professionnelle", "Insertion professionnelle"],
  ["securite_numerique", "Sécurité numérique"],
  ["parentalite", "Parentalité"],
  ["scolarite_et_numerique", "Scolarité et numérique"],
  ["creer_avec_le_numerique", "Créer avec le numérique"],
  ["culture_numerique", "Culture numérique"],
  ["intelligence_artificielle", "Intelligence artificielle"],
  ["aide_aux_demarches_administratives", "Aide aux démarches administratives"]
]);
export const AIDE_DEMARCHES = "aide_aux_demarches_administratives";

export const DEMARCHES = every<Demarche>()([
  ["papiers_elections_citoyennete", "Papiers, élections, citoyenneté"],
  ["famille_scolarite", "Famille, scolarité"],
  ["social_sante", "Social, santé"],
  ["travail_formation", "Travail, formation"],
  ["logement", "Logement"],
  ["transports_mobilite", "Transports, mobilité"],
  ["argent_impots", "Argent, impôts"],
  ["justice", "Justice"],
  ["etrangers_europe", "Étrangers, Europe"],
  ["loisirs_sports_culture", "Loisirs, sports, culture"],
  ["associations", "Associations"]
]);

export const TYPES_LIEU = every<TypeLieu>()([
  ["lieu_activite", "Lieu d'activité"],
  ["domicile", "À domicile"],
  ["a_distance", "À distance"],
  ["autre", "Autre lieu"]
]);

export const MATERIEL = every<Materiel>()([
  ["ordinateur", "Ordinateur"],
  ["telephone", "Téléphone"],
  ["tablette", "Tablette"],
  ["autre", "Autre matériel"],
  ["aucun", "Pas de matériel"]
]);

export const AUTONOMIE = every<Autonomie>()([
  ["entierement_accompagne", "Entièrement accompagné (avec guidage)"],
  ["partiellement_autonome", "Partiellement autonome"],
  ["autonome", "Autonome"]
]);

export const STRUCTURES_REDIRECTION = every<StructureRedirection>()([
  ["administration", "Administration"],
  ["mediation_numerique", "Structure de médiation numérique"],
  ["operateur_ou_organisme_en_charge", "Opérateur ou organisme en charge"],
  ["aide_sociale", "Structure d'aide sociale"],
  ["insertion_professionnelle", "Structure d'insertion professionnelle"],
  ["aide_aux_demarches_administratives", "Structure d'aide aux démarches administratives"],
  ["autre", "Autre"]
]);

export const NIVEAUX = every<Niveau>()([
  ["debutant", "Débutant"],
  ["intermediaire", "Intermédiaire"],
  ["avance", "Avancé"]
]);

export const GENRES = every<Genre>()([
  ["masculin", "Masculin"],
  ["feminin", "Féminin"],
  ["non_communique", "Non communiqué"]
]);

export const TRANCHES_AGE = every<TrancheAge>()([
  ["moins_de_douze", "Moins de 12 ans"],
  ["douze_dix_huit", "12 – 17 ans"],
  ["dix_huit_vingt_quatre", "18 – 24 ans"],
  ["vingt_cinq_trente_neuf", "25 – 39 ans"],
  ["quarante_cinquante_neuf", "40 – 59 ans"],
  ["soixante_soixante_neuf", "60 – 69 ans"],
  ["soixante_dix_plus", "70 ans et plus"],
  ["non_communique", "Non communiqué"]
]);

export const STATUTS_SOCIAUX = every<StatutSocial>()([
  ["scolarise", "Scolarisé"],
  ["sans_emploi", "Sans emploi"],
  ["en_emploi", "En emploi"],
  ["retraite", "Retraité"],
  ["non_communique", "Non communiqué"]
]);

export const DEJA_ACCOMPAGNE = every<DejaAccompagne>()([
  ["oui", "Oui"],
  ["non", "Non"],
  ["non_communique", "Non communiqué"]
]);

export const BREAKDOWNS = [
  ["genre", "Genre", GENRES],
  ["tranche_age", "Tranche d'âge", TRANCHES_AGE],
  ["statut_social", "Statut", STATUTS_SOCIAUX],
  ["deja_accompagne", "Déjà accompagné", DEJA_ACCOMPAGNE]
] as const;
export type BreakdownKey = (typeof BREAKDOWNS)[number][0];

export const TYPES_ACTIVITE = every<TypeActivite>()([
  ["individuel", "Accompagnement individuel"],
  ["collectif", "Atelier collectif"]
]);

export const DUREE_PRESETS = [15, 30, 45, 60, 90, 120];

export function labelOf(options: Options, code: string | null | undefined): string {
  if (!code) return "—";
  return options.find(([c]) => c === code)?.[1] ?? code;
}

/** 90 → "1 h 30", 45 → "45 min", 120 → "2 h". */
export function formatDuree(minutes: number | null | undefined): string {
  if (minutes == null || !Number.isFinite(minutes)) return "—";
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${String(m).padStart(2, "0")}`;
}

/** Presets to offer: the mediator's frequent durations first, then the national presets. */
export function presetOrder(frequent: number[] | undefined, presets: number[] | undefined): number[] {
  const out: number[] = [];
  for (const d of [...(frequent ?? []), ...(presets?.length ? presets : DUREE_PRESETS)]) {
    if (Number.isInteger(d) && d > 0 && d <= 1440 && !out.includes(d)) out.push(d);
  }
  return out;
}

export const DATE_MIN = "2020-01-01";

/** The CRA date rule: present, a real day, not before 2020, not in the future. */
export function dateActivite(value: string, today: string): string | null {
  if (!value) return "La date est obligatoire.";
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(new Date(`${value}T00:00:00`).getTime()))
    return "La date est invalide (format attendu : jj/mm/aaaa).";
  if (value < DATE_MIN) return "La date ne peut pas être antérieure au 1er janvier 2020.";
  if (value > today) return "La date ne peut pas être dans le futur.";
  return null;
}

export function dureeActivite(minutes: number | null): string | null {
  if (minutes === null || Number.isNaN(minutes)) return "La durée est obligatoire : choisissez une durée ou saisissez-la.";
  if (minutes <= 0) return "La durée doit être supérieure à 0.";
  if (minutes > 1440) return "La durée ne peut pas dépasser 24 heures.";
  return null;
}

/** Sum of a breakdown, and whether it matches the total. */
export function breakdownSum(b: Record<string, number> | undefined): number {
  return Object.values(b ?? {}).reduce((a, n) => a + (Number.isFinite(n) ? n : 0), 0);
}

export function normalizeSearch(s: string): string {
  return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}
