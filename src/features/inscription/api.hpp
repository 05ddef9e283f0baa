// HTTP handlers of the sign-up: the form, the confirmation link, the steps that follow (profile,
// employer structure by SIRET, lieux d'activité) and the gestionnaire's decision on a declared
// employment.
#pragma once
#include "http/router.hpp"
namespace coop::inscription {
void register_routes(http::Router& router);
}
