// The positioning test in the browser: a mediator starts a test on one competence from « Mon profil
// de compétences », answers a question, leaves, comes back from the profile, finishes, sees the
// result with the explanations and links to resources, and the profile with the new result and
// « Améliorable à partir du … »; axe-core at 375 px.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Api, DEMO, DEMO_PASSWORD, launch, login, newPage, screenshot, seriousViolations, skipReason } from "./helpers.mjs";

// Answers the question shown (the first choice, or "réponse" in every field), then waits for the next step.
async function repondre(page, rang) {
  const titre = page.getByRole("heading", { level: 2, name: new RegExp(`^Question ${rang} ·`) });
  await titre.waitFor();
  const radios = page.getByRole("radio");
  const cases = page.getByRole("checkbox");
  if ((await radios.count()) > 0) await radios.first().check({ force: true });
  else if ((await cases.count()) > 0) await cases.first().check({ force: true });
  else for (const champ of await page.getByRole("textbox").all()) await champ.fill("réponse");
  await page.getByRole("button", { name: "Valider et continuer" }).click();
}

describe("évaluation : test de positionnement", { skip: skipReason }, () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it("a mediator takes a short test on one competence, leaves, resumes, finishes, sees the profile", async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 375, height: 812 } });
    // A mediator of its own (the demo accounts' profiles stay as the other tests expect them).
    const admin = new Api();
    await admin.login(DEMO.admin);
    const email = `positionnement-${Date.now().toString(36)}@coop.example`;
    await admin.request("POST", "/api/users", {
      email, nom: "Positionnement", prenom: "Camille", telephone: "", password: DEMO_PASSWORD,
      roles: [{ role: "mediateur", structure_id: null, conseiller_numerique: true }]
    });
    await login(page, email, DEMO_PASSWORD, { expectPath: null });
    await page.goto(new URL("/evaluation/profil", page.url()).toString());
    await page.getByRole("heading", { level: 1, name: "Mon profil de compétences" }).waitFor();
    await page.getByText("≈ 500 pix recommandés pour les conseillers numériques").waitFor();
    assert.equal(await page.getByRole("row").count(), 17, "16 competences and the header");
    assert.equal((await seriousViolations(page, "profil de compétences")).length, 0);
    await page.getByRole("button", { name: /^Évaluer : 3\.1 / }).click();

    await page.getByRole("heading", { level: 1, name: /^Test de positionnement/ }).waitFor();
    assert.equal((await seriousViolations(page, "question")).length, 0);
    await screenshot(page, "evaluation-test-question");
    await repondre(page, 1);
    await page.getByRole("heading", { level: 2, name: /^Question 2 ·/ }).waitFor();

    // Leave, come back from the profile: the same question 2 is waiting.
    await page.getByRole("link", { name: "votre profil" }).click();
    await page.getByRole("heading", { level: 1, name: "Mon profil de compétences" }).waitFor();
    await page.getByRole("link", { name: /Reprendre le test \(compétence 3\.1\)/ }).click();
    for (let rang = 2; rang <= 4; rang++) await repondre(page, rang);

    await page.getByRole("heading", { level: 1, name: /^Résultat du test/ }).waitFor();
    await page.getByRole("heading", { level: 2, name: "Explications des questions" }).waitFor();
    assert.equal(await page.locator(".coop-evaluation-corrections > li").count(), 4);
    assert.ok((await page.getByText("Explication", { exact: true }).count()) === 4);
    const badges = await page.locator(".coop-evaluation-corrections .fr-badge").allTextContents();
    assert.equal(badges.length, 4);
    for (const b of badges) assert.ok(["Bonne réponse", "Réponse incorrecte"].includes(b), b);
    const ressources = page.locator('.coop-evaluation-corrections a[href^="/ressources?thematique="]');
    assert.ok((await ressources.count()) > 0, "links to resources on the same thématiques");
    assert.equal((await seriousViolations(page, "résultat")).length, 0);
    await screenshot(page, "evaluation-test-resultat");

    await page.getByRole("link", { name: "Voir mon profil de compétences" }).click();
    await page.getByRole("heading", { level: 1, name: "Mon profil de compétences" }).waitFor();
    const ligne = page.getByRole("row", { name: /3\.1 / });
    await ligne.getByText(/Améliorable à partir du \d{2}\/\d{2}\/\d{4}/).waitFor();
    await page.getByRole("heading", { level: 2, name: "Progression" }).waitFor();
    assert.equal(await page.getByRole("table", { name: "Progression du total" }).getByRole("row").count(), 2);
    await context.close();
  });
});
