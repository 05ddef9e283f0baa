// Duplicate lieux in a real browser (issue 12 point 2): two lieux of two sources with close names
// in the same commune are proposed; the admin opens the pair from /admin/lieux/doublons, sees
// both side by side, keeps B but A's name, confirms « Fusionner »; the lieu kept shows the name
// chosen, the pair is no longer listed; three sources of one place form a group; « ce ne sont pas
// des doublons » removes a pair for good. axe finds no
// serious or critical violation; screenshots at 375 and 1280 px.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Api, BASE_URL, DEMO, launch, login, newPage, screenshot, seriousViolations, skipReason, unique } from "./helpers.mjs";

const MOT = `fusio${unique().replace(/[^a-z]/g, "")}`;
const COLONNES = [
  "id", "pivot", "nom", "commune", "code_postal", "code_insee", "adresse", "complement_adresse", "latitude", "longitude",
  "typologie", "telephone", "courriels", "site_web", "horaires", "presentation_resume", "presentation_detail", "source",
  "itinerance", "structure_parente", "date_maj", "services", "publics_specifiquement_adresses", "prise_en_charge_specifique",
  "frais_a_charge", "dispositif_programmes_nationaux", "formations_labels", "autres_formations_labels", "modalites_acces",
  "modalites_accompagnement", "fiche_acces_libre", "prise_rdv"
];
const csv = o => `${COLONNES.join(",")}\n${COLONNES.map(c => o[c] ?? "").join(",")}\n`;
const BASE = {
  pivot: "00000000000000", commune: "Mende", code_postal: "48000", code_insee: "48095", adresse: "1 place du Foirail",
  latitude: "44.5180", longitude: "3.5010", services: "Aide aux démarches administratives"
};
const NOM_A = `Médiathèque ${MOT} de Mende`;
const NOM_B = `Mediatheque ${MOT} Mende`;

