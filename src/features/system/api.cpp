// Operations endpoints: health (with the database's state), the OpenAPI document, Prometheus metrics.
#include "features/system/api.hpp"

#include "core/metrics.hpp"
#include "http/json.hpp"

namespace coop::embedded {
extern const std::string_view openapi_json;
}

namespace coop::system {

namespace json = boost::json;
using http::Context;
using http::Response;

namespace {

Response health(Context& ctx) {
  auto h = ctx.db().health();
  json::object db{{"ok", h.ok}, {"engine", h.engine}, {"latency_ms", h.latency_ms}};
  if (!h.ok) db["detail"] = h.detail;
  return http::json_response(h.ok ? 200 : 503, json::object{{"status", h.ok ? "ok" : "degraded"},
                                                             {"version", ctx.services.config.version},
                                                             {"database", std::move(db)}});
}

Response openapi(Context&) {
  Response r;
  r.body = std::string(embedded::openapi_json);
  return r;
}

Response metrics(Context& ctx) {
  auto stats = ctx.db().stats();
  auto& m = core::Metrics::global();
  m.set("coop_db_connections", {{"state", "open"}}, stats.size);
  m.set("coop_db_connections", {{"state", "in_use"}}, stats.in_use);
  m.set("coop_db_waiting", {}, stats.waiting);
  m.set("coop_db_writes_total", {}, double(stats.writes));
  m.set("coop_db_write_batches_total", {}, double(stats.write_batches));
  Response r;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  r.body = m.render();
  return r;
}

}  // namespace

void register_routes(http::Router& r) {
  using accounts::access::anyone;
  r.add("GET", "/api/health", anyone(), health);
  r.add("GET", "/api/openapi.json", anyone(), openapi);
  r.add("GET", "/metrics", anyone(), metrics);
}

}  // namespace coop::system
