/**
 * /statistiques: périmètre, filters kept in the URL (the API's parameters), the dashboard, print,
 * exports and share links. Loaded lazily (chart.js stays out of the main bundle).
 */
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Tag } from "@codegouvfr/react-dsfr/Tag";
import { useEffect, useMemo, useState } from "react";
import { useSearchParams } from "react-router";
import { exportStatistiquesUrl, getPerimetres, getStatistiques, listDepartements, listRegions } from "../../api/statistiques";
import { useSession } from "../../auth/AuthContext";
import { LoadError } from "../../components/LoadError";
import { PageLoading } from "../../components/PageLoading";
import { hasRole } from "../../lib/roles";
import { LIST_KEYS, PARAMETRE_LIBELLE, activeFilters, queryFrom, queryString, sansBeneficiaires, type StatsQuery } from "../../lib/statistiques";
import { useAsync } from "../../lib/useAsync";
import { useTitle } from "../../lib/useTitle";
import { Filtres, nomFiltre } from "./Filtres";
import { periodeText } from "./TableauDeBord";
import { THEMATIQUES, TYPES_ACTIVITE } from "../../lib/activites";
import { PartageDialog, partageModal } from "./PartageDialog";
import { TableauDeBord } from "./TableauDeBord";
import "./statistiques.css";

