import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { deleteActivite, duplicateActivite, getActivite } from "../../api/activites";
import { ApiError, isApiError } from "../../api/client";
import { ErrorAlert } from "../../components/ErrorAlert";
import { LoadError } from "../../components/LoadError";
import { PageLoading } from "../../components/PageLoading";
import { AUTONOMIE, BREAKDOWNS, MATERIEL, NIVEAUX, STRUCTURES_REDIRECTION, labelOf } from "../../lib/activites";
import { formatDate, formatDateTime, fullName } from "../../lib/format";
import { useAsync } from "../../lib/useAsync";
import { useTitle } from "../../lib/useTitle";
import { ConfirmButton, TypeBadge, activiteTitle, demarchesText, formatDuree, lieuText, thematiquesText } from "./common";
import { profilText } from "./ProfilAnonymeSection";

export function ActivitePage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const act = useAsync(() => getActivite(Number(id)), [id]);
  const [error, setError] = useState<ApiError | null>(null);
  const a = act.data;
  useTitle(a ? activiteTitle(a) : "Activité");
  if (act.error) return <div className="fr-container fr-my-6w"><h1>Activité</h1><LoadError error={act.error} what="l'activité" page /></div>;
  if (!a) return <PageLoading />;
  const indiv = a.type === "individuel";
  return (
    <div className="fr-container fr-my-4w">
      <Breadcrumb currentPageLabel={activiteTitle(a)} homeLinkProps={{ to: "/" }} segments={[{ label: "Mes activités", linkProps: { to: "/activites" } }]} />
      <h1 className="fr-h2">{activiteTitle(a)}</h1>
      <ErrorAlert error={error} as="h2" title="L'opération a échoué" />
      <div className="coop-actions fr-mb-3w">
        <Button linkProps={{ to: `/activites/${a.id}/modifier` }} iconId="fr-icon-edit-line">
          Modifier
        </Button>
        <Button
          type="button"
          priority="secondary"
          iconId="ri-file-copy-line"
          onClick={async () => {
            try {
              const copy = await duplicateActivite(a.id);
              navigate(`/activites/${copy.id}/modifier`, { state: { notice: "Copie créée à la date du jour : modifiez-la si besoin puis enregistrez." } });
            } catch (e) {
              setError(isApiError(e) ? e : new ApiError(0, "inconnu", "Une erreur inattendue est survenue."));
            }
          }}
        >
          Dupliquer
        </Button>
        <ConfirmButton
          size="medium"
          label="Supprimer"
          confirmLabel="Confirmer la suppression"
          question="Supprimer cette activité ? Elle restera 30 jours dans la corbeille."
          onConfirm={async () => {
            try {
              await deleteActivite(a.id);
              navigate("/activites", { state: { saved: `${activiteTitle(a)} : supprimée (restaurable depuis la corbeille pendant 30 jours).` } });
            } catch (e) {
              setError(isApiError(e) ? e : new ApiError(0, "inconnu", "Une erreur inattendue est survenue."));
            }
          }}
        />
      </div>
      <dl className="coop-dl">
        <dt>Type</dt>
        <dd>
          <TypeBadge a={a} />
        </dd>
        <dt>Date</dt>
        <dd>{formatDate(a.date)}</dd>
        <dt>Durée</dt>
        <dd>{formatDuree(a.duree)}</dd>
        <dt>Lieu</dt>
        <dd>{lieuText(a)}</dd>
        <dt>Thématiques</dt>
        <dd>{thematiquesText(a) || "—"}</dd>
        {a.demarches?.length > 0 && (
          <>
            <dt>Démarches</dt>
            <dd>{demarchesText(a)}</dd>
          </>
        )}
        <dt>Matériel</dt>
        <dd>{a.materiel?.length ? a.materiel.map(m => labelOf(MATERIEL, m)).join(", ") : "—"}</dd>
        {indiv ? (
          <>
            <dt>Bénéficiaire</dt>
            <dd>
              {a.beneficiaire && !a.beneficiaire.anonyme ? (
                <Link to={`/beneficiaires/${a.beneficiaire.id}`}>{fullName(a.beneficiaire) || "Bénéficiaire suivi"}</Link>
              ) : (
                `Anonyme${profilText(a.beneficiaire_anonyme) ? ` (${profilText(a.beneficiaire_anonyme)})` : ""}`
              )}
            </dd>
            <dt>Autonomie</dt>
            <dd>{labelOf(AUTONOMIE, a.autonomie)}</dd>
            <dt>Orientation</dt>
            <dd>{a.oriente_vers_structure ? `Oui : ${labelOf(STRUCTURES_REDIRECTION, a.structure_de_redirection)}` : "Non"}</dd>
            <dt>Lieu d'orientation</dt>
            <dd data-testid="activite-orientation">
              {a.orientation_lieu ? (
                <>
                  <Link to={`/lieux/${a.orientation_lieu.id}`}>{a.orientation_lieu.nom}</Link>
                  {a.orientation_lieu.commune ? ` — ${a.orientation_lieu.code_postal} ${a.orientation_lieu.commune}` : ""}
                  {a.orientation_services.length > 0 ? ` (${a.orientation_services.join(", ")})` : ""}
                </>
              ) : (
                "—"
              )}
            </dd>
          </>
        ) : (
          <>
            <dt>Titre de l'atelier</dt>
            <dd>{a.titre_atelier || "—"}</dd>
            <dt>Niveau</dt>
            <dd>{labelOf(NIVEAUX, a.niveau)}</dd>
            <dt>Participants suivis</dt>
            <dd>
              {a.participants?.length
                ? a.participants.map((p, i) => (
                    <span key={p.id}>
                      {i > 0 && ", "}
                      <Link to={`/beneficiaires/${p.id}`}>{fullName(p)}</Link>
                    </span>
                  ))
                : "Aucun"}
            </dd>
            <dt>Participants anonymes</dt>
            <dd>
              {a.participants_anonymes.total}
              {a.participants_anonymes.total > 0 && (
                <ul className="fr-mb-0">
                  {BREAKDOWNS.map(([key, label, options]) => {
                    const counts: Partial<Record<string, number>> = a.participants_anonymes[key];
                    return (
                      <li key={key}>
                        {label} :{" "}
                        {options
                          .filter(([c]) => (counts[c] ?? 0) > 0)
                          .map(([c, l]) => `${l} ${counts[c]}`)
                          .join(", ") || "—"}
                      </li>
                    );
                  })}
                </ul>
              )}
            </dd>
          </>
        )}
        <dt>Précisions</dt>
        <dd>{a.precisions_demarche || "—"}</dd>
        <dt>Notes</dt>
        <dd style={{ whiteSpace: "pre-wrap" }}>{a.notes || "—"}</dd>
        <dt>Tags</dt>
        <dd>{a.tags?.length ? a.tags.map(t => t.nom).join(", ") : "—"}</dd>
        <dt>Enregistrée le</dt>
        <dd>{formatDateTime(a.created_at)}</dd>
        <dt>Modifiée le</dt>
        <dd>{formatDateTime(a.updated_at)}</dd>
      </dl>
    </div>
  );
}
