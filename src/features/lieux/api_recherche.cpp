// The lieux search's routes: GET /api/lieux (a page), GET /api/lieux/points (the map's points and
// counts), GET /api/v1/lieux (public API, cursor pages) — one parser of the filters for the three
// (docs/openapi.json, docs/api-contract.md « Lieux : recherche »).
#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <regex>

#include "core/text.hpp"
#include "core/time.hpp"
#include "features/accounts/policy.hpp"
#include "features/lieux/api_commun.hpp"
#include "features/lieux/recherche.hpp"
#include "features/public_api/model.hpp"
#include "features/referentiel/territoires.hpp"
#include "features/reseaux/store.hpp"
#include "http/context.hpp"
#include "http/json.hpp"
#include "http/router.hpp"

namespace coop::lieux {

namespace json = boost::json;
using http::Context;
using http::Response;
using storage::Session;

namespace {

[[noreturn]] void invalide(const std::string& champ, const std::string& message) {
  throw http::validation_error({{champ, message}}, "Paramètre de requête invalide.");
}

std::vector<std::string> valeurs(const Context& ctx, std::string_view nom) {
  std::vector<std::string> out;
  for (const auto& [k, v] : ctx.req.query)
    if (k == nom) {
      auto t = core::trim(v);
      if (!t.empty()) out.emplace_back(std::move(t));
    }
  return out;
}

std::string une(const Context& ctx, std::string_view nom) {
  auto v = valeurs(ctx, nom);
  if (v.size() > 1) invalide(std::string(nom), fmt::format("{} : une seule valeur attendue.", nom));
  return v.empty() ? std::string() : v[0];
}

bool drapeau(const Context& ctx, std::string_view nom) {
  auto v = une(ctx, nom);
  if (v.empty() || v == "0") return false;
  if (v == "1") return true;
  invalide(std::string(nom), fmt::format("{} : 1 ou 0 attendu, reçu « {} ».", nom, v));
}

std::string majuscules(std::string t) {
  for (auto& c : t)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return t;
}

std::string encoder(std::string_view t) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : t) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == ',') out += static_cast<char>(c);
    else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::optional<double> nombre(std::string_view t) {
  double d = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), d);
  if (ec != std::errc() || p != t.data() + t.size() || !std::isfinite(d)) return std::nullopt;
  return d;
}

int heure(const std::string& champ, const std::string& t) {
  static const std::regex re("^([0-9]{2}):([0-9]{2})$");
  std::smatch m;
  if (!std::regex_match(t, m, re)) invalide(champ, fmt::format("{} : une heure HH:MM est attendue, reçu « {} ».", champ, t));
  const int h = std::stoi(m[1]), mn = std::stoi(m[2]);
  if (h > 24 || mn > 59 || (h == 24 && mn != 0)) invalide(champ, fmt::format("{} : heure impossible « {} ».", champ, t));
  return h * 60 + mn;
}

