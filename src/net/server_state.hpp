// Internal to src/net (includes Asio): what every session shares with the server.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <unordered_map>

#include <boost/asio/thread_pool.hpp>

#include "net/server.hpp"

namespace coop::net {

class HttpSession;
class StaticFiles;
class WsHub;

// Owned by Server::Impl and declared before its io_context and thread pool, so it outlives every
// session (sessions die at the latest when the io_context destroys their pending handlers).
struct ServerState {
  ServerState(const ServerOptions& o, http::Application& a, boost::asio::thread_pool& p, WsHub& h,
              StaticFiles* s)
      : opts(o), app(a), pool(p), hub(h), statics(s) {}

  const ServerOptions& opts;
  http::Application& app;
  boost::asio::thread_pool& pool;  // runs the application (blocking work) and static file reads
  WsHub& hub;
  StaticFiles* statics;  // null when no static_dir
  std::atomic<bool> stopping{false};

  // Live connections, HTTP and WebSocket, so that shutdown can wait for them to end.
  std::mutex mu;
  std::condition_variable cv;  // notified when `live` decreases
  std::size_t live = 0;
  std::unordered_map<HttpSession*, std::weak_ptr<HttpSession>> http_sessions;

  void connection_opened() {
    std::lock_guard lock(mu);
    ++live;
  }
  void connection_closed() {
    {
      std::lock_guard lock(mu);
      --live;
    }
    cv.notify_all();
  }
};

}  // namespace coop::net
