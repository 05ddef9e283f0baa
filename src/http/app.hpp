// The application as net/ sees it: resolves the session, enforces CSRF and each route's access
// rule, runs the handler, and maps every error to a JSON error response in one place.
#pragma once

#include "http/application.hpp"
#include "http/context.hpp"
#include "http/router.hpp"

namespace coop::http {

class CoopApplication : public Application {
 public:
  explicit CoopApplication(Services services);

  Response handle(Request& req) override;
  std::variant<WebSocketPeer, Response> authorize_websocket(const Request& req) override;
  std::optional<std::string> on_websocket_message(const WebSocketPeer& peer, const std::string& text) override;
  std::vector<std::pair<std::int64_t, std::string>> websocket_replay(const WebSocketPeer& peer, std::int64_t depuis,
                                                                   std::size_t limite) override;
  std::optional<events::Event> evenement_distant(std::int64_t seq) override;

  const Router& router() const { return router_; }
  Services& services() { return services_; }

 private:
  bool origin_allowed(const Request& req) const;
  Services services_;
  Router router_;
};

// Registers every route of every feature (one list, used by the server, the OpenAPI test and
// the access-matrix test).
void register_all_routes(Router& router);

inline constexpr const char* session_cookie = "coop_session";
inline constexpr const char* csrf_cookie = "coop_csrf";
std::string session_cookie_header(const std::string& token, bool secure, std::chrono::hours max_age);
std::string clear_session_cookie_header(bool secure);
bool request_is_secure(const Request& req, const Config& config);

}  // namespace coop::http
