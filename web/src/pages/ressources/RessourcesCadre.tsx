import { fr } from "@codegouvfr/react-dsfr";
import type { ReactNode } from "react";
import { NavLink } from "react-router";
import { getReferentiel, type Referentiel } from "../../api/ressources";
import { useAsync } from "../../lib/useAsync";
import { ReferentielContext } from "./commun";
import "./ressources.css";

let cache: Promise<Referentiel> | null = null;
/** The vocabulary, asked once per page load. */
export function chargerReferentiel(): Promise<Referentiel> {
  cache ??= getReferentiel().catch(e => {
    cache = null;
    throw e;
  });
  return cache;
}

/** Every ressources page: the container and the vocabulary for the labels. */
export function RessourcesCadre({ children }: { children: ReactNode }) {
  const ref = useAsync(chargerReferentiel, []);
  return (
    <ReferentielContext.Provider value={ref.data ?? null}>
      <div className={fr.cx("fr-container", "fr-py-4w")}>{children}</div>
    </ReferentielContext.Provider>
  );
}

/** The sections of the library. */
export function NavRessources({ moderateur }: { moderateur: boolean }) {
  const liens = [
    { to: "/ressources", texte: "Bibliothèque", fin: true },
    { to: "/ressources/miennes", texte: "Mes ressources" },
    { to: "/ressources/collections", texte: "Collections" },
    { to: "/ressources/favoris", texte: "Favoris" },
    { to: "/ressources/suivis", texte: "Suivis" },
    ...(moderateur ? [{ to: "/ressources/moderation", texte: "Modération" }] : [])
  ];
  return (
    <nav aria-label="Rubriques des ressources" className="fr-mb-3w">
      <ul className={fr.cx("fr-tags-group")}>
        {liens.map(l => (
          <li key={l.to}>
            <NavLink to={l.to} end={l.fin} className={({ isActive }) => `fr-tag${isActive ? " coop-ress__rubrique--active" : ""}`}>
              {l.texte}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
