#pragma once
#include "features/activites/store.hpp"
#include "http/context.hpp"
#include "http/router.hpp"
namespace coop::activites {
void register_routes(http::Router& router);
// The filters of GET /api/activites read from the request's query (400 on an invalid one), for
// the current user; `limite` and `apres` included. Also used by the exports.
store::Filtres filtres_from_query(const http::Context& ctx);
}
