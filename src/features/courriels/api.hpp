// The outbox for administrators: GET /api/admin/courriels, GET /api/admin/courriels/{id},
// POST /api/admin/courriels/{id}/renvoyer.
#pragma once
#include "http/router.hpp"
namespace coop::courriels {
void register_routes(http::Router& router);
}
