// The admin preview of the evaluation's item bank: the list filtered by competence and type, an
// item shown as a candidate sees it (image with its alt text, timer, radios / checkboxes / fields)
// and « Tester une réponse » with the tolerance that matched; axe-core at 375 px.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DEMO, launch, login, newPage, screenshot, seriousViolations, skipReason } from "./helpers.mjs";

describe("évaluation : banque d'items (administration)", { skip: skipReason }, () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it("filters the bank, previews a QCU with its image and timer, tests answers", async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 375, height: 812 } });
    await login(page, DEMO.admin);
    await page.goto(new URL("/admin/evaluation/items", page.url()).toString());
    await page.getByRole("heading", { level: 1, name: "Banque d'items de l'évaluation" }).waitFor();
    await page.locator("#filtre-competence").selectOption("1.2");
    await page.locator("#filtre-niveau").selectOption("2");
    await page.getByRole("button", { name: "Filtrer" }).click();
    await page.getByText("4 items", { exact: true }).waitFor();
    assert.equal((await seriousViolations(page, "banque d'items")).length, 0);
    await page.getByRole("link", { name: "c12-formats-2b" }).click();

    await page.getByRole("heading", { level: 1, name: "Item c12-formats-2b" }).waitFor();
    await page.getByText("Temps limité : 1 min").waitFor();
    const img = page.getByRole("img", { name: /Explorateur de fichiers montrant le dossier Téléchargements/ });
    await img.waitFor();
    assert.ok(await img.evaluate((el) => el.complete && el.naturalWidth > 0), "the image is loaded");
    const radios = page.getByRole("radio");
    assert.equal(await radios.count(), 3);
    await page.getByText("photo-carte-identite.jpg", { exact: true }).click();
    await page.getByRole("button", { name: "Tester une réponse" }).click();
    await page.getByRole("heading", { name: "Réponse incorrecte" }).waitFor();
    await page.getByText("budget-familial.ods", { exact: true }).first().click();
    await page.getByRole("button", { name: "Tester une réponse" }).click();
    await page.getByRole("heading", { name: "Réponse correcte" }).waitFor();
    await page.getByRole("heading", { name: "Explication (montrée après le test)" }).waitFor();
    assert.equal((await seriousViolations(page, "aperçu QCU")).length, 0);
    await screenshot(page, "evaluation-apercu-qcu");
    await context.close();
  });

  it("previews a QCM with checkboxes and a QROCM-ind with its fields", async () => {
    const { context, page } = await newPage(browser);
    await login(page, DEMO.admin);
    await page.goto(new URL("/admin/evaluation/items/c11-sources-2a", page.url()).toString());
    await page.getByRole("heading", { level: 1, name: "Item c11-sources-2a" }).waitFor();
    assert.equal(await page.getByRole("checkbox").count(), 4);
    await page.getByText("L'article indique sa date de publication.", { exact: true }).click();
    await page.getByText("L'article cite le site de la CAF ou de service-public.fr.", { exact: true }).click();
    await page.getByRole("button", { name: "Tester une réponse" }).click();
    await page.getByRole("heading", { name: "Réponse correcte" }).waitFor();

    await page.goto(new URL("/admin/evaluation/items/c21-adresse-2a", page.url()).toString());
    await page.getByLabel("Partie avant l'arobase").fill("Jean.Dupont");
    await page.getByLabel("Partie après l'arobase").fill("laposte.ent");
    await page.getByRole("button", { name: "Tester une réponse" }).click();
    await page.getByRole("heading", { name: "Réponse correcte" }).waitFor();
    await page.getByText("Partie après l'arobase : acceptée (t3 (faute de frappe, distance ≤ 25 %))").waitFor();
    assert.equal((await seriousViolations(page, "aperçu QROCM-ind")).length, 0);
    await context.close();
  });
});
