// What net/ needs from the application, and nothing more: net/ never knows a feature.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <variant>
#include <string>

#include "http/message.hpp"

namespace coop::http {

struct WebSocketPeer {
  std::int64_t user_id = 0;
  std::string session_id;  // the log-in session, so a log-out can close its sockets
};

class Application {
 public:
  virtual ~Application() = default;
  // Turns a request into a response. Called on a worker thread (blocking database work is
  // allowed here, never on an I/O thread). Must not throw: errors become JSON error responses.
  virtual Response handle(Request& req) = 0;
  // Authorises a WebSocket upgrade on /ws: checks the session cookie and the Origin header.
  // Called on a worker thread. Returns the peer, or a response to send instead (401/403).
  virtual std::variant<WebSocketPeer, Response> authorize_websocket(const Request& req) = 0;
  // A text message received from a WebSocket client (ping-like or future chat commands).
  // Returns an optional reply. Called on a worker thread.
  virtual std::optional<std::string> on_websocket_message(const WebSocketPeer& peer, const std::string& text) = 0;
  // Health for readiness checks (used by the net layer only through handle()).
};

}  // namespace coop::http
