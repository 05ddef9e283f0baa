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
  reinitialisation_mot_de_passe: "Réinitialisation du mot de passe",
  mot_de_passe_modifie: "Mot de passe modifié",
  inscription_confirmation: "Confirmation d'inscription",
  inscription_deja_inscrit: "Inscription : compte existant",
  inscription_emploi_a_confirmer: "Rattachement à confirmer",
  inscription_emploi_confirme: "Rattachement confirmé",
  inscription_emploi_refuse: "Rattachement refusé"
};
