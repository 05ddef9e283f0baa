import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Table } from "@codegouvfr/react-dsfr/Table";
import { useCallback, useState } from "react";
import { useLocation, useParams } from "react-router";
import * as endpoints from "../api/endpoints";
import * as inscription from "../api/inscription";
import type { Employment, Mediateur, RoleName, Structure } from "../api/types";
import { useMe } from "../auth/AuthContext";
import { EndDateForm } from "../components/EndDateForm";
import { ErrorAlert } from "../components/ErrorAlert";
import { InvitationForm } from "../components/InvitationForm";
import { InvitationsTable } from "../components/InvitationsTable";
import { LoadError } from "../components/LoadError";
import { MediateurPicker } from "../components/MediateurPicker";
import { PageLoading } from "../components/PageLoading";
import { StructureForm } from "../components/StructureForm";
import { NotFoundPage } from "./NotFoundPage";
import { formatDate, formatDateTime, formatSiret, fullName, today } from "../lib/format";
import { hasRole, managedStructureIds } from "../lib/roles";
import { useAsync } from "../lib/useAsync";
import { useForm } from "../lib/useForm";
import { useTitle } from "../lib/useTitle";
import * as v from "../lib/validation";

function isCurrent(e: { fin: string | null }): boolean {
  return !e.fin || e.fin >= today();
}

function AddEmployeeForm({ structureId, existing, onAdded }: { structureId: number; existing: number[]; onAdded: (e: Employment) => void }) {
  const [picked, setPicked] = useState<Mediateur | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const validate = useCallback(
    (values: { user_id: string; debut: string }) => ({
      user_id: v.required(values.user_id, "Choisissez un médiateur dans la liste."),
      debut: v.date(values.debut, "La date de début")
    }),
    []
  );
  const form = useForm({ user_id: "", debut: today() }, validate);
  const submit = form.handleSubmit(async values => {
    setDone(null);
    const e = await endpoints.addEmploye(structureId, { user_id: Number(values.user_id), debut: values.debut });
    onAdded(e);
    setDone(`${fullName(e.user) || picked?.email} fait désormais partie des salariés de la structure.`);
    setPicked(null);
    form.reset({ user_id: "", debut: today() });
  });
  return (
    <form onSubmit={submit} noValidate aria-labelledby="titre-ajout-salarie" className="coop-form-narrow">
      <h3 id="titre-ajout-salarie" className="fr-h5">
        Ajouter un salarié
      </h3>
      {done && <Alert severity="success" small role="status" description={done} className="fr-mb-2w" />}
      <ErrorAlert error={form.error} title="Le salarié n'a pas été ajouté" extra={form.unboundServerErrors(["user_id", "debut"])} />
      <MediateurPicker
        name="user_id"
        label="Médiateur à ajouter"
        value={form.values.user_id ? Number(form.values.user_id) : null}
        exclude={existing}
        onChange={m => {
          setPicked(m);
          form.setField("user_id", m ? String(m.id) : "");
        }}
        {...form.fieldState("user_id")}
      />
      <Input
        label="Date de début du contrat"
        {...form.fieldState("debut")}
        nativeInputProps={{ ...form.bind("debut"), id: "salarie-debut", type: "date" }}
      />
      <Button type="submit" iconId="fr-icon-user-add-line" disabled={form.submitting}>
        Ajouter le salarié
      </Button>
    </form>
  );
}

