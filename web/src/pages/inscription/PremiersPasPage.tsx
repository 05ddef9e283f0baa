import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Card } from "@codegouvfr/react-dsfr/Card";
import * as inscription from "../../api/inscription";
import { useMe } from "../../auth/AuthContext";
import { LoadError } from "../../components/LoadError";
import { PageLoading } from "../../components/PageLoading";
import { hasRole } from "../../lib/roles";
import { useAsync } from "../../lib/useAsync";
import { useTitle } from "../../lib/useTitle";

interface Pas {
  titre: string;
  texte: string;
  lien: string;
}

export function PremiersPasPage() {
  useTitle("Premiers pas");
  const me = useMe();
  const parcours = useAsync(() => inscription.getParcours(), []);
  if (parcours.error) return <LoadError error={parcours.error} what="vos premiers pas" />;
  if (!parcours.data) return <PageLoading label="Chargement…" />;
  const p = parcours.data;
  const mediateur = hasRole(me, "mediateur");
  const coordinateur = hasRole(me, "coordinateur");
  const pas: Pas[] = [];
  if (p.etape === "profil" || p.etape === "structure" || p.etape === "lieux")
    pas.push({ titre: "Terminer mon inscription", texte: "Il vous reste des étapes : profil, structure employeuse ou lieux d'activité.", lien: "/inscription/parcours" });
  if (mediateur) {
    pas.push({ titre: "Enregistrer mon premier CRA", texte: "Un accompagnement individuel ou un atelier collectif : le compte rendu d'activité prend une minute.", lien: "/activites/nouvelle" });
    pas.push({ titre: "Ajouter un bénéficiaire suivi", texte: "Pour les personnes que vous accompagnez dans la durée (sinon, le CRA reste anonyme).", lien: "/beneficiaires/nouveau" });
  }
  if (coordinateur) pas.push({ titre: "Constituer mon équipe", texte: "Ajoutez les médiateurs que vous coordonnez, ou invitez-les.", lien: "/equipe" });
  pas.push({ titre: "Compléter mon profil", texte: "Votre téléphone et vos informations de contact, votre mot de passe.", lien: "/compte" });
  pas.push({ titre: "Consulter mes statistiques", texte: "Vos accompagnements en chiffres et en graphiques, à exporter ou partager.", lien: "/statistiques" });

  const enAttente = p.emplois.filter(e => e.statut === "en_attente");
  const refuses = p.emplois.filter(e => e.statut === "refuse");
  return (
    <div className="fr-container fr-my-6w">
      <h1>Bienvenue sur Coop, {me.prenom}</h1>
      {enAttente.map(e => (
        <Alert
          key={e.id}
          severity="info"
          small
          className="fr-mb-2w"
          description={`Votre rattachement à « ${e.structure_nom} » attend la confirmation d'un gestionnaire de la structure. En attendant, vous pouvez enregistrer vos activités : elles compteront pour la structure dès la confirmation.`}
        />
      ))}
      {refuses.map(e => (
        <Alert
          key={e.id}
          severity="warning"
          small
          className="fr-mb-2w"
          description={`Votre rattachement à « ${e.structure_nom} » a été refusé${e.motif_refus ? ` : ${e.motif_refus}` : "."}`}
        />
      ))}
      <h2 className="fr-h4 fr-mt-4w">Par quoi commencer ?</h2>
      <div className="fr-grid-row fr-grid-row--gutters">
        {pas.map(x => (
          <div key={x.lien} className="fr-col-12 fr-col-md-6 fr-col-lg-4">
            <Card title={x.titre} desc={x.texte} linkProps={{ to: x.lien }} enlargeLink titleAs="h3" size="small" />
          </div>
        ))}
      </div>
    </div>
  );
}
