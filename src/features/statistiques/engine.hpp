// In-memory statistics engine (issue 4 point 3): answers a whole Tableau without SQL at query
// time. Built once from storage (construire), then kept up to date by the write path through the
// appliquer_* calls, which must be made AFTER the write has committed (they read the committed
// rows back). Definitions of the figures: docs/statistiques.md (the same as reference.hpp).
//
// Thread safety: every public method may be called from any number of threads at once.
// calculer() runs concurrently with other calculer() calls; appliquer_* calls read the database
// concurrently, then patch memory one at a time in the order they were called (tickets),
// excluding readers only while they patch. See the comment at the top of engine.cpp.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

#include "features/statistiques/model.hpp"
#include "storage/database.hpp"

namespace coop::statistiques {

struct EngineStats {
  std::int64_t activites = 0;       // live activities held
  std::int64_t octets = 0;          // real sizes of every container (capacity), all included
  double octets_par_activite = 0;
  double construction_ms = 0;       // duration of the last construire()
  int partitions = 0;               // months holding at least one activity
  int threads = 0;                  // EngineOptions::threads in effect
};

struct EngineOptions {
  // Threads one calculer() may use (the scan of the period's months and the count of distinct
  // beneficiaries are split between them). 0: the COOP_STATS_THREADS environment variable when it
  // is set (1 … 64), else std::thread::hardware_concurrency() capped at 8.
  int threads = 0;
  // A query reading fewer slots than this per thread uses fewer threads (starting one costs tens
  // of microseconds): one-mediator or one-team scopes, short periods, stay on the calling thread.
  std::int64_t activites_par_thread = 100000;
};

class Engine {
 public:
  // `regions`: département code → région code (régions filters and scopes).
  explicit Engine(storage::Database& db, Regions regions = {}, EngineOptions options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // (Re)builds everything from the database, streaming whole tables (Session::stream).
  // Throws storage::DbError, or std::runtime_error when a dimension exceeds its documented limit
  // (65 535 mediators, 65 535 distinct structures used as lieux/employers, 65 535 communes,
  // 1 048 576 slots per month: see engine.cpp).
  void construire();

  // The dashboard for these filters and this scope. `aujourdhui` (YYYY-MM-DD) ends the 12-month
  // evolution when the filters have no `au`. Invalid dates in the filters throw std::invalid_argument.
  Tableau calculer(const Filtres& f, const Perimetre& p, std::string_view aujourdhui) const;

  // Write path (call after commit):
  // an activity was created, replaced, deleted (soft or hard) or restored: reloads it, its
  // participants and tags, and the premier_accompagnement flags of its beneficiaries' other links.
  void appliquer(std::int64_t activite_id);
  // a beneficiary's attributes changed, it was merged into another one (call it for the source:
  // its moved links are re-read), erased or deleted.
  void appliquer_beneficiaire(std::int64_t beneficiaire_id);
  // a user's roles (conseiller numérique) or employments changed: recomputes the employer of
  // each of their activities at its date (one scan of the mediator column).
  void appliquer_mediateur(std::int64_t user_id);
  // a structure's commune changed: recomputes the commune of the activities at that lieu.
  void appliquer_structure(std::int64_t structure_id);
  // a coordination activity was created, changed or deleted.
  void appliquer_coordination(std::int64_t coordination_id);

  EngineStats stats() const;

  // Tests only: called by appliquer() between its database read and its turn to patch (e.g. a
  // random sleep, to widen the window in which concurrent writers overtake each other).
  void apres_lecture_pour_tests(std::function<void()> fn);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace coop::statistiques
