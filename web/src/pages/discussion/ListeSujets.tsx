import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { ApiError, isApiError } from "../../api/client";
import { posterMessage, quitter, rejoindre, signalerFrappe } from "../../api/discussion";
import type { Canal, Sujet } from "../../api/discussionTypes";
import { ErrorAlert } from "../../components/ErrorAlert";
import { LoadError } from "../../components/LoadError";
import { useDiscussionEvents } from "./DiscussionContext";
import { Compteurs } from "./ListeCanaux";
import { MembresCanal, membresModal } from "./MembresCanal";
import { ParametresCanal, parametresModal } from "./ParametresCanal";
import { TYPE_LIBELLE, activite, pluriel } from "./outils";

function NouveauSujet({ canal, onFini, onCree }: { canal: Canal; onFini: () => void; onCree: (sujetId: number) => void }) {
  const [titre, setTitre] = useState("");
  const [texte, setTexte] = useState("");
  const [erreur, setErreur] = useState<ApiError | null>(null);
  const [envoi, setEnvoi] = useState(false);
  const derniereFrappe = useRef(0);
  // « Prénom Nom écrit un nouveau sujet… » for the others, at most every 3 s.
  const frappe = () => {
    const maintenant = Date.now();
    if (maintenant - derniereFrappe.current < 3000) return;
    derniereFrappe.current = maintenant;
    void signalerFrappe(canal.id, null).catch(() => undefined);
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const manque: Record<string, string> = {};
    if (!titre.trim()) manque.sujet = "Donnez un titre au sujet.";
    if (!texte.trim()) manque.texte = "Écrivez le premier message du sujet.";
    if (Object.keys(manque).length) {
      setErreur(new ApiError(400, "validation", "Le sujet n'a pas pu être créé.", manque));
      return;
    }
    setEnvoi(true);
    try {
      const m = await posterMessage(canal.id, { sujet: titre.trim(), texte });
      onCree(m.sujet_id);
    } catch (err) {
      if (isApiError(err)) setErreur(err);
    } finally {
      setEnvoi(false);
    }
  };
  return (
    <form onSubmit={submit} className="coop-discussion__nouveau-sujet" noValidate aria-labelledby="nouveau-sujet-titre">
      <h3 id="nouveau-sujet-titre" className="fr-h6 fr-mb-2w">
        Nouveau sujet
      </h3>
      <ErrorAlert error={erreur && !erreur.fields.sujet && !erreur.fields.texte ? erreur : null} as="h4" />
      <Input
        label="Titre du sujet"
        state={erreur?.fields.sujet ? "error" : "default"}
        stateRelatedMessage={erreur?.fields.sujet}
        nativeInputProps={{ value: titre, onChange: e => { setTitre(e.target.value); frappe(); }, maxLength: 120, name: "sujet", autoFocus: true }}
      />
      <Input
        label="Premier message"
        textArea
        state={erreur?.fields.texte ? "error" : "default"}
        stateRelatedMessage={erreur?.fields.texte}
        nativeTextAreaProps={{ value: texte, onChange: e => { setTexte(e.target.value); frappe(); }, rows: 3, name: "texte" }}
      />
      <div className="coop-actions">
        <Button type="submit" size="small" disabled={envoi}>
          Créer le sujet
        </Button>
        <Button type="button" size="small" priority="secondary" onClick={onFini}>
          Annuler
        </Button>
      </div>
    </form>
  );
}

