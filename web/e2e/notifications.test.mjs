// Live notifications: a role granted by an admin shows in the other user's header, without reload.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Api, DEMO, DEMO_PASSWORD, launch, login, menuEntries, newPage, screenshot, skipReason, unique } from "./helpers.mjs";

describe("notifications en direct", { skip: skipReason }, () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it("shows a role granted by an admin in the header and updates the menu", async () => {
    const api = new Api();
    await api.login(DEMO.admin);
    const email = `notif-${unique()}@coop.example`;
    const user = await api.request("POST", "/api/users", {
      email,
      nom: "Direct",
      prenom: "Nina",
      telephone: "",
      password: DEMO_PASSWORD,
      roles: [{ role: "mediateur", structure_id: null, conseiller_numerique: false }]
    });

    const nina = await newPage(browser);
    await login(nina.page, email);
    await nina.page.getByRole("heading", { level: 1, name: /Bonjour Nina/ }).waitFor();
    assert.deepEqual(await menuEntries(nina.page), ["Accueil", "Mes activités", "Bénéficiaires", "Statistiques", "Discussion", "Ressources", "Lieux", "Réseaux", "Mon compte"]);
    // The WebSocket is open.
    await nina.page.locator('[data-testid="notification-bell"][data-connected="true"]').first().waitFor({ state: "attached" });
    const marker = await nina.page.evaluate(() => (window.__coopMarker = Math.random()));

    const admin = await newPage(browser);
    await login(admin.page, DEMO.admin);
    await admin.page.goto(`/admin/utilisateurs/${user.id}`);
    await admin.page.getByRole("heading", { level: 1, name: "Nina Direct" }).waitFor();
    await admin.page.getByLabel(/^Coordinateur/).check({ force: true });
    await admin.page.getByRole("button", { name: "Enregistrer les rôles" }).click();
    await admin.page.locator("#roles-enregistres").waitFor();

    // In Nina's page: the toast, the unread count on the bell, the new menu entry.
    await nina.page.getByTestId("toaster").getByText(/Coordinateur.*attribué/).waitFor({ timeout: 15_000 });
    const count = nina.page.getByTestId("notification-count").first();
    await count.waitFor();
    assert.match(await count.innerText(), /1/);
    await nina.page.locator("#fr-header-main-navigation").getByRole("link", { name: "Mon équipe" }).waitFor({ state: "attached" });
    assert.equal(await nina.page.evaluate(() => window.__coopMarker), marker, "no reload happened");
    await screenshot(nina.page, "notification");
    await nina.page.getByTestId("notification-bell").first().click();
    await nina.page.locator(".coop-bell__panel").first().getByText(/Coordinateur.*attribué/).waitFor();
    await nina.context.close();
    await admin.context.close();
  });

  it("sends another open session to /connexion when the password is changed", async () => {
    const api = new Api();
    await api.login(DEMO.admin);
    const email = `session-${unique()}@coop.example`;
    await api.request("POST", "/api/users", {
      email,
      nom: "Session",
      prenom: "Sam",
      telephone: "",
      password: DEMO_PASSWORD,
      roles: [{ role: "mediateur", structure_id: null, conseiller_numerique: false }]
    });
    const first = await newPage(browser);
    await login(first.page, email);
    await first.page.locator('[data-testid="notification-bell"][data-connected="true"]').first().waitFor({ state: "attached" });
    // The same person, elsewhere, changes the password: every other session is closed.
    const other = new Api();
    await other.login(email);
    await other.request("POST", "/api/me/password", { current_password: DEMO_PASSWORD, new_password: "un-autre-mot-de-passe-2026" });
    await first.page.waitForURL(/\/connexion$/, { timeout: 15_000 });
    await first.page.getByRole("heading", { level: 1, name: "Se connecter à Coop" }).waitFor();
    await first.context.close();
  });
});
