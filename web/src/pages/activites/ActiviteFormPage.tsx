import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { Link, useLocation, useNavigate, useParams, useSearchParams } from "react-router";
import {
  createActiviteAvecCle,
  createBeneficiaire,
  duplicateActivite,
  getActivite,
  getReferentiel,
  listTags,
  updateActivite
} from "../../api/activites";
import type {
  Activite,
  ActiviteBeneficiaire,
  ActiviteBody,
  LieuActivite,
  Referentiel,
  Tag,
  TypeActivite,
  TypeLieu
} from "../../api/types";
import { ApiError, isApiError } from "../../api/client";
import { BeneficiairePicker, beneficiaireText } from "../../components/BeneficiairePicker";
import { ChipGroup } from "../../components/ChipGroup";
import { CommunePicker } from "../../components/CommunePicker";
import { ErrorAlert } from "../../components/ErrorAlert";
import { LoadError } from "../../components/LoadError";
import { PageLoading } from "../../components/PageLoading";
import { PROFIL_FIELDS, ProfilAnonymeSection, emptyProfil, profilBody, profilFrom, type ProfilState } from "./ProfilAnonymeSection";
import {
  AIDE_DEMARCHES,
  AUTONOMIE,
  BREAKDOWNS,
  DATE_MIN,
  DEMARCHES,
  MATERIEL,
  NIVEAUX,
  STRUCTURES_REDIRECTION,
  THEMATIQUES,
  TYPES_LIEU,
  breakdownSum,
  codeOf,
  codesOf,
  dateActivite,
  dureeActivite,
  formatDuree,
  presetOrder,
  type BreakdownKey
} from "../../lib/activites";
import { fullName, today as localToday } from "../../lib/format";
import { useTitle } from "../../lib/useTitle";
import * as v from "../../lib/validation";
import { useSession } from "../../auth/AuthContext";
import { EnAttenteBadge } from "../../horsligne/EnAttenteBadge";
import { envoyer, synchroniser } from "../../horsligne/envoi";
import { enregistrer, lire, nouvelleCle, type ActiviteEnAttente } from "../../horsligne/file";
import { useEnLigne } from "../../horsligne/useEnLigne";
import { garderBrouillon, lireBrouillon, oublierBrouillon, SERVICES_DES_THEMATIQUES, type LieuOriente } from "../lieux/orientation";

type Counts = Record<BreakdownKey, Record<string, string>>;

/** The server's day (référentiel `aujourdhui`) when known: the date rule is checked against it. */
let serverToday: string | null = null;
const today = () => serverToday ?? localToday();

interface State {
  type: TypeActivite;
  date: string;
  preset: number | null;
  heures: string;
  minutes: string;
  type_lieu: TypeLieu;
  lieu_activite_id: string;
  commune_insee: string;
  commune_text?: string;
  materiel: string[];
  thematiques: string[];
  demarches: string[];
  precisions_demarche: string;
  notes: string;
  tags: number[];
  suivi: boolean;
  /** Profile of the anonymous beneficiary (when not suivi). */
  profil: ProfilState;
  beneficiaire: ActiviteBeneficiaire | null;
  autonomie: string;
  oriente: boolean;
  structure_de_redirection: string;
  /** The lieu chosen in the orientation wizard (/lieux/orienter) and the services it matched. */
  orientation?: LieuOriente | null;
  orientation_services?: string[];
  titre_atelier: string;
  niveau: string;
  participants: ActiviteBeneficiaire[];
  total: string;
  counts: Counts;
}

const emptyCounts = (): Counts => ({ genre: {}, tranche_age: {}, statut_social: {}, deja_accompagne: {} });

function lieuxOf(ref: Referentiel | undefined): LieuActivite[] {
  return ref?.lieux ?? [];
}

function initialState(type: TypeActivite, ref: Referentiel | undefined): State {
  const lieux = lieuxOf(ref);
  // lieu_activite_id is the structure of the lieu (LieuActivite.structure_id), as dernier_lieu_id.
  const dernier = ref?.dernier_lieu_id != null && lieux.some(l => l.structure_id === ref.dernier_lieu_id) ? ref.dernier_lieu_id : lieux[0]?.structure_id;
  return {
    type,
    date: today(),
    preset: null,
    heures: "",
    minutes: "",
    type_lieu: lieux.length ? "lieu_activite" : "domicile",
    lieu_activite_id: dernier != null ? String(dernier) : "",
    commune_insee: "",
    materiel: [],
    thematiques: [],
    demarches: [],
    precisions_demarche: "",
    notes: "",
    tags: [],
    suivi: false,
    profil: emptyProfil(),
    beneficiaire: null,
    autonomie: "",
    oriente: false,
    structure_de_redirection: "",
    orientation: null,
    orientation_services: [],
    titre_atelier: "",
    niveau: "",
    participants: [],
    total: "",
    counts: emptyCounts()
  };
}

function fromActivite(a: Activite, presets: number[]): State {
  const counts = emptyCounts();
  const pa = a.participants_anonymes;
  for (const [key] of BREAKDOWNS) for (const [c, n] of Object.entries(pa[key])) if (n) counts[key][c] = String(n);
  const isPreset = presets.includes(a.duree);
  return {
    type: a.type,
    date: a.date,
    preset: isPreset ? a.duree : null,
    heures: isPreset ? "" : String(Math.floor(a.duree / 60) || ""),
    minutes: isPreset ? "" : String(a.duree % 60 || ""),
    type_lieu: a.type_lieu,
    lieu_activite_id: a.lieu_activite_id != null ? String(a.lieu_activite_id) : "",
    commune_insee: a.commune_insee ?? "",
    commune_text: a.commune_nom ? `${a.commune_nom}${a.code_postal ? ` (${a.code_postal})` : ""}` : undefined,
    materiel: a.materiel,
    thematiques: a.thematiques,
    demarches: a.demarches,
    precisions_demarche: a.precisions_demarche ?? "",
    notes: a.notes ?? "",
    tags: a.tags.map(t => t.id),
    suivi: !!a.beneficiaire && !a.beneficiaire.anonyme,
    profil: profilFrom(a.beneficiaire_anonyme),
    beneficiaire: a.beneficiaire && !a.beneficiaire.anonyme ? a.beneficiaire : null,
    autonomie: a.autonomie ?? "",
    oriente: !!a.oriente_vers_structure,
    structure_de_redirection: a.structure_de_redirection ?? "",
    orientation: a.orientation_lieu ?? null,
    orientation_services: a.orientation_services ?? [],
    titre_atelier: a.titre_atelier ?? "",
    niveau: a.niveau ?? "",
    participants: a.participants,
    total: pa.total ? String(pa.total) : "",
    counts
  };
}

