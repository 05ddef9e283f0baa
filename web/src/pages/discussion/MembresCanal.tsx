/**
 * « Membres » of a channel: the list with roles, and for the channel's moderators and admins the
 * management of each member — moderator or not, mute for a chosen duration and lift it, removal —
 * and the invitation of people (private groups: any member; thematic and announcement channels:
 * their moderators). A DSFR modal opened from the « N membres » button, which gets the focus back.
 */
import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { createModal } from "@codegouvfr/react-dsfr/Modal";
import { useIsModalOpen } from "@codegouvfr/react-dsfr/Modal/useIsModalOpen";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Tag } from "@codegouvfr/react-dsfr/Tag";
import { useCallback, useEffect, useRef, useState } from "react";
import { isApiError, type ApiError } from "../../api/client";
import { ajouterMembre, listMembres, modifierMembre, retirerMembre } from "../../api/discussion";
import type { Canal, Membre, PersonneTrouvee } from "../../api/discussionTypes";
import { ErrorAlert } from "../../components/ErrorAlert";
import { LoadError } from "../../components/LoadError";
import { useDiscussionEvents } from "./DiscussionContext";
import { PersonnePicker } from "./PersonnePicker";
import { finSourdine, pluriel, SOURDINE_INDEFINIE } from "./outils";

export const membresModal = createModal({ id: "discussion-membres", isOpenedByDefault: false });

const DUREES: { cle: string; texte: string; heures: number | null }[] = [
  { cle: "1h", texte: "1 heure", heures: 1 },
  { cle: "24h", texte: "24 heures", heures: 24 },
  { cle: "7j", texte: "7 jours", heures: 24 * 7 },
  { cle: "toujours", texte: "Jusqu'à nouvel ordre", heures: null }
];

const AUTOMATIQUES = ["general", "region", "departement"];

function Gestion({
  canal,
  m,
  onFait,
  onErreur
}: {
  canal: Canal;
  m: Membre;
  onFait: (annonce: string) => void;
  onErreur: (e: ApiError) => void;
}) {
  const [duree, setDuree] = useState("24h");
  const [confirmer, setConfirmer] = useState(false);
  const [envoi, setEnvoi] = useState(false);
  const faire = async (f: () => Promise<unknown>, annonce: string) => {
    setEnvoi(true);
    try {
      await f();
      onFait(annonce);
    } catch (e) {
      if (isApiError(e)) onErreur(e);
    } finally {
      setEnvoi(false);
    }
  };
  const sourdine = () => {
    const d = DUREES.find(x => x.cle === duree) ?? DUREES[1];
    const jusqua = d.heures === null ? SOURDINE_INDEFINIE : new Date(Date.now() + d.heures * 3_600_000).toISOString();
    void faire(() => modifierMembre(canal.id, m.id, { sourdine_jusqu_au: jusqua }), `${m.nom} est en sourdine ${finSourdine(jusqua)}.`);
  };
  const id = `gestion-${m.id}`;
  return (
    <div className="coop-discussion__gestion" id={id}>
      <div className="coop-actions">
        <Button
          type="button"
          size="small"
          priority="secondary"
          disabled={envoi}
          onClick={() =>
            void faire(
              () => modifierMembre(canal.id, m.id, { role: m.role === "moderateur" ? "membre" : "moderateur" }),
              m.role === "moderateur" ? `${m.nom} n'est plus modérateur.` : `${m.nom} est modérateur du canal.`
            )
          }
        >
          {m.role === "moderateur" ? "Retirer le rôle de modérateur" : "Nommer modérateur"}
        </Button>
        {m.sourdine_jusqu_au ? (
          <Button
            type="button"
            size="small"
            priority="secondary"
            disabled={envoi}
            onClick={() => void faire(() => modifierMembre(canal.id, m.id, { sourdine_jusqu_au: null }), `La sourdine de ${m.nom} est levée.`)}
          >
            Lever la sourdine
          </Button>
        ) : null}
      </div>
      {!m.sourdine_jusqu_au && (
        <div className="coop-discussion__sourdine">
          <Select label="Durée de la sourdine" nativeSelectProps={{ value: duree, onChange: e => setDuree(e.target.value), name: `duree-${m.id}` }}>
            {DUREES.map(d => (
              <option key={d.cle} value={d.cle}>
                {d.texte}
              </option>
            ))}
          </Select>
          <Button type="button" size="small" disabled={envoi} onClick={sourdine}>
            Mettre en sourdine
          </Button>
        </div>
      )}
      {!AUTOMATIQUES.includes(canal.type) && (
        <div className="coop-actions fr-mt-1w">
          {confirmer ? (
            <>
              <Button
                type="button"
                size="small"
                className="coop-bouton--danger"
                disabled={envoi}
                nativeButtonProps={{ autoFocus: true }}
                onClick={() => void faire(() => retirerMembre(canal.id, m.id), `${m.nom} a été retiré du canal.`)}
              >
                Confirmer le retrait de {m.nom}
              </Button>
              <Button type="button" size="small" priority="secondary" onClick={() => setConfirmer(false)}>
                Annuler
              </Button>
            </>
          ) : (
            <Button type="button" size="small" priority="tertiary" iconId="ri-user-unfollow-line" onClick={() => setConfirmer(true)}>
              Retirer du canal
            </Button>
          )}
        </div>
      )}
    </div>
  );
}

