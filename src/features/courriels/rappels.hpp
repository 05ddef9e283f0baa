// The 14-day reminder: a mediator who recorded no CRA for 14 days gets one e-mail, then none
// until they record a CRA and are again 14 days without one.
//
// Who is a mediator here: an account with the role mediateur, not disabled, that has logged in
// at least once (an account never used is the invitation's business, not ours) and has not
// opted out (users.rappels_cra, « Mon compte »). "No CRA for 14 days": the latest CRA they
// recorded (activites.created_at, a CRA in the bin counts: it was recorded) — or, for one who
// never recorded any, the creation of their account — is more than 14 days old, and no reminder
// was queued since (users.rappel_cra_at). Marking and queuing happen in one transaction with a
// conditional UPDATE: several instances running the job at once send one mail.
//
// coop serve runs it 5 minutes after it starts, then every 24 hours (TacheRappels); `coop
// courriels rappels` runs it once (cron, tests).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "core/time.hpp"
#include "storage/database.hpp"

namespace coop::courriels {

inline constexpr int jours_sans_cra = 14;

// Queues the due reminders at `now`; returns how many.
int envoyer_rappels(storage::Database& db, const std::string& public_url, core::Clock::time_point now);

class TacheRappels {
 public:
  // `apres` (optional) is called after a run that queued mails (wakes the sender).
  TacheRappels(storage::Database& db, std::string public_url, std::chrono::milliseconds premier,
               std::chrono::milliseconds periode, std::function<void()> apres = {});
  ~TacheRappels();
  TacheRappels(const TacheRappels&) = delete;
  TacheRappels& operator=(const TacheRappels&) = delete;
  void stop();

 private:
  void boucle();
  storage::Database& db_;
  std::string public_url_;
  std::chrono::milliseconds premier_, periode_;
  std::function<void()> apres_;
  std::mutex mutex_;
  std::condition_variable reveil_;
  std::atomic<bool> arret_{false};
  std::thread thread_;
};

}  // namespace coop::courriels
