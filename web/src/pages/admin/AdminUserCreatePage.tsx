import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { PasswordInput } from "@codegouvfr/react-dsfr/blocks/PasswordInput";
import { useCallback, useState } from "react";
import { Link, useNavigate } from "react-router";
import * as endpoints from "../../api/endpoints";
import type { Role } from "../../api/types";
import { ErrorAlert } from "../../components/ErrorAlert";
import { RolesEditor, gestionnaireMissingStructure } from "../../components/RolesEditor";
import { useForm } from "../../lib/useForm";
import { useTitle } from "../../lib/useTitle";
import * as v from "../../lib/validation";

type Values = { email: string; nom: string; prenom: string; telephone: string; password: string };

export function AdminUserCreatePage() {
  useTitle("Créer un utilisateur");
  const navigate = useNavigate();
  const [roles, setRoles] = useState<Role[]>([{ role: "mediateur", structure_id: null, conseiller_numerique: false, territoire: null }]);
  const [gestionnaireWanted, setGestionnaireWanted] = useState(false);
  const validate = useCallback(
    (values: Values) => ({
      email: v.email(values.email),
      nom: v.required(values.nom, "Le nom est obligatoire."),
      prenom: v.required(values.prenom, "Le prénom est obligatoire."),
      telephone: v.telephone(values.telephone),
      password: v.password(values.password)
    }),
    []
  );
  const form = useForm<Values>({ email: "", nom: "", prenom: "", telephone: "", password: "" }, validate);
  const rolesError = gestionnaireMissingStructure(roles, gestionnaireWanted)
    ? "Choisissez la structure gérée."
    : form.serverErrors.roles;
  const submit = form.handleSubmit(async values => {
    if (gestionnaireMissingStructure(roles, gestionnaireWanted)) {
      document.querySelector<HTMLInputElement>('[name="gestionnaire_structure_id"]')?.focus();
      return;
    }
    const user = await endpoints.createUser({
      email: values.email.trim(),
      nom: values.nom.trim(),
      prenom: values.prenom.trim(),
      telephone: values.telephone.trim(),
      password: values.password,
      roles
    });
    navigate(`/admin/utilisateurs/${user.id}`, { state: { created: true } });
  });
  const passwordError = form.errorFor("password");
  return (
    <div className="fr-container fr-my-6w">
      <Breadcrumb
        currentPageLabel="Créer un utilisateur"
        homeLinkProps={{ to: "/" }}
        segments={[
          { label: "Administration", linkProps: { to: "/admin/utilisateurs" } },
          { label: "Utilisateurs", linkProps: { to: "/admin/utilisateurs" } }
        ]}
      />
      <h1>Créer un utilisateur</h1>
      <p>
        Pour qu'une personne choisisse elle-même son mot de passe, préférez une{" "}
        <Link to="/admin/invitations">invitation</Link>
        .
      </p>
      <form onSubmit={submit} noValidate className="coop-form-narrow" aria-label="Créer un utilisateur">
        <ErrorAlert as="h2" error={form.error} title="Le compte n'a pas été créé" extra={form.unboundServerErrors(["email", "nom", "prenom", "telephone", "password", "roles"])} />
        <Input label="Adresse e-mail" hintText="Format attendu : nom@domaine.fr" {...form.fieldState("email")} nativeInputProps={{ ...form.bind("email"), id: "nouvel-email", type: "email", autoComplete: "off" }} />
        <Input label="Nom" {...form.fieldState("nom")} nativeInputProps={{ ...form.bind("nom"), id: "nouvel-nom" }} />
        <Input label="Prénom" {...form.fieldState("prenom")} nativeInputProps={{ ...form.bind("prenom"), id: "nouvel-prenom" }} />
        <Input label="Téléphone (facultatif)" hintText="Exemple : 06 12 34 56 78" {...form.fieldState("telephone")} nativeInputProps={{ ...form.bind("telephone"), id: "nouvel-telephone", type: "tel" }} />
        <PasswordInput
          label="Mot de passe provisoire"
          messagesHint=""
          messages={[
            passwordError
              ? { severity: "error", message: passwordError }
              : { severity: form.values.password.length >= v.MIN_PASSWORD_LENGTH ? "valid" : "info", message: `Au moins ${v.MIN_PASSWORD_LENGTH} caractères.` }
          ]}
          nativeInputProps={{ ...form.bind("password"), id: "nouvel-password", autoComplete: "new-password" }}
        />
        <RolesEditor
          idPrefix="nouvel"
          roles={roles}
          onChange={setRoles}
          gestionnaireWanted={gestionnaireWanted}
          onGestionnaireWanted={setGestionnaireWanted}
          error={form.submitted ? rolesError : form.serverErrors.roles}
        />
        <Button type="submit" disabled={form.submitting}>
          {form.submitting ? "Création…" : "Créer le compte"}
        </Button>
      </form>
    </div>
  );
}
