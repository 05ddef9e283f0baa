/**
 * Editing a lieu's sheet (/lieux/:id/modifier), for those PUT /api/lieux/{id} allows: contact,
 * presentation, horaires (checked live by GET /api/lieux/horaires), the standard's lists, the
 * accessibility and booking links, « visible sur la carte ». A rejected form keeps what was typed
 * and names the fields in French; the history of changes is listed below.
 */
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { ToggleSwitch } from "@codegouvfr/react-dsfr/ToggleSwitch";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link, useParams } from "react-router";
import { isApiError, type ApiError } from "../../api/client";
import { historiqueLieu, lireLieu, modifierLieu, verifierHoraires, type HorairesVerifies, type LieuDetail } from "../../api/lieux";
import { AccessDenied } from "../../components/AccessDenied";
import { LoadError } from "../../components/LoadError";
import { PageLoading } from "../../components/PageLoading";
import { useAsync } from "../../lib/useAsync";
import { useTitle } from "../../lib/useTitle";
import { FACETTES_LIEUX, liste, NOMS_CHAMPS } from "./vocabulaire";
import "./lieux.css";

const TEXTES: { champ: string; type?: string; long?: boolean; aide?: string }[] = [
  { champ: "nom" },
  { champ: "adresse", aide: "Numéro et voie seulement." },
  { champ: "complement_adresse" },
  { champ: "code_postal", aide: "5 chiffres." },
  { champ: "commune" },
  { champ: "code_insee", aide: "Facultatif (par ex. 69381)." },
  { champ: "telephone", type: "tel", aide: "Par ex. +33478000000 ou 04 78 00 00 00." },
  { champ: "courriels", aide: "Plusieurs adresses séparées par « | »." },
  { champ: "site_web", aide: "Plusieurs adresses séparées par « | »." },
  { champ: "presentation_resume", long: true, aide: "280 caractères au plus." },
  { champ: "presentation_detail", long: true },
  { champ: "autres_formations_labels" },
  { champ: "fiche_acces_libre", type: "url", aide: "L'adresse de la page du lieu sur acceslibre.beta.gouv.fr." },
  { champ: "prise_rdv", type: "url", aide: "L'adresse de la page de prise de rendez-vous." }
];

type Saisie = Record<string, string>;

function saisieDe(l: LieuDetail): Saisie {
  const s: Saisie = {};
  for (const [k, v] of Object.entries(l.champs)) s[k] = v === null ? "" : String(v);
  return s;
}

export default function ModifierLieuPage() {
  const { id = "" } = useParams();
  const lieu = useAsync(() => lireLieu(id), [id]);
  useTitle(lieu.data ? `Modifier ${lieu.data.champs.nom}` : "Modifier un lieu");
  if (lieu.error) return <LoadError error={lieu.error} what="ce lieu" page />;
  if (!lieu.data) return <PageLoading label="Chargement du lieu…" />;
  if (!lieu.data.peut_modifier) return <AccessDenied />;
  return <Formulaire lieu={lieu.data} onSaved={l => lieu.setData(() => l)} />;
}

