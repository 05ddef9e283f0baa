#pragma once
#include "http/router.hpp"
namespace coop::accounts {
void register_routes(http::Router& router);
}
