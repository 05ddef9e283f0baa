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

const premier = async (api, path, what) => {
  const r = await api.request("GET", path);
  const item = (r.items ?? [])[0];
  if (!item) throw new Error(`${what}: ${path} lists nothing for this user (demo data)`);
  return item.id;
};

export const PARAMETRES = {
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
  // A public share link of the demo mediator's own figures.
  "/partage/statistiques/:jeton": async ({ mediatrice }) => {
    const p = await mediatrice.request("POST", "/api/statistiques/partages", { titre: "Mise en page", requete: "perimetre=moi" });
    return { jeton: p.url.split("/").pop() };
  }
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
