import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { ApiError, isApiError } from "../api/client";
import * as endpoints from "../api/endpoints";
import { useSession } from "../auth/AuthContext";
import { useTitle } from "../lib/useTitle";

function problem(error: ApiError): { title: string; text: string } {
  switch (error.code) {
    case "changement_inconnu":
      return { title: "Lien introuvable", text: "Ce lien de confirmation n'est pas valide. Vérifiez que vous avez copié le lien en entier." };
    case "changement_utilise":
      return { title: "Lien déjà utilisé", text: "Cette adresse a déjà été confirmée. Connectez-vous avec votre nouvelle adresse e-mail." };
    case "changement_expire":
      return { title: "Lien expiré ou annulé", text: "Ce lien n'est plus valable (24 heures, ou demande annulée). Refaites la demande depuis « Mon compte »." };
    case "doublon":
      return { title: "Adresse déjà utilisée", text: error.message };
  }
  return { title: "La confirmation a échoué", text: error.message };
}

/** The link of the mail sent to a new address: one click confirms it (no session needed). */
export function ConfirmEmailPage() {
  useTitle("Confirmer ma nouvelle adresse e-mail");
  const token = useParams().token ?? "";
  const { me, setMe } = useSession();
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await endpoints.confirmEmailChange(token);
      setDone(r.email);
      if (me) setMe(await endpoints.getMe());
    } catch (e) {
      setError(isApiError(e) ? e : new ApiError(0, "inconnu", "Une erreur inattendue est survenue."));
    } finally {
      setBusy(false);
    }
  };
  const p = error && problem(error);
  return (
    <div className="fr-container fr-my-6w coop-form-narrow">
      <h1>Confirmer ma nouvelle adresse e-mail</h1>
      {done ? (
        <Alert
          severity="success"
          title="Adresse e-mail confirmée"
          description={`Votre compte utilise désormais l'adresse ${done}. Elle vous sert d'identifiant de connexion.`}
          role="status"
        />
      ) : (
        <>
          {p && <Alert severity="error" title={p.title} description={p.text} className="fr-mb-3w" as="h2" />}
          <p>Confirmez que cette boîte aux lettres est bien la vôtre : l'adresse e-mail de votre compte Coop sera remplacée par celle qui a reçu ce lien.</p>
          <Button onClick={confirm} disabled={busy}>
            {busy ? "Confirmation…" : "Confirmer ma nouvelle adresse"}
          </Button>
        </>
      )}
      {done && (
        <p className="fr-mt-3w">
          <Link className="fr-link" to={me ? "/compte" : "/connexion"}>
            {me ? "Retour à « Mon compte »" : "Se connecter"}
          </Link>
        </p>
      )}
    </div>
  );
}
