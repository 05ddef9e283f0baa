// Checks docs/openapi.json: valid OpenAPI 3.0, in step with the router (`coop routes`), and, when a
// server runs, served as is and obeyed by the responses.
//
//   node --test tests/api/
//
// Environment:
//   COOP_BIN        the coop binary (default: build/coop under the repository root)
//   COOP_BASE_URL   a running server, e.g. http://127.0.0.1:8080 (enables the live checks)
//   COOP_NO_SERVER  set to 1 to state that this run has no server: the live test is then skipped
//                   (without it, a missing COOP_BASE_URL fails the live test)
//   COOP_ADMIN_EMAIL, COOP_ADMIN_PASSWORD
//                   an administrator of that server (e.g. admin@coop.example with `coop serve --demo`):
//                   enables the logged-in walk (it creates an invitation and accepts it)
//
// The OpenAPI validator (@readme/openapi-parser, which brings ajv) is resolved from web/node_modules:
// run `npm ci` in web/ first.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const specPath = path.join(repoRoot, "docs", "openapi.json");
const specText = readFileSync(specPath, "utf8");
const spec = JSON.parse(specText);

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const STATE_CHANGING = new Set(["post", "put", "patch", "delete"]);
const ROLES = ["mediateur", "coordinateur", "gestionnaire_structure", "admin", "territorial"];
const TAGS = ["Authentification", "Compte", "Utilisateurs", "Structures", "Équipe", "Invitations", "Référentiel", "Exploitation", "Activités", "Bénéficiaires", "Statistiques", "API publique", "Fichiers", "Discussion", "Ressources", "Lieux", "Évaluation"];
const API_SCOPES = ["statistiques", "activites", "structures", "lieux_activite", "utilisateurs", "ressources", "lieux"];
const WS_PATH = "/ws";

// ---------------------------------------------------------------------------------------------
// Helpers

const webRequire = createRequire(new URL("../../web/package.json", import.meta.url));
const VALIDATOR = "@readme/openapi-parser";

function loadValidator() {
  let entry;
  try {
    entry = webRequire.resolve(VALIDATOR);
  } catch {
    assert.fail(
      `${VALIDATOR} est introuvable dans web/node_modules : il doit figurer dans les devDependencies de web/package.json, puis lancer « npm ci » dans web/.`
    );
  }
  const parser = webRequire(entry);
  // ajv comes with the validator: resolve it from there, wherever npm placed it.
  const fromParser = createRequire(entry);
  const Ajv = fromParser("ajv").default ?? fromParser("ajv");
  return { parser, Ajv };
}

function operations(doc) {
  const out = [];
  for (const [p, item] of Object.entries(doc.paths ?? {}))
    for (const m of HTTP_METHODS) if (item[m]) out.push({ path: p, method: m, op: item[m] });
  return out;
}

function resolveRef(doc, obj) {
  let cur = obj;
  for (let i = 0; cur && cur.$ref && i < 10; i++) {
    assert.ok(cur.$ref.startsWith("#/"), `référence externe non prise en charge : ${cur.$ref}`);
    cur = cur.$ref
      .slice(2)
      .split("/")
      .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce((o, k) => (o == null ? undefined : o[k]), doc);
  }
  return cur;
}

