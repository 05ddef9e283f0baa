import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useTitle } from "../lib/useTitle";

export function AccessDenied() {
  useTitle("Accès refusé");
  return (
    <div className="fr-container fr-my-6w">
      <h1>Accès refusé</h1>
      <Alert
        severity="error"
        as="h2"
        title="Vous n'avez pas accès à cette page"
        description="Votre compte ne dispose pas des droits nécessaires pour consulter cette page. Si vous pensez qu'il s'agit d'une erreur, contactez un administrateur de Coop."
        className="fr-mb-4w"
        id="access-denied"
      />
      <Button linkProps={{ to: "/" }} iconId="fr-icon-home-4-line">
        Retour à l'accueil
      </Button>
    </div>
  );
}
