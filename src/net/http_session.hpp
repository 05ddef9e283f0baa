// Internal to src/net (includes Beast): one HTTP/1.1 connection, from accept to close, possibly
// handed over to a WebSocketSession on GET /ws.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http/message.hpp"

namespace coop::net {

struct ServerState;

// Returns `incoming` when it is 1-64 characters of [A-Za-z0-9_-], else a random 16-hex-digit id.
std::string choose_request_id(const std::string* incoming);

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  // `socket`: accepted, its executor a strand of the io_context.
  HttpSession(boost::asio::ip::tcp::socket&& socket, ServerState& state);
  ~HttpSession();
  HttpSession(const HttpSession&) = delete;
  HttpSession& operator=(const HttpSession&) = delete;

  void start();
  // Any thread. Closes the connection now if it waits for a request; otherwise the response in
  // progress is sent with "Connection: close" and the connection closed after it.
  void request_shutdown();
  // Any thread. Closes the socket whatever the session is doing.
  void force_close();

 private:
  using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;
  struct Outcome;

  boost::asio::awaitable<void> run();
  // Reads the request, calls the application (or the static files, or the WebSocket upgrade),
  // writes the response. Returns false when the connection must close.
  boost::asio::awaitable<bool> serve_one();
  boost::asio::awaitable<bool> write(http::Response res, unsigned version, bool keep_alive, bool head,
                                     const std::string& request_id);
  boost::asio::awaitable<bool> write_flux(http::Response res, unsigned version, bool keep_alive, bool head,
                                          const std::string& request_id);
  boost::asio::awaitable<void> send_error_and_close(http::Response res, const std::string& method,
                                                    std::chrono::steady_clock::time_point started);
  boost::asio::awaitable<void> linger_close();
  http::Request convert(BeastRequest& breq) const;
  void record(const std::string& route, const std::string& method, const std::string& path, int status,
              const std::string& request_id, std::chrono::steady_clock::time_point started) const;

  boost::beast::tcp_stream stream_;
  boost::asio::any_io_executor strand_;  // stream_'s executor, kept apart: stream_ is moved on upgrade
  ServerState& state_;
  boost::beast::flat_buffer buffer_;
  std::string remote_addr_;
  // Strand-only state.
  bool idle_ = false;      // waiting for the first byte of a request
  bool upgraded_ = false;  // stream_ now belongs to a WebSocketSession
  bool first_ = true;      // no request served yet on this connection
};

}  // namespace coop::net
