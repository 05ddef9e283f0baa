// Shared helpers of the browser tests: Debian's Chromium through playwright-core, log-in, a small
// API client (cookies + CSRF) for setting up data, axe-core checks and screenshots.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { chromium } from "playwright-core";
import AxeBuilder from "@axe-core/playwright";

export const BASE_URL = (process.env.COOP_BASE_URL ?? "").replace(/\/$/, "");
export const DEMO_PASSWORD = "coop-demo-2026!";
export const DEMO = {
  admin: "admin@coop.example",
  coordination: "coordination@coop.example",
  gestion: "gestion@coop.example",
  mediatrice: "mediatrice@coop.example",
  territoire: "territoire@coop.example"
};
/** The demo server's database ("sqlite:PATH"), set by scripts/test.sh: the tests read the outbox there. */
export const E2E_DATABASE = process.env.COOP_E2E_DATABASE ?? "";

/**
 * The mails queued for one address in the server's outbox (table courriels), oldest first:
 * [{ id, modele, statut, sujet, texte }] (texte: the text/plain body, which holds the links).
 */
export function courrielsPour(destinataire) {
  if (!E2E_DATABASE.startsWith("sqlite:")) throw new Error("COOP_E2E_DATABASE (sqlite:PATH) is not set");
  const sql = "SELECT id, modele, statut, sujet, texte FROM courriels WHERE destinataire = ? ORDER BY id";
  const py = "import sqlite3,sys,json\nc=sqlite3.connect(sys.argv[1],timeout=5)\n" +
    "print(json.dumps([dict(zip(['id','modele','statut','sujet','texte'],r)) for r in c.execute(sys.argv[2],(sys.argv[3],))]))";
  const out = execFileSync("python3", ["-c", py, E2E_DATABASE.slice("sqlite:".length), sql, destinataire], { encoding: "utf8" });
  return JSON.parse(out);
}

export const SCREENSHOT_DIR = process.env.COOP_SCREENSHOT_DIR ?? "/tmp";

/** Skip reason when no server is given (the harness sets COOP_BASE_URL). */
export const skipReason = BASE_URL ? false : "COOP_BASE_URL is not set: no server to test against";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Headless Chromium with a fresh profile. playwright-core's launch() always passes its own new
 * temporary --user-data-dir (it refuses one in args), removed when the browser closes.
 */
export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage"
    ]
  });
}

export async function newPage(browser, options = {}) {
  const context = await browser.newContext({
    baseURL: BASE_URL,
    locale: "fr-FR",
    timezoneId: "Europe/Paris",
    viewport: { width: 1280, height: 900 },
    ...options
  });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  page.on("pageerror", e => console.error(`[page error] ${e.message}`));
  return { context, page };
}

/** Log in through the form; waits for the home page (or the page asked for). */
export async function login(page, email, password = DEMO_PASSWORD, { expectPath = "/" } = {}) {
  if (!page.url().includes("/connexion")) await page.goto("/connexion");
  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel("Mot de passe", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Se connecter" }).click();
  if (expectPath) await page.waitForURL(url => new URL(url).pathname === expectPath);
}

/** Entries of the main navigation: "Accueil", "Administration > Utilisateurs"… */
export async function menuEntries(page) {
  return page.evaluate(() => {
    const nav = document.querySelector("#fr-header-main-navigation");
    if (!nav) return [];
    const out = [];
    for (const li of nav.querySelectorAll(":scope > ul > li")) {
      const head = li.querySelector(":scope > a, :scope > button");
      const text = head?.textContent?.trim() ?? "";
      out.push(text);
      for (const a of li.querySelectorAll(":scope .fr-menu a")) out.push(`${text} > ${a.textContent.trim()}`);
    }
    return out;
  });
}

/** axe-core on the current page; returns the serious and critical violations (and prints them). */
// A sandboxed frame without scripts (the HTML of a mail, admin « Courriels ») is left out: axe
// cannot run inside it (Chromium gives it no script context, and axe waits for one).
export async function seriousViolations(page, label) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"])
    .exclude("iframe[sandbox]")
    .analyze();
  const bad = results.violations.filter(v => v.impact === "serious" || v.impact === "critical");
  for (const v of results.violations) {
    const nodes = v.nodes.slice(0, 5).map(n => `      ${n.target.join(" ")} ${n.failureSummary?.split("\n").slice(1, 2).join(" ") ?? ""}`);
    console.log(`  axe [${label}] ${v.impact}: ${v.id} – ${v.help} (${v.nodes.length} élément(s))\n${nodes.join("\n")}`);
  }
  return bad;
}

