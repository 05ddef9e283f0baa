// Day-to-day management: a coordinator's team, a structure's employees, invitations from those
// pages, an account created by an admin with a managed structure.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Api, DEMO, DEMO_PASSWORD, launch, login, newPage, screenshot, skipReason, unique } from "./helpers.mjs";

/** A fresh mediator, so that the demo data stays as the other tests expect it. */
async function newMediateur(prenom, nom) {
  const api = new Api();
  await api.login(DEMO.admin);
  return api.request("POST", "/api/users", {
    email: `${prenom.toLowerCase()}-${unique()}@coop.example`,
    nom,
    prenom,
    telephone: "",
    password: DEMO_PASSWORD,
    roles: [{ role: "mediateur", structure_id: null, conseiller_numerique: false }]
  });
}

/** Types in a combobox and picks the option whose text matches. */
async function pick(page, inputSelector, text, option) {
  const input = page.locator(inputSelector);
  await input.fill(text);
  await page.getByRole("option", { name: option }).first().click();
}

describe("gestion des équipes et des structures", { skip: skipReason }, () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it("a coordinator adds a mediator to the team, then ends the membership", async () => {
    const m = await newMediateur("Théo", `Équipier${unique()}`);
    const { context, page } = await newPage(browser);
    await login(page, DEMO.coordination);
    await page.goto("/equipe");
    await pick(page, 'input[name="mediateur_id"]', m.nom, new RegExp(m.nom));
    await page.getByRole("button", { name: "Ajouter à mon équipe" }).click();
    await page.getByText(`${m.prenom} ${m.nom} a rejoint votre équipe.`).waitFor();
    const current = page.locator("section", { has: page.getByRole("heading", { name: /Membres actuels/ }) });
    const row = current.getByRole("row", { name: new RegExp(m.nom) });
    await row.waitFor();
    await row.getByRole("button", { name: /Retirer de l'équipe/ }).click();
    await row.getByRole("button", { name: "Confirmer" }).click();
    await page.getByText(new RegExp(`Le suivi de ${m.prenom} ${m.nom} prend fin`)).waitFor();
    // Ended today (the last day counts): the end date shows and the action is gone.
    const ended = page.getByRole("row", { name: new RegExp(m.nom) }).first();
    const today = new Date().toLocaleDateString("fr-FR", { timeZone: "Europe/Paris", day: "2-digit", month: "2-digit", year: "numeric" });
    await ended.getByText(today).first().waitFor();
    assert.doesNotMatch(await ended.innerText(), /Retirer de l'équipe/);
    await context.close();
  });

  it("a coordinator invites a mediator and gets the link to send", async () => {
    const { context, page } = await newPage(browser);
    await login(page, DEMO.coordination);
    await page.goto("/equipe#inviter");
    const email = `recrue-${unique()}@coop.example`;
    await page.locator("#invitation-equipe-email").fill(email);
    await page.getByRole("button", { name: "Créer l'invitation" }).click();
    await page.getByText(`Invitation créée pour ${email}`).waitFor();
    assert.match(await page.getByTestId("invitation-link").inputValue(), /\/invitation\//);
    await page.getByRole("cell", { name: email }).waitFor();
    await context.close();
  });

  it("a structure manager adds an employee and ends the contract", async () => {
    const m = await newMediateur("Lina", `Salariée${unique()}`);
    const me = await new Api().login(DEMO.gestion);
    const sid = me.roles.find(r => r.role === "gestionnaire_structure").structure_id;
    const { context, page } = await newPage(browser);
    await login(page, DEMO.gestion);
    await page.locator("#fr-header-main-navigation").getByRole("link", { name: "Ma structure" }).click();
    await page.waitForURL(new RegExp(`/structures/${sid}$`));
    await pick(page, 'input[name="user_id"]', m.nom, new RegExp(m.nom));
    await page.locator("#salarie-debut").fill("2026-01-05");
    await page.getByRole("button", { name: "Ajouter le salarié" }).click();
    await page.getByText(`${m.prenom} ${m.nom} fait désormais partie des salariés de la structure.`).waitFor();
    const row = page.getByRole("row", { name: new RegExp(m.nom) });
    await row.getByText("05/01/2026").waitFor();
    await row.getByRole("button", { name: /Mettre fin au contrat/ }).click();
    await row.locator('input[type="date"]').fill("2026-06-30");
    await row.getByRole("button", { name: "Confirmer" }).click();
    await page.getByText(/se termine le 30\/06\/2026/).waitFor();
    await row.getByText("30/06/2026").waitFor();
    await screenshot(page, "structure-salaries");
    await context.close();
  });

  it("an admin creates a structure manager account with the roles editor", async () => {
    const { context, page } = await newPage(browser);
    await login(page, DEMO.admin);
    await page.goto("/admin/utilisateurs");
    await page.getByRole("link", { name: "Créer un utilisateur" }).click();
    await page.waitForURL(/\/admin\/utilisateurs\/nouveau$/);
    const email = `gest-${unique()}@coop.example`;
    await page.locator("#nouvel-email").fill(email);
    await page.locator("#nouvel-nom").fill("Gérante");
    await page.locator("#nouvel-prenom").fill("Gaëlle");
    await page.locator("#nouvel-password").fill("mot-de-passe-solide-2026");
    await page.getByLabel(/^Médiateur numérique/).uncheck({ force: true });
    await page.getByLabel(/^Gestionnaire de structure/).check({ force: true });
    // Without a structure the form refuses, and says why.
    await page.getByRole("button", { name: "Créer le compte" }).click();
    await page.getByText("Choisissez la structure gérée.").first().waitFor();
    await pick(page, 'input[name="gestionnaire_structure_id"]', "Tulle", /Tiers-lieu numérique de Tulle/);
    await page.getByRole("button", { name: /Retirer Tiers-lieu numérique de Tulle/ }).waitFor();
    await page.getByRole("button", { name: "Créer le compte" }).click();
    await page.waitForURL(/\/admin\/utilisateurs\/\d+$/);
    await page.getByText("Le compte a été créé.").waitFor();
    await page.getByRole("heading", { level: 1, name: "Gaëlle Gérante" }).waitFor();
    await page.getByText("Gestionnaire de structure", { exact: true }).first().waitFor();

    // The list finds the new account.
    await page.goto(`/admin/utilisateurs?q=${encodeURIComponent(email)}`);
    await page.getByRole("link", { name: "Gaëlle Gérante" }).click();

    // Disabled, the account can no longer log in, and the log-in form says why.
    await page.getByRole("button", { name: "Désactiver le compte" }).click();
    await page.getByRole("button", { name: "Confirmer la désactivation" }).click();
    await page.getByRole("heading", { level: 1, name: /Désactivé/ }).waitFor();
    const other = await newPage(browser);
    await login(other.page, email, "mot-de-passe-solide-2026", { expectPath: null });
    await other.page.getByText(/Votre compte a été désactivé/).waitFor();
    await other.context.close();
    await context.close();
  });
});
