import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { memo, useState } from "react";
import { Link, useNavigate } from "react-router";
import { isApiError, type ApiError } from "../../api/client";
import {
  ajouterReaction,
  desepingler,
  epingler,
  modifierMessage,
  retirerReaction,
  signalerMessage,
  supprimerMessage
} from "../../api/discussion";
import type { Message } from "../../api/discussionTypes";
import { ErrorAlert } from "../../components/ErrorAlert";
import { formatDateTime } from "../../lib/format";
import { REACTIONS, heure } from "./outils";

export interface MessageActions {
  onChange: (m: Message) => void;
  onNonLu: (m: Message) => void;
  onAnnonce: (s: string) => void;
}

function taille(octets: number): string {
  if (octets < 1024) return `${octets} o`;
  if (octets < 1024 * 1024) return `${Math.round(octets / 1024)} Ko`;
  return `${(octets / 1024 / 1024).toFixed(1).replace(".", ",")} Mo`;
}

function useBasculerReaction(m: Message, onChange: (m: Message) => void, onErreur: (e: ApiError) => void) {
  return async (emoji: string) => {
    const r = m.reactions.find(x => x.emoji === emoji);
    const moi = !!r?.moi;
    // Shown at once; the server's event confirms (or the error undoes it).
    const reactions = moi
      ? m.reactions.map(x => (x.emoji === emoji ? { ...x, nb: x.nb - 1, moi: false } : x)).filter(x => x.nb > 0)
      : r
        ? m.reactions.map(x => (x.emoji === emoji ? { ...x, nb: x.nb + 1, moi: true } : x))
        : [...m.reactions, { emoji, nb: 1, moi: true }];
    onChange({ ...m, reactions });
    try {
      if (moi) await retirerReaction(m.id, emoji);
      else await ajouterReaction(m.id, emoji);
    } catch (e) {
      onChange(m);
      if (isApiError(e)) onErreur(e);
    }
  };
}

