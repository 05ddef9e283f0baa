// The lieux search (issue 12 point 5): an in-memory index of what a search filters and sorts on,
// for every lieu, kept fresh as the resources' one is (features/ressources/index.hpp): every
// write of `lieux` adds a row to lieux_changements (triggers, migration 0023), whoever wrote it;
// each search first reloads, in its own read transaction, the lieux named by the rows it has not
// applied yet (SQLite: by seq; PostgreSQL: by transaction id, pg_snapshot_xmin), so it sees every
// write committed before it began, on any instance.
//
// Per lieu: the vocabularies as bit sets, codes (INSEE, city, postal, département, région), the
// folded words of nom, commune and présentation (text: each word of the query must start a word
// of the lieu — accent- and case-insensitive), the position, the parsed opening hours (one
// shared copy per distinct value), the map switch. A search is a scan with a bounding box before
// haversine, then a partial sort of the page; only the page's full records are read from SQL.
// A text search does not scan: a word index (each folded word → the sorted ids of the lieux that
// have it) gives, for the query word whose prefix range holds the fewest lieux, the candidates;
// only they go through the filters (every query word checked again, so the answer is the scan's
// exactly). When even that word is in half of the lieux (a one-letter prefix), the scan is used.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "features/lieux/horaires.hpp"
#include "features/lieux/positions.hpp"
#include "storage/database.hpp"
#include "storage/suivi_changements.hpp"

namespace coop::referentiel {
class Territoires;
}

namespace coop::lieux::recherche {

// The 8 repeatable vocabulary filters, in this order.
inline constexpr std::array<std::string_view, 8> kFiltresVocabulaire = {
    "services", "publics_specifiquement_adresses", "prise_en_charge_specifique", "frais_a_charge",
    "modalites_acces", "modalites_accompagnement", "dispositif_programmes_nationaux", "formations_labels"};
const std::vector<std::string_view>& vocabulaire_du_filtre(std::size_t i);

struct Requete {
  std::string q;
  std::vector<std::string> communes, codes_postaux, departements, regions;  // OR inside each
  std::array<std::vector<std::string>, 8> vocabulaires;                     // exact labels, OR inside
  bool ouvert_maintenant = false;
  core::Clock::time_point instant{};  // of ouvert_maintenant (and of the answers' state)
  // « Ouvert tel jour de telle heure à telle heure » (une_partie); debut/fin in minutes, fin up to 2880.
  std::optional<std::chrono::year_month_day> jour;
  int de = 0, a = 1440;
  bool fiche_acces_libre = false, prise_rdv = false;
  std::optional<Position> centre;
  double rayon_m = 30000;
  bool hors_carte = false;  // also the lieux not on the map
  // Only these lieux (sorted ids): a local network's lieux (features/reseaux, ?reseau=ID).
  std::optional<std::vector<std::int64_t>> parmi;
  std::int64_t apres_id = -1;  // >= 0: id order after this id (legacy keyset listing)
  std::int64_t page = 1, par_page = 20;
};

struct Trouve {
  std::int64_t id = 0;
  std::optional<double> distance_m;
};

struct Resultat {
  std::int64_t total = 0;
  std::vector<Trouve> page;
  bool suite = false;  // keyset mode: more after the page
};

struct Points {
  std::int64_t total = 0;
  std::vector<std::array<double, 3>> points;           // id, lat, lon
  std::map<std::string, std::int64_t> par_departement;  // département code → count (known ones)
};

class Index {
 public:
  explicit Index(const referentiel::Territoires& t, PositionsCommunes positions = {})
      : territoires_(t), positions_(std::move(positions)) {}

  Resultat rechercher(storage::Session& s, const Requete& r);
  Points points(storage::Session& s, const Requete& r);
  // Every match, in the (modifie_le, id) order of the public API, after the cursor; up to limite.
  std::vector<Trouve> page_v1(storage::Session& s, const Requete& r,
                              const std::optional<std::pair<std::string, std::int64_t>>& apres,
                              const std::optional<std::string>& depuis, std::size_t limite);

  // The commune's position: the gazetteer's, else the mean of the lieux stored with that
  // code_insee (or, for a city, in its arrondissements); nullopt when neither.
  std::optional<Position> position_commune(storage::Session& s, std::string_view code_insee);
  // A lieu's position (nullopt: unknown lieu or no position).
  std::optional<Position> position_lieu(storage::Session& s, std::int64_t id);

  // Parsed opening hours of a lieu in the index (null: none or invalid).
  std::shared_ptr<const horaires::Horaires> horaires_de(std::int64_t id) const;

  void synchroniser(storage::Session& s);
  std::size_t taille() const;
  // The word index is used when the candidates (the postings under the rarest query word's
  // prefix) are at most this share of the lieux (default 0.5: measured on the bench's 100,000
  // lieux, one-letter prefixes then cost the same either way); 0 always scans, 1 always uses it
  // (tests compare both with the definition).
  void seuil_index_mots(double part) { seuil_mots_ = part; }
  const PositionsCommunes& positions() const { return positions_; }

  struct Entree {
    std::int64_t id = 0;
    double lat = 0, lon = 0;
    bool a_position = false, sur_la_carte = false, fiche = false, rdv = false;
    std::array<std::uint64_t, 8> bits{};
    std::string code_insee, ville_insee, code_postal, departement, region;
    std::vector<std::string> mots;  // sorted, unique
    std::string nom_tri, modifie_le;
    std::shared_ptr<const horaires::Horaires> horaires;
  };

 private:
  template <class F>
  void parcourir(const Requete& r, F&& f);  // calls f(entree, distance) for every match; holds the shared lock
  Entree lire_entree(const std::vector<storage::Value>& row);
  void charger_tout(storage::Session& s);
  void recharger(storage::Session& s, std::vector<std::int64_t> ids);
  const Entree* entree(std::int64_t id) const;
  // Word index upkeep (under the unique lock) and the candidates of a text search (shared lock):
  // nullopt when a scan is cheaper.
  void indexer_mots(const Entree& e);
  void desindexer_mots(const Entree& e);
  std::optional<std::vector<std::int64_t>> candidats(const std::vector<std::string>& requete) const;

  const referentiel::Territoires& territoires_;
  PositionsCommunes positions_;

  mutable std::shared_mutex donnees_;
  std::vector<Entree> entrees_;  // by id
  std::map<std::string, std::vector<std::int64_t>, std::less<>> mots_;  // folded word → sorted ids
  double seuil_mots_ = 0.5;
  std::map<std::string, std::weak_ptr<const horaires::Horaires>> horaires_partages_;

  std::mutex synchro_;
  storage::SuiviChangements suivi_{"lieux_changements", "lieu_id"};
};

// Deletes log rows older than `avant` (keeps the last one); up to `limite`. Returns how many.
std::int64_t purger_changements(storage::Session& s, const std::string& avant, std::int64_t limite);

// The straightforward definition (tests): the same filters as one SQL query plus a loop over
// the rows for what SQL cannot say (opening hours, words, haversine); ids in the index's order.
std::vector<Trouve> definition(storage::Session& s, const Requete& r, const referentiel::Territoires& t);

}  // namespace coop::lieux::recherche
