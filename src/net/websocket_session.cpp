#include "net/websocket_session.hpp"

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstdint>
#include <chrono>
#include <optional>
#include <thread>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <spdlog/spdlog.h>

#include "core/metrics.hpp"
#include "net/server_state.hpp"

namespace coop::net {

namespace asio = boost::asio;

namespace {
std::atomic<int> g_open_websockets{0};
std::atomic<std::int64_t> g_queued_bytes{0};
constexpr std::size_t kMaxMessageBytes = 64 * 1024;
// How long a close asked while a write is stuck (slow reader) waits before dropping the TCP link.
constexpr auto kStuckWriteGrace = std::chrono::seconds(5);
}  // namespace

int open_websockets_in_process() { return g_open_websockets.load(); }
std::int64_t queued_bytes_in_process() { return g_queued_bytes.load(); }

// ---------------------------------------------------------------------------------------------
// WsHub

namespace {
void erase_entry(auto& map, const auto& key, const WebSocketSession* s, int* removed = nullptr) {
  auto it = map.find(key);
  if (it == map.end()) return;
  auto n = std::erase_if(it->second, [s](const auto& e) { return e.raw == s; });
  if (it->second.empty()) map.erase(it);
  if (removed) *removed = static_cast<int>(n);
}
}  // namespace

void WsHub::add(const std::shared_ptr<WebSocketSession>& s) {
  std::unique_lock lock(mu_);
  by_user_[s->user_id()].push_back(Entry{s.get(), s});
  if (!s->login_session().empty()) by_login_[s->login_session()].push_back(Entry{s.get(), s});
  ++count_;
  ++g_open_websockets;
}

void WsHub::remove(const WebSocketSession* s) {
  std::unique_lock lock(mu_);
  int removed = 0;
  erase_entry(by_user_, s->user_id(), s, &removed);
  erase_entry(by_login_, s->login_session(), s);
  count_ -= removed;
  g_open_websockets -= removed;
}

int WsHub::size() const {
  std::shared_lock lock(mu_);
  return count_;
}

std::vector<std::shared_ptr<WebSocketSession>> WsHub::everyone() const {
  std::vector<std::shared_ptr<WebSocketSession>> out;
  std::shared_lock lock(mu_);
  out.reserve(static_cast<std::size_t>(count_));
  for (const auto& [uid, entries] : by_user_)
    for (const auto& e : entries)
      if (auto s = e.weak.lock()) out.push_back(std::move(s));
  return out;
}

void WsHub::send_to_user(std::int64_t user_id, Frame msg) {
  if (user_id == 0) {
    SendScope scope(*this);
    if (!scope.ok) return;
    for (const auto& s : everyone()) s->send(msg);
    return;
  }
  send_to_users({user_id}, std::move(msg), 0);
}

void WsHub::send_to_users(const std::vector<std::int64_t>& user_ids, Frame msg, std::int64_t seq) {
  SendScope scope(*this);
  if (!scope.ok || user_ids.empty()) return;
  // Per publishing thread, reused from one event to the next: no allocation in the steady state.
  thread_local std::vector<std::int64_t> ids;
  thread_local std::vector<std::shared_ptr<WebSocketSession>> targets;
  ids.assign(user_ids.begin(), user_ids.end());
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  targets.clear();
  {
    std::shared_lock lock(mu_);
    for (auto uid : ids)
      if (auto it = by_user_.find(uid); it != by_user_.end())
        for (const auto& e : it->second)
          if (auto s = e.weak.lock()) targets.push_back(std::move(s));
  }
  for (const auto& s : targets) s->deliver(msg, seq);
  targets.clear();  // drops the references now, not at the next event
}

void WsHub::close_login_session(std::string_view session_id, websocket::close_reason why) {
  SendScope scope(*this);
  if (!scope.ok || session_id.empty()) return;
  std::vector<std::shared_ptr<WebSocketSession>> targets;
  {
    std::shared_lock lock(mu_);
    if (auto it = by_login_.find(std::string(session_id)); it != by_login_.end())
      for (const auto& e : it->second)
        if (auto s = e.weak.lock()) targets.push_back(std::move(s));
  }
  for (const auto& s : targets) s->close(why);
}

void WsHub::close_all(websocket::close_reason why) {
  SendScope scope(*this);
  if (!scope.ok) return;
  for (const auto& s : everyone()) s->close(why);
}

void WsHub::force_close_all() {
  SendScope scope(*this);
  if (!scope.ok) return;
  for (const auto& s : everyone()) s->force_close();
}

void WsHub::shut() {
  shut_.store(true);
  // A send that started before the store finishes its posts; one starting after sees shut_.
  while (in_flight_.load() > 0) std::this_thread::yield();
}

// ---------------------------------------------------------------------------------------------
// Frames

Frame text_frame(std::string_view payload) {
  auto f = std::make_shared<WireFrame>();
  f->bytes = ws::encode(ws::Opcode::text, payload);
  f->header = ws::header_size(payload.size());
  return f;
}

namespace {
Frame control_frame(ws::Opcode op, std::string_view payload) {
  auto f = std::make_shared<WireFrame>();
  f->bytes = ws::encode(op, payload);
  f->header = f->bytes.size() - std::min<std::size_t>(payload.size(), 125);
  return f;
}
Frame close_frame(const websocket::close_reason& why) {
  auto f = std::make_shared<WireFrame>();
  f->bytes = ws::encode_close(static_cast<std::uint16_t>(why.code), std::string_view(why.reason.data(), why.reason.size()));
  f->header = 2;
  return f;
}
// Frames gathered into one write, and their bytes: enough to fill a kernel buffer.
constexpr std::size_t kMaxBatchFrames = 64;
constexpr std::size_t kMaxBatchBytes = 256 * 1024;
}  // namespace

// ---------------------------------------------------------------------------------------------
// WebSocketSession

WebSocketSession::WebSocketSession(beast::tcp_stream&& stream, ServerState& state, http::WebSocketPeer peer,
                                   std::string remote_addr)
    : state_(state),
      strand_(stream.get_executor()),
      handshake_(std::in_place, std::move(stream)),
      socket_(strand_),
      peer_(std::move(peer)),
      remote_addr_(std::move(remote_addr)),
      kill_timer_(strand_),
      ping_timer_(strand_),
      reader_(kMaxMessageBytes),
      replay_drained_(strand_) {
  state_.connection_opened();
}

WebSocketSession::~WebSocketSession() {
  clear_queue();
  if (in_hub_) {
    state_.hub.remove(this);
    spdlog::info("websocket closed user_id={} remote={}", peer_.user_id, remote_addr_);
  }
  state_.connection_closed();
}

void WebSocketSession::start(Request req, std::string request_id) {
  asio::co_spawn(
      strand_,
      [self = shared_from_this(), r = std::move(req), id = std::move(request_id)]() mutable {
        return self->run(std::move(r), std::move(id));
      },
      [](std::exception_ptr e) {
        if (!e) return;
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& ex) {
          spdlog::error("websocket session: {}", ex.what());
        }
      });
}

