// Public API v1 (GET only, API clients): /api/v1/structures, /api/v1/lieux-activite,
// /api/v1/activites. Anonymised: never a beneficiary's name, nor free text.
#pragma once
#include "http/router.hpp"
namespace coop::public_api {
void register_routes(http::Router& router);
}
