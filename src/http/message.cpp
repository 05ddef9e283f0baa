#include "http/message.hpp"

#include <boost/url/parse.hpp>

#include "core/text.hpp"

namespace coop::http {

std::optional<std::string> Request::header(std::string_view name) const {
  auto it = headers.find(std::string(name));
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> Request::query_param(std::string_view name) const {
  for (auto& [k, v] : query)
    if (k == name) return v;
  return std::nullopt;
}

std::optional<std::string> Request::cookie(std::string_view name) const {
  auto h = header("cookie");
  if (!h) return std::nullopt;
  std::string_view s = *h;
  while (!s.empty()) {
    auto semi = s.find(';');
    std::string_view part = s.substr(0, semi);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    auto eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == name) {
      std::string_view v = part.substr(eq + 1);
      while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
      return std::string(v);
    }
    if (semi == std::string_view::npos) break;
    s.remove_prefix(semi + 1);
  }
  return std::nullopt;
}

bool Request::parse_target() {
  // Query parameters such as page[size] or filter[modification][depuis] (public API) often come
  // with raw brackets (WHATWG URL serialisation, curl -g). RFC 3986 keeps [ ] for IP literals, so
  // Boost.URL refuses them: in the query they are percent-encoded before parsing.
  std::string encoded;
  if (auto q = target.find('?'); q != std::string::npos && target.find_first_of("[]", q) != std::string::npos) {
    encoded = target.substr(0, q);
    for (std::size_t i = q; i < target.size(); ++i)
      encoded += target[i] == '[' ? "%5B" : target[i] == ']' ? "%5D" : std::string(1, target[i]);
  }
  auto r = boost::urls::parse_origin_form(encoded.empty() ? target : encoded);
  if (!r) return false;
  path = r->path();  // decoded
  if (path.empty() || path.front() != '/') return false;
  query.clear();
  for (auto p : r->params()) query.emplace_back(p.key, p.has_value ? p.value : std::string());
  // Decoded text must be UTF-8: it reaches SQL parameters and JSON, which both require it.
  if (!core::valid_utf8(path)) return false;
  for (auto& [k, v] : query)
    if (!core::valid_utf8(k) || !core::valid_utf8(v)) return false;
  return true;
}

}  // namespace coop::http
