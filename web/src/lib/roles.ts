import type { Me, Role, RoleName } from "../api/types";

export const ROLE_LABELS: Record<RoleName, string> = {
  mediateur: "Médiateur numérique",
  coordinateur: "Coordinateur",
  gestionnaire_structure: "Gestionnaire de structure",
  admin: "Administrateur"
};

export const ALL_ROLES: RoleName[] = [
  "mediateur",
  "coordinateur",
  "gestionnaire_structure",
  "admin"
];

export function roleLabel(role: Role | RoleName): string {
  if (typeof role === "string") return ROLE_LABELS[role] ?? role;
  if (role.role === "mediateur" && role.conseiller_numerique) return "Conseiller numérique";
  return ROLE_LABELS[role.role] ?? role.role;
}

export function hasRole(me: Me | null | undefined, role: RoleName): boolean {
  return !!me?.roles?.some(r => r.role === role);
}

/** Structures a gestionnaire manages. */
export function managedStructureIds(me: Me | null | undefined): number[] {
  return (me?.roles ?? [])
    .filter(r => r.role === "gestionnaire_structure" && r.structure_id != null)
    .map(r => r.structure_id as number);
}

export function isConseillerNumerique(me: Me | null | undefined): boolean {
  return !!me?.roles?.some(r => r.role === "mediateur" && r.conseiller_numerique);
}