// Access rule → what the document must say about it (and the reverse, route by route).
function checkAccessConsistency(where, method, op, doc) {
  const access = op["x-coop-access"];
  assert.equal(typeof access, "string", `${where} : extension x-coop-access manquante`);
  // Public API v1: an API client with a scope (HTTP Basic), never the session cookie, GET only.
  const clientScope = /^api_client\((\w+)\)$/.exec(access)?.[1];
  const valid =
    (clientScope !== undefined && API_SCOPES.includes(clientScope)) ||
    access === "anyone" ||
    access === "logged_in" ||
    (access.split("|").every((r) => ROLES.includes(r)) &&
      access.split("|").join("|") === ROLES.filter((r) => access.split("|").includes(r)).join("|"));
  assert.ok(valid, `${where} : x-coop-access « ${access} » invalide (anyone, logged_in, ou rôles dans l'ordre ${ROLES.join("|")})`);

  const security = op.security;
  assert.ok(Array.isArray(security), `${where} : security doit être déclaré explicitement`);
  const schemes = new Set(security.flatMap((s) => Object.keys(s)));
  if (clientScope) {
    assert.ok(schemes.has("apiClient") && !schemes.has("cookieAuth"), `${where} : API publique, doit exiger apiClient et pas cookieAuth`);
    assert.equal(method, "get", `${where} : l'API publique est en lecture seule`);
  } else if (access === "anyone") assert.ok(!schemes.has("cookieAuth"), `${where} : accessible à tous, ne doit pas exiger cookieAuth`);
  else assert.ok(schemes.has("cookieAuth"), `${where} : réservé (${access}), doit exiger cookieAuth`);
  if (STATE_CHANGING.has(method)) assert.ok(schemes.has("csrfToken"), `${where} : modifie l'état, doit exiger csrfToken`);
  else assert.ok(!schemes.has("csrfToken"), `${where} : lecture seule, ne doit pas exiger csrfToken`);

  const responses = op.responses ?? {};
  if (access !== "anyone") assert.ok(responses["401"], `${where} : réponse 401 manquante`);
  if (access !== "anyone" && access !== "logged_in") assert.ok(responses["403"], `${where} : réponse 403 (rôle) manquante`);
  if (STATE_CHANGING.has(method)) assert.ok(responses["403"], `${where} : réponse 403 (CSRF) manquante`);
  if (op.requestBody) {
    assert.ok(responses["400"], `${where} : corps de requête sans réponse 400`);
    assert.ok(responses["413"], `${where} : corps de requête sans réponse 413`);
  }
  for (const [status, r] of Object.entries(responses)) {
    const n = Number(status);
    if (n < 400) continue;
    const resolved = resolveRef(doc, r);
    const schema = resolved?.content?.["application/json"]?.schema;
    assert.ok(schema, `${where} : la réponse ${status} doit avoir un corps JSON`);
    const refs = schema.$ref ? [schema.$ref] : (schema.oneOf ?? []).map((s) => s.$ref);
    assert.ok(refs.includes("#/components/schemas/Error"), `${where} : la réponse ${status} doit utiliser le schéma Error`);
  }
}

function runRoutes() {
  const bin = process.env.COOP_BIN ? path.resolve(repoRoot, process.env.COOP_BIN) : path.join(repoRoot, "build", "coop");
  assert.ok(
    existsSync(bin),
    `binaire coop introuvable : ${bin} (construire avec « ninja -C build coop » ou indiquer son chemin dans COOP_BIN)`
  );
  const out = execFileSync(bin, ["routes"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 30_000 });
  const routes = JSON.parse(out);
  assert.ok(Array.isArray(routes) && routes.length > 0, "coop routes n'a affiché aucune route");
  for (const r of routes)
    assert.ok(
      typeof r.method === "string" && typeof r.path === "string" && typeof r.access === "string",
      `entrée de coop routes inattendue : ${JSON.stringify(r)}`
    );
  return routes;
}

// ---------------------------------------------------------------------------------------------
// (a) The document itself

test("docs/openapi.json est un document OpenAPI 3.0.3 valide", async () => {
  assert.equal(spec.openapi, "3.0.3");
  assert.equal(spec.info?.version, "0.1.0");
  assert.equal(spec.servers?.length, 1, "un seul serveur");
  assert.equal(spec.servers[0].url, "/");
  assert.equal(specText, JSON.stringify(spec, null, 2) + "\n", "docs/openapi.json doit être indenté de 2 espaces (JSON.stringify(doc, null, 2)) et finir par un saut de ligne");

  const { parser } = loadValidator();
  const result = await parser.validate(structuredClone(spec));
  assert.ok(result.valid, `document OpenAPI invalide :\n${result.valid ? "" : parser.compileErrors(result)}`);
  assert.deepEqual(result.warnings, [], `avertissements du validateur : ${JSON.stringify(result.warnings)}`);
  // Every $ref resolves (dereference throws otherwise).
  await parser.dereference(structuredClone(spec));
});

