import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { SegmentedControl } from "@codegouvfr/react-dsfr/SegmentedControl";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Tag as DsfrTag } from "@codegouvfr/react-dsfr/Tag";
import { useEffect, useMemo, useState } from "react";
import { Link, useLocation, useNavigate, useSearchParams } from "react-router";
import {
  deleteActivite,
  duplicateActivite,
  exportActivitesUrl,
  getReferentiel,
  listActivites,
  listTags,
  type ActiviteFilters
} from "../../api/activites";
import type { Activite, LieuActivite, Tag } from "../../api/types";
import { ApiError, isApiError } from "../../api/client";
import { BeneficiairePicker } from "../../components/BeneficiairePicker";
import { CommunePicker } from "../../components/CommunePicker";
import { ErrorAlert } from "../../components/ErrorAlert";
import { LoadError } from "../../components/LoadError";
import { THEMATIQUES, TYPES_ACTIVITE } from "../../lib/activites";
import { formatDate } from "../../lib/format";
import { useTitle } from "../../lib/useTitle";
import { ConfirmButton, TypeBadge, activiteTitle, beneficiairesText, formatDuree, lieuText, thematiquesText } from "./common";

const LIMITE = 20;
const FILTER_KEYS = ["du", "au", "type", "thematique", "lieu", "commune", "beneficiaire", "tri"] as const;

const TRIS: [string, string][] = [
  ["-date", "Date (plus récentes d'abord)"],
  ["date", "Date (plus anciennes d'abord)"],
  ["-duree", "Durée (plus longues d'abord)"],
  ["duree", "Durée (plus courtes d'abord)"],
  ["type", "Type"]
];

function filtersFrom(params: URLSearchParams): ActiviteFilters {
  const f: ActiviteFilters = {};
  for (const k of FILTER_KEYS) {
    const v = params.get(k);
    if (v) f[k] = v;
  }
  const tags = params.getAll("tag").filter(Boolean);
  if (tags.length) f.tag = tags;
  return f;
}

function ActiviteActions({ a, onDeleted, onError }: { a: Activite; onDeleted: (a: Activite) => void; onError: (e: ApiError) => void }) {
  const navigate = useNavigate();
  return (
    <div className="coop-actions">
      <Button size="small" priority="tertiary" iconId="fr-icon-edit-line" linkProps={{ to: `/activites/${a.id}/modifier`, "aria-label": `Modifier : ${activiteTitle(a)}` } as never}>
        Modifier
      </Button>
      <Button
        type="button"
        size="small"
        priority="tertiary"
        iconId="ri-file-copy-line"
        nativeButtonProps={{ "aria-label": `Dupliquer : ${activiteTitle(a)}` }}
        onClick={async () => {
          try {
            const copy = await duplicateActivite(a.id);
            navigate(`/activites/${copy.id}/modifier`, { state: { notice: "Copie créée à la date du jour : modifiez-la si besoin puis enregistrez." } });
          } catch (e) {
            if (isApiError(e)) onError(e);
          }
        }}
      >
        Dupliquer
      </Button>
      <ConfirmButton
        label="Supprimer"
        confirmLabel="Confirmer la suppression"
        question="Supprimer cette activité ? Elle restera 30 jours dans la corbeille."
        onConfirm={async () => {
          try {
            await deleteActivite(a.id);
            onDeleted(a);
          } catch (e) {
            if (isApiError(e)) onError(e);
          }
        }}
      />
    </div>
  );
}

