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
import { MODELE_LABELS, STATUT_LABELS, STATUT_SEVERITY } from "../../lib/courriels";
import { formatDateTime } from "../../lib/format";
import { useAsync } from "../../lib/useAsync";
import { useTitle } from "../../lib/useTitle";

const PER_PAGE = 20;

/** The outbox: every mail Coop sent, is sending or gave up (docs/operations.md). */
export function AdminCourrielsPage() {
  useTitle("Courriels");
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const statut = params.get("statut") ?? "";
  const modele = params.get("modele") ?? "";
  const page = usePageParam();
  const [query, setQuery] = useState(q);
  const [statutFilter, setStatutFilter] = useState(statut);
  const [modeleFilter, setModeleFilter] = useState(modele);
  useEffect(() => {
    setQuery(q);
    setStatutFilter(statut);
    setModeleFilter(modele);
  }, [q, statut, modele]);
  const courriels = useAsync(
    () => endpoints.listCourriels({ q, statut, modele, page, per_page: PER_PAGE }),
    [q, statut, modele, page]
  );
  return (
    <div className="fr-container fr-my-6w">
      <Breadcrumb
        currentPageLabel="Courriels"
        homeLinkProps={{ to: "/" }}
        segments={[{ label: "Administration", linkProps: { to: "/admin/utilisateurs" } }]}
      />
      <h1>Courriels</h1>
      <p>
        Les courriels envoyés par Coop, ceux en attente d'envoi (ou de nouvel essai) et ceux abandonnés après trop
        d'échecs. Sans serveur SMTP configuré, ils restent en attente et se lisent ici.
      </p>
      <form
        role="search"
        aria-label="Rechercher des courriels"
        className="coop-inline-form fr-mb-3w"
        onSubmit={e => {
          e.preventDefault();
          const next: Record<string, string> = {};
          if (query.trim()) next.q = query.trim();
          if (statutFilter) next.statut = statutFilter;
          if (modeleFilter) next.modele = modeleFilter;
          setParams(next);
        }}
      >
        <Input
          label="Destinataire"
          nativeInputProps={{ id: "recherche-courriels", type: "search", name: "q", value: query, onChange: e => setQuery(e.target.value) }}
        />
        <Select label="Statut" nativeSelectProps={{ id: "filtre-statut", name: "statut", value: statutFilter, onChange: e => setStatutFilter(e.target.value) }}>
          <option value="">Tous les statuts</option>
          {Object.entries(STATUT_LABELS).map(([k, label]) => (
            <option key={k} value={k}>
              {label}
            </option>
          ))}
        </Select>
        <Select label="Modèle" nativeSelectProps={{ id: "filtre-modele", name: "modele", value: modeleFilter, onChange: e => setModeleFilter(e.target.value) }}>
          <option value="">Tous les modèles</option>
          {Object.entries(MODELE_LABELS).map(([k, label]) => (
            <option key={k} value={k}>
              {label}
            </option>
          ))}
        </Select>
        <Button type="submit" iconId="fr-icon-search-line">
          Rechercher
        </Button>
      </form>
      {courriels.error ? (
        <LoadError error={courriels.error} what="les courriels" />
      ) : !courriels.data ? (
        <p role="status">Chargement des courriels…</p>
      ) : courriels.data.items.length === 0 ? (
        <Alert severity="info" small description="Aucun courriel ne correspond à cette recherche." />
      ) : (
        <>
          <p role="status">
            {courriels.data.total} courriel{courriels.data.total > 1 ? "s" : ""}
            {courriels.data.total > PER_PAGE ? ` – page ${page} sur ${Math.ceil(courriels.data.total / PER_PAGE)}` : ""}
          </p>
          <Table
            caption="Liste des courriels"
            noCaption
            headers={["Créé le", "Destinataire", "Sujet", "Modèle", "Statut", "Essais", "Envoyé le", "Dernière erreur"]}
            data={courriels.data.items.map(c => [
              formatDateTime(c.created_at),
              <span key="d" className="coop-break">{c.destinataire}</span>,
              <Link key="s" to={`/admin/courriels/${c.id}`}>
                {c.sujet}
              </Link>,
              MODELE_LABELS[c.modele] ?? c.modele,
              <Badge key="st" severity={STATUT_SEVERITY[c.statut]} small noIcon>
                {STATUT_LABELS[c.statut] ?? c.statut}
              </Badge>,
              String(c.essais),
              c.envoye_at ? formatDateTime(c.envoye_at) : "—",
              c.derniere_erreur ? <span key="e" className="coop-break">{c.derniere_erreur}</span> : "—"
            ])}
          />
          <Pager total={courriels.data.total} perPage={PER_PAGE} />
        </>
      )}
    </div>
  );
}
