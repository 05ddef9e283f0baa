import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Upload } from "@codegouvfr/react-dsfr/Upload";
import { useState } from "react";
import { Link } from "react-router";
import { analyseImport, confirmImport } from "../../api/activites";
import type { ImportAnalyse } from "../../api/types";
import { ApiError, isApiError } from "../../api/client";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useTitle } from "../../lib/useTitle";

const COLONNES = ["prenom", "nom", "annee_naissance", "telephone", "email", "adresse", "commune_insee", "code_postal", "genre", "tranche_age", "statut_social", "notes"];

export function ImportPage() {
  useTitle("Importer des bénéficiaires");
  const [file, setFile] = useState<File | null>(null);
  const [analyse, setAnalyse] = useState<ImportAnalyse | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<number | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);

  const run = async () => {
    if (!file) {
      setFileError("Choisissez un fichier CSV ou XLSX.");
      return;
    }
    if (!/\.(csv|xlsx)$/i.test(file.name)) {
      setFileError("Le fichier doit être au format CSV ou XLSX.");
      return;
    }
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      setAnalyse(await analyseImport(file));
    } catch (e) {
      setError(isApiError(e) ? e : new ApiError(0, "inconnu", "Une erreur inattendue est survenue."));
    } finally {
      setBusy(false);
    }
  };

  const confirm = async () => {
    if (!analyse || analyse.import_id === null) return;
    setBusy(true);
    setError(null);
    try {
      const r = await confirmImport(analyse.import_id);
      setDone(r.importes);
      setAnalyse(null);
      setFile(null);
    } catch (e) {
      // 410: the analysis expired (an hour, or replaced by newer ones): the message says to analyse again.
      if (isApiError(e) && e.status === 410) setAnalyse(null);
      setError(isApiError(e) ? e : new ApiError(0, "inconnu", "Une erreur inattendue est survenue."));
    } finally {
      setBusy(false);
    }
  };

  const columns = analyse
    ? Array.from(new Set(analyse.lignes.flatMap(l => Object.keys(l.valeurs))))
    : [];

  return (
    <div className="fr-container fr-my-4w">
      <Breadcrumb currentPageLabel="Importer" homeLinkProps={{ to: "/" }} segments={[{ label: "Bénéficiaires", linkProps: { to: "/beneficiaires" } }]} />
      <h1>Importer des bénéficiaires</h1>
      <p>
        Deux étapes : le fichier est d'abord analysé (rien n'est enregistré), puis vous confirmez l'import des lignes valides.
        Colonnes reconnues : {COLONNES.join(", ")}.
      </p>
      {done !== null && (
        <Alert
          severity="success"
          role="status"
          as="h2"
          title="Import terminé"
          className="fr-mb-3w"
          description={
            <>
              {done} bénéficiaire{done > 1 ? "s" : ""} importé{done > 1 ? "s" : ""}. <Link to="/beneficiaires">Voir mes bénéficiaires</Link>
            </>
          }
        />
      )}
      <ErrorAlert error={error} as="h2" title={error?.status === 410 ? "L'analyse a expiré" : "Le fichier n'a pas pu être traité"} />
      <form
        onSubmit={e => {
          e.preventDefault();
          void run();
        }}
        className="fr-mb-4w"
        aria-label="Analyser un fichier"
      >
        <Upload
          label="Fichier des bénéficiaires"
          hint="Formats acceptés : CSV (séparateur ; ou ,, UTF-8) ou XLSX. Première ligne : noms des colonnes."
          state={fileError ? "error" : "default"}
          stateRelatedMessage={fileError ?? undefined}
          nativeInputProps={{
            id: "import-fichier",
            accept: ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            onChange: e => {
              setFile(e.target.files?.[0] ?? null);
              setFileError(null);
              setAnalyse(null);
            }
          }}
        />
        <Button type="submit" className="fr-mt-2w" disabled={busy} iconId="fr-icon-search-line">
          {busy && !analyse ? "Analyse…" : "Analyser le fichier"}
        </Button>
      </form>

      {analyse && (
        <section aria-labelledby="titre-analyse">
          <h2 id="titre-analyse" className="fr-h4">
            Analyse du fichier
          </h2>
          <p role="status" id="import-bilan">
            {analyse.valides} ligne{analyse.valides > 1 ? "s" : ""} valide{analyse.valides > 1 ? "s" : ""}, {analyse.invalides} ligne
            {analyse.invalides > 1 ? "s" : ""} en erreur.
            {analyse.invalides > 0 ? " Les lignes en erreur ne seront pas importées : corrigez-les dans le fichier et importez-le à nouveau si besoin." : ""}
          </p>
          {analyse.colonnes_ignorees.length > 0 && (
            <p className="fr-text--sm">Colonnes ignorées (non reconnues) : {analyse.colonnes_ignorees.join(", ")}.</p>
          )}
          <div className="fr-table fr-table--sm fr-table--no-caption">
            <div className="fr-table__wrapper">
              <div className="fr-table__container">
                <div className="fr-table__content">
                  <table>
                    <caption>Lignes du fichier</caption>
                    <thead>
                      <tr>
                        <th scope="col">Ligne</th>
                        {columns.map(c => (
                          <th key={c} scope="col">
                            {c}
                          </th>
                        ))}
                        <th scope="col">Erreurs</th>
                      </tr>
                    </thead>
                    <tbody>
                      {analyse.lignes.map(l => {
                        const errs = Object.entries(l.erreurs);
                        return (
                          <tr key={l.numero} data-ligne={l.numero} className={errs.length ? "coop-ligne-erreur" : undefined}>
                            <td>{l.numero}</td>
                            {columns.map(c => (
                              <td key={c}>{l.valeurs[c] ?? ""}</td>
                            ))}
                            <td>
                              {errs.length ? (
                                <ul className="fr-mb-0">
                                  {errs.map(([champ, m]) => (
                                    <li key={champ} className="fr-error-text fr-mt-0">
                                      {champ} : {m}
                                    </li>
                                  ))}
                                </ul>
                              ) : (
                                "OK"
                              )}
                            </td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </div>
              </div>
            </div>
          </div>
          <div className="coop-actions">
            <Button type="button" disabled={busy || analyse.valides === 0} onClick={() => void confirm()} iconId="fr-icon-check-line">
              {`Importer les ${analyse.valides} ligne${analyse.valides > 1 ? "s" : ""} valide${analyse.valides > 1 ? "s" : ""}`}
            </Button>
            <Button type="button" priority="secondary" onClick={() => setAnalyse(null)}>
              Annuler
            </Button>
          </div>
        </section>
      )}
    </div>
  );
}
