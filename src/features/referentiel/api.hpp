#pragma once
#include "http/context.hpp"
#include "http/router.hpp"
namespace coop::referentiel {
void register_routes(http::Router& router);
}