/** Employments declared at sign-up, waiting for a gestionnaire: confirm, or refuse with a reason. */
function PendingEmployments({ structure, items, onDecided }: { structure: Structure; items: Employment[]; onDecided: (e: Employment, message: string) => void }) {
  const [refusing, setRefusing] = useState<number | null>(null);
  const [motif, setMotif] = useState("");
  const [error, setError] = useState<string | null>(null);
  if (items.length === 0) return null;
  const act = async (f: () => Promise<Employment>, message: (e: Employment) => string) => {
    setError(null);
    try {
      const e = await f();
      setRefusing(null);
      setMotif("");
      onDecided(e, message(e));
    } catch (err) {
      setError(err instanceof Error ? err.message : "La décision n'a pas été enregistrée.");
    }
  };
  return (
    <section aria-labelledby="titre-rattachements" className="fr-mb-4w" id="rattachements-en-attente">
      <h3 id="titre-rattachements" className="fr-h5">
        Rattachements à confirmer ({items.length})
      </h3>
      <p className="fr-text--sm">
        Ces personnes se sont inscrites sur Coop en indiquant travailler pour {structure.nom}. Tant que vous n'avez pas
        confirmé, elles n'apparaissent pas parmi les salariés et leurs activités ne comptent pas dans les statistiques de
        la structure.
      </p>
      {error && <Alert severity="error" small description={error} className="fr-mb-2w" />}
      <ul className="fr-raw-list">
        {items.map(e => (
          <li key={e.id} className="fr-mb-2w">
            <p className="fr-mb-1w">
              <strong>{fullName(e.user)}</strong> ({e.user.email}){e.user.conseiller_numerique ? " — conseiller numérique" : ""}, depuis le {formatDate(e.debut)}
            </p>
            {refusing === e.id ? (
              <form
                onSubmit={ev => {
                  ev.preventDefault();
                  void act(() => inscription.refuserRattachement(structure.id, e.id, motif.trim()), x => `Le rattachement de ${fullName(x.user)} est refusé.`);
                }}
              >
                <Input
                  label={`Motif du refus pour ${fullName(e.user)} (facultatif)`}
                  hintText="Il est transmis à la personne."
                  textArea
                  nativeTextAreaProps={{ id: `motif-${e.id}`, value: motif, maxLength: 500, onChange: ev => setMotif(ev.target.value) }}
                />
                <Button type="submit" size="small" className="fr-mr-2w">
                  Confirmer le refus
                </Button>
                <Button type="button" size="small" priority="tertiary" onClick={() => setRefusing(null)}>
                  Annuler
                </Button>
              </form>
            ) : (
              <>
                <Button
                  size="small"
                  className="fr-mr-2w"
                  iconId="fr-icon-check-line"
                  title={`Confirmer le rattachement de ${fullName(e.user)}`}
                  onClick={() => void act(() => inscription.confirmerRattachement(structure.id, e.id), x => `${fullName(x.user)} fait désormais partie des salariés de la structure.`)}
                >
                  Confirmer
                </Button>
                <Button size="small" priority="secondary" title={`Refuser le rattachement de ${fullName(e.user)}`} onClick={() => setRefusing(e.id)}>
                  Refuser
                </Button>
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Employees({ structure }: { structure: Structure }) {
  const employes = useAsync(() => endpoints.listEmployes(structure.id), [structure.id]);
  const [ending, setEnding] = useState<number | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  if (employes.error) return <LoadError error={employes.error} what="les salariés" />;
  if (!employes.data) return <p role="status">Chargement des salariés…</p>;
  const pending = employes.data.items.filter(e => e.statut === "en_attente");
  // The team: confirmed employments only (pending ones are above, refused ones are not shown).
  const items = employes.data.items.filter(e => e.statut === "confirme").sort((a, b) => Number(isCurrent(b)) - Number(isCurrent(a)) || b.debut.localeCompare(a.debut));
  const currentIds = items.filter(isCurrent).map(e => e.user_id);
  return (
    <>
      {message && <Alert severity="success" small role="status" description={message} className="fr-mb-2w" closable onClose={() => setMessage(null)} />}
      <PendingEmployments
        structure={structure}
        items={pending}
        onDecided={(e, m) => {
          employes.setData(d => d && { items: d.items.map(x => (x.id === e.id ? e : x)) });
          setMessage(m);
        }}
      />
      {items.length === 0 ? (
        <p>Aucun salarié enregistré pour cette structure.</p>
      ) : (
        <Table
          caption={`Salariés de ${structure.nom}`}
          noCaption
          headers={["Nom", "E-mail", "Début", "Fin", "Statut", "Action"]}
          data={items.map(e => [
            fullName(e.user),
            e.user.email,
            formatDate(e.debut),
            formatDate(e.fin),
            isCurrent(e) ? (
              <Badge key="b" severity="success" small noIcon>
                En poste
              </Badge>
            ) : (
              <Badge key="b" small noIcon>
                Parti
              </Badge>
            ),
            e.fin ? (
              "—"
            ) : ending === e.id ? (
              <EndDateForm
                key="f"
                id={`fin-emploi-${e.id}`}
                label={`Date de fin pour ${fullName(e.user)}`}
                debut={e.debut}
                onCancel={() => setEnding(null)}
                onConfirm={async fin => {
                  const updated = await endpoints.updateEmploye(structure.id, e.id, { fin });
                  employes.setData(d => d && { items: d.items.map(x => (x.id === e.id ? updated : x)) });
                  setEnding(null);
                  setMessage(`Le contrat de ${fullName(e.user)} se termine le ${formatDate(fin)}.`);
                }}
              />
            ) : (
              <Button key="a" size="small" priority="secondary" onClick={() => setEnding(e.id)} title={`Mettre fin au contrat de ${fullName(e.user)}`}>
                Mettre fin au contrat
              </Button>
            )
          ])}
        />
      )}
      <AddEmployeeForm
        structureId={structure.id}
        existing={currentIds}
        onAdded={e => employes.setData(d => d && { items: [e, ...d.items] })}
      />
    </>
  );
}

export function StructurePage() {
  const { id } = useParams();
  const structureId = Number(id);
  const me = useMe();
  const location = useLocation();
  const isAdmin = hasRole(me, "admin");
  const manages = isAdmin || managedStructureIds(me).includes(structureId);
  const structure = useAsync(() => endpoints.getStructure(structureId), [structureId]);
  const invitations = useAsync(
    () => (manages ? endpoints.listInvitations() : Promise.resolve({ items: [] })),
    [manages, structureId]
  );
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  useTitle(structure.data?.nom ?? "Structure");

  if (!Number.isInteger(structureId) || structureId <= 0) return <NotFoundPage />;
  if (structure.error) {
    return (
      structure.error.status === 403 ? (
        <LoadError error={structure.error} page />
      ) : (
        <div className="fr-container fr-my-6w">
          <h1>Structure</h1>
          <LoadError error={structure.error} what="la structure" />
        </div>
      )
    );
  }
  const s = structure.data;
  if (!s) return <PageLoading />;
  const inviteRoles: RoleName[] = isAdmin ? ["mediateur", "coordinateur", "gestionnaire_structure"] : ["mediateur", "coordinateur"];
  const created = (location.state as { created?: boolean } | null)?.created;

  return (
    <div className="fr-container fr-my-6w">
      <Breadcrumb
        currentPageLabel={s.nom}
        homeLinkProps={{ to: "/" }}
        segments={
          isAdmin || managedStructureIds(me).length > 1
            ? [{ label: isAdmin ? "Structures" : "Mes structures", linkProps: { to: "/structures" } }]
            : []
        }
      />
      <h1>{s.nom}</h1>
      {created && <Alert severity="success" small role="status" description="La structure a été créée." className="fr-mb-3w" />}
      {saved && <Alert severity="success" small role="status" description="Les informations de la structure ont été enregistrées." className="fr-mb-3w" />}

      <section aria-labelledby="titre-infos">
        <h2 id="titre-infos" className="fr-h4">
          Informations
        </h2>
        {editing ? (
          <>
            <StructureForm
              idPrefix="modifier-structure"
              initial={s}
              submitLabel="Enregistrer les modifications"
              onSubmit={async body => {
                const updated = await endpoints.updateStructure(s.id, body);
                structure.setData(() => updated);
                setEditing(false);
                setSaved(true);
              }}
            />
            <Button priority="tertiary" className="fr-mt-2w" onClick={() => setEditing(false)}>
              Annuler
            </Button>
          </>
        ) : (
          <>
            <dl className="coop-dl">
              <dt>SIRET</dt>
              <dd>{formatSiret(s.siret)}</dd>
              <dt>Adresse</dt>
              <dd>
                {s.adresse}
                {s.adresse && <br />}
                {[s.code_postal, s.commune_nom].filter(Boolean).join(" ")}
              </dd>
              <dt>Créée le</dt>
              <dd>{formatDateTime(s.created_at)}</dd>
            </dl>
            {manages && (
              <Button priority="secondary" iconId="fr-icon-edit-line" onClick={() => { setSaved(false); setEditing(true); }}>
                Modifier les informations
              </Button>
            )}
          </>
        )}
      </section>

      {manages && (
        <>
          <section className="coop-section" aria-labelledby="titre-salaries">
            <h2 id="titre-salaries" className="fr-h4">
              Salariés
            </h2>
            <Employees structure={s} />
          </section>

          <section className="coop-section" id="inviter" aria-labelledby="titre-inviter">
            <h2 id="titre-inviter" className="fr-h4">
              Inviter une personne dans la structure
            </h2>
            <p>La personne invitée crée son compte avec le lien d'invitation et rejoint la structure.</p>
            <InvitationForm
              idPrefix="invitation-structure"
              allowedRoles={inviteRoles}
              structure={{ id: s.id, nom: s.nom }}
              onCreated={inv => invitations.setData(d => ({ items: [inv, ...(d?.items ?? [])] }))}
            />
          </section>

          <section className="coop-section" aria-labelledby="titre-invitations">
            <h2 id="titre-invitations" className="fr-h4">
              Invitations envoyées pour cette structure
            </h2>
            {invitations.error ? (
              <LoadError error={invitations.error} what="les invitations" />
            ) : (
              <InvitationsTable
                caption={`Invitations pour ${s.nom}`}
                showStructure={false}
                showInviter={isAdmin}
                items={(invitations.data?.items ?? []).filter(i => i.structure_id === s.id)}
              />
            )}
          </section>
        </>
      )}
    </div>
  );
}
