// The bin purge. Activities and beneficiaries stay restorable for `bin_days` after their
// deletion (the bins of the activities and beneficiaries pages); after that they are purged for
// real. Expired import analyses (imports_beneficiaires), sign-ups never confirmed, old mails of
// the outbox, uploaded files attached to nothing (features/fichiers) and the discussion's old
// events (the resume log, features/discussion) go in the same pass.
//
// Runs at the start of `coop serve` and then every hour on a thread of its own (PurgeWorker), and
// on demand with `coop purge` (docs/operations.md). Idempotent, and safe with several instances
// on one PostgreSQL database: each batch is one transaction that first takes an advisory lock, so
// two instances purging at once take turns and the second finds nothing left to do.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "core/time.hpp"
#include "storage/database.hpp"

namespace coop::purge {

inline constexpr int bin_days = 30;
// Mails sent or abandoned are kept this long in the outbox (the admins' « Courriels » page), then
// deleted: they hold addresses, names and links.
inline constexpr int courriels_days = 90;
// A file uploaded but attached to nothing (never, or no longer) is kept this long after its last
// upload, then deleted (features/fichiers).
inline constexpr int orphan_file_days = 30;
// Events of the discussion's log (discussion_evenements, what a WebSocket resume replays) are
// kept this many days by default (--discussion-evenements-jours): a client away longer reloads.
inline constexpr int discussion_evenements_days = 30;
// An expired import analysis answers 410 for this long (then 404: forgotten).
inline constexpr std::chrono::hours expired_imports_kept{24};

// The oldest deletion instant still in the bin at `now`: rows deleted before it are purged.
std::string bin_since(core::Clock::time_point now = core::Clock::now());

struct Report {
  std::int64_t activites = 0;               // deleted with their beneficiary and tag links
  std::int64_t beneficiaires_supprimes = 0;  // deleted with their links
  std::int64_t beneficiaires_anonymises = 0; // kept, erased: activities or merge traces need them
  std::int64_t imports = 0;                  // expired import analyses forgotten
  std::int64_t inscriptions = 0;             // sign-ups never confirmed, 7 days after their last link
  std::int64_t courriels = 0;                // mails sent or abandoned more than courriels_days ago
  std::int64_t fichiers = 0;                 // uploaded files attached to nothing, orphan_file_days after
  std::int64_t evenements = 0;               // discussion events older than the retention
  std::int64_t changements = 0;              // rows of the resources' search log older than a day
  int evenements_jours = discussion_evenements_days;  // that retention (for describe)
  bool empty() const {
    return activites + beneficiaires_supprimes + beneficiaires_anonymises + imports + inscriptions + courriels +
               fichiers + evenements + changements ==
           0;
  }
};
std::string describe(const Report& r);  // one French sentence

// One full pass at `now`, in batches of `batch` rows (one transaction each). `stop_requested`,
// when given, is asked between batches: true ends the pass early (what is done stays done).
// `evenements_jours`: the discussion events' retention in days.
Report run(storage::Database& db, core::Clock::time_point now = core::Clock::now(), std::int64_t batch = 500,
           const std::function<bool()>& stop_requested = {}, int evenements_jours = discussion_evenements_days);

// run() now, then every `period` on its own thread, until stop() (or destruction). A failing pass
// is logged and retried at the next period. Never runs on an I/O thread.
class PurgeWorker {
 public:
  // `after_pass`, when given, is called on the worker's thread after each pass that purged
  // something (the statistics engine recounts what the purged links changed).
  PurgeWorker(storage::Database& db, std::chrono::milliseconds period,
              std::function<void(const Report&)> after_pass = {}, int evenements_jours = discussion_evenements_days);
  ~PurgeWorker();
  PurgeWorker(const PurgeWorker&) = delete;
  PurgeWorker& operator=(const PurgeWorker&) = delete;
  // Wakes the thread and waits for it (a pass in progress finishes its current batch first).
  void stop();

 private:
  void loop();
  storage::Database& db_;
  std::chrono::milliseconds period_;
  std::function<void(const Report&)> after_pass_;
  int evenements_jours_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace coop::purge
