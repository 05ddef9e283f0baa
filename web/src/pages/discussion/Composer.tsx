import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Tag } from "@codegouvfr/react-dsfr/Tag";
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { ApiError, isApiError } from "../../api/client";
import { chercherPersonnes, deposerFichier, posterMessage, signalerFrappe, type FichierDepose } from "../../api/discussion";
import type { Canal, Message } from "../../api/discussionTypes";
import { ErrorAlert } from "../../components/ErrorAlert";
import { finSourdine } from "./outils";

interface Proposition {
  cle: string;
  texte: string;
  detail: string;
  insertion: string;
}

const GROUPES: Proposition[] = [
  { cle: "canal", texte: "@canal", detail: "prévient tous les membres du canal", insertion: "@canal" },
  { cle: "ici", texte: "@ici", detail: "prévient les membres connectés", insertion: "@ici" }
];

/** The « @mot » being typed just before the caret, or null. */
function mentionEnCours(texte: string, curseur: number): { debut: number; q: string } | null {
  const avant = texte.slice(0, curseur);
  const m = /(^|\s)@([^\s@*]{0,40})$/.exec(avant);
  if (!m) return null;
  return { debut: curseur - m[2].length - 1, q: m[2] };
}

const FRAPPE_MS = 3000;

export function Composer({ canal, sujetId, onEnvoye }: { canal: Canal; sujetId: number; onEnvoye: (m: Message) => void }) {
  const base = useId().replace(/:/g, "");
  const [texte, setTexte] = useState("");
  const [envoi, setEnvoi] = useState(false);
  const [erreur, setErreur] = useState<ApiError | null>(null);
  const [mention, setMention] = useState<{ debut: number; q: string } | null>(null);
  const [propositions, setPropositions] = useState<Proposition[]>([]);
  const [actif, setActif] = useState(0);
  const [fichiers, setFichiers] = useState<FichierDepose[]>([]);
  const [depots, setDepots] = useState(0);
  const [survol, setSurvol] = useState(false);
  const choixFichiers = useRef<HTMLInputElement>(null);
  const zone = useRef<HTMLTextAreaElement>(null);
  const derniereFrappe = useRef(0);
  const brouillonCle = `coop-brouillon-${canal.id}-${sujetId}`;

  // Drafts survive a change of topic and a reload (this device only).
  useEffect(() => {
    setTexte(sessionStorage.getItem(brouillonCle) ?? "");
  }, [brouillonCle]);
  useEffect(() => {
    if (texte) sessionStorage.setItem(brouillonCle, texte);
    else sessionStorage.removeItem(brouillonCle);
  }, [texte, brouillonCle]);

  useEffect(() => {
    if (!mention) {
      setPropositions([]);
      return;
    }
    const ctrl = new AbortController();
    const groupes = GROUPES.filter(g => g.cle.startsWith(mention.q.toLowerCase()));
    const t = setTimeout(() => {
      chercherPersonnes(mention.q, canal.id, ctrl.signal)
        .then(r => {
          setPropositions([
            ...r.items.slice(0, 8).map(p => ({
              cle: String(p.id),
              texte: p.nom,
              detail: p.structure ?? "",
              insertion: `@**${p.nom}|${p.id}**`
            })),
            ...(canal.type === "direct" ? [] : groupes)
          ]);
          setActif(0);
        })
        .catch(() => undefined);
    }, 150);
    return () => {
      clearTimeout(t);
      ctrl.abort();
    };
  }, [mention, canal.id, canal.type]);

  const suivre = (valeur: string, curseur: number) => {
    setTexte(valeur);
    setMention(mentionEnCours(valeur, curseur));
    const maintenant = Date.now();
    if (valeur && maintenant - derniereFrappe.current > FRAPPE_MS) {
      derniereFrappe.current = maintenant;
      void signalerFrappe(canal.id, sujetId).catch(() => undefined);
    }
  };

  const choisir = (p: Proposition) => {
    if (!mention) return;
    const fin = mention.debut + 1 + mention.q.length;
    const valeur = `${texte.slice(0, mention.debut)}${p.insertion} ${texte.slice(fin)}`;
    const curseur = mention.debut + p.insertion.length + 1;
    setTexte(valeur);
    setMention(null);
    requestAnimationFrame(() => {
      zone.current?.focus();
      zone.current?.setSelectionRange(curseur, curseur);
    });
  };

  // Attachments: each file goes to the file store first; the message refers to them by sha256.
  const deposer = async (liste: FileList | File[]) => {
    setErreur(null);
    for (const f of Array.from(liste)) {
      setDepots(n => n + 1);
      try {
        const d = await deposerFichier(f);
        setFichiers(l => (l.some(x => x.sha256 === d.sha256) ? l : [...l, { sha256: d.sha256, nom: d.nom, type: d.type, taille: d.taille }]));
      } catch (e) {
        if (isApiError(e)) setErreur(new ApiError(e.status, e.code, `« ${f.name} » : ${e.message}`, e.fields));
      } finally {
        setDepots(n => n - 1);
      }
    }
  };

  const envoyer = async () => {
    if ((!texte.trim() && !fichiers.length) || envoi || depots > 0) return;
    setEnvoi(true);
    setErreur(null);
    try {
      const m = await posterMessage(canal.id, { sujet_id: sujetId, texte, ...(fichiers.length ? { fichiers: fichiers.map(f => f.sha256) } : {}) });
      setTexte("");
      setFichiers([]);
      setMention(null);
      onEnvoye(m);
    } catch (e) {
      if (isApiError(e)) setErreur(e);
    } finally {
      setEnvoi(false);
      zone.current?.focus();
    }
  };

  const ouvert = mention !== null && propositions.length > 0;
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (ouvert) {
      if (e.key === "ArrowDown") {
        e.preventDefault();
        setActif(a => (a + 1) % propositions.length);
        return;
      }
      if (e.key === "ArrowUp") {
        e.preventDefault();
        setActif(a => (a - 1 + propositions.length) % propositions.length);
        return;
      }
      if (e.key === "Enter" || e.key === "Tab") {
        e.preventDefault();
        choisir(propositions[actif]);
        return;
      }
      if (e.key === "Escape") {
        e.preventDefault();
        setMention(null);
        return;
      }
    }
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void envoyer();
    }
  };

  if (!canal.peut_ecrire || canal.archive) {
    // The composer is replaced by why one cannot write (and, when muted, until when).
    return (
      <div className={fr.cx("fr-alert", "fr-alert--info", "fr-alert--sm")} data-testid="composer-ferme">
        <p>
          {canal.archive
            ? "Ce canal est archivé : son historique reste lisible, on ne peut plus y écrire."
            : canal.en_sourdine_jusqu_au
              ? `Un modérateur vous a mis en sourdine dans ce canal ${finSourdine(canal.en_sourdine_jusqu_au)} : vous ne pouvez ni y écrire ni y réagir.`
            : canal.membre
              ? "Seuls les modérateurs écrivent dans ce canal."
              : "Rejoignez ce canal pour y écrire."}
        </p>
      </div>
    );
  }

  const listeId = `${base}-propositions`;
  return (
    <form
      className={`coop-composer${survol ? " coop-composer--survol" : ""}`}
      onSubmit={e => {
        e.preventDefault();
        void envoyer();
      }}
      onDragOver={e => {
        if (![...e.dataTransfer.types].includes("Files")) return;
        e.preventDefault();
        setSurvol(true);
      }}
      onDragLeave={() => setSurvol(false)}
      onDrop={e => {
        if (!e.dataTransfer.files.length) return;
        e.preventDefault();
        setSurvol(false);
        void deposer(e.dataTransfer.files);
      }}
      aria-label="Écrire un message"
    >
      <ErrorAlert error={erreur} title="Le message n'a pas été envoyé" as="h3" className="fr-mb-1w" />
      <label className="fr-label fr-sr-only" htmlFor={`${base}-texte`}>
        Votre message
      </label>
      <div className="coop-composer__zone">
        <textarea
          ref={zone}
          id={`${base}-texte`}
          name="message"
          className="fr-input"
          rows={2}
          value={texte}
          placeholder="Écrire un message…"
          aria-describedby={`${base}-aide`}
          aria-autocomplete="list"
          aria-controls={ouvert ? listeId : undefined}
          aria-activedescendant={ouvert ? `${listeId}-${actif}` : undefined}
          onChange={e => suivre(e.target.value, e.target.selectionStart)}
          onKeyDown={onKeyDown}
          onBlur={() => setTimeout(() => setMention(null), 150)}
        />
        {ouvert && (
          <ul id={listeId} role="listbox" className="coop-composer__propositions" aria-label="Personnes à mentionner">
            {propositions.map((p, i) => (
              <li
                key={p.cle}
                id={`${listeId}-${i}`}
                role="option"
                aria-selected={i === actif}
                className={i === actif ? "coop-composer__proposition--active" : undefined}
                onMouseDown={e => {
                  e.preventDefault();
                  choisir(p);
                }}
              >
                <strong>{p.texte}</strong>
                {p.detail && <span className="fr-hint-text"> {p.detail}</span>}
              </li>
            ))}
          </ul>
        )}
        <Button type="submit" size="small" iconId="fr-icon-send-plane-fill" disabled={envoi || depots > 0 || (!texte.trim() && !fichiers.length)}>
          Envoyer
        </Button>
      </div>
      <div className="coop-composer__fichiers">
        <input
          ref={choixFichiers}
          id={`${base}-fichiers`}
          type="file"
          multiple
          className="fr-sr-only"
          tabIndex={-1}
          aria-hidden="true"
          onChange={e => {
            if (e.target.files?.length) void deposer(e.target.files);
            e.target.value = "";
          }}
        />
        <Button type="button" size="small" priority="tertiary no outline" iconId="fr-icon-attachment-line" onClick={() => choixFichiers.current?.click()}>
          Joindre un fichier
        </Button>
        <span className="fr-hint-text fr-text--xs coop-composer__glisser">ou glissez-les ici</span>
        {depots > 0 && (
          <span className="fr-text--xs" role="status">
            Envoi du fichier…
          </span>
        )}
        {fichiers.length > 0 && (
          <ul className="fr-tags-group" aria-label="Fichiers joints au message">
            {fichiers.map(f => (
              <li key={f.sha256}>
                <Tag small dismissible nativeButtonProps={{ type: "button", onClick: () => setFichiers(l => l.filter(x => x.sha256 !== f.sha256)), "aria-label": `Retirer ${f.nom}` }}>
                  {f.nom}
                </Tag>
              </li>
            ))}
          </ul>
        )}
      </div>
      <p className="fr-sr-only" role="status" aria-live="polite">
        {ouvert ? `${propositions.length} proposition${propositions.length > 1 ? "s" : ""}, flèches haut et bas pour choisir, Entrée pour insérer.` : ""}
      </p>
      <p id={`${base}-aide`} className={`${fr.cx("fr-hint-text", "fr-text--xs", "fr-mb-0")} coop-composer__astuce`}>
        Entrée pour envoyer, Maj + Entrée pour aller à la ligne, @ pour mentionner quelqu'un.
      </p>
      <details className="coop-composer__aide">
        <summary className="fr-text--xs">Aide à la mise en forme</summary>
        <table className="coop-composer__table">
          <caption className="fr-sr-only">Mise en forme des messages (Markdown)</caption>
          <thead>
            <tr>
              <th scope="col">Vous écrivez</th>
              <th scope="col">Résultat</th>
            </tr>
          </thead>
          <tbody>
            <tr><td><code>**gras**</code></td><td><strong>gras</strong></td></tr>
            <tr><td><code>*italique*</code></td><td><em>italique</em></td></tr>
            <tr><td><code>~~barré~~</code></td><td><del>barré</del></td></tr>
            <tr><td><code>`code`</code></td><td><code>code</code></td></tr>
            <tr><td><code>[texte](https://…)</code></td><td>un lien</td></tr>
            <tr><td><code>- élément</code></td><td>une liste</td></tr>
            <tr><td><code>&gt; citation</code></td><td>une citation</td></tr>
            <tr><td><code>@nom</code></td><td>mentionne une personne ; <code>@canal</code>, <code>@ici</code> : tout le canal</td></tr>
          </tbody>
        </table>
      </details>
    </form>
  );
}
