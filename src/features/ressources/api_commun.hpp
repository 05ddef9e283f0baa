// What the ressources handlers share: the viewer, loading a resource with the viewer's rights,
// the JSON of resources and cards, reading a resource's body. Internal to features/ressources.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "features/accounts/policy.hpp"
#include "features/fichiers/store.hpp"
#include "features/ressources/model.hpp"
#include "features/ressources/store.hpp"
#include "http/context.hpp"
#include "http/json.hpp"
#include "http/router.hpp"

namespace coop::ressources::api {

namespace json = boost::json;
using http::Context;
using http::Response;
using storage::Session;

store::Lecteur lecteur(const Context& ctx);

// A resource as the viewer sees it.
struct Vue {
  store::Ressource r;
  accounts::DroitsRessource droits;
  bool modifier = false, supprimer = false, moderer = false;
};
// 404 when unknown or not visible to the viewer.
Vue charger(const Context& ctx, Session& s, std::int64_t id);

json::value personne_json(std::optional<std::int64_t> id, const std::string& nom);
json::array codes_json(const std::vector<std::string>& codes);
std::string url_fichier(std::int64_t ressource_id, const std::string& sha256);
// The card of a list (no description, no files but the preview).
json::array cartes_json(Session& s, const std::vector<store::Ressource>& rs);
// The whole resource, with the viewer's state (moi).
json::object ressource_json(Session& s, const Context& ctx, const Vue& v);

// The body of POST / PUT /api/ressources… (every field error at once).
Saisie lire_saisie(http::JsonBody& b);
// Validation + the rules needing the database (structure, files): throws the validation error.
void verifier(const Context& ctx, Session& s, Saisie& x, http::JsonBody& b);

void routes_ressources(http::Router& r);
void routes_fichiers(http::Router& r);
void routes_social(http::Router& r);
void routes_moderation(http::Router& r);
void routes_publiques(http::Router& r);

}  // namespace coop::ressources::api
