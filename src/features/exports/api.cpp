#include "features/exports/api.hpp"

#include "core/time.hpp"
#include "features/activites/api.hpp"
#include "features/activites/store.hpp"
#include "features/exports/national.hpp"
#include "features/exports/store.hpp"
#include "http/context.hpp"
#include "http/json.hpp"

namespace coop::exports {

using http::Context;
using http::Response;
using storage::Session;

namespace {

constexpr std::int64_t kBatch = 500;

// Every activity matching the request's filters (those of GET /api/activites), in the list's
// order, read page by page in one snapshot.
std::vector<Ligne> lignes(Context& ctx) {
  activites::store::Filtres f = activites::filtres_from_query(ctx);
  f.limite = kBatch;
  f.apres.reset();
  std::vector<Ligne> out;
  ctx.db().read([&](Session& s) {
    out.clear();
    auto filtres = f;
    for (;;) {
      auto page = activites::store::list(s, filtres);
      std::vector<std::int64_t> ids;
      for (auto& v : page.items) ids.push_back(v.a.id);
      auto suivis = store::suivis_of(s, ids);
      for (auto& v : page.items) {
        Ligne l{std::move(v.a), std::move(v.lieu_nom), std::move(v.lieu_commune_insee), {}, {}, std::move(v.orientation_lieu_nom)};
        for (auto& t : v.tags) l.tags.push_back(t.nom);
        if (auto it = suivis.find(l.a.id); it != suivis.end()) l.suivis = std::move(it->second);
        out.push_back(std::move(l));
      }
      if (!page.suivant) break;
      filtres.apres = page.suivant;
    }
  });
  return out;
}

std::string filename(const char* ext) { return "activites-" + core::today() + "." + ext; }

Response attachment(std::string body, const char* content_type, const char* ext) {
  Response r;
  r.status = 200;
  r.content_type = content_type;
  r.body = std::move(body);
  r.set_header("Content-Disposition", "attachment; filename=\"" + filename(ext) + "\"");
  r.set_header("Cache-Control", "no-store");
  return r;
}

Response export_csv(Context& ctx) {
  auto table = activites_table(lignes(ctx), ctx.services.territoires);
  return attachment(to_csv(table), "text/csv; charset=utf-8", "csv");
}

Response export_xlsx(Context& ctx) {
  auto table = activites_table(lignes(ctx), ctx.services.territoires);
  return attachment(to_xlsx(table, "Activités"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "xlsx");
}

}  // namespace

void register_routes(http::Router& r) {
  auto mediateur = accounts::Access::roles({accounts::Role::mediateur});
  r.add("GET", "/api/activites/export.csv", mediateur, export_csv);
  r.add("GET", "/api/activites/export.xlsx", mediateur, export_xlsx);
}

}  // namespace coop::exports
