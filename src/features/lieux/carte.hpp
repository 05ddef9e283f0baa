// The map's configuration for the web front end (docs/api-contract.md « Lieux : carte »):
// GET /api/config/carte gives the base-map style URL set by --carte-style-url / COOP_CARTE_STYLE_URL,
// null when none is set (the front end then draws its offline style: a plain background, no tiles).
#pragma once

#include "http/router.hpp"

namespace coop::lieux {
void register_carte_routes(http::Router& router);
}
