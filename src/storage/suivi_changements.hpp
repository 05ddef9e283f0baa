// Follows a change log written by triggers — ressources_changements, lieux_changements: columns
// seq, the changed row's id and, on PostgreSQL, the writing transaction's xid — for an in-memory
// index that must see every write committed before a search began, on any instance.
//
// SQLite serialises writes, so seqs are given in commit order: rows above the last seq seen.
// PostgreSQL gives seqs at insert time, not in commit order: a transaction with a lower seq may
// commit after one with a higher seq was seen. So the follower re-reads the rows of every
// transaction from the last snapshot's xmin on (those not finished when it last looked), skipping
// the rows it already applied, and forgets a row once xmin has passed its transaction.
//
// Use, with the index's synchronisation mutex held, inside the read transaction that reloads:
//   auto n = suivi.lire(s);
//   if (n.tout) load everything; else reload n.ids;
//   suivi.confirmer();   // only once applied: a failed reload is retried at the next lire()
// `tout` is asked the first time, and after `oubli` without a look (the log is purged after a
// day; features/purge). The mark of a full load is taken before it, in the same snapshot.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "storage/database.hpp"

namespace coop::storage {

class SuiviChangements {
 public:
  // `table` and `colonne` are identifiers written in the code (never user input).
  SuiviChangements(std::string table, std::string colonne,
                   std::chrono::steady_clock::duration oubli = std::chrono::hours(12));

  struct Nouveautes {
    bool tout = false;               // load everything
    std::vector<std::int64_t> ids;   // else: reload these (sorted, distinct)
  };
  Nouveautes lire(Session& s);
  void confirmer();

 private:
  std::string table_, colonne_;
  std::chrono::steady_clock::duration oubli_;
  bool suivi_ = false;                              // a full load was confirmed
  std::chrono::steady_clock::time_point vu_le_{};   // the last confirmed look
  std::int64_t dernier_seq_ = 0;                    // SQLite: the last row applied
  std::uint64_t xmin_ = 0;                          // PostgreSQL: rows of transactions from here on come back
  std::map<std::int64_t, std::uint64_t> appliques_;  // PostgreSQL: those already applied, seq → xid
  // What lire() found, applied by confirmer().
  struct Attente {
    bool tout = false;
    std::int64_t dernier_seq = 0;
    std::uint64_t xmin = 0;
    std::vector<std::pair<std::int64_t, std::uint64_t>> nouveaux;
  } attente_;
};

}  // namespace coop::storage
