#include "http/app.hpp"

#include <spdlog/spdlog.h>

#include "core/security.hpp"
#include "core/time.hpp"
#include "features/accounts/sessions.hpp"
#include "features/api_clients/api.hpp"
#include "features/discussion/evenements.hpp"
#include "http/json.hpp"

namespace coop::http {

CoopApplication::CoopApplication(Services services) : services_(std::move(services)) {
  register_all_routes(router_);
}

bool request_is_secure(const Request& req, const Config& config) {
  return config.secure_cookies || req.header("x-forwarded-proto").value_or("") == "https";
}

std::string session_cookie_header(const std::string& token, bool secure, std::chrono::hours max_age) {
  return std::string(session_cookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" +
         std::to_string(std::chrono::duration_cast<std::chrono::seconds>(max_age).count()) + (secure ? "; Secure" : "");
}

std::string clear_session_cookie_header(bool secure) {
  return std::string(session_cookie) + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0" + (secure ? "; Secure" : "");
}

static bool state_changing(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

// Origin of the request as the browser states it, compared with the Host it reached (or the
// configured public URL / allowed origins when behind a proxy).
bool CoopApplication::origin_allowed(const Request& req) const {
  auto origin = req.header("origin");
  if (!origin) return true;  // non-browser clients and same-origin GETs send none
  auto host = req.header("host").value_or("");
  if (*origin == "http://" + host || *origin == "https://" + host) return true;
  if (*origin == services_.config.public_url) return true;
  for (auto& o : services_.config.allowed_origins)
    if (*origin == o) return true;
  return false;
}

Response CoopApplication::handle(Request& req) {
  Response resp;
  std::string route_label = "unmatched";
  bool api_route = false;  // public API v1 (client credentials)
  const bool needs_csrf_cookie = !req.cookie(csrf_cookie).has_value();
  try {
    auto m = router_.match(req.method == "HEAD" ? "GET" : req.method, req.path);
    if (!m.route) {
      if (!m.allowed.empty()) {
        std::string allow;
        for (auto& a : m.allowed) allow += (allow.empty() ? "" : ", ") + a;
        ApiError e(405, "methode_non_autorisee", "Méthode " + req.method + " non autorisée sur cette adresse.");
        resp = error_response(e);
        resp.set_header("Allow", allow);
      } else {
        throw not_found("Adresse inconnue : " + req.path, "route_inconnue");
      }
    } else {
      const Route& route = *m.route;
      route_label = route.pattern;
      req.params = std::move(m.params);
      Context ctx{req, services_, std::nullopt, {}, std::nullopt};
      // The public API v1 authenticates API clients by their credentials (Authorization
      // header), never by the session cookie; other routes never look at client credentials.
      std::string client_refusal;
      if (route.access.kind == accounts::Access::Kind::api_client) {
        api_route = true;
        auto auth = api_clients::authenticate(services_.db, req);
        if (auth.client) ctx.api_client = std::move(auth.client);
        client_refusal = std::move(auth.refusal);
      } else if (auto token = req.cookie(session_cookie); token && !token->empty()) {
        ctx.principal = accounts::principal_from_token(services_.db, *token, services_.config.session_idle);
      }
      if (state_changing(req.method)) {
        if (!origin_allowed(req)) throw ApiError(403, "origine_refusee", "Origine de la requête non autorisée.");
        auto cookie = req.cookie(csrf_cookie);
        auto header = req.header("x-csrf-token");
        if (!cookie || cookie->empty() || !header || !core::secure_equals(*cookie, *header))
          throw ApiError(403, "csrf", "Jeton CSRF absent ou invalide : rechargez la page et réessayez.");
      }
      if (auto status = accounts::check_access(route.access, ctx.principal ? &*ctx.principal : nullptr,
                                               ctx.api_client ? &ctx.api_client->scopes : nullptr)) {
        if (*status == 401) throw api_route ? unauthorized(client_refusal) : unauthorized();
        throw api_route ? forbidden("Ce client API n'a pas l'autorisation « " + route.access.scope + " ».")
                        : forbidden();
      }
      resp = route.handler(ctx);
      for (auto& h : ctx.extra_headers) resp.headers.push_back(h);
    }
  } catch (const ApiError& e) {
    resp = error_response(e);
  } catch (const storage::DbError& e) {
    if (e.kind == storage::DbError::Kind::unique_violation) {
      resp = error_response(conflict("Cette valeur est déjà utilisée.", "doublon"));
    } else if (e.kind == storage::DbError::Kind::foreign_key_violation) {
      resp = error_response(ApiError(400, "reference_invalide", "Un élément référencé n'existe pas."));
    } else {
      spdlog::error("request {} {}: database error: {}", req.request_id, req.path, e.what());
      resp = error_response(ApiError(503, "base_indisponible",
                                     "La base de données ne répond pas. Réessayez dans un instant."));
    }
  } catch (const std::exception& e) {
    spdlog::error("request {} {}: unexpected error: {}", req.request_id, req.path, e.what());
    resp = error_response(ApiError(500, "erreur_interne", "Erreur interne. L'incident a été journalisé."));
  }
  if (api_route && resp.status == 401)
    resp.set_header("WWW-Authenticate", "Basic realm=\"Coop API v1\", charset=\"UTF-8\"");
  if (needs_csrf_cookie && !api_route)
    resp.set_header("Set-Cookie", std::string(csrf_cookie) + "=" + core::random_token(24) + "; Path=/; SameSite=Strict" +
                                      (request_is_secure(req, services_.config) ? "; Secure" : ""));
  if (resp.content_type.starts_with("application/json")) resp.set_header("Cache-Control", "no-store");
  resp.set_header("X-Content-Type-Options", "nosniff");
  resp.set_header("X-Coop-Route", route_label);
  return resp;
}

std::variant<WebSocketPeer, Response> CoopApplication::authorize_websocket(const Request& req) {
  try {
    if (!req.header("origin") || !origin_allowed(req))
      return error_response(ApiError(403, "origine_refusee", "Origine de la requête non autorisée."));
    auto token = req.cookie(session_cookie);
    std::optional<accounts::Principal> p;
    if (token) p = accounts::principal_from_token(services_.db, *token, services_.config.session_idle);
    if (!p) return error_response(unauthorized());
    return WebSocketPeer{p->user_id, std::to_string(p->session_id)};
  } catch (const std::exception& e) {
    spdlog::error("websocket authorisation failed: {}", e.what());
    return error_response(ApiError(503, "base_indisponible", "La base de données ne répond pas."));
  }
}

std::optional<std::string> CoopApplication::on_websocket_message(const WebSocketPeer& peer, const std::string& text) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_object())
    return boost::json::serialize(boost::json::object{{"type", "erreur"}, {"message", "Message JSON invalide."}});
  auto* type = v.as_object().if_contains("type");
  if (type && type->is_string() && type->as_string() == "ping")
    return boost::json::serialize(boost::json::object{{"type", "pong"}, {"at", core::now_iso()}});
  return boost::json::serialize(boost::json::object{{"type", "erreur"}, {"message", "Type de message inconnu."}});
}

// The discussion stream's resume (features/discussion/evenements.hpp): the events the user may
// see, from the database, in seq order. A database error is thrown to the net layer, which tells
// the client to retry (an empty answer would mean "nothing missed").
std::vector<std::pair<std::int64_t, std::string>> CoopApplication::websocket_replay(const WebSocketPeer& peer,
                                                                                  std::int64_t depuis,
                                                                                  std::size_t limite) {
  return discussion::rejouer(services_.db, peer.user_id, depuis, limite);
}

std::optional<events::Event> CoopApplication::evenement_distant(std::int64_t seq) {
  try {
    return discussion::evenement(services_.db, seq);
  } catch (const std::exception& e) {
    spdlog::error("discussion event {} could not be loaded: {}", seq, e.what());
    return std::nullopt;
  }
}

}  // namespace coop::http
