// `coop bench-statistiques`: the in-process half of bench/statistiques/run.sh (issue 4 point 7).
//
// On a database filled by `coop demo --activites N`, it builds the statistics engine (reports the
// build time and the bytes held per activity), picks the benchmark's scenarios from the data
// (national over the last 12 months; the busiest département; the largest team; the busiest
// mediator; each with and without two extra filters), checks for each one that the engine and
// the plain-SQL reference give the same dashboard, and times the SQL reference — what a
// conventional implementation computes at request time — over repeated runs.
// It prints one JSON object per line: {"kind":"engine",…} then {"kind":"scenario",…} for each
// scenario, with the HTTP query and the account to ask it as, so that the script times the very
// same dashboards through the HTTP API.
#pragma once

#include <string>

#include "storage/database.hpp"

namespace coop::referentiel {
class Territoires;
}

namespace coop::app {

struct BenchStatistiquesOptions {
  int repetitions = 20;        // SQL runs per scenario (after one warm-up)
  std::string today;           // YYYY-MM-DD; empty: core::today()
  bool sans_sql = false;       // only the engine (build, memory, calculer() timings); no SQL comparison
};

// Returns the process exit code: 0, or 1 when the engine and the SQL disagree on a scenario.
int bench_statistiques(storage::Database& db, const referentiel::Territoires& territoires,
                       const BenchStatistiquesOptions& options);

}  // namespace coop::app
