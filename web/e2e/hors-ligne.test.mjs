// Offline CRA entry (issue 9), with playwright's offline mode: the service worker installs, the
// demo mediator records CRAs with no network, the page reloads offline from the worker and the
// badge counts them, then back online each arrives exactly once and the badge goes; a CRA the
// server refuses stays « à corriger » and opens in the form with the server's message.
// The demo server is shared with the other browser tests: only CRAs with this run's note count.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { Api, DEMO, launch, login, newPage, screenshot, seriousViolations, skipReason } from "./helpers.mjs";

const badge = page => page.locator('[data-testid="en-attente"]').first();

/** The mediator's CRAs whose notes start with `prefix` (all pages of GET /api/activites). */
async function mine(api, prefix) {
  const out = [];
  for (let apres = null; ;) {
    const page = await api.request("GET", `/api/activites?limite=100${apres ? `&apres=${encodeURIComponent(apres)}` : ""}`);
    out.push(...page.items.filter(a => (a.notes ?? "").startsWith(prefix)));
    if (!page.suivant) return out;
    apres = page.suivant;
  }
}

/** Logs in, opens the CRA form and waits until the service worker controls the page and holds the form's data. */
async function installed(page) {
  await login(page, DEMO.mediatrice);
  await page.goto("/activites/nouvelle?type=individuel");
  await page.locator('[data-code="email"]').waitFor();
  await page.waitForFunction(() => !!navigator.serviceWorker?.controller, null, { timeout: 20_000 });
  // Polled from here: page.waitForFunction does not await an async predicate (its promise is
  // truthy at once), so it returned before the caches were filled and the test sometimes went
  // offline before the département's communes were kept (the « à domicile » search then found
  // nothing).
  const tenu = () =>
    page.evaluate(async () => {
      const c = await caches.open("coop-donnees-utilisateur");
      const communes = await caches.open("coop-communes-departements");
      return !!(await c.match("/api/me")) && !!(await c.match("/api/activites/referentiel")) && !!(await communes.match("/communes/69.json"));
    });
  for (const limite = Date.now() + 20_000; !(await tenu()); await new Promise(r => setTimeout(r, 250)))
    assert.ok(Date.now() < limite, "the worker keeps the form's data and the communes of the lieu's département");
}

/** Fills the individual CRA form (anonymous beneficiary, the mediator's last lieu or at home in `commune`) and saves it. */
async function record(page, notes, { commune } = {}) {
  await page.locator('[data-code="email"]').click();
  await page.locator('fieldset[data-field="duree"] button').first().click();
  if (commune) {
    await page.locator('label[for="' + (await page.locator('input[name="type_lieu"][value="domicile"]').getAttribute("id")) + '"]').click();
    await page.locator('input[name="commune_insee"]').fill(commune.slice(0, 6));
    await page.getByRole("option", { name: new RegExp(`^${commune}`) }).first().click();
  }
  await page.locator("#cra-notes").fill(notes);
  await page.getByRole("button", { name: "Enregistrer", exact: true }).click();
}

