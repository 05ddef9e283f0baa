import { Link } from "react-router";
import { libelleEnAttente, useEnAttente } from "./useEnAttente";

/**
 * « n activités en attente d'envoi »: a DSFR badge linking to the list of the CRAs kept on this
 * device; nothing when there are none. `aCorriger` adds how many the server refused.
 */
export function EnAttenteBadge({ className }: { className?: string }) {
  const { items } = useEnAttente();
  if (!items || items.length === 0) return null;
  const refusees = items.filter(a => a.statut === "a_corriger").length;
  return (
    <Link to="/activites/en-attente" className={`coop-en-attente${className ? ` ${className}` : ""}`} data-testid="en-attente">
      <span className="fr-badge fr-badge--warning fr-badge--sm fr-badge--no-icon">{libelleEnAttente(items.length)}</span>
      {refusees > 0 && <span className="fr-badge fr-badge--error fr-badge--sm fr-ml-1v">{refusees} à corriger</span>}
    </Link>
  );
}
