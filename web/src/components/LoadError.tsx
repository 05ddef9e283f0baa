import { Alert } from "@codegouvfr/react-dsfr/Alert";
import type { ApiError } from "../api/client";
import { AccessDenied } from "./AccessDenied";

/**
 * Error while loading data. With `page`, a 403 replaces the whole page by the access-denied
 * message; otherwise (a section of a page) every error is an alert.
 */
export function LoadError({ error, what = "les données", page = false }: { error: ApiError; what?: string; page?: boolean }) {
  if (page && error.status === 403) return <AccessDenied />;
  return (
    <Alert
      severity="error"
      title={error.status === 404 ? "Élément introuvable" : error.status === 403 ? "Accès refusé" : `Impossible de charger ${what}`}
      description={error.message}
      className="fr-my-3w"
    />
  );
}
