import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useCallback } from "react";
import { useNavigate, useParams } from "react-router";
import { createBeneficiaire, getBeneficiaire, updateBeneficiaire } from "../../api/activites";
import type { Beneficiaire, BeneficiaireBody } from "../../api/types";
import { CommunePicker } from "../../components/CommunePicker";
import { ErrorAlert } from "../../components/ErrorAlert";
import { LoadError } from "../../components/LoadError";
import { PageLoading } from "../../components/PageLoading";
import { GENRES, STATUTS_SOCIAUX, TRANCHES_AGE, codeOf, type Options } from "../../lib/activites";
import { anneeNaissance, emailFacultatif } from "../../lib/beneficiaires";
import { fullName } from "../../lib/format";
import { useAsync } from "../../lib/useAsync";
import { useForm } from "../../lib/useForm";
import { useTitle } from "../../lib/useTitle";
import * as v from "../../lib/validation";

type Values = {
  prenom: string;
  nom: string;
  annee_naissance: string;
  telephone: string;
  pas_de_telephone: boolean;
  email: string;
  adresse: string;
  commune_insee: string;
  genre: string;
  tranche_age: string;
  statut_social: string;
  notes: string;
};

const FIELDS: (keyof Values)[] = ["prenom", "nom", "annee_naissance", "telephone", "pas_de_telephone", "email", "adresse", "commune_insee", "genre", "tranche_age", "statut_social", "notes"];

function valuesOf(b?: Beneficiaire): Values {
  return {
    prenom: b?.prenom ?? "",
    nom: b?.nom ?? "",
    annee_naissance: b?.annee_naissance != null ? String(b.annee_naissance) : "",
    telephone: b?.telephone ?? "",
    pas_de_telephone: !!b?.pas_de_telephone,
    email: b?.email ?? "",
    adresse: b?.adresse ?? "",
    commune_insee: b?.commune_insee ?? "",
    genre: b?.genre ?? "",
    tranche_age: b?.tranche_age ?? "",
    statut_social: b?.statut_social ?? "",
    notes: b?.notes ?? ""
  };
}

