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
  std::string topic;             // "notification", "broadcast", "session_closed"
  std::int64_t user_id = 0;      // recipient ("notification" requires one; "broadcast" goes to all)
  std::string payload_json;      // a JSON object, encoded once
  bool remote = false;           // received from another instance (PostgreSQL relay)
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
