// /reseaux/invitations: the pending invitations of the structures I manage (all, for an
// administrator), accepted or declined here.
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useState } from "react";
import { Link } from "react-router";
import type { ApiError } from "../../api/client";
import { mesInvitations, repondreInvitation } from "../../api/reseaux";
import { ErrorAlert } from "../../components/ErrorAlert";
import { LoadError } from "../../components/LoadError";
import { PageLoading } from "../../components/PageLoading";
import { formatDate } from "../../lib/format";
import { useAsync } from "../../lib/useAsync";
import { useTitle } from "../../lib/useTitle";

export default function InvitationsReseauxPage() {
  useTitle("Invitations des réseaux");
  const invitations = useAsync(() => mesInvitations(), []);
  const [message, setMessage] = useState<string | null>(null);
  const [erreur, setErreur] = useState<ApiError | null>(null);
  if (invitations.error) return <LoadError error={invitations.error} what="les invitations" page />;
  if (!invitations.data) return <PageLoading label="Chargement des invitations…" />;
  const repondre = async (id: number, accepte: boolean, texte: string) => {
    setErreur(null);
    setMessage(null);
    try {
      await repondreInvitation(id, accepte);
      setMessage(texte);
      invitations.reload();
    } catch (e) {
      setErreur(e as ApiError);
    }
  };
  return (
    <div className="fr-container fr-my-4w">
      <h1>Invitations des réseaux</h1>
      <p>
        <Link to="/reseaux">Retour à mes réseaux</Link>
      </p>
      <div aria-live="polite">{message && <Alert severity="success" small description={message} className="fr-mb-3w" />}</div>
      <ErrorAlert error={erreur} title="La réponse n'a pas été enregistrée" as="h2" />
      {invitations.data.items.length === 0 ? (
        <p>Aucune invitation en attente pour vos structures.</p>
      ) : (
        <ul className="coop-reseaux-liste" data-testid="invitations-reseaux">
          {invitations.data.items.map(i => (
            <li key={i.id} className="fr-card fr-card--sm fr-mb-2w">
              <div className="fr-card__body">
                <div className="fr-card__content">
                  <h2 className="fr-card__title fr-h6">
                    {i.structure_nom} est invitée dans « <Link to={`/reseaux/${i.reseau_id}`}>{i.reseau_nom}</Link> »
                  </h2>
                  <p className="fr-card__desc">
                    Invitation de {i.invitee_par || "un animateur"} le {formatDate(i.invitee_le.slice(0, 10))}.
                  </p>
                  <div className="coop-reseaux-actions">
                    <Button size="small" onClick={() => repondre(i.id, true, `${i.structure_nom} a rejoint « ${i.reseau_nom} ».`)}>
                      Accepter
                    </Button>
                    <Button size="small" priority="secondary" onClick={() => repondre(i.id, false, `Invitation à « ${i.reseau_nom} » déclinée.`)}>
                      Décliner
                    </Button>
                  </div>
                </div>
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
