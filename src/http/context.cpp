#include "http/context.hpp"

#include <charconv>

#include "http/errors.hpp"

namespace coop::http {

const accounts::Principal& Context::user() const {
  if (!principal) throw unauthorized();
  return *principal;
}

std::int64_t Context::path_id(const char* name) const {
  auto it = req.params.find(name);
  std::int64_t v = 0;
  if (it != req.params.end()) {
    auto& s = it->second;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc() && p == s.data() + s.size() && v > 0) return v;
  }
  throw not_found();
}

}  // namespace coop::http
