/**
 * A lieu's page (/lieux/:id): everything the standard holds, the hours in French as the server
 * renders them (never guessed: « horaires non renseignés » when invalid), the completeness score
 * and the source; « Imprimer la fiche d'orientation » prints an A4 sheet for the person (place,
 * address, hours, how to get in, what to bring: lieux.css, @media print).
 */
import { fr } from "@codegouvfr/react-dsfr";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useState, type FormEvent } from "react";
import { Link, useParams } from "react-router";
import { isApiError, type ApiError } from "../../api/client";
import { envoyerFiche, lireLieu, signalerErreur, type LieuDetail } from "../../api/lieux";
import { LoadError } from "../../components/LoadError";
import { PageLoading } from "../../components/PageLoading";
import { useAsync } from "../../lib/useAsync";
import { useTitle } from "../../lib/useTitle";
import { liste } from "./vocabulaire";
import "./lieux.css";

export default function LieuPage() {
  const { id = "" } = useParams();
  const lieu = useAsync(() => lireLieu(id), [id]);
  useTitle(lieu.data ? lieu.data.champs.nom : "Lieu");
  if (lieu.error) return <LoadError error={lieu.error} what="ce lieu" page />;
  if (!lieu.data) return <PageLoading label="Chargement du lieu…" />;
  return <Fiche lieu={lieu.data} />;
}

function Liste({ titre, valeurs }: { titre: string; valeurs: string[] }) {
  return (
    <div className="coop-lieu__bloc">
      <h3 className="fr-h6 fr-mb-1w">{titre}</h3>
      {valeurs.length ? (
        <ul>
          {valeurs.map(v => (
            <li key={v}>{v}</li>
          ))}
        </ul>
      ) : (
        <p className="fr-text--sm coop-lieu__vide">Non renseigné</p>
      )}
    </div>
  );
}

