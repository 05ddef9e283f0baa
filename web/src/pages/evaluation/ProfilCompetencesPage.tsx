import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { ApiError, isApiError } from "../../api/client";
import { commencerTest, dateFr, getProfil } from "../../api/positionnement";
import { ErrorAlert } from "../../components/ErrorAlert";
import { LoadError } from "../../components/LoadError";
import { useAsync } from "../../lib/useAsync";
import { useTitle } from "../../lib/useTitle";

/** « Mon profil de compétences »: the 16 competences (level, pix), the total, the 500-pix marker,
 * the progress over time, « Améliorer » per competence after the delay, the test in progress. */
export function ProfilCompetencesPage() {
  useTitle("Mon profil de compétences");
  const profil = useAsync(() => getProfil(), []);
  const navigate = useNavigate();
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const commencer = async (competence?: string) => {
    setError(null);
    setBusy(true);
    try {
      const t = await commencerTest(competence);
      navigate(`/evaluation/tests/${t.id}`);
    } catch (e) {
      setError(isApiError(e) ? e : new ApiError(0, "inconnu", "Une erreur inattendue est survenue."));
    } finally {
      setBusy(false);
    }
  };
  const p = profil.data;
  return (
    <div className="fr-container fr-my-6w">
      <h1>Mon profil de compétences</h1>
      {profil.error ? (
        <LoadError error={profil.error} what="votre profil" page />
      ) : !p ? (
        <p role="status">Chargement du profil…</p>
      ) : (
        <>
          <p className="fr-text--lead">
            Total : <strong>{p.pix_total} pix</strong> sur {p.pix_max} ·{" "}
            <span>≈ {p.pix_recommandes} pix recommandés pour les conseillers numériques</span>
          </p>
          <div
            className="fr-mb-3w"
            role="img"
            aria-label={`${p.pix_total} pix sur ${p.pix_recommandes} recommandés`}
            style={{ background: "var(--background-contrast-grey)", height: "0.75rem", position: "relative" }}
          >
            <div
              style={{
                background: "var(--background-action-high-blue-france)",
                height: "100%",
                width: `${Math.min(100, (100 * p.pix_total) / p.pix_recommandes)}%`
              }}
            />
          </div>
          <ErrorAlert error={error} title="Le test n'a pas commencé" as="h2" />
          {p.test_en_cours ? (
            <Alert
              severity="info"
              as="h2"
              className="fr-mb-3w"
              title="Vous avez un test en cours"
              description={
                <Link className="fr-link" to={`/evaluation/tests/${p.test_en_cours.id}`}>
                  Reprendre le test ({p.test_en_cours.perimetre === "tout" ? "toutes les compétences" : `compétence ${p.test_en_cours.perimetre}`})
                </Link>
              }
            />
          ) : (
            <Button className="fr-mb-3w" iconId="fr-icon-play-line" disabled={busy} onClick={() => void commencer()}>
              Passer le test sur toutes les compétences
            </Button>
          )}
          <div className="fr-table fr-table--no-caption" style={{ overflowX: "auto", maxWidth: "100%" }}>
            <div className="fr-table__wrapper">
              <div className="fr-table__container">
                <div className="fr-table__content">
                  <table>
                    <caption>Compétences</caption>
                    <thead>
                      <tr>
                        <th scope="col">Compétence</th>
                        <th scope="col">Niveau</th>
                        <th scope="col">Pix</th>
                        <th scope="col">Action</th>
                      </tr>
                    </thead>
                    <tbody>
                      {p.competences.map(c => (
                        <tr key={c.code}>
                          <th scope="row">
                            {c.code} {c.titre}
                          </th>
                          <td>{c.niveau ?? "—"}</td>
                          <td>{c.pix ?? "—"}</td>
                          <td>
                            {c.ameliorable_le ? (
                              <span>Améliorable à partir du {dateFr(c.ameliorable_le)}</span>
                            ) : (
                              <Button
                                size="small"
                                priority="secondary"
                                disabled={busy || !!p.test_en_cours}
                                onClick={() => void commencer(c.code)}
                              >
                                {c.pix == null ? "Évaluer" : "Améliorer"}
                                <span className="fr-sr-only">{` : ${c.code} ${c.titre}`}</span>
                              </Button>
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </div>
            </div>
          </div>
          <h2>Progression</h2>
          {p.progression.length === 0 ? (
            <p>Aucun test terminé pour l'instant.</p>
          ) : (
            <div className="fr-table fr-table--no-caption" style={{ overflowX: "auto", maxWidth: "100%" }}>
              <div className="fr-table__wrapper">
                <div className="fr-table__container">
                  <div className="fr-table__content">
                    <table>
                      <caption>Progression du total</caption>
                      <thead>
                        <tr>
                          <th scope="col">Date</th>
                          <th scope="col">Test</th>
                          <th scope="col">Total du profil</th>
                        </tr>
                      </thead>
                      <tbody>
                        {p.progression.map(x => {
                          const h = p.historique.find(t => t.test_id === x.test_id);
                          return (
                            <tr key={x.test_id}>
                              <td>{dateFr(x.date)}</td>
                              <td>
                                <Link to={`/evaluation/tests/${x.test_id}`}>
                                  {h?.perimetre === "tout" ? "Toutes les compétences" : `Compétence ${h?.perimetre ?? ""}`}
                                </Link>
                              </td>
                              <td>{x.pix_total} pix</td>
                            </tr>
                          );
                        })}
                      </tbody>
                    </table>
                  </div>
                </div>
              </div>
            </div>
          )}
          <p className="fr-text--sm">
            Vous pouvez améliorer une compétence {p.delai_jours} jour{p.delai_jours > 1 ? "s" : ""} après l'avoir testée.
          </p>
        </>
      )}
    </div>
  );
}
