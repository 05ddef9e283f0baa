import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { SearchBar } from "@codegouvfr/react-dsfr/SearchBar";
import { Table } from "@codegouvfr/react-dsfr/Table";
import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import * as endpoints from "../api/endpoints";
import { useMe } from "../auth/AuthContext";
import { LoadError } from "../components/LoadError";
import { Pager, usePageParam } from "../components/Pager";
import { StructureForm } from "../components/StructureForm";
import { formatSiret } from "../lib/format";
import { hasRole } from "../lib/roles";
import { useAsync } from "../lib/useAsync";
import { useTitle } from "../lib/useTitle";

const PER_PAGE = 20;

export function StructuresPage() {
  const me = useMe();
  const isAdmin = hasRole(me, "admin");
  useTitle(isAdmin ? "Structures" : "Mes structures");
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const page = usePageParam();
  const navigate = useNavigate();
  const [showForm, setShowForm] = useState(params.get("creer") === "1");
  const list = useAsync(() => endpoints.listStructures({ q, page, per_page: PER_PAGE }), [q, page]);

  return (
    <div className="fr-container fr-my-6w">
      <Breadcrumb
        currentPageLabel={isAdmin ? "Structures" : "Mes structures"}
        homeLinkProps={{ to: "/" }}
        segments={isAdmin ? [{ label: "Administration", linkProps: { to: "/admin/utilisateurs" } }] : []}
      />
      <h1>{isAdmin ? "Structures" : "Mes structures"}</h1>

      {isAdmin && (
        <section className="fr-mb-4w" aria-labelledby="titre-creation">
          <h2 id="titre-creation" className="fr-h4">
            Nouvelle structure
          </h2>
          {showForm ? (
            <StructureForm
              idPrefix="nouvelle-structure"
              submitLabel="Créer la structure"
              onSubmit={async body => {
                const s = await endpoints.createStructure(body);
                navigate(`/structures/${s.id}`, { state: { created: true } });
              }}
            />
          ) : (
            <Button iconId="fr-icon-add-line" onClick={() => setShowForm(true)}>
              Créer une structure
            </Button>
          )}
        </section>
      )}

      <section aria-labelledby="titre-liste">
        <h2 id="titre-liste" className="fr-h4">
          {isAdmin ? "Toutes les structures" : "Les structures que vous gérez"}
        </h2>
        <SearchBar
          label="Rechercher une structure"
          className="fr-mb-3w"
          allowEmptySearch
          onButtonClick={text => setParams(text ? { q: text } : {})}
          defaultValue={q}
        />
        {list.error ? (
          <LoadError error={list.error} what="les structures" />
        ) : list.data === undefined ? (
          <p role="status">Chargement des structures…</p>
        ) : list.data.items.length === 0 ? (
          <Alert severity="info" small description={q ? `Aucune structure ne correspond à « ${q} ».` : "Aucune structure pour le moment."} />
        ) : (
          <>
            <p role="status">
              {list.data.total} structure{list.data.total > 1 ? "s" : ""}
            </p>
            <Table
              caption="Liste des structures"
              noCaption
              headers={["Nom", "SIRET", "Commune"]}
              data={list.data.items.map(s => [
                <Link key={s.id} to={`/structures/${s.id}`}>
                  {s.nom}
                </Link>,
                formatSiret(s.siret),
                [s.commune_nom, s.code_postal && `(${s.code_postal})`].filter(Boolean).join(" ")
              ])}
            />
            <Pager total={list.data.total} perPage={PER_PAGE} />
          </>
        )}
      </section>
    </div>
  );
}
