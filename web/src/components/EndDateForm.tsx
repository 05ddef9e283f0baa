import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useState } from "react";
import { isApiError } from "../api/client";
import { today } from "../lib/format";

/** Inline "end date" form used to end an employment or a team membership. */
export function EndDateForm({
  id,
  label,
  debut,
  onConfirm,
  onCancel
}: {
  id: string;
  label: string;
  debut: string;
  onConfirm: (fin: string) => Promise<void>;
  onCancel: () => void;
}) {
  const [fin, setFin] = useState(today());
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const clientError = !fin ? "La date de fin est obligatoire." : fin < debut ? "La date de fin doit être postérieure à la date de début." : null;
  const shown = clientError ?? error;
  return (
    <form
      className="coop-inline-form"
      noValidate
      onSubmit={async e => {
        e.preventDefault();
        if (clientError) return;
        setBusy(true);
        setError(null);
        try {
          await onConfirm(fin);
        } catch (err) {
          setError(isApiError(err) ? (err.fields.fin ?? err.message) : "Une erreur est survenue.");
        } finally {
          setBusy(false);
        }
      }}
    >
      <Input
        label={label}
        state={shown ? "error" : "default"}
        stateRelatedMessage={shown ?? undefined}
        nativeInputProps={{
          id,
          name: "fin",
          type: "date",
          value: fin,
          min: debut,
          onChange: e => {
            setFin(e.target.value);
            setError(null);
          }
        }}
      />
      <div className="coop-actions">
        <Button type="submit" size="small" disabled={busy}>
          Confirmer
        </Button>
        <Button type="button" size="small" priority="secondary" onClick={onCancel}>
          Annuler
        </Button>
      </div>
    </form>
  );
}