function intOf(s: string): number {
  const n = Number(s.trim());
  return s.trim() === "" ? 0 : Number.isInteger(n) ? n : NaN;
}

function dureeOf(s: State): number | null {
  if (s.preset !== null) return s.preset;
  if (s.heures.trim() === "" && s.minutes.trim() === "") return null;
  const h = intOf(s.heures);
  const m = intOf(s.minutes);
  if (Number.isNaN(h) || Number.isNaN(m) || h < 0 || m < 0) return NaN;
  return h * 60 + m;
}

type Errors = Record<string, string | null>;

function validate(s: State): Errors {
  const e: Errors = {};
  e.thematiques = s.thematiques.length === 0 ? "Choisissez au moins une thématique." : null;
  e.demarches =
    s.demarches.length > 0 && !s.thematiques.includes(AIDE_DEMARCHES)
      ? "Les démarches administratives ne peuvent être choisies qu'avec la thématique « Aide aux démarches administratives » : cochez-la ou retirez ces démarches."
      : null;
  e.precisions_demarche =
    s.precisions_demarche.trim() && !s.thematiques.includes(AIDE_DEMARCHES)
      ? "Les précisions sur la démarche ne s'indiquent qu'avec la thématique « Aide aux démarches administratives »."
      : null;
  e.materiel = s.materiel.includes("aucun") && s.materiel.length > 1 ? "« Pas de matériel » ne se combine pas avec un autre matériel." : null;
  e.date = dateActivite(s.date, today());
  const d = dureeOf(s);
  e.duree = Number.isNaN(d) ? "La durée doit être un nombre entier d'heures et de minutes." : dureeActivite(d);
  if (s.type_lieu === "lieu_activite") e.lieu_activite_id = s.lieu_activite_id ? null : "Choisissez le lieu d'activité.";
  else e.commune_insee = s.commune_insee ? null : "La commune est obligatoire quand l'activité n'a pas lieu dans un lieu d'activité : choisissez-la dans la liste.";
  if (s.type === "individuel") {
    e.beneficiaire = s.suivi && !s.beneficiaire ? "Choisissez ou créez le bénéficiaire suivi, ou cochez « Anonyme »." : null;
    e.structure_de_redirection =
      s.oriente && !s.structure_de_redirection ? "Choisissez la structure vers laquelle la personne a été orientée." : null;
  } else {
    const total = intOf(s.total);
    e.titre_atelier = s.titre_atelier.trim() ? null : "Le titre de l'atelier est obligatoire.";
    e["participants_anonymes.total"] =
      Number.isNaN(total) || total < 0 ? "Le nombre de participants anonymes doit être un entier positif ou nul." : null;
    e.participants =
      !Number.isNaN(total) && total === 0 && s.participants.length === 0
        ? "Un atelier compte au moins un participant : ajoutez un bénéficiaire suivi ou indiquez le nombre de participants anonymes."
        : null;
    for (const [key, label] of BREAKDOWNS) {
      const values = Object.values(s.counts[key]).map(intOf);
      const field = `participants_anonymes.${key}`;
      if (values.some(n => Number.isNaN(n) || n < 0)) e[field] = `${label} : saisissez des nombres entiers positifs.`;
      else {
        const sum = values.reduce((a, n) => a + n, 0);
        e[field] =
          !Number.isNaN(total) && sum !== total
            ? `${label} : la répartition (${sum}) doit être égale au nombre de participants anonymes (${total}).`
            : null;
      }
    }
  }
  return e;
}

function toBody(s: State, tags: Tag[]): ActiviteBody {
  const indiv = s.type === "individuel";
  const total = intOf(s.total);
  const breakdown = (key: BreakdownKey) => {
    const opts = BREAKDOWNS.find(b => b[0] === key)![2];
    return Object.fromEntries(opts.map(([c]) => [c, intOf(s.counts[key][c] ?? "")]));
  };
  return {
    type: s.type,
    date: s.date,
    duree: dureeOf(s) ?? 0,
    type_lieu: s.type_lieu,
    lieu_activite_id: s.type_lieu === "lieu_activite" && s.lieu_activite_id ? Number(s.lieu_activite_id) : null,
    commune_insee: s.type_lieu === "lieu_activite" ? null : s.commune_insee || null,
    materiel: codesOf(MATERIEL, s.materiel),
    thematiques: codesOf(THEMATIQUES, s.thematiques),
    demarches: codesOf(DEMARCHES, s.demarches),
    precisions_demarche: s.precisions_demarche.trim() || null,
    notes: s.notes.trim() || null,
    tags: tags.filter(t => s.tags.includes(t.id)).map(t => t.id),
    beneficiaire_id: indiv && s.suivi && s.beneficiaire ? s.beneficiaire.id : null,
    beneficiaire_anonyme: indiv && !s.suivi ? profilBody(s.profil) : null,
    autonomie: indiv ? codeOf(AUTONOMIE, s.autonomie) : null,
    oriente_vers_structure: indiv ? s.oriente : false,
    structure_de_redirection: indiv && s.oriente ? codeOf(STRUCTURES_REDIRECTION, s.structure_de_redirection) : null,
    orientation_lieu_id: indiv && s.orientation ? s.orientation.id : null,
    orientation_services: indiv && s.orientation ? (s.orientation_services ?? []) : [],
    titre_atelier: indiv ? null : s.titre_atelier.trim() || null,
    niveau: indiv ? null : codeOf(NIVEAUX, s.niveau),
    participants: indiv ? [] : s.participants.map(p => p.id),
    participants_anonymes: indiv
      ? null
      : {
          total,
          genre: breakdown("genre"),
          tranche_age: breakdown("tranche_age"),
          statut_social: breakdown("statut_social"),
          deja_accompagne: breakdown("deja_accompagne")
        }
  };
}

