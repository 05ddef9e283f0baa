import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { PasswordInput } from "@codegouvfr/react-dsfr/blocks/PasswordInput";
import { useCallback } from "react";
import { Link, useNavigate, useParams } from "react-router";
import * as inscription from "../../api/inscription";
import { useSession } from "../../auth/AuthContext";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useForm } from "../../lib/useForm";
import { useTitle } from "../../lib/useTitle";
import * as v from "../../lib/validation";

function probleme(code: string, message: string): { title: string; text: string } | null {
  switch (code) {
    case "lien_expire":
      return { title: "Lien expiré", text: "Ce lien de confirmation a expiré (il est valable 24 heures). Demandez-en un nouveau depuis la page de connexion." };
    case "lien_utilise":
      return { title: "Lien déjà utilisé", text: "Ce lien a déjà servi, ou un lien plus récent l'a remplacé. Connectez-vous, ou utilisez le dernier lien reçu." };
    case "lien_inconnu":
      return { title: "Lien invalide", text: "Ce lien de confirmation n'est pas valide. Vérifiez que vous avez copié le lien en entier." };
  }
  return code === "validation" ? null : { title: "Confirmation impossible", text: message };
}

export function ConfirmationPage() {
  useTitle("Confirmer mon adresse");
  const { token = "" } = useParams();
  const { setMe } = useSession();
  const navigate = useNavigate();
  const validate = useCallback((values: { password: string }) => ({ password: v.required(values.password, "Le mot de passe est obligatoire.") }), []);
  const form = useForm({ password: "" }, validate);
  const submit = form.handleSubmit(async values => {
    const me = await inscription.confirmerInscription(token, values.password);
    setMe(me);
    navigate("/inscription/parcours", { replace: true });
  });
  const p = form.error ? probleme(form.error.code, form.error.message) : null;
  const pwdError = form.errorFor("password");
  return (
    <div className="fr-container fr-my-6w">
      <div className="fr-grid-row fr-grid-row--center">
        <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
          <h1>Confirmer mon adresse e-mail</h1>
          {p ? (
            <>
              <Alert severity="error" as="h2" title={p.title} description={p.text} className="fr-mb-3w" id="confirmation-erreur" />
              <Button linkProps={{ to: "/connexion" }} priority="secondary">
                Aller à la page de connexion
              </Button>
            </>
          ) : (
            <form onSubmit={submit} noValidate aria-label="Confirmation de l'inscription">
              <p>Pour activer votre compte, saisissez le mot de passe que vous avez choisi en vous inscrivant.</p>
              <ErrorAlert error={form.error} title="Votre adresse n'a pas été confirmée" extra={form.unboundServerErrors(["password"])} />
              <PasswordInput
                label="Mot de passe"
                messagesHint=""
                messages={pwdError ? [{ severity: "error", message: pwdError }] : []}
                nativeInputProps={{ ...form.bind("password"), id: "confirmation-password", autoComplete: "current-password" }}
              />
              <Button type="submit" disabled={form.submitting}>
                {form.submitting ? "Confirmation…" : "Confirmer et continuer"}
              </Button>
            </form>
          )}
          <p className="fr-mt-4w fr-text--sm">
            <Link to="/connexion">Page de connexion</Link>
          </p>
        </div>
      </div>
    </div>
  );
}
