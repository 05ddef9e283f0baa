#include "features/lieux/api.hpp"
#include "features/lieux/carte.hpp"
#include "features/accounts/api.hpp"
#include "features/activites/api.hpp"
#include "features/api_clients/api.hpp"
#include "features/beneficiaires/api.hpp"
#include "features/coordination/api.hpp"
#include "features/courriels/api.hpp"
#include "features/evaluation/api.hpp"
#include "features/discussion/api.hpp"
#include "features/exports/api.hpp"
#include "features/fichiers/api.hpp"
#include "features/motdepasse/api.hpp"
#include "features/inscription/api.hpp"
#include "features/public_api/api.hpp"
#include "features/referentiel/api.hpp"
#include "features/ressources/api.hpp"
#include "features/statistiques/api.hpp"
#include "features/system/api.hpp"
#include "features/tags/api.hpp"
#include "http/app.hpp"

namespace coop::http {

void register_all_routes(Router& router) {
  system::register_routes(router);
  accounts::register_routes(router);
  referentiel::register_routes(router);
  beneficiaires::register_routes(router);
  activites::register_routes(router);
  api_clients::register_routes(router);
  public_api::register_routes(router);
  coordination::register_routes(router);
  exports::register_routes(router);
  tags::register_routes(router);
  statistiques::register_routes(router);
  motdepasse::register_routes(router);
  inscription::register_routes(router);
  courriels::register_routes(router);
  fichiers::register_routes(router);
  discussion::register_routes(router);
  ressources::register_routes(router);
  lieux::register_routes(router);
  lieux::register_carte_routes(router);
  evaluation::register_routes(router);
}

}  // namespace coop::http
