/**
 * Discussion (issue 10): one typed function per endpoint of /api/discussion (docs/api-contract.md).
 */
import { api } from "./client";
import type {
  Bannissement,
  Canal,
  Compteurs,
  Etat,
  Membre,
  Message,
  MessageMention,
  MessagePage,
  MessageTrouve,
  PersonneTrouvee,
  Signalement,
  Sujet
} from "./discussionTypes";
import type { Items } from "./types";

const B = "/api/discussion";
const enc = encodeURIComponent;

export const getEtat = () => api.get<Etat>(`${B}/etat`);
export const listCanaux = () => api.get<Items<Canal>>(`${B}/canaux`);
export const listAnnuaire = (q = "") => api.get<Items<Canal>>(`${B}/annuaire`, { query: { q } });
export const getCanal = (id: number) => api.get<Canal>(`${B}/canaux/${id}`);
export const createCanal = (body: { type: "theme" | "groupe" | "annonces"; nom: string; description: string }) =>
  api.post<Canal>(`${B}/canaux`, body);
export const updateCanal = (id: number, body: { nom?: string; description?: string; archive?: boolean }) =>
  api.patch<Canal>(`${B}/canaux/${id}`, body);
export const createDirect = (user_ids: number[]) => api.post<Canal>(`${B}/directs`, { user_ids });
export const rejoindre = (id: number) => api.post<Canal>(`${B}/canaux/${id}/adhesion`);
export const quitter = (id: number) => api.delete<void>(`${B}/canaux/${id}/adhesion`);
export const listMembres = (id: number) => api.get<Items<Membre>>(`${B}/canaux/${id}/membres`);
export const ajouterMembre = (id: number, user_id: number) => api.post<unknown>(`${B}/canaux/${id}/membres`, { user_id });
export const modifierMembre = (id: number, user_id: number, body: { role?: "membre" | "moderateur"; sourdine_jusqu_au?: string | null }) =>
  api.patch<unknown>(`${B}/canaux/${id}/membres/${user_id}`, body);
export const retirerMembre = (id: number, user_id: number) => api.delete<void>(`${B}/canaux/${id}/membres/${user_id}`);
export const listSujets = (canalId: number) => api.get<Items<Sujet>>(`${B}/canaux/${canalId}/sujets`);
export const renommerSujet = (id: number, titre: string) => api.patch<Sujet>(`${B}/sujets/${id}`, { titre });
/** Moves messages of one channel to a topic of it: an existing one (sujet_id) or a new title (sujet). */
export const deplacerMessages = (message_ids: number[], cible: { sujet_id: number } | { sujet: string }) =>
  api.post<Sujet>(`${B}/messages/deplacement`, { message_ids, ...cible });

export interface MessagesQuery {
  sujet?: number;
  avant?: number;
  apres?: number;
  autour?: number;
  limite?: number;
}
export const listMessages = (canalId: number, q: MessagesQuery, signal?: AbortSignal) =>
  api.get<MessagePage>(`${B}/canaux/${canalId}/messages`, { query: { ...q }, signal });

export const posterMessage = (
  canalId: number,
  body: ({ sujet_id: number } | { sujet: string }) & { texte: string; fichiers?: string[] }
) => api.post<Message>(`${B}/canaux/${canalId}/messages`, body);
export const modifierMessage = (id: number, texte: string) => api.patch<Message>(`${B}/messages/${id}`, { texte });
export const supprimerMessage = (id: number) => api.delete<unknown>(`${B}/messages/${id}`);
export const ajouterReaction = (id: number, emoji: string) => api.put<unknown>(`${B}/messages/${id}/reactions/${enc(emoji)}`);
export const retirerReaction = (id: number, emoji: string) => api.delete<unknown>(`${B}/messages/${id}/reactions/${enc(emoji)}`);
export const epingler = (id: number) => api.put<unknown>(`${B}/messages/${id}/epingle`);
export const desepingler = (id: number) => api.delete<unknown>(`${B}/messages/${id}/epingle`);
export const listEpingles = (canalId: number) => api.get<Items<Message>>(`${B}/canaux/${canalId}/epingles`);
export const marquerLu = (canal_id: number, sujet_id: number | null, jusqu_a: number) =>
  api.post<Compteurs>(`${B}/lecture`, sujet_id ? { canal_id, sujet_id, jusqu_a } : { canal_id, jusqu_a });
export const marquerNonLu = (message_id: number) => api.post<Compteurs>(`${B}/non-lu`, { message_id });
export const listMentions = (avant?: number) =>
  api.get<{ items: MessageMention[]; non_lues: number }>(`${B}/mentions`, { query: { avant } });

export interface RechercheFiltres {
  q: string;
  canal?: string;
  auteur?: string;
  sujet?: string;
  du?: string;
  au?: string;
  avant?: number;
}
export const rechercher = (f: RechercheFiltres, signal?: AbortSignal) =>
  api.get<{ items: MessageTrouve[]; total: number; total_exact: boolean }>(`${B}/recherche`, { query: { ...f }, signal });
export const chercherPersonnes = (q: string, canal?: number, signal?: AbortSignal) =>
  api.get<Items<PersonneTrouvee>>(`${B}/personnes`, { query: { q, canal }, signal });
/** Typing in a topic, or (sujetId null) writing a new topic. */
export const signalerFrappe = (canalId: number, sujetId: number | null) =>
  api.post<unknown>(`${B}/canaux/${canalId}/frappe`, { sujet_id: sujetId });
export const listBannissements = () => api.get<Items<Bannissement>>(`${B}/bannissements`);
export const bannir = (user_id: number, motif: string) => api.post<unknown>(`${B}/bannissements`, { user_id, motif });
export const leverBannissement = (user_id: number) => api.delete<void>(`${B}/bannissements/${user_id}`);
export const signalerMessage = (id: number, motif: string) => api.post<unknown>(`${B}/messages/${id}/signalements`, { motif });
export const listSignalements = () => api.get<Items<Signalement>>(`${B}/moderation/signalements`);
export const deciderSignalement = (id: number, decision: "supprimer" | "rejeter") =>
  api.post<unknown>(`${B}/moderation/signalements/${id}`, { decision });

/** A file of the store (POST /api/fichiers): what a message's `fichiers` refer to by sha256. */
export interface FichierDepose {
  sha256: string;
  nom: string;
  type: string;
  taille: number;
}
export const deposerFichier = (f: File) => {
  const form = new FormData();
  form.append("fichier", f, f.name);
  return api.post<FichierDepose>("/api/fichiers", form);
};
