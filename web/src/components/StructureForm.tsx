import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useCallback } from "react";
import type { Structure, StructureBody } from "../api/types";
import { useForm } from "../lib/useForm";
import * as v from "../lib/validation";
import { CommunePicker } from "./CommunePicker";
import { ErrorAlert } from "./ErrorAlert";

type Values = { nom: string; siret: string; adresse: string; commune_insee: string };

/** Creation and edition of a structure (nom, SIRET checked as typed, adresse, commune). */
export function StructureForm({
  initial,
  submitLabel,
  onSubmit,
  idPrefix = "structure"
}: {
  initial?: Structure;
  submitLabel: string;
  onSubmit: (body: StructureBody) => Promise<void>;
  idPrefix?: string;
}) {
  const validate = useCallback(
    (values: Values) => ({
      nom: v.required(values.nom, "Le nom de la structure est obligatoire."),
      siret: v.siret(values.siret),
      adresse: null,
      commune_insee: v.required(values.commune_insee, "Choisissez une commune dans la liste.")
    }),
    []
  );
  const form = useForm<Values>(
    {
      nom: initial?.nom ?? "",
      siret: initial?.siret ?? "",
      adresse: initial?.adresse ?? "",
      commune_insee: initial?.commune_insee ?? ""
    },
    validate
  );
  const submit = form.handleSubmit(async values => {
    await onSubmit({
      nom: values.nom.trim(),
      siret: v.normalizeSiret(values.siret),
      adresse: values.adresse.trim(),
      commune_insee: values.commune_insee
    });
  });
  const siretOk = form.values.siret.trim() !== "" && !v.siret(form.values.siret);
  return (
    <form onSubmit={submit} noValidate aria-label={submitLabel} className="coop-form-narrow">
      <ErrorAlert
        error={form.error}
        title="La structure n'a pas été enregistrée"
        extra={form.unboundServerErrors(["nom", "siret", "adresse", "commune_insee"])}
      />
      <Input label="Nom de la structure" {...form.fieldState("nom")} nativeInputProps={{ ...form.bind("nom"), id: `${idPrefix}-nom` }} />
      <Input
        label="SIRET (facultatif)"
        hintText="14 chiffres. Il figure sur l'avis de situation au répertoire Sirene."
        {...(form.errorFor("siret")
          ? form.fieldState("siret")
          : siretOk
            ? { state: "success" as const, stateRelatedMessage: "SIRET valide." }
            : { state: "default" as const })}
        nativeInputProps={{ ...form.bind("siret"), id: `${idPrefix}-siret`, inputMode: "numeric", autoComplete: "off" }}
      />
      <Input
        label="Adresse (facultatif)"
        hintText="Numéro et voie, par exemple : 12 rue de la République"
        {...form.fieldState("adresse")}
        nativeInputProps={{ ...form.bind("adresse"), id: `${idPrefix}-adresse`, autoComplete: "street-address" }}
      />
      <CommunePicker
        value={form.values.commune_insee}
        initialText={initial ? `${initial.commune_nom}${initial.code_postal ? ` (${initial.code_postal})` : ""}` : undefined}
        onChange={code => form.setField("commune_insee", code)}
        {...form.fieldState("commune_insee")}
      />
      <Button type="submit" disabled={form.submitting}>
        {form.submitting ? "Enregistrement…" : submitLabel}
      </Button>
    </form>
  );
}
