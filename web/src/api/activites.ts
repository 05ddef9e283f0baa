/**
 * Activités, bénéficiaires, tags, lieux d'activité and API clients (issue 3): one typed function per
 * endpoint, with the types generated from docs/openapi.json (see ./types).
 */
import { api, request } from "./client";
import type { paths } from "./schema";
import type {
  Activite,
  ActiviteBody,
  ActivitePage,
  ActiviteReplaceBody,
  Beneficiaire,
  BeneficiaireBody,
  BeneficiaireDetail,
  BeneficiaireRestaurationResultat,
  BeneficiaireSupprime,
  BeneficiaireSuppressionResultat,
  ClientApi,
  ClientApiBody,
  ClientApiCreated,
  Doublon,
  FusionResultat,
  ImportAnalyse,
  ImportConfirmation,
  Items,
  LieuActivite,
  Page,
  Referentiel,
  Tag,
  TagBody
} from "./types";

/** The query of GET /api/activites (and of the exports), as the list page keeps it: URL text. */
type ActivitesQuery = NonNullable<paths["/api/activites"]["get"]["parameters"]["query"]>;
export type ActiviteFilters = { [K in Exclude<keyof ActivitesQuery, "tag" | "limite">]?: string } & {
  tag?: string[];
  limite?: number;
};

const enc = encodeURIComponent;

/** Query string of the filters (tag repeatable), for the list and the export links. */
export function filtersQuery(f: ActiviteFilters): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) {
    if (v === undefined || v === null || v === "") continue;
    if (Array.isArray(v)) for (const x of v) p.append(k, String(x));
    else p.set(k, String(v));
  }
  return p.toString();
}

// Activités
export const getReferentiel = () => api.get<Referentiel>("/api/activites/referentiel");
export const listActivites = (f: ActiviteFilters, signal?: AbortSignal) => {
  const qs = filtersQuery(f);
  return api.get<ActivitePage>(qs ? `/api/activites?${qs}` : "/api/activites", { signal });
};
export const getActivite = (id: number) => api.get<Activite>(`/api/activites/${id}`);
export const createActivite = (body: ActiviteBody) => api.post<Activite>("/api/activites", body);
/** POST /api/activites with its Idempotency-Key: `deja` is true when the server had it already (200). */
export async function createActiviteAvecCle(body: ActiviteBody, cle: string): Promise<{ activite: Activite; deja: boolean }> {
  let status = 0;
  const activite = await api.post<Activite>("/api/activites", body, { headers: { "Idempotency-Key": cle }, onStatus: s => (status = s) });
  return { activite, deja: status === 200 };
}
export const updateActivite = (id: number, body: ActiviteReplaceBody) => api.put<Activite>(`/api/activites/${id}`, body);
export const deleteActivite = (id: number) => api.delete<void>(`/api/activites/${id}`);
export const duplicateActivite = (id: number) => api.post<Activite>(`/api/activites/${id}/dupliquer`);
export const listCorbeille = () => api.get<Items<Activite>>("/api/activites/corbeille");
export const restoreActivite = (id: number) => api.post<Activite>(`/api/activites/${id}/restaurer`);
export const exportActivitesUrl = (format: "csv" | "xlsx", f: ActiviteFilters) => {
  const qs = filtersQuery({ ...f, apres: undefined, limite: undefined });
  return `/api/activites/export.${format}${qs ? `?${qs}` : ""}`;
};

export const listTags = () => api.get<Items<Tag>>("/api/tags");
export const createTag = (body: TagBody) => api.post<Tag>("/api/tags", body);
export const listLieux = () => api.get<Items<LieuActivite>>("/api/lieux-activite");

// Bénéficiaires
export const listBeneficiaires = (query: { q?: string; page?: number; per_page?: number }, signal?: AbortSignal) =>
  api.get<Page<Beneficiaire>>("/api/beneficiaires", { query: { ...query }, signal });
export const getBeneficiaire = (id: number) => api.get<BeneficiaireDetail>(`/api/beneficiaires/${id}`);
export const createBeneficiaire = (body: BeneficiaireBody) => api.post<Beneficiaire>("/api/beneficiaires", body);
export const updateBeneficiaire = (id: number, body: BeneficiaireBody & { version: number }) =>
  api.put<Beneficiaire>(`/api/beneficiaires/${id}`, body);
export const deleteBeneficiaires = (ids: number[]) =>
  api.post<BeneficiaireSuppressionResultat>("/api/beneficiaires/suppression", { ids });
export const listDoublons = () => api.get<Items<Doublon>>("/api/beneficiaires/doublons");
export const mergeBeneficiaires = (targetId: number, sourceId: number) =>
  api.post<FusionResultat>(`/api/beneficiaires/${targetId}/fusionner`, { source_id: sourceId });
export const exportBeneficiaireUrl = (id: number) => `/api/beneficiaires/${id}/export`;
export const eraseBeneficiaire = (id: number) => api.post<void>(`/api/beneficiaires/${id}/effacer`);
export const listBeneficiairesCorbeille = () => api.get<Items<BeneficiaireSupprime>>("/api/beneficiaires/corbeille");
export const restoreBeneficiaire = (id: number) => api.post<Beneficiaire>(`/api/beneficiaires/${id}/restaurer`);
export const restoreBeneficiaires = (ids: number[]) =>
  api.post<BeneficiaireRestaurationResultat>("/api/beneficiaires/restauration", { ids });
export const confirmImport = (importId: number) =>
  api.post<ImportConfirmation>(`/api/beneficiaires/import/${enc(String(importId))}/confirmer`);
export const BENEFICIAIRES_EXPORT_URL = "/api/beneficiaires/export.csv";

/** The file is sent as multipart/form-data, field « fichier » (its name tells CSV from XLSX), with the CSRF header. */
export async function analyseImport(file: File): Promise<ImportAnalyse> {
  const form = new FormData();
  form.append("fichier", file, file.name);
  return request<ImportAnalyse>("POST", "/api/beneficiaires/import/analyse", form);
}

// Clients API (admin)
export const listClientsApi = () => api.get<Items<ClientApi>>("/api/admin/clients-api");
export const createClientApi = (body: ClientApiBody) => api.post<ClientApiCreated>("/api/admin/clients-api", body);
export const revokeClientApi = (id: number) => api.delete<void>(`/api/admin/clients-api/${id}`);
