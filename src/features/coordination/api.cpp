#include "features/coordination/api.hpp"

#include <tuple>

#include "core/time.hpp"
#include "features/coordination/store.hpp"
#include "features/statistiques/synchro.hpp"
#include "http/context.hpp"
#include "http/json.hpp"

namespace coop::coordination {

namespace json = boost::json;
using http::Context;
using http::JsonBody;
using http::Response;
using storage::Session;

namespace {

json::object activite_json(const store::Row& r) {
  return {{"id", r.id},
          {"coordinateur_id", r.coordinateur_id},
          {"type", r.d.type},
          {"date", r.d.date},
          {"duree", r.d.duree},
          {"titre", r.d.titre},
          {"notes", r.d.notes ? json::value(*r.d.notes) : json::value(nullptr)},
          {"participants", r.d.participants},
          {"created_at", r.created_at},
          {"updated_at", r.updated_at}};
}

std::optional<std::string> date_param(const http::Request& req, const char* name) {
  auto v = req.query_param(name);
  if (!v || v->empty()) return std::nullopt;
  if (!core::valid_date(*v))
    throw http::validation_error({{name, "Date invalide (format AAAA-MM-JJ)."}}, "Paramètre de requête invalide.");
  return v;
}

Response list_activites(Context& ctx) {
  store::Filter f;
  f.du = date_param(ctx.req, "du");
  f.au = date_param(ctx.req, "au");
  if (auto t = ctx.req.query_param("type"); t && !t->empty()) {
    if (!known_type(*t))
      throw http::validation_error({{"type", "Type inconnu : animation, evenement ou partenariat."}},
                                   "Paramètre de requête invalide.");
    f.type = t;
  }
  std::int64_t page = http::query_int(ctx.req, "page", 1, 1, 1'000'000);
  std::int64_t per_page = http::query_int(ctx.req, "per_page", 20, 1, 100);
  auto result = ctx.db().read_value(
      [&](Session& s) { return store::list(s, ctx.user().user_id, f, page, per_page); });
  json::array items;
  for (auto& r : result.first) items.push_back(activite_json(r));
  return http::json_response(
      200, json::object{{"items", std::move(items)}, {"total", result.second}, {"page", page}, {"per_page", per_page}});
}

Response create_activite(Context& ctx) {
  JsonBody b(ctx.req.body);
  Draft d;
  d.type = b.text("type", true, 40).value_or("");
  d.date = b.text("date", false, 10).value_or("");
  if (d.date.empty() && !b.errors().count("date")) d.date = core::today();
  auto duree = b.integer("duree", true);
  d.duree = duree.value_or(0);
  d.titre = b.text("titre", true, max_titre).value_or("");
  auto notes = b.text("notes", false, max_notes);
  if (notes && !notes->empty()) d.notes = notes;
  d.participants = b.integer("participants").value_or(0);
  for (auto& [k, v] : check(d, core::today())) b.add_error(k, v);  // keeps the first error of each field
  b.done();
  auto row = ctx.db().write_value([&](Session& s) {
    auto id = store::create(s, ctx.user().user_id, d);
    return *store::by_id(s, id);
  });
  statistiques::coordination_modifiee(ctx.services.bus, row.id);
  return http::json_response(201, activite_json(row));
}

Response delete_activite(Context& ctx) {
  auto id = ctx.path_id("id");
  ctx.db().write([&](Session& s) {
    auto row = store::by_id(s, id);
    // Another coordinator's activity is not revealed: 404 as for an unknown one.
    if (!row || row->coordinateur_id != ctx.user().user_id) throw http::not_found("Activité de coordination introuvable.");
    store::soft_delete(s, id);
  });
  statistiques::coordination_modifiee(ctx.services.bus, id);
  return http::no_content();
}

}  // namespace

void register_routes(http::Router& r) {
  using accounts::access::coordinateur;
  r.add("GET", "/api/coordination/activites", coordinateur(), list_activites);
  r.add("POST", "/api/coordination/activites", coordinateur(), create_activite);
  r.add("DELETE", "/api/coordination/activites/{id}", coordinateur(), delete_activite);
}

}  // namespace coop::coordination
