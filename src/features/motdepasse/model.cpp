#include "features/motdepasse/model.hpp"

#include <array>

#include "core/time.hpp"

namespace coop::motdepasse {

Limite limite_atteinte(const Compteurs& c, const Limites& l) {
  if (c.ip >= l.par_ip) return Limite::ip;
  if (c.adresse >= l.par_adresse) return Limite::adresse;
  if (c.compte >= l.par_compte) return Limite::compte;
  return Limite::aucune;
}

std::string_view nom_limite(Limite l) {
  switch (l) {
    case Limite::ip: return "ip";
    case Limite::adresse: return "adresse";
    case Limite::compte: return "compte";
    case Limite::aucune: break;
  }
  return "";
}

EtatLien etat_lien(const Lien& l, std::string_view maintenant) {
  if (l.used_at) return EtatLien::utilise;
  if (l.revoked_at) return EtatLien::annule;
  if (l.expires_at <= maintenant) return EtatLien::expire;
  if (l.compte_desactive) return EtatLien::compte_desactive;
  return EtatLien::valide;
}

std::string_view nom_etat(EtatLien e) {
  switch (e) {
    case EtatLien::valide: return "valide";
    case EtatLien::utilise: return "utilise";
    case EtatLien::annule: return "annule";
    case EtatLien::expire: return "expire";
    case EtatLien::compte_desactive: return "compte_desactive";
  }
  return "";
}

std::string date_en_toutes_lettres(std::string_view date) {
  static constexpr std::array<const char*, 12> mois = {"janvier", "février", "mars",      "avril",   "mai",      "juin",
                                                       "juillet", "août",    "septembre", "octobre", "novembre", "décembre"};
  if (!core::valid_date(date)) return std::string(date);
  const int m = (date[5] - '0') * 10 + (date[6] - '0');
  const int j = (date[8] - '0') * 10 + (date[9] - '0');
  return std::to_string(j) + (j == 1 ? "er " : " ") + mois[m - 1] + " " + std::string(date.substr(0, 4));
}

namespace {
std::string salutation(const std::string& prenom) { return prenom.empty() ? "" : "Bonjour " + prenom + ","; }
}  // namespace

courriels::Courriel courriel_reinitialisation(const std::string& prenom, const std::string& email,
                                              std::optional<std::int64_t> user_id, const std::string& lien) {
  courriels::Contenu c;
  c.titre = "Réinitialisez votre mot de passe";
  c.salutation = salutation(prenom);
  c.paragraphes = {"Une demande de réinitialisation du mot de passe de votre compte Coop (" + email +
                       ") vient d'être faite.",
                   "Pour choisir un nouveau mot de passe, utilisez le bouton ci-dessous."};
  c.bouton_libelle = "Choisir un nouveau mot de passe";
  c.bouton_lien = lien;
  c.apres = {"Ce lien est valable 1 heure et ne peut servir qu'une seule fois.",
             "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe actuel "
             "reste valable et personne ne peut le changer sans ce lien."};
  return courriels::composer("reinitialisation_mot_de_passe", email, "Réinitialisation de votre mot de passe Coop", c,
                             user_id);
}

courriels::Courriel courriel_mot_de_passe_modifie(const std::string& prenom, const std::string& email,
                                                  std::int64_t user_id, const std::string& date,
                                                  const std::string& public_url, Changement comment) {
  courriels::Contenu c;
  c.titre = "Votre mot de passe a été modifié";
  c.salutation = salutation(prenom);
  const bool compte = comment == Changement::mon_compte;
  c.paragraphes = {"Le mot de passe de votre compte Coop (" + email + ") a été modifié le " +
                       date_en_toutes_lettres(date) +
                       (compte ? " depuis la page « Mon compte »." : " à l'aide d'un lien de réinitialisation."),
                   compte ? "Par sécurité, les autres sessions ouvertes sur votre compte ont été fermées : sur vos "
                            "autres appareils, connectez-vous avec votre nouveau mot de passe."
                          : "Par sécurité, toutes les sessions ouvertes sur votre compte ont été fermées : connectez-vous "
                            "avec votre nouveau mot de passe."};
  c.bouton_libelle = "Se connecter à Coop";
  c.bouton_lien = public_url + "/connexion";
  c.apres = {"Si vous n'êtes pas à l'origine de ce changement, demandez immédiatement un nouveau lien sur " +
                 public_url + "/mot-de-passe-oublie puis prévenez l'administrateur de Coop de votre structure."};
  return courriels::composer("mot_de_passe_modifie", email, "Votre mot de passe a été modifié", c, user_id);
}

}  // namespace coop::motdepasse
