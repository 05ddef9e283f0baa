// Lieux in a real browser (issue 12): an admin imports a small dirty CSV through the import page
// (progress, the report per row and field, the rejected rows to download); the search keeps its
// filters in the URL (restored on reload, « précédent » works); a lieu's page shows its hours in
// French as the server renders them, and its printable fiche d'orientation; the sheet editor
// names an invalid field in French and keeps what was typed, the live check of the hours says
// what is wrong, then a valid edit is saved and listed in the history. axe finds no serious or
// critical violation on these pages; screenshots at 375, 768 and 1280 px.
import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Api, courrielsPour, DEMO, E2E_DATABASE, launch, login, newPage, screenshot, seriousViolations, skipReason, unique } from "./helpers.mjs";

const MOT = `quiblo${unique().replace(/[^a-z]/g, "")}`;
const COLONNES = [
  "id", "pivot", "nom", "commune", "code_postal", "code_insee", "adresse", "complement_adresse", "latitude", "longitude",
  "typologie", "telephone", "courriels", "site_web", "horaires", "presentation_resume", "presentation_detail", "source",
  "itinerance", "structure_parente", "date_maj", "services", "publics_specifiquement_adresses", "prise_en_charge_specifique",
  "frais_a_charge", "dispositif_programmes_nationaux", "formations_labels", "autres_formations_labels", "modalites_acces",
  "modalites_accompagnement", "fiche_acces_libre", "prise_rdv"
];
const ligne = o => COLONNES.map(c => {
  const v = o[c] ?? "";
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}).join(",");
/** Real-world dirt: `;` list separators, a national phone number, one bad postal code, bad hours. */
const CSV = [
  COLONNES.join(","),
  ligne({
    id: `${MOT}-1`, pivot: "13002526500013", nom: `Médiathèque ${MOT}`, commune: "Lyon", code_postal: "69003", code_insee: "69383",
    adresse: "12 rue Garibaldi", latitude: "45.7600", longitude: "4.8500", telephone: "04 78 00 00 00",
    courriels: "contact@example.org", horaires: "Mo-Fr 09:00-12:00,14:00-18:30; Sa 09:00-12:00; PH off",
    presentation_resume: "Un espace public numérique.", source: "e2e", date_maj: "2026-11-30",
    services: "Aide aux démarches administratives;Accès internet et matériel informatique",
    publics_specifiquement_adresses: "Seniors", frais_a_charge: "Gratuit", modalites_acces: "Se présenter|Téléphoner",
    modalites_accompagnement: "Accompagnement individuel", fiche_acces_libre: "https://acceslibre.beta.gouv.fr/app/69-lyon/a/bibliotheque/erp/x/"
  }),
  ligne({
    id: `${MOT}-2`, pivot: "13002526500013", nom: `Maison ${MOT} Sans Horaires`, commune: "Lyon", code_postal: "69003",
    adresse: "3 place Guichard", horaires: "Sun 10:00-12:00", date_maj: "2026-11-30", services: "Maîtrise des outils numériques du quotidien"
  }),
  ligne({ id: `${MOT}-3`, pivot: "13002526500013", nom: `Erreur ${MOT}`, commune: "Lyon", code_postal: "6900", adresse: "1 rue X", date_maj: "2026-11-30" })
].join("\n") + "\n";