describe("hors ligne", { skip: skipReason }, () => {
  let browser;
  const api = new Api();
  before(async () => {
    browser = await launch();
    await api.login(DEMO.mediatrice);
  });
  after(async () => {
    await browser?.close();
  });

  it("installs, records 3 CRAs offline, reloads offline, and sends each once when the network returns", async () => {
    const tag = `hors-ligne e2e ${randomBytes(4).toString("hex")}`;
    const { context, page } = await newPage(browser);
    const manifest = await (await fetch(new URL("/manifest.webmanifest", process.env.COOP_BASE_URL))).json();
    assert.equal(manifest.short_name, "Coop");
    assert.equal(manifest.display, "standalone");
    assert.ok(manifest.icons.some(i => i.sizes === "512x512" && i.purpose === "maskable"));
    await installed(page);

    await context.setOffline(true);
    for (let i = 1; i <= 3; i++) {
      await page.goto("/activites/nouvelle?type=individuel"); // answered by the service worker
      await page.locator("#cra-hors-ligne").waitFor();
      // The third at the person's home: the commune is found with no network (the département's file).
      await record(page, `${tag} n°${i}`, i === 3 ? { commune: "Villeurbanne" } : {});
      await page.waitForURL(url => new URL(url).pathname === "/activites/en-attente");
      await page.locator("#cra-enregistre").getByText(/gardée sur cet appareil/).waitFor();
    }
    await badge(page).getByText("3 activités en attente d'envoi").waitFor();
    assert.equal((await mine(api, tag)).length, 0, "nothing reached the server while offline");

    await page.reload(); // still offline: the app shell and the session come from the service worker
    await badge(page).getByText("3 activités en attente d'envoi").waitFor();
    const cards = page.locator('ul[aria-label="Activités en attente d\'envoi"] > li');
    assert.equal(await cards.count(), 3);
    assert.deepEqual(await page.locator(".coop-en-attente__notes").allInnerTexts(), [1, 2, 3].map(i => `${tag} n°${i}`));
    assert.deepEqual(await seriousViolations(page, "en attente"), []);
    await screenshot(page, "hors-ligne-en-attente");

    await context.setOffline(false);
    await page.getByText("Aucune activité en attente d'envoi").waitFor({ timeout: 20_000 });
    await page.locator('[data-testid="en-attente"]').first().waitFor({ state: "detached" }); // the badge is gone
    const sent = await mine(api, tag);
    assert.equal(sent.length, 3, `exactly 3 CRAs arrived: ${sent.map(a => a.notes).join(", ")}`);
    assert.deepEqual(sent.map(a => a.notes).sort(), [1, 2, 3].map(i => `${tag} n°${i}`));
    const domicile = sent.find(a => a.notes === `${tag} n°3`);
    assert.equal(domicile.type_lieu, "domicile");
    assert.equal(domicile.commune_insee, "69266", "Villeurbanne");
    // A reload online sends nothing more.
    await page.reload();
    await page.getByText("Aucune activité en attente d'envoi").waitFor();
    assert.equal((await mine(api, tag)).length, 3);
    await context.close();
  });

  it("a CRA the server refuses stays « à corriger », opens with the server's error and is sent once corrected", async () => {
    const tag = `hors-ligne refus ${randomBytes(4).toString("hex")}`;
    const { context, page } = await newPage(browser);
    await installed(page);
    await context.setOffline(true);
    await page.goto("/activites/nouvelle?type=individuel");
    await page.locator("#cra-hors-ligne").waitFor();
    // The server keeps notes to 5 000 characters; the form does not check it.
    await record(page, `${tag} ${"x".repeat(5100)}`);
    await page.waitForURL(url => new URL(url).pathname === "/activites/en-attente");
    await badge(page).getByText("1 activité en attente d'envoi").waitFor();

    await context.setOffline(false);
    await page.getByText("À corriger", { exact: true }).waitFor({ timeout: 20_000 });
    await badge(page).getByText("1 à corriger").waitFor();
    assert.equal((await mine(api, tag)).length, 0);
    // Still there after a reload: never dropped. On a phone too, without horizontal scrolling.
    await page.setViewportSize({ width: 375, height: 800 });
    await page.reload();
    await page.getByText("À corriger", { exact: true }).waitFor();
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), "no horizontal overflow at 375 px");
    assert.deepEqual(await seriousViolations(page, "à corriger, 375 px"), []);
    await screenshot(page, "hors-ligne-a-corriger-375");
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByRole("link", { name: /^Corriger/ }).click();
    await page.waitForURL(url => new URL(url).pathname.startsWith("/activites/en-attente/"));
    await page.getByText("L'activité n'a pas été enregistrée").waitFor();
    const notesError = page.locator('[data-field="notes"], .fr-input-group--error').filter({ hasText: /trop long/i });
    await notesError.first().waitFor();
    assert.equal((await page.locator("#cra-notes").inputValue()).length, tag.length + 1 + 5100, "what was typed is kept");
    await screenshot(page, "hors-ligne-a-corriger");

    await page.locator("#cra-notes").fill(`${tag} corrigée`);
    await page.getByRole("button", { name: "Enregistrer", exact: true }).click();
    await page.waitForURL(url => new URL(url).pathname === "/activites");
    await page.getByText(/Activité enregistrée/).first().waitFor();
    await page.locator('[data-testid="en-attente"]').first().waitFor({ state: "detached" });
    const sent = await mine(api, tag);
    assert.deepEqual(sent.map(a => a.notes), [`${tag} corrigée`]);
    await context.close();
  });

  it("a try that reached the server without an answer is not created twice, and an edit made since follows", async () => {
    const tag = `hors-ligne perdu ${randomBytes(4).toString("hex")}`;
    const { context, page } = await newPage(browser);
    await installed(page);
    // The server gets the CRA and creates it, but its answer never arrives.
    await page.route("**/api/activites", async route => {
      if (route.request().method() !== "POST") return route.fallback();
      await route.fetch();
      await route.abort("connectionreset");
    });
    await record(page, `${tag} première version`);
    await page.waitForURL(url => new URL(url).pathname === "/activites/en-attente");
    await badge(page).getByText("1 activité en attente d'envoi").waitFor();
    assert.equal((await mine(api, tag)).length, 1, "the server did create it");

    // Edited on the device, then sent again with the same key: still one CRA, with the edit. The
    // answers stay lost until the edit is saved: the sender's own retry (after 5 s) would
    // otherwise send the first version and take the CRA off the list before it is opened.
    await page.getByRole("link", { name: /^Voir et modifier/ }).click();
    await page.locator("#cra-notes").fill(`${tag} modifiée`);
    await page.unroute("**/api/activites");
    await page.getByRole("button", { name: "Enregistrer", exact: true }).click();
    await page.waitForURL(url => new URL(url).pathname === "/activites");
    await page.locator('[data-testid="en-attente"]').first().waitFor({ state: "detached" });
    const sent = await mine(api, tag);
    assert.deepEqual(sent.map(a => a.notes), [`${tag} modifiée`]);
    assert.equal(sent[0].version, 2, "created once, then replaced once");
    await context.close();
  });

  it("a log-out offline ends the session on the server when the network returns, and the app never reopens it", async () => {
    const { context, page } = await newPage(browser);
    await installed(page);
    const session = (await context.cookies()).find(c => c.httpOnly);
    assert.ok(session, "the session cookie");
    const me = () => fetch(new URL("/api/me", process.env.COOP_BASE_URL), { headers: { Cookie: `${session.name}=${session.value}` } });
    assert.equal((await me()).status, 200);
    await context.setOffline(true);
    await page.waitForFunction(() => !navigator.onLine); // the page sees it before the click
    await page.getByRole("button", { name: "Se déconnecter" }).first().click();
    await page.waitForURL(url => new URL(url).pathname === "/connexion");
    assert.equal(await page.evaluate(async () => !!(await (await caches.open("coop-donnees-utilisateur")).match("/api/me"))), false,
      "the offline copy of the session is gone");
    await page.goto("/activites/nouvelle"); // offline: the app does not open the account
    await page.waitForURL(url => new URL(url).pathname === "/connexion");
    assert.equal((await me()).status, 200, "offline, the server could not be told yet");
    await context.setOffline(false);
    await page.reload();
    await page.getByRole("button", { name: "Se connecter" }).waitFor();
    // Back online, the app tells the server: that session no longer opens anything.
    for (let i = 0; i < 40 && (await me()).status !== 401; i++) await new Promise(r => setTimeout(r, 250));
    assert.equal((await me()).status, 401);
    await context.close();
  });
});

