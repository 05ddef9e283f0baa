// Bénéficiaires: creation validated as typed, accent-insensitive search, page with history, RGPD
// export and erase, duplicates merged with a preview, bulk delete; axe-core. (Import: import.test.mjs.)
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { craBody, launch, login, newMediateur, newPage, screenshot, seriousViolations, skipReason, unique } from "./helpers.mjs";

async function fieldError(page, inputSelector) {
  return page.locator(inputSelector).evaluate(input => {
    const group = input.closest(".fr-input-group, .fr-select-group");
    return group?.querySelector(".fr-error-text, .fr-message--error")?.textContent?.trim() ?? null;
  });
}

describe("bénéficiaires", { skip: skipReason }, () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it("creates a beneficiary (validated as typed), finds them without accents, shows their history", async () => {
    const m = await newMediateur("benef");
    const { context, page } = await newPage(browser);
    await login(page, m.email);
    await page.goto("/beneficiaires");
    await page.getByRole("link", { name: "Nouveau bénéficiaire" }).click();
    await page.getByRole("heading", { level: 1, name: "Nouveau bénéficiaire" }).waitFor();
    await page.locator("#benef-prenom").fill("Éloïse");
    await page.locator("#benef-annee").fill("19");
    await page.getByText("L'année de naissance doit comporter 4 chiffres (exemple : 1958).").waitFor();
    await page.locator("#benef-email").fill("eloise@");
    await page.getByRole("button", { name: "Créer le bénéficiaire" }).click();
    // Nothing lost, errors next to their fields.
    assert.match((await fieldError(page, "#benef-nom")) ?? "", /nom est obligatoire/);
    assert.match((await fieldError(page, "#benef-email")) ?? "", /e-mail invalide/i);
    assert.equal(await page.locator("#benef-prenom").inputValue(), "Éloïse");
    await page.locator("#benef-nom").fill("Müller-Çelik");
    await page.locator("#benef-annee").fill("1961");
    await page.locator("#benef-email").fill("eloise@example.fr");
    await page.locator("#benef-telephone").fill("06 01 02 03 04");
    await page.locator("#benef-genre").selectOption("feminin");
    await page.getByRole("button", { name: "Créer le bénéficiaire" }).click();
    await page.getByRole("heading", { level: 1, name: "Éloïse Müller-Çelik" }).waitFor();
    const id = Number(new URL(page.url()).pathname.split("/").pop());

    // An accompaniment with them, then their history.
    await m.api.request("POST", "/api/activites", craBody(m.structure.id, { beneficiaire: { id } }));
    await page.reload();
    await page.getByRole("heading", { name: "Historique des accompagnements (1)" }).waitFor();
    await page.getByText("Premier accompagnement").waitFor();

    // Search without accents nor capitals, partial.
    await page.goto("/beneficiaires");
    await page.locator("#recherche-beneficiaires").fill("eloise mull");
    await page.getByRole("button", { name: "Rechercher" }).click();
    await page.waitForURL(/q=eloise/);
    await page.getByRole("link", { name: "Éloïse Müller-Çelik" }).waitFor();
    await page.locator("#recherche-beneficiaires").fill("celik");
    await page.getByRole("button", { name: "Rechercher" }).click();
    await page.getByRole("link", { name: "Éloïse Müller-Çelik" }).waitFor();

    // The individual CRA form finds them and records an accompaniment with them.
    await page.goto("/activites/nouvelle?type=individuel");
    await page.locator('[data-code="email"]').click();
    await page.locator('fieldset[data-field="duree"] button', { hasText: "30 min" }).click();
    await page.getByLabel("Bénéficiaire suivi").check({ force: true });
    await page.locator('input[name="beneficiaire"]').fill("eloise");
    await page.getByRole("option", { name: /Éloïse Müller-Çelik/ }).click();
    await page.getByText("Bénéficiaire : Éloïse Müller-Çelik").waitFor();
    await page.getByRole("button", { name: "Enregistrer", exact: true }).click();
    await page.waitForURL(url => new URL(url).pathname === "/activites");
    await page.goto(`/beneficiaires/${id}`);
    await page.getByRole("heading", { name: "Historique des accompagnements (2)" }).waitFor();

    // A beneficiary created inline from the CRA form.
    await page.goto("/activites/nouvelle?type=individuel");
    await page.locator('[data-code="sante"]').click();
    await page.locator('fieldset[data-field="duree"] button', { hasText: "15 min" }).click();
    await page.getByLabel("Bénéficiaire suivi").check({ force: true });
    await page.getByRole("button", { name: "Créer un nouveau bénéficiaire" }).click();
    await page.locator("#cra-benef-prenom").fill("Noé");
    await page.locator("#cra-benef-nom").fill(`Inline${unique()}`);
    await page.locator("#cra-benef-nom").press("Enter");
    await page.getByText(/^Bénéficiaire : Noé Inline/).waitFor();
    await page.getByRole("button", { name: "Enregistrer", exact: true }).click();
    await page.waitForURL(url => new URL(url).pathname === "/activites");
    const last = (await m.api.request("GET", "/api/activites")).items.find(a => a.thematiques.includes("sante"));
    assert.equal(last.beneficiaire.prenom, "Noé");
    await context.close();
  });

  it("exports one person's data and erases them (RGPD), their activities staying", async () => {
    const m = await newMediateur("rgpd");
    const b = await m.api.request("POST", "/api/beneficiaires", { prenom: "Rémi", nom: "Effacé", pas_de_telephone: true });
    const act = await m.api.request("POST", "/api/activites", craBody(m.structure.id, { beneficiaire: { id: b.id } }));
    const { context, page } = await newPage(browser);
    await login(page, m.email);
    await page.goto(`/beneficiaires/${b.id}`);
    const exp = page.getByRole("link", { name: "Exporter ses données (RGPD)" });
    assert.equal(await exp.getAttribute("href"), `/api/beneficiaires/${b.id}/export`);
    const data = await page.evaluate(async href => (await fetch(href)).json(), `/api/beneficiaires/${b.id}/export`);
    assert.equal(data.beneficiaire.nom, "Effacé");
    await page.getByRole("button", { name: "Effacer cette personne (RGPD)" }).click();
    await page.getByRole("button", { name: "Effacer définitivement" }).click();
    await page.waitForURL(url => new URL(url).pathname === "/beneficiaires");
    await page.getByText(/Les données de Rémi Effacé ont été effacées/).waitFor();
    await assert.rejects(m.api.request("GET", `/api/beneficiaires/${b.id}`), e => e.status === 404);
    const still = await m.api.request("GET", `/api/activites/${act.id}`);
    assert.ok(!still.beneficiaire || still.beneficiaire.anonyme || !still.beneficiaire.nom, "the activity stays, anonymised");
    await context.close();
  });

  it("merges two duplicates after a preview", async () => {
    const m = await newMediateur("doublons");
    const a = await m.api.request("POST", "/api/beneficiaires", { prenom: "Jean-Pierre", nom: "Lécuyer", telephone: "06 12 34 56 78" });
    const b = await m.api.request("POST", "/api/beneficiaires", { prenom: "jean-pierre", nom: "LECUYER", telephone: "0612345678", email: "jp.lecuyer@example.fr", annee_naissance: 1950 });
    await m.api.request("POST", "/api/activites", craBody(m.structure.id, { beneficiaire: { id: b.id } }));
    const { context, page } = await newPage(browser);
    await login(page, m.email);
    await page.goto("/beneficiaires/doublons");
    const pair = page.locator("section[data-doublon]").first();
    await pair.waitFor();
    await pair.getByText(/Critères communs : .*même téléphone/).waitFor();
    // Keep the first one (a): its blanks (e-mail, année) are filled from the other.
    await pair.getByLabel(/^Jean-Pierre Lécuyer/).check({ force: true });
    const emailRow = pair.locator("tr", { has: page.getByRole("rowheader", { name: "Adresse e-mail" }) });
    await emailRow.getByText("complété").waitFor();
    await screenshot(page, "doublons");
    await pair.getByRole("button", { name: "Fusionner ces deux fiches" }).click();
    await pair.getByRole("button", { name: "Confirmer la fusion" }).click();
    await page.getByText(/Fiches fusionnées dans « Jean-Pierre Lécuyer »/).waitFor();
    const merged = await m.api.request("GET", `/api/beneficiaires/${a.id}`);
    assert.equal(merged.email, "jp.lecuyer@example.fr");
    assert.equal(merged.annee_naissance, 1950);
    assert.equal(merged.nombre_accompagnements, 1);
    await assert.rejects(m.api.request("GET", `/api/beneficiaires/${b.id}`), e => e.status === 404);
    await context.close();
  });

  it("deletes several beneficiaries at once", async () => {
    const m = await newMediateur("masse");
    const tag = `Masse${unique()}`;
    for (const p of ["Un", "Deux", "Trois"]) await m.api.request("POST", "/api/beneficiaires", { prenom: p, nom: tag, pas_de_telephone: true });
    const { context, page } = await newPage(browser);
    await login(page, m.email);
    await page.goto(`/beneficiaires?q=${tag}`);
    await page.getByRole("link", { name: `Un ${tag}` }).waitFor();
    await page.getByLabel(`Sélectionner Un ${tag}`).check();
    await page.getByLabel(`Sélectionner Deux ${tag}`).check();
    await page.getByRole("button", { name: "Supprimer la sélection (2)" }).click();
    await page.getByRole("button", { name: "Confirmer la suppression" }).click();
    await page.getByText("2 bénéficiaires supprimés.").waitFor();
    await page.getByRole("link", { name: `Un ${tag}` }).waitFor({ state: "detached" });
    const left = await m.api.request("GET", `/api/beneficiaires?q=${tag}`);
    assert.deepEqual(left.items.map(b => b.prenom), ["Trois"]);
    await context.close();
  });

  it("has no serious or critical axe violation on the beneficiary pages", async () => {
    const m = await newMediateur("axe-benef");
    const b = await m.api.request("POST", "/api/beneficiaires", { prenom: "Axel", nom: "Contraste", telephone: "0601020304" });
    await m.api.request("POST", "/api/beneficiaires", { prenom: "axel", nom: "contraste", telephone: "06 01 02 03 04" });
    await m.api.request("POST", "/api/activites", craBody(m.structure.id, { beneficiaire: { id: b.id } }));
    const { context, page } = await newPage(browser);
    await login(page, m.email);
    const pages = [
      ["/beneficiaires", "beneficiaires"],
      ["/beneficiaires/nouveau", "beneficiaire-nouveau"],
      [`/beneficiaires/${b.id}`, "beneficiaire"],
      [`/beneficiaires/${b.id}/modifier`, "beneficiaire-modifier"],
      ["/beneficiaires/doublons", "doublons"],
      ["/beneficiaires/import", "import"]
    ];
    for (const [path, name] of pages) {
      await page.goto(path);
      await page.locator("main h1").first().waitFor();
      await page.waitForFunction(() => ![...document.querySelectorAll("main [role=status]")].some(e => /Chargement|Recherche des/.test(e.textContent ?? "")));
      const bad = await seriousViolations(page, name);
      await screenshot(page, `page-${name}`);
      assert.deepEqual(bad.map(v => `${v.id}: ${v.nodes.map(n => n.target.join(" ")).join(", ")}`), [], `axe on ${path}`);
    }
    await context.close();
  });
});
