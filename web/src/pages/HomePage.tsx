import { Navigate } from "react-router";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Tile } from "@codegouvfr/react-dsfr/Tile";
import type { ReactNode } from "react";
import { useMe } from "../auth/AuthContext";
import { hasRole, managedStructureIds, roleLabel } from "../lib/roles";
import { useTitle } from "../lib/useTitle";

interface Action {
  title: string;
  desc: string;
  to: string;
}

function slug(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-");
}

function Tiles({ title, actions }: { title: string; actions: Action[] }) {
  const id = `section-${slug(title)}`;
  return (
    <section className="coop-section" aria-labelledby={id}>
      <h2 id={id} className="fr-h4">
        {title}
      </h2>
      <div className="fr-grid-row fr-grid-row--gutters">
        {actions.map(a => (
          <div key={a.title} className="fr-col-12 fr-col-sm-6 fr-col-lg-4">
            <Tile title={a.title} desc={a.desc} linkProps={{ to: a.to }} enlargeLinkOrButton titleAs="h3" />
          </div>
        ))}
      </div>
    </section>
  );
}

export function HomePage() {
  useTitle("Accueil");
  const me = useMe();
  const sections: ReactNode[] = [];
  // A signed-up account without a profile yet: the sign-up steps come first.
  if (me.roles.length === 0) return <Navigate to="/inscription/parcours" replace />;

  if (hasRole(me, "mediateur")) {
    sections.push(
      <section key="mediateur" className="coop-section" aria-labelledby="section-activite">
        <h2 id="section-activite" className="fr-h4">
          Mon activité de médiation
        </h2>
        <div className="fr-grid-row fr-grid-row--gutters">
          <div className="fr-col-12 fr-col-md-8">
            <Tile
              title="Enregistrer une activité"
              desc="Un accompagnement individuel en quelques secondes : thématique, durée, c'est enregistré."
              linkProps={{ to: "/activites/nouvelle?type=individuel" }}
              enlargeLinkOrButton
              titleAs="h3"
              className="coop-tile-main"
              orientation="horizontal"
            />
          </div>
          <div className="fr-col-12 fr-col-md-4">
            <Tile
              title="Enregistrer un atelier"
              desc="Un atelier collectif, ses participants suivis et anonymes."
              linkProps={{ to: "/activites/nouvelle?type=collectif" }}
              enlargeLinkOrButton
              titleAs="h3"
            />
          </div>
          <div className="fr-col-12 fr-col-sm-6 fr-col-lg-4">
            <Tile title="Mes activités" desc="Retrouver, filtrer, modifier et exporter vos activités." linkProps={{ to: "/activites" }} enlargeLinkOrButton titleAs="h3" />
          </div>
          <div className="fr-col-12 fr-col-sm-6 fr-col-lg-4">
            <Tile title="Mes bénéficiaires" desc="Les personnes que vous suivez, leur historique, l'import et l'export." linkProps={{ to: "/beneficiaires" }} enlargeLinkOrButton titleAs="h3" />
          </div>
        </div>
      </section>
    );
  }
  if (hasRole(me, "coordinateur")) {
    sections.push(
      <Tiles
        key="coordinateur"
        title="Coordination"
        actions={[
          { title: "Gérer mon équipe", desc: "Voir les médiateurs que vous coordonnez, en ajouter ou clore un suivi.", to: "/equipe" },
          { title: "Inviter un médiateur", desc: "Créer un lien d'invitation pour un médiateur qui rejoindra votre équipe.", to: "/equipe#inviter" }
        ]}
      />
    );
  }
  if (hasRole(me, "gestionnaire_structure")) {
    const ids = managedStructureIds(me);
    const base = ids.length === 1 ? `/structures/${ids[0]}` : "/structures";
    sections.push(
      <Tiles
        key="gestionnaire"
        title="Ma structure"
        actions={[
          {
            title: ids.length === 1 ? "Gérer ma structure" : "Gérer mes structures",
            desc: "Consulter les informations et la liste des salariés, confirmer les rattachements des personnes inscrites, déclarer une arrivée ou un départ.",
            to: base
          },
          {
            title: "Inviter un médiateur",
            desc: "Créer un lien d'invitation pour un médiateur ou un coordinateur de votre structure.",
            to: ids.length === 1 ? `${base}#inviter` : base
          }
        ]}
      />
    );
  }
  if (hasRole(me, "admin")) {
    sections.push(
      <Tiles
        key="admin"
        title="Administration"
        actions={[
          { title: "Administrer les utilisateurs", desc: "Rechercher, créer des comptes, attribuer des rôles.", to: "/admin/utilisateurs" },
          { title: "Gérer les structures", desc: "Créer des structures et gérer leurs salariés.", to: "/structures" },
          { title: "Inviter un utilisateur", desc: "Créer une invitation pour n'importe quel rôle.", to: "/admin/invitations" },
          { title: "Consulter le journal d'audit", desc: "Connexions, changements de rôles et autres événements.", to: "/admin/audit" },
          { title: "Suivre les courriels", desc: "Courriels envoyés, en attente ou abandonnés ; les renvoyer.", to: "/admin/courriels" },
          { title: "Banque d'items", desc: "Questions du test de compétences numériques : aperçu, essai d'une réponse.", to: "/admin/evaluation/items" },
          { title: "Gérer les clients de l'API", desc: "Créer ou révoquer les accès à l'API publique.", to: "/admin/clients-api" }
        ]}
      />
    );
  }
  return (
    <div className="fr-container fr-my-6w">
      <h1>Bonjour {me.prenom || me.email}</h1>
      <p className="fr-text--lead fr-mb-2w">Bienvenue sur Coop, la plateforme des médiateurs numériques.</p>
      {me.roles.length > 0 ? (
        <ul className="fr-badges-group" aria-label="Vos rôles">
          {me.roles.map((r, i) => (
            <li key={i}>
              <Badge severity="info" noIcon>
                {roleLabel(r)}
              </Badge>
            </li>
          ))}
        </ul>
      ) : (
        <p>Aucun rôle ne vous est encore attribué. Contactez un administrateur pour obtenir vos accès.</p>
      )}
      {sections}
      <Tiles
        title="Mon compte"
        actions={[
          { title: "Mon compte", desc: "Mettre à jour vos coordonnées et votre mot de passe.", to: "/compte" },
          { title: "Mon profil de compétences", desc: "Test de positionnement des compétences numériques, à reprendre quand vous voulez.", to: "/evaluation/profil" }
        ]}
      />
    </div>
  );
}
