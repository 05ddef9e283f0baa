import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useState } from "react";
import { createClientApi, listClientsApi, revokeClientApi } from "../../api/activites";
import type { ApiScope, ClientApi, ClientApiCreated } from "../../api/types";
import { ApiError, isApiError } from "../../api/client";
import { ErrorAlert } from "../../components/ErrorAlert";
import { LoadError } from "../../components/LoadError";
import { formatDate, today } from "../../lib/format";
import { useAsync } from "../../lib/useAsync";
import { useTitle } from "../../lib/useTitle";
import { every } from "../../lib/activites";
import { ConfirmButton } from "../activites/common";

const SCOPES = every<ApiScope>()([
  ["activites", "Activités (anonymisées)"],
  ["statistiques", "Statistiques"],
  ["lieux_activite", "Lieux d'activité"],
  ["structures", "Structures"],
  ["utilisateurs", "Utilisateurs"],
  ["ressources", "Ressources publiques"],
  ["lieux", "Lieux de médiation numérique"]
]);

function CopyValue({ label, value, id }: { label: string; value: string; id: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="fr-mb-2w">
      <Input label={label} nativeInputProps={{ id, readOnly: true, value, className: "coop-secret", onFocus: e => e.currentTarget.select() }} className="fr-mb-1w" />
      <Button
        type="button"
        size="small"
        priority="secondary"
        iconId="fr-icon-clipboard-line"
        nativeButtonProps={{ "aria-label": `Copier : ${label}` }}
        onClick={async () => {
          try {
            await navigator.clipboard.writeText(value);
          } catch {
            (document.getElementById(id) as HTMLInputElement | null)?.select();
            document.execCommand?.("copy");
          }
          setCopied(true);
          setTimeout(() => setCopied(false), 4000);
        }}
      >
        Copier
      </Button>
      <span className="fr-ml-2w fr-text--sm" role="status">
        {copied ? "Copié dans le presse-papiers." : ""}
      </span>
    </div>
  );
}

function revoked(c: ClientApi): boolean {
  return c.revoked_at !== null;
}

function etat(c: ClientApi): [string, "error" | "success" | "warning"] {
  if (revoked(c)) return ["Révoqué", "error"];
  if (c.actif === false || (!!c.valide_au && c.valide_au < today())) return ["Hors période de validité", "warning"];
  return ["Actif", "success"];
}

