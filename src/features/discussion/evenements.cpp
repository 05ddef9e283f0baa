#include "features/discussion/evenements.hpp"

#include "features/discussion/store.hpp"
#include "http/application.hpp"

namespace coop::discussion {

namespace json = boost::json;

std::string message_ws(std::int64_t seq, const std::string& evenement, std::optional<std::int64_t> canal_id,
                       const std::string& donnees_json) {
  // The data is stored already encoded: spliced as is (it is a JSON object written by us).
  return "{\"type\":\"discussion\",\"seq\":" + std::to_string(seq) + ",\"evenement\":" + json::serialize(json::value(evenement)) +
         ",\"canal_id\":" + (canal_id ? std::to_string(*canal_id) : std::string("null")) + ",\"data\":" + donnees_json + "}";
}

void Journal::canal(storage::Session& s, std::int64_t canal_id, const std::string& evenement, const json::object& data) {
  auto donnees = json::serialize(data);
  auto seq = store::evenement(s, canal_id, std::nullopt, evenement, donnees);
  events::Event e;
  e.topic = "discussion";
  e.payload_json = message_ws(seq, evenement, canal_id, donnees);
  e.user_ids = store::ids_membres(s, canal_id);
  e.seq = seq;
  publications_.push_back(std::move(e));
}

void Journal::personnel(storage::Session& s, std::int64_t user_id, std::optional<std::int64_t> canal_id,
                        const std::string& evenement, const json::object& data) {
  auto donnees = json::serialize(data);
  auto seq = store::evenement(s, canal_id, user_id, evenement, donnees);
  events::Event e;
  e.topic = "discussion";
  e.user_id = user_id;
  e.payload_json = message_ws(seq, evenement, canal_id, donnees);
  e.user_ids = {user_id};
  e.seq = seq;
  publications_.push_back(std::move(e));
}

void Journal::publier(events::Bus& bus) const {
  for (auto& e : publications_) bus.publish(e);
}

void publier_frappe(events::Bus& bus, std::int64_t canal_id, std::optional<std::int64_t> sujet_id,
                    std::int64_t user_id, const std::string& nom,
                    std::vector<std::int64_t> membres) {
  std::erase(membres, user_id);
  if (membres.empty()) return;
  events::Event e;
  e.topic = "discussion";
  e.payload_json = message_ws(0, "frappe", canal_id, json::serialize(json::object{
                                                         {"user_id", user_id},
                                                         {"nom", nom},
                                                         {"sujet_id", sujet_id ? json::value(*sujet_id) : json::value(nullptr)}}));
  e.user_ids = std::move(membres);
  bus.publish(e);
}

std::vector<std::pair<std::int64_t, std::string>> rejouer(storage::Database& db, std::int64_t user_id,
                                                          std::int64_t depuis, std::size_t limite) {
  std::vector<std::pair<std::int64_t, std::string>> out;
  std::optional<std::int64_t> purge;
  db.read([&](storage::Session& s) {
    out.clear();
    purge.reset();
    // Seqs are consecutive but for rolled-back transactions: a gap before the oldest kept event
    // is taken as purged (at worst one needless reload).
    if (auto premier = store::premier_seq(s); premier && depuis + 1 < *premier) {
      purge = store::dernier_seq(s);
      return;
    }
    for (auto& e : store::evenements_depuis(s, user_id, depuis, static_cast<std::int64_t>(limite)))
      out.emplace_back(e.seq, message_ws(e.seq, e.type, e.canal_id, e.donnees));
  });
  if (purge) throw http::ReplayGone(*purge);
  return out;
}

std::optional<events::Event> evenement(storage::Database& db, std::int64_t seq) {
  std::optional<events::Event> out;
  db.read([&](storage::Session& s) {
    auto e = store::evenement_par_seq(s, seq);
    if (!e) return;
    events::Event ev;
    ev.topic = "discussion";
    ev.payload_json = message_ws(e->seq, e->type, e->canal_id, e->donnees);
    ev.seq = e->seq;
    if (e->user_id) {
      ev.user_id = *e->user_id;
      ev.user_ids = {*e->user_id};
    } else if (e->canal_id) {
      ev.user_ids = store::ids_membres(s, *e->canal_id);
    }
    out = std::move(ev);
  });
  return out;
}

}  // namespace coop::discussion
