// The admin « Courriels » page (the outbox: list, search, detail with the HTML in a sandboxed
// frame, « Renvoyer ») and, in « Mon compte », the reminder opt-out and the change of e-mail
// address confirmed from the link mailed to the new address. The demo server has no SMTP: mails
// stay in the outbox, read next to the server (courrielsPour).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import {
  Api, DEMO, E2E_DATABASE, courrielsPour, launch, login, newMediateur, newPage, screenshot, seriousViolations, skipReason, unique
} from "./helpers.mjs";

/** Test set-up only: marks one mail abandoned, as the sender does after too many failed tries. */
function abandon(id) {
  const py = "import sqlite3,sys\nc=sqlite3.connect(sys.argv[1],timeout=5)\n" +
    "c.execute(\"UPDATE courriels SET statut='abandonne', essais=25, derniere_erreur='Connection refused' WHERE id=?\",(int(sys.argv[2]),))\nc.commit()";
  execFileSync("python3", ["-c", py, E2E_DATABASE.slice("sqlite:".length), String(id)]);
}

describe("courriels", { skip: skipReason || (!E2E_DATABASE && "COOP_E2E_DATABASE is not set") }, () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it("admin: finds a queued mail, reads its text and HTML, sends an abandoned one again", async () => {
    const api = new Api();
    await api.login(DEMO.admin);
    const email = `courriel-${unique()}@coop.example`;
    const inv = await api.request("POST", "/api/invitations", { email, role: "mediateur" });
    const [mail] = courrielsPour(email);
    assert.equal(mail.statut, "en_attente");

    const { context, page } = await newPage(browser);
    await login(page, DEMO.admin);
    await page.locator("#fr-header-main-navigation").getByRole("button", { name: "Administration" }).click();
    await page.locator("#fr-header-main-navigation").getByRole("link", { name: "Courriels", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Courriels" }).waitFor();
    await page.locator("#recherche-courriels").fill(email);
    await page.getByRole("button", { name: "Rechercher" }).click();
    await page.getByText("1 courriel", { exact: true }).waitFor();
    const row = page.getByRole("row").filter({ hasText: email });
    await row.getByText("En attente").waitFor();
    await row.getByText("Invitation", { exact: true }).waitFor();
    assert.equal((await seriousViolations(page, "admin courriels")).length, 0);
    await screenshot(page, "admin-courriels");

    await row.getByRole("link", { name: "Invitation à rejoindre Coop" }).click();
    await page.getByRole("heading", { level: 1, name: "Invitation à rejoindre Coop" }).waitFor();
    // The text part, with the link in full.
    assert.ok((await page.locator(".coop-courriel-texte").textContent()).includes(inv.lien));
    // The HTML part only inside a sandboxed frame: no scripts, no access to the page.
    const frame = page.locator("iframe.coop-courriel-html");
    assert.equal(await frame.getAttribute("sandbox"), "");
    assert.ok((await frame.getAttribute("srcdoc")).includes(`href="${inv.lien}"`));
    await page.frameLocator("iframe.coop-courriel-html").getByRole("link", { name: "Accepter l'invitation" }).waitFor();
    assert.equal(await page.getByRole("button", { name: "Renvoyer" }).count(), 0, "only an abandoned mail can be sent again");
    assert.equal((await seriousViolations(page, "admin courriel")).length, 0);
    await screenshot(page, "admin-courriel");

    abandon(mail.id);
    await page.reload();
    await page.getByText("Abandonné").waitFor();
    await page.getByText("Connection refused").waitFor();
    await page.getByRole("button", { name: "Renvoyer" }).click();
    await page.getByText("Le courriel est de nouveau en attente d'envoi.").waitFor();
    await page.getByText("En attente", { exact: true }).waitFor();
    assert.equal(courrielsPour(email)[0].statut, "en_attente");
    await context.close();
  });

  it("Mon compte: reminder opt-out, and a new address changed only through the link mailed to it", async () => {
    const { email, api } = await newMediateur("compte");
    const { context, page } = await newPage(browser);
    await login(page, email);
    await page.goto("/compte");
    const box = () => page.getByLabel("Me rappeler d'enregistrer mes activités");
    assert.equal(await box().isChecked(), true);
    await box().uncheck({ force: true });
    await page.getByText("Votre choix a été enregistré.").waitFor();
    assert.equal((await api.request("GET", "/api/me")).rappels_cra, false);
    await page.reload();
    assert.equal(await box().isChecked(), false);

    const nouvelle = `nouvelle-${unique()}@coop.example`;
    await page.locator("#profil-email").fill(nouvelle);
    await page.getByRole("button", { name: "Enregistrer mes informations" }).click();
    await page.getByText(`ouvrez le lien envoyé à ${nouvelle}`, { exact: false }).waitFor();
    await page.getByRole("heading", { name: "Changement d'adresse e-mail en attente" }).waitFor();
    assert.equal(await page.locator("#profil-email").inputValue(), email, "the address has not changed yet");
    assert.equal((await seriousViolations(page, "mon compte, changement en attente")).length, 0);
    await screenshot(page, "compte-changement-courriel");
    // Cancel, then ask again.
    await page.getByRole("button", { name: "Annuler le changement d'adresse" }).click();
    await page.getByRole("heading", { name: "Changement d'adresse e-mail en attente" }).waitFor({ state: "detached" });
    await page.locator("#profil-email").fill(nouvelle);
    await page.getByRole("button", { name: "Enregistrer mes informations" }).click();
    await page.getByRole("heading", { name: "Changement d'adresse e-mail en attente" }).waitFor();
    const mails = courrielsPour(nouvelle);
    assert.equal(mails.length, 2);
    assert.ok(courrielsPour(email).some(m => m.modele === "avis_changement_courriel"), "the old address is told");
    const link = /https?:\/\/\S+\/compte\/confirmer-courriel\/[A-Za-z0-9_-]+/.exec(mails[1].texte)[0];

    // The link, opened in another browser (no session).
    const other = await newPage(browser);
    await other.page.goto(new URL(link).pathname);
    await other.page.getByRole("heading", { level: 1, name: "Confirmer ma nouvelle adresse e-mail" }).waitFor();
    assert.equal((await seriousViolations(other.page, "confirmer courriel")).length, 0);
    await other.page.getByRole("button", { name: "Confirmer ma nouvelle adresse" }).click();
    await other.page.getByText(`Votre compte utilise désormais l'adresse ${nouvelle}.`).waitFor();
    // The first link (cancelled) no longer works.
    const first = /https?:\/\/\S+\/compte\/confirmer-courriel\/[A-Za-z0-9_-]+/.exec(mails[0].texte)[0];
    await other.page.goto(new URL(first).pathname);
    await other.page.getByRole("button", { name: "Confirmer ma nouvelle adresse" }).click();
    await other.page.getByText("Lien expiré ou annulé").waitFor();
    await other.context.close();

    await page.reload();
    assert.equal(await page.locator("#profil-email").inputValue(), nouvelle);
    assert.equal(await page.getByRole("heading", { name: "Changement d'adresse e-mail en attente" }).count(), 0);
    await context.close();
  });
});
