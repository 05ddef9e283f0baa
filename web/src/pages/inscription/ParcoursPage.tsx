import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { Stepper } from "@codegouvfr/react-dsfr/Stepper";
import { useCallback, useEffect, useState } from "react";
import { Navigate, useNavigate } from "react-router";
import { isApiError } from "../../api/client";
import { listLieux } from "../../api/activites";
import * as inscription from "../../api/inscription";
import type { LieuActivite, Structure } from "../../api/types";
import { useSession } from "../../auth/AuthContext";
import { CommunePicker } from "../../components/CommunePicker";
import { ErrorAlert } from "../../components/ErrorAlert";
import { LoadError } from "../../components/LoadError";
import { PageLoading } from "../../components/PageLoading";
import { formatSiret } from "../../lib/format";
import { useAsync } from "../../lib/useAsync";
import { useForm } from "../../lib/useForm";
import { useTitle } from "../../lib/useTitle";
import * as v from "../../lib/validation";

type Etape = "profil" | "structure" | "lieux";
const TITRES: Record<Etape, string> = { profil: "Votre profil", structure: "Votre structure employeuse", lieux: "Vos lieux d'activité" };

function lieuCommune(s: { commune_nom?: string | null; code_postal?: string | null }): string {
  return [s.commune_nom, s.code_postal ? `(${s.code_postal})` : ""].filter(Boolean).join(" ");
}

function EtapeProfil({ onDone }: { onDone: (p: inscription.Parcours) => void }) {
  const { refresh } = useSession();
  const validate = useCallback((values: { profil: string }) => ({ profil: v.required(values.profil, "Choisissez votre profil.") }), []);
  const form = useForm({ profil: "" }, validate);
  const submit = form.handleSubmit(async values => {
    const p = await inscription.choisirProfil(values.profil as inscription.Profil);
    await refresh();
    onDone(p);
  });
  const err = form.errorFor("profil");
  return (
    <form onSubmit={submit} noValidate aria-label="Choix du profil">
      <ErrorAlert error={form.error} title="Votre profil n'a pas été enregistré" extra={form.unboundServerErrors(["profil"])} />
      <RadioButtons
        legend="Quel est votre métier ?"
        name="profil"
        state={err ? "error" : "default"}
        stateRelatedMessage={err}
        options={[
          { label: "Médiateur ou médiatrice numérique", hintText: "Vous accompagnez des personnes dans leurs usages du numérique.", nativeInputProps: { value: "mediateur", checked: form.values.profil === "mediateur", onChange: () => form.setField("profil", "mediateur") } },
          { label: "Conseiller ou conseillère numérique", hintText: "Vous êtes médiateur sur un poste du dispositif Conseiller numérique.", nativeInputProps: { value: "conseiller_numerique", checked: form.values.profil === "conseiller_numerique", onChange: () => form.setField("profil", "conseiller_numerique") } },
          { label: "Coordinateur ou coordinatrice", hintText: "Vous animez une équipe de médiateurs numériques.", nativeInputProps: { value: "coordinateur", checked: form.values.profil === "coordinateur", onChange: () => form.setField("profil", "coordinateur") } }
        ]}
      />
      <Button type="submit" disabled={form.submitting}>
        Continuer
      </Button>
    </form>
  );
}

type StructureValues = { siret: string; nom: string; commune_insee: string; adresse: string };

function EtapeStructure({ onDone }: { onDone: (r: inscription.EmployeurDeclare) => void }) {
  const [trouvee, setTrouvee] = useState<Structure | null | undefined>(undefined); // undefined: not searched yet
  const validate = useCallback(
    (values: StructureValues) => ({
      siret: v.siret(values.siret) ?? v.required(values.siret, "Le SIRET est obligatoire."),
      ...(trouvee === null
        ? {
            nom: v.required(values.nom, "Le nom de la structure est obligatoire."),
            commune_insee: v.required(values.commune_insee, "Choisissez la commune dans la liste."),
            adresse: v.required(values.adresse, "L'adresse est obligatoire.")
          }
        : {})
    }),
    [trouvee]
  );
  const form = useForm<StructureValues>({ siret: "", nom: "", commune_insee: "", adresse: "" }, validate);
  const submit = form.handleSubmit(async values => {
    const siret = v.normalizeSiret(values.siret);
    if (trouvee === undefined) {
      const r = await inscription.structureParSiret(siret);
      setTrouvee(r.items[0] ?? null);
      return;
    }
    const body = trouvee ? { siret } : { siret, nom: values.nom.trim(), commune_insee: values.commune_insee, adresse: values.adresse.trim() };
    onDone(await inscription.declarerEmployeur(body));
  });
  return (
    <form onSubmit={submit} noValidate aria-label="Structure employeuse">
      <p>Indiquez le SIRET de la structure qui vous emploie : si elle est déjà dans Coop, nous la retrouvons ; sinon, vous la créez.</p>
      <ErrorAlert error={form.error} title="Votre structure n'a pas été enregistrée" extra={form.unboundServerErrors(["siret", "nom", "commune_insee", "adresse"])} />
      <Input
        label="SIRET de la structure employeuse"
        hintText="14 chiffres, sur l'annuaire-entreprises.data.gouv.fr ou sur un bulletin de salaire."
        {...form.fieldState("siret")}
        nativeInputProps={{
          ...form.bind("siret"),
          id: "structure-siret",
          inputMode: "numeric",
          onChange: e => {
            form.setField("siret", e.target.value);
            setTrouvee(undefined);
          }
        }}
      />
      {trouvee && (
        <div className="fr-callout fr-mb-3w" id="structure-trouvee">
          <p className="fr-callout__title">{trouvee.nom}</p>
          <p className="fr-callout__text">
            {[trouvee.adresse, lieuCommune(trouvee)].filter(Boolean).join(", ")} — SIRET {formatSiret(trouvee.siret)}
          </p>
        </div>
      )}
      {trouvee === null && (
        <>
          <Alert severity="info" small description="Aucune structure n'a ce SIRET dans Coop : renseignez-la pour la créer." className="fr-mb-3w" />
          <Input label="Nom de la structure" {...form.fieldState("nom")} nativeInputProps={{ ...form.bind("nom"), id: "structure-nom" }} />
          <CommunePicker value={form.values.commune_insee} onChange={code => form.setField("commune_insee", code)} {...form.fieldState("commune_insee")} />
          <Input label="Adresse" hintText="Numéro et voie, par exemple : 3 rue de la République" {...form.fieldState("adresse")} nativeInputProps={{ ...form.bind("adresse"), id: "structure-adresse", autoComplete: "street-address" }} />
        </>
      )}
      <Button type="submit" disabled={form.submitting}>
        {trouvee === undefined ? "Rechercher la structure" : trouvee ? "C'est ma structure : continuer" : "Créer la structure et continuer"}
      </Button>
    </form>
  );
}