/** Field names of the server's errors that this form shows next to an input. */
const BOUND = [
  "thematiques",
  "demarches",
  "date",
  "duree",
  "type_lieu",
  "lieu_activite_id",
  "commune_insee",
  "beneficiaire",
  "beneficiaire_id",
  ...PROFIL_FIELDS,
  "structure_de_redirection",
  "orientation_lieu_id",
  "orientation_services",
  "precisions_demarche",
  "materiel",
  "titre_atelier",
  "niveau",
  "autonomie",
  "notes",
  "tags",
  "participants",
  "participants_anonymes.total",
  ...BREAKDOWNS.map(b => `participants_anonymes.${b[0]}`)
];

/** Which touched-key clears which server error. */
function fieldsOf(key: keyof State): string[] {
  switch (key) {
    case "preset":
    case "heures":
    case "minutes":
      return ["duree"];
    case "type_lieu":
      return ["type_lieu", "lieu_activite_id", "commune_insee"];
    case "suivi":
    case "beneficiaire":
      return ["beneficiaire", "beneficiaire_id", "beneficiaire_anonyme"];
    case "profil":
      return PROFIL_FIELDS;
    case "oriente":
      return ["structure_de_redirection", "oriente_vers_structure"];
    case "orientation":
    case "orientation_services":
      return ["orientation_lieu_id", "orientation_services"];
    case "total":
      return ["participants_anonymes.total", "participants_anonymes", "participants", ...BREAKDOWNS.map(b => `participants_anonymes.${b[0]}`)];
    case "participants":
      return ["participants", "participants_anonymes.total"];
    case "counts":
      return BREAKDOWNS.map(b => `participants_anonymes.${b[0]}`);
    case "thematiques":
      return ["thematiques", "demarches", "precisions_demarche"];
    default:
      return [key];
  }
}

