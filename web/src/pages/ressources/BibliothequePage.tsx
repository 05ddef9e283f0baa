/**
 * The library (/ressources): search as you type (debounced, the last word a prefix), facets with
 * counts, sort, cards, pagination; « Dernières ressources » and « Les plus utiles » when nothing
 * is asked. The URL holds the search (shareable, kept by « précédent »).
 */
import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useEffect, useMemo, useRef, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { isApiError, type ApiError } from "../../api/client";
import { listRessources, type CleFacette, type Filtres, type RessourceListe, type Tri } from "../../api/ressources";
import { useSession } from "../../auth/AuthContext";
import { ErrorAlert } from "../../components/ErrorAlert";
import { Pager } from "../../components/Pager";
import { hasRole } from "../../lib/roles";
import { useAsync } from "../../lib/useAsync";
import { useTitle } from "../../lib/useTitle";
import { Cartes, FACETTES, Facettes } from "./commun";
import { NavRessources, RessourcesCadre } from "./RessourcesCadre";

const PAR_PAGE = 12;
const TRIS: { code: Tri; libelle: string }[] = [
  { code: "pertinence", libelle: "Pertinence" },
  { code: "recent", libelle: "Les plus récentes" },
  { code: "utiles", libelle: "Les plus utiles" },
  { code: "populaires", libelle: "Les plus utilisées" }
];

