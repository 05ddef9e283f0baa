#include "net/http_session.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <string_view>
#include <variant>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/metrics.hpp"
#include "net/responses.hpp"
#include "net/server_state.hpp"
#include "net/static_files.hpp"
#include "net/websocket_session.hpp"

namespace coop::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::as_tuple;
using asio::use_awaitable;
using Clock = std::chrono::steady_clock;

namespace {

// After an error response the connection closes; reading what the client still sends for a
// while keeps the kernel from answering it with a RST that could destroy our response.
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr std::size_t kLingerBytes = 1024 * 1024;

char to_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
char to_upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), to_lower);
  return out;
}

std::string upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), to_upper);
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return to_lower(x) == to_lower(y);
         });
}

// Label values must stay few: unknown methods are folded into one.
std::string method_label(std::string_view m) {
  for (std::string_view k : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
    if (k == m) return std::string(k);
  return "OTHER";
}

// The path as logged: the raw target without its query (which may carry personal data).
// The path as logged: without the query, at most 200 bytes, and without secrets — a segment that
// looks like a token (32 characters or more, all base64url: invitation and password reset links)
// is logged as "{jeton}", so that reading the log never gives a usable link.
std::string log_path(std::string_view target) {
  auto p = target.substr(0, target.find('?'));
  if (p.empty()) return "-";
  std::string out;
  std::size_t start = 0;
  while (start <= p.size()) {
    std::size_t end = p.find('/', start);
    if (end == std::string_view::npos) end = p.size();
    auto seg = p.substr(start, end - start);
    const bool secret = seg.size() >= 32 && std::all_of(seg.begin(), seg.end(), [](char c) {
      return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
    out += secret ? std::string_view("{jeton}") : seg;
    if (end == p.size()) break;
    out += '/';
    start = end + 1;
  }
  return out.substr(0, 200);
}

bool has_ctl(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

// Takes the router's X-Coop-Route header out of the response: it is the metrics route label.
std::string take_route(http::Response& r) {
  std::string route = "unmatched";
  for (auto it = r.headers.begin(); it != r.headers.end();) {
    if (iequals(it->first, "x-coop-route")) {
      route = std::move(it->second);
      it = r.headers.erase(it);
    } else {
      ++it;
    }
  }
  return route;
}

// A request that breaks the HTTP grammar (as opposed to a connection that ended or timed out).
bool is_syntax_error(const beast::error_code& ec) {
  if (ec.category() != bhttp::make_error_code(bhttp::error::bad_target).category()) return false;
  switch (static_cast<bhttp::error>(ec.value())) {
    case bhttp::error::end_of_stream:
    case bhttp::error::partial_message:
    case bhttp::error::need_more:
    case bhttp::error::need_buffer:
    case bhttp::error::end_of_chunk:
    case bhttp::error::stale_parser:
    case bhttp::error::short_read:
      return false;
    default:
      return true;
  }
}

http::Response internal_error() {
  return json_error(500, "erreur_interne", "Erreur interne du serveur.");
}

void log_exception(std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    spdlog::error("http session: {}", ex.what());
  } catch (...) {
    spdlog::error("http session: unknown exception");
  }
}

}  // namespace

std::string choose_request_id(const std::string* incoming) {
  if (incoming && !incoming->empty() && incoming->size() <= 64 &&
      std::all_of(incoming->begin(), incoming->end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      }))
    return *incoming;
  thread_local std::mt19937_64 rng = [] {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd()};
    return std::mt19937_64(seq);
  }();
  return fmt::format("{:016x}", rng());
}

HttpSession::HttpSession(asio::ip::tcp::socket&& socket, ServerState& state)
    : stream_(std::move(socket)), strand_(stream_.get_executor()), state_(state) {
  beast::error_code ec;
  auto ep = stream_.socket().remote_endpoint(ec);
  if (!ec) remote_addr_ = ep.address().to_string();
  state_.connection_opened();
}

HttpSession::~HttpSession() {
  {
    std::lock_guard lock(state_.mu);
    state_.http_sessions.erase(this);
  }
  state_.connection_closed();
}

void HttpSession::start() {
  {
    std::lock_guard lock(state_.mu);
    state_.http_sessions.emplace(this, weak_from_this());
  }
  asio::co_spawn(strand_, [self = shared_from_this()] { return self->run(); }, log_exception);
}