const lien = (u: string) => (/^https?:\/\//i.test(u) ? u : `https://${u}`);
const telephoneLisible = (t: string) => (t.startsWith("+33") && t.length === 12 ? `0${t.slice(3)}`.replace(/(\d{2})(?=\d)/g, "$1 ") : t);
const dateFr = (d: string) => (/^\d{4}-\d{2}-\d{2}/.test(d) ? new Date(`${d.slice(0, 10)}T12:00:00`).toLocaleDateString("fr-FR", { day: "numeric", month: "long", year: "numeric" }) : d);

/** What to bring, by service (the fiche d'orientation). */
function aApporter(services: string[]): string[] {
  const r = ["Une pièce d'identité"];
  if (services.includes("Aide aux démarches administratives"))
    r.push("Les courriers et documents de la démarche", "Vos identifiants (France Connect, impots.gouv, CAF, France Travail…) si vous les avez");
  if (services.some(s => s.startsWith("Maîtrise") || s.startsWith("Utilisation") || s.startsWith("Parentalité") || s.startsWith("Loisirs")))
    r.push("Votre téléphone, tablette ou ordinateur, chargé, si vous en avez un");
  if (services.includes("Insertion professionnelle via le numérique")) r.push("Votre CV, si vous en avez un");
  return r;
}

export function Fiche({ lieu }: { lieu: LieuDetail }) {
  const c = lieu.champs;
  const services = liste(c.services);
  const acces = liste(c.modalites_acces);
  const courriels = liste(c.courriels);
  const sites = liste(c.site_web);
  const adresse = `${c.adresse}${c.complement_adresse ? `, ${c.complement_adresse}` : ""}`;
  const horaires =
    lieu.horaires_semaine.length > 0 ? (
      <ul className="coop-lieu__semaine" data-testid="horaires-semaine">
        {lieu.horaires_semaine.map(j => (
          <li key={j}>{j}</li>
        ))}
      </ul>
    ) : (
      <p data-testid="horaires-semaine">Horaires non renseignés{c.horaires ? ` (valeur fournie : « ${c.horaires} »)` : ""}.</p>
    );
  return (
    <div className={fr.cx("fr-container", "fr-py-4w")}>
      <div className="coop-lieu__ecran">
        <Breadcrumb
          currentPageLabel={c.nom}
          segments={[{ label: "Lieux", linkProps: { to: "/lieux" } }]}
          className="fr-mb-2w"
        />
        <div className="coop-lieux__barre">
          <h1 className="fr-mb-1w">{c.nom}</h1>
          <div className="coop-lieu__actions">
            <Button type="button" priority="secondary" iconId="fr-icon-printer-line" onClick={() => window.print()}>
              Imprimer la fiche d'orientation
            </Button>
            {lieu.peut_modifier && (
              <Button linkProps={{ to: `/lieux/${lieu.id}/modifier` }} iconId="fr-icon-edit-line">
                Modifier la fiche
              </Button>
            )}
          </div>
        </div>
        <p className="fr-mb-2w">
          <span data-testid="lieu-etat" className={fr.cx("fr-badge", lieu.ouvert === true ? "fr-badge--success" : lieu.ouvert === false ? "fr-badge--error" : "fr-badge--info")}>
            {lieu.etat}
          </span>{" "}
          {lieu.sur_la_carte ? <Badge small severity="new" noIcon>Visible sur la carte</Badge> : <Badge small noIcon>Absent de la carte</Badge>}
        </p>
        {c.presentation_resume && <p className="fr-text--lead">{c.presentation_resume}</p>}
        {c.presentation_detail && <p className="coop-lieu__texte">{c.presentation_detail}</p>}
        <div className="coop-lieu__colonnes">
          <section aria-labelledby="adresse-titre" className="coop-lieu__bloc">
            <h2 id="adresse-titre" className="fr-h5">Adresse et contact</h2>
            <address>
              {adresse}
              <br />
              {c.code_postal} {c.commune}
              {c.code_insee && <span className="fr-hint-text">Code INSEE {c.code_insee}</span>}
            </address>
            {c.latitude !== null && c.longitude !== null && (
              <p className="fr-text--sm">
                Position : {c.latitude}, {c.longitude}{" "}
                <a href={`https://www.openstreetmap.org/?mlat=${c.latitude}&mlon=${c.longitude}#map=18/${c.latitude}/${c.longitude}`} target="_blank" rel="noopener noreferrer" title="Voir sur OpenStreetMap (nouvelle fenêtre)">
                  Voir sur OpenStreetMap
                </a>
              </p>
            )}
            {c.itinerance && <p className="fr-text--sm">Itinérance : {liste(c.itinerance).join(", ")}</p>}
            <ul className="coop-lieu__contact">
              {c.telephone && (
                <li>
                  Téléphone : <a href={`tel:${c.telephone}`}>{telephoneLisible(c.telephone)}</a>
                </li>
              )}
              {courriels.map(m => (
                <li key={m}>
                  Courriel : <a href={`mailto:${m}`}>{m}</a>
                </li>
              ))}
              {sites.map(s => (
                <li key={s}>
                  Site web : <a href={lien(s)} target="_blank" rel="noopener noreferrer" title={`${s} (nouvelle fenêtre)`}>{s}</a>
                </li>
              ))}
              {c.fiche_acces_libre && (
                <li>
                  <a href={lien(c.fiche_acces_libre)} target="_blank" rel="noopener noreferrer" title="Page d'accessibilité (nouvelle fenêtre)">Page d'accessibilité du lieu (Acceslibre)</a>
                </li>
              )}
              {c.prise_rdv && (
                <li>
                  <a href={lien(c.prise_rdv)} target="_blank" rel="noopener noreferrer" title="Prendre rendez-vous en ligne (nouvelle fenêtre)">Prendre rendez-vous en ligne</a>
                </li>
              )}
            </ul>
          </section>
          <section aria-labelledby="horaires-titre" className="coop-lieu__bloc">
            <h2 id="horaires-titre" className="fr-h5">Horaires des 7 prochains jours</h2>
            {horaires}
          </section>
        </div>
        <section aria-labelledby="offre-titre">
          <h2 id="offre-titre" className="fr-h5 fr-mt-3w">Ce que propose le lieu</h2>
          <div className="coop-lieu__colonnes">
            <Liste titre="Services" valeurs={services} />
            <Liste titre="Publics spécifiquement adressés" valeurs={liste(c.publics_specifiquement_adresses)} />
            <Liste titre="Prise en charge spécifique" valeurs={liste(c.prise_en_charge_specifique)} />
            <Liste titre="Frais à charge" valeurs={liste(c.frais_a_charge)} />
            <Liste titre="Modalités d'accès" valeurs={acces} />
            <Liste titre="Modalités d'accompagnement" valeurs={liste(c.modalites_accompagnement)} />
            <Liste titre="Dispositifs et programmes nationaux" valeurs={liste(c.dispositif_programmes_nationaux)} />
            <Liste titre="Formations et labels" valeurs={[...liste(c.formations_labels), ...(c.autres_formations_labels ? [c.autres_formations_labels] : [])]} />
          </div>
        </section>
        <section aria-labelledby="donnees-titre" className="fr-mt-3w">
          <h2 id="donnees-titre" className="fr-h5">Données</h2>
          <dl className="coop-lieu__donnees">
            <dt>Complétude de la fiche</dt>
            <dd>
              <progress max={100} value={lieu.completude} aria-label="Complétude de la fiche" /> {lieu.completude} %
            </dd>
            <dt>Source</dt>
            <dd>{c.source || lieu.source_import}</dd>
            <dt>Mise à jour</dt>
            <dd>{dateFr(c.date_maj)}</dd>
            <dt>SIRET ou RNA</dt>
            <dd>{c.pivot}</dd>
            <dt>Identifiant</dt>
            <dd>{c.id}</dd>
            {c.typologie && (
              <>
                <dt>Typologie</dt>
                <dd>{liste(c.typologie).join(", ")}</dd>
              </>
            )}
            {c.structure_parente && (
              <>
                <dt>Structure parente</dt>
                <dd>{c.structure_parente}</dd>
              </>
            )}
            {lieu.structure_id !== null && (
              <>
                <dt>Structure Coop</dt>
                <dd>
                  <Link to={`/structures/${lieu.structure_id}`}>Voir la structure</Link>
                </dd>
              </>
            )}
          </dl>
        </section>
        <div className="coop-lieu__colonnes fr-mt-4w">
          <FormulaireCourriel
            titre="Envoyer la fiche par e-mail"
            id="envoi"
            champ="destinataire"
            label="Adresse e-mail de la personne"
            aide="La fiche d'orientation (adresse, horaires, comment y aller) lui est envoyée."
            bouton="Envoyer la fiche"
            envoyer={v => envoyerFiche(lieu.id, v).then(() => `Fiche envoyée à ${v}.`)}
          />
          <FormulaireCourriel
            titre="Signaler une erreur"
            id="signalement"
            champ="message"
            long
            label="Quelle information est fausse ?"
            aide="Votre message est envoyé au gestionnaire du lieu (ou aux administrateurs pour un lieu importé)."
            bouton="Envoyer le signalement"
            envoyer={v => signalerErreur(lieu.id, v).then(r => `Signalement envoyé (${r.destinataires} destinataire${r.destinataires > 1 ? "s" : ""}). Merci !`)}
          />
        </div>
      </div>
      <article className="coop-lieu__fiche" aria-hidden="true" data-testid="fiche-orientation">
        <p className="coop-lieu__fiche-titre">Fiche d'orientation</p>
        <h2>{c.nom}</h2>
        <h3>Où ?</h3>
        <p>
          {adresse}
          <br />
          {c.code_postal} {c.commune}
        </p>
        <h3>Quand ?</h3>
        {horaires}
        <h3>Comment y aller ?</h3>
        <ul>
          {(acces.length ? acces : ["Se présenter"]).map(a => (
            <li key={a}>{a}</li>
          ))}
          {c.telephone && <li>Téléphone : {telephoneLisible(c.telephone)}</li>}
          {courriels.map(m => (
            <li key={m}>Courriel : {m}</li>
          ))}
          {c.prise_rdv && <li>Rendez-vous en ligne : {c.prise_rdv}</li>}
        </ul>
        {services.length > 0 && (
          <>
            <h3>On peut vous y aider pour</h3>
            <ul>
              {services.map(s => (
                <li key={s}>{s}</li>
              ))}
            </ul>
          </>
        )}
        <h3>À apporter</h3>
        <ul>
          {aApporter(services).map(a => (
            <li key={a}>{a}</li>
          ))}
        </ul>
        <p className="coop-lieu__fiche-pied">Informations mises à jour le {dateFr(c.date_maj)} · source : {c.source || lieu.source_import}</p>
      </article>
    </div>
  );
}

function FormulaireCourriel(props: {
  titre: string;
  id: string;
  champ: string;
  label: string;
  aide: string;
  bouton: string;
  long?: boolean;
  envoyer: (valeur: string) => Promise<string>;
}) {
  const [valeur, setValeur] = useState("");
  const [erreur, setErreur] = useState<ApiError | null>(null);
  const [ok, setOk] = useState<string | null>(null);
  const [envoi, setEnvoi] = useState(false);
  const soumettre = async (e: FormEvent) => {
    e.preventDefault();
    setEnvoi(true);
    setOk(null);
    try {
      setOk(await props.envoyer(valeur.trim()));
      setErreur(null);
      setValeur("");
    } catch (x) {
      if (isApiError(x)) setErreur(x);
    } finally {
      setEnvoi(false);
    }
  };
  const message = erreur ? erreur.fields[props.champ] ?? erreur.message : undefined;
  return (
    <section aria-labelledby={`${props.id}-titre`} className="coop-lieu__bloc">
      <h2 id={`${props.id}-titre`} className="fr-h5">
        {props.titre}
      </h2>
      <form onSubmit={soumettre} noValidate data-testid={`form-${props.id}`}>
        {props.long ? (
          <Input
            label={props.label}
            hintText={props.aide}
            textArea
            nativeTextAreaProps={{ name: props.champ, value: valeur, onChange: e => setValeur(e.currentTarget.value), rows: 3, maxLength: 2000 }}
            state={message ? "error" : "default"}
            stateRelatedMessage={message}
          />
        ) : (
          <Input
            label={props.label}
            hintText={props.aide}
            nativeInputProps={{ name: props.champ, type: "email", autoComplete: "off", value: valeur, onChange: e => setValeur(e.currentTarget.value) }}
            state={message ? "error" : "default"}
            stateRelatedMessage={message}
          />
        )}
        <Button type="submit" priority="secondary" disabled={envoi}>
          {props.bouton}
        </Button>
        {ok && (
          <p className="fr-valid-text" role="status">
            {ok}
          </p>
        )}
      </form>
    </section>
  );
}