function Reactions({ m, basculer }: { m: Message; basculer: (emoji: string) => Promise<void> }) {
  return (
    <>
      {m.reactions.length > 0 && (
        <ul className="coop-message__reactions" aria-label="Réactions">
          {m.reactions.map(r => (
            <li key={r.emoji}>
              <button
                type="button"
                className={`coop-message__reaction${r.moi ? " coop-message__reaction--moi" : ""}`}
                aria-pressed={r.moi}
                aria-label={`${r.emoji} : ${r.nb} réaction${r.nb > 1 ? "s" : ""}${r.moi ? ", dont la vôtre" : ""}`}
                onClick={() => void basculer(r.emoji)}
              >
                <span aria-hidden="true">
                  {r.emoji} {r.nb}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function ReactionPicker({ onChoix }: { onChoix: (emoji: string) => void }) {
  const [ouvert, setOuvert] = useState(false);
  return (
    <span className="coop-message__picker">
      <button type="button" className="coop-message__outil" aria-expanded={ouvert} onClick={() => setOuvert(o => !o)}>
        <span className="ri-emotion-line fr-icon--sm" aria-hidden="true" /> Réagir
      </button>
      {ouvert && (
        <span className="coop-message__emojis" role="group" aria-label="Choisir une réaction">
          {REACTIONS.map(e => (
            <button
              key={e}
              type="button"
              className="coop-message__reaction"
              onClick={() => {
                setOuvert(false);
                onChoix(e);
              }}
            >
              {e}
            </button>
          ))}
        </span>
      )}
    </span>
  );
}

export const MessageItem = memo(function MessageItem({
  m,
  moiId,
  moderateur,
  peutEcrire,
  compact,
  actions,
  selection
}: {
  m: Message;
  moiId: number | null;
  moderateur: boolean;
  peutEcrire: boolean;
  compact: boolean;
  actions: MessageActions;
  /** Selection mode (moving messages): is this one ticked, and how to tick it. */
  selection?: { coche: boolean; basculer: (id: number) => void };
}) {
  const [edition, setEdition] = useState<string | null>(null);
  const [menu, setMenu] = useState(false);
  const [erreur, setErreur] = useState<ApiError | null>(null);
  const [confirmer, setConfirmer] = useState(false);
  const [motif, setMotif] = useState<string | null>(null);
  const mien = m.auteur.id === moiId;
  const basculer = useBasculerReaction(m, actions.onChange, setErreur);
  const navigate = useNavigate();
  const titreId = `message-${m.id}-auteur`;

  const faire = async (f: () => Promise<unknown>, annonce: string, apres?: (r: unknown) => void) => {
    setErreur(null);
    try {
      const r = await f();
      apres?.(r);
      actions.onAnnonce(annonce);
    } catch (e) {
      if (isApiError(e)) setErreur(e);
    }
  };

  return (
    <li
      className={`coop-message${compact && !selection ? " coop-message--suite" : ""}${m.mentionne_moi ? " coop-message--mention" : ""}${m.epingle ? " coop-message--epingle" : ""}${selection?.coche ? " coop-message--choisi" : ""}`}
      id={`message-${m.id}`}
      data-message-id={m.id}
      aria-labelledby={titreId}
      tabIndex={-1}
    >
      {selection && !m.supprime && (
        <div className={fr.cx("fr-checkbox-group", "fr-checkbox-group--sm")}>
          <input type="checkbox" id={`choix-${m.id}`} checked={selection.coche} onChange={() => selection.basculer(m.id)} />
          <label className="fr-label" htmlFor={`choix-${m.id}`}>
            Sélectionner le message de {m.auteur.nom} de {heure(m.cree_le)}
          </label>
        </div>
      )}
      <p className="coop-message__tete" id={titreId}>
        <span className={compact && !selection ? "fr-sr-only" : "coop-message__auteur"}>{m.auteur.nom}</span>{" "}
        <time dateTime={m.cree_le} title={formatDateTime(m.cree_le)} className="coop-message__heure">
          {heure(m.cree_le)}
        </time>
        {m.modifie_le && !m.supprime && <span className="coop-message__marque"> (modifié)</span>}
        {m.epingle && (
          <span className="coop-message__marque">
            {" "}
            <span className="ri-pushpin-line fr-icon--sm" aria-hidden="true" /> épinglé
          </span>
        )}
      </p>
      {m.supprime ? (
        <p className="coop-message__supprime">
          Message supprimé.
          {m.texte_supprime && (
            <>
              {" "}
              <span className="fr-hint-text">Texte (visible des modérateurs) : {m.texte_supprime}</span>
            </>
          )}
        </p>
      ) : edition !== null ? (
        <form
          className="coop-message__edition"
          onSubmit={e => {
            e.preventDefault();
            if (!edition.trim()) return;
            void faire(() => modifierMessage(m.id, edition), "Message modifié.", r => {
              actions.onChange(r as Message);
              setEdition(null);
            });
          }}
        >
          <label className="fr-label" htmlFor={`edition-${m.id}`}>
            Modifier le message
          </label>
          <textarea
            id={`edition-${m.id}`}
            className="fr-input"
            value={edition}
            rows={3}
            autoFocus
            onChange={e => setEdition(e.target.value)}
            onKeyDown={e => {
              if (e.key === "Escape") setEdition(null);
            }}
          />
          <div className="coop-actions fr-mt-1w">
            <Button type="submit" size="small">
              Enregistrer
            </Button>
            <Button type="button" size="small" priority="secondary" onClick={() => setEdition(null)}>
              Annuler
            </Button>
          </div>
        </form>
      ) : (
        // The HTML is the server's rendering of the markdown, sanitised there (core/markdown).
        // Links to Coop pages (no target) open inside the application, without reloading it.
        <div
          className="coop-message__corps"
          dangerouslySetInnerHTML={{ __html: m.html }}
          onClick={e => {
            const a = (e.target as HTMLElement).closest("a");
            const href = a?.getAttribute("href");
            if (!a || !href || !href.startsWith("/") || href.startsWith("//") || a.target || e.ctrlKey || e.metaKey || e.shiftKey) return;
            e.preventDefault();
            navigate(href);
          }}
        />
      )}
      {!m.supprime && m.fichiers.length > 0 && (
        <ul className="coop-message__fichiers" aria-label="Fichiers joints">
          {m.fichiers.map(f => (
            <li key={f.sha256}>
              {f.type.startsWith("image/") ? (
                <a href={`/api/fichiers/${f.sha256}`} target="_blank" rel="noopener noreferrer" title={`${f.nom} – nouvelle fenêtre`}>
                  <img src={`/api/fichiers/${f.sha256}?apercu=1`} alt={f.nom} className="coop-message__image" loading="lazy" />
                </a>
              ) : (
                <a className={fr.cx("fr-link", "fr-link--sm", "fr-link--icon-left", "fr-icon-attachment-line")} href={`/api/fichiers/${f.sha256}`} download={f.nom}>
                  {f.nom} ({taille(f.taille)})
                </a>
              )}
            </li>
          ))}
        </ul>
      )}
      {!m.supprime && m.cartes.length > 0 && (
        <ul className="coop-message__cartes" aria-label="Pages de Coop citées">
          {m.cartes.map(c => (
            <li key={c.chemin} className="coop-message__carte">
              <Link to={c.chemin}>{c.titre}</Link>
              <span className="fr-hint-text fr-text--xs"> {c.chemin}</span>
            </li>
          ))}
        </ul>
      )}
      {!m.supprime && <Reactions m={m} basculer={basculer} />}
      {!m.supprime && !selection && (
        <div className={`coop-message__barre${menu ? " coop-message__barre--ouverte" : ""}`}>
          <ReactionPicker onChoix={e => void basculer(e)} />
          <button type="button" className="coop-message__outil" aria-expanded={menu} aria-controls={`actions-${m.id}`} onClick={() => setMenu(o => !o)}>
            <span className="fr-icon-more-line fr-icon--sm" aria-hidden="true" /> Actions
            <span className="fr-sr-only"> sur le message de {m.auteur.nom} de {heure(m.cree_le)}</span>
          </button>
          <span id={`actions-${m.id}`} hidden={!menu} className="coop-message__menu">
            <button type="button" className="coop-message__outil" onClick={() => { setMenu(false); actions.onNonLu(m); }}>
              Marquer comme non lu
            </button>
            {mien && peutEcrire && (
              <button type="button" className="coop-message__outil" onClick={() => { setMenu(false); setEdition(m.texte); }}>
                Modifier
              </button>
            )}
            {moderateur && (
              <button
                type="button"
                className="coop-message__outil"
                onClick={() => {
                  setMenu(false);
                  void faire(() => (m.epingle ? desepingler(m.id) : epingler(m.id)), m.epingle ? "Message désépinglé." : "Message épinglé.", () =>
                    actions.onChange({ ...m, epingle: !m.epingle })
                  );
                }}
              >
                {m.epingle ? "Désépingler" : "Épingler"}
              </button>
            )}
            {(mien || moderateur) &&
              (confirmer ? (
                <>
                  <button
                    type="button"
                    className="coop-message__outil coop-message__outil--danger"
                    autoFocus
                    onClick={() => {
                      setConfirmer(false);
                      setMenu(false);
                      void faire(() => supprimerMessage(m.id), "Message supprimé.", () => actions.onChange({ ...m, supprime: true, texte: "", html: "" }));
                    }}
                  >
                    Confirmer la suppression
                  </button>
                  <button type="button" className="coop-message__outil" onClick={() => setConfirmer(false)}>
                    Annuler
                  </button>
                </>
              ) : (
                <button type="button" className="coop-message__outil" onClick={() => setConfirmer(true)}>
                  Supprimer
                </button>
              ))}
            {!mien && (
              <button
                type="button"
                className="coop-message__outil"
                onClick={() => {
                  setMenu(false);
                  setMotif("");
                }}
              >
                Signaler
              </button>
            )}
          </span>
        </div>
      )}
      {motif !== null && (
        <form
          className="coop-message__edition"
          onSubmit={e => {
            e.preventDefault();
            if (!motif.trim()) return;
            void faire(() => signalerMessage(m.id, motif.trim()), "Message signalé aux modérateurs.", () => setMotif(null));
          }}
        >
          <label className="fr-label" htmlFor={`motif-${m.id}`}>
            Pourquoi signalez-vous ce message aux modérateurs ?
          </label>
          <textarea id={`motif-${m.id}`} className="fr-input" rows={2} value={motif} autoFocus maxLength={500} onChange={e => setMotif(e.target.value)} />
          <div className="coop-actions fr-mt-1w">
            <Button type="submit" size="small" disabled={!motif.trim()}>
              Signaler
            </Button>
            <Button type="button" size="small" priority="secondary" onClick={() => setMotif(null)}>
              Annuler
            </Button>
          </div>
        </form>
      )}
      <ErrorAlert error={erreur} as="h4" className="fr-mt-1w" />
    </li>
  );
});
