/** One typed function per endpoint of docs/api-contract.md. */
import { api } from "./client";
import type {
  AcceptInvitationBody,
  AuditEntry,
  Commune,
  Courriel,
  CourrielDetail,
  CreateUserBody,
  EmailChangeConfirmed,
  Employment,
  EmploymentBody,
  Health,
  Invitation,
  InvitationBody,
  InvitationCreated,
  Items,
  LoginBody,
  Me,
  Mediateur,
  Page,
  PasswordBody,
  PasswordResetBody,
  PasswordResetDone,
  PasswordResetLink,
  PasswordResetRequest,
  PasswordResetRequested,
  ProfileBody,
  Role,
  Structure,
  StructureBody,
  StructureUpdateBody,
  TeamMember,
  UpdateUserBody,
  User
} from "./types";

const enc = encodeURIComponent;

export const health = () => api.get<Health>("/api/health", { allowAnonymous: true });

// Session
export const login = (body: LoginBody) =>
  api.post<Me>("/api/auth/login", body, { allowAnonymous: true });
export const logout = () => api.post<void>("/api/auth/logout", undefined, { allowAnonymous: true });
export const getMe = () => api.get<Me>("/api/me", { allowAnonymous: true });
export const updateMe = (body: ProfileBody) => api.patch<Me>("/api/me", body);
export const changePassword = (body: PasswordBody) => api.post<void>("/api/me/password", body);
/** The link of the mail sent to the new address: no session needed. */
export const confirmEmailChange = (jeton: string) =>
  api.post<EmailChangeConfirmed>("/api/me/courriel/confirmer", { jeton }, { allowAnonymous: true });
export const cancelEmailChange = () => api.delete<void>("/api/me/courriel");

// « Mot de passe oublié »
export const requestPasswordReset = (body: PasswordResetRequest) =>
  api.post<PasswordResetRequested>("/api/auth/mot-de-passe-oublie", body, { allowAnonymous: true });
export const getPasswordResetLink = (token: string) =>
  api.get<PasswordResetLink>(`/api/auth/reinitialisation/${enc(token)}`, { allowAnonymous: true });
export const resetPassword = (token: string, body: PasswordResetBody) =>
  api.post<PasswordResetDone>(`/api/auth/reinitialisation/${enc(token)}`, body, { allowAnonymous: true });

// Users (admin)
export interface UserQuery {
  q?: string;
  role?: string;
  page?: number;
  per_page?: number;
}
export const listUsers = (query: UserQuery) =>
  api.get<Page<User>>("/api/users", { query: { ...query } });
export const createUser = (body: CreateUserBody) => api.post<User>("/api/users", body);
export const getUser = (id: number) => api.get<User>(`/api/users/${id}`);
export const updateUser = (id: number, body: UpdateUserBody) =>
  api.patch<User>(`/api/users/${id}`, body);
export const setUserRoles = (id: number, roles: Role[]) =>
  api.put<User>(`/api/users/${id}/roles`, { roles });

// Structures
export const listStructures = (
  query: { q?: string; page?: number; per_page?: number },
  signal?: AbortSignal
) => api.get<Page<Structure>>("/api/structures", { query: { ...query }, signal });
export const createStructure = (body: StructureBody) =>
  api.post<Structure>("/api/structures", body);
export const getStructure = (id: number) => api.get<Structure>(`/api/structures/${id}`);
export const updateStructure = (id: number, body: StructureUpdateBody) =>
  api.patch<Structure>(`/api/structures/${id}`, body);
export const listEmployes = (id: number) =>
  api.get<Items<Employment>>(`/api/structures/${id}/employes`);
export const addEmploye = (id: number, body: EmploymentBody) =>
  api.post<Employment>(`/api/structures/${id}/employes`, body);
export const updateEmploye = (id: number, eid: number, body: { debut?: string; fin?: string | null }) =>
  api.patch<Employment>(`/api/structures/${id}/employes/${eid}`, body);

// Team (coordinateur)
export const getEquipe = () => api.get<Items<TeamMember>>("/api/equipe");
export const addMembre = (body: { mediateur_id: number; debut: string }) =>
  api.post<TeamMember>("/api/equipe/membres", body);
export const endMembre = (id: number, fin: string) =>
  api.patch<TeamMember>(`/api/equipe/membres/${id}`, { fin });

export const searchMediateurs = (q: string, signal?: AbortSignal) =>
  api.get<Page<Mediateur>>("/api/mediateurs", { query: { q }, signal });

// Invitations
export const createInvitation = (body: InvitationBody) =>
  api.post<InvitationCreated>("/api/invitations", body);
export const listInvitations = () => api.get<Items<Invitation>>("/api/invitations");
export const getInvitation = (token: string) =>
  api.get<Invitation>(`/api/invitations/${enc(token)}`, { allowAnonymous: true });
export const acceptInvitation = (token: string, body: AcceptInvitationBody) =>
  api.post<Me>(`/api/invitations/${enc(token)}/accept`, body, { allowAnonymous: true });

// Reference data
export const searchCommunes = (q: string, signal?: AbortSignal, limit = 10) =>
  api.get<Items<Commune>>("/api/communes", { query: { q, limit }, signal, allowAnonymous: true });
export const getCommune = (code: string) =>
  api.get<Commune>(`/api/communes/${enc(code)}`, { allowAnonymous: true });

// Audit (admin)
export const listAudit = (query: { page?: number; per_page?: number; user_id?: number }) =>
  api.get<Page<AuditEntry>>("/api/audit", { query: { ...query } });

// Outbox (admin)
export interface CourrielQuery {
  statut?: string;
  q?: string;
  modele?: string;
  page?: number;
  per_page?: number;
}
export const listCourriels = (query: CourrielQuery) =>
  api.get<Page<Courriel>>("/api/admin/courriels", { query: { ...query } });
export const getCourriel = (id: number) => api.get<CourrielDetail>(`/api/admin/courriels/${id}`);
export const resendCourriel = (id: number) => api.post<Courriel>(`/api/admin/courriels/${id}/renvoyer`);
