import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Table } from "@codegouvfr/react-dsfr/Table";
import { useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router";
import * as endpoints from "../../api/endpoints";
import { LoadError } from "../../components/LoadError";
import { Pager, usePageParam } from "../../components/Pager";
import { formatDateTime, fullName } from "../../lib/format";
import { ALL_ROLES, ROLE_LABELS, roleLabel } from "../../lib/roles";
import { useAsync } from "../../lib/useAsync";
import { useTitle } from "../../lib/useTitle";

const PER_PAGE = 20;

export function AdminUsersPage() {
  useTitle("Utilisateurs");
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const role = params.get("role") ?? "";
  const page = usePageParam();
  const [query, setQuery] = useState(q);
  const [roleFilter, setRoleFilter] = useState(role);
  useEffect(() => {
    setQuery(q);
    setRoleFilter(role);
  }, [q, role]);
  const users = useAsync(() => endpoints.listUsers({ q, role, page, per_page: PER_PAGE }), [q, role, page]);

  return (
    <div className="fr-container fr-my-6w">
      <Breadcrumb
        currentPageLabel="Utilisateurs"
        homeLinkProps={{ to: "/" }}
        segments={[{ label: "Administration", linkProps: { to: "/admin/utilisateurs" } }]}
      />
      <div className="coop-actions fr-mb-3w" style={{ justifyContent: "space-between" }}>
        <h1 className="fr-mb-0">Utilisateurs</h1>
        <Button linkProps={{ to: "/admin/utilisateurs/nouveau" }} iconId="fr-icon-user-add-line">
          Créer un utilisateur
        </Button>
      </div>
      <form
        role="search"
        aria-label="Rechercher des utilisateurs"
        className="coop-inline-form fr-mb-3w"
        onSubmit={e => {
          e.preventDefault();
          const next: Record<string, string> = {};
          if (query.trim()) next.q = query.trim();
          if (roleFilter) next.role = roleFilter;
          setParams(next);
        }}
      >
        <Input
          label="Nom ou adresse e-mail"
          nativeInputProps={{ id: "recherche-utilisateurs", type: "search", name: "q", value: query, onChange: e => setQuery(e.target.value) }}
        />
        <Select label="Rôle" nativeSelectProps={{ id: "filtre-role", name: "role", value: roleFilter, onChange: e => setRoleFilter(e.target.value) }}>
          <option value="">Tous les rôles</option>
          {ALL_ROLES.map(r => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </Select>
        <Button type="submit" iconId="fr-icon-search-line">
          Rechercher
        </Button>
      </form>
      {users.error ? (
        <LoadError error={users.error} what="les utilisateurs" />
      ) : !users.data ? (
        <p role="status">Chargement des utilisateurs…</p>
      ) : users.data.items.length === 0 ? (
        <Alert severity="info" small description="Aucun utilisateur ne correspond à cette recherche." />
      ) : (
        <>
          <p role="status">
            {users.data.total} utilisateur{users.data.total > 1 ? "s" : ""}
            {users.data.total > PER_PAGE ? ` – page ${page} sur ${Math.ceil(users.data.total / PER_PAGE)}` : ""}
          </p>
          <Table
            caption="Liste des utilisateurs"
            noCaption
            headers={["Nom", "E-mail", "Rôles", "Dernière connexion", "État"]}
            data={users.data.items.map(u => [
              <Link key="n" to={`/admin/utilisateurs/${u.id}`}>
                {fullName(u) || "(sans nom)"}
              </Link>,
              u.email,
              u.roles.length ? u.roles.map(roleLabel).join(", ") : "—",
              formatDateTime(u.last_login_at),
              u.disabled ? (
                <Badge key="e" severity="error" small noIcon>
                  Désactivé
                </Badge>
              ) : !u.email_confirme ? (
                <Badge key="e" severity="warning" small noIcon>
                  Adresse à confirmer
                </Badge>
              ) : (
                <Badge key="e" severity="success" small noIcon>
                  Actif
                </Badge>
              )
            ])}
          />
          <Pager total={users.data.total} perPage={PER_PAGE} />
        </>
      )}
    </div>
  );
}
