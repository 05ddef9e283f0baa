/**
 * « Déplacer les messages » (channel moderators and admins): the messages ticked in a topic go to
 * another topic of the channel, an existing one or a new one (POST /api/discussion/messages/deplacement).
 * A DSFR modal; the focus goes back to the button that opened it when it closes.
 */
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { createModal } from "@codegouvfr/react-dsfr/Modal";
import { useIsModalOpen } from "@codegouvfr/react-dsfr/Modal/useIsModalOpen";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { ApiError, isApiError } from "../../api/client";
import { deplacerMessages, listSujets } from "../../api/discussion";
import type { Sujet } from "../../api/discussionTypes";
import { ErrorAlert } from "../../components/ErrorAlert";
import { pluriel } from "./outils";

export const deplacerModal = createModal({ id: "discussion-deplacer", isOpenedByDefault: false });

export function DeplacerMessages({
  canalId,
  sujetId,
  messageIds,
  retour,
  onDeplace
}: {
  canalId: number;
  sujetId: number;
  messageIds: number[];
  /** Where the focus goes back when the dialog closes. */
  retour: React.RefObject<HTMLElement | null>;
  onDeplace: (destination: Sujet) => void;
}) {
  const ouvert = useIsModalOpen(deplacerModal, {
    onConceal: () => setTimeout(() => retour.current?.focus(), 0)
  });
  const [mode, setMode] = useState<"nouveau" | "existant">("nouveau");
  const [titre, setTitre] = useState("");
  const [cible, setCible] = useState("");
  const [sujets, setSujets] = useState<Sujet[] | null>(null);
  const [erreur, setErreur] = useState<ApiError | null>(null);
  const [envoi, setEnvoi] = useState(false);
  const titreRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!ouvert) return;
    setErreur(null);
    setTitre("");
    setCible("");
    setMode("nouveau");
    listSujets(canalId)
      .then(r => setSujets(r.items.filter(s => s.id !== sujetId)))
      .catch(e => isApiError(e) && setErreur(e));
  }, [ouvert, canalId, sujetId]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (mode === "nouveau" && !titre.trim()) {
      setErreur(new ApiError(400, "validation", "Choisissez la destination des messages.", { sujet: "Donnez un titre au nouveau sujet." }));
      titreRef.current?.focus();
      return;
    }
    if (mode === "existant" && !cible) {
      setErreur(new ApiError(400, "validation", "Choisissez la destination des messages.", { sujet_id: "Choisissez un sujet." }));
      return;
    }
    setEnvoi(true);
    setErreur(null);
    try {
      const d = await deplacerMessages(messageIds, mode === "nouveau" ? { sujet: titre.trim() } : { sujet_id: Number(cible) });
      deplacerModal.close();
      onDeplace(d);
    } catch (err) {
      if (isApiError(err)) setErreur(err);
    } finally {
      setEnvoi(false);
    }
  };

  const erreurTitre = erreur?.fields.sujet;
  const erreurCible = erreur?.fields.sujet_id;
  return (
    <deplacerModal.Component title="Déplacer les messages" concealingBackdrop>
      <form onSubmit={submit} noValidate id="discussion-deplacer-form">
        <p>{pluriel(messageIds.length, "message sélectionné", "messages sélectionnés")} : choisissez leur nouveau sujet dans ce canal.</p>
        <ErrorAlert error={erreur && !erreurTitre && !erreurCible ? erreur : null} as="h2" />
        <RadioButtons
          legend="Destination"
          name="destination"
          options={[
            { label: "Un nouveau sujet", nativeInputProps: { value: "nouveau", checked: mode === "nouveau", onChange: () => setMode("nouveau") } },
            {
              label: "Un sujet existant",
              nativeInputProps: { value: "existant", checked: mode === "existant", onChange: () => setMode("existant"), disabled: sujets !== null && sujets.length === 0 }
            }
          ]}
        />
        {mode === "nouveau" ? (
          <Input
            label="Titre du nouveau sujet"
            state={erreurTitre ? "error" : "default"}
            stateRelatedMessage={erreurTitre}
            nativeInputProps={{ value: titre, onChange: e => setTitre(e.target.value), maxLength: 120, name: "sujet", ref: titreRef }}
          />
        ) : (
          <Select
            label="Sujet de destination"
            state={erreurCible ? "error" : "default"}
            stateRelatedMessage={erreurCible}
            nativeSelectProps={{ value: cible, onChange: e => setCible(e.target.value), name: "sujet_id" }}
          >
            <option value="" disabled>
              Choisissez un sujet
            </option>
            {(sujets ?? []).map(s => (
              <option key={s.id} value={s.id}>
                {s.titre}
              </option>
            ))}
          </Select>
        )}
        <div className="coop-actions">
          <Button type="submit" disabled={envoi || messageIds.length === 0}>
            Déplacer
          </Button>
          <Button type="button" priority="secondary" onClick={() => deplacerModal.close()}>
            Annuler
          </Button>
        </div>
      </form>
    </deplacerModal.Component>
  );
}
