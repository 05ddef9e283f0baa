#include "features/statistiques/synchro.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "events/bus.hpp"
#include "features/statistiques/engine.hpp"

namespace coop::statistiques {

namespace json = boost::json;

namespace {

// Stays well under PostgreSQL's 8 000-byte NOTIFY payload once wrapped by the relay.
constexpr std::size_t kMaxPayload = 6000;

json::array ids_json(const std::vector<std::int64_t>& ids) {
  json::array a;
  for (auto id : ids) a.push_back(id);
  return a;
}

bool read_ids(const json::object& o, const char* key, std::vector<std::int64_t>& out) {
  auto* v = o.if_contains(key);
  if (!v) return true;
  if (!v->is_array()) return false;
  for (auto& x : v->as_array()) {
    if (!x.is_int64()) return false;
    out.push_back(x.as_int64());
  }
  return true;
}

}  // namespace

std::string encode(const Changements& c) {
  if (c.tout) return R"({"tout":true})";
  return json::serialize(json::object{{"activites", ids_json(c.activites)},
                                      {"beneficiaires", ids_json(c.beneficiaires)},
                                      {"mediateurs", ids_json(c.mediateurs)},
                                      {"structures", ids_json(c.structures)},
                                      {"coordination", ids_json(c.coordination)}});
}

Changements decode(const std::string& payload_json) {
  Changements c;
  boost::system::error_code ec;
  auto v = json::parse(payload_json, ec);
  if (ec || !v.is_object()) return Changements::reconstruire();
  auto& o = v.as_object();
  if (auto* t = o.if_contains("tout"); t && t->is_bool() && t->as_bool()) return Changements::reconstruire();
  if (!read_ids(o, "activites", c.activites) || !read_ids(o, "beneficiaires", c.beneficiaires) ||
      !read_ids(o, "mediateurs", c.mediateurs) || !read_ids(o, "structures", c.structures) ||
      !read_ids(o, "coordination", c.coordination))
    return Changements::reconstruire();
  return c;
}

void signaler(events::Bus& bus, const Changements& c) {
  if (c.empty()) return;
  events::Event e;
  e.topic = kTopic;
  e.payload_json = encode(c);
  if (e.payload_json.size() > kMaxPayload) e.payload_json = encode(Changements::reconstruire());
  bus.publish(e);
}

void activites_modifiees(events::Bus& bus, std::vector<std::int64_t> ids) {
  Changements c;
  c.activites = std::move(ids);
  signaler(bus, c);
}
void beneficiaires_modifies(events::Bus& bus, std::vector<std::int64_t> ids) {
  Changements c;
  c.beneficiaires = std::move(ids);
  signaler(bus, c);
}
void mediateur_modifie(events::Bus& bus, std::int64_t user_id) {
  Changements c;
  c.mediateurs = {user_id};
  signaler(bus, c);
}
void structure_modifiee(events::Bus& bus, std::int64_t structure_id) {
  Changements c;
  c.structures = {structure_id};
  signaler(bus, c);
}
void coordination_modifiee(events::Bus& bus, std::int64_t coordination_id) {
  Changements c;
  c.coordination = {coordination_id};
  signaler(bus, c);
}
void tout_reconstruire(events::Bus& bus) { signaler(bus, Changements::reconstruire()); }

Synchro::Synchro(Engine& engine, events::Bus& bus) : engine_(engine), bus_(bus) {
  thread_ = std::thread([this] { worker(); });
  subscription_ = bus_.subscribe([this](const events::Event& e) { on_event(e); });
}

Synchro::~Synchro() { stop(); }

void Synchro::stop() {
  if (subscription_) {
    bus_.unsubscribe(subscription_);
    subscription_ = 0;
  }
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Synchro::on_event(const events::Event& e) {
  if (e.topic != kTopic) return;
  Changements c = decode(e.payload_json);
  if (!e.remote && !c.tout) {
    appliquer(c);  // read-your-writes: done before the writer's response is sent
    return;
  }
  // Remote changes (the relay's thread must keep listening) and full rebuilds go to the worker.
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(c));
  }
  cv_.notify_one();
}

void Synchro::appliquer(const Changements& c) {
  try {
    if (c.tout) {
      engine_.construire();
      return;
    }
    for (auto id : c.mediateurs) engine_.appliquer_mediateur(id);
    for (auto id : c.structures) engine_.appliquer_structure(id);
    for (auto id : c.beneficiaires) engine_.appliquer_beneficiaire(id);
    for (auto id : c.activites) engine_.appliquer(id);
    for (auto id : c.coordination) engine_.appliquer_coordination(id);
  } catch (const std::exception& e) {
    // The database refused a read: the engine may now lag behind. Rebuild it rather than serve
    // figures that could be wrong until the next restart.
    spdlog::error("statistiques : mise à jour impossible ({}), reconstruction complète", e.what());
    std::lock_guard lock(mu_);
    if (!stopping_) queue_.push_back(Changements::reconstruire());
    cv_.notify_one();
  }
}

void Synchro::worker() {
  for (;;) {
    Changements c;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, nothing left
      // A rebuild anywhere in the queue makes every other queued change redundant.
      bool tout = false;
      for (auto& q : queue_) tout = tout || q.tout;
      if (tout) {
        queue_.clear();
        c.tout = true;
      } else {
        c = std::move(queue_.front());
        queue_.pop_front();
      }
    }
    appliquer(c);
  }
}

}  // namespace coop::statistiques