function CraForm({
  referentiel,
  tags,
  initial,
  existing,
  notice,
  enAttente
}: {
  referentiel: Referentiel | undefined;
  tags: Tag[];
  initial: State;
  existing: Activite | null;
  notice?: string | null;
  /** A CRA kept on this device (offline entry), opened to view, edit or correct it. */
  enAttente?: ActiviteEnAttente | null;
}) {
  const navigate = useNavigate();
  const location = useLocation();
  const { me } = useSession();
  const enLigne = useEnLigne();
  const [s, setS] = useState<State>(initial);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [submitted, setSubmitted] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>(enAttente?.erreurs ?? {});
  const [error, setError] = useState<ApiError | null>(
    enAttente?.statut === "a_corriger" ? new ApiError(400, "validation", enAttente.message ?? "Certains champs sont invalides.", enAttente.erreurs ?? {}) : null
  );
  // The Idempotency-Key of the CRA being created: the same for every try of this CRA, online or
  // kept offline and sent later; a new one for the next CRA.
  const cle = useRef<string>(enAttente?.cle ?? nouvelleCle());
  const [saved, setSaved] = useState<string | null>(notice ?? null);
  const [focusKey, setFocusKey] = useState(0);
  const [version, setVersion] = useState(existing?.version ?? 0);
  const another = useRef(false);
  const formRef = useRef<HTMLFormElement>(null);
  const indiv = s.type === "individuel";
  const lieux = lieuxOf(referentiel);
  const presets = useMemo(
    () => presetOrder(referentiel?.durees_frequentes, referentiel?.durees),
    [referentiel]
  );
  const frequent = referentiel?.durees_frequentes ?? [];

  const errors = useMemo(() => validate(s), [s]);

  const set = <K extends keyof State>(key: K, value: State[K]) => {
    setS(prev => ({ ...prev, [key]: value }));
    const fields = fieldsOf(key);
    setTouched(prev => {
      const next = { ...prev };
      for (const f of fields) next[f] = true;
      return next;
    });
    setServerErrors(prev => {
      if (!fields.some(f => f in prev)) return prev;
      const next = { ...prev };
      for (const f of fields) delete next[f];
      return next;
    });
  };
  const toggle = (key: "thematiques" | "demarches" | "materiel", code: string) =>
    set(key, s[key].includes(code) ? s[key].filter(c => c !== code) : [...s[key], code]);

  /** Client errors show once the field is touched (format rules at once), server ones until changed. */
  const errorFor = (field: string): string | undefined => {
    const client = errors[field];
    if (client && (submitted || touched[field])) return client;
    return serverErrors[field] ?? (field === "beneficiaire" ? serverErrors.beneficiaire_id : undefined) ?? undefined;
  };
  const state = (field: string) => {
    const m = errorFor(field);
    return m ? { state: "error" as const, stateRelatedMessage: m } : { state: "default" as const };
  };

  const focusFirst = (fields: string[]) => {
    const form = formRef.current;
    if (!form) return;
    for (const el of Array.from(form.querySelectorAll<HTMLElement>("[data-field], input[name], select[name], textarea[name]"))) {
      const name = el.getAttribute("data-field") ?? el.getAttribute("name");
      if (name && fields.includes(name)) {
        const target = el.matches("fieldset") ? el.querySelector<HTMLElement>('[tabindex="0"], input, button, select') : el;
        target?.focus();
        return;
      }
    }
  };

  const resetForAnother = (prev: State) => {
    setS({
      ...initialState(prev.type, referentiel),
      date: prev.date,
      preset: prev.preset,
      heures: prev.heures,
      minutes: prev.minutes,
      type_lieu: prev.type_lieu,
      lieu_activite_id: prev.lieu_activite_id,
      commune_insee: prev.commune_insee,
      commune_text: prev.commune_text
    });
    setTouched({});
    setSubmitted(false);
    setServerErrors({});
    setFocusKey(k => k + 1);
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const saveAnother = another.current;
    another.current = false;
    setSubmitted(true);
    setSaved(null);
    const invalid = Object.entries(errors)
      .filter(([, m]) => !!m)
      .map(([k]) => k);
    if (invalid.length) {
      setError(null);
      focusFirst(invalid);
      return;
    }
    setSubmitting(true);
    setError(null);
    const showServerError = (e: ApiError) => {
      setServerErrors(e.fields);
      setError(e);
      const keys = Object.keys(e.fields);
      if (keys.length) setTimeout(() => focusFirst(keys), 0);
      else setTimeout(() => document.getElementById("cra-erreur")?.focus(), 0);
    };
    const body = toBody(s, tags);
    const what = `${indiv ? "Accompagnement individuel" : "Atelier collectif"} du ${body.date.split("-").reverse().join("/")} (${formatDuree(body.duree)})`;
    const done = (message: string, to: string, id?: number) => {
      oublierBrouillon();
      if (saveAnother) {
        setSaved(`${message} Vous pouvez saisir la suivante.`);
        cle.current = nouvelleCle();
        if (existing || enAttente) navigate(`/activites/nouvelle?type=${s.type}`, { state: { saved: message, keep: s } });
        else resetForAnother(s);
      } else {
        navigate(to, { state: { saved: message, id } });
      }
    };
    // Offline (or the server unreachable): the CRA is kept on this device with its key.
    const keep = async () => {
      const now = new Date().toISOString();
      const prev = enAttente ? await lire(enAttente.cle) : undefined;
      await enregistrer({
        cle: cle.current,
        user_id: me!.id,
        body,
        formulaire: s,
        resume: what,
        statut: "en_attente",
        enregistre_le: prev?.enregistre_le ?? enAttente?.enregistre_le ?? now,
        modifie_le: now,
        ...(prev?.tente_le ? { tente_le: prev.tente_le } : {})
      });
    };
    const kept = `Activité gardée sur cet appareil : ${what}. Elle sera envoyée dès le retour du réseau.`;
    try {
      if (existing) {
        const a = await updateActivite(existing.id, { ...body, version });
        setVersion(a.version);
        done(`Activité modifiée : ${what}.`, "/activites", a.id);
      } else if (enAttente) {
        await keep();
        const r = navigator.onLine ? await envoyer(cle.current) : ({ resultat: "reseau" } as const);
        if (r.resultat === "envoye") done(`Activité enregistrée : ${what}.`, "/activites", r.id);
        else if (r.resultat === "a_corriger") showServerError(new ApiError(400, "validation", r.message, r.erreurs));
        else done(kept, "/activites/en-attente");
      } else {
        let sent: Activite | null = null;
        if (navigator.onLine) {
          try {
            sent = (await createActiviteAvecCle(body, cle.current)).activite;
          } catch (e) {
            if (!(isApiError(e) && e.status === 0)) throw e;
          }
        }
        if (sent) done(`Activité enregistrée : ${what}.`, "/activites", sent.id);
        else {
          await keep();
          void synchroniser();
          done(kept, "/activites/en-attente");
        }
      }
    } catch (e) {
      if (isApiError(e)) showServerError(e);
      else setError(new ApiError(0, "inconnu", "Une erreur inattendue est survenue."));
    } finally {
      setSubmitting(false);
    }
  };

  const reloadLatest = async () => {
    if (!existing) return;
    try {
      const a = await getActivite(existing.id);
      setS(fromActivite(a, presets));
      setVersion(a.version);
      setError(null);
      setServerErrors({});
      setSaved("La dernière version de l'activité a été rechargée. Refaites vos modifications puis enregistrez.");
    } catch (e) {
      if (isApiError(e)) setError(e);
    }
  };

  // Enter in a text field submits (native); in the inline creation of a beneficiary it creates them.
  const showDemarches = s.thematiques.includes(AIDE_DEMARCHES) || s.demarches.length > 0;
  const reste = (key: BreakdownKey) => {
    const total = intOf(s.total);
    const sum = breakdownSum(Object.fromEntries(Object.entries(s.counts[key]).map(([c, n]) => [c, intOf(n)])));
    return Number.isNaN(total) ? 0 : total - sum;
  };
  const conflict = error?.status === 409;

  return (
    <form ref={formRef} onSubmit={submit} noValidate aria-labelledby="titre-cra" className="coop-cra">
      {saved && (
        <Alert severity="success" small role="status" description={saved} className="fr-mb-3w" id="cra-enregistre" />
      )}
      {!enLigne && !existing && (
        <Alert
          severity="info"
          small
          className="fr-mb-3w"
          id="cra-hors-ligne"
          description="Vous êtes hors ligne : l'activité sera gardée sur cet appareil et envoyée dès le retour du réseau. Bénéficiaire : anonyme, ou un bénéficiaire suivi déjà recherché sur cet appareil (la création d'un bénéficiaire demande une connexion)."
        />
      )}
      {!enLigne && existing && (
        <Alert severity="warning" small className="fr-mb-3w" description="Vous êtes hors ligne : la modification d'une activité déjà envoyée demande une connexion." />
      )}
      {conflict ? (
        <div id="cra-erreur" tabIndex={-1}>
          <Alert
            severity="warning"
            as="h2"
            title="Cette activité a été modifiée entre-temps"
            className="fr-mb-3w"
            description={
              <>
                <p>
                  {error.message ||
                    "Cette activité a été modifiée entre-temps, dans un autre onglet ou par une autre session."}{" "}
                  Vos saisies sont conservées ci-dessous : notez-les, rechargez la dernière version, puis enregistrez à nouveau.
                </p>
                <Button type="button" priority="secondary" size="small" iconId="fr-icon-refresh-line" onClick={reloadLatest}>
                  Recharger la dernière version
                </Button>
              </>
            }
          />
        </div>
      ) : (
        <div id="cra-erreur" tabIndex={-1}>
          <ErrorAlert
            error={error}
            as="h2"
            title="L'activité n'a pas été enregistrée"
            extra={Object.entries(serverErrors)
              .filter(([k]) => !BOUND.includes(k))
              .map(([, m]) => m)}
          />
        </div>
      )}

      <ChipGroup
        key={`them-${focusKey}`}
        legend="Thématiques"
        hint="Au moins une. Flèches pour parcourir, Espace pour cocher, Tab pour passer à la suite."
        field="thematiques"
        options={THEMATIQUES}
        selected={s.thematiques}
        onToggle={c => toggle("thematiques", c)}
        error={errorFor("thematiques")}
        autoFocus={!existing || focusKey > 0}
      />
      {showDemarches && (
        <ChipGroup
          legend="Démarches administratives"
          hint="Facultatif : les démarches concernées."
          field="demarches"
          options={DEMARCHES}
          selected={s.demarches}
          onToggle={c => toggle("demarches", c)}
          error={errorFor("demarches")}
          small
        />
      )}
      {(showDemarches || s.precisions_demarche) && (
        <Input
          label="Précisions sur la démarche (facultatif)"
          textArea
          {...state("precisions_demarche")}
          nativeTextAreaProps={{
            id: "cra-precisions",
            name: "precisions_demarche",
            rows: 2,
            value: s.precisions_demarche,
            onChange: e => set("precisions_demarche", e.target.value)
          }}
        />
      )}

      <ChipGroup
        legend="Durée"
        hint={frequent.length ? "Vos durées les plus utilisées d'abord." : "Choisissez une durée ou saisissez-la ci-dessous."}
        field="duree"
        options={presets.map(d => [String(d), formatDuree(d)] as const)}
        selected={s.preset !== null ? [String(s.preset)] : []}
        onToggle={c => {
          const d = Number(c);
          setS(prev => ({ ...prev, heures: "", minutes: "" }));
          set("preset", s.preset === d ? null : d);
        }}
        error={errorFor("duree")}
      />
      <p className="fr-mb-1w" id="cra-autre-duree">
        Autre durée
      </p>
      <div className="coop-duree-autre fr-mb-3w" role="group" aria-labelledby="cra-autre-duree">
        <Input
          label="Heures"
          nativeInputProps={{
            id: "cra-heures",
            name: "heures",
            inputMode: "numeric",
            autoComplete: "off",
            value: s.heures,
            onChange: e => {
              setS(prev => ({ ...prev, preset: null }));
              set("heures", e.target.value);
            }
          }}
        />
        <Input
          label="Minutes"
          nativeInputProps={{
            id: "cra-minutes",
            name: "minutes",
            inputMode: "numeric",
            autoComplete: "off",
            value: s.minutes,
            onChange: e => {
              setS(prev => ({ ...prev, preset: null }));
              set("minutes", e.target.value);
            }
          }}
        />
      </div>

      <Input
        label="Date"
        {...state("date")}
        nativeInputProps={{
          id: "cra-date",
          name: "date",
          type: "date",
          min: DATE_MIN,
          max: today(),
          value: s.date,
          onChange: e => set("date", e.target.value)
        }}
      />

      <RadioButtons
        legend="Lieu"
        name="type_lieu"
        orientation="horizontal"
        state={errorFor("type_lieu") ? "error" : "default"}
        stateRelatedMessage={errorFor("type_lieu")}
        options={TYPES_LIEU.filter(([c]) => c !== "lieu_activite" || lieux.length > 0).map(([c, label]) => ({
          label,
          nativeInputProps: { value: c, checked: s.type_lieu === c, onChange: () => set("type_lieu", c as TypeLieu) }
        }))}
      />
      {s.type_lieu === "lieu_activite" ? (
        <Select
          label="Lieu d'activité"
          {...state("lieu_activite_id")}
          nativeSelectProps={{
            id: "cra-lieu",
            name: "lieu_activite_id",
            value: s.lieu_activite_id,
            onChange: e => set("lieu_activite_id", e.target.value)
          }}
        >
          <option value="" disabled>
            Choisissez un lieu
          </option>
          {lieux.map(l => (
            <option key={l.id} value={l.structure_id}>
              {l.nom}
              {l.commune_nom ? ` – ${l.commune_nom}` : ""}
            </option>
          ))}
        </Select>
      ) : (
        <CommunePicker
          label="Commune de l'activité"
          value={s.commune_insee}
          initialText={s.commune_text}
          onChange={(code, c) => {
            set("commune_insee", code);
            setS(prev => ({ ...prev, commune_text: c ? `${c.nom}${c.codes_postaux[0] ? ` (${c.codes_postaux[0]})` : ""}` : undefined }));
          }}
          {...state("commune_insee")}
        />
      )}

      {indiv ? (
        <BeneficiaireSection s={s} set={set} setS={setS} errorFor={errorFor} />
      ) : (
        <>
          <Input
            label="Titre de l'atelier"
            {...state("titre_atelier")}
            nativeInputProps={{ id: "cra-titre", name: "titre_atelier", value: s.titre_atelier, onChange: e => set("titre_atelier", e.target.value) }}
          />
          <RadioButtons
            legend="Niveau de l'atelier (facultatif)"
            name="niveau"
            orientation="horizontal"
            options={NIVEAUX.map(([c, label]) => ({
              label,
              nativeInputProps: { value: c, checked: s.niveau === c, onChange: () => set("niveau", c) }
            }))}
          />
          <ParticipantsSection s={s} set={set} errorFor={errorFor} reste={reste} />
        </>
      )}

      <ChipGroup
        legend="Matériel utilisé (facultatif)"
        field="materiel"
        options={MATERIEL}
        selected={s.materiel}
        onToggle={c => toggle("materiel", c)}
        error={errorFor("materiel")}
        small
      />

      {indiv && (
        <>
          <RadioButtons
            legend="Autonomie du bénéficiaire (facultatif)"
            name="autonomie"
            state={errorFor("autonomie") ? "error" : "default"}
            stateRelatedMessage={errorFor("autonomie")}
            options={AUTONOMIE.map(([c, label]) => ({
              label,
              nativeInputProps: { value: c, checked: s.autonomie === c, onChange: () => set("autonomie", c) }
            }))}
          />
          <Checkbox
            className="fr-mb-3w"
            options={[
              {
                label: "Le bénéficiaire a été orienté vers une autre structure",
                nativeInputProps: { name: "oriente_vers_structure", checked: s.oriente, onChange: e => set("oriente", e.target.checked) }
              }
            ]}
          />
          {s.oriente && (
            <Select
              label="Structure de redirection"
              {...state("structure_de_redirection")}
              nativeSelectProps={{
                id: "cra-redirection",
                name: "structure_de_redirection",
                value: s.structure_de_redirection,
                onChange: e => set("structure_de_redirection", e.target.value)
              }}
            >
              <option value="" disabled>
                Choisissez une structure
              </option>
              {STRUCTURES_REDIRECTION.map(([c, label]) => (
                <option key={c} value={c}>
                  {label}
                </option>
              ))}
            </Select>
          )}
          <OrientationSection
            s={s}
            set={set}
            error={errorFor("orientation_lieu_id") ?? errorFor("orientation_services")}
            ouvrir={() => {
              const ici = location.pathname + location.search;
              garderBrouillon({ retour: ici, formulaire: s });
              // « Précédent » of the browser from the wizard also finds the CRA as it was typed.
              navigate(ici, { replace: true, state: { depuisOrientation: true } });
              const q = new URLSearchParams({ depuis: "cra", etape: "1" });
              for (const sv of new Set(s.thematiques.map(t => SERVICES_DES_THEMATIQUES[t]).filter(Boolean))) q.append("services", sv);
              navigate(`/lieux/orienter?${q.toString()}`);
            }}
          />
        </>
      )}

      <Input
        label="Notes (facultatif)"
        hintText="Ne notez pas de données sensibles (santé, opinions…)."
        textArea
        {...state("notes")}
        nativeTextAreaProps={{ id: "cra-notes", name: "notes", rows: 3, value: s.notes, onChange: e => set("notes", e.target.value) }}
      />
      {tags.length > 0 && (
        <ChipGroup
          legend="Tags (facultatif)"
          field="tags"
          options={tags.map(t => [String(t.id), t.portee === "personnel" ? t.nom : `${t.nom} (${t.portee === "equipe" ? "équipe" : "département"})`] as const)}
          selected={s.tags.map(String)}
          onToggle={c => {
            const id = Number(c);
            set("tags", s.tags.includes(id) ? s.tags.filter(t => t !== id) : [...s.tags, id]);
          }}
          error={errorFor("tags")}
          small
        />
      )}

      <div className="coop-form-actions">
        <Button type="submit" disabled={submitting} iconId="fr-icon-save-line">
          {submitting ? "Enregistrement…" : "Enregistrer"}
        </Button>
        <Button
          type="submit"
          priority="secondary"
          disabled={submitting}
          onClick={() => {
            another.current = true;
          }}
        >
          Enregistrer et saisir un autre
        </Button>
        {existing && (
          <Button
            type="button"
            priority="tertiary"
            iconId="ri-file-copy-line"
            onClick={async () => {
              try {
                const copy = await duplicateActivite(existing.id);
                navigate(`/activites/${copy.id}/modifier`, { state: { notice: "Copie créée à la date du jour : modifiez-la si besoin puis enregistrez." } });
              } catch (e) {
                if (isApiError(e)) setError(e);
              }
            }}
          >
            Dupliquer
          </Button>
        )}
      </div>
    </form>
  );
}

