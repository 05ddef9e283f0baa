/**
 * « Paramètres du canal » (its moderators and admins): name and description (thematic,
 * announcement channels and private groups; the territories' channels are named after them), and
 * archive / unarchive (PATCH /api/discussion/canaux/{id}). An archived channel stays readable, no
 * one writes in it. A DSFR modal; the focus goes back to the button that opened it.
 */
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { createModal } from "@codegouvfr/react-dsfr/Modal";
import { useIsModalOpen } from "@codegouvfr/react-dsfr/Modal/useIsModalOpen";
import { useEffect, useState, type FormEvent } from "react";
import { ApiError, isApiError } from "../../api/client";
import { updateCanal } from "../../api/discussion";
import type { Canal } from "../../api/discussionTypes";
import { ErrorAlert } from "../../components/ErrorAlert";

export const parametresModal = createModal({ id: "discussion-parametres", isOpenedByDefault: false });

export function ParametresCanal({
  canal,
  retour,
  onAnnonce,
  onChange
}: {
  canal: Canal;
  retour: React.RefObject<HTMLElement | null>;
  onAnnonce: (s: string) => void;
  onChange: () => void;
}) {
  const ouvert = useIsModalOpen(parametresModal, { onConceal: () => setTimeout(() => retour.current?.focus(), 0) });
  const nommable = canal.type === "theme" || canal.type === "groupe" || canal.type === "annonces";
  const [nom, setNom] = useState(canal.nom);
  const [description, setDescription] = useState(canal.description);
  const [erreur, setErreur] = useState<ApiError | null>(null);
  const [envoi, setEnvoi] = useState(false);
  const [confirmer, setConfirmer] = useState(false);
  const [fait, setFait] = useState<string | null>(null);

  useEffect(() => {
    if (!ouvert) return;
    setNom(canal.nom);
    setDescription(canal.description);
    setErreur(null);
    setConfirmer(false);
    setFait(null);
  }, [ouvert]); // eslint-disable-line react-hooks/exhaustive-deps

  const envoyer = async (corps: { nom?: string; description?: string; archive?: boolean }, message: string) => {
    setEnvoi(true);
    setErreur(null);
    try {
      await updateCanal(canal.id, corps);
      setFait(message);
      onAnnonce(message);
      onChange();
      return true;
    } catch (e) {
      if (isApiError(e)) setErreur(e);
      return false;
    } finally {
      setEnvoi(false);
    }
  };

  const enregistrer = async (e: FormEvent) => {
    e.preventDefault();
    if (!nom.trim()) {
      setErreur(new ApiError(400, "validation", "Le canal n'a pas pu être modifié.", { nom: "Donnez un nom au canal." }));
      return;
    }
    await envoyer({ nom: nom.trim(), description: description.trim() }, "Paramètres du canal enregistrés.");
  };

  const archiver = async () => {
    const ok = await envoyer({ archive: !canal.archive }, canal.archive ? "Le canal est de nouveau ouvert à l'écriture." : "Le canal est archivé : il reste lisible, on n'y écrit plus.");
    if (ok) setConfirmer(false);
  };

  return (
    <parametresModal.Component title="Paramètres du canal" concealingBackdrop>
      {fait && <Alert severity="success" small description={fait} className="fr-mb-2w" />}
      <ErrorAlert error={erreur && !erreur.fields.nom && !erreur.fields.description ? erreur : null} as="h2" />
      {nommable ? (
        <form onSubmit={enregistrer} noValidate className="fr-mb-4w">
          <Input
            label="Nom du canal"
            state={erreur?.fields.nom ? "error" : "default"}
            stateRelatedMessage={erreur?.fields.nom}
            nativeInputProps={{ value: nom, onChange: e => setNom(e.target.value), maxLength: 80, name: "nom" }}
          />
          <Input
            label="Description"
            hintText="Facultative, 500 caractères au plus."
            textArea
            state={erreur?.fields.description ? "error" : "default"}
            stateRelatedMessage={erreur?.fields.description}
            nativeTextAreaProps={{ value: description, onChange: e => setDescription(e.target.value), maxLength: 500, rows: 3, name: "description" }}
          />
          <Button type="submit" disabled={envoi}>
            Enregistrer
          </Button>
        </form>
      ) : (
        <p>Le nom de ce canal suit son territoire : il ne se modifie pas.</p>
      )}
      <h2 className="fr-h6">{canal.archive ? "Canal archivé" : "Archiver le canal"}</h2>
      <p className="fr-text--sm">
        {canal.archive
          ? "Son historique reste lisible ; personne n'y écrit. Le désarchiver permet à ses membres d'y écrire de nouveau."
          : "Son historique reste lisible par ses membres ; personne ne pourra plus y écrire ni y réagir."}
      </p>
      {canal.archive ? (
        <Button type="button" priority="secondary" iconId="fr-icon-refresh-line" disabled={envoi} onClick={() => void archiver()}>
          Désarchiver le canal
        </Button>
      ) : confirmer ? (
        <div className="coop-actions">
          <Button type="button" iconId="fr-icon-archive-line" disabled={envoi} nativeButtonProps={{ autoFocus: true }} onClick={() => void archiver()}>
            Confirmer l'archivage
          </Button>
          <Button type="button" priority="secondary" onClick={() => setConfirmer(false)}>
            Annuler
          </Button>
        </div>
      ) : (
        <Button type="button" priority="secondary" iconId="fr-icon-archive-line" onClick={() => setConfirmer(true)}>
          Archiver le canal
        </Button>
      )}
    </parametresModal.Component>
  );
}
