/**
 * A resource (/ressources/:id): description (server-rendered, sanitised HTML), files with preview
 * and download, links, licence, author and structure, versions, « utile », favourite, comments,
 * report, copy into my collection, copy the link, share to a discussion channel, moderation.
 */
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useRef, useState, type FormEvent } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { ApiError, isApiError } from "../../api/client";
import { listCanaux, posterMessage } from "../../api/discussion";
import {
  ajouterACollection,
  basculerFavori,
  basculerUtile,
  commenter,
  copierRessource,
  getRessource,
  listCollections,
  listCommentaires,
  listVersions,
  masquer,
  restaurer,
  signaler,
  suivreAuteur,
  supprimerCommentaire,
  supprimerRessource,
  taille,
  duree,
  type Ressource
} from "../../api/ressources";
import { useSession } from "../../auth/AuthContext";
import { CopyLink } from "../../components/CopyLink";
import { ErrorAlert } from "../../components/ErrorAlert";
import { LoadError } from "../../components/LoadError";
import { PageLoading } from "../../components/PageLoading";
import { formatDate, formatDateTime } from "../../lib/format";
import { useAsync } from "../../lib/useAsync";
import { useTitle } from "../../lib/useTitle";
import { libelle, useReferentiel, VISIBILITE } from "./commun";
import { RessourcesCadre } from "./RessourcesCadre";

export default function RessourcePage() {
  const id = Number(useParams().id);
  const res = useAsync(() => getRessource(id), [id]);
  useTitle(res.data?.titre ?? "Ressource");
  return (
    <RessourcesCadre>
      <nav className="fr-mb-2w" aria-label="Retour">
        <Link to="/ressources" className={fr.cx("fr-link", "fr-link--icon-left", "fr-icon-arrow-left-line")}>
          Bibliothèque
        </Link>
      </nav>
      {res.error ? (
        <LoadError error={res.error} what="la ressource" />
      ) : !res.data ? (
        <PageLoading label="Chargement de la ressource…" />
      ) : (
        <Contenu r={res.data} maj={r => res.setData(() => r)} />
      )}
    </RessourcesCadre>
  );
}

