// Internal to src/net (includes Beast): one WebSocket connection, and the hub that routes bus
// events to the sockets of a user or of a log-in session.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/basic_stream_socket.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "http/application.hpp"
#include "net/websocket_frames.hpp"

namespace coop::net {

struct ServerState;
class WebSocketSession;

namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;

// Number of open WebSockets in the whole process (the coop_websockets_open gauge).
int open_websockets_in_process();
// Bytes waiting in the outgoing queues of every socket of the process (coop_websocket_queued_bytes).
std::int64_t queued_bytes_in_process();

// One outgoing frame, header and payload, encoded once: the same bytes are shared by every
// socket it goes to (server frames are not masked), so an event for 2,538 members is one
// allocation, one JSON encoding and one framing, never one per recipient.
struct WireFrame {
  std::string bytes;     // the whole frame as written on the socket
  std::size_t header = 0;  // bytes of it before the payload
  std::string_view payload() const { return std::string_view(bytes).substr(header); }
};
using Frame = std::shared_ptr<const WireFrame>;
// A text message (a JSON event) as a frame.
Frame text_frame(std::string_view payload);

// Shared state of the sockets (Beast's chat-multi "shared_state"). Thread-safe: bus subscribers
// call it from whatever thread publishes. A send looks its recipients up under a shared lock
// (O(recipients), never a scan of every connection), copies their pointers, releases the lock,
// then posts onto each socket's strand: no lock is held while posting, and a post never blocks.
class WsHub {
 public:
  void add(const std::shared_ptr<WebSocketSession>& s);
  void remove(const WebSocketSession* s);  // from the session's destructor
  int size() const;

  // `user_id` 0 sends to every open socket (used for the "broadcast" topic only).
  void send_to_user(std::int64_t user_id, Frame msg);
  // Every socket of these users (duplicates ignored) gets `msg`; `seq` > 0 marks an event of
  // the resumable stream (see WebSocketSession::deliver).
  void send_to_users(const std::vector<std::int64_t>& user_ids, Frame msg, std::int64_t seq);
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
  // Counts a send in progress for shut(); `ok` is false once the hub is shut.
  class SendScope {
   public:
    explicit SendScope(WsHub& h) : h_(h) {
      h_.in_flight_.fetch_add(1);
      ok = !h_.shut_.load();
    }
    ~SendScope() { h_.in_flight_.fetch_sub(1); }
    SendScope(const SendScope&) = delete;
    SendScope& operator=(const SendScope&) = delete;
    bool ok = false;

   private:
    WsHub& h_;
  };
  std::vector<std::shared_ptr<WebSocketSession>> everyone() const;

  mutable std::shared_mutex mu_;  // shared by senders, exclusive in add() and remove()
  std::unordered_map<std::int64_t, std::vector<Entry>> by_user_;
  std::unordered_map<std::string, std::vector<Entry>> by_login_;  // log-in session id → sockets
  int count_ = 0;
  std::atomic<int> in_flight_{0};
  std::atomic<bool> shut_{false};
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

  // All callable from any thread.
  void send(Frame msg);
  // An event of the bus. `seq` > 0: an event of the resumable stream, delivered only once the
  // client has asked to resume ({"type":"reprendre"}), never twice, and held while a replay
  // is under way (see resume()). Events go into a small inbox; one handler on the strand takes
  // every event that arrived meanwhile and writes them together (see drain_inbox()).
  void deliver(Frame msg, std::int64_t seq);
  void close(websocket::close_reason why);
  void force_close();  // drops the TCP connection without a closing handshake

  std::int64_t user_id() const { return peer_.user_id; }
  const std::string& login_session() const { return peer_.session_id; }

 private:
  using Socket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, boost::asio::any_io_executor>;

