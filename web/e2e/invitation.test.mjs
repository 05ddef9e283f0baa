// An admin invites someone; the invited person opens the link in another browser, creates the
// account and lands logged in on the home page. Unknown links say so.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DEMO, DEMO_PASSWORD, launch, login, newPage, screenshot, skipReason, unique } from "./helpers.mjs";

describe("invitation", { skip: skipReason }, () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it("admin invites, the invited person accepts and is logged in", async () => {
    const admin = await newPage(browser);
    await login(admin.page, DEMO.admin);
    await admin.page.goto("/admin/invitations");
    const email = `invitee-${unique()}@coop.example`;
    await admin.page.locator("#invitation-admin-email").fill(email);
    await admin.page.locator("#invitation-admin-role").selectOption("mediateur");
    await admin.page.getByLabel(/^Conseiller numérique/).check({ force: true });
    await admin.page.getByRole("button", { name: "Créer l'invitation" }).click();
    await admin.page.getByText(`Invitation créée pour ${email}`).waitFor();
    const link = await admin.page.getByTestId("invitation-link").inputValue();
    assert.match(link, /\/invitation\/[^/]+$/);
    // The new invitation is listed.
    await admin.page.getByRole("cell", { name: email }).waitFor();
    await screenshot(admin.page, "admin-invitation");

    const invited = await newPage(browser);
    await invited.page.goto(new URL(link).pathname);
    await invited.page.getByRole("heading", { level: 1, name: "Invitation à rejoindre Coop" }).waitFor();
    await invited.page.getByText(/Alice Administratrice/).first().waitFor();
    await invited.page.getByText(/conseiller numérique/i).first().waitFor();
    assert.equal(await invited.page.locator("#invitation-email").inputValue(), email);
    await invited.page.locator("#invitation-nom").fill("Nouveau");
    await invited.page.locator("#invitation-prenom").fill("Noé");
    await invited.page.locator("#invitation-telephone").fill("06 01 02 03 04");
    await invited.page.locator("#invitation-password").fill("mot-de-passe-solide-2026");
    await invited.page.locator("#invitation-confirmation").fill("mot-de-passe-different");
    await invited.page.getByText("Les deux mots de passe ne correspondent pas.").waitFor();
    await invited.page.locator("#invitation-confirmation").fill("mot-de-passe-solide-2026");
    await screenshot(invited.page, "invitation-formulaire");
    await invited.page.getByRole("button", { name: /Accepter l'invitation/ }).click();
    await invited.page.waitForURL(url => new URL(url).pathname === "/");
    await invited.page.getByRole("heading", { level: 1, name: /Bonjour Noé/ }).waitFor();
    await invited.page.locator("header").getByText("Noé Nouveau").first().waitFor();

    // The link cannot be used twice.
    const again = await newPage(browser);
    await again.page.goto(new URL(link).pathname);
    await again.page.getByText("Invitation déjà utilisée").waitFor();
    await again.context.close();
    await invited.context.close();
    await admin.context.close();
  });

  it("says clearly that an unknown invitation does not exist", async () => {
    const { context, page } = await newPage(browser);
    await page.goto("/invitation/nexistepas0123456789");
    await page.getByText("Invitation introuvable").waitFor();
    assert.equal(await page.locator("form").count(), 0);
    await context.close();
  });
});
