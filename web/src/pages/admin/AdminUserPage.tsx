import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useCallback, useState } from "react";
import { useLocation, useParams } from "react-router";
import { ApiError, isApiError } from "../../api/client";
import * as endpoints from "../../api/endpoints";
import type { Role, User } from "../../api/types";
import { useMe } from "../../auth/AuthContext";
import { ErrorAlert } from "../../components/ErrorAlert";
import { LoadError } from "../../components/LoadError";
import { PageLoading } from "../../components/PageLoading";
import { RolesEditor, gestionnaireMissingStructure } from "../../components/RolesEditor";
import { formatDateTime, fullName } from "../../lib/format";
import { roleLabel } from "../../lib/roles";
import { useAsync } from "../../lib/useAsync";
import { useForm } from "../../lib/useForm";
import { useTitle } from "../../lib/useTitle";
import * as v from "../../lib/validation";

type Values = { nom: string; prenom: string; telephone: string; email: string };

function ProfileSection({ user, onSaved }: { user: User; onSaved: (u: User) => void }) {
  const [saved, setSaved] = useState(false);
  const validate = useCallback(
    (values: Values) => ({
      nom: v.required(values.nom, "Le nom est obligatoire."),
      prenom: v.required(values.prenom, "Le prénom est obligatoire."),
      telephone: v.telephone(values.telephone),
      email: v.email(values.email)
    }),
    []
  );
  const form = useForm<Values>({ nom: user.nom ?? "", prenom: user.prenom ?? "", telephone: user.telephone ?? "", email: user.email }, validate);
  const submit = form.handleSubmit(async values => {
    setSaved(false);
    const u = await endpoints.updateUser(user.id, {
      nom: values.nom.trim(),
      prenom: values.prenom.trim(),
      telephone: values.telephone.trim(),
      email: values.email.trim()
    });
    onSaved(u);
    setSaved(true);
  });
  return (
    <form onSubmit={submit} noValidate aria-labelledby="titre-identite" className="coop-form-narrow">
      <h2 id="titre-identite" className="fr-h4">
        Identité
      </h2>
      {saved && <Alert severity="success" small role="status" description="Les informations ont été enregistrées." className="fr-mb-2w" />}
      <ErrorAlert error={form.error} title="Les informations n'ont pas été enregistrées" extra={form.unboundServerErrors(["nom", "prenom", "telephone", "email"])} />
      <Input label="Nom" {...form.fieldState("nom")} nativeInputProps={{ ...form.bind("nom"), id: "utilisateur-nom" }} />
      <Input label="Prénom" {...form.fieldState("prenom")} nativeInputProps={{ ...form.bind("prenom"), id: "utilisateur-prenom" }} />
      <Input label="Téléphone (facultatif)" {...form.fieldState("telephone")} nativeInputProps={{ ...form.bind("telephone"), id: "utilisateur-telephone", type: "tel" }} />
      <Input label="Adresse e-mail" {...form.fieldState("email")} nativeInputProps={{ ...form.bind("email"), id: "utilisateur-email", type: "email" }} />
      <Button type="submit" disabled={form.submitting}>
        Enregistrer l'identité
      </Button>
    </form>
  );
}

function RolesSection({ user, onSaved }: { user: User; onSaved: (u: User) => void }) {
  const [roles, setRoles] = useState<Role[]>(user.roles);
  const [wanted, setWanted] = useState(false);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [tried, setTried] = useState(false);
  const missing = gestionnaireMissingStructure(roles, wanted);
  return (
    <form
      noValidate
      aria-labelledby="titre-roles"
      onSubmit={async e => {
        e.preventDefault();
        setTried(true);
        setSaved(false);
        if (missing) return;
        setBusy(true);
        setError(null);
        try {
          const u = await endpoints.setUserRoles(user.id, roles);
          setRoles(u.roles);
          setWanted(false);
          onSaved(u);
          setSaved(true);
        } catch (err) {
          setError(isApiError(err) ? err : new ApiError(0, "inconnu", "Une erreur inattendue est survenue."));
        } finally {
          setBusy(false);
        }
      }}
    >
      <h2 id="titre-roles" className="fr-h4">
        Rôles
      </h2>
      {saved && <Alert severity="success" small role="status" description="Les rôles ont été enregistrés. L'utilisateur en est informé en direct." className="fr-mb-2w" id="roles-enregistres" />}
      <ErrorAlert error={error} title="Les rôles n'ont pas été enregistrés" extra={error ? Object.values(error.fields) : []} />
      <RolesEditor
        idPrefix="utilisateur"
        roles={roles}
        onChange={r => {
          setRoles(r);
          setSaved(false);
        }}
        gestionnaireWanted={wanted}
        onGestionnaireWanted={setWanted}
        error={tried && missing ? "Choisissez la structure gérée." : undefined}
      />
      <Button type="submit" disabled={busy}>
        {busy ? "Enregistrement…" : "Enregistrer les rôles"}
      </Button>
    </form>
  );
}

