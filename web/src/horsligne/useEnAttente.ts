import { useCallback, useEffect, useState } from "react";
import { useSession } from "../auth/AuthContext";
import { abonner, lister, type ActiviteEnAttente } from "./file";

/** The logged-in account's CRAs waiting on this device, kept up to date (null while read). */
export function useEnAttente(): { items: ActiviteEnAttente[] | null; recharger: () => void } {
  const { me } = useSession();
  const id = me?.id ?? null;
  const [items, setItems] = useState<ActiviteEnAttente[] | null>(null);
  const recharger = useCallback(() => {
    if (id == null) return setItems([]);
    lister(id)
      .then(setItems)
      .catch(() => setItems([]));
  }, [id]);
  useEffect(() => {
    recharger();
    return abonner(recharger);
  }, [recharger]);
  return { items, recharger };
}

export const libelleEnAttente = (n: number) => `${n} activité${n > 1 ? "s" : ""} en attente d'envoi`;
