// Sign-up in the browser: the form, the confirmation link read from the outbox, the steps
// (profile, employer structure by SIRET, lieux), « Premiers pas »; then the demo gestionnaire
// confirms a pending employment on the structure page.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DEMO, courrielsPour, launch, login, newPage, randomSiret, screenshot, seriousViolations, skipReason, unique } from "./helpers.mjs";

const PASSWORD = "un mot de passe bien long";

/** The path of the latest confirmation link sent to this address. */
function lien(email) {
  const mail = courrielsPour(email).filter(m => m.modele === "inscription_confirmation").pop();
  assert.ok(mail, `confirmation mail for ${email}`);
  const m = /\/inscription\/confirmer\/[A-Za-z0-9_-]+/.exec(mail.texte);
  assert.ok(m, mail.texte);
  return m[0];
}

async function inscrire(page, email, prenom, nom) {
  await page.goto("/connexion");
  await page.getByRole("link", { name: "Créer un compte" }).click();
  await page.getByRole("heading", { level: 1, name: "Créer un compte Coop" }).waitFor();
  await page.locator("#inscription-email").fill(email);
  await page.locator("#inscription-prenom").fill(prenom);
  await page.locator("#inscription-nom").fill(nom);
  await page.locator("#inscription-password").fill(PASSWORD);
  await page.locator("#inscription-confirmation").fill(PASSWORD);
  // Without the terms accepted: a clear error, and what was typed stays.
  await page.getByRole("button", { name: "Créer mon compte" }).click();
  await page.getByText("Vous devez accepter les conditions générales d'utilisation.").waitFor();
  assert.equal(await page.locator("#inscription-email").inputValue(), email);
  await page.getByLabel(/^J'accepte les conditions générales d'utilisation/).check({ force: true });
  assert.equal(await page.getByLabel(/^J.accepte les conditions/).isChecked(), true);
  await page.getByRole("button", { name: "Créer mon compte" }).click();
  await page.getByRole("heading", { name: "Vérifiez votre boîte mail" }).waitFor();
}

/** The page fits the window: no horizontal scrolling (the phone test below). */
async function tientDansLaLargeur(page, label) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(scroll <= width, `${label}: page ${scroll} px wide in a ${width} px window`);
}

