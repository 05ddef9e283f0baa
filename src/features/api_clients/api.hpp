// API clients: administration (GET/POST /api/admin/clients-api, DELETE /api/admin/clients-api/{id})
// and the authentication of public API v1 requests, called by the dispatcher.
#pragma once

#include <optional>
#include <string>

#include "features/api_clients/model.hpp"
#include "http/message.hpp"
#include "http/router.hpp"
#include "storage/database.hpp"

namespace coop::api_clients {

void register_routes(http::Router& router);

struct Authentication {
  std::optional<ApiClient> client;  // set when the credentials are valid, the client active today
  std::string refusal;              // French reason otherwise
};
// Reads the Authorization header (Basic or Bearer) and checks it against the stored clients.
// Throws storage::DbError when the database fails (the dispatcher maps it to 503).
Authentication authenticate(storage::Database& db, const http::Request& req);

}  // namespace coop::api_clients