function NouveauLieu({ onAdded }: { onAdded: (l: LieuActivite) => void }) {
  const validate = useCallback(
    (values: { nom: string; commune_insee: string; adresse: string }) => ({
      nom: v.required(values.nom, "Le nom du lieu est obligatoire."),
      commune_insee: v.required(values.commune_insee, "Choisissez la commune dans la liste.")
    }),
    []
  );
  const form = useForm({ nom: "", commune_insee: "", adresse: "" }, validate);
  const submit = form.handleSubmit(async values => {
    onAdded(await inscription.creerLieu({ nom: values.nom.trim(), commune_insee: values.commune_insee, adresse: values.adresse.trim() }));
    form.reset({ nom: "", commune_insee: "", adresse: "" });
  });
  return (
    <form onSubmit={submit} noValidate aria-labelledby="titre-nouveau-lieu" className="fr-mt-4w">
      <h3 id="titre-nouveau-lieu" className="fr-h6">
        Créer un lieu
      </h3>
      <ErrorAlert error={form.error} title="Le lieu n'a pas été créé" extra={form.unboundServerErrors(["nom", "commune_insee", "adresse"])} />
      <Input label="Nom du lieu" hintText="Par exemple : Médiathèque Jean Macé" {...form.fieldState("nom")} nativeInputProps={{ ...form.bind("nom"), id: "lieu-nom" }} />
      <CommunePicker name="lieu_commune" value={form.values.commune_insee} onChange={code => form.setField("commune_insee", code)} {...form.fieldState("commune_insee")} />
      <Input label="Adresse (facultatif)" {...form.fieldState("adresse")} nativeInputProps={{ ...form.bind("adresse"), id: "lieu-adresse" }} />
      <Button type="submit" priority="secondary" iconId="fr-icon-add-line" disabled={form.submitting}>
        Créer et ajouter ce lieu
      </Button>
    </form>
  );
}

