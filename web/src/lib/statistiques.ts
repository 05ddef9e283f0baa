/**
 * The statistics page's query: the filters live in the page URL with the very names and formats of
 * the API parameters (docs/api-statistiques.md), so that the URL, the dashboard request, the
 * exports and a share link all carry the same string.
 */
import type { RepartitionCle, StatistiquesLigne } from "../api/statistiques";

/** Single-valued parameters. */
export const SCALAR_KEYS = ["perimetre", "du", "au", "conseiller_numerique"] as const;
/** Comma-separated lists. */
export const LIST_KEYS = [
  "types",
  "mediateurs",
  "beneficiaires",
  "lieux",
  "communes",
  "departements",
  "regions",
  "thematiques",
  "tags",
  "structures"
] as const;
export type ScalarKey = (typeof SCALAR_KEYS)[number];
export type ListKey = (typeof LIST_KEYS)[number];

export interface StatsQuery {
  perimetre: string;
  du: string;
  au: string;
  conseiller_numerique: string;
  lists: Record<ListKey, string[]>;
}

export function emptyQuery(): StatsQuery {
  return {
    perimetre: "",
    du: "",
    au: "",
    conseiller_numerique: "",
    lists: Object.fromEntries(LIST_KEYS.map(k => [k, []])) as unknown as Record<ListKey, string[]>
  };
}

export function queryFrom(params: URLSearchParams): StatsQuery {
  const q = emptyQuery();
  for (const k of SCALAR_KEYS) q[k] = params.get(k) ?? "";
  for (const k of LIST_KEYS) {
    const v = params.get(k);
    q.lists[k] = v ? [...new Set(v.split(",").map(s => s.trim()).filter(Boolean))] : [];
  }
  return q;
}

/** The API query string (no "?"), parameters in a fixed order, empty ones left out. */
export function queryString(q: StatsQuery): string {
  const p = new URLSearchParams();
  for (const k of SCALAR_KEYS) if (q[k]) p.set(k, q[k]);
  for (const k of LIST_KEYS) if (q.lists[k].length) p.set(k, q.lists[k].join(","));
  // Commas stay readable in the address bar (they are legal in a query string).
  return p.toString().replace(/%2C/gi, ",");
}

/**
 * The beneficiary filter exists only on the user's own figures (périmètre « moi »): the API refuses
 * it elsewhere (the beneficiaries are the mediator's personal data). The query without it.
 */
export function sansBeneficiaires(q: StatsQuery): StatsQuery {
  return q.lists.beneficiaires.length ? { ...q, lists: { ...q.lists, beneficiaires: [] } } : q;
}

/** Number of filters in use, as many as the kinds of tags shown (the période counts, the périmètre does not). */
export function activeFilters(q: StatsQuery): number {
  return (q.du || q.au ? 1 : 0) + LIST_KEYS.filter(k => q.lists[k].length).length + (q.conseiller_numerique ? 1 : 0);
}

/** Today in Paris (the server's calendar), YYYY-MM-DD. */
export function todayParis(): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
}

export type Preset = "12mois" | "mois" | "annee";
export const PRESETS: [Preset, string][] = [
  ["12mois", "12 derniers mois"],
  ["mois", "Mois en cours"],
  ["annee", "Année en cours"]
];

/** du/au of a quick choice: the 12 months ending with the current one, the month, the year. */
export function presetRange(p: Preset, today = todayParis()): { du: string; au: string } {
  const [y, m] = today.split("-").map(Number);
  const pad = (n: number) => String(n).padStart(2, "0");
  if (p === "mois") return { du: `${y}-${pad(m)}-01`, au: today };
  if (p === "annee") return { du: `${y}-01-01`, au: today };
  const start = new Date(Date.UTC(y, m - 1 - 11, 1));
  return { du: `${start.getUTCFullYear()}-${pad(start.getUTCMonth() + 1)}-01`, au: today };
}

export function presetOf(du: string, au: string, today = todayParis()): Preset | null {
  for (const [p] of PRESETS) {
    const r = presetRange(p, today);
    if (r.du === du && r.au === au) return p;
  }
  return null;
}