function AccountStateSection({ user, onSaved, isSelf }: { user: User; onSaved: (u: User) => void; isSelf: boolean }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const apply = async (disabled: boolean) => {
    setBusy(true);
    setError(null);
    try {
      onSaved(await endpoints.updateUser(user.id, { disabled }));
      setConfirming(false);
    } catch (err) {
      setError(isApiError(err) ? err : new ApiError(0, "inconnu", "Une erreur inattendue est survenue."));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="titre-etat" className="coop-section">
      <h2 id="titre-etat" className="fr-h4">
        État du compte
      </h2>
      <ErrorAlert error={error} />
      {user.disabled ? (
        <>
          <p>Ce compte est désactivé : la personne ne peut plus se connecter.</p>
          <Button priority="secondary" onClick={() => apply(false)} disabled={busy}>
            Réactiver le compte
          </Button>
        </>
      ) : isSelf ? (
        <p>Vous ne pouvez pas désactiver votre propre compte.</p>
      ) : confirming ? (
        <div role="group" aria-labelledby="confirmer-desactivation">
          <p id="confirmer-desactivation">
            Désactiver le compte de {fullName(user) || user.email} ? La personne sera déconnectée et ne pourra plus se connecter.
          </p>
          <div className="coop-actions">
            <Button onClick={() => apply(true)} disabled={busy} iconId="fr-icon-close-circle-line">
              Confirmer la désactivation
            </Button>
            <Button priority="secondary" onClick={() => setConfirming(false)}>
              Annuler
            </Button>
          </div>
        </div>
      ) : (
        <Button priority="secondary" iconId="fr-icon-close-circle-line" onClick={() => setConfirming(true)}>
          Désactiver le compte
        </Button>
      )}
    </section>
  );
}

export function AdminUserPage() {
  const { id } = useParams();
  const userId = Number(id);
  const me = useMe();
  const location = useLocation();
  const user = useAsync(() => endpoints.getUser(userId), [userId]);
  useTitle(user.data ? `${fullName(user.data) || user.data.email} – Utilisateurs` : "Utilisateur");
  if (user.error) {
    return (
      <div className="fr-container fr-my-6w">
        <h1>Utilisateur</h1>
        <LoadError error={user.error} what="l'utilisateur" />
      </div>
    );
  }
  const u = user.data;
  if (!u) return <PageLoading />;
  const onSaved = (next: User) => user.setData(() => next);
  const created = (location.state as { created?: boolean } | null)?.created;
  return (
    <div className="fr-container fr-my-6w">
      <Breadcrumb
        currentPageLabel={fullName(u) || u.email}
        homeLinkProps={{ to: "/" }}
        segments={[
          { label: "Administration", linkProps: { to: "/admin/utilisateurs" } },
          { label: "Utilisateurs", linkProps: { to: "/admin/utilisateurs" } }
        ]}
      />
      <h1>
        {fullName(u) || u.email}{" "}
        {u.disabled && (
          <Badge as="span" severity="error" noIcon>
            Désactivé
          </Badge>
        )}
      </h1>
      {created && <Alert severity="success" small role="status" description="Le compte a été créé." className="fr-mb-3w" />}
      <dl className="coop-dl">
        <dt>Adresse e-mail</dt>
        <dd>{u.email}</dd>
        <dt>Rôles</dt>
        <dd>{u.roles.length ? u.roles.map(roleLabel).join(", ") : "Aucun"}</dd>
        <dt>Compte créé le</dt>
        <dd>{formatDateTime(u.created_at)}</dd>
        <dt>Dernière connexion</dt>
        <dd>{formatDateTime(u.last_login_at)}</dd>
      </dl>
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-lg-6">
          <RolesSection key={`roles-${u.id}`} user={u} onSaved={onSaved} />
        </div>
        <div className="fr-col-12 fr-col-lg-6">
          <ProfileSection key={`profil-${u.id}`} user={u} onSaved={onSaved} />
        </div>
      </div>
      <AccountStateSection user={u} onSaved={onSaved} isSelf={u.id === me.id} />
    </div>
  );
}
