// /reseaux/:id: a local network — its territory and members, then tabs: directory, map,
// figures (statistics scope « réseau », members and animators), management (animators:
// invite a structure, remove one, co-animators, delete), and the link to its channel.
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Tabs } from "@codegouvfr/react-dsfr/Tabs";
import { useEffect, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import type { ApiError } from "../../api/client";
import {
  ajouterAnimateur,
  ajouterStructure,
  annuaireReseau,
  lireReseau,
  retirerAnimateur,
  retirerStructure,
  supprimerReseau,
  type Reseau
} from "../../api/reseaux";
import { getStatistiques } from "../../api/statistiques";
import type { StatistiquesTableau } from "../../api/types";
import { useMe } from "../../auth/AuthContext";
import { ErrorAlert } from "../../components/ErrorAlert";
import { LoadError } from "../../components/LoadError";
import { PageLoading } from "../../components/PageLoading";
import { useAsync } from "../../lib/useAsync";
import { useTitle } from "../../lib/useTitle";
import { Annuaire, CarteReseau } from "./Annuaire";
import { StructureReseauPicker } from "./ReseauFormPage";
import "./reseaux.css";

function Chiffres({ reseau }: { reseau: Reseau }) {
  const perimetre = reseau.perimetre_statistiques!;
  const [t, setT] = useState<StatistiquesTableau | null>(null);
  const [erreur, setErreur] = useState<ApiError | null>(null);
  useEffect(() => {
    getStatistiques(`perimetre=${encodeURIComponent(perimetre)}`).then(setT, e => setErreur(e as ApiError));
  }, [perimetre]);
  return (
    <section aria-labelledby="chiffres-reseau">
      <h2 id="chiffres-reseau">Chiffres du réseau</h2>
      <p className="fr-text--sm">
        Les activités des médiateurs des structures membres, chacune comptée pour la structure qui employait son médiateur à la date de
        l'activité ; et les activités de coordination des coordinateurs de ces structures.
      </p>
      {erreur ? (
        <LoadError error={erreur} what="les chiffres du réseau" />
      ) : !t ? (
        <p>Chargement des chiffres…</p>
      ) : (
        <ul className="coop-reseaux-chiffres" data-testid="chiffres-reseau">
          <li>
            <strong data-testid="chiffre-activites">{t.totaux.activites.toLocaleString("fr-FR")}</strong> activités
          </li>
          <li>
            <strong>{t.totaux.accompagnements.toLocaleString("fr-FR")}</strong> accompagnements
          </li>
          <li>
            <strong>{t.totaux.beneficiaires.toLocaleString("fr-FR")}</strong> bénéficiaires suivis
          </li>
          <li>
            <strong>{Math.round(t.totaux.duree_totale_minutes / 60).toLocaleString("fr-FR")} h</strong> d'accompagnement
          </li>
        </ul>
      )}
      <p>
        <Link to={`/statistiques?perimetre=${encodeURIComponent(perimetre)}`}>Voir toutes les statistiques du réseau</Link>
      </p>
    </section>
  );
}

function Gestion({ reseau, onChange }: { reseau: Reseau; onChange: () => void }) {
  const navigate = useNavigate();
  const [message, setMessage] = useState<string | null>(null);
  const [erreur, setErreur] = useState<ApiError | null>(null);
  const [cle, setCle] = useState(0);
  const [candidat, setCandidat] = useState("");
  const annuaire = useAsync(() => annuaireReseau(reseau.id, ""), [reseau.id, cle]);
  const animateurs = new Set(reseau.animateurs.map(a => a.user_id));
  const candidats = (annuaire.data?.personnes ?? []).filter(
    (p, i, tous) => p.role !== "mediateur" && !animateurs.has(p.user_id) && tous.findIndex(x => x.user_id === p.user_id) === i
  );
  const faire = async (action: () => Promise<string>) => {
    setErreur(null);
    setMessage(null);
    try {
      setMessage(await action());
      setCle(k => k + 1);
      onChange();
    } catch (e) {
      setErreur(e as ApiError);
    }
  };
  return (
    <section aria-labelledby="gestion-reseau">
      <h2 id="gestion-reseau">Gestion du réseau</h2>
      <div aria-live="polite">{message && <Alert severity="success" small description={message} className="fr-mb-3w" />}</div>
      <ErrorAlert error={erreur} title="L'action a échoué" />
      <div className="coop-reseaux-actions fr-mb-3w">
        <Button priority="secondary" iconId="fr-icon-edit-line" linkProps={{ to: `/reseaux/${reseau.id}/modifier` }}>
          Modifier le nom, la description, le territoire
        </Button>
      </div>
      <h3>Inviter une structure</h3>
      <StructureReseauPicker
        key={`s-${cle}`}
        label="Structure à inviter"
        onChoisir={s =>
          faire(async () => {
            const r = await ajouterStructure(reseau.id, s.id);
            return r.statut === "membre" ? `${s.nom} a rejoint le réseau.` : `${s.nom} est invitée : ses gestionnaires ont reçu un e-mail.`;
          })
        }
      />
      <h3>Invitations en attente</h3>
      {reseau.invitations.length === 0 ? (
        <p>Aucune invitation en attente.</p>
      ) : (
        <ul data-testid="invitations-en-attente">
          {reseau.invitations.map(i => (
            <li key={i.id}>{i.structure_nom}</li>
          ))}
        </ul>
      )}
      <h3>Co-animateurs</h3>
      <ul>
        {reseau.animateurs.map(a => (
          <li key={a.user_id}>
            {a.prenom} {a.nom} ({a.role === "createur" ? "créateur" : "co-animateur"}){" "}
            {reseau.animateurs.length > 1 && (
              <Button
                size="small"
                priority="tertiary"
                onClick={() => faire(async () => (await retirerAnimateur(reseau.id, a.user_id), `${a.prenom} ${a.nom} n'anime plus le réseau.`))}
              >
                Retirer
              </Button>
            )}
          </li>
        ))}
      </ul>
      {candidats.length === 0 ? (
        <p className="fr-text--sm">Aucun coordinateur ni gestionnaire des structures membres à nommer.</p>
      ) : (
        <form
          className="coop-reseaux-actions fr-mb-3w"
          onSubmit={e => {
            e.preventDefault();
            const c = candidats.find(x => String(x.user_id) === candidat);
            if (c) faire(async () => (await ajouterAnimateur(reseau.id, c.user_id), `${c.prenom} ${c.nom} co-anime le réseau.`));
          }}
        >
          <Select
            label="Nommer un co-animateur (coordinateur ou gestionnaire d'une structure membre)"
            nativeSelectProps={{ name: "co_animateur", value: candidat, onChange: e => setCandidat(e.target.value) }}
          >
            <option value="">Choisir une personne</option>
            {candidats.map(c => (
              <option key={c.user_id} value={c.user_id}>
                {c.prenom} {c.nom} – {c.structure_nom}
              </option>
            ))}
          </Select>
          <Button type="submit" priority="secondary" disabled={!candidat}>
            Nommer
          </Button>
        </form>
      )}
      {reseau.droits.supprimer && (
        <>
          <h3>Supprimer le réseau</h3>
          <p>Le canal de discussion du réseau est archivé ; ses messages restent lisibles par ses membres.</p>
          <Button
            priority="secondary"
            iconId="fr-icon-delete-line"
            onClick={async () => {
              if (!window.confirm(`Supprimer le réseau « ${reseau.nom} » ?`)) return;
              try {
                await supprimerReseau(reseau.id);
                navigate("/reseaux");
              } catch (e) {
                setErreur(e as ApiError);
              }
            }}
          >
            Supprimer le réseau
          </Button>
        </>
      )}
    </section>
  );
}

export default function ReseauPage() {
  const { id = "" } = useParams();
  const me = useMe();
  const reseau = useAsync(() => lireReseau(id), [id]);
  useTitle(reseau.data ? reseau.data.nom : "Réseau local");
  const [onglet, setOnglet] = useState("annuaire");
  const [erreur, setErreur] = useState<ApiError | null>(null);
  if (reseau.error) return <LoadError error={reseau.error} what="ce réseau" page />;
  if (!reseau.data) return <PageLoading label="Chargement du réseau…" />;
  const r = reseau.data;
  const onglets = [
    { tabId: "annuaire", label: "Annuaire" },
    { tabId: "carte", label: "Carte" },
    ...(r.droits.chiffres ? [{ tabId: "chiffres", label: "Chiffres" }] : []),
    ...(r.droits.animer ? [{ tabId: "gestion", label: "Gestion" }] : [])
  ];
  return (
    <div className="fr-container fr-my-4w">
      <p>
        <Link to="/reseaux">Mes réseaux</Link>
      </p>
      <h1>{r.nom}</h1>
      {r.description && <p>{r.description}</p>}
      <p>
        <strong>Territoire :</strong> {r.territoires.map(t => t.nom).join(", ")}
      </p>
      <h2 className="fr-h5">Structures membres</h2>
      <ErrorAlert error={erreur} title="La structure n'a pas été retirée" />
      {r.structures.length === 0 ? (
        <p>Aucune structure membre pour l'instant.</p>
      ) : (
        <ul data-testid="structures-membres">
          {r.structures.map(s => (
            <li key={s.id}>
              {s.nom}
              {s.commune ? ` – ${s.commune}` : ""}{" "}
              {s.peut_retirer && (
                <Button
                  size="small"
                  priority="tertiary"
                  title={r.droits.animer ? `Retirer ${s.nom} du réseau` : `${s.nom} quitte le réseau`}
                  onClick={async () => {
                    setErreur(null);
                    try {
                      await retirerStructure(r.id, s.id);
                      reseau.reload();
                    } catch (e) {
                      setErreur(e as ApiError);
                    }
                  }}
                >
                  {r.droits.animer ? "Retirer" : "Quitter le réseau"}
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {r.canal_id && (
        <p>
          <Link className="fr-link fr-icon-discuss-line fr-link--icon-left" to={`/discussion/${r.canal_id}`}>
            Canal de discussion du réseau
          </Link>
        </p>
      )}
      {!r.droits.chiffres && me && <p className="fr-text--sm">Les chiffres et le canal du réseau sont réservés à ses membres.</p>}
      <Tabs selectedTabId={onglet} onTabChange={setOnglet} tabs={onglets}>
        {onglet === "annuaire" && <Annuaire cle={`reseau-${r.id}`} charger={q => annuaireReseau(r.id, q)} />}
        {onglet === "carte" && <CarteReseau filtre={`reseau=${r.id}`} titre={`Carte des lieux du réseau ${r.nom}`} />}
        {onglet === "chiffres" && r.droits.chiffres && <Chiffres reseau={r} />}
        {onglet === "gestion" && r.droits.animer && <Gestion reseau={r} onChange={() => reseau.reload()} />}
      </Tabs>
    </div>
  );
}
