// /api/communes, /api/departements, /api/regions: the reference data every commune picker uses.
#include "features/referentiel/api.hpp"

#include "features/referentiel/territoires.hpp"
#include "http/json.hpp"

namespace coop::referentiel {

namespace json = boost::json;
using http::Context;
using http::Response;

json::object commune_json(const Territoires& t, const Commune& c) {
  json::array cps;
  for (auto& cp : c.codes_postaux) cps.emplace_back(cp);
  const Departement* d = t.departement(c.departement);
  const Region* r = t.region(c.region);
  return {{"code", c.code},
          {"nom", c.nom},
          {"codes_postaux", std::move(cps)},
          {"departement", c.departement},
          {"departement_nom", d ? json::value(d->nom) : json::value(nullptr)},
          {"region", c.region},
          {"region_nom", r ? json::value(r->nom) : json::value(nullptr)},
          {"population", c.population},
          {"type", c.type}};
}

namespace {

Response search_communes(Context& ctx) {
  auto q = ctx.req.query_param("q").value_or("");
  auto limit = http::query_int(ctx.req, "limit", 10, 1, 50);
  if (q.size() > 100) throw http::validation_error({{"q", "Recherche trop longue (100 caractères au plus)."}});
  const auto& t = ctx.services.territoires;
  json::array items;
  for (const Commune* c : t.search(q, static_cast<std::size_t>(limit))) items.push_back(commune_json(t, *c));
  return http::json_response(200, json::object{{"items", std::move(items)}});
}

Response get_commune(Context& ctx) {
  const auto& t = ctx.services.territoires;
  const Commune* c = t.commune(ctx.req.params.at("code"));
  if (!c) throw http::not_found("Commune introuvable.");
  return http::json_response(200, commune_json(t, *c));
}

Response list_departements(Context& ctx) {
  json::array items;
  for (auto& d : ctx.services.territoires.departements())
    items.push_back(json::object{{"code", d.code}, {"nom", d.nom}, {"region", d.region}});
  return http::json_response(200, json::object{{"items", std::move(items)}});
}

Response list_regions(Context& ctx) {
  json::array items;
  for (auto& r : ctx.services.territoires.regions()) items.push_back(json::object{{"code", r.code}, {"nom", r.nom}});
  return http::json_response(200, json::object{{"items", std::move(items)}});
}

}  // namespace

void register_routes(http::Router& r) {
  using accounts::access::anyone;
  r.add("GET", "/api/communes", anyone(), search_communes);
  r.add("GET", "/api/communes/{code}", anyone(), get_commune);
  r.add("GET", "/api/departements", anyone(), list_departements);
  r.add("GET", "/api/regions", anyone(), list_regions);
}

}  // namespace coop::referentiel
