// Network layer, end to end: a real Server on an ephemeral port, a fake Application, and real
// clients (Beast over TCP, with deadlines so that a bug fails the test instead of hanging it).
#include <gtest/gtest.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <optional>
#include <string>
#include <thread>

#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "core/metrics.hpp"
#include "events/bus.hpp"
#include "http/application.hpp"
#include "net/server.hpp"
#include "net/static_files.hpp"

using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;

namespace {

class FakeApp : public coop::http::Application {
 public:
  std::atomic<int> handled{0};

  coop::http::Response handle(coop::http::Request& req) override {
    ++handled;
    coop::http::Response r;
    if (req.path == "/api/echo") {
      r.content_type = "text/plain; charset=utf-8";
      r.body = req.method + "|" + req.path + "|" + req.request_id + "|" + req.remote_addr + "|" +
               req.header("x-test").value_or("") + "|" + req.body;
      r.set_header("X-Coop-Route", "/api/echo");
      r.set_header("Set-Cookie", "a=1");
      r.set_header("Set-Cookie", "b=2");
      return r;
    }
    if (req.path == "/api/slow") {
      std::this_thread::sleep_for(300ms);
      r.body = R"({"slow":true})";
      r.set_header("X-Coop-Route", "/api/slow");
      return r;
    }
    r.status = 404;
    r.body = R"({"error":{"code":"introuvable","message":"Ressource introuvable."}})";
    return r;
  }

  std::variant<coop::http::WebSocketPeer, coop::http::Response> authorize_websocket(
      const coop::http::Request& req) override {
    auto c = req.cookie("session");
    if (c == "good") return coop::http::WebSocketPeer{42, "sess-1"};
    if (c == "other") return coop::http::WebSocketPeer{7, "sess-2"};
    // "u:<user id>:<log-in session>", for tests with many users and sockets.
    if (c && c->starts_with("u:")) {
      auto colon = c->find(':', 2);
      return coop::http::WebSocketPeer{std::stoll(c->substr(2, colon - 2)), c->substr(colon + 1)};
    }
    coop::http::Response r;
    r.status = 401;
    r.body = R"({"error":{"code":"non_authentifie","message":"Connexion requise."}})";
    return r;
  }

  std::optional<std::string> on_websocket_message(const coop::http::WebSocketPeer& peer,
                                                  const std::string& text) override {
    if (text == "silent") return std::nullopt;
    return "echo:" + std::to_string(peer.user_id) + ":" + text;
  }

  // The event log the replay reads (every user sees every event), and a gate that holds the
  // replay until the test opens it, to publish events while it is being fetched.
  std::mutex replay_mu;
  std::condition_variable replay_cv;
  std::vector<std::pair<std::int64_t, std::string>> log;
  bool gate_closed = false;
  bool replay_fails = false;
  std::int64_t purged_through = 0;  // events up to this seq were purged (retention)
  int replay_calls = 0;

  std::vector<std::pair<std::int64_t, std::string>> websocket_replay(const coop::http::WebSocketPeer&,
                                                                      std::int64_t depuis,
                                                                      std::size_t limite) override {
    std::unique_lock lock(replay_mu);
    ++replay_calls;
    replay_cv.notify_all();
    replay_cv.wait(lock, [&] { return !gate_closed; });
    if (replay_fails) throw std::runtime_error("base indisponible");
    if (depuis < purged_through) throw coop::http::ReplayGone(log.empty() ? 0 : log.back().first);
    std::vector<std::pair<std::int64_t, std::string>> out;
    for (auto& e : log)
      if (e.first > depuis && out.size() < limite) out.push_back(e);
    return out;
  }
};

std::string event_text(std::int64_t seq) {
  return R"({"type":"discussion","seq":)" + std::to_string(seq) + "}";
}

using Response = bhttp::response<bhttp::string_body>;

// Runs one asynchronous operation on `ioc` with a deadline. On timeout, `cancel` is called and
// the operation drained, so no handler outlives this frame.
template <typename Start, typename Cancel>
beast::error_code run_op(asio::io_context& ioc, std::chrono::milliseconds timeout, Start&& start, Cancel&& cancel) {
  beast::error_code result;
  bool done = false;
  start([&](beast::error_code ec, auto&&...) {
    result = ec;
    done = true;
  });
  ioc.restart();
  ioc.run_for(timeout);
  if (!done) {
    cancel();
    ioc.restart();
    ioc.run();
    return asio::error::timed_out;
  }
  return result;
}

// A raw HTTP/1.1 client: sends bytes as they are, parses responses with Beast.
class Client {
 public:
  explicit Client(unsigned short port) : socket_(ioc_) {
    socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }

  void send(std::string_view raw) { asio::write(socket_, asio::buffer(raw.data(), raw.size())); }

  std::optional<Response> read(bool head = false, std::chrono::milliseconds timeout = 5s) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    parser.skip(head);
    auto ec = run_op(
        ioc_, timeout, [&](auto handler) { bhttp::async_read(socket_, buffer_, parser, std::move(handler)); },
        [&] { socket_.cancel(); });
    if (ec) return std::nullopt;
    return parser.release();
  }

  std::optional<Response> request(std::string_view raw, bool head = false) {
    send(raw);
    return read(head);
  }

  // True when the server closes the connection within `timeout` (bytes still sent are skipped).
  bool closed_by_server(std::chrono::milliseconds timeout = 5s) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    char sink[4096];
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left <= 0ms) return false;
      auto ec = run_op(
          ioc_, left, [&](auto handler) { socket_.async_read_some(asio::buffer(sink), std::move(handler)); },
          [&] { socket_.cancel(); });
      if (ec == asio::error::timed_out) return false;
      if (ec) return true;  // eof or reset
    }
  }

 private:
  asio::io_context ioc_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

class WsClient {
 public:
  // `receive_buffer`: the socket's SO_RCVBUF when non-zero (a small one makes a client that
  // does not read stall the server's writes sooner).
  explicit WsClient(unsigned short port, int receive_buffer = 0) : ws_(ioc_) {
    auto& sock = beast::get_lowest_layer(ws_).socket();
    sock.open(tcp::v4());
    if (receive_buffer > 0) sock.set_option(asio::socket_base::receive_buffer_size(receive_buffer));
    sock.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }

  // Handshake on /ws with the given session cookie; `res` is the server's answer.
  beast::error_code handshake(const std::string& cookie, websocket::response_type& res) {
    ws_.set_option(websocket::stream_base::decorator([cookie](websocket::request_type& req) {
      if (!cookie.empty()) req.set(bhttp::field::cookie, "session=" + cookie);
      req.set(bhttp::field::origin, "http://127.0.0.1");
    }));
    return run_op(
        ioc_, 5s, [&](auto handler) { ws_.async_handshake(res, "127.0.0.1", "/ws", std::move(handler)); },
        [&] { beast::get_lowest_layer(ws_).close(); });
  }

  beast::error_code write(const std::string& text) {
    return run_op(
        ioc_, 5s, [&](auto handler) { ws_.async_write(asio::buffer(text), std::move(handler)); },
        [&] { beast::get_lowest_layer(ws_).close(); });
  }

