// Tags: GET/POST /api/tags, DELETE /api/tags/{id}.
#pragma once
#include "http/router.hpp"
namespace coop::tags {
void register_routes(http::Router& router);
}
