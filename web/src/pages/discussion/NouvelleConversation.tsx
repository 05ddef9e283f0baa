import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { Tag } from "@codegouvfr/react-dsfr/Tag";
import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { ApiError, isApiError } from "../../api/client";
import { ajouterMembre, createCanal, createDirect } from "../../api/discussion";
import type { PersonneTrouvee } from "../../api/discussionTypes";
import { ErrorAlert } from "../../components/ErrorAlert";
import { PersonnePicker } from "./PersonnePicker";

/** A direct message (1 to 7 others) or a private group with its first members. */
export function NouvelleConversation({ onCree }: { onCree: () => void }) {
  const navigate = useNavigate();
  const [genre, setGenre] = useState<"direct" | "groupe">("direct");
  const [personnes, setPersonnes] = useState<PersonneTrouvee[]>([]);
  const [nom, setNom] = useState("");
  const [description, setDescription] = useState("");
  const [erreur, setErreur] = useState<ApiError | null>(null);
  const [envoi, setEnvoi] = useState(false);
  const max = genre === "direct" ? 7 : 50;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setErreur(null);
    const champs: Record<string, string> = {};
    if (genre === "direct" && personnes.length === 0) champs.personnes = "Choisissez au moins une personne.";
    if (genre === "direct" && personnes.length > 7) champs.personnes = "Un message direct réunit 8 personnes au plus (vous comprise).";
    if (genre === "groupe" && !nom.trim()) champs.nom = "Donnez un nom au groupe.";
    if (Object.keys(champs).length) {
      setErreur(new ApiError(400, "validation", "La conversation n'a pas été créée.", champs));
      return;
    }
    setEnvoi(true);
    try {
      if (genre === "direct") {
        const c = await createDirect(personnes.map(p => p.id));
        onCree();
        navigate(`/discussion/${c.id}`);
      } else {
        const c = await createCanal({ type: "groupe", nom: nom.trim(), description: description.trim() });
        for (const p of personnes) await ajouterMembre(c.id, p.id);
        onCree();
        navigate(`/discussion/${c.id}`);
      }
    } catch (err) {
      if (isApiError(err)) setErreur(err);
    } finally {
      setEnvoi(false);
    }
  };

  return (
    <section aria-labelledby="nouvelle-titre" className="coop-discussion__colonne coop-discussion__outil-contenu">
      <div className="coop-discussion__entete">
        <Link to="/discussion" className={fr.cx("fr-link", "fr-link--sm", "fr-link--icon-left", "fr-icon-arrow-left-line")} data-retour>
          Canaux
        </Link>
        <h2 id="nouvelle-titre" className={fr.cx("fr-h5", "fr-mb-0")}>
          Nouvelle conversation
        </h2>
      </div>
      <form onSubmit={submit} noValidate>
        <RadioButtons
          legend="Type de conversation"
          orientation="horizontal"
          options={[
            { label: "Message direct", hintText: "Avec 1 à 7 personnes", nativeInputProps: { checked: genre === "direct", onChange: () => setGenre("direct"), name: "genre", value: "direct" } },
            { label: "Groupe privé", hintText: "Sur invitation, avec des sujets", nativeInputProps: { checked: genre === "groupe", onChange: () => setGenre("groupe"), name: "genre", value: "groupe" } }
          ]}
        />
        <ErrorAlert error={erreur && !Object.keys(erreur.fields).length ? erreur : null} as="h3" />
        {genre === "groupe" && (
          <>
            <Input
              label="Nom du groupe"
              state={erreur?.fields.nom ? "error" : "default"}
              stateRelatedMessage={erreur?.fields.nom}
              nativeInputProps={{ value: nom, onChange: e => setNom(e.target.value), name: "nom", maxLength: 80 }}
            />
            <Input label="Description (facultative)" nativeInputProps={{ value: description, onChange: e => setDescription(e.target.value), name: "description" }} />
          </>
        )}
        {personnes.length < max && (
          <PersonnePicker
            label={genre === "direct" ? "Avec qui ?" : "Inviter des membres"}
            name="personnes"
            exclure={personnes.map(p => p.id)}
            onChange={p => p && setPersonnes(l => (l.some(x => x.id === p.id) ? l : [...l, p]))}
          />
        )}
        {erreur?.fields.personnes && (
          <p className="fr-error-text fr-mt-0 fr-mb-2w" id="personnes-erreur">
            {erreur.fields.personnes}
          </p>
        )}
        {personnes.length > 0 && (
          <ul className="fr-tags-group" aria-label="Personnes choisies">
            {personnes.map(p => (
              <li key={p.id}>
                <Tag dismissible nativeButtonProps={{ onClick: () => setPersonnes(l => l.filter(x => x.id !== p.id)), "aria-label": `Retirer ${p.nom}` }}>
                  {p.nom}
                </Tag>
              </li>
            ))}
          </ul>
        )}
        <Button type="submit" disabled={envoi}>
          {genre === "direct" ? "Ouvrir la conversation" : "Créer le groupe"}
        </Button>
      </form>
    </section>
  );
}
