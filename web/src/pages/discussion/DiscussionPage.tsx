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
import type { Canal, Sujet } from "../../api/discussionTypes";
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
import { NouvelleConversation } from "./NouvelleConversation";
import { Recherche } from "./Recherche";
import { nomCanal } from "./outils";
import "./discussion.css";

export type Outil = "mentions" | "recherche" | "annuaire" | "nouvelle";
const OUTILS: Record<Outil, string> = {
  mentions: "Mentions",
  recherche: "Rechercher dans les discussions",
  annuaire: "Canaux thématiques",
  nouvelle: "Nouvelle conversation"
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

  useDiscussionEvents({
    onEvent: e => {
      if (e.evenement === "frappe") return;
      if (["message_cree", "message_supprime", "lecture", "membre", "canal", "sujet", "mention"].includes(e.evenement)) recharger();
    },
    onResync: recharger
  });

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
          <ListeCanaux canaux={canaux.data?.items ?? null} actif={canalId} outil={outil} moiId={moiId} />
        )}
      </div>
      {outil ? (
        <div className="coop-discussion__panneau coop-discussion__outil">
          {outil === "mentions" && <Mentions />}
          {outil === "recherche" && <Recherche canaux={canaux.data?.items ?? []} moiId={moiId} />}
          {outil === "annuaire" && <Annuaire onChange={rechargerTout} />}
          {outil === "nouvelle" && <NouvelleConversation onCree={rechargerTout} />}
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
                onLecture={rechargerTout}
                onAnnonce={setAnnonce}
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