  // The next text message, or the error that ended the connection.
  std::pair<beast::error_code, std::string> read(std::chrono::milliseconds timeout = 5s) {
    beast::flat_buffer buffer;
    auto ec = run_op(
        ioc_, timeout, [&](auto handler) { ws_.async_read(buffer, std::move(handler)); },
        [&] { beast::get_lowest_layer(ws_).close(); });
    return {ec, beast::buffers_to_string(buffer.data())};
  }

  websocket::close_reason reason() const { return ws_.reason(); }

  // Messages written from now on go in fragments of `bytes` (at least 8, Beast's minimum).
  void fragment(std::size_t bytes) {
    ws_.auto_fragment(true);
    ws_.write_buffer_bytes(bytes);
  }
  beast::error_code ping(const std::string& payload) {
    return run_op(
        ioc_, 5s, [&](auto handler) { ws_.async_ping(websocket::ping_data(payload.c_str()), std::move(handler)); },
        [&] { beast::get_lowest_layer(ws_).close(); });
  }
  // Pongs received while reading.
  std::vector<std::string>& pongs() {
    ws_.control_callback([this](websocket::frame_type kind, beast::string_view payload) {
      if (kind == websocket::frame_type::pong) pongs_.emplace_back(payload);
    });
    return pongs_;
  }
  // The closing handshake started by the client: no error once the server has answered it.
  beast::error_code close(websocket::close_code code) {
    return run_op(
        ioc_, 5s, [&](auto handler) { ws_.async_close(code, std::move(handler)); },
        [&] { beast::get_lowest_layer(ws_).close(); });
  }
  // Bytes written on the socket as they are, past Beast's framing.
  void raw_write(const std::string& bytes) { asio::write(beast::get_lowest_layer(ws_).socket(), asio::buffer(bytes)); }

 private:
  asio::io_context ioc_;
  websocket::stream<beast::tcp_stream> ws_;
  std::vector<std::string> pongs_;
};

std::string gunzip(const std::string& in) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) return {};
  std::string out;
  char chunk[16384];
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  int rc;
  do {
    zs.next_out = reinterpret_cast<Bytef*>(chunk);
    zs.avail_out = sizeof chunk;
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(chunk, sizeof chunk - zs.avail_out);
  } while (rc == Z_OK);
  inflateEnd(&zs);
  return rc == Z_STREAM_END ? out : std::string();
}

bool wait_until(const std::function<bool()>& cond, std::chrono::milliseconds timeout = 3s) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (cond()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return cond();
}

// A sample's value in the /metrics text ("name{labels}" exactly as rendered), 0 when absent.
double metric(const std::string& sample) {
  std::string text = coop::core::Metrics::global().render();
  auto at = text.find("\n" + sample + " ");
  if (at == std::string::npos) return 0;
  return std::stod(text.substr(at + sample.size() + 2));
}

class NetServer : public ::testing::Test {
 protected:
  coop::net::ServerOptions options() {
    coop::net::ServerOptions o;
    o.address = "127.0.0.1";
    o.port = 0;
    o.io_threads = 2;
    o.worker_threads = 2;
    o.request_timeout = 5s;
    o.idle_timeout = 5s;
    o.shutdown_grace = 5s;
    return o;
  }

  void start(coop::net::ServerOptions o) {
    server_ = std::make_unique<coop::net::Server>(std::move(o), app_, bus_);
    server_->start();
    port_ = server_->port();
    thread_ = std::thread([this] {
      server_->run();
      run_returned_ = true;
    });
  }
  void start() { start(options()); }

  // Stops the server and waits for run() to return; returns how long that took.
  std::chrono::milliseconds stop() {
    auto t0 = std::chrono::steady_clock::now();
    if (thread_.joinable()) {
      server_->stop();
      thread_.join();
    }
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
  }

  void TearDown() override { stop(); }

  FakeApp app_;
  coop::events::Bus bus_;
  std::unique_ptr<coop::net::Server> server_;
  std::thread thread_;
  std::atomic<bool> run_returned_{false};
  unsigned short port_ = 0;
};

constexpr const char* kBadRequestBody = R"({"error":{"code":"requete_invalide","message":"Requête HTTP invalide."}})";

}  // namespace

