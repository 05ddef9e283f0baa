import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { useEffect, useState } from "react";
import { Link, useParams } from "react-router";
import { ApiError, isApiError } from "../../api/client";
import {
  essayerItem,
  getItem,
  TOLERANCE_LABELS,
  TYPE_LABELS,
  type EvaluationCorrection,
  type EvaluationItemDetail
} from "../../api/evaluation";
import { ErrorAlert } from "../../components/ErrorAlert";
import { LoadError } from "../../components/LoadError";
import { useAsync } from "../../lib/useAsync";
import { useTitle } from "../../lib/useTitle";

function duree(s: number) {
  const m = Math.floor(s / 60);
  const r = s % 60;
  return m === 0 ? `${r} s` : r === 0 ? `${m} min` : `${m} min ${r} s`;
}

/** One item as a candidate sees it (question, choices or fields, image, timer), « Tester une réponse », then its rules. */
export function AdminEvaluationItemPage() {
  const id = useParams().id ?? "";
  const item = useAsync(() => getItem(id), [id]);
  useTitle(item.data ? `Item ${item.data.id}` : "Item");
  const i = item.data;
  return (
    <div className="fr-container fr-my-6w">
      <Breadcrumb
        currentPageLabel={id}
        homeLinkProps={{ to: "/" }}
        segments={[
          { label: "Administration", linkProps: { to: "/admin/utilisateurs" } },
          { label: "Banque d'items", linkProps: { to: "/admin/evaluation/items" } }
        ]}
      />
      {item.error ? (
        <LoadError error={item.error} what="l'item" page />
      ) : !i ? (
        <p role="status">Chargement de l'item…</p>
      ) : (
        <>
          <h1>Item {i.id}</h1>
          <p>
            Compétence {i.competence} {i.competence_titre} · tube « {i.tube_titre} » · niveau {i.niveau} ·{" "}
            {TYPE_LABELS[i.type]}
          </p>
          <Apercu key={i.id} item={i} />
          <Regles item={i} />
        </>
      )}
    </div>
  );
}

function Apercu({ item: i }: { item: EvaluationItemDetail }) {
  const [choix, setChoix] = useState<number[]>([]);
  const [valeurs, setValeurs] = useState<Record<string, string>>({});
  const [resultat, setResultat] = useState<EvaluationCorrection | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setResultat(null), [choix, valeurs]);
  const qcm = i.type === "QCM";
  const tester = async () => {
    setError(null);
    setBusy(true);
    try {
      const r = await essayerItem(i.id, i.propositions.length ? { choix } : { valeurs });
      setResultat(r);
    } catch (e) {
      setError(isApiError(e) ? e : new ApiError(0, "inconnu", "Une erreur inattendue est survenue."));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="coop-evaluation-apercu fr-p-3w fr-mb-4w" aria-labelledby="apercu-titre">
      <h2 id="apercu-titre">Aperçu candidat</h2>
      {i.temps != null && (
        <p>
          <Badge severity="info" small>
            {`Temps limité : ${duree(i.temps)}`}
          </Badge>
        </p>
      )}
      <div className="coop-evaluation-consigne" dangerouslySetInnerHTML={{ __html: i.consigne_html }} />
      {i.image && <img className="coop-evaluation-image fr-mb-3w" src={i.image.url} alt={i.image.texte} />}
      {i.piece_jointe && (
        <p>
          <a className="fr-link fr-icon-download-line fr-link--icon-left" href={i.piece_jointe.url} download>
            {i.piece_jointe.texte}
          </a>
        </p>
      )}
      <form
        onSubmit={e => {
          e.preventDefault();
          void tester();
        }}
      >
        {i.type === "QCU" && (
          <RadioButtons
            legend="Votre réponse"
            name="reponse"
            options={i.propositions.map((p, k) => ({
              label: p,
              nativeInputProps: { value: String(k + 1), checked: choix[0] === k + 1, onChange: () => setChoix([k + 1]) }
            }))}
          />
        )}
        {qcm && (
          <Checkbox
            legend="Votre réponse (plusieurs choix possibles)"
            options={i.propositions.map((p, k) => ({
              label: p,
              nativeInputProps: {
                name: "reponse",
                value: String(k + 1),
                checked: choix.includes(k + 1),
                onChange: e => setChoix(e.target.checked ? [...choix, k + 1] : choix.filter(c => c !== k + 1))
              }
            }))}
          />
        )}
        {!i.propositions.length &&
          i.champs.map(c => (
            <Input
              key={c.nom}
              label={c.libelle || "Votre réponse"}
              nativeInputProps={{
                id: `champ-${c.nom}`,
                name: c.nom,
                autoComplete: "off",
                value: valeurs[c.nom] ?? "",
                onChange: e => setValeurs({ ...valeurs, [c.nom]: e.target.value })
              }}
            />
          ))}
        <ErrorAlert error={error} title="La réponse n'a pas été testée" as="h3" />
        <Button type="submit" iconId="fr-icon-check-line" disabled={busy}>
          {busy ? "Test…" : "Tester une réponse"}
        </Button>
      </form>
      <div aria-live="polite">
        {resultat && (
          <Alert
            className="fr-mt-3w"
            severity={resultat.correct ? "success" : "error"}
            as="h3"
            title={resultat.correct ? "Réponse correcte" : "Réponse incorrecte"}
            description={
              resultat.champs.length ? (
                <ul>
                  {resultat.champs.map(c => {
                    const libelle = i.champs.find(x => x.nom === c.champ)?.libelle || "Réponse";
                    return (
                      <li key={c.champ}>
                        {libelle} :{" "}
                        {c.correct
                          ? `acceptée (${TOLERANCE_LABELS[c.tolerance ?? ""] ?? c.tolerance}${c.solution ? `, solution ${c.solution}` : ""})`
                          : "refusée"}
                      </li>
                    );
                  })}
                </ul>
              ) : (
                "Comparaison des propositions choisies avec les bonnes réponses."
              )
            }
          />
        )}
      </div>
    </section>
  );
}

