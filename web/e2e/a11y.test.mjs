// axe-core on every page: no "serious" or "critical" violation (all violations are printed).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Api, DEMO, launch, login, newPage, screenshot, seriousViolations, skipReason, unique } from "./helpers.mjs";

describe("accessibilité (axe-core)", { skip: skipReason }, () => {
  let browser;
  const sessions = {};
  let invitationPath;
  let structureId;

  before(async () => {
    browser = await launch();
    for (const [key, email] of Object.entries(DEMO)) {
      const s = await newPage(browser);
      await login(s.page, email);
      sessions[key] = s;
    }
    const api = new Api();
    await api.login(DEMO.admin);
    const inv = await api.request("POST", "/api/invitations", { email: `a11y-${unique()}@coop.example`, role: "mediateur" });
    invitationPath = new URL(inv.lien).pathname;
    const me = await new Api().login(DEMO.gestion);
    structureId = me.roles.find(r => r.role === "gestionnaire_structure").structure_id;
  });
  after(async () => {
    await browser?.close();
  });

  /** Visit, wait for the h1 and the end of loading, check, screenshot. */
  async function check(page, path, name, { ready } = {}) {
    await page.goto(path);
    await page.locator("main h1").first().waitFor();
    await page.waitForFunction(() => !document.querySelector("main [role=status]")?.textContent?.includes("Chargement"));
    if (ready) await ready(page);
    const bad = await seriousViolations(page, name);
    await screenshot(page, `page-${name}`);
    assert.deepEqual(
      bad.map(v => `${v.id}: ${v.help} → ${v.nodes.map(n => n.target.join(" ")).join(", ")}`),
      [],
      `serious/critical axe violations on ${path}`
    );
  }

  it("connexion", async () => {
    const { context, page } = await newPage(browser);
    await check(page, "/connexion", "connexion");
    // With an error displayed too.
    await page.getByLabel("Adresse e-mail").fill("x");
    await page.getByRole("button", { name: "Se connecter" }).click();
    assert.deepEqual(await seriousViolations(page, "connexion-erreurs"), []);
    await context.close();
  });

  it("connexion on a phone", async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    await check(page, "/connexion", "connexion-mobile");
    await context.close();
  });

  it("invitation", async () => {
    const { context, page } = await newPage(browser);
    await check(page, invitationPath, "invitation");
    await context.close();
  });

  it("invitation inconnue", async () => {
    const { context, page } = await newPage(browser);
    await check(page, "/invitation/inconnue", "invitation-inconnue");
    await context.close();
  });

  it("accueil (each role)", async () => {
    for (const key of Object.keys(DEMO)) await check(sessions[key].page, "/", `accueil-${key}`);
  });

  it("compte", async () => {
    await check(sessions.mediatrice.page, "/compte", "compte");
  });

  it("structures (admin)", async () => {
    await check(sessions.admin.page, "/structures?creer=1", "structures", {
      ready: p => p.getByRole("table").waitFor()
    });
  });

  it("structure detail (gestionnaire)", async () => {
    await check(sessions.gestion.page, `/structures/${structureId}`, "structure", {
      ready: p => p.getByRole("table").first().waitFor()
    });
  });

  it("equipe (coordinateur)", async () => {
    await check(sessions.coordination.page, "/equipe", "equipe", {
      ready: p => p.getByRole("table").first().waitFor()
    });
  });

  it("admin: utilisateurs, utilisateur, création, invitations, audit", async () => {
    const page = sessions.admin.page;
    await check(page, "/admin/utilisateurs", "admin-utilisateurs", { ready: p => p.getByRole("table").waitFor() });
    await page.getByRole("table").getByRole("link").first().click();
    await page.waitForURL(/\/admin\/utilisateurs\/\d+$/);
    await check(page, new URL(page.url()).pathname, "admin-utilisateur");
    await check(page, "/admin/utilisateurs/nouveau", "admin-nouvel-utilisateur");
    await check(page, "/admin/invitations", "admin-invitations", { ready: p => p.getByRole("table").waitFor() });
    await check(page, "/admin/audit", "admin-audit", { ready: p => p.getByRole("table").waitFor() });
  });

  it("statistiques (each role) and an unknown share link", async () => {
    for (const key of Object.keys(DEMO)) {
      await check(sessions[key].page, "/statistiques", `statistiques-${key}`, {
        ready: p => p.locator('[data-testid="tableau-de-bord"]').waitFor()
      });
    }
    const { context, page } = await newPage(browser);
    await check(page, "/partage/statistiques/inconnu", "partage-inconnu", {
      ready: p => p.getByText("Ce lien de partage n'existe pas ou a été révoqué").waitFor()
    });
    await context.close();
  });

  it("accès refusé and page introuvable", async () => {
    await check(sessions.mediatrice.page, "/admin/utilisateurs", "acces-refuse");
    await check(sessions.mediatrice.page, "/nimporte-quoi", "introuvable");
  });
});
