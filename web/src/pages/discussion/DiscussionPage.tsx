/**
 * The chat page (issue 10): channels grouped by kind, the topics of a channel, the messages of a
 * topic — three panes side by side on a wide screen, one at a time on a phone (the URL says which:
 * /discussion, /discussion/:canal, /discussion/:canal/:sujet) — and the tools: mentions inbox,
 * search, directory of thematic channels, new group or direct message.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useLocation, useNavigate, useParams } from "react-router";
import { ApiError } from "../../api/client";
import { getCanal, listCanaux, listSujets } from "../../api/discussion";
import type { Canal, Compteurs, Sujet } from "../../api/discussionTypes";
import { useSession } from "../../auth/AuthContext";
import { LoadError } from "../../components/LoadError";
import { useAsync } from "../../lib/useAsync";
import { useTitle } from "../../lib/useTitle";
import { Annuaire } from "./Annuaire";
import { useDiscussion, useDiscussionEvents } from "./DiscussionContext";
import { FilMessages } from "./FilMessages";
import { ListeCanaux } from "./ListeCanaux";
import { ListeSujets } from "./ListeSujets";
import { Mentions } from "./Mentions";
import { Moderation } from "./Moderation";
import { NouvelleConversation } from "./NouvelleConversation";
import { Recherche } from "./Recherche";
import { estMessage, nomCanal } from "./outils";
import "./discussion.css";

export type Outil = "mentions" | "recherche" | "annuaire" | "nouvelle" | "moderation";
const OUTILS: Record<Outil, string> = {
  mentions: "Mentions",
  recherche: "Rechercher dans les discussions",
  annuaire: "Canaux thématiques",
  nouvelle: "Nouvelle conversation",
  moderation: "Messages signalés"
};

/** Calls `f` at most once per `ms`, at the end of the burst. */
function useDebounced(f: () => void, ms: number): () => void {
  const ref = useRef(f);
  ref.current = f;
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => ref.current(), ms);
  }, [ms]);
}

