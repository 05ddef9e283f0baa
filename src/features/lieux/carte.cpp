#include "features/lieux/carte.hpp"

#include <map>

#include <fmt/format.h>

#include "core/text.hpp"
#include "features/accounts/policy.hpp"
#include "features/lieux/recherche.hpp"
#include "features/referentiel/territoires.hpp"
#include "http/context.hpp"
#include "http/json.hpp"

namespace coop::lieux {

namespace json = boost::json;

namespace {

http::Response config_carte(http::Context& ctx) {
  const auto& url = ctx.services.config.carte_style_url;
  return http::json_response(200, json::object{{"style_url", url.empty() ? json::value(nullptr) : json::value(url)}});
}

// The position of each département's and région's bubble on the map: the centroid of the positioned
// lieux of the zone (all of them, whatever the search's filters, so bubbles stay put while filters
// change); a région's is the mean of its départements' weighted by their number of lieux.
http::Response zones(http::Context& ctx) {
  struct Somme {
    double lat = 0, lon = 0;
    std::int64_t n = 0;
  };
  std::map<std::string, Somme> deps;
  ctx.db().read([&](storage::Session& s) {
    auto r = s.query(
        "SELECT departement, AVG(latitude), AVG(longitude), COUNT(*) FROM lieux "
        "WHERE latitude IS NOT NULL AND longitude IS NOT NULL AND departement <> '' GROUP BY departement",
        {});
    for (const auto& row : r.rows)
      deps[storage::as_text(row[0])] = {storage::as_double(row[1]), storage::as_double(row[2]), storage::as_int(row[3])};
  });
  const auto& t = ctx.services.territoires;
  std::map<std::string, Somme> regs;
  json::array deps_json;
  for (const auto& [code, m] : deps) {
    const auto* d = t.departement(code);
    if (!d) continue;
    deps_json.push_back(json::object{{"code", code}, {"nom", d->nom}, {"region", d->region},
                                     {"latitude", m.lat}, {"longitude", m.lon}, {"lieux", m.n}});
    auto& rg = regs[d->region];
    rg.lat += m.lat * static_cast<double>(m.n);
    rg.lon += m.lon * static_cast<double>(m.n);
    rg.n += m.n;
  }
  json::array regs_json;
  for (const auto& [code, m] : regs) {
    const auto* r = t.region(code);
    if (!r || m.n == 0) continue;
    regs_json.push_back(json::object{{"code", code}, {"nom", r->nom},
                                     {"latitude", m.lat / static_cast<double>(m.n)},
                                     {"longitude", m.lon / static_cast<double>(m.n)}, {"lieux", m.n}});
  }
  // ?communes=CODE,CODE… (≤ 500 INSEE codes): their positions (features/lieux/positions: the
  // gazetteer's, else the mean of the lieux there); a commune without position is left out.
  json::array communes_json;
  if (auto q = ctx.req.query_param("communes"); q && !q->empty()) {
    std::vector<std::string> codes;
    std::size_t debut = 0;
    while (debut <= q->size()) {
      auto virgule = q->find(',', debut);
      if (virgule == std::string::npos) virgule = q->size();
      auto code = core::trim(std::string_view(*q).substr(debut, virgule - debut));
      if (!code.empty()) codes.emplace_back(code);
      debut = virgule + 1;
    }
    if (codes.size() > 500)
      throw http::ApiError(400, "validation", "Certains champs sont invalides.",
                           {{"communes", "communes : 500 codes INSEE au plus."}});
    for (const auto& c : codes)
      if (!t.commune(c))
        throw http::ApiError(400, "validation", "Certains champs sont invalides.",
                             {{"communes", fmt::format("communes : aucune commune n'a le code INSEE « {} ».", c)}});
    if (auto* index = ctx.services.lieux) {
      ctx.db().read([&](storage::Session& s) {
        for (const auto& c : codes)
          if (auto p = index->position_commune(s, t.commune(c)->code))
            communes_json.push_back(json::object{{"code", c}, {"latitude", p->lat}, {"longitude", p->lon}});
      });
    }
  }
  return http::json_response(200, json::object{{"departements", std::move(deps_json)}, {"regions", std::move(regs_json)},
                                               {"communes", std::move(communes_json)}});
}

}  // namespace

void register_carte_routes(http::Router& r) {
  using namespace accounts::access;
  r.add("GET", "/api/config/carte", logged_in(), config_carte);
  r.add("GET", "/api/lieux/zones", logged_in(), zones);
}

}  // namespace coop::lieux
