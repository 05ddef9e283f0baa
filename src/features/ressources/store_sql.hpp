// Shared by store.cpp and store_social.cpp: the visibility rule in SQL. Internal.
#pragma once

#include <string>

#include "features/ressources/store.hpp"

namespace coop::ressources::store {

// A condition on the resource aliased `r` that holds when the viewer may see it (the rule of
// accounts::ressources_peut_voir, in SQL); its parameters are appended to `p`.
std::string sql_visible(const Lecteur& l, storage::Params& p);
// The viewer is in the network of the author of `r` (or of its structure).
std::string sql_reseau(const Lecteur& l, storage::Params& p);

}  // namespace coop::ressources::store
