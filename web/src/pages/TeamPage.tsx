import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Table } from "@codegouvfr/react-dsfr/Table";
import { useCallback, useState } from "react";
import * as endpoints from "../api/endpoints";
import type { TeamMember } from "../api/types";
import { EndDateForm } from "../components/EndDateForm";
import { ErrorAlert } from "../components/ErrorAlert";
import { InvitationForm } from "../components/InvitationForm";
import { InvitationsTable } from "../components/InvitationsTable";
import { LoadError } from "../components/LoadError";
import { MediateurPicker } from "../components/MediateurPicker";
import { formatDate, fullName, today } from "../lib/format";
import { useAsync } from "../lib/useAsync";
import { useForm } from "../lib/useForm";
import { useTitle } from "../lib/useTitle";
import * as v from "../lib/validation";

function isCurrent(m: TeamMember): boolean {
  return !m.fin || m.fin >= today();
}

function MembersTable({
  items,
  caption,
  onEnd
}: {
  items: TeamMember[];
  caption: string;
  onEnd?: (m: TeamMember, fin: string) => Promise<void>;
}) {
  const [ending, setEnding] = useState<number | null>(null);
  return (
    <Table
      caption={caption}
      noCaption
      headers={["Nom", "E-mail", "Début", "Fin", ...(onEnd ? ["Action"] : [])]}
      data={items.map(m => [
        fullName(m.mediateur),
        m.mediateur.email,
        formatDate(m.debut),
        formatDate(m.fin),
        ...(onEnd
          ? [
              m.fin ? (
                "—"
              ) : ending === m.id ? (
                <EndDateForm
                  key="f"
                  id={`fin-membre-${m.id}`}
                  label={`Date de fin du suivi de ${fullName(m.mediateur)}`}
                  debut={m.debut}
                  onCancel={() => setEnding(null)}
                  onConfirm={async fin => {
                    await onEnd(m, fin);
                    setEnding(null);
                  }}
                />
              ) : (
                <Button key="b" size="small" priority="secondary" onClick={() => setEnding(m.id)} title={`Retirer ${fullName(m.mediateur)} de l'équipe`}>
                  Retirer de l'équipe
                </Button>
              )
            ]
          : [])
      ])}
    />
  );
}

export function TeamPage() {
  useTitle("Mon équipe");
  const team = useAsync(() => endpoints.getEquipe(), []);
  const invitations = useAsync(() => endpoints.listInvitations(), []);
  const [message, setMessage] = useState<string | null>(null);
  const validate = useCallback(
    (values: { mediateur_id: string; debut: string }) => ({
      mediateur_id: v.required(values.mediateur_id, "Choisissez un médiateur dans la liste."),
      debut: v.date(values.debut, "La date de début")
    }),
    []
  );
  const form = useForm({ mediateur_id: "", debut: today() }, validate);

  const members = team.data?.items ?? [];
  const current = members.filter(isCurrent);
  const former = members.filter(m => !isCurrent(m));

  const add = form.handleSubmit(async values => {
    setMessage(null);
    const m = await endpoints.addMembre({ mediateur_id: Number(values.mediateur_id), debut: values.debut });
    team.setData(d => ({ items: [m, ...(d?.items ?? [])] }));
    form.reset({ mediateur_id: "", debut: today() });
    setMessage(`${fullName(m.mediateur)} a rejoint votre équipe.`);
  });

  const end = async (m: TeamMember, fin: string) => {
    const updated = await endpoints.endMembre(m.id, fin);
    team.setData(d => d && { items: d.items.map(x => (x.id === m.id ? updated : x)) });
    setMessage(`Le suivi de ${fullName(m.mediateur)} prend fin le ${formatDate(fin)}.`);
  };

  return (
    <div className="fr-container fr-my-6w">
      <h1>Mon équipe</h1>
      <p className="fr-text--lead">Les médiateurs numériques que vous coordonnez.</p>
      {message && <Alert severity="success" small role="status" description={message} className="fr-mb-3w" closable onClose={() => setMessage(null)} />}
      {team.error ? (
        <LoadError error={team.error} what="votre équipe" />
      ) : !team.data ? (
        <p role="status">Chargement de l'équipe…</p>
      ) : (
        <>
          <section aria-labelledby="titre-actuels">
            <h2 id="titre-actuels" className="fr-h4">
              Membres actuels{" "}
              <Badge as="span" severity="info" small noIcon>
                {String(current.length)}
              </Badge>
            </h2>
            {current.length === 0 ? (
              <p>Aucun médiateur dans votre équipe pour le moment.</p>
            ) : (
              <MembersTable items={current} caption="Membres actuels de l'équipe" onEnd={end} />
            )}
          </section>
          <section className="coop-section" aria-labelledby="titre-anciens">
            <h2 id="titre-anciens" className="fr-h4">
              Anciens membres
            </h2>
            {former.length === 0 ? <p>Aucun ancien membre.</p> : <MembersTable items={former} caption="Anciens membres de l'équipe" />}
          </section>
        </>
      )}

      <section className="coop-section" aria-labelledby="titre-ajout">
        <h2 id="titre-ajout" className="fr-h4">
          Ajouter un médiateur à l'équipe
        </h2>
        <form onSubmit={add} noValidate className="coop-form-narrow" aria-labelledby="titre-ajout">
          <ErrorAlert error={form.error} title="Le médiateur n'a pas été ajouté" extra={form.unboundServerErrors(["mediateur_id", "debut"])} />
          <MediateurPicker
            name="mediateur_id"
            value={form.values.mediateur_id ? Number(form.values.mediateur_id) : null}
            exclude={current.map(m => m.mediateur.id)}
            onChange={m => form.setField("mediateur_id", m ? String(m.id) : "")}
            {...form.fieldState("mediateur_id")}
          />
          <Input
            label="Début du suivi"
            {...form.fieldState("debut")}
            nativeInputProps={{ ...form.bind("debut"), id: "membre-debut", type: "date" }}
          />
          <Button type="submit" iconId="fr-icon-user-add-line" disabled={form.submitting}>
            Ajouter à mon équipe
          </Button>
        </form>
      </section>

      <section className="coop-section" id="inviter" aria-labelledby="titre-inviter">
        <h2 id="titre-inviter" className="fr-h4">
          Inviter un médiateur
        </h2>
        <p>Le médiateur invité crée son compte avec le lien d'invitation et rejoint votre équipe.</p>
        <InvitationForm
          idPrefix="invitation-equipe"
          allowedRoles={["mediateur"]}
          onCreated={inv => invitations.setData(d => ({ items: [inv, ...(d?.items ?? [])] }))}
        />
      </section>

      <section className="coop-section" aria-labelledby="titre-invitations">
        <h2 id="titre-invitations" className="fr-h4">
          Invitations envoyées
        </h2>
        {invitations.error ? (
          <LoadError error={invitations.error} what="les invitations" />
        ) : (
          <InvitationsTable caption="Invitations envoyées" items={invitations.data?.items ?? []} />
        )}
      </section>
    </div>
  );
}
