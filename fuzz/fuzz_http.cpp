// libFuzzer target for the request -> router -> handler -> JSON path of Coop, without the
// network layer (built against coop_app_lib only: no Beast, no Asio, no coroutines).
//
// Input format (see fuzz/corpus/ for examples):
//
//   METHOD TARGET\n
//   name: value\n          (header lines until an empty line; names are lower-cased,
//   ...                     repeated names are joined as net/ does: ", " or "; " for cookie)
//   \n
//   body...
//
// Who sends the request: the pseudo-header "x-fuzz-user: N" (a digit; removed before the
// request is handled) if present, else the last byte of the input modulo 5: 0 = only the
// input's own cookies (anonymous unless it forges one), 1 an admin, 2 a coordinator, 3 the
// manager of structure 1, 4 a mediator (conseillère numérique, employed by structure 1, in the
// coordinator's team). For 1-4 a valid session cookie and a matching CSRF cookie +
// X-CSRF-Token header are added (unless the input sets those itself), so authenticated,
// state-changing routes are reached.
//
// Invariants checked (a violation aborts, which libFuzzer reports as a crash):
//  - CoopApplication::handle() never throws;
//  - the status is in [200, 599]; a 500 (an unexpected exception escaped a handler) is a finding
//    too, unless COOP_FUZZ_ALLOW_500=1;
//  - a JSON content type means the body parses as JSON; an error status (>= 400) with JSON has
//    {"error": {"code": string, "message": string}};
//  - no response header name or value contains CR, LF or NUL (header injection);
//  - access rules: without a session (or with a role the route does not admit) a protected route
//    answers 401 or 403, never runs;
//  - Router::match: a matched route has the requested method and binds exactly its {params};
//    "allowed" methods (405) never contain the requested one;
//  - JsonBody never throws anything but ApiError 400;
//  - on_websocket_message always answers valid JSON.
//
// The database is a real SQLite file ($COOP_FUZZ_DB_DIR or /tmp, coop-fuzz-<pid>.db), migrated,
// with a structure and four users; it is recreated every COOP_FUZZ_RESET_EVERY inputs (20000)
// and removed at a normal exit (not after a crash: run.sh removes its directory). If an input logs one of the users out, disables it or changes its roles, the
// fixture is repaired before the next input that needs it.
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <string_view>

#include <spdlog/spdlog.h>

#include "core/security.hpp"
#include "events/bus.hpp"
#include "features/accounts/model.hpp"
#include "features/accounts/sessions.hpp"
#include "features/accounts/store.hpp"
#include "features/referentiel/territoires.hpp"
#include "http/app.hpp"
#include "http/errors.hpp"
#include "http/json.hpp"
#include "http/router.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"

namespace {

using namespace coop;

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "\n*** coop fuzz invariant violated: %s\n%s\n", what, detail.c_str());
  std::fflush(stderr);
  std::abort();
}

constexpr const char* kPassword = "coop-demo-2026!";
constexpr const char* kCsrf = "fuzzcsrftoken";

struct FuzzUser {
  FuzzUser(std::string e, accounts::RoleGrant g) : email(std::move(e)), grant(g) {}
  std::string email;
  accounts::RoleGrant grant;
  std::int64_t id = 0;
  std::string token;
};

struct World {
  std::string db_path;
  std::unique_ptr<storage::Database> db;
  events::Bus bus;
  referentiel::Territoires territoires;
  std::unique_ptr<http::CoopApplication> app;
  http::Router router;  // a second router, fuzzed directly
  // Selected as `who` 1..4; 0 = only the input's own cookies.
  FuzzUser users[4] = {{"admin@coop.example", {accounts::Role::admin, std::nullopt, false}},
                       {"coordination@coop.example", {accounts::Role::coordinateur, std::nullopt, false}},
                       {"gestion@coop.example", {accounts::Role::gestionnaire_structure, 1, false}},
                       {"mediatrice@coop.example", {accounts::Role::mediateur, std::nullopt, true}}};
  std::string password_hash;
  bool allow_500 = false;
  bool verbose = false;  // COOP_FUZZ_VERBOSE=1: one line per request (to check what seeds reach)
  // Every so many inputs the database starts afresh (COOP_FUZZ_RESET_EVERY, 0 = never): rows
  // created by inputs (activities, pending imports, API clients…) otherwise make every list and
  // export slower and slower.
  std::uint64_t reset_every = 20000;
  std::uint64_t inputs = 0;

