// Discussion in real time: two demo users in two browser contexts talk in a topic of « Général »;
// one of them loses the network (its WebSocket is cut and refused, the browser is offline) while
// the other posts, comes back and gets every missed message once, in order, through the resume
// of /ws (the frames are watched: a « reprendre » from its last seq, the missed events, « repris »);
// unread badges follow; a mention shows in the header and in the mentions inbox.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Api, DEMO, launch, login, newPage, screenshot, seriousViolations, skipReason, unique } from "./helpers.mjs";

/** Texts of the messages shown in the topic, in order. */
const textes = page =>
  page.locator('[data-testid="messages"] .coop-message .coop-message__corps').evaluateAll(els => els.map(e => e.textContent.trim()));

async function attendreDirect(page) {
  await page.locator('[data-testid="etat-direct"][data-direct="true"]').waitFor({ state: "attached", timeout: 15_000 });
}

async function ecrire(page, texte) {
  const zone = page.getByRole("textbox", { name: "Votre message" });
  await zone.fill(texte);
  await zone.press("Enter");
  await page.locator('[data-testid="messages"] .coop-message__corps', { hasText: texte }).waitFor();
}

describe("discussion en direct", { skip: skipReason }, () => {
  let browser;
  let general;
  let sujet;
  let titre;
  let camille;
  const maelle = new Api();
  const coordination = new Api();

  before(async () => {
    browser = await launch();
    await maelle.login(DEMO.mediatrice);
    await coordination.login(DEMO.coordination);
    const canaux = (await maelle.request("GET", "/api/discussion/canaux")).items;
    general = canaux.find(c => c.type === "general");
    assert.ok(general, "the demo mediator is in « Général »");
    titre = `Essai en direct ${unique()}`;
    const premier = await maelle.request("POST", `/api/discussion/canaux/${general.id}/messages`, { sujet: titre, texte: "Premier message du sujet." });
    sujet = premier.sujet_id;
    camille = (await coordination.request("GET", "/api/me"));
  });
  after(async () => {
    await browser?.close();
  });

  it("two users exchange messages live, and the one who was offline gets what was missed once, in order", async () => {
    const a = await newPage(browser);
    const b = await newPage(browser);
    // B's WebSocket goes through the test: its frames are recorded, and it can be cut and refused.
    const recus = [];
    const envoyes = [];
    let coupe = false;
    const ouvertes = [];
    await b.page.routeWebSocket(/\/ws$/, ws => {
      if (coupe) {
        ws.close({ code: 4000, reason: "hors ligne" });
        return;
      }
      const serveur = ws.connectToServer();
      ouvertes.push({ ws, serveur });
      serveur.onMessage(m => {
        recus.push(String(m));
        ws.send(m);
      });
      ws.onMessage(m => {
        envoyes.push(String(m));
        serveur.send(m);
      });
    });
    await login(a.page, DEMO.mediatrice);
    await login(b.page, DEMO.coordination);
    const url = `/discussion/${general.id}/${sujet}`;
    await a.page.goto(url);
    await b.page.goto(url);
    await a.page.getByRole("heading", { level: 2, name: titre }).waitFor();
    await b.page.getByRole("heading", { level: 2, name: titre }).waitFor();
    await attendreDirect(a.page);
    await attendreDirect(b.page);
    assert.ok(envoyes.some(m => JSON.parse(m).type === "reprendre"), "the client resumes from the seq of /api/discussion/etat");

    // Live, both ways.
    await ecrire(a.page, "Bonjour Camille, tu me reçois ?");
    await b.page.locator('[data-testid="messages"] .coop-message__corps', { hasText: "Bonjour Camille, tu me reçois ?" }).waitFor();
    await ecrire(b.page, "Oui, cinq sur cinq !");
    await a.page.locator('[data-testid="messages"] .coop-message__corps', { hasText: "Oui, cinq sur cinq !" }).waitFor();
    assert.deepEqual(await textes(b.page), await textes(a.page));

    // B loses the network: socket cut, new ones refused, HTTP offline.
    const seqAvant = Math.max(0, ...recus.map(m => JSON.parse(m)).filter(m => m.type === "discussion").map(m => m.seq ?? 0));
    coupe = true;
    await b.context.setOffline(true);
    for (const { ws, serveur } of ouvertes.splice(0)) {
      await ws.close({ code: 4000, reason: "hors ligne" }).catch(() => undefined);
      await serveur.close().catch(() => undefined);
    }
    await b.page.locator('[data-testid="etat-direct"][data-direct="false"]').waitFor({ state: "attached" });
    const manques = ["Pendant ta coupure : un", "Pendant ta coupure : deux", "Pendant ta coupure : trois"];
    for (const t of manques) await ecrire(a.page, t);
    assert.equal((await textes(b.page)).filter(t => t.startsWith("Pendant ta coupure")).length, 0, "nothing reached B while it was offline");

    // Back online: the socket reopens and resumes.
    const dejaEnvoyes = envoyes.length;
    coupe = false;
    await b.context.setOffline(false);
    await attendreDirect(b.page);
    await b.page.locator('[data-testid="messages"] .coop-message__corps', { hasText: manques[2] }).waitFor({ timeout: 15_000 });
    const reprise = envoyes.slice(dejaEnvoyes).map(m => JSON.parse(m)).find(m => m.type === "reprendre");
    assert.ok(reprise, "the client sent « reprendre » after the reconnect");
    assert.ok(reprise.depuis >= seqAvant, `resumed from its last seq (${reprise.depuis} ≥ ${seqAvant})`);
    const vus = await textes(b.page);
    assert.deepEqual(vus, await textes(a.page), "B shows exactly what A shows");
    for (const t of manques) assert.equal(vus.filter(x => x === t).length, 1, `« ${t} » once`);
    assert.deepEqual(vus.filter(t => manques.includes(t)), manques, "in order");
    // Those three came through the replay of /ws, before « repris ».
    const apres = recus.map(m => JSON.parse(m));
    const repris = apres.findLastIndex(m => m.type === "repris");
    assert.ok(repris >= 0, "the server answered « repris »");
    const rejoues = apres.slice(0, repris).filter(m => m.type === "discussion" && m.evenement === "message_cree" && m.seq > reprise.depuis);
    assert.ok(rejoues.length >= 3, `the missed messages were replayed (${rejoues.length})`);
    const seqs = rejoues.map(m => m.seq);
    assert.deepEqual(seqs, [...seqs].sort((x, y) => x - y), "replayed in seq order");
    await screenshot(b.page, "discussion-reprise");
    assert.deepEqual(await seriousViolations(b.page, "discussion"), []);
    await a.context.close();
    await b.context.close();
  });

  it("updates unread badges live and clears them when the topic is read", async () => {
    // B has read the topic up to now.
    const recents = (await coordination.request("GET", `/api/discussion/canaux/${general.id}/messages?sujet=${sujet}&limite=1`)).items;
    await coordination.request("POST", "/api/discussion/lecture", { canal_id: general.id, sujet_id: sujet, jusqu_a: recents.at(-1).id });
    const a = await newPage(browser);
    const b = await newPage(browser);
    await login(a.page, DEMO.mediatrice);
    await login(b.page, DEMO.coordination);
    await a.page.goto(`/discussion/${general.id}/${sujet}`);
    await b.page.goto(`/discussion/${general.id}`);
    await attendreDirect(a.page);
    await attendreDirect(b.page);
    const lienSujet = b.page.locator(`a[data-sujet-id="${sujet}"]`);
    await lienSujet.waitFor();
    const badge = lienSujet.getByTestId("badge-non-lus");
    assert.equal(await badge.count(), 0, "the topic is read");
    await ecrire(a.page, "Un message que Camille n'a pas encore lu.");
    await badge.waitFor();
    assert.match(await badge.innerText(), /^1/);
    await ecrire(a.page, "Et un deuxième.");
    await b.page.waitForFunction(id => /^2/.test(document.querySelector(`a[data-sujet-id="${id}"] [data-testid="badge-non-lus"]`)?.textContent ?? ""), sujet);
    const badgeCanal = b.page.locator(`a[data-canal-id="${general.id}"] [data-testid="badge-non-lus"]`);
    await badgeCanal.waitFor();
    // B opens the topic: it is read, the badges go.
    await lienSujet.click();
    await b.page.locator('[data-testid="messages"] .coop-message__corps', { hasText: "Et un deuxième." }).waitFor();
    await badge.waitFor({ state: "detached" });
    await a.context.close();
    await b.context.close();
  });

  it("shows a mention in the header and in the mentions inbox", async () => {
    const a = await newPage(browser);
    const b = await newPage(browser);
    await login(a.page, DEMO.mediatrice);
    await login(b.page, DEMO.coordination);
    await b.page.goto("/");
    await a.page.goto(`/discussion/${general.id}/${sujet}`);
    await attendreDirect(a.page);
    const avant = Number((await b.page.getByTestId("mentions-count").first().innerText().catch(() => "0")).replace(/\D+/g, "") || 0);
    // The mention through the autocompletion: « @Cami » then the proposal.
    const zone = a.page.getByRole("textbox", { name: "Votre message" });
    await zone.fill("Une question pour ");
    await zone.pressSequentially("@Cami");
    await a.page.getByRole("option", { name: /Camille Coordinatrice/ }).click();
    await zone.pressSequentially("peux-tu relire ?");
    assert.match(await zone.inputValue(), new RegExp(`@\\*\\*Camille Coordinatrice\\|${camille.id}\\*\\* peux-tu relire \\?`));
    await zone.press("Enter");
    await a.page.locator('[data-testid="messages"] .coop-mention', { hasText: "@Camille Coordinatrice" }).last().waitFor();
    // In B's header, without reload.
    await b.page.waitForFunction(
      n => Number((document.querySelector('[data-testid="mentions-count"]')?.textContent ?? "0").replace(/\D+/g, "") || 0) > n,
      avant,
      { timeout: 15_000 }
    );
    await b.page.getByTestId("mentions-entete").first().click();
    await b.page.waitForURL(/\/discussion\/mentions$/);
    const liste = b.page.getByTestId("mentions");
    await liste.getByText("peux-tu relire ?").first().waitFor();
    await liste.getByRole("link", { name: /Maëlle Médiatrice/ }).first().click();
    await b.page.waitForURL(new RegExp(`/discussion/${general.id}/${sujet}\\?message=\\d+$`));
    await b.page.locator('[data-testid="messages"] .coop-mention', { hasText: "@Camille Coordinatrice" }).last().waitFor();
    await a.context.close();
    await b.context.close();
  });

  it("opens a direct message and a private group, searches with a filter, joins a thematic channel", async () => {
    const { context, page } = await newPage(browser);
    await login(page, DEMO.mediatrice);
    // A direct message with Camille (reused when it exists).
    await page.goto("/discussion/nouvelle");
    await page.getByRole("combobox", { name: /Avec qui/ }).fill("Camille");
    await page.getByRole("option", { name: /Camille Coordinatrice/ }).click();
    await page.getByRole("button", { name: "Ouvrir la conversation" }).click();
    await page.waitForURL(/\/discussion\/\d+\/\d+$/);
    const direct = `Un message direct ${unique()}`;
    await ecrire(page, direct);
    // An attachment: an image put in the composer's file input (what a drop or « Joindre » gives).
    const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");
    await page.locator('.coop-composer input[type="file"]').setInputFiles({ name: "affiche.png", mimeType: "image/png", buffer: png });
    await page.getByRole("list", { name: "Fichiers joints au message" }).getByText("affiche.png").waitFor();
    await ecrire(page, "Voici l'affiche de l'atelier.");
    const image = page.locator('[data-testid="messages"] .coop-message', { hasText: "Voici l'affiche" }).getByRole("img", { name: "affiche.png" });
    await image.waitFor();
    assert.ok(await image.evaluate(i => i.complete && i.naturalWidth === 1), "the preview is served");
    const camilleVoit = await coordination.request("GET", "/api/discussion/canaux");
    const conversation = camilleVoit.items.find(c => c.type === "direct" && c.participants.some(p => p.nom === "Maëlle Médiatrice") && c.participants.length === 2);
    assert.ok(conversation, "Camille has the conversation");
    // A private group with a first topic.
    const groupe = `Groupe ${unique()}`;
    await page.goto("/discussion/nouvelle");
    await page.getByText("Groupe privé").click();
    await page.getByLabel("Nom du groupe").fill(groupe);
    await page.getByRole("combobox", { name: /Inviter des membres/ }).fill("Camille");
    await page.getByRole("option", { name: /Camille Coordinatrice/ }).click();
    await page.getByRole("button", { name: "Créer le groupe" }).click();
    await page.getByRole("heading", { level: 2, name: groupe }).waitFor();
    await page.getByRole("button", { name: "Nouveau sujet" }).click();
    await page.getByLabel("Titre du sujet").fill("Organisation");
    await page.getByLabel("Premier message").fill("Les inscriptions aux ateliers numériques commencent lundi.");
    await page.getByRole("button", { name: "Créer le sujet" }).click();
    await page.locator('[data-testid="messages"] .coop-message__corps', { hasText: "commencent lundi" }).waitFor();
    assert.ok((await coordination.request("GET", "/api/discussion/canaux")).items.some(c => c.nom === groupe), "Camille is in the group");
    // Search, a variant of the word and the group as a filter.
    await page.goto("/discussion/recherche");
    await page.getByLabel("Mots recherchés").fill("atelier numerique");
    await page.getByText("Filtres").click();
    await page.getByLabel("Canal").selectOption({ label: groupe });
    await page.getByRole("button", { name: "Rechercher" }).click();
    await page.getByTestId("recherche-total").getByText("1 message trouvé.").waitFor();
    await page.locator(".coop-discussion__resultats mark").first().waitFor();
    assert.deepEqual(await seriousViolations(page, "recherche"), []);
    // The directory: join a thematic channel, then leave it.
    await page.goto("/discussion/annuaire");
    const bouton = page.getByRole("button", { name: /^(Rejoindre|Quitter) / }).first();
    const avant = await bouton.innerText();
    await bouton.click();
    await page.getByRole("button", { name: new RegExp(`^${avant === "Rejoindre" ? "Quitter" : "Rejoindre"} `) }).first().waitFor();
    assert.deepEqual(await seriousViolations(page, "annuaire"), []);
    await context.close();
  });

  it("a member reports a message and an administrator deletes it from the queue", async () => {
    const texte = `Un message à signaler ${unique()}`;
    const m = await maelle.request("POST", `/api/discussion/canaux/${general.id}/messages`, { sujet_id: sujet, texte });
    const b = await newPage(browser);
    await login(b.page, DEMO.coordination);
    await b.page.goto(`/discussion/${general.id}/${sujet}?message=${m.id}`);
    const item = b.page.locator(`#message-${m.id}`);
    await item.waitFor();
    await item.hover();
    await item.getByRole("button", { name: /^Actions/ }).click();
    await item.getByRole("button", { name: "Signaler" }).click();
    await item.getByLabel("Pourquoi signalez-vous ce message aux modérateurs ?").fill("Propos déplacés");
    await item.getByRole("button", { name: "Signaler" }).click();
    await b.page.getByText("Message signalé aux modérateurs.").waitFor({ state: "attached" });
    const admin = await newPage(browser);
    await login(admin.page, DEMO.admin);
    await admin.page.goto("/discussion/moderation");
    const ligne = admin.page.locator(".coop-discussion__resultat", { hasText: texte });
    await ligne.getByText("« Propos déplacés »", { exact: false }).waitFor();
    assert.deepEqual(await seriousViolations(admin.page, "modération"), []);
    await ligne.getByRole("button", { name: /^Supprimer le message/ }).click();
    await ligne.waitFor({ state: "detached" });
    // The reporter still has the topic open: the trace shows there, live.
    await b.page.locator(`#message-${m.id}`).getByText("Message supprimé.").waitFor();
    await b.context.close();
    await admin.context.close();
  });

  it("works on a phone: one pane at a time with a way back", async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 375, height: 812 } });
    await login(page, DEMO.coordination);
    await page.goto("/discussion");
    const nav = page.getByRole("navigation", { name: "Canaux de discussion" });
    await nav.getByRole("link", { name: new RegExp(general.nom) }).first().click();
    await page.getByRole("heading", { level: 2, name: new RegExp(general.nom) }).waitFor();
    assert.equal(await nav.isVisible(), false, "the channel list is hidden once a channel is open");
    await page.locator(`a[data-sujet-id="${sujet}"]`).click();
    await page.getByRole("heading", { level: 2, name: titre }).waitFor();
    assert.ok(await page.getByRole("textbox", { name: "Votre message" }).isVisible());
    const largeur = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(largeur <= 375, `no horizontal scroll (${largeur}px)`);
    await page.getByRole("link", { name: `Sujets de ${general.nom}` }).click();
    await page.locator(`a[data-sujet-id="${sujet}"]`).waitFor();
    await page.getByRole("link", { name: "Canaux", exact: true }).click();
    await nav.waitFor();
    await screenshot(page, "discussion-telephone");
    await context.close();
  });
});