function Formulaire({ lieu, onSaved }: { lieu: LieuDetail; onSaved: (l: LieuDetail) => void }) {
  const [saisie, setSaisie] = useState<Saisie>(() => saisieDe(lieu));
  const [visible, setVisible] = useState(lieu.visible_carte);
  const [erreur, setErreur] = useState<ApiError | null>(null);
  const [envoi, setEnvoi] = useState(false);
  const [succes, setSucces] = useState<string | null>(null);
  const [verif, setVerif] = useState<HorairesVerifies | null>(null);
  const resume = useRef<HTMLDivElement>(null);
  const historique = useAsync(() => historiqueLieu(lieu.id), [lieu.id, lieu.modifie_le]);
  const champ = (k: string, v: string) => {
    setSaisie(s => ({ ...s, [k]: v }));
    setSucces(null);
  };

  // The hours are checked by the server as they are typed (the same strict parser as the save).
  const horaires = saisie.horaires ?? "";
  useEffect(() => {
    const ctrl = new AbortController();
    const t = setTimeout(() => {
      verifierHoraires(horaires, ctrl.signal)
        .then(setVerif)
        .catch(() => undefined);
    }, 300);
    return () => {
      clearTimeout(t);
      ctrl.abort();
    };
  }, [horaires]);

  const erreurs = erreur?.fields ?? {};
  const etat = (k: string) => (erreurs[k] ? { state: "error" as const, stateRelatedMessage: erreurs[k] } : {});

  const enregistrer = async (e: FormEvent) => {
    e.preventDefault();
    setEnvoi(true);
    setSucces(null);
    const corps: Record<string, unknown> = { visible_carte: visible };
    for (const t of TEXTES) corps[t.champ] = saisie[t.champ] ?? "";
    corps.horaires = horaires;
    for (const f of FACETTES_LIEUX) corps[f.champ] = liste(saisie[f.champ]);
    try {
      const r = await modifierLieu(lieu.id, corps);
      setErreur(null);
      setSaisie(saisieDe(r));
      setVisible(r.visible_carte);
      onSaved(r);
      setSucces(r.changements.length ? `Fiche enregistrée : ${r.changements.length} champ${r.changements.length > 1 ? "s" : ""} modifié${r.changements.length > 1 ? "s" : ""}.` : "Fiche enregistrée : rien n'a changé.");
    } catch (x) {
      if (isApiError(x)) setErreur(x);
      setTimeout(() => resume.current?.focus(), 0);
    } finally {
      setEnvoi(false);
    }
  };

  return (
    <div className={fr.cx("fr-container", "fr-py-4w")}>
      <Breadcrumb
        currentPageLabel="Modifier"
        segments={[
          { label: "Lieux", linkProps: { to: "/lieux" } },
          { label: lieu.champs.nom, linkProps: { to: `/lieux/${lieu.id}` } }
        ]}
        className="fr-mb-2w"
      />
      <h1>Modifier la fiche du lieu</h1>
      <p>
        Fiche « {lieu.champs.nom} » au standard des lieux de médiation numérique · complétude {lieu.completude} %.{" "}
        <Link to={`/lieux/${lieu.id}`}>Voir la fiche</Link>
      </p>
      <div ref={resume} tabIndex={-1}>
        {erreur && (
          <Alert
            severity="error"
            as="h2"
            title="La fiche n'a pas été enregistrée"
            className="fr-mb-3w"
            description={
              <>
                {erreur.message}
                {Object.keys(erreurs).length > 0 && (
                  <ul data-testid="erreurs-champs">
                    {Object.entries(erreurs).map(([k, m]) => (
                      <li key={k}>
                        <strong>{NOMS_CHAMPS[k] ?? k}</strong> — {m}
                      </li>
                    ))}
                  </ul>
                )}
              </>
            }
          />
        )}
        {succes && <Alert severity="success" small description={succes} className="fr-mb-3w" />}
      </div>
      <form onSubmit={enregistrer} noValidate>
        <fieldset className="fr-fieldset" aria-labelledby="f-ident">
          <legend id="f-ident" className="fr-fieldset__legend fr-h5">
            Adresse, contact, présentation
          </legend>
          {TEXTES.map(t => (
            <div className="fr-fieldset__element" key={t.champ}>
              {t.long ? (
                <Input
                  label={NOMS_CHAMPS[t.champ]}
                  hintText={t.aide}
                  textArea
                  nativeTextAreaProps={{ name: t.champ, value: saisie[t.champ] ?? "", onChange: e => champ(t.champ, e.currentTarget.value), rows: 3 }}
                  {...etat(t.champ)}
                />
              ) : (
                <Input
                  label={NOMS_CHAMPS[t.champ]}
                  hintText={t.aide}
                  nativeInputProps={{ name: t.champ, type: t.type ?? "text", value: saisie[t.champ] ?? "", onChange: e => champ(t.champ, e.currentTarget.value) }}
                  {...etat(t.champ)}
                />
              )}
            </div>
          ))}
        </fieldset>
        <fieldset className="fr-fieldset" aria-labelledby="f-horaires">
          <legend id="f-horaires" className="fr-fieldset__legend fr-h5">
            Horaires
          </legend>
          <div className="fr-fieldset__element">
            <Input
              label="Horaires (syntaxe OpenStreetMap)"
              hintText="Par ex. « Mo-Fr 09:00-12:00,14:00-18:30; Sa 09:00-12:00; PH off ». Vide : horaires non renseignés."
              nativeInputProps={{ name: "horaires", value: horaires, onChange: e => champ("horaires", e.currentTarget.value), autoComplete: "off", spellCheck: false }}
              state={erreurs.horaires || (verif && verif.valeur === horaires && !verif.valide) ? "error" : verif && verif.valeur === horaires && horaires.trim() ? "success" : "default"}
              stateRelatedMessage={erreurs.horaires ?? (verif && verif.valeur === horaires ? (verif.valide ? (horaires.trim() ? `Horaires lisibles · ${verif.etat}` : undefined) : verif.erreur) : undefined)}
            />
            {verif && verif.valeur === horaires && verif.horaires_semaine.length > 0 && (
              <ul className="fr-text--sm coop-lieu__semaine" aria-label="Aperçu des 7 prochains jours" data-testid="apercu-horaires">
                {verif.horaires_semaine.map(j => (
                  <li key={j}>{j}</li>
                ))}
              </ul>
            )}
          </div>
        </fieldset>
        {FACETTES_LIEUX.map(f => {
          const choisis = liste(saisie[f.champ]);
          return (
            <Checkbox
              key={f.champ}
              legend={f.legende}
              small
              {...etat(f.champ)}
              options={f.valeurs.map(v => ({
                label: v,
                nativeInputProps: {
                  name: f.champ,
                  value: v,
                  checked: choisis.includes(v),
                  onChange: e => {
                    const on = e.currentTarget.checked;
                    const reste = choisis.filter(x => x !== v);
                    champ(f.champ, (on ? [...reste, v] : reste).join("|"));
                  }
                }
              }))}
            />
          );
        })}
        <div className="fr-mb-3w">
          <ToggleSwitch
            label="Visible sur la carte"
            helperText="Un lieu n'apparaît sur la carte que s'il propose au moins un service."
            inputTitle="Visible sur la carte"
            checked={visible}
            onChange={setVisible}
          />
          {erreurs.visible_carte && <p className="fr-error-text">{erreurs.visible_carte}</p>}
        </div>
        <Button type="submit" disabled={envoi} iconId="fr-icon-save-line">
          {envoi ? "Enregistrement…" : "Enregistrer la fiche"}
        </Button>
      </form>
      <section aria-labelledby="historique-titre" className="fr-mt-6w">
        <h2 id="historique-titre" className="fr-h4">
          Historique des modifications
        </h2>
        {historique.error && <LoadError error={historique.error} what="l'historique" />}
        {historique.data && historique.data.historique.length === 0 && <p>Aucune modification enregistrée.</p>}
        {historique.data && historique.data.historique.length > 0 && (
          <ol className="coop-lieu__historique" data-testid="historique">
            {historique.data.historique.map(h => (
              <li key={h.id} className="fr-mb-2w">
                <strong>{new Date(h.cree_le).toLocaleString("fr-FR", { dateStyle: "long", timeStyle: "short" })}</strong> ·{" "}
                {h.origine === "creation" ? "création" : h.origine === "edition" ? "modification" : h.origine.startsWith("import:") ? `import (${h.origine.slice(7)})` : h.origine}
                {h.auteur_nom ? ` par ${h.auteur_nom}` : ""}
                {h.changements.length > 0 && (
                  <ul className="fr-text--sm">
                    {h.changements.map(c => (
                      <li key={c.champ}>
                        {NOMS_CHAMPS[c.champ] ?? c.champ} : « {c.avant || "vide"} » → « {c.apres || "vide"} »
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