void WebSocketSession::send(Frame msg) { deliver(std::move(msg), 0); }

void WebSocketSession::deliver(Frame msg, std::int64_t seq) {
  // Most sockets of a large channel have not resumed yet only briefly; those that never will
  // (no discussion page open) cost no post at all.
  if (seq > 0 && !wants_seq_.load()) return;
  bool first;
  {
    std::lock_guard lock(inbox_mu_);
    // The strand is behind by this much for this socket: the server itself is overloaded (a
    // client that does not read fills its queue_, not this). Past it the socket is closed with
    // 1013 and the client catches up by resuming rather than the server holding every event.
    if (inbox_.size() >= std::max<std::size_t>(4 * state_.opts.ws_queue_limit, 1024)) {
      inbox_overflow_ = true;
      return;
    }
    first = inbox_.empty() && !inbox_overflow_;
    inbox_.emplace_back(seq, std::move(msg));
  }
  // One post for every event that arrives before the strand gets to it.
  if (first) asio::post(strand_, [self = shared_from_this()] { self->drain_inbox(); });
}

void WebSocketSession::drain_inbox() {
  std::vector<std::pair<std::int64_t, Frame>> events;
  bool overflow;
  {
    std::lock_guard lock(inbox_mu_);
    events.swap(inbox_);
    overflow = inbox_overflow_;
    inbox_overflow_ = false;
  }
  if (overflow) {
    spdlog::warn("websocket user_id={} remote={}: the server is {} events behind for this socket, closing",
                 peer_.user_id, remote_addr_, events.size());
    core::Metrics::global().inc("coop_websockets_dropped_total", {{"reason", "server_behind"}});
    begin_close({static_cast<websocket::close_code>(ws::kTryAgainLater), "server overloaded"});
    return;
  }
  for (auto& [seq, msg] : events) on_event(std::move(msg), seq);
  flush();  // every event of the batch in as few writes as the socket allows
}

