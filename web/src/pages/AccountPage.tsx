import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { PasswordInput } from "@codegouvfr/react-dsfr/blocks/PasswordInput";
import { useCallback, useState } from "react";
import { ApiError, isApiError } from "../api/client";
import * as endpoints from "../api/endpoints";
import { useMe, useSession } from "../auth/AuthContext";
import { ErrorAlert } from "../components/ErrorAlert";
import { formatDateTime } from "../lib/format";
import { hasRole, roleLabel } from "../lib/roles";
import { useForm } from "../lib/useForm";
import { useTitle } from "../lib/useTitle";
import * as v from "../lib/validation";

type ProfileValues = { nom: string; prenom: string; telephone: string; email: string };
type PasswordValues = { current_password: string; new_password: string; confirmation: string };

function ProfileForm() {
  const me = useMe();
  const { setMe } = useSession();
  const [saved, setSaved] = useState(false);
  const [pending, setPending] = useState<string | null>(null);
  const validate = useCallback(
    (values: ProfileValues) => ({
      nom: v.required(values.nom, "Le nom est obligatoire."),
      prenom: v.required(values.prenom, "Le prénom est obligatoire."),
      telephone: v.telephone(values.telephone),
      email: v.email(values.email)
    }),
    []
  );
  const form = useForm<ProfileValues>(
    { nom: me.nom ?? "", prenom: me.prenom ?? "", telephone: me.telephone ?? "", email: me.email ?? "" },
    validate
  );
  const submit = form.handleSubmit(async values => {
    setSaved(false);
    setPending(null);
    const wanted = values.email.trim().toLowerCase();
    const updated = await endpoints.updateMe({
      nom: values.nom.trim(),
      prenom: values.prenom.trim(),
      telephone: values.telephone.trim(),
      email: values.email.trim()
    });
    setMe(updated);
    form.reset({
      nom: updated.nom ?? "",
      prenom: updated.prenom ?? "",
      telephone: updated.telephone ?? "",
      email: updated.email ?? ""
    });
    setSaved(true);
    // A new address is not applied at once: a confirmation link went to it.
    if (wanted !== updated.email && updated.changement_courriel?.nouvel_email === wanted) setPending(wanted);
  });
  return (
    <form onSubmit={submit} noValidate aria-labelledby="titre-profil" className="coop-form-narrow">
      <h2 id="titre-profil">Mes informations</h2>
      {saved && (
        <Alert
          severity="success"
          small
          role="status"
          description={
            pending
              ? `Vos informations ont été enregistrées. Pour changer d'adresse e-mail, ouvrez le lien envoyé à ${pending} (valable 24 heures) ; d'ici là, votre adresse reste ${me.email}.`
              : "Vos informations ont été enregistrées."
          }
          className="fr-mb-3w"
          id="profil-enregistre"
        />
      )}
      <ErrorAlert error={form.error} title="Vos informations n'ont pas été enregistrées" extra={form.unboundServerErrors(["nom", "prenom", "telephone", "email"])} />
      <Input label="Nom" {...form.fieldState("nom")} nativeInputProps={{ ...form.bind("nom"), id: "profil-nom", autoComplete: "family-name" }} />
      <Input label="Prénom" {...form.fieldState("prenom")} nativeInputProps={{ ...form.bind("prenom"), id: "profil-prenom", autoComplete: "given-name" }} />
      <Input
        label="Téléphone (facultatif)"
        hintText="Exemple : 06 12 34 56 78"
        {...form.fieldState("telephone")}
        nativeInputProps={{ ...form.bind("telephone"), id: "profil-telephone", type: "tel", autoComplete: "tel" }}
      />
      <Input
        label="Adresse e-mail"
        hintText="Elle sert d'identifiant de connexion. Une nouvelle adresse doit être confirmée par le lien qui lui est envoyé. Format attendu : nom@domaine.fr"
        {...form.fieldState("email")}
        nativeInputProps={{ ...form.bind("email"), id: "profil-email", type: "email", autoComplete: "email" }}
      />
      <Button type="submit" disabled={form.submitting} onClick={() => setSaved(false)}>
        {form.submitting ? "Enregistrement…" : "Enregistrer mes informations"}
      </Button>
    </form>
  );
}

