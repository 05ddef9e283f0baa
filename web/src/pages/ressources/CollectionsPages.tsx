/**
 * Collections (« bases »), favourites, follows and « mes ressources »: /ressources/collections,
 * /ressources/collections/:id, /ressources/favoris, /ressources/suivis, /ressources/miennes.
 */
import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { ToggleSwitch } from "@codegouvfr/react-dsfr/ToggleSwitch";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { isApiError, type ApiError } from "../../api/client";
import {
  creerCollection,
  getCollection,
  listCollections,
  listRessources,
  listSuivis,
  modifierCollection,
  retirerDeCollection,
  suivreAuteur,
  suivreCollection,
  supprimerCollection,
  type Collection,
  type Filtres
} from "../../api/ressources";
import { useSession } from "../../auth/AuthContext";
import { ErrorAlert } from "../../components/ErrorAlert";
import { LoadError } from "../../components/LoadError";
import { PageLoading } from "../../components/PageLoading";
import { Pager, usePageParam } from "../../components/Pager";
import { formatDate } from "../../lib/format";
import { hasRole } from "../../lib/roles";
import { useAsync } from "../../lib/useAsync";
import { useTitle } from "../../lib/useTitle";
import { Cartes } from "./commun";
import { NavRessources, RessourcesCadre } from "./RessourcesCadre";

const PAR_PAGE = 12;

function useModerateur() {
  const { me } = useSession();
  return !!me && hasRole(me, "admin");
}

/** A list of resources for one filter (mine, favourites, follows, a collection). */
function ListeRessources({ filtre, vide, label }: { filtre: Filtres; vide: string; label: string }) {
  const page = usePageParam();
  const cle = JSON.stringify(filtre);
  const liste = useAsync(() => listRessources({ ...filtre, page, par_page: PAR_PAGE, facettes: "0", tri: "recent" }), [cle, page]);
  if (liste.error) return <LoadError error={liste.error} what="les ressources" />;
  if (!liste.data) return <PageLoading label="Chargement des ressources…" />;
  if (liste.data.total === 0) return <p>{vide}</p>;
  return (
    <>
      <p className="fr-text--sm">{liste.data.total} ressource{liste.data.total > 1 ? "s" : ""}</p>
      <Cartes items={liste.data.items} label={label} titreAs="h2" />
      <Pager total={liste.data.total} perPage={PAR_PAGE} />
    </>
  );
}

export function MesRessourcesPage() {
  useTitle("Mes ressources");
  return (
    <RessourcesCadre>
      <h1>Mes ressources</h1>
      <NavRessources moderateur={useModerateur()} />
      <p>
        Vos ressources publiées et vos brouillons. <Link to="/ressources/nouvelle">Publier une ressource</Link>
      </p>
      <ListeRessources filtre={{ miennes: "1" }} vide="Vous n'avez encore publié aucune ressource." label="Mes ressources" />
    </RessourcesCadre>
  );
}

export function FavorisPage() {
  useTitle("Mes favoris");
  return (
    <RessourcesCadre>
      <h1>Mes favoris</h1>
      <NavRessources moderateur={useModerateur()} />
      <ListeRessources filtre={{ favoris: "1" }} vide="Aucun favori : ajoutez-en avec le bouton « Favori » d'une ressource." label="Mes favoris" />
    </RessourcesCadre>
  );
}

