/**
 * The editor (/ressources/nouvelle, /ressources/:id/modifier): every field of a resource, files by
 * drag and drop with their upload progress, links, draft or publish, the note of a new version.
 * A rejected form keeps what was typed; the errors name their fields and the focus goes to them.
 */
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { ApiError, isApiError } from "../../api/client";
import {
  apercuDescription,
  creerRessource,
  getReferentiel,
  getRessource,
  modifierRessource,
  type Referentiel,
  type Ressource,
  type RessourceFichier,
  type Saisie
} from "../../api/ressources";
import { ErrorAlert } from "../../components/ErrorAlert";
import { LoadError } from "../../components/LoadError";
import { PageLoading } from "../../components/PageLoading";
import { useAsync } from "../../lib/useAsync";
import { useTitle } from "../../lib/useTitle";
import { DepotFichiers } from "./Depot";
import { RessourcesCadre } from "./RessourcesCadre";

interface Etat {
  titre: string;
  resume: string;
  description: string;
  thematiques: string[];
  publics: string[];
  format: string;
  niveau: string;
  duree: string;
  licence: string;
  visibilite: "public" | "equipe" | "prive";
  structure_id: string; // "" : in the author's name only
  liens: { url: string; titre: string }[];
  note_version: string;
}

function depuis(r: Ressource | null, ref: Referentiel): Etat {
  return {
    titre: r?.titre ?? "",
    resume: r?.resume ?? "",
    description: r?.description ?? "",
    thematiques: r?.thematiques ?? [],
    publics: r?.publics ?? [],
    format: r?.format ?? "",
    niveau: r?.niveau ?? "",
    duree: r?.duree_minutes ? String(r.duree_minutes) : "",
    licence: r?.licence ?? ref.licence_defaut,
    visibilite: r?.visibilite ?? "public",
    structure_id: r?.structure ? String(r.structure.id) : "",
    liens: r?.liens ?? [],
    note_version: ""
  };
}

export default function EditeurPage() {
  const { id } = useParams();
  const rid = id ? Number(id) : null;
  const donnees = useAsync(
    // Not the cached vocabulary: mes_structures is the current user's.
    () => Promise.all([getReferentiel(), rid ? getRessource(rid) : Promise.resolve(null)]),
    [rid]
  );
  useTitle(rid ? "Modifier la ressource" : "Publier une ressource");
  return (
    <RessourcesCadre>
      <nav className="fr-mb-2w" aria-label="Retour">
        <Link to={rid ? `/ressources/${rid}` : "/ressources"} className={fr.cx("fr-link", "fr-link--icon-left", "fr-icon-arrow-left-line")}>
          {rid ? "La ressource" : "Bibliothèque"}
        </Link>
      </nav>
      <h1>{rid ? "Modifier la ressource" : "Publier une ressource"}</h1>
      {donnees.error ? (
        <LoadError error={donnees.error} what="la ressource" />
      ) : !donnees.data ? (
        <PageLoading label="Chargement…" />
      ) : (
        <Formulaire key={rid ?? "nouvelle"} referentiel={donnees.data[0]} ressource={donnees.data[1]} />
      )}
    </RessourcesCadre>
  );
}

const CHAMPS_ORDRE = ["titre", "resume", "description", "thematiques", "publics", "format", "niveau", "duree_minutes", "licence", "visibilite", "structure_id", "liens", "fichiers", "note_version"];

