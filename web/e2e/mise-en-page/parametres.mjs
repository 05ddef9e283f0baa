// How the layout test fills the parameters of a route (":id", ":token"…): one entry per route
// pattern of App.tsx, an async function of the visitor that returns the value, taken from the API
// (the first activity, beneficiary… of that user) or made for the test (an invitation, a share
// link). A route with a parameter and no entry here fails the layout test: add one line when you
// add such a route.
//
// The function gets { api, admin, mediatrice, roles } — api: the visitor's Api client (null for anonymous
// pages), admin / mediatrice: Api clients of the demo administrator and mediator, roles: the
// visitor's role names (null: anonymous) —
// and returns the parameters as an object { name: value }.

import { Api, DEMO_PASSWORD, courrielsPour } from "../helpers.mjs";

const uniqueEmail = (prefix) =>
  `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}@coop.example`;

// The token of the last link to `chemin` in the mails of `modele` queued for `email` (outbox).
function jetonDuCourriel(email, modele, chemin) {
  const mail = courrielsPour(email).filter(m => m.modele === modele).pop();
  if (!mail) throw new Error(`no mail « ${modele} » for ${email} in the outbox`);
  const lien = mail.texte.split("\n").find(l => l.includes(chemin));
  if (!lien) throw new Error(`the mail « ${modele} » holds no link to ${chemin}`);
  return lien.trim().split("/").pop();
}

// A mediator of its own, created by the administrator (the demo accounts stay as they are).
async function nouveauMediateur(admin, prefix) {
  const email = uniqueEmail(prefix);
  await admin.request("POST", "/api/users", {
    email, nom: "Mise en page", prenom: "Camille", telephone: "", password: DEMO_PASSWORD,
    roles: [{ role: "mediateur", structure_id: null, conseiller_numerique: false }]
  });
  return email;
}

const premier = async (api, path, what) => {
  const r = await api.request("GET", path);
  const item = (r.items ?? [])[0];
  if (!item) throw new Error(`${what}: ${path} lists nothing for this user (demo data)`);
  return item.id;
};

// A published public resource of this user (made once if they have none; the demo has none), with
// a description, a link and a comment: the page with the most sections.
async function ressourceDe(api) {
  const miennes = (await api.request("GET", "/api/ressources?miennes=1&par_page=1&facettes=0")).items ?? [];
  if (miennes[0]) return miennes[0].id;
  const ref = await api.request("GET", "/api/ressources/referentiel");
  const r = await api.request("POST", "/api/ressources", {
    titre: "Atelier « Premiers pas sur la tablette » : fiche pas à pas pour les débutants",
    resume: "Une séance d'une heure trente pour découvrir la tablette, l'allumer, la déverrouiller et ouvrir une application.",
    description: "## Déroulé\n\n1. Accueil et tour de table\n2. **Manipulation** guidée\n3. Exercices en binôme\n\nVoir aussi [le guide](https://www.example.org/guide-tablette-tres-long-lien-pour-verifier-le-retour-a-la-ligne).",
    thematiques: [ref.thematiques[0].code],
    publics: [ref.publics[0].code],
    format: ref.formats[0].code,
    niveau: ref.niveaux[0].code,
    duree_minutes: 90,
    visibilite: "public",
    statut: "publie",
    liens: [{ url: "https://www.example.org/ressources/tablette", titre: "Ressources complémentaires" }]
  });
  await api.request("POST", `/api/ressources/${r.id}/commentaires`, { texte: "Testé avec un groupe : très clair." });
  return r.id;
}

// A lieu the visitor may edit: the sheet of their first structure; someone without a structure (a
// pilote territorial) opens the first lieu and gets the access-denied page, which must look right too.
async function lieuModifiable(api) {
  const structures = (await api.request("GET", "/api/structures?per_page=1")).items ?? [];
  if (structures[0]) {
    try {
      return (await api.request("POST", `/api/structures/${structures[0].id}/lieu`)).id;
    } catch {
      // not an editor of that structure: fall through
    }
  }
  return premier(api, "/api/lieux?par_page=1", "lieu");
}

// A local network: the visitor's first one, else the first of all (the demo has two).
async function reseauDe(api, admin) {
  const miens = api ? (await api.request("GET", "/api/reseaux")).items ?? [] : [];
  if (miens[0]) return miens[0].id;
  const tous = (await admin.request("GET", "/api/reseaux?tous=1")).items ?? [];
  if (!tous[0]) throw new Error("no local network in the demo data");
  return tous[0].id;
}

