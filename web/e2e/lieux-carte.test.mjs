// The map of lieux (/lieux/carte, web/src/pages/lieux/carte): renders with the offline style and no
// request leaving 127.0.0.1; région bubbles carry counts summing to the total; a click drills down
// région → département → points; the list follows the map; the keyboard path (Tab to a bubble,
// Enter, a point's popup, Escape) works; axe-core; screenshots at 375, 768 and 1280 px.
//
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { BASE_URL, DEMO, launch, login, newPage, screenshot, seriousViolations, skipReason } from "./helpers.mjs";

const int = text => Number(String(text).replace(/[^\d]/g, ""));

describe("carte des lieux", { skip: skipReason }, () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  async function ouvrir(options = {}) {
    const { context, page } = await newPage(browser, options);
    const dehors = [];
    await context.route("**/*", route => {
      const u = new URL(route.request().url());
      if (u.hostname !== "127.0.0.1" && u.protocol !== "blob:" && u.protocol !== "data:") {
        dehors.push(u.href);
        return route.abort();
      }
      return route.continue();
    });
    page.on("request", r => {
      const u = new URL(r.url());
      if (!["blob:", "data:"].includes(u.protocol) && u.hostname !== "127.0.0.1") dehors.push(u.href);
    });
    await login(page, DEMO.mediatrice);
    const points = await page.evaluate(async () => (await fetch("/api/lieux/points")).json());
    await page.goto("/lieux/carte");
    await page.locator(".carte-lieux__bulle--region").first().waitFor();
    return { context, page, dehors, points };
  }

  it("région bubbles sum to the total, drill-down, list in sync, no request outside, axe", async () => {
    const { context, page, dehors, points } = await ouvrir();
    const total = Number(await page.getByTestId("carte-total").getAttribute("data-total"));
    assert.equal(int((await page.getByTestId("carte-total").textContent()).split(" lieu")[0]), total);
    assert.ok(total > 0);
    const nombres = await page.locator(".carte-lieux__bulle--region").evaluateAll(els => els.map(e => Number(e.dataset.nombre)));
    assert.ok(nombres.length >= 2, "plusieurs régions");
    assert.equal(nombres.reduce((a, b) => a + b, 0), total, "les bulles des régions font le total");
    // The list names the same régions with the same counts.
    const liste = page.getByTestId("carte-lieux-zones").getByRole("button");
    assert.equal(await liste.count(), nombres.length);
    assert.equal(total, points.total);
    // The list's count: the lieux with a position in the view (all of them on the whole France).
    assert.equal(int(await page.getByTestId("carte-lieux-compte").textContent()), points.points.length);
    assert.equal(await seriousViolations(page, "carte régions").then(v => v.length), 0);
    await screenshot(page, "lieux-carte-1280");

    // Click the biggest région: départements of it.
    const plus = await page.locator(".carte-lieux__bulle--region").evaluateAll(els =>
      els.sort((a, b) => Number(b.dataset.nombre) - Number(a.dataset.nombre))[0].dataset.cle
    );
    await page.locator(`[data-cle="${plus}"]`).click();
    await page.waitForSelector('[data-niveau="departements"]');
    await page.locator(".carte-lieux__bulle--departement").first().waitFor();
    const deps = page.getByTestId("carte-lieux-zones").getByRole("button");
    assert.ok((await deps.count()) >= 1);
    const compteDeps = int(await page.getByTestId("carte-lieux-compte").textContent());
    assert.ok(compteDeps < total, "la liste suit la zone affichée (moins que le total)");

    // Click a département: its points; the list shows the visible lieux by name.
    const depCle = await page.locator(".carte-lieux__bulle--departement").first().getAttribute("data-cle");
    const depNombre = Number(await page.locator(`[data-cle="${depCle}"]`).getAttribute("data-nombre"));
    await page.locator(`[data-cle="${depCle}"]`).click();
    await page.waitForSelector('[data-niveau="points"]');
    const items = page.getByTestId("carte-lieux-lieux").locator("li[data-id]");
    await items.first().waitFor();
    const visibles = int(await page.getByTestId("carte-lieux-compte").textContent());
    assert.equal(await items.count(), Math.min(visibles, 20));
    assert.ok(visibles >= Math.min(depNombre, 1) && visibles < total, `lieux visibles : ${visibles} sur ${total}`);
    await page.waitForFunction(() => !document.querySelector('[data-testid="carte-lieux-lieux"] a')?.textContent?.startsWith("Lieu n°"));
    // « Sur la carte » of the first item opens its popup with a link to /lieux/:id.
    const id = await items.first().getAttribute("data-id");
    await items.first().getByRole("button", { name: "Sur la carte" }).click();
    const popup = page.locator(".maplibregl-popup");
    await popup.getByRole("link", { name: /Voir la fiche/ }).waitFor();
    assert.equal(await popup.getByRole("link", { name: /Voir la fiche/ }).getAttribute("href"), `/lieux/${id}`);
    await page.keyboard.press("Escape");
    await popup.waitFor({ state: "detached" });
    assert.equal(await seriousViolations(page, "carte points").then(v => v.length), 0);

    assert.deepEqual(dehors, [], "aucune requête hors de 127.0.0.1");
    await context.close();
  });

  it("the URL's filters are those of /api/lieux: /lieux/carte?departement=69", async () => {
    const { context, page } = await ouvrir();
    const attendu = await page.evaluate(async () => (await fetch("/api/lieux/points?departement=69")).json());
    assert.ok(attendu.total > 0 && attendu.total < (await page.evaluate(async () => (await fetch("/api/lieux/points")).json())).total);
    await page.goto("/lieux/carte?departement=69");
    await page.waitForFunction(t => document.querySelector('[data-testid="carte-total"]')?.dataset.total === String(t), attendu.total);
    await page.locator(".carte-lieux__bulle--region").first().waitFor();
    const bulles = await page.locator(".carte-lieux__bulle--region").evaluateAll(els => els.map(e => [e.dataset.cle, Number(e.dataset.nombre)]));
    assert.deepEqual(bulles, [["regions-84", attendu.total]]);
    assert.equal(await page.getByRole("link", { name: /Voir ces lieux en liste/ }).getAttribute("href"), "/lieux?departement=69");
    await context.close();
  });

  it("keyboard path: skip link, Tab to a bubble, Enter drills down, Enter on a point, Escape", async () => {
    const { context, page, dehors } = await ouvrir();
    // The skip link is the first stop of the map block and leads to the list.
    await page.locator(".carte-lieux__passer").focus();
    assert.equal(await page.locator(".carte-lieux__passer").isVisible(), true, "lien visible au focus");
    await page.keyboard.press("Enter");
    assert.equal(await page.evaluate(() => location.hash), "#carte-lieux-liste");
    // Tab through the map until a région bubble has the focus.
    await page.locator(".carte-lieux__passer").focus();
    let sur = "";
    for (let i = 0; i < 15 && !sur.includes("region"); i++) {
      await page.keyboard.press("Tab");
      sur = await page.evaluate(() => document.activeElement?.className ?? "");
    }
    assert.match(sur, /carte-lieux__bulle--region/);
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, "none", "focus visible");
    await page.keyboard.press("Enter");
    await page.waitForSelector('[data-niveau="departements"]');
    await page.locator(".carte-lieux__bulle--departement").first().focus();
    await page.keyboard.press("Enter");
    await page.waitForSelector('[data-niveau="points"]');
    // Clusters: Enter on one zooms in, until single points show.
    const point = page.locator(".carte-lieux__bulle--point").first();
    for (let i = 0; i < 8 && (await point.count()) === 0; i++) {
      const zoom = await page.getByTestId("carte-lieux-carte").getAttribute("data-zoom");
      await page.locator(".carte-lieux__bulle--cluster").first().focus();
      await page.keyboard.press("Enter");
      // Wait for the markers of the new view (placed after the zoom changed).
      await page.waitForFunction(z => {
        const d = document.querySelector('[data-testid="carte-lieux-carte"]').dataset;
        return d.zoom !== z && d.marqueursZoom === d.zoom;
      }, zoom);
    }
    await point.waitFor();
    await point.focus();
    await page.keyboard.press("Enter");
    const popup = page.locator(".maplibregl-popup");
    await popup.getByRole("link", { name: /Voir la fiche/ }).waitFor();
    await page.keyboard.press("Escape");
    await popup.waitFor({ state: "detached" });
    assert.match(await page.evaluate(() => document.activeElement?.className ?? ""), /carte-lieux__bulle--point/, "le focus revient au point");
    assert.deepEqual(dehors, []);
    await context.close();
  });

  it("statistics: accompagnements by région then département on the same map, no request outside", async () => {
    const { context, page } = await newPage(browser);
    const dehors = [];
    page.on("request", r => {
      const u = new URL(r.url());
      if (!["blob:", "data:"].includes(u.protocol) && u.hostname !== "127.0.0.1") dehors.push(u.href);
    });
    await login(page, DEMO.mediatrice);
    await page.goto("/statistiques");
    const bloc = page.getByTestId("carte-statistiques");
    await bloc.locator(".carte-lieux__bulle--region").first().waitFor();
    const requete = await page.locator("[data-requete]").getAttribute("data-requete");
    const attendu = await page.evaluate(async q => {
      const r = await (await fetch(`/api/statistiques${q ? `?${q}` : ""}`)).json();
      return r.repartitions.departements.filter(l => l.cle !== "").reduce((s, l) => s + l.valeur, 0);
    }, requete);
    assert.ok(attendu > 0, "des accompagnements dans des départements");
    const surCarte = await bloc.locator(".carte-lieux__bulle--region").evaluateAll(els => els.reduce((s, e) => s + Number(e.dataset.nombre), 0));
    const sansPosition = await bloc
      .getByTestId("carte-statistiques-sans-position")
      .locator("li")
      .allTextContents()
      .catch(() => []);
    const horsCarte = sansPosition.reduce((s, t) => s + int(t.split("—")[1]), 0);
    assert.equal(surCarte + horsCarte, attendu, "régions (carte + sans position) = somme des départements");
    // Drill down: a région's bubble gives its départements, whose counts sum to the région's.
    const region = bloc.locator(".carte-lieux__bulle--region").first();
    const nombreRegion = Number(await region.getAttribute("data-nombre"));
    const code = (await region.getAttribute("data-cle")).replace("regions-", "");
    await region.click();
    await bloc.locator('[data-niveau="departements"]').waitFor();
    const deps = await page.evaluate(async ({ q, code }) => {
      const d = await (await fetch("/api/departements")).json();
      const duCode = new Set(d.items.filter(x => x.region === code).map(x => x.code));
      const r = await (await fetch(`/api/statistiques${q ? `?${q}` : ""}`)).json();
      return r.repartitions.departements.filter(l => duCode.has(l.cle)).reduce((s, l) => s + l.valeur, 0);
    }, { q: requete, code });
    assert.equal(deps, nombreRegion);
    // A département's bubble: its communes (positions from GET /api/lieux/zones?communes=), with the
    // counts of the answer's communes breakdown.
    await bloc.locator(".carte-lieux__bulle--departement").first().click();
    await bloc.locator('[data-niveau="communes"]').waitFor();
    await bloc.locator(".carte-lieux__bulle--commune").first().waitFor();
    const communes = await bloc.locator(".carte-lieux__bulle--commune").evaluateAll(els => els.map(e => [e.dataset.cle.replace("communes-", ""), Number(e.dataset.nombre)]));
    const parCommune = await page.evaluate(async q => {
      const r = await (await fetch(`/api/statistiques${q ? `?${q}` : ""}`)).json();
      return Object.fromEntries(r.repartitions.communes.map(l => [l.cle, l.valeur]));
    }, requete);
    assert.ok(communes.length >= 1);
    for (const [code, n] of communes) assert.equal(n, parCommune[code], `commune ${code}`);
    assert.equal(int(await bloc.getByTestId("carte-statistiques-compte").textContent()) > 0, true);
    assert.equal(await seriousViolations(page, "statistiques carte").then(v => v.length), 0);
    await bloc.screenshot({ path: `${process.env.COOP_SCREENSHOT_DIR ?? "/tmp"}/coop-lieux-carte-statistiques.png` });
    assert.deepEqual(dehors, []);
    await context.close();
  });

  for (const width of [375, 768]) {
    it(`usable at ${width} px`, async () => {
      const { context, page } = await ouvrir({ viewport: { width, height: 800 } });
      const largeur = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(largeur <= width, `pas de défilement horizontal (${largeur} px)`);
      // The list is below the map under 992 px.
      const carte = await page.getByTestId("carte-lieux-carte").boundingBox();
      const liste = await page.locator("#carte-lieux-liste").boundingBox();
      assert.ok(liste.y >= carte.y + carte.height - 1, "liste sous la carte");
      await screenshot(page, `lieux-carte-${width}`);
      await context.close();
    });
  }
});