function Formulaire({ referentiel: ref, ressource }: { referentiel: Referentiel; ressource: Ressource | null }) {
  const navigate = useNavigate();
  const [v, setV] = useState<Etat>(() => depuis(ressource, ref));
  const [fichiers, setFichiers] = useState<RessourceFichier[]>(ressource?.fichiers ?? []);
  const [enCours, setEnCours] = useState(0);
  const [erreur, setErreur] = useState<ApiError | null>(null);
  const [envoi, setEnvoi] = useState(false);
  const [onglet, setOnglet] = useState<"ecrire" | "apercu">("ecrire");
  const resume = useRef<HTMLDivElement>(null);
  const publiee = ressource?.statut === "publie";

  const set = <K extends keyof Etat>(k: K, val: Etat[K]) => setV(o => ({ ...o, [k]: val }));
  const f = (k: string) => erreur?.fields[k];
  const etat = (k: string) => ({ state: (f(k) ? "error" : "default") as "error" | "default", stateRelatedMessage: f(k) });

  useEffect(() => {
    if (!erreur) return;
    const premier = CHAMPS_ORDRE.find(k => erreur.fields[k]);
    const el = premier ? document.querySelector<HTMLElement>(`[data-champ="${premier}"] input, [data-champ="${premier}"] textarea, [data-champ="${premier}"] select`) : null;
    (el ?? resume.current)?.focus();
  }, [erreur]);

  const valider = (statut: "brouillon" | "publie"): Record<string, string> => {
    const e: Record<string, string> = {};
    if (!v.titre.trim()) e.titre = "Donnez un titre à la ressource.";
    if (!v.format) e.format = "Choisissez un format.";
    if (!v.niveau) e.niveau = "Choisissez un niveau.";
    if (statut === "publie" && v.thematiques.length === 0) e.thematiques = "Choisissez au moins une thématique pour publier.";
    if (v.duree && !(Number.isInteger(Number(v.duree)) && Number(v.duree) >= 1 && Number(v.duree) <= 1440))
      e.duree_minutes = "La durée est un nombre de minutes entre 1 et 1 440.";
    v.liens.forEach((l, i) => {
      if (!/^https?:\/\/\S+$/i.test(l.url.trim())) e[`liens.${i}.url`] = "Adresse du lien invalide : elle commence par https:// ou http://.";
    });
    if (v.liens.some((_, i) => e[`liens.${i}.url`])) e.liens = "Un lien est invalide.";
    return e;
  };

  const envoyer = async (statut: "brouillon" | "publie") => {
    if (envoi) return;
    if (enCours > 0) {
      setErreur(new ApiError(400, "validation", "Attendez la fin des dépôts de fichiers."));
      return;
    }
    const e = valider(statut);
    if (Object.keys(e).length) {
      setErreur(new ApiError(400, "validation", "Le formulaire contient des erreurs : corrigez les champs signalés.", e));
      return;
    }
    const s: Saisie = {
      titre: v.titre.trim(),
      resume: v.resume,
      description: v.description,
      thematiques: v.thematiques,
      publics: v.publics,
      format: v.format,
      niveau: v.niveau,
      duree_minutes: v.duree ? Number(v.duree) : null,
      licence: v.licence,
      visibilite: v.visibilite,
      structure_id: v.structure_id ? Number(v.structure_id) : null,
      statut,
      liens: v.liens.map(l => ({ url: l.url.trim(), titre: l.titre.trim() })),
      fichiers: fichiers.map(x => x.sha256),
      ...(ressource && v.note_version.trim() ? { note_version: v.note_version.trim() } : {})
    };
    setEnvoi(true);
    setErreur(null);
    try {
      const r = ressource ? await modifierRessource(ressource.id, s) : await creerRessource(s);
      navigate(`/ressources/${r.id}`);
    } catch (er) {
      if (isApiError(er)) setErreur(er);
      else setErreur(new ApiError(0, "inconnu", "Une erreur inattendue est survenue."));
    } finally {
      setEnvoi(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void envoyer("publie");
  };
  const codes = (l: keyof Referentiel) => (ref[l] as { code: string; libelle: string }[]) ?? [];
  const cases = (k: "thematiques" | "publics", liste: keyof Referentiel, legend: string, hint?: string) => (
    <div data-champ={k}>
      <Checkbox
        legend={legend}
        hintText={hint}
        small
        orientation="horizontal"
        state={f(k) ? "error" : "default"}
        stateRelatedMessage={f(k)}
        options={codes(liste).map(c => ({
          label: c.libelle,
          nativeInputProps: {
            name: k,
            value: c.code,
            checked: v[k].includes(c.code),
            onChange: e => set(k, e.currentTarget.checked ? [...v[k], c.code] : v[k].filter(x => x !== c.code))
          }
        }))}
      />
    </div>
  );
  // The structures offered: those of the referentiel, and the resource's own if no longer among them (kept as is).
  const structures = [...ref.mes_structures];
  if (ressource?.structure && !structures.some(s => s.id === ressource.structure?.id)) structures.push(ressource.structure);
  const champsNonAffiches = erreur ? Object.keys(erreur.fields).filter(k => !CHAMPS_ORDRE.includes(k) && !k.startsWith("liens.")) : [];

  return (
    <form onSubmit={submit} noValidate aria-describedby="editeur-aide">
      <p id="editeur-aide" className="fr-hint-text">
        Les champs marqués d'un astérisque (*) sont obligatoires.
      </p>
      <div ref={resume} tabIndex={-1}>
        {erreur && (
          <ErrorAlert
            error={erreur}
            title="La ressource n'a pas été enregistrée"
            as="h2"
            extra={champsNonAffiches.map(k => erreur.fields[k])}
          />
        )}
      </div>
      <div data-champ="titre">
        <Input label="Titre *" {...etat("titre")} nativeInputProps={{ name: "titre", value: v.titre, maxLength: 200, onChange: e => set("titre", e.currentTarget.value), required: true }} />
      </div>
      <div data-champ="resume">
        <Input
          label="Résumé"
          hintText="Une ou deux phrases affichées sur la carte de la ressource (1 000 caractères au plus)."
          textArea
          {...etat("resume")}
          nativeTextAreaProps={{ name: "resume", value: v.resume, maxLength: 1000, rows: 2, onChange: e => set("resume", e.currentTarget.value) }}
        />
      </div>
      <fieldset className="fr-fieldset" data-champ="description">
        <legend className="fr-fieldset__legend fr-text--regular">Description</legend>
        <div className="fr-fieldset__element">
          <div className="coop-actions fr-mb-1w" role="group" aria-label="Mode d'édition de la description">
            <Button type="button" size="small" priority={onglet === "ecrire" ? "primary" : "secondary"} nativeButtonProps={{ "aria-pressed": onglet === "ecrire" }} onClick={() => setOnglet("ecrire")}>
              Écrire
            </Button>
            <Button type="button" size="small" priority={onglet === "apercu" ? "primary" : "secondary"} nativeButtonProps={{ "aria-pressed": onglet === "apercu" }} onClick={() => setOnglet("apercu")}>
              Aperçu
            </Button>
          </div>
          {onglet === "ecrire" ? (
            <Input
              label="Texte de la description"
              hintText="Markdown : **gras**, *italique*, listes avec « - », liens [texte](https://…)."
              textArea
              {...etat("description")}
              nativeTextAreaProps={{ name: "description", value: v.description, rows: 10, onChange: e => set("description", e.currentTarget.value) }}
            />
          ) : (
            <Apercu texte={v.description} enregistre={ressource ? { texte: ressource.description, html: ressource.description_html } : null} />
          )}
        </div>
      </fieldset>
      {cases("thematiques", "thematiques", "Thématiques", "Le vocabulaire des comptes rendus d'activité. Au moins une pour publier.")}
      {cases("publics", "publics", "Publics")}
      <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
        <div className={fr.cx("fr-col-12", "fr-col-md-4")} data-champ="format">
          <Select label="Format *" {...etat("format")} nativeSelectProps={{ name: "format", value: v.format, onChange: e => set("format", e.currentTarget.value) }}>
            <option value="">Choisissez</option>
            {codes("formats").map(c => (
              <option key={c.code} value={c.code}>
                {c.libelle}
              </option>
            ))}
          </Select>
        </div>
        <div className={fr.cx("fr-col-12", "fr-col-md-4")} data-champ="niveau">
          <Select label="Niveau *" {...etat("niveau")} nativeSelectProps={{ name: "niveau", value: v.niveau, onChange: e => set("niveau", e.currentTarget.value) }}>
            <option value="">Choisissez</option>
            {codes("niveaux").map(c => (
              <option key={c.code} value={c.code}>
                {c.libelle}
              </option>
            ))}
          </Select>
        </div>
        <div className={fr.cx("fr-col-12", "fr-col-md-4")} data-champ="duree_minutes">
          <Input
            label="Durée de l'atelier"
            hintText="En minutes"
            {...etat("duree_minutes")}
            nativeInputProps={{ name: "duree", type: "number", min: 1, max: 1440, inputMode: "numeric", value: v.duree, onChange: e => set("duree", e.currentTarget.value) }}
          />
        </div>
      </div>
      <div data-champ="licence">
        <Select label="Licence" hint="CC BY-SA 4.0 par défaut : chacun peut réutiliser et adapter en vous citant." {...etat("licence")} nativeSelectProps={{ name: "licence", value: v.licence, onChange: e => set("licence", e.currentTarget.value) }}>
          {codes("licences").map(c => (
            <option key={c.code} value={c.code}>
              {c.libelle}
            </option>
          ))}
        </Select>
      </div>
      <div data-champ="visibilite">
        <RadioButtons
          legend="Visibilité"
          orientation="horizontal"
          state={f("visibilite") ? "error" : "default"}
          stateRelatedMessage={f("visibilite")}
          options={codes("visibilites").map(c => ({
            label: c.libelle,
            nativeInputProps: { name: "visibilite", value: c.code, checked: v.visibilite === c.code, onChange: () => set("visibilite", c.code as Etat["visibilite"]) }
          }))}
        />
      </div>
      {structures.length > 0 && (
        <div data-champ="structure_id">
          <Select
            label="Publier au nom de"
            hint="La ressource est signée par vous ; au nom d'une structure, elle apparaît aussi sur la page de la structure et ses gestionnaires peuvent la modifier."
            {...etat("structure_id")}
            nativeSelectProps={{ name: "structure_id", value: v.structure_id, onChange: e => set("structure_id", e.currentTarget.value) }}
          >
            <option value="">Moi seulement</option>
            {structures.map(s => (
              <option key={s.id} value={String(s.id)}>
                {s.nom}
              </option>
            ))}
          </Select>
        </div>
      )}
      <fieldset className="fr-fieldset" data-champ="fichiers">
        <legend className="fr-fieldset__legend">Fichiers</legend>
        <div className="fr-fieldset__element">
          {f("fichiers") && (
            <p className="fr-error-text fr-mb-1w" role="alert">
              {f("fichiers")}
            </p>
          )}
          <DepotFichiers fichiers={fichiers} setFichiers={setFichiers} tailleMax={ref.taille_max} onEnCours={setEnCours} />
        </div>
      </fieldset>
      <fieldset className="fr-fieldset" data-champ="liens">
        <legend className="fr-fieldset__legend">Liens</legend>
        {v.liens.map((l, i) => (
          <div key={i} className="fr-fieldset__element coop-ress__lien">
            <Input
              label={`Adresse du lien ${i + 1}`}
              state={f(`liens.${i}.url`) ? "error" : "default"}
              stateRelatedMessage={f(`liens.${i}.url`)}
              nativeInputProps={{ type: "url", value: l.url, placeholder: "https://", onChange: e => set("liens", v.liens.map((x, j) => (j === i ? { ...x, url: e.currentTarget.value } : x))) }}
            />
            <Input
              label={`Titre du lien ${i + 1}`}
              nativeInputProps={{ value: l.titre, onChange: e => set("liens", v.liens.map((x, j) => (j === i ? { ...x, titre: e.currentTarget.value } : x))) }}
            />
            <Button type="button" size="small" priority="tertiary" iconId="fr-icon-delete-line" className="fr-mb-3w" onClick={() => set("liens", v.liens.filter((_, j) => j !== i))}>
              Retirer le lien {i + 1}
            </Button>
          </div>
        ))}
        <div className="fr-fieldset__element">
          <Button type="button" size="small" priority="secondary" iconId="fr-icon-add-line" onClick={() => set("liens", [...v.liens, { url: "", titre: "" }])}>
            Ajouter un lien
          </Button>
        </div>
      </fieldset>
      {ressource && (
        <div data-champ="note_version">
          <Input
            label="Note de version"
            hintText={`Ce qui change dans cette version (la ressource est en version ${ressource.version}).`}
            {...etat("note_version")}
            nativeInputProps={{ name: "note_version", value: v.note_version, onChange: e => set("note_version", e.currentTarget.value) }}
          />
        </div>
      )}
      {enCours > 0 && <Alert severity="info" small className="fr-mb-2w" description="Dépôt de fichiers en cours : l'enregistrement sera possible à la fin." />}
      <div className="coop-actions fr-mt-3w">
        <Button type="submit" disabled={envoi} iconId="fr-icon-send-plane-line">
          {publiee ? "Enregistrer et publier" : "Publier"}
        </Button>
        <Button type="button" priority="secondary" disabled={envoi} onClick={() => void envoyer("brouillon")}>
          {publiee ? "Repasser en brouillon" : "Enregistrer le brouillon"}
        </Button>
      </div>
    </form>
  );
}

/**
 * The « Aperçu » tab: the text as typed, rendered by the server (POST /api/ressources/apercu, the
 * same rendering as a saved description), 300 ms after the last keystroke; the saved rendering
 * when the text is the saved one.
 */
function Apercu({ texte, enregistre }: { texte: string; enregistre: { texte: string; html: string } | null }) {
  const dejaRendu = enregistre && enregistre.texte === texte ? enregistre.html : null;
  const [rendu, setRendu] = useState<{ texte: string; html: string } | null>(null);
  const [erreur, setErreur] = useState<string | null>(null);
  useEffect(() => {
    if (dejaRendu !== null) return;
    const ctrl = new AbortController();
    const t = window.setTimeout(() => {
      apercuDescription(texte, ctrl.signal)
        .then(r => {
          setRendu({ texte, html: r.html });
          setErreur(null);
        })
        .catch(e => {
          if (ctrl.signal.aborted) return;
          setErreur(isApiError(e) ? (e.fields.description ?? e.message) : "L'aperçu n'a pas pu être rendu.");
        });
    }, 300);
    return () => {
      ctrl.abort();
      window.clearTimeout(t);
    };
  }, [texte, dejaRendu]);
  // While the new rendering comes, the previous one stays (no flicker at each keystroke).
  const html = dejaRendu ?? rendu?.html ?? null;
  if (erreur && dejaRendu === null)
    return (
      <p className="fr-error-text" role="alert">
        {erreur}
      </p>
    );
  if (html === null)
    return (
      <p className="coop-ress__apercu-md fr-text--sm" role="status">
        Rendu de l'aperçu…
      </p>
    );
  return (
    <div
      className="coop-ress__apercu-md coop-ress__description"
      data-testid="apercu-description"
      aria-busy={dejaRendu === null && rendu?.texte !== texte}
      dangerouslySetInnerHTML={{ __html: html || "<p>(Description vide)</p>" }}
    />
  );
}
