import type { Me, Role, RoleName } from "../api/types";

export const ROLE_LABELS: Record<RoleName, string> = {
  mediateur: "Médiateur numérique",
  coordinateur: "Coordinateur",
  gestionnaire_structure: "Gestionnaire de structure",
  admin: "Administrateur",
  territorial: "Pilote territorial"
};

export const ALL_ROLES: RoleName[] = [
  "mediateur",
  "coordinateur",
  "gestionnaire_structure",
  "admin",
  "territorial"
];

/** "departement:69" → "département 69", "region:84" → "région 84". */
export function territoireText(territoire: string | null | undefined): string {
  if (!territoire) return "";
  const [kind, code] = territoire.split(":");
  return `${kind === "region" ? "région" : "département"} ${code ?? ""}`.trim();
}

/** A role as a label; invitations carry no `territoire` (a territorial role is never invited). */
export function roleLabel(role: (Omit<Role, "territoire"> & { territoire?: string | null }) | RoleName): string {
  if (typeof role === "string") return ROLE_LABELS[role] ?? role;
  if (role.role === "mediateur" && role.conseiller_numerique) return "Conseiller numérique";
  if (role.role === "territorial" && role.territoire) return `${ROLE_LABELS.territorial} (${territoireText(role.territoire)})`;
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
