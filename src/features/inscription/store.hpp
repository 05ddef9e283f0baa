// SQL of the sign-up: confirmation links, confirmed addresses, structures by SIRET, declared
// (pending) employments and their decision, who is told. Runs on the caller's Session, inside its
// read() or write(); the accounts store does the rest (users, roles, structures, invitations).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "features/accounts/store.hpp"
#include "storage/database.hpp"

namespace coop::inscription::store {

using storage::Session;

struct Jeton {
  std::int64_t id = 0, user_id = 0;
  std::string expires_at;
  std::optional<std::string> used_at;
};
// Records a new link (only its hash) and makes the user's older unused links unusable.
void creer_jeton(Session& s, std::int64_t user_id, const std::string& token_hash, const std::string& expires_at);
std::optional<Jeton> jeton_par_hash(Session& s, const std::string& token_hash);
bool utiliser_jeton(Session& s, std::int64_t id);  // false when already used (a concurrent use won)

void confirmer_email(Session& s, std::int64_t user_id);
void noter_cgu(Session& s, std::int64_t user_id);
// A signed-up account whose address was never confirmed takes the newer form's names and password.
void remplacer_inscription(Session& s, std::int64_t user_id, const std::string& nom, const std::string& prenom,
                           const std::string& password_hash);

std::optional<accounts::store::Structure> structure_par_siret(Session& s, const std::string& siret);
// Structures whose name contains q (accent/case as stored, lower-cased), at most `limite`.
std::vector<accounts::store::Structure> structures_par_nom(Session& s, const std::string& q, std::int64_t limite);

std::int64_t declarer_emploi(Session& s, std::int64_t user_id, std::int64_t structure_id, const std::string& debut);
// en_attente → statut; false when the employment was not pending any more.
bool decider_emploi(Session& s, std::int64_t employment_id, const std::string& statut, const std::string& motif,
                    std::int64_t decide_par);

struct Destinataire {
  std::int64_t id = 0;
  std::string email, prenom, nom;
};
std::vector<Destinataire> gestionnaires_de(Session& s, std::int64_t structure_id);  // enabled accounts
std::vector<Destinataire> administrateurs(Session& s);                               // enabled accounts

// Invitations for this address neither accepted nor expired (oldest first).
std::vector<accounts::store::Invitation> invitations_en_cours(Session& s, const std::string& email,
                                                              const std::string& now);

std::int64_t nombre_lieux(Session& s, std::int64_t user_id);

// Deletes the accounts signed up and never confirmed, created before `avant` and given no link since
// (`avant` = now − 7 days: every link of theirs expired days ago). Returns how many.
std::int64_t purger_non_confirmees(Session& s, const std::string& avant);

}  // namespace coop::inscription::store
