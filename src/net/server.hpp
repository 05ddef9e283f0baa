// The network layer: Boost.Beast/Asio HTTP/1.1 server with C++20 coroutines, WebSocket on /ws,
// static files. This header is Beast-free so app/ can include it without recompiling Beast.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "events/bus.hpp"
#include "http/application.hpp"

namespace coop::net {

struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;           // 0 = pick a free port (see Server::port())
  int io_threads = 1;                   // threads running the Asio event loop
  int worker_threads = 4;               // threads running Application::handle (blocking work)
  std::string static_dir;               // built front end (index.html fallback); empty = none
  std::size_t header_limit = 16 * 1024; // bytes
  std::size_t body_limit = 1024 * 1024; // bytes
  // Larger body limits for some routes ("POST /api/fichiers": uploads), exact method and path.
  std::vector<std::pair<std::string, std::size_t>> route_body_limits;
  std::chrono::seconds request_timeout{30};   // to read one request (headers + body)
  std::chrono::seconds idle_timeout{75};      // keep-alive idle
  std::chrono::seconds shutdown_grace{10};    // in-flight requests get this long on SIGTERM
  // A WebSocket ping after each interval; a peer silent for two intervals is dropped.
  std::chrono::seconds ws_ping_interval{25};
  // Outgoing queue of one socket (messages waiting behind the one being written): past either
  // bound the socket is closed with 1008 "outgoing queue full" and its queue freed.
  std::size_t ws_queue_limit = 256;           // messages
  std::size_t ws_queue_bytes = 1024 * 1024;   // bytes
  // A resume ({"type":"reprendre"}) replays at most this many events; beyond, the client is
  // told to reload ("incomplet").
  std::size_t ws_replay_limit = 5000;
  // Tests only: called on the socket's strand with each message's frame (its address: one
  // event's recipients share one) and payload once the frame is written. Empty: not called.
  std::function<void(const void* frame, std::string_view payload)> ws_write_observer;
};

class Server {
 public:
  // `bus`: the server subscribes to topics "notification" and "discussion" and sends each
  // payload to the WebSockets of event.user_ids (or event.user_id), one buffer shared by all;
  // "broadcast" goes to every socket; "session_closed" (payload = session id) closes sockets.
  Server(ServerOptions options, http::Application& app, events::Bus& bus);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; throws std::runtime_error (address in use…).
  void start();
  unsigned short port() const;
  // Blocks until stop() or SIGINT/SIGTERM; then stops accepting, lets in-flight requests finish
  // (up to shutdown_grace), closes WebSockets, and returns.
  void run();
  void stop();
  int open_websockets() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace coop::net
