import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Fragment, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { ApiError, isApiError } from "../../api/client";
import { listEpingles, listMessages, marquerLu, marquerNonLu, renommerSujet, type MessagesQuery } from "../../api/discussion";
import type { Canal, Compteurs, EvenementDiscussion, Message, Sujet } from "../../api/discussionTypes";
import { DeplacerMessages, deplacerModal } from "./DeplacerMessages";
import { ErrorAlert } from "../../components/ErrorAlert";
import { LoadError } from "../../components/LoadError";
import { Composer } from "./Composer";
import { useDiscussionEvents } from "./DiscussionContext";
import { MessageItem, type MessageActions } from "./MessageItem";
import { cleJour, estMessage, fusionner, heure, libelleJour, nomCanal } from "./outils";

const LIMITE = 50;
/** Pixels from the bottom under which the view follows new messages. */
const BAS = 80;
const FRAPPE_AFFICHEE_MS = 6000;
const LECTURE_MS = 1000;

interface Fil {
  items: Message[];
  plusAnciens: boolean;
  plusRecents: boolean;
}

/**
 * The message carried by an event (message_cree, message_modifie): the same JSON for every member,
 * so « mentionne_moi » comes from its list `mentions` and « moi » of the reactions is unknown.
 */
function messageDe(e: EvenementDiscussion, moiId: number | null): Message | null {
  const d = estMessage(e.data) ? e.data : (e.data as { message?: unknown }).message;
  if (!estMessage(d)) return null;
  const mentions = (d as { mentions?: unknown }).mentions;
  return Array.isArray(mentions) ? { ...d, mentionne_moi: moiId !== null && mentions.includes(moiId) } : d;
}

