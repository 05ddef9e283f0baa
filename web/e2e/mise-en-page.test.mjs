// Every page right on every screen: every client route of the application (read from the router,
// web/src/App.tsx) as every demo account and anonymously, at 375, 768 and 1280 px. A page fails on
// a horizontal overflow, a form control or label overlapping another or leaving the screen, an
// axe-core serious or critical violation, a console error, an API call answering 5xx, a route
// that could not be visited (a parameter nobody knows how to fill, a guard that sent the visitor
// elsewhere). A screenshot of each page and width is written to build/mise-en-page/<visitor>/
// (COOP_MISE_EN_PAGE_DIR elsewhere) with report.txt, for a person to look at.
//
// One browser, one logged-in context per account, COOP_MISE_EN_PAGE_PARALLELE pages at once
// (3 by default). axe-core runs at every width. COOP_MISE_EN_PAGE_FILTRE=regexp limits the visits
// to those whose « visitor /route » matches, while fixing a page.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import AxeBuilder from "@axe-core/playwright";
import { Api, BASE_URL, DEMO, launch, login, skipReason } from "./helpers.mjs";
import { geometrie } from "./mise-en-page/controles.mjs";
import { REDIRECTIONS, cheminConcret } from "./mise-en-page/parametres.mjs";
import { appRoutes, correspond, permise } from "./mise-en-page/routes.mjs";

const LARGEURS = [
  { width: 375, height: 812 },
  { width: 768, height: 1024 },
  { width: 1280, height: 800 }
];
const PARALLELE = Number(process.env.COOP_MISE_EN_PAGE_PARALLELE ?? 3);
const DOSSIER = process.env.COOP_MISE_EN_PAGE_DIR ?? fileURLToPath(new URL("../../build/mise-en-page/", import.meta.url));

const ROUTES = appRoutes();
const slug = path => path.replace(/^\//, "").replace(/\*/g, "introuvable").replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "") || "accueil";

// The visitors and their roles (asked to the server before the tests are declared).
const VISITEURS = [{ nom: "anonyme", email: null, roles: null }];
if (!skipReason) {
  for (const [nom, email] of Object.entries(DEMO)) {
    const api = new Api();
    await api.login(email);
    const me = await api.request("GET", "/api/me");
    VISITEURS.push({ nom, email, roles: me.roles.map(r => r.role), api });
  }
}
const toutes = VISITEURS.flatMap(v => ROUTES.filter(r => permise(r, v.roles)).map(r => ({ visiteur: v, route: r, cle: `${v.nom} ${r.path}` })));
// COOP_MISE_EN_PAGE_FILTRE=regexp: only the visits « visitor /route » that match (while fixing a page).
const filtre = process.env.COOP_MISE_EN_PAGE_FILTRE ? new RegExp(process.env.COOP_MISE_EN_PAGE_FILTRE) : null;
const visites = filtre ? toutes.filter(v => filtre.test(v.cle)) : toutes;

async function attendrePage(page) {
  // The page's own loading messages (PageLoading, « Chargement des … ») gone, fonts ready.
  await page
    .waitForFunction(() => ![...document.querySelectorAll("main [role=status]")].some(e => /Chargement/.test(e.textContent ?? "")), null, { timeout: 10_000 })
    .catch(() => undefined);
  await page.evaluate(() => document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))));
}

