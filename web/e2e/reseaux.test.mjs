// Réseaux locaux (web/src/pages/reseaux): a coordinator creates a network and invites a structure,
// its gestionnaire accepts from « Invitations » (the mail is in the outbox), then the network's
// directory lists the structure and its mediators, the figures tab shows the « réseau » scope's
// count (equal to the API's), the map tab its lieux; axe-core, and the page at 375 px.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Api, DEMO, E2E_DATABASE, courrielsPour, launch, login, newPage, screenshot, seriousViolations, skipReason } from "./helpers.mjs";

describe("réseaux locaux", { skip: skipReason }, () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it("create, invite, accept, then the directory, the figures and the map show it", async () => {
    const nom = `Réseau e2e ${Date.now().toString(36)}`;
    const { context, page } = await newPage(browser);
    await login(page, DEMO.coordination);
    await page.goto("/reseaux");
    await page.getByRole("link", { name: "Créer un réseau" }).click();
    await page.getByRole("heading", { level: 1, name: "Créer un réseau local" }).waitFor();
    // Submitting empty: French errors on the fields.
    await page.getByRole("button", { name: "Créer le réseau" }).click();
    await page.getByRole("heading", { name: "Le réseau n'a pas été créé" }).waitFor();
    await page.getByText("Indiquez au moins un département ou une commune.").waitFor();
    assert.ok(await page.locator(".fr-input-group--error").first().isVisible(), "the name field shows its error");
    await page.getByLabel("Nom du réseau").fill(nom);
    await page.getByLabel("Ajouter un département").selectOption("69");
    await page.getByTestId("territoires").getByText("Rhône (69)").waitFor();
    await page.getByRole("combobox", { name: "Ajouter une structure" }).fill("Bachut");
    await page.getByRole("option", { name: /Médiathèque du Bachut/ }).click();
    await page.getByTestId("structures-choisies").getByText("Médiathèque du Bachut").waitFor();
    await page.getByRole("button", { name: "Créer le réseau" }).click();
    await page.getByRole("heading", { level: 1, name: nom }).waitFor();
    const id = Number(new URL(page.url()).pathname.split("/").pop());
    assert.ok(id > 0);
    await page.getByText("Aucune structure membre pour l'instant.").waitFor();
    await page.getByRole("tab", { name: "Gestion" }).click();
    await page.getByTestId("invitations-en-attente").getByText("Médiathèque du Bachut").waitFor();
    if (E2E_DATABASE) assert.ok(courrielsPour(DEMO.gestion).some(m => m.modele === "invitation_reseau" && m.texte.includes(nom)), "the invitation mail");

    // The gestionnaire accepts.
    const g = await newPage(browser);
    await login(g.page, DEMO.gestion);
    await g.page.goto("/reseaux/invitations");
    const carte = g.page.getByTestId("invitations-reseaux").locator("li", { hasText: nom });
    await carte.getByRole("button", { name: "Accepter" }).click();
    await g.page.getByText(`Médiathèque du Bachut a rejoint « ${nom} ».`).waitFor();
    await g.context.close();

    // The directory, the figures, the map.
    await page.reload();
    await page.getByTestId("structures-membres").getByText("Médiathèque du Bachut").waitFor();
    await page.getByTestId("annuaire-personnes").getByText("Maëlle Médiatrice").waitFor();
    await page.getByLabel("Chercher dans l'annuaire").fill("benali");
    await page.getByRole("button", { name: "Chercher" }).click();
    await page.getByText("pour « benali »").waitFor();
    assert.equal(await page.getByTestId("annuaire-personnes").locator("li").count(), 1);
    assert.equal(await seriousViolations(page, "réseau annuaire").then(v => v.length), 0);

    await page.getByRole("tab", { name: "Chiffres" }).click();
    const api = new Api();
    await api.login(DEMO.coordination);
    const stats = await api.request("GET", `/api/statistiques?perimetre=reseau:${id}`);
    assert.ok(stats.totaux.activites > 0);
    await page.getByTestId("chiffre-activites").getByText(stats.totaux.activites.toLocaleString("fr-FR")).waitFor();

    // The statistics page offers the network's scope in its « Périmètre » select.
    await page.getByRole("link", { name: "Voir toutes les statistiques du réseau" }).click();
    await page.waitForURL(/\/statistiques\?perimetre=reseau/);
    const select = page.locator("#perimetre");
    await select.waitFor();
    assert.equal(await select.inputValue(), `reseau:${id}`);
    assert.ok((await select.locator("option:checked").textContent()).includes(nom));
    await page.goBack();
    await page.getByRole("heading", { level: 1, name: nom }).waitFor();

    await page.getByRole("tab", { name: "Carte" }).click();
    const pts = await api.request("GET", `/api/lieux/points?reseau=${id}`);
    const total = page.getByTestId("carte-reseau-total");
    await total.waitFor();
    assert.equal(Number(await total.getAttribute("data-total")), pts.total);
    assert.ok(await page.getByRole("link", { name: "Canal de discussion du réseau" }).isVisible());

    // 375 px: nothing wider than the screen.
    await page.setViewportSize({ width: 375, height: 800 });
    await page.getByRole("tab", { name: "Annuaire" }).click();
    await page.getByTestId("annuaire").waitFor();
    const largeur = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(largeur <= 375, `page width ${largeur} px at 375 px`);
    await screenshot(page, "reseau-375");
    await api.request("DELETE", `/api/reseaux/${id}`);
    await context.close();
  });
});
