import type { ReactNode } from "react";
import { useState } from "react";
import * as endpoints from "../api/endpoints";
import type { Structure } from "../api/types";
import { Combobox } from "./Combobox";

export function structureText(s: Pick<Structure, "nom" | "commune_nom">): string {
  return s.commune_nom ? `${s.nom} – ${s.commune_nom}` : s.nom;
}

/** Picks a structure among GET /api/structures?q=. */
export function StructurePicker({
  label = "Structure",
  name = "structure_id",
  value,
  initialText,
  onChange,
  onBlur,
  state,
  stateRelatedMessage
}: {
  label?: ReactNode;
  name?: string;
  value: number | null;
  initialText?: string | null;
  onChange: (s: Structure | null) => void;
  onBlur?: () => void;
  state?: "default" | "error";
  stateRelatedMessage?: ReactNode;
}) {
  const [selectedText, setSelectedText] = useState<string | null>(initialText ?? null);
  return (
    <Combobox<Structure>
      label={label}
      hintText="Saisissez le nom de la structure, puis choisissez dans la liste."
      name={name}
      noun="structure"
      nounPlural="structures"
      feminine
      minChars={1}
      selectedText={value === null ? null : selectedText}
      search={async (q, signal) =>
        (await endpoints.listStructures({ q, per_page: 10 }, signal)).items
      }
      getKey={s => String(s.id)}
      getText={s => structureText(s)}
      onSelect={(s, text) => {
        setSelectedText(s ? text : null);
        onChange(s);
      }}
      onBlur={onBlur}
      state={state}
      stateRelatedMessage={stateRelatedMessage}
    />
  );
}