  // (Re)creates the user if needed, re-enables it, restores its only role and opens a session
  // when the current token no longer resolves or an input changed the user's roles.
  void ensure_user(FuzzUser& u) {
    if (!u.token.empty()) {
      auto p = accounts::principal_from_token(*db, u.token, std::chrono::hours(12));
      if (p && p->roles.size() == 1 && p->roles.front() == u.grant) return;
    }
    db->write([&](storage::Session& s) {
      auto existing = accounts::store::user_by_email(s, u.email);
      if (!existing) {
        u.id = accounts::store::create_user(s, {u.email, "Fuzz", "Utilisateur", std::nullopt, password_hash});
        existing = accounts::store::user_by_id(s, u.id);
      }
      u.id = existing->id;
      existing->disabled = false;
      accounts::store::update_user(s, *existing);
      accounts::store::set_password_hash(s, u.id, password_hash);
      accounts::store::replace_roles(s, u.id, {u.grant});
      u.token = accounts::open_session(s, u.id, "127.0.0.1", "fuzz", std::chrono::hours(12));
    });
  }
};

World* world = nullptr;

void remove_db_files(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::error_code ec;
    std::filesystem::remove(path + suffix, ec);
  }
}

// Closes the application and the database and deletes the file.
void close_world(World& w) {
  w.app.reset();
  if (w.db) w.db->close();
  w.db.reset();
  remove_db_files(w.db_path);
  for (auto& u : w.users) {
    u.id = 0;
    u.token.clear();
  }
}

void cleanup() {
  if (world) close_world(*world);
}

// A fresh database with the fixture, and the application over it.
void open_world(World& w) {
  remove_db_files(w.db_path);
  storage::Options opts;
  opts.readers = 2;
  w.db = storage::open_database("sqlite:" + w.db_path, opts);
  storage::migrate(*w.db);
  http::Config config;
  config.version = "fuzz";
  // High limits: the log-in rate limiter would otherwise make every log-in seed a 429.
  config.login_max_failures_per_account = 1000000;
  config.login_max_failures_per_ip = 1000000;
  w.app = std::make_unique<http::CoopApplication>(http::Services{*w.db, w.bus, w.territoires, config, nullptr});
  // A structure (id 1); the mediator (user 4) is employed there and in the coordinator's
  // team, so /api/structures/1/..., /api/equipe/... and /api/users/4 reach real rows.
  w.db->write([&](storage::Session& s) {
    accounts::store::Structure st;
    st.nom = "Médiathèque du Bachut";
    st.adresse = "2 place du 11 Novembre 1918";
    st.commune_insee = "69123";
    st.siret = "21690123000187";
    accounts::store::create_structure(s, st);
  });
  for (auto& u : w.users) w.ensure_user(u);
  w.db->write([&](storage::Session& s) {
    accounts::store::create_employment(s, w.users[3].id, 1, "2024-01-08", std::nullopt);
    accounts::store::add_team_member(s, w.users[1].id, w.users[3].id, "2024-01-08");
  });
}

World& init() {
  static World* w = [] {
    ::setenv("COOP_FAST_PASSWORD_HASH", "1", 1);
    spdlog::set_level(spdlog::level::off);  // handlers log 5xx; the invariants report them
    core::init_crypto();
    auto* w = new World;
    world = w;
    const char* allow = std::getenv("COOP_FUZZ_ALLOW_500");
    w->allow_500 = allow && std::string_view(allow) == "1";
    const char* verbose = std::getenv("COOP_FUZZ_VERBOSE");
    w->verbose = verbose && std::string_view(verbose) == "1";
    if (const char* every = std::getenv("COOP_FUZZ_RESET_EVERY")) w->reset_every = std::strtoull(every, nullptr, 10);
    const char* dir = std::getenv("COOP_FUZZ_DB_DIR");  // fuzz/run.sh: a temporary directory
    w->db_path = std::string(dir && *dir ? dir : "/tmp") + "/coop-fuzz-" + std::to_string(::getpid()) + ".db";
    // A tiny référentiel, so commune lookups and searches have something to find.
    w->territoires = referentiel::Territoires::from_json(
        R"([{"code":"69123","nom":"Lyon","type":"commune-actuelle","departement":"69","region":"84",
             "codesPostaux":["69001","69002"],"population":522250},
            {"code":"69381","nom":"Lyon 1er Arrondissement","type":"arrondissement-municipal",
             "departement":"69","region":"84","commune":"69123","codesPostaux":["69001"],"population":30000},
            {"code":"42218","nom":"Saint-Étienne","type":"commune-actuelle","departement":"42","region":"84",
             "codesPostaux":["42000","42100"],"population":173089},
            {"code":"2A004","nom":"Ajaccio","type":"commune-actuelle","departement":"2A","region":"94",
             "codesPostaux":["20000"],"population":71361}])",
        R"([{"code":"69","nom":"Rhône","region":"84","zone":"metro"},
            {"code":"42","nom":"Loire","region":"84","zone":"metro"},
            {"code":"2A","nom":"Corse-du-Sud","region":"94","zone":"metro"}])",
        R"([{"code":"84","nom":"Auvergne-Rhône-Alpes","zone":"metro"},
            {"code":"94","nom":"Corse","zone":"metro"}])");
    http::register_all_routes(w->router);
    w->password_hash = core::hash_password(kPassword);
    open_world(*w);
    std::atexit(cleanup);
    return w;
  }();
  return *w;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Splits the input into a request. Returns false when there is no first line.