export async function screenshot(page, name) {
  const path = join(SCREENSHOT_DIR, `coop-${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Minimal API client for the set-up of a test: cookie jar, CSRF header, JSON. */
export class Api {
  constructor() {
    this.cookies = new Map();
  }
  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  store(res) {
    for (const line of res.headers.getSetCookie?.() ?? []) {
      const [pair] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/max-age=0/i.test(line) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  async request(method, path, body) {
    if (method !== "GET" && !this.cookies.has("coop_csrf")) await this.request("GET", "/api/health");
    const headers = { Accept: "application/json", Cookie: this.cookieHeader() };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (method !== "GET") headers["X-CSRF-Token"] = this.cookies.get("coop_csrf") ?? "";
    const res = await fetch(`${BASE_URL}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    this.store(res);
    const text = await res.text();
    const json = text ? JSON.parse(text) : undefined;
    if (!res.ok) {
      const err = new Error(`${method} ${path} → ${res.status} ${text}`);
      err.status = res.status;
      err.body = json;
      throw err;
    }
    return json;
  }
  login(email, password = DEMO_PASSWORD) {
    return this.request("POST", "/api/auth/login", { email, password });
  }
}

/** A random SIRET whose Luhn key is right (SIRETs are unique in Coop). */
export function randomSiret() {
  for (;;) {
    const base = `9${Array.from({ length: 12 }, () => Math.floor(Math.random() * 10)).join("")}`;
    for (let k = 0; k <= 9; k++) {
      const s = base + k;
      let sum = 0;
      for (let i = 0; i < 14; i++) {
        let d = Number(s[13 - i]);
        if (i % 2 === 1) {
          d *= 2;
          if (d > 9) d -= 9;
        }
        sum += d;
      }
      if (sum % 10 === 0) return s;
    }
  }
}

/** A unique suffix for the data a test creates. */
export function unique() {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/**
 * A mediator of its own for a test (the demo accounts stay as they are), with one lieu
 * d'activité: the first structure, since 2023. Returns their e-mail, API client and structure.
 */
export async function newMediateur(prefix = "cra") {
  const admin = new Api();
  await admin.login(DEMO.admin);
  const email = `${prefix}-${unique()}@coop.example`;
  const user = await admin.request("POST", "/api/users", {
    email,
    nom: "Testeuse",
    prenom: "Camille",
    telephone: "",
    password: DEMO_PASSWORD,
    roles: [{ role: "mediateur", structure_id: null, conseiller_numerique: false }]
  });
  const structure = (await admin.request("GET", "/api/structures?per_page=1")).items[0];
  const api = new Api();
  await api.login(email);
  await api.request("POST", "/api/lieux-activite", { structure_id: structure.id, debut: "2023-01-01" });
  serverToday = (await api.request("GET", "/api/activites/referentiel")).aujourdhui ?? null;
  return { email, user, api, structure };
}

let serverToday = null;

/** The server's today (référentiel `aujourdhui`, known after newMediateur), else Europe/Paris's. */
export function todayParis() {
  if (serverToday) return serverToday;
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
}

/** A minimal valid individual CRA body for the API. */
export function craBody(structureId, over = {}) {
  return {
    type: "individuel",
    date: todayParis(),
    duree: 30,
    type_lieu: "lieu_activite",
    lieu_activite_id: structureId,
    commune_insee: null,
    materiel: [],
    thematiques: ["email"],
    demarches: [],
    precisions_demarche: null,
    notes: null,
    tags: [],
    beneficiaire: null,
    autonomie: null,
    oriente_vers_structure: false,
    structure_de_redirection: null,
    titre_atelier: null,
    niveau: null,
    participants: [],
    participants_anonymes: null,
    ...over
  };
}
