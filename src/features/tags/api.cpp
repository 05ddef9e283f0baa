#include "features/tags/api.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "core/time.hpp"
#include "features/referentiel/territoires.hpp"
#include "features/tags/model.hpp"
#include "features/tags/store.hpp"
#include "features/statistiques/synchro.hpp"
#include "http/context.hpp"
#include "http/json.hpp"

namespace coop::tags {

namespace json = boost::json;
using accounts::Role;
using http::Context;
using http::JsonBody;
using http::Response;
using storage::Session;

namespace {

json::object tag_json(const Context& ctx, const store::Tag& t) {
  const auto& p = ctx.user();
  return {{"id", t.id},
          {"nom", t.nom},
          {"portee", t.portee},
          {"departement", t.departement ? json::value(*t.departement) : json::value(nullptr)},
          {"proprietaire_id", t.owner_id ? json::value(*t.owner_id) : json::value(nullptr)},
          {"utilisations", t.utilisations},
          {"supprimable", can_delete(p, t.portee, t.owner_id)},
          {"created_at", t.created_at}};
}

}  // namespace

store::Viewer viewer_of(const http::Context& ctx, Session& s) {
  store::Viewer v;
  v.user_id = ctx.user().user_id;
  v.all_departemental = ctx.user().is_admin();
  v.today = core::today();
  std::set<std::string> deps;
  for (auto& code : store::communes_of_user(s, v.user_id, v.today))
    if (auto* c = ctx.services.territoires.commune(code)) deps.insert(c->departement);
  v.departements.assign(deps.begin(), deps.end());
  return v;
}

namespace {

Response list_tags(Context& ctx) {
  auto rows = ctx.db().read_value([&](Session& s) { return store::visible(s, viewer_of(ctx, s)); });
  json::array items;
  for (auto& t : rows) items.push_back(tag_json(ctx, t));
  return http::json_response(200, json::object{{"items", std::move(items)}});
}

Response create_tag(Context& ctx) {
  JsonBody b(ctx.req.body);
  auto nom = b.text("nom", true, max_nom).value_or("");
  auto portee = b.text("portee", true, 20).value_or("");
  // A plain string ("" = none): GCC 12 sees a false "maybe uninitialized" in an optional here.
  std::string dep_code = b.text("departement", false, 3).value_or("");
  std::transform(dep_code.begin(), dep_code.end(), dep_code.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  const std::optional<std::string> departement =
      dep_code.empty() ? std::nullopt : std::optional<std::string>(dep_code);
  bool dep_exists = !dep_code.empty() && ctx.services.territoires.departement(dep_code);
  for (auto& [k, v] : check_new_tag(nom, portee, departement, dep_exists)) b.add_error(k, v);
  b.done();
  if (auto refusal = check_creation_rights(ctx.user(), portee)) throw http::forbidden(*refusal);
  auto tag = ctx.db().write_value([&](Session& s) {
    if (store::exists(s, nom, portee, ctx.user().user_id, departement))
      throw http::conflict("Une étiquette de même nom existe déjà.", "doublon",
                           {{"nom", "Une étiquette de même nom existe déjà."}});
    auto id = store::create(s, nom, portee, ctx.user().user_id, departement);
    return *store::by_id(s, id);
  });
  return http::json_response(201, tag_json(ctx, tag));
}

Response delete_tag(Context& ctx) {
  auto id = ctx.path_id("id");
  std::vector<std::int64_t> activites;
  ctx.db().write([&](Session& s) {
    activites.clear();
    auto tag = store::by_id(s, id);
    if (!tag || store::visible_among(s, viewer_of(ctx, s), {id}).empty()) throw http::not_found("Étiquette introuvable.");
    if (!can_delete(ctx.user(), tag->portee, tag->owner_id))
      throw http::forbidden("Seul le créateur de cette étiquette (ou un administrateur pour une étiquette "
                            "départementale) peut la supprimer.");
    // The activities that carried it lose it: the statistics recount them.
    for (auto& r : s.query("SELECT activite_id FROM activite_tags WHERE tag_id = ?", {id}).rows)
      activites.push_back(storage::as_int(r[0]));
    store::remove(s, id);
  });
  statistiques::activites_modifiees(ctx.services.bus, std::move(activites));
  return http::no_content();
}

}  // namespace

void register_routes(http::Router& r) {
  auto who = accounts::Access::roles({Role::mediateur, Role::coordinateur, Role::admin});
  r.add("GET", "/api/tags", who, list_tags);
  r.add("POST", "/api/tags", who, create_tag);
  r.add("DELETE", "/api/tags/{id}", who, delete_tag);
}

}  // namespace coop::tags
