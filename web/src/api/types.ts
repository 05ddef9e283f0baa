/**
 * Domain types of the Coop API, taken from the OpenAPI document (docs/openapi.json, generated into
 * schema.d.ts by `npm run gen:types`). Pages import from here, never from schema.d.ts directly.
 */
import type { components } from "./schema";

type S = components["schemas"];

export type RoleName = S["RoleName"];
export type Role = S["Role"];
export type User = S["User"];
/** GET /api/me answers a User: the logged-in one. */
export type Me = User;
export type Structure = S["Structure"];
/** A person in an employment, a team or the mediator picker. */
export type Person = S["Person"];
export type Mediateur = Person;
export type Employment = S["Employment"];
export type TeamMember = S["TeamMember"];
export type Invitation = S["Invitation"];
export type InvitationCreated = S["InvitationCreated"];
export type Commune = S["Commune"];
export type AuditEntry = S["AuditEntry"];
export type Health = S["Health"];
export type ErrorBody = S["Error"];
export type ErrorCode = S["ErrorCode"];

export type Page<T> = S["PageMeta"] & { items: T[] };
export interface Items<T> {
  items: T[];
}

export type NotificationMessage = S["WsNotification"];
export type NotificationKind = NotificationMessage["kind"];
export type WsServerMessage = S["WsServerMessage"];

// Request bodies
export type LoginBody = S["LoginRequest"];
export type ProfileBody = S["ProfileUpdate"];
export type PasswordBody = S["PasswordChange"];
export type CreateUserBody = S["UserCreate"];
export type UpdateUserBody = S["UserUpdate"];
export type StructureBody = S["StructureCreate"];
export type StructureUpdateBody = S["StructureUpdate"];
export type EmploymentBody = S["EmploymentCreate"];
export type EmploymentUpdateBody = S["EmploymentUpdate"];
export type TeamMemberBody = S["TeamMemberCreate"];
export type InvitationBody = S["InvitationCreate"];
export type AcceptInvitationBody = S["InvitationAccept"];
