#pragma once
#include "http/context.hpp"
#include "http/router.hpp"
namespace coop::system {
void register_routes(http::Router& router);
}
