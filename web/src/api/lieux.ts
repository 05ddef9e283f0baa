/**
 * The lieux de médiation numérique (issue 12): search, sheet, edit, history, admin import with
 * upload progress (XMLHttpRequest: fetch has no upload progress), exports.
 */
import { api, ApiError, readCookie } from "./client";
import type { components } from "./schema";

type S = components["schemas"];
export type Lieu = S["Lieu"] & { distance_m?: number | null; ouvert_maintenant?: boolean | null };
export type LieuDetail = S["LieuDetail"];
export type LieuModifie = S["LieuModifie"];
export type LieuChamps = S["LieuChamps"];
export type LieuHistorique = S["LieuHistorique"];
export type LieuImportRapport = S["LieuImportRapport"];
export type LieuPage = Omit<S["LieuPage"], "lieux"> & { lieux: Lieu[] };

const B = "/api/lieux";

/** GET /api/lieux with the search's URL parameters passed through as they are. */
export function chercherLieux(params: URLSearchParams, signal?: AbortSignal): Promise<LieuPage> {
  const qs = params.toString();
  return api.get<LieuPage>(qs ? `${B}?${qs}` : B, { signal });
}

export const lireLieu = (id: number | string) => api.get<LieuDetail>(`${B}/${id}`);
export const historiqueLieu = (id: number | string) => api.get<LieuHistorique>(`${B}/${id}/historique`);
export const modifierLieu = (id: number | string, corps: Record<string, unknown>) => api.put<LieuModifie>(`${B}/${id}`, corps);
export const ficheDeStructure = (structureId: number) => api.post<LieuDetail>(`/api/structures/${structureId}/lieu`);

export const exportUrl = (format: "csv" | "json" | "data-inclusion") => `${B}/export?format=${format}`;

export interface EnvoiImport {
  promesse: Promise<LieuImportRapport>;
  abort: () => void;
}

/** POST /api/admin/lieux/import (multipart: fichier, source) with upload progress. */
export function importerLieux(f: File, source: string, onProgress: (envoye: number, total: number) => void): EnvoiImport {
  const xhr = new XMLHttpRequest();
  const promesse = new Promise<LieuImportRapport>((resolve, reject) => {
    const start = async () => {
      let token = readCookie("coop_csrf");
      if (!token) {
        await fetch("/api/health", { credentials: "same-origin" }).catch(() => undefined);
        token = readCookie("coop_csrf");
      }
      xhr.open("POST", "/api/admin/lieux/import");
      xhr.withCredentials = true;
      xhr.setRequestHeader("Accept", "application/json");
      if (token) xhr.setRequestHeader("X-CSRF-Token", token);
      xhr.upload.onprogress = e => onProgress(e.loaded, e.lengthComputable ? e.total : f.size);
      xhr.onload = () => {
        let body: unknown = null;
        try {
          body = JSON.parse(xhr.responseText);
        } catch {
          body = null;
        }
        if (xhr.status >= 200 && xhr.status < 300) {
          resolve(body as LieuImportRapport);
          return;
        }
        const err = (body as { error?: { code?: string; message?: string; fields?: Record<string, string> } } | null)?.error;
        const message = err?.message || (xhr.status === 413 ? "Le fichier est trop volumineux." : "L'import a échoué.");
        reject(new ApiError(xhr.status, err?.code ?? `http_${xhr.status}`, message, err?.fields ?? {}));
      };
      xhr.onerror = () => reject(new ApiError(0, "reseau", "L'envoi a été interrompu : vérifiez votre connexion et réessayez."));
      xhr.onabort = () => reject(new ApiError(0, "annule", "Import annulé."));
      const form = new FormData();
      if (source.trim()) form.append("source", source.trim());
      form.append("fichier", f, f.name);
      xhr.send(form);
    };
    void start();
  });
  return { promesse, abort: () => xhr.abort() };
}

export type HorairesVerifies = S["LieuHorairesVerifies"];
export const verifierHoraires = (valeur: string, signal?: AbortSignal) =>
  api.get<HorairesVerifies>(`${B}/horaires`, { query: { valeur }, signal });
