// Helpers shared by the discussion store's files (not part of its interface).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "features/discussion/model.hpp"
#include "storage/database.hpp"

namespace coop::discussion::store {

// "?, ?, ?" for an IN list of n bound values ("NULL" when empty: matches nothing).
std::string places(std::size_t n);
storage::Params valeurs(const std::vector<std::int64_t>& ids);
// {premier, ids…}, built whole (growing a Params with push_back draws a false GCC 12
// -Wmaybe-uninitialized at -O2).
storage::Params premier_puis(std::int64_t premier, const std::vector<std::int64_t>& ids);
inline std::string cle(const std::string& titre) { return cle_titre(titre); }

}  // namespace coop::discussion::store