TEST_F(NetServer, EphemeralPortAndKeepAlive) {
  start();
  ASSERT_NE(port_, 0);
  Client c(port_);
  auto r1 = c.request("GET /api/echo HTTP/1.1\r\nHost: x\r\nX-Test: one\r\n\r\n");
  ASSERT_TRUE(r1);
  EXPECT_EQ(r1->result_int(), 200);
  EXPECT_EQ((*r1)[bhttp::field::server], "coop");
  EXPECT_EQ((*r1)[bhttp::field::content_type], "text/plain; charset=utf-8");
  EXPECT_TRUE(r1->keep_alive());
  EXPECT_EQ(r1->find("X-Coop-Route"), r1->end()) << "the route label is internal";
  EXPECT_EQ(r1->count(bhttp::field::set_cookie), 2u);
  EXPECT_TRUE(r1->body().starts_with("GET|/api/echo|")) << r1->body();
  EXPECT_NE(r1->body().find("|127.0.0.1|one|"), std::string::npos) << r1->body();

  // Second request on the same connection, with a body.
  auto r2 = c.request("POST /api/echo?x=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->result_int(), 200);
  EXPECT_TRUE(r2->body().starts_with("POST|/api/echo|")) << r2->body();
  EXPECT_TRUE(r2->body().ends_with("|hello"));

  // Pipelined: two requests in one write, two responses in order.
  c.send("GET /api/echo HTTP/1.1\r\nHost: x\r\nX-Test: p1\r\n\r\nGET /api/echo HTTP/1.1\r\nHost: x\r\nX-Test: p2\r\n\r\n");
  auto p1 = c.read();
  auto p2 = c.read();
  ASSERT_TRUE(p1 && p2);
  EXPECT_NE(p1->body().find("|p1|"), std::string::npos);
  EXPECT_NE(p2->body().find("|p2|"), std::string::npos);

  // Connection: close is honoured.
  auto r3 = c.request("GET /api/echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(r3);
  EXPECT_FALSE(r3->keep_alive());
  EXPECT_TRUE(c.closed_by_server());
}

TEST_F(NetServer, HeadHasLengthButNoBody) {
  start();
  Client c(port_);
  auto get = c.request("GET /api/echo HTTP/1.1\r\nHost: x\r\nX-Request-Id: same\r\n\r\n");
  auto head = c.request("HEAD /api/echo HTTP/1.1\r\nHost: x\r\nX-Request-Id: same\r\n\r\n", true);
  ASSERT_TRUE(get && head);
  EXPECT_EQ(head->result_int(), 200);
  EXPECT_TRUE(head->body().empty());
  EXPECT_EQ((*head)[bhttp::field::content_length], std::to_string(get->body().size() + 1));  // "HEAD" vs "GET"
  // The connection is still usable after a HEAD.
  auto again = c.request("GET /api/echo HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->result_int(), 200);
}

TEST_F(NetServer, RequestIdEchoedOrGenerated) {
  start();
  Client c(port_);
  auto r = c.request("GET /api/echo HTTP/1.1\r\nHost: x\r\nX-Request-Id: abc-DEF_123\r\n\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)["X-Request-Id"], "abc-DEF_123");
  EXPECT_NE(r->body().find("|abc-DEF_123|"), std::string::npos) << "the application sees the same id";

  // Unsafe ids are replaced by a generated 16-hex-digit one.
  for (std::string bad : {std::string("has space"), std::string(65, 'a'), std::string("quote\"")}) {
    auto g = c.request("GET /api/echo HTTP/1.1\r\nHost: x\r\nX-Request-Id: " + bad + "\r\n\r\n");
    ASSERT_TRUE(g);
    std::string id((*g)["X-Request-Id"]);
    EXPECT_EQ(id.size(), 16u) << id;
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
    EXPECT_NE(g->body().find("|" + id + "|"), std::string::npos);
  }
  // Error responses carry one too.
  auto nf = c.request("GET /api/nothing HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(nf);
  EXPECT_EQ(nf->result_int(), 404);
  EXPECT_EQ((*nf)["X-Request-Id"].size(), 16u);
}

TEST_F(NetServer, MalformedRequestGets400AndClose) {
  start();
  {
    Client c(port_);
    auto r = c.request("THIS IS NOT HTTP\r\n\r\n");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->result_int(), 400);
    EXPECT_EQ(r->body(), kBadRequestBody);
    EXPECT_EQ((*r)[bhttp::field::content_type], "application/json; charset=utf-8");
    EXPECT_FALSE((*r)["X-Request-Id"].empty());
    EXPECT_TRUE(c.closed_by_server());
  }
  {
    Client c(port_);  // bad header line
    auto r = c.request("GET / HTTP/1.1\r\nHost x\r\n\r\n");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->result_int(), 400);
  }
  {
    Client c(port_);  // a target that is not a valid origin-form URL (Request::parse_target)
    auto r = c.request("GET /api/echo%zz HTTP/1.1\r\nHost: x\r\n\r\n");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->result_int(), 400);
    EXPECT_EQ(r->body(), kBadRequestBody);
  }
  {
    Client c(port_);  // Content-Length and chunked together: a request smuggling attempt
    auto r = c.request(
        "POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
        "0\r\n\r\n");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->result_int(), 400);
  }
  // The server still serves.
  Client c(port_);
  auto ok = c.request("GET /api/echo HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->result_int(), 200);
}

TEST_F(NetServer, BodyTooLargeGets413) {
  auto o = options();
  o.body_limit = 1024;
  start(o);
  {
    Client c(port_);
    std::string body(5000, 'x');
    auto r = c.request("POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" + body);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->result_int(), 413);
    EXPECT_NE(r->body().find(R"("code":"corps_trop_grand")"), std::string::npos) << r->body();
    EXPECT_FALSE(r->keep_alive());
  }
  {
    // Expect: 100-continue with a declared length over the limit: refused before the body.
    Client c(port_);
    auto r = c.request("POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 999999\r\nExpect: 100-continue\r\n\r\n");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->result_int(), 413);
  }
  {
    // Chunked: the limit applies as the body arrives.
    Client c(port_);
    std::string chunk(800, 'y');
    auto r = c.request("POST /api/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n320\r\n" + chunk +
                       "\r\n320\r\n" + chunk + "\r\n0\r\n\r\n");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->result_int(), 413);
  }
  {
    // Expect: 100-continue within the limit: "100 Continue", then the final response.
    Client c(port_);
    c.send("POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
    auto cont = c.read(true);
    ASSERT_TRUE(cont);
    EXPECT_EQ(cont->result_int(), 100);
    auto r = c.request("abc");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->result_int(), 200);
    EXPECT_TRUE(r->body().ends_with("|abc"));
  }
}

