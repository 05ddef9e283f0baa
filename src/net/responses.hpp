// Error responses written by the network layer itself (the application writes its own).
// Same shape as the application's: {"error":{"code":…,"message":…}}, French messages for the UI.
#pragma once

#include <string>
#include <string_view>

#include "http/message.hpp"

namespace coop::net {

// `code` and `message` are constants of this layer: they are not JSON-escaped.
inline http::Response json_error(int status, std::string_view code, std::string_view message) {
  http::Response r;
  r.status = status;
  r.body.reserve(40 + code.size() + message.size());
  r.body.append(R"({"error":{"code":")").append(code).append(R"(","message":")").append(message).append("\"}}");
  return r;
}

inline http::Response bad_request() {
  return json_error(400, "requete_invalide", "Requête HTTP invalide.");
}

}  // namespace coop::net
