/** Sign-up (« inscription »): one typed function per endpoint, types from docs/openapi.json. */
import { api } from "./client";
import type { components } from "./schema";

type S = components["schemas"];
export type InscriptionRequest = S["InscriptionRequest"];
export type Parcours = S["Parcours"];
export type Profil = S["Profil"];
export type EmployeurDeclare = S["EmployeurDeclare"];
export type InscriptionEmployeur = S["InscriptionEmployeur"];
export type InscriptionLieu = S["InscriptionLieu"];

const anonymous = { allowAnonymous: true } as const;

export const inscrire = (body: InscriptionRequest) =>
  api.post<S["InscriptionAccepted"]>("/api/inscription", body, anonymous);
export const renvoyerLien = (email: string) =>
  api.post<S["InscriptionAccepted"]>("/api/inscription/renvoyer", { email }, anonymous);
export const confirmerInscription = (token: string, password: string) =>
  api.post<S["Me"]>("/api/inscription/confirmer", { token, password }, anonymous);
export const getParcours = () => api.get<Parcours>("/api/inscription/parcours");
export const choisirProfil = (profil: Profil) => api.post<Parcours>("/api/inscription/profil", { profil });
export const structureParSiret = (siret: string) =>
  api.get<S["StructuresTrouvees"]>("/api/inscription/structures", { query: { siret } });
export const structuresParNom = (q: string) =>
  api.get<S["StructuresTrouvees"]>("/api/inscription/structures", { query: { q } });
export const declarerEmployeur = (body: InscriptionEmployeur) =>
  api.post<EmployeurDeclare>("/api/inscription/employeur", body);
export const creerLieu = (body: InscriptionLieu) => api.post<S["LieuActivite"]>("/api/inscription/lieux", body);
export const ajouterLieu = (structure_id: number) =>
  api.post<S["LieuActivite"]>("/api/lieux-activite", { structure_id });
export const confirmerRattachement = (structureId: number, eid: number) =>
  api.post<S["Employment"]>(`/api/structures/${structureId}/employes/${eid}/confirmer`, {});
export const refuserRattachement = (structureId: number, eid: number, motif: string) =>
  api.post<S["Employment"]>(`/api/structures/${structureId}/employes/${eid}/refuser`, { motif });
