// Bénéficiaires import in two steps: a CSV generated here is analysed (each row's errors listed,
// nothing stored), then the valid rows are imported on confirmation.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { launch, login, newMediateur, newPage, screenshot, skipReason, unique } from "./helpers.mjs";

describe("import de bénéficiaires", { skip: skipReason }, () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it("imports a CSV in two steps: analysis with each row's errors, then confirmation", async () => {
    const m = await newMediateur("import");
    const tag = `Import${unique()}`;
    const csv = [
      "prenom;nom;annee_naissance;telephone;email",
      `Alice;${tag};1980;06 11 22 33 44;alice@example.fr`,
      `Bob;;1990;;`,
      `Chloé;${tag};3000;;pas-un-email`,
      `Denis;${tag};;;`
    ].join("\r\n");
    const { context, page } = await newPage(browser);
    await login(page, m.email);
    await page.goto("/beneficiaires/import");
    await page.locator("#import-fichier").setInputFiles({ name: "beneficiaires.csv", mimeType: "text/csv", buffer: Buffer.from(`\ufeff${csv}`, "utf8") });
    const sent = page.waitForRequest(r => r.url().endsWith("/api/beneficiaires/import/analyse") && r.method() === "POST");
    await page.getByRole("button", { name: "Analyser le fichier" }).click();
    // The page sends a form (multipart/form-data; the browser does not expose a file part's bytes here).
    const request = await sent;
    assert.match(request.headers()["content-type"], /^multipart\/form-data; boundary=/);
    await page.locator("#import-bilan").getByText(/2 lignes valides, 2 lignes en erreur/).waitFor();
    const rows = page.locator("tbody tr");
    assert.equal(await rows.count(), 4);
    assert.equal(await page.locator("tbody tr.coop-ligne-erreur").count(), 2);
    await page.locator("tbody tr.coop-ligne-erreur").first().getByText(/^nom : /).waitFor();
    await page.locator("tbody tr.coop-ligne-erreur").nth(1).getByText(/^annee_naissance : /).waitFor();
    await screenshot(page, "import-analyse");
    // Nothing stored yet.
    assert.equal((await m.api.request("GET", `/api/beneficiaires?q=${tag}`)).total, 0);
    await page.getByRole("button", { name: "Importer les 2 lignes valides" }).click();
    await page.getByText("2 bénéficiaires importés.").waitFor();
    const imported = await m.api.request("GET", `/api/beneficiaires?q=${tag}`);
    assert.deepEqual(imported.items.map(b => b.prenom).sort(), ["Alice", "Denis"]);
    await context.close();
  });

});
