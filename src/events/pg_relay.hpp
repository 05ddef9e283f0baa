// Carries bus events between several `coop serve` instances sharing one PostgreSQL database:
// every event published locally is sent with NOTIFY on channel "coop_events"; every
// notification from another instance is published on the local bus (marked remote, so it is
// not sent again). Each instance has a random id to recognise its own notifications.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "events/bus.hpp"

struct pg_conn;

namespace coop::events {

class PgRelay {
 public:
  // Connects twice (one LISTEN connection, one for NOTIFY); throws std::runtime_error.
  PgRelay(const std::string& url, Bus& bus);
  ~PgRelay();
  PgRelay(const PgRelay&) = delete;
  PgRelay& operator=(const PgRelay&) = delete;

  void stop();
  const std::string& instance_id() const { return instance_id_; }

 private:
  void listen_loop();
  void forward(const Event& e);

  std::string url_;
  Bus& bus_;
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
