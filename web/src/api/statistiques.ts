/**
 * Statistiques (issue 4, docs/api-statistiques.md): the dashboard, the périmètres, the exports and
 * the share links, with the types generated from docs/openapi.json (see ./types).
 */
import { api } from "./client";
import type { components } from "./schema";
import type { Items } from "./types";

type S = components["schemas"];
export type Departement = S["Departement"];
export type Region = S["Region"];

// Local mirror of docs/api-statistiques.md until docs/openapi.json has the statistics routes.
export interface StatistiquesLigne {
  cle: string;
  libelle: string;
  valeur: number;
  activites: number;
  pourcentage: number;
}
export type RepartitionCle =
  | "types"
  | "thematiques"
  | "demarches"
  | "materiel"
  | "canaux"
  | "durees"
  | "autonomie"
  | "orientation"
  | "redirections"
  | "lieux"
  | "communes"
  | "tags"
  | "genres"
  | "tranches_age"
  | "statuts"
  | "communes_residence";
export interface StatistiquesTableau {
  perimetre: { code: string; libelle: string };
  filtres: Record<string, unknown> & { du: string; au: string };
  totaux: {
    activites: number;
    accompagnements: number;
    individuels: number;
    ateliers: number;
    participants_ateliers: number;
    beneficiaires: number;
    nouveaux: number;
    suivis: number;
    anonymes: number;
    duree_totale_minutes: number;
  };
  par_mois: { mois: string; accompagnements: number }[];
  par_jour: { jour: string; accompagnements: number }[];
  repartitions: Record<RepartitionCle, StatistiquesLigne[]>;
  coordination: { type: string; libelle: string; activites: number; duree_minutes: number; participants: number }[];
  calcul_ms: number;
}
export type StatistiquesTableauPartage = StatistiquesTableau & { partage: { titre: string; created_at: string } };
export interface StatistiquesPerimetres {
  perimetres: { code: string; libelle: string }[];
  defaut: string | null;
  /** An administrator may also ask for any département or région. */
  tous_territoires: boolean;
}
export interface StatistiquesPartage {
  id: number;
  titre: string;
  perimetre: string;
  requete: string;
  created_at: string;
  revoked_at: string | null;
}
export type StatistiquesPartageCree = Omit<StatistiquesPartage, "revoked_at"> & { url: string };
export interface StatistiquesPartages {
  partages: StatistiquesPartage[];
}

const enc = encodeURIComponent;

/** `qs`: the API query string of the view (no leading "?"), as the page keeps it in its URL. */
export const getStatistiques = (qs: string, signal?: AbortSignal) =>
  api.get<StatistiquesTableau>(qs ? `/api/statistiques?${qs}` : "/api/statistiques", { signal });
export const getPerimetres = () => api.get<StatistiquesPerimetres>("/api/statistiques/perimetres");
export const exportStatistiquesUrl = (format: "csv" | "xlsx", qs: string) =>
  `/api/statistiques/export?format=${format}${qs ? `&${qs}` : ""}`;

export const createPartage = (titre: string, requete: string) =>
  api.post<StatistiquesPartageCree>("/api/statistiques/partages", { titre, requete });
export const listPartages = () => api.get<StatistiquesPartages>("/api/statistiques/partages");
export const revokePartage = (id: number) => api.delete<void>(`/api/statistiques/partages/${id}`);
export const getPartage = (jeton: string) =>
  api.get<StatistiquesTableauPartage>(`/api/partages/statistiques/${enc(jeton)}`, { allowAnonymous: true });

// Référentiel territorial (filters, roles editor)
export const listDepartements = () => api.get<Items<Departement>>("/api/departements", { allowAnonymous: true });
export const listRegions = () => api.get<Items<Region>>("/api/regions", { allowAnonymous: true });
