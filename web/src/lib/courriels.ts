/** French labels of the outbox: statuses and templates (an open list: unknown ones show as is). */
export const STATUT_LABELS: Record<string, string> = {
  en_attente: "En attente",
  envoye: "Envoyé",
  abandonne: "Abandonné"
};

export const STATUT_SEVERITY: Record<string, "info" | "success" | "error"> = {
  en_attente: "info",
  envoye: "success",
  abandonne: "error"
};

export const MODELE_LABELS: Record<string, string> = {
  invitation: "Invitation",
  bienvenue: "Bienvenue",
  changement_courriel: "Confirmation de changement d'adresse",
  avis_changement_courriel: "Avis de changement d'adresse",
  rappel_cra: "Rappel d'activité (14 jours)",
  reinitialisation_mot_de_passe: "Réinitialisation du mot de passe"
};