type SetFn = <K extends keyof State>(key: K, value: State[K]) => void;

/** « Orienter la personne »: the wizard's chosen lieu, shown and removable, or the button to open it. */
function OrientationSection({ s, set, error, ouvrir }: { s: State; set: SetFn; error?: string; ouvrir: () => void }) {
  const l = s.orientation;
  return (
    <div className="fr-mb-3w" data-field="orientation_lieu_id" data-testid="cra-orientation">
      <p className="fr-text--bold fr-mb-1w">Orientation vers un lieu (facultatif)</p>
      {l ? (
        <div className="fr-callout fr-py-2w fr-mb-1w">
          <p className="fr-mb-1v">
            Orientée vers <Link to={`/lieux/${l.id}`}>{l.nom}</Link>
            {l.commune ? ` — ${l.code_postal} ${l.commune}` : ""}
          </p>
          {(s.orientation_services ?? []).length > 0 && (
            <p className="fr-text--sm fr-mb-1v">Pour : {(s.orientation_services ?? []).join(", ")}</p>
          )}
          <div className="coop-form-actions">
            <Button type="button" size="small" priority="secondary" iconId="fr-icon-arrow-go-back-line" onClick={ouvrir}>
              Choisir un autre lieu
            </Button>
            <Button
              type="button"
              size="small"
              priority="tertiary"
              iconId="fr-icon-close-line"
              onClick={() => {
                set("orientation", null);
                set("orientation_services", []);
              }}
            >
              Retirer ce lieu
            </Button>
          </div>
        </div>
      ) : (
        <Button type="button" priority="secondary" iconId="fr-icon-road-map-line" onClick={ouvrir}>
          Orienter la personne
        </Button>
      )}
      <p className="fr-hint-text fr-mt-1v">Trouvez un lieu pas à pas ; ce que vous avez saisi est conservé.</p>
      {error && (
        <p className="fr-error-text" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function BeneficiaireSection({
  s,
  set,
  setS,
  errorFor
}: {
  s: State;
  set: SetFn;
  setS: React.Dispatch<React.SetStateAction<State>>;
  errorFor: (f: string) => string | undefined;
}) {
  const [creating, setCreating] = useState(false);
  const [prenom, setPrenom] = useState("");
  const [nom, setNom] = useState("");
  const [telephone, setTelephone] = useState("");
  const [createError, setCreateError] = useState<string | null>(null);
  const telError = v.telephone(telephone);
  const create = async () => {
    if (!prenom.trim() || !nom.trim()) {
      setCreateError("Le prénom et le nom sont obligatoires pour un bénéficiaire suivi.");
      return;
    }
    if (telError) return;
    if (!navigator.onLine) {
      setCreateError(
        "Vous êtes hors ligne : un nouveau bénéficiaire suivi ne peut être créé qu'avec une connexion. Enregistrez l'activité avec un bénéficiaire anonyme, ou choisissez un bénéficiaire déjà recherché sur cet appareil."
      );
      return;
    }
    try {
      const b = await createBeneficiaire({
        prenom: prenom.trim() || null,
        nom: nom.trim() || null,
        telephone: telephone.trim() || null,
        pas_de_telephone: false,
        annee_naissance: null,
        email: null,
        adresse: null,
        commune_insee: null,
        genre: null,
        tranche_age: null,
        statut_social: null,
        notes: null
      });
      set("beneficiaire", { id: b.id, prenom: b.prenom, nom: b.nom, anonyme: false });
      setCreating(false);
      setPrenom("");
      setNom("");
      setTelephone("");
      setCreateError(null);
    } catch (e) {
      setCreateError(isApiError(e) ? Object.values(e.fields)[0] ?? e.message : "Une erreur inattendue est survenue.");
    }
  };
  const enterCreates = (e: KeyboardEvent) => {
    if (e.key === "Enter") {
      e.preventDefault();
      void create();
    }
  };
  return (
    <div data-field="beneficiaire" className="fr-mb-3w">
      <div>
        <RadioButtons
          legend="Bénéficiaire"
          name="suivi"
          orientation="horizontal"
          small
          options={[
            { label: "Anonyme", nativeInputProps: { value: "non", checked: !s.suivi, onChange: () => set("suivi", false) } },
            { label: "Bénéficiaire suivi", nativeInputProps: { value: "oui", checked: s.suivi, onChange: () => set("suivi", true) } }
          ]}
        />
        {!s.suivi && <ProfilAnonymeSection profil={s.profil} onChange={p => set("profil", p)} errorFor={errorFor} />}
        {s.suivi && (
          <>
            {s.beneficiaire ? (
              <p className="coop-actions">
                <span>
                  Bénéficiaire : <strong>{beneficiaireText(s.beneficiaire)}</strong>
                </span>
                <Button type="button" size="small" priority="tertiary" onClick={() => setS(prev => ({ ...prev, beneficiaire: null }))}>
                  Changer
                </Button>
              </p>
            ) : (
              <BeneficiairePicker
                onChange={b => b && set("beneficiaire", { id: b.id, prenom: b.prenom, nom: b.nom, anonyme: false })}
                state={errorFor("beneficiaire") ? "error" : "default"}
                stateRelatedMessage={errorFor("beneficiaire")}
              />
            )}
            {!s.beneficiaire &&
              (creating ? (
                <div className="fr-p-2w fr-mb-2w coop-card" role="group" aria-labelledby="cra-creer-titre">
                  <p id="cra-creer-titre" className="fr-text--bold fr-mb-1w">
                    Nouveau bénéficiaire suivi
                  </p>
                  {createError && (
                    <p className="fr-message fr-message--error fr-mb-1w" role="alert">
                      {createError}
                    </p>
                  )}
                  <Input label="Prénom" nativeInputProps={{ id: "cra-benef-prenom", value: prenom, onChange: e => setPrenom(e.target.value), onKeyDown: enterCreates, autoComplete: "off" }} />
                  <Input label="Nom" nativeInputProps={{ id: "cra-benef-nom", value: nom, onChange: e => setNom(e.target.value), onKeyDown: enterCreates, autoComplete: "off" }} />
                  <Input
                    label="Téléphone (facultatif)"
                    {...(telephone && telError ? { state: "error" as const, stateRelatedMessage: telError } : {})}
                    nativeInputProps={{ id: "cra-benef-tel", type: "tel", value: telephone, onChange: e => setTelephone(e.target.value), onKeyDown: enterCreates, autoComplete: "off" }}
                  />
                  <div className="coop-actions">
                    <Button type="button" size="small" onClick={() => void create()}>
                      Créer et choisir ce bénéficiaire
                    </Button>
                    <Button type="button" size="small" priority="tertiary" onClick={() => setCreating(false)}>
                      Annuler
                    </Button>
                  </div>
                </div>
              ) : (
                <Button type="button" size="small" priority="secondary" iconId="fr-icon-user-add-line" onClick={() => setCreating(true)}>
                  Créer un nouveau bénéficiaire
                </Button>
              ))}
          </>
        )}
      </div>
    </div>
  );
}

function ParticipantsSection({
  s,
  set,
  errorFor,
  reste
}: {
  s: State;
  set: SetFn;
  errorFor: (f: string) => string | undefined;
  reste: (k: BreakdownKey) => number;
}) {
  const setCount = (key: BreakdownKey, code: string, value: string) =>
    set("counts", { ...s.counts, [key]: { ...s.counts[key], [code]: value } });
  return (
    <fieldset className={`coop-chips${errorFor("participants") ? " coop-chips--error" : ""}`} data-field="participants" aria-describedby="cra-participants-erreur">
      <legend className="coop-chips__legend">Participants</legend>
      <div className="fr-messages-group fr-mb-1w" id="cra-participants-erreur" aria-live="polite">
        {errorFor("participants") && <p className="fr-message fr-message--error">{errorFor("participants")}</p>}
      </div>
      <div>
        <BeneficiairePicker
          label="Ajouter un participant suivi"
          name="participants"
          keepText={false}
          exclude={s.participants.map(p => p.id)}
          onChange={b => b && set("participants", [...s.participants, { id: b.id, anonyme: b.anonyme, prenom: b.prenom, nom: b.nom }])}
        />
        {s.participants.length > 0 && (
          <ul className="fr-tags-group" aria-label="Participants suivis">
            {s.participants.map(p => (
              <li key={p.id}>
                <button
                  type="button"
                  className="fr-tag fr-tag--dismiss"
                  aria-label={`Retirer ${fullName(p)}`}
                  onClick={() => set("participants", s.participants.filter(x => x.id !== p.id))}
                >
                  {fullName(p) || `n° ${p.id}`}
                </button>
              </li>
            ))}
          </ul>
        )}
        <Input
          label="Participants anonymes : nombre"
          hintText="Les participants non suivis, répartis ensuite par genre, âge, statut et « déjà accompagné »."
          {...(errorFor("participants_anonymes.total")
            ? { state: "error" as const, stateRelatedMessage: errorFor("participants_anonymes.total") }
            : {})}
          nativeInputProps={{
            id: "cra-total",
            name: "participants_anonymes.total",
            inputMode: "numeric",
            autoComplete: "off",
            value: s.total,
            onChange: e => set("total", e.target.value)
          }}
        />
        {intOf(s.total) > 0 &&
          BREAKDOWNS.map(([key, label, options]) => {
            const r = reste(key);
            const err = errorFor(`participants_anonymes.${key}`);
            return (
              <fieldset
                key={key}
                className={`fr-fieldset fr-mb-2w${err ? " fr-fieldset--error" : ""}`}
                data-field={`participants_anonymes.${key}`}
                aria-describedby={`cra-reste-${key}`}
              >
                <legend className="fr-fieldset__legend fr-text--regular">{label}</legend>
                <div className="coop-counts fr-fieldset__element">
                  {options.map(([code, optLabel]) => (
                    <Input
                      key={code}
                      label={optLabel}
                      nativeInputProps={{
                        id: `cra-${key}-${code}`,
                        name: `participants_anonymes.${key}.${code}`,
                        inputMode: "numeric",
                        autoComplete: "off",
                        value: s.counts[key][code] ?? "",
                        onChange: e => setCount(key, code, e.target.value)
                      }}
                    />
                  ))}
                </div>
                <div className="fr-messages-group fr-fieldset__element" aria-live="polite" id={`cra-reste-${key}`}>
                  <p className={`fr-message ${r === 0 ? "fr-message--valid" : ""} coop-reste`}>
                    {r === 0 ? "Tout est réparti." : r > 0 ? `Reste à répartir : ${r}` : `Trop de participants répartis : ${-r} de plus que le total`}
                  </p>
                  {err && <p className="fr-message fr-message--error">{err}</p>}
                  {r > 0 && (
                    <Button
                      type="button"
                      size="small"
                      priority="tertiary"
                      onClick={() =>
                        setCount(key, "non_communique", String(intOf(s.counts[key].non_communique ?? "") + r))
                      }
                    >
                      Mettre le reste en « Non communiqué »
                    </Button>
                  )}
                </div>
              </fieldset>
            );
          })}
      </div>
    </fieldset>
  );
}

export function ActiviteFormPage() {
  const { id, cle } = useParams();
  const [params] = useSearchParams();
  const location = useLocation();
  const locState = (location.state ?? {}) as { saved?: string; notice?: string; keep?: State; depuisOrientation?: boolean };
  const editing = id !== undefined;
  const [typeParam, setTypeParam] = useState<TypeActivite | null>(null);
  const type: TypeActivite = typeParam ?? (params.get("type") === "collectif" ? "collectif" : "individuel");
  const [referentiel, setReferentiel] = useState<Referentiel | undefined>(undefined);
  const [tags, setTags] = useState<Tag[]>([]);
  const [existing, setExisting] = useState<Activite | null>(null);
  const [enAttente, setEnAttente] = useState<ActiviteEnAttente | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [ready, setReady] = useState(false);

  const title = editing ? "Modifier une activité" : cle ? "Activité en attente d'envoi" : type === "collectif" ? "Nouvel atelier collectif" : "Nouvel accompagnement individuel";
  useTitle(title);

  useEffect(() => {
    let cancelled = false;
    setReady(false);
    setLoadError(null);
    (async () => {
      const [ref, tagList, act, gardee] = await Promise.all([
        getReferentiel().catch(() => undefined),
        listTags().then(r => r.items).catch(() => [] as Tag[]),
        editing ? getActivite(Number(id)) : Promise.resolve(null),
        cle ? lire(cle) : Promise.resolve(undefined)
      ]);
      if (cancelled) return;
      if (cle && !gardee)
        throw new ApiError(404, "introuvable", "Cette activité n'est plus en attente sur cet appareil : elle a été envoyée ou supprimée.");
      setEnAttente(gardee ?? null);
      if (gardee) setTypeParam(gardee.body.type as TypeActivite);
      if (typeof ref?.aujourdhui === "string" && /^\d{4}-\d{2}-\d{2}$/.test(ref.aujourdhui)) serverToday = ref.aujourdhui;
      // Offline, the référentiel is the copy the service worker kept, maybe from an earlier day:
      // the device's day then (a date the server finds in the future comes back « à corriger »).
      if (!navigator.onLine && serverToday !== null && serverToday < localToday()) serverToday = localToday();
      setReferentiel(ref);
      setTags(tagList);
      setExisting(act);
      setReady(true);
    })().catch(e => {
      if (!cancelled) setLoadError(isApiError(e) ? e : new ApiError(0, "inconnu", "Une erreur inattendue est survenue."));
    });
    return () => {
      cancelled = true;
    };
  }, [id, editing, cle]);

  if (loadError) return <div className="fr-container fr-my-6w"><h1>{title}</h1><LoadError error={loadError} what="l'activité" page /></div>;
  if (!ready) return <PageLoading label="Chargement du formulaire…" />;

  const presets = presetOrder(referentiel?.durees_frequentes, referentiel?.durees);
  let initial: State;
  // Back from the orientation wizard: the CRA as it was typed, with the chosen lieu.
  const repris = locState.depuisOrientation ? lireBrouillon() : null;
  if (repris && repris.retour === location.pathname + location.search && repris.formulaire) {
    const f = repris.formulaire as State;
    initial = repris.choix
      ? {
          ...f,
          orientation: repris.choix.lieu,
          orientation_services: repris.choix.services,
          oriente: true,
          structure_de_redirection: f.structure_de_redirection || "mediation_numerique"
        }
      : f;
  } else if (existing) initial = fromActivite(existing, presets);
  else if (enAttente) initial = enAttente.formulaire as State;
  else {
    initial = initialState(type, referentiel);
    const keep = locState.keep;
    if (keep && keep.type === type)
      initial = { ...initial, date: keep.date, preset: keep.preset, heures: keep.heures, minutes: keep.minutes, type_lieu: keep.type_lieu, lieu_activite_id: keep.lieu_activite_id, commune_insee: keep.commune_insee, commune_text: keep.commune_text };
  }
  const actualType = existing?.type ?? type;
  return (
    <div className="fr-container fr-my-4w">
      <Breadcrumb
        currentPageLabel={title}
        homeLinkProps={{ to: "/" }}
        segments={[
          { label: "Mes activités", linkProps: { to: "/activites" } },
          ...(cle ? [{ label: "En attente d'envoi", linkProps: { to: "/activites/en-attente" } }] : [])
        ]}
      />
      <EnAttenteBadge className="fr-mb-2w" />
      <h1 id="titre-cra" className="fr-h2">
        {editing ? `Modifier : ${actualType === "collectif" ? "atelier collectif" : "accompagnement individuel"}` : title}
      </h1>
      {!editing && !cle && (
        <p className="fr-mb-2w">
          {type === "individuel" ? (
            <Link className="fr-link fr-icon-team-line fr-link--icon-left" to="/activites/nouvelle?type=collectif">
              Saisir plutôt un atelier collectif
            </Link>
          ) : (
            <Link className="fr-link fr-icon-user-line fr-link--icon-left" to="/activites/nouvelle?type=individuel">
              Saisir plutôt un accompagnement individuel
            </Link>
          )}
        </p>
      )}
      <p className="fr-hint-text fr-mb-3w">Tous les champs sont obligatoires sauf mention contraire. Entrée dans un champ enregistre.</p>
      <CraForm
        key={`${id ?? cle ?? "new"}-${type}-${location.key}`}
        referentiel={referentiel}
        tags={tags}
        initial={initial}
        existing={existing}
        notice={locState.saved ?? locState.notice ?? null}
        enAttente={enAttente}
      />
    </div>
  );
}