export const PARAMETRES = {
  // Local networks (issue 12 point 8).
  "/reseaux/:id": async ({ api, admin }) => ({ id: await reseauDe(api, admin) }),
  "/reseaux/:id/modifier": async ({ api, admin }) => ({ id: await reseauDe(api, admin) }),
  "/reseaux/departement/:code": async () => ({ code: "69" }),
  // Lieux: the first of the search (every role sees the lieux on the map); one to edit.
  "/lieux/:id": async ({ api }) => ({ id: await premier(api, "/api/lieux?par_page=1", "lieu") }),
  "/lieux/:id/modifier": async ({ api }) => ({ id: await lieuModifiable(api) }),
  // A proposed pair of duplicate lieux (admin; others get the access-denied page): two lieux of
  // two sources made for the test when none is proposed.
  "/admin/lieux/doublons/:id": async ({ admin }) => {
    const propose = async () => (await admin.request("GET", "/api/admin/lieux/doublons")).doublons[0]?.id;
    const deja = await propose();
    if (deja) return { id: deja };
    const ligne = {
      pivot: "00000000000000", commune: "Mende", code_postal: "48000", code_insee: "48095", adresse: "1 place du Foirail",
      date_maj: "2026-11-01", services: "Aide aux démarches administratives"
    };
    const suffixe = Date.now().toString(36);
    await admin.request("POST", `/api/admin/lieux/import?source=mise-en-page-a-${suffixe}`, [{ ...ligne, id: `a-${suffixe}`, nom: "Médiathèque de la mise en page" }]);
    await admin.request("POST", `/api/admin/lieux/import?source=mise-en-page-b-${suffixe}`, [{ ...ligne, id: `b-${suffixe}`, nom: "Médiathèque mise en page", telephone: "+33466000000" }]);
    const id = await propose();
    if (!id) throw new Error("doublon: the import proposed no pair");
    return { id };
  },
  // Resources: the visitor's own (every account with a role may publish); a collection of theirs.
  "/ressources/:id": async ({ api }) => ({ id: await ressourceDe(api) }),
  "/ressources/:id/modifier": async ({ api }) => ({ id: await ressourceDe(api) }),
  "/ressources/collections/:id": async ({ api }) => {
    const miennes = (await api.request("GET", "/api/ressources/collections?miennes=1")).items ?? [];
    if (miennes[0]) return { id: miennes[0].id };
    const c = await api.request("POST", "/api/ressources/collections", { titre: "Kit atelier e-mail débutants", description: "Fiches et supports pour un cycle de quatre ateliers.", publique: true });
    await api.request("PUT", `/api/ressources/collections/${c.id}/ressources/${await ressourceDe(api)}`);
    return { id: c.id };
  },
  "/activites/:id": async ({ api }) => ({ id: await premier(api, "/api/activites?limite=1", "activité") }),
  "/activites/:id/modifier": async ({ api }) => ({ id: await premier(api, "/api/activites?limite=1", "activité") }),
  "/beneficiaires/:id": async ({ api }) => ({ id: await premier(api, "/api/beneficiaires?per_page=1", "bénéficiaire") }),
  "/beneficiaires/:id/modifier": async ({ api }) => ({ id: await premier(api, "/api/beneficiaires?per_page=1", "bénéficiaire") }),
  // The user's first structure; a user who sees none (a pilote territorial) opens the first one
  // of the administrator and gets the access-denied page, which must look right too.
  "/structures/:id": async ({ api, admin }) => {
    const mine = (await api.request("GET", "/api/structures?per_page=1")).items ?? [];
    return { id: mine[0]?.id ?? (await premier(admin, "/api/structures?per_page=1", "structure")) };
  },
  "/admin/utilisateurs/:id": async ({ admin }) => {
    const users = (await admin.request("GET", "/api/users?per_page=20")).items ?? [];
    // A mediator: the page with the most sections (roles, employments, lieux).
    const u = users.find(x => x.roles?.some(r => r.role === "mediateur")) ?? users[0];
    if (!u) throw new Error("utilisateur: /api/users lists nobody");
    return { id: u.id };
  },
  // A fresh invitation of the administrator: its link is the only place its token appears.
  "/invitation/:token": async ({ admin }) => {
    const email = `mise-en-page-${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}@coop.example`;
    const inv = await admin.request("POST", "/api/invitations", { email, role: "mediateur", structure_id: null, conseiller_numerique: false });
    return { token: new URL(inv.lien).pathname.split("/").pop() };
  },
  // A fresh reset link of an account made for the test (« Mot de passe oublié »).
  "/reinitialisation/:token": async ({ admin }) => {
    const email = await nouveauMediateur(admin, "mise-en-page-oubli");
    await new Api().request("POST", "/api/auth/mot-de-passe-oublie", { email });
    return { token: jetonDuCourriel(email, "reinitialisation_mot_de_passe", "/reinitialisation/") };
  },
  // A fresh sign-up's confirmation link.
  "/inscription/confirmer/:token": async () => {
    const email = uniqueEmail("mise-en-page-inscription");
    await new Api().request("POST", "/api/inscription", { email, prenom: "Camille", nom: "Inscrite", password: DEMO_PASSWORD, cgu: true });
    return { token: jetonDuCourriel(email, "inscription_confirmation", "/inscription/confirmer/") };
  },
  // A pending change of address of an account made for the test.
  "/compte/confirmer-courriel/:token": async ({ admin }) => {
    const email = await nouveauMediateur(admin, "mise-en-page-adresse");
    const moi = new Api();
    await moi.login(email);
    const nouvelle = uniqueEmail("mise-en-page-nouvelle");
    await moi.request("PATCH", "/api/me", { email: nouvelle });
    return { token: jetonDuCourriel(nouvelle, "changement_courriel", "/compte/confirmer-courriel/") };
  },
  // The administrator's first mail of the outbox (demo data and the other tests queue plenty).
  "/admin/courriels/:id": async ({ admin }) => ({ id: await premier(admin, "/api/admin/courriels?per_page=1", "courriel") }),
  // The item with an image and a timer (the richest preview).
  "/admin/evaluation/items/:id": async () => ({ id: "c12-formats-2b" }),
  // The visitor's positioning test: the one in progress, else the last finished one, else a new
  // one on 5.1 (anonymous visitors are sent to the login page whatever the id).
  "/evaluation/tests/:id": async ({ api, mediatrice }) => {
    const moi = api ?? mediatrice;
    const p = await moi.request("GET", "/api/evaluation/profil");
    if (p.test_en_cours) return { id: p.test_en_cours.id };
    if (p.historique.length) return { id: p.historique[p.historique.length - 1].test_id };
    return { id: (await moi.request("POST", "/api/evaluation/tests", { competence: "5.1" })).id };
  },
  // A CRA kept offline lives in this browser's IndexedDB only: a key this browser does not hold
  // shows the page's « n'est plus en attente sur cet appareil » message (the offline test,
  // e2e/hors-ligne.test.mjs, looks at the page with a CRA in it).
  "/activites/en-attente/:cle": async () => ({ cle: crypto.randomUUID() }),
  // The visitor's first discussion channel (the national « Général » every account is in) and the
  // topic with the latest activity there.
  "/discussion/:canal": async ({ api }) => ({ canal: await premier(api, "/api/discussion/canaux", "canal de discussion") }),
  "/discussion/:canal/:sujet": async ({ api }) => {
    const canal = await premier(api, "/api/discussion/canaux", "canal de discussion");
    return { canal, sujet: await premier(api, `/api/discussion/canaux/${canal}/sujets`, "sujet de discussion") };
  },
  // A public share link of the demo mediator's own figures.
  "/partage/statistiques/:jeton": async ({ mediatrice }) => {
    const p = await mediatrice.request("POST", "/api/statistiques/partages", { titre: "Mise en page", requete: "perimetre=moi" });
    return { jeton: p.url.split("/").pop() };
  }
};

// Routes that send some visitors elsewhere by design: the expected landing path for a visitor,
// or null for the route itself. The sign-up steps are for an account without any role: the demo
// accounts, who have one, are taken to « Premiers pas » (e2e/inscription.test.mjs looks at the
// steps themselves).
export const REDIRECTIONS = {
  "/inscription/parcours": ({ roles }) => (roles?.length ? "/premiers-pas" : null)
};

/** The concrete path of a route for a visitor; throws when a parameter has no provider. */
export async function cheminConcret(route, ctx) {
  const names = [...route.path.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map(m => m[1]);
  if (route.path === "/*") return "/page-introuvable-mise-en-page";
  if (!names.length) return route.path;
  const provider = PARAMETRES[route.path];
  if (!provider) throw new Error(`no value for ${names.map(n => `:${n}`).join(", ")}: add "${route.path}" to web/e2e/mise-en-page/parametres.mjs`);
  const values = await provider(ctx);
  return route.path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_, n) => {
    if (values[n] === undefined || values[n] === null || values[n] === "") throw new Error(`the provider of ${route.path} gave no :${n}`);
    return encodeURIComponent(String(values[n]));
  });
}
