#include "features/discussion/api.hpp"

#include "features/discussion/api_commun.hpp"

namespace coop::discussion {

void register_routes(http::Router& r) {
  api::routes_canaux(r);
  api::routes_messages(r);
  api::routes_lecture(r);
  api::routes_moderation(r);
}

}  // namespace coop::discussion
