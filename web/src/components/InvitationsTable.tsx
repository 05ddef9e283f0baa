import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Table } from "@codegouvfr/react-dsfr/Table";
import type { Invitation } from "../api/types";
import { formatDateTime, fullName } from "../lib/format";
import { roleLabel } from "../lib/roles";

export function invitationStatus(inv: Invitation): { label: string; severity: "success" | "warning" | "info" } {
  if (inv.accepted_at) return { label: "Acceptée", severity: "success" };
  if (new Date(inv.expires_at).getTime() < Date.now()) return { label: "Expirée", severity: "warning" };
  return { label: "En attente", severity: "info" };
}

export function InvitationsTable({
  items,
  caption,
  showStructure = true,
  showInviter = false
}: {
  items: Invitation[];
  caption: string;
  showStructure?: boolean;
  showInviter?: boolean;
}) {
  if (items.length === 0) return <p>Aucune invitation envoyée pour le moment.</p>;
  const headers = ["E-mail", "Rôle", ...(showStructure ? ["Structure"] : []), ...(showInviter ? ["Invité par"] : []), "Créée le", "Expire le", "Statut"];
  return (
    <Table
      caption={caption}
      noCaption
      headers={headers}
      data={items.map(inv => {
        const st = invitationStatus(inv);
        return [
          inv.email,
          roleLabel({ role: inv.role, structure_id: inv.structure_id, conseiller_numerique: inv.conseiller_numerique }),
          ...(showStructure ? [inv.structure_nom ?? "—"] : []),
          ...(showInviter ? [fullName(inv.invited_by) || "—"] : []),
          formatDateTime(inv.created_at),
          formatDateTime(inv.expires_at),
          <Badge key="s" severity={st.severity} small noIcon>
            {inv.accepted_at ? `${st.label} le ${formatDateTime(inv.accepted_at)}` : st.label}
          </Badge>
        ];
      })}
    />
  );
}
