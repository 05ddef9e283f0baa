import { Tag } from "@codegouvfr/react-dsfr/Tag";
import { ToggleSwitch } from "@codegouvfr/react-dsfr/ToggleSwitch";
import { useEffect, useState, type ReactNode } from "react";
import * as endpoints from "../api/endpoints";
import { listDepartements, listRegions, type Departement, type Region } from "../api/statistiques";
import type { Role, RoleName } from "../api/types";
import { ROLE_LABELS } from "../lib/roles";
import { StructurePicker, structureText } from "./StructurePicker";

const HINTS: Record<RoleName, string> = {
  mediateur: "Accompagne les publics ; enregistrera ses activités dans Coop.",
  coordinateur: "Suit une équipe de médiateurs.",
  gestionnaire_structure: "Gère les salariés d'une ou plusieurs structures.",
  admin: "Accès complet à Coop, dont la gestion des comptes.",
  territorial: "Lit les statistiques d'un ou plusieurs départements ou régions (sans données personnelles)."
};

function Check({
  id,
  name,
  checked,
  onChange,
  label,
  hint,
  children
}: {
  id: string;
  name: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  label: string;
  hint: string;
  children?: ReactNode;
}) {
  return (
    <div className="fr-fieldset__element">
      <div className="fr-checkbox-group">
        <input type="checkbox" id={id} name={name} checked={checked} onChange={e => onChange(e.target.checked)} />
        <label className="fr-label" htmlFor={id}>
          {label}
          <span className="fr-hint-text">{hint}</span>
        </label>
      </div>
      {checked && children && <div className="fr-ml-4w fr-mt-2w">{children}</div>}
    </div>
  );
}

