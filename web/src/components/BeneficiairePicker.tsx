import { useState, type ReactNode } from "react";
import { listBeneficiaires } from "../api/activites";
import type { Beneficiaire } from "../api/types";
import { formatDate, fullName } from "../lib/format";
import { Combobox } from "./Combobox";

export function beneficiaireText(b: { prenom?: string | null; nom?: string | null; annee_naissance?: number | null }): string {
  const name = fullName(b) || "(sans nom)";
  return b.annee_naissance ? `${name} (${b.annee_naissance})` : name;
}

/** Picks one of the mediator's followed beneficiaries (GET /api/beneficiaires?q=). */
export function BeneficiairePicker({
  label = "Rechercher un bénéficiaire suivi",
  name = "beneficiaire",
  onChange,
  exclude = [],
  state,
  stateRelatedMessage,
  keepText = true
}: {
  label?: ReactNode;
  name?: string;
  onChange: (b: Beneficiaire | null) => void;
  exclude?: number[];
  state?: "default" | "error";
  stateRelatedMessage?: ReactNode;
  /** false: the field empties after a choice (adding participants one after the other). */
  keepText?: boolean;
}) {
  const [selectedText, setSelectedText] = useState<string | null>(null);
  return (
    <Combobox<Beneficiaire>
      label={label}
      hintText="Saisissez un nom, un prénom, un téléphone ou une adresse e-mail, puis choisissez dans la liste."
      name={name}
      noun="bénéficiaire"
      nounPlural="bénéficiaires"
      minChars={1}
      selectedText={selectedText}
      search={async (q, signal) =>
        (await listBeneficiaires({ q, per_page: 10 }, signal)).items.filter(b => !b.anonyme && !exclude.includes(b.id))
      }
      getKey={b => String(b.id)}
      getText={b => beneficiaireText(b)}
      renderOption={b => (
        <>
          {beneficiaireText(b)}
          <span className="fr-hint-text">
            {[b.commune_nom, b.telephone, b.dernier_accompagnement && `dernier accompagnement le ${formatDate(b.dernier_accompagnement)}`]
              .filter(Boolean)
              .join(" · ") || "\u00a0"}
          </span>
        </>
      )}
      onSelect={(b, text) => {
        if (keepText) setSelectedText(b ? text : null);
        else {
          setSelectedText(b ? "" : null);
          if (b) setTimeout(() => setSelectedText(null), 0);
        }
        onChange(b);
      }}
      state={state}
      stateRelatedMessage={stateRelatedMessage}
    />
  );
}
