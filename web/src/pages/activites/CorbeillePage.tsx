import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useState } from "react";
import { listCorbeille, restoreActivite } from "../../api/activites";
import type { Activite } from "../../api/types";
import { ApiError, isApiError } from "../../api/client";
import { ErrorAlert } from "../../components/ErrorAlert";
import { LoadError } from "../../components/LoadError";
import { formatDate, formatDateTime } from "../../lib/format";
import { useAsync } from "../../lib/useAsync";
import { useTitle } from "../../lib/useTitle";
import { TypeBadge, activiteTitle, formatDuree, lieuText, thematiquesText } from "./common";

export function CorbeillePage() {
  useTitle("Corbeille des activités");
  const list = useAsync(() => listCorbeille().then(r => r.items), []);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const restore = async (a: Activite) => {
    try {
      await restoreActivite(a.id);
      list.setData(prev => prev?.filter(x => x.id !== a.id));
      setMessage(`${activiteTitle(a)} : restaurée dans vos activités.`);
      setError(null);
    } catch (e) {
      setError(isApiError(e) ? e : new ApiError(0, "inconnu", "Une erreur inattendue est survenue."));
    }
  };
  return (
    <div className="fr-container fr-my-4w">
      <Breadcrumb currentPageLabel="Corbeille" homeLinkProps={{ to: "/" }} segments={[{ label: "Mes activités", linkProps: { to: "/activites" } }]} />
      <h1>Corbeille des activités</h1>
      <p>Les activités supprimées restent 30 jours dans la corbeille : vous pouvez les restaurer pendant ce délai.</p>
      {message && <Alert severity="success" small role="status" description={message} className="fr-mb-3w" />}
      <ErrorAlert error={error} as="h2" title="La restauration a échoué" />
      {list.error ? (
        <LoadError error={list.error} what="la corbeille" />
      ) : !list.data ? (
        <p role="status">Chargement de la corbeille…</p>
      ) : list.data.length === 0 ? (
        <Alert severity="info" small description="La corbeille est vide." />
      ) : (
        <ul className="coop-cards" aria-label="Activités supprimées">
          {list.data.map(a => (
            <li key={a.id} className="coop-card" data-activite={a.id}>
              <h2 className="fr-h6">{activiteTitle(a)}</h2>
              <p className="fr-mb-1w">
                <TypeBadge a={a} /> · {formatDuree(a.duree)} · {lieuText(a)}
              </p>
              <p className="fr-text--sm fr-mb-1w">{thematiquesText(a)}</p>
              <p className="fr-text--sm fr-mb-1w">Supprimée le {formatDateTime(a.deleted_at)} (activité du {formatDate(a.date)})</p>
              <Button type="button" size="small" iconId="fr-icon-arrow-go-back-line" onClick={() => void restore(a)} nativeButtonProps={{ "aria-label": `Restaurer : ${activiteTitle(a)}` }}>
                Restaurer
              </Button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
