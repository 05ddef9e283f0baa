/**
 * Activités, bénéficiaires, tags, lieux d'activité and API clients (issue 3), after
 * docs/api-activites.md. Local types until docs/openapi.json carries these schemas.
 */
import { api, buildUrl, request } from "./client";
import type { Page } from "./types";

export type TypeActivite = "individuel" | "collectif";
export type TypeLieu = "lieu_activite" | "domicile" | "a_distance" | "autre";
export type Portee = "personnel" | "equipe" | "departemental";

export interface Tag {
  id: number;
  nom: string;
  portee: Portee;
  departement?: string | null;
}

export interface PersonRef {
  id: number;
  prenom: string | null;
  nom: string | null;
  anonyme?: boolean;
}

export type Breakdown = Record<string, number>;
export interface ParticipantsAnonymes {
  total: number;
  genre: Breakdown;
  tranche_age: Breakdown;
  statut_social: Breakdown;
  deja_accompagne: Breakdown;
}

export interface BeneficiaireAnonyme {
  genre?: string | null;
  tranche_age?: string | null;
  statut_social?: string | null;
  commune_insee?: string | null;
}

export interface ActiviteFields {
  type: TypeActivite;
  date: string;
  duree: number;
  type_lieu: TypeLieu;
  lieu_activite_id: number | null;
  commune_insee: string | null;
  materiel: string[];
  thematiques: string[];
  demarches: string[];
  precisions_demarche: string | null;
  notes: string | null;
  tags: Tag[];
  beneficiaire: PersonRef | null;
  beneficiaire_anonyme?: BeneficiaireAnonyme | null;
  autonomie: string | null;
  oriente_vers_structure: boolean;
  structure_de_redirection: string | null;
  titre_atelier: string | null;
  niveau: string | null;
  participants: PersonRef[];
  participants_anonymes: ParticipantsAnonymes | null;
}

export interface Activite extends ActiviteFields {
  id: number;
  version: number;
  mediateur_id: number;
  lieu_activite_nom: string | null;
  code_postal: string | null;
  commune_nom: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface LieuActivite {
  id: number;
  structure_id: number;
  nom: string;
  adresse?: string | null;
  commune_insee?: string | null;
  commune_nom?: string | null;
  debut?: string | null;
  fin?: string | null;
}

export interface CodeLabel {
  code: string;
  libelle?: string;
  label?: string;
}

/** GET /api/activites/referentiel: only the parts the form relies on are typed. */
export interface Referentiel {
  durees?: number[];
  durees_presets?: number[];
  durees_frequentes?: number[];
  lieux?: LieuActivite[];
  lieux_activite?: LieuActivite[];
  dernier_lieu_id?: number | null;
  aujourdhui?: string;
  [list: string]: unknown;
}

export interface ActivitesPage {
  items: Activite[];
  suivant: string | null;
  total: number;
}

export interface ActiviteFilters {
  du?: string;
  au?: string;
  type?: string;
  thematique?: string;
  lieu?: string;
  commune?: string;
  beneficiaire?: string;
  tag?: string[];
  tri?: string;
  apres?: string;
  limite?: number;
}

export interface Beneficiaire {
  id: number;
  version: number;
  anonyme: boolean;
  prenom: string | null;
  nom: string | null;
  annee_naissance: number | null;
  telephone: string | null;
  pas_de_telephone: boolean;
  email: string | null;
  adresse: string | null;
  commune_insee: string | null;
  code_postal: string | null;
  commune_nom: string | null;
  genre: string | null;
  tranche_age: string | null;
  statut_social: string | null;
  notes: string | null;
  created_at: string;
  updated_at: string;
  nombre_accompagnements: number;
  dernier_accompagnement: string | null;
  activites?: Accompagnement[];
}

/** An entry of a beneficiary's history (GET /api/beneficiaires/{id}). */
export interface Accompagnement {
  id: number;
  date: string;
  type: TypeActivite;
  thematiques: string[];
  duree: number;
  premier_accompagnement?: boolean;
}

export type BeneficiaireBody = Omit<
  Beneficiaire,
  "id" | "version" | "created_at" | "updated_at" | "nombre_accompagnements" | "dernier_accompagnement" | "code_postal" | "commune_nom" | "activites" | "anonyme"
> & { version?: number; anonyme?: boolean };

export interface Doublon {
  a: Beneficiaire;
  b: Beneficiaire;
  criteres: string[];
}

export interface ImportLigne {
  numero: number;
  valeurs: Record<string, string | number | null>;
  erreurs: Record<string, string>;
}
export interface ImportAnalyse {
  import_id: string | number;
  lignes: ImportLigne[];
  valides: number;
  invalides: number;
  colonnes_ignorees?: string[];
}

export interface ClientApi {
  id: number;
  nom: string;
  client_id: string;
  scopes: string[];
  valide_du: string | null;
  valide_au: string | null;
  created_at?: string;
  revoque_le?: string | null;
  revoked_at?: string | null;
  actif?: boolean;
}
export interface ClientApiCreated extends ClientApi {
  client_secret: string;
}

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
  return api.get<ActivitesPage>(qs ? `/api/activites?${qs}` : "/api/activites", { signal });
};
export const getActivite = (id: number) => api.get<Activite>(`/api/activites/${id}`);
export const createActivite = (body: ActiviteFields) => api.post<Activite>("/api/activites", body);
export const updateActivite = (id: number, body: ActiviteFields & { version: number }) =>
  api.put<Activite>(`/api/activites/${id}`, body);
