/**
 * Types of the discussion API (docs/api-contract.md, « Discussion »), written from the contract
 * while the server's OpenAPI schemas were not there yet. Pages import them from here.
 */
export type CanalType = "general" | "region" | "departement" | "theme" | "groupe" | "direct" | "annonces";

export interface Personne {
  id: number;
  nom: string;
}

export interface Canal {
  id: number;
  type: CanalType;
  code: string | null;
  nom: string;
  description: string | null;
  archive: boolean;
  membre: boolean;
  role: "membre" | "moderateur" | null;
  peut_ecrire: boolean;
  nb_membres: number;
  non_lus: number;
  mentions_non_lues: number;
  dernier_message_le: string | null;
  participants?: Personne[];
}

export interface Sujet {
  id: number;
  canal_id: number;
  titre: string;
  nb_messages: number;
  non_lus: number;
  dernier_message_le: string | null;
  dernier_auteur: Personne | null;
}

export interface Reaction {
  emoji: string;
  nb: number;
  moi: boolean;
}

export interface FichierJoint {
  sha256: string;
  nom: string;
  type: string;
  taille: number;
}

export interface Message {
  id: number;
  canal_id: number;
  sujet_id: number;
  auteur: Personne;
  texte: string;
  html: string;
  cree_le: string;
  modifie_le: string | null;
  supprime: boolean;
  texte_supprime?: string;
  epingle: boolean;
  reactions: Reaction[];
  fichiers: FichierJoint[];
  cartes: { chemin: string; titre: string }[];
  mentionne_moi: boolean;
}

export interface MessagePage {
  items: Message[];
  plus_anciens: boolean;
  plus_recents: boolean;
  premier_non_lu: number | null;
}

export interface MessageMention extends Message {
  canal: { id: number; nom: string; type: CanalType };
  sujet: { id: number; titre: string };
}

export interface MessageTrouve extends Message {
  extrait: string;
  canal?: { id: number; nom: string; type: CanalType };
  sujet?: { id: number; titre: string };
}

export interface Etat {
  seq: number;
  non_lus: number;
  mentions_non_lues: number;
}

export interface Membre {
  id: number;
  nom: string;
  role: "membre" | "moderateur";
  structure?: string | null;
}

export interface PersonneTrouvee {
  id: number;
  nom: string;
  structure: string | null;
}

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
