/**
 * Sends the CRAs waiting in IndexedDB (./file) when the network is there: at app start (once the
 * session is known), on the browser's `online` event, right after a CRA is kept, and after a
 * failure with a growing delay (5 s, 10 s, 20 s… at most 5 min). One pass at a time per tab; two
 * tabs sending the same CRA are harmless: the server creates it once per Idempotency-Key.
 *
 * Each CRA's answer decides: created (201) or already created by an earlier try (200) → removed
 * from the list; refused by validation (4xx with fields) → kept, marked « à corriger » with the
 * server's messages; network down, 5xx, 429 → kept, retried later; 401/403 → the pass stops (the
 * session ended: they are sent after the next log-in of the same account).
 */
import { createActiviteAvecCle, updateActivite } from "../api/activites";
import { isApiError } from "../api/client";
import { lire, lister, modifier, supprimer, type ActiviteEnAttente } from "./file";

let utilisateur: number | null = null;
let enCours: Promise<void> | null = null;
let encore = false;
let delai = 0;
let minuteur: ReturnType<typeof setTimeout> | null = null;

const DELAI_MIN = 5_000;
const DELAI_MAX = 300_000;

/** The logged-in account (null when logged out): its CRAs only are sent. */
export function demarrer(userId: number | null): void {
  utilisateur = userId;
  if (userId != null) void synchroniser();
}

if (typeof window !== "undefined")
  window.addEventListener("online", () => {
    delai = 0;
    void synchroniser();
  });

function planifier() {
  delai = delai ? Math.min(delai * 2, DELAI_MAX) : DELAI_MIN;
  if (minuteur) clearTimeout(minuteur);
  minuteur = setTimeout(() => {
    minuteur = null;
    void synchroniser();
  }, delai);
}

/** One pass over the account's waiting CRAs (joins the pass under way, then runs once more). */
export function synchroniser(): Promise<void> {
  if (enCours) {
    encore = true;
    return enCours;
  }
  enCours = (async () => {
    try {
      do {
        encore = false;
        await passe();
      } while (encore);
    } finally {
      enCours = null;
    }
  })();
  return enCours;
}

async function passe() {
  const uid = utilisateur;
  if (uid == null) return;
  for (const a of await lister(uid)) {
    if (a.statut !== "en_attente") continue;
    const r = await envoyer(a.cle);
    if (r.resultat === "reseau") return planifier();
    if (r.resultat === "arret") return;
  }
  delai = 0;
}

export type Resultat =
  | { resultat: "envoye"; id: number }
  | { resultat: "a_corriger"; message: string; erreurs: Record<string, string> }
  | { resultat: "reseau" | "arret" | "absent" };

// Sends one at a time in this tab (the form's « Enregistrer » and a pass of the sender may want
// the same CRA at once): the second one reads it again and finds it gone.
let file: Promise<unknown> = Promise.resolve();

/** Sends one waiting CRA (read again from IndexedDB: it may have been edited, sent or deleted). */
export function envoyer(cle: string): Promise<Resultat> {
  const r = file.then(() => envoyerSeul(cle));
  file = r.catch(() => undefined);
  return r;
}

async function envoyerSeul(cle: string): Promise<Resultat> {
  const a: ActiviteEnAttente | undefined = await lire(cle);
  if (!a || a.user_id !== utilisateur) return { resultat: "absent" };
  const tente = a.tente_le ?? new Date().toISOString();
  if (!a.tente_le) await modifier(cle, x => ({ ...x, tente_le: tente }));
  try {
    const { activite, deja } = await createActiviteAvecCle(a.body, a.cle);
    // An earlier try reached the server without an answer, and the CRA was edited since: the
    // server kept the version of that try, so the edit follows as a replace.
    let id = activite.id;
    if (deja && a.modifie_le > tente && !activite.deleted_at)
      id = (await updateActivite(activite.id, { ...a.body, version: activite.version })).id;
    await supprimer(cle);
    return { resultat: "envoye", id };
  } catch (e) {
    if (!isApiError(e)) return { resultat: "reseau" };
    if (e.status === 0 || e.status >= 500 || e.status === 429 || e.status === 409) return { resultat: "reseau" };
    if (e.status === 401 || e.status === 403) return { resultat: "arret" };
    await modifier(cle, x => ({ ...x, statut: "a_corriger", message: e.message, erreurs: e.fields }));
    return { resultat: "a_corriger", message: e.message, erreurs: e.fields };
  }
}
