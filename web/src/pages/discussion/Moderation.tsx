import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useState } from "react";
import { Link } from "react-router";
import { isApiError, type ApiError } from "../../api/client";
import { deciderSignalement, listSignalements } from "../../api/discussion";
import { ErrorAlert } from "../../components/ErrorAlert";
import { LoadError } from "../../components/LoadError";
import { formatDateTime } from "../../lib/format";
import { useAsync } from "../../lib/useAsync";
import { Bannissements } from "./Bannissements";
import { heure, libelleJour } from "./outils";

/**
 * The moderators' queue: reported messages of the channels one moderates (all for an admin);
 * for admins, the exclusions from the discussion space too.
 */
export function Moderation({ estAdmin = false }: { estAdmin?: boolean }) {
  const file = useAsync(listSignalements, []);
  const [erreur, setErreur] = useState<ApiError | null>(null);
  const [annonce, setAnnonce] = useState("");
  const decider = async (id: number, decision: "supprimer" | "rejeter") => {
    setErreur(null);
    try {
      await deciderSignalement(id, decision);
      file.setData(d => d && { items: d.items.filter(s => s.id !== id) });
      setAnnonce(decision === "supprimer" ? "Message supprimé." : "Signalement rejeté.");
    } catch (e) {
      if (isApiError(e)) setErreur(e);
    }
  };
  return (
    <section aria-labelledby="moderation-titre" className="coop-discussion__colonne coop-discussion__outil-contenu">
      <div className="coop-discussion__entete">
        <Link to="/discussion" className={fr.cx("fr-link", "fr-link--sm", "fr-link--icon-left", "fr-icon-arrow-left-line")} data-retour>
          Canaux
        </Link>
        <h2 id="moderation-titre" className={fr.cx("fr-h5", "fr-mb-0")}>
          Messages signalés
        </h2>
        <p className={fr.cx("fr-text--sm", "fr-mb-0")}>Les signalements en attente des canaux que vous modérez.</p>
      </div>
      <p className="fr-sr-only" role="status">
        {annonce}
      </p>
      <ErrorAlert error={erreur} as="h3" />
      {file.error ? (
        <LoadError error={file.error} what="les signalements" />
      ) : !file.data ? (
        <p className="fr-text--sm" role="status">
          Chargement des signalements…
        </p>
      ) : file.data.items.length === 0 ? (
        <p className="fr-text--sm">Aucun signalement en attente.</p>
      ) : (
        <ul className="coop-discussion__resultats" aria-label="Signalements en attente">
          {file.data.items.map(s => (
            <li key={s.id} className="coop-discussion__resultat">
              <p className={fr.cx("fr-text--xs", "fr-mb-0")}>
                <strong># {s.canal.nom}</strong> › {s.message.sujet_titre}
              </p>
              <p className={fr.cx("fr-text--sm", "fr-mb-0")}>
                <Link to={`/discussion/${s.message.canal_id}/${s.message.sujet_id}?message=${s.message.id}`}>
                  {s.message.auteur.nom}, {libelleJour(s.message.cree_le).toLowerCase()} à {heure(s.message.cree_le)}
                </Link>
              </p>
              <div className="coop-message__corps coop-message__corps--court" dangerouslySetInnerHTML={{ __html: s.message.html }} />
              <p className={fr.cx("fr-text--sm", "fr-mb-1w")}>
                Signalé par {s.signale_par.nom} le {formatDateTime(s.cree_le)} : « {s.motif} »
              </p>
              <div className="coop-actions">
                <Button type="button" size="small" onClick={() => void decider(s.id, "supprimer")} nativeButtonProps={{ "aria-label": `Supprimer le message de ${s.message.auteur.nom}` }}>
                  Supprimer le message
                </Button>
                <Button type="button" size="small" priority="secondary" onClick={() => void decider(s.id, "rejeter")} nativeButtonProps={{ "aria-label": `Rejeter le signalement de ${s.signale_par.nom}` }}>
                  Rejeter le signalement
                </Button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {estAdmin && <Bannissements onAnnonce={setAnnonce} />}
    </section>
  );
}
