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
import { getTest, repondreTest, type EvaluationQuestion, type EvaluationTest } from "../../api/positionnement";
import { ErrorAlert } from "../../components/ErrorAlert";
import { LoadError } from "../../components/LoadError";
import { useTitle } from "../../lib/useTitle";

/** A positioning test: the question in progress (one at a time, the timer kept by the server), then
 * the result per competence and the explanations of the questions answered, with resources. */
export function TestPositionnementPage() {
  const id = useParams().id ?? "";
  const [test, setTest] = useState<EvaluationTest | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [avis, setAvis] = useState<string | null>(null);
  useTitle(test?.statut === "termine" ? "Résultat du test" : "Test de positionnement");
  useEffect(() => {
    let vivant = true;
    getTest(id).then(
      t => vivant && setTest(t),
      e => vivant && setLoadError(isApiError(e) ? e : new ApiError(0, "inconnu", "Une erreur inattendue est survenue."))
    );
    return () => {
      vivant = false;
    };
  }, [id]);
  return (
    <div className="fr-container fr-my-6w">
      <Breadcrumb
        currentPageLabel="Test de positionnement"
        homeLinkProps={{ to: "/" }}
        segments={[{ label: "Mon profil de compétences", linkProps: { to: "/evaluation/profil" } }]}
      />
      {loadError ? (
        <LoadError error={loadError} what="le test" page />
      ) : !test ? (
        <p role="status">Chargement du test…</p>
      ) : test.statut === "termine" ? (
        <Resultat test={test} />
      ) : (
        <>
          <h1>Test de positionnement : {test.perimetre_titre}</h1>
          <p>
            Question {test.repondues + 1} sur {test.longueur_max} au plus. Vous pouvez quitter le test à tout moment et le
            reprendre plus tard depuis <Link to="/evaluation/profil">votre profil</Link>.
          </p>
          <div aria-live="polite">{avis && <Alert severity="warning" small description={avis} className="fr-mb-2w" />}</div>
          {test.question && (
            <Question
              key={test.question.rang}
              question={test.question}
              testId={test.id}
              onSuivant={(t, depasse) => {
                setAvis(depasse ? "Le temps était écoulé : la réponse précédente compte comme fausse." : null);
                setTest(t);
              }}
            />
          )}
        </>
      )}
    </div>
  );
}

function Question({
  question: q,
  testId,
  onSuivant
}: {
  question: EvaluationQuestion;
  testId: number;
  onSuivant: (t: EvaluationTest, tempsDepasse: boolean) => void;
}) {
  const [choix, setChoix] = useState<number[]>([]);
  const [valeurs, setValeurs] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [reste, setReste] = useState<number | null>(q.temps_restant ?? null);
  const chronometree = q.temps_restant != null;
  useEffect(() => {
    if (!chronometree) return;
    const t = setInterval(() => setReste(r => (r == null ? r : Math.max(0, r - 1))), 1000);
    return () => clearInterval(t);
  }, [chronometree]);
  const envoyer = async () => {
    setError(null);
    setBusy(true);
    try {
      const r = await repondreTest(testId, { item: q.item, ...(q.propositions.length ? { choix } : { valeurs }) });
      onSuivant(r, r.temps_depasse);
    } catch (e) {
      setError(isApiError(e) ? e : new ApiError(0, "inconnu", "Une erreur inattendue est survenue."));
      setBusy(false);
    }
  };
  return (
    <section className="coop-evaluation-apercu fr-p-3w fr-mb-4w" aria-labelledby="question-titre">
      <h2 id="question-titre">
        Question {q.rang} · {q.competence} {q.competence_titre}
      </h2>
      {reste != null && (
        <p>
          <Badge severity={reste > 10 ? "info" : "warning"} small>
            {reste > 0 ? `Temps restant : ${reste} s` : "Temps écoulé"}
          </Badge>
        </p>
      )}
      <div className="coop-evaluation-consigne" dangerouslySetInnerHTML={{ __html: q.consigne_html }} />
      {q.image && <img className="coop-evaluation-image fr-mb-3w" src={q.image.url} alt={q.image.texte} />}
      {q.piece_jointe && (
        <p>
          <a className="fr-link fr-icon-download-line fr-link--icon-left" href={q.piece_jointe.url} download>
            {q.piece_jointe.texte}
          </a>
        </p>
      )}
      <form
        onSubmit={e => {
          e.preventDefault();
          void envoyer();
        }}
      >
        {q.type === "QCU" && (
          <RadioButtons
            legend="Votre réponse"
            name="reponse"
            options={q.propositions.map((p, k) => ({
              label: p,
              nativeInputProps: { value: String(k + 1), checked: choix[0] === k + 1, onChange: () => setChoix([k + 1]) }
            }))}
          />
        )}
        {q.type === "QCM" && (
          <Checkbox
            legend="Votre réponse (plusieurs choix possibles)"
            options={q.propositions.map((p, k) => ({
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
        {!q.propositions.length &&
          q.champs.map(c => (
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
        <ErrorAlert error={error} title="La réponse n'a pas été enregistrée" as="h3" />
        <Button type="submit" iconId="fr-icon-arrow-right-line" iconPosition="right" disabled={busy}>
          {busy ? "Envoi…" : "Valider et continuer"}
        </Button>
      </form>
    </section>
  );
}

function Resultat({ test: t }: { test: EvaluationTest }) {
  return (
    <>
      <h1>Résultat du test : {t.perimetre_titre}</h1>
      {t.resultat && (
        <>
          <p className="fr-text--lead">
            <strong>{t.resultat.pix_total} pix</strong> obtenus sur ce test.
          </p>
          <ul>
            {t.resultat.competences.map(c => (
              <li key={c.competence}>
                {c.competence} {c.titre} : niveau {c.niveau}, {c.pix} pix
              </li>
            ))}
          </ul>
        </>
      )}
      <p>
        <Link className="fr-link" to="/evaluation/profil">
          Voir mon profil de compétences
        </Link>
      </p>
      <h2>Explications des questions</h2>
      <ol className="coop-evaluation-corrections">
        {(t.corrections ?? []).map(c => (
          <li key={c.rang} className="fr-mb-4w">
            <h3 className="fr-h6">
              Question {c.rang} · {c.competence} {c.competence_titre}{" "}
              <Badge severity={c.correct ? "success" : "error"} small>
                {c.correct ? "Bonne réponse" : c.temps_depasse ? "Temps écoulé" : "Réponse incorrecte"}
              </Badge>
            </h3>
            <div dangerouslySetInnerHTML={{ __html: c.consigne_html }} />
            <div className="fr-callout fr-p-2w">
              <p className="fr-text--bold fr-mb-1w">Explication</p>
              <div dangerouslySetInnerHTML={{ __html: c.explication_html }} />
            </div>
            {c.thematiques.length > 0 && (
              <p>
                Ressources Coop :{" "}
                {c.thematiques.map((th, k) => (
                  <span key={th.code}>
                    {k > 0 && " · "}
                    <Link to={`/ressources?thematique=${encodeURIComponent(th.code)}`}>{th.libelle}</Link>
                  </span>
                ))}
              </p>
            )}
          </li>
        ))}
      </ol>
    </>
  );
}
