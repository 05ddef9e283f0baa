#include "features/public_api/api.hpp"

#include "features/activites/model.hpp"
#include "features/exports/national.hpp"
#include "features/public_api/store.hpp"
#include "features/referentiel/territoires.hpp"
#include "http/context.hpp"
#include "http/json.hpp"

namespace coop::public_api {

namespace json = boost::json;
using http::Context;
using http::Response;
using storage::Session;

namespace {

constexpr const char* kSize = "page[size]";
constexpr const char* kAfter = "page[after]";
constexpr const char* kDepuis = "filter[modification][depuis]";

store::PageQuery page_query(const http::Request& req) {
  store::PageQuery q;
  q.size = http::query_int(req, kSize, default_page_size, 1, max_page_size);
  if (auto a = req.query_param(kAfter); a && !a->empty()) {
    q.after = decode_cursor(*a);
    if (!q.after)
      throw http::validation_error({{kAfter, "Curseur invalide : reprenez la valeur de links.next de la page précédente."}},
                                   "Paramètre de requête invalide.");
  }
  if (auto d = req.query_param(kDepuis); d && !d->empty()) {
    q.depuis = parse_instant(*d);
    if (!q.depuis)
      throw http::validation_error(
          {{kDepuis, "Date invalide : AAAA-MM-JJ ou date-heure ISO 8601 (2026-01-31T08:00:00Z, 2026-01-31T09:00:00+01:00)."}},
          "Paramètre de requête invalide.");
  }
  return q;
}

std::string percent_encode(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// The document of a page: {"data": [...], "links": {"self", "next"}, "meta": {...}}.
// `rows` holds up to size + 1 items; `cursor_of` gives the cursor of an item.
template <class Row, class ToJson, class CursorOf>
Response page_response(const http::Request& req, const store::PageQuery& q, std::vector<Row> rows, ToJson to_json,
                       CursorOf cursor_of) {
  bool more = static_cast<std::int64_t>(rows.size()) > q.size;
  if (more) rows.resize(static_cast<std::size_t>(q.size));
  json::array data;
  for (auto& r : rows) data.push_back(to_json(r));
  json::value next = nullptr, next_link = nullptr;
  if (more) {
    auto c = encode_cursor(cursor_of(rows.back()));
    next = json::value(c);
    std::string link = req.path + "?" + percent_encode(kSize) + "=" + std::to_string(q.size);
    if (q.depuis) link += "&" + percent_encode(kDepuis) + "=" + percent_encode(*q.depuis);
    link += "&" + percent_encode(kAfter) + "=" + c;
    next_link = json::value(link);
  }
  return http::json_response(
      200, json::object{{"data", std::move(data)},
                        {"links", json::object{{"self", req.target}, {"next", next_link}}},
                        {"meta", json::object{{"page_size", q.size}, {"next_cursor", next}}}});
}

Response list_structures(Context& ctx) {
  auto q = page_query(ctx.req);
  auto rows = ctx.db().read_value([&](Session& s) { return store::structures(s, q); });
  const auto& t = ctx.services.territoires;
  return page_response(
      ctx.req, q, std::move(rows),
      [&](const store::StructureRow& r) {
        const referentiel::Commune* c = t.commune(r.commune_insee);
        return json::object{
            {"type", "structure"},
            {"id", r.id},
            {"attributes",
             json::object{{"nom", r.nom},
                          {"siret", r.siret.empty() ? json::value(nullptr) : json::value(r.siret)},
                          {"adresse", r.adresse},
                          {"commune_insee", r.commune_insee},
                          {"commune_nom", c ? json::value(c->nom) : json::value(nullptr)},
                          {"code_postal", c && !c->codes_postaux.empty() ? json::value(c->codes_postaux.front())
                                                                         : json::value(nullptr)},
                          {"departement", c ? json::value(c->departement) : json::value(nullptr)},
                          {"region", c ? json::value(c->region) : json::value(nullptr)},
                          {"created_at", r.created_at},
                          {"updated_at", r.updated_at}}}};
      },
      [](const store::StructureRow& r) { return Cursor{r.updated_at, r.id}; });
}

json::value commune_nom(const referentiel::Territoires& t, const std::optional<std::string>& insee) {
  const referentiel::Commune* c = insee ? t.commune(*insee) : nullptr;
  return c ? json::value(c->nom) : json::value(nullptr);
}

json::value opt_json(const std::optional<std::string>& v) { return v ? json::value(*v) : json::value(nullptr); }

Response list_lieux(Context& ctx) {
  auto q = page_query(ctx.req);
  auto rows = ctx.db().read_value([&](Session& s) { return store::lieux(s, q); });
  const auto& t = ctx.services.territoires;
  return page_response(
      ctx.req, q, std::move(rows),
      [&](const store::LieuRow& r) {
        return json::object{{"type", "lieu_activite"},
                            {"id", r.id},
                            {"attributes", json::object{{"mediateur_id", r.mediateur_id},
                                                        {"structure_id", r.structure_id},
                                                        {"nom", r.nom},
                                                        {"adresse", r.adresse},
                                                        {"commune_insee", r.commune_insee},
                                                        {"commune_nom", commune_nom(t, r.commune_insee)},
                                                        {"debut", r.debut},
                                                        {"fin", opt_json(r.fin)},
                                                        {"created_at", r.created_at},
                                                        {"updated_at", r.updated_at}}}};
      },
      [](const store::LieuRow& r) { return Cursor{r.updated_at, r.id}; });
}

json::array codes(const std::vector<std::string>& v) {
  json::array out;
  for (auto& s : v) out.emplace_back(s);
  return out;
}

template <std::size_t N>
json::object breakdown(std::span<const activites::Code> list, const std::array<std::int64_t, N>& counts) {
  json::object o;
  for (std::size_t i = 0; i < N; ++i) o[list[i].code] = counts[i];
  return o;
}

// The anonymous beneficiary of an individual accompaniment: its profile (a followed one: null,
// the public API never describes a followed person).
json::value beneficiaire_anonyme_json(const exports::Ligne& l, const referentiel::Territoires& t) {
  if (l.a.type != "individuel" || l.suivis.size() != 1 || !l.suivis[0].anonyme) return nullptr;
  const auto& s = l.suivis[0];
  return json::object{{"genre", opt_json(s.genre)},
                      {"tranche_age", opt_json(s.tranche_age)},
                      {"statut_social", opt_json(s.statut_social)},
                      {"commune_insee", opt_json(s.commune_insee)},
                      {"commune_nom", commune_nom(t, s.commune_insee)}};
}

json::object activite_json(const exports::Ligne& l, const referentiel::Territoires& t) {
  const auto& a = l.a;
  auto insee = a.commune_insee ? a.commune_insee : l.lieu_commune_insee;
  auto n = exports::comptes(a, l.suivis);
  json::array tags;
  for (auto& tag : l.tags) tags.emplace_back(tag);
  return {{"type", "activite"},
          {"id", a.id},
          {"attributes",
           json::object{{"mediateur_id", a.mediateur_id},
                        {"type", a.type},
                        {"date", a.date},
                        {"duree", a.duree},
                        {"type_lieu", a.type_lieu},
                        {"lieu_activite_id", a.lieu_activite_id ? json::value(*a.lieu_activite_id) : json::value(nullptr)},
                        {"lieu_activite_nom", a.lieu_activite_id ? opt_json(l.lieu_nom) : json::value(nullptr)},
                        {"commune_insee", opt_json(insee)},
                        {"commune_nom", commune_nom(t, insee)},
                        {"code_postal", opt_json(a.code_postal)},
                        {"materiel", codes(a.materiel)},
                        {"thematiques", codes(a.thematiques)},
                        {"demarches", codes(a.demarches)},
                        {"autonomie", opt_json(a.autonomie)},
                        {"oriente_vers_structure", a.oriente_vers_structure},
                        {"structure_de_redirection", opt_json(a.structure_de_redirection)},
                        {"orientation_lieu_id", a.orientation_lieu_id ? json::value(*a.orientation_lieu_id) : json::value(nullptr)},
                        {"orientation_lieu_nom", a.orientation_lieu_id ? opt_json(l.orientation_lieu_nom) : json::value(nullptr)},
                        {"orientation_services", codes(a.orientation_services)},
                        {"titre_atelier", opt_json(a.titre_atelier)},
                        {"niveau", opt_json(a.niveau)},
                        {"tags", std::move(tags)},
                        {"participants",
                         json::object{{"total", n.total},
                                      {"suivis", n.suivis},
                                      {"anonymes", n.anonymes},
                                      {"genre", breakdown(activites::genres, n.genre)},
                                      {"tranche_age", breakdown(activites::tranches_age, n.tranche_age)},
                                      {"statut_social", breakdown(activites::statuts_social, n.statut_social)},
                                      {"deja_accompagne", breakdown(activites::deja_accompagnes, n.deja_accompagne)}}},
                        {"beneficiaire_anonyme", beneficiaire_anonyme_json(l, t)},
                        {"created_at", a.created_at},
                        {"updated_at", a.updated_at},
                        {"supprime_le", opt_json(a.deleted_at)}}}};
}

Response list_activites(Context& ctx) {
  auto q = page_query(ctx.req);
  auto rows = ctx.db().read_value([&](Session& s) { return store::activites(s, q); });
  const auto& t = ctx.services.territoires;
  return page_response(
      ctx.req, q, std::move(rows), [&](const exports::Ligne& l) { return activite_json(l, t); },
      [](const exports::Ligne& l) { return Cursor{l.a.updated_at, l.a.id}; });
}

}  // namespace

void register_routes(http::Router& r) {
  using accounts::access::api_client;
  r.add("GET", "/api/v1/structures", api_client("structures"), list_structures);
  r.add("GET", "/api/v1/lieux-activite", api_client("lieux_activite"), list_lieux);
  r.add("GET", "/api/v1/activites", api_client("activites"), list_activites);
}

}  // namespace coop::public_api
