// Internal to src/net (includes Beast): one WebSocket connection, and the hub that routes bus
// events to the sockets of a user or of a log-in session.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "http/application.hpp"

namespace coop::net {

struct ServerState;
class WebSocketSession;

namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;

// Number of open WebSockets in the whole process (the coop_websockets_open gauge).
int open_websockets_in_process();

// Shared state of the sockets (Beast's chat-multi "shared_state"). Thread-safe: bus subscribers
// call it from whatever thread publishes. Lookups copy weak pointers under the lock and send
// outside it; a send only posts onto the socket's strand, so it never blocks.
class WsHub {
 public:
  void add(const std::shared_ptr<WebSocketSession>& s);
  void remove(const WebSocketSession* s);  // from the session's destructor
  int size() const;

  // `user_id` 0 sends to every open socket (used for the "broadcast" topic only).
  void send_to_user(std::int64_t user_id, std::shared_ptr<const std::string> msg);
  void close_login_session(std::string_view session_id, websocket::close_reason why);
  void close_all(websocket::close_reason why);
  void force_close_all();
  // After this, sends are dropped; waits for sends in progress so that none touches the
  // io_context once the server has stopped it.
  void shut();

 private:
  struct Entry {
    const WebSocketSession* raw;
    std::weak_ptr<WebSocketSession> weak;
  };
  std::vector<std::shared_ptr<WebSocketSession>> snapshot(std::int64_t user_id, bool everyone) const;

  mutable std::mutex mu_;  // guards by_user_ and count_
  std::unordered_map<std::int64_t, std::vector<Entry>> by_user_;
  int count_ = 0;
  std::shared_mutex send_mu_;  // shared while a send posts to strands; exclusive in shut()
  bool shut_ = false;          // guarded by send_mu_
};

class WebSocketSession : public std::enable_shared_from_this<WebSocketSession> {
 public:
  using Request = beast::http::request<beast::http::string_body>;

  // `stream`: the upgraded connection, its executor a strand. `peer`: as authorised by the app.
  WebSocketSession(beast::tcp_stream&& stream, ServerState& state, http::WebSocketPeer peer,
                   std::string remote_addr);
  ~WebSocketSession();
  WebSocketSession(const WebSocketSession&) = delete;
  WebSocketSession& operator=(const WebSocketSession&) = delete;

  // Completes the handshake with `req` (the upgrade request; the 101 response carries
  // `request_id`), then reads messages until the socket closes.
  void start(Request req, std::string request_id);

  // All callable from any thread: each posts onto the session's strand.
  void send(std::shared_ptr<const std::string> msg);
  void close(websocket::close_reason why);
  void force_close();  // drops the TCP connection without a closing handshake

  std::int64_t user_id() const { return peer_.user_id; }
  const std::string& login_session() const { return peer_.session_id; }

 private:
  boost::asio::awaitable<void> run(Request req, std::string request_id);
  // On the strand:
  void enqueue(std::shared_ptr<const std::string> msg);
  void begin_close(websocket::close_reason why);
  void write_next();
  void write_close();

  websocket::stream<beast::tcp_stream> ws_;
  boost::asio::any_io_executor strand_;
  ServerState& state_;
  http::WebSocketPeer peer_;
  std::string remote_addr_;
  boost::asio::steady_timer kill_timer_;  // bounds a close that waits behind a stuck write

  // Strand-only state.
  std::deque<std::shared_ptr<const std::string>> queue_;  // not yet written
  bool accepted_ = false;
  bool in_hub_ = false;
  bool writing_ = false;
  bool closing_ = false;     // a close was asked: no more messages are queued
  bool close_sent_ = false;  // async_close started
  websocket::close_reason close_reason_;
};

}  // namespace coop::net
