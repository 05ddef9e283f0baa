import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useState } from "react";
import { Link } from "react-router";
import { isApiError, type ApiError } from "../../api/client";
import { listMentions } from "../../api/discussion";
import type { MessageMention } from "../../api/discussionTypes";
import { LoadError } from "../../components/LoadError";
import { useAsync } from "../../lib/useAsync";
import { useDiscussionEvents } from "./DiscussionContext";
import { heure, libelleJour } from "./outils";

/** One found or mentioning message, with where it is and a link to it in its topic. */
export function ExtraitMessage({ m, html, canal, sujet }: { m: { id: number; canal_id: number; sujet_id: number; auteur: { nom: string }; cree_le: string }; html: string; canal?: string; sujet?: string }) {
  return (
    <li className="coop-discussion__resultat">
      <p className={fr.cx("fr-text--xs", "fr-mb-0")}>
        {canal && <strong># {canal}</strong>}
        {sujet && <> › {sujet}</>}
      </p>
      <p className={fr.cx("fr-text--sm", "fr-mb-0")}>
        <Link to={`/discussion/${m.canal_id}/${m.sujet_id}?message=${m.id}`}>
          {m.auteur.nom}, {libelleJour(m.cree_le).toLowerCase()} à {heure(m.cree_le)}
          <span className="fr-sr-only"> : voir le message dans son sujet</span>
        </Link>
      </p>
      {/* Server HTML: the rendered message, or the search excerpt (escaped there, with <mark>). */}
      <div className="coop-message__corps coop-message__corps--court" dangerouslySetInnerHTML={{ __html: html }} />
    </li>
  );
}

export function Mentions() {
  const premiere = useAsync(() => listMentions(), []);
  const [suite, setSuite] = useState<MessageMention[]>([]);
  const [fin, setFin] = useState(false);
  const [erreur, setErreur] = useState<ApiError | null>(null);
  useDiscussionEvents({
    onEvent: e => {
      if (e.evenement === "mention") premiere.reload();
    }
  });
  const items = [...(premiere.data?.items ?? []), ...suite];
  const encore = async () => {
    const dernier = items[items.length - 1];
    if (!dernier) return;
    try {
      const r = await listMentions(dernier.id);
      setSuite(s => [...s, ...r.items]);
      if (!r.items.length) setFin(true);
    } catch (e) {
      if (isApiError(e)) setErreur(e);
    }
  };
  return (
    <section aria-labelledby="mentions-titre" className="coop-discussion__colonne coop-discussion__outil-contenu">
      <div className="coop-discussion__entete">
        <Link to="/discussion" className={fr.cx("fr-link", "fr-link--sm", "fr-link--icon-left", "fr-icon-arrow-left-line")} data-retour>
          Canaux
        </Link>
        <h2 id="mentions-titre" className={fr.cx("fr-h5", "fr-mb-0")}>
          Mentions
        </h2>
        <p className={fr.cx("fr-text--sm", "fr-mb-0")}>Les messages qui vous mentionnent, les plus récents d'abord.</p>
      </div>
      {premiere.error ? (
        <LoadError error={premiere.error} what="vos mentions" />
      ) : !premiere.data ? (
        <p className="fr-text--sm" role="status">
          Chargement des mentions…
        </p>
      ) : items.length === 0 ? (
        <p className="fr-text--sm">Personne ne vous a encore mentionné.</p>
      ) : (
        <>
          <ul className="coop-discussion__resultats" aria-label="Messages qui vous mentionnent" data-testid="mentions">
            {items.map(m => (
              <ExtraitMessage key={m.id} m={m} html={m.html} canal={m.canal?.nom} sujet={m.sujet?.titre} />
            ))}
          </ul>
          {erreur && <LoadError error={erreur} what="les mentions suivantes" />}
          {!fin && items.length >= 20 && (
            <Button type="button" size="small" priority="secondary" onClick={() => void encore()}>
              Mentions plus anciennes
            </Button>
          )}
        </>
      )}
    </section>
  );
}
