import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useCallback, useState } from "react";
import * as endpoints from "../api/endpoints";
import type { Invitation, InvitationCreated, RoleName } from "../api/types";
import { formatDateTime } from "../lib/format";
import { ROLE_LABELS } from "../lib/roles";
import { useForm } from "../lib/useForm";
import * as v from "../lib/validation";
import { CopyLink } from "./CopyLink";
import { ErrorAlert } from "./ErrorAlert";
import { StructurePicker } from "./StructurePicker";

type Values = {
  email: string;
  role: string;
  conseiller_numerique: boolean;
  structure_id: string;
};

/**
 * Invite someone by e-mail. There is no mail server: the link returned by the server is shown
 * to the inviter, who sends it.
 */
export function InvitationForm({
  allowedRoles,
  structure,
  allowStructurePicker = false,
  onCreated,
  idPrefix = "invitation"
}: {
  allowedRoles: RoleName[];
  /** Structure the invitation is for, when fixed by the page. */
  structure?: { id: number; nom: string };
  /** Admin: choose any structure. */
  allowStructurePicker?: boolean;
  onCreated?: (inv: Invitation) => void;
  idPrefix?: string;
}) {
  const [created, setCreated] = useState<InvitationCreated | null>(null);
  const validate = useCallback((values: Values) => {
    return {
      email: v.email(values.email),
      role: v.required(values.role, "Choisissez un rôle."),
      structure_id:
        values.role === "gestionnaire_structure" && !values.structure_id
          ? "Choisissez la structure que cette personne gérera."
          : null
    };
  }, []);
  const form = useForm<Values>(
    {
      email: "",
      role: allowedRoles[0] ?? "mediateur",
      conseiller_numerique: false,
      structure_id: structure ? String(structure.id) : ""
    },
    validate
  );

  const submit = form.handleSubmit(async values => {
    const inv = await endpoints.createInvitation({
      email: values.email.trim(),
      role: values.role as RoleName,
      structure_id: values.structure_id && values.role !== "admin" ? Number(values.structure_id) : null,
      conseiller_numerique: values.role === "mediateur" ? values.conseiller_numerique : false
    });
    setCreated(inv);
    form.reset({ ...values, email: "", conseiller_numerique: false });
    onCreated?.(inv);
  });

  const role = form.values.role as RoleName;
  return (
    <div>
      <form onSubmit={submit} noValidate aria-label="Inviter une personne">
        <ErrorAlert error={form.error} title="L'invitation n'a pas pu être créée" extra={form.unboundServerErrors(["email", "role", "structure_id", "conseiller_numerique"])} />
        {structure && (
          <p className="fr-mb-2w">
            Structure : <strong>{structure.nom}</strong>
          </p>
        )}
        <Input
          label="Adresse e-mail de la personne invitée"
          hintText="Format attendu : nom@domaine.fr"
          {...form.fieldState("email")}
          nativeInputProps={{ ...form.bind("email"), id: `${idPrefix}-email`, type: "email", autoComplete: "off" }}
        />
        {allowedRoles.length > 1 ? (
          <Select
            label="Rôle"
            {...form.fieldState("role")}
            nativeSelectProps={{ ...form.bind("role"), id: `${idPrefix}-role` }}
          >
            {allowedRoles.map(r => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </Select>
        ) : (
          <p className="fr-mb-2w">
            Rôle : <strong>{ROLE_LABELS[allowedRoles[0]]}</strong>
          </p>
        )}
        {role === "mediateur" && (
          <Checkbox
            id={`${idPrefix}-cn`}
            className="fr-mb-2w"
            options={[
              {
                label: "Conseiller numérique",
                hintText: "Poste financé par le dispositif Conseiller numérique",
                nativeInputProps: {
                  name: "conseiller_numerique",
                  checked: !!form.values.conseiller_numerique,
                  onChange: e => form.setField("conseiller_numerique", e.target.checked)
                }
              }
            ]}
          />
        )}
        {!structure && (
          allowStructurePicker &&
          (role === "gestionnaire_structure" || role === "mediateur" || role === "coordinateur") && (
            <StructurePicker
              label={role === "gestionnaire_structure" ? "Structure gérée" : "Structure employeuse (facultatif)"}
              name="structure_id"
              value={form.values.structure_id ? Number(form.values.structure_id) : null}
              onChange={s => form.setField("structure_id", s ? String(s.id) : "")}
              {...form.fieldState("structure_id")}
            />
          )
        )}
        <Button type="submit" iconId="fr-icon-mail-line" disabled={form.submitting}>
          {form.submitting ? "Envoi…" : "Créer l'invitation"}
        </Button>
      </form>
      {created && (
        <Alert
          severity="success"
          role="status"
          className="fr-mt-3w"
          title={`Invitation créée pour ${created.email}`}
          description={
            <>
              <p className="fr-mb-2w">
                Aucun e-mail n'est envoyé automatiquement : transmettez ce lien à la personne invitée.
                Il est valable jusqu'au {formatDateTime(created.expires_at)}.
              </p>
              {created.lien ? (
                <CopyLink label="Lien d'invitation" value={created.lien} />
              ) : (
                <p>Le serveur n'a pas renvoyé de lien.</p>
              )}
            </>
          }
        />
      )}
    </div>
  );
}
