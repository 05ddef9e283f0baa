import { useEffect } from "react";
import { useSession } from "../auth/AuthContext";
import { getReferentiel } from "../api/activites";
import { prechargerFormulaire, viderDonneesUtilisateur } from "./cache";
import { departementDe, prechargerCommunes } from "./communes";
import { demarrer } from "./envoi";

const DERNIER = "coop-hors-ligne-compte";

/**
 * Mounted once under the session: sends the waiting CRAs of the logged-in account (at start and
 * whenever it changes), empties the offline cache of another account's data, and preloads the
 * CRA form's data for a mediator.
 */
export function HorsLigne() {
  const { me } = useSession();
  const id = me?.id ?? null;
  const mediateur = !!me?.roles.some(r => r.role === "mediateur");
  useEffect(() => {
    demarrer(id);
    if (id == null) return;
    let cancelled = false;
    (async () => {
      let precedent: string | null = null;
      try {
        precedent = localStorage.getItem(DERNIER);
        localStorage.setItem(DERNIER, String(id));
      } catch {
        /* no storage */
      }
      if (precedent !== null && precedent !== String(id)) await viderDonneesUtilisateur();
      if (!cancelled && mediateur) {
        await prechargerFormulaire();
        // The communes of the départements of the mediator's lieux, for « à domicile » offline.
        const ref = await getReferentiel().catch(() => undefined);
        if (!cancelled && ref) await prechargerCommunes((ref.lieux ?? []).map(l => departementDe(l.commune_insee)));
      }
    })().catch(e => console.warn("hors ligne", e));
    return () => {
      cancelled = true;
    };
  }, [id, mediateur]);
  return null;
}
