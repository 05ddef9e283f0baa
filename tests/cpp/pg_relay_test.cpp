// The PostgreSQL relay between instances (events/pg_relay.hpp), against the real server of
// COOP_TEST_PG_URL: two relays on their own NOTIFY channel, each with its bus, as two instances.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

#include "events/bus.hpp"
#include "events/pg_relay.hpp"

using namespace std::chrono_literals;
using coop::events::Bus;
using coop::events::Event;
using coop::events::PgRelay;

namespace {

// What one bus received, with a wait.
class Recorder {
 public:
  explicit Recorder(Bus& bus) : bus_(bus) {
    id_ = bus_.subscribe([this](const Event& e) {
      std::lock_guard lock(mu_);
      events_.push_back(e);
      cv_.notify_all();
    });
  }
  ~Recorder() { bus_.unsubscribe(id_); }
  // The first event matching `pred` within 5 s.
  std::optional<Event> wait(const std::function<bool(const Event&)>& pred) {
    std::unique_lock lock(mu_);
    std::optional<Event> found;
    cv_.wait_for(lock, 5s, [&] {
      for (auto& e : events_)
        if (pred(e)) {
          found = e;
          return true;
        }
      return false;
    });
    return found;
  }
  int count(const std::function<bool(const Event&)>& pred) {
    std::lock_guard lock(mu_);
    int n = 0;
    for (auto& e : events_) n += pred(e) ? 1 : 0;
    return n;
  }

 private:
  Bus& bus_;
  int id_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Event> events_;
};

class PgRelayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* url = std::getenv("COOP_TEST_PG_URL");
    if (!url || !*url) {
      const char* no = std::getenv("COOP_TEST_NO_PG");
      if (no && std::string(no) == "1") GTEST_SKIP() << "COOP_TEST_NO_PG=1: PostgreSQL tests skipped";
      FAIL() << "COOP_TEST_PG_URL is not set (export COOP_TEST_PG_URL=$(scripts/pg-test.sh start))";
    }
    static std::atomic<int> n{0};
    std::string channel = "coop_test_relay_" + std::to_string(::getpid()) + "_" + std::to_string(n++);
    a_ = std::make_unique<PgRelay>(url, bus_a_, channel);
    b_ = std::make_unique<PgRelay>(url, bus_b_, channel);
  }
  void TearDown() override {
    if (a_) a_->stop();
    if (b_) b_->stop();
  }

  Bus bus_a_, bus_b_;
  std::unique_ptr<PgRelay> a_, b_;
};

}  // namespace

TEST_F(PgRelayTest, DiscussionEventTravelsAsItsSeqAndIsLoadedOnTheOtherSide) {
  std::atomic<int> loads_a{0};
  std::vector<std::int64_t> loaded_b;
  std::mutex mu;
  a_->set_loader([&](std::int64_t) -> std::optional<Event> {
    ++loads_a;
    return std::nullopt;
  });
  b_->set_loader([&](std::int64_t seq) -> std::optional<Event> {
    std::lock_guard lock(mu);
    loaded_b.push_back(seq);
    if (seq == 404) return std::nullopt;  // unknown: nothing published
    Event e{"discussion", 0, R"({"type":"discussion","seq":)" + std::to_string(seq) + R"(,"depuis":"la base"})"};
    e.user_ids = {5, 6};
    return e;
  });
  Recorder on_a(bus_a_), on_b(bus_b_);

  // 2,538 recipients and a 10 KB payload: far over NOTIFY's 8000 bytes, yet it crosses over.
  Event big{"discussion", 0, std::string(10000, 'x')};
  for (int i = 1; i <= 2538; ++i) big.user_ids.push_back(i);
  big.seq = 404;
  bus_a_.publish(big);
  big.seq = 42;
  bus_a_.publish(big);
  auto got = on_b.wait([](const Event& e) { return e.topic == "discussion" && e.seq == 42; });
  ASSERT_TRUE(got);
  EXPECT_TRUE(got->remote);
  EXPECT_EQ(got->payload_json, R"({"type":"discussion","seq":42,"depuis":"la base"})");
  EXPECT_EQ(got->user_ids, (std::vector<std::int64_t>{5, 6})) << "the recipients come from the loader";
  {
    std::lock_guard lock(mu);
    EXPECT_EQ(loaded_b, (std::vector<std::int64_t>{404, 42})) << "in the order published";
  }
  EXPECT_EQ(on_b.count([](const Event& e) { return e.seq == 404; }), 0) << "an unknown seq is not published";

  // Typing (seq 0) is not stored: it travels whole, recipients included.
  Event frappe{"discussion", 0, R"({"type":"discussion","seq":0,"evenement":"frappe"})"};
  frappe.user_ids = {7, 8, 9};
  bus_b_.publish(frappe);
  auto typed = on_a.wait([](const Event& e) { return e.topic == "discussion" && e.seq == 0; });
  ASSERT_TRUE(typed);
  EXPECT_TRUE(typed->remote);
  EXPECT_EQ(typed->payload_json, frappe.payload_json);
  EXPECT_EQ(typed->user_ids, frappe.user_ids);

  // Notifications still cross over as before; nothing comes back to its own instance, and a
  // remote event is not relayed again.
  bus_a_.publish({"notification", 12, R"({"type":"notification"})"});
  ASSERT_TRUE(on_b.wait([](const Event& e) { return e.topic == "notification" && e.user_id == 12; }));
  // A sentinel from B, NOTIFYed after everything above: listeners get notifications in commit
  // order, so once it is on A an echo would be there too.
  bus_b_.publish({"notification", 99, R"({"sentinelle":true})"});
  ASSERT_TRUE(on_a.wait([](const Event& e) { return e.topic == "notification" && e.user_id == 99; }));
  EXPECT_EQ(loads_a.load(), 0) << "A never loads its own events back";
  EXPECT_EQ(on_a.count([](const Event& e) { return e.topic == "notification" && e.user_id == 12; }), 1) << "its own, not an echo";
  EXPECT_EQ(on_b.count([](const Event& e) { return e.seq == 42; }), 1) << "once";
}

TEST_F(PgRelayTest, WithoutLoaderDiscussionEventsAreNotPublished) {
  Recorder on_b(bus_b_);
  Event e{"discussion", 0, "{}"};
  e.user_ids = {1};
  e.seq = 7;
  bus_a_.publish(e);
  bus_a_.publish({"notification", 3, "{}"});  // sent after: once it is there, 7 was handled
  ASSERT_TRUE(on_b.wait([](const Event& x) { return x.topic == "notification"; }));
  EXPECT_EQ(on_b.count([](const Event& x) { return x.topic == "discussion"; }), 0);
}

TEST(PgRelayChannel, NameIsChecked) {
  Bus bus;
  EXPECT_THROW(PgRelay("postgresql://nowhere.invalid/x", bus, "coop; DROP TABLE x"), std::runtime_error);
}
