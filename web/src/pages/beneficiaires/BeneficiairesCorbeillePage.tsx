import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useState } from "react";
import { Link } from "react-router";
import { listBeneficiairesCorbeille, restoreBeneficiaire, restoreBeneficiaires } from "../../api/activites";
import type { BeneficiaireSupprime } from "../../api/types";
import { ApiError, isApiError } from "../../api/client";
import { ErrorAlert } from "../../components/ErrorAlert";
import { LoadError } from "../../components/LoadError";
import { formatDate, formatDateTime, fullName } from "../../lib/format";
import { useAsync } from "../../lib/useAsync";
import { useTitle } from "../../lib/useTitle";

const BIN_DAYS = 30;
const unexpected = (e: unknown) => (isApiError(e) ? e : new ApiError(0, "inconnu", "Une erreur inattendue est survenue."));
const nameOf = (b: BeneficiaireSupprime) => fullName(b) || "Bénéficiaire anonyme";
const plural = (n: number, word: string) => `${n} ${word}${n > 1 ? "s" : ""}`;

/** The beneficiaries' bin: deleted in the last 30 days, restorable one by one or several at once. */
export function BeneficiairesCorbeillePage() {
  useTitle("Corbeille des bénéficiaires");
  const list = useAsync(() => listBeneficiairesCorbeille().then(r => r.items), []);
  const [selected, setSelected] = useState<number[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [refusals, setRefusals] = useState<string[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const items = list.data ?? [];
  const allChecked = items.length > 0 && items.every(b => selected.includes(b.id));

  const done = (restored: number[], text: string, refused: string[] = []) => {
    list.setData(prev => prev?.filter(x => !restored.includes(x.id)));
    setSelected(prev => prev.filter(id => !restored.includes(id)));
    setMessage(text);
    setRefusals(refused);
    setError(null);
  };

  const restoreOne = async (b: BeneficiaireSupprime) => {
    setBusy(true);
    try {
      await restoreBeneficiaire(b.id);
      done([b.id], `${nameOf(b)} : restauré dans vos bénéficiaires.`);
    } catch (e) {
      setMessage(null);
      setError(unexpected(e));
    } finally {
      setBusy(false);
    }
  };

  const restoreSelection = async () => {
    setBusy(true);
    try {
      const r = await restoreBeneficiaires(selected);
      const refusedIds = r.refuses.map(x => x.id);
      const name = (id: number) => {
        const b = items.find(x => x.id === id);
        return b ? nameOf(b) : `n° ${id}`;
      };
      done(
        selected.filter(id => !refusedIds.includes(id)),
        `${plural(r.restaures, "bénéficiaire")} restauré${r.restaures > 1 ? "s" : ""}.`,
        r.refuses.map(x => `${name(x.id)} : ${x.message}`)
      );
    } catch (e) {
      setMessage(null);
      setError(unexpected(e));
    } finally {
      setBusy(false);
    }
  };

  const until = (b: BeneficiaireSupprime) => formatDate(new Date(Date.parse(b.supprime_le) + BIN_DAYS * 86400e3).toISOString());

  return (
    <div className="fr-container fr-my-4w">
      <Breadcrumb currentPageLabel="Corbeille" homeLinkProps={{ to: "/" }} segments={[{ label: "Bénéficiaires", linkProps: { to: "/beneficiaires" } }]} />
      <h1>Corbeille des bénéficiaires</h1>
      <p>
        Les bénéficiaires supprimés restent {BIN_DAYS} jours dans la corbeille : vous pouvez les restaurer pendant ce délai, avec leurs
        activités. Ensuite, ils sont supprimés définitivement. Un bénéficiaire effacé (droit à l'effacement) ou fusionné avec un autre
        n'est pas restaurable. <Link to="/beneficiaires">Retour à mes bénéficiaires</Link>
      </p>
      {message && <Alert severity="success" small role="status" description={message} className="fr-mb-3w" closable onClose={() => setMessage(null)} />}
      {refusals.length > 0 && (
        <Alert
          severity="warning"
          as="h2"
          title="Certains bénéficiaires n'ont pas été restaurés"
          className="fr-mb-3w"
          description={
            <ul>
              {refusals.map(r => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          }
        />
      )}
      <ErrorAlert error={error} as="h2" title="La restauration a échoué" />
      {list.error ? (
        <LoadError error={list.error} what="la corbeille" />
      ) : !list.data ? (
        <p role="status">Chargement de la corbeille…</p>
      ) : items.length === 0 ? (
        <Alert severity="info" small description="La corbeille est vide." />
      ) : (
        <>
          <div className="coop-actions fr-mb-2w" style={{ justifyContent: "space-between" }}>
            <p role="status" className="fr-mb-0">
              {plural(items.length, "bénéficiaire")} dans la corbeille
              {selected.length ? ` – ${selected.length} sélectionné${selected.length > 1 ? "s" : ""}` : ""}
            </p>
            {selected.length > 0 && (
              <Button type="button" iconId="fr-icon-arrow-go-back-line" disabled={busy} onClick={() => void restoreSelection()}>
                {`Restaurer la sélection (${selected.length})`}
              </Button>
            )}
          </div>
          <div className="fr-table fr-table--no-caption">
            <div className="fr-table__wrapper">
              <div className="fr-table__container">
                <div className="fr-table__content">
                  <table>
                    <caption>Bénéficiaires supprimés</caption>
                    <thead>
                      <tr>
                        <th scope="col">
                          <input
                            type="checkbox"
                            id="corbeille-tous"
                            aria-label="Tout sélectionner"
                            checked={allChecked}
                            onChange={e => setSelected(e.target.checked ? items.map(b => b.id) : [])}
                          />
                        </th>
                        <th scope="col">Nom</th>
                        <th scope="col">Commune</th>
                        <th scope="col">Accompagnements</th>
                        <th scope="col">Supprimé le</th>
                        <th scope="col">Restaurable jusqu'au</th>
                        <th scope="col">Action</th>
                      </tr>
                    </thead>
                    <tbody>
                      {items.map(b => (
                        <tr key={b.id} data-beneficiaire={b.id}>
                          <td>
                            <input
                              type="checkbox"
                              aria-label={`Sélectionner ${nameOf(b)}`}
                              checked={selected.includes(b.id)}
                              onChange={e => setSelected(prev => (e.target.checked ? [...prev, b.id] : prev.filter(x => x !== b.id)))}
                            />
                          </td>
                          <td>{nameOf(b)}</td>
                          <td>{b.commune_nom ?? "—"}</td>
                          <td>{b.nombre_accompagnements ?? 0}</td>
                          <td>{formatDateTime(b.supprime_le)}</td>
                          <td>{until(b)}</td>
                          <td>
                            <Button
                              type="button"
                              size="small"
                              priority="secondary"
                              iconId="fr-icon-arrow-go-back-line"
                              disabled={busy}
                              onClick={() => void restoreOne(b)}
                              nativeButtonProps={{ "aria-label": `Restaurer ${nameOf(b)}` }}
                            >
                              Restaurer
                            </Button>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </div>
            </div>
          </div>
        </>
      )}
    </div>
  );
}
