#include "features/purge/purge.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "features/activites/store.hpp"
#include "features/beneficiaires/store.hpp"
#include "features/courriels/store.hpp"
#include "features/discussion/store.hpp"
#include "features/fichiers/store.hpp"
#include "features/inscription/model.hpp"
#include "features/inscription/store.hpp"
#include "features/ressources/store.hpp"
#include "features/lieux/recherche.hpp"

namespace coop::purge {

namespace {

// Key of the purge's advisory lock ("CoopPurg"), distinct from the migrations' ("CoopMigr").
constexpr std::int64_t kLockKey = 0x436f6f7050757267;

void lock_if_postgres(storage::Session& s) {
  if (s.dialect() == storage::Dialect::postgres) s.query("SELECT pg_advisory_xact_lock(?)", {kLockKey});
}

}  // namespace

std::string bin_since(core::Clock::time_point now) { return core::iso_utc(now - std::chrono::days(bin_days)); }

std::string describe(const Report& r) {
  if (r.empty()) return "Rien à purger.";
  return fmt::format(
      "Purgé : {} activité(s) supprimée(s) depuis plus de {} jours, {} bénéficiaire(s) supprimé(s) "
      "définitivement, {} bénéficiaire(s) anonymisé(s) (encore liés à des activités ou à une trace de fusion), "
      "{} analyse(s) d'import expirée(s){}{}.",
      r.activites, bin_days, r.beneficiaires_supprimes, r.beneficiaires_anonymises, r.imports,
      fmt::format("{}{}", r.inscriptions ? fmt::format(", {} inscription(s) jamais confirmée(s)", r.inscriptions) : "",
                  r.courriels ? fmt::format(", {} courriel(s) envoyé(s) ou abandonné(s) depuis plus de {} jours",
                                            r.courriels, courriels_days)
                              : ""),
      fmt::format("{}{}",
                  r.fichiers ? fmt::format(", {} fichier(s) joint(s) à rien depuis plus de {} jours", r.fichiers,
                                           orphan_file_days)
                             : "",
                  fmt::format("{}{}",
                              r.evenements ? fmt::format(", {} événement(s) de la discussion de plus de {} jours",
                                                         r.evenements, r.evenements_jours)
                                           : "",
                              r.changements ? fmt::format(", {} ligne(s) du journal de l'index des ressources de plus "
                                                          "d'un jour", r.changements)
                                            : "")));
}

Report run(storage::Database& db, core::Clock::time_point now, std::int64_t batch,
           const std::function<bool()>& stop_requested, int evenements_jours) {
  Report r;
  r.evenements_jours = evenements_jours;
  const auto before = bin_since(now);
  auto stopping = [&] { return stop_requested && stop_requested(); };
  // Activities first: their links go with them, which may leave beneficiaries no longer needed.
  for (;;) {
    auto n = db.write_value([&](storage::Session& s) {
      lock_if_postgres(s);
      return activites::store::purge_deleted(s, before, batch);
    });
    r.activites += n;
    if (n < batch || stopping()) break;
  }
  if (stopping()) return r;
  for (;;) {
    std::int64_t seen = 0;
    db.write([&](storage::Session& s) {
      lock_if_postgres(s);
      auto c = beneficiaires::store::purge_deleted(s, before, batch);
      r.beneficiaires_supprimes += c.supprimes;
      r.beneficiaires_anonymises += c.anonymises;
      seen = c.examines;
    });
    if (seen < batch || stopping()) break;
  }
  if (stopping()) return r;
  r.imports = db.write_value([&](storage::Session& s) {
    lock_if_postgres(s);
    return beneficiaires::store::purge_expired_imports(s, core::iso_utc(now), core::iso_utc(now - expired_imports_kept));
  });
  if (stopping()) return r;
  r.inscriptions = db.write_value([&](storage::Session& s) {
    return inscription::store::purger_non_confirmees(s, core::iso_utc(now - inscription::non_confirmee_gardee));
  });
  const auto courriels_avant = core::iso_utc(now - std::chrono::days(courriels_days));
  for (;;) {
    if (stopping()) return r;
    auto n = db.write_value([&](storage::Session& s) {
      lock_if_postgres(s);
      return courriels::store::purger(s, courriels_avant, batch);
    });
    r.courriels += n;
    if (n < batch) break;
  }
  const auto orphans_before = core::iso_utc(now - std::chrono::days(orphan_file_days));
  while (!stopping()) {
    auto n = db.write_value([&](storage::Session& s) {
      lock_if_postgres(s);
      return fichiers::store::purger_orphelins(s, orphans_before, batch);
    });
    r.fichiers += n;
    if (n < batch) break;
  }
  const auto evenements_avant = core::iso_utc(now - std::chrono::days(evenements_jours));
  while (!stopping()) {
    auto n = db.write_value([&](storage::Session& s) {
      lock_if_postgres(s);
      return discussion::store::purger_evenements(s, evenements_avant, batch);
    });
    r.evenements += n;
    if (n < batch) break;
  }
  // The resources' search log: a day is ample (an index that did not look for 12 hours rebuilds).
  const auto changements_avant = core::iso_utc(now - std::chrono::days(1));
  while (!stopping()) {
    auto n = db.write_value([&](storage::Session& s) {
      lock_if_postgres(s);
      return ressources::store::purger_changements(s, changements_avant, batch);
    });
    r.changements += n;
    if (n < batch) break;
  }
  // The lieux search's log (features/lieux/recherche.hpp), the same rule; counted with it.
  while (!stopping()) {
    auto n = db.write_value([&](storage::Session& s) {
      lock_if_postgres(s);
      return lieux::recherche::purger_changements(s, changements_avant, batch);
    });
    r.changements += n;
    if (n < batch) break;
  }
  return r;
}

PurgeWorker::PurgeWorker(storage::Database& db, std::chrono::milliseconds period,
                         std::function<void(const Report&)> after_pass, int evenements_jours)
    : db_(db),
      period_(period),
      after_pass_(std::move(after_pass)),
      evenements_jours_(evenements_jours),
      thread_([this] { loop(); }) {}

PurgeWorker::~PurgeWorker() { stop(); }

void PurgeWorker::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PurgeWorker::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    try {
      auto r = run(db_, core::Clock::now(), 500, [this] { return stopping_.load(); }, evenements_jours_);
      if (r.empty()) spdlog::debug("purge de la corbeille : rien à purger");
      else {
        spdlog::info("purge de la corbeille : {}", describe(r));
        if (after_pass_) after_pass_(r);
      }
    } catch (const std::exception& e) {
      spdlog::warn("purge de la corbeille échouée (nouvel essai dans {} s) : {}",
                   std::chrono::duration_cast<std::chrono::seconds>(period_).count(), e.what());
    }
    lock.lock();
    wake_.wait_for(lock, period_, [this] { return stopping_.load(); });
  }
}

}  // namespace coop::purge
