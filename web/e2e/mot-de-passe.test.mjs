// « Mot de passe oublié », as a person does it: from the log-in page, ask for a link, open it from
// the mail (read in the server's outbox), choose a new password, log in with it. The account is
// one of the test's own (the demo accounts, shared by every browser test, keep their password).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Api, DEMO, DEMO_PASSWORD, courrielsPour, launch, login, newPage, screenshot, seriousViolations, skipReason, unique } from "./helpers.mjs";

const NEW_PASSWORD = "mon-nouveau-mot-de-passe-2026";

/** The path of the link in the newest reset mail to `email`. */
function resetLinkPath(email) {
  const mails = courrielsPour(email).filter(m => m.modele === "reinitialisation_mot_de_passe");
  assert.ok(mails.length > 0, `a reset mail for ${email}`);
  const m = /(https?:\/\/\S+\/reinitialisation\/[A-Za-z0-9_-]+)\s*$/m.exec(mails.at(-1).texte);
  assert.ok(m, `a link in the mail: ${mails.at(-1).texte}`);
  return new URL(m[1]).pathname;
}

async function noHorizontalOverflow(page, what) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(scroll <= width, `${what}: the page is ${scroll} px wide in a ${width} px window`);
}

describe("mot de passe oublié", { skip: skipReason }, () => {
  let browser;
  let email;
  before(async () => {
    browser = await launch();
    const admin = new Api();
    await admin.login(DEMO.admin);
    email = `oubli-${unique()}@coop.example`;
    await admin.request("POST", "/api/users", {
      email,
      nom: "Oublieuse",
      prenom: "Camille",
      telephone: "",
      password: DEMO_PASSWORD,
      roles: [{ role: "mediateur", structure_id: null, conseiller_numerique: false }]
    });
  });
  after(async () => {
    await browser?.close();
  });

  it("from the log-in page: ask for a link, choose a new password from the mail, log in with it", async () => {
    const { context, page } = await newPage(browser);
    await page.goto("/connexion");
    await page.getByLabel("Adresse e-mail").fill(email);
    await page.getByRole("link", { name: "Mot de passe oublié ?" }).click();
    await page.waitForURL(url => new URL(url).pathname === "/mot-de-passe-oublie");
    await page.getByRole("heading", { level: 1, name: "Mot de passe oublié" }).waitFor();
    // The address typed on the log-in page comes along.
    assert.equal(await page.getByLabel("Adresse e-mail").inputValue(), email);
    assert.deepEqual(await seriousViolations(page, "mot-de-passe-oublie"), []);

    // A wrong address is refused in French and stays as typed.
    await page.getByLabel("Adresse e-mail").fill("camille@");
    await page.getByRole("button", { name: "Recevoir un lien" }).click();
    await page.getByText("Adresse e-mail invalide").first().waitFor();
    assert.equal(await page.getByLabel("Adresse e-mail").inputValue(), "camille@");
    assert.equal(courrielsPour(email).filter(m => m.modele !== "bienvenue").length, 0);

    await page.getByLabel("Adresse e-mail").fill(email);
    await page.getByRole("button", { name: "Recevoir un lien" }).click();
    await page.getByRole("heading", { name: "Demande envoyée" }).waitFor();
    await page.getByText(/Si un compte Coop correspond à cette adresse/).waitFor();
    await screenshot(page, "mot-de-passe-oublie-envoye");

    // The link of the mail, opened in the same browser.
    const path = resetLinkPath(email);
    await page.goto(path);
    await page.getByRole("heading", { level: 1, name: "Nouveau mot de passe" }).waitFor();
    assert.equal(await page.locator("#reinitialisation-email").inputValue(), email);
    await page.getByText(/Ce lien est valable jusqu'au/).waitFor();
    assert.deepEqual(await seriousViolations(page, "reinitialisation"), []);

    // Too short, then two different passwords: refused, what was typed stays.
    await page.locator("#reinitialisation-password").fill("court");
    await page.locator("#reinitialisation-confirmation").fill("court");
    await page.getByRole("button", { name: "Enregistrer le nouveau mot de passe" }).click();
    await page.getByText("Le mot de passe doit contenir au moins 12 caractères.").waitFor();
    await page.locator("#reinitialisation-password").fill(NEW_PASSWORD);
    await page.locator("#reinitialisation-confirmation").fill(`${NEW_PASSWORD}-autre`);
    await page.getByText("Les deux mots de passe ne correspondent pas.").waitFor();
    await page.getByRole("button", { name: "Enregistrer le nouveau mot de passe" }).click();
    assert.equal(await page.locator("#reinitialisation-password").inputValue(), NEW_PASSWORD);
    await page.locator("#reinitialisation-confirmation").fill(NEW_PASSWORD);
    await screenshot(page, "reinitialisation-formulaire");
    await page.getByRole("button", { name: "Enregistrer le nouveau mot de passe" }).click();

    // Back on the log-in page with a success message and the address filled in.
    await page.waitForURL(url => new URL(url).pathname === "/connexion");
    await page.getByRole("heading", { name: "Mot de passe modifié" }).waitFor();
    assert.equal(await page.getByLabel("Adresse e-mail").inputValue(), email);
    await screenshot(page, "connexion-mot-de-passe-modifie");
    const notices = courrielsPour(email).filter(m => m.modele === "mot_de_passe_modifie");
    assert.equal(notices.length, 1, "the « mot de passe modifié » notice is queued");

    // The old password no longer works; the new one does.
    await page.getByLabel("Mot de passe", { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Se connecter" }).click();
    await page.getByText("Adresse e-mail ou mot de passe incorrect.").first().waitFor();
    await login(page, email, NEW_PASSWORD);
    await page.getByRole("heading", { level: 1, name: /Bonjour Camille/ }).waitFor();

    // The link works once.
    const again = await newPage(browser);
    await again.page.goto(path);
    await again.page.getByRole("heading", { name: "Lien déjà utilisé" }).waitFor();
    assert.equal(await again.page.locator("form").count(), 0);
    await again.page.getByRole("link", { name: "Demander un nouveau lien" }).waitFor();
    await again.context.close();
    await context.close();
  });

  it("says clearly that an unknown link does not exist", async () => {
    const { context, page } = await newPage(browser);
    await page.goto("/reinitialisation/nexistepas0123456789abcdefghijklmnopqrstuv");
    await page.getByRole("heading", { name: "Lien introuvable" }).waitFor();
    assert.equal(await page.locator("form").count(), 0);
    await page.getByRole("link", { name: "Demander un nouveau lien" }).click();
    await page.waitForURL(url => new URL(url).pathname === "/mot-de-passe-oublie");
    await context.close();
  });

  it("fits a 375 px phone", async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 375, height: 740 } });
    await page.goto("/connexion");
    await page.getByRole("link", { name: "Mot de passe oublié ?" }).waitFor();
    await noHorizontalOverflow(page, "/connexion");
    await page.goto("/mot-de-passe-oublie");
    await page.getByRole("button", { name: "Recevoir un lien" }).waitFor();
    await noHorizontalOverflow(page, "/mot-de-passe-oublie");
    await screenshot(page, "mot-de-passe-oublie-375");
    await page.goto("/reinitialisation/nexistepas0123456789abcdefghijklmnopqrstuv");
    await page.getByRole("heading", { name: "Lien introuvable" }).waitFor();
    await noHorizontalOverflow(page, "/reinitialisation (lien inconnu)");
    await context.close();
  });
});
