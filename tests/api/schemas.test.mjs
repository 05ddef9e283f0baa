// The document is true at runtime: the real answers of the endpoints the web front end uses, given
// by a live server with demo data (`coop serve --demo`), are validated against their documented
// schemas in docs/openapi.json, *closed*: every object schema of a response refuses a property it
// does not list, and must list each of its properties as required. So a field added, renamed or
// removed on one side only (server or document) fails this test. The web's TypeScript types are
// generated from the same document (npm run gen:types).
//
//   COOP_BASE_URL=http://127.0.0.1:8080 node --test tests/api/schemas.test.mjs
//
// Environment:
//   COOP_BASE_URL       a running `coop serve --demo` (demo accounts, see README.md)
//   COOP_NO_SERVER=1    states that this run has no server: the live test is then skipped
//                       (without it, a missing COOP_BASE_URL fails)
//   COOP_DEMO_PASSWORD  password of the demo accounts (default: coop-demo-2026!)
//
// The JSON bodies the server accepts are also validated against the documented request schemas
// (closed too: no undocumented field).
//
// It creates, as the demo users, activities, beneficiaries, tags, a coordination activity and an API
// client, and removes them again (activities and beneficiaries stay in their bins, one beneficiary is
// erased, the API client is revoked), plus a lieu d'activité over a past week, which stays.
// The validators (@readme/openapi-parser and the ajv it brings) come from web/node_modules.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const spec = JSON.parse(readFileSync(path.join(repoRoot, "docs", "openapi.json"), "utf8"));
const PASSWORD = process.env.COOP_DEMO_PASSWORD ?? "coop-demo-2026!";
const DEMO = {
  admin: "admin@coop.example",
  coordination: "coordination@coop.example",
  gestion: "gestion@coop.example",
  mediatrice: "mediatrice@coop.example"
};

// Properties a response may leave out (documented as such), "Schema.property" or "Schema.a.b".
const OPTIONAL_IN_RESPONSES = new Set([
  "Error.error.fields", // only for `validation` and some `doublon` errors
  "Health.database.detail" // only when the database is unavailable
]);

const webRequire = createRequire(new URL("../../web/package.json", import.meta.url));
function validators() {
  let entry;
  try {
    entry = webRequire.resolve("@readme/openapi-parser");
  } catch {
    assert.fail("@readme/openapi-parser est introuvable dans web/node_modules : lancer « npm ci » dans web/.");
  }
  const parser = webRequire(entry);
  const fromParser = createRequire(entry);
  const Ajv = fromParser("ajv").default ?? fromParser("ajv");
  return { parser, Ajv };
}

// ---------------------------------------------------------------------------------------------
// OpenAPI 3.0 schema (dereferenced) → closed JSON schema for ajv

/** Name of each component schema object, to name the schema of a problem. */
function schemaNames(deref) {
  const names = new Map();
  for (const [k, v] of Object.entries(deref.components.schemas)) names.set(v, k);
  return names;
}

/**
 * Closed copy of an OpenAPI 3.0 schema: allOf merged into one object, `nullable` turned into
 * `anyOf [schema, null]`, `additionalProperties: false` on every object that lists properties
 * (named in `x-where`, which ajv ignores, for the messages of `requiredProblems`).
 */
function closer(names) {
  const memo = new Map();
  const close = (s, where) => {
    if (!s || typeof s !== "object") return s;
    const name = names.get(s);
    where = name ?? where;
    const key = s;
    if (memo.has(key)) return memo.get(key);
    const { nullable, allOf, description, example, ...rest } = s;
    let out = { ...rest };
    if (out.properties)
      out.properties = Object.fromEntries(Object.entries(out.properties).map(([k, v]) => [k, close(v, `${where}.${k}`)]));
    if (out.items) out.items = close(out.items, `${where}[]`);
    if (out.additionalProperties && typeof out.additionalProperties === "object")
      out.additionalProperties = close(out.additionalProperties, `${where}{}`);
    for (const k of ["oneOf", "anyOf"]) if (out[k]) out[k] = out[k].map((x) => close(x, where));
    for (const part of allOf ?? []) {
      const p = close(part, where);
      assert.ok(!p.anyOf, `${where} : allOf d'un schéma nullable non pris en charge`);
      out = {
        ...out,
        ...p,
        type: out.type ?? p.type,
        properties: { ...(out.properties ?? {}), ...(p.properties ?? {}) },
        required: [...new Set([...(out.required ?? []), ...(p.required ?? [])])]
      };
      if (Object.keys(out.properties).length === 0) delete out.properties;
      if (out.required.length === 0) delete out.required;
    }
    if (out.properties) {
      if (out.additionalProperties === undefined) out.additionalProperties = false;
      out["x-where"] = where;
    }
    const result = nullable ? { anyOf: [out, { type: "null" }] } : out;
    memo.set(key, result);
    return result;
  };
  return close;
}

/** Adds to `problems` each property of a closed schema that is not required (nor excepted). */
function requiredProblems(schema, problems, seen = new Set()) {
  if (!schema || typeof schema !== "object" || seen.has(schema)) return;
  seen.add(schema);
  if (schema.properties) {
    const required = new Set(schema.required ?? []);
    for (const k of Object.keys(schema.properties))
      if (!required.has(k) && !OPTIONAL_IN_RESPONSES.has(`${schema["x-where"]}.${k}`))
        problems.add(`${schema["x-where"]}.${k} : propriété de réponse non marquée required`);
  }
  for (const v of Object.values(schema)) {
    if (Array.isArray(v)) for (const x of v) requiredProblems(x, problems, seen);
    else if (v && typeof v === "object") requiredProblems(v, problems, seen);
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

async function strictValidator() {
  const { parser, Ajv } = validators();
  const deref = await parser.dereference(structuredClone(spec));
  const problems = new Set();
  const close = closer(schemaNames(deref));
  // Formats: calendar dates and instants are checked; the others (int64, binary, email…) are not.
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    formats: { date: DATE, "date-time": DATE_TIME, int64: true, int32: true, binary: true, email: true, uri: true, password: true }
  });
  const compiled = new Map();
  /** Validates `body` against `schema` (OpenAPI, dereferenced), closed; a response schema must require all its properties. */
  const check = (schema, body, where, { request = false } = {}) => {
    if (!compiled.has(schema)) {
      const closed = close(schema, where);
      if (!request) requiredProblems(closed, problems);
      compiled.set(schema, ajv.compile(closed));
    }
    const validate = compiled.get(schema);
    const ok = validate(body);
    return ok ? null : ajv.errorsText(validate.errors, { separator: "\n  " });
  };
  return { deref, check, problems };
}

// ---------------------------------------------------------------------------------------------
// The check itself can fail: a field added, renamed or removed on one side is refused.

