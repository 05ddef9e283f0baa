// Carries bus events between several `coop serve` instances sharing one PostgreSQL database:
// every event published locally is sent with NOTIFY on channel "coop_events"; every
// notification from another instance is published on the local bus (marked remote, so it is
// not sent again). Each instance has a random id to recognise its own notifications.
// A discussion event of the resumable stream (topic "discussion", seq > 0) travels as its seq
// alone — a NOTIFY payload is limited to 8000 bytes, a recipient list is not — and the other
// instances load it, recipients included, through the loader (Application::evenement_distant).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "events/bus.hpp"

struct pg_conn;

namespace coop::events {

class PgRelay {
 public:
  using Loader = std::function<std::optional<Event>(std::int64_t seq)>;

  // Connects twice (one LISTEN connection, one for NOTIFY); throws std::runtime_error.
  // `channel`: the NOTIFY channel (letters, digits, underscores; tests use their own).
  PgRelay(const std::string& url, Bus& bus, const std::string& channel = "coop_events");
  ~PgRelay();
  PgRelay(const PgRelay&) = delete;
  PgRelay& operator=(const PgRelay&) = delete;

  void stop();
  // Loads a discussion event another instance announced by its seq; called on the relay's
  // thread. Without one (or when it returns nullopt), such an event is not published here.
  void set_loader(Loader loader);
  const std::string& instance_id() const { return instance_id_; }

 private:
  void listen_loop();
  void forward(const Event& e);
  std::optional<Event> load(std::int64_t seq);

  std::string url_;
  Bus& bus_;
  std::string channel_;
  std::mutex loader_mu_;
  Loader loader_;
  std::string instance_id_;
  int subscription_ = 0;
  std::mutex notify_mu_;
  pg_conn* notify_conn_ = nullptr;
  pg_conn* listen_conn_ = nullptr;
  std::atomic<bool> stopping_{false};
  int wake_pipe_[2] = {-1, -1};
  std::thread thread_;
};

}  // namespace coop::events
