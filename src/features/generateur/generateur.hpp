// Scale data generator (issue 4 point 6, issue 3 point 4): N activities spread realistically over
// real communes (weighted by population), mediators, structures employeuses, lieux d'activité,
// teams, tags, followed and anonymous beneficiaries, from 2020-01-01 to today, with growth over
// the years, weekdays mostly, fewer in August and late December. Every activity satisfies the
// model's rules (activites::validate). Deterministic: the same seed on the same database state
// writes the same rows (timestamps included).
//
// Streaming: nothing proportional to N is kept in memory (per mediator at most a ring of recent
// followed beneficiaries). Rows are buffered per table and written every 2,048 activities by
// storage::Session::copy_rows (PostgreSQL: COPY FROM STDIN; SQLite: multi-row INSERT statements
// prepared once and reused), in transactions of `par_transaction` activities (large loads on
// PostgreSQL: see Options::sans_index_des). PostgreSQL tables get ANALYZE at the end.
//
// Ids of activites and beneficiaires are chosen by the generator (MAX(id) + 1 onwards; on
// PostgreSQL the identity sequences are moved past them at the end): do not write to those tables
// from elsewhere while it runs.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "storage/database.hpp"

namespace coop::referentiel {
class Territoires;
}

namespace coop::generateur {

inline constexpr std::int64_t max_activites = 10'000'000;

struct Options {
  std::int64_t activites = 0;  // 1 … max_activites
  std::uint64_t seed = 1;
  // All activities on this existing mediator (e-mail of an account with the mediateur role);
  // no other account is created. Empty: new mediators (≈ 1 per 1,000 activities per year).
  std::optional<std::string> mediateur_email;
  std::string today;  // YYYY-MM-DD; empty: core::today()
  std::int64_t par_transaction = 50'000;
  // PostgreSQL, from this many activities on: the whole generation runs in ONE transaction which
  // drops the secondary indexes of activites, beneficiaires, activite_beneficiaires and
  // activite_tags (not those of primary keys or constraints), loads, then re-creates them from
  // their own definitions (pg_get_indexdef) before committing. Building an index once is much
  // faster than maintaining it row by row; DDL being transactional, an interrupted run leaves
  // the database as it was (indexes included). Below it (and on SQLite): transactions of
  // par_transaction activities, indexes maintained as rows arrive.
  std::int64_t sans_index_des = 200'000;
  std::function<void(std::int64_t activites_ecrites)> progression;  // after each transaction
};

struct Rapport {
  std::int64_t activites = 0, beneficiaires = 0, beneficiaires_suivis = 0, liens_beneficiaires = 0, liens_tags = 0;
  std::int64_t mediateurs = 0, coordinateurs = 0, structures = 0, lieux = 0, tags = 0, supprimees = 0;
  std::int64_t lignes = 0;  // every row written, all tables
  double secondes = 0;
};

// Throws std::invalid_argument (French message) on a bad option (count out of range, unknown
// mediator, seed already used in this database), storage::DbError on a database error.
Rapport generer(storage::Database& db, const referentiel::Territoires& territoires, const Options& options);

// French summary: what was written, and rows per second (activities and all rows).
std::string describe(const Rapport& r);

}  // namespace coop::generateur
