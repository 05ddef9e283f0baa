// Tags: GET/POST /api/tags, DELETE /api/tags/{id}.
#pragma once
#include "features/tags/store.hpp"
#include "http/context.hpp"
#include "http/router.hpp"
namespace coop::tags {
void register_routes(http::Router& router);
// The Viewer of store::visible for the logged-in user today: their départements come from the
// communes of the structures where they work (employments, lieux d'activité).
store::Viewer viewer_of(const http::Context& ctx, storage::Session& s);
}
