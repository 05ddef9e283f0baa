import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Table } from "@codegouvfr/react-dsfr/Table";
import { useEffect, useState } from "react";
import { useSearchParams } from "react-router";
import * as endpoints from "../../api/endpoints";
import { LoadError } from "../../components/LoadError";
import { Pager, usePageParam } from "../../components/Pager";
import { formatDateTime } from "../../lib/format";
import { useAsync } from "../../lib/useAsync";
import { useTitle } from "../../lib/useTitle";

const PER_PAGE = 50;

/** French labels of the audit events the server writes (an open list: unknown ones show as is). */
const EVENT_LABELS: Record<string, string> = {
  login_succeeded: "Connexion",
  login_failed: "Échec de connexion",
  login_rate_limited: "Connexion bloquée (trop de tentatives)",
  login_refused_disabled: "Connexion refusée (compte désactivé)",
  logout: "Déconnexion",
  password_changed: "Mot de passe modifié",
  password_change_failed: "Échec de changement de mot de passe",
  email_changed: "Adresse e-mail modifiée",
  user_created: "Compte créé",
  user_disabled: "Compte désactivé",
  user_enabled: "Compte réactivé",
  roles_changed: "Rôles modifiés",
  structure_created: "Structure créée",
  structure_updated: "Structure modifiée",
  employment_created: "Contrat ajouté",
  employment_updated: "Contrat modifié",
  team_member_added: "Membre ajouté à une équipe",
  team_member_ended: "Fin de suivi d'un membre",
  team_member_resumed: "Reprise de suivi d'un membre",
  invitation_created: "Invitation créée",
  invitation_accepted: "Invitation acceptée",
  demo_loaded: "Données de démonstration chargées"
};

export function AdminAuditPage() {
  useTitle("Journal d'audit");
  const [params, setParams] = useSearchParams();
  const page = usePageParam();
  const userIdParam = params.get("user_id") ?? "";
  const [userId, setUserId] = useState(userIdParam);
  useEffect(() => setUserId(userIdParam), [userIdParam]);
  const validUser = /^\d*$/.test(userId);
  const audit = useAsync(
    () => endpoints.listAudit({ page, per_page: PER_PAGE, user_id: userIdParam ? Number(userIdParam) : undefined }),
    [page, userIdParam]
  );
  return (
    <div className="fr-container fr-my-6w">
      <Breadcrumb
        currentPageLabel="Journal d'audit"
        homeLinkProps={{ to: "/" }}
        segments={[{ label: "Administration", linkProps: { to: "/admin/utilisateurs" } }]}
      />
      <h1>Journal d'audit</h1>
      <form
        className="coop-inline-form fr-mb-3w"
        aria-label="Filtrer le journal"
        noValidate
        onSubmit={e => {
          e.preventDefault();
          if (!validUser) return;
          setParams(userId ? { user_id: userId } : {});
        }}
      >
        <Input
          label="Numéro d'utilisateur (facultatif)"
          state={validUser ? "default" : "error"}
          stateRelatedMessage={validUser ? undefined : "Saisissez un numéro (chiffres uniquement)."}
          nativeInputProps={{ id: "audit-user", name: "user_id", inputMode: "numeric", value: userId, onChange: e => setUserId(e.target.value.trim()) }}
        />
        <Button type="submit" iconId="fr-icon-filter-line">
          Filtrer
        </Button>
      </form>
      {audit.error ? (
        <LoadError error={audit.error} what="le journal" />
      ) : !audit.data ? (
        <p role="status">Chargement du journal…</p>
      ) : audit.data.items.length === 0 ? (
        <p>Aucun événement.</p>
      ) : (
        <>
          <p role="status">
            {audit.data.total} événement{audit.data.total > 1 ? "s" : ""}
            {audit.data.total > PER_PAGE ? ` – page ${page} sur ${Math.ceil(audit.data.total / PER_PAGE)}` : ""}
          </p>
          <Table
            caption="Événements du journal d'audit"
            noCaption
            headers={["Date", "Événement", "Utilisateur", "Adresse IP", "Détail"]}
            data={audit.data.items.map(a => [
              formatDateTime(a.at),
              <span key="e" title={a.event}>
                {EVENT_LABELS[a.event] ?? a.event}
              </span>,
              a.user_email || (a.user_id != null ? `n° ${a.user_id}` : "—"),
              a.ip || "—",
              a.detail ? String(a.detail) : "—"
            ])}
          />
          <Pager total={audit.data.total} perPage={PER_PAGE} />
        </>
      )}
    </div>
  );
}
