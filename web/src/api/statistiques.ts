/**
 * Statistiques (issue 4, docs/api-statistiques.md): the dashboard, the périmètres, the exports and
 * the share links, with the types generated from docs/openapi.json (see ./types); the départements
 * and régions of the référentiel.
 */
import { api } from "./client";
import type {
  Departement,
  Items,
  Region,
  StatistiquesPartageCree,
  StatistiquesPerimetres,
  StatistiquesTableau,
  StatistiquesTableauPartage
} from "./types";
import type { paths } from "./schema";

/** GET /api/statistiques/partages (an inline schema of the document). */
type StatistiquesPartages = paths["/api/statistiques/partages"]["get"]["responses"][200]["content"]["application/json"];

export type {
  Departement,
  Region,
  RepartitionCle,
  StatistiquesLigne,
  StatistiquesPartage,
  StatistiquesPartageCree,
  StatistiquesPerimetres,
  StatistiquesTableau,
  StatistiquesTableauPartage
} from "./types";

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
