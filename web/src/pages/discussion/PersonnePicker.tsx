import { useState } from "react";
import { chercherPersonnes } from "../../api/discussion";
import type { PersonneTrouvee } from "../../api/discussionTypes";
import { Combobox } from "../../components/Combobox";

/** Picks a person of the discussion space (GET /api/discussion/personnes?q=). */
export function PersonnePicker({
  label,
  name,
  hint = "Saisissez un nom, puis choisissez dans la liste.",
  onChange,
  exclure = [],
  garder = false,
  texteInitial = null
}: {
  label: string;
  name: string;
  hint?: string;
  onChange: (p: PersonneTrouvee | null) => void;
  exclure?: number[];
  /** Keep the chosen name in the field (a filter), or empty it (adding to a list). */
  garder?: boolean;
  texteInitial?: string | null;
}) {
  const [texte, setTexte] = useState<string | null>(texteInitial);
  const [cle, setCle] = useState(0);
  return (
    <Combobox<PersonneTrouvee>
      key={cle}
      label={label}
      hintText={hint}
      name={name}
      noun="personne"
      nounPlural="personnes"
      feminine
      minChars={1}
      selectedText={garder ? texte : null}
      search={async (q, signal) => (await chercherPersonnes(q, undefined, signal)).items.filter(p => !exclure.includes(p.id))}
      getKey={p => String(p.id)}
      getText={p => p.nom}
      renderOption={p => (
        <>
          {p.nom}
          {p.structure && <span className="fr-hint-text">{p.structure}</span>}
        </>
      )}
      onSelect={(p, t) => {
        setTexte(p ? t : null);
        onChange(p);
        if (p && !garder) setCle(k => k + 1);
      }}
    />
  );
}
