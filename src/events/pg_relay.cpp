#include "events/pg_relay.hpp"

#include <libpq-fe.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <stdexcept>

#include "core/security.hpp"

namespace coop::events {

namespace json = boost::json;
static constexpr const char* kChannel = "coop_events";

static PGconn* connect_or_throw(const std::string& url) {
  PGconn* c = PQconnectdb(url.c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(c);
    PQfinish(c);
    throw std::runtime_error("relais PostgreSQL : connexion impossible : " + msg);
  }
  return c;
}

PgRelay::PgRelay(const std::string& url, Bus& bus) : url_(url), bus_(bus), instance_id_(core::random_token(12)) {
  listen_conn_ = connect_or_throw(url_);
  notify_conn_ = connect_or_throw(url_);
  PGresult* r = PQexec(listen_conn_, "LISTEN coop_events");
  bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  PQclear(r);
  if (!ok || pipe(wake_pipe_) != 0) {
    PQfinish(listen_conn_);
    PQfinish(notify_conn_);
    throw std::runtime_error("relais PostgreSQL : LISTEN impossible");
  }
  subscription_ = bus_.subscribe([this](const Event& e) { forward(e); });
  thread_ = std::thread([this] { listen_loop(); });
}

PgRelay::~PgRelay() { stop(); }

void PgRelay::stop() {
  if (stopping_.exchange(true)) return;
  bus_.unsubscribe(subscription_);
  if (write(wake_pipe_[1], "x", 1) < 0) { /* the loop also wakes up every second */ }
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(notify_mu_);
  PQfinish(listen_conn_);
  PQfinish(notify_conn_);
  listen_conn_ = notify_conn_ = nullptr;
  close(wake_pipe_[0]);
  close(wake_pipe_[1]);
}

void PgRelay::forward(const Event& e) {
  if (e.remote || stopping_) return;
  std::string payload = json::serialize(json::object{
      {"origin", instance_id_}, {"topic", e.topic}, {"user_id", e.user_id}, {"payload", e.payload_json}});
  if (payload.size() > 7900) {  // NOTIFY payloads are limited to 8000 bytes
    spdlog::warn("relais PostgreSQL : événement {} trop grand ({} octets), non relayé", e.topic, payload.size());
    return;
  }
  std::lock_guard lock(notify_mu_);
  for (int attempt = 0; attempt < 2; ++attempt) {
    const char* params[] = {kChannel, payload.c_str()};
    PGresult* r = PQexecParams(notify_conn_, "SELECT pg_notify($1, $2)", 2, nullptr, params, nullptr, nullptr, 0);
    bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
    PQclear(r);
    if (ok) return;
    if (PQstatus(notify_conn_) == CONNECTION_BAD) {
      PQreset(notify_conn_);
      continue;
    }
    spdlog::error("relais PostgreSQL : NOTIFY a échoué : {}", PQerrorMessage(notify_conn_));
    return;
  }
}

void PgRelay::listen_loop() {
  while (!stopping_) {
    if (PQstatus(listen_conn_) == CONNECTION_BAD) {
      PQreset(listen_conn_);
      if (PQstatus(listen_conn_) == CONNECTION_OK) {
        PGresult* r = PQexec(listen_conn_, "LISTEN coop_events");
        PQclear(r);
      } else {
        sleep(1);
        continue;
      }
    }
    pollfd fds[2] = {{PQsocket(listen_conn_), POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
    int n = poll(fds, 2, 1000);
    if (n <= 0 || stopping_) continue;
    if (!PQconsumeInput(listen_conn_)) continue;
    while (PGnotify* note = PQnotifies(listen_conn_)) {
      boost::system::error_code ec;
      auto v = json::parse(note->extra, ec);
      PQfreemem(note);
      if (ec || !v.is_object()) continue;
      auto& o = v.as_object();
      auto* origin = o.if_contains("origin");
      if (!origin || !origin->is_string() || origin->as_string() == instance_id_) continue;
      Event e;
      e.topic = json::value_to<std::string>(o["topic"]);
      e.user_id = o["user_id"].is_int64() ? o["user_id"].as_int64() : 0;
      e.payload_json = json::value_to<std::string>(o["payload"]);
      e.remote = true;
      bus_.publish(e);
    }
  }
}

}  // namespace coop::events
