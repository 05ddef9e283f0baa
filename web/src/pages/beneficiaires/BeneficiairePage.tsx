import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useState } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router";
import { eraseBeneficiaire, exportBeneficiaireUrl, getBeneficiaire } from "../../api/activites";
import { ApiError, isApiError } from "../../api/client";
import { ErrorAlert } from "../../components/ErrorAlert";
import { LoadError } from "../../components/LoadError";
import { PageLoading } from "../../components/PageLoading";
import { CHAMPS_BENEFICIAIRE, valeurBeneficiaire } from "../../lib/beneficiaires";
import { formatDate, fullName } from "../../lib/format";
import { useAsync } from "../../lib/useAsync";
import { useTitle } from "../../lib/useTitle";
import { ConfirmButton, TypeBadge, formatDuree } from "../activites/common";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { THEMATIQUES, labelOf } from "../../lib/activites";

export function BeneficiairePage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const b = useAsync(() => getBeneficiaire(Number(id)), [id]);
  const [error, setError] = useState<ApiError | null>(null);
  const message = (location.state as { message?: string } | null)?.message;
  const name = b.data ? fullName(b.data) || "(sans nom)" : "Bénéficiaire";
  useTitle(name);
  if (b.error) return <div className="fr-container fr-my-6w"><h1>Bénéficiaire</h1><LoadError error={b.error} what="le bénéficiaire" page /></div>;
  if (!b.data) return <PageLoading />;
  const x = b.data;
  const activites = x.activites;
  return (
    <div className="fr-container fr-my-4w">
      <Breadcrumb currentPageLabel={name} homeLinkProps={{ to: "/" }} segments={[{ label: "Bénéficiaires", linkProps: { to: "/beneficiaires" } }]} />
      <h1>{name}</h1>
      {message && <Alert severity="success" small role="status" description={message} className="fr-mb-3w" />}
      <ErrorAlert error={error} as="h2" title="L'opération a échoué" />
      <div className="coop-actions fr-mb-3w">
        <Button linkProps={{ to: `/beneficiaires/${x.id}/modifier` }} iconId="fr-icon-edit-line">
          Modifier
        </Button>
        <Button priority="secondary" linkProps={{ to: `/activites?beneficiaire=${x.id}` }} iconId="fr-icon-list-unordered">
          Voir ses activités
        </Button>
        <a className="fr-btn fr-btn--secondary fr-icon-download-line fr-btn--icon-left" href={exportBeneficiaireUrl(x.id)} download={`beneficiaire-${x.id}.json`}>
          Exporter ses données (RGPD)
        </a>
        <ConfirmButton
          size="medium"
          iconId="fr-icon-eraser-line"
          label="Effacer cette personne (RGPD)"
          confirmLabel="Effacer définitivement"
          question="Effacer définitivement les données de cette personne ? Ses accompagnements restent, anonymisés. Cette action est irréversible."
          onConfirm={async () => {
            try {
              await eraseBeneficiaire(x.id);
              navigate("/beneficiaires", { state: { message: `Les données de ${name} ont été effacées ; ses accompagnements sont conservés de façon anonyme.` } });
            } catch (e) {
              setError(isApiError(e) ? e : new ApiError(0, "inconnu", "Une erreur inattendue est survenue."));
            }
          }}
        />
      </div>
      <dl className="coop-dl">
        {CHAMPS_BENEFICIAIRE.map(([key, label]) => (
          <div key={key} style={{ display: "contents" }}>
            <dt>{label}</dt>
            <dd>{valeurBeneficiaire(x, key) || "—"}</dd>
          </div>
        ))}
      </dl>
      <section aria-labelledby="titre-historique" className="coop-section">
        <h2 id="titre-historique" className="fr-h4">
          Historique des accompagnements ({x.nombre_accompagnements ?? activites.length})
        </h2>
        {activites.length === 0 ? (
          <p>Aucun accompagnement enregistré pour cette personne.</p>
        ) : (
          <ul className="coop-cards" aria-label="Accompagnements">
            {activites.map(a => (
              <li key={a.id} className="coop-card">
                <p className="fr-mb-1w">
                  <Link to={`/activites/${a.id}`}>{formatDate(a.date)}</Link> · <TypeBadge a={a} /> · {formatDuree(a.duree)}
                  {a.premier_accompagnement && (
                    <Badge small noIcon severity="success" as="span" className="fr-ml-1w">
                      Premier accompagnement
                    </Badge>
                  )}
                </p>
                <p className="fr-text--sm fr-mb-0">{a.thematiques.map(t => labelOf(THEMATIQUES, t)).join(", ")}</p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
