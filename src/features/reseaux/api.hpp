// Routes of the réseaux locaux (docs/api-contract.md « Réseaux locaux », docs/openapi.json):
// networks, member structures, invitations, animators, the directory (of a network or of a
// département: « Mon réseau »), the contact-visibility choice. The network's map is
// GET /api/lieux/points?reseau=ID, its figures GET /api/statistiques?perimetre=reseau:ID.
#pragma once

namespace coop::http {
class Router;
}

namespace coop::reseaux {
void register_routes(http::Router& r);
}