void HttpSession::request_shutdown() {
  asio::post(strand_, [self = shared_from_this()] {
    if (self->idle_ && !self->upgraded_) self->stream_.cancel();  // the pending read ends the session
  });
}

void HttpSession::force_close() {
  asio::post(strand_, [self = shared_from_this()] {
    if (!self->upgraded_) self->stream_.close();
  });
}

asio::awaitable<void> HttpSession::run() {
  while (co_await serve_one()) {
  }
  if (!upgraded_) {
    beast::error_code ec;
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
    stream_.close();
  }
}

http::Request HttpSession::convert(BeastRequest& breq) const {
  http::Request r;
  r.method = upper(breq.method_string());
  r.target = std::string(breq.target());
  for (const auto& f : breq) {
    auto [it, inserted] = r.headers.try_emplace(lower(f.name_string()), std::string(f.value()));
    if (!inserted) {
      // Repeated fields are one comma-separated list (RFC 9110), except Cookie which uses "; ".
      it->second += it->first == "cookie" ? "; " : ", ";
      it->second += f.value();
    }
  }
  r.body = std::move(breq.body());
  r.remote_addr = remote_addr_;
  auto id = r.headers.find("x-request-id");
  r.request_id = choose_request_id(id == r.headers.end() ? nullptr : &id->second);
  return r;
}

