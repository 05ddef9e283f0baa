// What the discussion handlers share: loading a channel with the viewer's rights, the JSON of
// channels, topics and messages. Internal to features/discussion.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "features/accounts/policy.hpp"
#include "features/discussion/evenements.hpp"
#include "features/discussion/store.hpp"
#include "http/context.hpp"
#include "http/router.hpp"

namespace coop::discussion::api {

namespace json = boost::json;
using http::Context;
using storage::Session;

// A channel as the viewer sees it.
struct Vue {
  store::Canal canal;
  std::optional<store::Membre> membre;
  accounts::DroitsCanal droits;
  bool lire = false, ecrire = false, moderer = false;
};

// 403 when the user is banned from the discussion space.
void verifier_non_banni(const Context& ctx, Session& s);
// The channel with the viewer's rights; 404 when unknown or not readable by the viewer.
Vue charger(const Context& ctx, Session& s, std::int64_t canal_id);
// Brings the viewer's automatic memberships up to date (a write only when something changes).
void synchroniser_moi(Context& ctx);

json::value personne_json(std::optional<std::int64_t> id, const std::string& nom);
json::object canal_json(Session& s, const Context& ctx, const Vue& v, std::int64_t nb_membres, std::int64_t non_lus,
                        std::int64_t mentions_non_lues);
json::object canal_json(Session& s, const Context& ctx, const Vue& v);  // counts loaded
json::object sujet_json(const store::Sujet& t, std::int64_t non_lus);
// Messages as a viewer sees them (viewer 0: the neutral form sent in events to everyone).
json::array messages_json(Session& s, const std::vector<store::Message>& ms, std::int64_t viewer, bool moderateur);
json::object message_json(Session& s, const store::Message& m, std::int64_t viewer, bool moderateur);

// After commit: publish the journal's events.
inline void publier(Context& ctx, const Journal& j) { j.publier(ctx.services.bus); }

void routes_canaux(http::Router& r);
void routes_messages(http::Router& r);
void routes_lecture(http::Router& r);
void routes_moderation(http::Router& r);

}  // namespace coop::discussion::api
