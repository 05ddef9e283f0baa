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

static PGconn* connect_or_throw(const std::string& url) {
  PGconn* c = PQconnectdb(url.c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(c);
    PQfinish(c);
    throw std::runtime_error("relais PostgreSQL : connexion impossible : " + msg);
  }
  return c;
}

PgRelay::PgRelay(const std::string& url, Bus& bus, const std::string& channel)
    : url_(url), bus_(bus), channel_(channel), instance_id_(core::random_token(12)) {
  if (channel_.empty() || channel_.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos)
    throw std::runtime_error("relais PostgreSQL : nom de canal invalide : " + channel_);
  listen_conn_ = connect_or_throw(url_);
  notify_conn_ = connect_or_throw(url_);
  PGresult* r = PQexec(listen_conn_, ("LISTEN " + channel_).c_str());
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

void PgRelay::set_loader(Loader loader) {
  std::lock_guard lock(loader_mu_);
  loader_ = std::move(loader);
}

void PgRelay::forward(const Event& e) {
  if (e.remote || stopping_) return;
  json::object o{{"origin", instance_id_}, {"topic", e.topic}};
  if (e.topic == "discussion" && e.seq > 0) {
    o["seq"] = e.seq;  // the others load it (and its recipients) from the database
  } else {
    o["user_id"] = e.user_id;
    o["payload"] = e.payload_json;
    if (!e.user_ids.empty()) o["user_ids"] = json::value_from(e.user_ids);
    if (e.seq != 0) o["seq"] = e.seq;
  }
  std::string payload = json::serialize(o);
  if (payload.size() > 7900) {  // NOTIFY payloads are limited to 8000 bytes
    spdlog::warn("relais PostgreSQL : événement {} trop grand ({} octets), non relayé", e.topic, payload.size());
    return;
  }
  std::lock_guard lock(notify_mu_);
  for (int attempt = 0; attempt < 2; ++attempt) {
    const char* params[] = {channel_.c_str(), payload.c_str()};
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

std::optional<Event> PgRelay::load(std::int64_t seq) {
  Loader loader;
  {
    std::lock_guard lock(loader_mu_);
    loader = loader_;
  }
  if (!loader) {
    spdlog::debug("relais PostgreSQL : événement de discussion {} annoncé, pas de chargeur", seq);
    return std::nullopt;
  }
  try {
    auto e = loader(seq);
    if (!e) spdlog::warn("relais PostgreSQL : événement de discussion {} introuvable", seq);
    return e;
  } catch (const std::exception& ex) {
    spdlog::error("relais PostgreSQL : chargement de l'événement de discussion {} : {}", seq, ex.what());
    return std::nullopt;
  }
}

void PgRelay::listen_loop() {
  while (!stopping_) {
    if (PQstatus(listen_conn_) == CONNECTION_BAD) {
      PQreset(listen_conn_);
      if (PQstatus(listen_conn_) == CONNECTION_OK) {
        PGresult* r = PQexec(listen_conn_, ("LISTEN " + channel_).c_str());
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
      auto* topic = o.if_contains("topic");
      auto* seq = o.if_contains("seq");
      auto* payload = o.if_contains("payload");
      if (!topic || !topic->is_string()) continue;
      Event e;
      if (*topic == "discussion" && !payload && seq && seq->is_int64()) {
        auto loaded = load(seq->as_int64());
        if (!loaded) continue;
        e = std::move(*loaded);
        e.topic = "discussion";
        e.seq = seq->as_int64();
      } else {
        if (!payload || !payload->is_string()) continue;
        e.topic = json::value_to<std::string>(*topic);
        e.user_id = o["user_id"].is_int64() ? o["user_id"].as_int64() : 0;
        e.payload_json = json::value_to<std::string>(*payload);
        if (auto* ids = o.if_contains("user_ids"); ids && ids->is_array())
          for (const auto& id : ids->as_array())
            if (id.is_int64()) e.user_ids.push_back(id.as_int64());
        if (seq && seq->is_int64()) e.seq = seq->as_int64();
      }
      e.remote = true;
      bus_.publish(e);
    }
  }
}

}  // namespace coop::events
