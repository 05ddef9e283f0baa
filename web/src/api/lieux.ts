/**
 * The lieux de médiation numérique (issue 12): search, sheet, edit, history, admin import with
 * upload progress (client.ts envoyerAvecProgression), exports, duplicates and their merge.
 */
import { api, envoyerAvecProgression, type Envoi } from "./client";
import type { components } from "./schema";

type S = components["schemas"];
export type Lieu = S["Lieu"];
export type LieuResume = S["LieuResume"];
export type LieuDetail = S["LieuDetail"];
export type LieuModifie = S["LieuModifie"];
export type LieuChamps = S["LieuChamps"];
export type LieuHistorique = S["LieuHistorique"];
export type LieuImportRapport = S["LieuImportRapport"];
export type LieuPage = S["LieuPage"];

const B = "/api/lieux";

const liste = (v: string) => (v ? v.split("|").filter(Boolean) : []);
/** A full sheet as a summary (a server that answers only `lieux`, without `items`). */
export function resumeDe(l: Lieu): LieuResume {
  const c = l.champs;
  return {
    id: l.id,
    nom: c.nom,
    commune: c.commune,
    code_postal: c.code_postal,
    code_insee: c.code_insee,
    adresse: c.adresse,
    complement_adresse: c.complement_adresse,
    latitude: c.latitude,
    longitude: c.longitude,
    services: liste(c.services),
    publics_specifiquement_adresses: liste(c.publics_specifiquement_adresses),
    frais_a_charge: liste(c.frais_a_charge),
    modalites_acces: liste(c.modalites_acces),
    telephone: c.telephone,
    horaires: c.horaires,
    horaires_valides: l.horaires_valides,
    ouvert_maintenant: null,
    etat_horaires: null,
    fiche_acces_libre: c.fiche_acces_libre,
    prise_rdv: c.prise_rdv,
    structure_id: l.structure_id,
    sur_la_carte: l.sur_la_carte,
    completude: l.completude,
    departement: "",
    distance_m: null
  };
}

/** GET /api/lieux with the search's URL parameters passed through as they are. */
export async function chercherLieux(params: URLSearchParams, signal?: AbortSignal): Promise<{ items: LieuResume[]; total: number }> {
  const qs = params.toString();
  const r = await api.get<Partial<LieuPage> & { lieux: Lieu[]; total: number }>(qs ? `${B}?${qs}` : B, { signal });
  return { items: r.items ?? r.lieux.map(resumeDe), total: r.total };
}

export const lireLieu = (id: number | string) => api.get<LieuDetail>(`${B}/${id}`);
export const historiqueLieu = (id: number | string) => api.get<LieuHistorique>(`${B}/${id}/historique`);
export const modifierLieu = (id: number | string, corps: Record<string, unknown>) => api.put<LieuModifie>(`${B}/${id}`, corps);
export const ficheDeStructure = (structureId: number) => api.post<LieuDetail>(`/api/structures/${structureId}/lieu`);

export const exportUrl = (format: "csv" | "json" | "data-inclusion") => `${B}/export?format=${format}`;

export type EnvoiImport = Envoi<LieuImportRapport>;

/** POST /api/admin/lieux/import (multipart: fichier, source) with upload progress. */
export function importerLieux(f: File, source: string, onProgress: (envoye: number, total: number) => void): EnvoiImport {
  const form = new FormData();
  if (source.trim()) form.append("source", source.trim());
  form.append("fichier", f, f.name);
  return envoyerAvecProgression<LieuImportRapport>("/api/admin/lieux/import", form, f.size, onProgress, {
    echec: "L'import a échoué.",
    parStatut: { 413: "Le fichier est trop volumineux." },
    interrompu: "L'envoi a été interrompu : vérifiez votre connexion et réessayez.",
    annule: "Import annulé."
  });
}

export type HorairesVerifies = S["LieuHorairesVerifies"];
export const verifierHoraires = (valeur: string, signal?: AbortSignal) =>
  api.get<HorairesVerifies>(`${B}/horaires`, { query: { valeur }, signal });

export const envoyerFiche = (id: number, destinataire: string) =>
  api.post<S["LieuCourrielsEnvoyes"]>(`${B}/${id}/envoi`, { destinataire });
export const signalerErreur = (id: number, message: string) =>
  api.post<S["LieuCourrielsEnvoyes"]>(`${B}/${id}/signalements`, { message });

export type LieuDoublons = S["LieuDoublons"];
export type LieuDoublon = S["LieuDoublon"];
export type LieuDoublonDetail = S["LieuDoublonDetail"];
export type LieuFusion = S["LieuFusion"];
export type CoteFusion = LieuDoublonDetail["survivant_propose"];

/** Duplicates proposed by the imports, one pair side by side, the merge, the dismissal (admin). */
export const listerDoublons = () => api.get<LieuDoublons>("/api/admin/lieux/doublons");
export const lireDoublon = (id: number | string) => api.get<LieuDoublonDetail>(`/api/admin/lieux/doublons/${id}`);
export const fusionnerDoublon = (id: number, survivant: CoteFusion, choix: Partial<Record<string, CoteFusion>>) =>
  api.post<LieuFusion>(`/api/admin/lieux/doublons/${id}/fusion`, { survivant, choix });
export const ecarterDoublon = (id: number) => api.post<LieuDoublon>(`/api/admin/lieux/doublons/${id}/ecart`);