export function SuivisPage() {
  useTitle("Suivis");
  const suivis = useAsync(listSuivis, []);
  const [erreur, setErreur] = useState<ApiError | null>(null);
  const arreter = async (type: "collection" | "auteur", id: number) => {
    try {
      await (type === "collection" ? suivreCollection(id, false) : suivreAuteur(id, false));
      suivis.setData(d => d && { items: d.items.filter(s => !(s.type === type && s.id === id)) });
    } catch (e) {
      if (isApiError(e)) setErreur(e);
    }
  };
  return (
    <RessourcesCadre>
      <h1>Suivis</h1>
      <NavRessources moderateur={useModerateur()} />
      <ErrorAlert error={erreur} as="h2" />
      <section aria-labelledby="suivis-titre" className="fr-mb-4w">
        <h2 id="suivis-titre" className="fr-h4">
          Auteurs et collections suivis
        </h2>
        {suivis.error ? (
          <LoadError error={suivis.error} what="vos suivis" />
        ) : !suivis.data ? null : suivis.data.items.length === 0 ? (
          <p>Vous ne suivez encore personne : suivez un auteur depuis une de ses ressources, ou une collection depuis sa page.</p>
        ) : (
          <ul className="coop-ress__liste">
            {suivis.data.items.map(s => (
              <li key={`${s.type}-${s.id}`} className="coop-actions">
                <span>
                  {s.type === "collection" ? <Link to={`/ressources/collections/${s.id}`}>Collection « {s.nom} »</Link> : <strong>{s.nom}</strong>}
                  <span className="fr-hint-text">Suivi depuis le {formatDate(s.depuis)}</span>
                </span>
                <Button type="button" size="small" priority="tertiary" onClick={() => void arreter(s.type, s.id)} nativeButtonProps={{ "aria-label": `Ne plus suivre ${s.nom}` }}>
                  Ne plus suivre
                </Button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="nouveautes-titre">
        <h2 id="nouveautes-titre" className="fr-h4">
          Leurs ressources
        </h2>
        <ListeRessources filtre={{ suivis: "1" }} vide="Aucune ressource des auteurs et collections suivis." label="Ressources suivies" />
      </section>
    </RessourcesCadre>
  );
}

export function CollectionsPage() {
  useTitle("Collections");
  const navigate = useNavigate();
  const miennes = useAsync(() => listCollections({ miennes: true }), []);
  const toutes = useAsync(() => listCollections(), []);
  const [titre, setTitre] = useState("");
  const [description, setDescription] = useState("");
  const [publique, setPublique] = useState(true);
  const [erreur, setErreur] = useState<ApiError | null>(null);
  const creer = async (e: FormEvent) => {
    e.preventDefault();
    setErreur(null);
    try {
      const c = await creerCollection({ titre, description, publique });
      navigate(`/ressources/collections/${c.id}`);
    } catch (er) {
      if (isApiError(er)) setErreur(er);
    }
  };
  const autres = toutes.data?.items.filter(c => !miennes.data?.items.some(m => m.id === c.id)) ?? [];
  return (
    <RessourcesCadre>
      <h1>Collections</h1>
      <NavRessources moderateur={useModerateur()} />
      <section aria-labelledby="miennes-titre" className="fr-mb-4w">
        <h2 id="miennes-titre" className="fr-h4">
          Mes collections
        </h2>
        {miennes.error ? (
          <LoadError error={miennes.error} what="vos collections" />
        ) : !miennes.data ? null : miennes.data.items.length === 0 ? (
          <p>Vous n'avez pas encore de collection.</p>
        ) : (
          <ListeCollections items={miennes.data.items} />
        )}
      </section>
      <section aria-labelledby="creer-titre" className="fr-mb-4w">
        <h2 id="creer-titre" className="fr-h4">
          Créer une collection
        </h2>
        <form onSubmit={creer} noValidate>
          <Input
            label="Titre de la collection"
            hintText="Par exemple « Kit atelier e-mail débutants »."
            state={erreur?.fields.titre ? "error" : "default"}
            stateRelatedMessage={erreur?.fields.titre}
            nativeInputProps={{ value: titre, onChange: e => setTitre(e.currentTarget.value), name: "titre" }}
          />
          <Input label="Description" textArea nativeTextAreaProps={{ value: description, onChange: e => setDescription(e.currentTarget.value), rows: 2 }} />
          <ToggleSwitch label="Collection publique" helperText="Visible de tous les utilisateurs de Coop." checked={publique} onChange={setPublique} inputTitle="Collection publique" showCheckedHint={false} />
          <Button type="submit" className="fr-mt-2w">
            Créer la collection
          </Button>
          {erreur && !erreur.fields.titre && <ErrorAlert error={erreur} as="h3" className="fr-mt-2w" />}
        </form>
      </section>
      {autres.length > 0 && (
        <section aria-labelledby="autres-titre">
          <h2 id="autres-titre" className="fr-h4">
            Collections publiques
          </h2>
          <ListeCollections items={autres} />
        </section>
      )}
    </RessourcesCadre>
  );
}

function ListeCollections({ items }: { items: import("../../api/ressources").Collection[] }) {
  return (
    <ul className="coop-ress__liste">
      {items.map(c => (
        <li key={c.id}>
          <Link to={`/ressources/collections/${c.id}`} className="fr-text--bold">
            {c.titre}
          </Link>{" "}
          <span className="fr-text--sm">
            – {c.nombre} ressource{c.nombre > 1 ? "s" : ""}
            {c.publique ? "" : " · privée"}
            {c.structure ? ` · ${c.structure.nom}` : c.proprietaire ? ` · ${c.proprietaire.nom}` : ""}
          </span>
          {c.description && <p className="fr-text--sm fr-mb-0">{c.description}</p>}
        </li>
      ))}
    </ul>
  );
}

export function CollectionPage() {
  const id = Number(useParams().id);
  const navigate = useNavigate();
  const col = useAsync(() => getCollection(id), [id]);
  const [cle, setCle] = useState(0);
  const [erreur, setErreur] = useState<ApiError | null>(null);
  const [edition, setEdition] = useState(false);
  const titre = useRef<HTMLHeadingElement>(null);
  useTitle(col.data ? `Collection « ${col.data.titre} »` : "Collection");
  const faire = async (f: () => Promise<unknown>) => {
    setErreur(null);
    try {
      await f();
    } catch (e) {
      if (isApiError(e)) setErreur(e);
    }
  };
  const c = col.data;
  return (
    <RessourcesCadre>
      <nav className="fr-mb-2w" aria-label="Retour">
        <Link to="/ressources/collections" className={fr.cx("fr-link", "fr-link--icon-left", "fr-icon-arrow-left-line")}>
          Collections
        </Link>
      </nav>
      {col.error ? (
        <LoadError error={col.error} what="la collection" />
      ) : !c ? (
        <PageLoading label="Chargement de la collection…" />
      ) : (
        <>
          <h1 ref={titre} tabIndex={-1}>
            {c.titre}
          </h1>
          <p className="fr-text--sm">
            {c.structure ? c.structure.nom : c.proprietaire?.nom} · {c.publique ? "publique" : "privée"} · {c.nombre} ressource{c.nombre > 1 ? "s" : ""}
          </p>
          {c.description && <p>{c.description}</p>}
          <ErrorAlert error={erreur} as="h2" />
          {edition && (
            <ModifierCollection
              collection={c}
              onFini={maj => {
                if (maj) col.setData(d => d && { ...d, ...maj });
                setEdition(false);
                window.setTimeout(() => titre.current?.focus(), 0);
              }}
            />
          )}
          <div className="coop-actions fr-mb-3w">
            {c.moi.peut_modifier && !edition && (
              <Button type="button" priority="secondary" iconId="fr-icon-edit-line" onClick={() => setEdition(true)}>
                Modifier la collection
              </Button>
            )}
            {!c.moi.peut_modifier && (
              <Button
                type="button"
                priority={c.moi.suit ? "secondary" : "primary"}
                nativeButtonProps={{ "aria-pressed": c.moi.suit }}
                onClick={() => void faire(async () => {
                  await suivreCollection(c.id, !c.moi.suit);
                  col.setData(d => d && { ...d, moi: { ...d.moi, suit: !d.moi.suit } });
                })}
              >
                {c.moi.suit ? "Ne plus suivre la collection" : "Suivre la collection"}
              </Button>
            )}
            {c.moi.peut_modifier && (
              <Button
                type="button"
                priority="tertiary"
                iconId="fr-icon-delete-line"
                onClick={() => {
                  if (!window.confirm(`Supprimer la collection « ${c.titre} » ? Les ressources ne sont pas supprimées.`)) return;
                  void faire(async () => {
                    await supprimerCollection(c.id);
                    navigate("/ressources/collections");
                  });
                }}
              >
                Supprimer la collection
              </Button>
            )}
          </div>
          <ListeRessources key={cle} filtre={{ collection: c.id }} vide="Cette collection est vide : ajoutez-y des ressources depuis leur page." label={`Ressources de la collection ${c.titre}`} />
          {c.moi.peut_modifier && c.nombre > 0 && (
            <RetirerDeCollection collection={c.id} onRetire={() => {
              setCle(k => k + 1);
              col.reload();
            }} />
          )}
        </>
      )}
    </RessourcesCadre>
  );
}

/** The owner's form: title, description, public or private (PATCH); the API's errors on their fields. */
function ModifierCollection({ collection: c, onFini }: { collection: Collection; onFini: (maj: Collection | null) => void }) {
  const [titre, setTitre] = useState(c.titre);
  const [description, setDescription] = useState(c.description);
  const [publique, setPublique] = useState(c.publique);
  const [erreur, setErreur] = useState<ApiError | null>(null);
  const [envoi, setEnvoi] = useState(false);
  const premier = useRef<HTMLInputElement>(null);
  const zone = useRef<HTMLFormElement>(null);
  useEffect(() => premier.current?.focus(), []);
  useEffect(() => {
    if (!erreur) return;
    const champ = erreur.fields.titre ? "titre" : erreur.fields.description ? "description" : null;
    zone.current?.querySelector<HTMLElement>(champ ? `[name="${champ}"]` : "[data-resume]")?.focus();
  }, [erreur]);
  const enregistrer = async (e: FormEvent) => {
    e.preventDefault();
    if (envoi) return;
    setEnvoi(true);
    setErreur(null);
    try {
      onFini(await modifierCollection(c.id, { titre, description, publique }));
    } catch (er) {
      if (isApiError(er)) setErreur(er);
    } finally {
      setEnvoi(false);
    }
  };
  const autres = erreur && !erreur.fields.titre && !erreur.fields.description;
  return (
    <form ref={zone} onSubmit={enregistrer} noValidate className="coop-ress__edition-collection fr-mb-3w" aria-labelledby="edition-collection-titre">
      <h2 id="edition-collection-titre" className="fr-h5">
        Modifier la collection
      </h2>
      <Input
        label="Titre de la collection"
        state={erreur?.fields.titre ? "error" : "default"}
        stateRelatedMessage={erreur?.fields.titre}
        nativeInputProps={{ ref: premier, value: titre, onChange: e => setTitre(e.currentTarget.value), name: "titre" }}
      />
      <Input
        label="Description"
        hintText="1 000 caractères au plus."
        textArea
        state={erreur?.fields.description ? "error" : "default"}
        stateRelatedMessage={erreur?.fields.description}
        nativeTextAreaProps={{ value: description, onChange: e => setDescription(e.currentTarget.value), rows: 3, name: "description" }}
      />
      <ToggleSwitch label="Collection publique" helperText="Visible de tous les utilisateurs de Coop ; privée, de vous seul (ou des membres de la structure)." checked={publique} onChange={setPublique} inputTitle="Collection publique" showCheckedHint={false} />
      {autres && (
        <div data-resume tabIndex={-1}>
          <ErrorAlert error={erreur} as="h3" className="fr-mt-2w" />
        </div>
      )}
      <div className="coop-actions fr-mt-2w">
        <Button type="submit" disabled={envoi}>
          Enregistrer
        </Button>
        <Button type="button" priority="secondary" onClick={() => onFini(null)}>
          Annuler
        </Button>
      </div>
    </form>
  );
}

function RetirerDeCollection({ collection, onRetire }: { collection: number; onRetire: () => void }) {
  const liste = useAsync(() => listRessources({ collection, par_page: 100, facettes: "0" }), [collection]);
  const [erreur, setErreur] = useState<ApiError | null>(null);
  if (!liste.data?.items.length) return null;
  return (
    <details className="fr-mt-3w">
      <summary>Retirer des ressources de la collection</summary>
      <ErrorAlert error={erreur} as="h2" />
      <ul className="coop-ress__liste">
        {liste.data.items.map(r => (
          <li key={r.id} className="coop-actions">
            <span>{r.titre}</span>
            <Button
              type="button"
              size="small"
              priority="tertiary"
              nativeButtonProps={{ "aria-label": `Retirer « ${r.titre} » de la collection` }}
              onClick={() =>
                void retirerDeCollection(collection, r.id)
                  .then(() => {
                    liste.reload();
                    onRetire();
                  })
                  .catch(e => isApiError(e) && setErreur(e))
              }
            >
              Retirer
            </Button>
          </li>
        ))}
      </ul>
    </details>
  );
}