export default function StatistiquesPage() {
  useTitle("Statistiques");
  const { me } = useSession();
  const [params, setParams] = useSearchParams();
  const query = useMemo(() => queryFrom(params), [params]);
  const qs = queryString(query);

  const perimetres = useAsync(() => getPerimetres(), []);
  // An administrator may choose any département or région too.
  const territoires = useAsync(
    async () =>
      perimetres.data?.tous_territoires
        ? { departements: (await listDepartements()).items, regions: (await listRegions()).items }
        : { departements: [], regions: [] },
    [perimetres.data?.tous_territoires]
  );
  // The answer keeps the query it answers (data-requete: the browser tests wait for it).
  const tableau = useAsync(async () => ({ qs, tableau: await getStatistiques(qs) }), [qs]);

  // The scope of a query once the user's scopes are known (the URL may rely on the default one).
  const perimetreDe = (q: StatsQuery) => q.perimetre || perimetres.data?.defaut || perimetres.data?.perimetres[0]?.code || "";
  // The beneficiary filter exists only on a mediator's own figures (« moi »): another scope, or a
  // user who follows no beneficiary, drops it, and says so.
  const filtreBeneficiaires = (q: StatsQuery) => perimetreDe(q) === "moi" && hasRole(me, "mediateur");
  const [beneficiairesRetires, setBeneficiairesRetires] = useState(false);
  const apply = (q: StatsQuery) => {
    const retire = !filtreBeneficiaires(q) && q.lists.beneficiaires.length > 0;
    setBeneficiairesRetires(retire);
    setParams(new URLSearchParams(queryString(retire ? sansBeneficiaires(q) : q)));
  };
  // The same for a URL opened as is.
  const aRetirer = perimetres.data != null && !filtreBeneficiaires(query) && query.lists.beneficiaires.length > 0;
  useEffect(() => {
    if (!aRetirer) return;
    setBeneficiairesRetires(true);
    setParams(new URLSearchParams(queryString(sansBeneficiaires(query))), { replace: true });
  }, [aRetirer]); // eslint-disable-line react-hooks/exhaustive-deps
  const active = activeFilters(query);
  // Figures first: the filter form stays folded; the filters in use are shown as tags above the figures.
  const [filtersOpen, setFiltersOpen] = useState(false);

  if (perimetres.error) return <LoadError error={perimetres.error} what="vos périmètres de statistiques" page />;
  if (!perimetres.data) return <PageLoading label="Chargement des statistiques…" />;
  const liste = perimetres.data.perimetres;
  if (liste.length === 0) {
    return (
      <div className="fr-container fr-my-4w">
        <h1>Statistiques</h1>
        <p>Aucun périmètre de statistiques n'est ouvert à votre compte.</p>
      </div>
    );
  }
  const perimetre = query.perimetre || perimetres.data.defaut || liste[0].code;
  const autres = territoires.data ?? { departements: [], regions: [] };
  const libelles: Record<string, string> = Object.fromEntries([
    ...autres.departements.map(d => [`departement:${d.code}`, `${d.nom} (${d.code})`]),
    ...autres.regions.map(r => [`region:${r.code}`, r.nom]),
    ...liste.map(p => [p.code, p.libelle])
  ]);
  const data = tableau.data?.tableau;
  const options = {
    mediateurs: perimetre !== "moi" && (hasRole(me, "coordinateur") || hasRole(me, "gestionnaire_structure") || hasRole(me, "admin")),
    tags: hasRole(me, "mediateur") || hasRole(me, "coordinateur") || hasRole(me, "admin"),
    departements: perimetre === "national" || perimetre.startsWith("region:"),
    regions: perimetre === "national",
    beneficiaires: filtreBeneficiaires(query)
  };
  // The share link and the exports carry the périmètre even when the URL relies on the default.
  const requete = queryString({ ...query, perimetre });
  const libelle = libelles[perimetre] ?? data?.perimetre.libelle ?? perimetre;

  return (
    <div className="fr-container fr-mt-2w fr-mb-4w coop-statistiques">
      {/* Figures first (1280×800 and phones): one title line with the actions, then one bar with
          the filters and the filters in use; the filter form unfolds under the bar. */}
      <div className="coop-stats-entete">
        <h1 className="fr-h2 fr-mb-0">Statistiques</h1>
        {liste.length > 1 || perimetres.data.tous_territoires ? (
          <Select
            label="Périmètre"
            className="coop-perimetre coop-no-print"
            nativeSelectProps={{
              id: "perimetre",
              name: "perimetre",
              value: perimetre,
              onChange: e => apply({ ...query, perimetre: e.target.value })
            }}
          >
            {liste.map(p => (
              <option key={p.code} value={p.code}>
                {p.libelle}
              </option>
            ))}
            {!liste.some(p => p.code === perimetre) && !libelles[perimetre] && <option value={perimetre}>{data?.perimetre.libelle ?? perimetre}</option>}
            {autres.regions.length > 0 && (
              <optgroup label="Régions">
                {autres.regions.map(r => (
                  <option key={r.code} value={`region:${r.code}`}>
                    {r.nom}
                  </option>
                ))}
              </optgroup>
            )}
            {autres.departements.length > 0 && (
              <optgroup label="Départements">
                {autres.departements.map(d => (
                  <option key={d.code} value={`departement:${d.code}`}>
                    {d.code} – {d.nom}
                  </option>
                ))}
              </optgroup>
            )}
          </Select>
        ) : (
          <p className="fr-mb-0">
            Périmètre : <strong data-testid="perimetre-unique">{libelle}</strong>
          </p>
        )}
        <div className="coop-actions coop-stats-entete__actions coop-no-print">
          <Button type="button" size="small" priority="tertiary" iconId="fr-icon-printer-line" onClick={() => window.print()}>
            Imprimer
          </Button>
          <a className="fr-btn fr-btn--sm fr-btn--tertiary fr-btn--icon-left fr-icon-download-line" href={exportStatistiquesUrl("xlsx", requete)} download>
            Exporter (XLSX)
          </a>
          <a className="fr-btn fr-btn--sm fr-btn--tertiary fr-btn--icon-left fr-icon-download-line" href={exportStatistiquesUrl("csv", requete)} download>
            Exporter (CSV)
          </a>
          <Button type="button" size="small" iconId="fr-icon-share-line" nativeButtonProps={partageModal.buttonProps}>
            Partager cette vue
          </Button>
        </div>
      </div>

      <div className="coop-no-print">
        {beneficiairesRetires && !options.beneficiaires && (
          <Alert
            severity="info"
            small
            className="fr-mb-2w"
            description="Le filtre « Bénéficiaires suivis » a été retiré : il ne s'applique qu'aux statistiques personnelles d'un médiateur (périmètre « Mes statistiques »)."
          />
        )}
        <div className="coop-barre-filtres">
          <details className="coop-filtres" open={filtersOpen} onToggle={e => setFiltersOpen(e.currentTarget.open)}>
            <summary id="titre-filtres" className="fr-btn fr-btn--secondary fr-btn--sm fr-btn--icon-left fr-icon-filter-line">
              Filtres{active ? ` (${active} actif${active > 1 ? "s" : ""})` : ""}
            </summary>
            <Filtres applied={query} options={options} onApply={q => {
              setFiltersOpen(false);
              apply(q);
            }} />
          </details>
          <FiltresActifs query={query} onApply={apply} libelles={libelles} />
        </div>
      </div>
      {active > 0 && <p className="coop-print-only">Filtres appliqués : {active}. Adresse de la vue : /statistiques?{requete}</p>}

      <div aria-live="polite" className="fr-sr-only">
        {tableau.loading ? "Chargement des statistiques…" : data ? "Statistiques à jour." : ""}
      </div>
      {tableau.error && <LoadError error={tableau.error} what="les statistiques" />}
      {tableau.error?.fields && Object.keys(tableau.error.fields).length > 0 && (
        <ul className="fr-text--sm">
          {Object.entries(tableau.error.fields).map(([k, v]) => (
            <li key={k}>
              {PARAMETRE_LIBELLE[k] ?? k} : {v}
            </li>
          ))}
        </ul>
      )}
      {!data && tableau.loading && <p role="status">Chargement des statistiques…</p>}
      {data && !tableau.error && (
        <div aria-busy={tableau.loading} className={tableau.loading ? "coop-chargement" : undefined} data-requete={tableau.loading ? undefined : tableau.data?.qs}>
          <TableauDeBord tableau={data} coordination={hasRole(me, "coordinateur")} carte />
        </div>
      )}
      <PartageDialog requete={requete} titreParDefaut={`Statistiques – ${libelle}`} perimetres={libelles} />
    </div>
  );
}

