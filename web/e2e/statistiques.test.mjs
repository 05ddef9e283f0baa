// The statistics page against the API: the figures and tables on screen are those GET
// /api/statistiques answers for the same query (fetched with the page's own cookies); filters in the
// URL; the beneficiary filter of a mediator's own figures; read-your-writes; print view; share link
// opened without logging in, then revoked; the territorial pilot's scope; axe-core; a 375 px phone.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  BASE_URL,
  DEMO,
  craBody,
  launch,
  login,
  newMediateur,
  newPage,
  screenshot,
  seriousViolations,
  skipReason,
  unique
} from "./helpers.mjs";

/** "1 234" → 1234. */
const int = text => Number(String(text).replace(/[^\d]/g, ""));
/** "12 h 05" → 725 minutes. */
function minutes(text) {
  const m = /^([\d\s\u202f\u00a0]+) h(?: (\d{2}))?$/.exec(text.trim());
  assert.ok(m, `durée lisible : ${text}`);
  return int(m[1]) * 60 + (m[2] ? Number(m[2]) : 0);
}

/**
 * Waits for the dashboard of the current URL: on /statistiques the figures shown must be those of
 * the query in the address bar (data-requete), not the previous ones still on screen.
 */
async function ready(page) {
  await page.locator('[data-testid="tableau-de-bord"]').waitFor();
  await page.waitForFunction(() => {
    if (document.querySelector('[aria-busy="true"]')) return false;
    if (document.querySelector("main [role=status]")?.textContent?.includes("Chargement")) return false;
    if (location.pathname !== "/statistiques") return true;
    const shown = document.querySelector("[data-requete]")?.getAttribute("data-requete");
    if (shown == null) return false;
    const norm = q => [...new URLSearchParams(q)].map(([k, v]) => `${k}=${v}`).sort().join("&");
    return norm(shown) === norm(location.search);
  });
}

/** The key figures on screen. */
/** Unfolds the filter form (folded by default: the figures come first). */
async function ouvrirFiltres(page) {
  const d = page.locator("details.coop-filtres");
  if (!(await d.evaluate(e => e.open))) await page.locator("details.coop-filtres > summary").click();
}

async function chiffres(page) {
  const text = id => page.locator(`[data-testid="chiffre-${id}"]`).first().textContent();
  return {
    activites: int(await text("activites")),
    individuels: int(await text("individuels")),
    accompagnements: int(await text("accompagnements")),
    beneficiaires: int(await text("beneficiaires")),
    nouveaux: int(await text("nouveaux")),
    suivis: int(await text("suivis")),
    anonymes: int(await text("anonymes")),
    ateliers: int(await text("ateliers")),
    participants_ateliers: int(await text("participants")),
    duree_totale_minutes: minutes(await text("duree"))
  };
}

/** A breakdown's data table on screen: {cle: [valeur, pourcentage]}. */
async function table(page, id) {
  return page.locator(`[data-testid="table-${id}"] tbody tr`).evaluateAll(rows =>
    Object.fromEntries(
      rows.map(r => [
        r.getAttribute("data-cle"),
        [
          Number(r.querySelector('[data-col="valeur"]').textContent.replace(/[^\d]/g, "")),
          Number(r.querySelector('[data-col="pourcentage"]').textContent.replace(/[^\d]/g, ""))
        ]
      ])
    )
  );
}
const apiTable = lignes => Object.fromEntries(lignes.map(l => [l.cle, [l.valeur, l.pourcentage]]));

/** GET /api/statistiques with the page's query and cookies (the browser context's request API). */
async function apiTableau(page, qs = new URL(page.url()).search.slice(1)) {
  const res = await page.context().request.get(`/api/statistiques${qs ? `?${qs}` : ""}`);
  assert.equal(res.status(), 200, await res.text());
  return res.json();
}

const TOTAUX = ["activites", "individuels", "accompagnements", "beneficiaires", "nouveaux", "suivis", "anonymes", "ateliers", "participants_ateliers", "duree_totale_minutes"];
const pick = t => Object.fromEntries(TOTAUX.map(k => [k, t[k]]));