test("conventions du document : tags, accès, sécurité, erreurs", () => {
  assert.deepEqual(
    (spec.tags ?? []).map((t) => t.name),
    TAGS,
    "tags attendus, dans cet ordre"
  );
  const schemes = spec.components?.securitySchemes ?? {};
  assert.deepEqual(schemes.cookieAuth && { type: schemes.cookieAuth.type, in: schemes.cookieAuth.in, name: schemes.cookieAuth.name }, {
    type: "apiKey",
    in: "cookie",
    name: "coop_session"
  });
  assert.deepEqual(schemes.apiClient && { type: schemes.apiClient.type, scheme: schemes.apiClient.scheme }, { type: "http", scheme: "basic" });
  assert.deepEqual(schemes.csrfToken && { type: schemes.csrfToken.type, in: schemes.csrfToken.in, name: schemes.csrfToken.name }, {
    type: "apiKey",
    in: "header",
    name: "X-CSRF-Token"
  });

  const error = spec.components?.schemas?.Error;
  assert.deepEqual(error?.required, ["error"]);
  assert.deepEqual(error?.properties?.error?.required, ["code", "message"]);
  assert.ok(error?.properties?.error?.properties?.fields, "Error.error.fields manquant");
  assert.deepEqual(spec.components?.schemas?.RoleName?.enum, ROLES);

  const ids = new Set();
  for (const { path: p, method, op } of operations(spec)) {
    const where = `${method.toUpperCase()} ${p}`;
    assert.equal(op.tags?.length, 1, `${where} : un tag exactement`);
    assert.ok(TAGS.includes(op.tags[0]), `${where} : tag inconnu ${op.tags[0]}`);
    assert.ok(op.summary && op.description, `${where} : summary et description obligatoires`);
    assert.ok(op.operationId && !ids.has(op.operationId), `${where} : operationId absent ou en double`);
    ids.add(op.operationId);
    assert.ok(
      Object.keys(op.responses ?? {}).some((s) => /^[12]\d\d$/.test(s)),
      `${where} : aucune réponse de succès documentée`
    );
    checkAccessConsistency(where, method, op, spec);
  }
  const ws = spec.paths?.[WS_PATH]?.get;
  assert.ok(ws, "GET /ws (WebSocket) doit être décrit");
  assert.ok(ws.responses?.["101"], "GET /ws : réponse 101 manquante");
  assert.match(ws.description, /WebSocket/);
});

// ---------------------------------------------------------------------------------------------
// (b) Document and router agree

test("chaque route de « coop routes » est documentée, et chaque opération documentée existe", () => {
  const routes = runRoutes();
  const problems = [];
  const registered = new Set();
  for (const r of routes) {
    const method = r.method.toLowerCase();
    const key = `${r.method.toUpperCase()} ${r.path}`;
    registered.add(key);
    const op = spec.paths?.[r.path]?.[method];
    if (!op) {
      problems.push(`non documentée : ${key} (accès ${r.access})`);
      continue;
    }
    if (op["x-coop-access"] !== r.access)
      problems.push(`${key} : x-coop-access = ${JSON.stringify(op["x-coop-access"])}, coop routes affiche ${JSON.stringify(r.access)}`);
  }
  for (const { path: p, method } of operations(spec)) {
    if (p === WS_PATH) continue;
    const key = `${method.toUpperCase()} ${p}`;
    if (!registered.has(key)) problems.push(`documentée mais absente du routeur : ${key}`);
  }
  assert.deepEqual(problems, [], `écarts entre docs/openapi.json et coop routes :\n  ${problems.join("\n  ")}`);
});

