import { Accordion } from "@codegouvfr/react-dsfr/Accordion";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { useEffect, useState } from "react";
import type { ProfilAnonyme, ProfilAnonymeVue } from "../../api/types";
import { CommunePicker } from "../../components/CommunePicker";
import { GENRES, STATUTS_SOCIAUX, TRANCHES_AGE, codeOf, type Options } from "../../lib/activites";

/** The anonymous beneficiary's profile as the form keeps it: codes, "" when not given. */
export interface ProfilState {
  genre: string;
  tranche_age: string;
  statut_social: string;
  commune_insee: string;
  code_postal: string;
  commune_text?: string;
}

export const emptyProfil = (): ProfilState => ({ genre: "", tranche_age: "", statut_social: "", commune_insee: "", code_postal: "" });

export function profilFrom(p: ProfilAnonymeVue | null | undefined): ProfilState {
  if (!p) return emptyProfil();
  return {
    genre: p.genre ?? "",
    tranche_age: p.tranche_age ?? "",
    statut_social: p.statut_social ?? "",
    commune_insee: p.commune_insee ?? "",
    code_postal: p.code_postal ?? "",
    commune_text: p.commune_nom ? `${p.commune_nom}${p.code_postal ? ` (${p.code_postal})` : ""}` : undefined
  };
}

export function profilBody(p: ProfilState): ProfilAnonyme {
  return {
    genre: codeOf(GENRES, p.genre),
    tranche_age: codeOf(TRANCHES_AGE, p.tranche_age),
    statut_social: codeOf(STATUTS_SOCIAUX, p.statut_social),
    commune_insee: p.commune_insee || null,
    code_postal: p.commune_insee && p.code_postal ? p.code_postal : null
  };
}

/** "Féminin, 70 ans et plus, Retraité(e), Villeurbanne": what is known of the anonymous person ("" if nothing). */
export function profilText(p: ProfilAnonymeVue | null | undefined): string {
  if (!p) return "";
  const label = (options: Options, code: string | null | undefined) => options.find(([c]) => c === code)?.[1];
  return [label(GENRES, p.genre), label(TRANCHES_AGE, p.tranche_age), label(STATUTS_SOCIAUX, p.statut_social), p.commune_nom ?? p.commune_insee]
    .filter(Boolean)
    .join(", ");
}

/** Server error fields that this section shows. */
export const PROFIL_FIELDS = [
  "beneficiaire_anonyme",
  "beneficiaire_anonyme.genre",
  "beneficiaire_anonyme.tranche_age",
  "beneficiaire_anonyme.statut_social",
  "beneficiaire_anonyme.commune_insee",
  "beneficiaire_anonyme.code_postal"
];

/**
 * "Profil du bénéficiaire anonyme": genre, tranche d'âge, statut and commune of residence, all
 * optional. Folded by default so that the quick keyboard path of the CRA form stays as short as
 * it was; it opens by itself when the server names one of its fields.
 */
export function ProfilAnonymeSection({
  profil,
  onChange,
  errorFor
}: {
  profil: ProfilState;
  onChange: (p: ProfilState) => void;
  errorFor: (field: string) => string | undefined;
}) {
  const hasError = PROFIL_FIELDS.some(f => !!errorFor(f));
  const [expanded, setExpanded] = useState(hasError);
  useEffect(() => {
    if (hasError) setExpanded(true);
  }, [hasError]);
  const filled = [profil.genre, profil.tranche_age, profil.statut_social, profil.commune_insee].filter(Boolean).length;
  const radios = (legend: string, key: "genre" | "tranche_age" | "statut_social", options: Options) => {
    const field = `beneficiaire_anonyme.${key}`;
    const message = errorFor(field);
    return (
      <RadioButtons
        legend={legend}
        name={field}
        orientation="horizontal"
        small
        state={message ? "error" : "default"}
        stateRelatedMessage={message}
        options={options.map(([code, label]) => ({
          label,
          nativeInputProps: { value: code, checked: profil[key] === code, onChange: () => onChange({ ...profil, [key]: code }) }
        }))}
      />
    );
  };
  const communeError = errorFor("beneficiaire_anonyme.commune_insee") ?? errorFor("beneficiaire_anonyme.code_postal");
  return (
    <div data-field="beneficiaire_anonyme" className="fr-mt-2w">
      <Accordion
        titleAs="h2"
        label={`Profil du bénéficiaire anonyme (facultatif)${filled ? ` – ${filled} information${filled > 1 ? "s" : ""}` : ""}`}
        expanded={expanded}
        onExpandedChange={value => setExpanded(value)}
      >
        <p className="fr-text--sm fr-mb-2w">Sans nom : ces informations servent uniquement aux statistiques.</p>
        {errorFor("beneficiaire_anonyme") && (
          <p className="fr-message fr-message--error fr-mb-2w" role="alert">
            {errorFor("beneficiaire_anonyme")}
          </p>
        )}
        {radios("Genre", "genre", GENRES)}
        {radios("Tranche d'âge", "tranche_age", TRANCHES_AGE)}
        {radios("Statut", "statut_social", STATUTS_SOCIAUX)}
        <CommunePicker
          label="Commune de résidence"
          name="beneficiaire_anonyme.commune_insee"
          value={profil.commune_insee}
          initialText={profil.commune_text}
          onChange={(code, c) =>
            onChange({
              ...profil,
              commune_insee: code,
              code_postal: "",
              commune_text: c ? `${c.nom}${c.codes_postaux[0] ? ` (${c.codes_postaux[0]})` : ""}` : undefined
            })
          }
          {...(communeError ? { state: "error" as const, stateRelatedMessage: communeError } : {})}
        />
        <Button type="button" size="small" priority="tertiary" disabled={filled === 0} onClick={() => onChange(emptyProfil())}>
          Effacer le profil
        </Button>
      </Accordion>
    </div>
  );
}
