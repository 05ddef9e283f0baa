// SQL of exports: what followed beneficiaries contribute to the counts of activities.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "features/exports/national.hpp"
#include "storage/database.hpp"

namespace coop::exports::store {

// Genre, tranche d'âge, statut and first-accompaniment flag of the followed beneficiaries of
// each activity (by activity id). Never a name.
std::map<std::int64_t, std::vector<Suivi>> suivis_of(storage::Session& s, const std::vector<std::int64_t>& activite_ids);

}  // namespace coop::exports::store
