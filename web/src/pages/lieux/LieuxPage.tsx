/**
 * « Lieux » (/lieux): the search of the lieux de médiation numérique with every filter of the
 * national map kept in the URL (read back on load; « précédent » / « suivant » work). The URL's
 * parameters are GET /api/lieux's (see PARAMS_API), so a search is shareable as is.
 */
import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { ToggleSwitch } from "@codegouvfr/react-dsfr/ToggleSwitch";
import { useEffect, useRef, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { isApiError, type ApiError } from "../../api/client";
import { chercherLieux, type LieuResume } from "../../api/lieux";
import { useSession } from "../../auth/AuthContext";
import { CommunePicker } from "../../components/CommunePicker";
import { Pager } from "../../components/Pager";
import { ErrorAlert } from "../../components/ErrorAlert";
import { hasRole } from "../../lib/roles";
import { useTitle } from "../../lib/useTitle";
import { distanceEnFrancais, FACETTES_LIEUX } from "./vocabulaire";
import "./lieux.css";
import { AutourDeMoi } from "./AutourDeMoi";

const PAR_PAGE = 20;
const RAYONS = [5, 10, 20, 30, 50, 100];
/** The URL parameters sent to GET /api/lieux (the others are the page's own). */
const PARAMS_API = [
  "q",
  "commune",
  "autour",
  "depuis_commune",
  "rayon_km",
  "ouvert_maintenant",
  "jour",
  "de",
  "a",
  "fiche_acces_libre",
  "prise_rdv",
  "tous",
  "page",
  ...FACETTES_LIEUX.map(f => f.param)
];

export function parametresApi(p: URLSearchParams): URLSearchParams {
  const n = new URLSearchParams();
  for (const [k, v] of p) if (PARAMS_API.includes(k) && v !== "") n.append(k, v);
  n.set("par_page", String(PAR_PAGE));
  return n;
}

export default function LieuxPage() {
  useTitle("Lieux de médiation numérique");
  const { me } = useSession();
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const [saisie, setSaisie] = useState(q);
  useEffect(() => setSaisie(q), [q]);
  const [resultats, setResultats] = useState<{ items: LieuResume[]; total: number } | null>(null);
  const [erreur, setErreur] = useState<ApiError | null>(null);
  const [encours, setEncours] = useState(false);
  const [filtresOuverts] = useState(() => typeof window.matchMedia !== "function" || window.matchMedia("(min-width: 62em)").matches);
  const cle = parametresApi(params).toString();

  useEffect(() => {
    const ctrl = new AbortController();
    setEncours(true);
    chercherLieux(new URLSearchParams(cle), ctrl.signal)
      .then(r => {
        setResultats(r);
        setErreur(null);
      })
      .catch(e => {
        if (isApiError(e)) {
          setErreur(e);
          setResultats(null);
        }
      })
      .finally(() => !ctrl.signal.aborted && setEncours(false));
    return () => ctrl.abort();
  }, [cle]);

  /** Every change of a filter is one history entry and goes back to the first page. */
  const changer = (maj: (p: URLSearchParams) => void, replace = false) =>
    setParams(
      p => {
        const n = new URLSearchParams(p);
        maj(n);
        n.delete("page");
        return n;
      },
      { replace }
    );
  const basculer = (nom: string, on: boolean) => changer(n => (on ? n.set(nom, "1") : n.delete(nom)));

  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const taper = (v: string) => {
    setSaisie(v);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => changer(n => (v.trim() ? n.set("q", v) : n.delete("q")), true), 300);
  };

  const champErreur = (...noms: string[]) => {
    const m = noms.map(n => erreur?.fields[n]).find(Boolean);
    return m ? { state: "error" as const, stateRelatedMessage: m } : {};
  };

  const autour = params.get("autour");
  const depuisCommune = params.get("depuis_commune");
  const commune = params.get("commune") ?? depuisCommune ?? "";
  const rayon = params.get("rayon_km") ?? "30";
  const avecDistance = !!autour || !!depuisCommune;

  const nbFiltres =
    FACETTES_LIEUX.reduce((s, f) => s + params.getAll(f.param).length, 0) +
    ["ouvert_maintenant", "jour", "fiche_acces_libre", "prise_rdv"].filter(k => params.get(k)).length;

  return (
    <div className={fr.cx("fr-container", "fr-py-4w")}>
      <div className="coop-lieux__barre">
        <h1 className="fr-mb-0">Lieux de médiation numérique</h1>
        {me && hasRole(me, "mediateur") && (
          <Button linkProps={{ to: "/lieux/mes-lieux" }} priority="secondary" iconId="fr-icon-map-pin-2-line">
            Mes lieux d'activité
          </Button>
        )}
        {me && hasRole(me, "admin") && (
          <Button linkProps={{ to: "/admin/lieux/import" }} priority="secondary" iconId="fr-icon-upload-line">
            Importer des lieux
          </Button>
        )}
        {me && hasRole(me, "admin") && (
          <Button linkProps={{ to: "/admin/lieux/doublons" }} priority="secondary" iconId="fr-icon-git-merge-line">
            Doublons de lieux
          </Button>
        )}
      </div>
      <p className="fr-mt-1w">
        Trouvez où orienter une personne : par besoin, par lieu, par horaires et par accessibilité.{" "}
        <Link to="/lieux/orienter">Orienter pas à pas</Link>
      </p>
      <form role="search" aria-label="Rechercher des lieux" className="coop-lieux__recherche fr-mb-3w" onSubmit={e => e.preventDefault()}>
        <Input
          label="Nom, commune ou description"
          hintText="Sans tenir compte des accents."
          iconId="fr-icon-search-line"
          nativeInputProps={{ type: "search", name: "q", value: saisie, onChange: e => taper(e.currentTarget.value), autoComplete: "off" }}
          {...champErreur("q")}
        />
        <div className="coop-lieux__lieu">
          <CommunePicker
            label="Commune ou code postal"
            name="commune"
            value={commune}
            onChange={code =>
              changer(n => {
                n.delete("autour");
                if (!code) {
                  n.delete("commune");
                  n.delete("depuis_commune");
                } else if (n.get("rayon_km")) {
                  n.set("depuis_commune", code);
                  n.delete("commune");
                } else {
                  n.set("commune", code);
                  n.delete("depuis_commune");
                }
              })
            }
            {...champErreur("commune", "depuis_commune")}
          />
          <AutourDeMoi autour={autour} changer={changer} />
          <Select
            label="Distance maximale"
            hint={commune || autour ? undefined : "Choisissez une commune ou « Autour de moi »."}
            nativeSelectProps={{
              name: "rayon_km",
              value: avecDistance ? rayon : "",
              disabled: !commune && !autour,
              onChange: e => {
                const v = e.currentTarget.value;
                changer(n => {
                  if (!v) {
                    n.delete("rayon_km");
                    const c = n.get("depuis_commune");
                    if (c) n.set("commune", c);
                    n.delete("depuis_commune");
                    return;
                  }
                  n.set("rayon_km", v);
                  const c = n.get("commune");
                  if (c && !n.get("autour")) {
                    n.set("depuis_commune", c);
                    n.delete("commune");
                  }
                });
              }
            }}
            {...champErreur("rayon_km", "autour")}
          >
            <option value="">Dans la commune seulement</option>
            {RAYONS.map(r => (
              <option key={r} value={String(r)}>
                {r} km
              </option>
            ))}
          </Select>
        </div>
      </form>
      <div className="coop-lieux__grille">
        <aside aria-label="Filtres">
          <details className="coop-lieux__filtres" open={filtresOuverts}>
            <summary className="fr-h5 fr-mb-2w">Filtrer{nbFiltres ? ` (${nbFiltres})` : ""}</summary>
            <fieldset className="fr-fieldset" aria-labelledby="horaires-legende">
              <legend id="horaires-legende" className="fr-fieldset__legend fr-text--md">
                Horaires
              </legend>
              <div className="fr-fieldset__element">
                <ToggleSwitch
                  label="Ouvert maintenant"
                  inputTitle="Ouvert maintenant"
                  checked={params.get("ouvert_maintenant") === "1"}
                  onChange={v => basculer("ouvert_maintenant", v)}
                  showCheckedHint={false}
                />
              </div>
              <div className="fr-fieldset__element coop-lieux__creneau">
                <Input
                  label="Ouvert le"
                  hintText="Une date ; avec une plage horaire, ouvert à un moment de la plage."
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
                  nativeInputProps={{ type: "time", name: "de", value: params.get("de") ?? "", onChange: e => changer(n => n.set("de", e.currentTarget.value), true) }}
                  {...champErreur("de")}
                />
                <Input
                  label="À"
                  disabled={!params.get("jour")}
                  nativeInputProps={{ type: "time", name: "a", value: params.get("a") ?? "", onChange: e => changer(n => n.set("a", e.currentTarget.value), true) }}
                  {...champErreur("a")}
                />
              </div>
            </fieldset>
            <fieldset className="fr-fieldset" aria-labelledby="liens-legende">
              <legend id="liens-legende" className="fr-fieldset__legend fr-text--md">
                Accessibilité et rendez-vous
              </legend>
              <div className="fr-fieldset__element">
                <ToggleSwitch
                  label="Avec une page d'accessibilité (Acceslibre)"
                  inputTitle="Avec une page d'accessibilité"
                  checked={params.get("fiche_acces_libre") === "1"}
                  onChange={v => basculer("fiche_acces_libre", v)}
                  showCheckedHint={false}
                />
              </div>
              <div className="fr-fieldset__element">
                <ToggleSwitch
                  label="Avec une prise de rendez-vous en ligne"
                  inputTitle="Avec une prise de rendez-vous en ligne"
                  checked={params.get("prise_rdv") === "1"}
                  onChange={v => basculer("prise_rdv", v)}
                  showCheckedHint={false}
                />
              </div>
            </fieldset>
            {me && (hasRole(me, "mediateur") || hasRole(me, "gestionnaire_structure")) && !hasRole(me, "admin") && (
              <div className="fr-mb-3w">
                <ToggleSwitch
                  label="Inclure les lieux absents de la carte"
                  helperText="Fiches sans service ou masquées de la carte."
                  inputTitle="Inclure les lieux absents de la carte"
                  checked={params.get("tous") === "1"}
                  onChange={v => basculer("tous", v)}
                  showCheckedHint={false}
                />
              </div>
            )}
            {FACETTES_LIEUX.map(f => {
              const choisis = params.getAll(f.param);
              return (
                <Checkbox
                  key={f.param}
                  legend={f.legende}
                  small
                  {...champErreur(f.param)}
                  options={f.valeurs.map(v => ({
                    label: v,
                    nativeInputProps: {
                      name: f.param,
                      value: v,
                      checked: choisis.includes(v),
                      onChange: e => {
                        const on = e.currentTarget.checked;
                        changer(n => {
                          const reste = n.getAll(f.param).filter(x => x !== v);
                          n.delete(f.param);
                          for (const x of on ? [...reste, v] : reste) n.append(f.param, x);
                        });
                      }
                    }
                  }))}
                />
              );
            })}
            {nbFiltres > 0 && (
              <Button
                type="button"
                size="small"
                priority="tertiary"
                iconId="fr-icon-close-line"
                onClick={() =>
                  changer(n => {
                    FACETTES_LIEUX.forEach(f => n.delete(f.param));
                    ["ouvert_maintenant", "jour", "de", "a", "fiche_acces_libre", "prise_rdv"].forEach(k => n.delete(k));
                  })
                }
              >
                Effacer les filtres
              </Button>
            )}
          </details>
        </aside>
        <section aria-labelledby="resultats-titre">
          <div className="coop-lieux__barre">
            <div>
              <h2 id="resultats-titre" className="fr-h4 fr-mb-1v">
                Résultats
              </h2>
              <p className="fr-text--sm fr-mb-0" role="status" data-testid="lieux-total">
                {encours && !resultats
                  ? "Recherche…"
                  : resultats
                    ? resultats.total === 0
                      ? "Aucun lieu trouvé."
                      : `${resultats.total.toLocaleString("fr-FR")} lieu${resultats.total > 1 ? "x" : ""}`
                    : ""}
              </p>
            </div>
            <p className="fr-text--sm fr-mb-0">
              {avecDistance ? "Triés par distance" : "Triés par nom"}
              {" · "}
              <Link to={`/lieux/carte${params.toString() ? `?${params.toString()}` : ""}`}>Voir sur la carte</Link>
            </p>
          </div>
          <ErrorAlert error={erreur} title="La recherche a échoué" as="h3" />
          {resultats && resultats.items.length > 0 && (
            <ul className="coop-lieux__cartes" aria-label="Lieux trouvés">
              {resultats.items.map(l => (
                <CarteLieu key={l.id} lieu={l} />
              ))}
            </ul>
          )}
          {resultats && <Pager total={resultats.total} perPage={PAR_PAGE} />}
        </section>
      </div>
    </div>
  );
}