export function ListeSujets({
  canal,
  moiId,
  sujets,
  erreur,
  actif,
  onChange,
  onAnnonce
}: {
  canal: Canal;
  moiId: number | null;
  sujets: Sujet[] | null;
  erreur: ApiError | null;
  actif: number | null;
  onChange: () => void;
  onAnnonce: (s: string) => void;
}) {
  const navigate = useNavigate();
  const [creation, setCreation] = useState(false);
  const [erreurAction, setErreurAction] = useState<ApiError | null>(null);
  const peutQuitter = canal.type === "theme" || canal.type === "annonces" || canal.type === "groupe";
  const boutonMembres = useRef<HTMLButtonElement>(null);
  const boutonParametres = useRef<HTMLButtonElement>(null);
  // Those writing a new topic (typing notices without sujet_id), each until 6 s after their last.
  const [nouveaux, setNouveaux] = useState<Map<number, { nom: string; jusqua: number }>>(new Map());
  useDiscussionEvents({
    onEvent: e => {
      if (e.canal_id !== canal.id) return;
      const d = e.data as { user_id?: number; nom?: string; sujet_id?: number | null };
      if (e.evenement === "frappe" && d.user_id && d.user_id !== moiId && d.sujet_id == null) {
        const qui = d.user_id;
        setNouveaux(p => new Map(p).set(qui, { nom: d.nom ?? "Quelqu'un", jusqua: Date.now() + 6000 }));
      } else if (e.evenement === "sujet" && (e.data as { action?: string }).action === "cree") {
        setNouveaux(new Map());
      }
    }
  });
  useEffect(() => {
    if (!nouveaux.size) return;
    const t = setTimeout(() => {
      const now = Date.now();
      setNouveaux(p => new Map([...p].filter(([, v]) => v.jusqua > now)));
    }, 1000);
    return () => clearTimeout(t);
  }, [nouveaux]);
  useEffect(() => setNouveaux(new Map()), [canal.id]);
  const ecrivent = [...nouveaux.values()].map(v => v.nom);
  const action = async (f: () => Promise<unknown>, message: string) => {
    setErreurAction(null);
    try {
      await f();
      onAnnonce(message);
      onChange();
    } catch (e) {
      if (isApiError(e)) setErreurAction(e);
    }
  };
  return (
    <section aria-labelledby="canal-titre" className="coop-discussion__colonne">
      <div className="coop-discussion__entete">
        <Link to="/discussion" className={fr.cx("fr-link", "fr-link--sm", "fr-link--icon-left", "fr-icon-arrow-left-line")} data-retour>
          Canaux
        </Link>
        <h2 id="canal-titre" className={fr.cx("fr-h5", "fr-mb-0")}>
          <span aria-hidden="true"># </span>
          {canal.nom}
        </h2>
        <p className={fr.cx("fr-text--xs", "fr-hint-text", "fr-mb-0")}>
          {TYPE_LIBELLE[canal.type]}
          {canal.archive && " · archivé"}
        </p>
        {canal.description && <p className={fr.cx("fr-text--sm", "fr-mb-1w")}>{canal.description}</p>}
        <div className="coop-actions">
          <Button
            type="button"
            size="small"
            priority="tertiary no outline"
            iconId="fr-icon-team-line"
            ref={boutonMembres}
            nativeButtonProps={{ ...membresModal.buttonProps, "aria-label": `Membres : ${pluriel(canal.nb_membres, "membre", "membres")}` }}
          >
            {pluriel(canal.nb_membres, "membre", "membres")}
          </Button>
          {canal.peut_moderer && canal.type !== "direct" && (
            <Button type="button" size="small" priority="tertiary no outline" iconId="fr-icon-settings-5-line" ref={boutonParametres} nativeButtonProps={parametresModal.buttonProps}>
              Paramètres du canal
            </Button>
          )}
          {!canal.membre && (canal.type === "theme" || canal.type === "annonces") && (
            <Button type="button" size="small" onClick={() => action(() => rejoindre(canal.id), `Vous avez rejoint ${canal.nom}.`)}>
              Rejoindre
            </Button>
          )}
          {canal.membre && peutQuitter && (
            <Button type="button" size="small" priority="tertiary" onClick={() => action(() => quitter(canal.id), `Vous avez quitté ${canal.nom}.`).then(() => navigate("/discussion"))}>
              Quitter le canal
            </Button>
          )}
        </div>
        <ErrorAlert error={erreurAction} as="h3" />
      </div>
      <MembresCanal key={`m-${canal.id}`} canal={canal} moiId={moiId} retour={boutonMembres} onAnnonce={onAnnonce} onChange={onChange} />
      {canal.peut_moderer && canal.type !== "direct" && <ParametresCanal key={`p-${canal.id}`} canal={canal} retour={boutonParametres} onAnnonce={onAnnonce} onChange={onChange} />}
      {canal.archive && (
        <div className={fr.cx("fr-notice", "fr-notice--info", "fr-mb-2w")} data-testid="canal-archive">
          <div className="fr-container">
            <div className="fr-notice__body">
              <p className="fr-notice__title">Ce canal est archivé : son historique reste lisible, on ne peut plus y écrire.</p>
            </div>
          </div>
        </div>
      )}
      {canal.peut_ecrire && !canal.archive && (
        creation ? (
          <NouveauSujet
            canal={canal}
            onFini={() => setCreation(false)}
            onCree={id => {
              setCreation(false);
              onChange();
              onAnnonce("Sujet créé.");
              navigate(`/discussion/${canal.id}/${id}`);
            }}
          />
        ) : (
          <Button type="button" size="small" iconId="fr-icon-add-line" className="fr-mb-2w" onClick={() => setCreation(true)}>
            Nouveau sujet
          </Button>
        )
      )}
      <p className={fr.cx("fr-text--xs", "fr-hint-text", "fr-mb-1w")} data-testid="frappe-nouveau-sujet">
        {ecrivent.length === 1 ? `${ecrivent[0]} écrit un nouveau sujet…` : ecrivent.length > 1 ? `${ecrivent.join(", ")} écrivent un nouveau sujet…` : ""}
      </p>
      {erreur ? (
        <LoadError error={erreur} what="les sujets" />
      ) : sujets === null ? (
        <p className="fr-text--sm" role="status">
          Chargement des sujets…
        </p>
      ) : sujets.length === 0 ? (
        <p className="fr-text--sm">Aucun sujet pour le moment.</p>
      ) : (
        <ul className="coop-discussion__liste coop-discussion__liste--sujets" aria-label={`Sujets de ${canal.nom}`}>
          {sujets.map(s => (
            <li key={s.id}>
              <Link
                to={`/discussion/${canal.id}/${s.id}`}
                className={`coop-discussion__sujet${s.non_lus > 0 ? " coop-discussion__canal--non-lu" : ""}`}
                aria-current={actif === s.id ? "page" : undefined}
                data-sujet-id={s.id}
              >
                <span className="coop-discussion__sujet-titre">
                  {s.titre}
                  <Compteurs nonLus={s.non_lus} />
                </span>
                <span className={fr.cx("fr-text--xs", "fr-hint-text", "fr-mb-0")}>
                  {pluriel(s.nb_messages, "message", "messages")}
                  {s.dernier_message_le && (
                    <>
                      {" · "}
                      <time dateTime={s.dernier_message_le}>{activite(s.dernier_message_le)}</time>
                      {s.dernier_auteur && `, ${s.dernier_auteur.nom}`}
                    </>
                  )}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
