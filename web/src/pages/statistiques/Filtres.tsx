/**
 * The filters of the statistics page. The form edits a draft; "Appliquer" puts it in the page URL
 * (the API's parameters), which triggers the request. Multi-valued filters show their values as
 * removable tags.
 */
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Tag as DsfrTag } from "@codegouvfr/react-dsfr/Tag";
import { useEffect, useState } from "react";
import { getBeneficiaire, listTags } from "../../api/activites";
import * as endpoints from "../../api/endpoints";
import { listDepartements, listRegions, type Departement, type Region } from "../../api/statistiques";
import type { Tag } from "../../api/types";
import { BeneficiairePicker, beneficiaireText } from "../../components/BeneficiairePicker";
import { CommunePicker, communeText } from "../../components/CommunePicker";
import { MediateurPicker, mediateurText } from "../../components/MediateurPicker";
import { StructurePicker, structureText } from "../../components/StructurePicker";
import { THEMATIQUES, TYPES_ACTIVITE } from "../../lib/activites";
import { PRESETS, presetOf, presetRange, type ListKey, type StatsQuery } from "../../lib/statistiques";

/** Names of the ids chosen in this tab (médiateurs have no lookup by id). */
const noms = new Map<string, string>();
const nomKey = (k: ListKey, v: string) => `${k}:${v}`;
/** The name shown for a value of a list filter, once known in this tab. */
export const nomFiltre = (k: ListKey, v: string): string | undefined => noms.get(nomKey(k, v));

function Valeurs({
  k,
  values,
  label,
  onRemove
}: {
  k: ListKey;
  values: string[];
  label: (v: string) => string;
  onRemove: (v: string) => void;
}) {
  if (!values.length) return null;
  return (
    <ul className="fr-tags-group fr-mt-1w" aria-label="Valeurs choisies" data-filtre={k}>
      {values.map(v => (
        <li key={v}>
          <DsfrTag
            small
            dismissible
            nativeButtonProps={{ type: "button", "aria-label": `Retirer ${label(v)}`, title: `Retirer ${label(v)}`, onClick: () => onRemove(v) }}
          >
            {label(v)}
          </DsfrTag>
        </li>
      ))}
    </ul>
  );
}

function Cases({
  id,
  legend,
  options,
  values,
  onChange,
  colonnes = false
}: {
  id: string;
  legend: string;
  options: readonly (readonly [string, string])[];
  values: string[];
  onChange: (values: string[]) => void;
  colonnes?: boolean;
}) {
  return (
    <fieldset className="fr-fieldset coop-cases" id={id} aria-labelledby={`${id}-legend`}>
      <legend className="fr-fieldset__legend fr-fieldset__legend--regular" id={`${id}-legend`}>
        {legend}
      </legend>
      <div className={colonnes ? "coop-cases__colonnes" : "coop-cases__ligne"}>
        {options.map(([code, libelle]) => (
          <div className="fr-fieldset__element" key={code}>
            <div className="fr-checkbox-group fr-checkbox-group--sm">
              <input
                type="checkbox"
                id={`${id}-${code}`}
                name={id}
                value={code}
                checked={values.includes(code)}
                onChange={e => onChange(e.target.checked ? [...values, code] : values.filter(v => v !== code))}
              />
              <label className="fr-label" htmlFor={`${id}-${code}`}>
                {libelle}
              </label>
            </div>
          </div>
        ))}
      </div>
    </fieldset>
  );
}

export interface FiltresOptions {
  /** /api/mediateurs is open to this user and the scope is wider than their own. */
  mediateurs: boolean;
  /** /api/tags is open to this user. */
  tags: boolean;
  /** Département and région filters (scopes wider than one département). */
  departements: boolean;
  regions: boolean;
  /** Followed beneficiaries: a mediator's own figures (périmètre « moi ») only. */
  beneficiaires: boolean;
}

