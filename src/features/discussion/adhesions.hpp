// Automatic membership: everyone is in « Général »; the région and département channels follow
// the user's structures (confirmed employments on the day, managed structures) and territorial
// grants. Re-synchronised when employments or roles change, when the user opens the discussion
// (so an employment that ended yesterday is left today) and for everyone when coop serve starts.
// Arrivals and departures are kept in discussion_adhesions (history); messages stay.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "events/bus.hpp"
#include "storage/database.hpp"

namespace coop::referentiel {
class Territoires;
}

namespace coop::discussion {

class Journal;

// The (type, code) of the automatic channels of a user, e.g. {("general",""),("region","84"),
// ("departement","69")}.
std::set<std::pair<std::string, std::string>> canaux_automatiques(storage::Session& s,
                                                                  const referentiel::Territoires& t,
                                                                  std::int64_t user_id, const std::string& today);

// Joins and leaves the automatic channels of one user; events go to the journal when given.
// Returns true when something changed.
bool synchroniser(storage::Session& s, const referentiel::Territoires& t, std::int64_t user_id,
                  const std::string& today, Journal* journal = nullptr);

// True when the user's memberships already match (a read: the write is needed only otherwise).
bool a_jour(storage::Session& s, const referentiel::Territoires& t, std::int64_t user_id, const std::string& today);

// After a committed change of a user's employments, structures or roles: their own write
// (joins, leaves; the channels of their local networks too, reseaux/canal.hpp) and the events of it. Errors are logged, never thrown (the change itself is
// done; the next visit to the discussion synchronises again).
void resynchroniser(storage::Database& db, events::Bus& bus, const referentiel::Territoires& t, std::int64_t user_id);

// Every active user (coop serve's start, the demo data).
void synchroniser_tous(storage::Database& db, const referentiel::Territoires& t);

}  // namespace coop::discussion
