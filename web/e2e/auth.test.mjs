// Log-in, log-out, redirection to the page asked for, phone viewport.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Api, DEMO, DEMO_PASSWORD, launch, login, newPage, screenshot, skipReason, unique } from "./helpers.mjs";

describe("connexion", { skip: skipReason }, () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it("logs in and shows the home page with the user's name", async () => {
    const { context, page } = await newPage(browser);
    await page.goto("/connexion");
    assert.equal(await page.title(), "Connexion – Coop");
    assert.equal(await page.getAttribute("html", "lang"), "fr");
    await login(page, DEMO.admin);
    await page.getByRole("heading", { level: 1, name: /Bonjour Alice/ }).waitFor();
    assert.equal(await page.title(), "Accueil – Coop");
    await page.locator("header").getByText("Alice Administratrice").first().waitFor();
    await screenshot(page, "accueil-admin");
    await context.close();
  });

  it("refuses a wrong password, says why and keeps the e-mail typed; too many tries are refused", async () => {
    // An account of its own: failed log-ins count against it (5 per 15 minutes).
    const email = `echecs-${unique()}@coop.example`;
    const admin = new Api();
    await admin.login(DEMO.admin);
    await admin.request("POST", "/api/users", {
      email,
      nom: "Échecs",
      prenom: "Eva",
      telephone: "",
      password: DEMO_PASSWORD,
      roles: [{ role: "mediateur", structure_id: null, conseiller_numerique: false }]
    });
    const { context, page } = await newPage(browser);
    await page.goto("/connexion");
    await page.getByLabel("Adresse e-mail").fill(email);
    await page.getByLabel("Mot de passe", { exact: true }).fill("pas-le-bon-mot-de-passe");
    await page.getByRole("button", { name: "Se connecter" }).click();
    await page.getByText("Adresse e-mail ou mot de passe incorrect.").waitFor();
    assert.equal(await page.getByLabel("Adresse e-mail").inputValue(), email);
    assert.equal(await page.getByLabel("Mot de passe", { exact: true }).inputValue(), "pas-le-bon-mot-de-passe");
    assert.equal(new URL(page.url()).pathname, "/connexion");
    await screenshot(page, "connexion-erreur");

    // Keep trying: the server soon refuses (429) and the form says so.
    const tooMany = page.getByText(/Trop de tentatives de connexion/);
    for (let i = 0; i < 8 && !(await tooMany.isVisible()); i++) {
      const answered = page.waitForResponse(r => r.url().endsWith("/api/auth/login"));
      await page.getByRole("button", { name: "Se connecter" }).click();
      await answered;
      await page.waitForTimeout(100);
    }
    await tooMany.waitFor();
    assert.equal(await page.getByLabel("Adresse e-mail").inputValue(), email);
    await context.close();
  });

  it("validates the e-mail as it is typed", async () => {
    const { context, page } = await newPage(browser);
    await page.goto("/connexion");
    await page.getByLabel("Adresse e-mail").fill("pas-une-adresse");
    await page.getByText(/Adresse e-mail invalide/).waitFor();
    assert.equal(await page.getByLabel("Adresse e-mail").getAttribute("aria-invalid"), "true");
    await context.close();
  });

  it("sends a logged-out visitor to /connexion and back to the page asked for", async () => {
    const { context, page } = await newPage(browser);
    await page.goto("/compte");
    await page.waitForURL(/\/connexion$/);
    await login(page, DEMO.coordination, DEMO_PASSWORD, { expectPath: "/compte" });
    await page.getByRole("heading", { level: 1, name: "Mon compte" }).waitFor();
    await context.close();
  });

  it("logs out, after which /compte redirects to /connexion", async () => {
    const { context, page } = await newPage(browser);
    await login(page, DEMO.gestion);
    await page.locator("header").getByRole("button", { name: "Se déconnecter" }).first().click();
    await page.waitForURL(/\/connexion$/);
    await page.getByText("Vous êtes déconnecté.").waitFor();
    await page.goto("/compte");
    await page.waitForURL(/\/connexion$/);
    await page.getByRole("heading", { level: 1, name: "Se connecter à Coop" }).waitFor();
    await context.close();
  });

  it("works on a 375 px wide phone: burger menu, log-in, navigation", async () => {
    const { context, page } = await newPage(browser, {
      viewport: { width: 375, height: 812 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true
    });
    await page.goto("/connexion");
    const burger = page.locator("header").getByRole("button", { name: "Menu" });
    await burger.waitFor();
    assert.ok(await burger.isVisible(), "the burger button is visible");
    await screenshot(page, "mobile-connexion");
    await login(page, DEMO.coordination);
    await page.getByRole("heading", { level: 1, name: /Bonjour Camille/ }).waitFor();
    // The navigation is folded into the burger menu.
    const navLink = page.locator("#fr-header-main-navigation").getByRole("link", { name: "Mon équipe" });
    assert.equal(await navLink.isVisible(), false, "navigation hidden behind the burger");
    await burger.click();
    await navLink.waitFor({ state: "visible" });
    await screenshot(page, "mobile-menu");
    await navLink.click();
    await page.waitForURL(/\/equipe$/);
    await page.getByRole("heading", { level: 1, name: "Mon équipe" }).waitFor();
    // No horizontal scrolling of the page itself.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `page wider than the screen by ${overflow}px`);
    await screenshot(page, "mobile-equipe");
    await context.close();
  });
});
