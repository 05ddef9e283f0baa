import { useEffect, useState, type ReactNode } from "react";
import { isApiError } from "../api/client";
import * as endpoints from "../api/endpoints";
import type { Commune } from "../api/types";
import { chercherCommunesHorsLigne } from "../horsligne/communes";
import { Combobox } from "./Combobox";

/** "Lyon (69001) – Rhône": the postal code typed when the query is one, else the first one. */
export function communeText(c: Commune, query = ""): string {
  const q = query.trim();
  const cp = (/^\d{2,5}$/.test(q) && c.codes_postaux.find(cp => cp.startsWith(q))) || c.codes_postaux[0];
  return `${c.nom}${cp ? ` (${cp})` : ""} – ${c.departement_nom}`;
}

export interface CommunePickerProps {
  label?: ReactNode;
  hintText?: ReactNode;
  name?: string;
  /** INSEE code of the chosen commune, "" for none. */
  value: string;
  /** Text for the initial value, when the caller already knows it (avoids a request). */
  initialText?: string;
  onChange: (code: string, commune: Commune | null) => void;
  onBlur?: () => void;
  state?: "default" | "error";
  stateRelatedMessage?: ReactNode;
}

/**
 * Commune field used by every form that asks for one: searches GET /api/communes?q= (name,
 * postal code or INSEE code) as the user types and stores the INSEE code.
 */
export function CommunePicker({
  label = "Commune",
  hintText = "Saisissez le nom ou le code postal, puis choisissez dans la liste.",
  name = "commune_insee",
  value,
  initialText,
  onChange,
  onBlur,
  state,
  stateRelatedMessage
}: CommunePickerProps) {
  const [selectedText, setSelectedText] = useState<string | null>(value ? initialText ?? null : null);

  useEffect(() => {
    if (!value) {
      setSelectedText(null);
      return;
    }
    if (selectedText !== null) return;
    let cancelled = false;
    endpoints
      .getCommune(value)
      .then(c => !cancelled && setSelectedText(communeText(c)))
      .catch(() => !cancelled && setSelectedText(value));
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);

  return (
    <Combobox<Commune>
      label={label}
      hintText={hintText}
      name={name}
      noun="commune"
      nounPlural="communes"
      feminine
      selectedText={selectedText}
      search={async (q, signal) => {
        try {
          return (await endpoints.searchCommunes(q, signal, 10)).items;
        } catch (e) {
          // No network: the communes of the départements kept on this device (offline entry).
          const local = isApiError(e) && e.status === 0 ? await chercherCommunesHorsLigne(q, 10) : null;
          if (local) return local;
          throw e;
        }
      }}
      getKey={c => c.code}
      getText={communeText}
      renderOption={(c, q) => (
        <>
          {communeText(c, q)}
          <span className="fr-hint-text">INSEE {c.code}</span>
        </>
      )}
      onSelect={(c, text) => {
        setSelectedText(c ? text : null);
        onChange(c ? c.code : "", c);
      }}
      onBlur={onBlur}
      state={state}
      stateRelatedMessage={stateRelatedMessage}
    />
  );
}
