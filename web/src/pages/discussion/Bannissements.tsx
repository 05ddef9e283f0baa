/**
 * Admins: exclusions from the whole discussion space (GET, POST /api/discussion/bannissements,
 * DELETE …/{user_id}): the bans in force with their reason, who decided and when; a form to
 * exclude someone, and « Lever l'exclusion ». Shown on the moderation page.
 */
import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useState, type FormEvent } from "react";
import { ApiError, isApiError } from "../../api/client";
import { bannir, leverBannissement, listBannissements } from "../../api/discussion";
import type { PersonneTrouvee } from "../../api/discussionTypes";
import { ErrorAlert } from "../../components/ErrorAlert";
import { LoadError } from "../../components/LoadError";
import { formatDateTime } from "../../lib/format";
import { useAsync } from "../../lib/useAsync";
import { PersonnePicker } from "./PersonnePicker";

export function Bannissements({ onAnnonce }: { onAnnonce: (s: string) => void }) {
  const liste = useAsync(listBannissements, []);
  const [personne, setPersonne] = useState<PersonneTrouvee | null>(null);
  const [motif, setMotif] = useState("");
  const [erreur, setErreur] = useState<ApiError | null>(null);
  const [envoi, setEnvoi] = useState(false);
  const [cle, setCle] = useState(0);

  const exclure = async (e: FormEvent) => {
    e.preventDefault();
    const manque: Record<string, string> = {};
    if (!personne) manque.user_id = "Choisissez la personne à exclure.";
    if (!motif.trim()) manque.motif = "Donnez le motif de l'exclusion.";
    if (Object.keys(manque).length || !personne) {
      setErreur(new ApiError(400, "validation", "L'exclusion n'a pas été enregistrée.", manque));
      return;
    }
    setEnvoi(true);
    setErreur(null);
    try {
      await bannir(personne.id, motif.trim());
      onAnnonce(`${personne.nom} est exclu de l'espace de discussion.`);
      setPersonne(null);
      setMotif("");
      setCle(k => k + 1);
      liste.reload();
    } catch (err) {
      if (isApiError(err)) setErreur(err);
    } finally {
      setEnvoi(false);
    }
  };

  const lever = async (userId: number, nom: string) => {
    setErreur(null);
    try {
      await leverBannissement(userId);
      liste.setData(d => d && { items: d.items.filter(b => b.user_id !== userId) });
      onAnnonce(`L'exclusion de ${nom} est levée.`);
    } catch (err) {
      if (isApiError(err)) setErreur(err);
    }
  };

  return (
    <section aria-labelledby="bannissements-titre" className="fr-mt-4w">
      <h3 id="bannissements-titre" className="fr-h6">
        Exclusions de l'espace de discussion
      </h3>
      <p className="fr-text--sm">
        Une personne exclue ne lit ni n'écrit plus dans aucun canal ; le reste de Coop lui reste ouvert. Chaque décision est
        inscrite au journal d'audit.
      </p>
      <ErrorAlert error={erreur && !erreur.fields.user_id && !erreur.fields.motif ? erreur : null} as="h4" />
      <form onSubmit={exclure} noValidate className="coop-discussion__exclusion">
        <div className={erreur?.fields.user_id ? "fr-input-group--error" : undefined}>
          <PersonnePicker key={cle} label="Personne à exclure" name="user_id" garder onChange={setPersonne} />
          {erreur?.fields.user_id && <p className="fr-error-text">{erreur.fields.user_id}</p>}
        </div>
        <Input
          label="Motif de l'exclusion"
          textArea
          state={erreur?.fields.motif ? "error" : "default"}
          stateRelatedMessage={erreur?.fields.motif}
          nativeTextAreaProps={{ value: motif, onChange: e => setMotif(e.target.value), rows: 2, maxLength: 500, name: "motif" }}
        />
        <Button type="submit" size="small" disabled={envoi} iconId="fr-icon-close-circle-line">
          Exclure de la discussion
        </Button>
      </form>
      <h4 className="fr-text--md fr-mt-3w fr-mb-1w">Exclusions en cours</h4>
      {liste.error ? (
        <LoadError error={liste.error} what="les exclusions" />
      ) : !liste.data ? (
        <p className="fr-text--sm" role="status">
          Chargement des exclusions…
        </p>
      ) : liste.data.items.length === 0 ? (
        <p className="fr-text--sm fr-mt-2w">Aucune exclusion en cours.</p>
      ) : (
        <ul className="coop-discussion__resultats fr-mt-2w" aria-label="Exclusions en cours">
          {liste.data.items.map(b => (
            <li key={b.user_id} className="coop-discussion__resultat" data-banni-id={b.user_id}>
              <p className={fr.cx("fr-text--sm", "fr-mb-0")}>
                <strong>{b.nom}</strong>
              </p>
              <p className={fr.cx("fr-text--sm", "fr-mb-1w")}>
                Exclu le {formatDateTime(b.le)} par {b.par.nom} : « {b.motif} »
              </p>
              <Button type="button" size="small" priority="secondary" onClick={() => void lever(b.user_id, b.nom)} nativeButtonProps={{ "aria-label": `Lever l'exclusion de ${b.nom}` }}>
                Lever l'exclusion
              </Button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
