/** /partage/statistiques/:jeton — the read-only dashboard of a share link, without logging in. */
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useParams } from "react-router";
import { getPartage } from "../../api/statistiques";
import { formatDateTime } from "../../lib/format";
import { useAsync } from "../../lib/useAsync";
import { useTitle } from "../../lib/useTitle";
import { TableauDeBord } from "./TableauDeBord";
import "./statistiques.css";

export default function PartagePublicPage() {
  const { jeton = "" } = useParams();
  const { data, error, loading } = useAsync(() => getPartage(jeton), [jeton]);
  useTitle(data ? `${data.partage.titre} (statistiques partagées)` : error ? "Lien de partage invalide" : "Statistiques partagées");

  if (error) {
    const introuvable = error.status === 404 || error.status === 410;
    return (
      <div className="fr-container fr-my-6w">
        <h1>{introuvable ? "Lien de partage invalide" : "Statistiques indisponibles"}</h1>
        <Alert
          severity="error"
          as="h2"
          title={introuvable ? "Ce lien de partage n'existe pas ou a été révoqué" : "Impossible de charger les statistiques"}
          description={
            introuvable
              ? "La personne qui vous l'a transmis l'a peut-être révoqué. Demandez-lui un nouveau lien."
              : error.message
          }
        />
      </div>
    );
  }
  if (!data || loading) {
    return (
      <div className="fr-container fr-my-6w" role="status">
        <p className="fr-text--lg">Chargement des statistiques…</p>
      </div>
    );
  }
  return (
    <div className="fr-container fr-my-4w coop-statistiques">
      <div className="coop-actions fr-mb-2w" style={{ justifyContent: "space-between" }}>
        <h1 className="fr-mb-0">{data.partage.titre}</h1>
        <Button type="button" priority="secondary" iconId="fr-icon-printer-line" onClick={() => window.print()} className="coop-no-print">
          Imprimer
        </Button>
      </div>
      <p className="fr-text--sm">
        Statistiques partagées le {formatDateTime(data.partage.created_at)}, en lecture seule (chiffres agrégés, sans données
        personnelles).
      </p>
      <TableauDeBord tableau={data} coordination={false} />
    </div>
  );
}
