// The CRA form (keyboard only, counted interactions; collectif; errors kept with the values; phone),
// Mes activités (filters in the URL, table, edit, stale version, delete, bin, restore), axe-core.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { craBody, launch, login, newMediateur, newPage, screenshot, seriousViolations, skipReason, todayParis } from "./helpers.mjs";

/** Checks a DSFR radio by clicking its label, as a user does (the native input is visually hidden). */
async function choose(scope, radio) {
  await scope.locator(`label[for="${await radio.getAttribute("id")}"]`).click();
  assert.equal(await radio.isChecked(), true, "the radio is checked after a click on its label");
}

describe("activités", { skip: skipReason }, () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  async function focusedCode(page) {
    return page.evaluate(() => document.activeElement?.getAttribute("data-code") ?? document.activeElement?.id ?? null);
  }

  it("records an individual CRA with the keyboard only in at most 8 interactions", async () => {
    const m = await newMediateur("clavier");
    const { context, page } = await newPage(browser);
    await login(page, m.email);
    await page.goto("/activites/nouvelle?type=individuel");
    // The first thématique chip has the focus once the form is there.
    await page.waitForFunction(() => document.activeElement?.getAttribute("data-code") === "diagnostic_numerique");

    let interactions = 0;
    const press = async key => {
      interactions++;
      await page.keyboard.press(key);
    };
    await press("Space"); // thématique « Diagnostic numérique »
    assert.equal(await page.locator('[data-code="diagnostic_numerique"]').getAttribute("aria-pressed"), "true");
    await press("Tab"); // → the duration presets
    assert.equal(await focusedCode(page), "15");
    await press("Space"); // 15 min
    await press("Tab"); // → "autre durée : heures"
    await press("Enter"); // saves
    await page.waitForURL(url => new URL(url).pathname === "/activites");
    await page.getByText(/Activité enregistrée : Accompagnement individuel du .* \(15 min\)/).waitFor();
    console.log(`CRA clavier : ${interactions} interactions`);
    assert.ok(interactions <= 8, `${interactions} interactions (8 at most)`);

    const list = await m.api.request("GET", "/api/activites");
    assert.equal(list.total, 1);
    const a = list.items[0];
    assert.equal(a.type, "individuel");
    assert.deepEqual(a.thematiques, ["diagnostic_numerique"]);
    assert.equal(a.duree, 15);
    assert.equal(a.date, todayParis());
    assert.equal(a.type_lieu, "lieu_activite");
    assert.equal(a.lieu_activite_id, m.structure.id);
    await screenshot(page, "cra-clavier-enregistre");
    await context.close();
  });

  it("offers the most used durations first and « enregistrer et saisir un autre » keeps lieu, date and durée", async () => {
    const m = await newMediateur("frequent");
    for (let i = 0; i < 6; i++) await m.api.request("POST", "/api/activites", craBody(m.structure.id, { duree: 75 }));
    const { context, page } = await newPage(browser);
    await login(page, m.email);
    await page.goto("/activites/nouvelle?type=individuel");
    const presets = page.locator('fieldset[data-field="duree"] button');
    await presets.first().waitFor();
    assert.equal((await presets.first().innerText()).trim(), "1 h 15");
    await page.locator('[data-code="email"]').click();
    await page.locator('[data-code="email"]').waitFor();
    await presets.nth(2).click(); // 30 min (after 1 h 15 and 15 min)
    await page.locator("#cra-notes").fill("Première saisie");
    await page.getByRole("button", { name: "Enregistrer et saisir un autre" }).click();
    await page.locator("#cra-enregistre").getByText(/Vous pouvez saisir la suivante/).waitFor();
    // A blank form again, except date, lieu and durée; the focus back on the first thématique.
    await page.waitForFunction(() => document.activeElement?.getAttribute("data-code") === "diagnostic_numerique");
    assert.equal(await page.locator('[data-code="email"]').getAttribute("aria-pressed"), "false");
    assert.equal(await page.locator("#cra-notes").inputValue(), "");
    assert.equal(await presets.nth(2).getAttribute("aria-pressed"), "true");
    assert.equal(await page.locator("#cra-date").inputValue(), todayParis());
    assert.equal(await page.locator("#cra-lieu").inputValue(), String(m.structure.id));
    const list = await m.api.request("GET", "/api/activites?limite=100");
    assert.equal(list.total, 7);
    assert.ok(list.items.some(a => a.notes === "Première saisie" && a.duree === 30));
    await context.close();
  });

  it("records a collectif with a followed participant and anonymous counts (reste à répartir)", async () => {
    const m = await newMediateur("atelier");
    const benef = await m.api.request("POST", "/api/beneficiaires", { prenom: "Hélène", nom: "Participante", pas_de_telephone: true });
    const { context, page } = await newPage(browser);
    await login(page, m.email);
    await page.goto("/activites/nouvelle?type=collectif");
    await page.getByRole("heading", { level: 1, name: "Nouvel atelier collectif" }).waitFor();
    await page.locator('[data-code="securite_numerique"]').click();
    await page.locator('fieldset[data-field="duree"] button', { hasText: "2 h" }).click();
    await page.locator("#cra-titre").fill("Sécuriser ses comptes");
    await page.getByLabel("Intermédiaire").check({ force: true });
    const picker = page.locator('input[name="participants"]');
    await picker.fill("helene");
    await page.getByRole("option", { name: /Hélène Participante/ }).click();
    await page.getByRole("button", { name: "Retirer Hélène Participante" }).waitFor();
    await page.locator("#cra-total").fill("5");
    await page.locator("#cra-genre-feminin").fill("3");
    const resteGenre = page.locator("#cra-reste-genre");
    await resteGenre.getByText("Reste à répartir : 2").waitFor();
    await page.locator("#cra-genre-masculin").fill("2");
    await resteGenre.getByText("Tout est réparti.").waitFor();
    for (const key of ["tranche_age", "statut_social", "deja_accompagne"])
      await page.locator(`fieldset[data-field="participants_anonymes.${key}"]`).getByRole("button", { name: /Mettre le reste/ }).click();
    await page.getByRole("button", { name: "Enregistrer", exact: true }).click();
    await page.waitForURL(url => new URL(url).pathname === "/activites");
    const a = (await m.api.request("GET", "/api/activites")).items[0];
    assert.equal(a.type, "collectif");
    assert.equal(a.titre_atelier, "Sécuriser ses comptes");
    assert.equal(a.niveau, "intermediaire");
    assert.equal(a.duree, 120);
    assert.deepEqual(a.participants.map(p => p.id), [benef.id]);
    assert.equal(a.participants_anonymes.total, 5);
    assert.equal(a.participants_anonymes.genre.feminin, 3);
    assert.equal(a.participants_anonymes.genre.masculin, 2);
    assert.equal(a.participants_anonymes.tranche_age.non_communique, 5);
    await context.close();
  });

  it("shows the French errors of an invalid CRA and keeps what was typed", async () => {
    const m = await newMediateur("invalide");
    const { context, page } = await newPage(browser);
    await login(page, m.email);
    await page.goto("/activites/nouvelle?type=individuel");
    await page.locator('[data-code="email"]').waitFor();
    // No thématique.
    await page.locator('fieldset[data-field="duree"] button', { hasText: "45 min" }).click();
    await page.locator("#cra-notes").fill("Notes à garder");
    await page.getByRole("button", { name: "Enregistrer", exact: true }).click();
    const them = page.locator('fieldset[data-field="thematiques"]');
    await them.getByText("Choisissez au moins une thématique.").waitFor();
    assert.equal(new URL(page.url()).pathname, "/activites/nouvelle");
    assert.equal(await page.locator("#cra-notes").inputValue(), "Notes à garder");
    assert.equal(await page.locator('fieldset[data-field="duree"] button', { hasText: "45 min" }).getAttribute("aria-pressed"), "true");
    // The focus went to the thématiques.
    assert.equal(await page.evaluate(() => !!document.activeElement?.closest('fieldset[data-field="thematiques"]')), true);

    // A démarche, then aide aux démarches taken off: the démarches stay, with the error.
    await page.locator('[data-code="aide_aux_demarches_administratives"]').click();
    await page.locator('[data-code="logement"]').click();
    await page.locator('[data-code="aide_aux_demarches_administratives"]').click();
    const dem = page.locator('fieldset[data-field="demarches"]');
    await dem.getByText(/ne peuvent être choisies qu'avec la thématique « Aide aux démarches administratives »/).waitFor();
    assert.equal(await page.locator('[data-code="logement"]').getAttribute("aria-pressed"), "true");
    await screenshot(page, "cra-erreurs");
    // Fixed: saved.
    await page.locator('[data-code="aide_aux_demarches_administratives"]').click();
    await dem.getByText(/ne peuvent être choisies/).waitFor({ state: "detached" });
    await page.getByRole("button", { name: "Enregistrer", exact: true }).click();
    await page.waitForURL(url => new URL(url).pathname === "/activites");
    const a = (await m.api.request("GET", "/api/activites")).items[0];
    assert.deepEqual(a.demarches, ["logement"]);
    assert.equal(a.notes, "Notes à garder");

    // A collectif whose counts do not add up.
    await page.goto("/activites/nouvelle?type=collectif");
    await page.locator('[data-code="bureautique"]').click();
    await page.locator('fieldset[data-field="duree"] button', { hasText: "1 h 30" }).click();
    await page.locator("#cra-titre").fill("Tableur");
    await page.locator("#cra-total").fill("4");
    await page.locator("#cra-genre-feminin").fill("1");
    await page.getByRole("button", { name: "Enregistrer", exact: true }).click();
    const genre = page.locator('fieldset[data-field="participants_anonymes.genre"]');
    await genre.getByText("Genre : la répartition (1) doit être égale au nombre de participants anonymes (4).").waitFor();
    await genre.getByText("Reste à répartir : 3").waitFor();
    assert.equal(await page.locator("#cra-titre").inputValue(), "Tableur");
    assert.equal(await page.locator("#cra-genre-feminin").inputValue(), "1");
    assert.equal(new URL(page.url()).pathname, "/activites/nouvelle");
    await context.close();
  });

  it("places the server's field error next to its input (commune unknown to the server)", async () => {
    const m = await newMediateur("serveur");
    const { context, page } = await newPage(browser);
    await login(page, m.email);
    await page.goto("/activites/nouvelle?type=individuel");
    await page.locator('[data-code="email"]').click();
    await page.locator('fieldset[data-field="duree"] button', { hasText: "30 min" }).click();
    // A date the client accepts but that the server refuses is hard to make: force the server's answer.
    await page.route("**/api/activites", async route => {
      if (route.request().method() !== "POST") return route.fallback();
      await route.fulfill({
        status: 400,
        contentType: "application/json",
        body: JSON.stringify({ error: { code: "validation", message: "Certains champs sont invalides.", fields: { duree: "La durée ne peut pas dépasser 24 heures." } } })
      });
    });
    await page.locator("#cra-notes").fill("gardé");
    await page.getByRole("button", { name: "Enregistrer", exact: true }).click();
    await page.locator('fieldset[data-field="duree"]').getByText("La durée ne peut pas dépasser 24 heures.").waitFor();
    assert.equal(await page.locator("#cra-notes").inputValue(), "gardé");
    await page.unroute("**/api/activites");
    await context.close();
  });

  it("lists, filters (in the URL), edits, refuses a stale version, deletes and restores", async () => {
    const m = await newMediateur("liste");
    const sid = m.structure.id;
    const a1 = await m.api.request("POST", "/api/activites", craBody(sid, { thematiques: ["email"], duree: 30, notes: "premier" }));
    await m.api.request("POST", "/api/activites", craBody(sid, { thematiques: ["sante"], duree: 60, date: "2025-06-02" }));
    await m.api.request("POST", "/api/activites", {
      ...craBody(sid, { type: "collectif", thematiques: ["bureautique"], duree: 90, titre_atelier: "Atelier tableur" }),
      participants_anonymes: { total: 2, genre: { non_communique: 2 }, tranche_age: { non_communique: 2 }, statut_social: { non_communique: 2 }, deja_accompagne: { non_communique: 2 } }
    });
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 800 } });
    await login(page, m.email);
    await page.goto("/activites");
    await page.locator("#activites-total").getByText("3 activités").waitFor();
    assert.equal(await page.locator(".coop-card").count(), 3);
    // The list first: on a 1280×800 screen the first CRA shows whole, under one bar of filters.
    const premiere = await page.locator(".coop-card").first().boundingBox();
    assert.ok(premiere.y + premiere.height <= 800, `the first CRA ends at ${premiere.y + premiere.height} px`);

    // Filter: type collectif → in the URL, one card. The form is folded (the list first).
    assert.equal(await page.locator("details.coop-filtres").evaluate(d => d.open), false);
    await page.locator("details.coop-filtres > summary").click();
    await page.locator("#filtre-type").selectOption("collectif");
    await page.getByRole("button", { name: "Filtrer" }).click();
    await page.waitForURL(/type=collectif/);
    await page.locator("#activites-total").getByText("1 activité").waitFor();
    await page.getByRole("link", { name: /^Atelier « Atelier tableur » du/ }).waitFor();
    // The export links carry the filters.
    assert.match(await page.getByRole("link", { name: "Exporter en CSV" }).getAttribute("href"), /^\/api\/activites\/export\.csv\?type=collectif$/);
    assert.match(await page.getByRole("link", { name: "Exporter en XLSX" }).getAttribute("href"), /^\/api\/activites\/export\.xlsx\?type=collectif$/);
    // Reload: the filter is still there.
    await page.reload();
    await page.locator("#activites-total").getByText("1 activité").waitFor();
    assert.equal(await page.locator("#filtre-type").inputValue(), "collectif");
    await page.locator("details.coop-filtres > summary", { hasText: "Filtres (1 actif)" }).waitFor();
    // Its tag removes it: the URL and the list follow.
    await page.getByTestId("filtres-actifs").getByRole("button", { name: "Retirer le filtre Type : Atelier collectif" }).click();
    await page.waitForURL(url => !new URL(url).searchParams.has("type"));
    await page.locator("#activites-total").getByText("3 activités").waitFor();
    assert.equal(await page.getByTestId("filtres-actifs").count(), 0);

    // Period + thématique, table view.
    await page.goto("/activites?du=2025-01-01&au=2025-12-31&vue=tableau");
    await page.locator("#activites-total").getByText("1 activité").waitFor();
    await page.getByRole("table").waitFor();
    assert.equal(await page.locator("tbody tr").count(), 1);
    await page.goto("/activites?thematique=email&vue=tableau");
    await page.locator("#activites-total").getByText("1 activité").waitFor();

    // Edit the e-mail one: 30 → 45 min.
    await page.getByRole("link", { name: /^Modifier :/ }).first().click();
    await page.waitForURL(new RegExp(`/activites/${a1.id}/modifier$`));
    await page.locator('fieldset[data-field="duree"] button', { hasText: "45 min" }).click();
    await page.getByRole("button", { name: "Enregistrer", exact: true }).click();
    await page.waitForURL(url => new URL(url).pathname === "/activites");
    await page.getByText(/Activité modifiée/).waitFor();
    assert.equal((await m.api.request("GET", `/api/activites/${a1.id}`)).duree, 45);

    // Two sessions: the second save is refused, with a clear message and a reload offered.
    await page.goto(`/activites/${a1.id}/modifier`);
    await page.locator("#cra-notes").waitFor();
    const current = await m.api.request("GET", `/api/activites/${a1.id}`);
    await m.api.request("PUT", `/api/activites/${a1.id}`, { ...current, notes: "modifié ailleurs" });
    await page.locator("#cra-notes").fill("ma version");
    await page.getByRole("button", { name: "Enregistrer", exact: true }).click();
    await page.getByRole("heading", { name: "Cette activité a été modifiée entre-temps" }).waitFor();
    assert.equal(await page.locator("#cra-notes").inputValue(), "ma version");
    await screenshot(page, "cra-version-perimee");
    await page.getByRole("button", { name: "Recharger la dernière version" }).click();
    await page.getByText(/dernière version de l'activité a été rechargée/).waitFor();
    assert.equal(await page.locator("#cra-notes").inputValue(), "modifié ailleurs");

    // Delete (with confirmation), then restore from the bin.
    await page.goto("/activites?thematique=email");
    await page.locator("#activites-total").getByText("1 activité").waitFor();
    await page.getByRole("button", { name: "Supprimer" }).click();
    await page.getByRole("button", { name: "Confirmer la suppression" }).click();
    await page.getByText(/supprimée\. Vous pouvez la restaurer depuis la corbeille/).waitFor();
    assert.equal((await m.api.request("GET", "/api/activites")).total, 2);
    await page.getByRole("link", { name: "Corbeille" }).click();
    await page.getByRole("heading", { level: 1, name: "Corbeille des activités" }).waitFor();
    await page.getByRole("button", { name: /^Restaurer :/ }).click();
    await page.getByText(/restaurée dans vos activités/).waitFor();
    assert.equal((await m.api.request("GET", "/api/activites")).total, 3);

    // Duplicate: a copy dated today, opened in the form.
    await page.goto(`/activites/${a1.id}`);
    await page.getByRole("button", { name: "Dupliquer" }).click();
    await page.waitForURL(/\/activites\/\d+\/modifier$/);
    await page.getByText(/Copie créée à la date du jour/).waitFor();
    assert.equal((await m.api.request("GET", "/api/activites")).total, 4);
    await context.close();
  });

  it("loads more activities with the cursor", async () => {
    const m = await newMediateur("curseur");
    for (let i = 0; i < 23; i++) await m.api.request("POST", "/api/activites", craBody(m.structure.id, { duree: 10 + i }));
    const { context, page } = await newPage(browser);
    await login(page, m.email);
    await page.goto("/activites");
    await page.locator("#activites-total").getByText("23 activités – 20 affichées").waitFor();
    await page.getByRole("button", { name: "Charger plus" }).click();
    await page.locator("#activites-total").getByText("23 activités", { exact: true }).waitFor();
    assert.equal(await page.locator(".coop-card").count(), 23);
    await context.close();
  });

  it("renders and submits the form on a 375 px phone", async () => {
    const m = await newMediateur("mobile");
    const { context, page } = await newPage(browser, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    await login(page, m.email);
    await page.goto("/activites/nouvelle?type=individuel");
    await page.locator('[data-code="email"]').tap();
    await page.locator('fieldset[data-field="duree"] button', { hasText: "30 min" }).tap();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scroll (${overflow} px)`);
    await screenshot(page, "cra-mobile");
    await page.getByRole("button", { name: "Enregistrer", exact: true }).tap();
    await page.waitForURL(url => new URL(url).pathname === "/activites");
    await page.locator(".coop-card").first().waitFor();
    await screenshot(page, "activites-mobile");
    assert.equal((await m.api.request("GET", "/api/activites")).total, 1);
    await context.close();
  });

  /** The profile section once its opening animation (DSFR collapse) is over: clicks land where they aim. */
  const expanded = page =>
    page.waitForFunction(() => {
      const c = document.querySelector('[data-field="beneficiaire_anonyme"] .fr-collapse');
      return !!c && c.classList.contains("fr-collapse--expanded") && getComputedStyle(c).maxHeight === "none";
    });

  // DSFR's script marks the accordion button once it handles it: a click before that is lost
  // (the page is usable, the test must wait as a person's eyes would for the page to settle).
  const dsfrPret = page =>
    page.locator('[data-field="beneficiaire_anonyme"] button[data-fr-js-collapse-button="true"]').waitFor();

  it("records the anonymous beneficiary's profile (folded section), shows it again on edit, and clears it", async () => {
    const m = await newMediateur("profil");
    const { context, page } = await newPage(browser);
    await login(page, m.email);
    await page.goto("/activites/nouvelle?type=individuel");
    const toggle = page.getByRole("button", { name: /Profil du bénéficiaire anonyme/ });
    await toggle.waitFor();
    assert.equal(await toggle.getAttribute("aria-expanded"), "false", "folded by default");
    const section = page.locator('[data-field="beneficiaire_anonyme"]');
    assert.equal(await section.getByLabel("Féminin").isVisible(), false);
    await page.locator('[data-code="email"]').click();
    await page.locator('fieldset[data-field="duree"] button', { hasText: "30 min" }).click();
    await dsfrPret(page);
    await toggle.click();
    // React (controlled accordion, via an effect) and DSFR's script both set aria-expanded a
    // moment after the click: check it once the section has opened.
    await expanded(page);
    assert.equal(await toggle.getAttribute("aria-expanded"), "true");
    await choose(section, section.getByLabel("Féminin"));
    await choose(section, section.getByLabel("70 ans et plus"));
    await choose(section, section.getByLabel("Retraité", { exact: true }));
    await section.locator('input[name="beneficiaire_anonyme.commune_insee"]').fill("Villeurbanne");
    await page.getByRole("option", { name: /^Villeurbanne/ }).first().click();
    await toggle.getByText(/4 informations/).waitFor();
    const bad = await seriousViolations(page, "cra-profil-anonyme");
    assert.deepEqual(bad.map(v => v.id), [], "axe with the section open");
    await screenshot(page, "cra-profil-anonyme");
    await page.getByRole("button", { name: "Enregistrer", exact: true }).click();
    await page.waitForURL(url => new URL(url).pathname === "/activites");
    const a = (await m.api.request("GET", "/api/activites")).items[0];
    assert.deepEqual(
      { ...a.beneficiaire_anonyme, commune_nom: undefined },
      { genre: "feminin", tranche_age: "soixante_dix_plus", statut_social: "retraite", commune_insee: "69266", code_postal: null, commune_nom: undefined }
    );
    assert.equal(a.beneficiaire.anonyme, true);

    // Edit: the section shows what was recorded; a change is saved on the same anonymous beneficiary.
    await page.goto(`/activites/${a.id}/modifier`);
    const toggle2 = page.getByRole("button", { name: /Profil du bénéficiaire anonyme/ });
    await toggle2.getByText(/4 informations/).waitFor();
    await dsfrPret(page);
    await toggle2.click();
    await expanded(page);
    assert.equal(await section.getByLabel("Féminin").isChecked(), true);
    assert.match(await section.locator('input[name="beneficiaire_anonyme.commune_insee"]').inputValue(), /^Villeurbanne/);
    await choose(section, section.getByLabel("Masculin"));
    await page.getByRole("button", { name: "Enregistrer", exact: true }).click();
    await page.waitForURL(url => new URL(url).pathname === "/activites");
    const b = await m.api.request("GET", `/api/activites/${a.id}`);
    assert.equal(b.beneficiaire_anonyme.genre, "masculin");
    assert.equal(b.beneficiaire_anonyme.commune_insee, "69266");
    assert.equal(b.beneficiaire.id, a.beneficiaire.id, "same anonymous beneficiary");

    // "Effacer le profil": every field back to null, still an anonymous beneficiary.
    await page.goto(`/activites/${a.id}/modifier`);
    await dsfrPret(page);
    await page.getByRole("button", { name: /Profil du bénéficiaire anonyme/ }).click();
    await expanded(page);
    await page.getByRole("button", { name: "Effacer le profil" }).click();
    await page.getByRole("button", { name: "Enregistrer", exact: true }).click();
    await page.waitForURL(url => new URL(url).pathname === "/activites");
    const c = await m.api.request("GET", `/api/activites/${a.id}`);
    assert.deepEqual(
      [c.beneficiaire_anonyme.genre, c.beneficiaire_anonyme.tranche_age, c.beneficiaire_anonyme.statut_social, c.beneficiaire_anonyme.commune_insee],
      [null, null, null, null]
    );
    await context.close();
  });

  it("has no serious or critical axe violation on the activity pages", async () => {
    const m = await newMediateur("axe");
    const a = await m.api.request("POST", "/api/activites", craBody(m.structure.id));
    const b = await m.api.request("POST", "/api/activites", craBody(m.structure.id));
    await m.api.request("DELETE", `/api/activites/${b.id}`);
    const { context, page } = await newPage(browser);
    await login(page, m.email);
    const pages = [
      ["/activites", "activites"],
      ["/activites?vue=tableau", "activites-tableau"],
      ["/activites/nouvelle?type=individuel", "cra-individuel"],
      ["/activites/nouvelle?type=collectif", "cra-collectif"],
      [`/activites/${a.id}`, "activite"],
      [`/activites/${a.id}/modifier`, "cra-modifier"],
      ["/activites/corbeille", "corbeille"]
    ];
    for (const [path, name] of pages) {
      await page.goto(path);
      await page.locator("main h1").first().waitFor();
      await page.waitForFunction(() => ![...document.querySelectorAll("main [role=status]")].some(e => e.textContent?.includes("Chargement")));
      if (name === "cra-collectif") await page.locator("#cra-total").fill("3");
      if (name === "cra-individuel") await page.getByRole("button", { name: "Enregistrer", exact: true }).click();
      const bad = await seriousViolations(page, name);
      await screenshot(page, `page-${name}`);
      assert.deepEqual(bad.map(v => `${v.id}: ${v.nodes.map(n => n.target.join(" ")).join(", ")}`), [], `axe on ${path}`);
    }
    await context.close();
  });
});
