// Who may read a file: its uploader, and whoever a feature that references it allows. Each
// feature registers, once at start (in its register_routes), the checker of its domain:
//
//   fichiers::autoriser_domaine("discussion", [](storage::Session& s, const accounts::Principal& p,
//                                                std::int64_t message_id) {
//     return discussion::store::peut_voir_message(s, p.user_id, message_id);
//   });
//
// then references the files its objects use with fichiers::store::referencer (store.hpp). A
// domain without a checker grants nothing. The rule itself is accounts::can_read_fichier
// (policy.hpp).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "features/accounts/model.hpp"
#include "storage/database.hpp"

namespace coop::fichiers {

using Verificateur = std::function<bool(storage::Session&, const accounts::Principal&, std::int64_t objet_id)>;

// Registers (or replaces) the checker of `domaine`. Thread-safe; meant for start-up.
void autoriser_domaine(const std::string& domaine, Verificateur verificateur);

// nullopt when `p` may not read the file (or it does not exist); else the name to show: the one
// `p` uploaded it under, or the one of the first reference that lets `p` read it. At most
// kReferencesExaminees references are examined.
inline constexpr int kReferencesExaminees = 200;
std::optional<std::string> peut_lire(storage::Session& s, const accounts::Principal& p, const std::string& sha256);

}  // namespace coop::fichiers
