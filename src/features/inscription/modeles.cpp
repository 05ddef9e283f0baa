#include "features/inscription/modeles.hpp"

namespace coop::inscription::modeles {

namespace {
std::string bonjour(const std::string& prenom) { return prenom.empty() ? "Bonjour," : "Bonjour " + prenom + ","; }
}  // namespace

courriels::Courriel confirmation(const std::string& email, const std::string& prenom, const std::string& lien,
                                 std::optional<std::int64_t> user_id) {
  courriels::Contenu c;
  c.titre = "Confirmez votre adresse e-mail";
  c.salutation = bonjour(prenom);
  c.paragraphes = {"Vous venez de créer votre compte Coop avec cette adresse. Pour l'activer, confirmez votre adresse "
                   "e-mail : le lien ci-dessous vous demandera le mot de passe choisi à l'inscription."};
  c.bouton_libelle = "Confirmer mon adresse";
  c.bouton_lien = lien;
  c.apres = {"Ce lien est valable 24 heures et ne sert qu'une fois. Passé ce délai, demandez un nouveau lien depuis "
             "la page de connexion.",
             "Si vous n'êtes pas à l'origine de cette inscription, ignorez ce message : aucun compte ne sera activé."};
  return courriels::composer("inscription_confirmation", email, "Confirmez votre adresse e-mail pour activer votre compte Coop",
                             c, user_id);
}

courriels::Courriel deja_inscrit(const std::string& email, const std::string& prenom, const std::string& lien_connexion,
                                 std::int64_t user_id) {
  courriels::Contenu c;
  c.titre = "Vous avez déjà un compte Coop";
  c.salutation = bonjour(prenom);
  c.paragraphes = {"Une inscription à Coop vient d'être demandée avec cette adresse e-mail, mais vous avez déjà un "
                   "compte : aucun nouveau compte n'a été créé.",
                   "Connectez-vous avec votre mot de passe. Si vous l'avez oublié, choisissez « Mot de passe oublié » "
                   "sur la page de connexion."};
  c.bouton_libelle = "Me connecter";
  c.bouton_lien = lien_connexion;
  c.apres = {"Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre compte n'a pas changé."};
  return courriels::composer("inscription_deja_inscrit", email, "Vous avez déjà un compte Coop", c, user_id);
}

courriels::Courriel emploi_a_confirmer(const std::string& email, const std::string& prenom_destinataire,
                                       const std::string& personne, const std::string& structure,
                                       const std::string& lien, std::int64_t user_id, bool sans_gestionnaire) {
  courriels::Contenu c;
  c.titre = "Un rattachement à confirmer";
  c.salutation = bonjour(prenom_destinataire);
  c.paragraphes = {personne + " s'est inscrit(e) sur Coop et indique travailler pour « " + structure + " ».",
                   "Confirmez ce rattachement s'il est exact, ou refusez-le, depuis la page de la structure. Tant qu'il "
                   "n'est pas confirmé, cette personne n'apparaît pas dans l'équipe de la structure et ses activités "
                   "ne comptent pas dans ses statistiques."};
  if (sans_gestionnaire)
    c.paragraphes.push_back("Cette structure n'a pas de gestionnaire : vous recevez ce message en tant "
                            "qu'administrateur de Coop.");
  c.bouton_libelle = "Voir la demande";
  c.bouton_lien = lien;
  return courriels::composer("inscription_emploi_a_confirmer", email, "Rattachement à confirmer : " + structure, c,
                             user_id);
}

courriels::Courriel emploi_decide(const std::string& email, const std::string& prenom, const std::string& structure,
                                  bool confirme, const std::string& motif, const std::string& lien,
                                  std::int64_t user_id) {
  courriels::Contenu c;
  c.salutation = bonjour(prenom);
  if (confirme) {
    c.titre = "Votre rattachement est confirmé";
    c.paragraphes = {"Votre rattachement à « " + structure + " » a été confirmé : vous faites désormais partie de "
                     "son équipe et vos activités comptent dans ses statistiques."};
  } else {
    c.titre = "Votre rattachement a été refusé";
    c.paragraphes = {"Votre rattachement à « " + structure + " » a été refusé par la structure."};
    if (!motif.empty()) c.paragraphes.push_back("Motif indiqué : " + motif);
    c.paragraphes.push_back("Si c'est une erreur, contactez la structure, ou indiquez votre structure employeuse "
                            "depuis Coop.");
  }
  c.bouton_libelle = "Ouvrir Coop";
  c.bouton_lien = lien;
  return courriels::composer(confirme ? "inscription_emploi_confirme" : "inscription_emploi_refuse", email,
                             confirme ? "Rattachement confirmé : " + structure : "Rattachement refusé : " + structure, c,
                             user_id);
}

}  // namespace coop::inscription::modeles
