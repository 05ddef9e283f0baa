// The discussion event stream: every change is a row of discussion_evenements written in the
// change's transaction (its id is the `seq` clients resume from), published on the bus after
// commit to the members who may see it (events::Event topic "discussion", user_ids, seq).
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "events/bus.hpp"
#include "storage/database.hpp"

namespace coop::discussion {

// The WebSocket text of an event: {"type":"discussion","seq","evenement","canal_id","data"}.
std::string message_ws(std::int64_t seq, const std::string& evenement, std::optional<std::int64_t> canal_id,
                       const std::string& donnees_json);

// Events of one write: call inside the transaction, publier() after it committed.
class Journal {
 public:
  // To every member of the channel (as of now, in this transaction).
  void canal(storage::Session& s, std::int64_t canal_id, const std::string& evenement, const boost::json::object& data);
  // To one user only (their read marker, a mention of them, their departure from a channel).
  void personnel(storage::Session& s, std::int64_t user_id, std::optional<std::int64_t> canal_id,
                 const std::string& evenement, const boost::json::object& data);
  void vider() { publications_.clear(); }
  void publier(events::Bus& bus) const;
  bool vide() const { return publications_.empty(); }

 private:
  std::vector<events::Event> publications_;
};

// Typing: not stored, seq 0, to the members but the typist; sujet_id null: a new topic.
void publier_frappe(events::Bus& bus, std::int64_t canal_id, std::optional<std::int64_t> sujet_id,
                    std::int64_t user_id, const std::string& nom,
                    std::vector<std::int64_t> membres);

// The resume: events with seq > depuis the user may see, in order, at most `limite` of them (the
// net layer asks for one more than it replays to know whether the replay is complete). Events
// after `depuis` already purged (the log's retention, --discussion-evenements-jours): throws
// http::ReplayGone with the last seq, the resume is then incomplete and the client reloads.
std::vector<std::pair<std::int64_t, std::string>> rejouer(storage::Database& db, std::int64_t user_id,
                                                          std::int64_t depuis, std::size_t limite);
// One event by its seq, with its recipients (the relay between instances).
std::optional<events::Event> evenement(storage::Database& db, std::int64_t seq);

}  // namespace coop::discussion
