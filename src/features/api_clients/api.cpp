#include "features/api_clients/api.hpp"

#include <algorithm>

#include "core/security.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "features/accounts/store.hpp"
#include "features/api_clients/store.hpp"
#include "http/context.hpp"
#include "http/json.hpp"

namespace coop::api_clients {

namespace json = boost::json;
using http::Context;
using http::JsonBody;
using http::Response;
using storage::Session;

Authentication authenticate(storage::Database& db, const http::Request& req) {
  auto header = req.header("authorization");
  if (!header)
    return {std::nullopt,
            "Identifiants du client API absents : en-tête Authorization « Basic » (client_id:client_secret) attendu."};
  auto creds = parse_authorization(*header);
  if (!creds) return {std::nullopt, "En-tête Authorization invalide : « Basic » (client_id:client_secret) attendu."};
  constexpr const char* bad = "Identifiant ou secret du client API incorrect.";
  if (!core::valid_utf8(creds->client_id)) return {std::nullopt, bad};
  auto row = db.read_value([&](Session& s) { return store::by_client_id(s, creds->client_id); });
  // The hash is computed even for an unknown client, so both cases take the same time.
  auto given = core::sha256_hex(creds->secret);
  if (!row || !core::secure_equals(given, row->secret_hash)) return {std::nullopt, bad};
  if (row->revoked_at) return {std::nullopt, "Ce client API a été révoqué."};
  if (!valid_on(row->valide_du, row->valide_au, core::today()))
    return {std::nullopt, "Ce client API n'est pas dans sa période de validité."};
  return {ApiClient{row->id, row->client_id, row->nom, row->scopes}, ""};
}

namespace {

json::value opt_json(const std::optional<std::string>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::object client_json(const store::Row& c) {
  json::array scopes;
  for (auto& s : c.scopes) scopes.emplace_back(s);
  auto today = core::today();
  return {{"id", c.id},
          {"nom", c.nom},
          {"client_id", c.client_id},
          {"scopes", std::move(scopes)},
          {"valide_du", c.valide_du},
          {"valide_au", opt_json(c.valide_au)},
          {"created_by", c.created_by ? json::value(json::object{{"id", *c.created_by}, {"nom", c.created_by_nom}})
                                      : json::value(nullptr)},
          {"created_at", c.created_at},
          {"revoked_at", opt_json(c.revoked_at)},
          {"actif", !c.revoked_at && valid_on(c.valide_du, c.valide_au, today)}};
}

Response list_clients(Context& ctx) {
  auto rows = ctx.db().read_value([](Session& s) { return store::list(s); });
  json::array items;
  for (auto& c : rows) items.push_back(client_json(c));
  return http::json_response(200, json::object{{"items", std::move(items)}});
}

Response create_client(Context& ctx) {
  JsonBody b(ctx.req.body);
  Definition d;
  d.nom = b.text("nom", true, 100).value_or("");
  if (const json::value* v = b.raw("scopes"); !v || v->is_null()) {
    b.add_error("scopes", "Choisissez au moins une autorisation (scope).");
  } else if (!v->is_array()) {
    b.add_error("scopes", "Doit être une liste d'autorisations.");
  } else {
    for (auto& item : v->as_array()) {
      if (!item.is_string()) {
        b.add_error("scopes", "Chaque autorisation est une chaîne de caractères.");
        break;
      }
      std::string s(item.as_string());
      if (std::find(d.scopes.begin(), d.scopes.end(), s) == d.scopes.end()) d.scopes.push_back(std::move(s));
    }
  }
  auto du = b.text("valide_du", false, 10);
  d.valide_du = du && !du->empty() ? *du : core::today();
  auto au = b.text("valide_au", false, 10);
  if (au && !au->empty()) d.valide_au = *au;
  for (auto& [k, v] : check_definition(d)) b.add_error(k, v);  // keeps the first error of each field
  b.done();

  std::string client_id = std::string(client_id_prefix) + core::random_token(12);
  std::string secret = core::random_token(32);
  auto row = ctx.db().write_value([&](Session& s) {
    auto id = store::create(s, d, client_id, core::sha256_hex(secret), ctx.user().user_id);
    accounts::store::audit(s, "api_client_created", std::nullopt, ctx.user().user_id, "", ctx.ip(),
                           client_id + " « " + d.nom + " » : " + scopes_to_csv(d.scopes));
    return *store::by_id(s, id);
  });
  auto out = client_json(row);
  out["client_secret"] = secret;
  return http::json_response(201, out);
}

Response revoke_client(Context& ctx) {
  auto id = ctx.path_id("id");
  ctx.db().write([&](Session& s) {
    auto row = store::by_id(s, id);
    if (!row) throw http::not_found("Client API introuvable.");
    if (store::revoke(s, id))
      accounts::store::audit(s, "api_client_revoked", std::nullopt, ctx.user().user_id, "", ctx.ip(),
                             row->client_id + " « " + row->nom + " »");
  });
  return http::no_content();
}

}  // namespace

void register_routes(http::Router& r) {
  using accounts::access::admin;
  r.add("GET", "/api/admin/clients-api", admin(), list_clients);
  r.add("POST", "/api/admin/clients-api", admin(), create_client);
  r.add("DELETE", "/api/admin/clients-api/{id}", admin(), revoke_client);
}

}  // namespace coop::api_clients