function Regles({ item: i }: { item: EvaluationItemDetail }) {
  const tolerances = (["t1", "t2", "t3"] as const).filter(t => i.tolerances[t]);
  return (
    <section aria-labelledby="regles-titre">
      <h2 id="regles-titre">Règles de réponse</h2>
      <dl className="coop-dl">
        {i.propositions.length > 0 && (
          <>
            <dt>Bonne{i.reponse.length > 1 ? "s" : ""} réponse{i.reponse.length > 1 ? "s" : ""}</dt>
            <dd>
              <ul>
                {i.reponse.map(r => (
                  <li key={r}>
                    {r}. {i.propositions[r - 1]}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
        {i.solutions.length > 0 && (
          <>
            <dt>Réponses acceptées</dt>
            <dd>
              <ul>
                {i.solutions.map((s, k) => (
                  <li key={k}>
                    {i.type === "QROCM-ind" ? `${i.champs[k]?.libelle} : ` : i.type === "QROCM-dep" ? `Solution ${k + 1} : ` : ""}
                    {s.join(" · ")}
                  </li>
                ))}
              </ul>
            </dd>
            <dt>Comparaison</dt>
            <dd>
              {i.numerique
                ? "numérique (3,5 = 3.50)"
                : tolerances.length
                  ? `tolérances ${tolerances.join(", ")}`
                  : "exacte (aucune tolérance)"}
            </dd>
          </>
        )}
        <dt>Thématiques</dt>
        <dd>{i.thematiques.length ? i.thematiques.map(t => t.libelle).join(", ") : "—"}</dd>
        <dt>Source</dt>
        <dd>
          <code>
            evaluation/{i.fichier}:{i.ligne}
          </code>
        </dd>
      </dl>
      <h3>Explication (montrée après le test)</h3>
      <div className="coop-evaluation-explication" dangerouslySetInnerHTML={{ __html: i.explication_html }} />
      <p className="fr-mt-4w">
        <Link to={`/admin/evaluation/items?competence=${i.competence}`}>Autres items de la compétence {i.competence}</Link>
      </p>
    </section>
  );
}