bool parse_input(std::string_view in, http::Request& req) {
  auto eol = in.find('\n');
  if (eol == std::string_view::npos) return false;
  std::string_view line = trim(in.substr(0, eol));
  in.remove_prefix(eol + 1);
  auto sp = line.find(' ');
  if (sp == std::string_view::npos || sp == 0) return false;
  req.method = upper(line.substr(0, sp));
  req.target = std::string(trim(line.substr(sp + 1)));
  while (!in.empty()) {
    eol = in.find('\n');
    std::string_view h = in.substr(0, eol);
    in.remove_prefix(eol == std::string_view::npos ? in.size() : eol + 1);
    if (!h.empty() && h.back() == '\r') h.remove_suffix(1);
    if (h.empty()) break;
    auto colon = h.find(':');
    if (colon == std::string_view::npos || colon == 0) continue;
    std::string name = lower(h.substr(0, colon));
    std::string value(trim(h.substr(colon + 1)));
    auto [it, inserted] = req.headers.try_emplace(name, value);
    if (!inserted) {
      it->second += name == "cookie" ? "; " : ", ";
      it->second += value;
    }
  }
  req.body = std::string(in);
  req.remote_addr = "192.0.2.1";
  req.request_id = "fuzz";
  return true;
}

bool has_ctl(std::string_view s) {
  for (char c : s)
    if (c == '\r' || c == '\n' || c == '\0') return true;
  return false;
}

std::string describe(const http::Request& req, const http::Response* resp) {
  std::string out = "request: " + req.method + " " + req.target + " (path \"" + req.path + "\")\n";
  for (auto& [k, v] : req.headers) out += "  " + k + ": " + v + "\n";
  out += "  body (" + std::to_string(req.body.size()) + " bytes): " + req.body.substr(0, 300) + "\n";
  if (resp) {
    out += "response: " + std::to_string(resp->status) + " " + resp->content_type + "\n";
    for (auto& [k, v] : resp->headers) out += "  " + k + ": " + v + "\n";
    out += "  body: " + resp->body.substr(0, 1000) + "\n";
  }
  return out;
}

void check_response(const World& w, const http::Request& req, const http::Response& resp) {
  if (resp.status < 200 || resp.status > 599) fail("status out of [200, 599]", describe(req, &resp));
  if (resp.status == 500 && !w.allow_500) fail("500: an unexpected exception escaped a handler", describe(req, &resp));
  for (auto& [k, v] : resp.headers)
    if (k.empty() || has_ctl(k) || has_ctl(v)) fail("control character in a response header", describe(req, &resp));
  if (has_ctl(resp.content_type)) fail("control character in the content type", describe(req, &resp));
  if (resp.content_type.starts_with("application/json")) {
    boost::system::error_code ec;
    auto v = boost::json::parse(resp.body, ec);
    if (ec) fail("JSON content type but the body is not JSON", describe(req, &resp));
    // /api/health answers 503 {"status":"degraded",...} by design when the database is down.
    const bool health = req.path == "/api/health" || req.path == "/api/health/";
    if (resp.status >= 400 && !health) {
      const auto* o = v.if_object();
      const auto* e = o ? o->if_contains("error") : nullptr;
      const auto* eo = e ? e->if_object() : nullptr;
      const auto* code = eo ? eo->if_contains("code") : nullptr;
      const auto* msg = eo ? eo->if_contains("message") : nullptr;
      if (!code || !code->is_string() || !msg || !msg->is_string() || code->as_string().empty())
        fail("error response without {\"error\":{\"code\",\"message\"}}", describe(req, &resp));
    }
  } else if (resp.status >= 400) {
    fail("error response that is not JSON", describe(req, &resp));
  }
}

// Access rules hold whatever the input: a route that needs a session or a role answers 401/403
// to a request without them (tokens are random: an input cannot forge a valid one).
void check_access(World& w, const http::Request& req, const http::Response& resp, int who) {
  auto m = w.router.match(req.method == "HEAD" ? "GET" : req.method, req.path);
  if (!m.route || m.route->access.kind == accounts::Access::Kind::anyone) return;
  bool allowed = false;
  if (who >= 1) {
    const auto& a = m.route->access;
    const unsigned bit = 1u << static_cast<unsigned>(w.users[who - 1].grant.role);
    allowed = a.kind == accounts::Access::Kind::logged_in || (a.role_mask & bit) != 0;
  }
  if (!allowed && resp.status != 401 && resp.status != 403)
    fail(who == 0 ? "a route needing a session answered a request without one"
                  : "a route answered a user whose role it does not admit",
         "route: " + m.route->method + " " + m.route->pattern + " (" + m.route->access.describe() + ")\n" +
             describe(req, &resp));
}

