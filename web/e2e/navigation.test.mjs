// Each demo user sees exactly the menu entries of their roles; admin pages refuse the others.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DEMO, launch, login, menuEntries, newPage, skipReason } from "./helpers.mjs";

const EXPECTED = {
  [DEMO.admin]: [
    "Accueil",
    "Statistiques",
    "Discussion",
    "Ressources",
    "Lieux",
    "Administration",
    "Administration > Utilisateurs",
    "Administration > Structures",
    "Administration > Invitations",
    "Administration > Journal d'audit",
    "Administration > Courriels",
    "Administration > Clients API",
    "Administration > Ressources signalées",
    "Administration > Import des lieux",
    "Administration > Banque d'items",
    "Mon compte"
  ],
  [DEMO.coordination]: ["Accueil", "Mon équipe", "Statistiques", "Discussion", "Ressources", "Lieux", "Mon compte"],
  [DEMO.gestion]: ["Accueil", "Ma structure", "Statistiques", "Discussion", "Ressources", "Lieux", "Mon compte"],
  [DEMO.mediatrice]: ["Accueil", "Mes activités", "Bénéficiaires", "Statistiques", "Discussion", "Ressources", "Lieux", "Mon compte"],
  [DEMO.territoire]: ["Accueil", "Statistiques", "Discussion", "Ressources", "Lieux", "Mon compte"]
};

describe("navigation par rôle", { skip: skipReason }, () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  for (const [email, expected] of Object.entries(EXPECTED)) {
    it(`${email} sees ${expected.filter(e => !e.includes(">")).join(", ")}`, async () => {
      const { context, page } = await newPage(browser);
      await login(page, email);
      await page.locator("#fr-header-main-navigation").waitFor({ state: "attached" });
      assert.deepEqual(await menuEntries(page), expected);
      await context.close();
    });
  }

  it("shows the mediator an access-denied message on admin pages", async () => {
    const { context, page } = await newPage(browser);
    await login(page, DEMO.mediatrice);
    for (const path of ["/admin/utilisateurs", "/admin/audit", "/structures", "/equipe"]) {
      await page.goto(path);
      await page.getByRole("heading", { level: 1, name: "Accès refusé" }).waitFor();
      assert.equal(await page.title(), "Accès refusé – Coop");
    }
    await context.close();
  });

  it("leads each menu entry of the admin to its page", async () => {
    const { context, page } = await newPage(browser);
    await login(page, DEMO.admin);
    const pages = [
      ["Utilisateurs", "/admin/utilisateurs", "Utilisateurs"],
      ["Structures", "/structures", "Structures"],
      ["Invitations", "/admin/invitations", "Invitations"],
      ["Journal d'audit", "/admin/audit", "Journal d'audit"],
      ["Courriels", "/admin/courriels", "Courriels"],
      ["Clients API", "/admin/clients-api", "Clients de l'API"]
    ];
    for (const [entry, path, h1] of pages) {
      await page.locator("#fr-header-main-navigation").getByRole("button", { name: "Administration" }).click();
      await page.locator("#fr-header-main-navigation").getByRole("link", { name: entry, exact: true }).click();
      await page.waitForURL(url => new URL(url).pathname === path);
      await page.getByRole("heading", { level: 1, name: h1, exact: true }).waitFor();
      assert.equal(await page.title(), `${h1} – Coop`);
    }
    await context.close();
  });
});
