/**
 * The discussion's real time, for the whole application (the header's mention badge) and the chat
 * page: the unread and mention counts of GET /api/discussion/etat, and the discussion events of
 * the one /ws socket with the resume protocol (docs/api-contract.md, « /ws »):
 *
 * - at log-in, GET /api/discussion/etat gives the sequence number `seq` the views start from;
 * - on every open of the socket (the first one and after each reconnect) the client sends
 *   `{"type":"reprendre","depuis":N}`, N the last seq it processed; the server replays what was
 *   missed, in order, then `{"type":"repris","seq":M}` and the live events;
 * - the server sends nothing at or below N again, and each event once; the client still drops
 *   a seq it has already applied (kept since the last resume), so that an event is never applied
 *   twice; an event committed late may come with a seq below one already applied: it is applied;
 * - `{"type":"repris","incomplet":true}`: too much was missed, the views reload (`onResync`).
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { getEtat } from "../../api/discussion";
import type { EvenementDiscussion, Repris } from "../../api/discussionTypes";
import { useSession } from "../../auth/AuthContext";
import { useNotifications } from "../../notifications/NotificationsContext";

export interface DiscussionListener {
  onEvent?: (e: EvenementDiscussion) => void;
  /** The events missed could not all be replayed: reload what is shown. */
  onResync?: () => void;
}

interface DiscussionState {
  /** null: not loaded yet, or no access to the discussion space. */
  nonLus: number | null;
  mentionsNonLues: number | null;
  /** The socket is open and the resume is done: the views are live. */
  direct: boolean;
  subscribe: (l: DiscussionListener) => () => void;
  /** Ask the counts again (after a read marker was set). */
  rafraichir: () => void;
}

const Ctx = createContext<DiscussionState | null>(null);

const RAFRAICHISSEMENT_MS = 400;

export function DiscussionProvider({ children }: { children: ReactNode }) {
  const { me } = useSession();
  const { subscribe: subscribeSocket } = useNotifications();
  const userId = me?.id ?? null;
  const [nonLus, setNonLus] = useState<number | null>(null);
  const [mentionsNonLues, setMentions] = useState<number | null>(null);
  const [direct, setDirect] = useState(false);
  const listeners = useRef(new Set<DiscussionListener>());
  const lastSeq = useRef<number | null>(null);
  // Seqs applied since the last resume (all above its `depuis`).
  const vus = useRef(new Set<number>());
  const plancher = useRef(0);
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const refreshEtat = useRef<() => void>(() => undefined);

  const subscribe = useCallback((l: DiscussionListener) => {
    listeners.current.add(l);
    return () => {
      listeners.current.delete(l);
    };
  }, []);

  const rafraichir = useCallback(() => {
    clearTimeout(refreshTimer.current);
    refreshTimer.current = setTimeout(() => refreshEtat.current(), RAFRAICHISSEMENT_MS);
  }, []);

  useEffect(() => {
    setNonLus(null);
    setMentions(null);
    setDirect(false);
    lastSeq.current = null;
    if (userId === null) return;
    let stopped = false;
    let send: ((m: unknown) => void) | null = null;
    let reprisEnvoye = false;

    const load = () =>
      getEtat()
        .then(etat => {
          if (stopped) return;
          setNonLus(etat.non_lus);
          setMentions(etat.mentions_non_lues);
          if (lastSeq.current === null) lastSeq.current = etat.seq;
          reprendre();
        })
        .catch(() => {
          /* no access to the discussion space, or offline: nothing to show */
        });
    refreshEtat.current = () => void load();

    const reprendre = () => {
      if (!send || reprisEnvoye || lastSeq.current === null) return;
      reprisEnvoye = true;
      plancher.current = lastSeq.current;
      vus.current.clear();
      send({ type: "reprendre", depuis: lastSeq.current });
    };

    const unsubscribe = subscribeSocket({
      onOpen: s => {
        send = s;
        reprisEnvoye = false;
        reprendre();
      },
      onClose: () => {
        send = null;
        reprisEnvoye = false;
        setDirect(false);
      },
      onMessage: m => {
        if (m.type === "repris") {
          const r = m as unknown as Repris;
          if (typeof r.seq === "number") {
            lastSeq.current = Math.max(lastSeq.current ?? 0, r.seq);
            // Incomplete: nothing was replayed, only events above M follow.
            if (r.incomplet) plancher.current = Math.max(plancher.current, r.seq);
          }
          setDirect(true);
          if (r.incomplet) for (const l of [...listeners.current]) l.onResync?.();
          rafraichir();
          return;
        }
        if (m.type !== "discussion") return;
        const e = m as unknown as EvenementDiscussion;
        const seq = typeof e.seq === "number" ? e.seq : 0;
        if (seq > 0) {
          if (seq <= plancher.current || vus.current.has(seq)) return; // already applied
          vus.current.add(seq);
          if (vus.current.size > 5000) {
            // Keep the newest half: the older ones can no longer come back.
            const garder = [...vus.current].sort((x, y) => x - y).slice(-2500);
            plancher.current = Math.max(plancher.current, garder[0] - 1);
            vus.current = new Set(garder);
          }
          lastSeq.current = Math.max(lastSeq.current ?? 0, seq);
        }
        for (const l of [...listeners.current]) l.onEvent?.(e);
        // Counts: a message of someone else and a mention count at once; what else changes them
        // (a read marker — this user's own doing —, a deletion, a membership) asks them again.
        const auteur = (e.data as { auteur?: { id?: number | null } }).auteur?.id;
        if (e.evenement === "message_cree" && auteur !== userId) setNonLus(n => (n === null ? n : n + 1));
        else if (e.evenement === "mention") setMentions(n => (n === null ? n : n + 1));
        else if (["lecture", "message_supprime", "membre", "canal"].includes(e.evenement)) rafraichir();
      }
    });
    void load();
    return () => {
      stopped = true;
      unsubscribe();
      clearTimeout(refreshTimer.current);
      refreshEtat.current = () => undefined;
    };
  }, [userId, subscribeSocket, rafraichir]);

  const value = useMemo(
    () => ({ nonLus, mentionsNonLues, direct, subscribe, rafraichir }),
    [nonLus, mentionsNonLues, direct, subscribe, rafraichir]
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useDiscussion(): DiscussionState {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error("useDiscussion must be used inside <DiscussionProvider>");
  return ctx;
}

/** Calls the listener's functions (kept up to date) while the component is mounted. */
export function useDiscussionEvents(listener: DiscussionListener): void {
  const { subscribe } = useDiscussion();
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(
    () =>
      subscribe({
        onEvent: e => ref.current.onEvent?.(e),
        onResync: () => ref.current.onResync?.()
      }),
    [subscribe]
  );
}
