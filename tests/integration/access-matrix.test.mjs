// Every route × every kind of principal, from the list the server itself prints (`coop routes`).
//
// For each route the table below states its access rule (it must equal the one `coop routes`
// prints) and, where a handler applies a scope rule (which structure, which team…), the cases
// where a principal that has the role is still refused with 403. The test then asserts:
//   - anonymous → 401 non_authentifie on every route whose access is not "anyone";
//   - a logged-in principal without the role → 403 acces_refuse;
//   - a principal with the role → never 401/403 (nor 405, nor 5xx), except the declared scope
//     refusals, which must be exactly 403.
// A route printed by `coop routes` but missing from the table fails the test: a new endpoint
// cannot be added without stating who may call it.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, coopRoutes, ENGINE, DEMO, DEMO_STRUCTURES, expectStatus, allPages, randomId,
} from './harness.mjs';

const ROLES = ['mediateur', 'coordinateur', 'gestionnaire_structure', 'admin'];
const PRINCIPALS = [
  { name: 'anonymous', email: null, roles: [] },
  { name: 'mediateur', email: DEMO.mediatrice, roles: ['mediateur'] },
  { name: 'coordinateur', email: DEMO.coordination, roles: ['coordinateur'] },
  { name: 'gestionnaire_structure', email: DEMO.gestion, roles: ['gestionnaire_structure'] },
  { name: 'admin', email: DEMO.admin, roles: ['admin'] },
];

// Clients of the public API v1: credentials in the Authorization header, never a session. They
// open only `api_client(scope)` routes whose scope they hold (403 otherwise), and nothing else
// (401 on every route that is not "anyone"); a session never opens an `api_client(…)` route.
const API_CLIENTS = [
  { name: 'client API (tous les scopes)', scopes: ['statistiques', 'activites', 'structures', 'lieux_activite', 'utilisateurs', 'ressources', 'lieux'] },
  { name: 'client API (utilisateurs)', scopes: ['utilisateurs'] },
];

const STAFF = 'gestionnaire_structure|admin';
const PEOPLE = 'coordinateur|gestionnaire_structure|admin';
const NOT_ADMIN_STAFF = ['mediateur', 'coordinateur', 'gestionnaire_structure'];

