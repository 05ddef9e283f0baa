// The layout test's own checks can fail: the geometry check on small broken and right pages
// (no server needed), and the router reader on a small router.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { launch } from "./helpers.mjs";
import { geometrie } from "./mise-en-page/controles.mjs";
import { appRoutes, correspond, permise, routesFromSource } from "./mise-en-page/routes.mjs";

const PAGE = body => `<!doctype html><html><head><style>*{box-sizing:border-box} body{margin:0;font:16px sans-serif}
  label{display:block} input,select{display:block;width:100%;height:40px}</style></head><body>${body}</body></html>`;

describe("layout checks (geometry)", () => {
  let browser, page;
  before(async () => {
    browser = await launch();
    page = await (await browser.newContext({ viewport: { width: 375, height: 700 } })).newPage();
  });
  after(async () => {
    await browser?.close();
  });
  const check = async body => {
    await page.setContent(PAGE(body));
    return page.evaluate(geometrie);
  };

  it("finds nothing on a right page", async () => {
    assert.deepEqual(
      await check(`<form><label for="a">Du</label><input id="a" type="date"><label for="b">Au</label><input id="b" type="date">
        <details><summary>Plus</summary><input id="c" style="width:900px"></details>
        <div style="overflow-x:auto"><table style="width:900px"><tr><td><button>Dans un tableau qui défile</button></td></tr></table></div>
        <span style="position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)" class="fr-sr-only"><button>Caché</button></span></form>`),
      []
    );
  });

  it("finds two fields that overlap (content-box fields in a two-column grid)", async () => {
    const found = await check(`<div style="display:grid;grid-template-columns:1fr 1fr;gap:8px">
      <div><label for="du">Du</label><input id="du" style="box-sizing:content-box;padding:0 48px 0 16px"></div>
      <div><label for="au">Au</label><input id="au"></div></div>`);
    assert.ok(found.some(f => /input#du .*chevauche input#au/.test(f)), found.join("\n"));
  });

  it("finds a page wider than the window and a select leaving the screen", async () => {
    const found = await check(`<label for="s">Lieu</label><select id="s" style="width:420px"><option>Tous les lieux</option></select>`);
    assert.ok(found.some(f => /^débordement horizontal : la page fait 420 px pour une fenêtre de 375 px/.test(f)), found.join("\n"));
    assert.ok(found.some(f => /select#s .*sort de l'écran/.test(f)), found.join("\n"));
  });

  it("finds a label covered by a button", async () => {
    const found = await check(`<div style="position:relative"><label for="x">Commune</label><input id="x">
      <button style="position:absolute;top:0;left:0;width:200px;height:30px">Effacer</button></div>`);
    assert.ok(found.some(f => /label « Commune » chevauche button « Effacer »/.test(f)), found.join("\n"));
  });
});

describe("layout checks (routes read from the router)", () => {
  it("reads App.tsx: guards, roles, parameters", () => {
    const routes = appRoutes();
    const route = p => routes.find(r => r.path === p);
    assert.equal(route("/connexion").acces, "public");
    assert.equal(route("/compte").acces, "connecte");
    assert.deepEqual(route("/activites/:id").roles, ["mediateur"]);
    assert.equal(route("/admin").redirection, "/admin/utilisateurs");
    assert.ok(permise(route("/activites/:id"), ["mediateur"]));
    assert.ok(!permise(route("/activites/:id"), ["admin"]));
    assert.ok(!permise(route("/compte"), null));
    assert.ok(correspond("/activites/:id", "/activites/12"));
    assert.ok(!correspond("/activites/:id", "/connexion"));
  });

  it("refuses a route wrapper it does not know, rather than leaving its routes out", () => {
    const src = `export const A = () => <Routes><Route element={<Layout />}><Route element={<RequireInconnu />}>
      <Route path="/secret" element={<P />} /></Route></Route></Routes>;`;
    assert.throws(() => routesFromSource(src), /unknown route wrapper <RequireInconnu>/);
  });

  it("nests roles and paths", () => {
    const src = `export const A = () => <Routes><Route element={<RequireAuth />}><Route element={<RequireRole roles={["admin", "coordinateur"]} />}>
      <Route path="/x" element={<P />}><Route path="y/:id" element={<Q />} /></Route></Route></Route></Routes>;`;
    assert.deepEqual(routesFromSource(src).map(r => [r.path, r.acces, r.roles]), [
      ["/x", "roles", ["admin", "coordinateur"]],
      ["/x/y/:id", "roles", ["admin", "coordinateur"]]
    ]);
  });
});
