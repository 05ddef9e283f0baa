import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { PasswordInput } from "@codegouvfr/react-dsfr/blocks/PasswordInput";
import { useCallback } from "react";
import { useNavigate, useParams } from "react-router";
import type { ApiError } from "../api/client";
import * as endpoints from "../api/endpoints";
import type { PasswordResetLink } from "../api/types";
import { useSession } from "../auth/AuthContext";
import { ErrorAlert } from "../components/ErrorAlert";
import { PageLoading } from "../components/PageLoading";
import { formatDateTime } from "../lib/format";
import { useAsync } from "../lib/useAsync";
import { useForm } from "../lib/useForm";
import { useTitle } from "../lib/useTitle";
import * as v from "../lib/validation";

type Values = { password: string; confirmation: string };

/** State the log-in page reads after a reset: a success message and the address to fill in. */
export interface PasswordResetState {
  motDePasseModifie: true;
  email: string;
}

function linkProblem(error: ApiError): { title: string; text: string } {
  switch (error.code) {
    case "lien_inconnu":
      return { title: "Lien introuvable", text: error.message };
    case "lien_utilise":
      return { title: "Lien déjà utilisé", text: error.message };
    case "lien_annule":
      return { title: "Lien annulé", text: error.message };
    case "lien_expire":
      return { title: "Lien expiré", text: error.message };
    case "compte_desactive":
      return { title: "Compte désactivé", text: error.message };
    case "trop_de_tentatives":
      return { title: "Trop de tentatives", text: error.message };
  }
  return { title: "Impossible de vérifier ce lien", text: error.message };
}

const LINK_ERRORS = ["lien_inconnu", "lien_utilise", "lien_annule", "lien_expire", "compte_desactive", "trop_de_tentatives"];

function LinkProblem({ error }: { error: ApiError }) {
  const p = linkProblem(error);
  return (
    <>
      <Alert severity="error" as="h2" title={p.title} description={p.text} className="fr-mb-3w" id="reinitialisation-erreur" />
      <ul className="fr-btns-group fr-btns-group--inline-md">
        <li>
          <Button linkProps={{ to: "/mot-de-passe-oublie" }}>Demander un nouveau lien</Button>
        </li>
        <li>
          <Button linkProps={{ to: "/connexion" }} priority="secondary">
            Aller à la page de connexion
          </Button>
        </li>
      </ul>
    </>
  );
}

function ResetForm({ token, link }: { token: string; link: PasswordResetLink }) {
  const { setMe } = useSession();
  const navigate = useNavigate();
  const validate = useCallback(
    (values: Values) => ({
      password: v.password(values.password),
      confirmation: v.confirmation(values.confirmation, values.password)
    }),
    []
  );
  const form = useForm<Values>({ password: "", confirmation: "" }, validate);
  const submit = form.handleSubmit(async values => {
    const done = await endpoints.resetPassword(token, { password: values.password });
    // Every session of the account is closed, this browser's too.
    setMe(null);
    const state: PasswordResetState = { motDePasseModifie: true, email: done.email };
    navigate("/connexion", { replace: true, state });
  });
  if (form.error && LINK_ERRORS.includes(form.error.code)) return <LinkProblem error={form.error} />;
  const pwdError = form.errorFor("password");
  const confError = form.errorFor("confirmation");
  return (
    <form onSubmit={submit} noValidate aria-labelledby="titre-nouveau-mot-de-passe">
      <h2 id="titre-nouveau-mot-de-passe" className="fr-h4">
        Choisissez un nouveau mot de passe
      </h2>
      <ErrorAlert
        error={form.error}
        title="Le mot de passe n'a pas été modifié"
        extra={form.unboundServerErrors(["password", "confirmation"])}
      />
      <Input
        label="Adresse e-mail du compte"
        disabled
        nativeInputProps={{ id: "reinitialisation-email", value: link.email, readOnly: true, autoComplete: "username" }}
      />
      <PasswordInput
        label="Nouveau mot de passe"
        messagesHint="Votre mot de passe doit contenir :"
        messages={[
          pwdError
            ? { severity: "error", message: pwdError }
            : {
                severity: form.values.password.length >= v.MIN_PASSWORD_LENGTH ? "valid" : "info",
                message: `au moins ${v.MIN_PASSWORD_LENGTH} caractères`
              }
        ]}
        nativeInputProps={{ ...form.bind("password"), id: "reinitialisation-password", autoComplete: "new-password" }}
      />
      <PasswordInput
        label="Confirmation du nouveau mot de passe"
        messagesHint=""
        messages={confError ? [{ severity: "error", message: confError }] : []}
        nativeInputProps={{ ...form.bind("confirmation"), id: "reinitialisation-confirmation", autoComplete: "new-password" }}
      />
      <p className="fr-text--sm">
        Une fois le mot de passe changé, toutes les sessions ouvertes sur votre compte seront fermées : vous vous
        reconnecterez avec le nouveau mot de passe.
      </p>
      <Button type="submit" disabled={form.submitting}>
        {form.submitting ? "Enregistrement…" : "Enregistrer le nouveau mot de passe"}
      </Button>
    </form>
  );
}

export function ResetPasswordPage() {
  useTitle("Nouveau mot de passe");
  const { token = "" } = useParams();
  const link = useAsync(() => endpoints.getPasswordResetLink(token), [token]);
  if (link.loading && !link.data && !link.error) return <PageLoading label="Vérification du lien…" />;
  return (
    <div className="fr-container fr-my-6w">
      <div className="fr-grid-row fr-grid-row--center">
        <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
          <h1>Nouveau mot de passe</h1>
          {link.error ? (
            <LinkProblem error={link.error} />
          ) : link.data ? (
            <>
              <p className="fr-text--sm" id="reinitialisation-validite">
                Ce lien est valable jusqu'au {formatDateTime(link.data.expires_at)} et ne sert qu'une fois.
              </p>
              <ResetForm token={token} link={link.data} />
            </>
          ) : null}
        </div>
      </div>
    </div>
  );
}