export const deleteActivite = (id: number) => api.delete<void>(`/api/activites/${id}`);
export const duplicateActivite = (id: number) => api.post<Activite>(`/api/activites/${id}/dupliquer`);
export const listCorbeille = () => api.get<{ items: Activite[] }>("/api/activites/corbeille");
export const restoreActivite = (id: number) => api.post<Activite>(`/api/activites/${id}/restaurer`);
export const exportActivitesUrl = (format: "csv" | "xlsx", f: ActiviteFilters) => {
  const qs = filtersQuery({ ...f, apres: undefined, limite: undefined });
  return `/api/activites/export.${format}${qs ? `?${qs}` : ""}`;
};

export const listTags = () => api.get<{ items: Tag[] }>("/api/tags");
export const createTag = (body: { nom: string; portee: Portee }) => api.post<Tag>("/api/tags", body);
export const listLieux = () => api.get<{ items: LieuActivite[] }>("/api/lieux-activite");

// Bénéficiaires
export const listBeneficiaires = (query: { q?: string; page?: number; per_page?: number }, signal?: AbortSignal) =>
  api.get<Page<Beneficiaire>>("/api/beneficiaires", { query: { ...query }, signal });
export const getBeneficiaire = (id: number) => api.get<Beneficiaire>(`/api/beneficiaires/${id}`);
export const createBeneficiaire = (body: BeneficiaireBody) => api.post<Beneficiaire>("/api/beneficiaires", body);
export const updateBeneficiaire = (id: number, body: BeneficiaireBody & { version: number }) =>
  api.put<Beneficiaire>(`/api/beneficiaires/${id}`, body);
export const deleteBeneficiaires = (ids: number[]) =>
  api.post<{ supprimes: number }>("/api/beneficiaires/suppression", { ids });
export const listDoublons = () => api.get<{ items: Doublon[] }>("/api/beneficiaires/doublons");
export interface FusionResultat {
  beneficiaire: Beneficiaire;
  activites_deplacees: number;
  champs_completes: string[];
}
export const mergeBeneficiaires = (targetId: number, sourceId: number) =>
  api.post<FusionResultat>(`/api/beneficiaires/${targetId}/fusionner`, { source_id: sourceId });
export const exportBeneficiaireUrl = (id: number) => `/api/beneficiaires/${id}/export`;
export const eraseBeneficiaire = (id: number) => api.post<void>(`/api/beneficiaires/${id}/effacer`);
export const confirmImport = (importId: string | number) =>
  api.post<{ importes: number }>(`/api/beneficiaires/import/${enc(String(importId))}/confirmer`);
export const BENEFICIAIRES_EXPORT_URL = "/api/beneficiaires/export.csv";

/** The file is sent raw, with its own Content-Type (CSV or XLSX), with the CSRF header. */
export async function analyseImport(file: File): Promise<ImportAnalyse> {
  const xlsx = /\.xlsx$/i.test(file.name);
  return request<ImportAnalyse>("POST", "/api/beneficiaires/import/analyse", file, {
    rawContentType: xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv"
  });
}

// Clients API (admin)
export const listClientsApi = () => api.get<{ items: ClientApi[] }>("/api/admin/clients-api");
export const createClientApi = (body: { nom: string; scopes: string[]; valide_du: string; valide_au: string | null }) =>
  api.post<ClientApiCreated>("/api/admin/clients-api", body);
export const revokeClientApi = (id: number) => api.delete<void>(`/api/admin/clients-api/${id}`);

export { buildUrl };

/** Items of a list answer, whatever the envelope ({items} or a bare array). */
export function itemsOf<T>(x: { items: T[] } | T[] | undefined | null): T[] {
  if (!x) return [];
  return Array.isArray(x) ? x : x.items ?? [];
}