const intFmt = new Intl.NumberFormat("fr-FR");
export function formatNombre(n: number): string {
  return intFmt.format(n);
}

/** 754 → "12 h 34", 60 → "1 h", 0 → "0 h". */
export function formatHeures(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${formatNombre(h)} h ${String(m).padStart(2, "0")}` : `${formatNombre(h)} h`;
}

const moisFmt = new Intl.DateTimeFormat("fr-FR", { month: "short", year: "numeric", timeZone: "UTC" });
const moisLongFmt = new Intl.DateTimeFormat("fr-FR", { month: "long", year: "numeric", timeZone: "UTC" });
/** "2026-03" → "mars 2026" (long) or "mars 2026" abbreviated for the chart axis. */
export function formatMois(mois: string, long = true): string {
  const [y, m] = mois.split("-").map(Number);
  const d = new Date(Date.UTC(y, m - 1, 1));
  return (long ? moisLongFmt : moisFmt).format(d);
}

/** What a breakdown counts, which decides the columns of its table. */
export type Mesure = "activites" | "individuels" | "beneficiaires";

export interface RepartitionInfo {
  cle: RepartitionCle;
  titre: string;
  mesure: Mesure;
  graphique: "barres" | "anneau" | "tableau";
}

/** Every breakdown of the API, in the order of the page, with its title and how it is drawn. */
export const REPARTITIONS: RepartitionInfo[] = [
  { cle: "types", titre: "Types d'activité", mesure: "activites", graphique: "anneau" },
  { cle: "thematiques", titre: "Thématiques de médiation numérique", mesure: "activites", graphique: "barres" },
  { cle: "demarches", titre: "Démarches administratives", mesure: "activites", graphique: "barres" },
  { cle: "materiel", titre: "Matériel utilisé", mesure: "activites", graphique: "barres" },
  { cle: "canaux", titre: "Canaux d'accompagnement", mesure: "activites", graphique: "anneau" },
  { cle: "durees", titre: "Durées des accompagnements", mesure: "activites", graphique: "barres" },
  { cle: "autonomie", titre: "Autonomie des bénéficiaires (accompagnements individuels)", mesure: "individuels", graphique: "anneau" },
  { cle: "orientation", titre: "Orientation vers une structure (accompagnements individuels)", mesure: "individuels", graphique: "anneau" },
  { cle: "redirections", titre: "Structures de redirection", mesure: "individuels", graphique: "barres" },
  { cle: "tags", titre: "Tags", mesure: "activites", graphique: "barres" },
  { cle: "genres", titre: "Genre des bénéficiaires", mesure: "beneficiaires", graphique: "anneau" },
  { cle: "tranches_age", titre: "Tranches d'âge des bénéficiaires", mesure: "beneficiaires", graphique: "barres" },
  { cle: "statuts", titre: "Statut des bénéficiaires", mesure: "beneficiaires", graphique: "barres" },
  { cle: "lieux", titre: "Lieux d'activité", mesure: "activites", graphique: "tableau" },
  { cle: "communes", titre: "Communes des activités", mesure: "activites", graphique: "tableau" },
  { cle: "communes_residence", titre: "Communes de résidence des bénéficiaires", mesure: "beneficiaires", graphique: "tableau" }
];

/** The server's label; "" (none / not given) reads "Non renseigné" when the server gives none. */
export function ligneLibelle(l: Pick<StatistiquesLigne, "cle" | "libelle">): string {
  return l.libelle || (l.cle === "" ? "Non renseigné" : l.cle);
}

/** French names of the API's parameters, for the field errors of a 400. */
export const PARAMETRE_LIBELLE: Record<string, string> = {
  perimetre: "Périmètre",
  du: "Du",
  au: "Au",
  types: "Types d'activité",
  mediateurs: "Médiateurs",
  beneficiaires: "Bénéficiaires",
  lieux: "Lieux d'activité",
  communes: "Communes",
  departements: "Départements",
  regions: "Régions",
  thematiques: "Thématiques",
  tags: "Tags",
  conseiller_numerique: "Conseiller numérique",
  structures: "Structures employeuses"
};

