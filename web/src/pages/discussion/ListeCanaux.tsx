import { fr } from "@codegouvfr/react-dsfr";
import { Link } from "react-router";
import type { Canal } from "../../api/discussionTypes";
import { useDiscussion } from "./DiscussionContext";
import type { Outil } from "./DiscussionPage";
import { GROUPES, TYPE_LIBELLE, nomCanal, pluriel } from "./outils";

/** Unread and mention counts of a channel or topic, read in full by screen readers. */
export function Compteurs({ nonLus, mentions = 0 }: { nonLus: number; mentions?: number }) {
  if (!nonLus && !mentions) return null;
  return (
    <span className="coop-discussion__compteurs">
      {mentions > 0 && (
        <span className="coop-discussion__badge coop-discussion__badge--mention" data-testid="badge-mention">
          <span aria-hidden="true">@</span>
          {mentions}
          <span className="fr-sr-only"> {mentions > 1 ? "mentions" : "mention"}</span>
        </span>
      )}
      {nonLus > 0 && (
        <span className="coop-discussion__badge" data-testid="badge-non-lus">
          {nonLus}
          <span className="fr-sr-only"> {nonLus > 1 ? "messages non lus" : "message non lu"}</span>
        </span>
      )}
    </span>
  );
}

export function ListeCanaux({
  canaux,
  actif,
  outil,
  moiId,
  moderateur
}: {
  canaux: Canal[] | null;
  actif: number | null;
  outil: Outil | null;
  moiId: number | null;
  /** Moderates some channel (or is an admin): the reports' queue is offered. */
  moderateur: boolean;
}) {
  const { mentionsNonLues, direct } = useDiscussion();
  const outils: { cle: Outil; texte: string; icone: string }[] = [
    { cle: "mentions", texte: "Mentions", icone: "fr-icon-chat-quote-line" },
    { cle: "recherche", texte: "Rechercher", icone: "fr-icon-search-line" },
    { cle: "annuaire", texte: "Canaux thématiques", icone: "fr-icon-list-unordered" },
    { cle: "nouvelle", texte: "Nouvelle conversation", icone: "fr-icon-add-line" },
    ...(moderateur ? [{ cle: "moderation" as const, texte: "Messages signalés", icone: "fr-icon-flag-line" }] : [])
  ];
  return (
    <nav aria-label="Canaux de discussion" className="coop-discussion__nav">
      <div className="coop-discussion__entete">
        <h2 className={fr.cx("fr-h5", "fr-mb-0")}>Discussion</h2>
        <span className={fr.cx("fr-text--xs", "fr-mb-0")} data-testid="etat-direct" data-direct={direct ? "true" : "false"}>
          {direct ? "En direct" : "Hors ligne"}
        </span>
      </div>
      <ul className="coop-discussion__outils">
        {outils.map(o => (
          <li key={o.cle}>
            <Link
              to={`/discussion/${o.cle}`}
              className={fr.cx("fr-link", "fr-link--sm", "fr-link--icon-left", o.icone as never)}
              aria-current={outil === o.cle ? "page" : undefined}
            >
              {o.texte}
              {o.cle === "mentions" && mentionsNonLues ? <Compteurs nonLus={0} mentions={mentionsNonLues} /> : null}
            </Link>
          </li>
        ))}
      </ul>
      {canaux === null ? (
        <p className="fr-text--sm" role="status">
          Chargement des canaux…
        </p>
      ) : (
        [...GROUPES, { cle: "archives", titre: "Canaux archivés", types: [] }].map(g => {
          // Archived channels are listed apart, after the others (readable, no one writes there).
          const liste = g.cle === "archives" ? canaux.filter(c => c.archive) : canaux.filter(c => !c.archive && g.types.includes(c.type));
          if (!liste.length && g.cle !== "directs") return null;
          const titreId = `canaux-${g.cle}`;
          return (
            <section key={g.cle} aria-labelledby={titreId} className="coop-discussion__groupe">
              <h3 id={titreId} className="coop-discussion__groupe-titre">
                {g.titre}
              </h3>
              {liste.length ? (
                <ul className="coop-discussion__liste">
                  {liste.map(c => {
                    const nom = nomCanal(c, moiId);
                    return (
                      <li key={c.id}>
                        <Link
                          to={`/discussion/${c.id}`}
                          className={`coop-discussion__canal${c.non_lus > 0 ? " coop-discussion__canal--non-lu" : ""}${c.archive ? " coop-discussion__canal--archive" : ""}`}
                          aria-current={actif === c.id ? "page" : undefined}
                          data-canal-id={c.id}
                          title={`${TYPE_LIBELLE[c.type]}${c.archive ? " (archivé)" : ""}`}
                        >
                          <span className="coop-discussion__canal-nom">
                            {c.type === "direct" ? "" : <span aria-hidden="true"># </span>}
                            {nom}
                            {c.archive && <span className="fr-sr-only"> (archivé)</span>}
                          </span>
                          <Compteurs nonLus={c.non_lus} mentions={c.mentions_non_lues} />
                        </Link>
                      </li>
                    );
                  })}
                </ul>
              ) : (
                <p className={fr.cx("fr-text--xs", "fr-hint-text", "fr-mb-1w")}>
                  Aucune conversation. <Link to="/discussion/nouvelle">Écrire à quelqu'un</Link>
                </p>
              )}
            </section>
          );
        })
      )}
      {canaux && (
        <p className={fr.cx("fr-text--xs", "fr-hint-text")}>
          {pluriel(canaux.length, "canal", "canaux")}
        </p>
      )}
    </nav>
  );
}