asio::awaitable<bool> HttpSession::serve_one() {
  const auto& opts = state_.opts;
  if (state_.stopping) co_return false;

  // Wait for the first byte: the keep-alive idle time, or the request time on a new connection.
  if (buffer_.size() == 0) {
    stream_.expires_after(first_ ? opts.request_timeout : opts.idle_timeout);
    idle_ = true;
    auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(4096), as_tuple(use_awaitable));
    idle_ = false;
    if (ec) co_return false;  // closed by the client, idle timeout, or shutdown: nothing to answer
    buffer_.commit(n);
  }
  first_ = false;

  // A new parser for each request; one deadline for its header and body.
  const auto started = Clock::now();
  stream_.expires_after(opts.request_timeout);
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(
      std::min<std::size_t>(opts.header_limit, std::numeric_limits<std::uint32_t>::max())));
  // Beast checks a Content-Length against the limit while reading the header: the largest limit
  // first, the request's own once its route is known (below).
  std::size_t body_limit = opts.body_limit;
  for (const auto& rl : opts.route_body_limits) body_limit = std::max(body_limit, rl.second);
  parser.body_limit(body_limit);

  auto read_failed = [&](const beast::error_code& ec) -> asio::awaitable<bool> {
    http::Response res;
    if (ec == bhttp::error::header_limit)
      res = json_error(431, "entetes_trop_grands", "En-têtes HTTP trop volumineux.");
    else if (ec == bhttp::error::body_limit)
      res = json_error(413, "corps_trop_grand", "Corps de requête trop volumineux.");
    else if (is_syntax_error(ec))
      res = bad_request();
    else
      co_return false;  // end of stream, timeout, reset: the client is gone
    std::string rid, method = "OTHER", path = "-";
    if (parser.is_header_done()) {
      auto& h = parser.get();
      std::string incoming(h["X-Request-Id"]);
      rid = choose_request_id(&incoming);
      method = upper(h.method_string());
      path = log_path(h.target());
    } else {
      rid = choose_request_id(nullptr);
    }
    const int status = res.status;
    co_await write(std::move(res), 11, false, false, rid);
    record("unmatched", method, path, status, rid, started);
    co_await linger_close();
    co_return false;
  };

  {
    auto [ec, n] = co_await bhttp::async_read_header(stream_, buffer_, parser, as_tuple(use_awaitable));
    if (ec) co_return co_await read_failed(ec);
  }
  auto& breq = parser.get();
  if (!opts.route_body_limits.empty()) {  // some routes take larger bodies (file uploads)
    const std::string_view target = breq.target();
    const std::string route = std::string(breq.method_string()) + " " + std::string(target.substr(0, target.find('?')));
    std::size_t limit = opts.body_limit;
    for (const auto& [r, l] : opts.route_body_limits)
      if (r == route) limit = std::max(limit, l);
    if (auto len = parser.content_length(); len && *len > limit)
      co_return co_await read_failed(bhttp::error::body_limit);
    parser.body_limit(limit);  // chunked bodies: counted as they come
  }

  if (!parser.is_done()) {
    if (iequals(breq[bhttp::field::expect], "100-continue")) {
      bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, breq.version()};
      auto [ec, n] = co_await bhttp::async_write(stream_, cont, as_tuple(use_awaitable));
      if (ec) co_return false;
    }
    auto [ec, n] = co_await bhttp::async_read(stream_, buffer_, parser, as_tuple(use_awaitable));
    if (ec) co_return co_await read_failed(ec);
  }

  const unsigned version = breq.version();
  const bool keep_alive = breq.keep_alive();
  const bool head = breq.method() == bhttp::verb::head;
  http::Request req = convert(breq);
  const bool target_ok = req.parse_target();

  // WebSocket upgrade on /ws (an upgrade anywhere else is answered as a plain request).
  if (target_ok && req.path == "/ws" && beast::websocket::is_upgrade(breq)) {
    auto auth = co_await asio::co_spawn(
        state_.pool,
        [&]() -> asio::awaitable<std::variant<http::WebSocketPeer, http::Response>> {
          try {
            co_return state_.app.authorize_websocket(req);
          } catch (const std::exception& e) {
            spdlog::error("authorize_websocket request_id={}: {}", req.request_id, e.what());
            co_return internal_error();
          }
        },
        use_awaitable);
    if (!std::holds_alternative<http::Response>(auth) && state_.stopping)
      auth = json_error(503, "service_indisponible", "Le serveur redémarre, réessayez dans un instant.");
    if (auto* refused = std::get_if<http::Response>(&auth)) {
      take_route(*refused);
      const int status = refused->status;
      co_await write(std::move(*refused), version, false, false, req.request_id);
      record("/ws", req.method, "/ws", status, req.request_id, started);
      co_await linger_close();
      co_return false;
    }
    record("/ws", req.method, "/ws", 101, req.request_id, started);
    stream_.expires_never();  // the WebSocket timeouts take over
    upgraded_ = true;
    auto ws = std::make_shared<WebSocketSession>(std::move(stream_), state_,
                                                 std::get<http::WebSocketPeer>(std::move(auth)), remote_addr_);
    ws->start(parser.release(), req.request_id);
    co_return false;
  }

  http::Response res;
  std::string route = "unmatched";
  if (!target_ok) {
    res = bad_request();
  } else if (state_.statics && (req.method == "GET" || req.method == "HEAD") &&
             !StaticFiles::is_app_path(req.path)) {
    route = "static";
    res = co_await asio::co_spawn(
        state_.pool,
        [&]() -> asio::awaitable<http::Response> {
          try {
            co_return state_.statics->serve(req);
          } catch (const std::exception& e) {
            spdlog::error("static file request_id={}: {}", req.request_id, e.what());
            co_return internal_error();
          }
        },
        use_awaitable);
  } else {
    // Blocking work (database) runs on the worker pool; this coroutine resumes on its strand.
    res = co_await asio::co_spawn(
        state_.pool,
        [&]() -> asio::awaitable<http::Response> {
          try {
            co_return state_.app.handle(req);
          } catch (const std::exception& e) {
            spdlog::error("handler request_id={}: {}", req.request_id, e.what());
            co_return internal_error();
          }
        },
        use_awaitable);
    route = take_route(res);
  }

  const int status = res.status;
  const bool keep = co_await write(std::move(res), version, keep_alive && !state_.stopping, head, req.request_id);
  record(route, req.method, log_path(req.target), status, req.request_id, started);
  co_return keep;
}

asio::awaitable<bool> HttpSession::write(http::Response r, unsigned version, bool keep_alive, bool head,
                                         const std::string& request_id) {
  if (r.status < 100 || r.status > 999) {
    spdlog::error("request_id={}: invalid status {} from the application", request_id, r.status);
    r = internal_error();
  }
  if (r.flux && !(r.status < 200 || r.status == 204 || r.status == 304)) co_return co_await write_flux(std::move(r), version, keep_alive, head, request_id);
  bhttp::response<bhttp::string_body> res;
  res.version(version);
  res.result(static_cast<unsigned>(r.status));
  res.set(bhttp::field::server, "coop");
  const bool no_body = r.status < 200 || r.status == 204 || r.status == 304;
  if (!no_body && !r.content_type.empty()) res.set(bhttp::field::content_type, r.content_type);
  for (const auto& [name, value] : r.headers) {
    if (name.empty() || has_ctl(name) || has_ctl(value)) {
      spdlog::warn("request_id={}: a response header with control characters was dropped", request_id);
      continue;
    }
    // Framing is ours to decide.
    if (iequals(name, "content-length") || iequals(name, "transfer-encoding") || iequals(name, "connection"))
      continue;
    if (iequals(name, "content-type"))
      res.set(bhttp::field::content_type, value);
    else
      res.insert(name, value);
  }
  res.set("X-Request-Id", request_id);
  res.keep_alive(keep_alive);
  if (no_body) {
    // no Content-Length, no body
  } else if (head) {
    res.content_length(r.body.size());  // what a GET would have sent; the body stays empty
  } else {
    res.body() = std::move(r.body);
    res.prepare_payload();
  }
  // The timeout bounds each step without progress, not the whole transfer: a large file to a
  // slow but live client must not be cut.
  bhttp::response_serializer<bhttp::string_body> sr{res};
  while (!sr.is_done()) {
    stream_.expires_after(state_.opts.request_timeout);
    auto [ec, n] = co_await bhttp::async_write_some(stream_, sr, as_tuple(use_awaitable));
    if (ec) co_return false;
  }
  co_return keep_alive;
}

