#include "http/router.hpp"

#include <stdexcept>

namespace coop::http {

static std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') { ++i; continue; }
    std::size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.emplace_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

void Router::add(std::string method, std::string pattern, accounts::Access access, Handler handler) {
  // Client credentials are not a browser session: no CSRF protection applies to them, so the
  // public API stays read-only.
  if (access.kind == accounts::Access::Kind::api_client && method != "GET")
    throw std::logic_error("an API client route must be GET: " + method + " " + pattern);
  Route r{std::move(method), pattern, access, std::move(handler), split_path(pattern)};
  for (auto& existing : routes_)
    if (existing.method == r.method && existing.pattern == r.pattern)
      throw std::logic_error("route registered twice: " + r.method + " " + r.pattern);
  routes_.push_back(std::move(r));
}

Match Router::match(std::string_view method, std::string_view path) const {
  Match m;
  if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);  // "/api/me/" == "/api/me"
  auto parts = split_path(path);
  // Literal segments win over parameters: try the most literal routes first.
  const Route* best = nullptr;
  int best_literals = -1;
  std::map<std::string, std::string> best_params;
  for (auto& r : routes_) {
    if (r.segments.size() != parts.size()) continue;
    std::map<std::string, std::string> params;
    int literals = 0;
    bool ok = true;
    for (std::size_t i = 0; i < parts.size() && ok; ++i) {
      const auto& seg = r.segments[i];
      if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
        if (parts[i].empty()) ok = false;
        else params[seg.substr(1, seg.size() - 2)] = parts[i];
      } else if (seg == parts[i]) {
        ++literals;
      } else {
        ok = false;
      }
    }
    if (!ok) continue;
    if (r.method != method) {
      m.allowed.push_back(r.method);
      continue;
    }
    if (literals > best_literals) {
      best = &r;
      best_literals = literals;
      best_params = std::move(params);
    }
  }
  if (best) {
    m.route = best;
    m.params = std::move(best_params);
  }
  return m;
}

}  // namespace coop::http