function EtapeLieux({ employeur, onDone }: { employeur: { id: number; nom: string } | null; onDone: () => void }) {
  const lieux = useAsync(() => listLieux(), []);
  const [q, setQ] = useState("");
  const [resultats, setResultats] = useState<Structure[] | null>(null);
  const [erreur, setErreur] = useState<string | null>(null);
  if (lieux.error) return <LoadError error={lieux.error} what="vos lieux d'activité" />;
  if (!lieux.data) return <p role="status">Chargement de vos lieux…</p>;
  const items = lieux.data.items;
  const ajouter = async (structureId: number) => {
    setErreur(null);
    try {
      const l = await inscription.ajouterLieu(structureId);
      lieux.setData(d => d && { items: [...d.items, l] });
    } catch (e) {
      setErreur(isApiError(e) ? e.message : "Le lieu n'a pas été ajouté.");
    }
  };
  const deja = (id: number) => items.some(l => l.structure_id === id);
  return (
    <div>
      <p>Où accompagnez-vous les personnes ? Ces lieux vous seront proposés quand vous enregistrerez une activité.</p>
      {erreur && <Alert severity="error" small description={erreur} className="fr-mb-2w" />}
      {items.length > 0 ? (
        <ul aria-label="Vos lieux d'activité" id="mes-lieux">
          {items.map(l => (
            <li key={l.id}>
              <strong>{l.nom}</strong> — {[l.adresse, l.commune_nom].filter(Boolean).join(", ")}
            </li>
          ))}
        </ul>
      ) : (
        <p className="fr-text--sm">Aucun lieu d'activité pour l'instant.</p>
      )}
      {employeur && !deja(employeur.id) && (
        <Button priority="secondary" iconId="fr-icon-add-line" className="fr-mb-3w" onClick={() => void ajouter(employeur.id)}>
          {`J'exerce aussi dans ma structure employeuse (${employeur.nom})`}
        </Button>
      )}
      <form
        noValidate
        aria-labelledby="titre-recherche-lieu"
        onSubmit={async e => {
          e.preventDefault();
          if (q.trim().length < 2) return;
          setResultats((await inscription.structuresParNom(q.trim())).items);
        }}
      >
        <h3 id="titre-recherche-lieu" className="fr-h6">
          Trouver un lieu existant
        </h3>
        <div className="fr-search-bar" role="search">
          <Input label="Nom du lieu" hideLabel={false} nativeInputProps={{ id: "lieu-recherche", value: q, onChange: e => setQ(e.target.value) }} />
        </div>
        <Button type="submit" priority="tertiary" iconId="fr-icon-search-line" className="fr-mt-1w">
          Rechercher
        </Button>
      </form>
      {resultats && (
        <ul aria-label="Lieux trouvés" className="fr-mt-2w">
          {resultats.length === 0 && <li>Aucun lieu trouvé : créez-le ci-dessous.</li>}
          {resultats.map(s => (
            <li key={s.id} className="fr-mb-1w">
              {s.nom} — {lieuCommune(s)}{" "}
              {deja(s.id) ? (
                <span className="fr-text--sm">(déjà ajouté)</span>
              ) : (
                <Button size="small" priority="secondary" onClick={() => void ajouter(s.id)} title={`Ajouter ${s.nom}`}>
                  Ajouter
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      <NouveauLieu onAdded={l => lieux.setData(d => d && { items: [...d.items, l] })} />
      <div className="fr-mt-4w">
        <Button onClick={onDone}>{items.length ? "Continuer" : "Passer cette étape"}</Button>
      </div>
    </div>
  );
}

export function ParcoursPage() {
  useTitle("Finaliser mon inscription");
  const navigate = useNavigate();
  const parcours = useAsync(() => inscription.getParcours(), []);
  const [etape, setEtape] = useState<Etape | null>(null);
  const [rattachement, setRattachement] = useState<inscription.EmployeurDeclare | null>(null);

  useEffect(() => {
    const e = parcours.data?.etape;
    if (e && etape === null && (e === "profil" || e === "structure" || e === "lieux")) setEtape(e);
  }, [parcours.data, etape]);

  if (parcours.error) return <LoadError error={parcours.error} what="les étapes de votre inscription" />;
  if (!parcours.data) return <PageLoading label="Chargement…" />;
  if (parcours.data.etape === "premiers_pas" || parcours.data.etape === "termine") return <Navigate to="/premiers-pas" replace />;
  if (!etape) return <PageLoading label="Chargement…" />;

  const data = parcours.data;
  const mediateur = data.profil !== "coordinateur";
  const steps: Etape[] = mediateur ? ["profil", "structure", "lieux"] : ["profil", "structure"];
  const index = steps.indexOf(etape);
  const emploi = rattachement?.emploi ?? data.emplois.find(e => e.statut !== "refuse") ?? null;
  const suivante = (p: Partial<inscription.Parcours>) => {
    const next = { ...data, ...p };
    parcours.setData(() => next);
    const after = steps[index + 1];
    if (after && (after !== "lieux" || next.profil !== "coordinateur")) setEtape(after);
    else navigate("/premiers-pas");
  };

  return (
    <div className="fr-container fr-my-6w">
      <div className="fr-grid-row fr-grid-row--center">
        <div className="fr-col-12 fr-col-md-10 fr-col-lg-8">
          <h1>Finaliser mon inscription</h1>
          <Stepper currentStep={index + 1} stepCount={steps.length} title={TITRES[etape]} nextTitle={steps[index + 1] ? TITRES[steps[index + 1]] : "Premiers pas"} />
          {rattachement && etape === "lieux" && (
            <Alert
              severity="info"
              small
              role="status"
              className="fr-mb-3w"
              id="rattachement-en-attente"
              description={`Votre rattachement à « ${rattachement.emploi.structure_nom} » est en attente de confirmation par ${rattachement.sans_gestionnaire ? "un administrateur de Coop (la structure n'a pas encore de gestionnaire)" : "un gestionnaire de la structure"}. Vous pouvez déjà enregistrer vos activités.`}
            />
          )}
          {etape === "profil" && <EtapeProfil onDone={p => suivante(p)} />}
          {etape === "structure" && (
            <EtapeStructure
              onDone={r => {
                setRattachement(r);
                suivante({ emplois: [...data.emplois, r.emploi] });
              }}
            />
          )}
          {etape === "lieux" && <EtapeLieux employeur={emploi ? { id: emploi.structure_id, nom: emploi.structure_nom } : null} onDone={() => navigate("/premiers-pas")} />}
        </div>
      </div>
    </div>
  );
}
