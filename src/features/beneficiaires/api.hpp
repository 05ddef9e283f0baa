#pragma once
#include "http/router.hpp"
namespace coop::beneficiaires {
void register_routes(http::Router& router);
}
