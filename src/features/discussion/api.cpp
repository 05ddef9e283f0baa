#include "features/discussion/api.hpp"

#include "features/discussion/api_commun.hpp"
#include "features/discussion/model.hpp"
#include "features/fichiers/acces.hpp"

namespace coop::discussion {

// Attachments: a member of a channel (or anyone who may read it: theme, annonces) reads the
// files of its messages that are not deleted.
bool peut_voir_message(storage::Session& s, const accounts::Principal& p, std::int64_t message_id) {
  auto m = store::message(s, message_id);
  if (!m || m->supprime_le) return false;
  auto c = store::canal(s, m->canal_id);
  if (!c) return false;
  auto mb = store::membre(s, c->id, p.user_id);
  accounts::DroitsCanal d{.type = c->type,
                          .archive = c->archive,
                          .membre = mb.has_value(),
                          .moderateur = mb && mb->role == "moderateur",
                          .en_sourdine = false,
                          .banni = store::banni(s, p.user_id)};
  return accounts::discussion_peut_lire(p, d);
}

void register_routes(http::Router& r) {
  fichiers::autoriser_domaine(std::string(domaine_fichiers), peut_voir_message);
  api::routes_canaux(r);
  api::routes_messages(r);
  api::routes_lecture(r);
  api::routes_moderation(r);
}

}  // namespace coop::discussion