void fuzz_router(const World& w, const std::string& method, std::string_view path) {
  auto m = w.router.match(method, path);
  for (auto& a : m.allowed)
    if (a == method) fail("405 'allowed' list contains the requested method", method + " " + std::string(path));
  if (!m.route) return;
  if (m.route->method != method) fail("route matched with another method", method + " " + std::string(path));
  std::set<std::string> names;
  for (auto& seg : m.route->segments)
    if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') names.insert(seg.substr(1, seg.size() - 2));
  if (names.size() != m.params.size()) fail("router bound a wrong number of parameters", std::string(path));
  for (auto& [k, v] : m.params) {
    if (!names.count(k)) fail("router bound an unknown parameter", std::string(path));
    if (v.empty() || v.find('/') != std::string::npos) fail("router bound an empty or multi-segment parameter", std::string(path));
  }
}

void fuzz_json_body(const std::string& body) {
  try {
    http::JsonBody b(body);
    bool was_null = false;
    (void)b.text("email", true, 254);
    (void)b.text("nom", false, 10);
    (void)b.integer("structure_id", false);
    (void)b.boolean("conseiller_numerique", false);
    (void)b.nullable_text("telephone", &was_null, 20);
    (void)b.raw("roles");
    (void)b.has("password");
    b.done();
  } catch (const http::ApiError& e) {
    if (e.status != 400) fail("JsonBody threw an ApiError that is not a 400", e.code);
  } catch (const std::exception& e) {
    fail("JsonBody threw a non-ApiError exception", e.what());
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  init();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  World& w = init();
  if (w.reset_every && ++w.inputs % w.reset_every == 0) {
    close_world(w);
    open_world(w);
  }
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  int who = size ? data[size - 1] % 5 : 0;

  http::Request req;
  if (!parse_input(in, req)) {
    fuzz_json_body(std::string(in));
    return 0;
  }
  if (auto it = req.headers.find("x-fuzz-user"); it != req.headers.end()) {
    const unsigned char c = it->second.empty() ? '0' : static_cast<unsigned char>(it->second.back());
    who = (c >= '0' && c <= '9' ? c - '0' : c) % 5;
    req.headers.erase(it);
  }
  fuzz_json_body(req.body);
  fuzz_router(w, req.method, req.target);  // raw, undecoded target too

  // WebSocket text messages.
  try {
    auto reply = w.app->on_websocket_message(http::WebSocketPeer{1, "1"}, req.body);
    if (reply) {
      boost::system::error_code ec;
      boost::json::parse(*reply, ec);
      if (ec) fail("on_websocket_message answered invalid JSON", *reply);
    }
  } catch (const std::exception& e) {
    fail("on_websocket_message threw", e.what());
  }

  // Query helpers must never crash whatever the cookie/query text.
  (void)req.cookie("coop_session");
  (void)req.cookie("");

  if (!req.parse_target()) return 0;  // net/ answers 400 without calling the application
  fuzz_router(w, req.method, req.path);
  (void)req.query_param("q");

  if (who >= 1) {
    FuzzUser& u = w.users[who - 1];
    try {
      w.ensure_user(u);
    } catch (const std::exception& e) {
      fail("fixture repair failed", e.what());
    }
    auto& cookie = req.headers["cookie"];
    if (!req.cookie(http::csrf_cookie) && !req.headers.count("x-csrf-token")) {
      cookie += std::string(cookie.empty() ? "" : "; ") + http::csrf_cookie + "=" + kCsrf;
      req.headers["x-csrf-token"] = kCsrf;
    }
    if (!req.cookie(http::session_cookie))
      cookie += std::string(cookie.empty() ? "" : "; ") + http::session_cookie + "=" + u.token;
  }

  http::Response resp;
  try {
    resp = w.app->handle(req);
  } catch (const std::exception& e) {
    fail("CoopApplication::handle threw", describe(req, nullptr) + "exception: " + e.what());
  } catch (...) {
    fail("CoopApplication::handle threw a non-std exception", describe(req, nullptr));
  }
  if (w.verbose)
    std::fprintf(stderr, "[who %d] %s %s -> %d %.200s\n", who, req.method.c_str(), req.target.c_str(), resp.status,
                 resp.body.c_str());
  check_response(w, req, resp);
  check_access(w, req, resp, who);

  // WebSocket authorisation must not throw either; it answers a peer or a 401/403/503.
  try {
    auto r = w.app->authorize_websocket(req);
    if (auto* refused = std::get_if<http::Response>(&r)) check_response(w, req, *refused);
  } catch (const std::exception& e) {
    fail("authorize_websocket threw", e.what());
  }
  return 0;
}
