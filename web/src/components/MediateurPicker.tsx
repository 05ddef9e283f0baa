import type { ReactNode } from "react";
import { useState } from "react";
import * as endpoints from "../api/endpoints";
import type { Mediateur } from "../api/types";
import { fullName } from "../lib/format";
import { Combobox } from "./Combobox";

export function mediateurText(m: Mediateur): string {
  return `${fullName(m)} (${m.email})`;
}

/** Picks a mediator among GET /api/mediateurs?q= (name or e-mail). */
export function MediateurPicker({
  label = "Médiateur",
  name = "mediateur",
  value,
  onChange,
  onBlur,
  state,
  stateRelatedMessage,
  exclude = []
}: {
  label?: ReactNode;
  name?: string;
  value: number | null;
  onChange: (m: Mediateur | null) => void;
  onBlur?: () => void;
  state?: "default" | "error";
  stateRelatedMessage?: ReactNode;
  /** Ids not to propose (already members). */
  exclude?: number[];
}) {
  const [selectedText, setSelectedText] = useState<string | null>(null);
  return (
    <Combobox<Mediateur>
      label={label}
      hintText="Saisissez un nom ou une adresse e-mail, puis choisissez dans la liste."
      name={name}
      noun="médiateur"
      nounPlural="médiateurs"
      minChars={1}
      selectedText={value === null ? null : selectedText}
      search={async (q, signal) =>
        (await endpoints.searchMediateurs(q, signal)).items.filter(m => !exclude.includes(m.id))
      }
      getKey={m => String(m.id)}
      getText={m => mediateurText(m)}
      renderOption={m => (
        <>
          {fullName(m)}
          {m.conseiller_numerique && <span className="fr-badge fr-badge--sm fr-badge--blue-ecume fr-ml-1w">Conseiller numérique</span>}
          <span className="fr-hint-text">{m.email}</span>
        </>
      )}
      onSelect={(m, text) => {
        setSelectedText(m ? text : null);
        onChange(m);
      }}
      onBlur={onBlur}
      state={state}
      stateRelatedMessage={stateRelatedMessage}
    />
  );
}