void WebSocketSession::on_event(Frame msg, std::int64_t seq) {
  if (seq <= 0) {
    enqueue(std::move(msg));
    return;
  }
  switch (resume_) {
    case Resume::none:
      return;  // the client has not asked for the stream (it resumes from /api/discussion/etat)
    case Resume::replaying:
      if (seq <= floor_) return;
      held_max_ = std::max(held_max_, seq);
      if (held_overflow_) return;
      if (held_.size() + 1 > state_.opts.ws_queue_limit ||
          held_bytes_ + msg->bytes.size() > state_.opts.ws_queue_bytes) {
        held_overflow_ = true;  // the replay ends "incomplet": the client reloads instead
        held_.clear();
        held_bytes_ = 0;
        return;
      }
      held_bytes_ += msg->bytes.size();
      held_.emplace_back(seq, std::move(msg));
      return;
    case Resume::live:
      // Already replayed, or already known to the client: never twice.
      if (seq <= floor_ || std::binary_search(replayed_.begin(), replayed_.end(), seq)) return;
      enqueue(std::move(msg));
      return;
  }
}

namespace {

using Replay = std::vector<std::pair<std::int64_t, std::string>>;
constexpr std::size_t kReplayPage = 200;  // events fetched (and queued) at a time

Frame json_frame(const boost::json::object& o) { return text_frame(boost::json::serialize(o)); }

Frame error_frame(std::string_view code, std::string_view message) {
  return json_frame({{"type", "erreur"}, {"code", code}, {"message", message}});
}

// {"type":"reprendre","depuis":N}: nullopt when `text` is another message; otherwise N, or -1
// when N is not an integer >= 0.
std::optional<std::int64_t> resume_request(const std::string& text) {
  if (text.find("reprendre") == std::string::npos) return std::nullopt;  // the usual case, unparsed
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto& o = v.as_object();
  const auto* type = o.if_contains("type");
  if (!type || !type->is_string() || type->as_string() != "reprendre") return std::nullopt;
  const auto* depuis = o.if_contains("depuis");
  if (depuis && depuis->is_int64() && depuis->as_int64() >= 0) return depuis->as_int64();
  if (depuis && depuis->is_uint64() && depuis->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(depuis->as_uint64());
  return -1;
}

}  // namespace

asio::awaitable<void> WebSocketSession::resume(std::int64_t depuis) {
  auto self = shared_from_this();  // lives as long as the replay, whatever the read loop does
  resume_ = Resume::replaying;
  floor_ = depuis;
  replayed_.clear();
  held_.clear();
  held_bytes_ = 0;
  held_overflow_ = false;
  held_max_ = 0;
  // Set before the first fetch: an event committed after it is published after it, so it is
  // either fetched or held (or both: then sent once).
  wants_seq_.store(true);

  const std::size_t limit = state_.opts.ws_replay_limit;
  std::int64_t cursor = depuis;  // last seq replayed
  std::int64_t known = depuis;   // highest seq seen, replayed or not
  bool incomplete = false;
  for (;;) {
    const std::size_t budget = limit - replayed_.size();
    const std::size_t want = std::min(kReplayPage, budget) + 1;  // one more: are there others?
    std::optional<std::int64_t> gone;  // events after `cursor` purged: the last seq
    auto page = co_await asio::co_spawn(
        state_.pool,
        [&]() -> asio::awaitable<std::optional<Replay>> {
          try {
            co_return state_.app.websocket_replay(peer_, cursor, want);
          } catch (const http::ReplayGone& g) {
            gone = g.dernier;
            co_return std::nullopt;
          } catch (const std::exception& e) {
            spdlog::error("websocket replay user_id={} depuis={}: {}", peer_.user_id, cursor, e.what());
            co_return std::nullopt;
          }
        },
        asio::use_awaitable);
    if (closing_) co_return;
    if (gone) {  // the client reloads its views, which then hold every event up to the last
      known = std::max(known, *gone);
      incomplete = true;
      break;
    }
    if (!page) {
      resume_ = Resume::none;
      wants_seq_.store(false);
      held_.clear();
      held_bytes_ = 0;
      replayed_.clear();
      enqueue(error_frame("reprise_impossible", "La reprise a échoué : réessayez dans un instant."));
      flush();
      co_return;
    }
    std::sort(page->begin(), page->end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::erase_if(*page, [cursor](const auto& e) { return e.first <= cursor; });
    page->erase(std::unique(page->begin(), page->end(), [](const auto& a, const auto& b) { return a.first == b.first; }),
                page->end());
    const bool more = page->size() >= want;
    const std::size_t take = more ? want - 1 : page->size();
    if (!page->empty()) known = std::max(known, page->back().first);
    if (more && take == budget) incomplete = true;  // more than `limit` events after `depuis`
    if (incomplete || held_overflow_) break;
    for (std::size_t i = 0; i < take; ++i) {
      auto& [seq, text] = (*page)[i];
      replayed_.push_back(seq);
      cursor = seq;
      push(text_frame(text), Kind::replay);
    }
    flush();
    if (!more) break;
    // The next page once this one is written: a replay holds one page of memory at a time.
    while (replay_queued_ > 0 && !closing_) co_await replay_drained_.async_wait(asio::as_tuple(asio::use_awaitable));
    if (closing_) co_return;
  }

  incomplete = incomplete || held_overflow_;
  boost::json::object repris{{"type", "repris"}};
  if (incomplete) {
    // Too much to replay: the client reloads its views, which then include every event up to
    // `known`; only later ones come live.
    known = std::max(known, held_max_);
    floor_ = known;
    replayed_.clear();
    repris["seq"] = known;
    repris["incomplet"] = true;
    push(json_frame(repris), Kind::replay);
  } else {
    repris["seq"] = cursor;
    push(json_frame(repris), Kind::replay);
    // Published during the replay and not in it: now, in seq order, each once.
    std::stable_sort(held_.begin(), held_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::int64_t last = 0;
    for (auto& [seq, f] : held_) {
      if (seq == last || seq <= depuis || std::binary_search(replayed_.begin(), replayed_.end(), seq)) continue;
      last = seq;
      push(std::move(f), Kind::replay);
    }
  }
  held_.clear();
  held_bytes_ = 0;
  resume_ = Resume::live;
  flush();
}



void WebSocketSession::close(websocket::close_reason why) {
  asio::post(strand_, [self = shared_from_this(), why] { self->begin_close(why); });
}

void WebSocketSession::force_close() {
  asio::post(strand_, [self = shared_from_this()] {
    self->closing_ = true;
    self->shut_socket();
  });
}

void WebSocketSession::shut_socket() {
  clear_queue();
  kill_timer_.cancel();
  ping_timer_.cancel();
  boost::system::error_code ignored;
  if (socket_.is_open()) {
    socket_.shutdown(Socket::shutdown_both, ignored);
    socket_.close(ignored);  // pending operations complete with an error
  }
  if (handshake_) beast::get_lowest_layer(*handshake_).close();
}

asio::awaitable<void> WebSocketSession::run(Request req, std::string request_id) {
  {
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = state_.opts.request_timeout;
    timeouts.idle_timeout = websocket::stream_base::none();
    timeouts.keep_alive_pings = false;
    handshake_->set_option(timeouts);
    handshake_->set_option(websocket::stream_base::decorator([request_id](websocket::response_type& res) {
      res.set(beast::http::field::server, "coop");
      res.set("X-Request-Id", request_id);
    }));
    beast::get_lowest_layer(*handshake_).expires_never();
    // Beast checks the upgrade request and writes the 101; no extension is offered back, so
    // frames are plain RFC 6455 ones from here on.
    auto [ec] = co_await handshake_->async_accept(req, asio::as_tuple(asio::use_awaitable));
    if (ec || closing_) {
      if (ec) spdlog::debug("websocket handshake failed remote={}: {}", remote_addr_, ec.message());
      co_return;
    }
  }
  // From now on the session owns the bytes: Beast's stream (and its buffers) goes.
  socket_ = std::move(beast::get_lowest_layer(*handshake_).socket());
  handshake_.reset();
  {
    boost::system::error_code ec;
    socket_.non_blocking(true, ec);
    if (!ec) socket_.set_option(asio::ip::tcp::no_delay(true), ec);
    if (ec) {
      spdlog::debug("websocket socket options remote={}: {}", remote_addr_, ec.message());
      co_return;
    }
  }
  accepted_ = true;
  // Join the hub before looking at `stopping`: a shutdown either sees this socket in the hub or
  // has set `stopping` before we look (the hub's mutex orders the two).
  state_.hub.add(shared_from_this());
  in_hub_ = true;
  spdlog::info("websocket opened user_id={} remote={}", peer_.user_id, remote_addr_);
  if (state_.stopping) begin_close({websocket::close_code::going_away, "server shutting down"});
  heartbeat();

  std::vector<ws::Received> got;
  for (;;) {
    // Wait until readable, then read into a per-thread buffer: an idle socket holds no buffer.
    auto [wec] = co_await socket_.async_wait(Socket::wait_read, asio::as_tuple(asio::use_awaitable));
    if (wec) break;
    std::uint16_t violation = 0;
    boost::system::error_code rec = read_available(got, violation);
    if (rec == asio::error::would_block || rec == asio::error::try_again) continue;
    if (rec) {
      if (rec != asio::error::eof && rec != asio::error::connection_reset && rec != asio::error::operation_aborted)
        spdlog::debug("websocket read user_id={}: {}", peer_.user_id, rec.message());
      break;
    }
    bool go_on = true;
    for (auto& r : got) {
      go_on = co_await on_received(std::move(r));
      if (!go_on) break;
    }
    if (go_on && violation) {
      if (violated_ && close_sent_) break;  // what follows our close frame is not read: the end
      if (!violated_)
        spdlog::debug("websocket user_id={} remote={}: protocol violation, closing with {}", peer_.user_id,
                      remote_addr_, violation);
      violated_ = true;
      begin_close({static_cast<websocket::close_code>(violation), ""});
    }
    flush();
  }
  // The connection is over: nothing more is queued, and a replay in progress stops.
  closing_ = true;
  shut_socket();
}

boost::system::error_code WebSocketSession::read_available(std::vector<ws::Received>& got, std::uint16_t& violation) {
  // Not in the coroutine: a thread_local's address must not be kept across a co_await (the
  // coroutine may resume on the other I/O thread).
  thread_local std::vector<char> buffer(64 * 1024);
  boost::system::error_code ec;
  const std::size_t n = socket_.read_some(asio::buffer(buffer), ec);
  if (ec) return ec;
  received_ = true;
  got.clear();
  violation = reader_.feed(std::string_view(buffer.data(), n), got);  // `got` owns its bytes
  return ec;
}

asio::awaitable<bool> WebSocketSession::on_received(ws::Received r) {
  switch (r.op) {
    case ws::Opcode::ping:
      if (!closing_) push_control(control_frame(ws::Opcode::pong, r.payload), Kind::control);
      co_return true;
    case ws::Opcode::pong:
      ping_out_ = false;
      co_return true;
    case ws::Opcode::close: {
      peer_closed_ = true;
      if (close_sent_) {
        shut_socket();  // the closing handshake is complete
        co_return false;
      }
      // Echo the peer's code (RFC 6455 §5.5.1), then close once it is written.
      websocket::close_reason why{websocket::close_code::normal};
      if (r.payload.size() >= 2)
        why.code = static_cast<std::uint16_t>((static_cast<unsigned char>(r.payload[0]) << 8) |
                                              static_cast<unsigned char>(r.payload[1]));
      begin_close(why);
      co_return true;
    }
    case ws::Opcode::binary:
    case ws::Opcode::continuation:
      co_return true;  // only text messages mean something here
    case ws::Opcode::text:
      break;
  }
  if (closing_) co_return true;
  std::string text = std::move(r.payload);
  if (auto depuis = resume_request(text)) {
    if (*depuis < 0) {
      enqueue(error_frame("reprise_invalide", "« depuis » doit être un entier positif ou nul."));
    } else if (resume_ == Resume::replaying) {
      enqueue(error_frame("reprise_en_cours", "Une reprise est déjà en cours sur cette connexion."));
    } else {
      asio::co_spawn(strand_, resume(*depuis), [](std::exception_ptr e) {
        if (!e) return;
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& ex) {
          spdlog::error("websocket resume: {}", ex.what());
        }
      });
    }
    co_return true;
  }
  // One message at a time, on the worker pool (the application may touch the database).
  auto reply = co_await asio::co_spawn(
      state_.pool,
      [&]() -> asio::awaitable<std::optional<std::string>> {
        try {
          co_return state_.app.on_websocket_message(peer_, text);
        } catch (const std::exception& e) {
          spdlog::error("websocket message handler: {}", e.what());
          co_return std::nullopt;
        }
      },
      asio::use_awaitable);
  if (reply) enqueue(text_frame(*reply));
  co_return true;
}

void WebSocketSession::heartbeat() {
  // A ping after an interval without anything from the client; a second silent interval and
  // the peer is taken for dead (a client that stops reading stops answering too).
  ping_timer_.expires_after(state_.opts.ws_ping_interval);
  ping_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec || self->closing_ || !self->socket_.is_open()) return;
    if (self->received_) {
      self->received_ = false;
      self->ping_out_ = false;
    } else if (self->ping_out_) {
      spdlog::info("websocket user_id={} remote={}: no answer to pings, dropped", self->peer_.user_id,
                   self->remote_addr_);
      core::Metrics::global().inc("coop_websockets_dropped_total", {{"reason", "heartbeat"}});
      self->closing_ = true;
      self->shut_socket();
      return;
    } else {
      self->ping_out_ = true;
      self->push_control(control_frame(ws::Opcode::ping, ""), Kind::control);
      self->flush();
    }
    self->heartbeat();
  });
}

