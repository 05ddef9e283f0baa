import { fr } from "@codegouvfr/react-dsfr";
import { Link } from "react-router";
import { useDiscussion } from "./DiscussionContext";

/** Header quick access: the mentions not read yet, a link to the mentions inbox. */
export function MentionsBadge() {
  const { mentionsNonLues } = useDiscussion();
  if (mentionsNonLues === null) return null;
  return (
    <Link to="/discussion/mentions" className={fr.cx("fr-btn", "fr-icon-chat-3-line")} data-testid="mentions-entete">
      Mentions
      {mentionsNonLues > 0 && (
        <span className="coop-bell__count" data-testid="mentions-count">
          <span className="fr-sr-only">, </span>
          {mentionsNonLues}
          <span className="fr-sr-only"> non lue{mentionsNonLues > 1 ? "s" : ""}</span>
        </span>
      )}
    </Link>
  );
}
