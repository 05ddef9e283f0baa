import { Alert } from "@codegouvfr/react-dsfr/Alert";
import type { ApiError } from "../api/client";

/** The form-level error: the server's message and the field errors no input shows. */
export function ErrorAlert({
  error,
  title = "Une erreur est survenue",
  extra = [],
  className = "fr-mb-3w",
  as = "h3"
}: {
  error: ApiError | null;
  title?: string;
  extra?: string[];
  className?: string;
  /** Heading level of the title, one below the heading the form is under. */
  as?: "h2" | "h3" | "h4";
}) {
  if (!error) return null;
  return (
    <Alert
      severity="error"
      as={as}
      title={title}
      className={className}
      description={
        extra.length ? (
          <>
            {error.message}
            <ul>
              {extra.map(m => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          </>
        ) : (
          error.message
        )
      }
    />
  );
}