describe("inscription", { skip: skipReason }, () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it("on a 375 px phone: sign up, confirm, steps, premiers pas", async () => {
    const email = `inscription-${unique()}@coop.example`;
    const { page } = await newPage(browser);
    await page.setViewportSize({ width: 375, height: 800 });
    await inscrire(page, email, "Inès", "Inscrite");
    await tientDansLaLargeur(page, "inscription");
    const bad = await seriousViolations(page, "inscription-envoyee");
    assert.deepEqual(bad.map(v => v.id), []);

    // Before confirming, log-in says why it is refused, and offers a new link.
    await page.goto("/connexion");
    await page.locator("#login-email").fill(email);
    await page.locator("#login-password").fill(PASSWORD);
    await page.getByRole("button", { name: "Se connecter" }).click();
    await page.getByRole("heading", { name: "Adresse e-mail à confirmer" }).waitFor();
    await page.getByRole("button", { name: "Renvoyer le lien de confirmation" }).click();
    await page.getByRole("heading", { name: "Vérifiez votre boîte mail" }).waitFor();
    assert.equal(courrielsPour(email).filter(m => m.modele === "inscription_confirmation").length, 2);

    // The latest link, with the password of the form: logged in, first step.
    await page.goto(lien(email));
    await page.locator("#confirmation-password").fill(PASSWORD);
    await page.getByRole("button", { name: "Confirmer et continuer" }).click();
    await page.getByRole("heading", { level: 1, name: "Finaliser mon inscription" }).waitFor();
    await page.getByText("Étape 1 sur 3").waitFor();
    assert.deepEqual((await seriousViolations(page, "inscription-profil")).map(v => v.id), []);
    await tientDansLaLargeur(page, "étape profil");
    await page.getByLabel(/^Conseiller ou conseillère numérique/).check({ force: true });
    await page.getByRole("button", { name: "Continuer" }).click();

    // Employer: the demo structure, found by its SIRET (name and commune shown to confirm).
    await page.getByText("Étape 2 sur 3").waitFor();
    await page.locator("#structure-siret").fill("123");
    await page.getByRole("button", { name: "Rechercher la structure" }).click();
    await page.locator("#structure-siret-desc-error, .fr-error-text").first().waitFor();
    const siret = randomSiret();
    await page.locator("#structure-siret").fill(siret);
    await page.getByRole("button", { name: "Rechercher la structure" }).click();
    await page.getByText("Aucune structure n'a ce SIRET dans Coop").waitFor();
    const nomStructure = `Association Inscription ${unique()}`;
    await page.locator("#structure-nom").fill(nomStructure);
    await page.locator('input[name="commune_insee"]').fill("Villeurbanne");
    await page.getByRole("option", { name: /^Villeurbanne/ }).first().click();
    await page.locator("#structure-adresse").fill("12 rue de la Gare");
    await screenshot(page, "inscription-structure");
    await tientDansLaLargeur(page, "étape structure");
    await page.getByRole("button", { name: "Créer la structure et continuer" }).click();

    // Lieux: the employer, and a new place.
    await page.getByText("Étape 3 sur 3").waitFor();
    await page.locator("#rattachement-en-attente").waitFor();
    await page.getByRole("button", { name: /J'exerce aussi dans ma structure employeuse/ }).click();
    await page.locator("#mes-lieux").getByText(nomStructure).waitFor();
    const lieu = `Médiathèque ${unique()}`;
    await page.locator("#lieu-nom").fill(lieu);
    await page.locator('input[name="lieu_commune"]').fill("Lyon");
    await page.getByRole("option", { name: /^Lyon/ }).first().click();
    await page.getByRole("button", { name: "Créer et ajouter ce lieu" }).click();
    await page.locator("#mes-lieux").getByText(lieu).waitFor();
    assert.deepEqual((await seriousViolations(page, "inscription-lieux")).map(v => v.id), []);
    await tientDansLaLargeur(page, "étape lieux");
    await page.getByRole("button", { name: "Continuer" }).click();

    // Premiers pas: real links to what comes next.
    await page.getByRole("heading", { level: 1, name: /Bienvenue sur Coop, Inès/ }).waitFor();
    await page.getByText(/attend la confirmation d'un gestionnaire/).waitFor();
    await screenshot(page, "inscription-premiers-pas");
    assert.deepEqual((await seriousViolations(page, "premiers-pas")).map(v => v.id), []);
    await tientDansLaLargeur(page, "premiers pas");
    await page.getByRole("link", { name: /Enregistrer mon premier CRA/ }).click();
    await page.waitForURL(/\/activites\/nouvelle$/);
  });

  it("the demo gestionnaire confirms an employment declared on their structure", async () => {
    const email = `inscription-${unique()}@coop.example`;
    const { page } = await newPage(browser);
    await inscrire(page, email, "Paul", "Rattache");
    await page.goto(lien(email));
    await page.locator("#confirmation-password").fill(PASSWORD);
    await page.getByRole("button", { name: "Confirmer et continuer" }).click();
    await page.getByLabel(/^Médiateur ou médiatrice numérique/).check({ force: true });
    await page.getByRole("button", { name: "Continuer" }).click();
    await page.getByText("Étape 2 sur 3").waitFor();

    // The gestionnaire's structure: its SIRET is on its page.
    const g = await newPage(browser);
    await login(g.page, DEMO.gestion);
    await g.page.goto("/structures");
    await g.page.getByRole("link", { name: "Médiathèque du Bachut" }).first().click();
    await g.page.getByRole("heading", { level: 1, name: "Médiathèque du Bachut" }).waitFor();
    const structureUrl = g.page.url();
    const siret = (await g.page.getByText(/\d{3} \d{3} \d{3} \d{5}/).first().innerText()).match(/\d{3} \d{3} \d{3} \d{5}/)[0];

    await page.locator("#structure-siret").fill(siret);
    await page.getByRole("button", { name: "Rechercher la structure" }).click();
    await page.locator("#structure-trouvee").getByText("Médiathèque du Bachut").waitFor();
    await page.locator("#structure-trouvee").getByText(/Lyon/).waitFor();
    await page.getByRole("button", { name: "C'est ma structure : continuer" }).click();
    await page.getByText("Étape 3 sur 3").waitFor();

    await g.page.goto(structureUrl);
    const pending = g.page.locator("#rattachements-en-attente");
    await pending.getByText(email, { exact: false }).waitFor();
    assert.deepEqual((await seriousViolations(g.page, "structure-rattachements")).map(v => v.id), []);
    await screenshot(g.page, "structure-rattachements");
    await pending.locator("li", { hasText: email }).getByRole("button", { name: "Confirmer", exact: true }).click();
    await g.page.getByText("Paul Rattache fait désormais partie des salariés de la structure.").waitFor();
    assert.equal(await pending.locator("li", { hasText: email }).count(), 0, "no longer pending");
    await g.page.getByRole("cell", { name: email }).waitFor();
    assert.ok(courrielsPour(email).some(m => m.modele === "inscription_emploi_confirme"));
  });
});
