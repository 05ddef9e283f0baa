// /reseaux: my local networks, « Mon réseau » (the automatic network of my structure's
// département), pending invitations, my visibility in the directories, creating a network.
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { ToggleSwitch } from "@codegouvfr/react-dsfr/ToggleSwitch";
import { useState } from "react";
import { Link } from "react-router";
import type { ApiError } from "../../api/client";
import { choisirVisibilite, listerReseaux, maVisibilite } from "../../api/reseaux";
import { useMe } from "../../auth/AuthContext";
import { ErrorAlert } from "../../components/ErrorAlert";
import { LoadError } from "../../components/LoadError";
import { PageLoading } from "../../components/PageLoading";
import { hasRole } from "../../lib/roles";
import { useAsync } from "../../lib/useAsync";
import { useTitle } from "../../lib/useTitle";
import "./reseaux.css";

export default function ReseauxPage() {
  useTitle("Réseaux locaux");
  const me = useMe();
  const liste = useAsync(() => listerReseaux(), []);
  const visibilite = useAsync(() => maVisibilite(), []);
  const [erreur, setErreur] = useState<ApiError | null>(null);
  const peutCreer = hasRole(me, "coordinateur") || hasRole(me, "gestionnaire_structure") || hasRole(me, "admin");
  if (liste.error) return <LoadError error={liste.error} what="vos réseaux" page />;
  if (!liste.data) return <PageLoading label="Chargement des réseaux…" />;
  const { items, mon_reseau, invitations_en_attente } = liste.data;
  return (
    <div className="fr-container fr-my-4w">
      <h1>Réseaux locaux</h1>
      <p>Les structures d'un territoire qui travaillent ensemble : un annuaire de leurs acteurs et de leurs lieux, une carte, leurs chiffres et un canal de discussion.</p>
      {invitations_en_attente > 0 && (
        <Alert
          severity="info"
          small
          className="fr-mb-3w"
          description={
            <>
              {invitations_en_attente > 1 ? `${invitations_en_attente} invitations attendent` : "Une invitation attend"} votre réponse.{" "}
              <Link to="/reseaux/invitations">Répondre aux invitations</Link>
            </>
          }
        />
      )}
      <div className="coop-reseaux-actions fr-mb-3w">
        {peutCreer && (
          <Button iconId="fr-icon-add-line" linkProps={{ to: "/reseaux/nouveau" }}>
            Créer un réseau
          </Button>
        )}
        <Button priority="secondary" linkProps={{ to: "/reseaux/invitations" }}>
          Invitations
        </Button>
      </div>

      <h2>Mon réseau</h2>
      {mon_reseau.length === 0 ? (
        <p>Aucune structure ne vous rattache à un département pour l'instant.</p>
      ) : (
        <ul>
          {mon_reseau.map(d => (
            <li key={d.code}>
              <Link to={`/reseaux/departement/${d.code}`}>
                Mon réseau · {d.nom} ({d.code})
              </Link>{" "}
              : toutes les structures, tous les lieux et les médiateurs du département.
            </li>
          ))}
        </ul>
      )}

      <h2>Mes réseaux</h2>
      {items.length === 0 ? (
        <p>Vous n'animez aucun réseau et aucune de vos structures n'en est membre.</p>
      ) : (
        <ul className="coop-reseaux-liste" data-testid="mes-reseaux">
          {items.map(r => (
            <li key={r.id} className="fr-card fr-card--sm fr-mb-2w">
              <div className="fr-card__body">
                <div className="fr-card__content">
                  <h3 className="fr-card__title">
                    <Link to={`/reseaux/${r.id}`}>{r.nom}</Link>
                  </h3>
                  <p className="fr-card__desc">{r.description || "Pas de description."}</p>
                  <p className="fr-card__detail">
                    {r.territoires.map(t => t.nom).join(", ")} · {r.nb_structures} {r.nb_structures > 1 ? "structures" : "structure"}
                    {r.animateur ? " · vous l'animez" : r.membre ? " · votre structure est membre" : ""}
                  </p>
                </div>
              </div>
            </li>
          ))}
        </ul>
      )}

      <h2>Ma visibilité dans les annuaires</h2>
      <ErrorAlert error={erreur} title="Le choix n'a pas été enregistré" />
      {visibilite.data && (
        <ToggleSwitch
          label="Montrer mon adresse e-mail et mon téléphone dans les annuaires des réseaux"
          helperText="Votre nom et votre structure y figurent toujours ; vos coordonnées seulement si vous l'acceptez."
          checked={visibilite.data.visible}
          onChange={async visible => {
            setErreur(null);
            try {
              const r = await choisirVisibilite(visible);
              visibilite.setData(() => r);
            } catch (e) {
              setErreur(e as ApiError);
            }
          }}
        />
      )}
    </div>
  );
}
