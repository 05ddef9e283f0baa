/**
 * Types of the discussion API, taken from the OpenAPI document (docs/openapi.json → schema.d.ts),
 * and of its WebSocket events. Pages import them from here.
 */
import type { components } from "./schema";

type S = components["schemas"];

export type Canal = S["DiscussionCanal"];
export type CanalType = Canal["type"];
export type Personne = S["DiscussionPersonne"];
export type Sujet = S["DiscussionSujet"];
export type Reaction = S["DiscussionReaction"];
export type FichierJoint = S["DiscussionFichier"];
export type Message = S["DiscussionMessage"];
export type MessagePage = S["DiscussionMessagePage"];
/** A message of the mentions inbox, with its channel and topic. */
export type MessageMention = S["DiscussionMention"];
export type MentionPage = S["DiscussionMentionPage"];
/** A search result: the message, its channel and the excerpt (escaped HTML with <mark>). */
export type MessageTrouve = S["DiscussionResultat"];
export type Recherche = S["DiscussionRecherche"];
export type Etat = S["DiscussionEtat"];
export type Membre = S["DiscussionMembre"];
/** The counts of a channel (and topic) after a read marker: answer of /lecture, /non-lu, event « lecture ». */
export type Compteurs = S["DiscussionCompteurs"];
export type PersonneTrouvee = S["DiscussionPersonneTrouvee"];
/** A report waiting for a moderator's decision, with the message and its channel. */
export type Signalement = S["DiscussionSignalementEnAttente"];
/** A ban from the discussion space in force (admins). */
export type Bannissement = S["DiscussionBannissementEnCours"];

/** WebSocket messages of the discussion (docs/api-contract.md, « /ws »). */
export interface EvenementDiscussion {
  type: "discussion";
  seq: number;
  evenement:
    | "message_cree"
    | "message_modifie"
    | "message_supprime"
    | "reaction"
    | "epingle"
    | "lecture"
    | "frappe"
    | "membre"
    | "canal"
    | "sujet"
    | "mention";
  canal_id: number | null;
  data: Record<string, unknown>;
}

export interface Repris {
  type: "repris";
  seq: number;
  incomplet?: boolean;
}