// The filters shared by the three routes.
recherche::Requete requete(Context& ctx, recherche::Index& index) {
  recherche::Requete r;
  const auto& t = ctx.services.territoires;
  r.q = une(ctx, "q");
  if (r.q.size() > 200) invalide("q", "q : 200 caractères au plus.");
  static const std::regex insee("^[0-9][0-9AaBb][0-9]{3}$"), postal("^[0-9]{5}$");
  for (auto& c : valeurs(ctx, "commune")) {
    if (!std::regex_match(c, insee)) invalide("commune", fmt::format("commune : un code INSEE à 5 caractères est attendu, reçu « {} ».", c));
    r.communes.push_back(majuscules(c));
  }
  for (auto& c : valeurs(ctx, "code_postal")) {
    if (!std::regex_match(c, postal)) invalide("code_postal", fmt::format("code_postal : 5 chiffres attendus, reçu « {} ».", c));
    r.codes_postaux.push_back(c);
  }
  for (auto& c : valeurs(ctx, "departement")) {
    const auto* d = t.departement(c);
    if (!d) invalide("departement", fmt::format("departement : département inconnu « {} ».", c));
    r.departements.push_back(d->code);
  }
  for (auto& c : valeurs(ctx, "region")) {
    const auto* g = t.region(c);
    if (!g) invalide("region", fmt::format("region : région inconnue « {} ».", c));
    r.regions.push_back(g->code);
  }
  for (std::size_t i = 0; i < recherche::kFiltresVocabulaire.size(); ++i) {
    const auto nom = recherche::kFiltresVocabulaire[i];
    auto vs = valeurs(ctx, nom);
    if (i == 0)
      for (auto& v : valeurs(ctx, "service")) vs.push_back(v);  // the former name
    const auto& voc = recherche::vocabulaire_du_filtre(i);
    for (auto& v : vs) {
      if (std::find(voc.begin(), voc.end(), v) == voc.end())
        invalide(i == 0 && valeurs(ctx, "services").empty() ? "service" : std::string(nom),
                 fmt::format("{} : « {} » n'est pas un libellé du standard.", nom, v));
      r.vocabulaires[i].push_back(v);
    }
  }
  r.ouvert_maintenant = drapeau(ctx, "ouvert_maintenant");
  r.instant = core::Clock::now();
  if (auto i = une(ctx, "instant"); !i.empty()) {
    auto p = core::parse_iso(i);
    if (!p) invalide("instant", "instant : une date-heure ISO 8601 est attendue (2026-12-07T10:00:00Z).");
    r.instant = *p;
  }
  const auto jour = une(ctx, "jour"), de = une(ctx, "de"), a = une(ctx, "a");
  if (!jour.empty()) {
    if (!core::valid_date(jour)) invalide("jour", fmt::format("jour : une date AAAA-MM-JJ est attendue, reçu « {} ».", jour));
    r.jour = std::chrono::year_month_day{std::chrono::year{std::stoi(jour.substr(0, 4))},
                                         std::chrono::month{static_cast<unsigned>(std::stoi(jour.substr(5, 2)))},
                                         std::chrono::day{static_cast<unsigned>(std::stoi(jour.substr(8, 2)))}};
    r.de = de.empty() ? 0 : heure("de", de);
    r.a = a.empty() ? 1440 : heure("a", a);
    if (r.de == 1440) invalide("de", "de : 24:00 n'ouvre aucune plage ; choisissez une heure avant minuit.");
    if (r.a == r.de) invalide("a", "a : l'heure de fin doit différer de l'heure de début.");
    if (r.a < r.de) r.a += 1440;  // « de 20h à 2h »: the next day
  } else if (!de.empty() || !a.empty()) {
    invalide("jour", "jour : indiquez le jour (AAAA-MM-JJ) avec les heures de et a.");
  }
  r.fiche_acces_libre = drapeau(ctx, "fiche_acces_libre");
  r.prise_rdv = drapeau(ctx, "prise_rdv");

  const auto autour = une(ctx, "autour"), lieu = une(ctx, "lieu"), commune = une(ctx, "depuis_commune");
  const int points = !autour.empty() + !lieu.empty() + !commune.empty();
  if (points > 1) invalide("autour", "autour, lieu, depuis_commune : un seul point de départ à la fois.");
  if (!autour.empty()) {
    std::optional<double> la, lo;
    if (auto virgule = autour.find(','); virgule != std::string::npos && autour.find(',', virgule + 1) == std::string::npos) {
      la = nombre(core::trim(std::string_view(autour).substr(0, virgule)));
      lo = nombre(core::trim(std::string_view(autour).substr(virgule + 1)));
    }
    if (!la || !lo || *la < -90 || *la > 90 || *lo < -180 || *lo > 180)
      invalide("autour", fmt::format("autour : « latitude,longitude » attendu (WGS84, par exemple 45.75,4.85), reçu « {} ».", autour));
    r.centre = Position{*la, *lo};
  } else if (!lieu.empty()) {
    std::int64_t id = 0;
    auto [p, ec] = std::from_chars(lieu.data(), lieu.data() + lieu.size(), id);
    if (ec != std::errc() || p != lieu.data() + lieu.size() || id <= 0) invalide("lieu", "lieu : l'identifiant d'un lieu est attendu.");
    auto existe = ctx.db().read_value([&](Session& s) { return store::lire(s, id).has_value(); });
    if (!existe) throw http::ApiError(404, "introuvable", "Lieu de départ introuvable.", {{"lieu", "lieu : aucun lieu n'a cet identifiant."}});
    r.centre = ctx.db().read_value([&](Session& s) { return index.position_lieu(s, id); });
    if (!r.centre)
      throw http::ApiError(422, "lieu_sans_position", "Ce lieu n'a pas de position : la distance ne peut pas être calculée.",
                           {{"lieu", "lieu : ce lieu n'a ni latitude ni longitude."}});
  } else if (!commune.empty()) {
    const auto* c = t.commune(commune);
    if (!c) invalide("depuis_commune", fmt::format("depuis_commune : aucune commune n'a le code INSEE « {} ».", commune));
    r.centre = ctx.db().read_value([&](Session& s) { return index.position_commune(s, c->code); });
    if (!r.centre)
      throw http::ApiError(422, "commune_sans_position",
                           fmt::format("La position de la commune {} ({}) n'est pas connue : cherchez autour d'une adresse ou d'un lieu.", c->nom, c->code),
                           {{"depuis_commune", fmt::format("depuis_commune : position inconnue pour {} ({}).", c->nom, c->code)}});
  }
  if (const auto reseau = une(ctx, "reseau"); !reseau.empty()) {
    std::int64_t id = 0;
    auto [p, ec] = std::from_chars(reseau.data(), reseau.data() + reseau.size(), id);
    if (ec != std::errc() || p != reseau.data() + reseau.size() || id <= 0) invalide("reseau", "reseau : l'identifiant d'un réseau est attendu.");
    r.parmi = ctx.db().read_value([&](Session& s) -> std::optional<std::vector<std::int64_t>> {
      if (!reseaux::store::lire(s, id)) return std::nullopt;
      return reseaux::store::lieux(s, reseaux::store::ids_structures(s, id), core::today());
    });
    if (!r.parmi) throw http::ApiError(404, "introuvable", "Réseau introuvable.", {{"reseau", "reseau : aucun réseau n'a cet identifiant."}});
  }
  const bool rayon_donne = !une(ctx, "rayon_km").empty();
  const auto rayon = http::query_int(ctx.req, "rayon_km", 30, 5, 100);
  if (rayon_donne && !r.centre) invalide("rayon_km", "rayon_km : indiquez aussi le point de départ (autour, lieu ou depuis_commune).");
  r.rayon_m = static_cast<double>(rayon) * 1000.0;
  return r;
}