TEST_F(NetServer, HeaderTooLargeGets431) {
  auto o = options();
  o.header_limit = 2048;
  start(o);
  Client c(port_);
  auto r = c.request("GET /api/echo HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4000, 'a') + "\r\n\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 431);
  EXPECT_NE(r->body().find(R"({"error":{"code":")"), std::string::npos);
  EXPECT_TRUE(c.closed_by_server());
}

TEST_F(NetServer, SilentOrSlowClientsTimeOut) {
  auto o = options();
  o.request_timeout = 1s;
  o.idle_timeout = 1s;
  start(o);
  auto t0 = std::chrono::steady_clock::now();
  Client silent(port_);
  Client partial(port_);
  partial.send("GET /api/echo HTTP/1.1\r\nHost");
  EXPECT_TRUE(silent.closed_by_server(4s));
  EXPECT_TRUE(partial.closed_by_server(4s));
  // Keep-alive idle: closed after one response and a quiet second.
  Client idle(port_);
  ASSERT_TRUE(idle.request("GET /api/echo HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_TRUE(idle.closed_by_server(4s));
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 6s);
}

TEST_F(NetServer, MetricsCountRoutesNotPaths) {
  start();
  Client c(port_);
  ASSERT_TRUE(c.request("GET /api/echo HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(c.request("GET /api/zzz-unknown-1 HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(c.request("BREW /api/echo HTTP/1.1\r\nHost: x\r\n\r\n"));
  // A response is counted once written: the client may read it a moment before.
  std::string text;
  EXPECT_TRUE(wait_until([&] {
    text = coop::core::Metrics::global().render();
    return text.find(R"(route="/api/echo",method="OTHER")") != std::string::npos;
  }));
  EXPECT_NE(text.find(R"(coop_http_requests_total{route="/api/echo",method="GET",status="200"})"), std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(coop_http_requests_total{route="unmatched",method="GET",status="404"})"), std::string::npos);
  EXPECT_NE(text.find(R"(route="/api/echo",method="OTHER")"), std::string::npos);
  EXPECT_EQ(text.find("zzz-unknown"), std::string::npos) << "paths must not become labels";
  EXPECT_NE(text.find(R"(coop_http_request_duration_seconds_count{route="/api/echo"})"), std::string::npos);
  EXPECT_NE(text.find("coop_websockets_open"), std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// Static files

class NetStatic : public NetServer {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("coop-net-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    std::filesystem::create_directories(dir_ / "assets");
    write("index.html", index_);
    js_ = "export function hello() {\n" + std::string(50, ' ') + "return 'bonjour';\n}\n";
    for (int i = 0; i < 50; ++i) js_ += "console.log('ligne " + std::to_string(i) + "');\n";
    write("assets/app-3f2a9c.js", js_);
    write("assets/logo-1234.png", std::string("\x89PNG\r\n\x1a\n", 8) + std::string(200, '\0'));
    write("robots.txt", "User-agent: *\n");
    write(".env", "SECRET=1\n");
    std::filesystem::create_symlink("/etc/hostname", dir_ / "escape.txt");
    auto o = options();
    o.static_dir = dir_.string();
    start(o);
  }
  void TearDown() override {
    NetServer::TearDown();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  void write(const std::string& rel, const std::string& content) {
    std::ofstream(dir_ / rel, std::ios::binary) << content;
  }
  static std::string get(const std::string& target, const std::string& extra = "") {
    return "GET " + target + " HTTP/1.1\r\nHost: x\r\n" + extra + "\r\n";
  }

  static inline int counter_ = 0;
  std::filesystem::path dir_;
  std::string index_ = "<!doctype html><html><body><div id=root></div></body></html>\n";
  std::string js_;
};

TEST_F(NetStatic, ServesFilesWithTypeAndCachePolicy) {
  Client c(port_);
  auto js = c.request(get("/assets/app-3f2a9c.js"));
  ASSERT_TRUE(js);
  EXPECT_EQ(js->result_int(), 200);
  EXPECT_EQ(js->body(), js_);
  EXPECT_EQ((*js)[bhttp::field::content_type], "text/javascript; charset=utf-8");
  EXPECT_EQ((*js)[bhttp::field::cache_control], "public, max-age=31536000, immutable");
  EXPECT_EQ((*js)[bhttp::field::vary], "Accept-Encoding");
  EXPECT_TRUE((*js)[bhttp::field::content_encoding].empty());

  auto png = c.request(get("/assets/logo-1234.png"));
  ASSERT_TRUE(png);
  EXPECT_EQ((*png)[bhttp::field::content_type], "image/png");
  EXPECT_EQ(png->body().size(), 208u);

  auto root = c.request(get("/"));
  ASSERT_TRUE(root);
  EXPECT_EQ(root->body(), index_);
  EXPECT_EQ((*root)[bhttp::field::content_type], "text/html; charset=utf-8");
  EXPECT_EQ((*root)[bhttp::field::cache_control], "no-cache");

  auto txt = c.request(get("/robots.txt"));
  ASSERT_TRUE(txt);
  EXPECT_EQ((*txt)[bhttp::field::content_type], "text/plain; charset=utf-8");
  EXPECT_EQ((*txt)[bhttp::field::cache_control], "no-cache");

  auto head = c.request("HEAD /assets/app-3f2a9c.js HTTP/1.1\r\nHost: x\r\n\r\n", true);
  ASSERT_TRUE(head);
  EXPECT_EQ((*head)[bhttp::field::content_length], std::to_string(js_.size()));
  EXPECT_TRUE(head->body().empty());
}

TEST_F(NetStatic, LargeFileArrivesWhole) {
  std::string big(3 * 1024 * 1024 + 17, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 7919 % 251);
  write("assets/photo-9.webp", big);
  Client c(port_);
  auto r = c.request(get("/assets/photo-9.webp", "Accept-Encoding: gzip\r\n"));
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)[bhttp::field::content_type], "image/webp");
  EXPECT_TRUE(r->body() == big);
}

TEST_F(NetStatic, GzipWhenAcceptedAndCached) {
  Client c(port_);
  for (int i = 0; i < 2; ++i) {  // the second answer comes from the compressed cache
    auto r = c.request(get("/assets/app-3f2a9c.js", "Accept-Encoding: br, gzip;q=0.8\r\n"));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->result_int(), 200);
    EXPECT_EQ((*r)[bhttp::field::content_encoding], "gzip");
    EXPECT_LT(r->body().size(), js_.size());
    EXPECT_EQ(gunzip(r->body()), js_);
  }
  auto refused = c.request(get("/assets/app-3f2a9c.js", "Accept-Encoding: gzip;q=0\r\n"));
  ASSERT_TRUE(refused);
  EXPECT_TRUE((*refused)[bhttp::field::content_encoding].empty());
  auto png = c.request(get("/assets/logo-1234.png", "Accept-Encoding: gzip\r\n"));
  ASSERT_TRUE(png);
  EXPECT_TRUE((*png)[bhttp::field::content_encoding].empty()) << "images are not recompressed";
}

TEST_F(NetStatic, ETagGives304) {
  Client c(port_);
  auto first = c.request(get("/assets/app-3f2a9c.js"));
  ASSERT_TRUE(first);
  std::string etag((*first)[bhttp::field::etag]);
  ASSERT_FALSE(etag.empty());
  auto again = c.request(get("/assets/app-3f2a9c.js", "If-None-Match: W/\"other\", " + etag + "\r\n"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->result_int(), 304);
  EXPECT_TRUE(again->body().empty());
  EXPECT_EQ((*again)[bhttp::field::etag], etag);
  auto changed = c.request(get("/assets/app-3f2a9c.js", "If-None-Match: \"stale\"\r\n"));
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->result_int(), 200);
  // The compressed representation has its own validator, which revalidates too.
  auto gz = c.request(get("/assets/app-3f2a9c.js", "Accept-Encoding: gzip\r\n"));
  ASSERT_TRUE(gz);
  std::string gz_etag((*gz)[bhttp::field::etag]);
  EXPECT_NE(gz_etag, etag);
  auto gz304 = c.request(get("/assets/app-3f2a9c.js", "Accept-Encoding: gzip\r\nIf-None-Match: " + gz_etag + "\r\n"));
  ASSERT_TRUE(gz304);
  EXPECT_EQ(gz304->result_int(), 304);
}

TEST_F(NetStatic, ClientRoutesFallBackToIndex) {
  Client c(port_);
  for (auto target : {"/some/route", "/activites/12", "/some/route?tab=2"}) {
    auto r = c.request(get(target));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->result_int(), 200) << target;
    EXPECT_EQ(r->body(), index_);
    EXPECT_EQ((*r)[bhttp::field::cache_control], "no-cache");
  }
  auto missing = c.request(get("/assets/missing-123.js"));
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->result_int(), 404);
  EXPECT_EQ(app_.handled.load(), 0) << "static paths never reach the application";
}

TEST_F(NetStatic, TraversalAndHiddenFilesRefused) {
  Client c(port_);
  for (auto target : {"/../etc/passwd", "/assets/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
                      "/..%2f..%2fetc%2fpasswd", "/a%00b.js", "/.env", "/escape.txt"}) {
    auto r = c.request(get(target));
    ASSERT_TRUE(r) << target;
    EXPECT_TRUE(r->result_int() == 400 || r->result_int() == 404) << target << " -> " << r->result_int();
    EXPECT_EQ(r->body().find("root:"), std::string::npos);
    EXPECT_EQ(r->body().find("SECRET"), std::string::npos);
  }
}

TEST_F(NetStatic, ApplicationPathsAndOtherMethodsGoToTheApplication) {
  Client c(port_);
  auto api = c.request(get("/api/echo"));
  ASSERT_TRUE(api);
  EXPECT_TRUE(api->body().starts_with("GET|/api/echo|"));
  auto post = c.request("POST /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->result_int(), 404);  // FakeApp's 404
  auto metrics = c.request(get("/metrics"));
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->result_int(), 404);
  EXPECT_EQ(app_.handled.load(), 3);
}

TEST(NetStaticFiles, HelpersAreStrict) {
  using coop::net::StaticFiles;
  EXPECT_TRUE(StaticFiles::is_app_path("/api"));
  EXPECT_TRUE(StaticFiles::is_app_path("/api/users"));
  EXPECT_TRUE(StaticFiles::is_app_path("/ws"));
  EXPECT_TRUE(StaticFiles::is_app_path("/metrics"));
  EXPECT_FALSE(StaticFiles::is_app_path("/apiculture"));
  EXPECT_FALSE(StaticFiles::is_app_path("/"));
  EXPECT_TRUE(StaticFiles::accepts_gzip("gzip, deflate, br"));
  EXPECT_TRUE(StaticFiles::accepts_gzip("*"));
  EXPECT_FALSE(StaticFiles::accepts_gzip("gzip;q=0, *"));
  EXPECT_FALSE(StaticFiles::accepts_gzip("br"));
  EXPECT_FALSE(StaticFiles::accepts_gzip(""));
  EXPECT_EQ(StaticFiles::content_type("woff2"), "font/woff2");
  EXPECT_EQ(StaticFiles::content_type("MJS"), "text/javascript; charset=utf-8");
  EXPECT_EQ(StaticFiles::content_type("webmanifest"), "application/manifest+json");
  EXPECT_EQ(StaticFiles::content_type("exe"), "application/octet-stream");
  EXPECT_TRUE(StaticFiles::compressible("svg"));
  EXPECT_FALSE(StaticFiles::compressible("woff2"));
}

// ---------------------------------------------------------------------------------------------
// WebSocket

TEST_F(NetServer, WebSocketRefusedWithoutSession) {
  start();
  WsClient ws(port_);
  websocket::response_type res;
  auto ec = ws.handshake("", res);
  EXPECT_TRUE(ec);
  EXPECT_EQ(res.result_int(), 401);
  EXPECT_NE(res.body().find("non_authentifie"), std::string::npos) << res.body();
  EXPECT_EQ(server_->open_websockets(), 0);

  // An upgrade elsewhere than /ws is a plain request for the application.
  Client c(port_);
  auto r = c.request(
      "GET /api/socket HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
      "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 404);
}

TEST_F(NetServer, WebSocketNotificationsRepliesAndLogout) {
  start();
  WsClient alice(port_);
  WsClient bob(port_);
  websocket::response_type res;
  ASSERT_FALSE(alice.handshake("good", res));
  EXPECT_EQ(res.result_int(), 101);
  EXPECT_EQ(res[bhttp::field::server], "coop");
  EXPECT_FALSE(res["X-Request-Id"].empty());
  ASSERT_FALSE(bob.handshake("other", res));
  ASSERT_TRUE(wait_until([&] { return server_->open_websockets() == 2; }));
  EXPECT_NE(coop::core::Metrics::global().render().find("coop_websockets_open 2"), std::string::npos);

  // A notification reaches its user only.
  bus_.publish({"notification", 42, R"({"type":"notification","message":"Bonjour"})"});
  auto [ec, text] = alice.read();
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(text, R"({"type":"notification","message":"Bonjour"})");
  bus_.publish({"notification", 7, R"({"for":"bob"})"});
  auto [ec_b, text_b] = bob.read();
  ASSERT_FALSE(ec_b);
  EXPECT_EQ(text_b, R"({"for":"bob"})");
  // Other topics are ignored.
  bus_.publish({"activite_creee", 42, R"({"ignored":true})"});

  // A message gets the application's reply; a message without reply gets nothing.
  ASSERT_FALSE(alice.write("silent"));
  ASSERT_FALSE(alice.write("ping"));
  auto [ec2, reply] = alice.read();
  ASSERT_FALSE(ec2);
  EXPECT_EQ(reply, "echo:42:ping");

  // Logging out (session_closed with the session id) closes that session's sockets only.
  bus_.publish({"session_closed", 42, "sess-1"});
  auto [ec3, rest] = alice.read();
  EXPECT_EQ(ec3, websocket::error::closed) << ec3.message();
  ASSERT_TRUE(wait_until([&] { return server_->open_websockets() == 1; }));
  bus_.publish({"notification", 7, R"({"still":"here"})"});
  auto [ec4, still] = bob.read();
  ASSERT_FALSE(ec4);
  EXPECT_EQ(still, R"({"still":"here"})");
}

TEST_F(NetServer, WebSocketFramingFragmentsPingsClosesAndViolations) {
  start();
  WsClient a(port_);
  websocket::response_type res;
  ASSERT_FALSE(a.handshake("good", res));
  ASSERT_TRUE(wait_until([&] { return server_->open_websockets() == 1; }));
  // A message in 8-byte fragments is read whole.
  a.fragment(8);
  const std::string long_text = "un message écrit en beaucoup de morceaux, accents compris";
  ASSERT_FALSE(a.write(long_text));
  auto [ec1, got1] = a.read();
  ASSERT_FALSE(ec1) << ec1.message();
  EXPECT_TRUE(got1.starts_with("echo:") && got1.ends_with(":" + long_text)) << got1;
  // A ping is answered with its payload, before the reply to what was written after it.
  auto& pongs = a.pongs();
  ASSERT_FALSE(a.ping("coucou"));
  ASSERT_FALSE(a.write("après le ping"));
  auto [ec2, got2] = a.read();
  ASSERT_FALSE(ec2) << ec2.message();
  EXPECT_TRUE(got2.ends_with(":après le ping")) << got2;
  ASSERT_EQ(pongs.size(), 1u);
  EXPECT_EQ(pongs[0], "coucou");
  // The client's close is echoed: a clean closing handshake.
  EXPECT_FALSE(a.close(websocket::close_code::normal));
  EXPECT_TRUE(wait_until([&] { return server_->open_websockets() == 0; }));

  // An unmasked frame from a client breaks RFC 6455: the server closes with 1002.
  WsClient b(port_);
  ASSERT_FALSE(b.handshake("good", res));
  b.raw_write(std::string("\x81\x02hi", 4));
  auto [ec3, got3] = b.read();
  EXPECT_EQ(ec3, websocket::error::closed) << ec3.message();
  EXPECT_EQ(b.reason().code, websocket::close_code::protocol_error);
  // Text that is not UTF-8: 1007.
  WsClient c(port_);
  ASSERT_FALSE(c.handshake("good", res));
  c.raw_write(std::string("\x81\x82\0\0\0\0\xc3\x28", 8));
  auto [ec4, got4] = c.read();
  EXPECT_EQ(ec4, websocket::error::closed) << ec4.message();
  EXPECT_EQ(b.reason().code, websocket::close_code::protocol_error);
  EXPECT_EQ(c.reason().code, websocket::close_code::bad_payload);
  EXPECT_TRUE(wait_until([&] { return server_->open_websockets() == 0; }));
}

TEST_F(NetServer, WebSocketSlowReaderIsClosedWhenItsQueueOverflows) {
  auto o = options();
  o.ws_queue_limit = 2;
  start(o);
  WsClient ws(port_);
  websocket::response_type res;
  ASSERT_FALSE(ws.handshake("good", res));
  ASSERT_TRUE(wait_until([&] { return server_->open_websockets() == 1; }));
  const std::string big(1024 * 1024, 'n');
  for (int i = 0; i < 40; ++i) bus_.publish({"notification", 42, big});
  // The client reads what was written before the overflow, then the policy close.
  beast::error_code ec;
  for (int i = 0; i < 40 && !ec; ++i) ec = ws.read().first;
  EXPECT_EQ(ec, websocket::error::closed) << ec.message();
  EXPECT_EQ(ws.reason().code, websocket::close_code::policy_error);
  EXPECT_TRUE(wait_until([&] { return server_->open_websockets() == 0; }));
}

TEST_F(NetServer, WebSocketSlowReaderIsDroppedAndMemoryStaysBounded) {
  auto o = options();
  o.ws_queue_limit = 100000;      // the byte bound is the one reached
  o.ws_queue_bytes = 256 * 1024;
  start(o);
  WsClient slow(port_, 4096);  // never reads (until it is dropped)
  WsClient normal(port_);
  websocket::response_type res;
  ASSERT_FALSE(slow.handshake("u:1:slow", res));
  ASSERT_FALSE(normal.handshake("u:2:normal", res));
  ASSERT_TRUE(wait_until([&] { return server_->open_websockets() == 2; }));
  const double dropped_before = metric(R"(coop_websockets_dropped_total{reason="slow_client"})");

  constexpr int kEvents = 1000;  // 16 MB to each socket: far more than the kernel buffers
  std::vector<std::string> received;
  std::atomic<int> count{0};
  beast::error_code normal_ec;
  std::thread reader([&] {
    while (static_cast<int>(received.size()) < kEvents) {
      auto [ec, text] = normal.read();
      if (ec) {
        normal_ec = ec;
        return;
      }
      received.push_back(text.substr(0, text.find('|')));
      ++count;
    }
  });
  double peak = 0;
  for (int i = 0; i < kEvents; ++i) {
    // The normal client keeps up (at most 8 events behind), as a reading client does; the slow
    // one falls further behind with every event.
    if (!wait_until([&] { return count.load() >= i - 8 || normal_ec; }, 5s)) break;
    coop::events::Event e{"discussion", 0, std::to_string(i) + "|" + std::string(16 * 1024, 'x')};
    e.user_ids = {1, 2};
    bus_.publish(e);
    peak = std::max(peak, metric("coop_websocket_queued_bytes"));
  }
  reader.join();
  ASSERT_FALSE(normal_ec) << normal_ec.message();
  ASSERT_EQ(received.size(), static_cast<std::size_t>(kEvents));
  for (int i = 0; i < kEvents; ++i) ASSERT_EQ(received[static_cast<std::size_t>(i)], std::to_string(i)) << "in order";
  // Two queues of at most 256 KiB (+ one message each): never the 16 MB published.
  EXPECT_LE(peak, 2 * (256 + 17) * 1024.0);
  EXPECT_TRUE(wait_until([&] {
    return metric(R"(coop_websockets_dropped_total{reason="slow_client"})") == dropped_before + 1;
  })) << "the slow reader is dropped, the normal one is not";
  // The slow reader reads now: what was already sent, then the policy close.
  beast::error_code ec;
  for (int i = 0; i < kEvents && !ec; ++i) ec = slow.read().first;
  EXPECT_EQ(ec, websocket::error::closed) << ec.message();
  EXPECT_EQ(slow.reason().code, websocket::close_code::policy_error);
  EXPECT_EQ(std::string(slow.reason().reason.c_str()), "outgoing queue full");
  EXPECT_TRUE(wait_until([&] { return server_->open_websockets() == 1; }));
  EXPECT_TRUE(wait_until([&] { return metric("coop_websocket_queued_bytes") == 0; }));
  // The normal one still receives.
  bus_.publish({"discussion", 2, R"({"encore":true})"});
  auto [ec2, text] = normal.read();
  ASSERT_FALSE(ec2);
  EXPECT_EQ(text, R"({"encore":true})");
}

TEST_F(NetServer, WebSocketHeartbeatDropsDeadPeersOnly) {
  auto o = options();
  o.ws_ping_interval = 1s;
  const double dropped_before = metric(R"(coop_websockets_dropped_total{reason="heartbeat"})");
  start(o);
  WsClient dead(port_);  // never reads, so never answers a ping
  WsClient alive(port_);
  websocket::response_type res;
  ASSERT_FALSE(dead.handshake("good", res));
  ASSERT_FALSE(alive.handshake("other", res));
  ASSERT_TRUE(wait_until([&] { return server_->open_websockets() == 2; }));
  std::pair<beast::error_code, std::string> got;
  std::thread reader([&] { got = alive.read(10s); });  // a pending read answers pings
  EXPECT_TRUE(wait_until([&] { return server_->open_websockets() == 1; }, 6s));
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(server_->open_websockets(), 1);
  bus_.publish({"notification", 7, R"({"alive":true})"});
  reader.join();
  EXPECT_FALSE(got.first) << got.first.message();
  EXPECT_EQ(got.second, R"({"alive":true})");
  EXPECT_EQ(metric(R"(coop_websockets_dropped_total{reason="heartbeat"})"), dropped_before + 1);
}

TEST_F(NetServer, WebSocketEventForManyUsersSharesOneBuffer) {
  // Shared with the observer: the server (stopped after this body, in TearDown) still writes
  // close frames, so what the observer touches must outlive the body's locals.
  struct Vus {
    std::mutex mu;
    std::map<std::string, std::set<const void*>> buffers;  // frame text → frames written
  };
  auto vus = std::make_shared<Vus>();
  auto o = options();
  o.ws_write_observer = [vus](const void* frame, std::string_view payload) {
    std::lock_guard lock(vus->mu);
    vus->buffers[std::string(payload)].insert(frame);
  };
  start(o);
  // Users 1, 2 (two tabs, two log-in sessions) and 3 receive; user 4 does not.
  std::vector<std::unique_ptr<WsClient>> sockets;
  for (const char* cookie : {"u:1:a", "u:2:b", "u:2:c", "u:3:d", "u:4:e"}) {
    sockets.push_back(std::make_unique<WsClient>(port_));
    websocket::response_type res;
    ASSERT_FALSE(sockets.back()->handshake(cookie, res)) << cookie;
  }
  ASSERT_TRUE(wait_until([&] { return server_->open_websockets() == 5; }));
  const std::string text = R"({"type":"discussion","seq":0,"evenement":"frappe","canal_id":9,"data":{}})";
  coop::events::Event e{"discussion", 0, text};
  e.user_ids = {3, 1, 2, 2, 99};  // a duplicate and a user without a socket
  bus_.publish(e);
  bus_.publish({"discussion", 4, R"({"only":4})"});  // user_id alone still names one recipient
  for (int i = 0; i < 4; ++i) {
    auto [ec, got] = sockets[static_cast<std::size_t>(i)]->read();
    ASSERT_FALSE(ec) << i << ": " << ec.message();
    EXPECT_EQ(got, text) << i;
  }
  auto [ec4, got4] = sockets[4]->read();
  ASSERT_FALSE(ec4);
  EXPECT_EQ(got4, R"({"only":4})") << "user 4 was not a recipient of the first event";
  // Each socket got it once (the next message is the reply to this ping, not a second copy).
  for (auto& s : sockets) {
    ASSERT_FALSE(s->write("ping"));
    auto [ec, got] = s->read();
    ASSERT_FALSE(ec);
    EXPECT_TRUE(got.starts_with("echo:")) << got;
  }
  std::lock_guard lock(vus->mu);
  ASSERT_EQ(vus->buffers.count(text), 1u);
  EXPECT_EQ(vus->buffers[text].size(), 1u) << "four sockets, one buffer";
}

TEST_F(NetServer, WebSocketManySocketsEachRecipientOnceOthersNothing) {
  start();
  // 200 users with two sockets each; one event for users 1..120 (listed twice over).
  constexpr int kUsers = 200, kRecipients = 120;
  std::vector<std::unique_ptr<WsClient>> sockets;
  for (int u = 1; u <= kUsers; ++u)
    for (int tab = 0; tab < 2; ++tab) {
      sockets.push_back(std::make_unique<WsClient>(port_));
      websocket::response_type res;
      ASSERT_FALSE(sockets.back()->handshake("u:" + std::to_string(u) + ":s" + std::to_string(tab), res));
    }
  ASSERT_TRUE(wait_until([&] { return server_->open_websockets() == 2 * kUsers; }));
  coop::events::Event e{"discussion", 0, R"({"type":"discussion","seq":0,"evenement":"frappe"})"};
  for (int round = 0; round < 2; ++round)
    for (int u = kRecipients; u >= 1; --u) e.user_ids.push_back(u);
  bus_.publish(e);
  for (int u = 1; u <= kUsers; ++u)
    for (int tab = 0; tab < 2; ++tab) {
      auto& ws = *sockets[static_cast<std::size_t>(2 * (u - 1) + tab)];
      if (u <= kRecipients) {
        auto [ec, text] = ws.read();
        ASSERT_FALSE(ec) << "user " << u << ": " << ec.message();
        ASSERT_EQ(text, e.payload_json);
      }
      ASSERT_FALSE(ws.write("ping"));  // the echo comes next: no second copy, nothing for others
      auto [ec, text] = ws.read();
      ASSERT_FALSE(ec);
      ASSERT_EQ(text, "echo:" + std::to_string(u) + ":ping") << "user " << u;
    }
}

// ---------------------------------------------------------------------------------------------
// Resume ({"type":"reprendre"})

class NetResume : public NetServer {
 protected:
  void publish(std::int64_t seq, std::vector<std::int64_t> users = {1}) {
    coop::events::Event e{"discussion", 0, event_text(seq)};
    e.user_ids = std::move(users);
    e.seq = seq;
    bus_.publish(e);
  }
  void log_events(std::int64_t from, std::int64_t to) {
    std::lock_guard lock(app_.replay_mu);
    for (auto s = from; s <= to; ++s) app_.log.emplace_back(s, event_text(s));
  }
  void set_gate(bool closed) {
    std::lock_guard lock(app_.replay_mu);
    app_.gate_closed = closed;
    app_.replay_cv.notify_all();
  }
  bool wait_replay_calls(int n) {
    std::unique_lock lock(app_.replay_mu);
    return app_.replay_cv.wait_for(lock, 5s, [&] { return app_.replay_calls >= n; });
  }
  // The next message, or "error: …".
  static std::string next(WsClient& ws) {
    auto [ec, text] = ws.read();
    return ec ? "error: " + ec.message() : text;
  }
  // Ends with a ping, so that nothing else arrived before its echo.
  static void expect_nothing_more(WsClient& ws) {
    ASSERT_FALSE(ws.write("ping"));
    EXPECT_EQ(next(ws), "echo:1:ping");
  }
};

TEST_F(NetResume, ReplayThenHeldThenLiveEachOnceInOrder) {
  start();
  log_events(1, 6);
  WsClient ws(port_);
  websocket::response_type res;
  ASSERT_FALSE(ws.handshake("u:1:a", res));
  ASSERT_TRUE(wait_until([&] { return server_->open_websockets() == 1; }));
  publish(6);  // before any resume: not sent (the client has not asked for the stream)
  bus_.publish({"discussion", 1, R"({"type":"discussion","seq":0,"evenement":"frappe"})"});  // seq 0: sent
  EXPECT_EQ(next(ws), R"({"type":"discussion","seq":0,"evenement":"frappe"})");

  set_gate(true);
  ASSERT_FALSE(ws.write(R"({"type":"reprendre","depuis":2})"));
  ASSERT_TRUE(wait_replay_calls(1));
  // While the replay is being fetched: 7 is committed (in the log) and published: it will be
  // both fetched and held; 9 is published, not yet visible to the fetch; 3 and 1 are old.
  log_events(7, 7);
  publish(7);
  publish(9);
  publish(3);
  publish(1);
  ASSERT_FALSE(ws.write(R"({"type":"reprendre","depuis":0})"));  // one resume at a time
  EXPECT_EQ(next(ws), R"({"type":"erreur","code":"reprise_en_cours","message":"Une reprise est déjà en cours sur cette connexion."})");
  set_gate(false);
  for (std::int64_t seq : {3, 4, 5, 6, 7}) EXPECT_EQ(next(ws), event_text(seq)) << "replayed " << seq;
  EXPECT_EQ(next(ws), R"({"type":"repris","seq":7})");
  EXPECT_EQ(next(ws), event_text(9)) << "held during the replay, then sent";
  // Live: 10 and 8 are new; 7 and 5 were replayed, 2 is before the resume point.
  publish(10);
  publish(7);
  publish(5);
  publish(2);
  publish(11, {2});  // another user's
  publish(8);
  EXPECT_EQ(next(ws), event_text(10));
  EXPECT_EQ(next(ws), event_text(8));
  expect_nothing_more(ws);
}

TEST_F(NetResume, OnlySocketsThatResumedGetTheStream) {
  start();
  WsClient resumed(port_), other_tab(port_);
  websocket::response_type res;
  ASSERT_FALSE(resumed.handshake("u:1:a", res));
  ASSERT_FALSE(other_tab.handshake("u:1:b", res));  // same user, never sends reprendre
  ASSERT_FALSE(resumed.write(R"({"type":"reprendre","depuis":0})"));
  EXPECT_EQ(next(resumed), R"({"type":"repris","seq":0})");
  publish(1);
  bus_.publish({"discussion", 1, R"({"type":"discussion","seq":0,"evenement":"frappe"})"});
  EXPECT_EQ(next(resumed), event_text(1));
  EXPECT_EQ(next(resumed), R"({"type":"discussion","seq":0,"evenement":"frappe"})");
  EXPECT_EQ(next(other_tab), R"({"type":"discussion","seq":0,"evenement":"frappe"})") << "seq 0 only";
  expect_nothing_more(other_tab);
}

TEST_F(NetResume, LongReplayComesInPagesAndInOrder) {
  start();
  log_events(1, 450);
  WsClient ws(port_);
  websocket::response_type res;
  ASSERT_FALSE(ws.handshake("u:1:a", res));
  ASSERT_FALSE(ws.write(R"({"type":"reprendre","depuis":0})"));
  for (std::int64_t seq = 1; seq <= 450; ++seq) ASSERT_EQ(next(ws), event_text(seq));
  EXPECT_EQ(next(ws), R"({"type":"repris","seq":450})");
  {
    std::lock_guard lock(app_.replay_mu);
    EXPECT_EQ(app_.replay_calls, 3) << "pages of 200: 1-200, 201-400, 401-450";
  }
  publish(451);
  EXPECT_EQ(next(ws), event_text(451));
  // A resume from the last seq replays nothing.
  ASSERT_FALSE(ws.write(R"({"type":"reprendre","depuis":451})"));
  EXPECT_EQ(next(ws), R"({"type":"repris","seq":451})");
  expect_nothing_more(ws);
}

TEST_F(NetResume, TooMuchToReplayIsIncomplete) {
  auto o = options();
  o.ws_replay_limit = 10;
  o.ws_queue_limit = 3;
  start(o);
  log_events(1, 25);
  WsClient ws(port_);
  websocket::response_type res;
  ASSERT_FALSE(ws.handshake("u:1:a", res));
  ASSERT_FALSE(ws.write(R"({"type":"reprendre","depuis":0})"));
  // Nothing replayed: the client reloads its views, which include what it missed.
  EXPECT_EQ(next(ws), R"({"type":"repris","seq":11,"incomplet":true})");
  publish(11);
  publish(26);
  EXPECT_EQ(next(ws), event_text(26));
  // Within the limit, but more published during the replay than a queue holds: incomplete too.
  set_gate(true);
  ASSERT_FALSE(ws.write(R"({"type":"reprendre","depuis":20})"));
  ASSERT_TRUE(wait_replay_calls(2));
  for (std::int64_t seq = 30; seq < 34; ++seq) publish(seq);
  set_gate(false);
  EXPECT_EQ(next(ws), R"({"type":"repris","seq":33,"incomplet":true})");
  publish(33);
  publish(34);
  EXPECT_EQ(next(ws), event_text(34));
  expect_nothing_more(ws);
}

TEST_F(NetResume, ResumeFromBeforeThePurgedEventsIsIncomplete) {
  start();
  log_events(1, 8);
  {
    std::lock_guard lock(app_.replay_mu);
    app_.purged_through = 5;
  }
  WsClient ws(port_);
  websocket::response_type res;
  ASSERT_FALSE(ws.handshake("u:1:a", res));
  // Events 1…5 are gone: the client reloads its views (up to the log's last seq, 8).
  ASSERT_FALSE(ws.write(R"({"type":"reprendre","depuis":2})"));
  EXPECT_EQ(next(ws), R"({"type":"repris","seq":8,"incomplet":true})");
  publish(8);  // already in the reloaded views
  publish(9);
  EXPECT_EQ(next(ws), event_text(9));
  // From the oldest purged one on, nothing is missing: a normal replay.
  ASSERT_FALSE(ws.write(R"({"type":"reprendre","depuis":5})"));
  for (std::int64_t seq : {6, 7, 8}) EXPECT_EQ(next(ws), event_text(seq));
  EXPECT_EQ(next(ws), R"({"type":"repris","seq":8})");
  expect_nothing_more(ws);
}

TEST_F(NetResume, BadRequestsAndFailedReplay) {
  start();
  log_events(1, 3);
  WsClient ws(port_);
  websocket::response_type res;
  ASSERT_FALSE(ws.handshake("u:1:a", res));
  const std::string invalide =
      R"({"type":"erreur","code":"reprise_invalide","message":"« depuis » doit être un entier positif ou nul."})";
  for (const char* bad : {R"({"type":"reprendre"})", R"({"type":"reprendre","depuis":-1})",
                          R"({"type":"reprendre","depuis":"3"})", R"({"type":"reprendre","depuis":1.5})"}) {
    ASSERT_FALSE(ws.write(bad));
    EXPECT_EQ(next(ws), invalide) << bad;
  }
  {
    std::lock_guard lock(app_.replay_mu);
    app_.replay_fails = true;
  }
  ASSERT_FALSE(ws.write(R"({"type":"reprendre","depuis":0})"));
  EXPECT_EQ(next(ws), R"({"type":"erreur","code":"reprise_impossible","message":"La reprise a échoué : réessayez dans un instant."})");
  publish(4);  // not resumed: not sent
  {
    std::lock_guard lock(app_.replay_mu);
    app_.replay_fails = false;
  }
  ASSERT_FALSE(ws.write(R"({"type":"reprendre","depuis":0})"));
  for (std::int64_t seq : {1, 2, 3}) EXPECT_EQ(next(ws), event_text(seq));
  EXPECT_EQ(next(ws), R"({"type":"repris","seq":3})");
  // Other messages still go to the application.
  expect_nothing_more(ws);
}

// ---------------------------------------------------------------------------------------------
// Graceful shutdown

TEST_F(NetServer, StopLetsInFlightRequestFinish) {
  start();
  Client busy(port_);
  Client idle(port_);
  ASSERT_TRUE(idle.request("GET /api/echo HTTP/1.1\r\nHost: x\r\n\r\n"));  // now an idle keep-alive
  WsClient ws(port_);
  websocket::response_type res;
  ASSERT_FALSE(ws.handshake("good", res));
  ASSERT_TRUE(wait_until([&] { return server_->open_websockets() == 1; }));

  busy.send("GET /api/slow HTTP/1.1\r\nHost: x\r\n\r\n");
  std::this_thread::sleep_for(100ms);  // the handler is sleeping on a worker thread
  std::thread stopper([this] { server_->stop(); });

  auto r = busy.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 200);
  EXPECT_EQ(r->body(), R"({"slow":true})");
  EXPECT_FALSE(r->keep_alive()) << "the last response says Connection: close";
  EXPECT_TRUE(idle.closed_by_server(2s));
  auto [ec, text] = ws.read();
  EXPECT_EQ(ec, websocket::error::closed);
  EXPECT_EQ(ws.reason().code, websocket::close_code::going_away);

  stopper.join();
  ASSERT_TRUE(wait_until([&] { return run_returned_.load(); }, 4s)) << "run() returns well before the grace period";
  // No new connections.
  asio::io_context ioc;
  tcp::socket s(ioc);
  boost::system::error_code cec;
  s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), cec);
  EXPECT_TRUE(cec);
}

TEST_F(NetServer, StopWithNothingToWaitForIsQuick) {
  start();
  Client idle(port_);
  ASSERT_TRUE(idle.request("GET /api/echo HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_LT(stop(), 1500ms);
}

TEST(NetServerLifecycle, StartFailsOnBusyPortAndStopBeforeRun) {
  FakeApp app;
  coop::events::Bus bus;
  coop::net::ServerOptions o;
  o.port = 0;
  coop::net::Server first(o, app, bus);
  first.start();
  o.port = first.port();
  coop::net::Server second(o, app, bus);
  EXPECT_THROW(second.start(), std::runtime_error);
  first.stop();  // before run(): run() returns at once
  auto t0 = std::chrono::steady_clock::now();
  first.run();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);
}
