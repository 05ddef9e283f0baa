#include "net/websocket_session.hpp"

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstdint>
#include <chrono>
#include <optional>
#include <thread>

#include <boost/asio/as_tuple.hpp>
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
// WebSocketSession

WebSocketSession::WebSocketSession(beast::tcp_stream&& stream, ServerState& state, http::WebSocketPeer peer,
                                   std::string remote_addr)
    : ws_(std::move(stream)),
      strand_(ws_.get_executor()),
      state_(state),
      peer_(std::move(peer)),
      remote_addr_(std::move(remote_addr)),
      kill_timer_(strand_),
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

void WebSocketSession::send(Frame msg) {
  asio::post(strand_, [self = shared_from_this(), m = std::move(msg)]() mutable { self->enqueue(std::move(m)); });
}

void WebSocketSession::deliver(Frame msg, std::int64_t seq) {
  // Most sockets of a large channel have not resumed yet only briefly; those that never will
  // (no discussion page open) cost no post at all.
  if (seq > 0 && !wants_seq_.load()) return;
  asio::post(strand_, [self = shared_from_this(), m = std::move(msg), seq]() mutable {
    self->on_event(std::move(m), seq);
  });
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
      if (held_.size() + 1 > state_.opts.ws_queue_limit || held_bytes_ + msg->size() > state_.opts.ws_queue_bytes) {
        held_overflow_ = true;  // the replay ends "incomplet": the client reloads instead
        held_.clear();
        held_bytes_ = 0;
        return;
      }
      held_bytes_ += msg->size();
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

Frame json_frame(const boost::json::object& o) {
  return std::make_shared<const std::string>(boost::json::serialize(o));
}

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
      push(std::make_shared<const std::string>(std::move(text)), false);
    }
    if (!writing_ && !queue_.empty()) write_next();
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
    push(json_frame(repris), false);
  } else {
    repris["seq"] = cursor;
    push(json_frame(repris), false);
    // Published during the replay and not in it: now, in seq order, each once.
    std::stable_sort(held_.begin(), held_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::int64_t last = 0;
    for (auto& [seq, f] : held_) {
      if (seq == last || seq <= depuis || std::binary_search(replayed_.begin(), replayed_.end(), seq)) continue;
      last = seq;
      push(std::move(f), false);
    }
  }
  held_.clear();
  held_bytes_ = 0;
  resume_ = Resume::live;
  if (!writing_ && !queue_.empty()) write_next();
}



void WebSocketSession::close(websocket::close_reason why) {
  asio::post(strand_, [self = shared_from_this(), why] { self->begin_close(why); });
}

void WebSocketSession::force_close() {
  asio::post(strand_, [self = shared_from_this()] {
    self->closing_ = true;
    self->clear_queue();
    self->kill_timer_.cancel();
    beast::get_lowest_layer(self->ws_).close();  // pending operations complete with an error
  });
}

asio::awaitable<void> WebSocketSession::run(Request req, std::string request_id) {
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = state_.opts.request_timeout;  // opening and closing handshakes
  // Beast pings after idle_timeout / 2 without traffic and gives up after idle_timeout: so a
  // ping every ws_ping_interval, and a dead peer dropped after two silent intervals.
  timeouts.idle_timeout = 2 * state_.opts.ws_ping_interval;
  timeouts.keep_alive_pings = true;
  ws_.set_option(timeouts);
  ws_.set_option(websocket::stream_base::decorator([request_id](websocket::response_type& res) {
    res.set(beast::http::field::server, "coop");
    res.set("X-Request-Id", request_id);
  }));
  ws_.read_message_max(kMaxMessageBytes);
  ws_.text(true);
  // One frame per message (header + the shared buffer, gathered in one write, never copied),
  // not 4 KiB fragments each needing its own write.
  ws_.auto_fragment(false);
  beast::get_lowest_layer(ws_).expires_never();  // the websocket timeouts take over

  auto [ec] = co_await ws_.async_accept(req, asio::as_tuple(asio::use_awaitable));
  if (ec) {
    spdlog::debug("websocket handshake failed remote={}: {}", remote_addr_, ec.message());
    co_return;
  }
  accepted_ = true;
  // Join the hub before looking at `stopping`: a shutdown either sees this socket in the hub or
  // has set `stopping` before we look (the hub's mutex orders the two).
  state_.hub.add(shared_from_this());
  in_hub_ = true;
  spdlog::info("websocket opened user_id={} remote={}", peer_.user_id, remote_addr_);
  if (state_.stopping) begin_close({websocket::close_code::going_away, "server shutting down"});

  beast::flat_buffer buffer;
  for (;;) {
    auto [rec, n] = co_await ws_.async_read(buffer, asio::as_tuple(asio::use_awaitable));
    if (rec) {
      if (rec == beast::error::timeout) {
        // Beast's idle timeout: no frame (not even the pong to our ping) for two ping intervals.
        spdlog::info("websocket user_id={} remote={}: no answer to pings, dropped", peer_.user_id, remote_addr_);
        core::Metrics::global().inc("coop_websockets_dropped_total", {{"reason", "heartbeat"}});
      } else if (rec != websocket::error::closed && rec != asio::error::operation_aborted)
        spdlog::debug("websocket read user_id={}: {}", peer_.user_id, rec.message());
      break;
    }
    if (!ws_.got_text() || closing_) {
      buffer.clear();
      continue;
    }
    std::string text = beast::buffers_to_string(buffer.data());
    buffer.clear();
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
      continue;
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
    if (reply) enqueue(std::make_shared<const std::string>(std::move(*reply)));
  }
  // The connection is over: nothing more is queued, and a replay in progress stops.
  closing_ = true;
  clear_queue();
}

