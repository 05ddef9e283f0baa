import { useState } from "react";
import type { StatistiquesLigne } from "../../api/statistiques";
import { formatNombre, ligneLibelle, type Mesure } from "../../lib/statistiques";

export const MESURE_LIBELLE: Record<Mesure, string> = {
  activites: "Accompagnements",
  individuels: "Accompagnements individuels",
  beneficiaires: "Bénéficiaires"
};

/** The DSFR table frame (scrolls horizontally on a phone instead of the page). */
export function TableDsfr({ children, className = "fr-table--sm fr-mb-0 coop-stats-table" }: { children: React.ReactNode; className?: string }) {
  return (
    <div className={`fr-table ${className}`}>
      <div className="fr-table__wrapper">
        <div className="fr-table__container">
          <div className="fr-table__content">{children}</div>
        </div>
      </div>
    </div>
  );
}

/**
 * The data of a breakdown chart: one row per line with its value, its number of activities (for
 * the activity breakdowns) and its percentage. Always in the page, so it is the accessible
 * alternative to the canvas and what gets printed.
 */
export function TableauRepartition({
  id,
  caption,
  lignes,
  mesure
}: {
  id: string;
  caption: string;
  lignes: StatistiquesLigne[];
  mesure: Mesure;
}) {
  const total = lignes.reduce((s, l) => s + l.valeur, 0);
  return (
    <TableDsfr>
      <table data-testid={`table-${id}`}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Libellé</th>
            <th scope="col" className="coop-num">{MESURE_LIBELLE[mesure]}</th>
            {mesure === "activites" && <th scope="col" className="coop-num">Activités</th>}
            <th scope="col" className="coop-num">Part</th>
          </tr>
        </thead>
        <tbody>
          {lignes.map(l => (
            <Ligne key={l.cle} l={l} mesure={mesure} />
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td className="coop-num">{formatNombre(total)}</td>
            {mesure === "activites" && <td className="coop-num" />}
            <td className="coop-num">{lignes.length ? "100 %" : ""}</td>
          </tr>
        </tfoot>
      </table>
    </TableDsfr>
  );
}

function Ligne({ l, mesure }: { l: StatistiquesLigne; mesure: Mesure }) {
  return (
    <tr data-cle={l.cle}>
      <th scope="row">{ligneLibelle(l)}</th>
      <td className="coop-num" data-col="valeur">{formatNombre(l.valeur)}</td>
      {mesure === "activites" && <td className="coop-num" data-col="activites">{formatNombre(l.activites)}</td>}
      <td className="coop-num" data-col="pourcentage">{l.pourcentage} %</td>
    </tr>
  );
}

type Tri = { col: "libelle" | "valeur"; desc: boolean };
const TOP = 10;

/** Lieux, communes, départements: a table sorted by value (or name), the first 10 then "Voir tout". */
export function TableauTriable({
  id,
  caption,
  lignes,
  mesure,
  colonne,
  libelleValeur
}: {
  id: string;
  caption: string;
  lignes: StatistiquesLigne[];
  mesure: Mesure;
  /** Header of the first column ("Commune", "Lieu d'activité"…). */
  colonne: string;
  /** Header of the value column, when not the measure's (« Orientations »). */
  libelleValeur?: string;
}) {
  const [tri, setTri] = useState<Tri>({ col: "valeur", desc: true });
  const [tout, setTout] = useState(false);
  const sorted = [...lignes].sort((a, b) => {
    const c =
      tri.col === "valeur"
        ? a.valeur - b.valeur || b.activites - a.activites
        : ligneLibelle(a).localeCompare(ligneLibelle(b), "fr");
    return tri.desc ? -c : c;
  });
  const shown = tout ? sorted : sorted.slice(0, TOP);
  const sortButton = (col: Tri["col"], label: string) => {
    const active = tri.col === col;
    return (
      <button
        type="button"
        className="coop-tri"
        onClick={() => setTri(t => ({ col, desc: t.col === col ? !t.desc : col === "valeur" }))}
      >
        {label}
        <span aria-hidden="true">{active ? (tri.desc ? " ▼" : " ▲") : " ↕"}</span>
        <span className="fr-sr-only">{active ? (tri.desc ? " (tri décroissant)" : " (tri croissant)") : " (trier)"}</span>
      </button>
    );
  };
  const ariaSort = (col: Tri["col"]) => (tri.col === col ? (tri.desc ? "descending" : "ascending") : undefined);
  return (
    <>
      <TableDsfr>
        <table data-testid={`table-${id}`}>
          <caption>
            {caption}
            {lignes.length > TOP && (
              <span className="fr-hint-text">
                {tout ? `${lignes.length} lignes` : `${TOP} premières lignes sur ${lignes.length}`}
              </span>
            )}
          </caption>
          <thead>
            <tr>
              <th scope="col" aria-sort={ariaSort("libelle")}>{sortButton("libelle", colonne)}</th>
              <th scope="col" aria-sort={ariaSort("valeur")} className="coop-num">{sortButton("valeur", libelleValeur ?? MESURE_LIBELLE[mesure])}</th>
              {mesure === "activites" && <th scope="col" className="coop-num">Activités</th>}
              <th scope="col" className="coop-num">Part</th>
            </tr>
          </thead>
          <tbody>
            {shown.map(l => (
              <Ligne key={l.cle} l={l} mesure={mesure} />
            ))}
          </tbody>
        </table>
      </TableDsfr>
      {lignes.length > TOP && (
        <button type="button" className="fr-btn fr-btn--sm fr-btn--tertiary fr-mt-1w coop-no-print" aria-expanded={tout} onClick={() => setTout(t => !t)}>
          {tout ? `Voir les ${TOP} premières` : `Voir tout (${lignes.length})`}
        </button>
      )}
    </>
  );
}
