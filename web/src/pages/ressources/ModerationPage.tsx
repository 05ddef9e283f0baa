/** The moderators' queue of the library (/ressources/moderation): reports, hide, restore, dismiss. */
import { Button } from "@codegouvfr/react-dsfr/Button";
import { ToggleSwitch } from "@codegouvfr/react-dsfr/ToggleSwitch";
import { useState } from "react";
import { Link } from "react-router";
import { isApiError, type ApiError } from "../../api/client";
import { listModeration, masquer, rejeterSignalement, restaurer } from "../../api/ressources";
import { ErrorAlert } from "../../components/ErrorAlert";
import { LoadError } from "../../components/LoadError";
import { formatDateTime } from "../../lib/format";
import { useAsync } from "../../lib/useAsync";
import { useTitle } from "../../lib/useTitle";
import { NavRessources, RessourcesCadre } from "./RessourcesCadre";

export default function ModerationRessourcesPage() {
  useTitle("Modération des ressources");
  const [tous, setTous] = useState(false);
  const file = useAsync(() => listModeration(tous), [tous]);
  const [erreur, setErreur] = useState<ApiError | null>(null);
  const [annonce, setAnnonce] = useState("");
  const agir = async (f: () => Promise<unknown>, message: string) => {
    setErreur(null);
    try {
      await f();
      setAnnonce(message);
      file.reload();
    } catch (e) {
      if (isApiError(e)) setErreur(e);
    }
  };
  return (
    <RessourcesCadre>
      <h1>Modération des ressources</h1>
      <NavRessources moderateur />
      <p className="fr-sr-only" role="status">
        {annonce}
      </p>
      <ToggleSwitch label="Afficher aussi les signalements traités" checked={tous} onChange={setTous} inputTitle="Signalements traités" showCheckedHint={false} />
      <ErrorAlert error={erreur} as="h2" className="fr-my-2w" />
      {file.error ? (
        <LoadError error={file.error} what="les signalements" />
      ) : !file.data ? (
        <p role="status">Chargement des signalements…</p>
      ) : file.data.items.length === 0 ? (
        <p>Aucun signalement en attente.</p>
      ) : (
        <ul className="coop-ress__liste" aria-label="Signalements">
          {file.data.items.map(s => (
            <li key={s.id}>
              <p className="fr-mb-1v">
                <Link to={`/ressources/${s.ressource.id}`} className="fr-text--bold">
                  {s.ressource.titre}
                </Link>
              </p>
              <p className="fr-text--sm fr-mb-1w">
                Signalé par {s.signale_par.nom} le {formatDateTime(s.cree_le)} : « {s.motif} »
                {s.decision && ` — traité le ${formatDateTime(s.traite_le)} (${s.decision === "masquee" ? "ressource masquée" : "rejeté"})`}
              </p>
              <div className="coop-actions">
                {!s.decision && (
                  <>
                    <Button type="button" size="small" onClick={() => void agir(() => masquer(s.ressource.id, s.motif), "Ressource masquée.")} nativeButtonProps={{ "aria-label": `Masquer « ${s.ressource.titre} »` }}>
                      Masquer la ressource
                    </Button>
                    <Button type="button" size="small" priority="secondary" onClick={() => void agir(() => rejeterSignalement(s.id), "Signalement rejeté.")} nativeButtonProps={{ "aria-label": `Rejeter le signalement de ${s.signale_par.nom}` }}>
                      Rejeter le signalement
                    </Button>
                  </>
                )}
                {s.decision === "masquee" && (
                  <Button type="button" size="small" priority="secondary" onClick={() => void agir(() => restaurer(s.ressource.id), "Ressource restaurée.")} nativeButtonProps={{ "aria-label": `Restaurer « ${s.ressource.titre} »` }}>
                    Restaurer la ressource
                  </Button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </RessourcesCadre>
  );
}
