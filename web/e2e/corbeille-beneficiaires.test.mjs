// The beneficiaries' bin: from the Bénéficiaires page to « Corbeille », restore one, then several
// at once; an erased beneficiary is not there; on a 375 px phone; axe-core.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { launch, login, newMediateur, newPage, screenshot, seriousViolations, skipReason, unique } from "./helpers.mjs";

describe("corbeille des bénéficiaires", { skip: skipReason }, () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it("lists the deleted beneficiaries and restores one, then several at once", async () => {
    const m = await newMediateur("corbeille");
    const tag = unique();
    const made = [];
    for (const prenom of ["Alice", "Bruno", "Chloé"]) made.push(await m.api.request("POST", "/api/beneficiaires", { prenom, nom: `Bin${tag}` }));
    const erased = await m.api.request("POST", "/api/beneficiaires", { prenom: "Effacée", nom: `Bin${tag}` });
    await m.api.request("POST", "/api/beneficiaires/suppression", { ids: made.map(b => b.id) });
    await m.api.request("POST", `/api/beneficiaires/${erased.id}/effacer`);

    const { context, page } = await newPage(browser);
    await login(page, m.email);
    await page.goto("/beneficiaires");
    await page.getByRole("link", { name: "Corbeille", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Corbeille des bénéficiaires" }).waitFor();
    await page.getByText("3 bénéficiaires dans la corbeille").waitFor();
    assert.equal(await page.getByText("Effacée", { exact: false }).count(), 0, "an erased beneficiary is not restorable");
    assert.deepEqual(await seriousViolations(page, "corbeille des bénéficiaires"), []);

    await page.getByRole("button", { name: `Restaurer Alice Bin${tag}` }).click();
    await page.getByText(`Alice Bin${tag} : restauré dans vos bénéficiaires.`).waitFor();
    await page.getByText("2 bénéficiaires dans la corbeille").waitFor();

    await page.getByLabel("Tout sélectionner").check();
    await page.getByRole("button", { name: "Restaurer la sélection (2)" }).click();
    await page.getByText("2 bénéficiaires restaurés.").waitFor();
    await page.getByText("La corbeille est vide.").waitFor();
    await screenshot(page, "corbeille-beneficiaires");

    const back = await m.api.request("GET", `/api/beneficiaires?q=bin${tag}`);
    assert.deepEqual(back.items.map(b => b.prenom).sort(), ["Alice", "Bruno", "Chloé"]);
    await page.goto("/beneficiaires");
    await page.getByRole("link", { name: `Chloé Bin${tag}` }).waitFor();
    await context.close();
  });

  it("works on a 375 px phone", async () => {
    const m = await newMediateur("corbeille-mobile");
    const b = await m.api.request("POST", "/api/beneficiaires", { prenom: "Mobile", nom: `Bin${unique()}` });
    await m.api.request("POST", "/api/beneficiaires/suppression", { ids: [b.id] });
    const { context, page } = await newPage(browser, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    await login(page, m.email);
    await page.goto("/beneficiaires/corbeille");
    const button = page.getByRole("button", { name: `Restaurer Mobile ${b.nom}` });
    await button.scrollIntoViewIfNeeded();
    await button.click();
    await page.getByText("La corbeille est vide.").waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scroll of the page (${overflow} px)`);
    assert.deepEqual(await seriousViolations(page, "corbeille des bénéficiaires (mobile)"), []);
    await context.close();
  });
});
