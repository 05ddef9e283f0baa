// The search's in-memory index: what a search filters, counts and sorts on, for every resource,
// kept in memory so that facets over tens of thousands of matches cost microseconds, not seven
// SQL statements (bench/search/RESULTATS.md has the before and after).
//
// The text itself stays in the database (SQLite FTS5 table ressources_recherche, PostgreSQL
// tsvector columns): a search asks the engine once for the ids matching its words (and, to rank
// by relevance, those matching in the title and in the summary), then filters, counts the facets
// and sorts those ids here. Per resource the index keeps only the facet codes (bit sets),
// visibility, status, author, structure, the date and the counters of the sorts: about 140 bytes
// a resource (14 MB for 100,000).
//
// Freshness: every write of the tables the index mirrors adds a row to ressources_changements
// (triggers, migration 0021), whoever wrote it — this instance, another one on the same
// PostgreSQL, a command. Each search first reloads, in its own read transaction, the resources
// named by the rows it has not applied yet; so a search sees every write committed before it
// began, on any instance (read-your-writes), at the cost of one indexed query when nothing
// changed. The viewer's network (who may see « équipe » resources) is read from SQL per search.
#pragma once

#include <cstdint>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "features/ressources/store.hpp"
#include "storage/suivi_changements.hpp"

namespace coop::ressources {

class Index {
 public:
  // The search of store::Recherche, same results as its SQL definition (docs/api-contract.md
  // « Ressources »): the viewer's visibility rule, every filter, facets counting every other
  // filter, the four sorts, the page. Runs its reads on `s`.
  store::Resultat rechercher(storage::Session& s, const store::Lecteur& l, const store::Recherche& q);

  // Brings the index up to the changes visible to `s` (the first call, and after a day without
  // any, loads everything). rechercher() calls it; coop serve calls it once at start.
  void synchroniser(storage::Session& s);

  struct Etat {
    std::size_t ressources = 0;
    double construction_ms = 0;  // the last full load
    std::int64_t rechargements = 0;  // resources reloaded one by one since the start
  };
  Etat etat() const;

  struct Entree {
    std::int64_t id = 0;
    std::int64_t auteur_id = 0;     // 0: none
    std::int64_t structure_id = 0;  // 0: none
    std::int64_t utiles = 0, populaire = 0;  // populaire: views + downloads
    std::uint64_t thematiques = 0, publics = 0;  // bit i: the vocabulary's i-th code
    std::uint8_t format = 0, niveau = 0, licence = 0;  // index in the vocabulary (kInconnu: none)
    std::uint8_t visibilite = 0;  // 0 public, 1 equipe, 2 prive
    bool publie = false, masque = false;
    std::string date;  // COALESCE(publie_le, modifie_le): the « récent » order
  };

 private:
  void charger_tout(storage::Session& s);
  void recharger(storage::Session& s, std::vector<std::int64_t> ids);

  void placer();               // positions_ from entrees_
  void placer(std::size_t i);  // positions_ of entrees_[i] (appended)
  const Entree* entree(std::int64_t id) const;

  mutable std::shared_mutex donnees_;   // entrees_, positions_ (shared: searches; unique: applying changes)
  std::vector<Entree> entrees_;         // by id
  std::vector<std::uint32_t> positions_;  // id → 1 + its index in entrees_ (0: none)

  std::mutex synchro_;  // one synchronisation at a time; the fields below
  storage::SuiviChangements suivi_{"ressources_changements", "ressource_id"};
  double construction_ms_ = 0;
  std::int64_t rechargements_ = 0;
};

}  // namespace coop::ressources