export default function DiscussionPage() {
  const { me } = useSession();
  const params = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  const { rafraichir } = useDiscussion();
  const segment = location.pathname.split("/")[2] ?? "";
  const outil = (segment in OUTILS ? segment : null) as Outil | null;
  const canalId = !outil && params.canal ? Number(params.canal) : null;
  const sujetId = canalId && params.sujet ? Number(params.sujet) : null;
  const moiId = me?.id ?? null;

  const canaux = useAsync(listCanaux, []);
  const mien = canalId ? canaux.data?.items.find(c => c.id === canalId) ?? null : null;
  // A channel one is not a member of (a thematic channel of the directory): asked on its own.
  const autre = useAsync(
    () => (canalId && canaux.data && !mien ? getCanal(canalId) : Promise.resolve(null)),
    [canalId, !!canaux.data, !!mien]
  );
  const canal: Canal | null = mien ?? (autre.data && autre.data.id === canalId ? autre.data : null);
  const sujets = useAsync(() => (canalId ? listSujets(canalId) : Promise.resolve({ items: [] as Sujet[] })), [canalId]);
  const sujet: Sujet | null = useMemo(
    () => (sujetId ? sujets.data?.items.find(s => s.id === sujetId) ?? null : null),
    [sujets.data, sujetId]
  );

  const recharger = useDebounced(() => {
    canaux.reload();
    sujets.reload();
    if (autre.data) autre.reload();
  }, 300);
  const rechargerTout = useCallback(() => {
    recharger();
    rafraichir();
  }, [recharger, rafraichir]);

  // Counts kept up to date from the events themselves (a channel of 2,500 members must not make
  // 2,500 browsers ask for their lists at each message); the rare changes of shape reload.
  const appliquerCompteurs = useCallback(
    (o: Compteurs) => {
      canaux.setData(d => d && { items: d.items.map(c => (c.id === o.canal_id ? { ...c, non_lus: o.non_lus, mentions_non_lues: o.mentions_non_lues } : c)) });
      if (o.canal_id !== canalId) return;
      if (o.sujet_id === null) sujets.reload();
      else if (o.non_lus_sujet !== null) {
        const n = o.non_lus_sujet;
        sujets.setData(d => d && { items: d.items.map(t => (t.id === o.sujet_id ? { ...t, non_lus: n } : t)) });
      }
    },
    [canaux, sujets, canalId]
  );

  useDiscussionEvents({
    onEvent: e => {
      switch (e.evenement) {
        case "frappe":
        case "reaction":
        case "epingle":
        case "message_modifie":
          return;
        case "lecture":
          appliquerCompteurs(e.data as unknown as Compteurs);
          return;
        case "mention":
          canaux.setData(d => d && { items: d.items.map(c => (c.id === e.canal_id ? { ...c, mentions_non_lues: c.mentions_non_lues + 1 } : c)) });
          return;
        case "message_cree": {
          if (!estMessage(e.data)) break;
          const m = e.data;
          const autre = m.auteur.id !== moiId;
          if (!canaux.data?.items.some(c => c.id === m.canal_id)) break;
          canaux.setData(d => d && { items: d.items.map(c => (c.id === m.canal_id ? { ...c, non_lus: c.non_lus + (autre ? 1 : 0), dernier_message_le: m.cree_le } : c)) });
          if (m.canal_id !== canalId) return;
          if (!sujets.data?.items.some(t => t.id === m.sujet_id)) break;
          sujets.setData(
            d =>
              d && {
                items: d.items
                  .map(t => (t.id === m.sujet_id ? { ...t, nb_messages: t.nb_messages + 1, non_lus: t.non_lus + (autre ? 1 : 0), dernier_message_le: m.cree_le, dernier_auteur: m.auteur } : t))
                  .sort((a, b) => (b.dernier_message_le ?? "").localeCompare(a.dernier_message_le ?? ""))
              }
          );
          return;
        }
      }
      recharger();
    },
    onResync: recharger
  });

  const surLecture = useCallback(
    (o?: Compteurs) => {
      if (o) {
        appliquerCompteurs(o);
        rafraichir();
      } else rechargerTout();
    },
    [appliquerCompteurs, rafraichir, rechargerTout]
  );

  // A mute in this channel that ends while the page is open: the composer comes back at its end.
  const finSourdine = canal?.en_sourdine_jusqu_au ?? null;
  useEffect(() => {
    if (!finSourdine) return;
    const ms = new Date(finSourdine).getTime() - Date.now() + 1000;
    if (!(ms > 0) || ms > 2 ** 31 - 1) return;
    const t = setTimeout(recharger, ms);
    return () => clearTimeout(t);
  }, [finSourdine, recharger]);

  // A direct message has one hidden topic: open it with the channel.
  useEffect(() => {
    if (canal?.type === "direct" && !sujetId && sujets.data && sujets.data.items.length > 0 && !sujets.loading) {
      navigate(`/discussion/${canal.id}/${sujets.data.items[0].id}`, { replace: true });
    }
  }, [canal, sujetId, sujets.data, sujets.loading, navigate]);

  const vue = outil ? "outil" : sujetId || canal?.type === "direct" ? "messages" : canalId ? "sujets" : "canaux";
  const titre = outil
    ? OUTILS[outil]
    : canal
      ? sujet && canal.type !== "direct"
        ? `${sujet.titre} – ${nomCanal(canal, moiId)}`
        : nomCanal(canal, moiId)
      : "Discussion";
  useTitle(titre);

  const [annonce, setAnnonce] = useState("");

  return (
    <div className="coop-discussion" data-vue={vue}>
      <h1 className="fr-sr-only">Discussion</h1>
      <p className="fr-sr-only" role="status" aria-live="polite">
        {annonce}
      </p>
      <div className="coop-discussion__panneau coop-discussion__canaux">
        {canaux.error ? (
          <LoadError error={canaux.error} what="vos canaux" />
        ) : (
          <ListeCanaux
            canaux={canaux.data?.items ?? null}
            actif={canalId}
            outil={outil}
            moiId={moiId}
            moderateur={!!me?.roles?.some(r => r.role === "admin") || !!canaux.data?.items.some(c => c.peut_moderer)}
          />
        )}
      </div>
      {outil ? (
        <div className="coop-discussion__panneau coop-discussion__outil">
          {outil === "mentions" && <Mentions />}
          {outil === "recherche" && <Recherche canaux={canaux.data?.items ?? []} moiId={moiId} />}
          {outil === "annuaire" && <Annuaire onChange={rechargerTout} />}
          {outil === "nouvelle" && <NouvelleConversation onCree={rechargerTout} />}
          {outil === "moderation" && <Moderation estAdmin={!!me?.roles?.some(r => r.role === "admin")} />}
        </div>
      ) : (
        <>
          {canal?.type !== "direct" && (
            <div className="coop-discussion__panneau coop-discussion__sujets">
              {canalId && canaux.data && !canal && autre.error ? (
                <LoadError error={autre.error.status === 404 ? new ApiError(404, "introuvable", "Ce canal n'existe pas ou vous n'y avez pas accès.") : autre.error} what="le canal" />
              ) : canal ? (
                <ListeSujets
                  canal={canal}
                  moiId={moiId}
                  sujets={sujets.data?.items ?? null}
                  erreur={sujets.error}
                  actif={sujetId}
                  onChange={rechargerTout}
                  onAnnonce={setAnnonce}
                />
              ) : (
                <div className="coop-discussion__vide">
                  <p>Choisissez un canal pour voir ses sujets.</p>
                </div>
              )}
            </div>
          )}
          <div className="coop-discussion__panneau coop-discussion__messages">
            {canal && sujetId ? (
              <FilMessages
                key={`${canal.id}-${sujetId}`}
                canal={canal}
                sujetId={sujetId}
                sujet={sujet}
                moiId={moiId}
                estAdmin={!!me?.roles?.some(r => r.role === "admin")}
                onLecture={surLecture}
                onAnnonce={setAnnonce}
                onDeplace={rechargerTout}
              />
            ) : (
              <div className="coop-discussion__vide">
                <p>{canal ? (canal.type === "direct" ? "Chargement de la conversation…" : "Choisissez un sujet, ou commencez-en un nouveau.") : "Les messages du sujet choisi s'affichent ici."}</p>
              </div>
            )}
          </div>
        </>
      )}
    </div>
  );
}