recherche::Index& index_ou_503(Context& ctx) {
  if (!ctx.services.lieux) throw http::ApiError(503, "indisponible", "La recherche des lieux n'est pas disponible.");
  return *ctx.services.lieux;
}

json::array liste_json(const std::string& v) {
  json::array a;
  for (const auto& x : separer(v)) a.emplace_back(x);
  return a;
}

json::value nombre_json(const std::string& t) {
  if (t.empty()) return nullptr;
  return std::stod(t);
}

json::object resume_json(const store::Enregistrement& e, std::optional<double> distance, const horaires::Horaires* h,
                         const horaires::HeureLocale& quand) {
  const auto& l = e.lieu;
  json::value ouvert = nullptr, etat = nullptr;
  if (h) {
    const auto x = horaires::etat(*h, quand);
    if (x != horaires::Etat::inconnu) {
      ouvert = x == horaires::Etat::ouvert;
      etat = json::value(horaires::etat_en_francais(*h, quand));
    }
  }
  return {{"id", e.id},
          {"nom", l[ch::nom]},
          {"commune", l[ch::commune]},
          {"code_postal", l[ch::code_postal]},
          {"code_insee", l[ch::code_insee]},
          {"adresse", l[ch::adresse]},
          {"complement_adresse", l[ch::complement_adresse]},
          {"latitude", nombre_json(l[ch::latitude])},
          {"longitude", nombre_json(l[ch::longitude])},
          {"services", liste_json(l[ch::services])},
          {"publics_specifiquement_adresses", liste_json(l[ch::publics_specifiquement_adresses])},
          {"frais_a_charge", liste_json(l[ch::frais_a_charge])},
          {"modalites_acces", liste_json(l[ch::modalites_acces])},
          {"telephone", l[ch::telephone]},
          {"horaires", l[ch::horaires]},
          {"horaires_valides", e.horaires_valides ? json::value(*e.horaires_valides) : json::value(nullptr)},
          {"ouvert_maintenant", ouvert},
          {"etat_horaires", etat},
          {"fiche_acces_libre", l[ch::fiche_acces_libre]},
          {"prise_rdv", l[ch::prise_rdv]},
          {"structure_id", e.structure_id ? json::value(*e.structure_id) : json::value(nullptr)},
          {"sur_la_carte", e.sur_la_carte()},
          {"completude", e.completude},
          {"departement", departement_de(l)},
          {"distance_m", distance ? json::value(std::round(*distance)) : json::value(nullptr)}};
}

