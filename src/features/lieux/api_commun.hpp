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
// GET /api/admin/lieux/doublons/{id}, POST …/fusion, …/ecart (api_fusion.cpp).
void register_routes_fusion(http::Router& r);

}  // namespace coop::lieux