// `ids` is filled in before(): demo structures, users, employments, team members.
// A route's `cases` default to one case with params from `params` (or none) and body {}.
// `scopeDenied`: principals (by name) that have the role but are refused by a scope rule.
const TABLE = {
  'GET /api/health': { access: 'anyone' },
  'GET /api/openapi.json': { access: 'anyone' },
  'GET /metrics': { access: 'anyone' },

  'POST /api/auth/login': { access: 'anyone' }, // {} → 400 validation
  'POST /api/auth/logout': { access: 'logged_in', ownSession: true }, // run on a throw-away session
  'GET /api/me': { access: 'logged_in' },
  'PATCH /api/me': { access: 'logged_in' }, // {} → 200, nothing changes
  'POST /api/me/password': { access: 'logged_in' }, // {} → 400
  'POST /api/auth/mot-de-passe-oublie': { access: 'anyone' }, // {} → 400 (no e-mail)
  'GET /api/auth/reinitialisation/{token}': { access: 'anyone', params: () => ({ token: 'jeton-factice' }) }, // 404
  'POST /api/auth/reinitialisation/{token}': { access: 'anyone', params: () => ({ token: 'jeton-factice' }) }, // 404
  'POST /api/me/courriel/confirmer': { access: 'anyone' }, // {} → 400 (the token is the proof)
  'DELETE /api/me/courriel': { access: 'logged_in' }, // nothing pending → 404
  'GET /api/admin/courriels': { access: 'admin' },
  'GET /api/admin/courriels/{id}': { access: 'admin', params: () => ({ id: 1 }) }, // 404 if none
  'POST /api/admin/courriels/{id}/renvoyer': { access: 'admin', params: () => ({ id: 1 }) }, // 404/409

  'GET /api/users': { access: 'admin' },
  'POST /api/users': { access: 'admin' }, // {} → 400
  'GET /api/users/{id}': { access: 'admin', params: (ids) => ({ id: ids.user.mediatrice }) },
  'PATCH /api/users/{id}': { access: 'admin', params: (ids) => ({ id: ids.user.mediatrice }) },
  'PUT /api/users/{id}/roles': { access: 'admin', params: (ids) => ({ id: ids.user.mediatrice }) }, // {} → 400

  'GET /api/structures': { access: 'logged_in' }, // filtered list, never refused
  'POST /api/structures': { access: 'admin' },
  'GET /api/structures/{id}': {
    access: 'logged_in',
    cases: [
      // structure 1: the mediatrice and the coordinatrice are employed there, gestion manages it
      { label: 'structure 1', params: (ids) => ({ id: ids.s1 }) },
      // structure 2: none of them works there
      { label: 'structure 2', params: (ids) => ({ id: ids.s2 }), scopeDenied: NOT_ADMIN_STAFF },
    ],
  },
  'PATCH /api/structures/{id}': {
    access: STAFF,
    cases: [
      { label: 'managed structure', params: (ids) => ({ id: ids.s1 }) },
      { label: 'other structure', params: (ids) => ({ id: ids.s2 }), scopeDenied: ['gestionnaire_structure'] },
    ],
  },
  'GET /api/structures/{id}/employes': {
    access: STAFF,
    cases: [
      { label: 'managed structure', params: (ids) => ({ id: ids.s1 }) },
      { label: 'other structure', params: (ids) => ({ id: ids.s2 }), scopeDenied: ['gestionnaire_structure'] },
    ],
  },
  'POST /api/structures/{id}/employes': {
    access: STAFF,
    cases: [
      { label: 'managed structure', params: (ids) => ({ id: ids.s1 }) },
      { label: 'other structure', params: (ids) => ({ id: ids.s2 }), scopeDenied: ['gestionnaire_structure'] },
    ],
  },
  'PATCH /api/structures/{id}/employes/{eid}': {
    access: STAFF,
    cases: [
      { label: 'managed structure', params: (ids) => ({ id: ids.s1, eid: ids.employmentS1 }) },
      { label: 'other structure', params: (ids) => ({ id: ids.s2, eid: ids.employmentS2 }), scopeDenied: ['gestionnaire_structure'] },
    ],
  },

  // Decisions on employments declared at sign-up: employmentS1/S2 are confirmed (→ 409 for the
  // allowed principals); a gestionnaire of another structure is refused.
  'POST /api/structures/{id}/employes/{eid}/confirmer': {
    access: STAFF,
    cases: [
      { label: 'managed structure', params: (ids) => ({ id: ids.s1, eid: ids.employmentS1 }) },
      { label: 'other structure', params: (ids) => ({ id: ids.s2, eid: ids.employmentS2 }), scopeDenied: ['gestionnaire_structure'] },
    ],
  },
  'POST /api/structures/{id}/employes/{eid}/refuser': {
    access: STAFF,
    cases: [
      { label: 'managed structure', params: (ids) => ({ id: ids.s1, eid: ids.employmentS1 }) },
      { label: 'other structure', params: (ids) => ({ id: ids.s2, eid: ids.employmentS2 }), scopeDenied: ['gestionnaire_structure'] },
    ],
  },

  // Sign-up ({} → 400 validation for the anonymous routes).
  'POST /api/inscription': { access: 'anyone' },
  'POST /api/inscription/renvoyer': { access: 'anyone' },
  'POST /api/inscription/confirmer': { access: 'anyone' },
  'GET /api/inscription/parcours': { access: 'logged_in' },
  'POST /api/inscription/profil': {
    access: 'logged_in',
    cases: [
      { label: 'no profile given' }, // 400
      // The profile is chosen once, by an account without any role: every demo account has one.
      { label: 'a profile', body: { profil: 'mediateur' }, scopeDenied: ['mediateur', 'coordinateur', 'gestionnaire_structure', 'admin'] },
    ],
  },
  'GET /api/inscription/structures': { access: 'logged_in' }, // no siret nor q → 400
  'POST /api/inscription/employeur': {
    access: 'logged_in',
    cases: [
      { label: 'no SIRET' }, // 400
      // A médiateur or a coordinateur declares an employer (then 400: the new structure's fields).
      { label: 'unknown SIRET', body: { siret: '73282932000074' }, scopeDenied: ['gestionnaire_structure', 'admin'] },
    ],
  },
  'POST /api/inscription/lieux': { access: 'mediateur' }, // {} → 400

  'GET /api/equipe': { access: 'coordinateur' },
  'POST /api/equipe/membres': { access: 'coordinateur' }, // {} → 400
  'PATCH /api/equipe/membres/{id}': {
    access: 'coordinateur',
    cases: [
      { label: 'own team member', params: (ids) => ({ id: ids.ownMember }), body: { fin: '2025-06-30' } },
      { label: "another coordinator's member", params: (ids) => ({ id: ids.otherMember }), scopeDenied: ['coordinateur'] },
    ],
  },
  'GET /api/mediateurs': { access: PEOPLE },

  'POST /api/invitations': {
    access: PEOPLE,
    cases: [
      { label: 'empty body', body: {} }, // 400 before any scope rule
      {
        label: 'mediateur into structure 2',
        body: (ids) => ({ email: `matrice.${randomId()}@exemple.fr`, role: 'mediateur', structure_id: ids.s2 }),
        scopeDenied: ['coordinateur', 'gestionnaire_structure'],
      },
      {
        label: 'mediateur into structure 1',
        body: (ids) => ({ email: `matrice.${randomId()}@exemple.fr`, role: 'mediateur', structure_id: ids.s1 }),
        scopeDenied: ['coordinateur'], // a coordinator only invites without a structure (or one they manage)
      },
      {
        label: 'admin role',
        body: () => ({ email: `matrice.${randomId()}@exemple.fr`, role: 'admin' }),
        scopeDenied: ['coordinateur', 'gestionnaire_structure'],
      },
    ],
  },
  'GET /api/invitations': { access: PEOPLE },
  'GET /api/invitations/{token}': { access: 'anyone', params: () => ({ token: 'jeton-factice' }) }, // 404
  'POST /api/invitations/{token}/accept': { access: 'anyone', params: () => ({ token: 'jeton-factice' }) },

  'GET /api/audit': { access: 'admin' },
  'GET /api/admin/clients-api': { access: 'admin' },
  'POST /api/admin/clients-api': { access: 'admin' }, // {} → 400
  'DELETE /api/admin/clients-api/{id}': { access: 'admin', params: () => ({ id: 999999 }) }, // 404

  'GET /api/v1/structures': { access: 'api_client(structures)' },
  'GET /api/v1/lieux-activite': { access: 'api_client(lieux_activite)' },
  'GET /api/v1/activites': { access: 'api_client(activites)' },

  'GET /api/communes': { access: 'anyone' },
  'GET /api/communes/{code}': { access: 'anyone', params: () => ({ code: '69123' }) },
  'GET /api/departements': { access: 'anyone' },
  'GET /api/regions': { access: 'anyone' },

  // Activities: a mediator's own only (another's → 404, not 403). Cells run in route order, so
  // DELETE puts ids.activite in the bin, dupliquer then gets 404 and restaurer brings it back.
  'GET /api/activites/referentiel': { access: 'mediateur' },
  'GET /api/activites': { access: 'mediateur' },
  'POST /api/activites': { access: 'mediateur' }, // {} → 400
  'GET /api/activites/corbeille': { access: 'mediateur' },
  'GET /api/activites/{id}': { access: 'mediateur', params: (ids) => ({ id: ids.activite }) },
  'PUT /api/activites/{id}': { access: 'mediateur', params: (ids) => ({ id: ids.activite }) }, // {} → 400 (version)
  'DELETE /api/activites/{id}': { access: 'mediateur', params: (ids) => ({ id: ids.activite }) },
  'POST /api/activites/{id}/dupliquer': { access: 'mediateur', params: (ids) => ({ id: ids.activite }) },
  'POST /api/activites/{id}/restaurer': { access: 'mediateur', params: (ids) => ({ id: ids.activite }) },
  'GET /api/lieux-activite': { access: 'mediateur' },
  'POST /api/lieux-activite': { access: 'mediateur' }, // {} → 400
  'PATCH /api/lieux-activite/{id}': { access: 'mediateur', params: (ids) => ({ id: ids.lieu }) }, // {} → 200

  // Beneficiaries: mediators only, their own only (another's → 404); coordinators never see names.
  'GET /api/beneficiaires': { access: 'mediateur' },
  'POST /api/beneficiaires': { access: 'mediateur' }, // {} → 201 (an anonymous beneficiary)
  'GET /api/beneficiaires/doublons': { access: 'mediateur' },
  'GET /api/beneficiaires/export.csv': { access: 'mediateur' },
  'POST /api/beneficiaires/suppression': { access: 'mediateur' }, // {} → 400
  'GET /api/beneficiaires/corbeille': { access: 'mediateur' },
  'POST /api/beneficiaires/restauration': { access: 'mediateur' }, // {} → 400
  'POST /api/beneficiaires/import/analyse': { access: 'mediateur' }, // {} → 400 fichier_illisible
  'POST /api/beneficiaires/import/{import_id}/confirmer': { access: 'mediateur', params: () => ({ import_id: 999999 }) }, // 404
  'GET /api/beneficiaires/{id}': { access: 'mediateur', params: (ids) => ({ id: ids.beneficiaire }) },
  'PUT /api/beneficiaires/{id}': { access: 'mediateur', params: (ids) => ({ id: ids.beneficiaire }) }, // {} → 400 (version)
  'GET /api/beneficiaires/{id}/export': { access: 'mediateur', params: (ids) => ({ id: ids.beneficiaire }) },
  'POST /api/beneficiaires/{id}/fusionner': { access: 'mediateur', params: (ids) => ({ id: ids.beneficiaire }) }, // {} → 400
  'POST /api/beneficiaires/{id}/effacer': { access: 'mediateur', params: (ids) => ({ id: ids.beneficiaireEfface }) },
  'POST /api/beneficiaires/{id}/restaurer': { access: 'mediateur', params: (ids) => ({ id: ids.beneficiaire }) }, // live → 404

  'GET /api/activites/export.csv': { access: 'mediateur' },
  'GET /api/activites/export.xlsx': { access: 'mediateur' },
  'POST /api/fichiers': { access: 'logged_in' }, // {} → 400 fichier_invalide (not multipart)
  'GET /api/fichiers': { access: 'logged_in' },
  'GET /api/fichiers/{sha256}': { access: 'logged_in', params: () => ({ sha256: '0'.repeat(64) }) }, // 404
  'GET /api/tags': { access: 'mediateur|coordinateur|admin' },
  'POST /api/tags': { access: 'mediateur|coordinateur|admin' }, // {} → 400
  'DELETE /api/tags/{id}': {
    access: 'mediateur|coordinateur|admin',
    cases: [
      // the coordinator's team tag: seen by the mediatrice (team member), deleted by the coordinator, then 404 for the admin
      { label: 'team tag', params: (ids) => ({ id: ids.tagEquipe }), scopeDenied: ['mediateur'] },
      // a départemental tag (Rhône): seen by both (they work in Lyon), deleted by the admin only
      { label: 'départemental tag', params: (ids) => ({ id: ids.tagDepartemental }), scopeDenied: ['mediateur', 'coordinateur'] },
    ],
  },
  'GET /api/coordination/activites': { access: 'coordinateur' },
  'POST /api/coordination/activites': { access: 'coordinateur' }, // {} → 400
  'DELETE /api/coordination/activites/{id}': { access: 'coordinateur', params: (ids) => ({ id: ids.coordination }) },

  // Statistics: every logged-in user with a périmètre (each demo principal has one); the
  // périmètre asked for is the scope rule.
  'GET /api/statistiques': {
    access: 'logged_in',
    cases: [
      { label: 'default périmètre' },
      { label: 'national', query: 'perimetre=national', scopeDenied: NOT_ADMIN_STAFF },
      { label: 'structure 1', query: (ids) => `perimetre=structure:${ids.s1}`, scopeDenied: ['mediateur', 'coordinateur'] },
      { label: 'structure 2', query: (ids) => `perimetre=structure:${ids.s2}`, scopeDenied: NOT_ADMIN_STAFF },
      { label: 'équipe', query: 'perimetre=equipe', scopeDenied: ['mediateur', 'gestionnaire_structure', 'admin'] },
      { label: 'moi', query: 'perimetre=moi', scopeDenied: ['gestionnaire_structure', 'admin'] },
      { label: 'Rhône', query: 'perimetre=departement:69', scopeDenied: NOT_ADMIN_STAFF },
    ],
  },
  'GET /api/statistiques/perimetres': { access: 'logged_in' },
  'GET /api/statistiques/export': {
    access: 'logged_in',
    cases: [
      { label: 'csv', query: 'format=csv' },
      { label: 'national xlsx', query: 'format=xlsx&perimetre=national', scopeDenied: NOT_ADMIN_STAFF },
    ],
  },
  'GET /api/statistiques/partages': { access: 'logged_in' },
  'POST /api/statistiques/partages': { access: 'logged_in' }, // {} → 400
  'DELETE /api/statistiques/partages/{id}': { access: 'logged_in', params: () => ({ id: 999999 }) }, // → 404
  'GET /api/partages/statistiques/{jeton}': { access: 'anyone', params: () => ({ jeton: 'inconnu' }) }, // → 404
  'GET /api/v1/statistiques': { access: 'api_client(statistiques)' },

  // Discussion: every logged-in user; the channel's rules (member, moderator, admin) are the
  // scope rules. ids.general: « Général » (everyone is a member); ids.theme: a thematic channel
  // of the admin where every principal is a member; ids.messageAdmin: the admin's message there.
  'GET /api/discussion/etat': { access: 'logged_in' },
  'GET /api/discussion/canaux': { access: 'logged_in' },
  'GET /api/discussion/annuaire': { access: 'logged_in' },
  'POST /api/discussion/canaux': { access: 'logged_in' }, // {} → 400
  'POST /api/discussion/directs': { access: 'logged_in' }, // {} → 400
  'GET /api/discussion/canaux/{id}': { access: 'logged_in', params: (ids) => ({ id: ids.general }) },
  'PATCH /api/discussion/canaux/{id}': { access: 'logged_in', cases: [{ label: 'canal', params: (ids) => ({ id: ids.theme }), scopeDenied: NOT_ADMIN_STAFF }] },
  'POST /api/discussion/canaux/{id}/adhesion': { access: 'logged_in', params: (ids) => ({ id: ids.adhesion }) }, // join
  'DELETE /api/discussion/canaux/{id}/adhesion': { access: 'logged_in', params: (ids) => ({ id: ids.adhesion }) }, // leave
  'GET /api/discussion/canaux/{id}/membres': { access: 'logged_in', params: (ids) => ({ id: ids.general }) },
  'POST /api/discussion/canaux/{id}/membres': { access: 'logged_in', params: (ids) => ({ id: ids.theme }) }, // {} → 400
  'PATCH /api/discussion/canaux/{id}/membres/{user_id}': {
    access: 'logged_in', cases: [{ label: 'canal', params: (ids) => ({ id: ids.theme, user_id: ids.user.lyon }), scopeDenied: NOT_ADMIN_STAFF }],
  },
  'DELETE /api/discussion/canaux/{id}/membres/{user_id}': {
    access: 'logged_in', cases: [{ label: 'canal', params: (ids) => ({ id: ids.theme, user_id: ids.user.tulle }), scopeDenied: NOT_ADMIN_STAFF }],
  }, // the admin (last) removes Pierre
  'GET /api/discussion/canaux/{id}/sujets': { access: 'logged_in', params: (ids) => ({ id: ids.general }) },
  'PATCH /api/discussion/sujets/{id}': { access: 'logged_in', params: (ids) => ({ id: ids.sujet }) }, // {} → 400
  'POST /api/discussion/canaux/{id}/frappe': { access: 'logged_in', params: (ids) => ({ id: ids.general }) },
  'GET /api/discussion/canaux/{id}/messages': { access: 'logged_in', params: (ids) => ({ id: ids.general }) },
  'POST /api/discussion/canaux/{id}/messages': { access: 'logged_in', params: (ids) => ({ id: ids.general }) }, // {} → 400
  'PATCH /api/discussion/messages/{id}': { access: 'logged_in', params: (ids) => ({ id: ids.messageAdmin }) }, // {} → 400
  'DELETE /api/discussion/messages/{id}': {
    access: 'logged_in', cases: [{ label: 'canal', params: (ids) => ({ id: ids.messageSupprime }), scopeDenied: NOT_ADMIN_STAFF }],
  }, // the admin's own message (the admin comes last)
  'POST /api/discussion/messages/deplacement': { access: 'logged_in' }, // {} → 400
  'PUT /api/discussion/messages/{id}/reactions/{emoji}': { access: 'logged_in', params: (ids) => ({ id: ids.messageAdmin, emoji: '👍' }) },
  'DELETE /api/discussion/messages/{id}/reactions/{emoji}': { access: 'logged_in', params: (ids) => ({ id: ids.messageAdmin, emoji: '👍' }) },
  'PUT /api/discussion/messages/{id}/epingle': { access: 'logged_in', cases: [{ label: 'canal', params: (ids) => ({ id: ids.messageAdmin }), scopeDenied: NOT_ADMIN_STAFF }] },
  'DELETE /api/discussion/messages/{id}/epingle': { access: 'logged_in', cases: [{ label: 'canal', params: (ids) => ({ id: ids.messageAdmin }), scopeDenied: NOT_ADMIN_STAFF }] },
  'GET /api/discussion/canaux/{id}/epingles': { access: 'logged_in', params: (ids) => ({ id: ids.general }) },
  'POST /api/discussion/lecture': { access: 'logged_in' }, // {} → 400
  'POST /api/discussion/non-lu': { access: 'logged_in' }, // {} → 400
  'GET /api/discussion/mentions': { access: 'logged_in' },
  'GET /api/discussion/recherche': { access: 'logged_in', cases: [{ label: 'q', query: 'q=bonjour' }] },
  'GET /api/discussion/personnes': { access: 'logged_in' },
  'POST /api/discussion/messages/{id}/signalements': { access: 'logged_in', params: (ids) => ({ id: ids.messageAdmin }) }, // {} → 400
  // The demo's coordinatrice and médiatrice moderate a thematic channel; the gestionnaire none.
  'GET /api/discussion/moderation/signalements': { access: 'logged_in', cases: [{ label: 'file', scopeDenied: ['gestionnaire_structure'] }] },
  'POST /api/discussion/moderation/signalements/{id}': { access: 'logged_in', params: () => ({ id: 999999 }) }, // {} → 400
  'GET /api/discussion/bannissements': { access: 'admin' },
  'POST /api/discussion/bannissements': { access: 'admin' }, // {} → 400
  'DELETE /api/discussion/bannissements/{user_id}': { access: 'admin', params: (ids) => ({ user_id: ids.user.tulle }) }, // → 404

  // Ressources: ids.ressource is a public resource of the admin (so others are refused its edit),
  // ids.collection a private collection of the admin (others: 404, never 403).
  'GET /api/ressources/referentiel': { access: 'logged_in' },
  'GET /api/ressources': { access: 'logged_in', cases: [{ label: 'q', query: 'q=atelier&thematique=email' }] },
  'POST /api/ressources': { access: 'logged_in' }, // {} → 400
  'POST /api/ressources/apercu': { access: 'logged_in', cases: [{ label: 'texte', body: { description: '**gras**' } }] }, // 200
  'GET /api/ressources/{id}': { access: 'logged_in', params: (ids) => ({ id: ids.ressource }) },
  'PUT /api/ressources/{id}': {
    access: 'logged_in', cases: [{ label: 'de l’admin', params: (ids) => ({ id: ids.ressource }), scopeDenied: NOT_ADMIN_STAFF }],
  }, // the admin: {} → 400
  'DELETE /api/ressources/{id}': { access: 'logged_in', params: () => ({ id: 999999 }) }, // 404
  'GET /api/ressources/{id}/versions': { access: 'logged_in', params: (ids) => ({ id: ids.ressource }) },
  'POST /api/ressources/{id}/copie': { access: 'logged_in', params: (ids) => ({ id: ids.ressource }) }, // 201
  'POST /api/ressources/fichiers': { access: 'logged_in' }, // {} → 400 (not multipart)
  'GET /api/ressources/{id}/fichiers/{sha256}': { access: 'logged_in', params: (ids) => ({ id: ids.ressource, sha256: '0'.repeat(64) }) }, // 404
  'GET /api/ressources/collections': { access: 'logged_in' },
  'POST /api/ressources/collections': { access: 'logged_in' }, // {} → 400
  'GET /api/ressources/collections/{id}': { access: 'logged_in', params: (ids) => ({ id: ids.collection }) }, // others 404
  'PATCH /api/ressources/collections/{id}': { access: 'logged_in', params: (ids) => ({ id: ids.collection }) },
  'DELETE /api/ressources/collections/{id}': { access: 'logged_in', params: () => ({ id: 999999 }) }, // 404
  'PUT /api/ressources/collections/{id}/ressources/{ressource_id}': { access: 'logged_in', params: (ids) => ({ id: ids.collection, ressource_id: ids.ressource }) },
  'DELETE /api/ressources/collections/{id}/ressources/{ressource_id}': { access: 'logged_in', params: (ids) => ({ id: ids.collection, ressource_id: ids.ressource }) },
  'PUT /api/ressources/collections/{id}/suivi': { access: 'logged_in', params: (ids) => ({ id: ids.collection }) },
  'DELETE /api/ressources/collections/{id}/suivi': { access: 'logged_in', params: (ids) => ({ id: ids.collection }) },
  'PUT /api/ressources/auteurs/{id}/suivi': { access: 'logged_in', params: (ids) => ({ id: ids.user.mediatrice }) },
  'DELETE /api/ressources/auteurs/{id}/suivi': { access: 'logged_in', params: (ids) => ({ id: ids.user.mediatrice }) },
  'GET /api/ressources/suivis': { access: 'logged_in' },
  'PUT /api/ressources/{id}/favori': { access: 'logged_in', params: (ids) => ({ id: ids.ressource }) },
  'DELETE /api/ressources/{id}/favori': { access: 'logged_in', params: (ids) => ({ id: ids.ressource }) },
  'PUT /api/ressources/{id}/utile': { access: 'logged_in', params: (ids) => ({ id: ids.ressource }) }, // the admin: 400
  'DELETE /api/ressources/{id}/utile': { access: 'logged_in', params: (ids) => ({ id: ids.ressource }) },
  'GET /api/ressources/{id}/commentaires': { access: 'logged_in', params: (ids) => ({ id: ids.ressource }) },
  'POST /api/ressources/{id}/commentaires': { access: 'logged_in', params: (ids) => ({ id: ids.ressource }) }, // {} → 400
  'DELETE /api/ressources/commentaires/{id}': { access: 'logged_in', params: () => ({ id: 999999 }) }, // 404
  'POST /api/ressources/{id}/signalements': { access: 'logged_in', params: (ids) => ({ id: ids.ressource }) }, // {} → 400
  'GET /api/ressources/moderation': { access: 'admin' },
  'POST /api/ressources/{id}/masquer': { access: 'admin', params: () => ({ id: 999999 }) }, // 404
  'POST /api/ressources/{id}/restaurer': { access: 'admin', params: () => ({ id: 999999 }) }, // 404
  'POST /api/ressources/signalements/{id}/rejeter': { access: 'admin', params: () => ({ id: 999999 }) }, // 404
  'GET /api/v1/ressources': { access: 'api_client(ressources)' },

  // Lieux (features/lieux). ids.lieuS1 / lieuS2: the sheets of structures 1 and 2; the mediatrice
  // works in structure 1 (employment), the gestionnaire manages structure 1 only.
  'GET /api/lieux': { access: 'logged_in', cases: [{ label: 'filtres', query: 'q=lyon&departement=69&limite=5' }] },
  'GET /api/lieux/points': { access: 'logged_in', cases: [{ label: 'filtres', query: 'departement=69&autour=45.75,4.85&rayon_km=20' }] },
  'GET /api/lieux/export': { access: 'logged_in', cases: [{ label: 'json', query: 'format=json' }] },
  'GET /api/lieux/horaires': { access: 'logged_in', cases: [{ label: 'valeur', query: 'valeur=Mo-Fr%2009:00-12:00' }] },
  'GET /api/config/carte': { access: 'logged_in' },
  'GET /api/lieux/zones': { access: 'logged_in' },
  'GET /api/lieux/{id}': { access: 'logged_in', params: (ids) => ({ id: ids.lieuS1 }) },
  'PUT /api/lieux/{id}': {
    access: 'mediateur|gestionnaire_structure|admin',
    cases: [
      { label: 'own structure', params: (ids) => ({ id: ids.lieuS1 }) }, // {} → 200, nothing changes
      { label: 'other structure', params: (ids) => ({ id: ids.lieuS2 }), scopeDenied: ['mediateur', 'gestionnaire_structure'] },
    ],
  },
  'GET /api/lieux/{id}/historique': { access: 'logged_in', params: (ids) => ({ id: ids.lieuS1 }) },
  'POST /api/lieux/{id}/envoi': { access: 'logged_in', params: (ids) => ({ id: ids.lieuS1 }) }, // {} → 400, no mail
  'POST /api/lieux/{id}/signalements': { access: 'logged_in', params: (ids) => ({ id: ids.lieuS1 }) }, // {} → 400, no mail
  'POST /api/structures/{id}/lieu': {
    access: 'mediateur|gestionnaire_structure|admin',
    cases: [
      { label: 'own structure', params: (ids) => ({ id: ids.s1 }) },
      { label: 'other structure', params: (ids) => ({ id: ids.s2 }), scopeDenied: ['mediateur', 'gestionnaire_structure'] },
    ],
  },
  'POST /api/admin/lieux/import': { access: 'admin' }, // {} → 400 (no header of the standard)
  'GET /api/admin/lieux/doublons': { access: 'admin' },
  'GET /api/admin/lieux/doublons/{id}': { access: 'admin', params: () => ({ id: 999999 }) }, // 404
  'POST /api/admin/lieux/doublons/{id}/fusion': { access: 'admin', params: () => ({ id: 999999 }) }, // {} → 400 (no survivant)
  'POST /api/admin/lieux/doublons/{id}/ecart': { access: 'admin', params: () => ({ id: 999999 }) }, // 404
  'GET /api/v1/lieux': { access: 'api_client(lieux)' },

  // Réseaux locaux (features/reseaux). ids.reseau: created by the coordinatrice (its animator)
  // with no member structure; ids.reseauAdmin: the administrator's, deleted by its cell;
  // ids.invitationS1: an invitation of structure 1 (managed by gestion) to another network.
  'GET /api/reseaux': { access: 'logged_in' },
  'POST /api/reseaux': { access: PEOPLE }, // {} → 400
  'GET /api/reseaux/invitations': { access: 'logged_in' },
  'GET /api/reseaux/structures': { access: PEOPLE, cases: [{ label: 'q', query: 'q=bachut' }] },
  'POST /api/reseaux/invitations/{id}/accepter': {
    access: 'logged_in',
    cases: [{ label: 'réseau', params: (ids) => ({ id: ids.invitationS1 }), scopeDenied: ['mediateur', 'coordinateur'] }],
  }, // gestion answers (200), then 409
  'POST /api/reseaux/invitations/{id}/refuser': {
    access: 'logged_in',
    cases: [{ label: 'réseau', params: (ids) => ({ id: ids.invitationS1 }), scopeDenied: ['mediateur', 'coordinateur'] }],
  },
  'GET /api/reseaux/visibilite': { access: 'logged_in' },
  'PUT /api/reseaux/visibilite': { access: 'logged_in' }, // {} → 400
  'GET /api/reseaux/departements/{code}/annuaire': { access: 'logged_in', params: () => ({ code: '69' }) },
  'GET /api/reseaux/{id}': { access: 'logged_in', params: (ids) => ({ id: ids.reseau }) },
  'PATCH /api/reseaux/{id}': {
    access: 'logged_in',
    cases: [{ label: 'réseau', params: (ids) => ({ id: ids.reseau }), scopeDenied: ['mediateur', 'gestionnaire_structure'] }],
  }, // {} → 200, nothing changes
  'DELETE /api/reseaux/{id}': {
    access: 'logged_in',
    cases: [{ label: 'réseau', params: (ids) => ({ id: ids.reseauAdmin }), scopeDenied: ['mediateur', 'coordinateur', 'gestionnaire_structure'] }],
  },
  'GET /api/reseaux/{id}/annuaire': { access: 'logged_in', params: (ids) => ({ id: ids.reseau }) },
  'POST /api/reseaux/{id}/structures': {
    access: 'logged_in',
    cases: [{ label: 'réseau', params: (ids) => ({ id: ids.reseau }), scopeDenied: ['mediateur', 'gestionnaire_structure'] }],
  }, // {} → 400
  'DELETE /api/reseaux/{id}/structures/{sid}': {
    access: 'logged_in',
    cases: [{ label: 'réseau', params: (ids) => ({ id: ids.reseau, sid: ids.s1 }), scopeDenied: ['mediateur'] }],
  }, // not a member → 404 (gestion manages structure 1: may take it out)
  'POST /api/reseaux/{id}/animateurs': {
    access: 'logged_in',
    cases: [{ label: 'réseau', params: (ids) => ({ id: ids.reseau }), scopeDenied: ['mediateur', 'gestionnaire_structure'] }],
  }, // {} → 400
  'DELETE /api/reseaux/{id}/animateurs/{uid}': {
    access: 'logged_in',
    cases: [{ label: 'réseau', params: (ids) => ({ id: ids.reseau, uid: ids.user.tulle }), scopeDenied: ['mediateur', 'gestionnaire_structure'] }],
  }, // not an animator → 404
  // Evaluation (features/evaluation): the item bank's admin preview.
  'GET /api/admin/evaluation/items': { access: 'admin' },
  'GET /api/admin/evaluation/items/{id}': { access: 'admin', params: () => ({ id: 'c12-formats-2b' }) },
  'POST /api/admin/evaluation/items/{id}/essayer': { access: 'admin', params: () => ({ id: 'c12-formats-2b' }) }, // {} → 400
  'GET /api/admin/evaluation/medias/{nom}': { access: 'admin', params: () => ({ nom: 'explorateur-fichiers.svg' }) },
  // Positioning tests (features/evaluation, api_positionnement.cpp). ids.evalTest: the mediatrice's
  // test on 1.1, in progress (so her POST /api/evaluation/tests answers 409).
  'GET /api/evaluation/medias/{nom}': { access: 'logged_in', params: () => ({ nom: 'explorateur-fichiers.svg' }) },
  'GET /api/evaluation/profil': { access: 'logged_in' },
  'POST /api/evaluation/tests': { access: 'logged_in', body: { competence: '9.9' } }, // → 400
  'GET /api/evaluation/tests/{id}': {
    access: 'logged_in',
    cases: [{ label: 'candidat', params: (ids) => ({ id: ids.evalTest }), scopeDenied: ['coordinateur', 'gestionnaire_structure', 'admin'] }],
  },
  'POST /api/evaluation/tests/{id}/reponses': {
    access: 'logged_in',
    cases: [{ label: 'candidat', params: (ids) => ({ id: ids.evalTest }), scopeDenied: ['coordinateur', 'gestionnaire_structure', 'admin'] }],
  }, // {} → 400
};