function CarteLieu({ lieu }: { lieu: LieuResume }) {
  const ouvert = lieu.ouvert_maintenant;
  return (
    <li className="coop-lieux__carte">
      <h3 className="fr-h6 fr-mb-1v">
        <Link to={`/lieux/${lieu.id}`}>{lieu.nom}</Link>
      </h3>
      <p className="fr-text--sm fr-mb-1v">
        {lieu.adresse}
        {lieu.complement_adresse ? `, ${lieu.complement_adresse}` : ""}, {lieu.code_postal} {lieu.commune}
        {typeof lieu.distance_m === "number" && <strong> · à {distanceEnFrancais(lieu.distance_m)}</strong>}
      </p>
      <p className="fr-text--sm fr-mb-1v" data-testid="carte-etat">
        {lieu.horaires_valides === false || !lieu.horaires ? (
          <span className="fr-badge fr-badge--sm fr-badge--no-icon">Horaires non renseignés</span>
        ) : ouvert === true ? (
          <span className="fr-badge fr-badge--sm fr-badge--success">{lieu.etat_horaires ?? "Ouvert"}</span>
        ) : ouvert === false ? (
          <span className="fr-badge fr-badge--sm fr-badge--error">{lieu.etat_horaires ?? "Fermé"}</span>
        ) : null}
      </p>
      {lieu.services.length > 0 ? (
        <ul className="fr-tags-group" aria-label={`Services de ${lieu.nom}`}>
          {lieu.services.map(s => (
            <li key={s}>
              <p className="fr-tag fr-tag--sm">{s}</p>
            </li>
          ))}
        </ul>
      ) : (
        <p className="fr-text--xs fr-mb-0">Aucun service renseigné.</p>
      )}
    </li>
  );
}
