import { useTitle } from "../../lib/useTitle";

/** Conditions générales d'utilisation, accepted at sign-up. */
export function CguPage() {
  useTitle("Conditions générales d'utilisation");
  return (
    <div className="fr-container fr-my-6w">
      <div className="fr-grid-row">
        <div className="fr-col-12 fr-col-lg-8">
          <h1>Conditions générales d'utilisation</h1>
          <h2 className="fr-h4">Objet</h2>
          <p>
            Coop permet aux médiateurs numériques, aux conseillers numériques et à leurs coordinateurs d'enregistrer les
            accompagnements qu'ils réalisent (comptes rendus d'activité), de suivre les personnes accompagnées et d'en
            produire des statistiques, pour eux-mêmes, leur structure et les territoires.
          </p>
          <h2 className="fr-h4">Votre compte</h2>
          <p>
            Votre compte est personnel : ne partagez pas votre mot de passe. Les informations que vous donnez (profil,
            structure employeuse, lieux d'activité) doivent être exactes. Votre rattachement à une structure est confirmé
            par un de ses gestionnaires, qui peut le refuser.
          </p>
          <h2 className="fr-h4">Données des personnes accompagnées</h2>
          <p>
            Vous n'enregistrez que les données nécessaires à l'accompagnement, avec l'accord de la personne quand elle
            est nommée. Les bénéficiaires que vous suivez ne sont visibles que de vous ; les coordinateurs, les structures
            et les territoires ne voient que des chiffres agrégés, sans nom. Une personne peut demander l'accès à ses
            données ou leur effacement : Coop permet d'y répondre depuis sa fiche.
          </p>
          <h2 className="fr-h4">Usage</h2>
          <p>
            Coop s'utilise dans le cadre de votre activité de médiation numérique. Un usage contraire à ces conditions
            peut conduire à la désactivation du compte par un administrateur.
          </p>
        </div>
      </div>
    </div>
  );
}
