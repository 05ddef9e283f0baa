// SQL of « Mot de passe oublié »: the reset links (table reinitialisations_mot_de_passe,
// migration 0013) and the counts of the rate limits (audit log). Runs on the caller's Session.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "storage/database.hpp"

namespace coop::motdepasse::store {

using storage::Session;

struct LienStocke {
  std::int64_t id = 0, user_id = 0;
  std::string created_at, expires_at;
  std::optional<std::string> used_at, revoked_at;
};

std::int64_t creer_lien(Session& s, const std::string& token_hash, std::int64_t user_id, const std::string& created_at,
                        const std::string& expires_at, const std::string& ip);
std::optional<LienStocke> lien_par_hash(Session& s, const std::string& token_hash);
// Marks the link used unless it already is, was cancelled or has expired at `at`: false then
// (a concurrent reset won, or the hour ran out meanwhile).
bool marquer_utilise(Session& s, std::int64_t id, const std::string& at);
// Cancels the account's links neither used nor cancelled yet; returns how many.
std::int64_t annuler_liens(Session& s, std::int64_t user_id, const std::string& at);

// Rate limits, since `since` (ISO-8601 UTC).
std::int64_t liens_envoyes(Session& s, std::int64_t user_id, const std::string& since);
std::int64_t demandes_pour_adresse(Session& s, const std::string& email, const std::string& since);
std::int64_t demandes_depuis_ip(Session& s, const std::string& ip, const std::string& since);
std::int64_t liens_refuses_depuis_ip(Session& s, const std::string& ip, const std::string& since);

}  // namespace coop::motdepasse::store
