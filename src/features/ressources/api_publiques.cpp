// GET /api/v1/ressources: public resources for other platforms (API clients with the scope
// « ressources »), keyset pagination on (modifie_le, id) as the rest of /api/v1.
#include "features/public_api/model.hpp"
#include "features/ressources/api_commun.hpp"

namespace coop::ressources::api {

namespace {

Response lister_publiques(Context& ctx) {
  const auto taille = http::query_int(ctx.req, "page[size]", public_api::default_page_size, 1, public_api::max_page_size);
  std::optional<std::pair<std::string, std::int64_t>> apres;
  if (auto a = ctx.req.query_param("page[after]"); a && !a->empty()) {
    auto c = public_api::decode_cursor(*a);
    if (!c)
      throw http::validation_error({{"page[after]", "Curseur invalide : reprenez la valeur de links.next de la page précédente."}},
                                   "Paramètre de requête invalide.");
    apres = std::make_pair(c->updated_at, c->id);
  }
  auto o = ctx.db().read_value([&](Session& s) {
    auto ids = store::publiques(s, apres, taille + 1);
    const bool suite = static_cast<std::int64_t>(ids.size()) > taille;
    if (suite) ids.resize(static_cast<std::size_t>(taille));
    auto rs = store::charger(s, ids);
    const auto pieces = fichiers::store::pieces(s, store::kDomaine, ids);
    json::array data;
    for (const auto& r : rs) {
      json::array fs;
      for (const auto& p : pieces)
        if (p.objet_id == r.id)
          fs.push_back(json::object{{"nom", p.nom}, {"type", p.fichier.type}, {"taille", p.fichier.taille}, {"sha256", p.fichier.sha256}});
      json::array liens;
      for (const auto& l : r.liens) liens.push_back(json::object{{"url", l.url}, {"titre", l.titre}});
      data.push_back(json::object{
          {"type", "ressource"},
          {"id", r.id},
          {"attributes", json::object{{"titre", r.titre},
                                      {"resume", r.resume},
                                      {"description", r.description},
                                      {"thematiques", codes_json(r.thematiques)},
                                      {"publics", codes_json(r.publics)},
                                      {"format", r.format},
                                      {"niveau", r.niveau},
                                      {"duree_minutes", r.duree_minutes ? json::value(*r.duree_minutes) : json::value(nullptr)},
                                      {"licence", r.licence},
                                      {"auteur", r.auteur_nom},
                                      {"structure", r.structure_id ? json::value(r.structure_nom) : json::value(nullptr)},
                                      {"version", r.version},
                                      {"fichiers", std::move(fs)},
                                      {"liens", std::move(liens)},
                                      {"utiles", r.utiles},
                                      {"telechargements", r.telechargements},
                                      {"publie_le", r.publie_le ? json::value(*r.publie_le) : json::value(nullptr)},
                                      {"updated_at", r.modifie_le}}}});
    }
    json::value next = nullptr, lien = nullptr;
    if (suite && !rs.empty()) {
      const auto c = public_api::encode_cursor({.updated_at = rs.back().modifie_le, .id = rs.back().id});
      next = json::value(c);
      lien = json::value(ctx.req.path + "?page%5Bsize%5D=" + std::to_string(taille) + "&page%5Bafter%5D=" + c);
    }
    return json::object{{"data", std::move(data)},
                        {"links", json::object{{"self", ctx.req.target}, {"next", lien}}},
                        {"meta", json::object{{"page_size", taille}, {"next_cursor", next}}}};
  });
  return http::json_response(200, o);
}

}  // namespace

void routes_publiques(http::Router& r) { r.add("GET", "/api/v1/ressources", accounts::access::api_client("ressources"), lister_publiques); }

}  // namespace coop::ressources::api