Response lister(Context& ctx) {
  auto& index = index_ou_503(ctx);
  auto r = requete(ctx, index);
  r.hors_carte = accounts::lieux_voit_hors_carte(ctx.user(), drapeau(ctx, "tous"), drapeau(ctx, "carte"));
  const bool limite = !une(ctx, "limite").empty();
  r.par_page = limite ? http::query_int(ctx.req, "limite", 20, 1, 200) : http::query_int(ctx.req, "par_page", 20, 1, 200);
  r.page = http::query_int(ctx.req, "page", 1, 1, 1000000);
  if (!une(ctx, "apres").empty()) r.apres_id = http::query_int(ctx.req, "apres", 0, 0, INT64_MAX);
  // compte=1: the total only (the orientation wizard's live count): no page, no record read.
  if (drapeau(ctx, "compte")) r.par_page = 0;
  auto [res, lignes] = ctx.db().read_value([&](Session& s) {
    auto res = index.rechercher(s, r);
    std::vector<std::int64_t> ids;
    for (const auto& t : res.page) ids.push_back(t.id);
    return std::pair(res, store::lire_plusieurs(s, ids));
  });
  const auto quand = horaires::heure_de_paris(r.instant);
  json::array items, lieux;
  std::size_t k = 0;
  for (const auto& e : lignes) {
    while (k < res.page.size() && res.page[k].id != e.id) ++k;
    const auto h = index.horaires_de(e.id);
    items.push_back(resume_json(e, k < res.page.size() ? res.page[k].distance_m : std::nullopt, h.get(), quand));
    lieux.push_back(lieu_json(e));
  }
  const bool suite = r.apres_id >= 0 && res.suite && !lignes.empty();
  return http::json_response(200, json::object{{"items", std::move(items)},
                                               {"total", res.total},
                                               {"page", r.apres_id >= 0 ? 1 : r.page},
                                               {"par_page", r.par_page},
                                               {"lieux", std::move(lieux)},
                                               {"suivant", suite ? json::value(lignes.back().id) : json::value(nullptr)}});
}

Response points(Context& ctx) {
  auto& index = index_ou_503(ctx);
  auto r = requete(ctx, index);
  r.hors_carte = accounts::lieux_voit_hors_carte(ctx.user(), drapeau(ctx, "tous"), drapeau(ctx, "carte"));
  auto p = ctx.db().read_value([&](Session& s) { return index.points(s, r); });
  const auto& t = ctx.services.territoires;
  json::array pts;
  pts.reserve(p.points.size());
  for (const auto& x : p.points) {
    // 5 decimals: about a metre, what a marker needs.
    pts.push_back(json::array{static_cast<std::int64_t>(x[0]), std::round(x[1] * 1e5) / 1e5, std::round(x[2] * 1e5) / 1e5});
  }
  std::map<std::string, std::int64_t> regions;
  json::array deps;
  for (const auto& [code, n] : p.par_departement) {
    const auto* d = t.departement(code);
    const std::string region = d ? d->region : "";
    deps.push_back(json::object{{"code", code}, {"nom", d ? d->nom : code}, {"region", region}, {"nombre", n}});
    if (!region.empty()) regions[region] += n;
  }
  json::array regs;
  for (const auto& [code, n] : regions) {
    const auto* g = t.region(code);
    regs.push_back(json::object{{"code", code}, {"nom", g ? g->nom : code}, {"nombre", n}});
  }
  return http::json_response(200, json::object{{"total", p.total},
                                               {"points", std::move(pts)},
                                               {"par_region", std::move(regs)},
                                               {"par_departement", std::move(deps)}});
}

