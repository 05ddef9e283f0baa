import { Button } from "@codegouvfr/react-dsfr/Button";
import { useTitle } from "../lib/useTitle";

export function NotFoundPage() {
  useTitle("Page introuvable");
  return (
    <div className="fr-container fr-my-6w">
      <h1>Page introuvable</h1>
      <p className="fr-text--lead">La page que vous cherchez est introuvable. Excusez-nous pour la gêne occasionnée.</p>
      <p>Si vous avez tapé l'adresse web dans le navigateur, vérifiez qu'elle est correcte.</p>
      <Button linkProps={{ to: "/" }}>Page d'accueil</Button>
    </div>
  );
}
