// SQL of API clients. Functions run on a storage::Session given by the caller.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "features/api_clients/model.hpp"
#include "storage/database.hpp"

namespace coop::api_clients::store {

using storage::Session;

struct Row {
  std::int64_t id = 0;
  std::string nom, client_id, secret_hash;
  std::vector<std::string> scopes;
  std::string valide_du;
  std::optional<std::string> valide_au;
  std::optional<std::int64_t> created_by;
  std::string created_by_nom;  // "Prénom Nom" of the creator, "" when unknown
  std::string created_at;
  std::optional<std::string> revoked_at;
};

std::int64_t create(Session& s, const Definition& d, const std::string& client_id, const std::string& secret_hash,
                    std::int64_t created_by);
std::optional<Row> by_id(Session& s, std::int64_t id);
std::optional<Row> by_client_id(Session& s, const std::string& client_id);
std::vector<Row> list(Session& s);  // newest first
// Sets revoked_at unless already revoked; returns whether it changed.
bool revoke(Session& s, std::int64_t id);

}  // namespace coop::api_clients::store
