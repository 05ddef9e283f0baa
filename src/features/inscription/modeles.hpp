// The mails of the sign-up (French, Coop's layout through courriels::composer). Pure: the caller
// queues them with courriels::store::mettre_en_file() inside its transaction. The welcome mail
// after confirmation is courriels::modeles::bienvenue (courriels feature).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "features/courriels/model.hpp"

namespace coop::inscription::modeles {

// « Confirmez votre adresse » with the single-use link (valid 24 h).
courriels::Courriel confirmation(const std::string& email, const std::string& prenom, const std::string& lien,
                                 std::optional<std::int64_t> user_id);
// Someone signed up with an address that already has an account: told to its owner, with the
// log-in page (where « Mot de passe oublié » is) instead of a new account.
courriels::Courriel deja_inscrit(const std::string& email, const std::string& prenom, const std::string& lien_connexion,
                                 std::int64_t user_id);
// To a gestionnaire (or an administrator when the structure has none): a person declared this
// structure as employer and waits for confirmation.
courriels::Courriel emploi_a_confirmer(const std::string& email, const std::string& prenom_destinataire,
                                       const std::string& personne, const std::string& structure,
                                       const std::string& lien, std::int64_t user_id, bool sans_gestionnaire);
// To the person: the gestionnaire confirmed or refused (with the reason given, if any).
courriels::Courriel emploi_decide(const std::string& email, const std::string& prenom, const std::string& structure,
                                  bool confirme, const std::string& motif, const std::string& lien,
                                  std::int64_t user_id);

}  // namespace coop::inscription::modeles
