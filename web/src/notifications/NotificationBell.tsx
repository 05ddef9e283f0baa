import { fr } from "@codegouvfr/react-dsfr";
import { useEffect, useRef, useState } from "react";
import { formatDateTime } from "../lib/format";
import { useNotifications } from "./NotificationsContext";

/**
 * Bell in the header's quick access: unread count and the list of the session's notifications.
 * The header renders its quick access twice (desktop bar and mobile menu), hence the id prop.
 */
export function NotificationBell({ id = "notifications" }: { id?: string }) {
  const { items, unread, markAllRead, connected } = useNotifications();
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const panelId = `${id}-panel`;

  useEffect(() => {
    if (!open) return;
    const onDocClick = (e: MouseEvent) => {
      if (rootRef.current && !rootRef.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        setOpen(false);
        rootRef.current?.querySelector<HTMLButtonElement>("button")?.focus();
      }
    };
    document.addEventListener("mousedown", onDocClick);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("mousedown", onDocClick);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  // Opening the list marks what it shows as read (once it is shown).
  useEffect(() => {
    if (open && unread > 0) {
      const t = setTimeout(markAllRead, 1500);
      return () => clearTimeout(t);
    }
  }, [open, unread, markAllRead]);

  return (
    <div className="coop-bell" ref={rootRef}>
      <button
        id={id}
        type="button"
        className={fr.cx("fr-btn", "fr-icon-notification-3-line")}
        aria-expanded={open}
        aria-controls={panelId}
        data-testid="notification-bell"
        data-connected={connected ? "true" : "false"}
        onClick={() => setOpen(o => !o)}
      >
        Notifications
        {unread > 0 && (
          <span className="coop-bell__count" data-testid="notification-count">
            <span className="fr-sr-only">, </span>
            {unread}
            <span className="fr-sr-only"> non lue{unread > 1 ? "s" : ""}</span>
          </span>
        )}
      </button>
      <div id={panelId} className="coop-bell__panel" hidden={!open}>
        <p className={fr.cx("fr-text--bold", "fr-mb-1w")}>Notifications</p>
        {items.length === 0 ? (
          <p className={fr.cx("fr-text--sm", "fr-mb-0")}>Aucune notification pour le moment.</p>
        ) : (
          <ul className="coop-bell__list">
            {items.map(n => (
              <li key={n.id} className={n.read ? undefined : "coop-bell__unread"}>
                <span className={fr.cx("fr-text--sm")}>{n.message}</span>
                <br />
                <span className={fr.cx("fr-text--xs", "fr-hint-text")}>{formatDateTime(n.at)}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
