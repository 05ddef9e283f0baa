import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { PasswordInput } from "@codegouvfr/react-dsfr/blocks/PasswordInput";
import { useCallback, useState } from "react";
import { Link, Navigate, useLocation, useNavigate, type Location } from "react-router";
import * as endpoints from "../api/endpoints";
import { useSession } from "../auth/AuthContext";
import { useForm } from "../lib/useForm";
import { useTitle } from "../lib/useTitle";
import * as v from "../lib/validation";
import { LienEnvoye } from "./inscription/InscriptionPage";
import * as inscription from "../api/inscription";

type Values = { email: string; password: string };

function loginErrorMessage(status: number, code: string, fallback: string): { title: string; text: string } {
  if (status === 401)
    return { title: "Connexion impossible", text: "Adresse e-mail ou mot de passe incorrect." };
  if (status === 429)
    return {
      title: "Trop de tentatives",
      text: "Trop de tentatives de connexion. Pour protéger votre compte, veuillez patienter quelques minutes avant de réessayer."
    };
  if (status === 403 && code === "email_non_confirme")
    return {
      title: "Adresse e-mail à confirmer",
      text: "Votre adresse e-mail n'est pas encore confirmée : ouvrez le lien reçu par e-mail lors de votre inscription (valable 24 heures), ou demandez un nouveau lien ci-dessous."
    };
  if (status === 403 && code === "compte_desactive")
    return {
      title: "Compte désactivé",
      text: "Votre compte a été désactivé. Contactez un administrateur de Coop pour le réactiver."
    };
  return { title: "Connexion impossible", text: fallback };
}

export function LoginPage() {
  useTitle("Connexion");
  const { me, setMe, loggedOut } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const state = location.state as { from?: Location; motDePasseModifie?: boolean; email?: string } | null;
  const from = state?.from;
  // Back from « Mot de passe oublié » (ResetPasswordPage): say so, and fill in the address.
  const passwordReset = state?.motDePasseModifie === true;
  const target = from && from.pathname !== "/connexion" ? `${from.pathname}${from.search}${from.hash}` : "/";

  const validate = useCallback(
    (values: Values) => ({
      email: v.email(values.email),
      password: v.required(values.password, "Le mot de passe est obligatoire.")
    }),
    []
  );
  const form = useForm<Values>({ email: passwordReset ? (state?.email ?? "") : "", password: "" }, validate);
  const [renvoye, setRenvoye] = useState<{ email: string; message: string } | null>(null);
  const [renvoiErreur, setRenvoiErreur] = useState<string | null>(null);

  if (me) return <Navigate to={target} replace />;

  const submit = form.handleSubmit(async values => {
    const user = await endpoints.login({ email: values.email.trim(), password: values.password });
    setMe(user);
    navigate(target, { replace: true });
  });

  const err = form.error ? loginErrorMessage(form.error.status, form.error.code, form.error.message) : null;
  const passwordError = form.errorFor("password");

  return (
    <div className="fr-container fr-my-6w">
      <div className="fr-grid-row fr-grid-row--center">
        <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
          <h1>Se connecter à Coop</h1>
          {loggedOut && !form.error && (
            <Alert severity="success" small role="status" description="Vous êtes déconnecté." className="fr-mb-3w" />
          )}
          {passwordReset && !form.error && (
            <Alert
              severity="success"
              as="h2"
              title="Mot de passe modifié"
              description="Votre mot de passe a été modifié et toutes vos sessions ont été fermées. Connectez-vous avec votre nouveau mot de passe."
              className="fr-mb-3w"
              id="login-mot-de-passe-modifie"
            />
          )}
          {from && !form.error && (
            <Alert
              severity="info"
              small
              role="status"
              description="Connectez-vous pour accéder à cette page."
              className="fr-mb-3w"
            />
          )}
          {err && <Alert severity="error" as="h2" title={err.title} description={err.text} className="fr-mb-3w" id="login-error" />}
          {form.error?.code === "email_non_confirme" &&
            (renvoye ? (
              <LienEnvoye email={renvoye.email} message={renvoye.message} />
            ) : (
              <>
                {renvoiErreur && <Alert severity="error" small description={renvoiErreur} className="fr-mb-2w" />}
                <Button
                  priority="secondary"
                  className="fr-mb-3w"
                  onClick={async () => {
                    const email = form.values.email.trim().toLowerCase();
                    setRenvoiErreur(null);
                    try {
                      const r = await inscription.renvoyerLien(email);
                      setRenvoye({ email, message: r.message });
                    } catch (e) {
                      setRenvoiErreur(e instanceof Error ? e.message : "Le lien n'a pas pu être renvoyé.");
                    }
                  }}
                >
                  Renvoyer le lien de confirmation
                </Button>
              </>
            ))}
          <form onSubmit={submit} noValidate aria-label="Connexion">
            <fieldset className="fr-fieldset">
              <legend className="fr-fieldset__legend">
                <span className="fr-text--regular">Tous les champs sont obligatoires.</span>
              </legend>
              <div className="fr-fieldset__element">
                <Input
                  label="Adresse e-mail"
                  hintText="Format attendu : nom@domaine.fr"
                  {...form.fieldState("email")}
                  nativeInputProps={{
                    ...form.bind("email"),
                    id: "login-email",
                    type: "email",
                    autoComplete: "email",
                    required: true
                  }}
                />
              </div>
              <div className="fr-fieldset__element">
                <PasswordInput
                  label="Mot de passe"
                  messagesHint=""
                  messages={passwordError ? [{ severity: "error", message: passwordError }] : []}
                  nativeInputProps={{
                    ...form.bind("password"),
                    id: "login-password",
                    autoComplete: "current-password",
                    required: true
                  }}
                />
              </div>
            </fieldset>
            <p className="fr-mb-3w">
              <Link className="fr-link" to="/mot-de-passe-oublie" state={{ email: form.values.email.trim() }}>
                Mot de passe oublié ?
              </Link>
            </p>
            <Button type="submit" disabled={form.submitting}>
              {form.submitting ? "Connexion…" : "Se connecter"}
            </Button>
          </form>
          <p className="fr-mt-4w fr-text--sm">
            Vous n'avez pas encore de compte ? <Link to="/inscription">Créer un compte</Link> (vous avez reçu une
            invitation ? suivez son lien, ou inscrivez-vous avec la même adresse).
          </p>
        </div>
      </div>
    </div>
  );
}