function Contenu({ r, maj }: { r: Ressource; maj: (r: Ressource) => void }) {
  const ref = useReferentiel();
  const { me } = useSession();
  const auteur = !!me && r.auteur.id === me.id;
  const navigate = useNavigate();
  const [erreur, setErreur] = useState<ApiError | null>(null);
  const [annonce, setAnnonce] = useState("");
  const faire = async (f: () => Promise<Ressource | void>, message: string) => {
    setErreur(null);
    try {
      const n = await f();
      if (n) maj(n);
      setAnnonce(message);
    } catch (e) {
      if (isApiError(e)) setErreur(e);
    }
  };
  const lien = `${window.location.origin}/ressources/${r.id}`;
  const faits: [string, string][] = [
    ["Format", libelle(ref, "formats", r.format)],
    ["Niveau", libelle(ref, "niveaux", r.niveau)],
    ...(r.duree_minutes ? ([["Durée de l'atelier", duree(r.duree_minutes)!]] as [string, string][]) : []),
    ["Publics", r.publics.map(p => libelle(ref, "publics", p)).join(", ") || "—"],
    ["Licence", libelle(ref, "licences", r.licence)],
    ["Visibilité", VISIBILITE[r.visibilite] ?? r.visibilite],
    ["Version", `${r.version}, du ${formatDate(r.modifie_le)}`]
  ];

  return (
    <article aria-labelledby="ressource-titre">
      <p className="fr-sr-only" role="status">
        {annonce}
      </p>
      {r.masquage && (
        <Alert
          severity="warning"
          small
          className="fr-mb-3w"
          description={`Ressource masquée par la modération le ${formatDateTime(r.masquage.le)} : « ${r.masquage.motif} ». Seuls son auteur et les modérateurs la voient.`}
        />
      )}
      <ul className={fr.cx("fr-badges-group", "fr-mb-1w")}>
        {r.statut === "brouillon" && (
          <li>
            <Badge severity="warning">Brouillon</Badge>
          </li>
        )}
        {r.thematiques.map(t => (
          <li key={t}>
            <Badge noIcon severity="info">
              {libelle(ref, "thematiques", t)}
            </Badge>
          </li>
        ))}
      </ul>
      <h1 id="ressource-titre">{r.titre}</h1>
      {r.resume && <p className="fr-text--lead">{r.resume}</p>}
      <p className="fr-text--sm">
        Par <strong>{r.auteur.nom}</strong>
        {r.structure && (
          <>
            {" "}
            pour <Link to={`/structures/${r.structure.id}`}>{r.structure.nom}</Link>
          </>
        )}
        {r.publie_le ? `, publiée le ${formatDate(r.publie_le)}` : ""}. {r.compteurs.vues} vue{r.compteurs.vues > 1 ? "s" : ""},{" "}
        {r.compteurs.telechargements} téléchargement{r.compteurs.telechargements > 1 ? "s" : ""}.
      </p>
      {r.origine && (
        <p className="fr-text--sm">
          {r.origine.id ? <Link to={`/ressources/${r.origine.id}`}>{r.origine.credit}</Link> : r.origine.credit}
        </p>
      )}
      <ErrorAlert error={erreur} as="h2" />
      <div className="coop-actions fr-mb-3w">
        {auteur ? (
          <p className="fr-text--sm fr-mb-0 fr-mr-2w">
            <span className="fr-icon-thumb-up-line fr-icon--sm" aria-hidden="true" /> {r.compteurs.utiles} vote{r.compteurs.utiles > 1 ? "s" : ""} « utile »
          </p>
        ) : (
        <Button
          type="button"
          priority={r.moi.utile ? "primary" : "secondary"}
          iconId="fr-icon-thumb-up-line"
          nativeButtonProps={{ "aria-pressed": r.moi.utile }}
          onClick={() => void faire(() => basculerUtile(r.id, !r.moi.utile), r.moi.utile ? "Vote retiré." : "Merci pour votre vote.")}
        >
          Utile ({r.compteurs.utiles})
        </Button>
        )}
        <Button
          type="button"
          priority={r.moi.favori ? "primary" : "secondary"}
          iconId={r.moi.favori ? "fr-icon-star-fill" : "fr-icon-star-line"}
          nativeButtonProps={{ "aria-pressed": r.moi.favori }}
          onClick={() => void faire(() => basculerFavori(r.id, !r.moi.favori), r.moi.favori ? "Retirée des favoris." : "Ajoutée aux favoris.")}
        >
          Favori
        </Button>
        {r.auteur.id !== null && !auteur && (
          <Button
            type="button"
            priority="tertiary"
            nativeButtonProps={{ "aria-pressed": r.moi.suit_auteur }}
            onClick={() =>
              void faire(async () => {
                await suivreAuteur(r.auteur.id!, !r.moi.suit_auteur);
                return { ...r, moi: { ...r.moi, suit_auteur: !r.moi.suit_auteur } };
              }, r.moi.suit_auteur ? `Vous ne suivez plus ${r.auteur.nom}.` : `Vous suivez ${r.auteur.nom}.`)
            }
          >
            {r.moi.suit_auteur ? `Ne plus suivre ${r.auteur.nom}` : `Suivre ${r.auteur.nom}`}
          </Button>
        )}
        {r.moi.peut_modifier && (
          <Button priority="secondary" iconId="fr-icon-edit-line" linkProps={{ to: `/ressources/${r.id}/modifier` }}>
            Modifier
          </Button>
        )}
        {r.moi.peut_supprimer && (
          <Button
            type="button"
            priority="tertiary"
            iconId="fr-icon-delete-line"
            onClick={() => {
              if (!window.confirm(`Supprimer la ressource « ${r.titre} » ?`)) return;
              void faire(async () => {
                await supprimerRessource(r.id);
                navigate("/ressources/miennes");
              }, "Ressource supprimée.");
            }}
          >
            Supprimer
          </Button>
        )}
      </div>

      <div className="coop-ress__page">
        <div>
          {r.description_html && (
            <section aria-labelledby="desc-titre" className="fr-mb-4w">
              <h2 id="desc-titre" className="fr-h4">
                Description
              </h2>
              <div className="coop-ress__description" dangerouslySetInnerHTML={{ __html: r.description_html }} />
            </section>
          )}
          <section aria-labelledby="fichiers-titre" className="fr-mb-4w">
            <h2 id="fichiers-titre" className="fr-h4">
              Fichiers
            </h2>
            {r.fichiers.length === 0 ? (
              <p>Aucun fichier.</p>
            ) : (
              <ul className="coop-ress__fichiers">
                {r.fichiers.map(f => (
                  <li key={f.sha256} className="coop-ress__fichier">
                    {(f.apercu_url || f.image) && (
                      <a href={f.url} target="_blank" rel="noopener noreferrer" title={`Aperçu de ${f.nom} – nouvelle fenêtre`}>
                        <img src={f.apercu_url ?? `${f.url}?apercu=1`} alt={`Aperçu de ${f.nom}`} loading="lazy" />
                      </a>
                    )}
                    <div>
                      <a className={fr.cx("fr-link", "fr-link--download")} href={f.url} download={f.nom}>
                        Télécharger {f.nom}
                        <span className="fr-link__detail">
                          {f.type.split(";")[0]} – {taille(f.taille)}
                        </span>
                      </a>
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </section>
          {r.liens.length > 0 && (
            <section aria-labelledby="liens-titre" className="fr-mb-4w">
              <h2 id="liens-titre" className="fr-h4">
                Liens
              </h2>
              <ul>
                {r.liens.map(l => (
                  <li key={l.url}>
                    <a href={l.url} target="_blank" rel="noopener noreferrer" title={`${l.titre || l.url} – nouvelle fenêtre`}>
                      {l.titre || l.url}
                    </a>
                  </li>
                ))}
              </ul>
            </section>
          )}
          <Commentaires id={r.id} />
        </div>
        <aside aria-label="Informations et partage">
          <dl className="coop-ress__faits">
            {faits.map(([k, v]) => (
              <div key={k} className="fr-mb-1w">
                <dt className="fr-text--bold fr-text--sm fr-mb-0">{k}</dt>
                <dd className="fr-text--sm fr-mb-0 coop-ress__dd">{v}</dd>
              </div>
            ))}
          </dl>
          <CopyLink label="Lien de la ressource" value={lien} />
          <Partage r={r} lien={lien} />
          <Copie r={r} />
          <Versions id={r.id} version={r.version} />
          <Signaler r={r} />
          {r.moi.peut_moderer && <Moderer r={r} maj={maj} />}
        </aside>
      </div>
    </article>
  );
}

function Partage({ r, lien }: { r: Ressource; lien: string }) {
  const [ouvert, setOuvert] = useState(false);
  const canaux = useAsync(() => (ouvert ? listCanaux() : Promise.resolve(null)), [ouvert]);
  const [canal, setCanal] = useState("");
  const [etat, setEtat] = useState<{ ok?: string; err?: ApiError }>({});
  const envoyer = async (e: FormEvent) => {
    e.preventDefault();
    if (!canal) {
      setEtat({ err: new ApiError(400, "validation", "Choisissez un canal.", { canal: "Choisissez un canal." }) });
      return;
    }
    try {
      const m = await posterMessage(Number(canal), { sujet: r.titre.slice(0, 120), texte: `Ressource partagée : [${r.titre}](${lien})` });
      setEtat({ ok: `Ressource partagée dans le canal. `, err: undefined });
      setCanal(String(m.canal_id));
    } catch (er) {
      if (isApiError(er)) setEtat({ err: er });
    }
  };
  return (
    <section aria-labelledby="partage-titre" className="fr-mt-3w">
      <h2 id="partage-titre" className="fr-h6 fr-mb-1w">
        Partager dans une discussion
      </h2>
      {!ouvert ? (
        <Button type="button" size="small" priority="secondary" iconId="fr-icon-chat-3-line" onClick={() => setOuvert(true)}>
          Partager dans un canal
        </Button>
      ) : (
        <form onSubmit={envoyer} noValidate>
          <Select
            label="Canal"
            state={etat.err?.fields?.canal ? "error" : "default"}
            stateRelatedMessage={etat.err?.fields?.canal}
            nativeSelectProps={{ value: canal, onChange: e => setCanal(e.currentTarget.value) }}
          >
            <option value="">{canaux.data ? "Choisissez un canal" : "Chargement des canaux…"}</option>
            {canaux.data?.items
              .filter(c => c.type !== "direct" && !c.archive)
              .map(c => (
                <option key={c.id} value={c.id}>
                  {c.nom}
                </option>
              ))}
          </Select>
          <Button type="submit" size="small">
            Partager
          </Button>
          <p role="status" className="fr-text--sm fr-mt-1w">
            {etat.ok && (
              <>
                {etat.ok}
                <Link to={`/discussion/${canal}`}>Voir le canal</Link>
              </>
            )}
          </p>
          {etat.err && !etat.err.fields?.canal && <ErrorAlert error={etat.err} as="h3" />}
        </form>
      )}
    </section>
  );
}

function Copie({ r }: { r: Ressource }) {
  const navigate = useNavigate();
  const [ouvert, setOuvert] = useState(false);
  const collections = useAsync(() => (ouvert ? listCollections({ miennes: true }) : Promise.resolve(null)), [ouvert]);
  const [collection, setCollection] = useState("");
  const [erreur, setErreur] = useState<ApiError | null>(null);
  const [fait, setFait] = useState("");
  const modifiables = collections.data?.items.filter(c => c.moi.peut_modifier) ?? [];
  const copier = async () => {
    setErreur(null);
    try {
      const c = await copierRessource(r.id, collection ? Number(collection) : null);
      navigate(`/ressources/${c.id}/modifier`);
    } catch (er) {
      if (isApiError(er)) setErreur(er);
    }
  };
  const ajouter = async (e: FormEvent) => {
    e.preventDefault();
    setErreur(null);
    setFait("");
    if (!collection) {
      setErreur(new ApiError(400, "validation", "Choisissez une collection.", { collection: "Choisissez une collection." }));
      return;
    }
    try {
      const c = await ajouterACollection(Number(collection), r.id);
      setFait(`Ajoutée à la collection « ${c.titre} ».`);
    } catch (er) {
      if (isApiError(er)) setErreur(er);
    }
  };
  return (
    <section aria-labelledby="copie-titre" className="fr-mt-3w">
      <h2 id="copie-titre" className="fr-h6 fr-mb-1w">
        Collections et copie
      </h2>
      {!ouvert ? (
        <Button type="button" size="small" priority="secondary" iconId="fr-icon-file-add-line" onClick={() => setOuvert(true)}>
          Ajouter à une collection ou copier
        </Button>
      ) : (
        <form onSubmit={ajouter} noValidate>
          <Select
            label="Ma collection"
            hint={collections.data && modifiables.length === 0 ? "Vous n'avez pas encore de collection : créez-en une dans « Collections »." : undefined}
            state={erreur?.fields.collection ? "error" : "default"}
            stateRelatedMessage={erreur?.fields.collection}
            nativeSelectProps={{ value: collection, onChange: e => setCollection(e.currentTarget.value) }}
          >
            <option value="">{collections.data ? "Aucune collection" : "Chargement…"}</option>
            {modifiables.map(c => (
              <option key={c.id} value={c.id}>
                {c.titre}
              </option>
            ))}
          </Select>
          <div className="coop-actions">
            <Button type="submit" size="small">
              Ajouter à la collection
            </Button>
            <Button type="button" size="small" priority="secondary" onClick={() => void copier()}>
              Copier pour l'adapter
            </Button>
          </div>
          <p className="fr-hint-text fr-mt-1w">La copie est un brouillon à vous, qui cite la ressource d'origine.</p>
          <p role="status" className="fr-text--sm">
            {fait}
          </p>
          {erreur && !erreur.fields.collection && <ErrorAlert error={erreur} as="h3" className="fr-mt-2w" />}
        </form>
      )}
    </section>
  );
}

function Versions({ id, version }: { id: number; version: number }) {
  const versions = useAsync(() => listVersions(id), [id, version]);
  if (!versions.data || versions.data.items.length === 0) return null;
  return (
    <section aria-labelledby="versions-titre" className="fr-mt-3w">
      <h2 id="versions-titre" className="fr-h6 fr-mb-1w">
        Versions
      </h2>
      <ol className="coop-ress__liste" reversed>
        {versions.data.items.map(v => (
          <li key={v.version} className="fr-text--sm fr-py-1w">
            <strong>Version {v.version}</strong>
            {v.actuelle ? " (actuelle)" : ""} – {formatDate(v.le)}
            {v.note && <span className="fr-hint-text">{v.note}</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}

function Signaler({ r }: { r: Ressource }) {
  const [ouvert, setOuvert] = useState(false);
  const [motif, setMotif] = useState("");
  const [erreur, setErreur] = useState<ApiError | null>(null);
  const [fait, setFait] = useState(false);
  const envoyer = async (e: FormEvent) => {
    e.preventDefault();
    setErreur(null);
    try {
      await signaler(r.id, motif);
      setFait(true);
      setOuvert(false);
    } catch (er) {
      if (isApiError(er)) setErreur(er);
    }
  };
  return (
    <section aria-labelledby="signaler-titre" className="fr-mt-3w">
      <h2 id="signaler-titre" className="fr-h6 fr-mb-1w">
        Un problème ?
      </h2>
      <p role="status" className="fr-text--sm">
        {fait ? "Merci : votre signalement a été transmis aux modérateurs." : ""}
      </p>
      {!ouvert && !fait && (
        <Button type="button" size="small" priority="tertiary" iconId="fr-icon-flag-line" onClick={() => setOuvert(true)}>
          Signaler un problème
        </Button>
      )}
      {ouvert && (
        <form onSubmit={envoyer} noValidate>
          <Input
            label="Motif du signalement"
            textArea
            state={erreur?.fields.motif ? "error" : "default"}
            stateRelatedMessage={erreur?.fields.motif}
            nativeTextAreaProps={{ value: motif, onChange: e => setMotif(e.currentTarget.value), rows: 3 }}
          />
          <Button type="submit" size="small">
            Envoyer le signalement
          </Button>
          {erreur && !erreur.fields.motif && <ErrorAlert error={erreur} as="h3" className="fr-mt-2w" />}
        </form>
      )}
    </section>
  );
}

function Moderer({ r, maj }: { r: Ressource; maj: (r: Ressource) => void }) {
  const [motif, setMotif] = useState("");
  const [erreur, setErreur] = useState<ApiError | null>(null);
  const agir = async (e: FormEvent) => {
    e.preventDefault();
    setErreur(null);
    try {
      maj(r.masquee ? await restaurer(r.id) : await masquer(r.id, motif));
      setMotif("");
    } catch (er) {
      if (isApiError(er)) setErreur(er);
    }
  };
  return (
    <section aria-labelledby="moderer-titre" className="fr-mt-3w">
      <h2 id="moderer-titre" className="fr-h6 fr-mb-1w">
        Modération
      </h2>
      <form onSubmit={agir} noValidate>
        {!r.masquee && (
          <Input
            label="Motif du masquage"
            state={erreur?.fields.motif ? "error" : "default"}
            stateRelatedMessage={erreur?.fields.motif}
            nativeInputProps={{ value: motif, onChange: e => setMotif(e.currentTarget.value) }}
          />
        )}
        <Button type="submit" size="small" priority="secondary">
          {r.masquee ? "Restaurer la ressource" : "Masquer la ressource"}
        </Button>
        {erreur && !erreur.fields.motif && <ErrorAlert error={erreur} as="h3" className="fr-mt-2w" />}
      </form>
    </section>
  );
}

function Commentaires({ id }: { id: number }) {
  const liste = useAsync(() => listCommentaires(id), [id]);
  const [texte, setTexte] = useState("");
  const [erreur, setErreur] = useState<ApiError | null>(null);
  const champ = useRef<HTMLTextAreaElement>(null);
  const envoyer = async (e: FormEvent) => {
    e.preventDefault();
    setErreur(null);
    try {
      const c = await commenter(id, texte);
      liste.setData(d => ({ items: [...(d?.items ?? []), c] }));
      setTexte("");
    } catch (er) {
      if (isApiError(er)) {
        setErreur(er);
        champ.current?.focus();
      }
    }
  };
  return (
    <section aria-labelledby="commentaires-titre">
      <h2 id="commentaires-titre" className="fr-h4">
        Commentaires
      </h2>
      {liste.data && liste.data.items.length === 0 && <p className="fr-text--sm">Aucun commentaire pour l'instant.</p>}
      {liste.data && liste.data.items.length > 0 && (
        <ul className="coop-ress__liste">
          {liste.data.items.map(c => (
            <li key={c.id}>
              <p className="fr-text--sm fr-mb-1v">
                <strong>{c.auteur.nom}</strong>, le {formatDateTime(c.cree_le)}
              </p>
              <div className="coop-ress__description" dangerouslySetInnerHTML={{ __html: c.html }} />
              {c.peut_supprimer && (
                <Button
                  type="button"
                  size="small"
                  priority="tertiary no outline"
                  onClick={() =>
                    void supprimerCommentaire(c.id)
                      .then(() => liste.setData(d => d && { items: d.items.filter(x => x.id !== c.id) }))
                      .catch(er => isApiError(er) && setErreur(er))
                  }
                  nativeButtonProps={{ "aria-label": `Supprimer le commentaire de ${c.auteur.nom} du ${formatDateTime(c.cree_le)}` }}
                >
                  Supprimer
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={envoyer} noValidate className="fr-mt-2w">
        <Input
          label="Votre commentaire"
          hintText="Markdown accepté."
          textArea
          state={erreur?.fields.texte ? "error" : "default"}
          stateRelatedMessage={erreur?.fields.texte}
          nativeTextAreaProps={{ ref: champ, value: texte, onChange: e => setTexte(e.currentTarget.value), rows: 3, name: "commentaire" }}
        />
        <Button type="submit" size="small">
          Commenter
        </Button>
        {erreur && !erreur.fields.texte && <ErrorAlert error={erreur} as="h3" className="fr-mt-2w" />}
      </form>
    </section>
  );
}
