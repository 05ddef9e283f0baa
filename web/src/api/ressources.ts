/**
 * Ressources (issue 11): one typed function per endpoint of /api/ressources (docs/openapi.json),
 * and the file upload with progress events (client.ts envoyerAvecProgression).
 */
import { api, envoyerAvecProgression, type Envoi } from "./client";
import type { components } from "./schema";

type S = components["schemas"];
export type Ressource = S["Ressource"];
export type RessourceCarte = S["RessourceCarte"];
export type RessourceFichier = S["RessourceFichier"];
export type RessourceListe = S["RessourceList"];
export type Facette = S["RessourceFacette"];
export type Referentiel = S["RessourcesReferentiel"];
export type Saisie = S["RessourceSaisie"];
export type Collection = S["RessourceCollection"];
export type CollectionSaisie = S["RessourceCollectionSaisie"];
export type Commentaire = S["RessourceCommentaire"];
export type Signalement = S["RessourceSignalement"];
export type Versions = S["RessourceVersionList"];
export type Suivis = S["RessourceSuiviList"];
export type Tri = RessourceListe["tri"];
export type CleFacette = keyof RessourceListe["facettes"];

const B = "/api/ressources";

export interface Filtres {
  q?: string;
  prefixe?: "0" | "1";
  thematique?: string[];
  public?: string[];
  format?: string[];
  niveau?: string[];
  licence?: string[];
  tri?: Tri;
  auteur?: number;
  collection?: number;
  miennes?: "1";
  favoris?: "1";
  suivis?: "1";
  facettes?: "0" | "1";
  page?: number;
  par_page?: number;
}

/** The list query string: repeated keys for the facets (thematique=a&thematique=b). */
export function chaineFiltres(f: Filtres): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) {
    if (v === undefined || v === null || v === "") continue;
    if (Array.isArray(v)) for (const x of v) p.append(k, x);
    else p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : "";
}

export const getReferentiel = () => api.get<Referentiel>(`${B}/referentiel`);
export const listRessources = (f: Filtres, signal?: AbortSignal) => api.get<RessourceListe>(`${B}${chaineFiltres(f)}`, { signal });
export const getRessource = (id: number) => api.get<Ressource>(`${B}/${id}`);
export const creerRessource = (s: Saisie) => api.post<Ressource>(B, s);
export const apercuDescription = (description: string, signal?: AbortSignal) =>
  api.post<S["RessourceApercu"]>(`${B}/apercu`, { description }, { signal });
export const modifierRessource = (id: number, s: Saisie) => api.put<Ressource>(`${B}/${id}`, s);
export const supprimerRessource = (id: number) => api.delete<void>(`${B}/${id}`);
export const listVersions = (id: number) => api.get<Versions>(`${B}/${id}/versions`);
export const copierRessource = (id: number, collection_id: number | null) => api.post<Ressource>(`${B}/${id}/copie`, { collection_id });
export const basculerFavori = (id: number, oui: boolean) => (oui ? api.put<Ressource>(`${B}/${id}/favori`) : api.delete<Ressource>(`${B}/${id}/favori`));
export const basculerUtile = (id: number, oui: boolean) => (oui ? api.put<Ressource>(`${B}/${id}/utile`) : api.delete<Ressource>(`${B}/${id}/utile`));
export const listCommentaires = (id: number) => api.get<{ items: Commentaire[] }>(`${B}/${id}/commentaires`);
export const commenter = (id: number, texte: string) => api.post<Commentaire>(`${B}/${id}/commentaires`, { texte });
export const supprimerCommentaire = (id: number) => api.delete<void>(`${B}/commentaires/${id}`);
export const signaler = (id: number, motif: string) => api.post<Signalement>(`${B}/${id}/signalements`, { motif });
export const listModeration = (tous = false) => api.get<{ items: Signalement[] }>(`${B}/moderation`, { query: { tous: tous ? "1" : undefined } });
export const masquer = (id: number, motif: string) => api.post<Ressource>(`${B}/${id}/masquer`, { motif });
export const restaurer = (id: number) => api.post<Ressource>(`${B}/${id}/restaurer`);
export const rejeterSignalement = (id: number) => api.post<Signalement>(`${B}/signalements/${id}/rejeter`);

export const listCollections = (q: { miennes?: boolean; proprietaire?: number; structure?: number } = {}) =>
  api.get<{ items: Collection[] }>(`${B}/collections`, {
    query: { miennes: q.miennes ? "1" : undefined, proprietaire: q.proprietaire, structure: q.structure }
  });
export const getCollection = (id: number) => api.get<Collection>(`${B}/collections/${id}`);
export const creerCollection = (s: CollectionSaisie) => api.post<Collection>(`${B}/collections`, s);
export const modifierCollection = (id: number, s: CollectionSaisie) => api.patch<Collection>(`${B}/collections/${id}`, s);
export const supprimerCollection = (id: number) => api.delete<void>(`${B}/collections/${id}`);
export const ajouterACollection = (id: number, ressource: number) => api.put<Collection>(`${B}/collections/${id}/ressources/${ressource}`);
export const retirerDeCollection = (id: number, ressource: number) => api.delete<Collection>(`${B}/collections/${id}/ressources/${ressource}`);
export const suivreCollection = (id: number, oui: boolean) => (oui ? api.put<void>(`${B}/collections/${id}/suivi`) : api.delete<void>(`${B}/collections/${id}/suivi`));
export const suivreAuteur = (id: number, oui: boolean) => (oui ? api.put<void>(`${B}/auteurs/${id}/suivi`) : api.delete<void>(`${B}/auteurs/${id}/suivi`));
export const listSuivis = () => api.get<Suivis>(`${B}/suivis`);

/** A file upload in progress: abort() cancels it (the server keeps nothing of a cut upload). */
export type Depot = Envoi<RessourceFichier>;

/** POST /api/ressources/fichiers with upload progress (client.ts envoyerAvecProgression). */
export function deposerFichier(f: File, onProgress: (envoye: number, total: number) => void): Depot {
  const form = new FormData();
  form.append("fichier", f, f.name);
  return envoyerAvecProgression<RessourceFichier>(`${B}/fichiers`, form, f.size, onProgress, {
    echec: "Le dépôt du fichier a échoué.",
    parStatut: { 413: "Le fichier est trop volumineux.", 415: "Ce type de fichier n'est pas accepté." },
    interrompu: "Le dépôt a été interrompu : vérifiez votre connexion et réessayez.",
    annule: "Dépôt annulé."
  });
}

/** « 1,2 Mo » */
export function taille(octets: number): string {
  if (octets < 1024) return `${octets} o`;
  if (octets < 1024 * 1024) return `${(octets / 1024).toLocaleString("fr-FR", { maximumFractionDigits: 0 })} Ko`;
  return `${(octets / 1024 / 1024).toLocaleString("fr-FR", { maximumFractionDigits: 1 })} Mo`;
}

export function duree(minutes: number | null): string | null {
  if (!minutes) return null;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h ? `${h} h${m ? ` ${String(m).padStart(2, "0")}` : ""}` : `${m} min`;
}
