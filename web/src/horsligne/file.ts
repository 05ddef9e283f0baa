/**
 * The CRAs recorded on this device and not yet accepted by the server (offline entry, issue 9),
 * kept in IndexedDB (database « coop-hors-ligne », store « activites », key = the CRA's
 * idempotency key). Each one belongs to the account that recorded it: it is listed and sent only
 * while that account is logged in.
 */
import { openDB, type DBSchema, type IDBPDatabase } from "idb";
import type { ActiviteBody } from "../api/types";

export type Statut = "en_attente" | "a_corriger";

export interface ActiviteEnAttente {
  /** Idempotency-Key of POST /api/activites (crypto.randomUUID()): the same for every try. */
  cle: string;
  user_id: number;
  /** What POST /api/activites receives. */
  body: ActiviteBody;
  /** The form's state, to open the CRA again in the form (opaque here). */
  formulaire: unknown;
  /** Short French description for the list (« Accompagnement individuel du 03/12/2026 (45 min) »). */
  resume: string;
  statut: Statut;
  /** The server's refusal (« à corriger »): its message and per-field messages. */
  message?: string;
  erreurs?: Record<string, string>;
  enregistre_le: string;
  modifie_le: string;
  /** Set when a try may have reached the server (no answer): an edit after it must follow as a PUT. */
  tente_le?: string;
}

interface Schema extends DBSchema {
  activites: { key: string; value: ActiviteEnAttente; indexes: { user: number } };
}

let dbPromise: Promise<IDBPDatabase<Schema>> | null = null;
function db(): Promise<IDBPDatabase<Schema>> {
  dbPromise ??= openDB<Schema>("coop-hors-ligne", 1, {
    upgrade(d) {
      const store = d.createObjectStore("activites", { keyPath: "cle" });
      store.createIndex("user", "user_id");
    }
  });
  return dbPromise;
}

// Every tab and component showing the list or its count listens to this.
const canal = typeof BroadcastChannel !== "undefined" ? new BroadcastChannel("coop-hors-ligne") : null;
const abonnes = new Set<() => void>();
function changed() {
  for (const f of abonnes) f();
  canal?.postMessage("change");
}
canal?.addEventListener("message", () => {
  for (const f of abonnes) f();
});
/** Calls `f` after every change of the list (in this tab or another). */
export function abonner(f: () => void): () => void {
  abonnes.add(f);
  return () => abonnes.delete(f);
}

export async function lister(userId: number): Promise<ActiviteEnAttente[]> {
  const all = await (await db()).getAllFromIndex("activites", "user", userId);
  return all.sort((a, b) => a.enregistre_le.localeCompare(b.enregistre_le));
}

export async function lire(cle: string): Promise<ActiviteEnAttente | undefined> {
  return (await db()).get("activites", cle);
}

export async function enregistrer(a: ActiviteEnAttente): Promise<void> {
  await (await db()).put("activites", a);
  changed();
}

/** Updates the stored CRA if it is still there (it may have been sent or deleted meanwhile). */
export async function modifier(cle: string, f: (a: ActiviteEnAttente) => ActiviteEnAttente): Promise<void> {
  const d = await db();
  const tx = d.transaction("activites", "readwrite");
  const a = await tx.store.get(cle);
  if (a) await tx.store.put(f(a));
  await tx.done;
  if (a) changed();
}

export async function supprimer(cle: string): Promise<void> {
  await (await db()).delete("activites", cle);
  changed();
}

/**
 * A new idempotency key: crypto.randomUUID() (a UUID v4), or the same built from
 * crypto.getRandomValues where randomUUID is missing (it exists only in secure contexts: a
 * server reached over plain HTTP on a LAN address still gets keys, though no offline entry).
 */
export function nouvelleCle(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, x => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
