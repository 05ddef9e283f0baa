// Shared by the lieux handlers (api.cpp, api_recherche.cpp).
#pragma once

#include <boost/json.hpp>

#include "features/lieux/store.hpp"

namespace coop::http {
class Router;
}

namespace coop::lieux {

// A lieu as the API gives it (schema Lieu of docs/openapi.json).
boost::json::object lieu_json(const store::Enregistrement& e);
// GET /api/lieux, /api/lieux/points, /api/v1/lieux (api_recherche.cpp).
void register_routes_recherche(http::Router& r);

}  // namespace coop::lieux