// ---------------------------------------------------------------------------------------------
// (c) A running server serves this document and answers as it says

test("serveur en marche : /api/openapi.json et réponses conformes au document", async (t) => {
  const base = process.env.COOP_BASE_URL;
  if (!base) {
    if (process.env.COOP_NO_SERVER === "1") {
      t.skip("COOP_NO_SERVER=1 : pas de serveur pour ce lancement");
      return;
    }
    assert.fail(
      "COOP_BASE_URL n'est pas défini : démarrer un serveur (coop serve) et indiquer son URL dans COOP_BASE_URL, ou déclarer COOP_NO_SERVER=1 si ce lancement n'a pas de serveur."
    );
  }
  const url = (p) => new URL(p, base.endsWith("/") ? base : base + "/").toString();
  const { parser, Ajv } = loadValidator();
  const deref = await parser.dereference(structuredClone(spec));
  // OpenAPI 3.0 schemas: ajv knows `nullable`; formats are not checked (no ajv-formats) and the
  // OpenAPI-only keywords (example, discriminator without `oneOf` mapping checks…) are ignored.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });

  async function call(method, p, init = {}) {
    const res = await fetch(url(p), { method, redirect: "manual", ...init });
    const text = await res.text();
    return { res, text };
  }

  // Checks a response against the documented operation: status documented, body valid.
  function conforms(docPath, method, res, text) {
    const where = `${method.toUpperCase()} ${docPath} → ${res.status}`;
    const op = deref.paths[docPath]?.[method];
    assert.ok(op, `${method.toUpperCase()} ${docPath} non documentée`);
    const documented = op.responses[String(res.status)];
    assert.ok(documented, `${where} : statut non documenté (documentés : ${Object.keys(op.responses).join(", ")}) ; corps : ${text.slice(0, 300)}`);
    const media = documented.content ? Object.keys(documented.content) : [];
    if (media.length === 0) {
      assert.equal(text, "", `${where} : corps inattendu`);
      return;
    }
    const type = (res.headers.get("content-type") ?? "").split(";")[0].trim();
    assert.ok(media.includes(type), `${where} : Content-Type ${type}, documenté ${media.join(", ")}`);
    if (type !== "application/json") return;
    const body = JSON.parse(text);
    const validate = ajv.compile(documented.content[type].schema);
    assert.ok(validate(body), `${where} : corps non conforme : ${ajv.errorsText(validate.errors)}\n${text.slice(0, 500)}`);
    return body;
  }

  await t.test("GET /api/openapi.json renvoie docs/openapi.json", async () => {
    const { res, text } = await call("GET", "/api/openapi.json");
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
    assert.deepEqual(JSON.parse(text), spec, "le document servi diffère de docs/openapi.json (reconstruire le serveur ?)");
  });

  await t.test("GET /api/health est conforme au schéma Health", async () => {
    const { res, text } = await call("GET", "/api/health");
    assert.ok([200, 503].includes(res.status), `statut ${res.status}`);
    const body = conforms("/api/health", "get", res, text);
    assert.deepEqual(Object.keys(body).sort(), ["database", "status", "version"]);
    assert.equal(body.status, res.status === 200 ? "ok" : "degraded");
  });

  await t.test("réponses anonymes conformes au document", async () => {
    const cases = [
      ["GET", "/api/me", "/api/me", 401],
      ["GET", "/api/users", "/api/users", 401],
      ["GET", "/api/structures/1", "/api/structures/{id}", 401],
      ["GET", "/api/invitations/jeton-inconnu", "/api/invitations/{token}", 404],
      ["GET", "/api/communes?q=lyon&limit=3", "/api/communes", 200],
      ["GET", "/api/communes?limit=0", "/api/communes", 400],
      ["GET", "/api/communes/00000", "/api/communes/{code}", 404],
      ["GET", "/api/departements", "/api/departements", 200],
      ["GET", "/api/regions", "/api/regions", 200],
      ["POST", "/api/auth/login", "/api/auth/login", 403] // no X-CSRF-Token
    ];
    for (const [method, p, docPath, expected] of cases) {
      const init = method === "POST" ? { headers: { "content-type": "application/json" }, body: "{}" } : {};
      const { res, text } = await call(method, p, init);
      assert.equal(res.status, expected, `${method} ${p} : statut ${res.status}, attendu ${expected} ; ${text.slice(0, 300)}`);
      conforms(docPath, method.toLowerCase(), res, text);
    }
  });

  await t.test("connexion : CSRF et validation conformes", async () => {
    // First request without cookies: the server sets coop_csrf.
    const first = await fetch(url("/api/health"));
    await first.text();
    const setCookie = first.headers.getSetCookie?.() ?? [first.headers.get("set-cookie") ?? ""];
    const csrf = setCookie.map((c) => /^coop_csrf=([^;]*)/.exec(c)?.[1]).find(Boolean);
    assert.ok(csrf, `cookie coop_csrf non posé : ${JSON.stringify(setCookie)}`);
    const headers = { "content-type": "application/json", cookie: `coop_csrf=${csrf}`, "x-csrf-token": csrf };
    let r = await call("POST", "/api/auth/login", { headers, body: "{}" });
    assert.equal(r.res.status, 400);
    const body = conforms("/api/auth/login", "post", r.res, r.text);
    assert.equal(body.error.code, "validation");
    assert.ok(body.error.fields?.email && body.error.fields?.password, "fields.email et fields.password attendus");
    r = await call("POST", "/api/auth/login", { headers, body: "pas du json" });
    assert.equal(r.res.status, 400);
    assert.equal(conforms("/api/auth/login", "post", r.res, r.text).error.code, "json_invalide");
    r = await call("POST", "/api/auth/login", {
      headers,
      body: JSON.stringify({ email: "personne@exemple.invalid", password: "mauvais mot de passe" })
    });
    assert.ok([401, 429].includes(r.res.status), `statut ${r.res.status}`);
    conforms("/api/auth/login", "post", r.res, r.text);
  });

  await t.test("parcours d'un administrateur conforme au document", async (st) => {
    const email = process.env.COOP_ADMIN_EMAIL;
    const password = process.env.COOP_ADMIN_PASSWORD;
    if (!email || !password) {
      st.skip("COOP_ADMIN_EMAIL / COOP_ADMIN_PASSWORD non définis (par exemple admin@coop.example avec coop serve --demo)");
      return;
    }
    const jar = new Map();
    const keep = (res) => {
      for (const c of res.headers.getSetCookie?.() ?? []) {
        const m = /^([^=]+)=([^;]*)/.exec(c);
        if (m) m[2] === "" ? jar.delete(m[1]) : jar.set(m[1], m[2]);
      }
    };
    // Calls `p` as the logged-in admin and checks the answer against the operation `docPath`.
    const as = async (method, p, docPath, body, expected) => {
      const headers = { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; ") };
      if (jar.has("coop_csrf")) headers["x-csrf-token"] = jar.get("coop_csrf");
      if (body !== undefined) headers["content-type"] = "application/json";
      const { res, text } = await call(method, p, { headers, body: body === undefined ? undefined : JSON.stringify(body) });
      keep(res);
      if (expected) assert.equal(res.status, expected, `${method} ${p} : statut ${res.status} ; ${text.slice(0, 300)}`);
      return conforms(docPath, method.toLowerCase(), res, text);
    };
    await as("GET", "/api/health", "/api/health");
    const me = await as("POST", "/api/auth/login", "/api/auth/login", { email, password }, 200);
    assert.ok(me.roles.some((r) => r.role === "admin"), "le compte COOP_ADMIN_EMAIL doit être administrateur");
    assert.ok(jar.has("coop_session"), "cookie coop_session non posé");
    await as("GET", "/api/me", "/api/me", undefined, 200);
    await as("PATCH", "/api/me", "/api/me", {}, 200);
    await as("PATCH", "/api/me", "/api/me", { email: "pas-une-adresse" }, 400);
    await as("POST", "/api/me/password", "/api/me/password", { current_password: "x", new_password: "court" }, 400);
    const users = await as("GET", "/api/users?per_page=5", "/api/users", undefined, 200);
    await as("GET", "/api/users?role=inconnu", "/api/users", undefined, 400);
    await as("GET", `/api/users/${users.items[0].id}`, "/api/users/{id}", undefined, 200);
    await as("GET", "/api/users/0", "/api/users/{id}", undefined, 404);
    const structures = await as("GET", "/api/structures", "/api/structures", undefined, 200);
    await as("POST", "/api/structures", "/api/structures", { nom: "", siret: "123", commune_insee: "00000" }, 400);
    if (structures.items.length) {
      const sid = structures.items[0].id;
      await as("GET", `/api/structures/${sid}`, "/api/structures/{id}", undefined, 200);
      await as("PATCH", `/api/structures/${sid}`, "/api/structures/{id}", {}, 200);
      const emp = await as("GET", `/api/structures/${sid}/employes`, "/api/structures/{id}/employes", undefined, 200);
      if (emp.items.length)
        await as("PATCH", `/api/structures/${sid}/employes/${emp.items[0].id}`, "/api/structures/{id}/employes/{eid}", {}, 200);
    }
    await as("GET", "/api/mediateurs", "/api/mediateurs", undefined, 200);
    await as("GET", "/api/equipe", "/api/equipe", undefined);  // 403 unless the admin is also coordinateur
    await as("GET", "/api/audit?per_page=10", "/api/audit", undefined, 200);
    // An invitation, its page, its acceptance (a new account), then it is used.
    const invited = `openapi-test-${Date.now()}@exemple.fr`;
    const inv = await as("POST", "/api/invitations", "/api/invitations", { email: invited, role: "mediateur" }, 201);
    await as("GET", "/api/invitations", "/api/invitations", undefined, 200);
    const token = new URL(inv.lien).pathname.split("/").pop();
    await as("GET", `/api/invitations/${token}`, "/api/invitations/{token}", undefined, 200);
    await as("POST", "/api/auth/logout", "/api/auth/logout", undefined, 204);
    assert.ok(!jar.has("coop_session"), "cookie coop_session non effacé");
    await as("GET", "/api/me", "/api/me", undefined, 401);
    await as("POST", `/api/invitations/${token}/accept`, "/api/invitations/{token}/accept", { nom: "Test", prenom: "OpenAPI", password: "court" }, 400);
    const created = await as(
      "POST",
      `/api/invitations/${token}/accept`,
      "/api/invitations/{token}/accept",
      { nom: "Test", prenom: "OpenAPI", password: "un mot de passe assez long" },
      200
    );
    assert.equal(created.email, invited);
    await as("GET", `/api/invitations/${token}`, "/api/invitations/{token}", undefined, 410);
    await as("GET", "/api/users", "/api/users", undefined, 403);
    await as("POST", "/api/auth/logout", "/api/auth/logout", undefined, 204);
  });

  await t.test("méthode non prise en charge : 405 avec Allow", async () => {
    const { res, text } = await call("DELETE", "/api/me", { headers: {} });
    // DELETE is state-changing but 405 is decided before CSRF.
    assert.equal(res.status, 405, text);
    assert.match(res.headers.get("allow") ?? "", /GET/);
    const schema = deref.components.responses.MethodNotAllowed.content["application/json"].schema;
    const validate = ajv.compile(schema);
    assert.ok(validate(JSON.parse(text)), ajv.errorsText(validate.errors));
  });
});