test("la validation fermée refuse un champ ajouté, renommé ou retiré", async () => {
  const { deref, check } = await strictValidator();
  const schema = deref.components.schemas.Tag;
  const tag = {
    id: 1,
    nom: "Numérique",
    portee: "personnel",
    departement: null,
    proprietaire_id: 3,
    utilisations: 0,
    supprimable: true,
    created_at: "2026-11-28T21:04:10.123Z"
  };
  assert.equal(check(schema, tag, "Tag"), null);
  assert.match(check(schema, { ...tag, couleur: "bleu" }, "Tag") ?? "", /additional properties/);
  const { nom, ...withoutNom } = tag;
  assert.match(check(schema, { ...withoutNom, libelle: nom }, "Tag") ?? "", /nom/);
  assert.match(check(schema, withoutNom, "Tag") ?? "", /required property 'nom'/);
  assert.match(check(schema, { ...tag, portee: "national" }, "Tag") ?? "", /allowed values/);
  assert.match(check(schema, { ...tag, created_at: "hier" }, "Tag") ?? "", /format/);
  // Through allOf (ApiClientCreated = ApiClient + client_secret) and nullable (Activite.beneficiaire).
  const created = deref.components.schemas.ApiClientCreated;
  const client = {
    id: 1,
    nom: "x",
    client_id: "coop_x",
    scopes: ["activites"],
    valide_du: "2026-01-01",
    valide_au: null,
    created_by: null,
    created_at: "2026-11-28T21:04:10Z",
    revoked_at: null,
    actif: true
  };
  assert.match(check(created, client, "ApiClientCreated") ?? "", /client_secret/);
  assert.equal(check(created, { ...client, client_secret: "s" }, "ApiClientCreated"), null);
  assert.match(check(created, { ...client, client_secret: "s", secret: "s" }, "ApiClientCreated") ?? "", /additional/);
  const benef = deref.components.schemas.Activite.properties.beneficiaire;
  assert.equal(check(benef, null, "Activite.beneficiaire"), null);
  assert.equal(check(benef, { id: 1, anonyme: false, prenom: "A", nom: "B" }, "Activite.beneficiaire"), null);
  assert.ok(check(benef, { id: 1, anonyme: false, prenom: "A" }, "Activite.beneficiaire"));
});

// ---------------------------------------------------------------------------------------------
// Live: the demo users walk through the API as the web does

