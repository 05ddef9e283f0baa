// Coordination activities of coordinators: GET/POST /api/coordination/activites,
// DELETE /api/coordination/activites/{id}.
#pragma once
#include "http/router.hpp"
namespace coop::coordination {
void register_routes(http::Router& router);
}
