// In-process event bus. Features publish events after their write has committed; subscribers
// (the WebSocket hub, later the statistics engine and the PostgreSQL NOTIFY relay) react.
// publish() calls subscribers synchronously on the publishing thread: subscribers must be quick
// and must not block (the WebSocket hub only queues a message).
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace coop::events {

struct Event {
  std::string topic;             // "notification", "broadcast", "session_closed", "discussion"
  std::int64_t user_id = 0;      // recipient ("notification" requires one; "broadcast" goes to all)
  std::string payload_json;      // a JSON object, encoded once
  bool remote = false;           // received from another instance (PostgreSQL relay)
  // Recipients when non-empty ("notification", "discussion"): the payload is copied once into
  // one shared buffer, and that same buffer is written to every socket of these users.
  std::vector<std::int64_t> user_ids{};
  // Position in the resumable stream (a discussion_evenements id: global and increasing across
  // instances). 0: not part of it (typing, notifications), never replayed.
  std::int64_t seq = 0;
};

class Bus {
 public:
  using Subscriber = std::function<void(const Event&)>;
  // Returns a subscription id for unsubscribe().
  int subscribe(Subscriber fn);
  void unsubscribe(int id);
  void publish(const Event& e);

 private:
  std::mutex mu_;
  int next_id_ = 1;
  std::vector<std::pair<int, Subscriber>> subs_;
};

}  // namespace coop::events
