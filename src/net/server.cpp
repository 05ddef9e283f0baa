// Server: the listener, the threads, the bus subscription, and the shutdown sequence.
#include "net/server.hpp"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/metrics.hpp"
#include "net/http_session.hpp"
#include "net/server_state.hpp"
#include "net/static_files.hpp"
#include "net/websocket_session.hpp"

namespace coop::net {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

void register_metrics() {
  static std::once_flag once;
  std::call_once(once, [] {
    auto& m = core::Metrics::global();
    m.describe("coop_http_requests_total", "counter", "HTTP responses by route pattern, method and status.");
    m.describe("coop_http_request_duration_seconds", "histogram",
               "Time from the request's first byte to the end of the response, by route pattern.");
    // Process-wide, so the gauge stays valid whatever servers come and go (tests start several).
    m.gauge_fn("coop_websockets_open", "Open WebSocket connections.",
               [] { return static_cast<double>(open_websockets_in_process()); });
    m.gauge_fn("coop_websocket_queued_bytes", "Bytes waiting in the outgoing queues of every WebSocket.",
               [] { return static_cast<double>(queued_bytes_in_process()); });
    m.describe("coop_websockets_dropped_total", "counter",
               "WebSockets closed by the server: slow_client (outgoing queue full), heartbeat (no pong), "
               "server_behind (the server could not keep up with this socket's events).");
    m.inc("coop_websockets_dropped_total", {{"reason", "slow_client"}}, 0);
    m.inc("coop_websockets_dropped_total", {{"reason", "heartbeat"}}, 0);
    m.inc("coop_websockets_dropped_total", {{"reason", "server_behind"}}, 0);
  });
}

// "session_closed" carries the session id, as a bare string or as a JSON string.
std::string session_id_of(std::string_view payload) {
  while (!payload.empty() && (payload.front() == ' ' || payload.front() == '\n')) payload.remove_prefix(1);
  while (!payload.empty() && (payload.back() == ' ' || payload.back() == '\n')) payload.remove_suffix(1);
  if (payload.size() >= 2 && payload.front() == '"' && payload.back() == '"') {
    payload.remove_prefix(1);
    payload.remove_suffix(1);
  }
  return std::string(payload);
}

void log_exception(const char* what, std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    spdlog::error("{}: {}", what, ex.what());
  }
}

}  // namespace

struct Server::Impl {
  Impl(ServerOptions o, http::Application& a, events::Bus& b)
      : opts(std::move(o)),
        app(a),
        bus(b),
        hub(std::make_shared<WsHub>()),
        statics(opts.static_dir.empty() ? nullptr : std::make_unique<StaticFiles>(opts.static_dir)),
        state(opts, app, pool, *hub, statics.get()),
        ioc(std::max(1, opts.io_threads)),
        pool(static_cast<std::size_t>(std::max(1, opts.worker_threads))),
        listen_strand(asio::make_strand(ioc)),
        acceptor(listen_strand) {
    register_metrics();
    // The subscriber holds the hub, not the server: Bus::publish may still be running it on
    // another thread after unsubscribe() returns.
    subscription = bus.subscribe([hub = hub](const events::Event& e) {
      // A notification always names its recipient: one without (user_id 0) goes nowhere rather
      // than to everyone. Announcements to every socket use the explicit topic "broadcast".
      if (e.topic == "notification" || e.topic == "discussion") {
        // One buffer for every recipient socket (Event::user_ids, else Event::user_id).
        if (!e.user_ids.empty())
          hub->send_to_users(e.user_ids, text_frame(e.payload_json), e.seq);
        else if (e.user_id > 0)
          hub->send_to_users({e.user_id}, text_frame(e.payload_json), e.seq);
      } else if (e.topic == "broadcast") {
        hub->send_to_user(0, text_frame(e.payload_json));
      } else if (e.topic == "session_closed") {
        hub->close_login_session(session_id_of(e.payload_json),
                                 {websocket::close_code::normal, "session closed"});
      }
    });
  }

  ~Impl() {
    bus.unsubscribe(subscription);
    if (!finished) {
      // run() was never called (or failed): stop everything without the graceful part.
      state.stopping = true;
      hub->shut();
      work.reset();
      ioc.stop();
      join_io_threads();
      pool.stop();
      pool.join();
    }
    // Members now die in reverse order: the pool and the io_context destroy the handlers they
    // still hold, hence the sessions, while `state` and `hub` are still alive.
  }

  void start() {
    if (started) return;
    try {
      tcp::endpoint ep(asio::ip::make_address(opts.address), opts.port);
      acceptor.open(ep.protocol());
      acceptor.set_option(asio::socket_base::reuse_address(true));
      acceptor.bind(ep);
      acceptor.listen(asio::socket_base::max_listen_connections);
      bound_port = acceptor.local_endpoint().port();
    } catch (const boost::system::system_error& e) {
      boost::system::error_code ignored;
      acceptor.close(ignored);
      throw std::runtime_error(fmt::format("cannot listen on {}:{}: {}", opts.address, opts.port, e.code().message()));
    }
    asio::co_spawn(listen_strand, listen(), [](std::exception_ptr e) { log_exception("listener", e); });
    started = true;
  }