  boost::asio::awaitable<void> run(Request req, std::string request_id);
  // On the strand:
  void drain_inbox();
  void on_event(Frame msg, std::int64_t seq);
  // {"type":"reprendre","depuis":N}: replays the events after N page by page (each page once
  // the previous one is written), then {"type":"repris","seq":M}, then the events held
  // meanwhile, then live ones. Runs beside the read loop.
  boost::asio::awaitable<void> resume(std::int64_t depuis);
  // Handles one message or control frame of the client; false once the session is over.
  boost::asio::awaitable<bool> on_received(ws::Received r);
  // Reads what the socket has (without waiting) and parses it into `got`; `violation`: the
  // close code of a protocol violation, else 0.
  boost::system::error_code read_available(std::vector<ws::Received>& got, std::uint16_t& violation);
  void enqueue(Frame msg);  // within the queue bounds; the caller flushes
  void begin_close(websocket::close_reason why);
  void shut_socket();      // closes the TCP connection: pending operations end with an error
  void flush();            // writes what is queued, many frames per system call, never blocking
  void heartbeat();        // arms the ping timer

  ServerState& state_;
  boost::asio::any_io_executor strand_;
  std::optional<websocket::stream<beast::tcp_stream>> handshake_;  // Beast, until the 101 is sent
  Socket socket_;
  http::WebSocketPeer peer_;
  std::string remote_addr_;
  boost::asio::steady_timer kill_timer_;  // bounds a close that waits behind a stuck write
  boost::asio::steady_timer ping_timer_;
  ws::Reader reader_;

  // Inbox: filled by publishers on any thread, drained on the strand.
  std::mutex inbox_mu_;
  std::vector<std::pair<std::int64_t, Frame>> inbox_;
  bool inbox_overflow_ = false;

  // Strand-only state.
  enum class Kind : std::uint8_t { counted, replay, control, close };
  struct Outgoing {
    Frame msg;
    Kind kind;  // counted: counts against the queue bounds (not a resume's replay nor a pong)
  };
  void push(Frame msg, Kind kind);
  void push_control(Frame msg, Kind kind);  // ahead of the data frames not yet started
  void pop_written();
  void clear_queue();
  void drop_slow_client(std::size_t messages, std::size_t bytes);

  std::vector<Outgoing> queue_;  // not yet (wholly) written, from queue_head_
  std::size_t queue_head_ = 0;
  std::size_t head_written_ = 0;  // bytes of queue_[queue_head_] already on the socket
  std::size_t queued_messages_ = 0;  // counted ones only
  std::size_t queued_bytes_ = 0;
  std::size_t replay_queued_ = 0;    // a page of a replay
  boost::asio::steady_timer replay_drained_;  // cancelled when replay_queued_ falls to 0

  // Resume state (strand only, but `wants_seq_`, read by publishers to skip the post).
  enum class Resume { none, replaying, live };
  Resume resume_ = Resume::none;
  std::atomic<bool> wants_seq_{false};
  std::int64_t floor_ = 0;               // events with seq <= floor_ are known to the client
  std::vector<std::int64_t> replayed_;   // sorted seqs sent by the last replay: never sent again
  std::vector<std::pair<std::int64_t, Frame>> held_;  // published during the replay
  std::size_t held_bytes_ = 0;
  bool held_overflow_ = false;  // more were published during the replay than a queue holds
  std::int64_t held_max_ = 0;   // highest seq published during the replay (held or not)
  bool accepted_ = false;
  bool in_hub_ = false;
  bool blocked_ = false;     // waiting for the socket to take more (the kernel buffer is full)
  bool closing_ = false;     // a close was asked or received: no more messages are queued
  bool close_sent_ = false;  // our close frame is on the socket
  bool peer_closed_ = false;  // the client's close frame was read
  bool violated_ = false;     // the client broke RFC 6455: closed with 1002, 1007 or 1009
  bool received_ = false;     // bytes came in since the last heartbeat tick
  bool ping_out_ = false;     // a ping went out and nothing came in since
};

}  // namespace coop::net
