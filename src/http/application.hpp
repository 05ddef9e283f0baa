// What net/ needs from the application, and nothing more: net/ never knows a feature.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "events/bus.hpp"
#include "http/message.hpp"

namespace coop::http {

struct WebSocketPeer {
  std::int64_t user_id = 0;
  std::string session_id;  // the log-in session, so a log-out can close its sockets
};

// Thrown by Application::websocket_replay when events after `depuis` are no longer kept (the
// retention of the discussion's event log): the resume ends {"type":"repris","seq":dernier,
// "incomplet":true} and the client reloads its views.
struct ReplayGone : std::runtime_error {
  explicit ReplayGone(std::int64_t last_seq)
      : std::runtime_error("events after this seq were purged"), dernier(last_seq) {}
  std::int64_t dernier;  // the last seq of the log
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
  // Resume of the discussion stream (docs/api-contract.md « /ws »): the events with seq > depuis
  // that `peer` may see, in seq order, each as the pair (seq, the WebSocket message JSON,
  // exactly as sent live): the first `limite` of them — fewer only when there are no more
  // (filter in SQL, then LIMIT). The net layer pages: it asks for 201 after the last seq of the
  // previous page and takes a full answer as "more follow", up to --ws-replay-limit in all.
  // Called on a worker thread; may throw ReplayGone (the resume is incomplete) or anything else
  // (the client is told to retry). Default: nothing.
  virtual std::vector<std::pair<std::int64_t, std::string>> websocket_replay(const WebSocketPeer& peer,
                                                                              std::int64_t depuis,
                                                                              std::size_t limite) {
    return {};
  }
  // Another instance sharing PostgreSQL published the discussion event `seq` (the NOTIFY relay
  // carries only the seq): the event and its recipients, as that instance published them, or
  // nullopt when it is unknown. Called on the relay's thread. Default: unknown.
  virtual std::optional<events::Event> evenement_distant(std::int64_t seq) { return std::nullopt; }
  // Health for readiness checks (used by the net layer only through handle()).
};

}  // namespace coop::http
