import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import * as endpoints from "../../api/endpoints";
import { InvitationForm } from "../../components/InvitationForm";
import { InvitationsTable } from "../../components/InvitationsTable";
import { LoadError } from "../../components/LoadError";
import { useAsync } from "../../lib/useAsync";
import { useTitle } from "../../lib/useTitle";

export function AdminInvitationsPage() {
  useTitle("Invitations");
  const invitations = useAsync(() => endpoints.listInvitations(), []);
  return (
    <div className="fr-container fr-my-6w">
      <Breadcrumb
        currentPageLabel="Invitations"
        homeLinkProps={{ to: "/" }}
        segments={[{ label: "Administration", linkProps: { to: "/admin/utilisateurs" } }]}
      />
      <h1>Invitations</h1>
      <section aria-labelledby="titre-nouvelle" className="fr-mb-6w">
        <h2 id="titre-nouvelle" className="fr-h4">
          Nouvelle invitation
        </h2>
        <div className="coop-form-narrow">
          <InvitationForm
            idPrefix="invitation-admin"
            allowedRoles={["mediateur", "coordinateur", "gestionnaire_structure", "admin"]}
            allowStructurePicker
            onCreated={inv => invitations.setData(d => ({ items: [inv, ...(d?.items ?? [])] }))}
          />
        </div>
      </section>
      <section aria-labelledby="titre-toutes">
        <h2 id="titre-toutes" className="fr-h4">
          Toutes les invitations
        </h2>
        {invitations.error ? (
          <LoadError error={invitations.error} what="les invitations" />
        ) : !invitations.data ? (
          <p role="status">Chargement des invitations…</p>
        ) : (
          <InvitationsTable caption="Toutes les invitations" items={invitations.data.items} showInviter />
        )}
      </section>
    </div>
  );
}
