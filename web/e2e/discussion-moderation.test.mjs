// Channel administration and moderation in the browser, with two users in two contexts: the
// moderator of a thematic channel renames it (« Paramètres du canal »), mutes a member from
// « Membres » (who sees at once why and until when they cannot write, and whose post the API
// refuses), lifts the mute, renames a topic, moves two messages to a new topic (the member sees them leave its topic
// live and the new topic appear), archives the channel (the member's composer gives way to a
// notice, the channel is listed apart); typing notices carry their topic (a new topic being
// written shows in the topic list); an admin bans a person from the discussion space and lifts it
// from the moderation page. axe on each view; the members dialog at 375 px.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Api, DEMO, DEMO_PASSWORD, launch, login, newPage, screenshot, seriousViolations, skipReason, unique } from "./helpers.mjs";

const textes = page =>
  page.locator('[data-testid="messages"] .coop-message .coop-message__corps').evaluateAll(els => els.map(e => e.textContent.trim()));

async function attendreDirect(page) {
  await page.locator('[data-testid="etat-direct"][data-direct="true"]').waitFor({ state: "attached", timeout: 15_000 });
}

/** The name of the element that has the focus (its text or aria-label). */
const focusSur = page => page.evaluate(() => document.activeElement?.getAttribute("aria-label") || document.activeElement?.textContent?.trim() || "");

