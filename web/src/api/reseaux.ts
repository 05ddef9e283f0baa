// Réseaux locaux (docs/api-contract.md « Réseaux locaux »): types from the OpenAPI document.
import type { components } from "./schema";
import { api } from "./client";

export type Reseau = components["schemas"]["Reseau"];
export type ReseauListe = components["schemas"]["ReseauListe"];
export type ReseauAnnuaire = components["schemas"]["ReseauAnnuaire"];
export type ReseauInvitation = components["schemas"]["ReseauInvitation"];
export type ReseauAjout = components["schemas"]["ReseauAjout"];
export type StructureTrouvee = components["schemas"]["ReseauStructures"]["items"][number];
export interface ReseauSaisie {
  nom?: string;
  description?: string;
  territoires?: string[];
  structures?: number[];
}

export const listerReseaux = () => api.get<ReseauListe>("/api/reseaux");
export const lireReseau = (id: number | string) => api.get<Reseau>(`/api/reseaux/${id}`);
export const creerReseau = (b: ReseauSaisie) => api.post<Reseau>("/api/reseaux", b);
export const modifierReseau = (id: number, b: ReseauSaisie) => api.patch<Reseau>(`/api/reseaux/${id}`, b);
export const supprimerReseau = (id: number) => api.delete<void>(`/api/reseaux/${id}`);
export const annuaireReseau = (id: number | string, q: string) => api.get<ReseauAnnuaire>(`/api/reseaux/${id}/annuaire`, { query: { q } });
export const annuaireDepartement = (code: string, q: string) =>
  api.get<ReseauAnnuaire>(`/api/reseaux/departements/${encodeURIComponent(code)}/annuaire`, { query: { q } });
export const ajouterStructure = (id: number, structure_id: number) => api.post<ReseauAjout>(`/api/reseaux/${id}/structures`, { structure_id });
export const retirerStructure = (id: number, sid: number) => api.delete<void>(`/api/reseaux/${id}/structures/${sid}`);
export const ajouterAnimateur = (id: number, user_id: number) => api.post<Reseau>(`/api/reseaux/${id}/animateurs`, { user_id });
export const retirerAnimateur = (id: number, uid: number) => api.delete<void>(`/api/reseaux/${id}/animateurs/${uid}`);
export const mesInvitations = () => api.get<{ items: ReseauInvitation[] }>("/api/reseaux/invitations");
export const repondreInvitation = (id: number, accepte: boolean) =>
  api.post<ReseauInvitation>(`/api/reseaux/invitations/${id}/${accepte ? "accepter" : "refuser"}`);
export const chercherStructures = (q: string, signal?: AbortSignal) =>
  api.get<{ items: StructureTrouvee[] }>("/api/reseaux/structures", { query: { q }, signal });
export const maVisibilite = () => api.get<{ visible: boolean }>("/api/reseaux/visibilite");
export const choisirVisibilite = (visible: boolean) => api.put<{ visible: boolean }>("/api/reseaux/visibilite", { visible });