// A streamed body (http::Flux): the header with the Content-Length, then each piece read on the
// worker pool and written before the next one is read.
asio::awaitable<bool> HttpSession::write_flux(http::Response r, unsigned version, bool keep_alive, bool head,
                                              const std::string& request_id) {
  bhttp::response<bhttp::empty_body> res;
  res.version(version);
  res.result(static_cast<unsigned>(r.status));
  res.set(bhttp::field::server, "coop");
  if (!r.content_type.empty()) res.set(bhttp::field::content_type, r.content_type);
  for (const auto& [name, value] : r.headers) {
    if (name.empty() || has_ctl(name) || has_ctl(value)) continue;
    if (iequals(name, "content-length") || iequals(name, "transfer-encoding") || iequals(name, "connection")) continue;
    res.insert(name, value);
  }
  res.set("X-Request-Id", request_id);
  res.keep_alive(keep_alive);
  res.content_length(r.flux->taille);
  bhttp::response_serializer<bhttp::empty_body> sr{res};
  stream_.expires_after(state_.opts.request_timeout);
  if (auto [ec, n] = co_await bhttp::async_write_header(stream_, sr, as_tuple(use_awaitable)); ec) co_return false;
  if (head) co_return keep_alive;
  constexpr std::size_t kPiece = 256 * 1024;
  const auto flux = r.flux;
  for (std::uint64_t debut = 0; debut < flux->taille;) {
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(kPiece, flux->taille - debut));
    std::optional<std::string> piece;
    piece = co_await asio::co_spawn(
        state_.pool,
        [&]() -> asio::awaitable<std::optional<std::string>> {
          try {
            co_return flux->lire(debut, n);
          } catch (const std::exception& e) {
            spdlog::error("request_id={}: streamed body: {}", request_id, e.what());
            co_return std::nullopt;
          }
        },
        use_awaitable);
    if (!piece || piece->size() != n) {
      if (piece) spdlog::error("request_id={}: streamed body: {} bytes instead of {}", request_id, piece->size(), n);
      co_return false;  // the client sees a short body: never a wrong one
    }
    stream_.expires_after(state_.opts.request_timeout);
    auto [ec, w] = co_await asio::async_write(stream_, asio::buffer(*piece), as_tuple(use_awaitable));
    if (ec) co_return false;
    debut += n;
  }
  co_return keep_alive;
}

asio::awaitable<void> HttpSession::linger_close() {
  beast::error_code ec;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  if (!ec) {
    stream_.expires_after(kLingerTime);
    std::array<char, 4096> sink;
    std::size_t total = 0;
    while (total < kLingerBytes) {
      auto [rec, n] = co_await stream_.async_read_some(asio::buffer(sink), as_tuple(use_awaitable));
      if (rec) break;
      total += n;
    }
  }
  stream_.close();
}

void HttpSession::record(const std::string& route, const std::string& method, const std::string& path, int status,
                         const std::string& request_id, Clock::time_point started) const {
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  auto& metrics = core::Metrics::global();
  const std::string status_label = std::to_string(status);
  metrics.inc("coop_http_requests_total", {{"route", route}, {"method", method_label(method)}, {"status", status_label}});
  metrics.observe("coop_http_request_duration_seconds", {{"route", route}}, seconds);
  spdlog::info("http request_id={} method={} path={} status={} duration_ms={:.2f} remote={}", request_id,
               method.substr(0, 16), path, status, seconds * 1000, remote_addr_);
}

}  // namespace coop::net
