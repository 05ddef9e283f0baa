// Admin: API clients (secret shown once with a copy button, revocation), and the public API
// answering with those credentials; axe-core on the page.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { BASE_URL, DEMO, launch, login, newPage, screenshot, seriousViolations, skipReason, unique } from "./helpers.mjs";

describe("clients de l'API (admin)", { skip: skipReason }, () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it("creates a client, shows its secret once, which opens the public API, then revokes it", async () => {
    const { context, page } = await newPage(browser);
    await login(page, DEMO.admin);
    await page.goto("/admin/clients-api");
    await page.getByRole("heading", { level: 1, name: "Clients de l'API" }).waitFor();
    assert.deepEqual(await seriousViolations(page, "clients-api"), []);
    const nom = `Observatoire ${unique()}`;
    await page.getByRole("button", { name: "Créer le client" }).click();
    await page.getByText("Le nom du client est obligatoire.").waitFor();
    await page.locator("#client-nom").fill(nom);
    // Valid from yesterday (UTC): the server's day may be behind the browser's (Europe/Paris).
    await page.locator("#client-du").fill(new Date(Date.now() - 86_400_000).toISOString().slice(0, 10));
    await page.getByLabel(/^Lieux d'activité/).check({ force: true });
    await page.getByRole("button", { name: "Créer le client" }).click();
    await page.getByRole("heading", { name: `Client « ${nom} » créé` }).waitFor();
    const clientId = await page.locator("#client-id").inputValue();
    const secret = await page.locator("#client-secret").inputValue();
    assert.ok(clientId && secret);
    await page.getByRole("button", { name: "Copier : Secret du client (client_secret)" }).click();
    await page.getByText("Copié dans le presse-papiers.").first().waitFor();
    assert.deepEqual(await seriousViolations(page, "clients-api-cree"), []);
    await screenshot(page, "clients-api");

    const auth = { Authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}` };
    assert.equal((await fetch(`${BASE_URL}/api/v1/lieux-activite`, { headers: auth })).status, 200);

    const row = page.locator(`tr[data-client="${clientId}"]`);
    await row.getByText("Actif").waitFor();
    await row.getByRole("button", { name: "Révoquer" }).click();
    await row.getByRole("button", { name: "Confirmer la révocation" }).click();
    await row.getByText("Révoqué").waitFor();
    assert.equal((await fetch(`${BASE_URL}/api/v1/lieux-activite`, { headers: auth })).status, 401);
    await context.close();
  });
});