describe("discussion : administration et modération des canaux", { skip: skipReason }, () => {
  let browser;
  let canal;
  let sujet;
  let nomCanal;
  let maelle;
  const moderatrice = new Api(); // coordination: creates the channel, so moderates it
  const membre = new Api(); // the demo mediator
  const admin = new Api();

  before(async () => {
    browser = await launch();
    await moderatrice.login(DEMO.coordination);
    await membre.login(DEMO.mediatrice);
    await admin.login(DEMO.admin);
    maelle = await membre.request("GET", "/api/me");
    nomCanal = `Modération ${unique()}`;
    canal = await moderatrice.request("POST", "/api/discussion/canaux", { type: "theme", nom: nomCanal, description: "Essais de modération." });
    await membre.request("POST", `/api/discussion/canaux/${canal.id}/adhesion`);
    const m = await moderatrice.request("POST", `/api/discussion/canaux/${canal.id}/messages`, { sujet: "Tout et n'importe quoi", texte: "Bienvenue dans le canal." });
    sujet = m.sujet_id;
    await membre.request("POST", `/api/discussion/canaux/${canal.id}/messages`, { sujet_id: sujet, texte: "Qui connaît un atelier sur les impôts ?" });
    await moderatrice.request("POST", `/api/discussion/canaux/${canal.id}/messages`, { sujet_id: sujet, texte: "Essayez la médiathèque le mardi." });
    await membre.request("POST", `/api/discussion/canaux/${canal.id}/messages`, { sujet_id: sujet, texte: "Merci, je note." });
  });
  after(async () => {
    await browser?.close();
  });

  it("a moderator renames, mutes, moves messages and archives; the member sees it live", async () => {
    const a = await newPage(browser);
    const b = await newPage(browser);
    await login(a.page, DEMO.coordination);
    await login(b.page, DEMO.mediatrice);
    const url = `/discussion/${canal.id}/${sujet}`;
    await a.page.goto(url);
    await b.page.goto(url);
    await a.page.getByRole("heading", { level: 2, name: "Tout et n'importe quoi" }).waitFor();
    await b.page.getByRole("heading", { level: 2, name: "Tout et n'importe quoi" }).waitFor();
    await attendreDirect(a.page);
    await attendreDirect(b.page);
    assert.equal(await b.page.getByRole("button", { name: "Paramètres du canal" }).count(), 0, "a member has no settings");

    // Rename from « Paramètres du canal »; the focus comes back to the button when it closes.
    const parametres = a.page.getByRole("button", { name: "Paramètres du canal" });
    await parametres.click();
    const dialogue = a.page.getByRole("dialog", { name: "Paramètres du canal" });
    await dialogue.waitFor();
    const nouveauNom = `${nomCanal} (renommé)`;
    await dialogue.getByLabel("Nom du canal").fill(nouveauNom);
    await dialogue.getByLabel("Description").fill("Questions de modération, pour de faux.");
    await dialogue.getByRole("button", { name: "Enregistrer" }).click();
    await dialogue.getByText("Paramètres du canal enregistrés.").waitFor();
    assert.deepEqual(await seriousViolations(a.page, "paramètres du canal"), []);
    await dialogue.getByRole("button", { name: "Fermer" }).click();
    await dialogue.waitFor({ state: "hidden" });
    await a.page.waitForFunction(() => document.activeElement?.textContent?.trim() === "Paramètres du canal");
    await b.page.locator("#canal-titre", { hasText: nouveauNom }).waitFor();
    await b.page.getByText("Questions de modération, pour de faux.").waitFor();

    // Typing: in this topic, shown in this topic; a new topic being written, in the topic list.
    await b.page.getByRole("textbox", { name: "Votre message" }).pressSequentially("J'écris", { delay: 10 });
    await a.page.locator('[data-testid="frappe"]', { hasText: `${maelle.prenom} ${maelle.nom} écrit…` }).waitFor();
    await b.page.getByRole("textbox", { name: "Votre message" }).fill("");
    await b.page.getByRole("button", { name: "Nouveau sujet" }).click();
    await b.page.getByLabel("Titre du sujet").pressSequentially("Une idée", { delay: 10 });
    await a.page.locator('[data-testid="frappe-nouveau-sujet"]', { hasText: `${maelle.prenom} ${maelle.nom} écrit un nouveau sujet…` }).waitFor();
    await b.page.locator("form.coop-discussion__nouveau-sujet").getByRole("button", { name: "Annuler" }).click();

    // « Membres »: mute the member for one hour.
    const boutonMembres = a.page.getByRole("button", { name: /^Membres : 2 membres/ });
    await boutonMembres.click();
    const membres = a.page.getByRole("dialog", { name: `Membres de ${nouveauNom}` });
    await membres.waitFor();
    const ligne = membres.locator(`[data-membre-id="${maelle.id}"]`);
    await ligne.getByRole("button", { name: `Gérer ${maelle.prenom} ${maelle.nom}` }).click();
    await ligne.getByLabel("Durée de la sourdine").selectOption({ label: "1 heure" });
    await ligne.getByRole("button", { name: "Mettre en sourdine" }).click();
    await ligne.getByText(/En sourdine jusqu'au/).waitFor();
    assert.deepEqual(await seriousViolations(a.page, "membres du canal"), []);

    // The member sees why and until when, at once; the API refuses the post and says so.
    const ferme = b.page.locator('[data-testid="composer-ferme"]');
    await ferme.getByText(/Un modérateur vous a mis en sourdine dans ce canal jusqu'au .+ : vous ne pouvez ni y écrire ni y réagir\./).waitFor();
    assert.equal(await b.page.getByRole("textbox", { name: "Votre message" }).count(), 0, "no composer while muted");
    const refus = await membre.request("POST", `/api/discussion/canaux/${canal.id}/messages`, { sujet_id: sujet, texte: "Et pourtant…" }).catch(e => e);
    assert.equal(refus.status, 403);
    assert.match(refus.body.error.message, /sourdine dans ce canal jusqu'au \d+(er)? \p{L}+ \d{4} à \d\d h \d\d\./u);
    assert.deepEqual(await seriousViolations(b.page, "membre en sourdine"), []);
    await screenshot(b.page, "discussion-sourdine");

    // Lifted: the composer comes back.
    await ligne.getByRole("button", { name: "Lever la sourdine" }).click();
    await ligne.getByText(/En sourdine/).waitFor({ state: "detached" });
    await b.page.getByRole("textbox", { name: "Votre message" }).waitFor();
    await membres.getByRole("button", { name: "Fermer" }).click();
    await membres.waitFor({ state: "hidden" });
    await a.page.waitForFunction(() => (document.activeElement?.getAttribute("aria-label") ?? "").startsWith("Membres :"));

    // Move two messages to a new topic: selection mode, then the dialog.
    const avant = await textes(b.page);
    assert.deepEqual(avant, ["Bienvenue dans le canal.", "Qui connaît un atelier sur les impôts ?", "Essayez la médiathèque le mardi.", "Merci, je note."]);
    await a.page.getByRole("button", { name: "Déplacer des messages" }).click();
    await a.page.getByRole("checkbox", { name: new RegExp(`^Sélectionner le message de ${maelle.prenom} ${maelle.nom}`) }).first().check({ force: true });
    await a.page.getByRole("checkbox", { name: /^Sélectionner le message de Camille/ }).nth(1).check({ force: true });
    await a.page.getByText("2 messages sélectionnés", { exact: true }).waitFor();
    await a.page.getByRole("button", { name: "Déplacer…" }).click();
    const deplacer = a.page.getByRole("dialog", { name: "Déplacer les messages" });
    await deplacer.waitFor();
    await deplacer.getByRole("button", { name: "Déplacer" }).click();
    await deplacer.getByText("Donnez un titre au nouveau sujet.").waitFor(); // a title is required
    await deplacer.getByLabel("Titre du nouveau sujet").fill("Ateliers impôts");
    assert.deepEqual(await seriousViolations(a.page, "déplacer des messages"), []);
    await deplacer.getByRole("button", { name: "Déplacer" }).click();
    await deplacer.waitFor({ state: "hidden" });
    await a.page.waitForFunction(() => document.activeElement?.textContent?.trim() === "Déplacer des messages");
    const restants = ["Bienvenue dans le canal.", "Merci, je note."];
    await a.page.waitForFunction(n => document.querySelectorAll('[data-testid="messages"] .coop-message').length === n, restants.length);
    assert.deepEqual(await textes(a.page), restants);
    // The member, in the same topic, sees them leave and the new topic appear, live.
    await b.page.waitForFunction(n => document.querySelectorAll('[data-testid="messages"] .coop-message').length === n, restants.length);
    assert.deepEqual(await textes(b.page), restants);
    const nouveauSujet = b.page.getByRole("link", { name: /Ateliers impôts/ });
    await nouveauSujet.waitFor();
    await nouveauSujet.click();
    await b.page.getByRole("heading", { level: 2, name: "Ateliers impôts" }).waitFor();
    await b.page.locator('[data-testid="messages"] .coop-message__corps', { hasText: "Essayez la médiathèque le mardi." }).waitFor();
    assert.deepEqual(await textes(b.page), ["Qui connaît un atelier sur les impôts ?", "Essayez la médiathèque le mardi."]);

    // Rename the topic: the member's topic list follows.
    await a.page.getByRole("button", { name: "Renommer le sujet" }).click();
    await a.page.getByLabel("Nouveau titre du sujet").fill("Accueil du canal");
    await a.page.getByRole("button", { name: "Renommer", exact: true }).click();
    await a.page.getByRole("heading", { level: 2, name: "Accueil du canal" }).waitFor();
    await b.page.getByRole("link", { name: /Accueil du canal/ }).waitFor();

    // Archive: readable, the composer gives way to a notice, listed apart.
    await parametres.click();
    await dialogue.waitFor();
    await dialogue.getByRole("button", { name: "Archiver le canal" }).click();
    await dialogue.getByRole("button", { name: "Confirmer l'archivage" }).click();
    await dialogue.getByText("Le canal est archivé : il reste lisible, on n'y écrit plus.").waitFor();
    await dialogue.getByRole("button", { name: "Fermer" }).click();
    await b.page.locator('[data-testid="composer-ferme"]', { hasText: "Ce canal est archivé" }).waitFor();
    assert.deepEqual(await textes(b.page), ["Qui connaît un atelier sur les impôts ?", "Essayez la médiathèque le mardi."], "still readable");
    const archives = b.page.getByRole("region", { name: "Canaux archivés" });
    await archives.getByRole("link", { name: new RegExp(nouveauNom.replace(/[()]/g, "\\$&")) }).waitFor();
    assert.deepEqual(await seriousViolations(b.page, "canal archivé"), []);
    await screenshot(b.page, "discussion-archive");
    const c = await membre.request("GET", `/api/discussion/canaux/${canal.id}`);
    assert.equal(c.archive, true);
    assert.equal(c.peut_ecrire, false);
    await a.context.close();
    await b.context.close();
  });

  it("at 375 px, a private group's moderator invites a person from « Membres », then removes them", async () => {
    const groupe = await moderatrice.request("POST", "/api/discussion/canaux", { type: "groupe", nom: `Groupe ${unique()}`, description: "" });
    const p = await newPage(browser, { viewport: { width: 375, height: 740 } });
    await login(p.page, DEMO.coordination);
    await p.page.goto(`/discussion/${groupe.id}`);
    const bouton = p.page.getByRole("button", { name: /^Membres : 1 membre/ });
    await bouton.click();
    const membres = p.page.getByRole("dialog", { name: `Membres de ${groupe.nom}` });
    await membres.waitFor();
    await membres.getByRole("combobox", { name: /Inviter dans le groupe/ }).fill(maelle.nom);
    await p.page.getByRole("option", { name: new RegExp(`${maelle.prenom} ${maelle.nom}`) }).click();
    await membres.getByRole("button", { name: "Inviter", exact: true }).click();
    const ligne = membres.locator(`[data-membre-id="${maelle.id}"]`);
    await ligne.waitFor();
    const ids = (await membre.request("GET", `/api/discussion/canaux/${groupe.id}/membres`)).items.map(m => m.id);
    assert.ok(ids.includes(maelle.id), "invited: a member of the group");
    await ligne.getByRole("button", { name: `Gérer ${maelle.prenom} ${maelle.nom}` }).click();
    await ligne.getByRole("button", { name: "Mettre en sourdine" }).waitFor();
    const deborde = await p.page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    assert.equal(deborde, false, "no horizontal scroll at 375 px");
    assert.deepEqual(await seriousViolations(p.page, "membres 375 px"), []);
    await screenshot(p.page, "discussion-membres-375");
    await ligne.getByRole("button", { name: "Retirer du canal" }).click();
    await ligne.getByRole("button", { name: `Confirmer le retrait de ${maelle.prenom} ${maelle.nom}` }).click();
    await ligne.waitFor({ state: "detached" });
    const refus = await membre.request("GET", `/api/discussion/canaux/${groupe.id}`).catch(e => e);
    assert.equal(refus.status, 404, "removed: the group is no longer readable to them");
    await p.context.close();
  });

  it("an admin bans a person from the discussion space and lifts it, from the moderation page", async () => {
    const nom = `Exclue${unique()}`;
    const email = `exclue-${unique()}@coop.example`;
    await admin.request("POST", "/api/users", {
      email,
      nom,
      prenom: "Dominique",
      telephone: "",
      password: DEMO_PASSWORD,
      roles: [{ role: "mediateur", structure_id: null, conseiller_numerique: false }]
    });
    const cible = new Api();
    await cible.login(email);
    await cible.request("GET", "/api/discussion/canaux");

    const p = await newPage(browser);
    await login(p.page, DEMO.admin);
    await p.page.goto("/discussion/moderation");
    const section = p.page.getByRole("region", { name: "Exclusions de l'espace de discussion" });
    await section.waitFor();
    await section.getByRole("button", { name: "Exclure de la discussion" }).click();
    await section.getByText("Choisissez la personne à exclure.").waitFor();
    await section.getByRole("combobox", { name: /Personne à exclure/ }).fill(nom);
    await p.page.getByRole("option", { name: new RegExp(`Dominique ${nom}`) }).click();
    await section.getByLabel("Motif de l'exclusion").fill("Messages hors charte répétés");
    await section.getByRole("button", { name: "Exclure de la discussion" }).click();
    const exclusion = section.getByRole("listitem").filter({ hasText: `Dominique ${nom}` });
    await exclusion.getByText(/Exclu le .+ par .+ : « Messages hors charte répétés »/).waitFor();
    assert.deepEqual(await seriousViolations(p.page, "exclusions"), []);
    await screenshot(p.page, "discussion-exclusions");

    // The person no longer reads the discussion: the page says why.
    const refus = await cible.request("GET", "/api/discussion/canaux").catch(e => e);
    assert.equal(refus.status, 403);
    assert.equal(refus.body.error.code, "banni");
    const q = await newPage(browser);
    await login(q.page, email);
    await q.page.goto("/discussion");
    await q.page.getByText("Vous avez été exclu de l'espace de discussion par un administrateur.").first().waitFor();
    await q.context.close();

    // Lifted.
    await section.getByRole("button", { name: `Lever l'exclusion de Dominique ${nom}` }).click();
    await exclusion.waitFor({ state: "detached" });
    const liste = await admin.request("GET", "/api/discussion/bannissements");
    assert.ok(!liste.items.some(x => x.nom === `Dominique ${nom}`));
    await cible.request("GET", "/api/discussion/canaux");
    await p.context.close();
  });
});