export function AdminClientsApiPage() {
  useTitle("Clients de l'API");
  const list = useAsync(() => listClientsApi().then(r => r.items), []);
  const [nom, setNom] = useState("");
  const [scopes, setScopes] = useState<ApiScope[]>(["activites"]);
  const [du, setDu] = useState(today());
  const [au, setAu] = useState("");
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [created, setCreated] = useState<ClientApiCreated | null>(null);
  const errors = {
    nom: nom.trim() ? null : "Le nom du client est obligatoire.",
    scopes: scopes.length ? null : "Choisissez au moins une autorisation.",
    valide_du: du ? null : "La date de début est obligatoire.",
    valide_au: au && du && au < du ? "La date de fin doit être postérieure à la date de début." : null
  };
  const show = (k: keyof typeof errors) => (submitted || (k === "valide_au" && au) ? errors[k] : null) ?? error?.fields[k] ?? null;

  return (
    <div className="fr-container fr-my-4w">
      <Breadcrumb currentPageLabel="Clients de l'API" homeLinkProps={{ to: "/" }} segments={[{ label: "Administration", linkProps: { to: "/admin/utilisateurs" } }]} />
      <h1>Clients de l'API</h1>
      <p>
        Les clients de l'API publique v1 (<code>/api/v1/…</code>) s'authentifient avec un identifiant et un secret. Le secret n'est
        affiché qu'une fois, à la création : il est ensuite conservé chiffré et ne peut plus être relu.
      </p>
      {created && (
        <Alert
          severity="success"
          as="h2"
          title={`Client « ${created.nom} » créé`}
          className="fr-mb-4w"
          description={
            <>
              <p>Copiez le secret maintenant : il ne sera plus jamais affiché.</p>
              <CopyValue label="Identifiant du client (client_id)" value={created.client_id} id="client-id" />
              <CopyValue label="Secret du client (client_secret)" value={created.client_secret} id="client-secret" />
            </>
          }
        />
      )}
      <section aria-labelledby="titre-nouveau-client" className="fr-mb-4w">
        <h2 id="titre-nouveau-client" className="fr-h4">
          Nouveau client
        </h2>
        <form
          noValidate
          className="coop-form-narrow"
          aria-labelledby="titre-nouveau-client"
          onSubmit={async e => {
            e.preventDefault();
            setSubmitted(true);
            if (Object.values(errors).some(Boolean)) return;
            setBusy(true);
            setError(null);
            try {
              const c = await createClientApi({ nom: nom.trim(), scopes, valide_du: du, valide_au: au || null });
              setCreated(c);
              setNom("");
              setSubmitted(false);
              list.reload();
            } catch (err) {
              setError(isApiError(err) ? err : new ApiError(0, "inconnu", "Une erreur inattendue est survenue."));
            } finally {
              setBusy(false);
            }
          }}
        >
          <ErrorAlert error={error} title="Le client n'a pas été créé" />
          <Input
            label="Nom du client"
            hintText="Par exemple : Observatoire départemental du Rhône"
            {...(show("nom") ? { state: "error" as const, stateRelatedMessage: show("nom") } : {})}
            nativeInputProps={{ id: "client-nom", name: "nom", value: nom, onChange: e => setNom(e.target.value), autoComplete: "off" }}
          />
          <Checkbox
            legend="Autorisations (scopes)"
            state={show("scopes") ? "error" : "default"}
            stateRelatedMessage={show("scopes") ?? undefined}
            options={SCOPES.map(([c, l]) => ({
              label: l,
              hintText: c,
              nativeInputProps: {
                name: "scopes",
                value: c,
                checked: scopes.includes(c),
                onChange: ev => setScopes(prev => (ev.target.checked ? [...prev, c] : prev.filter(x => x !== c)))
              }
            }))}
          />
          <div className="coop-inline-form fr-mb-3w">
            <Input
              label="Valide du"
              {...(show("valide_du") ? { state: "error" as const, stateRelatedMessage: show("valide_du") } : {})}
              nativeInputProps={{ id: "client-du", type: "date", value: du, onChange: e => setDu(e.target.value) }}
            />
            <Input
              label="au (facultatif)"
              {...(show("valide_au") ? { state: "error" as const, stateRelatedMessage: show("valide_au") } : {})}
              nativeInputProps={{ id: "client-au", type: "date", value: au, onChange: e => setAu(e.target.value) }}
            />
          </div>
          <Button type="submit" disabled={busy} iconId="ri-key-2-line">
            {busy ? "Création…" : "Créer le client"}
          </Button>
        </form>
      </section>
      <section aria-labelledby="titre-clients">
        <h2 id="titre-clients" className="fr-h4">
          Clients existants
        </h2>
        {list.error ? (
          <LoadError error={list.error} what="les clients de l'API" />
        ) : !list.data ? (
          <p role="status">Chargement des clients…</p>
        ) : list.data.length === 0 ? (
          <Alert severity="info" small description="Aucun client de l'API pour le moment." />
        ) : (
          <div className="fr-table fr-table--no-caption">
            <div className="fr-table__wrapper">
              <div className="fr-table__container">
                <div className="fr-table__content">
                  <table>
                    <caption>Clients de l'API</caption>
                    <thead>
                      <tr>
                        <th scope="col">Nom</th>
                        <th scope="col">Identifiant</th>
                        <th scope="col">Autorisations</th>
                        <th scope="col">Validité</th>
                        <th scope="col">État</th>
                        <th scope="col">Actions</th>
                      </tr>
                    </thead>
                    <tbody>
                      {list.data.map(c => (
                        <tr key={c.id} data-client={c.client_id}>
                          <td>{c.nom}</td>
                          <td className="coop-secret">{c.client_id}</td>
                          <td>{c.scopes.join(", ")}</td>
                          <td>
                            du {formatDate(c.valide_du)}
                            {c.valide_au ? ` au ${formatDate(c.valide_au)}` : ""}
                          </td>
                          <td>
                            <Badge small noIcon severity={etat(c)[1]}>
                              {etat(c)[0]}
                            </Badge>
                          </td>
                          <td>
                            {!revoked(c) && (
                              <ConfirmButton
                                iconId="fr-icon-close-circle-line"
                                label="Révoquer"
                                confirmLabel="Confirmer la révocation"
                                question={`Révoquer « ${c.nom} » ? Ses appels seront refusés immédiatement.`}
                                onConfirm={async () => {
                                  try {
                                    await revokeClientApi(c.id);
                                    list.reload();
                                  } catch (err) {
                                    setError(isApiError(err) ? err : new ApiError(0, "inconnu", "Une erreur inattendue est survenue."));
                                  }
                                }}
                              />
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </div>
            </div>
          </div>
        )}
      </section>
    </div>
  );
}
