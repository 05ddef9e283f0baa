/**
 * « Orienter une personne » (/lieux/orienter): the orientation wizard of the national map, step by
 * step — need (services) → availability (open now, or a day and a time range) → location
 * (commune or postal code, « autour de moi », 5–100 km, 30 by default) → accessibility (publics,
 * prise en charge spécifique, accessibility page) → the results. Every answer is in the URL
 * (GET /api/lieux's parameters, plus `etape` and `dispo`), so a step is shareable and « précédent »
 * of the browser works; each change asks the server for the live count (compte=1).
 *
 * Opened from a CRA individuel (`depuis=cra`, the CRA kept by orientation.ts), each result offers
 * « Orienter vers ce lieu »: the lieu and the services of the need it offers go back to the CRA.
 */
import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Stepper } from "@codegouvfr/react-dsfr/Stepper";
import { ToggleSwitch } from "@codegouvfr/react-dsfr/ToggleSwitch";
import { useEffect, useRef, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { isApiError, type ApiError } from "../../api/client";
import { chercherLieux, type LieuResume } from "../../api/lieux";
import { CommunePicker } from "../../components/CommunePicker";
import { ErrorAlert } from "../../components/ErrorAlert";
import { Pager } from "../../components/Pager";
import { useTitle } from "../../lib/useTitle";
import { garderBrouillon, lireBrouillon } from "./orientation";
import { distanceEnFrancais, PRISE_EN_CHARGE, PUBLICS, SERVICES } from "./vocabulaire";
import "./lieux.css";
import { AutourDeMoi } from "./AutourDeMoi";

const PAR_PAGE = 10;
const RAYONS = [5, 10, 20, 30, 50, 100];
const ETAPES = ["Le besoin", "La disponibilité", "Le lieu", "L'accessibilité", "Les lieux trouvés"] as const;
const NB_QUESTIONS = 4;
/** The wizard's parameters that GET /api/lieux takes. */
const PARAMS_API = [
  "services",
  "ouvert_maintenant",
  "jour",
  "de",
  "a",
  "commune",
  "depuis_commune",
  "autour",
  "rayon_km",
  "publics_specifiquement_adresses",
  "prise_en_charge_specifique",
  "fiche_acces_libre"
];

function parametresApi(p: URLSearchParams): URLSearchParams {
  const n = new URLSearchParams();
  for (const [k, v] of p) if (PARAMS_API.includes(k) && v !== "") n.append(k, v);
  // A day chosen without its range yet: the whole day.
  return n;
}

const pluriel = (n: number) => `${n.toLocaleString("fr-FR")} lieu${n > 1 ? "x" : ""}`;

export default function OrienterPage() {
  useTitle("Orienter une personne");
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const etape = Math.min(Math.max(1, Number(params.get("etape") ?? 1) || 1), ETAPES.length);
  const depuisCra = params.get("depuis") === "cra";
  const [brouillon] = useState(() => (depuisCra ? lireBrouillon() : null));
  const apiCle = parametresApi(params).toString();

  const [compte, setCompte] = useState<number | null>(null);
  const [erreur, setErreur] = useState<ApiError | null>(null);
  const [resultats, setResultats] = useState<{ items: LieuResume[]; total: number } | null>(null);
  const titre = useRef<HTMLHeadingElement>(null);  // the step's question (h3 under the stepper's h2)
  const premier = useRef(true);

  // The live count: one cheap request per change of an answer.
  useEffect(() => {
    const ctrl = new AbortController();
    const q = new URLSearchParams(apiCle);
    q.set("compte", "1");
    chercherLieux(q, ctrl.signal)
      .then(r => {
        setCompte(r.total);
        setErreur(null);
      })
      .catch(e => {
        if (isApiError(e)) {
          setErreur(e);
          setCompte(null);
        }
      });
    return () => ctrl.abort();
  }, [apiCle]);

  // The results, on the last step.
  const page = params.get("page") ?? "1";
  useEffect(() => {
    if (etape !== ETAPES.length) return;
    const ctrl = new AbortController();
    const q = new URLSearchParams(apiCle);
    q.set("par_page", String(PAR_PAGE));
    q.set("page", page);
    chercherLieux(q, ctrl.signal)
      .then(setResultats)
      .catch(e => isApiError(e) && setErreur(e));
    return () => ctrl.abort();
  }, [apiCle, etape, page]);

  // A new step: its title takes the focus (keyboard and screen reader users hear where they are).
  useEffect(() => {
    if (premier.current) {
      premier.current = false;
      return;
    }
    titre.current?.focus();
  }, [etape]);

  const changer = (maj: (p: URLSearchParams) => void) =>
    setParams(
      p => {
        const n = new URLSearchParams(p);
        maj(n);
        n.delete("page");
        return n;
      },
      { replace: true }
    );
  const aller = (e: number) =>
    setParams(p => {
      const n = new URLSearchParams(p);
      n.set("etape", String(e));
      n.delete("page");
      return n;
    });
  const basculerValeur = (nom: string, v: string, on: boolean) =>
    changer(n => {
      const reste = n.getAll(nom).filter(x => x !== v);
      n.delete(nom);
      for (const x of on ? [...reste, v] : reste) n.append(nom, x);
    });

  const champErreur = (...noms: string[]) => {
    const m = noms.map(n => erreur?.fields[n]).find(Boolean);
    return m ? { state: "error" as const, stateRelatedMessage: m } : {};
  };

  const services = params.getAll("services");
  const dispo = params.get("ouvert_maintenant") === "1" ? "maintenant" : params.get("jour") || params.get("dispo") === "creneau" ? "creneau" : "indifferent";
  const autour = params.get("autour");
  const depuisCommune = params.get("depuis_commune");
  const commune = depuisCommune ?? params.get("commune") ?? "";
  const rayon = params.get("rayon_km") ?? "";

  const orienterVers = (l: LieuResume) => {
    if (!brouillon) return;
    const retenus = l.services.filter(s => services.includes(s));
    garderBrouillon({
      ...brouillon,
      choix: { lieu: { id: l.id, nom: l.nom, commune: l.commune, code_postal: l.code_postal }, services: retenus }
    });
    navigate(brouillon.retour, { state: { depuisOrientation: true } });
  };
  const revenirAuCra = () => brouillon && navigate(brouillon.retour, { state: { depuisOrientation: true } });

  const carte = `/lieux/carte${apiCle ? `?${apiCle}` : ""}`;

  return (
    <div className={fr.cx("fr-container", "fr-py-4w")}>
      <h1>Orienter une personne</h1>
      {brouillon ? (
        <p>
          Vous orientez la personne de l'accompagnement en cours de saisie : choisissez un lieu à la dernière étape, il sera
          ajouté à l'activité.{" "}
          <button type="button" className="fr-link" onClick={revenirAuCra}>
            Revenir à l'activité sans choisir de lieu
          </button>
        </p>
      ) : (
        <p>Répondez aux questions : le nombre de lieux qui correspondent s'affiche à chaque étape.</p>
      )}
      <div className="coop-orienter">
        <Stepper
          currentStep={etape}
          stepCount={ETAPES.length}
          title={ETAPES[etape - 1]}
          nextTitle={etape < ETAPES.length ? ETAPES[etape] : undefined}
        />
        <p className="coop-orienter__compte fr-text--lg fr-mb-3w" role="status" aria-live="polite" data-testid="orienter-compte">
          {compte === null ? (erreur ? "" : "Calcul…") : compte === 0 ? "Aucun lieu ne correspond." : `${pluriel(compte)} correspond${compte > 1 ? "ent" : ""}.`}
        </p>
        <ErrorAlert error={erreur} title="La recherche a échoué" as="h3" />
        <form
          onSubmit={e => {
            e.preventDefault();
            if (etape < ETAPES.length) aller(etape + 1);
          }}
          aria-labelledby="orienter-etape"
        >
          <h3 id="orienter-etape" ref={titre} tabIndex={-1} className="fr-h4">
            {etape <= NB_QUESTIONS ? `Étape ${etape} : ` : ""}
            {etape === 1
              ? "De quoi la personne a-t-elle besoin ?"
              : etape === 2
                ? "Quand peut-elle s'y rendre ?"
                : etape === 3
                  ? "Où cherche-t-elle ?"
                  : etape === 4
                    ? "A-t-elle des besoins particuliers ?"
                    : "Les lieux trouvés"}
          </h3>

          {etape === 1 && (
            <Checkbox
              legend="Services recherchés"
              hintText="Un lieu qui offre au moins l'un des services cochés. Aucun : tous les lieux."
              {...champErreur("services")}
              options={SERVICES.map(v => ({
                label: v,
                nativeInputProps: { name: "services", value: v, checked: services.includes(v), onChange: e => basculerValeur("services", v, e.currentTarget.checked) }
              }))}
            />
          )}

          {etape === 2 && (
            <>
              <RadioButtons
                legend="Disponibilité du lieu"
                name="dispo"
                options={[
                  {
                    label: "Peu importe",
                    nativeInputProps: { checked: dispo === "indifferent", onChange: () => changer(n => ["ouvert_maintenant", "jour", "de", "a", "dispo"].forEach(k => n.delete(k))) }
                  },
                  {
                    label: "Ouvert maintenant",
                    nativeInputProps: {
                      checked: dispo === "maintenant",
                      onChange: () =>
                        changer(n => {
                          ["jour", "de", "a", "dispo"].forEach(k => n.delete(k));
                          n.set("ouvert_maintenant", "1");
                        })
                    }
                  },
                  {
                    label: "Ouvert un jour donné, dans une plage horaire",
                    nativeInputProps: {
                      checked: dispo === "creneau",
                      onChange: () =>
                        changer(n => {
                          n.delete("ouvert_maintenant");
                          n.set("dispo", "creneau");
                        })
                    }
                  }
                ]}
              />
              {dispo === "creneau" && (
                <div className="coop-lieux__creneau">
                  <Input
                    label="Le"
                    nativeInputProps={{
                      type: "date",
                      name: "jour",
                      value: params.get("jour") ?? "",
                      onChange: e => {
                        const v = e.currentTarget.value;
                        changer(n => {
                          if (v) n.set("jour", v);
                          else ["jour", "de", "a"].forEach(k => n.delete(k));
                        });
                      }
                    }}
                    {...champErreur("jour")}
                  />
                  <Input
                    label="De"
                    disabled={!params.get("jour")}
                    nativeInputProps={{ type: "time", name: "de", value: params.get("de") ?? "", onChange: e => { const v = e.currentTarget.value; changer(n => (v ? n.set("de", v) : n.delete("de"))); } }}
                    {...champErreur("de")}
                  />
                  <Input
                    label="À"
                    disabled={!params.get("jour")}
                    nativeInputProps={{ type: "time", name: "a", value: params.get("a") ?? "", onChange: e => { const v = e.currentTarget.value; changer(n => (v ? n.set("a", v) : n.delete("a"))); } }}
                    {...champErreur("a")}
                  />
                </div>
              )}
              <p className="fr-hint-text">Les lieux aux horaires non renseignés ou invalides sont écartés dès qu'une disponibilité est demandée.</p>
            </>
          )}

          {etape === 3 && (
            <div className="coop-orienter__lieu">
              <CommunePicker
                label="Commune ou code postal"
                name="commune"
                value={commune}
                onChange={code =>
                  changer(n => {
                    n.delete("autour");
                    n.delete("commune");
                    n.delete("depuis_commune");
                    if (!code) return;
                    const r = n.get("rayon_km");
                    if (r === "0") {
                      n.delete("rayon_km");
                      n.set("commune", code);
                    } else {
                      n.set("depuis_commune", code);
                      if (!r) n.set("rayon_km", "30");
                    }
                  })
                }
                {...champErreur("commune", "depuis_commune")}
              />
              <AutourDeMoi autour={autour} changer={changer} />
              <Select
                label="Distance maximale"
                hint={commune || autour ? undefined : "Choisissez d'abord une commune ou « Autour de moi »."}
                nativeSelectProps={{
                  name: "rayon_km",
                  value: params.get("commune") ? "0" : rayon || "30",
                  disabled: !commune && !autour,
                  onChange: e => {
                    const v = e.currentTarget.value;
                    changer(n => {
                      if (v === "0") {
                        n.delete("rayon_km");
                        n.delete("autour");
                        const c = n.get("depuis_commune");
                        n.delete("depuis_commune");
                        if (c) n.set("commune", c);
                        return;
                      }
                      n.set("rayon_km", v);
                      const c = n.get("commune");
                      if (c) {
                        n.delete("commune");
                        n.set("depuis_commune", c);
                      }
                    });
                  }
                }}
                {...champErreur("rayon_km", "autour")}
              >
                {!autour && <option value="0">Dans la commune seulement</option>}
                {RAYONS.map(r => (
                  <option key={r} value={String(r)}>
                    {r} km
                  </option>
                ))}
              </Select>
              <p className="fr-hint-text">Sans commune ni position : les lieux de toute la France.</p>
            </div>
          )}

          {etape === 4 && (
            <>
              <Checkbox
                legend="Publics spécifiquement accueillis"
                hintText="Facultatif : un lieu qui s'adresse à au moins l'un des publics cochés."
                small
                {...champErreur("publics_specifiquement_adresses")}
                options={PUBLICS.map(v => ({
                  label: v,
                  nativeInputProps: {
                    name: "publics_specifiquement_adresses",
                    value: v,
                    checked: params.getAll("publics_specifiquement_adresses").includes(v),
                    onChange: e => basculerValeur("publics_specifiquement_adresses", v, e.currentTarget.checked)
                  }
                }))}
              />
              <Checkbox
                legend="Prise en charge spécifique"
                hintText="Facultatif : handicap, langue, illettrisme…"
                small
                {...champErreur("prise_en_charge_specifique")}
                options={PRISE_EN_CHARGE.map(v => ({
                  label: v,
                  nativeInputProps: {
                    name: "prise_en_charge_specifique",
                    value: v,
                    checked: params.getAll("prise_en_charge_specifique").includes(v),
                    onChange: e => basculerValeur("prise_en_charge_specifique", v, e.currentTarget.checked)
                  }
                }))}
              />
              <ToggleSwitch
                label="Avec une page d'accessibilité (Acceslibre)"
                inputTitle="Avec une page d'accessibilité"
                checked={params.get("fiche_acces_libre") === "1"}
                onChange={v => changer(n => (v ? n.set("fiche_acces_libre", "1") : n.delete("fiche_acces_libre")))}
                showCheckedHint={false}
              />
            </>
          )}

          {etape === ETAPES.length && (
            <section aria-label="Lieux trouvés">
              <p className="fr-text--sm">
                {autour || depuisCommune ? "Triés par distance" : "Triés par nom"} · <Link to={carte}>Voir sur la carte</Link>
              </p>
              {resultats && resultats.items.length === 0 && (
                <p>Aucun lieu ne correspond : revenez aux étapes précédentes pour élargir la recherche (distance, disponibilité…).</p>
              )}
              {resultats && resultats.items.length > 0 && (
                <ul className="coop-lieux__cartes" aria-label="Lieux trouvés">
                  {resultats.items.map(l => (
                    <li key={l.id} className="coop-lieux__carte" data-testid="orienter-resultat">
                      <h4 className="fr-h6 fr-mb-1v">
                        <Link to={`/lieux/${l.id}`}>{l.nom}</Link>
                      </h4>
                      <p className="fr-text--sm fr-mb-1v">
                        {l.adresse}
                        {l.complement_adresse ? `, ${l.complement_adresse}` : ""}, {l.code_postal} {l.commune}
                        {typeof l.distance_m === "number" && <strong> · à {distanceEnFrancais(l.distance_m)}</strong>}
                      </p>
                      {l.horaires_valides === false || !l.horaires ? (
                        <p className="fr-text--sm fr-mb-1v">
                          <span className="fr-badge fr-badge--sm fr-badge--no-icon">Horaires non renseignés</span>
                        </p>
                      ) : l.etat_horaires ? (
                        <p className="fr-text--sm fr-mb-1v">
                          <span className={`fr-badge fr-badge--sm ${l.ouvert_maintenant ? "fr-badge--success" : "fr-badge--error"}`}>{l.etat_horaires}</span>
                        </p>
                      ) : null}
                      {l.services.length > 0 && (
                        <ul className="fr-tags-group" aria-label={`Services de ${l.nom}`}>
                          {l.services.map(s => (
                            <li key={s}>
                              <p className={`fr-tag fr-tag--sm${services.includes(s) ? " coop-orienter__service-retenu" : ""}`}>{s}</p>
                            </li>
                          ))}
                        </ul>
                      )}
                      {brouillon && (
                        <Button type="button" size="small" iconId="fr-icon-check-line" onClick={() => orienterVers(l)} nativeButtonProps={{ "aria-label": `Orienter vers ce lieu : ${l.nom}` }}>
                          Orienter vers ce lieu
                        </Button>
                      )}
                    </li>
                  ))}
                </ul>
              )}
              {resultats && <Pager total={resultats.total} perPage={PAR_PAGE} />}
            </section>
          )}

          <div className="coop-orienter__actions fr-mt-3w">
            {etape > 1 && (
              <Button type="button" priority="secondary" iconId="fr-icon-arrow-left-line" onClick={() => aller(etape - 1)}>
                Précédent
              </Button>
            )}
            {etape < NB_QUESTIONS && (
              <Button type="submit" iconId="fr-icon-arrow-right-line" iconPosition="right">
                Suivant
              </Button>
            )}
            {etape === NB_QUESTIONS && (
              <Button type="submit" iconId="fr-icon-search-line">
                Voir les lieux
              </Button>
            )}
            {etape < ETAPES.length && (
              <Button priority="tertiary" linkProps={{ to: carte }} iconId="fr-icon-map-pin-2-line">
                Voir sur la carte
              </Button>
            )}
          </div>
        </form>
      </div>
    </div>
  );
}