/** The change of address waiting for its confirmation link, with « Annuler ». */
function PendingEmailChange() {
  const me = useMe();
  const { setMe } = useSession();
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const change = me.changement_courriel;
  if (!change) return null;
  const cancel = async () => {
    setBusy(true);
    setError(null);
    try {
      await endpoints.cancelEmailChange();
      setMe(await endpoints.getMe());
    } catch (e) {
      setError(isApiError(e) ? e : new ApiError(0, "inconnu", "Une erreur inattendue est survenue."));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="fr-mb-4w" id="changement-courriel">
      <Alert
        severity="info"
        as="h2"
        title="Changement d'adresse e-mail en attente"
        description={
          <>
            Un lien de confirmation a été envoyé à <strong>{change.nouvel_email}</strong> le {formatDateTime(change.created_at)}.
            Votre adresse reste {me.email} tant qu'il n'a pas été ouvert (il expire le {formatDateTime(change.expires_at)}).
          </>
        }
        className="fr-mb-2w"
      />
      <ErrorAlert error={error} title="Le changement n'a pas été annulé" />
      <Button priority="secondary" onClick={cancel} disabled={busy}>
        {busy ? "Annulation…" : "Annuler le changement d'adresse"}
      </Button>
    </section>
  );
}

/** The 14-day reminder of mediators without a recorded CRA: opt-out. */
function ReminderPreference() {
  const me = useMe();
  const { setMe } = useSession();
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  // Shown at once (the box follows the click), put back if the server refuses.
  const [checked, setChecked] = useState(me.rappels_cra ?? true);
  if (!hasRole(me, "mediateur")) return null;
  const toggle = async (value: boolean) => {
    setChecked(value);
    setError(null);
    setSaved(false);
    try {
      const updated = await endpoints.updateMe({ rappels_cra: value });
      setMe(updated);
      setChecked(updated.rappels_cra ?? value);
      setSaved(true);
    } catch (e) {
      setChecked(!value);
      setError(isApiError(e) ? e : new ApiError(0, "inconnu", "Une erreur inattendue est survenue."));
    }
  };
  return (
    <section aria-labelledby="titre-rappels" className="fr-mt-4w coop-form-narrow" id="rappels">
      <h2 id="titre-rappels">Rappels par e-mail</h2>
      <ErrorAlert error={error} title="Votre choix n'a pas été enregistré" />
      {saved && <Alert severity="success" small role="status" className="fr-mb-2w" description="Votre choix a été enregistré." />}
      <Checkbox
        options={[
          {
            label: "Me rappeler d'enregistrer mes activités",
            hintText: "Un e-mail si vous n'avez enregistré aucune activité depuis 14 jours (un seul, jusqu'à votre prochaine activité).",
            nativeInputProps: {
              name: "rappels_cra",
              checked,
              onChange: e => void toggle(e.target.checked)
            }
          }
        ]}
      />
    </section>
  );
}

function PasswordForm() {
  const [saved, setSaved] = useState(false);
  const validate = useCallback(
    (values: PasswordValues) => ({
      current_password: v.required(values.current_password, "Saisissez votre mot de passe actuel."),
      new_password: v.password(values.new_password),
      confirmation: v.confirmation(values.confirmation, values.new_password)
    }),
    []
  );
  const form = useForm<PasswordValues>({ current_password: "", new_password: "", confirmation: "" }, validate);
  const submit = form.handleSubmit(async values => {
    setSaved(false);
    await endpoints.changePassword({
      current_password: values.current_password,
      new_password: values.new_password
    });
    form.reset({ current_password: "", new_password: "", confirmation: "" });
    setSaved(true);
  });
  const msg = (key: keyof PasswordValues) => {
    const m = form.errorFor(key);
    return m ? [{ severity: "error" as const, message: m }] : [];
  };
  const newPasswordError = form.errorFor("new_password");
  return (
    <form onSubmit={submit} noValidate aria-labelledby="titre-mdp" className="coop-form-narrow">
      <h2 id="titre-mdp">Changer mon mot de passe</h2>
      {saved && (
        <Alert severity="success" small role="status" description="Votre mot de passe a été modifié." className="fr-mb-3w" />
      )}
      <ErrorAlert error={form.error} title="Le mot de passe n'a pas été modifié" extra={form.unboundServerErrors(["current_password", "new_password", "confirmation"])} />
      <PasswordInput
        label="Mot de passe actuel"
        messagesHint=""
        messages={msg("current_password")}
        nativeInputProps={{ ...form.bind("current_password"), id: "mdp-actuel", autoComplete: "current-password" }}
      />
      <PasswordInput
        label="Nouveau mot de passe"
        messagesHint="Votre mot de passe doit contenir :"
        messages={[
          {
            severity: newPasswordError ? "error" : form.values.new_password.length >= v.MIN_PASSWORD_LENGTH ? "valid" : "info",
            message: newPasswordError ?? `au moins ${v.MIN_PASSWORD_LENGTH} caractères`
          }
        ]}
        nativeInputProps={{ ...form.bind("new_password"), id: "mdp-nouveau", autoComplete: "new-password" }}
      />
      <PasswordInput
        label="Confirmation du nouveau mot de passe"
        messagesHint=""
        messages={msg("confirmation")}
        nativeInputProps={{ ...form.bind("confirmation"), id: "mdp-confirmation", autoComplete: "new-password" }}
      />
      <Button type="submit" disabled={form.submitting}>
        {form.submitting ? "Modification…" : "Modifier mon mot de passe"}
      </Button>
    </form>
  );
}

export function AccountPage() {
  useTitle("Mon compte");
  const me = useMe();
  return (
    <div className="fr-container fr-my-6w">
      <h1>Mon compte</h1>
      <dl className="coop-dl">
        <dt>Rôles</dt>
        <dd>
          {me.roles.length === 0
            ? "Aucun"
            : me.roles.map((r, i) => (
                <Badge key={i} severity="info" noIcon small as="span" className="fr-mr-1w">
                  {roleLabel(r)}
                </Badge>
              ))}
        </dd>
        <dt>Compte créé le</dt>
        <dd>{formatDateTime(me.created_at)}</dd>
        <dt>Dernière connexion</dt>
        <dd>{formatDateTime(me.last_login_at)}</dd>
      </dl>
      <PendingEmailChange />
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-lg-6">
          <ProfileForm />
        </div>
        <div className="fr-col-12 fr-col-lg-6">
          <PasswordForm />
        </div>
      </div>
      <ReminderPreference />
    </div>
  );
}