export function ActivitesPage() {
  useTitle("Mes activités");
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const flash = (location.state as { saved?: string } | null)?.saved ?? null;
  const filters = useMemo(() => filtersFrom(params), [params]);
  const key = params.toString();
  const view = params.get("vue") === "tableau" ? "tableau" : "liste";

  const [items, setItems] = useState<Activite[]>([]);
  const [total, setTotal] = useState(0);
  const [suivant, setSuivant] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [message, setMessage] = useState<string | null>(flash);

  const [lieux, setLieux] = useState<LieuActivite[]>([]);
  const [tags, setTags] = useState<Tag[]>([]);
  useEffect(() => {
    getReferentiel()
      .then(r => setLieux(r.lieux))
      .catch(() => undefined);
    listTags()
      .then(t => setTags(t.items))
      .catch(() => undefined);
  }, []);

  const load = async (apres?: string) => {
    setLoading(true);
    try {
      const page = await listActivites({ ...filters, apres, limite: LIMITE });
      setItems(prev => (apres ? [...prev, ...page.items] : page.items));
      setTotal(page.total);
      setSuivant(page.suivant);
      setLoadError(null);
    } catch (e) {
      setLoadError(isApiError(e) ? e : new ApiError(0, "inconnu", "Une erreur inattendue est survenue."));
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  // The filter form edits a draft; "Filtrer" puts it in the URL.
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [communeDraft, setCommuneDraft] = useState("");
  const [benefDraft, setBenefDraft] = useState("");
  const [benefPicked, setBenefPicked] = useState(false);
  useEffect(() => {
    const d: Record<string, string> = {};
    for (const k of FILTER_KEYS) d[k] = params.get(k) ?? "";
    d.tag = params.get("tag") ?? "";
    setDraft(d);
    setCommuneDraft(params.get("commune") ?? "");
    setBenefDraft(params.get("beneficiaire") ?? "");
  }, [params]);
  const setD = (k: string, v: string) => setDraft(prev => ({ ...prev, [k]: v }));

  const apply = () => {
    const next = new URLSearchParams();
    for (const k of FILTER_KEYS) {
      const v = k === "commune" ? communeDraft : k === "beneficiaire" ? benefDraft : draft[k];
      if (v) next.set(k, v);
    }
    if (draft.tag) next.set("tag", draft.tag);
    if (view === "tableau") next.set("vue", "tableau");
    setParams(next);
  };
  const setView = (v: string) => {
    const next = new URLSearchParams(params);
    if (v === "tableau") next.set("vue", "tableau");
    else next.delete("vue");
    setParams(next, { replace: true });
  };
  const active = Object.keys(filters).filter(k => k !== "tri").length;
  // The list first: the filter form stays folded; the filters in use are shown as removable tags.
  const [filtersOpen, setFiltersOpen] = useState(false);
  const without = (...keys: string[]) => {
    const next = new URLSearchParams(params);
    for (const k of keys) next.delete(k);
    setParams(next);
  };
  const libelle = (list: readonly (readonly [string, string])[], code: string) => list.find(([c]) => c === code)?.[1] ?? code;
  const actifs: { cle: string; texte: string; keys: string[] }[] = [];
  if (filters.du || filters.au) {
    const texte = filters.du && filters.au ? `du ${formatDate(filters.du)} au ${formatDate(filters.au)}` : filters.du ? `depuis le ${formatDate(filters.du)}` : `jusqu'au ${formatDate(filters.au!)}`;
    actifs.push({ cle: "periode", texte: `Période : ${texte}`, keys: ["du", "au"] });
  }
  if (filters.type) actifs.push({ cle: "type", texte: `Type : ${libelle(TYPES_ACTIVITE, filters.type)}`, keys: ["type"] });
  if (filters.thematique) actifs.push({ cle: "thematique", texte: `Thématique : ${libelle(THEMATIQUES, filters.thematique)}`, keys: ["thematique"] });
  if (filters.lieu) actifs.push({ cle: "lieu", texte: `Lieu : ${lieux.find(l => String(l.structure_id) === filters.lieu)?.nom ?? `n° ${filters.lieu}`}`, keys: ["lieu"] });
  if (filters.tag?.length) actifs.push({ cle: "tag", texte: `Tag : ${tags.find(t => String(t.id) === filters.tag![0])?.nom ?? `n° ${filters.tag[0]}`}`, keys: ["tag"] });
  if (filters.commune) actifs.push({ cle: "commune", texte: `Commune : ${filters.commune}`, keys: ["commune"] });
  if (filters.beneficiaire) actifs.push({ cle: "beneficiaire", texte: `Bénéficiaire n° ${filters.beneficiaire}`, keys: ["beneficiaire"] });

  const onDeleted = (a: Activite) => {
    setItems(prev => prev.filter(x => x.id !== a.id));
    setTotal(t => Math.max(0, t - 1));
    setMessage(`${activiteTitle(a)} : supprimée. Vous pouvez la restaurer depuis la corbeille pendant 30 jours.`);
  };

  return (
    <div className="fr-container fr-mt-2w fr-mb-4w">
      {/* The list first: a title line, one bar (filters, filters in use, display, exports), the list. */}
      <div className="coop-actions fr-mb-2w" style={{ justifyContent: "space-between" }}>
        <h1 className="fr-h2 fr-mb-0">Mes activités</h1>
        <div className="coop-actions">
          <Button linkProps={{ to: "/activites/nouvelle?type=individuel" }} iconId="fr-icon-add-line">
            Accompagnement individuel
          </Button>
          <Button linkProps={{ to: "/activites/nouvelle?type=collectif" }} iconId="fr-icon-team-line" priority="secondary">
            Atelier collectif
          </Button>
        </div>
      </div>
      {message && <Alert severity="success" small role="status" description={message} className="fr-mb-3w" closable onClose={() => setMessage(null)} />}
      <ErrorAlert error={actionError} as="h2" title="L'opération a échoué" />

      <div className="coop-barre-filtres">
      <details className="coop-filtres" open={filtersOpen} onToggle={e => setFiltersOpen(e.currentTarget.open)}>
        <summary id="titre-filtres" className="fr-btn fr-btn--secondary fr-btn--sm fr-btn--icon-left fr-icon-filter-line">
          Filtres{active ? ` (${active} actif${active > 1 ? "s" : ""})` : ""}
        </summary>
      <form
        role="search"
        aria-labelledby="titre-filtres"
        onSubmit={e => {
          e.preventDefault();
          setFiltersOpen(false);
          apply();
        }}
      >
        <div className="coop-filters">
          <Input label="Du" nativeInputProps={{ id: "filtre-du", type: "date", value: draft.du ?? "", onChange: e => setD("du", e.target.value) }} />
          <Input label="Au" nativeInputProps={{ id: "filtre-au", type: "date", value: draft.au ?? "", onChange: e => setD("au", e.target.value) }} />
          <Select label="Type" nativeSelectProps={{ id: "filtre-type", value: draft.type ?? "", onChange: e => setD("type", e.target.value) }}>
            <option value="">Tous les types</option>
            {TYPES_ACTIVITE.map(([c, l]) => (
              <option key={c} value={c}>
                {l}
              </option>
            ))}
          </Select>
          <Select label="Thématique" nativeSelectProps={{ id: "filtre-thematique", value: draft.thematique ?? "", onChange: e => setD("thematique", e.target.value) }}>
            <option value="">Toutes les thématiques</option>
            {THEMATIQUES.map(([c, l]) => (
              <option key={c} value={c}>
                {l}
              </option>
            ))}
          </Select>
          <Select label="Lieu d'activité" nativeSelectProps={{ id: "filtre-lieu", value: draft.lieu ?? "", onChange: e => setD("lieu", e.target.value) }}>
            <option value="">Tous les lieux</option>
            {lieux.map(l => (
              <option key={l.id} value={l.structure_id}>
                {l.nom}
              </option>
            ))}
          </Select>
          <Select label="Tag" nativeSelectProps={{ id: "filtre-tag", value: draft.tag ?? "", onChange: e => setD("tag", e.target.value) }}>
            <option value="">Tous les tags</option>
            {tags.map(t => (
              <option key={t.id} value={t.id}>
                {t.nom}
              </option>
            ))}
          </Select>
          <Select label="Trier par" nativeSelectProps={{ id: "filtre-tri", value: draft.tri ?? "", onChange: e => setD("tri", e.target.value) }}>
            <option value="">Date (plus récentes d'abord)</option>
            {TRIS.slice(1).map(([c, l]) => (
              <option key={c} value={c}>
                {l}
              </option>
            ))}
          </Select>
        </div>
        <div className="fr-grid-row fr-grid-row--gutters">
          <div className="fr-col-12 fr-col-md-6">
            <CommunePicker label="Commune" name="filtre-commune" hintText="Nom ou code postal." value={communeDraft} onChange={code => setCommuneDraft(code)} />
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <BeneficiairePicker label="Bénéficiaire" name="filtre-beneficiaire" onChange={b => {
                setBenefDraft(b ? String(b.id) : "");
                setBenefPicked(!!b);
              }} />
            {benefDraft && !benefPicked && <p className="fr-hint-text">Filtre actif sur un bénéficiaire (n° {benefDraft}).</p>}
          </div>
        </div>
        <div className="coop-actions">
          <Button type="submit" iconId="fr-icon-filter-line">
            Filtrer
          </Button>
          {active > 0 && (
            <Button type="button" priority="tertiary" onClick={() => setParams(view === "tableau" ? { vue: "tableau" } : {})}>
              Effacer les filtres
            </Button>
          )}
        </div>
      </form>
      </details>
      {actifs.length > 0 && (
        <ul className="fr-tags-group coop-filtres-actifs" aria-label="Filtres appliqués" data-testid="filtres-actifs">
          {actifs.map(t => (
            <li key={t.cle}>
              <DsfrTag small dismissible nativeButtonProps={{ type: "button", "aria-label": `Retirer le filtre ${t.texte}`, title: `Retirer le filtre ${t.texte}`, onClick: () => without(...t.keys) }}>
                {t.texte}
              </DsfrTag>
            </li>
          ))}
        </ul>
      )}

      <div className="coop-actions coop-barre-filtres__actions">
        <SegmentedControl
          small
          legend="Affichage"
          hideLegend
          segments={[
            { label: "Liste", iconId: "fr-icon-list-unordered", nativeInputProps: { checked: view === "liste", onChange: () => setView("liste") } },
            { label: "Tableau", iconId: "fr-icon-table-line", nativeInputProps: { checked: view === "tableau", onChange: () => setView("tableau") } }
          ]}
        />
        <div className="coop-actions">
          <a className="fr-btn fr-btn--sm fr-btn--secondary fr-icon-download-line fr-btn--icon-left" href={exportActivitesUrl("csv", filters)} download>
            Exporter en CSV
          </a>
          <a className="fr-btn fr-btn--sm fr-btn--secondary fr-icon-download-line fr-btn--icon-left" href={exportActivitesUrl("xlsx", filters)} download>
            Exporter en XLSX
          </a>
          <Link className="fr-btn fr-btn--sm fr-btn--tertiary-no-outline fr-icon-delete-line fr-btn--icon-left" to="/activites/corbeille">
            Corbeille
          </Link>
        </div>
      </div>
      </div>

      {loadError ? (
        <LoadError error={loadError} what="les activités" />
      ) : loading && items.length === 0 ? (
        <p role="status">Chargement des activités…</p>
      ) : items.length === 0 ? (
        <Alert
          severity="info"
          small
          description={active ? "Aucune activité ne correspond à ces filtres." : "Aucune activité pour le moment : enregistrez votre première activité."}
        />
      ) : (
        <>
          <p role="status" aria-live="polite" id="activites-total">
            {total} activité{total > 1 ? "s" : ""}
            {items.length < total ? ` – ${items.length} affichée${items.length > 1 ? "s" : ""}` : ""}
          </p>
          {view === "tableau" ? (
            <div className="fr-table fr-table--no-caption">
              <div className="fr-table__wrapper">
                <div className="fr-table__container">
                  <div className="fr-table__content">
                    <table>
                      <caption>Mes activités</caption>
                      <thead>
                        <tr>
                          <th scope="col">Date</th>
                          <th scope="col">Type</th>
                          <th scope="col">Durée</th>
                          <th scope="col">Thématiques</th>
                          <th scope="col">Lieu</th>
                          <th scope="col">Bénéficiaires</th>
                          <th scope="col">Actions</th>
                        </tr>
                      </thead>
                      <tbody>
                        {items.map(a => (
                          <tr key={a.id} data-activite={a.id}>
                            <td>
                              <Link to={`/activites/${a.id}`} aria-label={`Ouvrir : ${activiteTitle(a)}`}>
                                {formatDate(a.date)}
                              </Link>
                            </td>
                            <td>
                              <TypeBadge a={a} />
                            </td>
                            <td>{formatDuree(a.duree)}</td>
                            <td>{thematiquesText(a)}</td>
                            <td>{lieuText(a)}</td>
                            <td>{beneficiairesText(a)}</td>
                            <td>
                              <ActiviteActions a={a} onDeleted={onDeleted} onError={setActionError} />
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                </div>
              </div>
            </div>
          ) : (
            <ul className="coop-cards" aria-label="Mes activités">
              {items.map(a => (
                <li key={a.id} className="coop-card" data-activite={a.id}>
                  <h3 className="fr-h6">
                    <Link to={`/activites/${a.id}`}>{activiteTitle(a)}</Link>
                  </h3>
                  <p className="fr-mb-1w">
                    <TypeBadge a={a} /> · {formatDuree(a.duree)} · {lieuText(a)} · {beneficiairesText(a)}
                  </p>
                  <p className="fr-text--sm fr-mb-1w">{thematiquesText(a)}</p>
                  <ActiviteActions a={a} onDeleted={onDeleted} onError={setActionError} />
                </li>
              ))}
            </ul>
          )}
          {suivant && (
            <div className="fr-mt-3w">
              <Button type="button" priority="secondary" disabled={loading} onClick={() => void load(suivant)}>
                {loading ? "Chargement…" : "Charger plus"}
              </Button>
            </div>
          )}
        </>
      )}
    </div>
  );
}
