// Keeps the statistics engine in step with every write, on this instance and on the others.
//
// A write path that changes what the statistics count calls signaler() after its transaction
// has committed. signaler() publishes one event (topic "statistiques") on the bus:
// - on this instance, Synchro applies it to the engine before publish() returns, on the
//   caller's thread: the next statistics request of anyone sees the write (read-your-writes);
// - with PostgreSQL, the NOTIFY relay (events/pg_relay) carries it to the other instances, whose
//   Synchro applies it on a worker thread of its own (typically within milliseconds; the
//   integration test requires less than a second).
// A change naming too many rows for one NOTIFY (8 000 bytes) is sent as "tout": every instance
// rebuilds its engine from the database (in the background on remote instances).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace coop::events {
class Bus;
struct Event;
}  // namespace coop::events

namespace coop::statistiques {

class Engine;

struct Changements {
  std::vector<std::int64_t> activites;      // created, changed, deleted, restored
  std::vector<std::int64_t> beneficiaires;  // attributes changed, merged (the source), erased, deleted, restored
  std::vector<std::int64_t> mediateurs;     // conseiller numérique status or employments changed
  std::vector<std::int64_t> structures;     // commune changed
  std::vector<std::int64_t> coordination;   // coordination activities created, changed, deleted
  bool tout = false;                        // rebuild everything

  static Changements reconstruire() {
    Changements c;
    c.tout = true;
    return c;
  }
  bool empty() const {
    return !tout && activites.empty() && beneficiaires.empty() && mediateurs.empty() && structures.empty() &&
           coordination.empty();
  }
};

inline constexpr const char* kTopic = "statistiques";

void signaler(events::Bus& bus, const Changements& c);
// Shorthands for the write paths.
void activites_modifiees(events::Bus& bus, std::vector<std::int64_t> ids);
void beneficiaires_modifies(events::Bus& bus, std::vector<std::int64_t> ids);
void mediateur_modifie(events::Bus& bus, std::int64_t user_id);
void structure_modifiee(events::Bus& bus, std::int64_t structure_id);
void coordination_modifiee(events::Bus& bus, std::int64_t coordination_id);
void tout_reconstruire(events::Bus& bus);

// Encoded as the event's JSON payload, and back. decode() returns {tout = true} on anything
// malformed: rebuilding is always correct.
std::string encode(const Changements& c);
Changements decode(const std::string& payload_json);

class Synchro {
 public:
  Synchro(Engine& engine, events::Bus& bus);
  ~Synchro();
  Synchro(const Synchro&) = delete;
  Synchro& operator=(const Synchro&) = delete;

  // Unsubscribes and finishes the queued remote changes. Idempotent.
  void stop();
  // Applies a change now, on the calling thread (local writes, and the worker for remote ones).
  void appliquer(const Changements& c);

 private:
  void on_event(const events::Event& e);
  void worker();

  Engine& engine_;
  events::Bus& bus_;
  int subscription_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Changements> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace coop::statistiques