  asio::awaitable<void> listen() {
    for (;;) {
      // Each connection gets its own strand: with several I/O threads its handlers never race.
      auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(ioc), asio::as_tuple(asio::use_awaitable));
      if (ec) {
        if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
        // EMFILE and friends: wait a little rather than spin.
        spdlog::warn("accept: {}", ec.message());
        asio::steady_timer pause(listen_strand, std::chrono::milliseconds(50));
        co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
        continue;
      }
      if (state.stopping) continue;  // the socket closes as it goes out of scope
      std::make_shared<HttpSession>(tcp::socket(std::move(socket)), state)->start();
    }
  }

  void run() {
    start();
    if (finished) return;
    signals.emplace(listen_strand, SIGINT, SIGTERM);
    signals->async_wait([this](const boost::system::error_code& ec, int sig) {
      if (ec) return;
      spdlog::info("signal {} received: shutting down", sig);
      request_stop();
    });
    work.emplace(ioc.get_executor());
    for (int i = 0; i < std::max(1, opts.io_threads); ++i) io_threads.emplace_back([this] { run_io(); });
    spdlog::debug("listening on http://{}:{} (io_threads={}, worker_threads={}{}{})", opts.address, bound_port,
                 std::max(1, opts.io_threads), std::max(1, opts.worker_threads),
                 opts.static_dir.empty() ? "" : ", static_dir=", opts.static_dir);
    {
      std::unique_lock lock(stop_mu);
      stop_cv.wait(lock, [this] { return stop_requested; });
    }
    shutdown();
  }

  void run_io() {
    for (;;) {
      try {
        ioc.run();
        return;
      } catch (const std::exception& e) {
        spdlog::error("io thread: {}", e.what());
      }
    }
  }

  void request_stop() {
    {
      std::lock_guard lock(stop_mu);
      stop_requested = true;
    }
    stop_cv.notify_all();
  }

  std::vector<std::shared_ptr<HttpSession>> http_sessions() {
    std::vector<std::weak_ptr<HttpSession>> weak;
    {
      std::lock_guard lock(state.mu);
      for (auto& [raw, w] : state.http_sessions) weak.push_back(w);
    }
    std::vector<std::shared_ptr<HttpSession>> out;
    for (auto& w : weak)
      if (auto s = w.lock()) out.push_back(std::move(s));
    return out;  // the caller drops these outside state.mu (a destructor takes it)
  }

  bool wait_for_connections(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(state.mu);
    return state.cv.wait_until(lock, deadline, [this] { return state.live == 0; });
  }

  void shutdown() {
    spdlog::info("shutdown: no new connections; in-flight requests get up to {}s", opts.shutdown_grace.count());
    state.stopping = true;
    asio::post(listen_strand, [this] {
      boost::system::error_code ignored;
      acceptor.close(ignored);
      signals->cancel(ignored);
    });
    // Idle keep-alive connections close now; busy ones after their response (Connection: close).
    for (auto& s : http_sessions()) s->request_shutdown();
    hub->close_all({websocket::close_code::going_away, "server shutting down"});

    if (!wait_for_connections(std::chrono::steady_clock::now() + opts.shutdown_grace)) {
      std::size_t left;
      {
        std::lock_guard lock(state.mu);
        left = state.live;
      }
      spdlog::warn("shutdown: {} connection(s) still open after the grace period: closing them", left);
      for (auto& s : http_sessions()) s->force_close();
      hub->force_close_all();
      wait_for_connections(std::chrono::steady_clock::now() + std::chrono::seconds(1));
    }
    hub->shut();
    work.reset();
    ioc.stop();
    join_io_threads();
    pool.join();  // a handler still running past the grace period is waited for: it cannot be killed
    signals.reset();
    finished = true;
    spdlog::info("shutdown complete");
  }

  void join_io_threads() {
    for (auto& t : io_threads)
      if (t.joinable()) t.join();
    io_threads.clear();
  }

  ServerOptions opts;
  http::Application& app;
  events::Bus& bus;
  std::shared_ptr<WsHub> hub;
  std::unique_ptr<StaticFiles> statics;
  ServerState state;  // refers to `pool`, declared below: used only once the server runs
  asio::io_context ioc;
  asio::thread_pool pool;  // declared after ioc: destroyed first, while sockets can still close
  asio::strand<asio::io_context::executor_type> listen_strand;  // acceptor and signals
  tcp::acceptor acceptor;
  std::optional<asio::signal_set> signals;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::vector<std::thread> io_threads;
  int subscription = 0;
  unsigned short bound_port = 0;
  bool started = false;
  bool finished = false;

  std::mutex stop_mu;
  std::condition_variable stop_cv;
  bool stop_requested = false;
};

Server::Server(ServerOptions options, http::Application& app, events::Bus& bus)
    : impl_(std::make_unique<Impl>(std::move(options), app, bus)) {}

Server::~Server() = default;

void Server::start() { impl_->start(); }

unsigned short Server::port() const { return impl_->bound_port; }

void Server::run() { impl_->run(); }

void Server::stop() { impl_->request_stop(); }

int Server::open_websockets() const { return impl_->hub->size(); }

}  // namespace coop::net
