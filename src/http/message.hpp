// HTTP request and response as the application sees them: plain data, no Beast.
// net/ converts Beast messages to and from these types.
#pragma once

#include <map>
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

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (Set-Cookie…)
  std::string content_type = "application/json; charset=utf-8";
  std::string body;

  void set_header(std::string name, std::string value) { headers.emplace_back(std::move(name), std::move(value)); }
};

}  // namespace coop::http
