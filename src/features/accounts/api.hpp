#pragma once
#include <boost/json.hpp>

#include "features/accounts/store.hpp"
#include "http/router.hpp"
namespace coop::referentiel {
class Territoires;
}
namespace coop::accounts {
void register_routes(http::Router& router);
// The JSON of the accounts' objects, as the accounts routes answer them (for other features'
// routes that answer the same schemas: User, Structure, Employment).
boost::json::object user_to_json(const store::User& u);
boost::json::object structure_to_json(const store::Structure& s, const referentiel::Territoires& t);
boost::json::object employment_to_json(const store::Employment& e);
// The schema Me (GET /api/me, log-in): the user, their CRA reminder choice, their pending change
// of address.
boost::json::object me_to_json(storage::Session& s, const store::User& u);
}
