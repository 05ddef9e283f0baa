#pragma once
#include "http/router.hpp"
namespace coop::motdepasse {
// POST /api/auth/mot-de-passe-oublie, GET and POST /api/auth/reinitialisation/{token}.
void register_routes(http::Router& router);
}
