/**
 * "Partager cette vue": creates a public, read-only link to the current view (POST
 * /api/statistiques/partages), shows it once with a copy button, and lists the user's links with
 * their revocation.
 */
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { createModal } from "@codegouvfr/react-dsfr/Modal";
import { useIsModalOpen } from "@codegouvfr/react-dsfr/Modal/useIsModalOpen";
import { useEffect, useState } from "react";
import { ApiError, isApiError } from "../../api/client";
import {
  createPartage,
  listPartages,
  revokePartage,
  type StatistiquesPartage,
  type StatistiquesPartageCree
} from "../../api/statistiques";
import { CopyLink } from "../../components/CopyLink";
import { ErrorAlert } from "../../components/ErrorAlert";
import { formatDateTime } from "../../lib/format";
import { TableDsfr } from "./TableauDonnees";

export const partageModal = createModal({ id: "partage-statistiques", isOpenedByDefault: false });

function absolute(url: string): string {
  try {
    return new URL(url, window.location.origin).toString();
  } catch {
    return url;
  }
}

export function PartageDialog({
  requete,
  titreParDefaut,
  perimetres
}: {
  requete: string;
  titreParDefaut: string;
  /** Names of the périmètres, by code. */
  perimetres: Record<string, string>;
}) {
  const open = useIsModalOpen(partageModal);
  // A view filtered by beneficiary is the mediator's personal data: the API refuses to share it.
  const parBeneficiaire = new URLSearchParams(requete).has("beneficiaires");
  const [titre, setTitre] = useState(titreParDefaut);
  const [titreError, setTitreError] = useState<string | null>(null);
  const [cree, setCree] = useState<StatistiquesPartageCree | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [partages, setPartages] = useState<StatistiquesPartage[] | null>(null);
  const [listError, setListError] = useState<ApiError | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const reload = () =>
    listPartages()
      .then(r => {
        setPartages(r.partages);
        setListError(null);
      })
      .catch(e => setListError(isApiError(e) ? e : new ApiError(0, "inconnu", "Une erreur inattendue est survenue.")));

  useEffect(() => {
    if (!open) return;
    setTitre(titreParDefaut);
    setCree(null);
    setError(null);
    setMessage(null);
    void reload();
  }, [open]); // eslint-disable-line react-hooks/exhaustive-deps

  const submit = async () => {
    const t = titre.trim();
    if (!t) {
      setTitreError("Donnez un titre au partage.");
      return;
    }
    setTitreError(null);
    setBusy(true);
    try {
      const p = await createPartage(t, requete);
      setCree(p);
      setError(null);
      void reload();
    } catch (e) {
      const err = isApiError(e) ? e : new ApiError(0, "inconnu", "Une erreur inattendue est survenue.");
      if (err.fields.titre) setTitreError(err.fields.titre);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <partageModal.Component title="Partager cette vue" size="large" concealingBackdrop>
      <p>
        Le lien public montre ces statistiques (mêmes périmètre, période et filtres), en lecture seule et sans données
        personnelles, à toute personne qui le reçoit, sans connexion. Vous pouvez le révoquer à tout moment.
      </p>
      {parBeneficiaire ? (
        <Alert
          severity="warning"
          small
          className="fr-mb-3w"
          description="Cette vue est filtrée par bénéficiaire : elle ne peut pas être partagée, car elle porte sur des données personnelles. Retirez le filtre « Bénéficiaires suivis » pour créer un lien public."
        />
      ) : cree ? (
        <div className="fr-mb-3w">
          <Alert severity="success" small description="Lien créé. Copiez-le maintenant : il ne sera plus affiché." className="fr-mb-2w" />
          <CopyLink label="Lien public" value={absolute(cree.url)} />
        </div>
      ) : (
        <form
          noValidate
          onSubmit={e => {
            e.preventDefault();
            void submit();
          }}
          className="fr-mb-3w"
        >
          <Input
            label="Titre du partage"
            hintText="Il s'affiche en tête de la page publique."
            state={titreError ? "error" : "default"}
            stateRelatedMessage={titreError ?? undefined}
            nativeInputProps={{ id: "partage-titre", name: "titre", value: titre, maxLength: 120, onChange: e => setTitre(e.target.value) }}
          />
          <ErrorAlert error={error && !error.fields.titre ? error : null} as="h2" title="Le lien n'a pas pu être créé" />
          <Button type="submit" disabled={busy} iconId="fr-icon-link">
            Créer le lien public
          </Button>
        </form>
      )}
      <h2 className="fr-h6">Mes liens de partage</h2>
      {message && <p role="status" className="fr-text--sm">{message}</p>}
      {listError && <Alert severity="error" small description={listError.message} />}
      {partages && partages.length === 0 && <p className="fr-text--sm">Aucun lien de partage.</p>}
      {partages && partages.length > 0 && (
        <TableDsfr className="fr-table--sm fr-table--no-caption">
          <table data-testid="table-partages">
                  <caption>Mes liens de partage</caption>
                  <thead>
                    <tr>
                      <th scope="col">Titre</th>
                      <th scope="col">Périmètre</th>
                      <th scope="col">Créé le</th>
                      <th scope="col">État</th>
                      <th scope="col">Action</th>
                    </tr>
                  </thead>
                  <tbody>
                    {partages.map(p => (
                      <tr key={p.id} data-id={p.id}>
                        <th scope="row">{p.titre}</th>
                        <td>{perimetres[p.perimetre] ?? p.perimetre}</td>
                        <td>{formatDateTime(p.created_at)}</td>
                        <td>{p.revoked_at ? `Révoqué le ${formatDateTime(p.revoked_at)}` : "Actif"}</td>
                        <td>
                          {!p.revoked_at && (
                            <Button
                              type="button"
                              size="small"
                              priority="tertiary"
                              nativeButtonProps={{ "aria-label": `Révoquer : ${p.titre}` }}
                              onClick={async () => {
                                try {
                                  await revokePartage(p.id);
                                  setMessage(`Lien « ${p.titre} » révoqué : il ne fonctionne plus.`);
                                  void reload();
                                } catch (e) {
                                  setMessage(isApiError(e) ? e.message : "La révocation a échoué.");
                                }
                              }}
                            >
                              Révoquer
                            </Button>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
        </TableDsfr>
      )}
    </partageModal.Component>
  );
}
