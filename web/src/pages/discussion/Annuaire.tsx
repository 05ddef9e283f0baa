import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { ApiError, isApiError } from "../../api/client";
import { createCanal, listAnnuaire, quitter, rejoindre } from "../../api/discussion";
import type { Canal } from "../../api/discussionTypes";
import { ErrorAlert } from "../../components/ErrorAlert";
import { LoadError } from "../../components/LoadError";
import { useAsync } from "../../lib/useAsync";
import { TYPE_LIBELLE, pluriel } from "./outils";

function NouveauCanal({ onCree }: { onCree: (c: Canal) => void }) {
  const [nom, setNom] = useState("");
  const [description, setDescription] = useState("");
  const [erreur, setErreur] = useState<ApiError | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!nom.trim()) {
      setErreur(new ApiError(400, "validation", "Le canal n'a pas été créé.", { nom: "Donnez un nom au canal." }));
      return;
    }
    try {
      onCree(await createCanal({ type: "theme", nom: nom.trim(), description: description.trim() }));
    } catch (err) {
      if (isApiError(err)) setErreur(err);
    }
  };
  return (
    <form onSubmit={submit} noValidate aria-labelledby="nouveau-canal-titre" className="fr-mt-3w">
      <h3 id="nouveau-canal-titre" className="fr-h6">
        Créer un canal thématique
      </h3>
      <ErrorAlert error={erreur && !erreur.fields.nom && !erreur.fields.description ? erreur : null} as="h4" />
      <Input
        label="Nom du canal"
        state={erreur?.fields.nom ? "error" : "default"}
        stateRelatedMessage={erreur?.fields.nom}
        nativeInputProps={{ value: nom, onChange: e => setNom(e.target.value), name: "nom", maxLength: 80 }}
      />
      <Input
        label="Description"
        hintText="À quoi sert ce canal, en une phrase."
        textArea
        state={erreur?.fields.description ? "error" : "default"}
        stateRelatedMessage={erreur?.fields.description}
        nativeTextAreaProps={{ value: description, onChange: e => setDescription(e.target.value), name: "description", rows: 2 }}
      />
      <Button type="submit" size="small">
        Créer le canal
      </Button>
    </form>
  );
}

export function Annuaire({ onChange }: { onChange: () => void }) {
  const navigate = useNavigate();
  const [q, setQ] = useState("");
  const [recherche, setRecherche] = useState("");
  const annuaire = useAsync(() => listAnnuaire(recherche), [recherche]);
  const [erreur, setErreur] = useState<ApiError | null>(null);
  const [annonce, setAnnonce] = useState("");

  const basculer = async (c: Canal) => {
    setErreur(null);
    try {
      if (c.membre) await quitter(c.id);
      else await rejoindre(c.id);
      annuaire.setData(d => d && { items: d.items.map(x => (x.id === c.id ? { ...x, membre: !c.membre, nb_membres: x.nb_membres + (c.membre ? -1 : 1) } : x)) });
      setAnnonce(c.membre ? `Vous avez quitté ${c.nom}.` : `Vous avez rejoint ${c.nom}.`);
      onChange();
    } catch (e) {
      if (isApiError(e)) setErreur(e);
    }
  };

  return (
    <section aria-labelledby="annuaire-titre" className="coop-discussion__colonne coop-discussion__outil-contenu">
      <div className="coop-discussion__entete">
        <Link to="/discussion" className={fr.cx("fr-link", "fr-link--sm", "fr-link--icon-left", "fr-icon-arrow-left-line")} data-retour>
          Canaux
        </Link>
        <h2 id="annuaire-titre" className={fr.cx("fr-h5", "fr-mb-0")}>
          Canaux thématiques
        </h2>
        <p className={fr.cx("fr-text--sm", "fr-mb-0")}>Parcourez les canaux ouverts à tous et rejoignez ceux qui vous intéressent.</p>
      </div>
      <form
        role="search"
        aria-label="Chercher un canal"
        onSubmit={e => {
          e.preventDefault();
          setRecherche(q.trim());
        }}
        className="coop-discussion__recherche"
      >
        <Input label="Chercher un canal" nativeInputProps={{ type: "search", value: q, onChange: e => setQ(e.target.value), name: "q" }} />
        <Button type="submit" size="small" priority="secondary" iconId="fr-icon-search-line">
          Chercher
        </Button>
      </form>
      <p className="fr-sr-only" role="status">
        {annonce}
      </p>
      <ErrorAlert error={erreur} as="h3" />
      {annuaire.error ? (
        <LoadError error={annuaire.error} what="les canaux" />
      ) : !annuaire.data ? (
        <p className="fr-text--sm" role="status">
          Chargement des canaux…
        </p>
      ) : annuaire.data.items.length === 0 ? (
        <p className="fr-text--sm">Aucun canal {recherche ? "ne correspond à cette recherche" : "thématique pour le moment"}.</p>
      ) : (
        <ul className="coop-discussion__resultats" aria-label="Canaux à rejoindre">
          {annuaire.data.items.map(c => (
            <li key={c.id} className="coop-discussion__resultat">
              <h3 className={fr.cx("fr-text--md", "fr-text--bold", "fr-mb-0")}>
                <Link to={`/discussion/${c.id}`}># {c.nom}</Link>
              </h3>
              <p className={fr.cx("fr-text--xs", "fr-hint-text", "fr-mb-0")}>
                {TYPE_LIBELLE[c.type]} · {pluriel(c.nb_membres, "membre", "membres")}
                {c.membre && " · vous en êtes membre"}
              </p>
              {c.description && <p className={fr.cx("fr-text--sm", "fr-mb-1w")}>{c.description}</p>}
              <Button type="button" size="small" priority={c.membre ? "tertiary" : "primary"} onClick={() => void basculer(c)} nativeButtonProps={{ "aria-label": `${c.membre ? "Quitter" : "Rejoindre"} ${c.nom}` }}>
                {c.membre ? "Quitter" : "Rejoindre"}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <NouveauCanal
        onCree={c => {
          onChange();
          navigate(`/discussion/${c.id}`);
        }}
      />
    </section>
  );
}
