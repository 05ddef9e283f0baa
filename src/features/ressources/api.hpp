// Ressources: routes under /api/ressources… and the public GET /api/v1/ressources
// (docs/api-contract.md « Ressources »).
#pragma once

#include <cstddef>

#include "features/ressources/extraction.hpp"
#include "http/router.hpp"

namespace coop::ressources {

struct Reglages {
  std::size_t taille_max = 50 * 1024 * 1024;  // bytes of one resource file (--ressources-max-ko)
  extraction::Options extraction;
};
// Set once at start (coop serve), before any request.
void regler(const Reglages& r);
const Reglages& reglages();

void register_routes(http::Router& router);

}  // namespace coop::ressources
