import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { useState } from "react";
import { Link } from "react-router";
import { listDoublons, mergeBeneficiaires } from "../../api/activites";
import type { Beneficiaire, Doublon, FusionResultat } from "../../api/types";
import { ApiError, isApiError } from "../../api/client";
import { ErrorAlert } from "../../components/ErrorAlert";
import { LoadError } from "../../components/LoadError";
import { CHAMPS_BENEFICIAIRE, valeurBeneficiaire } from "../../lib/beneficiaires";
import { fullName } from "../../lib/format";
import { useAsync } from "../../lib/useAsync";
import { useTitle } from "../../lib/useTitle";

const CRITERES: Record<string, string> = {
  nom: "nom et prénom proches",
  telephone: "même téléphone",
  email: "même e-mail",
  annee_naissance: "même année de naissance"
};

function nameOf(b: Beneficiaire): string {
  return fullName(b) || `n° ${b.id}`;
}

function Paire({ d, index, onMerged }: { d: Doublon; index: number; onMerged: (d: Doublon, kept: Beneficiaire, r: FusionResultat | null) => void }) {
  const [target, setTarget] = useState<"a" | "b">(d.a.nombre_accompagnements >= d.b.nombre_accompagnements ? "a" : "b");
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const keep = target === "a" ? d.a : d.b;
  const source = target === "a" ? d.b : d.a;
  const titleId = `doublon-${index}`;
  return (
    <section className="coop-card fr-mb-3w" aria-labelledby={titleId} data-doublon={`${d.a.id}-${d.b.id}`}>
      <h2 id={titleId} className="fr-h5">
        {nameOf(d.a)} et {nameOf(d.b)}
      </h2>
      <p className="fr-text--sm">Critères communs : {d.criteres.map(c => CRITERES[c] ?? c).join(", ")}.</p>
      <ErrorAlert error={error} title="La fusion a échoué" />
      <RadioButtons
        legend="Fiche à conserver"
        hintText="La fiche conservée garde ses valeurs ; ses champs vides sont complétés par l'autre fiche, dont les accompagnements sont rattachés à la fiche conservée."
        name={`cible-${index}`}
        orientation="horizontal"
        options={(["a", "b"] as const).map(k => ({
          label: `${nameOf(d[k])} (${d[k].nombre_accompagnements ?? 0} accompagnement${(d[k].nombre_accompagnements ?? 0) > 1 ? "s" : ""})`,
          nativeInputProps: { value: k, checked: target === k, onChange: () => setTarget(k) }
        }))}
      />
      <div className="fr-table fr-table--sm fr-table--no-caption">
        <div className="fr-table__wrapper">
          <div className="fr-table__container">
            <div className="fr-table__content">
              <table>
                <caption>Aperçu de la fusion de {nameOf(d.a)} et {nameOf(d.b)}</caption>
                <thead>
                  <tr>
                    <th scope="col">Champ</th>
                    <th scope="col">Fiche conservée</th>
                    <th scope="col">Autre fiche</th>
                    <th scope="col">Résultat</th>
                  </tr>
                </thead>
                <tbody>
                  {CHAMPS_BENEFICIAIRE.map(([key, label]) => {
                    const kv = valeurBeneficiaire(keep, key);
                    const sv = valeurBeneficiaire(source, key);
                    const filled = !kv && !!sv;
                    return (
                      <tr key={key}>
                        <th scope="row">{label}</th>
                        <td>{kv || "—"}</td>
                        <td>{sv || "—"}</td>
                        <td>
                          {kv || sv || "—"}
                          {filled && <span className="fr-badge fr-badge--sm fr-badge--info fr-badge--no-icon fr-ml-1w">complété</span>}
                        </td>
                      </tr>
                    );
                  })}
                  <tr>
                    <th scope="row">Accompagnements</th>
                    <td>{keep.nombre_accompagnements ?? 0}</td>
                    <td>{source.nombre_accompagnements ?? 0}</td>
                    <td>{(keep.nombre_accompagnements ?? 0) + (source.nombre_accompagnements ?? 0)}</td>
                  </tr>
                </tbody>
              </table>
            </div>
          </div>
        </div>
      </div>
      {confirming ? (
        <div className="coop-actions" role="group" aria-label="Confirmer la fusion">
          <span>
            Fusionner « {nameOf(source)} » dans « {nameOf(keep)} » ? La fiche « {nameOf(source)} » disparaîtra (une trace de la fusion est conservée).
          </span>
          <Button
            type="button"
            disabled={busy}
            nativeButtonProps={{ autoFocus: true }}
            onClick={async () => {
              setBusy(true);
              try {
                const r = await mergeBeneficiaires(keep.id, source.id);
                onMerged(d, r?.beneficiaire ?? keep, r ?? null);
              } catch (e) {
                setError(isApiError(e) ? e : new ApiError(0, "inconnu", "Une erreur inattendue est survenue."));
                setConfirming(false);
              } finally {
                setBusy(false);
              }
            }}
          >
            Confirmer la fusion
          </Button>
          <Button type="button" priority="secondary" onClick={() => setConfirming(false)}>
            Annuler
          </Button>
        </div>
      ) : (
        <Button type="button" iconId="fr-icon-git-merge-line" onClick={() => setConfirming(true)}>
          Fusionner ces deux fiches
        </Button>
      )}
    </section>
  );
}

export function DoublonsPage() {
  useTitle("Doublons de bénéficiaires");
  const list = useAsync(() => listDoublons().then(r => r.items), []);
  const [message, setMessage] = useState<{ text: string; id: number } | null>(null);
  return (
    <div className="fr-container fr-my-4w">
      <Breadcrumb currentPageLabel="Doublons" homeLinkProps={{ to: "/" }} segments={[{ label: "Bénéficiaires", linkProps: { to: "/beneficiaires" } }]} />
      <h1>Doublons possibles</h1>
      <p>
        Deux fiches sont proposées quand elles ont au moins deux critères en commun : nom et prénom proches (sans tenir compte
        des accents ni des majuscules), même téléphone, même e-mail, même année de naissance.
      </p>
      {message && (
        <Alert
          severity="success"
          small
          role="status"
          className="fr-mb-3w"
          description={
            <>
              {message.text} <Link to={`/beneficiaires/${message.id}`}>Voir la fiche</Link>
            </>
          }
        />
      )}
      {list.error ? (
        <LoadError error={list.error} what="les doublons" />
      ) : !list.data ? (
        <p role="status">Recherche des doublons…</p>
      ) : list.data.length === 0 ? (
        <Alert severity="info" small description="Aucun doublon possible parmi vos bénéficiaires." />
      ) : (
        <>
          <p role="status">
            {list.data.length} paire{list.data.length > 1 ? "s" : ""} de fiches à vérifier
          </p>
          {list.data.map((d, i) => (
            <Paire
              key={`${d.a.id}-${d.b.id}`}
              d={d}
              index={i}
              onMerged={(pair, kept, r) => {
                const gone = pair.a.id === kept.id ? pair.b.id : pair.a.id;
                list.setData(prev => prev?.filter(x => x.a.id !== gone && x.b.id !== gone));
                const details = r
                  ? ` ${r.activites_deplacees} accompagnement${r.activites_deplacees > 1 ? "s" : ""} rattaché${r.activites_deplacees > 1 ? "s" : ""}${r.champs_completes.length ? `, champs complétés : ${r.champs_completes.join(", ")}` : ""}.`
                  : "";
                setMessage({ text: `Fiches fusionnées dans « ${nameOf(kept)} ».${details}`, id: kept.id });
              }}
            />
          ))}
        </>
      )}
    </div>
  );
}