export function Filtres({
  applied,
  options,
  onApply
}: {
  applied: StatsQuery;
  options: FiltresOptions;
  onApply: (q: StatsQuery) => void;
}) {
  const [draft, setDraft] = useState<StatsQuery>(applied);
  useEffect(() => setDraft(applied), [applied]);
  const setList = (k: ListKey, values: string[]) => setDraft(d => ({ ...d, lists: { ...d.lists, [k]: values } }));
  const add = (k: ListKey, v: string, nom?: string) => {
    if (nom) noms.set(nomKey(k, v), nom);
    setDraft(d => (d.lists[k].includes(v) ? d : { ...d, lists: { ...d.lists, [k]: [...d.lists[k], v] } }));
  };
  const remove = (k: ListKey) => (v: string) => setList(k, draft.lists[k].filter(x => x !== v));

  const [tags, setTags] = useState<Tag[]>([]);
  const [departements, setDepartements] = useState<Departement[]>([]);
  const [regions, setRegions] = useState<Region[]>([]);
  const [, setVersion] = useState(0);
  useEffect(() => {
    if (options.tags) listTags().then(r => setTags(r.items)).catch(() => undefined);
  }, [options.tags]);
  useEffect(() => {
    listDepartements().then(r => setDepartements(r.items)).catch(() => undefined);
    listRegions().then(r => setRegions(r.items)).catch(() => undefined);
  }, []);
  // Names of the communes, structures and beneficiaries of a URL opened as is.
  useEffect(() => {
    for (const code of applied.lists.communes) {
      if (noms.has(nomKey("communes", code))) continue;
      endpoints.getCommune(code).then(c => {
        noms.set(nomKey("communes", code), communeText(c));
        setVersion(v => v + 1);
      }).catch(() => undefined);
    }
    for (const k of ["lieux", "structures"] as const) {
      for (const id of applied.lists[k]) {
        if (noms.has(nomKey(k, id)) || !/^\d+$/.test(id)) continue;
        endpoints.getStructure(Number(id)).then(s => {
          noms.set(nomKey(k, id), structureText(s));
          setVersion(v => v + 1);
        }).catch(() => undefined);
      }
    }
    // A followed beneficiary's name is the mediator's own data: asked only where the filter exists.
    if (options.beneficiaires) {
      for (const id of applied.lists.beneficiaires) {
        if (noms.has(nomKey("beneficiaires", id)) || !/^\d+$/.test(id)) continue;
        getBeneficiaire(Number(id)).then(b => {
          noms.set(nomKey("beneficiaires", id), beneficiaireText(b));
          setVersion(v => v + 1);
        }).catch(() => undefined);
      }
    }
  }, [applied, options.beneficiaires]);

  const nom = (k: ListKey, fallback: (v: string) => string) => (v: string) => noms.get(nomKey(k, v)) ?? fallback(v);
  const preset = draft.du || draft.au ? presetOf(draft.du, draft.au) ?? "personnalisee" : "";
  const choosePreset = (p: string) => {
    if (p === "personnalisee") return setDraft(d => ({ ...d, du: d.du || presetRange("12mois").du, au: d.au || presetRange("12mois").au }));
    const r = presetRange(p as never);
    setDraft(d => ({ ...d, ...r }));
  };
  const periodeError = draft.du && draft.au && draft.du > draft.au ? "La date de début doit précéder la date de fin." : null;

  return (
    <form
      role="search"
      aria-labelledby="titre-filtres"
      className="coop-stats-filtres"
      noValidate
      onSubmit={e => {
        e.preventDefault();
        if (periodeError) return;
        onApply(draft);
      }}
    >
      <fieldset className="fr-fieldset" aria-labelledby="periode-legend">
        <legend className="fr-fieldset__legend fr-fieldset__legend--regular" id="periode-legend">
          Période
          <span className="fr-hint-text">Sans choix : toutes les dates (l'évolution par mois montre toujours les 12 derniers mois).</span>
        </legend>
        <div className="coop-cases__ligne">
          {[...PRESETS, ["personnalisee", "Personnalisée (du… au…)"] as const].map(([code, libelle]) => (
            <div className="fr-fieldset__element fr-fieldset__element--inline" key={code}>
              <div className="fr-radio-group fr-radio-group--sm">
                <input type="radio" id={`periode-${code}`} name="periode" value={code} checked={preset === code} onChange={() => choosePreset(code)} />
                <label className="fr-label" htmlFor={`periode-${code}`}>
                  {libelle}
                </label>
              </div>
            </div>
          ))}
        </div>
        <div className="coop-stats-dates fr-mt-1w">
          <Input
            label="Du"
            state={periodeError ? "error" : "default"}
            nativeInputProps={{ id: "filtre-du", name: "du", type: "date", value: draft.du, onChange: e => setDraft(d => ({ ...d, du: e.target.value })) }}
          />
          <Input
            label="Au"
            state={periodeError ? "error" : "default"}
            stateRelatedMessage={periodeError ?? undefined}
            nativeInputProps={{ id: "filtre-au", name: "au", type: "date", value: draft.au, onChange: e => setDraft(d => ({ ...d, au: e.target.value })) }}
          />
        </div>
      </fieldset>

      <Cases id="filtre-types" legend="Types d'activité" options={TYPES_ACTIVITE} values={draft.lists.types} onChange={v => setList("types", v)} />
      <details className="coop-details fr-mb-2w">
        <summary>Thématiques{draft.lists.thematiques.length ? ` (${draft.lists.thematiques.length})` : ""}</summary>
        <Cases id="filtre-thematiques" legend="Thématiques" options={THEMATIQUES} values={draft.lists.thematiques} onChange={v => setList("thematiques", v)} colonnes />
      </details>
      {options.tags && tags.length > 0 && (
        <Cases id="filtre-tags" legend="Tags" options={tags.map(t => [String(t.id), t.nom] as const)} values={draft.lists.tags} onChange={v => setList("tags", v)} colonnes />
      )}

      <div className="coop-stats-champs">
        {options.beneficiaires && (
          <div>
            <BeneficiairePicker
              label="Bénéficiaires suivis"
              name="filtre-beneficiaire"
              keepText={false}
              exclude={draft.lists.beneficiaires.map(Number)}
              onChange={b => b && add("beneficiaires", String(b.id), beneficiaireText(b))}
            />
            <Valeurs k="beneficiaires" values={draft.lists.beneficiaires} label={nom("beneficiaires", v => `Bénéficiaire n° ${v}`)} onRemove={remove("beneficiaires")} />
          </div>
        )}
        <div>
          <CommunePicker
            label="Communes"
            name="filtre-commune"
            hintText="Nom ou code postal ; plusieurs communes possibles."
            value=""
            onChange={(code, c) => code && add("communes", code, c ? communeText(c) : code)}
          />
          <Valeurs k="communes" values={draft.lists.communes} label={nom("communes", v => `Commune ${v}`)} onRemove={remove("communes")} />
        </div>
        <div>
          <StructurePicker label="Lieux d'activité" name="filtre-lieu" value={null} onChange={s => s && add("lieux", String(s.id), structureText(s))} />
          <Valeurs k="lieux" values={draft.lists.lieux} label={nom("lieux", v => `Lieu n° ${v}`)} onRemove={remove("lieux")} />
        </div>
        {options.departements && (
          <div>
            <Select
              label="Départements"
              nativeSelectProps={{ id: "filtre-departement", value: "", onChange: e => e.target.value && add("departements", e.target.value) }}
            >
              <option value="">Ajouter un département…</option>
              {departements.map(d => (
                <option key={d.code} value={d.code}>
                  {d.code} – {d.nom}
                </option>
              ))}
            </Select>
            <Valeurs
              k="departements"
              values={draft.lists.departements}
              label={v => {
                const d = departements.find(x => x.code === v);
                return d ? `${d.nom} (${d.code})` : `Département ${v}`;
              }}
              onRemove={remove("departements")}
            />
          </div>
        )}
        {options.regions && (
          <div>
            <Select label="Régions" nativeSelectProps={{ id: "filtre-region", value: "", onChange: e => e.target.value && add("regions", e.target.value) }}>
              <option value="">Ajouter une région…</option>
              {regions.map(r => (
                <option key={r.code} value={r.code}>
                  {r.nom}
                </option>
              ))}
            </Select>
            <Valeurs k="regions" values={draft.lists.regions} label={v => regions.find(x => x.code === v)?.nom ?? `Région ${v}`} onRemove={remove("regions")} />
          </div>
        )}
        <div>
          <StructurePicker label="Structures employeuses" name="filtre-structure" value={null} onChange={s => s && add("structures", String(s.id), structureText(s))} />
          <Valeurs k="structures" values={draft.lists.structures} label={nom("structures", v => `Structure n° ${v}`)} onRemove={remove("structures")} />
        </div>
        {options.mediateurs && (
          <div>
            <MediateurPicker label="Médiateurs" name="filtre-mediateur" value={null} onChange={m => m && add("mediateurs", String(m.id), mediateurText(m))} />
            <Valeurs k="mediateurs" values={draft.lists.mediateurs} label={nom("mediateurs", v => `Médiateur n° ${v}`)} onRemove={remove("mediateurs")} />
          </div>
        )}
        <div>
          <Select
            label="Conseiller numérique"
            nativeSelectProps={{
              id: "filtre-conseiller-numerique",
              name: "conseiller_numerique",
              value: draft.conseiller_numerique,
              onChange: e => setDraft(d => ({ ...d, conseiller_numerique: e.target.value }))
            }}
          >
            <option value="">Tous les médiateurs</option>
            <option value="oui">Conseillers numériques seulement</option>
            <option value="non">Hors conseillers numériques</option>
          </Select>
        </div>
      </div>

      <div className="coop-actions fr-mt-2w">
        <Button type="submit" iconId="fr-icon-filter-line">
          Appliquer les filtres
        </Button>
        <Button
          type="button"
          priority="secondary"
          onClick={() => {
            const cleared: StatsQuery = { ...draft, du: "", au: "", conseiller_numerique: "", lists: Object.fromEntries(Object.keys(draft.lists).map(k => [k, []])) as never };
            setDraft(cleared);
            onApply(cleared);
          }}
        >
          Réinitialiser
        </Button>
      </div>
    </form>
  );
}
