// HTTP request and response as the application sees them: plain data, no Beast.
// net/ converts Beast messages to and from these types.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace coop::http {

// Header names are stored lower-case.
using Headers = std::map<std::string, std::string>;

struct Request {
  std::string method;       // "GET", "POST"… upper-case
  std::string target;       // raw request target, e.g. "/api/communes?q=lyon"
  std::string path;         // percent-decoded path, without the query
  std::vector<std::pair<std::string, std::string>> query;  // decoded query parameters, in order
  Headers headers;
  std::string body;
  std::string remote_addr;  // peer IP address
  std::string request_id;   // set by net/ (X-Request-Id if sane, else generated)
  std::map<std::string, std::string> params;  // path parameters, filled by the router

  std::optional<std::string> header(std::string_view name) const;  // name lower-case
  std::optional<std::string> query_param(std::string_view name) const;
  std::optional<std::string> cookie(std::string_view name) const;
  // Splits `target` into path and query (percent-decoding both). Returns false when the
  // target is not a valid origin-form URL.
  bool parse_target();
};

// A body sent piece by piece instead of `body` (file downloads): net/ sends exactly `taille`
// bytes with that Content-Length, asking `lire(debut, n)` for each piece of at most n bytes on a
// worker thread (it may read the database), so only one piece is in memory at a time. A piece
// shorter than asked (or an exception) ends the connection.
struct Flux {
  std::uint64_t taille = 0;
  std::function<std::string(std::uint64_t debut, std::size_t n)> lire;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (Set-Cookie…)
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::shared_ptr<const Flux> flux;  // when set, the body (see Flux)

  void set_header(std::string name, std::string value) { headers.emplace_back(std::move(name), std::move(value)); }
};

}  // namespace coop::http
