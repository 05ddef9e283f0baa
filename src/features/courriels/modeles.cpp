#include "features/courriels/modeles.hpp"

namespace coop::courriels::modeles {

std::string salutation(const std::string& prenom) { return prenom.empty() ? "Bonjour," : "Bonjour " + prenom + ","; }

Courriel invitation(const std::string& destinataire, const std::string& lien, const std::string& role_libelle,
                    const std::string& invitant, const std::string& structure, const std::string& expire_le) {
  Contenu c;
  c.titre = "Vous êtes invité(e) à rejoindre Coop";
  std::string qui = invitant.empty() ? "Vous êtes invité(e)" : invitant + " vous invite";
  std::string ou = structure.empty() ? "" : " pour la structure « " + structure + " »";
  c.paragraphes = {qui + " à rejoindre Coop, la plateforme des médiateurs numériques, avec le rôle « " +
                       role_libelle + " »" + ou + ".",
                   "Coop vous permet d'enregistrer vos accompagnements (comptes rendus d'activité), de suivre vos "
                   "bénéficiaires et de consulter vos statistiques."};
  c.bouton_libelle = "Accepter l'invitation";
  c.bouton_lien = lien;
  c.apres = {"Cette invitation est valable jusqu'au " + expire_le + ".",
             "Si vous ne vous attendiez pas à cette invitation, ignorez ce message : aucun compte ne sera créé."};
  return composer("invitation", destinataire, "Invitation à rejoindre Coop", c);
}

Courriel bienvenue(const std::string& public_url, const std::string& destinataire, const std::string& prenom,
                   std::optional<std::int64_t> user_id) {
  Contenu c;
  c.titre = "Bienvenue sur Coop";
  c.salutation = salutation(prenom);
  c.paragraphes = {"Votre compte Coop est ouvert. Vous vous connectez avec cette adresse e-mail : " + destinataire + ".",
                   "Depuis votre espace, enregistrez vos activités de médiation numérique, retrouvez vos "
                   "bénéficiaires et suivez vos statistiques."};
  c.bouton_libelle = "Se connecter à Coop";
  c.bouton_lien = public_url + "/connexion";
  c.apres = {"Si vous n'êtes pas à l'origine de ce compte, répondez à l'administrateur de votre structure ou "
             "signalez-le à l'équipe Coop."};
  return composer("bienvenue", destinataire, "Bienvenue sur Coop", c, user_id);
}

Courriel confirmation_changement_courriel(const std::string& public_url, const std::string& nouvel_email,
                                          const std::string& ancien_email, const std::string& prenom,
                                          const std::string& jeton, std::int64_t user_id) {
  Contenu c;
  c.titre = "Confirmez votre nouvelle adresse e-mail";
  c.salutation = salutation(prenom);
  c.paragraphes = {"Vous avez demandé à remplacer l'adresse e-mail de votre compte Coop (" + ancien_email +
                   ") par celle-ci : " + nouvel_email + ".",
                   "Le changement ne sera fait qu'après votre confirmation."};
  c.bouton_libelle = "Confirmer cette adresse";
  c.bouton_lien = public_url + "/compte/confirmer-courriel/" + jeton;
  c.apres = {"Ce lien est valable 24 heures et ne sert qu'une fois.",
             "Si vous n'avez rien demandé, ignorez ce message : votre adresse ne changera pas."};
  return composer("changement_courriel", nouvel_email, "Confirmez votre nouvelle adresse e-mail", c, user_id);
}

Courriel avis_changement_courriel(const std::string& public_url, const std::string& ancien_email,
                                  const std::string& nouvel_email, const std::string& prenom, std::int64_t user_id) {
  Contenu c;
  c.titre = "Changement d'adresse e-mail demandé";
  c.salutation = salutation(prenom);
  c.paragraphes = {"Un changement de l'adresse e-mail de votre compte Coop vers " + nouvel_email +
                       " vient d'être demandé.",
                   "Il ne sera fait que lorsque la nouvelle adresse l'aura confirmé, dans les 24 heures. D'ici là, "
                   "vous pouvez l'annuler depuis « Mon compte »."};
  c.bouton_libelle = "Ouvrir « Mon compte »";
  c.bouton_lien = public_url + "/compte";
  c.apres = {"Si vous n'êtes pas à l'origine de cette demande, annulez-la et changez votre mot de passe."};
  return composer("avis_changement_courriel", ancien_email, "Changement d'adresse e-mail demandé", c, user_id);
}

Courriel rappel_cra(const std::string& public_url, const std::string& destinataire, const std::string& prenom,
                    std::int64_t user_id) {
  Contenu c;
  c.titre = "Vos activités de médiation comptent";
  c.salutation = salutation(prenom);
  c.paragraphes = {"Vous n'avez enregistré aucune activité sur Coop depuis 14 jours.",
                   "Chaque accompagnement enregistré (compte rendu d'activité) rend visible votre travail et celui "
                   "de votre structure dans les statistiques de la médiation numérique."};
  c.bouton_libelle = "Enregistrer une activité";
  c.bouton_lien = public_url + "/activites/nouvelle";
  c.apres = {"Vous ne recevrez pas d'autre rappel tant que vous n'aurez pas enregistré de nouvelle activité.",
             "Pour ne plus recevoir ce rappel, décochez « Me rappeler d'enregistrer mes activités » dans « Mon "
             "compte » : " + public_url + "/compte"};
  return composer("rappel_cra", destinataire, "Pensez à enregistrer vos activités sur Coop", c, user_id);
}

}  // namespace coop::courriels::modeles
