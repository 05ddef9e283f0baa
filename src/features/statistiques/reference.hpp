// The statistics computed with plain SQL, the way a conventional implementation does it (one
// GROUP BY / SUM(CASE …) query per figure or breakdown over the filtered activities), on both
// engines. It is the oracle of the engine's property test and the PostgreSQL side of the
// benchmark. Same definitions as the engine: docs/statistiques.md.
#pragma once

#include <string_view>

#include "features/statistiques/model.hpp"
#include "storage/database.hpp"

namespace coop::statistiques {

// `regions`: département → région, used to expand régions filters and scopes into départements.
Tableau calculer_sql(storage::Session& s, const Filtres& f, const Perimetre& p, const Regions& regions,
                     std::string_view aujourdhui);

}  // namespace coop::statistiques