void WebSocketSession::enqueue(Frame msg) {
  if (!accepted_ || closing_) return;
  // Nothing in flight: the message is written now and waits in no queue. Otherwise it waits,
  // within the bounds: a client that does not read is closed rather than buffered for.
  if (writing_ && (queued_messages_ + 1 > state_.opts.ws_queue_limit ||
                   queued_bytes_ + msg->size() > state_.opts.ws_queue_bytes)) {
    drop_slow_client(queued_messages_ + 1, queued_bytes_ + msg->size());
    return;
  }
  push(std::move(msg), true);
  if (!writing_) write_next();
}

void WebSocketSession::drop_slow_client(std::size_t messages, std::size_t bytes) {
  spdlog::warn("websocket user_id={} remote={}: outgoing queue full ({} messages, {} bytes), closing",
               peer_.user_id, remote_addr_, messages, bytes);
  core::Metrics::global().inc("coop_websockets_dropped_total", {{"reason", "slow_client"}});
  begin_close({websocket::close_code::policy_error, "outgoing queue full"});
}

void WebSocketSession::push(Frame msg, bool counted) {
  if (counted) {
    ++queued_messages_;
    queued_bytes_ += msg->size();
    g_queued_bytes += static_cast<std::int64_t>(msg->size());
  } else {
    ++replay_queued_;
  }
  queue_.push_back(Outgoing{std::move(msg), counted});
}

WebSocketSession::Outgoing WebSocketSession::pop() {
  Outgoing o = std::move(queue_.front());
  queue_.pop_front();
  if (o.counted) {
    --queued_messages_;
    queued_bytes_ -= o.msg->size();
    g_queued_bytes -= static_cast<std::int64_t>(o.msg->size());
  } else if (--replay_queued_ == 0) {
    replay_drained_.cancel();
  }
  return o;
}

void WebSocketSession::clear_queue() {
  g_queued_bytes -= static_cast<std::int64_t>(queued_bytes_);
  queued_messages_ = queued_bytes_ = replay_queued_ = 0;
  queue_.clear();
  replay_drained_.cancel();
}

void WebSocketSession::begin_close(websocket::close_reason why) {
  if (closing_) return;
  closing_ = true;
  close_reason_ = why;
  clear_queue();
  if (!accepted_) return;
  if (!writing_) {
    write_close();
    return;
  }
  // The close frame waits for the write in flight; a reader that stopped reading would make
  // that wait endless, so it is bounded.
  kill_timer_.expires_after(kStuckWriteGrace);
  kill_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (!ec) beast::get_lowest_layer(self->ws_).close();
  });
}

void WebSocketSession::write_next() {
  auto msg = pop().msg;
  writing_ = true;
  if (state_.opts.ws_write_observer) state_.opts.ws_write_observer(msg.get());
  // The handler runs on the stream's executor, the strand.
  ws_.async_write(asio::buffer(*msg), [self = shared_from_this(), msg](beast::error_code ec, std::size_t) {
    self->writing_ = false;
    if (ec) {
      self->closing_ = true;
      self->clear_queue();
      return;
    }
    if (self->closing_) {
      self->kill_timer_.cancel();
      self->write_close();
    } else if (!self->queue_.empty()) {
      self->write_next();
    }
  });
}

void WebSocketSession::write_close() {
  if (close_sent_) return;
  close_sent_ = true;
  // The pending read receives the peer's close frame and ends the session.
  ws_.async_close(close_reason_, [self = shared_from_this()](beast::error_code) {});
}

}  // namespace coop::net