test("serveur en marche : réponses réelles conformes aux schémas documentés (fermés)", async (t) => {
  const base = process.env.COOP_BASE_URL;
  if (!base) {
    if (process.env.COOP_NO_SERVER === "1") {
      t.skip("COOP_NO_SERVER=1 : pas de serveur pour ce lancement");
      return;
    }
    assert.fail("COOP_BASE_URL n'est pas défini : démarrer « coop serve --demo » et indiquer son URL, ou déclarer COOP_NO_SERVER=1.");
  }
  const url = (p) => new URL(p, base.endsWith("/") ? base : base + "/").toString();
  const { deref, check, problems } = await strictValidator();
  const checked = new Set(); // "METHOD /doc/path status"

  /** A logged-in demo user (null: anonymous): a cookie jar and calls checked against the document. */
  async function session(email) {
    const jar = new Map();
    const keep = (res) => {
      for (const c of res.headers.getSetCookie?.() ?? []) {
        const m = /^([^=]+)=([^;]*)/.exec(c);
        if (m) m[2] === "" ? jar.delete(m[1]) : jar.set(m[1], m[2]);
      }
    };
    const call = async (method, p, docPath, { json, raw, contentType, expected } = {}) => {
      const headers = { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; ") };
      if (method !== "GET") headers["x-csrf-token"] = jar.get("coop_csrf") ?? "";
      let body;
      if (json !== undefined) {
        headers["content-type"] = "application/json";
        body = JSON.stringify(json);
      } else if (raw !== undefined) {
        headers["content-type"] = contentType;
        body = raw;
      }
      const res = await fetch(url(p), { method, headers, body, redirect: "manual" });
      const text = await res.text();
      keep(res);
      const where = `${method} ${p} (${docPath}) → ${res.status}`;
      if (expected !== undefined) assert.equal(res.status, expected, `${where} ; attendu ${expected} ; ${text.slice(0, 400)}`);
      const op = deref.paths[docPath]?.[method.toLowerCase()];
      assert.ok(op, `${method} ${docPath} non documentée`);
      const documented = op.responses[String(res.status)];
      assert.ok(documented, `${where} : statut non documenté (${Object.keys(op.responses).join(", ")}) ; ${text.slice(0, 300)}`);
      checked.add(`${method} ${docPath} ${res.status}`);
      // An accepted JSON body is one the document describes (no undocumented field).
      if (json !== undefined && res.status < 300) {
        const schema = op.requestBody?.content?.["application/json"]?.schema;
        assert.ok(schema, `${method} ${docPath} : corps de requête JSON non documenté`);
        const error = check(schema, json, `${method} ${docPath} requête`, { request: true });
        assert.equal(error, null, `${where} : le corps accepté par le serveur n'est pas conforme au document :\n  ${error}`);
      }
      const media = Object.keys(documented.content ?? {});
      if (media.length === 0) {
        assert.equal(text, "", `${where} : corps inattendu`);
        return undefined;
      }
      const type = (res.headers.get("content-type") ?? "").split(";")[0].trim();
      assert.ok(media.includes(type), `${where} : Content-Type ${type}, documenté ${media.join(", ")}`);
      if (type !== "application/json") return text;
      const parsed = JSON.parse(text);
      const error = check(documented.content[type].schema, parsed, `${method} ${docPath} ${res.status}`);
      assert.equal(error, null, `${where} : corps non conforme au document :\n  ${error}\n${text.slice(0, 600)}`);
      return parsed;
    };
    await call("GET", "/api/health", "/api/health");
    if (email === null) return call; // anonymous: the CSRF cookie only
    await call("POST", "/api/auth/login", "/api/auth/login", { json: { email, password: PASSWORD }, expected: 200 });
    assert.ok(jar.has("coop_session"), `${email} : pas de session (compte de démonstration absent ?)`);
    return call;
  }

  await t.test("médiatrice : référentiel, activités, lieux, étiquettes", async () => {
    const as = await session(DEMO.mediatrice);
    await as("GET", "/api/me", "/api/me", { expected: 200 });
    const ref = await as("GET", "/api/activites/referentiel", "/api/activites/referentiel", { expected: 200 });
    // The référentiel's code lists are the document's enums, in the same order.
    const codes = (name) => deref.components.schemas[name].enum;
    for (const [list, name] of [
      ["types", "TypeActivite"],
      ["types_lieu", "TypeLieu"],
      ["materiel", "Materiel"],
      ["thematiques", "Thematique"],
      ["demarches", "Demarche"],
      ["autonomie", "Autonomie"],
      ["structures_de_redirection", "StructureRedirection"],
      ["niveaux", "Niveau"],
      ["genres", "Genre"],
      ["tranches_age", "TrancheAge"],
      ["statuts_social", "StatutSocial"],
      ["deja_accompagne", "DejaAccompagne"],
      ["portees_tag", "PorteeTag"]
    ])
      assert.deepEqual(ref[list].map((c) => c.code), codes(name), `référentiel ${list} ≠ schéma ${name}`);

    const page = await as("GET", "/api/activites?limite=5", "/api/activites", { expected: 200 });
    assert.ok(page.items.length > 0, "la médiatrice de démonstration a des activités");
    if (page.suivant)
      await as("GET", `/api/activites?limite=5&apres=${encodeURIComponent(page.suivant)}`, "/api/activites", { expected: 200 });
    await as("GET", "/api/activites?type=collectif&tri=-duree&limite=20", "/api/activites", { expected: 200 });
    await as("GET", "/api/activites?thematique=inconnue", "/api/activites", { expected: 400 });
    await as("GET", `/api/activites/${page.items[0].id}`, "/api/activites/{id}", { expected: 200 });
    await as("GET", "/api/activites/0", "/api/activites/{id}", { expected: 404 });
    const csv = await as("GET", "/api/activites/export.csv", "/api/activites/export.csv", { expected: 200 });
    assert.match(csv, /;/);

    const lieux = await as("GET", "/api/lieux-activite", "/api/lieux-activite", { expected: 200 });
    // One of her lieux again over a free past week (today's form is unchanged), its end moved, a bad period.
    assert.ok(lieux.items.length > 0, "la médiatrice de démonstration a des lieux d'activité");
    const structureId = lieux.items[0].structure_id;
    const day = (d) => d.toISOString().slice(0, 10);
    let debut, fin;
    for (let k = 0; k < 150 && !debut; k++) {
      const d = new Date(Date.UTC(2020, 0, 6 + 7 * k));
      const [a, b] = [day(d), day(new Date(d.getTime() + 4 * 86400e3))];
      if (!lieux.items.some((l) => l.structure_id === structureId && l.debut <= b && (l.fin === null || l.fin >= a))) [debut, fin] = [a, b];
    }
    assert.ok(debut, "une semaine libre entre 2020 et 2022");
    const l = await as("POST", "/api/lieux-activite", "/api/lieux-activite", {
      json: { structure_id: structureId, debut, fin: day(new Date(Date.parse(debut) + 2 * 86400e3)) },
      expected: 201
    });
    await as("PATCH", `/api/lieux-activite/${l.id}`, "/api/lieux-activite/{id}", { json: { fin }, expected: 200 });
    await as("PATCH", `/api/lieux-activite/${l.id}`, "/api/lieux-activite/{id}", { json: { fin: "2019-12-31" }, expected: 400 });
    await as("POST", "/api/lieux-activite", "/api/lieux-activite", { json: { structure_id: 0 }, expected: 400 });
    const tags = await as("GET", "/api/tags", "/api/tags", { expected: 200 });
    const tag = await as("POST", "/api/tags", "/api/tags", { json: { nom: `Schéma ${Date.now()}`, portee: "personnel" }, expected: 201 });
    await as("POST", "/api/tags", "/api/tags", { json: { nom: "", portee: "galactique" }, expected: 400 });

    // A followed beneficiary, an individual CRA with it, then the whole life of that CRA.
    const benef = await as("POST", "/api/beneficiaires", "/api/beneficiaires", {
      json: { prenom: "Schéma", nom: `Contrôle ${Date.now()}`, annee_naissance: 1960, genre: "feminin", tranche_age: "soixante_soixante_neuf", commune_insee: "69123" },
      expected: 201
    });
    const today = ref.aujourdhui;
    const lieu = ref.lieux[0];
    const where = lieu ? { type_lieu: "lieu_activite", lieu_activite_id: lieu.structure_id } : { type_lieu: "domicile", commune_insee: "69123" };
    const body = {
      type: "individuel",
      date: today,
      duree: 45,
      ...where,
      materiel: ["ordinateur"],
      thematiques: ["email", "aide_aux_demarches_administratives"],
      demarches: ["social_sante"],
      notes: "Contrôle du document",
      tags: [tag.id],
      beneficiaire_id: benef.id,
      autonomie: "partiellement_autonome",
      oriente_vers_structure: true,
      structure_de_redirection: "aide_sociale"
    };
    const a = await as("POST", "/api/activites", "/api/activites", { json: body, expected: 201 });
    assert.equal(a.beneficiaire?.id, benef.id);
    await as("POST", "/api/activites", "/api/activites", { json: { ...body, thematiques: [], duree: 0 }, expected: 400 });
    const b = await as("PUT", `/api/activites/${a.id}`, "/api/activites/{id}", { json: { ...body, duree: 60, version: a.version }, expected: 200 });
    await as("PUT", `/api/activites/${a.id}`, "/api/activites/{id}", { json: { ...body, version: a.version }, expected: 409 });
    const copy = await as("POST", `/api/activites/${b.id}/dupliquer`, "/api/activites/{id}/dupliquer", { expected: 201 });
    await as("DELETE", `/api/activites/${copy.id}`, "/api/activites/{id}", { expected: 204 });
    const bin = await as("GET", "/api/activites/corbeille", "/api/activites/corbeille", { expected: 200 });
    assert.ok(bin.items.some((x) => x.id === copy.id));
    await as("POST", `/api/activites/${copy.id}/restaurer`, "/api/activites/{id}/restaurer", { expected: 200 });
    await as("DELETE", `/api/activites/${copy.id}`, "/api/activites/{id}", { expected: 204 });

    // A workshop with a followed participant and anonymous ones.
    const atelier = await as("POST", "/api/activites", "/api/activites", {
      json: {
        type: "collectif",
        date: today,
        duree: 90,
        ...where,
        materiel: ["tablette"],
        thematiques: ["securite_numerique"],
        titre_atelier: "Contrôle du document",
        niveau: "debutant",
        participants: [benef.id],
        participants_anonymes: { total: 2, genre: { feminin: 1, masculin: 1 } }
      },
      expected: 201
    });
    assert.equal(atelier.participants_anonymes.total, 2);

    const detail = await as("GET", `/api/beneficiaires/${benef.id}`, "/api/beneficiaires/{id}", { expected: 200 });
    assert.equal(detail.activites.length, 2);
    await as("GET", `/api/beneficiaires/${benef.id}/export`, "/api/beneficiaires/{id}/export", { expected: 200 });
    for (const x of [a, atelier]) await as("DELETE", `/api/activites/${x.id}`, "/api/activites/{id}", { expected: 204 });
    await as("POST", `/api/beneficiaires/${benef.id}/effacer`, "/api/beneficiaires/{id}/effacer", { expected: 204 });
    await as("DELETE", `/api/tags/${tag.id}`, "/api/tags/{id}", { expected: 204 });
    assert.ok(Array.isArray(lieux.items) && Array.isArray(tags.items));
  });

  await t.test("médiatrice : bénéficiaires, doublons, fusion, import, export", async () => {
    const as = await session(DEMO.mediatrice);
    const list = await as("GET", "/api/beneficiaires?per_page=5", "/api/beneficiaires", { expected: 200 });
    assert.ok(list.items.length > 0, "la médiatrice de démonstration a des bénéficiaires");
    await as("GET", "/api/beneficiaires?q=a&page=2&per_page=3", "/api/beneficiaires", { expected: 200 });
    await as("GET", `/api/beneficiaires/${list.items[0].id}`, "/api/beneficiaires/{id}", { expected: 200 });
    await as("GET", "/api/beneficiaires/export.csv", "/api/beneficiaires/export.csv", { expected: 200 });

    // Two records of one person (same name and phone): a pair of duplicates, then merged.
    const nom = `Doublon${Date.now()}`;
    const one = await as("POST", "/api/beneficiaires", "/api/beneficiaires", {
      json: { prenom: "Paule", nom, telephone: "06 12 34 56 78", statut_social: "retraite" },
      expected: 201
    });
    const two = await as("POST", "/api/beneficiaires", "/api/beneficiaires", {
      json: { prenom: "Paule", nom, telephone: "0612345678", email: "paule@exemple.fr" },
      expected: 201
    });
    await as("POST", "/api/beneficiaires", "/api/beneficiaires", { json: { prenom: "X", nom: "Y", genre: "autre", annee_naissance: 1800 }, expected: 400 });
    const updated = await as("PUT", `/api/beneficiaires/${one.id}`, "/api/beneficiaires/{id}", {
      json: { prenom: "Paule", nom, telephone: "06 12 34 56 78", statut_social: "retraite", notes: "Vue deux fois", version: one.version },
      expected: 200
    });
    await as("PUT", `/api/beneficiaires/${one.id}`, "/api/beneficiaires/{id}", { json: { prenom: "Paule", nom, version: one.version }, expected: 409 });
    const doublons = await as("GET", "/api/beneficiaires/doublons", "/api/beneficiaires/doublons", { expected: 200 });
    assert.ok(doublons.items.some((d) => [d.a.id, d.b.id].includes(one.id) && [d.a.id, d.b.id].includes(two.id)), "paire de doublons attendue");
    const merged = await as("POST", `/api/beneficiaires/${updated.id}/fusionner`, "/api/beneficiaires/{id}/fusionner", {
      json: { source_id: two.id },
      expected: 200
    });
    assert.ok(merged.champs_completes.includes("email"));

    // Import: a CSV analysed (one valid row, one in error), then confirmed.
    const csv = `prenom;nom;annee_naissance;telephone\nImport;${nom};1970;06 11 22 33 44\nSans;;3000;abc\n`;
    const analyse = await as("POST", "/api/beneficiaires/import/analyse", "/api/beneficiaires/import/analyse", {
      raw: csv,
      contentType: "text/csv",
      expected: 200
    });
    assert.equal(analyse.valides, 1);
    assert.equal(analyse.invalides, 1);
    await as("POST", "/api/beneficiaires/import/analyse", "/api/beneficiaires/import/analyse", { raw: "PK\x03\x04rien", contentType: "text/csv", expected: 400 });
    const confirmed = await as("POST", `/api/beneficiaires/import/${analyse.import_id}/confirmer`, "/api/beneficiaires/import/{import_id}/confirmer", {
      expected: 200
    });
    assert.equal(confirmed.importes, 1);
    await as("POST", `/api/beneficiaires/import/${analyse.import_id}/confirmer`, "/api/beneficiaires/import/{import_id}/confirmer", { expected: 409 });

    const mine = await as("GET", `/api/beneficiaires?q=${encodeURIComponent(nom)}`, "/api/beneficiaires", { expected: 200 });
    const ids = mine.items.map((b) => b.id);
    assert.equal(ids.length, 2, "la fiche fusionnée et la fiche importée");
    const removed = await as("POST", "/api/beneficiaires/suppression", "/api/beneficiaires/suppression", { json: { ids }, expected: 200 });
    assert.equal(removed.supprimes, 2);
    // The bin: both are there, one restored alone, the other with the bulk restore, then deleted again.
    const bin = await as("GET", "/api/beneficiaires/corbeille", "/api/beneficiaires/corbeille", { expected: 200 });
    assert.deepEqual(bin.items.filter((b) => ids.includes(b.id)).map((b) => b.id).sort(), [...ids].sort());
    await as("POST", `/api/beneficiaires/${ids[0]}/restaurer`, "/api/beneficiaires/{id}/restaurer", { expected: 200 });
    await as("POST", "/api/beneficiaires/restauration", "/api/beneficiaires/restauration", { json: { ids }, expected: 200 });
    await as("POST", "/api/beneficiaires/restauration", "/api/beneficiaires/restauration", { json: { ids: [] }, expected: 400 });
    await as("POST", "/api/beneficiaires/suppression", "/api/beneficiaires/suppression", { json: { ids }, expected: 200 });
  });

  await t.test("coordination : équipe, activités de coordination, étiquette d'équipe", async () => {
    const as = await session(DEMO.coordination);
    await as("GET", "/api/equipe", "/api/equipe", { expected: 200 });
    await as("GET", "/api/coordination/activites?per_page=5", "/api/coordination/activites", { expected: 200 });
    const c = await as("POST", "/api/coordination/activites", "/api/coordination/activites", {
      json: { type: "animation", duree: 60, titre: "Contrôle du document", notes: "Réunion d'équipe", participants: 5 },
      expected: 201
    });
    await as("POST", "/api/coordination/activites", "/api/coordination/activites", { json: { type: "fete", duree: 0, titre: "" }, expected: 400 });
    await as("DELETE", `/api/coordination/activites/${c.id}`, "/api/coordination/activites/{id}", { expected: 204 });
    const tag = await as("POST", "/api/tags", "/api/tags", { json: { nom: `Équipe ${Date.now()}`, portee: "equipe" }, expected: 201 });
    await as("GET", "/api/tags", "/api/tags", { expected: 200 });
    await as("DELETE", `/api/tags/${tag.id}`, "/api/tags/{id}", { expected: 204 });
    await as("GET", "/api/activites", "/api/activites", {}); // 403 unless the coordinator is also a mediator
  });

  await t.test("discussion : canaux, sujets, messages, lecture, mentions, recherche, modération", async () => {
    const as = await session(DEMO.mediatrice);
    const coord = await session(DEMO.coordination);
    const admin = await session(DEMO.admin);
    await as("GET", "/api/discussion/etat", "/api/discussion/etat", { expected: 200 });
    const mine = await as("GET", "/api/discussion/canaux", "/api/discussion/canaux", { expected: 200 });
    const general = mine.items.find((c) => c.type === "general");
    const direct = mine.items.find((c) => c.type === "direct");
    assert.ok(general && direct, "Général et une conversation dans les données de démonstration");
    await as("GET", "/api/discussion/annuaire?q=aide", "/api/discussion/annuaire", { expected: 200 });
    await as("GET", `/api/discussion/canaux/${general.id}`, "/api/discussion/canaux/{id}", { expected: 200 });
    await as("GET", `/api/discussion/canaux/${direct.id}`, "/api/discussion/canaux/{id}", { expected: 200 });
    const sujets = await as("GET", `/api/discussion/canaux/${general.id}/sujets`, "/api/discussion/canaux/{id}/sujets", { expected: 200 });
    const page = await as("GET", `/api/discussion/canaux/${general.id}/messages?limite=5`, "/api/discussion/canaux/{id}/messages", { expected: 200 });
    await as("GET", `/api/discussion/canaux/${general.id}/messages?avant=${page.items[0].id}&sujet=${sujets.items[0].id}`, "/api/discussion/canaux/{id}/messages", { expected: 200 });
    await as("GET", `/api/discussion/canaux/${general.id}/messages?avant=1&apres=1`, "/api/discussion/canaux/{id}/messages", { expected: 400 });
    await as("GET", `/api/discussion/canaux/${general.id}/membres`, "/api/discussion/canaux/{id}/membres", { expected: 200 });
    await as("GET", `/api/discussion/canaux/${general.id}/epingles`, "/api/discussion/canaux/{id}/epingles", { expected: 200 });
    const t = await as("POST", "/api/discussion/canaux", "/api/discussion/canaux", {
      json: { type: "theme", nom: `Contrôle ${Date.now()}`, description: "Schémas" }, expected: 201,
    });
    await as("POST", "/api/discussion/canaux", "/api/discussion/canaux", { json: { type: "galaxie", nom: "" }, expected: 400 });
    const m = await as("POST", `/api/discussion/canaux/${t.id}/messages`, "/api/discussion/canaux/{id}/messages", {
      json: { sujet: "Schémas", texte: "Bonjour **tout le monde**, voir [mes activités](/activites)" }, expected: 201,
    });
    await as("POST", `/api/discussion/canaux/${t.id}/messages`, "/api/discussion/canaux/{id}/messages", { json: { texte: "" }, expected: 400 });
    await as("PATCH", `/api/discussion/messages/${m.id}`, "/api/discussion/messages/{id}", { json: { texte: "Bonjour à tous" }, expected: 200 });
    await as("PUT", `/api/discussion/messages/${m.id}/reactions/${encodeURIComponent("👍")}`, "/api/discussion/messages/{id}/reactions/{emoji}", { expected: 200 });
    await as("DELETE", `/api/discussion/messages/${m.id}/reactions/${encodeURIComponent("👍")}`, "/api/discussion/messages/{id}/reactions/{emoji}", { expected: 200 });
    await as("PUT", `/api/discussion/messages/${m.id}/epingle`, "/api/discussion/messages/{id}/epingle", { expected: 200 });
    await as("PATCH", `/api/discussion/sujets/${m.sujet_id}`, "/api/discussion/sujets/{id}", { json: { titre: "Schémas et réponses" }, expected: 200 });
    await as("PATCH", `/api/discussion/canaux/${t.id}`, "/api/discussion/canaux/{id}", { json: { description: "Contrôle du document" }, expected: 200 });
    await coord("POST", `/api/discussion/canaux/${t.id}/adhesion`, "/api/discussion/canaux/{id}/adhesion", { expected: 200 });
    const r = await coord("POST", `/api/discussion/canaux/${t.id}/messages`, "/api/discussion/canaux/{id}/messages", {
      json: { sujet_id: m.sujet_id, texte: "Réponse" }, expected: 201,
    });
    await as("POST", "/api/discussion/lecture", "/api/discussion/lecture", { json: { canal_id: t.id, sujet_id: m.sujet_id, jusqu_a: r.id }, expected: 200 });
    await as("POST", "/api/discussion/non-lu", "/api/discussion/non-lu", { json: { message_id: r.id }, expected: 200 });
    await as("POST", "/api/discussion/messages/deplacement", "/api/discussion/messages/deplacement", { json: { message_ids: [r.id], sujet: "Réponses" }, expected: 200 });
    await as("PATCH", `/api/discussion/canaux/${t.id}/membres/${r.auteur.id}`, "/api/discussion/canaux/{id}/membres/{user_id}", {
      json: { sourdine_jusqu_au: "2099-01-01T00:00:00Z" }, expected: 200,
    });
    await as("POST", `/api/discussion/canaux/${t.id}/membres`, "/api/discussion/canaux/{id}/membres", { json: { user_id: 0 }, expected: 400 });
    await as("GET", "/api/discussion/mentions", "/api/discussion/mentions", { expected: 200 });
    await as("GET", "/api/discussion/recherche?q=permanence", "/api/discussion/recherche", { expected: 200 });
    await as("GET", "/api/discussion/recherche?q=", "/api/discussion/recherche", { expected: 400 });
    await as("GET", `/api/discussion/personnes?q=ka&canal=${general.id}`, "/api/discussion/personnes", { expected: 200 });
    await as("POST", "/api/discussion/directs", "/api/discussion/directs", { json: { user_ids: direct.participants.map((p) => p.id) }, expected: 200 });
    const s = await coord("POST", `/api/discussion/messages/${m.id}/signalements`, "/api/discussion/messages/{id}/signalements", {
      json: { motif: "Contrôle du document" }, expected: 201,
    });
    await as("GET", "/api/discussion/moderation/signalements", "/api/discussion/moderation/signalements", { expected: 200 });
    await admin("GET", "/api/discussion/moderation/signalements", "/api/discussion/moderation/signalements", { expected: 200 });
    await as("POST", `/api/discussion/moderation/signalements/${s.id}`, "/api/discussion/moderation/signalements/{id}", { json: { decision: "rejeter" }, expected: 200 });
    await as("DELETE", `/api/discussion/messages/${m.id}`, "/api/discussion/messages/{id}", { expected: 204 });
    await as("GET", `/api/discussion/canaux/${t.id}/messages`, "/api/discussion/canaux/{id}/messages", { expected: 200 });
    await as("PATCH", `/api/discussion/canaux/${t.id}`, "/api/discussion/canaux/{id}", { json: { archive: true }, expected: 200 });
  });

  await t.test("ressources : vocabulaires, recherche avec facettes, écriture, collections, avis, modération", async () => {
    const as = await session(DEMO.mediatrice);
    const coord = await session(DEMO.coordination);
    const admin = await session(DEMO.admin);
    await as("GET", "/api/ressources/referentiel", "/api/ressources/referentiel", { expected: 200 });
    await as("GET", "/api/ressources?q=atelier&thematique=email&tri=pertinence", "/api/ressources", { expected: 200 });
    await as("GET", "/api/ressources?format=roman", "/api/ressources", { expected: 400 });
    const corps = {
      titre: `Atelier e-mail ${Date.now()}`, resume: "Premiers pas", description: "**Objectifs** : envoyer un e-mail",
      thematiques: ["email"], publics: ["seniors"], format: "atelier_cle_en_main", niveau: "debutant", duree_minutes: 90,
      licence: "cc_by_sa_4", visibilite: "public", statut: "publie", liens: [{ url: "https://www.example.org", titre: "Guide" }], fichiers: []
    };
    const r = await as("POST", "/api/ressources", "/api/ressources", { json: corps, expected: 201 });
    await as("POST", "/api/ressources", "/api/ressources", { json: { titre: "", format: "roman", niveau: "debutant" }, expected: 400 });
    await coord("GET", `/api/ressources/${r.id}`, "/api/ressources/{id}", { expected: 200 });
    await as("PUT", `/api/ressources/${r.id}`, "/api/ressources/{id}", { json: { ...corps, note_version: "Relu" }, expected: 200 });
    await coord("GET", `/api/ressources/${r.id}/versions`, "/api/ressources/{id}/versions", { expected: 200 });
    const col = await as("POST", "/api/ressources/collections", "/api/ressources/collections", { json: { titre: "Kit e-mail", publique: true }, expected: 201 });
    await as("PUT", `/api/ressources/collections/${col.id}/ressources/${r.id}`, "/api/ressources/collections/{id}/ressources/{ressource_id}", { expected: 200 });
    await coord("GET", "/api/ressources/collections", "/api/ressources/collections", { expected: 200 });
    await coord("GET", `/api/ressources/collections/${col.id}`, "/api/ressources/collections/{id}", { expected: 200 });
    await coord("PUT", `/api/ressources/collections/${col.id}/suivi`, "/api/ressources/collections/{id}/suivi", { expected: 204 });
    await coord("GET", "/api/ressources/suivis", "/api/ressources/suivis", { expected: 200 });
    await coord("PUT", `/api/ressources/${r.id}/utile`, "/api/ressources/{id}/utile", { expected: 200 });
    await coord("PUT", `/api/ressources/${r.id}/favori`, "/api/ressources/{id}/favori", { expected: 200 });
    await coord("POST", `/api/ressources/${r.id}/commentaires`, "/api/ressources/{id}/commentaires", { json: { texte: "Merci !" }, expected: 201 });
    await coord("GET", `/api/ressources/${r.id}/commentaires`, "/api/ressources/{id}/commentaires", { expected: 200 });
    const copie = await coord("POST", `/api/ressources/${r.id}/copie`, "/api/ressources/{id}/copie", { json: {}, expected: 201 });
    const g = await coord("POST", `/api/ressources/${r.id}/signalements`, "/api/ressources/{id}/signalements", { json: { motif: "Lien cassé" }, expected: 201 });
    await admin("GET", "/api/ressources/moderation", "/api/ressources/moderation", { expected: 200 });
    await admin("POST", `/api/ressources/signalements/${g.id}/rejeter`, "/api/ressources/signalements/{id}/rejeter", { expected: 200 });
    await admin("POST", `/api/ressources/${r.id}/masquer`, "/api/ressources/{id}/masquer", { json: { motif: "Contrôle" }, expected: 200 });
    await admin("POST", `/api/ressources/${r.id}/restaurer`, "/api/ressources/{id}/restaurer", { expected: 200 });
    await coord("DELETE", `/api/ressources/${copie.id}`, "/api/ressources/{id}", { expected: 204 });
    await as("DELETE", `/api/ressources/${r.id}`, "/api/ressources/{id}", { expected: 204 });
    await as("DELETE", `/api/ressources/collections/${col.id}`, "/api/ressources/collections/{id}", { expected: 204 });
  });

  await t.test("lieux : liste, fiche d'une structure, modification, historique, import (rapport)", async () => {
    const as = await session(DEMO.mediatrice);
    const admin = await session(DEMO.admin);
    const page = await as("GET", "/api/lieux?q=lyon&limite=5", "/api/lieux", { expected: 200 });
    assert.ok(page.lieux.length > 0, "des lieux de démonstration à Lyon");
    await as("GET", "/api/lieux?service=inconnu", "/api/lieux", { expected: 400 });
    const proches = await as("GET", "/api/lieux?autour=45.75,4.85&rayon_km=20&ouvert_maintenant=0&page=1&par_page=5", "/api/lieux", { expected: 200 });
    assert.ok(proches.items.length > 0 && proches.items.every((l) => typeof l.distance_m === "number"), "des lieux autour de Lyon");
    await as("GET", "/api/lieux?depuis_commune=99999", "/api/lieux", { expected: 400 });
    const points = await as("GET", "/api/lieux/points?departement=69", "/api/lieux/points", { expected: 200 });
    assert.ok(points.points.length > 0 && points.par_departement.length === 1);
    const structures = await admin("GET", "/api/structures", "/api/structures", { expected: 200 });
    const bachut = structures.items.find((s) => s.nom === "Médiathèque du Bachut");
    const fiche = await as("POST", `/api/structures/${bachut.id}/lieu`, "/api/structures/{id}/lieu", { expected: 200 });
    await as("GET", `/api/lieux/${fiche.id}`, "/api/lieux/{id}", { expected: 200 });
    await as("PUT", `/api/lieux/${fiche.id}`, "/api/lieux/{id}", {
      json: { telephone: "04 72 00 00 11", services: ["Aide aux démarches administratives"], latitude: 45.73, visible_carte: true }, expected: 200,
    });
    await as("PUT", `/api/lieux/${fiche.id}`, "/api/lieux/{id}", { json: { code_postal: "7500" }, expected: 400 });
    await as("GET", `/api/lieux/${fiche.id}/historique`, "/api/lieux/{id}/historique", { expected: 200 });
    const csv = "id,pivot,nom,commune,code_postal,adresse,date_maj,services\r\nschema-1,12345678900011,Lieu du schéma,Lyon,69003,1 rue,2026-11-01,Aide aux démarches administratives\r\nschema-2,1,Rejeté,Lyon,6900,1 rue,2026-11-01,\r\n";
    await admin("POST", "/api/admin/lieux/import?source=schema", "/api/admin/lieux/import", { raw: csv, contentType: "text/csv", expected: 200 });
    await admin("POST", "/api/admin/lieux/import", "/api/admin/lieux/import", { raw: "x", contentType: "text/csv", expected: 400 });
    await admin("GET", "/api/admin/lieux/doublons", "/api/admin/lieux/doublons", { expected: 200 });
    await as("GET", "/api/config/carte", "/api/config/carte", { expected: 200 });
    const zones = await as("GET", "/api/lieux/zones", "/api/lieux/zones", { expected: 200 });
    assert.ok(zones.departements.length > 0 && zones.regions.length > 0, "des zones positionnées (lieux de démonstration)");
    await as("GET", "/api/lieux/zones?communes=69388", "/api/lieux/zones", { expected: 200 });
    await as("GET", "/api/lieux/zones?communes=00000", "/api/lieux/zones", { expected: 400 });
  });

  await t.test("gestion : sa structure et ses employés", async () => {
    const as = await session(DEMO.gestion);
    await as("GET", "/api/me", "/api/me", { expected: 200 });
    const structures = await as("GET", "/api/structures", "/api/structures", { expected: 200 });
    assert.ok(structures.items.length > 0, "la gestionnaire de démonstration a une structure");
    const id = structures.items[0].id;
    await as("GET", `/api/structures/${id}`, "/api/structures/{id}", { expected: 200 });
    await as("GET", `/api/structures/${id}/employes`, "/api/structures/{id}/employes", { expected: 200 });
    await as("GET", "/api/activites/referentiel", "/api/activites/referentiel", {}); // 403 unless also a mediator
  });

  await t.test("inscription : formulaire, étapes, rattachement refusé puis confirmé par la gestionnaire", async () => {
    const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
    // An account without any role, as a confirmed sign-up is (the link itself is tested in
    // tests/integration/inscription.test.mjs, which reads the outbox).
    const admin = await session(DEMO.admin);
    const email = `schemas.inscription.${suffix}@coop.example`;
    await admin("POST", "/api/users", "/api/users", { json: { email, nom: "Schémas", prenom: "Inès", password: PASSWORD }, expected: 201 });
    const as = await session(email);
    const inscription = await as("POST", "/api/inscription", "/api/inscription", {
      json: { email: `schemas.nouveau.${suffix}@coop.example`, prenom: "Nino", nom: "Nouveau", password: PASSWORD, cgu: true },
      expected: 202
    });
    const renvoi = await as("POST", "/api/inscription/renvoyer", "/api/inscription/renvoyer", { json: { email }, expected: 202 });
    assert.deepEqual(renvoi, inscription, "la même réponse pour une adresse qui a un compte");
    await as("POST", "/api/inscription", "/api/inscription", { json: { email: "x" }, expected: 400 });
    await as("POST", "/api/inscription/confirmer", "/api/inscription/confirmer", { json: { token: "inconnu", password: PASSWORD }, expected: 404 });
    const parcours = await as("GET", "/api/inscription/parcours", "/api/inscription/parcours", { expected: 200 });
    assert.equal(parcours.etape, "profil");
    await as("POST", "/api/inscription/profil", "/api/inscription/profil", { json: { profil: "conseiller_numerique" }, expected: 200 });
    const gestion = await session(DEMO.gestion);
    const structure = (await gestion("GET", "/api/structures", "/api/structures", { expected: 200 })).items[0];
    const trouvees = await as("GET", `/api/inscription/structures?siret=${structure.siret}`, "/api/inscription/structures", { expected: 200 });
    assert.equal(trouvees.items[0].id, structure.id);
    await as("GET", "/api/inscription/structures?q=M%C3%A9diath%C3%A8que", "/api/inscription/structures", { expected: 200 });
    await as("GET", "/api/inscription/structures?siret=12345678901234", "/api/inscription/structures", { expected: 400 });
    const refus = await as("POST", "/api/inscription/employeur", "/api/inscription/employeur", { json: { siret: structure.siret }, expected: 201 });
    await gestion("POST", `/api/structures/${structure.id}/employes/${refus.emploi.id}/refuser`, "/api/structures/{id}/employes/{eid}/refuser", {
      json: { motif: "Test du document" },
      expected: 200
    });
    const decl = await as("POST", "/api/inscription/employeur", "/api/inscription/employeur", { json: { siret: structure.siret }, expected: 201 });
    await as("POST", "/api/inscription/employeur", "/api/inscription/employeur", { json: { siret: structure.siret }, expected: 409 });
    await gestion("POST", `/api/structures/${structure.id}/employes/${decl.emploi.id}/confirmer`, "/api/structures/{id}/employes/{eid}/confirmer", {
      json: {},
      expected: 200
    });
    await gestion("POST", `/api/structures/${structure.id}/employes/${decl.emploi.id}/confirmer`, "/api/structures/{id}/employes/{eid}/confirmer", {
      json: {},
      expected: 409
    });
    await as("POST", "/api/inscription/lieux", "/api/inscription/lieux", {
      json: { nom: `Lieu du document ${suffix}`, commune_insee: "69383", adresse: "1 rue du Document" },
      expected: 201
    });
    const fin = await as("GET", "/api/inscription/parcours", "/api/inscription/parcours", { expected: 200 });
    assert.equal(fin.etape, "premiers_pas");
  });

  await t.test("administrateur : clients API et API publique v1", async () => {
    const as = await session(DEMO.admin);
    await as("GET", "/api/admin/clients-api", "/api/admin/clients-api", { expected: 200 });
    await as("POST", "/api/admin/clients-api", "/api/admin/clients-api", { json: { nom: "", scopes: ["tout"] }, expected: 400 });
    const client = await as("POST", "/api/admin/clients-api", "/api/admin/clients-api", {
      json: { nom: `Contrôle du document ${Date.now()}`, scopes: ["activites", "structures", "lieux_activite"] },
      expected: 201
    });
    // The public API, as that client (HTTP Basic).
    const basic = "Basic " + Buffer.from(`${client.client_id}:${client.client_secret}`).toString("base64");
    for (const p of ["/api/v1/activites", "/api/v1/structures", "/api/v1/lieux-activite"]) {
      const res = await fetch(url(`${p}?page[size]=5`), { headers: { authorization: basic } });
      const text = await res.text();
      assert.equal(res.status, 200, `${p} : ${text.slice(0, 300)}`);
      const schema = deref.paths[p].get.responses["200"].content["application/json"].schema;
      const error = check(schema, JSON.parse(text), `GET ${p} 200`);
      assert.equal(error, null, `GET ${p} : corps non conforme :\n  ${error}\n${text.slice(0, 600)}`);
      checked.add(`GET ${p} 200`);
    }
    await as("DELETE", `/api/admin/clients-api/${client.id}`, "/api/admin/clients-api/{id}", { expected: 204 });
    const after = await as("GET", "/api/admin/clients-api", "/api/admin/clients-api", { expected: 200 });
    assert.equal(after.items.find((c) => c.id === client.id)?.actif, false);
    // The screens of the first issues, also used by the web.
    await as("GET", "/api/users?per_page=5", "/api/users", { expected: 200 });
    const structures = await as("GET", "/api/structures?per_page=5", "/api/structures", { expected: 200 });
    await as("GET", `/api/structures/${structures.items[0].id}`, "/api/structures/{id}", { expected: 200 });
    await as("GET", `/api/structures/${structures.items[0].id}/employes`, "/api/structures/{id}/employes", { expected: 200 });
    await as("GET", "/api/mediateurs?q=a", "/api/mediateurs", { expected: 200 });
    await as("GET", "/api/invitations", "/api/invitations", { expected: 200 });
    await as("GET", "/api/audit?per_page=5", "/api/audit", { expected: 200 });
    // The outbox: an invitation queues a mail (no SMTP on the demo server: it stays en_attente).
    const invite = `schemas.${Date.now()}@coop.example`;
    await as("POST", "/api/invitations", "/api/invitations", { json: { email: invite, role: "mediateur" }, expected: 201 });
    const courriels = await as("GET", `/api/admin/courriels?q=${encodeURIComponent(invite)}`, "/api/admin/courriels", { expected: 200 });
    assert.equal(courriels.items.length, 1);
    await as("GET", `/api/admin/courriels/${courriels.items[0].id}`, "/api/admin/courriels/{id}", { expected: 200 });
    await as("POST", `/api/admin/courriels/${courriels.items[0].id}/renvoyer`, "/api/admin/courriels/{id}/renvoyer", { expected: 409 });
    await as("DELETE", "/api/me/courriel", "/api/me/courriel", { expected: 404 });
    // The evaluation's item bank (admin preview): list, filters, items of every type, the answer check.
    await as("GET", "/api/admin/evaluation/items", "/api/admin/evaluation/items", { expected: 200 });
    await as("GET", "/api/admin/evaluation/items?competence=1.2&niveau=2&type=QCU", "/api/admin/evaluation/items", { expected: 200 });
    await as("GET", "/api/admin/evaluation/items?niveau=9", "/api/admin/evaluation/items", { expected: 400 });
    for (const id of ["c12-formats-2b", "c11-sources-2a", "c13-trier-3b", "c21-adresse-2a", "c23-outils-3a"])
      await as("GET", `/api/admin/evaluation/items/${id}`, "/api/admin/evaluation/items/{id}", { expected: 200 });
    await as("GET", "/api/admin/evaluation/items/inconnu", "/api/admin/evaluation/items/{id}", { expected: 404 });
    await as("POST", "/api/admin/evaluation/items/c12-formats-2b/essayer", "/api/admin/evaluation/items/{id}/essayer", { json: { choix: [3] }, expected: 200 });
    await as("POST", "/api/admin/evaluation/items/c23-outils-3a/essayer", "/api/admin/evaluation/items/{id}/essayer",
      { json: { valeurs: { outil1: "jitsi", outil2: "bbb" } }, expected: 200 });
    await as("POST", "/api/admin/evaluation/items/c12-formats-2b/essayer", "/api/admin/evaluation/items/{id}/essayer", { json: { choix: [9] }, expected: 400 });
    // The positioning test (admin as a candidate, on 5.2): profile, start, resume, four answers, the end.
    await as("GET", "/api/evaluation/profil", "/api/evaluation/profil", { expected: 200 });
    await as("POST", "/api/evaluation/tests", "/api/evaluation/tests", { json: { competence: "9.9" }, expected: 400 });
    let test = await as("POST", "/api/evaluation/tests", "/api/evaluation/tests", { json: { competence: "5.2" }, expected: 201 });
    test = await as("GET", `/api/evaluation/tests/${test.id}`, "/api/evaluation/tests/{id}", { expected: 200 });
    while (test.statut === "en_cours") {
      const q = test.question;
      const body = q.type === "QCU" || q.type === "QCM" ? { choix: [1] } : { valeurs: Object.fromEntries(q.champs.map((c) => [c.nom, "réponse"])) };
      test = await as("POST", `/api/evaluation/tests/${test.id}/reponses`, "/api/evaluation/tests/{id}/reponses", { json: { item: q.item, ...body }, expected: 200 });
    }
    await as("GET", `/api/evaluation/tests/${test.id}`, "/api/evaluation/tests/{id}", { expected: 200 });
    await as("GET", "/api/evaluation/profil", "/api/evaluation/profil", { expected: 200 });
    await as("GET", "/api/communes?q=lyon&limit=3", "/api/communes", { expected: 200 });
    await as("GET", "/api/communes/69123", "/api/communes/{code}", { expected: 200 });
    await as("GET", "/api/departements", "/api/departements", { expected: 200 });
    await as("GET", "/api/regions", "/api/regions", { expected: 200 });
  });

  await t.test("réseaux locaux : liste, création, invitation, annuaires, carte, chiffres", async () => {
    const coord = await session(DEMO.coordination);
    const gestion = await session(DEMO.gestion);
    await coord("GET", "/api/reseaux", "/api/reseaux", { expected: 200 });
    const structures = await gestion("GET", "/api/structures", "/api/structures", { expected: 200 });
    const s1 = structures.items[0].id;
    const r = await coord("POST", "/api/reseaux", "/api/reseaux", {
      json: { nom: `Contrôle ${Date.now()}`, territoires: ["departement:69", "commune:69123"], structures: [s1] }, expected: 201,
    });
    await coord("GET", `/api/reseaux/${r.id}`, "/api/reseaux/{id}", { expected: 200 });
    await coord("PATCH", `/api/reseaux/${r.id}`, "/api/reseaux/{id}", { json: { description: "Contrôle du document" }, expected: 200 });
    const invitations = await gestion("GET", "/api/reseaux/invitations", "/api/reseaux/invitations", { expected: 200 });
    const inv = invitations.items.find((i) => i.reseau_id === r.id);
    await gestion("POST", `/api/reseaux/invitations/${inv.id}/accepter`, "/api/reseaux/invitations/{id}/accepter", { expected: 200 });
    await gestion("PUT", "/api/reseaux/visibilite", "/api/reseaux/visibilite", { json: { visible: true }, expected: 200 });
    await gestion("GET", "/api/reseaux/visibilite", "/api/reseaux/visibilite", { expected: 200 });
    await coord("GET", `/api/reseaux/${r.id}/annuaire`, "/api/reseaux/{id}/annuaire", { expected: 200 });
    await coord("GET", "/api/reseaux/departements/69/annuaire?q=lyon", "/api/reseaux/departements/{code}/annuaire", { expected: 200 });
    await coord("GET", `/api/lieux/points?reseau=${r.id}`, "/api/lieux/points", { expected: 200 });
    await coord("GET", `/api/statistiques?perimetre=reseau:${r.id}`, "/api/statistiques", { expected: 200 });
    await coord("POST", `/api/reseaux/${r.id}/structures`, "/api/reseaux/{id}/structures", { json: { structure_id: structures.items[0].id }, expected: 409 });
    await coord("DELETE", `/api/reseaux/${r.id}`, "/api/reseaux/{id}", { expected: 204 });
  });

  await t.test("statistiques : tableaux, périmètres, partages, vue publique", async () => {
    const med = await session(DEMO.mediatrice);
    await as_stats(med);
    const admin = await session(DEMO.admin);
    await admin("GET", "/api/statistiques?perimetre=national&types=individuel", "/api/statistiques", { expected: 200 });
    await admin("GET", "/api/statistiques?du=2026-02-30", "/api/statistiques", { expected: 400 });
    await admin("GET", "/api/statistiques/perimetres", "/api/statistiques/perimetres", { expected: 200 });
  });

  async function as_stats(as) {
    await as("GET", "/api/statistiques/perimetres", "/api/statistiques/perimetres", { expected: 200 });
    await as("GET", "/api/statistiques", "/api/statistiques", { expected: 200 });
    await as("GET", "/api/statistiques?perimetre=national", "/api/statistiques", { expected: 403 });
    const share = await as("POST", "/api/statistiques/partages", "/api/statistiques/partages", {
      json: { titre: "Contrôle du document", requete: "perimetre=moi&types=individuel" }, expected: 201
    });
    await as("GET", "/api/statistiques/partages", "/api/statistiques/partages", { expected: 200 });
    const res = await fetch(url(`/api${share.url.replace("/partage/", "/partages/")}`));
    const text = await res.text();
    assert.equal(res.status, 200, text.slice(0, 300));
    const schema = deref.paths["/api/partages/statistiques/{jeton}"].get.responses["200"].content["application/json"].schema;
    const error = check(schema, JSON.parse(text), "GET /api/partages/statistiques/{jeton} 200");
    assert.equal(error, null, `vue partagée non conforme :\n  ${error}`);
    checked.add("GET /api/partages/statistiques/{jeton} 200");
    await as("DELETE", `/api/statistiques/partages/${share.id}`, "/api/statistiques/partages/{id}", { expected: 204 });
  }

  await t.test("mot de passe oublié : demande, lien inconnu", async () => {
    // Anonymous (no session cookie yet): only the CSRF cookie, set by a first GET.
    const anon = await session(null);
    const r = await anon("POST", "/api/auth/mot-de-passe-oublie", "/api/auth/mot-de-passe-oublie", {
      json: { email: `inconnu-${Date.now()}@coop.example` },
      expected: 202
    });
    assert.match(r.message, /Si un compte Coop correspond/);
    await anon("POST", "/api/auth/mot-de-passe-oublie", "/api/auth/mot-de-passe-oublie", { json: { email: "x" }, expected: 400 });
    await anon("GET", "/api/auth/reinitialisation/lien-inconnu", "/api/auth/reinitialisation/{token}", { expected: 404 });
    await anon("POST", "/api/auth/reinitialisation/lien-inconnu", "/api/auth/reinitialisation/{token}", {
      json: { password: "un-mot-de-passe-assez-long" },
      expected: 404
    });
  });

  await t.test("fichiers : dépôt, liste, lecture", async () => {
    const as = await session(DEMO.mediatrice);
    const boundary = "coopschema";
    const raw = `--${boundary}\r\nContent-Disposition: form-data; name="fichier"; filename="schema.txt"\r\n` +
      `Content-Type: text/plain\r\n\r\nSchéma ${Date.now()}\r\n--${boundary}--\r\n`;
    const f = await as("POST", "/api/fichiers", "/api/fichiers", { raw, contentType: `multipart/form-data; boundary=${boundary}`, expected: 201 });
    await as("POST", "/api/fichiers", "/api/fichiers", { json: {}, expected: 400 });
    await as("GET", "/api/fichiers", "/api/fichiers", { expected: 200 });
    assert.match(await as("GET", f.url, "/api/fichiers/{sha256}", { expected: 200 }), /^Schéma /);
    await as("GET", `/api/fichiers/${"0".repeat(64)}`, "/api/fichiers/{sha256}", { expected: 404 });
  });

  await t.test("schémas des réponses vérifiées : chaque propriété est required", () => {
    assert.deepEqual([...problems].sort(), [], "un champ de réponse facultatif échapperait à ce test : le marquer required (nullable si besoin)");
    assert.ok(checked.size >= 60, `réponses vérifiées : ${checked.size}`);
  });
});