const CODES: Partial<Record<string, Map<string, string>>> = {
  types: new Map(TYPES_ACTIVITE.map(([c, l]) => [c, l])),
  thematiques: new Map(THEMATIQUES.map(([c, l]) => [c, l]))
};

/** The filters in use as removable DSFR tags: removing one updates the URL, hence the figures. */
function FiltresActifs({ query, onApply, libelles }: { query: StatsQuery; onApply: (q: StatsQuery) => void; libelles: Record<string, string> }) {
  const tags: { cle: string; texte: string; sans: StatsQuery }[] = [];
  if (query.du || query.au) tags.push({ cle: "periode", texte: `Période : ${periodeText(query.du || null, query.au || null)}`, sans: { ...query, du: "", au: "" } });
  for (const k of LIST_KEYS) {
    for (const v of query.lists[k]) {
      const nom =
        CODES[k]?.get(v) ??
        nomFiltre(k, v) ??
        (k === "departements" ? libelles[`departement:${v}`] : k === "regions" ? libelles[`region:${v}`] : undefined) ??
        `n° ${v}`;
      tags.push({ cle: `${k}-${v}`, texte: `${PARAMETRE_LIBELLE[k] ?? k} : ${nom}`, sans: { ...query, lists: { ...query.lists, [k]: query.lists[k].filter(x => x !== v) } } });
    }
  }
  if (query.conseiller_numerique) {
    tags.push({
      cle: "conseiller_numerique",
      texte: query.conseiller_numerique === "oui" ? "Conseillers numériques seulement" : "Hors conseillers numériques",
      sans: { ...query, conseiller_numerique: "" }
    });
  }
  if (!tags.length) return null;
  return (
    <ul className="fr-tags-group coop-filtres-actifs" aria-label="Filtres appliqués" data-testid="filtres-actifs">
      {tags.map(t => (
        <li key={t.cle}>
          <Tag small dismissible nativeButtonProps={{ type: "button", "aria-label": `Retirer le filtre ${t.texte}`, title: `Retirer le filtre ${t.texte}`, onClick: () => onApply(t.sans) }}>
            {t.texte}
          </Tag>
        </li>
      ))}
    </ul>
  );
}
