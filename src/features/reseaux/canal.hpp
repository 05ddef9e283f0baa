// The network's own discussion channel: a private group (discussion type 'groupe') created with
// the network, whose members follow the network — the mediators, coordinators and gestionnaires
// of the member structures (store::personnes) plus the animators (moderators of the channel).
// Synchronised in the transaction of every change of the member structures or animators:
// missing people join (automatique, motif « reseau »), automatic members no longer of the
// network leave; members added by hand stay. Arrivals and departures are kept in
// discussion_adhesions like every membership (features/discussion/adhesions.hpp).
#pragma once

#include <cstdint>
#include <string>

#include "storage/database.hpp"

namespace coop::discussion {
class Journal;
}

namespace coop::reseaux {

// Creates the channel of a new network and links it (reseaux.canal_id); returns its id.
std::int64_t creer_canal(storage::Session& s, std::int64_t reseau_id, const std::string& nom_reseau, std::int64_t par);
// Returns how many memberships changed. No-op when the network has no channel.
int synchroniser_canal(storage::Session& s, std::int64_t reseau_id, const std::string& today, discussion::Journal* journal);
// After a change of one user's employments or roles: the channels of the networks they belong
// to now, or were an automatic member of (called by discussion::resynchroniser).
int synchroniser_personne(storage::Session& s, std::int64_t user_id, const std::string& today, discussion::Journal* journal);

}  // namespace coop::reseaux
