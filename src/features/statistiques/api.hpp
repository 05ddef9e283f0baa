// HTTP side of the statistics (issue 4): the dashboard, its exports, share links and the public
// API v1 route. The figures come from the in-memory engine (engine.hpp); SQL is only used here to
// resolve who may see what (teams, managed structures) and the names shown beside ids.
// Routes and parameters: docs/api-statistiques.md.
#pragma once

#include <string>
#include <vector>

#include "features/statistiques/model.hpp"
#include "storage/database.hpp"

namespace coop::http {
class Router;
struct Context;
}  // namespace coop::http

namespace coop::statistiques {

void register_routes(http::Router& r);

// Parses the filters of a query (du, au, types, mediateurs, beneficiaires, lieux, communes,
// departements, regions, thematiques, tags, conseiller_numerique, structures). Throws a
// validation ApiError naming every invalid parameter.
Filtres filtres_from_query(const std::vector<std::pair<std::string, std::string>>& query);

// The team of a coordinator as a scope: one entry per membership, a former member up to and
// including their last day. Used by the `equipe` scope and by `coop bench-statistiques`.
std::vector<MediateurPeriode> membres_equipe(storage::Session& s, std::int64_t coordinateur_id);

}  // namespace coop::statistiques
