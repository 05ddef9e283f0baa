import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useState } from "react";
import { useParams } from "react-router";
import { ApiError, isApiError } from "../../api/client";
import * as endpoints from "../../api/endpoints";
import { ErrorAlert } from "../../components/ErrorAlert";
import { LoadError } from "../../components/LoadError";
import { MODELE_LABELS, STATUT_LABELS, STATUT_SEVERITY } from "../../lib/courriels";
import { formatDateTime } from "../../lib/format";
import { useAsync } from "../../lib/useAsync";
import { useTitle } from "../../lib/useTitle";

/** One mail of the outbox: its text, its HTML (in a sandboxed frame: no script, no same origin), « Renvoyer ». */
export function AdminCourrielPage() {
  useTitle("Courriel");
  const id = Number(useParams().id);
  const courriel = useAsync(() => endpoints.getCourriel(id), [id]);
  const [error, setError] = useState<ApiError | null>(null);
  const [resent, setResent] = useState(false);
  const [busy, setBusy] = useState(false);
  const resend = async () => {
    setError(null);
    setBusy(true);
    try {
      await endpoints.resendCourriel(id);
      setResent(true);
      courriel.reload();
    } catch (e) {
      setError(isApiError(e) ? e : new ApiError(0, "inconnu", "Une erreur inattendue est survenue."));
    } finally {
      setBusy(false);
    }
  };
  const c = courriel.data;
  return (
    <div className="fr-container fr-my-6w">
      <Breadcrumb
        currentPageLabel={c ? c.sujet : "Courriel"}
        homeLinkProps={{ to: "/" }}
        segments={[
          { label: "Administration", linkProps: { to: "/admin/utilisateurs" } },
          { label: "Courriels", linkProps: { to: "/admin/courriels" } }
        ]}
      />
      {courriel.error ? (
        <LoadError error={courriel.error} what="le courriel" page />
      ) : !c ? (
        <p role="status">Chargement du courriel…</p>
      ) : (
        <>
          <h1>{c.sujet}</h1>
          {resent && (
            <Alert severity="success" small role="status" className="fr-mb-3w" description="Le courriel est de nouveau en attente d'envoi." />
          )}
          <ErrorAlert error={error} title="Le courriel n'a pas été renvoyé" as="h2" />
          <dl className="coop-dl">
            <dt>Destinataire</dt>
            <dd className="coop-break">{c.destinataire}</dd>
            <dt>Modèle</dt>
            <dd>{MODELE_LABELS[c.modele] ?? c.modele}</dd>
            <dt>Statut</dt>
            <dd>
              <Badge severity={STATUT_SEVERITY[c.statut]} small noIcon>
                {STATUT_LABELS[c.statut] ?? c.statut}
              </Badge>
            </dd>
            <dt>Créé le</dt>
            <dd>{formatDateTime(c.created_at)}</dd>
            <dt>Essais</dt>
            <dd>{c.essais}</dd>
            {c.statut === "en_attente" && (
              <>
                <dt>Prochain essai</dt>
                <dd>{formatDateTime(c.prochain_essai_at)}</dd>
              </>
            )}
            <dt>Envoyé le</dt>
            <dd>{c.envoye_at ? formatDateTime(c.envoye_at) : "—"}</dd>
            <dt>Dernière erreur</dt>
            <dd className="coop-break">{c.derniere_erreur || "—"}</dd>
          </dl>
          {c.statut === "abandonne" && (
            <Button className="fr-mb-4w" iconId="fr-icon-mail-line" onClick={resend} disabled={busy}>
              {busy ? "Envoi…" : "Renvoyer"}
            </Button>
          )}
          <h2>Version HTML</h2>
          <iframe
            title={`Version HTML du courriel « ${c.sujet} »`}
            sandbox=""
            srcDoc={c.html}
            className="coop-courriel-html fr-mb-4w"
          />
          <h2>Version texte</h2>
          <pre className="coop-courriel-texte">{c.texte}</pre>
        </>
      )}
    </div>
  );
}