void WebSocketSession::enqueue(Frame msg) {
  if (!accepted_ || closing_) return;
  // A frame waits only while the socket does not take more: the client does not read as fast
  // as it is sent to. Within the bounds it waits; past them the client is closed rather than
  // buffered for (events the server has not yet got to wait in the inbox, not here).
  if (blocked_ && (queued_messages_ + 1 > state_.opts.ws_queue_limit ||
                   queued_bytes_ + msg->bytes.size() > state_.opts.ws_queue_bytes)) {
    drop_slow_client(queued_messages_ + 1, queued_bytes_ + msg->bytes.size());
    return;
  }
  push(std::move(msg), Kind::counted);
}

void WebSocketSession::drop_slow_client(std::size_t messages, std::size_t bytes) {
  spdlog::warn("websocket user_id={} remote={}: outgoing queue full ({} messages, {} bytes), closing",
               peer_.user_id, remote_addr_, messages, bytes);
  core::Metrics::global().inc("coop_websockets_dropped_total", {{"reason", "slow_client"}});
  begin_close({websocket::close_code::policy_error, "outgoing queue full"});
}

void WebSocketSession::push(Frame msg, Kind kind) {
  if (kind == Kind::counted) {
    ++queued_messages_;
    queued_bytes_ += msg->bytes.size();
    g_queued_bytes += static_cast<std::int64_t>(msg->bytes.size());
  } else if (kind == Kind::replay) {
    ++replay_queued_;
  }
  queue_.push_back(Outgoing{std::move(msg), kind});
}

