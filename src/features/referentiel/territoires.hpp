// French administrative reference data (communes, départements, régions), loaded once at
// start-up from the JSON files of the npm package @etalab/decoupage-administratif (v6), with an
// in-memory search index for the commune autocomplete (/api/communes?q=).
//
// Plain model: no HTTP, no SQL. A loaded Territoires is immutable, so any number of threads may
// call its const member functions concurrently. Returned pointers stay valid as long as the
// Territoires object they come from (moving the object keeps them valid too).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace coop::referentiel {

// Development layout, relative to the repository root; coop finds it from its executable: core/installation.hpp.
inline constexpr std::string_view kDefaultDataDir =
    "web/node_modules/@etalab/decoupage-administratif/data";

inline constexpr std::string_view kTypeCommune = "commune-actuelle";
inline constexpr std::string_view kTypeArrondissement = "arrondissement-municipal";

struct Commune {
  std::string code;                        // INSEE code, e.g. "69123", "2A004", "69381"
  std::string nom;                         // e.g. "Lyon", "Lyon 1er Arrondissement"
  std::vector<std::string> codes_postaux;  // may be empty (a few uninhabited COM territories)
  std::string departement;                 // e.g. "69", "2A", "974", "978"
  std::string region;                      // e.g. "84"
  std::int64_t population = 0;             // 0 when unknown
  std::string type;                        // kTypeCommune or kTypeArrondissement
  std::string commune_parente;             // arrondissements only: "75056", "69123" or "13055"

  bool arrondissement() const { return type == kTypeArrondissement; }
};

struct Departement {
  std::string code;    // "01".."95", "2A", "2B", "971".."976"; COM: "975", "977".."989"
  std::string nom;
  std::string region;  // region code
  std::string zone;    // "metro", "drom" or "com"
};

struct Region {
  std::string code;
  std::string nom;
  std::string zone;  // "metro", "drom" or "com"
};

class Territoires {
 public:
  Territoires() = default;  // empty: every lookup fails, every search is empty

  // Reads <data_dir>/communes.json, departements.json and regions.json. Throws
  // std::runtime_error naming the file: "données de référence introuvables: <path> (lancez npm
  // ci dans web/)" when missing, "données de référence invalides: <path>: <reason>" when
  // unreadable or malformed.
  static Territoires load(const std::string& data_dir);

  // Same from in-memory JSON documents (tests, fixtures). Errors name the logical file.
  static Territoires from_json(std::string_view communes_json, std::string_view departements_json,
                               std::string_view regions_json);

  // Kept: every "commune-actuelle" (metro, DROM and COM) plus the 45 "arrondissement-municipal"
  // of Paris, Lyon and Marseille; "commune-deleguee" and "commune-associee" are dropped.
  // Lookup by INSEE code (letters of 2A/2B are case-insensitive); nullptr when unknown.
  const Commune* commune(std::string_view code) const;

  // Lookups also resolve the collectivités d'outre-mer ("975", "977"…"989"), so every commune's
  // departement/region code resolves; nullptr when unknown.
  const Departement* departement(std::string_view code) const;
  const Region* region(std::string_view code) const;

  // Autocomplete. The query is trimmed; empty query or limit 0 → empty.
  //  - 5 characters, digits or 2A/2B + 3 digits: communes having that postal code, then the
  //    commune with that INSEE code. "69001" → Lyon (69123), Lyon 1er Arrondissement (69381);
  //    "75056" → Paris.
  //  - 2 to 4 digits: communes having a postal code starting with them.
  //  - otherwise the folded name (core::fold; "st"/"ste" as whole words = "saint"/"sainte"):
  //    communes whose name starts with the query, or whose name without its leading article
  //    (le, la, les, l') starts with it, or one of whose words starts with it (the query may
  //    span several words: "etienne du" finds Saint-Étienne-du-Rouvray). A trailing separator
  //    marks the last word as complete: "lyon " does not match Lyons-la-Forêt, "st " = "saint ".
  // Ranking: exact name, then exact name without article, then name prefix, then word prefix;
  // within a rank communes before arrondissements, then population descending, then name.
  // Postal-code results are ordered communes first, then population descending.
  std::vector<const Commune*> search(std::string_view query, std::size_t limit) const;

  // Official lists, in the package's order: the 101 départements (96 metropolitan + 5 DROM) and the
  // 18 régions (13 + 5). Collectivités d'outre-mer are not in these lists.
  const std::vector<Departement>& departements() const { return departements_; }
  const std::vector<Region>& regions() const { return regions_; }

  std::size_t commune_count() const { return commune_count_; }  // "commune-actuelle" only
  // Every kept commune and arrondissement, in the package's order (scale data generator).
  const std::vector<Commune>& communes() const { return communes_; }
  std::size_t arrondissement_count() const { return communes_.size() - commune_count_; }

 private:
  struct Key {  // a suffix of folded_[idx], starting at byte off
    std::uint32_t idx;
    std::uint32_t off;
  };
  struct Postal {
    std::string code;
    std::uint32_t idx;
  };

  static Territoires parse(std::string_view communes_json, std::string_view communes_label,
                           std::string_view departements_json,
                           std::string_view departements_label, std::string_view regions_json,
                           std::string_view regions_label);
  void build_index();
  std::string_view key_text(const Key& k) const;
  std::vector<const Commune*> search_postal(std::string_view q, std::size_t limit) const;
  std::vector<const Commune*> search_name(std::string_view q, bool whole_word,
                                          std::size_t limit) const;

  std::vector<Commune> communes_;
  std::size_t commune_count_ = 0;
  std::vector<std::string> folded_;     // per commune: canonical folded name
  std::vector<std::uint32_t> rank_;     // per commune: order by (arrondissement, -pop, name)
  std::vector<std::uint32_t> by_code_;  // commune indexes sorted by code
  std::vector<Key> names_;              // full names + names without leading article, sorted
  std::vector<Key> words_;              // every non-initial word start, sorted
  std::vector<Postal> postal_;          // (postal code, commune), sorted

  std::vector<Departement> departements_;
  std::vector<Departement> departements_com_;
  std::vector<Region> regions_;
  std::vector<Region> regions_com_;
};

}  // namespace coop::referentiel