function accessRoles(access) {
  if (access === 'anyone' || access === 'logged_in' || access.startsWith('api_client(')) return null;
  return access.split('|');
}

function fillPath(pattern, params) {
  return pattern.replace(/\{(\w+)\}/g, (_, k) => {
    assert.ok(params[k] !== undefined, `no value for {${k}} in ${pattern}`);
    return encodeURIComponent(String(params[k]));
  });
}

describe(`access matrix: every route × every principal [${ENGINE}]`, () => {
  let server;
  let routes;
  const clients = {};
  const ids = { user: {} };

  before(async () => {
    routes = coopRoutes();
    server = await startServer();
    for (const p of PRINCIPALS) clients[p.name] = p.email ? await server.login(p.email) : server.client();
    const admin = clients.admin;

    const structures = await allPages(admin, '/api/structures');
    ids.s1 = structures.find((s) => s.nom === DEMO_STRUCTURES.bachut).id;
    ids.s2 = structures.find((s) => s.nom === DEMO_STRUCTURES.connexions).id;
    const users = await allPages(admin, '/api/users');
    for (const [k, email] of Object.entries(DEMO)) ids.user[k] = users.find((u) => u.email === email).id;
    ids.employmentS1 = expectStatus(await admin.get(`/api/structures/${ids.s1}/employes`), 200)
      .json.items.find((e) => e.user.email === DEMO.lyon).id;
    ids.employmentS2 = expectStatus(await admin.get(`/api/structures/${ids.s2}/employes`), 200)
      .json.items.find((e) => e.user.email === DEMO.stetienne).id;
    ids.ownMember = expectStatus(await clients.coordinateur.get('/api/equipe'), 200)
      .json.items.find((m) => m.mediateur.email === DEMO.ancien).id;

    // The lieu sheets of structures 1 and 2 (features/lieux).
    ids.lieuS1 = expectStatus(await admin.post(`/api/structures/${ids.s1}/lieu`), 200).json.id;
    ids.lieuS2 = expectStatus(await admin.post(`/api/structures/${ids.s2}/lieu`), 200).json.id;

    // An activity and a lieu d'activité of the mediatrice (demo data).
    ids.activite = expectStatus(await clients.mediateur.get('/api/activites?limite=1'), 200).json.items[0]?.id ?? 999999;
    ids.lieu = expectStatus(await clients.mediateur.get('/api/lieux-activite'), 200).json.items[0]?.id ?? 999999;

    // Beneficiaries of the mediatrice: one to read, one to erase.
    for (const k of ['beneficiaire', 'beneficiaireEfface'])
      ids[k] = expectStatus(await clients.mediateur.post('/api/beneficiaires', { json: { prenom: 'Matrice', nom: k } }), 201).json.id;

    // Tags and a coordination activity (scope cases), API clients of the public API.
    ids.tagEquipe = expectStatus(await clients.coordinateur.post('/api/tags', { json: { nom: 'Matrice équipe', portee: 'equipe' } }), 201).json.id;
    ids.tagDepartemental = expectStatus(await admin.post('/api/tags', {
      json: { nom: 'Matrice Rhône', portee: 'departemental', departement: '69' },
    }), 201).json.id;
    ids.coordination = expectStatus(await clients.coordinateur.post('/api/coordination/activites', {
      json: { type: 'animation', duree: 60, titre: 'Matrice' },
    }), 201).json.id;
    for (const c of API_CLIENTS) {
      const created = expectStatus(await admin.post('/api/admin/clients-api', { json: { nom: c.name, scopes: c.scopes } }), 201).json;
      const basic = Buffer.from(`${created.client_id}:${created.client_secret}`).toString('base64');
      clients[c.name] = server.client({ headers: { authorization: `Basic ${basic}` } });
    }

    // A second coordinator with a team member of their own.
    const email = `coord.matrice.${randomId()}@exemple.fr`;
    expectStatus(await admin.post('/api/users', {
      json: { email, nom: 'Matrice', prenom: 'Coordo', password: 'mot-de-passe-matrice', roles: [{ role: 'coordinateur' }] },
    }), 201);
    const other = await server.login(email, 'mot-de-passe-matrice');
    ids.otherMember = expectStatus(await other.post('/api/equipe/membres', { json: { mediateur_id: ids.user.tulle } }), 201).json.id;

    // Discussion: Général, a thematic channel of the admin with every principal in it, one to join and leave.
    ids.general = expectStatus(await admin.get('/api/discussion/canaux'), 200).json.items.find((c) => c.type === 'general').id;
    ids.theme = expectStatus(await admin.post('/api/discussion/canaux', { json: { type: 'theme', nom: 'Matrice' } }), 201).json.id;
    ids.adhesion = expectStatus(await admin.post('/api/discussion/canaux', { json: { type: 'theme', nom: 'Matrice adhésion' } }), 201).json.id;
    for (const p of ['mediateur', 'coordinateur', 'gestionnaire_structure'])
      expectStatus(await clients[p].post(`/api/discussion/canaux/${ids.theme}/adhesion`), 200);
    for (const u of ['lyon', 'tulle'])
      expectStatus(await admin.post(`/api/discussion/canaux/${ids.theme}/membres`, { json: { user_id: ids.user[u] } }), 201);
    const post = async (texte) => expectStatus(await admin.post(`/api/discussion/canaux/${ids.theme}/messages`, {
      json: { sujet: 'Matrice', texte },
    }), 201).json;
    const m = await post('Bonjour la matrice');
    ids.messageAdmin = m.id;
    ids.sujet = m.sujet_id;
    ids.messageSupprime = (await post('À supprimer')).id;

    ids.ressource = expectStatus(await admin.post('/api/ressources', { json: {
      titre: 'Matrice : atelier e-mail', thematiques: ['email'], format: 'fiche_pas_a_pas', niveau: 'debutant',
      visibilite: 'public', statut: 'publie',
    } }), 201).json.id;
    ids.collection = expectStatus(await admin.post('/api/ressources/collections', { json: { titre: 'Matrice' } }), 201).json.id;

    // Local networks (features/reseaux).
    ids.reseau = expectStatus(await clients.coordinateur.post('/api/reseaux', { json: { nom: 'Matrice', territoires: ['departement:69'] } }), 201).json.id;
    ids.reseauAdmin = expectStatus(await admin.post('/api/reseaux', { json: { nom: 'Matrice admin', territoires: ['departement:42'] } }), 201).json.id;
    // A positioning test of the mediatrice (features/evaluation).
    ids.evalTest = expectStatus(await clients.mediateur.post('/api/evaluation/tests', { json: { competence: '1.1' } }), 201).json.id;
    ids.invitationS1 = expectStatus(await clients.coordinateur.post('/api/reseaux', {
      json: { nom: 'Matrice invitation', territoires: ['departement:69'], structures: [ids.s1] },
    }), 201).json.invitations[0].id;
  });

  after(async () => {
    await server?.dispose();
  });

  it('`coop routes` lists every route with a known access rule', () => {
    assert.ok(Array.isArray(routes) && routes.length >= 30, `coop routes printed ${routes?.length} routes`);
    for (const r of routes) {
      assert.match(r.method, /^(GET|POST|PUT|PATCH|DELETE)$/);
      assert.match(r.path, /^\//);
      const roles = accessRoles(r.access);
      if (roles) for (const role of roles) assert.ok(ROLES.includes(role), `${r.method} ${r.path}: unknown role ${role} in "${r.access}"`);
    }
    const keys = routes.map((r) => `${r.method} ${r.path}`);
    assert.equal(new Set(keys).size, keys.length, 'no route is registered twice');
  });

  it('every route printed by `coop routes` is in the expectations table, with the same access rule', () => {
    const missing = [];
    const changed = [];
    for (const r of routes) {
      const key = `${r.method} ${r.path}`;
      const exp = TABLE[key];
      if (!exp) missing.push(`${key} (access "${r.access}")`);
      else {
        const a = accessRoles(exp.access);
        const b = accessRoles(r.access);
        const same = a && b ? [...a].sort().join('|') === [...b].sort().join('|') : exp.access === r.access;
        if (!same) changed.push(`${key}: table says "${exp.access}", coop routes says "${r.access}"`);
      }
    }
    assert.deepEqual({ missing, changed }, { missing: [], changed: [] },
      'missing: routes without a stated access rule (add them to TABLE in access-matrix.test.mjs); ' +
      'changed: access rules that differ from the table');
  });

  it('the table lists no route that `coop routes` does not print', () => {
    const printed = new Set(routes.map((r) => `${r.method} ${r.path}`));
    assert.deepEqual(Object.keys(TABLE).filter((k) => !printed.has(k)), []);
  });

  it('each principal gets exactly what its roles and the scope rules allow', async () => {
    const failures = [];
    let cells = 0;
    for (const route of routes) {
      const key = `${route.method} ${route.path}`;
      const exp = TABLE[key];
      if (!exp) continue; // reported by the test above
      const needRoles = accessRoles(route.access);
      const cases = exp.cases ?? [{ label: '', params: exp.params, body: exp.body }];
      for (const cs of cases) {
        const params = cs.params ? cs.params(ids) : {};
        const query = typeof cs.query === 'function' ? cs.query(ids) : cs.query;
        const urlPath = fillPath(route.path, params) + (query ? `?${query}` : '');
        for (const p of [...PRINCIPALS, ...API_CLIENTS]) {
          let client = clients[p.name];
          if (exp.ownSession && p.email) client = await server.login(p.email);
          const body = typeof cs.body === 'function' ? cs.body(ids) : cs.body ?? {};
          const opts = route.method === 'GET' ? {} : { json: body };
          const res = await client.request(route.method, urlPath, opts);
          cells++;
          const where = `${key}${cs.label ? ` [${cs.label}]` : ''} as ${p.name}: ${route.method} ${urlPath} → ${res.status} ${res.text.slice(0, 160)}`;

          let expected; // '401' | '403' | 'allowed'
          const clientScope = /^api_client\((\w+)\)$/.exec(route.access)?.[1];
          if (p.scopes) expected = clientScope ? (p.scopes.includes(clientScope) ? 'allowed' : '403') : route.access === 'anyone' ? 'allowed' : '401';
          else if (clientScope) expected = '401';
          else if (route.access === 'anyone') expected = 'allowed';
          else if (!p.email) expected = '401';
          else if (needRoles && !p.roles.some((r) => needRoles.includes(r))) expected = '403';
          else expected = (cs.scopeDenied ?? []).includes(p.name) ? '403' : 'allowed';
          if (expected === 'allowed' && (cs.scopeDenied ?? []).includes(p.name))
            failures.push(`${where}: table error, scopeDenied on a route everyone may call`);

          if (expected === '401') {
            if (res.status !== 401 || res.json?.error?.code !== 'non_authentifie') failures.push(`${where} (expected 401 non_authentifie)`);
          } else if (expected === '403') {
            if (res.status !== 403 || res.json?.error?.code !== 'acces_refuse') failures.push(`${where} (expected 403 acces_refuse)`);
          } else if ([401, 403, 405].includes(res.status) || res.status >= 500) {
            failures.push(`${where} (expected to pass the access checks)`);
          }
          if (res.status >= 400 && !res.json?.error?.code) failures.push(`${where} (error without a JSON error body)`);
        }
      }
    }
    assert.ok(cells >= routes.length * PRINCIPALS.length, `${cells} cells checked`);
    assert.deepEqual(failures, [], `${failures.length} access-matrix cell(s) wrong`);
  });

  it('after the matrix, the principals are still who they were (no cell changed an identity)', async () => {
    for (const p of PRINCIPALS.filter((x) => x.email)) {
      const me = expectStatus(await clients[p.name].get('/api/me'), 200, p.name).json;
      assert.equal(me.email, p.email);
      assert.deepEqual(me.roles.map((g) => g.role), p.roles);
    }
  });
});