void WebSocketSession::push_control(Frame msg, Kind kind) {
  // After the frame being written (its bytes are partly on the socket) and the control frames
  // already waiting, before every data frame not yet started.
  std::size_t at = queue_head_ + (head_written_ > 0 ? 1 : 0);
  while (at < queue_.size() && queue_[at].kind == Kind::control) ++at;
  queue_.insert(queue_.begin() + static_cast<std::ptrdiff_t>(std::min(at, queue_.size())), Outgoing{std::move(msg), kind});
}

void WebSocketSession::pop_written() {
  Outgoing& o = queue_[queue_head_];
  if (o.kind == Kind::counted) {
    if (state_.opts.ws_write_observer) state_.opts.ws_write_observer(o.msg.get(), o.msg->payload());
    --queued_messages_;
    queued_bytes_ -= o.msg->bytes.size();
    g_queued_bytes -= static_cast<std::int64_t>(o.msg->bytes.size());
  } else if (o.kind == Kind::replay) {
    if (--replay_queued_ == 0) replay_drained_.cancel();
  } else if (o.kind == Kind::close) {
    close_sent_ = true;
  }
  o.msg.reset();
  head_written_ = 0;
  if (++queue_head_ == queue_.size()) {
    queue_.clear();
    queue_head_ = 0;
    if (queue_.capacity() > 64) queue_.shrink_to_fit();  // a burst does not stay allocated
  } else if (queue_head_ >= 64 && queue_head_ * 2 >= queue_.size()) {
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(queue_head_));
    queue_head_ = 0;
  }
}