export default function BibliothequePage() {
  useTitle("Ressources");
  const { me } = useSession();
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const [saisie, setSaisie] = useState(q);
  const choisis = useMemo(
    () => Object.fromEntries(FACETTES.map(f => [f.cle, params.getAll(f.cle)])) as Record<CleFacette, string[]>,
    [params]
  );
  const filtre = FACETTES.some(f => choisis[f.cle].length > 0);
  const triUrl = params.get("tri") as Tri | null;
  const tri: Tri = triUrl ?? (q.trim() ? "pertinence" : "recent");
  const page = Math.max(1, Number(params.get("page") ?? 1) || 1);
  // What the controls show at once (a navigation of the router is a transition: the URL, and the
  // values read from it, follow a moment later).
  const [choixAffiches, setChoixAffiches] = useState(choisis);
  useEffect(() => setChoixAffiches(choisis), [choisis]);
  const [triAffiche, setTriAffiche] = useState<Tri>(tri);
  useEffect(() => setTriAffiche(tri), [tri]);

  // Typing updates the URL 250 ms after the last key (replace: one history entry per search).
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  // The field follows the URL (back button, a link) but not the URL this typing just wrote:
  // keys typed while that update renders would otherwise be lost.
  const ecrit = useRef<string | null>(null);
  useEffect(() => {
    if (q !== ecrit.current) setSaisie(q);
    ecrit.current = null;
  }, [q]);
  const taper = (v: string) => {
    setSaisie(v);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      ecrit.current = v.trim() ? v : "";
      setParams(
        p => {
          const n = new URLSearchParams(p);
          if (v.trim()) n.set("q", v);
          else n.delete("q");
          n.delete("page");
          return n;
        },
        { replace: true }
      );
    }, 250);
  };

  // The facets are open beside the results on a wide screen, folded above them on a phone.
  const [filtresOuverts] = useState(() => typeof window.matchMedia !== "function" || window.matchMedia("(min-width: 62em)").matches);
  const [resultats, setResultats] = useState<RessourceListe | null>(null);
  const [erreur, setErreur] = useState<ApiError | null>(null);
  const [encours, setEncours] = useState(false);
  useEffect(() => {
    const ctrl = new AbortController();
    const f: Filtres = { q: q.trim() || undefined, tri, page, par_page: PAR_PAGE, ...choisis };
    setEncours(true);
    listRessources(f, ctrl.signal)
      .then(r => {
        if (ctrl.signal.aborted) return; // a newer search is on its way
        setResultats(r);
        setErreur(null);
      })
      .catch(e => isApiError(e) && setErreur(e))
      .finally(() => !ctrl.signal.aborted && setEncours(false));
    return () => ctrl.abort();
  }, [q, tri, page, choisis]);

  const accueil = !q.trim() && !filtre && page === 1;
  const utiles = useAsync(
    () => (accueil ? listRessources({ tri: "utiles", par_page: 4, facettes: "0" }) : Promise.resolve(null)),
    [accueil]
  );

  const changer = (maj: (p: URLSearchParams) => void) =>
    setParams(p => {
      const n = new URLSearchParams(p);
      maj(n);
      n.delete("page");
      return n;
    });

  return (
    <RessourcesCadre>
      <div className="coop-ress__barre">
        <h1 className="fr-mb-0">Ressources</h1>
        <Button linkProps={{ to: "/ressources/nouvelle" }} iconId="fr-icon-add-line">
          Publier une ressource
        </Button>
      </div>
      <NavRessources moderateur={!!me && hasRole(me, "admin")} />
      <form role="search" aria-label="Rechercher des ressources" className="coop-ress__recherche fr-mb-4w" onSubmit={e => e.preventDefault()}>
        <Input
          label="Rechercher une ressource"
          hintText="Les résultats s'affichent pendant la saisie, sans tenir compte des accents ni des variantes (« atelier » trouve « ateliers »)."
          iconId="fr-icon-search-line"
          nativeInputProps={{ type: "search", value: saisie, name: "q", onChange: e => taper(e.currentTarget.value), autoComplete: "off" }}
        />
      </form>
      <ErrorAlert error={erreur} title="La recherche a échoué" as="h2" />
      {accueil && utiles.data && utiles.data.items.some(r => r.compteurs.utiles > 0) && (
        <section aria-labelledby="plus-utiles" className="fr-mb-4w">
          <h2 id="plus-utiles" className="fr-h4">
            Les plus utiles
          </h2>
          <Cartes items={utiles.data.items.filter(r => r.compteurs.utiles > 0)} label="Les ressources les plus utiles" />
        </section>
      )}
      <div className="coop-ress__grille">
        <aside aria-label="Filtres">
          <details className="coop-ress__filtres" open={filtresOuverts}>
            <summary className="fr-h5 fr-mb-2w">
              Filtrer{filtre ? ` (${FACETTES.reduce((n, f) => n + choisis[f.cle].length, 0)})` : ""}
            </summary>
            <Facettes
              facettes={resultats?.facettes}
              choisis={choixAffiches}
              onChange={(cle, v) => {
                setChoixAffiches(c => ({ ...c, [cle]: v }));
                changer(n => {
                  n.delete(cle);
                  for (const x of v) n.append(cle, x);
                });
              }}
            />
            {filtre && (
              <Button type="button" size="small" priority="tertiary" iconId="fr-icon-close-line" onClick={() => changer(n => FACETTES.forEach(f => n.delete(f.cle)))}>
                Effacer les filtres
              </Button>
            )}
          </details>
        </aside>
        <section aria-labelledby="resultats-titre">
          <div className="coop-ress__barre">
            <div>
              <h2 id="resultats-titre" className="fr-h4 fr-mb-1v">
                {accueil ? "Dernières ressources" : "Résultats"}
              </h2>
              <p className={fr.cx("fr-text--sm", "fr-mb-0")} role="status" data-testid="ressources-total">
                {encours && !resultats
                  ? "Recherche…"
                  : resultats
                    ? resultats.total === 0
                      ? "Aucune ressource trouvée."
                      : `${resultats.total.toLocaleString("fr-FR")} ressource${resultats.total > 1 ? "s" : ""}`
                    : ""}
              </p>
            </div>
            <Select
              label="Trier par"
              nativeSelectProps={{
                value: triAffiche,
                onChange: e => {
                  const v = e.currentTarget.value as Tri;
                  setTriAffiche(v);
                  changer(n => n.set("tri", v));
                }
              }}
            >
              {TRIS.filter(t => t.code !== "pertinence" || q.trim()).map(t => (
                <option key={t.code} value={t.code}>
                  {t.libelle}
                </option>
              ))}
            </Select>
          </div>
          {resultats && resultats.items.length > 0 && <Cartes items={resultats.items} label="Ressources trouvées" />}
          {resultats && resultats.total === 0 && (
            <p>
              {q.trim() ? "Essayez d'autres mots ou retirez des filtres." : "Aucune ressource pour l'instant. "}
              {!q.trim() && <Link to="/ressources/nouvelle">Publiez la première</Link>}
            </p>
          )}
          {resultats && <Pager total={resultats.total} perPage={PAR_PAGE} />}
        </section>
      </div>
    </RessourcesCadre>
  );
}
