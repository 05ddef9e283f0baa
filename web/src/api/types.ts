/**
 * Domain types of the Coop API, taken from the OpenAPI document (docs/openapi.json, generated into
 * schema.d.ts by `npm run gen:types`). Pages import from here, never from schema.d.ts directly.
 */
import type { components } from "./schema";

type S = components["schemas"];

export type RoleName = S["RoleName"];
export type Role = S["Role"];
export type User = S["User"];
/** GET /api/me: the logged-in User, with their reminder choice and pending change of address. */
export type Me = S["Me"];
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
/** A mail of the outbox (admin « Courriels » page). */
export type Courriel = S["Courriel"];
export type CourrielDetail = S["CourrielDetail"];
export type EmailChangeConfirmed = S["EmailChangeConfirmed"];
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
// « Mot de passe oublié »
export type PasswordResetRequest = S["PasswordResetRequest"];
export type PasswordResetRequested = S["PasswordResetRequested"];
export type PasswordResetLink = S["PasswordResetLink"];
export type PasswordResetBody = S["PasswordReset"];
export type PasswordResetDone = S["PasswordResetDone"];

// Activités, bénéficiaires, tags, lieux d'activité, clients API (issue 3, docs/api-activites.md)
export type TypeActivite = S["TypeActivite"];
export type TypeLieu = S["TypeLieu"];
export type Materiel = S["Materiel"];
export type Thematique = S["Thematique"];
export type Demarche = S["Demarche"];
export type Autonomie = S["Autonomie"];
export type StructureRedirection = S["StructureRedirection"];
export type Niveau = S["Niveau"];
export type Genre = S["Genre"];
export type TrancheAge = S["TrancheAge"];
export type StatutSocial = S["StatutSocial"];
export type DejaAccompagne = S["DejaAccompagne"];
export type PorteeTag = S["PorteeTag"];
export type CodeLabel = S["CodeLabel"];

export type Activite = S["Activite"];
/** A tag as an activity carries it. */
export type ActiviteTag = S["ActiviteTag"];
/** A beneficiary (or participant) as an activity carries it. */
export type ActiviteBeneficiaire = S["ActiviteBeneficiaire"];
export type ParticipantsAnonymes = S["ParticipantsAnonymes"];
/** The anonymous beneficiary of an individual CRA: the body field, and as an activity shows it. */
export type ProfilAnonyme = S["ProfilAnonyme"];
export type ProfilAnonymeVue = S["ProfilAnonymeVue"];
export type ActivitePage = S["ActivitePage"];
export type Referentiel = S["ActivitesReferentiel"];
export type LieuActivite = S["LieuActivite"];
export type Tag = S["Tag"];
export type Beneficiaire = S["Beneficiaire"];
export type BeneficiaireDetail = S["BeneficiaireDetail"];
/** A beneficiary in the bin (GET /api/beneficiaires/corbeille). */
export type BeneficiaireSupprime = S["BeneficiaireSupprime"];
export type BeneficiaireRestaurationResultat = S["BeneficiaireRestaurationResultat"];
/** An entry of a beneficiary's history (GET /api/beneficiaires/{id}). */
export type Accompagnement = S["BeneficiaireActivite"];
export type Doublon = S["BeneficiaireDoublons"]["items"][number];
export type FusionResultat = S["BeneficiaireFusionResultat"];
export type ImportAnalyse = S["ImportAnalyse"];
export type ImportLigne = ImportAnalyse["lignes"][number];
export type ImportConfirmation = S["ImportConfirmation"];
export type ClientApi = S["ApiClient"];
export type ClientApiCreated = S["ApiClientCreated"];
export type ApiScope = S["ApiScope"];

// Request bodies
export type ActiviteBody = S["ActiviteInput"];
export type ActiviteReplaceBody = S["ActiviteReplace"];
export type BeneficiaireBody = S["BeneficiaireInput"];
export type BeneficiaireSuppressionBody = S["BeneficiaireSuppression"];
export type BeneficiaireSuppressionResultat = S["BeneficiaireSuppressionResultat"];
export type TagBody = S["TagCreate"];
export type ClientApiBody = S["ApiClientCreate"];

// Statistiques (issue 4, docs/api-statistiques.md)
export type Departement = S["Departement"];
export type Region = S["Region"];
export type StatistiquesLigne = S["StatistiquesLigne"];
export type StatistiquesTableau = S["StatistiquesTableau"];
export type RepartitionCle = keyof StatistiquesTableau["repartitions"];
export type StatistiquesTableauPartage = S["StatistiquesPartagePublic"];
export type StatistiquesPerimetres = S["StatistiquesPerimetres"];
export type StatistiquesPartage = S["StatistiquesPartage"];
export type StatistiquesPartageCree = S["StatistiquesPartageCree"];
