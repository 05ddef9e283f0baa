#pragma once
#include <boost/json.hpp>

#include "features/activites/store.hpp"
#include "http/context.hpp"
#include "http/router.hpp"
namespace coop::activites {
void register_routes(http::Router& router);
// The filters of GET /api/activites read from the request's query (400 on an invalid one), for
// the current user; `limite` and `apres` included. Also used by the exports.
store::Filtres filtres_from_query(const http::Context& ctx);
// A lieu d'activité as the /api/lieux-activite routes answer it (schema LieuActivite).
boost::json::object lieu_to_json(const http::Context& ctx, const store::Lieu& l);
}
