import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useState } from "react";
import type { Activite } from "../../api/types";
import { DEMARCHES, THEMATIQUES, formatDuree, labelOf, TYPES_LIEU } from "../../lib/activites";
import { formatDate, fullName } from "../../lib/format";

export function typeLabel(a: Pick<Activite, "type">): string {
  return a.type === "collectif" ? "Atelier collectif" : "Accompagnement individuel";
}

export function TypeBadge({ a }: { a: Pick<Activite, "type"> }) {
  return (
    <Badge small noIcon severity={a.type === "collectif" ? "new" : "info"} as="span">
      {a.type === "collectif" ? "Collectif" : "Individuel"}
    </Badge>
  );
}

export function lieuText(a: Activite): string {
  if (a.type_lieu === "lieu_activite") return a.lieu_activite_nom ?? "Lieu d'activité";
  const commune = a.commune_nom ? `${a.commune_nom}${a.code_postal ? ` (${a.code_postal})` : ""}` : a.commune_insee ?? "";
  return `${labelOf(TYPES_LIEU, a.type_lieu)}${commune ? ` – ${commune}` : ""}`;
}

export function thematiquesText(a: Activite): string {
  return a.thematiques.map(t => labelOf(THEMATIQUES, t)).join(", ");
}

export function demarchesText(a: Activite): string {
  return a.demarches.map(t => labelOf(DEMARCHES, t)).join(", ");
}

export function beneficiairesText(a: Activite): string {
  if (a.type === "collectif") {
    const n = (a.participants?.length ?? 0) + (a.participants_anonymes?.total ?? 0);
    return `${n} participant${n > 1 ? "s" : ""}`;
  }
  return a.beneficiaire && !a.beneficiaire.anonyme ? fullName(a.beneficiaire) || "Bénéficiaire suivi" : "Anonyme";
}

export function activiteTitle(a: Activite): string {
  const base = a.type === "collectif" && a.titre_atelier ? `Atelier « ${a.titre_atelier} »` : typeLabel(a);
  return `${base} du ${formatDate(a.date)}`;
}

export { formatDuree };

/** A delete button that asks for confirmation in place (no dialog to trap the focus). */
export function ConfirmButton({
  label,
  confirmLabel,
  question,
  onConfirm,
  iconId = "fr-icon-delete-line",
  size = "small"
}: {
  label: string;
  confirmLabel: string;
  question: string;
  onConfirm: () => Promise<void> | void;
  iconId?: "fr-icon-delete-line" | "fr-icon-close-circle-line" | "fr-icon-eraser-line";
  size?: "small" | "medium";
}) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!asking)
    return (
      <Button type="button" size={size} priority="tertiary" iconId={iconId} onClick={() => setAsking(true)}>
        {label}
      </Button>
    );
  return (
    <span className="coop-actions" role="group" aria-label={question}>
      <span className="fr-text--sm fr-mb-0">{question}</span>
      <Button
        type="button"
        size={size}
        disabled={busy}
        nativeButtonProps={{ autoFocus: true }}
        onClick={async () => {
          setBusy(true);
          try {
            await onConfirm();
          } finally {
            setBusy(false);
            setAsking(false);
          }
        }}
      >
        {confirmLabel}
      </Button>
      <Button type="button" size={size} priority="secondary" onClick={() => setAsking(false)}>
        Annuler
      </Button>
    </span>
  );
}
