/**
 * Commune search without network (offline entry): the build writes the communes of each
 * département to /communes/<département>.json (vite.config.ts); the service worker keeps those
 * the app fetched for the mediator's départements (those of their lieux d'activité); offline, the
 * commune picker searches them here instead of GET /api/communes.
 */
import type { Commune } from "../api/types";

const CACHE = "coop-communes-departements";

/** Département of an INSEE code: 2 characters (2A, 2B included), 3 overseas (97x, 98x). */
export function departementDe(insee: string): string {
  return insee.startsWith("97") || insee.startsWith("98") ? insee.slice(0, 3) : insee.slice(0, 2);
}

/** Fetches the files of these départements through the service worker, which keeps them. */
export async function prechargerCommunes(departements: Iterable<string>): Promise<void> {
  await Promise.all([...new Set(departements)].filter(d => /^[0-9AB]{2,3}$/.test(d)).map(d => fetch(`/communes/${d}.json`).catch(() => undefined)));
}

/** Lower case, no accents, hyphens and apostrophes as spaces (« Saint-Étienne » → « saint etienne »). */
export function plier(s: string): string {
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[-'’]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * The communes kept on this device that match `q` (name, postal code or INSEE code), names that
 * start with it first, then the most populated; null when no département is kept.
 */
export async function chercherCommunesHorsLigne(q: string, limit: number): Promise<Commune[] | null> {
  if (typeof caches === "undefined") return null;
  const cache = await caches.open(CACHE);
  const keys = await cache.keys();
  if (keys.length === 0) return null;
  const query = plier(q);
  if (!query) return [];
  const found: { c: Commune; rang: number }[] = [];
  for (const k of keys) {
    const list = (await (await cache.match(k))?.json().catch(() => [])) as Commune[];
    for (const c of list ?? []) {
      const nom = plier(c.nom);
      let rang = -1;
      if (/^\d[\dAB]\d{0,3}$/i.test(q.trim()) && (c.codes_postaux.some(cp => cp.startsWith(q.trim())) || c.code === q.trim().toUpperCase())) rang = 0;
      else if (nom.startsWith(query)) rang = 1;
      else if (nom.includes(` ${query}`)) rang = 2;
      if (rang >= 0) found.push({ c, rang });
    }
  }
  found.sort((a, b) => a.rang - b.rang || (b.c.population ?? 0) - (a.c.population ?? 0) || a.c.nom.localeCompare(b.c.nom, "fr"));
  return found.slice(0, limit).map(f => f.c);
}
