import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { PasswordInput } from "@codegouvfr/react-dsfr/blocks/PasswordInput";
import { useCallback } from "react";
import { useNavigate, useParams } from "react-router";
import type { ApiError } from "../api/client";
import * as endpoints from "../api/endpoints";
import type { Invitation } from "../api/types";
import { useSession } from "../auth/AuthContext";
import { ErrorAlert } from "../components/ErrorAlert";
import { PageLoading } from "../components/PageLoading";
import { formatDateTime, fullName } from "../lib/format";
import { roleLabel } from "../lib/roles";
import { useAsync } from "../lib/useAsync";
import { useForm } from "../lib/useForm";
import { useTitle } from "../lib/useTitle";
import * as v from "../lib/validation";

type Values = { nom: string; prenom: string; telephone: string; password: string; confirmation: string };

function invitationProblem(error: ApiError): { title: string; text: string } {
  switch (error.code) {
    case "invitation_expiree":
      return { title: "Invitation expirée", text: "Cette invitation a expiré. Demandez à la personne qui vous a invité de vous en envoyer une nouvelle." };
    case "invitation_utilisee":
      return { title: "Invitation déjà utilisée", text: "Cette invitation a déjà été acceptée. Si c'est vous qui l'avez acceptée, connectez-vous avec votre adresse e-mail et votre mot de passe." };
    case "invitation_inconnue":
      return { title: "Invitation introuvable", text: "Ce lien d'invitation n'est pas valide. Vérifiez que vous avez copié le lien en entier, ou demandez une nouvelle invitation." };
  }
  if (error.status === 404) return invitationProblem({ ...error, code: "invitation_inconnue" } as ApiError);
  if (error.status === 410) return { title: "Invitation expirée ou déjà utilisée", text: error.message };
  return { title: "Impossible d'afficher l'invitation", text: error.message };
}

function AcceptForm({ token, invitation }: { token: string; invitation: Invitation }) {
  const { setMe } = useSession();
  const navigate = useNavigate();
  const validate = useCallback(
    (values: Values) => ({
      nom: v.required(values.nom, "Le nom est obligatoire."),
      prenom: v.required(values.prenom, "Le prénom est obligatoire."),
      telephone: v.telephone(values.telephone),
      password: v.password(values.password),
      confirmation: v.confirmation(values.confirmation, values.password)
    }),
    []
  );
  const form = useForm<Values>({ nom: "", prenom: "", telephone: "", password: "", confirmation: "" }, validate);
  const submit = form.handleSubmit(async values => {
    const me = await endpoints.acceptInvitation(token, {
      nom: values.nom.trim(),
      prenom: values.prenom.trim(),
      telephone: values.telephone.trim(),
      password: values.password
    });
    setMe(me);
    navigate("/", { replace: true });
  });
  const pwdError = form.errorFor("password");
  const confError = form.errorFor("confirmation");
  const problem = form.error && (form.error.status === 404 || form.error.status === 410) ? invitationProblem(form.error) : null;
  return (
    <form onSubmit={submit} noValidate aria-labelledby="titre-creation-compte">
      <h2 id="titre-creation-compte" className="fr-h4">
        Créer mon compte
      </h2>
      {problem ? (
        <Alert severity="error" title={problem.title} description={problem.text} className="fr-mb-3w" />
      ) : (
        <ErrorAlert error={form.error} title="Votre compte n'a pas été créé" extra={form.unboundServerErrors(["nom", "prenom", "telephone", "password", "confirmation"])} />
      )}
      <Input label="Adresse e-mail" hintText="C'est votre identifiant de connexion." disabled nativeInputProps={{ id: "invitation-email", value: invitation.email, readOnly: true }} />
      <Input label="Nom" {...form.fieldState("nom")} nativeInputProps={{ ...form.bind("nom"), id: "invitation-nom", autoComplete: "family-name" }} />
      <Input label="Prénom" {...form.fieldState("prenom")} nativeInputProps={{ ...form.bind("prenom"), id: "invitation-prenom", autoComplete: "given-name" }} />
      <Input
        label="Téléphone (facultatif)"
        hintText="Exemple : 06 12 34 56 78"
        {...form.fieldState("telephone")}
        nativeInputProps={{ ...form.bind("telephone"), id: "invitation-telephone", type: "tel", autoComplete: "tel" }}
      />
      <p className="fr-text--sm">
        Vous avez déjà un compte Coop avec cette adresse e-mail ? Saisissez son mot de passe actuel : le
        nouveau rôle sera ajouté à votre compte.
      </p>
      <PasswordInput
        label="Mot de passe"
        messagesHint="Votre mot de passe doit contenir :"
        messages={[
          pwdError
            ? { severity: "error", message: pwdError }
            : { severity: form.values.password.length >= v.MIN_PASSWORD_LENGTH ? "valid" : "info", message: `au moins ${v.MIN_PASSWORD_LENGTH} caractères` }
        ]}
        nativeInputProps={{ ...form.bind("password"), id: "invitation-password", autoComplete: "new-password" }}
      />
      <PasswordInput
        label="Confirmation du mot de passe"
        messagesHint=""
        messages={confError ? [{ severity: "error", message: confError }] : []}
        nativeInputProps={{ ...form.bind("confirmation"), id: "invitation-confirmation", autoComplete: "new-password" }}
      />
      <Button type="submit" disabled={form.submitting}>
        {form.submitting ? "Création du compte…" : "Accepter l'invitation et créer mon compte"}
      </Button>
    </form>
  );
}

export function InvitationPage() {
  useTitle("Invitation");
  const { token = "" } = useParams();
  const invitation = useAsync(() => endpoints.getInvitation(token), [token]);
  if (invitation.loading && !invitation.data && !invitation.error) return <PageLoading label="Chargement de l'invitation…" />;
  return (
    <div className="fr-container fr-my-6w">
      <div className="fr-grid-row fr-grid-row--center">
        <div className="fr-col-12 fr-col-md-8 fr-col-lg-7">
          <h1>Invitation à rejoindre Coop</h1>
          {invitation.error ? (
            (() => {
              const p = invitationProblem(invitation.error);
              return (
                <>
                  <Alert severity="error" as="h2" title={p.title} description={p.text} className="fr-mb-3w" id="invitation-erreur" />
                  <Button linkProps={{ to: "/connexion" }} priority="secondary">
                    Aller à la page de connexion
                  </Button>
                </>
              );
            })()
          ) : invitation.data ? (
            <>
              <div className="fr-callout fr-mb-4w">
                <p className="fr-callout__text" id="invitation-resume">
                  <strong>{fullName(invitation.data.invited_by) || "Un membre de Coop"}</strong> vous invite à rejoindre
                  Coop en tant que{" "}
                  <strong>
                    {roleLabel({ role: invitation.data.role, structure_id: invitation.data.structure_id, conseiller_numerique: invitation.data.conseiller_numerique }).toLowerCase()}
                  </strong>
                  {invitation.data.structure_nom && (
                    <>
                      {" "}
                      pour la structure <strong>{invitation.data.structure_nom}</strong>
                    </>
                  )}
                  .
                </p>
                <p className="fr-text--sm fr-mb-0">
                  Invitation adressée à {invitation.data.email}, valable jusqu'au {formatDateTime(invitation.data.expires_at)}.
                </p>
              </div>
              <AcceptForm token={token} invitation={invitation.data} />
            </>
          ) : null}
        </div>
      </div>
    </div>
  );
}
