#include "features/courriels/rappels.hpp"

#include <spdlog/spdlog.h>

#include "features/courriels/modeles.hpp"
#include "features/courriels/store.hpp"

namespace coop::courriels {

using storage::as_int;
using storage::as_opt_text;
using storage::as_text;

int envoyer_rappels(storage::Database& db, const std::string& public_url, core::Clock::time_point now) {
  const std::string limite = core::iso_utc(now - std::chrono::days(jours_sans_cra));
  struct Candidat {
    std::int64_t id;
    std::string email, prenom, reference;
  };
  auto candidats = db.read_value([&](storage::Session& s) {
    auto r = s.query(
        "SELECT u.id, u.email, u.prenom, "
        "COALESCE((SELECT MAX(a.created_at) FROM activites a WHERE a.mediateur_id = u.id), u.created_at) AS ref, "
        "u.rappel_cra_at FROM users u WHERE u.disabled = 0 AND u.last_login_at IS NOT NULL AND u.rappels_cra = 1 "
        "AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = 'mediateur') ORDER BY u.id");
    std::vector<Candidat> out;
    for (auto& row : r.rows) {
      std::string ref = as_text(row[3]);
      auto dernier = as_opt_text(row[4]);
      if (ref < limite && (!dernier || *dernier < ref)) out.push_back({as_int(row[0]), as_text(row[1]), as_text(row[2]), ref});
    }
    return out;
  });
  int n = 0;
  const std::string maintenant = core::iso_utc(now);
  for (auto& c : candidats) {
    bool fait = db.write_value([&](storage::Session& s) {
      // Conditional: another instance (or a CRA recorded meanwhile) wins, and nothing is queued.
      auto changed = s.exec(
          "UPDATE users SET rappel_cra_at = ? WHERE id = ? AND rappels_cra = 1 AND disabled = 0 "
          "AND (rappel_cra_at IS NULL OR rappel_cra_at < ?) "
          "AND NOT EXISTS (SELECT 1 FROM activites a WHERE a.mediateur_id = users.id AND a.created_at >= ?)",
          {maintenant, c.id, c.reference, limite});
      if (changed != 1) return false;
      store::mettre_en_file(s, modeles::rappel_cra(public_url, c.email, c.prenom, c.id));
      return true;
    });
    if (fait) ++n;
  }
  if (n > 0) spdlog::info("rappels d'activité : {} courriel(s) mis en file", n);
  return n;
}

TacheRappels::TacheRappels(storage::Database& db, std::string public_url, std::chrono::milliseconds premier,
                           std::chrono::milliseconds periode, std::function<void()> apres)
    : db_(db), public_url_(std::move(public_url)), premier_(premier), periode_(periode), apres_(std::move(apres)),
      thread_([this] { boucle(); }) {}

TacheRappels::~TacheRappels() { stop(); }

void TacheRappels::stop() {
  {
    std::lock_guard lock(mutex_);
    arret_ = true;
  }
  reveil_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void TacheRappels::boucle() {
  std::unique_lock lock(mutex_);
  auto attente = premier_;
  while (!reveil_.wait_for(lock, attente, [this] { return arret_.load(); })) {
    lock.unlock();
    try {
      if (envoyer_rappels(db_, public_url_, core::Clock::now()) > 0 && apres_) apres_();
    } catch (const std::exception& e) {
      spdlog::warn("rappels d'activité échoués (nouvel essai dans 24 h) : {}", e.what());
    }
    lock.lock();
    attente = periode_;
  }
}

}  // namespace coop::courriels