describe("doublons de lieux dans le navigateur", { skip: skipReason }, () => {
  let browser;
  let page;
  let context;
  const admin = new Api();
  const importer = async (texte, source) => {
    if (!admin.cookies.has("coop_csrf")) await admin.request("GET", "/api/health");
    const res = await fetch(`${BASE_URL}/api/admin/lieux/import?source=${encodeURIComponent(source)}`, {
      method: "POST",
      headers: { Accept: "application/json", "Content-Type": "text/csv", Cookie: admin.cookieHeader(), "X-CSRF-Token": admin.cookies.get("coop_csrf") ?? "" },
      body: texte
    });
    assert.equal(res.status, 200, await res.clone().text());
    return res.json();
  };

  before(async () => {
    browser = await launch();
    ({ context, page } = await newPage(browser));
    await login(page, DEMO.admin);
    await admin.login(DEMO.admin);
    await importer(csv({ ...BASE, id: `${MOT}-a`, nom: NOM_A, telephone: "+33466000000", date_maj: "2026-10-01" }), `e2e-a-${MOT}`);
    const r = await importer(csv({ ...BASE, id: `${MOT}-b`, nom: NOM_B, site_web: "https://exemple.fr", date_maj: "2026-11-30" }), `e2e-b-${MOT}`);
    assert.ok(r.doublons >= 1);
  });
  after(async () => {
    await context?.close();
    await browser?.close();
  });

  it("un administrateur compare deux lieux et les fusionne", async () => {
    await page.goto("/lieux");
    await page.getByRole("link", { name: "Doublons de lieux" }).click();
    await page.getByRole("heading", { level: 1, name: "Doublons de lieux" }).waitFor();
    await page.getByRole("link", { name: `Comparer « ${NOM_A} » et « ${NOM_B} »` }).click();
    await page.getByRole("heading", { level: 1, name: "Comparer deux lieux" }).waitFor();
    const table = page.getByTestId("comparaison-lieux");
    await table.waitFor();
    // Defaults: B is more recent (its name), A alone has a phone, B alone a web site.
    assert.equal(await page.getByLabel(`Nom : garder la valeur de B, ${NOM_B}`).isChecked(), true);
    assert.equal(await page.getByLabel("Téléphone : garder la valeur de A, +33466000000").isChecked(), true);
    assert.equal(await page.getByLabel(/Site web : garder la valeur de B/).isChecked(), true);
    assert.deepEqual(await seriousViolations(page, "comparaison de deux lieux"), []);
    await screenshot(page, "lieux-doublon-1280");
    // Keep B, with A's name.
    // (DSFR radios: the label is what a person clicks.)
    await page.locator("label", { hasText: new RegExp(`^B — ${NOM_B}`) }).click();
    await page.locator('label[for="choix-nom-lieu"]').click();
    assert.equal(await page.getByLabel(`Nom : garder la valeur de A, ${NOM_A}`).isChecked(), true);
    await page.getByRole("button", { name: "Fusionner", exact: true }).click();
    await page.getByRole("button", { name: "Confirmer la fusion" }).click();
    const resultat = page.getByTestId("doublon-resultat");
    await resultat.getByText("Lieux fusionnés").waitFor();
    assert.match(await resultat.innerText(), new RegExp(`« ${NOM_A} » est conservé`));
    await resultat.getByRole("link", { name: "Voir le lieu conservé" }).click();
    await page.getByRole("heading", { level: 1, name: NOM_A }).waitFor();
    const survivant = Number(new URL(page.url()).pathname.split("/").pop());
    const lieu = await admin.request("GET", `/api/lieux/${survivant}`);
    assert.equal(lieu.champs.id, `${MOT}-b`);
    assert.equal(lieu.champs.telephone, "+33466000000");
    assert.equal(lieu.champs.site_web, "https://exemple.fr");
    // The pair is gone from the list; re-importing A's file recreates nothing.
    const { doublons } = await admin.request("GET", "/api/admin/lieux/doublons");
    assert.equal(doublons.some(d => d.lieu.nom.includes(MOT) || d.autre.nom.includes(MOT)), false);
    const r = await importer(csv({ ...BASE, id: `${MOT}-a`, nom: NOM_A, telephone: "+33466000000", date_maj: "2026-10-01" }), `e2e-a-${MOT}`);
    assert.deepEqual([r.crees, r.modifies, r.inchanges], [0, 0, 1]);
  });

  it("la comparaison reste utilisable à 375 px", async () => {
    await importer(csv({ ...BASE, id: `${MOT}-c`, nom: `Espace ${MOT} Mende`, date_maj: "2026-10-01" }), `e2e-c-${MOT}`);
    await importer(csv({ ...BASE, id: `${MOT}-d`, nom: `Espace ${MOT} de Mende`, date_maj: "2026-10-02" }), `e2e-d-${MOT}`);
    await importer(csv({ ...BASE, id: `${MOT}-e`, nom: `Espace ${MOT} Mende`, date_maj: "2026-10-03" }), `e2e-e-${MOT}`);
    const { context: petit, page: p } = await newPage(browser, { viewport: { width: 375, height: 800 } });
    try {
      await login(p, DEMO.admin);
      await p.goto("/admin/lieux/doublons");
      // Three sources of the same place: one group of pairs.
      const groupe = p.getByRole("region", { name: /^Groupe de \d+ lieux/ }).filter({ hasText: `Espace ${MOT}` });
      await groupe.waitFor();
      assert.ok((await groupe.getByRole("link", { name: new RegExp(`Comparer « Espace ${MOT}`) }).count()) >= 2);
      await groupe.getByRole("link", { name: new RegExp(`Comparer « Espace ${MOT}`) }).first().click();
      await p.getByTestId("comparaison-lieux").waitFor();
      const paire = Number(new URL(p.url()).pathname.split("/").pop());
      const largeur = await p.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(largeur <= 375, `page width ${largeur}px`);
      assert.deepEqual(await seriousViolations(p, "comparaison à 375 px"), []);
      await screenshot(p, "lieux-doublon-375");
      // « Ce ne sont pas des doublons »: gone for good.
      await p.getByRole("button", { name: "Ce ne sont pas des doublons" }).click();
      await p.getByText("Proposition écartée").waitFor();
      const { doublons } = await admin.request("GET", "/api/admin/lieux/doublons");
      assert.equal(doublons.some(d => d.id === paire), false);
      const ecarte = await admin.request("GET", `/api/admin/lieux/doublons/${paire}`);
      assert.equal(ecarte.statut, "ecarte");
    } finally {
      await petit.close();
    }
  });
});