Response lister_v1(Context& ctx) {
  auto& index = index_ou_503(ctx);
  const auto taille = http::query_int(ctx.req, "page[size]", public_api::default_page_size, 1, public_api::max_page_size);
  std::optional<std::pair<std::string, std::int64_t>> apres;
  if (auto a = ctx.req.query_param("page[after]"); a && !a->empty()) {
    auto c = public_api::decode_cursor(*a);
    if (!c)
      throw http::validation_error({{"page[after]", "Curseur invalide : reprenez la valeur de links.next de la page précédente."}},
                                   "Paramètre de requête invalide.");
    apres = std::pair(c->updated_at, c->id);
  }
  std::optional<std::string> depuis;
  if (auto d = ctx.req.query_param("filter[modification][depuis]"); d && !d->empty()) {
    depuis = public_api::parse_instant(*d);
    if (!depuis)
      throw http::validation_error({{"filter[modification][depuis]", "Date invalide : AAAA-MM-JJ ou date-heure ISO 8601."}},
                                   "Paramètre de requête invalide.");
  }
  auto r = requete(ctx, index);
  r.hors_carte = !drapeau(ctx, "carte");  // the public API lists every lieu, as before
  auto [trouves, lignes] = ctx.db().read_value([&](Session& s) {
    auto t = index.page_v1(s, r, apres, depuis, static_cast<std::size_t>(taille) + 1);
    std::vector<std::int64_t> ids;
    for (const auto& x : t) ids.push_back(x.id);
    return std::pair(t, store::lire_plusieurs(s, ids));
  });
  bool suite = static_cast<std::int64_t>(lignes.size()) > taille;
  if (suite) lignes.resize(static_cast<std::size_t>(taille));
  json::array data;
  std::size_t k = 0;
  for (const auto& e : lignes) {
    while (k < trouves.size() && trouves[k].id != e.id) ++k;
    auto o = lieu_json(e);
    auto champs_json = std::move(o["champs"]);
    o.erase("champs");
    o.erase("id");
    json::object attributs = champs_json.as_object();
    for (auto& [key, val] : o) attributs[key] = val;
    if (r.centre) {
      const auto d = k < trouves.size() ? trouves[k].distance_m : std::nullopt;
      attributs["distance_m"] = d ? json::value(std::round(*d)) : json::value(nullptr);
    }
    data.push_back(json::object{{"type", "lieu"}, {"id", e.id}, {"attributes", std::move(attributs)}});
  }
  json::value next = nullptr, next_link = nullptr;
  if (suite) {
    auto c = public_api::encode_cursor({lignes.back().modifie_le, lignes.back().id});
    next = json::value(c);
    // The same query, the cursor replaced.
    std::string lien = ctx.req.path + "?";
    bool premier = true;
    for (const auto& [key, val] : ctx.req.query) {
      if (key == "page[after]") continue;
      lien += (premier ? "" : "&") + encoder(key) + "=" + encoder(val);
      premier = false;
    }
    lien += (premier ? "" : "&") + std::string("page%5Bafter%5D=") + c;
    next_link = json::value(lien);
  }
  return http::json_response(200, json::object{{"data", std::move(data)},
                                               {"links", json::object{{"self", ctx.req.target}, {"next", next_link}}},
                                               {"meta", json::object{{"page_size", taille}, {"next_cursor", next}}}});
}

}  // namespace

void register_routes_recherche(http::Router& r) {
  using namespace accounts::access;
  r.add("GET", "/api/lieux", logged_in(), lister);
  r.add("GET", "/api/lieux/points", logged_in(), points);
  r.add("GET", "/api/v1/lieux", api_client("lieux"), lister_v1);
}

}  // namespace coop::lieux
