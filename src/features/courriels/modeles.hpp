// Coop's French mails, built with composer(): each function returns the Courriel to queue with
// store::mettre_en_file() in the transaction of its event. `public_url` is Config::public_url.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "features/courriels/model.hpp"

namespace coop::courriels::modeles {

// An invitation to join Coop (features/accounts create_invitation). `lien`: the absolute link
// /invitation/<token>; `role_libelle`: « Médiateur numérique »…; `invitant`: « Camille Dupont »;
// `structure`: the structure's name or empty; `expire_le`: « 21/12/2026 ».
Courriel invitation(const std::string& destinataire, const std::string& lien, const std::string& role_libelle,
                    const std::string& invitant, const std::string& structure, const std::string& expire_le);

// « Bienvenue sur Coop »: an account was opened (invitation accepted, created by an
// administrator, sign-up confirmed). `prenom` may be empty.
Courriel bienvenue(const std::string& public_url, const std::string& destinataire, const std::string& prenom,
                   std::optional<std::int64_t> user_id);

// A change of e-mail address asked by the user: the confirmation link goes to the NEW address…
Courriel confirmation_changement_courriel(const std::string& public_url, const std::string& nouvel_email,
                                          const std::string& ancien_email, const std::string& prenom,
                                          const std::string& jeton, std::int64_t user_id);
// …and this notice to the OLD one (nothing changes unless the new address confirms).
Courriel avis_changement_courriel(const std::string& public_url, const std::string& ancien_email,
                                  const std::string& nouvel_email, const std::string& prenom, std::int64_t user_id);

// The 14-day reminder of a mediator who recorded no CRA (rappels.hpp).
Courriel rappel_cra(const std::string& public_url, const std::string& destinataire, const std::string& prenom,
                    std::int64_t user_id);

// "Bonjour Camille," or "Bonjour,".
std::string salutation(const std::string& prenom);

}  // namespace coop::courriels::modeles