export function FilMessages({
  canal,
  sujetId,
  sujet,
  moiId,
  estAdmin,
  onLecture,
  onAnnonce,
  onDeplace
}: {
  canal: Canal;
  sujetId: number;
  sujet: Sujet | null;
  moiId: number | null;
  estAdmin: boolean;
  onLecture: (o?: Compteurs) => void;
  onAnnonce: (s: string) => void;
  /** Messages were moved from here to that topic (the topic list reloads). */
  onDeplace?: (destination: Sujet) => void;
}) {
  const [params] = useSearchParams();
  const cible = Number(params.get("message")) || null;
  const [fil, setFil] = useState<Fil | null>(null);
  const [erreur, setErreur] = useState<ApiError | null>(null);
  const [erreurAction, setErreurAction] = useState<ApiError | null>(null);
  const [chargement, setChargement] = useState<"haut" | "bas" | null>(null);
  const [premierNonLu, setPremierNonLu] = useState<number | null>(null);
  const [nouveaux, setNouveaux] = useState(0);
  const [frappe, setFrappe] = useState<Map<number, { nom: string; jusqua: number }>>(new Map());
  const [epingles, setEpingles] = useState<Message[] | null>(null);
  const [generation, setGeneration] = useState(0);
  const [renommage, setRenommage] = useState<string | null>(null);
  // Selection mode (moderators moving messages): the ids ticked, or null when off.
  const [choisis, setChoisis] = useState<Set<number> | null>(null);
  const boutonDeplacer = useRef<HTMLButtonElement>(null);
  const boutonSelection = useRef<HTMLButtonElement>(null);
  // After a move or a cancel the selection bar is gone: the focus goes back to « Déplacer des messages ».
  const focusSelection = useRef(false);
  useEffect(() => {
    if (choisis !== null || !focusSelection.current) return;
    focusSelection.current = false;
    boutonSelection.current?.focus();
  }, [choisis]);
  const defile = useRef<HTMLDivElement>(null);
  const ancre = useRef<{ hauteur: number; haut: number } | null>(null);
  const allerEnBas = useRef(false);
  const versMessage = useRef<number | null>(null);
  const dernierLu = useRef(0);
  const nonLuManuel = useRef(false);
  const filRef = useRef<Fil | null>(null);
  filRef.current = fil;
  const moderateur = canal.peut_moderer || canal.role === "moderateur" || estAdmin;

  // First page: around the message asked for (search, mentions), else the newest ones.
  const charger = useCallback(
    async (q: MessagesQuery) => {
      setErreur(null);
      try {
        const r = await listMessages(canal.id, { sujet: sujetId, limite: LIMITE, ...q });
        setFil({ items: r.items, plusAnciens: r.plus_anciens, plusRecents: r.plus_recents });
        setPremierNonLu(r.premier_non_lu ?? null);
        setNouveaux(0);
        if (q.autour) versMessage.current = q.autour;
        else if (r.premier_non_lu && r.items.some(m => m.id === r.premier_non_lu)) versMessage.current = r.premier_non_lu;
        else allerEnBas.current = true;
      } catch (e) {
        if (isApiError(e)) setErreur(e);
      }
    },
    [canal.id, sujetId]
  );

  useEffect(() => {
    nonLuManuel.current = false;
    dernierLu.current = 0;
    setFil(null);
    void charger(cible ? { autour: cible } : {});
  }, [charger, cible, generation]);

  // Scroll positions once the DOM has the new messages.
  useLayoutEffect(() => {
    const el = defile.current;
    if (!el || !fil) return;
    if (ancre.current) {
      el.scrollTop = el.scrollHeight - ancre.current.hauteur + ancre.current.haut;
      ancre.current = null;
    } else if (versMessage.current) {
      const cibleEl = el.querySelector<HTMLElement>(`#message-${versMessage.current}`);
      versMessage.current = null;
      if (cibleEl) {
        el.scrollTop = cibleEl.offsetTop - el.offsetTop - 16;
        cibleEl.focus({ preventScroll: true });
      }
    } else if (allerEnBas.current) {
      el.scrollTop = el.scrollHeight;
      allerEnBas.current = false;
    }
  }, [fil]);

  // Read marker: the newest message shown, when the newest end is loaded and the tab is seen;
  // one request at a time, at most one a second (a busy topic moves it often).
  const lecture = useRef<{ enCours: boolean; derniere: number; timer?: ReturnType<typeof setTimeout> }>({ enCours: false, derniere: 0 });
  const marquer = useCallback(() => {
    const f = filRef.current;
    // A channel browsed without joining it has no read marker (the API refuses it: 403).
    if (!canal.membre || !f || f.plusRecents || nonLuManuel.current || document.visibilityState !== "visible") return;
    const dernier = f.items[f.items.length - 1];
    if (!dernier || dernier.id <= dernierLu.current) return;
    const l = lecture.current;
    const attente = l.derniere + LECTURE_MS - Date.now();
    if (l.enCours || attente > 0) {
      clearTimeout(l.timer);
      l.timer = setTimeout(() => marquerRef.current(), Math.max(attente, 200));
      return;
    }
    l.enCours = true;
    l.derniere = Date.now();
    dernierLu.current = dernier.id;
    marquerLu(canal.id, sujetId, dernier.id)
      .then(o => onLecture(o))
      .catch(() => {
        dernierLu.current = 0;
      })
      .finally(() => {
        l.enCours = false;
      });
  }, [canal.id, canal.membre, sujetId, onLecture]);
  const marquerRef = useRef(marquer);
  marquerRef.current = marquer;
  useEffect(() => () => clearTimeout(lecture.current.timer), []);
  useEffect(() => {
    marquer();
  }, [fil, marquer]);
  useEffect(() => {
    const f = () => marquer();
    document.addEventListener("visibilitychange", f);
    return () => document.removeEventListener("visibilitychange", f);
  }, [marquer]);

  const plusAnciens = useCallback(async () => {
    const f = filRef.current;
    if (!f || !f.plusAnciens || chargement || !f.items.length) return;
    setChargement("haut");
    try {
      const r = await listMessages(canal.id, { sujet: sujetId, avant: f.items[0].id, limite: LIMITE });
      const el = defile.current;
      if (el) ancre.current = { hauteur: el.scrollHeight, haut: el.scrollTop };
      setFil(p => (p ? { ...p, items: fusionner(p.items, r.items), plusAnciens: r.plus_anciens } : p));
    } catch (e) {
      if (isApiError(e)) setErreurAction(e);
    } finally {
      setChargement(null);
    }
  }, [canal.id, sujetId, chargement]);

  const plusRecents = useCallback(async () => {
    const f = filRef.current;
    if (!f || !f.plusRecents || chargement || !f.items.length) return;
    setChargement("bas");
    try {
      const r = await listMessages(canal.id, { sujet: sujetId, apres: f.items[f.items.length - 1].id, limite: LIMITE });
      setFil(p => (p ? { ...p, items: fusionner(p.items, r.items), plusRecents: r.plus_recents } : p));
    } catch (e) {
      if (isApiError(e)) setErreurAction(e);
    } finally {
      setChargement(null);
    }
  }, [canal.id, sujetId, chargement]);

  // Infinite scroll: the two ends of the list, watched.
  const haut = useRef<HTMLDivElement>(null);
  const bas = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const root = defile.current;
    if (!root || typeof IntersectionObserver === "undefined") return;
    const obs = new IntersectionObserver(
      entries => {
        for (const e of entries) {
          if (!e.isIntersecting) continue;
          if (e.target === haut.current) void plusAnciens();
          if (e.target === bas.current) {
            void plusRecents();
            setNouveaux(0);
          }
        }
      },
      { root, rootMargin: "200px 0px" }
    );
    if (haut.current) obs.observe(haut.current);
    if (bas.current) obs.observe(bas.current);
    return () => obs.disconnect();
  }, [plusAnciens, plusRecents, fil !== null]); // eslint-disable-line react-hooks/exhaustive-deps

  const enBas = () => {
    const el = defile.current;
    return !el || el.scrollHeight - el.scrollTop - el.clientHeight < BAS;
  };

  // A new version of a message; from an event, the reactions' « moi » is kept as this user knows it.
  const remplacer = useCallback((m: Message, evenement = false) => {
    const fusion = (x: Message): Message => ({
      ...m,
      texte_supprime: m.texte_supprime ?? x.texte_supprime,
      reactions: evenement ? m.reactions.map(r => ({ ...r, moi: x.reactions.find(o => o.emoji === r.emoji)?.moi ?? false })) : m.reactions
    });
    setFil(p => (p && p.items.some(x => x.id === m.id) ? { ...p, items: p.items.map(x => (x.id === m.id ? fusion(x) : x)) } : p));
    setEpingles(p => (p ? (m.epingle ? fusionner(p, [m]) : p.filter(x => x.id !== m.id)) : p));
  }, []);

  useDiscussionEvents({
    onEvent: e => {
      if (e.canal_id !== canal.id) return;
      if (e.evenement === "frappe") {
        const d = e.data as { user_id?: number; nom?: string; auteur?: { id: number; nom: string }; sujet_id?: number };
        const qui = d.auteur ?? (d.user_id ? { id: d.user_id, nom: d.nom ?? "Quelqu'un" } : null);
        // Only the topic being typed in shows it (sujet_id null: a new topic, shown in the topic list).
        if (!qui || qui.id === moiId || d.sujet_id !== sujetId) return;
        setFrappe(p => new Map(p).set(qui.id, { nom: qui.nom, jusqua: Date.now() + FRAPPE_AFFICHEE_MS }));
        return;
      }
      if (e.evenement === "sujet" && (e.data as { action?: string }).action === "deplacement") {
        // Messages moved by a moderator: gone from the topics they left, loaded in the one they reach.
        const d = e.data as { message_ids?: number[]; sujet_id?: number };
        const ids = new Set(d.message_ids ?? []);
        if (d.sujet_id === sujetId) {
          if ([...ids].some(id => !filRef.current?.items.some(x => x.id === id))) setGeneration(g => g + 1);
        } else if (filRef.current?.items.some(x => ids.has(x.id))) {
          setFil(p => (p ? { ...p, items: p.items.filter(x => !ids.has(x.id)) } : p));
          setChoisis(c => (c ? new Set([...c].filter(id => !ids.has(id))) : c));
          onAnnonce(ids.size > 1 ? `${ids.size} messages ont été déplacés vers un autre sujet.` : "Un message a été déplacé vers un autre sujet.");
        }
        return;
      }
      const m = messageDe(e, moiId);
      if (e.evenement === "message_cree" && m) {
        if (m.sujet_id !== sujetId) return;
        const f = filRef.current;
        if (!f || f.plusRecents) return; // the newest end is not loaded: nothing to append to
        if (f.items.some(x => x.id === m.id)) return;
        if (enBas()) allerEnBas.current = true;
        else setNouveaux(n => n + 1);
        setFil(p => (p ? { ...p, items: fusionner(p.items, [m]) } : p));
        setFrappe(p => {
          const qui = m.auteur.id ?? 0;
          if (!p.has(qui)) return p;
          const n = new Map(p);
          n.delete(qui);
          return n;
        });
        if (m.auteur.id !== moiId) onAnnonce(`Nouveau message de ${m.auteur.nom}`);
        return;
      }
      if (m) {
        remplacer(m, true);
        return;
      }
      // Events that name a message without carrying it whole.
      const d = e.data as {
        message_id?: number;
        id?: number;
        epingle?: boolean;
        reactions?: Message["reactions"];
        emoji?: string;
        nb?: number;
        user_id?: number;
        action?: string;
      };
      const id = d.message_id ?? d.id;
      if (!id) return;
      setFil(p => {
        if (!p || !p.items.some(x => x.id === id)) return p;
        return {
          ...p,
          items: p.items.map(x => {
            if (x.id !== id) return x;
            if (e.evenement === "message_supprime") return { ...x, supprime: true, texte: "", html: "" };
            if (e.evenement === "epingle" && typeof d.epingle === "boolean") return { ...x, epingle: d.epingle };
            if (e.evenement === "reaction" && typeof d.emoji === "string" && typeof d.nb === "number") {
              // {emoji, nb, user_id, action: "ajout" | "retrait"}: the new count of that emoji.
              const emoji = d.emoji;
              const nb = d.nb;
              const avant = x.reactions.find(r => r.emoji === emoji);
              const moi = d.user_id === moiId ? d.action === "ajout" : avant?.moi ?? false;
              const reactions = avant
                ? x.reactions.map(r => (r.emoji === emoji ? { ...r, nb, moi } : r))
                : [...x.reactions, { emoji, nb, moi }];
              return { ...x, reactions: reactions.filter(r => r.nb > 0) };
            }
            if (e.evenement === "reaction" && Array.isArray(d.reactions)) {
              // The event is the same for every member: « moi » stays as this user knows it.
              return { ...x, reactions: d.reactions.map(r => ({ ...r, moi: x.reactions.find(o => o.emoji === r.emoji)?.moi ?? false })) };
            }
            return x;
          })
        };
      });
    },
    onResync: () => setGeneration(g => g + 1)
  });

  // Typing notices expire.
  useEffect(() => {
    if (!frappe.size) return;
    const t = setTimeout(() => {
      const now = Date.now();
      setFrappe(p => new Map([...p].filter(([, v]) => v.jusqua > now)));
    }, 1000);
    return () => clearTimeout(t);
  }, [frappe]);

  const actions: MessageActions = useMemo(
    () => ({
      onChange: remplacer,
      onAnnonce,
      onNonLu: (m: Message) => {
        nonLuManuel.current = true;
        marquerNonLu(m.id)
          .then(o => {
            setPremierNonLu(m.id);
            dernierLu.current = 0;
            onAnnonce("Marqué comme non lu à partir de ce message.");
            onLecture(o);
          })
          .catch(e => isApiError(e) && setErreurAction(e));
      }
    }),
    [remplacer, onAnnonce, onLecture]
  );

  const envoye = (m: Message) => {
    nonLuManuel.current = false;
    const f = filRef.current;
    if (!f || f.plusRecents) {
      setGeneration(g => g + 1); // far in the history: go to the newest end
      return;
    }
    allerEnBas.current = true;
    setFil(p => (p ? { ...p, items: fusionner(p.items, [m]) } : p));
  };

  const allerAuPremierNonLu = () => {
    if (!premierNonLu) return;
    const el = defile.current?.querySelector<HTMLElement>(`#message-${premierNonLu}`);
    if (el) {
      versMessage.current = premierNonLu;
      setFil(p => (p ? { ...p } : p));
    } else {
      void charger({ autour: premierNonLu });
    }
  };

  const basculerChoix = useCallback((id: number) => {
    setChoisis(c => {
      if (!c) return c;
      const n = new Set(c);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  }, []);
  const selection = useMemo(() => new Map<number, { coche: boolean; basculer: (id: number) => void }>(), []);
  const selectionDe = (id: number) => {
    if (!choisis) return undefined;
    const coche = choisis.has(id);
    const avant = selection.get(id);
    if (avant && avant.coche === coche) return avant; // same object: the memoised item is not redrawn
    const n = { coche, basculer: basculerChoix };
    selection.set(id, n);
    return n;
  };

  const titre = canal.type === "direct" ? nomCanal(canal, moiId) : sujet?.titre ?? "Sujet";
  const ecrivent = [...frappe.values()].map(v => v.nom);
  const listeId = `fil-${canal.id}-${sujetId}`;

  return (
    <section aria-labelledby="sujet-titre" className="coop-discussion__colonne coop-discussion__fil">
      <div className="coop-discussion__entete">
        <Link
          to={canal.type === "direct" ? "/discussion" : `/discussion/${canal.id}`}
          className={fr.cx("fr-link", "fr-link--sm", "fr-link--icon-left", "fr-icon-arrow-left-line")}
          data-retour
        >
          {canal.type === "direct" ? "Canaux" : `Sujets de ${canal.nom}`}
        </Link>
        <h2 id="sujet-titre" className={fr.cx("fr-h5", "fr-mb-0")}>
          {titre}
        </h2>
        {renommage !== null && (
          <form
            className="coop-discussion__renommage"
            onSubmit={e => {
              e.preventDefault();
              if (!renommage.trim()) return;
              renommerSujet(sujetId, renommage.trim())
                .then(() => {
                  setRenommage(null);
                  onAnnonce("Sujet renommé.");
                  onLecture();
                })
                .catch(err => isApiError(err) && setErreurAction(err));
            }}
          >
            <label className="fr-label" htmlFor={`${listeId}-titre`}>
              Nouveau titre du sujet
            </label>
            <input id={`${listeId}-titre`} className="fr-input" value={renommage} maxLength={120} autoFocus onChange={e => setRenommage(e.target.value)} />
            <div className="coop-actions fr-mt-1w">
              <Button type="submit" size="small">
                Renommer
              </Button>
              <Button type="button" size="small" priority="secondary" onClick={() => setRenommage(null)}>
                Annuler
              </Button>
            </div>
          </form>
        )}
        <div className="coop-actions">
          {premierNonLu && (
            <Button type="button" size="small" priority="tertiary" iconId="fr-icon-arrow-up-line" onClick={allerAuPremierNonLu}>
              Premier non lu
            </Button>
          )}
          <Button
            type="button"
            size="small"
            priority="tertiary no outline"
            iconId="ri-pushpin-line"
            nativeButtonProps={{ "aria-expanded": epingles !== null, "aria-controls": `${listeId}-epingles` }}
            onClick={() => {
              if (epingles) setEpingles(null);
              else
                listEpingles(canal.id)
                  .then(r => setEpingles(r.items))
                  .catch(e => isApiError(e) && setErreurAction(e));
            }}
          >
            Épinglés
          </Button>
          {moderateur && canal.type !== "direct" && renommage === null && (
            <Button type="button" size="small" priority="tertiary no outline" iconId="fr-icon-edit-line" onClick={() => setRenommage(sujet?.titre ?? "")}>
              Renommer le sujet
            </Button>
          )}
          {moderateur && canal.type !== "direct" && choisis === null && (
            <Button
              type="button"
              size="small"
              priority="tertiary no outline"
              iconId="fr-icon-drag-move-2-line"
              ref={boutonSelection}
              onClick={() => {
                setChoisis(new Set());
                onAnnonce("Sélection des messages : cochez ceux à déplacer.");
              }}
            >
              Déplacer des messages
            </Button>
          )}
        </div>
        <div id={`${listeId}-epingles`} hidden={epingles === null} className="coop-discussion__epingles">
          {epingles && (epingles.length === 0 ? (
            <p className="fr-text--sm fr-mb-0">Aucun message épinglé dans ce canal.</p>
          ) : (
            <ul aria-label="Messages épinglés">
              {epingles.map(m => (
                <li key={m.id}>
                  <Link to={`/discussion/${canal.id}/${m.sujet_id}?message=${m.id}`}>
                    {m.auteur.nom}, {libelleJour(m.cree_le).toLowerCase()} à {heure(m.cree_le)}
                  </Link>
                  <div className="coop-message__corps coop-message__corps--court" dangerouslySetInnerHTML={{ __html: m.html }} />
                </li>
              ))}
            </ul>
          ))}
        </div>
      </div>
      {choisis !== null && (
        <div className="coop-discussion__selection" role="group" aria-label="Déplacer des messages">
          <p className={fr.cx("fr-text--sm", "fr-mb-0")} aria-live="polite">
            {choisis.size === 0 ? "Cochez les messages à déplacer." : `${choisis.size} message${choisis.size > 1 ? "s" : ""} sélectionné${choisis.size > 1 ? "s" : ""}`}
          </p>
          <div className="coop-actions">
            <Button type="button" size="small" ref={boutonDeplacer} disabled={choisis.size === 0} onClick={() => deplacerModal.open()}>
              Déplacer…
            </Button>
            <Button
              type="button"
              size="small"
              priority="secondary"
              onClick={() => {
                focusSelection.current = true;
                setChoisis(null);
              }}
            >
              Annuler la sélection
            </Button>
          </div>
        </div>
      )}
      {moderateur && canal.type !== "direct" && (
        <DeplacerMessages
          canalId={canal.id}
          sujetId={sujetId}
          messageIds={choisis ? [...choisis].sort((a, b) => a - b) : []}
          retour={boutonDeplacer}
          onDeplace={d => {
            const ids = choisis ?? new Set<number>();
            setFil(p => (p ? { ...p, items: p.items.filter(x => !ids.has(x.id)) } : p));
            focusSelection.current = true;
            setChoisis(null);
            onAnnonce(`${ids.size > 1 ? `${ids.size} messages déplacés` : "Message déplacé"} vers « ${d.titre} ».`);
            onDeplace?.(d);
          }}
        />
      )}
      <ErrorAlert error={erreurAction} as="h3" className="fr-mb-1w" />
      <div className="coop-discussion__defilement" ref={defile}>
        {erreur ? (
          <LoadError error={erreur} what="les messages" />
        ) : !fil ? (
          <p className="fr-text--sm" role="status">
            Chargement des messages…
          </p>
        ) : (
          <>
            <div ref={haut}>
              {fil.plusAnciens ? (
                <Button type="button" size="small" priority="tertiary no outline" disabled={chargement === "haut"} onClick={() => void plusAnciens()}>
                  {chargement === "haut" ? "Chargement…" : "Messages précédents"}
                </Button>
              ) : (
                <p className={fr.cx("fr-text--xs", "fr-hint-text", "fr-mb-1w")}>Début du sujet.</p>
              )}
            </div>
            {fil.items.length === 0 ? (
              <p className="fr-text--sm">Aucun message pour le moment : écrivez le premier.</p>
            ) : (
              <ol className="coop-discussion__messages-liste" aria-label={`Messages : ${titre}`} id={listeId} data-testid="messages">
                {fil.items.map((m, i) => {
                  const prec = fil.items[i - 1];
                  const nouveauJour = !prec || cleJour(prec.cree_le) !== cleJour(m.cree_le);
                  const compact =
                    !nouveauJour && !!prec && prec.auteur.id === m.auteur.id && m.id !== premierNonLu &&
                    new Date(m.cree_le).getTime() - new Date(prec.cree_le).getTime() < 5 * 60_000;
                  return (
                    <Fragment key={m.id}>
                      {nouveauJour && (
                        <li className="coop-discussion__jour" aria-hidden="false">
                          <h3 className="coop-discussion__jour-titre">{libelleJour(m.cree_le)}</h3>
                        </li>
                      )}
                      {m.id === premierNonLu && (
                        <li className="coop-discussion__nouveaux" data-testid="separateur-non-lus">
                          <span>Nouveaux messages</span>
                        </li>
                      )}
                      <MessageItem m={m} moiId={moiId} moderateur={moderateur} peutEcrire={canal.peut_ecrire && !canal.archive} compact={compact} actions={actions} selection={selectionDe(m.id)} />
                    </Fragment>
                  );
                })}
              </ol>
            )}
            <div ref={bas}>
              {fil.plusRecents && (
                <Button type="button" size="small" priority="tertiary no outline" disabled={chargement === "bas"} onClick={() => void plusRecents()}>
                  {chargement === "bas" ? "Chargement…" : "Messages suivants"}
                </Button>
              )}
            </div>
          </>
        )}
      </div>
      {nouveaux > 0 && (
        <Button
          type="button"
          size="small"
          className="coop-discussion__bouton-nouveaux"
          iconId="fr-icon-arrow-down-line"
          onClick={() => {
            const el = defile.current;
            if (el) el.scrollTop = el.scrollHeight;
            setNouveaux(0);
          }}
        >
          {nouveaux} nouveau{nouveaux > 1 ? "x" : ""} message{nouveaux > 1 ? "s" : ""}
        </Button>
      )}
      <p className={fr.cx("fr-text--xs", "fr-hint-text", "fr-mb-0")} aria-live="off" data-testid="frappe">
        {ecrivent.length === 1 ? `${ecrivent[0]} écrit…` : ecrivent.length > 1 ? `${ecrivent.join(", ")} écrivent…` : "\u00a0"}
      </p>
      <Composer canal={canal} sujetId={sujetId} onEnvoye={envoye} />
    </section>
  );
}