/** A select that adds one territory ("departement:69", "region:84") to the list. */
function TerritoireSelect({
  id,
  label,
  placeholder,
  options,
  chosen,
  onPick
}: {
  id: string;
  label: string;
  placeholder: string;
  options: [string, string][];
  chosen: string[];
  onPick: (territoire: string) => void;
}) {
  return (
    <div className="fr-select-group">
      <label className="fr-label" htmlFor={id}>
        {label}
      </label>
      <select className="fr-select" id={id} value="" onChange={e => onPick(e.target.value)}>
        <option value="">{placeholder}</option>
        {options.map(([value, text]) => (
          <option key={value} value={value} disabled={chosen.includes(value)}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

export function gestionnaireMissingStructure(roles: Role[], wanted: boolean): boolean {
  return wanted && !roles.some(r => r.role === "gestionnaire_structure" && r.structure_id != null);
}

/**
 * Role checkboxes: mediateur (+ conseiller numérique), coordinateur, gestionnaire_structure
 * (+ the structures managed), admin, territorial (+ its départements and régions: one role per
 * territory, `territoire` = "departement:<code>" or "region:<code>").
 */
export function RolesEditor({
  idPrefix,
  roles,
  onChange,
  gestionnaireWanted,
  onGestionnaireWanted,
  error
}: {
  idPrefix: string;
  roles: Role[];
  onChange: (roles: Role[]) => void;
  /** gestionnaire_structure ticked, possibly before any structure was chosen. */
  gestionnaireWanted: boolean;
  onGestionnaireWanted: (wanted: boolean) => void;
  error?: string;
}) {
  const has = (r: RoleName) => roles.some(x => x.role === r);
  const toggle = (r: RoleName, on: boolean) => {
    if (on && !has(r)) onChange([...roles, { role: r, structure_id: null, conseiller_numerique: false, territoire: null }]);
    if (!on) onChange(roles.filter(x => x.role !== r));
  };
  const cn = roles.some(r => r.role === "mediateur" && r.conseiller_numerique);
  const managed = roles.filter(r => r.role === "gestionnaire_structure" && r.structure_id != null).map(r => r.structure_id as number);
  const [names, setNames] = useState<Record<number, string>>({});
  const territoires = roles.filter(r => r.role === "territorial" && r.territoire).map(r => r.territoire as string);
  const [territorialWanted, setTerritorialWanted] = useState(false);
  const [departements, setDepartements] = useState<Departement[]>([]);
  const [regions, setRegions] = useState<Region[]>([]);
  const territorialShown = has("territorial") || territorialWanted;
  useEffect(() => {
    if (!territorialShown || departements.length) return;
    listDepartements().then(r => setDepartements(r.items)).catch(() => undefined);
    listRegions().then(r => setRegions(r.items)).catch(() => undefined);
  }, [territorialShown, departements.length]);
  const territoireName = (t: string) => {
    const [kind, code] = t.split(":");
    if (kind === "region") return `Région ${regions.find(x => x.code === code)?.nom ?? code}`;
    const d = departements.find(x => x.code === code);
    return d ? `Département ${d.nom} (${d.code})` : `Département ${code}`;
  };
  const addTerritoire = (t: string) => {
    if (!t || territoires.includes(t)) return;
    onChange([
      ...roles.filter(r => !(r.role === "territorial" && !r.territoire)),
      { role: "territorial", structure_id: null, conseiller_numerique: false, territoire: t }
    ]);
  };

  useEffect(() => {
    for (const id of managed) {
      if (names[id]) continue;
      endpoints
        .getStructure(id)
        .then(s => setNames(n => ({ ...n, [id]: structureText(s) })))
        .catch(() => setNames(n => ({ ...n, [id]: `Structure n° ${id}` })));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [managed.join(",")]);

  const legendId = `${idPrefix}-roles-legend`;
  const errorId = `${idPrefix}-roles-error`;
  return (
    <fieldset
      className={`fr-fieldset${error ? " fr-fieldset--error" : ""}`}
      aria-labelledby={error ? `${legendId} ${errorId}` : legendId}
      role="group"
    >
      <legend className="fr-fieldset__legend fr-text--regular" id={legendId}>
        Cochez les rôles de la personne.
      </legend>
      <Check id={`${idPrefix}-role-mediateur`} name="role_mediateur" checked={has("mediateur")} onChange={on => toggle("mediateur", on)} label={ROLE_LABELS.mediateur} hint={HINTS.mediateur}>
        <ToggleSwitch
          label="Conseiller numérique"
          helperText="Poste financé par le dispositif Conseiller numérique"
          checked={cn}
          showCheckedHint={false}
          onChange={checked =>
            onChange(roles.map(r => (r.role === "mediateur" ? { ...r, conseiller_numerique: checked } : r)))
          }
        />
      </Check>
      <Check id={`${idPrefix}-role-coordinateur`} name="role_coordinateur" checked={has("coordinateur")} onChange={on => toggle("coordinateur", on)} label={ROLE_LABELS.coordinateur} hint={HINTS.coordinateur} />
      <Check
        id={`${idPrefix}-role-gestionnaire`}
        name="role_gestionnaire_structure"
        checked={has("gestionnaire_structure") || gestionnaireWanted}
        onChange={on => {
          onGestionnaireWanted(on);
          if (!on) toggle("gestionnaire_structure", false);
        }}
        label={ROLE_LABELS.gestionnaire_structure}
        hint={HINTS.gestionnaire_structure}
      >
        {managed.length > 0 && (
          <ul className="fr-tags-group" aria-label="Structures gérées">
            {managed.map(id => (
              <li key={id}>
                <Tag
                  dismissible
                  nativeButtonProps={{
                    title: `Retirer ${names[id] ?? "cette structure"}`,
                    "aria-label": `Retirer ${names[id] ?? "cette structure"}`,
                    onClick: () => onChange(roles.filter(r => !(r.role === "gestionnaire_structure" && r.structure_id === id)))
                  }}
                >
                  {names[id] ?? `Structure n° ${id}`}
                </Tag>
              </li>
            ))}
          </ul>
        )}
        <StructurePicker
          label={managed.length ? "Ajouter une autre structure gérée" : "Structure gérée"}
          name="gestionnaire_structure_id"
          value={null}
          onChange={s => {
            if (!s) return;
            if (!managed.includes(s.id)) {
              setNames(n => ({ ...n, [s.id]: structureText(s) }));
              onChange([
                ...roles.filter(r => !(r.role === "gestionnaire_structure" && r.structure_id == null)),
                { role: "gestionnaire_structure", structure_id: s.id, conseiller_numerique: false, territoire: null }
              ]);
            }
          }}
          state={error ? "error" : "default"}
          stateRelatedMessage={error}
        />
      </Check>
      <Check
        id={`${idPrefix}-role-territorial`}
        name="role_territorial"
        checked={territorialShown}
        onChange={on => {
          setTerritorialWanted(on);
          if (!on) toggle("territorial", false);
        }}
        label={ROLE_LABELS.territorial}
        hint={HINTS.territorial}
      >
        {territoires.length > 0 ? (
          <ul className="fr-tags-group" aria-label="Territoires suivis">
            {territoires.map(t => (
              <li key={t}>
                <Tag
                  dismissible
                  nativeButtonProps={{
                    type: "button",
                    title: `Retirer ${territoireName(t)}`,
                    "aria-label": `Retirer ${territoireName(t)}`,
                    onClick: () => onChange(roles.filter(r => !(r.role === "territorial" && r.territoire === t)))
                  }}
                >
                  {territoireName(t)}
                </Tag>
              </li>
            ))}
          </ul>
        ) : (
          <p className="fr-message fr-message--info fr-mb-1w">Choisissez au moins un département ou une région : sans territoire, le rôle n'est pas attribué.</p>
        )}
        <TerritoireSelect
          id={`${idPrefix}-territorial-departement`}
          label="Ajouter un département"
          placeholder="Choisir un département…"
          options={departements.map(d => [`departement:${d.code}`, `${d.code} – ${d.nom}`])}
          chosen={territoires}
          onPick={addTerritoire}
        />
        <TerritoireSelect
          id={`${idPrefix}-territorial-region`}
          label="Ajouter une région"
          placeholder="Choisir une région…"
          options={regions.map(r => [`region:${r.code}`, r.nom])}
          chosen={territoires}
          onPick={addTerritoire}
        />
      </Check>
      <Check id={`${idPrefix}-role-admin`} name="role_admin" checked={has("admin")} onChange={on => toggle("admin", on)} label={ROLE_LABELS.admin} hint={HINTS.admin} />
      {error && (
        <div className="fr-messages-group" id={errorId} aria-live="assertive">
          <p className="fr-message fr-message--error">{error}</p>
        </div>
      )}
    </fieldset>
  );
}
