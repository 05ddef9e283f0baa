import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useCallback, useState } from "react";
import { Link, useLocation } from "react-router";
import * as endpoints from "../api/endpoints";
import { ErrorAlert } from "../components/ErrorAlert";
import { useForm } from "../lib/useForm";
import { useTitle } from "../lib/useTitle";
import * as v from "../lib/validation";

type Values = { email: string };

/**
 * « Mot de passe oublié » : the person gives their address and is told — whatever the address —
 * that a link has been sent if an account matches it.
 */
export function ForgotPasswordPage() {
  useTitle("Mot de passe oublié");
  const location = useLocation();
  const initialEmail = (location.state as { email?: string } | null)?.email ?? "";
  const validate = useCallback((values: Values) => ({ email: v.email(values.email) }), []);
  const form = useForm<Values>({ email: initialEmail }, validate);
  const [sent, setSent] = useState<{ email: string; message: string } | null>(null);

  const submit = form.handleSubmit(async values => {
    const email = values.email.trim();
    const r = await endpoints.requestPasswordReset({ email });
    setSent({ email, message: r.message });
  });

  return (
    <div className="fr-container fr-my-6w">
      <div className="fr-grid-row fr-grid-row--center">
        <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
          <h1>Mot de passe oublié</h1>
          {sent ? (
            <>
              <Alert
                severity="success"
                as="h2"
                title="Demande envoyée"
                description={sent.message}
                className="fr-mb-3w"
                id="mot-de-passe-oublie-envoye"
              />
              <p>
                Adresse indiquée : <strong>{sent.email}</strong>. Le lien reçu n'est valable qu'une heure et ne sert
                qu'une fois. Vous n'avez rien reçu après quelques minutes ? Vérifiez l'adresse et{" "}
                <button type="button" className="fr-link" onClick={() => setSent(null)}>
                  refaites une demande
                </button>
                .
              </p>
              <Button linkProps={{ to: "/connexion" }} priority="secondary">
                Retour à la connexion
              </Button>
            </>
          ) : (
            <>
              <p>
                Indiquez l'adresse e-mail de votre compte Coop : vous recevrez un lien pour choisir un nouveau mot de
                passe.
              </p>
              <ErrorAlert
                error={form.error && form.error.status !== 400 ? form.error : null}
                title={form.error?.status === 429 ? "Trop de demandes" : "La demande n'a pas abouti"}
                as="h2"
              />
              <form onSubmit={submit} noValidate aria-label="Mot de passe oublié">
                <Input
                  label="Adresse e-mail"
                  hintText="Format attendu : nom@domaine.fr"
                  {...form.fieldState("email")}
                  nativeInputProps={{
                    ...form.bind("email"),
                    id: "oubli-email",
                    type: "email",
                    autoComplete: "email",
                    required: true
                  }}
                />
                <Button type="submit" disabled={form.submitting}>
                  {form.submitting ? "Envoi…" : "Recevoir un lien"}
                </Button>
              </form>
              <p className="fr-mt-4w">
                <Link className="fr-link" to="/connexion">
                  Retour à la connexion
                </Link>
              </p>
            </>
          )}
        </div>
      </div>
    </div>
  );
}