void WebSocketSession::clear_queue() {
  // A frame partly written stays: the peer must get it whole before anything else.
  const bool keep_head = head_written_ > 0 && queue_head_ < queue_.size();
  for (std::size_t i = queue_head_ + (keep_head ? 1 : 0); i < queue_.size(); ++i)
    if (queue_[i].kind == Kind::counted) g_queued_bytes -= static_cast<std::int64_t>(queue_[i].msg->bytes.size());
  if (keep_head) {
    Outgoing head = std::move(queue_[queue_head_]);
    queue_.clear();
    queue_.push_back(std::move(head));
  } else {
    queue_.clear();
  }
  queue_head_ = 0;
  queued_messages_ = 0;
  queued_bytes_ = 0;
  replay_queued_ = 0;
  if (keep_head && queue_[0].kind == Kind::counted) {
    queued_messages_ = 1;
    queued_bytes_ = queue_[0].msg->bytes.size();
  } else if (keep_head && queue_[0].kind == Kind::replay) {
    replay_queued_ = 1;
  }
  replay_drained_.cancel();
}

void WebSocketSession::begin_close(websocket::close_reason why) {
  if (closing_) return;
  closing_ = true;
  clear_queue();
  if (!accepted_) return;
  push(close_frame(why), Kind::close);
  // The close frame waits for the frame being written; a reader that stopped reading would make
  // that wait endless, and a peer may never answer it: both are bounded.
  kill_timer_.expires_after(blocked_ ? kStuckWriteGrace : state_.opts.request_timeout);
  kill_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (!ec) self->shut_socket();
  });
  flush();
}

