// Activities export of a mediator: GET /api/activites/export.csv and /api/activites/export.xlsx,
// with the filters of GET /api/activites.
#pragma once
#include "http/router.hpp"
namespace coop::exports {
void register_routes(http::Router& router);
}
