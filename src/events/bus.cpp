#include "events/bus.hpp"

#include <algorithm>

namespace coop::events {

int Bus::subscribe(Subscriber fn) {
  std::lock_guard lock(mu_);
  int id = next_id_++;
  subs_.emplace_back(id, std::move(fn));
  return id;
}

void Bus::unsubscribe(int id) {
  std::lock_guard lock(mu_);
  std::erase_if(subs_, [id](const auto& s) { return s.first == id; });
}

void Bus::publish(const Event& e) {
  std::vector<Subscriber> copy;
  {
    std::lock_guard lock(mu_);
    for (auto& s : subs_) copy.push_back(s.second);
  }
  for (auto& fn : copy) fn(e);  // outside the lock: a subscriber may (un)subscribe
}

}  // namespace coop::events
