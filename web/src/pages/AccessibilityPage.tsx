import { useTitle } from "../lib/useTitle";

export function AccessibilityPage() {
  useTitle("Accessibilité");
  return (
    <div className="fr-container fr-my-6w">
      <h1>Déclaration d'accessibilité</h1>
      <p>
        Coop s'engage à rendre son service accessible, conformément à l'article 47 de la loi n° 2005-102 du
        11 février 2005.
      </p>
      <h2>État de conformité</h2>
      <p>
        Coop est <strong>partiellement conforme</strong> avec le référentiel général d'amélioration de
        l'accessibilité (RGAA), version 4.1 : l'interface utilise le Système de design de l'État et chaque
        page est vérifiée automatiquement (axe-core) ; un audit complet n'a pas encore été réalisé.
      </p>
      <h2>Retour d'information et contact</h2>
      <p>
        Si vous n'arrivez pas à accéder à un contenu ou à un service, contactez l'administrateur de votre
        instance de Coop pour être orienté vers une alternative accessible.
      </p>
      <h2>Voies de recours</h2>
      <p>
        Si vous constatez un défaut d'accessibilité vous empêchant d'accéder à un contenu ou à une
        fonctionnalité, que vous nous l'avez signalé et que vous n'avez pas obtenu de réponse, vous pouvez
        saisir le Défenseur des droits.
      </p>
    </div>
  );
}
