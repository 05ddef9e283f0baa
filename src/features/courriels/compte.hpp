// What « Mon compte » holds for mails: the CRA reminder opt-out and a pending change of e-mail
// address (table changements_courriel, migration 0012). SQL on the caller's Session.
//
// A user's own change of address is not applied at once: demander() stores it with the SHA-256
// of a random token and queues a confirmation link (/compte/confirmer-courriel/<token>, valid
// 24 h, single use) to the NEW address and a notice to the OLD one; the address changes only
// when the link is used (confirmer), and the user may cancel meanwhile. A new request replaces
// the previous one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "storage/database.hpp"

namespace coop::courriels::compte {

inline constexpr int heures_validite_changement = 24;

struct Changement {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string ancien_email, nouvel_email, created_at, expires_at;
  std::optional<std::string> confirme_at, annule_at;
};

// The pending change of the user (not confirmed, not cancelled, not expired at `now`).
std::optional<Changement> en_cours(storage::Session& s, std::int64_t user_id, const std::string& now);
// Cancels any pending change, stores a new one and queues both mails. `jeton`: the raw token
// (only its hash is stored; it appears in the confirmation link).
Changement demander(storage::Session& s, const std::string& public_url, std::int64_t user_id,
                    const std::string& prenom, const std::string& ancien_email, const std::string& nouvel_email,
                    const std::string& jeton, const std::string& now);
// Cancels the pending change; false when there was none.
bool annuler(storage::Session& s, std::int64_t user_id, const std::string& now);
// The change of this token, whatever its state (the caller says why it cannot be used).
std::optional<Changement> par_jeton(storage::Session& s, const std::string& jeton);
// Marks it confirmed (once: false if it was confirmed or cancelled meanwhile).
bool marquer_confirme(storage::Session& s, std::int64_t id, const std::string& now);

bool rappels_actives(storage::Session& s, std::int64_t user_id);
void regler_rappels(storage::Session& s, std::int64_t user_id, bool actives);

}  // namespace coop::courriels::compte
