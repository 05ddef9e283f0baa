import type { Me } from "../api/types";
import { hasRole, managedStructureIds } from "../lib/roles";

export interface NavLinkItem {
  text: string;
  to: string;
}
export interface NavMenuItem {
  text: string;
  links: NavLinkItem[];
}
export type NavItem = NavLinkItem | NavMenuItem;

/** The main navigation of a user, from their roles (also used by the tests' expectations). */
export function navigationFor(me: Me): NavItem[] {
  const items: NavItem[] = [{ text: "Accueil", to: "/" }];
  if (hasRole(me, "mediateur")) {
    items.push({ text: "Mes activités", to: "/activites" });
    items.push({ text: "Bénéficiaires", to: "/beneficiaires" });
  }
  if (hasRole(me, "coordinateur")) items.push({ text: "Mon équipe", to: "/equipe" });
  if (hasRole(me, "gestionnaire_structure")) {
    const ids = managedStructureIds(me);
    items.push(
      ids.length === 1
        ? { text: "Ma structure", to: `/structures/${ids[0]}` }
        : { text: "Mes structures", to: "/structures" }
    );
  }
  // Every role opens at least one statistics périmètre (own, team, structure, territory, national).
  if ((me.roles ?? []).length > 0) items.push({ text: "Statistiques", to: "/statistiques" });
  // The discussion space: every account with a role (its channels come from its structures).
  if ((me.roles ?? []).length > 0) items.push({ text: "Discussion", to: "/discussion" });
  // The library of teaching material (issue 11): every account with a role.
  if ((me.roles ?? []).length > 0) items.push({ text: "Ressources", to: "/ressources" });
  // The lieux de médiation numérique (issue 12): every account with a role.
  if ((me.roles ?? []).length > 0) items.push({ text: "Lieux", to: "/lieux" });
  if (hasRole(me, "admin")) {
    items.push({
      text: "Administration",
      links: [
        { text: "Utilisateurs", to: "/admin/utilisateurs" },
        { text: "Structures", to: "/structures" },
        { text: "Invitations", to: "/admin/invitations" },
        { text: "Journal d'audit", to: "/admin/audit" },
        { text: "Courriels", to: "/admin/courriels" },
        { text: "Clients API", to: "/admin/clients-api" },
        { text: "Ressources signalées", to: "/ressources/moderation" },
        { text: "Import des lieux", to: "/admin/lieux/import" },
        { text: "Banque d'items", to: "/admin/evaluation/items" }
      ]
    });
  }
  items.push({ text: "Mon compte", to: "/compte" });
  return items;
}

export function isActive(to: string, pathname: string): boolean {
  if (to === "/") return pathname === "/";
  return pathname === to || pathname.startsWith(`${to}/`);
}
