import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { useNotifications } from "./NotificationsContext";

/** Latest notifications as DSFR alerts, announced politely by screen readers. */
export function Toaster() {
  const { toasts, dismissToast } = useNotifications();
  return (
    <div className="coop-toaster" aria-live="polite" aria-atomic="false" data-testid="toaster">
      {toasts.map(t => (
        <Alert
          key={t.id}
          severity="info"
          small
          closable
          description={t.message}
          onClose={() => dismissToast(t.id)}
          role="status"
          className="coop-toast"
        />
      ))}
    </div>
  );
}
