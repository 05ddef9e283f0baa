// Forms: validation as the user types, the server's field errors next to their input, nothing
// typed is lost on an error, a saved profile survives a reload.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Api, DEMO, DEMO_PASSWORD, launch, login, newPage, randomSiret, screenshot, skipReason, unique } from "./helpers.mjs";

/** The error message the DSFR shows under an input, found through aria-describedby or the group. */
async function fieldError(page, inputSelector) {
  return page.locator(inputSelector).evaluate(input => {
    const group = input.closest(".fr-input-group, .fr-password, .fr-select-group");
    const msg = group?.querySelector(".fr-error-text, .fr-message--error");
    return msg?.textContent?.trim() ?? null;
  });
}

describe("formulaires", { skip: skipReason }, () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it("rejects a SIRET with a bad key while typing and keeps what was typed", async () => {
    const { context, page } = await newPage(browser);
    await login(page, DEMO.admin);
    await page.goto("/structures");
    await page.getByRole("button", { name: "Créer une structure" }).click();
    const nom = `Structure test ${unique()}`;
    await page.locator("#nouvelle-structure-nom").fill(nom);
    await page.locator("#nouvelle-structure-siret").fill("12345678901234");
    await page.locator("#nouvelle-structure-adresse").fill("1 rue de la Paix");
    await page.getByText("SIRET invalide : la clé de contrôle ne correspond pas.").waitFor();
    await page.getByRole("button", { name: "Créer la structure" }).click();
    // Still on the form, the values kept, the errors next to their fields.
    assert.equal(new URL(page.url()).pathname, "/structures");
    assert.match(await fieldError(page, "#nouvelle-structure-siret"), /clé de contrôle/);
    assert.match((await fieldError(page, 'input[name="commune_insee"]')) ?? "", /commune/i);
    assert.equal(await page.locator("#nouvelle-structure-nom").inputValue(), nom);
    assert.equal(await page.locator("#nouvelle-structure-siret").inputValue(), "12345678901234");
    assert.equal(await page.locator("#nouvelle-structure-adresse").inputValue(), "1 rue de la Paix");
    await screenshot(page, "structure-siret-invalide");

    // Fix the SIRET (Luhn-valid), pick a commune with the keyboard: the structure is created.
    const siret = randomSiret();
    await page.locator("#nouvelle-structure-siret").fill(siret);
    await page.getByText("SIRET valide.").waitFor();
    const commune = page.locator('input[name="commune_insee"]');
    await commune.fill("Villeurb");
    await page.getByRole("option", { name: /Villeurbanne \(69100\)/ }).waitFor();
    await commune.press("ArrowDown");
    assert.ok(await commune.getAttribute("aria-activedescendant"), "active option announced");
    await commune.press("Enter");
    assert.match(await commune.inputValue(), /^Villeurbanne \(69100\) – Rhône$/);
    await page.getByRole("button", { name: "Créer la structure" }).click();
    await page.waitForURL(/\/structures\/\d+$/);
    await page.getByRole("heading", { level: 1, name: nom }).waitFor();
    await page.getByText(`${siret.slice(0, 3)} ${siret.slice(3, 6)} ${siret.slice(6, 9)} ${siret.slice(9)}`).waitFor();
    await context.close();
  });

  it("shows the server's error next to the SIRET of a structure that already exists", async () => {
    const api = new Api();
    await api.login(DEMO.admin);
    const existing = (await api.request("GET", "/api/structures?per_page=1")).items[0];
    const { context, page } = await newPage(browser);
    await login(page, DEMO.admin);
    await page.goto("/structures?creer=1");
    await page.locator("#nouvelle-structure-nom").fill("Doublon");
    await page.locator("#nouvelle-structure-siret").fill(existing.siret);
    const commune = page.locator('input[name="commune_insee"]');
    await commune.fill("69123");
    await page.getByRole("option", { name: /^Lyon/ }).first().click();
    await page.getByRole("button", { name: "Créer la structure" }).click();
    await page.locator(".fr-alert--error").waitFor();
    assert.match((await fieldError(page, "#nouvelle-structure-siret")) ?? "", /existe déjà/);
    assert.equal(await page.locator("#nouvelle-structure-nom").inputValue(), "Doublon");
    assert.equal(await page.locator("#nouvelle-structure-siret").inputValue(), existing.siret);
    await screenshot(page, "structure-doublon");
    await context.close();
  });

  it("checks the new password's length as typed and shows the server's error for a wrong current password", async () => {
    const { context, page } = await newPage(browser);
    await login(page, DEMO.mediatrice);
    await page.goto("/compte");
    await page.locator("#mdp-actuel").fill(DEMO_PASSWORD);
    await page.locator("#mdp-nouveau").fill("court");
    await page.locator("#mdp-confirmation").fill("court");
    await page.getByText("Le mot de passe doit contenir au moins 12 caractères.").waitFor();
    await page.getByRole("button", { name: "Modifier mon mot de passe" }).click();
    assert.match(await fieldError(page, "#mdp-nouveau"), /au moins 12 caractères/);
    assert.equal(await page.locator("#mdp-nouveau").inputValue(), "court");
    assert.equal(await page.locator("#mdp-actuel").inputValue(), DEMO_PASSWORD);

    // Long enough, but the current password is wrong: the server's field error lands next to it.
    await page.locator("#mdp-actuel").fill("ce-nest-pas-le-bon");
    await page.locator("#mdp-nouveau").fill("un-nouveau-mot-de-passe-2026");
    await page.locator("#mdp-confirmation").fill("un-nouveau-mot-de-passe-2026");
    await page.getByRole("button", { name: "Modifier mon mot de passe" }).click();
    await page.getByText("Le mot de passe actuel est incorrect.").waitFor();
    assert.match(await fieldError(page, "#mdp-actuel"), /actuel est incorrect/);
    assert.equal(await page.locator("#mdp-nouveau").inputValue(), "un-nouveau-mot-de-passe-2026");
    await screenshot(page, "compte-mot-de-passe-erreur");
    await context.close();
  });

  it("saves the profile, which survives a reload", async () => {
    // A user of its own, so that the demo accounts stay as they are for the other tests.
    const admin = new Api();
    await admin.login(DEMO.admin);
    const email = `profil-${unique()}@coop.example`;
    await admin.request("POST", "/api/users", {
      email,
      nom: "Profil",
      prenom: "Paula",
      telephone: "",
      password: DEMO_PASSWORD,
      roles: [{ role: "mediateur", structure_id: null, conseiller_numerique: false }]
    });
    const { context, page } = await newPage(browser);
    await login(page, email);
    await page.goto("/compte");
    await page.locator("#profil-telephone").fill("07 11 22 33 4");
    await page.getByText(/Numéro de téléphone invalide/).waitFor();
    await page.locator("#profil-telephone").fill("07 11 22 33 44");
    await page.locator("#profil-nom").fill("Profil-Modifié");
    await page.getByRole("button", { name: "Enregistrer mes informations" }).click();
    await page.getByText("Vos informations ont été enregistrées.").waitFor();
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "Mon compte" }).waitFor();
    assert.equal(await page.locator("#profil-nom").inputValue(), "Profil-Modifié");
    assert.equal(await page.locator("#profil-telephone").inputValue(), "07 11 22 33 44");
    await page.locator("header").getByText("Paula Profil-Modifié").first().waitFor();
    await context.close();
  });
});
