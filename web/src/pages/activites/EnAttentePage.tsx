import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useEffect, useState } from "react";
import { Link, useLocation, useNavigate } from "react-router";
import { synchroniser } from "../../horsligne/envoi";
import { supprimer, type ActiviteEnAttente } from "../../horsligne/file";
import { libelleEnAttente, useEnAttente } from "../../horsligne/useEnAttente";
import { useEnLigne } from "../../horsligne/useEnLigne";
import { formatDateTime } from "../../lib/format";
import { useTitle } from "../../lib/useTitle";

/** Labels of the CRA's fields, for the server's refusals listed here. */
const CHAMPS: Record<string, string> = {
  type: "Type",
  date: "Date",
  duree: "Durée",
  type_lieu: "Lieu",
  lieu_activite_id: "Lieu d'activité",
  commune_insee: "Commune",
  thematiques: "Thématiques",
  demarches: "Démarches",
  precisions_demarche: "Précisions sur la démarche",
  materiel: "Matériel",
  notes: "Notes",
  tags: "Tags",
  beneficiaire_id: "Bénéficiaire",
  beneficiaire_anonyme: "Profil du bénéficiaire",
  autonomie: "Autonomie",
  structure_de_redirection: "Structure de redirection",
  titre_atelier: "Titre de l'atelier",
  niveau: "Niveau",
  participants: "Participants",
  participants_anonymes: "Participants anonymes"
};

/** The CRAs kept on this device until the server accepts them (offline entry): view, edit, delete, send. */
export function EnAttentePage() {
  useTitle("Activités en attente d'envoi");
  const location = useLocation();
  const navigate = useNavigate();
  // The form's « gardée sur cet appareil » message, shown once (not again after a reload).
  const [saved] = useState<string | null>((location.state as { saved?: string } | null)?.saved ?? null);
  useEffect(() => {
    if (location.state) navigate(location.pathname, { replace: true, state: null });
  }, [location.state, location.pathname, navigate]);
  const { items } = useEnAttente();
  const enLigne = useEnLigne();
  const [confirmer, setConfirmer] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [envoi, setEnvoi] = useState(false);

  const retirer = async (a: ActiviteEnAttente) => {
    await supprimer(a.cle);
    setConfirmer(null);
    setMessage(`${a.resume} : supprimée de cet appareil, elle ne sera pas envoyée.`);
  };
  const envoyerTout = async () => {
    setEnvoi(true);
    try {
      await synchroniser();
    } finally {
      setEnvoi(false);
    }
  };

  return (
    <div className="fr-container fr-my-4w">
      <Breadcrumb currentPageLabel="En attente d'envoi" homeLinkProps={{ to: "/" }} segments={[{ label: "Mes activités", linkProps: { to: "/activites" } }]} />
      <h1>Activités en attente d'envoi</h1>
      <p>
        Les activités enregistrées sans connexion sont gardées sur cet appareil, puis envoyées automatiquement dès le retour du réseau. Chacune
        n'est enregistrée qu'une fois, même si l'envoi est répété.
      </p>
      <p className="fr-hint-text">
        Elles ne sont montrées et envoyées qu'à votre compte. Sur un appareil partagé, envoyez-les ou supprimez-les avant de vous déconnecter.
      </p>
      {saved && <Alert severity="success" small role="status" description={saved} className="fr-mb-3w" id="cra-enregistre" />}
      {message && <Alert severity="success" small role="status" description={message} className="fr-mb-3w" />}
      {!enLigne && (
        <Alert severity="info" small className="fr-mb-3w" description="Vous êtes hors ligne : les activités seront envoyées au retour du réseau." />
      )}
      {!items ? (
        <p role="status">Chargement…</p>
      ) : items.length === 0 ? (
        <Alert severity="info" small description="Aucune activité en attente d'envoi : tout a été envoyé." className="fr-mb-3w" />
      ) : (
        <>
          <p className="fr-mb-2w" role="status">
            <span className="fr-badge fr-badge--warning fr-badge--no-icon">{libelleEnAttente(items.length)}</span>
          </p>
          <ul className="coop-cards" aria-label="Activités en attente d'envoi">
            {items.map(a => (
              <li key={a.cle} className="coop-card" data-cle={a.cle}>
                <h2 className="fr-h6">{a.resume}</h2>
                <p className="fr-mb-1w">
                  {a.statut === "a_corriger" ? (
                    <span className="fr-badge fr-badge--error fr-badge--sm">À corriger</span>
                  ) : (
                    <span className="fr-badge fr-badge--info fr-badge--sm">En attente</span>
                  )}
                </p>
                {a.statut === "a_corriger" && (
                  <div className="fr-mb-1w">
                    <p className="fr-text--sm fr-mb-1v">Refusée par le serveur : {a.message}</p>
                    {a.erreurs && Object.keys(a.erreurs).length > 0 && (
                      <ul className="fr-text--sm">
                        {Object.entries(a.erreurs).map(([k, m]) => (
                          <li key={k}>
                            {CHAMPS[k.split(".")[0]] ? `${CHAMPS[k.split(".")[0]]} : ` : ""}
                            {m}
                          </li>
                        ))}
                      </ul>
                    )}
                  </div>
                )}
                {a.body.notes && <p className="fr-text--sm fr-mb-1w coop-en-attente__notes">{a.body.notes.slice(0, 140)}</p>}
                <p className="fr-text--sm fr-mb-1w">Enregistrée sur cet appareil le {formatDateTime(a.enregistre_le)}</p>
                <div className="coop-actions">
                  <Link
                    className="fr-btn fr-btn--sm fr-btn--secondary fr-icon-edit-line fr-btn--icon-left"
                    to={`/activites/en-attente/${a.cle}`}
                    aria-label={`${a.statut === "a_corriger" ? "Corriger" : "Voir et modifier"} : ${a.resume}`}
                  >
                    {a.statut === "a_corriger" ? "Corriger" : "Voir et modifier"}
                  </Link>
                  {confirmer === a.cle ? (
                    <>
                      <Button type="button" size="small" iconId="fr-icon-delete-line" onClick={() => void retirer(a)}>
                        Confirmer la suppression
                      </Button>
                      <Button type="button" size="small" priority="tertiary" onClick={() => setConfirmer(null)}>
                        Annuler
                      </Button>
                    </>
                  ) : (
                    <Button
                      type="button"
                      size="small"
                      priority="tertiary"
                      iconId="fr-icon-delete-line"
                      onClick={() => setConfirmer(a.cle)}
                      nativeButtonProps={{ "aria-label": `Supprimer : ${a.resume}` }}
                    >
                      Supprimer
                    </Button>
                  )}
                </div>
              </li>
            ))}
          </ul>
          {enLigne && items.some(a => a.statut === "en_attente") && (
            <Button type="button" iconId="fr-icon-send-plane-line" disabled={envoi} onClick={() => void envoyerTout()}>
              {envoi ? "Envoi…" : "Envoyer maintenant"}
            </Button>
          )}
        </>
      )}
    </div>
  );
}