function BeneficiaireForm({ initial }: { initial?: Beneficiaire }) {
  const navigate = useNavigate();
  const validate = useCallback(
    (x: Values) => ({
      prenom: v.required(x.prenom, "Le prénom est obligatoire pour un bénéficiaire suivi."),
      nom: v.required(x.nom, "Le nom est obligatoire pour un bénéficiaire suivi."),
      annee_naissance: anneeNaissance(x.annee_naissance),
      telephone: x.pas_de_telephone ? null : v.telephone(x.telephone),
      email: emailFacultatif(x.email)
    }),
    []
  );
  const form = useForm<Values>(valuesOf(initial), validate);
  const submit = form.handleSubmit(async x => {
    const body: BeneficiaireBody = {
      prenom: x.prenom.trim() || null,
      nom: x.nom.trim() || null,
      annee_naissance: x.annee_naissance.trim() ? Number(x.annee_naissance) : null,
      telephone: x.pas_de_telephone ? null : x.telephone.trim() || null,
      pas_de_telephone: x.pas_de_telephone,
      email: x.email.trim() || null,
      adresse: x.adresse.trim() || null,
      commune_insee: x.commune_insee || null,
      genre: codeOf(GENRES, x.genre),
      tranche_age: codeOf(TRANCHES_AGE, x.tranche_age),
      statut_social: codeOf(STATUTS_SOCIAUX, x.statut_social),
      notes: x.notes.trim() || null
    };
    const b = initial ? await updateBeneficiaire(initial.id, { ...body, version: initial.version }) : await createBeneficiaire(body);
    navigate(`/beneficiaires/${b.id}`, { state: { message: initial ? "Bénéficiaire modifié." : "Bénéficiaire créé." } });
  });
  const select = (key: keyof Values, label: string, options: Options) => (
    <Select label={`${label} (facultatif)`} {...form.fieldState(key)} nativeSelectProps={{ ...form.bind(key), id: `benef-${key}` }}>
      <option value="">Non renseigné</option>
      {options.map(([c, l]) => (
        <option key={c} value={c}>
          {l}
        </option>
      ))}
    </Select>
  );
  return (
    <form onSubmit={submit} noValidate aria-labelledby="titre-benef" className="coop-form-narrow">
      <ErrorAlert error={form.error} as="h2" title="Le bénéficiaire n'a pas été enregistré" extra={form.unboundServerErrors(FIELDS)} />
      <Input label="Prénom" {...form.fieldState("prenom")} nativeInputProps={{ ...form.bind("prenom"), id: "benef-prenom", autoComplete: "off", autoFocus: !initial }} />
      <Input label="Nom" {...form.fieldState("nom")} nativeInputProps={{ ...form.bind("nom"), id: "benef-nom", autoComplete: "off" }} />
      <Input
        label="Année de naissance (facultatif)"
        hintText="4 chiffres, exemple : 1958"
        {...form.fieldState("annee_naissance")}
        nativeInputProps={{ ...form.bind("annee_naissance"), id: "benef-annee", inputMode: "numeric", autoComplete: "off" }}
      />
      <Input
        label="Téléphone (facultatif)"
        hintText="Exemple : 06 12 34 56 78"
        disabled={form.values.pas_de_telephone}
        {...form.fieldState("telephone")}
        nativeInputProps={{ ...form.bind("telephone"), id: "benef-telephone", type: "tel", autoComplete: "off" }}
      />
      <Checkbox
        small
        options={[
          {
            label: "Pas de téléphone",
            nativeInputProps: { name: "pas_de_telephone", checked: form.values.pas_de_telephone, onChange: e => form.setField("pas_de_telephone", e.target.checked) }
          }
        ]}
      />
      <Input label="Adresse e-mail (facultatif)" {...form.fieldState("email")} nativeInputProps={{ ...form.bind("email"), id: "benef-email", type: "email", autoComplete: "off" }} />
      <Input label="Adresse (facultatif)" {...form.fieldState("adresse")} nativeInputProps={{ ...form.bind("adresse"), id: "benef-adresse", autoComplete: "off" }} />
      <CommunePicker
        label="Commune de résidence (facultatif)"
        value={form.values.commune_insee}
        initialText={initial?.commune_nom ? `${initial.commune_nom}${initial.code_postal ? ` (${initial.code_postal})` : ""}` : undefined}
        onChange={code => form.setField("commune_insee", code)}
        {...form.fieldState("commune_insee")}
      />
      {select("genre", "Genre", GENRES)}
      {select("tranche_age", "Tranche d'âge", TRANCHES_AGE)}
      {select("statut_social", "Statut", STATUTS_SOCIAUX)}
      <Input label="Notes (facultatif)" textArea {...form.fieldState("notes")} nativeTextAreaProps={{ ...form.bind("notes"), id: "benef-notes", rows: 3 }} />
      <div className="coop-form-actions">
        <Button type="submit" disabled={form.submitting}>
          {form.submitting ? "Enregistrement…" : initial ? "Enregistrer les modifications" : "Créer le bénéficiaire"}
        </Button>
        <Button priority="secondary" linkProps={{ to: initial ? `/beneficiaires/${initial.id}` : "/beneficiaires" }}>
          Annuler
        </Button>
      </div>
    </form>
  );
}

export function BeneficiaireFormPage() {
  const { id } = useParams();
  const editing = id !== undefined;
  const b = useAsync(() => (editing ? getBeneficiaire(Number(id)) : Promise.resolve(undefined)), [id]);
  const title = editing ? `Modifier ${b.data ? fullName(b.data) : "le bénéficiaire"}` : "Nouveau bénéficiaire";
  useTitle(title);
  if (b.error) return <div className="fr-container fr-my-6w"><h1>{title}</h1><LoadError error={b.error} what="le bénéficiaire" page /></div>;
  if (editing && !b.data) return <PageLoading />;
  return (
    <div className="fr-container fr-my-4w">
      <Breadcrumb currentPageLabel={title} homeLinkProps={{ to: "/" }} segments={[{ label: "Bénéficiaires", linkProps: { to: "/beneficiaires" } }]} />
      <h1 id="titre-benef">{title}</h1>
      <p className="fr-hint-text">Ne recueillez que les informations utiles à l'accompagnement, avec l'accord de la personne.</p>
      <BeneficiaireForm key={b.data?.id ?? "new"} initial={b.data} />
    </div>
  );
}
