/**
 * Domain types of the Coop API, as described by docs/api-contract.md.
 *
 * Temporary hand-written module: when docs/openapi.json is complete, these aliases point at the
 * generated `schema.d.ts` (npm run gen:types) instead, and pages keep importing from here.
 */

export type RoleName =
  | "mediateur"
  | "coordinateur"
  | "gestionnaire_structure"
  | "admin"
  | "territorial";

export interface Role {
  role: RoleName;
  structure_id: number | null;
  conseiller_numerique: boolean;
}

export interface User {
  id: number;
  email: string;
  nom: string;
  prenom: string;
  telephone: string | null;
  roles: Role[];
  created_at: string;
  disabled: boolean;
  last_login_at: string | null;
}

export type Me = User;

export interface Structure {
  id: number;
  nom: string;
  siret: string | null;
  adresse: string;
  commune_insee: string;
  commune_nom: string;
  code_postal: string;
  created_at: string;
}

export interface PersonSummary {
  id: number;
  nom: string;
  prenom: string;
  email: string;
}

export interface Employment {
  id: number;
  user_id: number;
  structure_id: number;
  user: PersonSummary;
  structure_nom: string;
  debut: string;
  fin: string | null;
}

export interface TeamMember {
  id: number;
  coordinateur_id: number;
  mediateur: PersonSummary;
  debut: string;
  fin: string | null;
}

export interface Invitation {
  id: number;
  email: string;
  role: RoleName;
  structure_id: number | null;
  structure_nom: string | null;
  conseiller_numerique: boolean;
  invited_by: { id: number; nom: string; prenom: string };
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
  /** Only in the creation response. */
  lien?: string;
}

export interface Commune {
  code: string;
  type?: "commune-actuelle" | "arrondissement-municipal";
  nom: string;
  codes_postaux: string[];
  departement: string;
  departement_nom: string;
  region: string;
  region_nom: string;
  population: number;
}

export interface Mediateur {
  id: number;
  nom: string;
  prenom: string;
  email: string;
  conseiller_numerique: boolean;
}

export interface AuditEntry {
  id: number;
  at: string;
  event: string;
  user_id: number | null;
  user_email: string | null;
  ip: string | null;
  detail: string | null;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  per_page: number;
}

export interface Items<T> {
  items: T[];
}

export interface Health {
  status: "ok" | "degraded";
  version: string;
  database: { ok: boolean; engine: string; latency_ms: number };
}

export type NotificationKind = "invitation_acceptee" | "role_attribue" | "role_retire" | "equipe_rejointe";

export interface NotificationMessage {
  type: "notification";
  kind: NotificationKind;
  message: string;
  at: string;
}

export interface ErrorBody {
  error: { code: string; message?: string; fields?: Record<string, string> };
}

// Request bodies
export interface LoginBody {
  email: string;
  password: string;
}
export interface ProfileBody {
  nom?: string;
  prenom?: string;
  telephone?: string;
  email?: string;
}
export interface PasswordBody {
  current_password: string;
  new_password: string;
}
export interface CreateUserBody {
  email: string;
  nom: string;
  prenom: string;
  telephone: string;
  password: string;
  roles: Role[];
}
export interface UpdateUserBody extends ProfileBody {
  disabled?: boolean;
}
export interface StructureBody {
  nom: string;
  siret: string | null;
  adresse: string;
  commune_insee: string;
}
export interface EmploymentBody {
  user_id: number;
  debut: string;
  fin?: string | null;
}
export interface InvitationBody {
  email: string;
  role: RoleName;
  structure_id?: number | null;
  conseiller_numerique?: boolean;
}
export interface AcceptInvitationBody {
  nom: string;
  prenom: string;
  telephone: string;
  password: string;
}
