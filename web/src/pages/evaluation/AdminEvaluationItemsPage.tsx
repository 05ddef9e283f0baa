import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Table } from "@codegouvfr/react-dsfr/Table";
import { useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { listItems, TYPE_LABELS, TYPES } from "../../api/evaluation";
import { LoadError } from "../../components/LoadError";
import { useAsync } from "../../lib/useAsync";
import { useTitle } from "../../lib/useTitle";

/** The evaluation's item bank (evaluation/ of the repository), filtered by competence, level and type. */
export function AdminEvaluationItemsPage() {
  useTitle("Banque d'items de l'évaluation");
  const [params, setParams] = useSearchParams();
  const competence = params.get("competence") ?? "";
  const niveau = params.get("niveau") ?? "";
  const type = params.get("type") ?? "";
  const [f, setF] = useState({ competence, niveau, type });
  useEffect(() => setF({ competence, niveau, type }), [competence, niveau, type]);
  const items = useAsync(() => listItems({ competence, niveau, type }), [competence, niveau, type]);
  const competences = items.data?.competences ?? [];
  return (
    <div className="fr-container fr-my-6w">
      <Breadcrumb
        currentPageLabel="Banque d'items"
        homeLinkProps={{ to: "/" }}
        segments={[{ label: "Administration", linkProps: { to: "/admin/utilisateurs" } }]}
      />
      <h1>Banque d'items de l'évaluation</h1>
      <p>
        Les questions du test de compétences numériques, lues au démarrage depuis les fichiers de la banque
        (docs/evaluation-items.md). Ouvrez un item pour le voir comme un candidat et tester une réponse.
      </p>
      <form
        role="search"
        aria-label="Filtrer les items"
        className="coop-inline-form fr-mb-3w"
        onSubmit={e => {
          e.preventDefault();
          const next: Record<string, string> = {};
          if (f.competence) next.competence = f.competence;
          if (f.niveau) next.niveau = f.niveau;
          if (f.type) next.type = f.type;
          setParams(next);
        }}
      >
        <Select
          label="Compétence"
          nativeSelectProps={{ id: "filtre-competence", value: f.competence, onChange: e => setF({ ...f, competence: e.target.value }) }}
        >
          <option value="">Toutes les compétences</option>
          {competences.map(c => (
            <option key={c.code} value={c.code}>
              {c.code} {c.titre}
            </option>
          ))}
        </Select>
        <Select label="Niveau" nativeSelectProps={{ id: "filtre-niveau", value: f.niveau, onChange: e => setF({ ...f, niveau: e.target.value }) }}>
          <option value="">Tous les niveaux</option>
          {[1, 2, 3, 4, 5, 6, 7, 8].map(n => (
            <option key={n} value={String(n)}>
              Niveau {n}
            </option>
          ))}
        </Select>
        <Select label="Type" nativeSelectProps={{ id: "filtre-type", value: f.type, onChange: e => setF({ ...f, type: e.target.value }) }}>
          <option value="">Tous les types</option>
          {TYPES.map(t => (
            <option key={t} value={t}>
              {TYPE_LABELS[t]}
            </option>
          ))}
        </Select>
        <Button type="submit" iconId="fr-icon-filter-line">
          Filtrer
        </Button>
      </form>
      {items.error ? (
        <LoadError error={items.error} what="les items" />
      ) : !items.data ? (
        <p role="status">Chargement des items…</p>
      ) : items.data.items.length === 0 ? (
        <Alert severity="info" small description="Aucun item ne correspond à ces filtres." />
      ) : (
        <>
          <p role="status">
            {items.data.total} item{items.data.total > 1 ? "s" : ""}
          </p>
          <div>
            <Table
              caption="Items de la banque"
              noCaption
              headers={["Item", "Compétence", "Tube", "Niveau", "Type", "Consigne"]}
              data={items.data.items.map(i => [
                <Link key="id" to={`/admin/evaluation/items/${i.id}`}>
                  {i.id}
                </Link>,
                `${i.competence} ${i.competence_titre}`,
                i.tube_titre,
                String(i.niveau),
                i.type,
                <span key="e" className="coop-break">{i.extrait}</span>
              ])}
            />
          </div>
        </>
      )}
    </div>
  );
}