async function visiter(browser, contexte, { visiteur, route }, admin, mediatrice) {
  const problemes = [];
  let chemin;
  try {
    chemin = await cheminConcret(route, { api: visiteur.api ?? null, admin, mediatrice, roles: visiteur.roles });
  } catch (e) {
    return [`impossible à visiter : ${e.message}`];
  }
  const page = await contexte.newPage();
  const erreurs = [];
  page.on("console", m => {
    // 4xx answers are the application's normal answers (401 of /api/me when logged out, 403 of a
    // page outside one's rights): only real errors count; 5xx answers are counted below.
    if (m.type() === "error" && !/Failed to load resource: the server responded with a status of [45]\d\d/.test(m.text())) erreurs.push(`erreur console : ${m.text().slice(0, 200)}`);
  });
  page.on("pageerror", e => erreurs.push(`exception : ${e.message.slice(0, 200)}`));
  page.on("response", r => {
    if (r.status() >= 500) erreurs.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
  });
  try {
    for (const taille of LARGEURS) {
      const at = `@${taille.width}px`;
      erreurs.length = 0;
      await page.setViewportSize(taille);
      try {
        await page.goto(chemin, { waitUntil: "networkidle", timeout: 20_000 });
      } catch (e) {
        problemes.push(`${at} ne se charge pas : ${e.message.split("\n")[0]}`);
        continue;
      }
      await attendrePage(page);
      const arrivee = new URL(page.url()).pathname;
      const attendu = route.redirection ?? REDIRECTIONS[route.path]?.({ roles: visiteur.roles }) ?? route.path;
      if (!correspond(attendu, arrivee)) problemes.push(`${at} ${chemin} a mené à ${arrivee} (attendu : ${attendu})`);
      const vus = await page.evaluate(geometrie);
      for (const g of vus) problemes.push(`${at} ${g}`);
      const dir = join(DOSSIER, visiteur.nom);
      mkdirSync(dir, { recursive: true });
      await page.screenshot({ path: join(dir, `${slug(route.path)}-${taille.width}.png`), fullPage: true });
      // Folded sections (<details>: the filter forms) unfolded, as a person opening them sees them.
      if (await page.evaluate(() => document.querySelectorAll("main details:not([open])").length)) {
        await page.evaluate(() => document.querySelectorAll("main details:not([open])").forEach(d => (d.open = true)));
        await page.evaluate(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))));
        for (const g of await page.evaluate(geometrie)) if (!vus.includes(g)) problemes.push(`${at} (sections dépliées) ${g}`);
        await page.screenshot({ path: join(dir, `${slug(route.path)}-${taille.width}-deplie.png`), fullPage: true });
      }
      // A mail's HTML is shown in a sandboxed frame without scripts (Administration › Courriels):
      // axe cannot enter such a frame and would wait for it forever.
      const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"])
        .exclude("iframe[sandbox]").analyze();
      for (const v of axe.violations.filter(v => v.impact === "serious" || v.impact === "critical")) {
        problemes.push(`${at} axe ${v.impact} ${v.id} : ${v.help} — ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | ")}`);
      }
      for (const e of new Set(erreurs)) problemes.push(`${at} ${e}`);
    }
  } finally {
    await page.close();
  }
  return problemes;
}

describe("mise en page de chaque route, pour chaque rôle, à 375, 768 et 1280 px", { skip: skipReason }, () => {
  let browser;
  const resultats = new Map();
  const contextes = [];

  before(async () => {
    browser = await launch();
    const admin = VISITEURS.find(v => v.nom === "admin").api;
    const mediatrice = VISITEURS.find(v => v.nom === "mediatrice").api;
    const parVisiteur = new Map();
    for (const v of VISITEURS) {
      // Service workers blocked: Playwright never sees the end of a request answered by one, so
      // « networkidle » would never come for the mediator's pages (the offline test,
      // e2e/hors-ligne.test.mjs, is the one that runs with the service worker).
      const context = await browser.newContext({ baseURL: BASE_URL, locale: "fr-FR", timezoneId: "Europe/Paris", viewport: LARGEURS[2], serviceWorkers: "block" });
      context.setDefaultTimeout(15_000);
      contextes.push(context);
      if (v.email) {
        const page = await context.newPage();
        await login(page, v.email);
        await page.close();
      }
      parVisiteur.set(v.nom, context);
    }
    const file = [...visites];
    const travailleur = async () => {
      for (let job = file.shift(); job; job = file.shift()) {
        try {
          resultats.set(job.cle, await visiter(browser, parVisiteur.get(job.visiteur.nom), job, admin, mediatrice));
        } catch (e) {
          resultats.set(job.cle, [`visite interrompue : ${e.message.split("\n")[0]}`]);
        }
      }
    };
    await Promise.all(Array.from({ length: PARALLELE }, travailleur));
    const lignes = [...resultats].flatMap(([cle, ps]) => ps.map(p => `${cle} ${p}`));
    mkdirSync(DOSSIER, { recursive: true });
    writeFileSync(join(DOSSIER, "report.txt"), `${visites.length} visites × ${LARGEURS.length} largeurs\n${lignes.join("\n")}\n`);
    console.log(`mise en page : ${visites.length} routes × visiteurs, ${visites.length * LARGEURS.length} pages vues, ${lignes.length} problème(s) ; captures dans ${DOSSIER}`);
  }, { timeout: 25 * 60_000 });  // 471 page views (157 routes × 3 widths) with the ressources

  after(async () => {
    for (const c of contextes) await c.close().catch(() => undefined);
    await browser?.close();
  });

  it("covers every route of the router for some visitor", () => {
    const vues = new Set(toutes.map(v => v.route.path));
    assert.deepEqual(ROUTES.map(r => r.path).filter(p => !vues.has(p)), [], "routes that no demo account may open");
  });

  for (const { cle } of visites) {
    it(cle, () => {
      const ps = resultats.get(cle);
      assert.ok(ps, "not visited");
      assert.deepEqual(ps, []);
    });
  }
});
