// Orientation in a real browser (issue 12 point 7): a mediator types an individual CRA, opens
// « Orienter la personne », goes through the wizard's steps (the live count is visible at each
// step and equals the server's count, the answers are in the URL, « précédent » works), chooses
// a lieu, comes back to the CRA with everything typed kept and the lieu shown, saves it; the
// activity shows the lieu and the statistics count one orientation for it. axe on the wizard;
// screenshots at 375 px.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { launch, login, newMediateur, newPage, screenshot, seriousViolations, skipReason } from "./helpers.mjs";

const DEMARCHES = "Aide aux démarches administratives";

describe("orientation depuis un CRA", { skip: skipReason }, () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it("oriente via l'assistant, enregistre le lieu sur l'activité et le compte dans les statistiques", async () => {
    const m = await newMediateur("orient");
    const { context, page } = await newPage(browser);
    await login(page, m.email);
    await page.goto("/activites/nouvelle?type=individuel");
    await page.locator('[data-code="aide_aux_demarches_administratives"]').click();
    await page.locator('[data-code="30"]').click();
    await page.getByLabel("Notes (facultatif)").fill("Dossier de logement à finir");

    await page.getByRole("button", { name: "Orienter la personne" }).click();
    await page.waitForURL(u => new URL(u).pathname === "/lieux/orienter");
    await page.getByRole("heading", { level: 1, name: "Orienter une personne" }).waitFor();
    // « Précédent » of the browser back to the CRA: nothing typed is lost; then the wizard again.
    await page.goBack();
    await page.waitForURL(u => new URL(u).pathname === "/activites/nouvelle");
    await page.getByLabel("Notes (facultatif)").waitFor();
    assert.equal(await page.getByLabel("Notes (facultatif)").inputValue(), "Dossier de logement à finir");
    await page.getByRole("button", { name: "Orienter la personne" }).click();
    await page.getByRole("heading", { level: 1, name: "Orienter une personne" }).waitFor();
    // The CRA's thématique pre-fills the need.
    assert.equal(await page.getByLabel(DEMARCHES).isChecked(), true);
    const compte = page.getByTestId("orienter-compte");
    const nombre = async () => {
      await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid="orienter-compte"]')?.textContent ?? "") ||
        /Aucun/.test(document.querySelector('[data-testid="orienter-compte"]')?.textContent ?? ""));
      const t = await compte.innerText();
      return /Aucun/.test(t) ? 0 : Number(t.replace(/[^\d]/g, ""));
    };
    const serveur = async () => {
      const qs = new URL(page.url()).searchParams;
      const q = new URLSearchParams();
      for (const k of ["services", "ouvert_maintenant", "publics_specifiquement_adresses", "fiche_acces_libre", "commune", "depuis_commune", "rayon_km"])
        for (const v of qs.getAll(k)) q.append(k, v);
      q.set("compte", "1");
      return (await m.api.request("GET", `/api/lieux?${q}`)).total;
    };
    const avecDemarches = await nombre();
    assert.ok(avecDemarches > 0, `${avecDemarches} lieux for the démarches`);
    assert.equal(avecDemarches, await serveur());
    // Unchecking the need widens the search: the count follows at once.
    await page.getByText(DEMARCHES, { exact: true }).click();
    await page.waitForFunction(n => !(document.querySelector('[data-testid="orienter-compte"]')?.textContent ?? "").startsWith(`${n} `), avecDemarches);
    assert.ok((await nombre()) > avecDemarches);
    await page.getByText(DEMARCHES, { exact: true }).click();
    await page.waitForFunction(n => (document.querySelector('[data-testid="orienter-compte"]')?.textContent ?? "").startsWith(`${n} `), avecDemarches);
    assert.deepEqual(await seriousViolations(page, "assistant étape 1"), []);

    await page.getByRole("button", { name: "Suivant" }).click();
    await page.locator("#orienter-etape", { hasText: "Étape 2 :" }).waitFor();
    assert.equal(new URL(page.url()).searchParams.get("etape"), "2");
    // The step's title has the focus (keyboard users hear the new step).
    assert.equal(await page.evaluate(() => document.activeElement?.id), "orienter-etape");
    await page.getByText("Ouvert un jour donné, dans une plage horaire").click();
    await page.getByLabel("Le", { exact: true }).waitFor();
    await page.getByText("Peu importe").click();
    assert.equal(await nombre(), avecDemarches);
    // « Précédent » of the browser goes back to step 1, with the answers kept.
    await page.goBack();
    await page.locator("#orienter-etape", { hasText: "Étape 1 :" }).waitFor();
    assert.equal(await page.getByLabel(DEMARCHES).isChecked(), true);
    await page.keyboard.press("Tab");
    await page.getByRole("button", { name: "Suivant" }).press("Enter");
    await page.locator("#orienter-etape", { hasText: "Étape 2 :" }).waitFor();
    await page.getByRole("button", { name: "Suivant" }).click();
    await page.locator("#orienter-etape", { hasText: "Étape 3 :" }).waitFor();
    assert.match(await compte.innerText(), /correspond/);
    // A commune: 30 km around it by default, the count follows; « dans la commune seulement ».
    await page.locator('input[name="commune"]').fill("Lyon");
    await page.getByRole("option", { name: /^Lyon/ }).first().click();
    await page.waitForURL(u => new URL(u).searchParams.get("depuis_commune") === "69123");
    assert.equal(new URL(page.url()).searchParams.get("rayon_km"), "30");
    await page.waitForFunction(n => !(document.querySelector('[data-testid="orienter-compte"]')?.textContent ?? "").startsWith(`${n} `), avecDemarches);
    const autourDeLyon = await nombre();
    assert.ok(autourDeLyon > 0 && autourDeLyon < avecDemarches, `${autourDeLyon} around Lyon`);
    assert.equal(autourDeLyon, await serveur());
    await page.getByLabel("Distance maximale").selectOption("0");
    await page.waitForURL(u => new URL(u).searchParams.get("commune") === "69123");
    await page.getByLabel("Distance maximale").selectOption("50");
    await page.waitForURL(u => new URL(u).searchParams.get("rayon_km") === "50");
    const dans50 = await serveur();
    await page.waitForFunction(n => (document.querySelector('[data-testid="orienter-compte"]')?.textContent ?? "").startsWith(n ? `${n} ` : "Aucun"), dans50);
    assert.ok(dans50 >= autourDeLyon, "50 km find at least what 30 km find");
    await page.getByRole("button", { name: "Suivant" }).click();
    await page.locator("#orienter-etape", { hasText: "Étape 4 :" }).waitFor();
    assert.deepEqual(await seriousViolations(page, "assistant étape 4"), []);
    await page.getByRole("button", { name: "Voir les lieux" }).click();
    await page.locator("#orienter-etape", { hasText: "Les lieux trouvés" }).waitFor();
    const carte = await page.getByRole("link", { name: "Voir sur la carte" }).getAttribute("href");
    assert.match(carte, /^\/lieux\/carte\?services=/);
    const premier = page.getByTestId("orienter-resultat").first();
    const nom = (await premier.getByRole("heading").innerText()).trim();
    await page.setViewportSize({ width: 375, height: 800 });
    await screenshot(page, "orientation-resultats-375");
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), true, "no horizontal scroll at 375 px");
    assert.deepEqual(await seriousViolations(page, "assistant résultats"), []);
    await page.setViewportSize({ width: 1280, height: 900 });
    await premier.getByRole("button", { name: `Orienter vers ce lieu : ${nom}` }).click();

    // Back on the CRA: what was typed is there, with the chosen lieu (removable).
    await page.waitForURL(u => new URL(u).pathname === "/activites/nouvelle");
    const bloc = page.getByTestId("cra-orientation");
    await bloc.getByText(`Orientée vers ${nom}`, { exact: false }).waitFor();
    assert.match(await bloc.innerText(), /Pour : Aide aux démarches administratives/);
    assert.equal(await page.getByLabel("Notes (facultatif)").inputValue(), "Dossier de logement à finir");
    assert.equal(await page.locator('[data-code="aide_aux_demarches_administratives"]').getAttribute("aria-pressed"), "true");
    assert.equal(await page.locator('[data-code="30"]').getAttribute("aria-pressed"), "true");
    await bloc.getByRole("button", { name: "Retirer ce lieu" }).waitFor();
    await page.getByRole("button", { name: "Enregistrer", exact: true }).click();
    await page.waitForURL(u => new URL(u).pathname === "/activites");

    const a = (await m.api.request("GET", "/api/activites")).items[0];
    assert.equal(a.orientation_lieu?.nom, nom);
    assert.deepEqual(a.orientation_services, [DEMARCHES]);
    assert.equal(a.oriente_vers_structure, true);
    await page.goto(`/activites/${a.id}`);
    await page.getByTestId("activite-orientation").getByRole("link", { name: nom }).waitFor();

    // The statistics: one orientation for that lieu, one for the service.
    await page.goto("/statistiques");
    const lignes = page.locator('[data-testid="table-orientations_lieux"] tbody tr');
    await lignes.first().waitFor();
    assert.equal(await lignes.count(), 1);
    assert.equal(await lignes.first().getAttribute("data-cle"), String(a.orientation_lieu_id));
    assert.match(await lignes.first().innerText(), new RegExp(nom.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
    assert.equal(await lignes.first().locator('[data-col="valeur"]').innerText(), "1");
    const service = page.locator(`[data-testid="table-orientations_services"] tbody tr[data-cle="${DEMARCHES}"]`);
    assert.equal(await service.locator('[data-col="valeur"]').innerText(), "1");
    await context.close();
  });
});
