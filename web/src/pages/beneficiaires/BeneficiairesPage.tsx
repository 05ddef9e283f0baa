import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useEffect, useState } from "react";
import { Link, useLocation, useSearchParams } from "react-router";
import { BENEFICIAIRES_EXPORT_URL, deleteBeneficiaires, listBeneficiaires } from "../../api/activites";
import { ApiError, isApiError } from "../../api/client";
import { ErrorAlert } from "../../components/ErrorAlert";
import { LoadError } from "../../components/LoadError";
import { Pager, usePageParam } from "../../components/Pager";
import { formatDate, fullName } from "../../lib/format";
import { useAsync } from "../../lib/useAsync";
import { useTitle } from "../../lib/useTitle";
import { ConfirmButton } from "../activites/common";

const PER_PAGE = 20;

export function BeneficiairesPage() {
  useTitle("Bénéficiaires");
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const q = params.get("q") ?? "";
  const page = usePageParam();
  const [query, setQuery] = useState(q);
  useEffect(() => setQuery(q), [q]);
  const list = useAsync(() => listBeneficiaires({ q, page, per_page: PER_PAGE }), [q, page]);
  const [selected, setSelected] = useState<number[]>([]);
  const [message, setMessage] = useState<string | null>((location.state as { message?: string } | null)?.message ?? null);
  const [error, setError] = useState<ApiError | null>(null);
  const items = (list.data?.items ?? []).filter(b => !b.anonyme);
  const allChecked = items.length > 0 && items.every(b => selected.includes(b.id));

  return (
    <div className="fr-container fr-my-4w">
      <Breadcrumb currentPageLabel="Bénéficiaires" homeLinkProps={{ to: "/" }} segments={[]} />
      <div className="coop-actions fr-mb-2w" style={{ justifyContent: "space-between" }}>
        <h1 className="fr-mb-0">Mes bénéficiaires</h1>
        <Button linkProps={{ to: "/beneficiaires/nouveau" }} iconId="fr-icon-user-add-line">
          Nouveau bénéficiaire
        </Button>
      </div>
      <p className="coop-actions">
        <Link className="fr-link" to="/beneficiaires/doublons">
          Doublons possibles
        </Link>
        <Link className="fr-link fr-icon-upload-line fr-link--icon-left" to="/beneficiaires/import">
          Importer un fichier
        </Link>
        <a className="fr-link fr-icon-download-line fr-link--icon-left" href={BENEFICIAIRES_EXPORT_URL} download>
          Exporter en CSV
        </a>
        <Link className="fr-link fr-icon-delete-line fr-link--icon-left" to="/beneficiaires/corbeille">
          Corbeille
        </Link>
      </p>
      {message && <Alert severity="success" small role="status" description={message} className="fr-mb-3w" closable onClose={() => setMessage(null)} />}
      <ErrorAlert error={error} as="h2" title="La suppression a échoué" />
      <form
        role="search"
        aria-label="Rechercher des bénéficiaires"
        className="coop-inline-form fr-mb-3w"
        onSubmit={e => {
          e.preventDefault();
          const t = query.trim();
          setParams(t ? { q: t } : {});
        }}
      >
        <Input
          label="Nom, prénom, téléphone ou e-mail"
          hintText="Les accents et les majuscules sont ignorés ; une partie du nom suffit."
          nativeInputProps={{ id: "recherche-beneficiaires", type: "search", name: "q", value: query, onChange: e => setQuery(e.target.value) }}
        />
        <Button type="submit" iconId="fr-icon-search-line">
          Rechercher
        </Button>
      </form>
      {list.error ? (
        <LoadError error={list.error} what="les bénéficiaires" />
      ) : !list.data ? (
        <p role="status">Chargement des bénéficiaires…</p>
      ) : items.length === 0 ? (
        <Alert severity="info" small description={q ? `Aucun bénéficiaire ne correspond à « ${q} ».` : "Aucun bénéficiaire suivi pour le moment."} />
      ) : (
        <>
          <div className="coop-actions fr-mb-2w" style={{ justifyContent: "space-between" }}>
            <p role="status" className="fr-mb-0">
              {list.data.total} bénéficiaire{list.data.total > 1 ? "s" : ""}
              {selected.length ? ` – ${selected.length} sélectionné${selected.length > 1 ? "s" : ""}` : ""}
            </p>
            {selected.length > 0 && (
              <ConfirmButton
                size="medium"
                label={`Supprimer la sélection (${selected.length})`}
                confirmLabel="Confirmer la suppression"
                question={`Supprimer ${selected.length} bénéficiaire${selected.length > 1 ? "s" : ""} ? Leurs activités restent, anonymisées.`}
                onConfirm={async () => {
                  try {
                    const r = await deleteBeneficiaires(selected);
                    setMessage(`${r.supprimes} bénéficiaire${r.supprimes > 1 ? "s" : ""} supprimé${r.supprimes > 1 ? "s" : ""}.`);
                    setSelected([]);
                    setError(null);
                    list.reload();
                  } catch (e) {
                    setError(isApiError(e) ? e : new ApiError(0, "inconnu", "Une erreur inattendue est survenue."));
                  }
                }}
              />
            )}
          </div>
          <div className="fr-table fr-table--no-caption">
            <div className="fr-table__wrapper">
              <div className="fr-table__container">
                <div className="fr-table__content">
                  <table>
                    <caption>Mes bénéficiaires</caption>
                    <thead>
                      <tr>
                        <th scope="col">
                          <input
                            type="checkbox"
                            id="beneficiaires-tous"
                            aria-label="Tout sélectionner sur cette page"
                            checked={allChecked}
                            onChange={e => setSelected(e.target.checked ? items.map(b => b.id) : [])}
                          />
                        </th>
                        <th scope="col">Nom</th>
                        <th scope="col">Année de naissance</th>
                        <th scope="col">Commune</th>
                        <th scope="col">Accompagnements</th>
                        <th scope="col">Dernier accompagnement</th>
                      </tr>
                    </thead>
                    <tbody>
                      {items.map(b => (
                        <tr key={b.id} data-beneficiaire={b.id}>
                          <td>
                            <input
                              type="checkbox"
                              aria-label={`Sélectionner ${fullName(b)}`}
                              checked={selected.includes(b.id)}
                              onChange={e => setSelected(prev => (e.target.checked ? [...prev, b.id] : prev.filter(x => x !== b.id)))}
                            />
                          </td>
                          <td>
                            <Link to={`/beneficiaires/${b.id}`}>{fullName(b) || "(sans nom)"}</Link>
                          </td>
                          <td>{b.annee_naissance ?? "—"}</td>
                          <td>{b.commune_nom ?? "—"}</td>
                          <td>{b.nombre_accompagnements ?? 0}</td>
                          <td>{formatDate(b.dernier_accompagnement)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </div>
            </div>
          </div>
          <Pager total={list.data.total} perPage={PER_PAGE} />
        </>
      )}
    </div>
  );
}