/** Everything shown equals the API's answer: totals, months, breakdown tables. */
async function assertSameAsApi(page, api) {
  assert.deepEqual(await chiffres(page), pick(api.totaux), "chiffres clés = API");
  const mois = await page.locator('[data-testid="table-par-mois"] tbody tr').evaluateAll(rows =>
    rows.map(r => [r.getAttribute("data-cle"), Number(r.querySelector("td").textContent.replace(/[^\d]/g, ""))])
  );
  assert.deepEqual(mois, api.par_mois.map(m => [m.mois, m.accompagnements]), "par mois = API");
  if (api.totaux.activites > 0) {
    for (const id of ["types", "thematiques", "durees", "canaux", "genres"]) {
      assert.deepEqual(await table(page, id), apiTable(api.repartitions[id]), `répartition ${id} = API`);
    }
  }
}

describe("statistiques", { skip: skipReason }, () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it("shows the mediator's figures and breakdowns exactly as the API answers them", async () => {
    const { context, page } = await newPage(browser);
    await login(page, DEMO.mediatrice);
    await page.getByRole("link", { name: "Statistiques" }).first().click();
    await page.waitForURL(url => new URL(url).pathname === "/statistiques");
    await ready(page);
    const api = await apiTableau(page);
    assert.ok(api.totaux.activites > 0, "the demo mediator has activities");
    await assertSameAsApi(page, api);
    // The percentages of a table add up to 100.
    const types = await table(page, "types");
    assert.equal(Object.values(types).reduce((s, [, p]) => s + p, 0), 100);
    await page.getByRole("heading", { name: "Répartitions" }).waitFor();
    assert.ok((await page.locator("canvas[role=img]").count()) >= 10, "charts drawn");
    await screenshot(page, "statistiques");
    await context.close();
  });

  it("keeps the filters in the URL, updates the figures, and the back button restores them", async () => {
    const { context, page } = await newPage(browser);
    await login(page, DEMO.mediatrice);
    await page.goto("/statistiques");
    await ready(page);
    const before = await apiTableau(page);
    await ouvrirFiltres(page);
    await page.locator("#filtre-types").getByText("Atelier collectif").click();
    await page.getByRole("button", { name: "Appliquer les filtres" }).click();
    await page.waitForURL(url => new URL(url).searchParams.get("types") === "collectif");
    await ready(page);
    const filtered = await apiTableau(page);
    assert.deepEqual(filtered.filtres.types, ["collectif"]);
    assert.equal(filtered.totaux.individuels, 0);
    await assertSameAsApi(page, filtered);
    assert.notEqual(filtered.totaux.activites, before.totaux.activites, "the filter changes the figures");
    // Period quick choice: the current month.
    await ouvrirFiltres(page);
    await page.getByText("Mois en cours").click();
    await page.getByRole("button", { name: "Appliquer les filtres" }).click();
    await page.waitForURL(url => new URL(url).searchParams.get("du")?.endsWith("-01") && new URL(url).searchParams.has("types"));
    await ready(page);
    await assertSameAsApi(page, await apiTableau(page));
    // Back twice: the unfiltered figures.
    await page.goBack();
    await page.waitForURL(url => !new URL(url).searchParams.has("du"));
    await page.goBack();
    await page.waitForURL(url => !new URL(url).searchParams.has("types"));
    await ready(page);
    assert.equal((await chiffres(page)).activites, before.totaux.activites);
    // Exports carry the same query.
    await page.goto(`/statistiques?types=individuel`);
    await ready(page);
    const href = await page.getByRole("link", { name: "Exporter (CSV)" }).getAttribute("href");
    assert.match(href, /^\/api\/statistiques\/export\?format=csv&.*types=individuel/);
    const csv = await context.request.get(href);
    assert.equal(csv.status(), 200);
    assert.match(csv.headers()["content-type"], /csv/);
    const xlsx = await context.request.get(await page.getByRole("link", { name: "Exporter (XLSX)" }).getAttribute("href"));
    assert.equal(xlsx.status(), 200);
    assert.equal((await xlsx.body()).subarray(0, 2).toString(), "PK", "an XLSX is a zip");
    await context.close();
  });

  it("filters the mediator's own figures by a followed beneficiary picked with the keyboard", async () => {
    const { context, page } = await newPage(browser);
    await login(page, DEMO.mediatrice);
    await page.goto("/statistiques");
    await ready(page);
    const all = await apiTableau(page);
    assert.equal(all.perimetre.code, "moi");
    // One of her followed beneficiaries who has been accompanied.
    const suivis = await (await context.request.get("/api/beneficiaires?per_page=100")).json();
    const b = suivis.items.find(x => !x.anonyme && x.nom && x.dernier_accompagnement);
    assert.ok(b, "the demo mediator follows an accompanied beneficiary");
    const nom = `${b.prenom} ${b.nom}`;

    await ouvrirFiltres(page);
    const picker = page.getByRole("combobox", { name: /Bénéficiaires suivis/ });
    await picker.focus();
    await page.keyboard.type(b.nom);
    await page.getByRole("option", { name: new RegExp(nom) }).first().waitFor();
    await page.keyboard.press("ArrowDown");
    // The highlighted option is the beneficiary sought (the search may list homonyms after it).
    assert.match(await page.locator('[role="option"][aria-selected="true"]').textContent(), new RegExp(nom));
    await page.keyboard.press("Enter");
    const tag = page.locator('[data-filtre="beneficiaires"]').getByRole("button", { name: new RegExp(`^Retirer ${nom}`) });
    await tag.waitFor();
    assert.equal(await picker.inputValue(), "", "the field empties after a choice");
    await page.getByRole("button", { name: "Appliquer les filtres" }).focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(url => new URL(url).searchParams.get("beneficiaires") === String(b.id));
    await ready(page);
    const filtered = await apiTableau(page, `perimetre=moi&beneficiaires=${b.id}`);
    assert.ok(filtered.totaux.activites > 0, "the beneficiary has activities");
    await assertSameAsApi(page, filtered);
    assert.notDeepEqual(pick(filtered.totaux), pick(all.totaux), "the filter changes the figures");
    assert.ok(filtered.totaux.activites < all.totaux.activites);
    await page.getByText("Filtres (1 actif)").waitFor();

    // The exports carry it.
    const href = await page.getByRole("link", { name: "Exporter (CSV)" }).getAttribute("href");
    assert.match(href, new RegExp(`[?&]beneficiaires=${b.id}(&|$)`));
    assert.equal((await context.request.get(href)).status(), 200);

    // A view of personal data is not shared: the dialog says so and offers no link.
    await page.getByRole("button", { name: "Partager cette vue" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText("Cette vue est filtrée par bénéficiaire : elle ne peut pas être partagée").waitFor();
    assert.equal(await dialog.getByRole("button", { name: "Créer le lien public" }).count(), 0);
    assert.deepEqual((await seriousViolations(page, "statistiques-beneficiaire-partage")).map(v => v.id), []);
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });

    // The URL opened as is: the beneficiary's name is fetched for the tag.
    await page.reload();
    await ready(page);
    await ouvrirFiltres(page);
    await page.locator('[data-filtre="beneficiaires"]').getByRole("button", { name: new RegExp(`^Retirer ${nom}`) }).waitFor();
    assert.deepEqual(await chiffres(page), pick(filtered.totaux));
    // Removing the tag and applying brings the unfiltered figures back.
    await page.locator('[data-filtre="beneficiaires"]').getByRole("button", { name: new RegExp(`^Retirer ${nom}`) }).click();
    await page.getByRole("button", { name: "Appliquer les filtres" }).click();
    await page.waitForURL(url => !new URL(url).searchParams.has("beneficiaires"));
    await ready(page);
    assert.deepEqual(await chiffres(page), pick(all.totaux));
    await context.close();
  });

  it("folds the filter form, shows the filters in use as tags that remove them", async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 800 } });
    await login(page, DEMO.mediatrice);
    await page.goto("/statistiques?types=individuel&thematiques=email");
    await ready(page);
    // The count on the folded form, a tag per filter in use.
    await page.locator("details.coop-filtres > summary", { hasText: "Filtres (2 actifs)" }).waitFor();
    const actifs = page.getByTestId("filtres-actifs");
    await actifs.getByRole("button", { name: "Retirer le filtre Types d'activité : Accompagnement individuel" }).click();
    await page.waitForURL(url => !new URL(url).searchParams.has("types") && new URL(url).searchParams.get("thematiques") === "email");
    await ready(page);
    await assertSameAsApi(page, await apiTableau(page));
    await page.locator("details.coop-filtres > summary", { hasText: "Filtres (1 actif)" }).waitFor();
    await actifs.getByRole("button", { name: /^Retirer le filtre Thématiques/ }).click();
    await page.waitForURL(url => new URL(url).search === "");
    await ready(page);
    assert.equal(await page.getByTestId("filtres-actifs").count(), 0);
    await context.close();
  });

  it("shows the key figures and the first chart without scrolling on a 1280×800 screen, the figures first on a phone", async () => {
    // What the first screen shows: the bottom of the five key figures and of the first chart.
    const premierEcran = async page => page.evaluate(() => ({
      hauteur: window.innerHeight,
      scrollY: window.scrollY,
      chiffres: Math.max(...[...document.querySelectorAll(".coop-chiffre")].map(e => e.getBoundingClientRect().bottom)),
      nbChiffres: document.querySelectorAll(".coop-chiffre").length,
      premierChiffre: document.querySelector(".coop-chiffre")?.getBoundingClientRect().bottom ?? Infinity,
      graphique: document.querySelector(".coop-graphique")?.getBoundingClientRect().bottom ?? Infinity,
      filtres: document.querySelector("details.coop-filtres > summary")?.getBoundingClientRect().bottom ?? Infinity
    }));
    for (const url of ["/statistiques", "/statistiques?du=2026-01-01&types=individuel&thematiques=email"]) {
      const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 800 } });
      await login(page, DEMO.mediatrice);
      await page.goto(url);
      await ready(page);
      const e = await premierEcran(page);
      assert.equal(e.scrollY, 0);
      assert.equal(e.nbChiffres, 5);
      assert.ok(e.chiffres <= e.hauteur, `${url}: the key figures end at ${e.chiffres} px (screen ${e.hauteur})`);
      assert.ok(e.graphique <= e.hauteur, `${url}: the first chart ends at ${e.graphique} px (screen ${e.hauteur})`);
      await context.close();
    }
    const { context, page } = await newPage(browser, { viewport: { width: 375, height: 740 } });
    await login(page, DEMO.mediatrice);
    await page.goto("/statistiques?types=individuel");
    await ready(page);
    const e = await premierEcran(page);
    assert.ok(e.filtres <= e.hauteur, "the « Filtres » button on the first screen");
    assert.ok(e.premierChiffre <= e.hauteur, `the first key figure ends at ${e.premierChiffre} px (screen ${e.hauteur})`);
    await page.locator("details.coop-filtres > summary", { hasText: "Filtres (1 actif)" }).waitFor();
    await context.close();
  });

  it("drops the beneficiary filter outside a mediator's own figures, and says so", async () => {
    const { context, page } = await newPage(browser);
    await login(page, DEMO.coordination);
    await page.goto("/statistiques?perimetre=equipe&types=individuel&beneficiaires=2");
    await page.waitForURL(url => !new URL(url).searchParams.has("beneficiaires"));
    await page.getByText("Le filtre « Bénéficiaires suivis » a été retiré").waitFor();
    assert.equal(new URL(page.url()).searchParams.get("types"), "individuel", "the other filters stay");
    await ready(page);
    await assertSameAsApi(page, await apiTableau(page));
    assert.equal(await page.getByRole("combobox", { name: /Bénéficiaires suivis/ }).count(), 0, "no beneficiary picker");
    await context.close();
  });

  it("explains a wrong period, in the form and from the server, and keeps the page usable", async () => {
    const { context, page } = await newPage(browser);
    await login(page, DEMO.mediatrice);
    await page.goto("/statistiques");
    await ready(page);
    await ouvrirFiltres(page);
    await page.locator("#filtre-du").fill("2026-03-10");
    await page.locator("#filtre-au").fill("2026-03-01");
    await page.getByRole("button", { name: "Appliquer les filtres" }).click();
    await page.getByText("La date de début doit précéder la date de fin.").waitFor();
    assert.equal(new URL(page.url()).search, "", "not applied");
    // A URL written by hand: the server's field error, named in French.
    await page.goto("/statistiques?du=2026-02-30&conseiller_numerique=peut-etre");
    await page.getByText("Impossible de charger les statistiques").waitFor();
    await page.getByText(/^Du : Date invalide/).waitFor();
    await page.getByText(/^Conseiller numérique : Valeur attendue/).waitFor();
    assert.equal(await page.locator('[data-testid="tableau-de-bord"]').count(), 0);
    // The filters are still there to fix it.
    await ouvrirFiltres(page);
    await page.getByRole("button", { name: "Réinitialiser" }).click();
    await page.waitForURL(url => new URL(url).search === "");
    await ready(page);
    await context.close();
  });

  it("sorts the per-commune table (national scope of the administrator)", async () => {
    const { context, page } = await newPage(browser);
    await login(page, DEMO.admin);
    await page.goto("/statistiques?perimetre=national");
    await ready(page);
    const api = await apiTableau(page);
    const communes = page.locator('[data-testid="table-communes"]');
    const rows = () => communes.locator("tbody tr").evaluateAll(rs => rs.map(r => [r.getAttribute("data-cle"), r.querySelector("th").textContent]));
    const expected = [...api.repartitions.communes].sort((a, b) => b.valeur - a.valeur || b.activites - a.activites).slice(0, 10);
    assert.deepEqual((await rows()).map(([c]) => c), expected.map(l => l.cle), "by value, largest first, 10 at most");
    await communes.getByRole("button", { name: /^Commune/ }).click();
    assert.equal(await communes.locator("thead th").first().getAttribute("aria-sort"), "ascending");
    const names = (await rows()).map(([, n]) => n);
    assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b, "fr")), "by name");
    if (api.repartitions.communes.length > 10) {
      await page.getByRole("button", { name: `Voir tout (${api.repartitions.communes.length})` }).click();
      assert.equal((await rows()).length, api.repartitions.communes.length);
    }
    await context.close();
  });

  it("counts a CRA saved through the API in the very next page load (read-your-writes)", async () => {
    const m = await newMediateur("stats");
    const { context, page } = await newPage(browser);
    await login(page, m.email);
    await page.goto("/statistiques");
    await ready(page);
    assert.equal((await chiffres(page)).activites, 0);
    await page.locator('[data-testid="etat-vide"]').waitFor();
    await m.api.request("POST", "/api/activites", craBody(m.structure.id, { duree: 45, thematiques: ["email", "sante"] }));
    await page.reload();
    await ready(page);
    const one = await chiffres(page);
    assert.equal(one.activites, 1);
    assert.equal(one.accompagnements, 1);
    assert.equal(one.duree_totale_minutes, 45);
    await assertSameAsApi(page, await apiTableau(page));
    await m.api.request("POST", "/api/activites", craBody(m.structure.id, { duree: 90 }));
    await page.reload();
    await ready(page);
    const two = await chiffres(page);
    assert.equal(two.activites, one.activites + 1);
    assert.equal(two.duree_totale_minutes, 135);
    assert.deepEqual((await table(page, "durees")), { "30_60": [1, 50], "60_120": [1, 50] });
    await context.close();
  });

  it("prints an A4 view without navigation nor filters", async () => {
    const { context, page } = await newPage(browser);
    await login(page, DEMO.mediatrice);
    await page.goto("/statistiques");
    await ready(page);
    // The per-day data (folded on screen) unfolds for printing, and folds back afterwards.
    const jours = page.locator("details[data-imprimer]");
    assert.equal(await jours.evaluate(d => d.open), false);
    await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
    assert.equal(await jours.evaluate(d => d.open), true);
    await page.evaluate(() => window.dispatchEvent(new Event("afterprint")));
    assert.equal(await jours.evaluate(d => d.open), false);
    await page.emulateMedia({ media: "print" });
    assert.equal(await page.locator("#fr-header-main-navigation").isVisible(), false, "navigation hidden");
    assert.equal(await page.locator(".fr-header").isVisible(), false, "header hidden");
    assert.equal(await page.locator("form[role=search]").isVisible(), false, "filters hidden");
    assert.equal(await page.getByRole("button", { name: "Imprimer" }).isVisible(), false);
    assert.ok(await page.locator('[data-testid="chiffre-activites"]').isVisible(), "figures printed");
    assert.ok(await page.locator('[data-testid="table-thematiques"]').isVisible(), "tables printed");
    // Charts 55 mm high, beside their table (fewer pages).
    const chart = await page.locator('[data-repartition="thematiques"] .coop-graphique').boundingBox();
    const tableBox = await page.locator('[data-testid="table-thematiques"]').boundingBox();
    assert.ok(Math.abs(chart.height - (55 * 96) / 25.4) < 2, `chart 55 mm high (${chart.height} px)`);
    assert.ok(tableBox.x >= chart.x + chart.width - 1, "table beside its chart");
    const pdf = await page.pdf({ format: "A4", printBackground: true });
    const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    console.log(`  print: ${pages} A4 page(s), ${pdf.length} bytes`);
    assert.ok(pages >= 1);
    await screenshot(page, "statistiques-impression");
    await page.emulateMedia({ media: "screen" });
    await context.close();
  });

  it("shares the view: the public link shows the same figures without logging in, until revoked", async () => {
    const { context, page } = await newPage(browser);
    await login(page, DEMO.mediatrice);
    await page.goto("/statistiques?types=individuel");
    await ready(page);
    const api = await apiTableau(page);
    await page.getByRole("button", { name: "Partager cette vue" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    const titre = `Partage ${unique()}`;
    await dialog.getByLabel("Titre du partage").fill(titre);
    await dialog.getByRole("button", { name: "Créer le lien public" }).click();
    const link = await dialog.getByLabel("Lien public").inputValue();
    assert.match(link, /\/partage\/statistiques\/[^/]+$/);
    await dialog.locator(`tr:has-text("${titre}")`).waitFor();
    assert.equal(await seriousViolations(page, "statistiques-partage").then(b => b.length), 0);

    const anon = await newPage(browser);
    await anon.page.goto(new URL(new URL(link).pathname, BASE_URL).toString());
    await anon.page.getByRole("heading", { level: 1, name: titre }).waitFor();
    await ready(anon.page);
    assert.deepEqual(await chiffres(anon.page), pick(api.totaux), "public figures = the sharer's view");
    assert.deepEqual(await table(anon.page, "types"), apiTable(api.repartitions.types));
    assert.equal(await anon.page.locator("#fr-header-main-navigation").count(), 0, "no logged-in menu");
    assert.deepEqual((await seriousViolations(anon.page, "statistiques-partage-public")).map(v => v.id), []);
    await screenshot(anon.page, "statistiques-partage-public");

    await dialog.getByRole("button", { name: `Révoquer : ${titre}` }).click();
    await dialog.getByText(`Lien « ${titre} » révoqué`).waitFor();
    await anon.page.reload();
    await anon.page.getByText("Ce lien de partage n'existe pas ou a été révoqué").waitFor();
    assert.equal(await anon.page.locator('[data-testid="tableau-de-bord"]').count(), 0);
    await anon.context.close();
    await context.close();
  });

  it("gives the territorial pilot the Rhône scope", async () => {
    const { context, page } = await newPage(browser);
    await login(page, DEMO.territoire);
    await page.goto("/statistiques");
    await ready(page);
    const api = await apiTableau(page);
    assert.equal(api.perimetre.code, "departement:69");
    assert.match(await page.locator('[data-testid="periode"]').textContent(), /Rhône/);
    await assertSameAsApi(page, api);
    // No personal data for this role: no mediator picker.
    assert.equal(await page.locator('input[name="filtre-mediateur"]').count(), 0);
    await context.close();
  });

  it("an admin makes a territorial pilot (Loire and Rhône) with the roles editor; they see those scopes", async () => {
    const { context, page } = await newPage(browser);
    await login(page, DEMO.admin);
    await page.goto("/admin/utilisateurs/nouveau");
    const email = `pilote-${unique()}@coop.example`;
    await page.locator("#nouvel-email").fill(email);
    await page.locator("#nouvel-nom").fill("Pilote");
    await page.locator("#nouvel-prenom").fill("Paule");
    await page.locator("#nouvel-password").fill("mot-de-passe-solide-2026");
    await page.getByLabel(/^Médiateur numérique/).uncheck({ force: true });
    await page.getByLabel(/^Pilote territorial/).check({ force: true });
    await page.getByText("Choisissez au moins un département ou une région").waitFor();
    await page.getByLabel("Ajouter un département").selectOption("departement:69");
    await page.getByLabel("Ajouter un département").selectOption("departement:42");
    await page.getByRole("button", { name: "Retirer Département Rhône (69)" }).waitFor();
    await page.getByRole("button", { name: "Retirer Département Loire (42)" }).waitFor();
    assert.deepEqual(await seriousViolations(page, "roles-territorial").then(b => b.map(v => v.id)), []);
    await page.getByRole("button", { name: "Créer le compte" }).click();
    await page.waitForURL(/\/admin\/utilisateurs\/\d+$/);
    await page.getByText("Le compte a été créé.").waitFor();
    const id = Number(new URL(page.url()).pathname.split("/").pop());
    const user = await (await context.request.get(`/api/users/${id}`)).json();
    assert.deepEqual(
      user.roles.map(r => `${r.role} ${r.territoire}`).sort(),
      ["territorial departement:42", "territorial departement:69"]
    );
    const pilote = await newPage(browser);
    await login(pilote.page, email, "mot-de-passe-solide-2026");
    await pilote.page.goto("/statistiques");
    await ready(pilote.page);
    const codes = await pilote.page.locator("#perimetre option").evaluateAll(os => os.map(o => o.value).sort());
    assert.deepEqual(codes, ["departement:42", "departement:69"]);
    await pilote.page.locator("#perimetre").selectOption("departement:42");
    await pilote.page.waitForURL(url => new URL(url).searchParams.get("perimetre") === "departement:42");
    await ready(pilote.page);
    await assertSameAsApi(pilote.page, await apiTableau(pilote.page));
    await pilote.context.close();
    await context.close();
  });

  it("has no serious or critical axe-core violation", async () => {
    const { context, page } = await newPage(browser);
    await login(page, DEMO.coordination);
    await page.goto("/statistiques");
    await ready(page);
    const bad = await seriousViolations(page, "statistiques");
    assert.deepEqual(bad.map(v => `${v.id}: ${v.nodes.map(n => n.target.join(" ")).join(", ")}`), []);
    await context.close();
  });

  it("fits a 375 px phone without horizontal scroll", async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    await login(page, DEMO.mediatrice);
    await page.goto("/statistiques");
    await ready(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scroll (${overflow} px)`);
    await screenshot(page, "statistiques-mobile");
    await context.close();
  });
});
