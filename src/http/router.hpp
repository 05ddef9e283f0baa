// Router: method + path pattern ("/api/users/{id}") -> handler, with the access rule of each
// route declared at registration. The dispatcher (app/) checks the rule before calling the
// handler, so no handler can forget authentication or its role check; scope checks (which
// structure, which team) are made by the handler through features/accounts/policy.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "features/accounts/policy.hpp"
#include "http/message.hpp"

namespace coop::http {

struct Context;
using Handler = std::function<Response(Context&)>;

struct Route {
  std::string method;
  std::string pattern;
  accounts::Access access;
  Handler handler;
  std::vector<std::string> segments;  // pattern split on '/', "{x}" for parameters
};

struct Match {
  const Route* route = nullptr;
  std::map<std::string, std::string> params;
  std::vector<std::string> allowed;  // methods of routes matching the path, for 405
};

class Router {
 public:
  void add(std::string method, std::string pattern, accounts::Access access, Handler handler);
  Match match(std::string_view method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace coop::http
