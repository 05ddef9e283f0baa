// Ressources in a real browser (issue 11): a mediator publishes a resource with two files (a PDF
// chosen with the file picker, a PNG dropped on the zone) through the editor; the library finds it by a word
// variant typed without accents (« numerique » finds « Numériques ») as one types; the resource
// page downloads a file whose bytes are compared with what was uploaded; the editor's errors
// (empty title, wrong type by name and by content, oversize) are clear and keep what was typed;
// axe finds no serious or critical violation on the library, the resource page and the editor.
// The editor's « Aperçu » shows the server's rendering of the unsaved text; the resource is
// published in the name of the mediatrice's structure (kept when edited, shown on its page); the
// owner of a collection edits its title, description and visibility (the API's errors on the fields).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { Api, DEMO, launch, login, newPage, screenshot, seriousViolations, skipReason } from "./helpers.mjs";

/** A small valid PDF holding one line of text (offsets of its xref table computed). */
function pdf(texte) {
  const objets = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    null,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
  ];
  const flux = `BT /F1 14 Tf 20 100 Td (${texte}) Tj ET`;
  objets[3] = `<< /Length ${flux.length} >>\nstream\n${flux}\nendstream`;
  let corps = "%PDF-1.4\n";
  const positions = [];
  objets.forEach((o, i) => {
    positions.push(corps.length);
    corps += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = corps.length;
  corps += `xref\n0 ${objets.length + 1}\n0000000000 65535 f \n`;
  for (const p of positions) corps += `${String(p).padStart(10, "0")} 00000 n \n`;
  corps += `trailer\n<< /Size ${objets.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(corps, "latin1");
}

const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");
/** A word of letters only, new at each run: the search finds exactly our resource with it. */
const MOT = `zorbi${Array.from({ length: 6 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join("")}`;

async function remplirObligatoires(page) {
  await page.getByRole("combobox", { name: "Format *" }).selectOption("fiche_pas_a_pas");
  await page.getByRole("combobox", { name: "Niveau *" }).selectOption("debutant");
  await page.locator('[data-champ="thematiques"] input[type="checkbox"]').first().check({ force: true });
}

describe("ressources dans le navigateur", { skip: skipReason }, () => {
  let browser;
  let page;
  let context;
  let id;
  let collection;
  const contenuPdf = pdf(`Guide ${MOT} pour les ateliers`);
  const titre = `Fiches Numériques ${MOT}`;

  before(async () => {
    browser = await launch();
    ({ context, page } = await newPage(browser, { acceptDownloads: true }));
    await login(page, DEMO.mediatrice);
  });
  after(async () => {
    if (id) {
      const api = new Api();
      await api.login(DEMO.mediatrice);
      await api.request("DELETE", `/api/ressources/${id}`).catch(() => {});
      if (collection) await api.request("DELETE", `/api/ressources/collections/${collection}`).catch(() => {});
    }
    await browser?.close();
  });

  it("publie une ressource avec deux fichiers depuis l'éditeur", async () => {
    await page.getByRole("link", { name: "Ressources", exact: true }).first().click();
    await page.waitForURL(/\/ressources$/);
    await page.getByRole("link", { name: "Publier une ressource" }).click();
    await page.waitForURL(/\/ressources\/nouvelle$/);
    await page.getByLabel("Titre *").fill(titre);
    await page.getByLabel("Résumé").fill("Deux fiches pour un premier atelier.");
    await page.getByLabel("Texte de la description").fill("Un **atelier** en deux temps :\n\n- allumer la tablette\n- ouvrir sa messagerie");
    await remplirObligatoires(page);
    await page.getByLabel("Durée de l'atelier").fill("90");
    // « Aperçu »: the unsaved text rendered by the server (POST /api/ressources/apercu), not raw.
    await page.getByRole("button", { name: "Aperçu" }).click();
    const apercu = page.getByTestId("apercu-description");
    await apercu.locator("strong", { hasText: "atelier" }).waitFor();
    assert.deepEqual(await apercu.locator("li").allTextContents(), ["allumer la tablette", "ouvrir sa messagerie"]);
    assert.ok(!(await apercu.textContent()).includes("**"), "no raw markdown in the preview");
    await page.getByRole("button", { name: "Écrire" }).click();
    assert.match(await page.getByLabel("Texte de la description").inputValue(), /\*\*atelier\*\*/);
    // Published in the name of her structure (she works at the Médiathèque du Bachut).
    const auNomDe = page.getByRole("combobox", { name: "Publier au nom de" });
    assert.equal(await auNomDe.inputValue(), "", "« Moi seulement » by default");
    await auNomDe.selectOption({ label: "Médiathèque du Bachut" });
    // The licence is CC BY-SA 4.0 unless changed.
    assert.equal(await page.getByRole("combobox", { name: "Licence" }).inputValue(), "cc_by_sa_4");
    // One file chosen with the picker, the other dropped on the zone (a drag and drop's events).
    await page.getByLabel("Ajouter des fichiers").setInputFiles([{ name: "fiche-atelier.pdf", mimeType: "application/pdf", buffer: contenuPdf }]);
    await page.getByTestId("zone-depot").evaluate((zone, b64) => {
      const octets = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([octets], "illustration.png", { type: "image/png" }));
      for (const type of ["dragenter", "dragover", "drop"]) zone.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, PNG.toString("base64"));
    await page.locator('[data-testid="fichier-joint"]').nth(1).waitFor({ timeout: 20_000 });
    assert.deepEqual(
      (await page.locator('[data-testid="fichier-joint"] .coop-ress__nom').allTextContents()).map(t => t.split(" ")[0]).sort(),
      ["fiche-atelier.pdf", "illustration.png"]
    );
    assert.equal(await page.locator('[data-testid="envoi"]').count(), 0, "no upload left in progress or in error");
    const bad = await seriousViolations(page, "éditeur de ressource");
    assert.deepEqual(bad.map(v => v.id), []);
    await page.getByRole("button", { name: "Publier", exact: true }).click();
    await page.waitForURL(/\/ressources\/\d+$/);
    id = Number(new URL(page.url()).pathname.split("/").pop());
    await page.getByRole("heading", { level: 1, name: titre }).waitFor();
    // The description is the server's rendering of the markdown.
    assert.equal(await page.locator(".coop-ress__description strong", { hasText: "atelier" }).count(), 1);
    assert.equal(await page.locator(".coop-ress__fichier").count(), 2);
    await page.locator("p", { hasText: "Par " }).getByRole("link", { name: "Médiathèque du Bachut" }).first().waitFor();
    assert.match(await page.locator("p", { hasText: "Par " }).first().textContent(), /pour Médiathèque du Bachut/);
  });

  it("la trouve par une variante sans accent, pendant la saisie", async () => {
    await page.goto("/ressources");
    const champ = page.getByRole("searchbox", { name: "Rechercher une ressource" });
    // Typed key by key: the results come while typing, the last word being a prefix.
    await champ.pressSequentially(`numerique ${MOT.slice(0, 8)}`, { delay: 20 });
    // The search applies once the typing pauses: the URL holds it, the list has our resource only.
    await page.waitForURL(url => new URL(url).searchParams.get("q") === `numerique ${MOT.slice(0, 8)}`);
    await page.getByTestId("ressources-total").filter({ hasText: /^1 ressource$/ }).waitFor();
    const carte = page.getByRole("list", { name: "Ressources trouvées" }).locator(".fr-card", { hasText: titre });
    assert.equal(await carte.count(), 1);
    // Without a query, « Les plus utiles » is shown; with one, only the results.
    assert.equal(await page.getByRole("heading", { name: "Les plus utiles" }).count(), 0);
    // The card's image is the first page of the PDF, rendered by the server.
    const image = carte.locator("img");
    const sha = createHash("sha256").update(contenuPdf).digest("hex");
    assert.equal(await image.getAttribute("src"), `/api/ressources/${id}/fichiers/${sha}?apercu=1`);
    await page.waitForFunction(el => el.complete && el.naturalWidth > 0, await image.elementHandle());
    // The facets show their counts for this search.
    // Checking a facet filters the results and goes into the URL; another format finds nothing.
    await page.getByRole("checkbox", { name: "Fiche pas à pas (1)" }).check({ force: true });
    await page.waitForURL(url => new URL(url).searchParams.getAll("format").join() === "fiche_pas_a_pas");
    await page.getByTestId("ressources-total").filter({ hasText: /^1 ressource$/ }).waitFor();
    await page.getByRole("combobox", { name: "Trier par" }).selectOption("recent");
    await page.waitForURL(url => new URL(url).searchParams.get("tri") === "recent");
    await page.getByTestId("ressources-total").filter({ hasText: /^1 ressource$/ }).waitFor();
    await page.screenshot({ path: "/tmp/coop-ressources-recherche.png", fullPage: true });
    const bad = await seriousViolations(page, "bibliothèque");
    assert.deepEqual(bad.map(v => v.id), []);
    await carte.getByRole("link", { name: titre }).click();
    await page.waitForURL(new RegExp(`/ressources/${id}$`));
  });

  it("télécharge un fichier identique à celui déposé", async () => {
    await page.getByRole("heading", { level: 1, name: titre }).waitFor();
    const [telechargement] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: /Télécharger fiche-atelier\.pdf/ }).click()
    ]);
    assert.equal(telechargement.suggestedFilename(), "fiche-atelier.pdf");
    const octets = await readFile(await telechargement.path());
    assert.ok(octets.equals(contenuPdf), "the downloaded bytes are the uploaded ones");
    const bad = await seriousViolations(page, "page de ressource");
    assert.deepEqual(bad.map(v => v.id), []);
    await screenshot(page, "ressource");
  });

  it("une autre personne vote utile, la met en favori, commente et la partage dans un canal", async () => {
    const autre = await newPage(browser);
    const p = autre.page;
    await login(p, DEMO.coordination);
    await p.goto(`/ressources/${id}`);
    await p.getByRole("heading", { level: 1, name: titre }).waitFor();
    await p.getByRole("button", { name: /^Utile \(0\)/ }).click();
    await p.getByRole("button", { name: /^Utile \(1\)/, pressed: true }).waitFor();
    await p.getByRole("button", { name: "Favori" }).click();
    await p.getByRole("button", { name: "Favori", pressed: true }).waitFor();
    await p.getByLabel("Votre commentaire").fill("Testé avec un groupe : très clair.");
    await p.getByRole("button", { name: "Commenter" }).click();
    await p.locator(".coop-ress__liste li", { hasText: "Testé avec un groupe" }).waitFor();
    // Shared in « Ressourcerie »: the message carries the link, shown as a card of Coop.
    await p.getByRole("button", { name: "Partager dans un canal" }).click();
    const choix = p.getByRole("combobox", { name: "Canal" });
    await choix.locator("option", { hasText: "Ressourcerie" }).waitFor({ state: "attached" });
    await choix.selectOption({ label: "Ressourcerie" });
    await p.getByRole("button", { name: "Partager", exact: true }).click();
    await p.getByText("Ressource partagée dans le canal.").waitFor();
    await p.getByRole("link", { name: "Voir le canal" }).click();
    await p.waitForURL(/\/discussion\/\d+/);
    const coord = new Api();
    await coord.login(DEMO.coordination);
    const canal = (await coord.request("GET", "/api/discussion/canaux")).items.find(c => c.nom === "Ressourcerie");
    const sujets = (await coord.request("GET", `/api/discussion/canaux/${canal.id}/sujets`)).items;
    const sujet = sujets.find(s => s.titre === titre);
    assert.ok(sujet, "a topic named after the resource");
    const messages = (await coord.request("GET", `/api/discussion/canaux/${canal.id}/messages?sujet=${sujet.id}`)).items;
    assert.ok(messages.some(m => m.cartes.some(c => c.chemin === `/ressources/${id}`)), "the message has the resource's card");
    await p.goto("/ressources/favoris");
    await p.locator(".fr-card", { hasText: titre }).waitFor();
    await autre.context.close();
  });

  it("range la ressource dans une collection et la copie pour l'adapter (la copie cite l'original)", async () => {
    await page.goto("/ressources/collections");
    const premierNom = `Kit atelier ${MOT}`;
    await page.getByLabel("Titre de la collection").fill(premierNom);
    await page.getByRole("button", { name: "Créer la collection" }).click();
    await page.waitForURL(/\/ressources\/collections\/\d+$/);
    await page.getByRole("heading", { level: 1, name: premierNom }).waitFor();
    collection = new URL(page.url()).pathname.split("/").pop();
    // Its owner edits it: an empty title is refused by the API, its French error on the field.
    await page.getByRole("button", { name: "Modifier la collection" }).click();
    const formulaire = page.getByRole("form", { name: "Modifier la collection" });
    await formulaire.getByLabel("Titre de la collection").fill("   ");
    await formulaire.getByRole("button", { name: "Enregistrer" }).click();
    await formulaire.getByText("Ce champ est obligatoire.").waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("name")), "titre");
    const bad = await seriousViolations(page, "modification d'une collection");
    assert.deepEqual(bad.map(v => v.id), []);
    const nom = `Kit atelier relu ${MOT}`;
    await formulaire.getByLabel("Titre de la collection").fill(nom);
    await formulaire.getByLabel("Description").fill("Pour les ateliers du mardi.");
    await formulaire.getByRole("checkbox", { name: "Collection publique" }).uncheck({ force: true });
    await formulaire.getByRole("button", { name: "Enregistrer" }).click();
    await page.getByRole("heading", { level: 1, name: nom }).waitFor();
    assert.equal(await formulaire.count(), 0, "the form closes once saved");
    await page.getByText("Pour les ateliers du mardi.").waitFor();
    await page.getByText(/· privée ·/).waitFor();
    const api = new Api();
    await api.login(DEMO.mediatrice);
    const enregistree = await api.request("GET", `/api/ressources/collections/${collection}`);
    assert.deepEqual([enregistree.titre, enregistree.description, enregistree.publique], [nom, "Pour les ateliers du mardi.", false]);
    await page.goto(`/ressources/${id}`);
    await page.getByRole("button", { name: "Ajouter à une collection ou copier" }).click();
    const choix = page.getByRole("combobox", { name: "Ma collection" });
    await choix.locator("option", { hasText: nom }).waitFor({ state: "attached" });
    await choix.selectOption({ label: nom });
    await page.getByRole("button", { name: "Ajouter à la collection" }).click();
    await page.getByText(`Ajoutée à la collection « ${nom} ».`).waitFor();
    await page.goto(`/ressources/collections/${collection}`);
    await page.locator(".fr-card", { hasText: titre }).waitFor();

    const autre = await newPage(browser);
    await login(autre.page, DEMO.coordination);
    await autre.page.goto(`/ressources/${id}`);
    await autre.page.getByRole("button", { name: "Ajouter à une collection ou copier" }).click();
    await autre.page.getByRole("button", { name: "Copier pour l'adapter" }).click();
    await autre.page.waitForURL(/\/ressources\/\d+\/modifier$/);
    const copie = Number(new URL(autre.page.url()).pathname.split("/")[2]);
    assert.notEqual(copie, id);
    assert.equal(await autre.page.getByLabel("Titre *").inputValue(), titre);
    await autre.page.goto(`/ressources/${copie}`);
    await autre.page.getByRole("link", { name: new RegExp(`D'après.*${MOT}`) }).waitFor();
    const coord = new Api();
    await coord.login(DEMO.coordination);
    await coord.request("DELETE", `/api/ressources/${copie}`);
    await autre.context.close();
  });

  it("un signalement arrive dans la file des modérateurs, qui masquent puis restaurent", async () => {
    const autre = await newPage(browser);
    await login(autre.page, DEMO.coordination);
    await autre.page.goto(`/ressources/${id}`);
    await autre.page.getByRole("button", { name: "Signaler un problème" }).click();
    await autre.page.getByLabel("Motif du signalement").fill(`Lien cassé ${MOT}`);
    await autre.page.getByRole("button", { name: "Envoyer le signalement" }).click();
    await autre.page.getByText("Merci : votre signalement a été transmis aux modérateurs.").waitFor();
    await autre.context.close();

    const mod = await newPage(browser);
    await login(mod.page, DEMO.admin);
    await mod.page.getByRole("button", { name: "Administration" }).click();
    await mod.page.getByRole("link", { name: "Ressources signalées" }).click();
    await mod.page.waitForURL(/\/ressources\/moderation$/);
    const ligne = mod.page.locator(".coop-ress__liste > li", { hasText: `Lien cassé ${MOT}` });
    await ligne.getByRole("button", { name: `Masquer « ${titre} »` }).click();
    await mod.page.getByText("Ressource masquée.").waitFor({ state: "attached" });
    // The treated report leaves the queue (the list reloads after the confirmation).
    await ligne.waitFor({ state: "detached" });
    assert.equal(await ligne.count(), 0, "the treated report leaves the queue");
    const bad = await seriousViolations(mod.page, "modération des ressources");
    assert.deepEqual(bad.map(v => v.id), []);
    // Hidden: the library no longer lists it for others; the page tells its author.
    const coord = new Api();
    await coord.login(DEMO.coordination);
    assert.equal((await coord.request("GET", `/api/ressources?q=${MOT}`)).total, 0);
    await page.goto(`/ressources/${id}`);
    await page.getByText(/Ressource masquée par la modération/).waitFor();
    await mod.page.goto(`/ressources/${id}`);
    await mod.page.getByRole("button", { name: "Restaurer la ressource" }).click();
    await mod.page.getByRole("button", { name: "Masquer la ressource" }).waitFor();
    assert.equal((await coord.request("GET", `/api/ressources?q=${MOT}`)).total, 1);
    await mod.context.close();
  });

  it("une modification publie une nouvelle version avec sa note", async () => {
    await page.goto(`/ressources/${id}`);
    await page.getByRole("link", { name: "Modifier" }).click();
    await page.waitForURL(new RegExp(`/ressources/${id}/modifier$`));
    assert.equal(await page.getByLabel("Titre *").inputValue(), titre);
    await page.getByLabel("Résumé").fill("Deux fiches pour un premier atelier, relues.");
    await page.getByLabel("Note de version").fill("Relecture après un premier atelier");
    // The structure is kept; the preview follows the text being edited.
    assert.equal(await page.getByRole("combobox", { name: "Publier au nom de" }).locator("option:checked").textContent(), "Médiathèque du Bachut");
    await page.getByLabel("Texte de la description").fill("Un *atelier* relu :\n\n1. allumer la tablette");
    await page.getByRole("button", { name: "Aperçu" }).click();
    await page.getByTestId("apercu-description").locator("em", { hasText: "atelier" }).waitFor();
    await page.getByTestId("apercu-description").locator("ol li", { hasText: "allumer la tablette" }).waitFor();
    await page.getByRole("button", { name: "Enregistrer et publier" }).click();
    await page.waitForURL(new RegExp(`/ressources/${id}$`));
    await page.getByText("Deux fiches pour un premier atelier, relues.").waitFor();
    await page.locator(".coop-ress__description em", { hasText: "atelier" }).waitFor();
    await page.locator("p", { hasText: "Par " }).getByRole("link", { name: "Médiathèque du Bachut" }).first().waitFor();
    const versions = page.getByRole("region", { name: "Versions" }).or(page.locator('section[aria-labelledby="versions-titre"]'));
    await versions.getByText("Relecture après un premier atelier").waitFor();
    await versions.getByText(/Version 2/).waitFor();
  });

  it("l'éditeur refuse clairement et garde la saisie", async () => {
    await page.goto("/ressources/nouvelle");
    await page.getByLabel("Résumé").fill("Un résumé à garder");
    await page.getByRole("button", { name: "Publier", exact: true }).click();
    const titreChamp = page.getByLabel("Titre *");
    await page.getByText("Donnez un titre à la ressource.").waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("name")), "titre", "the focus goes to the first wrong field");
    assert.equal(await page.getByLabel("Résumé").inputValue(), "Un résumé à garder");
    assert.equal(await page.getByText("Choisissez un format.").count(), 1);
    await titreChamp.fill("Sans thématique");
    await page.getByRole("combobox", { name: "Format *" }).selectOption("diaporama");
    await page.getByRole("combobox", { name: "Niveau *" }).selectOption("tous");
    await page.getByRole("button", { name: "Ajouter un lien" }).click();
    await page.getByLabel("Adresse du lien 1").fill("javascript:alert(1)");
    await page.getByRole("button", { name: "Publier", exact: true }).click();
    await page.getByText("Choisissez au moins une thématique pour publier.").waitFor();
    await page.getByText("Adresse du lien invalide").waitFor();
    assert.equal(await titreChamp.inputValue(), "Sans thématique");

    // Wrong type by its name: refused before any upload.
    const envois = [];
    page.on("request", r => r.url().endsWith("/api/ressources/fichiers") && envois.push(r));
    await page.getByLabel("Ajouter des fichiers").setInputFiles([{ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("bonjour") }]);
    await page.getByRole("alert").filter({ hasText: "notes.txt : Type de fichier non accepté" }).waitFor();
    assert.equal(envois.length, 0);
    // Wrong type by its content (a page of HTML named .pdf): the server sniffs it and refuses.
    await page.getByLabel("Ajouter des fichiers").setInputFiles([{ name: "faux.pdf", mimeType: "application/pdf", buffer: Buffer.from("<html><body>pas un PDF</body></html>") }]);
    await page.getByRole("alert").filter({ hasText: "faux.pdf : Ce type de fichier n'est pas accepté ici" }).waitFor();
    assert.equal(envois.length, 1);
    assert.equal(await page.locator('[data-testid="fichier-joint"]').count(), 0);
  });

  it("un fichier trop volumineux est refusé avant l'envoi", async () => {
    // The demo server takes 50 Mio per file: the page is told a limit of 64 Kio (the answer of
    // the vocabulary is rewritten) so that a 100 Kio file is over it.
    const p2 = await context.newPage();
    await p2.route("**/api/ressources/referentiel", async route => {
      const r = await route.fetch();
      const json = await r.json();
      await route.fulfill({ response: r, json: { ...json, taille_max: 64 * 1024 } });
    });
    await p2.goto("/ressources/nouvelle");
    const envois = [];
    p2.on("request", r => r.url().endsWith("/api/ressources/fichiers") && envois.push(r));
    await p2.getByLabel("Ajouter des fichiers").setInputFiles([{ name: "gros.pdf", mimeType: "application/pdf", buffer: Buffer.alloc(100 * 1024, 37) }]);
    await p2.getByRole("alert").filter({ hasText: "gros.pdf : Fichier trop volumineux (100 Ko) : 64 Ko au plus." }).waitFor();
    assert.equal(envois.length, 0);
    await p2.close();
  });
});