describe("lieux dans le navigateur", { skip: skipReason }, () => {
  let browser;
  let page;
  let context;
  let fichier;
  const admin = new Api();
  let lieuId;

  before(async () => {
    browser = await launch();
    ({ context, page } = await newPage(browser));
    await login(page, DEMO.admin);
    await admin.login(DEMO.admin);
    const dir = await mkdtemp(join(tmpdir(), "coop-lieux-"));
    fichier = join(dir, "lieux-sales.csv");
    await writeFile(fichier, CSV);
  });
  after(async () => {
    await context?.close();
    await browser?.close();
  });

  it("l'import d'un fichier sale montre le rapport par ligne et par champ", async () => {
    await page.goto("/admin/lieux/import");
    await page.getByRole("heading", { level: 1, name: "Importer des lieux" }).waitFor();
    // Submitting without a file: a French error next to the field.
    await page.getByRole("button", { name: "Importer", exact: true }).click();
    await page.getByText("Choisissez un fichier CSV ou JSON des lieux.").waitFor();
    await page.getByLabel("Fichier des lieux").setInputFiles(fichier);
    await page.getByRole("button", { name: "Importer", exact: true }).click();
    const rapport = page.getByTestId("rapport-import");
    await rapport.waitFor();
    const texte = await rapport.innerText();
    assert.match(texte, /3 ligne\(s\) lue\(s\)/);
    assert.match(texte, /2 créée\(s\)/);
    assert.match(texte, /1 rejetée\(s\)/);
    // The rejected row names its field and why; the bad hours are a warning naming the field.
    const rejet = rapport.locator("tr", { hasText: `${MOT}-3` }).filter({ hasText: "Code postal" });
    assert.match(await rejet.innerText(), /rejeté/);
    assert.match(await rejet.innerText(), /5 chiffres/);
    assert.match(await rapport.locator("tr", { hasText: `${MOT}-2` }).filter({ hasText: "Horaires" }).innerText(), /Avertissement/);
    const [telechargement] = await Promise.all([page.waitForEvent("download"), rapport.getByRole("link", { name: /lignes rejetées/ }).click()]);
    assert.equal(telechargement.suggestedFilename(), "lieux-rejetes.csv");
    assert.deepEqual(await seriousViolations(page, "import des lieux"), []);
    await screenshot(page, "lieux-import");
    const trouves = await admin.request("GET", `/api/lieux?q=${MOT}`);
    lieuId = (trouves.items ?? trouves.lieux).map(l => ({ id: l.id, nom: l.nom ?? l.champs.nom })).find(l => l.nom.startsWith("Médiathèque")).id;
    assert.ok(lieuId);
  });

  it("la recherche garde ses filtres dans l'URL, au rechargement et avec « précédent »", async () => {
    await page.goto("/lieux");
    await page.getByRole("heading", { level: 1, name: "Lieux de médiation numérique" }).waitFor();
    await page.getByLabel("Nom, commune ou description").fill(MOT);
    await page.waitForURL(u => u.searchParams.get("q") === MOT);
    const service = page.getByRole("group", { name: "Services" }).getByLabel("Aide aux démarches administratives");
    await service.click({ force: true });
    await page.waitForURL(u => u.searchParams.getAll("services").includes("Aide aux démarches administratives"));
    await page.getByLabel("Avec une page d'accessibilité (Acceslibre)").click({ force: true });
    await page.waitForURL(u => u.searchParams.get("fiche_acces_libre") === "1");
    await page.getByLabel("Ouvert le").fill("2026-12-14");
    await page.waitForURL(u => u.searchParams.get("jour") === "2026-12-14");
    await page.getByRole("link", { name: `Médiathèque ${MOT}` }).waitFor();
    // The filters filter: the other lieu of the file offers another service and has no valid hours.
    await page.waitForFunction(() => document.querySelector('[data-testid="lieux-total"]')?.textContent === "1 lieu");
    assert.equal(await page.getByRole("link", { name: `Maison ${MOT} Sans Horaires` }).count(), 0);
    // Reload: everything comes back from the URL.
    await page.reload();
    await page.getByRole("link", { name: `Médiathèque ${MOT}` }).waitFor();
    await page.waitForFunction(m => document.querySelector('input[name="q"]')?.value === m, MOT);
    assert.equal(await page.getByRole("group", { name: "Services" }).getByLabel("Aide aux démarches administratives").isChecked(), true);
    assert.equal(await page.getByLabel("Avec une page d'accessibilité (Acceslibre)").isChecked(), true);
    assert.equal(await page.getByLabel("Ouvert le").inputValue(), "2026-12-14");
    // Back: the filter added last is gone, the others stay.
    await page.goBack();
    await page.waitForURL(u => !u.searchParams.get("jour"));
    await page.waitForFunction(() => document.querySelector('input[name="jour"]')?.value === "");
    assert.equal(await page.getByLabel("Avec une page d'accessibilité (Acceslibre)").isChecked(), true);
    // « Autour de moi »: the browser's position, 30 km by default, distances on the cards.
    await context.grantPermissions(["geolocation"]);
    await context.setGeolocation({ latitude: 45.7601, longitude: 4.8502 });
    await page.getByRole("button", { name: "Autour de moi" }).click();
    await page.waitForURL(u => u.searchParams.get("autour") === "45.76010,4.85020" && u.searchParams.get("rayon_km") === "30");
    await page.getByText(/· à \d+ m/).first().waitFor();
    await page.getByLabel("Distance maximale").selectOption("5");
    await page.waitForURL(u => u.searchParams.get("rayon_km") === "5");
    // A wrong value typed in the URL: the API's French error is shown next to its field.
    await page.goto(`/lieux?q=${MOT}&rayon_km=500&autour=45.76,4.85`);
    await page.locator(".fr-select-group--error").getByText("Doit être un nombre entier entre 5 et 100.").waitFor();
    await page.goto(`/lieux?q=${MOT}&fiche_acces_libre=1&services=${encodeURIComponent("Aide aux démarches administratives")}`);
    await page.getByRole("link", { name: `Médiathèque ${MOT}` }).waitFor();
    assert.deepEqual(await seriousViolations(page, "recherche des lieux"), []);
    for (const w of [375, 768, 1280]) {
      await page.setViewportSize({ width: w, height: 900 });
      await screenshot(page, `lieux-recherche-${w}`);
      assert.ok(await page.evaluate(l => document.documentElement.scrollWidth <= l, w), `pas de défilement horizontal à ${w} px`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("la page d'un lieu montre ses horaires en français et sa fiche d'orientation", async () => {
    await page.goto(`/lieux/${lieuId}`);
    await page.getByRole("heading", { level: 1, name: `Médiathèque ${MOT}` }).waitFor();
    const semaine = await page.getByTestId("horaires-semaine").first().innerText();
    assert.match(semaine, /Lundi( \d+ \p{L}+ \([^)]+\))? : (9h00 – 12h00, 14h00 – 18h30|fermé)/u);
    assert.match(semaine, /Dimanche[^\n]* : fermé/);
    assert.match(await page.getByTestId("lieu-etat").textContent(), /^(Ouvert|Fermé)/);
    assert.match(await page.locator("main").innerText(), /Aide aux démarches administratives/);
    assert.match(await page.locator("main").innerText(), /Complétude de la fiche/);
    // The printed page is the fiche d'orientation only.
    await page.emulateMedia({ media: "print" });
    assert.equal(await page.getByTestId("fiche-orientation").isVisible(), true);
    assert.match(await page.getByTestId("fiche-orientation").innerText(), /À apporter/);
    assert.equal(await page.getByRole("heading", { level: 1 }).isVisible(), false);
    // One A4 page (the PDF's page count, as Chromium prints it).
    const pdf = await page.pdf({ format: "A4", preferCSSPageSize: true });
    await writeFile(join(tmpdir(), "coop-lieux-fiche.pdf"), pdf);
    assert.equal((pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length, 1, "la fiche d'orientation tient sur une page A4");
    await page.emulateMedia({ media: "screen" });
    assert.deepEqual(await seriousViolations(page, "page d'un lieu"), []);
    for (const w of [375, 768, 1280]) {
      await page.setViewportSize({ width: w, height: 900 });
      await screenshot(page, `lieux-fiche-${w}`);
      assert.ok(await page.evaluate(l => document.documentElement.scrollWidth <= l, w), `pas de défilement horizontal à ${w} px`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    // « Envoyer par e-mail » and « Signaler une erreur »: a French error on the field, then the outbox.
    const envoi = page.getByTestId("form-envoi");
    await envoi.getByLabel("Adresse e-mail de la personne").fill("pas-une-adresse");
    await envoi.getByRole("button", { name: "Envoyer la fiche" }).click();
    await envoi.getByText("Adresse e-mail invalide", { exact: false }).waitFor();
    assert.equal(await envoi.getByLabel("Adresse e-mail de la personne").inputValue(), "pas-une-adresse");
    const personne = `personne.${MOT}@exemple.fr`;
    await envoi.getByLabel("Adresse e-mail de la personne").fill(personne);
    await envoi.getByRole("button", { name: "Envoyer la fiche" }).click();
    await envoi.getByText(`Fiche envoyée à ${personne}.`).waitFor();
    const signalement = page.getByTestId("form-signalement");
    await signalement.getByRole("button", { name: "Envoyer le signalement" }).click();
    await signalement.getByText("Décrivez l'erreur constatée.").waitFor();
    await signalement.getByLabel("Quelle information est fausse ?").fill(`Le téléphone ${MOT} ne répond plus.`);
    await signalement.getByRole("button", { name: "Envoyer le signalement" }).click();
    await signalement.getByText(/Signalement envoyé \(\d+ destinataires?\)/).waitFor();
    if (E2E_DATABASE) {
      const [mail] = courrielsPour(personne);
      assert.equal(mail.modele, "fiche_lieu");
      assert.match(mail.texte, /Lundi : 9h00 – 12h00, 14h00 – 18h30|Lundi[^\n]*fermé/);
      assert.match(mail.texte, /12 rue Garibaldi/);
      const alertes = courrielsPour(DEMO.admin).filter(m => m.modele === "signalement_lieu" && m.texte.includes(MOT));
      assert.equal(alertes.length, 1);
    }
    // An invalid value is never guessed.
    const autre = (await admin.request("GET", `/api/lieux?q=${MOT}`));
    const sansHoraires = (autre.items ?? autre.lieux).find(l => (l.nom ?? l.champs.nom).startsWith("Maison"));
    await page.goto(`/lieux/${sansHoraires.id}`);
    assert.match(await page.getByTestId("horaires-semaine").first().innerText(), /Horaires non renseignés/);
    assert.equal(await page.getByTestId("lieu-etat").textContent(), "horaires non renseignés");
  });

  it("la modification nomme le champ invalide, garde la saisie, puis enregistre", async () => {
    await page.goto(`/lieux/${lieuId}/modifier`);
    await page.getByRole("heading", { level: 1, name: "Modifier la fiche du lieu" }).waitFor();
    const horaires = page.getByLabel("Horaires (syntaxe OpenStreetMap)");
    await horaires.fill("Sun 10:00-12:00");
    await page.getByText(/caractère 1/).first().waitFor();
    await horaires.fill("Mo-Fr 10:00-17:00");
    await page.getByText(/Horaires lisibles/).waitFor();
    await page.getByTestId("apercu-horaires").waitFor();
    await page.getByLabel("Code postal").fill("6900");
    await page.getByLabel("Présentation (résumé)").fill(`Résumé modifié ${MOT}`);
    await page.getByRole("group", { name: "Publics spécifiquement adressés" }).getByLabel("Jeunes").click({ force: true });
    await page.getByRole("button", { name: "Enregistrer la fiche" }).click();
    const erreurs = page.getByTestId("erreurs-champs");
    await erreurs.waitFor();
    assert.match(await erreurs.innerText(), /Code postal/);
    assert.equal(await page.getByLabel("Code postal").inputValue(), "6900");
    assert.equal(await page.getByLabel("Présentation (résumé)").inputValue(), `Résumé modifié ${MOT}`);
    assert.equal(await horaires.inputValue(), "Mo-Fr 10:00-17:00");
    assert.equal(await page.getByRole("group", { name: "Publics spécifiquement adressés" }).getByLabel("Jeunes").isChecked(), true);
    assert.deepEqual(await seriousViolations(page, "modification d'un lieu (erreur)"), []);
    await screenshot(page, "lieux-modifier-erreur");
    await page.getByLabel("Code postal").fill("69003");
    await page.getByRole("button", { name: "Enregistrer la fiche" }).click();
    await page.getByText(/Fiche enregistrée : \d+ champs? modifiés?/).waitFor();
    const historique = page.getByTestId("historique");
    await historique.getByText(/Résumé modifié/).first().waitFor();
    const lu = await admin.request("GET", `/api/lieux/${lieuId}`);
    assert.equal(lu.champs.horaires, "Mo-Fr 10:00-17:00");
    assert.equal(lu.champs.presentation_resume, `Résumé modifié ${MOT}`);
    assert.match(lu.champs.publics_specifiquement_adresses, /Jeunes/);
    assert.equal(lu.horaires_semaine.length, 7);
    await page.setViewportSize({ width: 375, height: 900 });
    await screenshot(page, "lieux-modifier-375");
  });

  it("« Mes lieux d'activité » d'une médiatrice ouvre la fiche de sa structure à modifier", async () => {
    const { context: c2, page: p2 } = await newPage(browser, { viewport: { width: 375, height: 800 } });
    try {
      await login(p2, DEMO.mediatrice);
      await p2.goto("/lieux/mes-lieux");
      await p2.getByRole("heading", { level: 1, name: "Mes lieux d'activité" }).waitFor();
      await p2.getByRole("button", { name: "Modifier la fiche lieu de Médiathèque du Bachut" }).click();
      await p2.getByRole("heading", { level: 1, name: "Modifier la fiche du lieu" }).waitFor();
      assert.match(p2.url(), /\/lieux\/\d+\/modifier$/);
      await p2.getByLabel("Visible sur la carte").waitFor();
      assert.deepEqual(await seriousViolations(p2, "mes lieux → modification"), []);
    } finally {
      await c2.close();
    }
  });
});