void WebSocketSession::flush() {
  if (blocked_ || !socket_.is_open()) return;
  thread_local std::vector<asio::const_buffer> buffers;
  while (queue_head_ < queue_.size()) {
    buffers.clear();
    std::size_t bytes = 0;
    for (std::size_t i = queue_head_; i < queue_.size() && buffers.size() < kMaxBatchFrames && bytes < kMaxBatchBytes; ++i) {
      std::string_view b = queue_[i].msg->bytes;
      if (i == queue_head_) b.remove_prefix(head_written_);
      buffers.emplace_back(b.data(), b.size());
      bytes += b.size();
    }
    boost::system::error_code ec;
    std::size_t n = socket_.write_some(buffers, ec);  // one sendmsg for the whole batch
    if (ec == asio::error::would_block || ec == asio::error::try_again) n = 0;
    else if (ec) {
      spdlog::debug("websocket write user_id={}: {}", peer_.user_id, ec.message());
      closing_ = true;
      shut_socket();
      return;
    }
    const bool all = n == bytes;
    // Frames wholly written leave the queue; the first one not wholly written keeps its offset.
    while (n > 0) {
      const std::size_t left = queue_[queue_head_].msg->bytes.size() - head_written_;
      if (n < left) {
        head_written_ += n;
        break;
      }
      n -= left;
      const bool was_close = queue_[queue_head_].kind == Kind::close;
      pop_written();
      if (was_close) {
        // Our close is out: the connection ends when the peer's arrives (or at once if it
        // already has, or if the peer broke the protocol).
        if (peer_closed_) {
          shut_socket();
        } else if (violated_) {
          // Nothing more will be read from a peer that broke the protocol: our side ends now
          // (the peer sees the close frame, then the end of the stream).
          boost::system::error_code ignored;
          socket_.shutdown(Socket::shutdown_send, ignored);
        }
        return;
      }
    }
    if (!all) {
      // The kernel buffer is full: wait until the socket takes more.
      blocked_ = true;
      socket_.async_wait(Socket::wait_write, [self = shared_from_this()](boost::system::error_code wec) {
        self->blocked_ = false;
        if (wec) return;
        self->flush();
      });
      return;
    }
  }
}

}  // namespace coop::net
