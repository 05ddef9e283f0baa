/**
 * The admin's import of lieux (/admin/lieux/import): upload a CSV or JSON in the standard with
 * its progress, then the report per row and field, the CSV of rejected rows to download; the
 * export links (CSV of the standard, JSON, data.inclusion).
 */
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Upload } from "@codegouvfr/react-dsfr/Upload";
import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { Link } from "react-router";
import type { ApiError } from "../../api/client";
import { isApiError } from "../../api/client";
import { exportUrl, importerLieux, type EnvoiImport, type LieuImportRapport } from "../../api/lieux";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useTitle } from "../../lib/useTitle";
import { NOMS_CHAMPS } from "./vocabulaire";
import "./lieux.css";

const STATUTS: Record<string, string> = { cree: "créé", modifie: "modifié", inchange: "inchangé", rejete: "rejeté" };

export default function ImportLieuxPage() {
  useTitle("Importer des lieux");
  const [fichier, setFichier] = useState<File | null>(null);
  const [source, setSource] = useState("");
  const [progres, setProgres] = useState<{ envoye: number; total: number } | null>(null);
  const [rapport, setRapport] = useState<LieuImportRapport | null>(null);
  const [erreur, setErreur] = useState<ApiError | null>(null);
  const [erreurFichier, setErreurFichier] = useState<string | null>(null);
  const envoi = useRef<EnvoiImport | null>(null);
  const rapportRef = useRef<HTMLElement>(null);

  const rejets = useMemo(
    () => (rapport?.rejets_csv ? URL.createObjectURL(new Blob([rapport.rejets_csv], { type: "text/csv;charset=utf-8" })) : null),
    [rapport]
  );
  useEffect(() => () => void (rejets && URL.revokeObjectURL(rejets)), [rejets]);

  const importer = async (e: FormEvent) => {
    e.preventDefault();
    setErreur(null);
    if (!fichier) {
      setErreurFichier("Choisissez un fichier CSV ou JSON des lieux.");
      return;
    }
    setErreurFichier(null);
    setRapport(null);
    setProgres({ envoye: 0, total: fichier.size });
    const ev = importerLieux(fichier, source, (envoye, total) => setProgres({ envoye, total }));
    envoi.current = ev;
    try {
      setRapport(await ev.promesse);
      setTimeout(() => rapportRef.current?.focus(), 0);
    } catch (x) {
      if (isApiError(x)) {
        if (x.fields.fichier) setErreurFichier(x.fields.fichier);
        setErreur(x);
      }
    } finally {
      envoi.current = null;
      setProgres(null);
    }
  };

  const pct = progres && progres.total ? Math.round((100 * progres.envoye) / progres.total) : 0;
  return (
    <div className={fr.cx("fr-container", "fr-py-4w")}>
      <h1>Importer des lieux</h1>
      <p>
        Un fichier au standard « lieux de médiation numérique » v1.0.2 : CSV (séparateur « , » ou « ; ») ou JSON (un tableau d'objets). Les lignes
        valides sont importées, les autres sont listées et téléchargeables ; réimporter le même fichier ne change rien (clé : source + id).
      </p>
      <form onSubmit={importer} className="fr-mb-4w" noValidate>
        <Upload
          label="Fichier des lieux"
          hint="CSV ou JSON, encodé en UTF-8."
          nativeInputProps={{ name: "fichier", accept: ".csv,.json,text/csv,application/json", onChange: e => setFichier(e.currentTarget.files?.[0] ?? null) }}
          state={erreurFichier ? "error" : "default"}
          stateRelatedMessage={erreurFichier ?? undefined}
          className="fr-mb-3w"
        />
        <Input
          label="Source (facultatif)"
          hintText="Qui a collecté ces lieux ; par défaut, la colonne « source » de chaque ligne."
          nativeInputProps={{ name: "source", value: source, onChange: e => setSource(e.currentTarget.value), maxLength: 200 }}
          state={erreur?.fields.source ? "error" : "default"}
          stateRelatedMessage={erreur?.fields.source}
        />
        {progres && (
          <div className="fr-mb-2w" role="status" aria-live="polite">
            <label htmlFor="progres-import">{pct < 100 ? `Envoi… ${pct} %` : "Fichier envoyé, vérification des lignes…"}</label>
            <progress id="progres-import" max={100} value={pct} style={{ width: "100%" }} />
            <Button type="button" size="small" priority="tertiary" onClick={() => envoi.current?.abort()}>
              Annuler
            </Button>
          </div>
        )}
        <Button type="submit" disabled={!!progres} iconId="fr-icon-upload-line">
          Importer
        </Button>
      </form>
      <ErrorAlert error={erreur && !erreur.fields.fichier ? erreur : null} title="L'import a échoué" as="h2" />
      {rapport && (
        <section aria-labelledby="rapport-titre" ref={rapportRef} tabIndex={-1} data-testid="rapport-import">
          <h2 id="rapport-titre" className="fr-h4">
            Rapport d'import
          </h2>
          <Alert severity={rapport.rejetes ? "warning" : "success"} small description={rapport.resume} className="fr-mb-2w" />
          <ul>
            <li>{rapport.lignes} ligne(s) lue(s) ({rapport.format === "json" ? "JSON" : rapport.format === "csv" ? "CSV, séparateur « , »" : "CSV, séparateur « ; »"})</li>
            <li>{rapport.crees} créée(s), {rapport.modifies} modifiée(s), {rapport.inchanges} inchangée(s)</li>
            <li>{rapport.rejetes} rejetée(s), {rapport.avertissements} avec avertissement(s)</li>
            <li>
              {rapport.doublons} doublon(s) proposé(s) à la fusion
              {rapport.doublons > 0 && (
                <>
                  {" "}
                  — <Link to="/admin/lieux/doublons">comparer et fusionner les doublons</Link>
                </>
              )}
            </li>
            {rapport.colonnes_ignorees.length > 0 && <li>Colonnes ignorées (hors standard) : {rapport.colonnes_ignorees.join(", ")}</li>}
            {rapport.colonnes_absentes.length > 0 && <li>Colonnes absentes : {rapport.colonnes_absentes.join(", ")}</li>}
          </ul>
          {rejets && (
            <p>
              <a className="fr-link fr-icon-download-line fr-link--icon-left" href={rejets} download="lieux-rejetes.csv">
                Télécharger les lignes rejetées (CSV)
              </a>
            </p>
          )}
          {rapport.details.length > 0 && (
            <div className="fr-table fr-table--no-caption coop-lieux__rapport">
              <div className="fr-table__wrapper">
                <div className="fr-table__container">
                  <div className="fr-table__content">
                    <table>
                      <caption>Lignes avec une erreur ou un avertissement</caption>
                      <thead>
                        <tr>
                          <th scope="col">Ligne</th>
                          <th scope="col">Id</th>
                          <th scope="col">Statut</th>
                          <th scope="col">Champ</th>
                          <th scope="col">Message</th>
                        </tr>
                      </thead>
                      <tbody>
                        {rapport.details.flatMap(d =>
                          [...d.erreurs.map(r => ({ ...r, genre: "Erreur" })), ...d.avertissements.map(r => ({ ...r, genre: "Avertissement" }))].map((r, i) => (
                            <tr key={`${d.ligne}-${i}`}>
                              <td>{d.ligne}</td>
                              <td>{d.id}</td>
                              <td>{STATUTS[d.statut] ?? d.statut}</td>
                              <td>{r.champ ? NOMS_CHAMPS[r.champ] ?? r.champ : "ligne"}</td>
                              <td>
                                <strong>{r.genre}</strong> : {r.message}
                              </td>
                            </tr>
                          ))
                        )}
                      </tbody>
                    </table>
                  </div>
                </div>
              </div>
            </div>
          )}
        </section>
      )}
      <section aria-labelledby="export-titre" className="fr-mt-6w">
        <h2 id="export-titre" className="fr-h4">
          Exporter les lieux
        </h2>
        <ul>
          <li>
            <a href={exportUrl("csv")} download>
              CSV au standard (nom de fichier recommandé)
            </a>
          </li>
          <li>
            <a href={exportUrl("json")} download>
              JSON au standard
            </a>
          </li>
          <li>
            <a href={exportUrl("data-inclusion")} download>
              data.inclusion (structures et services)
            </a>
          </li>
        </ul>
      </section>
    </div>
  );
}