export function MembresCanal({
  canal,
  moiId,
  retour,
  onAnnonce,
  onChange
}: {
  canal: Canal;
  moiId: number | null;
  /** The button that opened the dialog: the focus goes back to it. */
  retour: React.RefObject<HTMLElement | null>;
  onAnnonce: (s: string) => void;
  onChange: () => void;
}) {
  const ouvert = useIsModalOpen(membresModal, { onConceal: () => setTimeout(() => retour.current?.focus(), 0) });
  const [membres, setMembres] = useState<Membre[] | null>(null);
  const [erreur, setErreur] = useState<ApiError | null>(null);
  const [erreurAction, setErreurAction] = useState<ApiError | null>(null);
  const [filtre, setFiltre] = useState("");
  const [gere, setGere] = useState<number | null>(null);
  const [invite, setInvite] = useState<PersonneTrouvee | null>(null);
  const [cleInvite, setCleInvite] = useState(0);
  const [annonce, setAnnonceLocale] = useState("");
  const liste = useRef<HTMLUListElement>(null);
  const moderer = canal.peut_moderer;
  const peutInviter = !canal.archive && (canal.type === "groupe" ? canal.membre : moderer && (canal.type === "theme" || canal.type === "annonces"));

  const charger = useCallback(() => {
    listMembres(canal.id)
      .then(r => {
        setMembres(r.items);
        setErreur(null);
      })
      .catch(e => isApiError(e) && setErreur(e));
  }, [canal.id]);

  useEffect(() => {
    if (ouvert) charger();
    else {
      setGere(null);
      setErreurAction(null);
    }
  }, [ouvert, charger]);

  useDiscussionEvents({
    onEvent: e => {
      if (ouvert && e.canal_id === canal.id && e.evenement === "membre") charger();
    }
  });

  const fait = (texte: string) => {
    setErreurAction(null);
    setAnnonceLocale(texte);
    onAnnonce(texte);
    charger();
    onChange();
  };

  const inviter = async () => {
    if (!invite) return;
    setErreurAction(null);
    try {
      await ajouterMembre(canal.id, invite.id);
      fait(`${invite.nom} a été ajouté au canal.`);
      setInvite(null);
      setCleInvite(k => k + 1); // an empty field for the next one
    } catch (e) {
      if (isApiError(e)) setErreurAction(e);
    }
  };

  const q = filtre.trim().toLowerCase();
  const vus = (membres ?? []).filter(m => !q || m.nom.toLowerCase().includes(q) || (m.structure ?? "").toLowerCase().includes(q));
  return (
    <membresModal.Component title={`Membres de ${canal.nom}`} concealingBackdrop size="large">
      <p className="fr-sr-only" role="status">
        {annonce}
      </p>
      <ErrorAlert error={erreurAction} as="h2" />
      {peutInviter && (
        <form
          className="coop-discussion__invitation"
          onSubmit={e => {
            e.preventDefault();
            void inviter();
          }}
        >
          <PersonnePicker
            key={cleInvite}
            label={canal.type === "groupe" ? "Inviter dans le groupe" : "Ajouter au canal"}
            name="invite"
            garder
            exclure={(membres ?? []).map(m => m.id)}
            onChange={setInvite}
          />
          <Button type="submit" size="small" disabled={!invite} iconId="fr-icon-user-add-line">
            {canal.type === "groupe" ? "Inviter" : "Ajouter"}
          </Button>
        </form>
      )}
      {erreur ? (
        <LoadError error={erreur} what="les membres" />
      ) : !membres ? (
        <p role="status">Chargement des membres…</p>
      ) : (
        <>
          {membres.length > 10 && (
            <div className="fr-input-group">
              <label className="fr-label" htmlFor="membres-filtre">
                Filtrer les membres
                <span className="fr-hint-text">Par nom ou structure.</span>
              </label>
              <input id="membres-filtre" className="fr-input" type="search" value={filtre} onChange={e => setFiltre(e.target.value)} />
            </div>
          )}
          <p className={fr.cx("fr-text--sm")}>{pluriel(vus.length, "membre", "membres")}</p>
          <ul className="coop-discussion__membres-liste" ref={liste} aria-label={`Membres de ${canal.nom}`}>
            {vus.map(m => (
              <li key={m.id} data-membre-id={m.id}>
                <div className="coop-discussion__membre">
                  <span>
                    <strong>{m.nom}</strong>
                    {m.id === moiId && " (vous)"}
                    {m.structure && <span className="fr-hint-text fr-text--xs"> {m.structure}</span>}
                  </span>
                  <span className="coop-discussion__tags">
                    {m.role === "moderateur" && <Tag small>Modérateur</Tag>}
                    {m.sourdine_jusqu_au && <Tag small iconId="fr-icon-volume-mute-line">En sourdine {finSourdine(m.sourdine_jusqu_au)}</Tag>}
                  </span>
                  {moderer && m.id !== moiId && (
                    <Button
                      type="button"
                      size="small"
                      priority="tertiary no outline"
                      nativeButtonProps={{ "aria-expanded": gere === m.id, "aria-controls": `gestion-${m.id}`, "aria-label": `Gérer ${m.nom}` }}
                      onClick={() => setGere(g => (g === m.id ? null : m.id))}
                    >
                      Gérer
                    </Button>
                  )}
                </div>
                {gere === m.id && <Gestion canal={canal} m={m} onFait={fait} onErreur={setErreurAction} />}
              </li>
            ))}
          </ul>
        </>
      )}
    </membresModal.Component>
  );
}
